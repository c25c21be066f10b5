// The review page: the day's stories from /api/briefs, each change sent to /api/briefs/{id}.
// Everything from the briefs goes into the page as text (textContent), never as markup.
"use strict";

const state = { day: document.body.dataset.day, briefs: [], current: 0 };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({ headers: { "Content-Type": "application/json" },
                                                    credentials: "same-origin" }, options || {}));
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || ("HTTP " + response.status));
  return data;
}

function say(text, bad) {
  const message = document.getElementById("message");
  message.textContent = text;
  message.classList.toggle("bad", !!bad);
}

async function loadDays() {
  const data = await api("/api/days");
  const select = document.getElementById("day");
  select.replaceChildren();
  const days = data.days.map((d) => d.day);
  if (!days.includes(state.day)) days.unshift(state.day);
  for (const day of days) {
    const info = data.days.find((d) => d.day === day);
    const label = info ? `${day} (${info.briefs}: ${info.approved} approved, ${info.rejected} left out)` : day;
    select.append(el("option", { value: day, text: label, selected: day === state.day }));
  }
}

async function loadDay(keepFocus) {
  const data = await api("/api/briefs?date=" + encodeURIComponent(state.day));
  state.briefs = data.briefs;
  render(keepFocus);
}

function counts() {
  const c = { pending: 0, approved: 0, rejected: 0 };
  for (const b of state.briefs) c[b.status] += 1;
  document.getElementById("counts").textContent =
    `${state.briefs.length} stories: ${c.approved} approved, ${c.rejected} left out, ${c.pending} pending`;
}

function diffView(ops) {
  const box = el("p", { class: "diff", "aria-label": "What was changed" });
  for (const op of ops) box.append(el(op.op === "insert" ? "ins" : op.op === "delete" ? "del" : "span", { text: op.text }));
  return box;
}

function editor(brief, field, value, label, multiline) {
  const input = el(multiline ? "textarea" : "input", { class: "edit " + field, "aria-label": label, dir: "auto",
                                                      lang: "en", "data-field": field });
  input.value = value || "";
  let saved = (value || "").trim();  // what the server has: a save sends only a real change, once
  const save = async () => {
    const text = input.value.trim();
    if (text === saved || !text) return;
    saved = text;
    await change(brief.id, { [field]: text });
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey || !multiline)) { event.preventDefault(); save(); }
    if (event.key === "Escape") { input.value = saved; input.blur(); }
  });
  input.addEventListener("change", save);
  return input;
}

function sentenceRows(brief) {
  const box = el("details", { class: "sentences" }, el("summary", { text: `Sentences (${brief.sentences.length})` }));
  for (const s of brief.sentences) {
    const input = el("input", { class: "edit sentence", lang: "en", dir: "auto", "aria-label": `Translation of sentence ${s.i}` });
    input.value = s.en || "";
    let saved = (s.en || "").trim();
    input.addEventListener("change", () => {
      const text = input.value.trim();
      if (text && text !== saved) { saved = text; change(brief.id, { sentences: { [s.i]: text } }); }
    });
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); input.blur(); } });
    box.append(el("div", { class: "pair" + (s.edited ? " edited" : "") },
      el("div", { class: "en-col" }, input),
      el("div", { class: "ar-col", lang: brief.language || "ar", dir: "rtl", text: s.ar })));
  }
  return box;
}

function story(brief, index) {
  const rtl = ["ar", "fa", "ur", "ps", "ku", "ckb", "sd", "ug", "he", "yi"].includes(brief.language || "ar");
  const buttons = el("div", { class: "buttons" },
    el("button", { type: "button", class: "approve", text: "Approve (a)", on: { click: () => setStatus(brief, "approved") } }),
    el("button", { type: "button", class: "reject", text: "Leave out (x)", on: { click: () => setStatus(brief, "rejected") } }),
    el("button", { type: "button", class: "up", text: "↑", "aria-label": "Move up", on: { click: () => move(brief, -1) } }),
    el("button", { type: "button", class: "down", text: "↓", "aria-label": "Move down", on: { click: () => move(brief, 1) } }),
    el("button", { type: "button", class: "undo", text: "Undo (u)", on: { click: () => undo(brief) } }));
  const badges = el("span", { class: "badges" },
    el("span", { class: "status " + brief.status, text: brief.status }),
    brief.edited ? el("span", { class: "badge edited", text: "edited" }) : null,
    brief.stale ? el("span", { class: "badge stale", title: "a later run changed the machine text under this edit",
                               text: "stale: the machine text changed" }) : null,
    brief.state === "changed" ? el("span", { class: "badge stale", text: "changed since approval" }) : null,
    ...brief.flags.map((f) => el("span", { class: "badge flag", title: f.meaning + ". What to do: " + f.action,
                                           text: f.label + (f.count > 1 ? " ×" + f.count : "") })));
  const english = el("div", { class: "en-col", lang: "en", dir: "ltr" },
    editor(brief, "title", brief.title, "English title", false),
    editor(brief, "summary", brief.summary, "English summary", true));
  for (const field of ["title", "summary"]) {
    const edit = brief.edits[field];
    if (edit) english.append(el("div", { class: "edit-note" }, el("span", { text: `${field}: the editor's text against the machine's` }),
                                diffView(edit.diff)));
  }
  const arabic = el("div", { class: "ar-col", lang: brief.language || "ar", dir: rtl ? "rtl" : "ltr" },
    el("h3", { class: "title-ar", text: brief.title_ar }),
    brief.summary_ar && brief.summary_ar !== brief.title_ar ? el("p", { class: "summary-ar", text: brief.summary_ar }) : null);
  const source = el("p", { class: "source", text: [brief.site, brief.published, brief.url].filter(Boolean).join(" · ") });
  return el("article", { class: "story " + brief.status, id: "story-" + brief.id, "data-id": brief.id, tabindex: "0",
                         "aria-label": `Story ${index + 1}: ${brief.title}` },
    el("header", {}, el("span", { class: "position", text: String(index + 1) }), badges, buttons),
    el("div", { class: "cols" }, english, arabic), source, sentenceRows(brief));
}

