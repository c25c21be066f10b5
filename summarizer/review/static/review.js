// The review page: the day's stories from /api/briefs, a page of them at a time; each change sent to
// /api/briefs/{id}, whose answer (the story as now) repaints that story only: open panels, focus
// and drafts kept. Filters and the order by attention work on the day in memory.
"use strict";
(() => {  // one scope per file: the files share window.Review only

const R = window.Review;
const LIMIT = 50;
const params = new URLSearchParams(location.search);
R.state = window.reviewState = { day: document.body.dataset.day, briefs: [], days: [], currentId: params.get("story"),
                                  filter: "all", order: "digest", offset: 0, total: 0, counts: {} };
R.drafts = new Map();
R.openPanels = new Set();
const state = R.state;
const FILTER_WORDS = { all: "all", attention: "needs attention", pending: "pending", approved: "approved", rejected: "left out",
                       edited: "edited", stale: "stale", changed: "changed since approval" };

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
R.say = say;

R.showDrafts = function showDrafts() {
  const n = R.drafts.size;
  document.getElementById("drafts").textContent = n ? `${n} unsaved ${n === 1 ? "text" : "texts"}` : "";
};

function dayCounts() {
  const c = state.counts;
  return { briefs: c.all || 0, pending: c.pending || 0, approved: c.approved || 0, rejected: c.rejected || 0, changed: c.changed || 0 };
}

function paintDays() {
  const select = document.getElementById("day");
  select.replaceChildren();
  const days = state.days.map((d) => d.day);
  if (!days.includes(state.day)) days.unshift(state.day);
  for (const day of days) {
    const info = day === state.day ? dayCounts() : state.days.find((d) => d.day === day);
    const label = info ? `${day} (${info.briefs}: ${info.approved} approved, ${info.rejected} left out, ${info.pending} pending`
      + `${info.changed ? `, ${info.changed} changed since approval` : ""})` : day;
    select.append(R.el("option", { value: day, text: label, selected: day === state.day }));
  }
}

function paintCounts() {
  const c = dayCounts();
  document.getElementById("counts").textContent = `${c.briefs} stories: ${c.approved} approved, ${c.rejected} left out, `
    + `${c.pending} pending${c.changed ? `, ${c.changed} changed since approval` : ""}`;
  for (const option of document.getElementById("filter").options) {
    option.textContent = `${FILTER_WORDS[option.value]} (${state.counts[option.value] || 0})`;
  }
  paintDays();
}

// A story's decision or edit moves it between filters: the counts follow from its old and new categories.
function recount(old, entry) {
  const cats = (b) => new Set([...(b.categories || []), ...(b.state === "rejected" ? ["rejected"] : [])]);
  for (const c of cats(old)) state.counts[c] = (state.counts[c] || 0) - 1;
  for (const c of cats(entry)) state.counts[c] = (state.counts[c] || 0) + 1;
}

function render(focus) {
  const main = document.getElementById("stories");
  main.replaceChildren(...state.briefs.map((b) => R.story(b, b.position)));
  if (!state.briefs.length) main.append(R.el("p", { class: "empty", text: state.counts.all ? "No story matches this filter." : "No stories this day." }));
  document.getElementById("pager").hidden = state.total <= LIMIT && state.offset === 0;
  document.getElementById("page-info").textContent =
    `stories ${state.briefs.length ? state.offset + 1 : 0}–${state.offset + state.briefs.length} of ${state.total}`;
  document.getElementById("prev").disabled = state.offset === 0;
  document.getElementById("next").disabled = state.offset + LIMIT >= state.total;
  paintCounts();
  if (focus) {
    const id = state.briefs.some((b) => b.id === state.currentId) ? state.currentId : state.briefs[0] && state.briefs[0].id;
    focusStory(id === undefined ? null : id);
  }
}

function storyNodes() { return [...document.querySelectorAll("article.story")]; }

function focusStory(id) {
  const node = id && document.getElementById("story-" + id);
  if (!node) return;
  state.currentId = id;
  storyNodes().forEach((n) => n.classList.toggle("current", n === node));
  node.focus({ preventScroll: true });
  node.scrollIntoView({ block: "nearest" });
}

async function step(delta) {
  const at = state.briefs.findIndex((b) => b.id === state.currentId);
  const to = (at < 0 ? 0 : at) + delta;
  if (to >= 0 && to < state.briefs.length) { focusStory(state.briefs[to].id); return; }
  if (to < 0 && state.offset > 0) { state.currentId = null; await loadDay({ offset: Math.max(0, state.offset - LIMIT), last: true }); }
  else if (to >= state.briefs.length && state.offset + LIMIT < state.total) { state.currentId = null; await loadDay({ offset: state.offset + LIMIT }); }
}

// The answer to an action is the story as now: it replaces that story alone (and its place, when it moved).
function replace(entry, advance) {
  const old = state.briefs.findIndex((b) => b.id === entry.id);
  if (old < 0) return;
  const before = state.briefs[old];
  recount(before, entry);
  state.briefs[old] = entry;
  if (before.position !== entry.position) {  // moved: this page of the day's order, again
    state.currentId = entry.id;
    loadDay({ story: entry.id });
    return;
  }
  const node = document.getElementById("story-" + entry.id);
  if (node) {
    const active = node.contains(document.activeElement) ? document.activeElement : null;
    const key = active && active.dataset ? active.dataset.key : null;
    const caret = active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
    const fresh = R.story(entry, entry.position);
    node.replaceWith(fresh);
    if (active === node) fresh.focus({ preventScroll: true });
    else if (key) {
      const again = fresh.querySelector(`[data-key="${key}"]`);
      if (again) { again.focus({ preventScroll: true }); if (caret) try { again.setSelectionRange(...caret); } catch (e) { /* not a text field */ } }
    }
  }
  paintCounts();
  if (advance && document.getElementById("advance").checked && state.currentId === entry.id) step(1);
}

async function change(brief, body, advance) {
  try {
    const entry = await api("/api/briefs/" + encodeURIComponent(brief.id), { method: "PATCH", body: JSON.stringify(body) });
    replace(entry, advance);
    say("saved");
    return entry;
  } catch (error) { say(error.message, true); return null; }
}

R.setStatus = (brief, status) => change(current(brief), { status }, status !== "pending");
R.move = (brief, delta) => {
  const b = current(brief);
  const to = b.position + delta;
  if (to < 0 || to >= (state.counts.all || 0)) return Promise.resolve();
  state.currentId = b.id;
  return change(b, { position: to });
};
R.undo = async (brief) => {
  try {
    replace(await api("/api/briefs/" + encodeURIComponent(brief.id) + "/undo", { method: "POST", body: "{}" }));
    say("undone");
  } catch (error) { say(error.message, true); }
};
function current(brief) { return state.briefs.find((b) => b.id === brief.id) || brief; }

R.saveField = async function saveField(brief, key, input) {
  const text = input.value.trim();
  const b = current(brief);
  const now = key === "title" ? b.title : key === "summary" ? b.summary : (b.sentences[Number(key.split(":")[1])] || {}).en;
  if (!text) { say("an empty text is not saved: Discard puts the saved text back", true); return false; }
  const draftKey = b.id + "|" + key;
  if (text === (now || "").trim()) { R.drafts.delete(draftKey); R.showDrafts(); return true; }
  const body = key.startsWith("sentence:") ? { sentences: { [key.split(":")[1]]: text } } : { [key]: text };
  R.drafts.delete(draftKey);
  const entry = await change(b, body);
  if (!entry) { R.drafts.set(draftKey, input.value); R.showDrafts(); return false; }
  R.showDrafts();
  return true;
};

// Keys inside a text field: Ctrl+Enter saves (Enter too in the title); in a sentence, Tab or
// Ctrl+Enter saves and goes to the next sentence (Shift+Tab: the previous); Esc leaves the field
// and keeps what was typed as a draft (marked, with Save and Discard): nothing is lost silently.
R.fieldKey = function fieldKey(event, brief, key, input, value, multiline) {
  const sentence = key.startsWith("sentence:");
  const save = (event.key === "Enter" && (event.ctrlKey || event.metaKey || !multiline || key === "title"))
    || (sentence && event.key === "Tab");
  if (save) {
    event.preventDefault();
    const k = sentence ? Number(key.split(":")[1]) + (event.shiftKey ? -1 : 1) : null;
    const article = input.closest("article.story");
    const id = brief.id;
    if (sentence) {
      const next = article.querySelector(`[data-key="sentence:${k}"]`);
      if (next) next.focus();  // at once: typing goes on while the save travels
    }
    R.saveField(brief, key, input).then(() => {
      if (!sentence) return;
      const again = document.querySelector(`#story-${id} [data-key="sentence:${k}"]`);
      if (again && document.activeElement !== again && !document.activeElement.closest("textarea, input")) again.focus();
    });
  } else if (event.key === "Escape") {
    event.preventDefault();
    if (R.drafts.has(brief.id + "|" + key)) say("kept as an unsaved draft: Ctrl+Enter saves it, Discard drops it");
    input.closest("article.story").focus({ preventScroll: true });
  }
};

async function loadDay(options) {
  const o = options || {};
  const query = new URLSearchParams({ date: state.day, filter: state.filter, order: state.order, limit: String(LIMIT),
                                      offset: String(o.offset !== undefined ? o.offset : state.offset) });
  if (o.story) query.set("story", o.story);
  const data = await api("/api/briefs?" + query);
  Object.assign(state, { briefs: data.briefs, counts: data.counts, total: data.total, offset: data.offset });
  if (o.last && state.briefs.length) state.currentId = state.briefs[state.briefs.length - 1].id;
  render(o.focus !== false);
}

async function searchBriefs(event) {
  event.preventDefault();
  const q = document.getElementById("q").value.trim();
  const box = document.getElementById("results");
  if (!q) { box.hidden = true; return; }
  try {
    const data = await api("/api/search?q=" + encodeURIComponent(q));
    box.replaceChildren(R.el("h2", { text: `${data.hits.length} found for “${q}”` }));
    for (const hit of data.hits) {
      const snippet = R.el("p", { class: "snippet", dir: "auto", lang: hit.matched === "ar" ? "ar" : "en" });
      let last = 0;
      for (const [a, b] of hit.marks) { snippet.append(hit.snippet.slice(last, a), R.el("mark", { text: hit.snippet.slice(a, b) })); last = b; }
      snippet.append(hit.snippet.slice(last));
      const day = hit.day || hit.date;
      const go = R.el("button", { type: "button", class: "open-hit", "data-id": hit.id,
                                  text: day ? "open " + day : "undated", on: { click: () => openStory(day, hit.id) } });
      const which = hit.by === "editor" ? R.el("span", { class: "badge edited", text: "matched the editor's text" }) : null;
      box.append(R.el("div", { class: "hit" }, go, R.el("strong", { text: " " + (hit.title || hit.title_ar) }), " ", which,
                      hit.published ? R.el("span", { class: "published", text: " published " + hit.published }) : null, snippet));
    }
    box.hidden = false;
  } catch (error) { say(error.message, true); }
}

async function openStory(day, id) {
  if (day) state.day = day;
  state.currentId = id;
  state.filter = "all";
  document.getElementById("filter").value = "all";
  history.replaceState(null, "", "/?date=" + encodeURIComponent(state.day) + "&story=" + encodeURIComponent(id));
  await loadDay({ story: id, offset: 0 });
}

async function buildDigest() {
  try {
    const data = await api("/api/digest", { method: "POST", body: JSON.stringify({ date: state.day }) });
    say("digest written: " + data.files.slice(0, 3).join(", "));
  } catch (error) { say(error.message, true); }
  await previewDigest();
}

// The digest as it would go out now, with a key to what it holds and leaves out.
async function previewDigest() {
  const box = document.getElementById("digest-preview");
  try {
    const data = await api("/api/digest?date=" + encodeURIComponent(state.day));
    const s = data.states || {};
    box.replaceChildren(R.el("h2", { text: `The digest of ${data.date} as it would go out: ${data.stories.length} `
                                     + (data.stories.length === 1 ? "story" : "stories") }),
      R.el("p", { class: "key", text: data.reviewed
        ? `Key: only approved stories, as they read now, in your order, with your text. Left out: ${s.pending || 0} pending, `
          + `${s.rejected || 0} left out, ${s.changed || 0} changed since approval (approve them again to send them).`
        : "Key: nothing decided yet this day, so every story goes out (approve or leave out a story to choose)." }));
    if (data.empty) box.append(R.el("p", { class: "bad", text: "Nothing would go out: " + data.reason + "." }));
    const list = R.el("ol", { class: "preview-list" });
    for (const story of data.stories) {
      list.append(R.el("li", { "data-ids": story.ids.join(" ") }, R.el("strong", { text: story.title }),
                       story.ids.length > 1 ? R.el("span", { class: "sites", text: ` (${story.ids.length} outlets)` }) : null,
                       R.el("p", { text: story.summary })));
    }
    box.append(list, R.el("button", { type: "button", text: "Close the preview", on: { click: () => { box.hidden = true; } } }));
    box.hidden = false;
  } catch (error) { say(error.message, true); }
}

function onKey(event) {
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (typing) return;
  const brief = state.briefs.find((b) => b.id === state.currentId);
  const node = brief && document.getElementById("story-" + brief.id);
  const keys = {
    j: () => step(1), k: () => step(-1),
    a: () => brief && R.setStatus(brief, "approved"), x: () => brief && R.setStatus(brief, "rejected"),
    p: () => brief && R.setStatus(brief, "pending"), u: () => brief && R.undo(brief),
    e: () => node && node.querySelector("textarea.summary").focus(),
    s: () => { if (!node) return; const d = node.querySelector("details.sentences"); d.open = true; R.openPanels.add(brief.id);
               const first = d.querySelector("textarea"); if (first) first.focus(); },
    "/": () => document.getElementById("q").focus(),
  };
  if (event.shiftKey && (event.key === "ArrowUp" || event.key === "ArrowDown") && brief) {
    event.preventDefault();
    R.move(brief, event.key === "ArrowUp" ? -1 : 1);
    return;
  }
  const action = keys[event.key];
  if (action && !event.ctrlKey && !event.metaKey && !event.altKey) { event.preventDefault(); action(); }
}

document.addEventListener("DOMContentLoaded", async () => {
  document.getElementById("day").addEventListener("change", (event) => {
    state.day = event.target.value; state.currentId = null;
    history.replaceState(null, "", "/?date=" + encodeURIComponent(state.day)); loadDay({ offset: 0 });
  });
  document.getElementById("filter").addEventListener("change", (event) => { state.filter = event.target.value; loadDay({ offset: 0 }); });
  document.getElementById("order").addEventListener("change", (event) => { state.order = event.target.value; loadDay({ offset: 0 }); });
  document.getElementById("prev").addEventListener("click", () => loadDay({ offset: Math.max(0, state.offset - LIMIT) }));
  document.getElementById("next").addEventListener("click", () => loadDay({ offset: state.offset + LIMIT }));
  document.getElementById("search").addEventListener("submit", searchBriefs);
  document.getElementById("digest").addEventListener("click", buildDigest);
  document.getElementById("preview").addEventListener("click", previewDigest);
  document.addEventListener("keydown", onKey);
  window.addEventListener("beforeunload", (event) => { if (R.drafts.size) { event.preventDefault(); event.returnValue = ""; } });
  document.getElementById("stories").addEventListener("focusin", (event) => {
    const article = event.target.closest("article.story");
    if (article && article.dataset.id !== state.currentId) {
      state.currentId = article.dataset.id;
      storyNodes().forEach((n) => n.classList.toggle("current", n === article));
    }
  });
  try {
    const [days, flags] = await Promise.all([api("/api/days"), api("/api/flags")]);
    state.days = days.days;
    R.flagTable = flags.flags;
    await loadDay(state.currentId ? { story: state.currentId } : {});
    document.body.classList.add("ready");
  } catch (error) { say(error.message, true); }
});
})();