function render(keepFocus) {
  const main = document.getElementById("stories");
  main.replaceChildren(...state.briefs.map(story));
  counts();
  if (!state.briefs.length) main.append(el("p", { class: "empty", text: "No stories this day." }));
  state.current = Math.min(state.current, Math.max(0, state.briefs.length - 1));
  if (keepFocus !== false) focusStory(state.current);
}

function focusStory(k) {
  const nodes = document.querySelectorAll("article.story");
  if (!nodes.length) return;
  state.current = Math.max(0, Math.min(k, nodes.length - 1));
  nodes.forEach((n, i) => n.classList.toggle("current", i === state.current));
  nodes[state.current].focus({ preventScroll: false });
}

async function change(id, body) {
  try {
    await api("/api/briefs/" + encodeURIComponent(id), { method: "PATCH", body: JSON.stringify(body) });
    await loadDay();
    say("saved");
  } catch (error) { say(error.message, true); }
}

function setStatus(brief, status) { return change(brief.id, { status }); }

function move(brief, delta) {
  const to = brief.position + delta;
  if (to < 0 || to >= state.briefs.length) return Promise.resolve();
  state.current = to;
  return change(brief.id, { position: to });
}

async function undo(brief) {
  try {
    await api("/api/briefs/" + encodeURIComponent(brief.id) + "/undo", { method: "POST", body: "{}" });
    await loadDay();
    say("undone");
  } catch (error) { say(error.message, true); }
}

async function searchBriefs(event) {
  event.preventDefault();
  const q = document.getElementById("q").value.trim();
  const box = document.getElementById("results");
  if (!q) { box.hidden = true; return; }
  try {
    const data = await api("/api/search?q=" + encodeURIComponent(q));
    box.replaceChildren(el("h2", { text: `${data.hits.length} found for “${q}”` }));
    for (const hit of data.hits) {
      const snippet = el("p", { class: "snippet", dir: "auto", lang: hit.matched === "ar" ? "ar" : "en" });
      let last = 0;
      for (const [a, b] of hit.marks) { snippet.append(hit.snippet.slice(last, a), el("mark", { text: hit.snippet.slice(a, b) })); last = b; }
      snippet.append(hit.snippet.slice(last));
      const go = el("button", { type: "button", text: hit.day || "undated", on: { click: () => { state.day = hit.day; openDay(hit.id); } } });
      box.append(el("div", { class: "hit" }, go, el("strong", { text: " " + (hit.title || hit.title_ar) }), snippet));
    }
    box.hidden = false;
  } catch (error) { say(error.message, true); }
}

async function openDay(id) {
  document.getElementById("day").value = state.day;
  await loadDay(false);
  const k = state.briefs.findIndex((b) => b.id === id);
  focusStory(k < 0 ? 0 : k);
}

async function buildDigest() {
  try {
    const data = await api("/api/digest", { method: "POST", body: JSON.stringify({ date: state.day }) });
    say("digest written: " + data.files.slice(0, 3).join(", "));
  } catch (error) { say(error.message, true); }
}

function onKey(event) {
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (typing) return;
  const brief = state.briefs[state.current];
  const keys = {
    j: () => focusStory(state.current + 1), k: () => focusStory(state.current - 1),
    a: () => brief && setStatus(brief, "approved"), x: () => brief && setStatus(brief, "rejected"),
    p: () => brief && setStatus(brief, "pending"), u: () => brief && undo(brief),
    e: () => document.querySelectorAll("article.story")[state.current]?.querySelector("textarea.summary")?.focus(),
    "/": () => document.getElementById("q").focus(),
  };
  if (event.shiftKey && (event.key === "ArrowUp" || event.key === "ArrowDown") && brief) {
    event.preventDefault();
    move(brief, event.key === "ArrowUp" ? -1 : 1);
    return;
  }
  const action = keys[event.key];
  if (action && !event.ctrlKey && !event.metaKey && !event.altKey) { event.preventDefault(); action(); }
}

document.addEventListener("DOMContentLoaded", async () => {
  document.getElementById("day").addEventListener("change", (event) => { state.day = event.target.value; state.current = 0; loadDay(); });
  document.getElementById("search").addEventListener("submit", searchBriefs);
  document.getElementById("digest").addEventListener("click", buildDigest);
  document.addEventListener("keydown", onKey);
  document.getElementById("stories").addEventListener("focusin", (event) => {
    const article = event.target.closest("article.story");
    if (article) {
      const k = [...document.querySelectorAll("article.story")].indexOf(article);
      if (k >= 0 && k !== state.current) { state.current = k; document.querySelectorAll("article.story").forEach((n, i) => n.classList.toggle("current", i === k)); }
    }
  });
  try { await loadDays(); await loadDay(); document.body.classList.add("ready"); } catch (error) { say(error.message, true); }
});
