// One story of the review page, built from its brief (GET /api/briefs): badges, every flag with
// its plain words and what to do (hover and keyboard focus), the texts with their drafts, the
// sentence rows (flags, confidence, a field sized to the text), links. Everything from a brief
// goes into the page as text (textContent), never as markup.
"use strict";
(() => {  // one scope per file: the files share window.Review only

const R = window.Review = window.Review || {};
const RTL = ["ar", "fa", "ur", "ps", "ku", "ckb", "sd", "ug", "he", "yi"];
const STATUS_WORDS = { pending: "pending", approved: "approved", rejected: "left out", changed: "changed since approval" };

R.el = function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
};
const el = R.el;

// A flag as the page shows it: {name, label, meaning, action, count}; the library's own words when
// the brief carries them, else the flag table's (GET /api/flags).
R.flag = function flag(value, count) {
  const f = typeof value === "string" ? { name: value } : Object.assign({}, value);
  const known = (R.flagTable || {})[f.name] || {};
  f.label = f.label || known.label || f.name.replace(/[_:]/g, " ");
  f.meaning = f.meaning || known.meaning || "";
  f.action = f.action || known.action || "";
  if (count !== undefined && f.count === undefined) f.count = count;
  return f;
};

let tipCount = 0;
R.flagBadge = function flagBadge(value, count) {
  const f = R.flag(value, count);
  const id = "tip-" + (++tipCount);
  const words = [f.meaning, f.action ? "What to do: " + f.action : ""].filter(Boolean).join(". ");
  return el("button", { type: "button", class: "flag", "data-flag": f.name, "aria-describedby": id, title: words },
    el("span", { class: "label", text: f.label }),
    f.count > 1 ? el("span", { class: "count", text: " ×" + f.count }) : null,
    el("span", { class: "tip", role: "tooltip", id, text: words }));
};

R.storyFlags = (brief) => (brief.flags || []).map((f) => R.flag(f));  // every one, with its count (no cut-off)

R.needsAttention = (brief) => (brief.categories || []).includes("attention");

R.statusWord = (status) => STATUS_WORDS[status] || status;

R.diffView = function diffView(ops, label) {
  const box = el("p", { class: "diff", "aria-label": label || "What was changed" });
  for (const op of ops || []) {
    box.append(op.op === "insert" ? el("ins", { text: op.text }) : op.op === "delete" ? el("del", { text: op.text })
      : document.createTextNode(op.text));
  }
  return box;
};

function confidence(s) {
  if (typeof s.score !== "number") return null;
  const p = Math.round(Math.exp(s.score) * 100);
  const words = s.confidence === "low" ? "low confidence" : s.confidence === "lowest" ? "among the least confident" : "confidence";
  return el("span", { class: "confidence " + (s.confidence || ""), tabindex: "0",
                      title: `the engine's mean token log-probability: ${s.score.toFixed(2)} (about ${p}% per word)`,
                      text: `${words} ${p}%` });
}

// Fields sized to their text, in one pass per frame: every height reset, then every height read (one
// layout), then set; a field inside a closed panel waits until the panel opens.
const toFit = new Set();
function fitHeight(area) {
  toFit.add(area);
  if (toFit.size > 1) return;
  requestAnimationFrame(() => {
    const areas = [...toFit].filter((a) => a.isConnected && !a.closest("details:not([open])"));
    toFit.clear();
    areas.forEach((a) => { a.style.height = "auto"; });
    const heights = areas.map((a) => a.scrollHeight);
    areas.forEach((a, k) => { a.style.height = (heights[k] + 2) + "px"; });
  });
}
R.fitHeight = fitHeight;

// A text field of a story: `key` is "title", "summary" or "sentence:K". A draft (typed, not saved)
// lives in R.drafts until saved or dropped, so a repaint never loses it.
R.field = function field(brief, key, value, label, options) {
  const multiline = options.multiline;
  const draftKey = brief.id + "|" + key;
  const input = el(multiline ? "textarea" : "input", { class: "edit " + options.cls, "aria-label": label, dir: "auto",
                                                      lang: "en", "data-key": key, rows: multiline ? 1 : null });
  const draft = R.drafts.get(draftKey);
  input.value = draft !== undefined ? draft : (value || "");
  const mark = () => {
    const dirty = input.value.trim() !== (value || "").trim();
    if (dirty) R.drafts.set(draftKey, input.value); else R.drafts.delete(draftKey);
    input.classList.toggle("dirty", dirty);
    const row = input.closest(".field-row");
    if (row) row.classList.toggle("dirty", dirty);
    R.showDrafts();
  };
  input.addEventListener("input", () => { if (multiline) fitHeight(input); mark(); });
  input.addEventListener("keydown", (event) => R.fieldKey(event, brief, key, input, value, multiline));
  if (multiline) fitHeight(input);
  const save = el("button", { type: "button", class: "save", text: "Save", on: { click: () => R.saveField(brief, key, input) } });
  const drop = el("button", { type: "button", class: "discard", text: "Discard",
                              on: { click: () => { input.value = value || ""; mark(); if (multiline) fitHeight(input); input.focus(); } } });
  const row = el("div", { class: "field-row" + (draft !== undefined ? " dirty" : "") }, input,
    el("span", { class: "unsaved", text: "unsaved " }, save, drop));
  if (draft !== undefined) input.classList.add("dirty");
  return row;
};

function sentenceRows(brief) {
  const open = R.openPanels.has(brief.id);
  const flagged = (brief.sentences || []).filter((s) => (s.flags || []).length).length;
  const box = el("details", { class: "sentences", open },
    el("summary", { text: `Sentences (${brief.sentences.length}${flagged ? `, ${flagged} flagged` : ""})` }));
  box.addEventListener("toggle", () => {
    if (box.open) { R.openPanels.add(brief.id); box.querySelectorAll("textarea").forEach(fitHeight); } else R.openPanels.delete(brief.id);
  });
  const lang = brief.language || "ar";
  for (const [k, s] of (brief.sentences || []).entries()) {
    const flags = (s.flags || []).map((f) => R.flagBadge(f));
    box.append(el("div", { class: "pair" + (s.edited ? " edited" : "") + (flags.length ? " flagged" : ""), "data-k": k },
      el("div", { class: "en-col" },
        el("div", { class: "row-meta" }, el("span", { class: "n", text: String(k + 1) }), confidence(s), ...flags,
           s.edited ? el("span", { class: "badge edited", text: "edited" }) : null),
        R.field(brief, "sentence:" + k, s.en, `Translation of sentence ${k + 1}`, { multiline: true, cls: "sentence" }),
        editNote(brief, "sentence:" + k, "the editor's text against the machine text it corrected")),
      el("div", { class: "ar-col", lang, dir: RTL.includes(lang) ? "rtl" : "ltr", text: s.ar })));
  }
  return box;
}

function shownUrl(url) {
  try { return decodeURI(url); } catch (error) { return url; }
}

function links(brief) {
  const parts = [];
  if (brief.site) parts.push(el("span", { text: brief.site }));
  if (brief.date) parts.push(el("span", { class: "made", text: "made " + brief.date }));
  if (brief.published) parts.push(el("span", { class: "published", text: "published " + brief.published }));
  let safe = null;
  try { safe = brief.url && ["http:", "https:"].includes(new URL(brief.url).protocol) ? brief.url : null; } catch (e) { safe = null; }
  if (safe) parts.push(el("a", { class: "source-link", href: safe, rel: "noreferrer noopener", target: "_blank", dir: "auto",
                                 referrerpolicy: "no-referrer", text: shownUrl(safe) }));
  else if (brief.url) parts.push(el("span", { text: brief.url }));
  parts.push(el("a", { class: "brief-page", href: "/briefs/" + encodeURIComponent(brief.id) + ".html", target: "_blank",
                       rel: "noreferrer noopener", text: "the brief's page" }));
  const p = el("p", { class: "source" });
  parts.forEach((part, k) => { if (k) p.append(" · "); p.append(part); });
  return p;
}

function badges(brief) {
  return el("span", { class: "badges" },
    el("span", { class: "status " + brief.state, "data-status": brief.status, "data-state": brief.state, text: R.statusWord(brief.state) }),
    brief.edited ? el("span", { class: "badge edited", text: "edited" }) : null,
    brief.stale ? el("span", { class: "badge stale", tabindex: "0", title: "a later run changed the machine text under this edit",
                               text: "stale: the machine text changed" }) : null,
    ...R.storyFlags(brief).map((f) => R.flagBadge(f)));
}

function editNote(brief, field, words) {
  const edit = (brief.edits || {})[field];
  if (!edit) return null;
  const note = el("div", { class: "edit-note" }, el("span", { text: words + (edit.author ? ` (by ${edit.author})` : "") }),
                  R.diffView(edit.diff));
  if (edit.stale) {
    note.append(el("p", { class: "machine-now" }, el("span", { class: "badge stale", text: "stale" }),
                   " the machine text is now: ", el("span", { text: edit.machine_now })));
  }
  return note;
}

function editNotes(brief, english) {
  for (const field of ["title", "summary"]) {
    english.append(editNote(brief, field, `${field}: the editor's text against the machine text it corrected`) || "");
  }
  const approval = brief.approval;
  if (brief.state === "changed" && approval) {
    const box = el("div", { class: "edit-note changed" }, el("strong", { text: "Changed since approval" + (approval.author ? ` (approved by ${approval.author})` : "")
      + ": out of the digest until approved again." }));
    for (const c of approval.changes || []) {
      box.append(el("p", { class: "why", text: `${c.field === "*" ? "the approval" : c.field}: ${c.why || (c.by === "machine" ? "a later run changed it" : "changed")}` }));
      if (c.diff && c.diff.length) box.append(R.diffView(c.diff, "What was approved against the text now"));
    }
    english.append(box);
  }
}

R.story = function story(brief, index) {
  const lang = brief.language || "ar";
  const buttons = el("div", { class: "buttons" },
    el("button", { type: "button", class: "approve", text: "Approve (a)", on: { click: () => R.setStatus(brief, "approved") } }),
    el("button", { type: "button", class: "reject", text: "Leave out (x)", on: { click: () => R.setStatus(brief, "rejected") } }),
    el("button", { type: "button", class: "up", text: "↑", "aria-label": "Move up", on: { click: () => R.move(brief, -1) } }),
    el("button", { type: "button", class: "down", text: "↓", "aria-label": "Move down", on: { click: () => R.move(brief, 1) } }),
    el("button", { type: "button", class: "undo", text: "Undo (u)", on: { click: () => R.undo(brief) } }));
  const english = el("div", { class: "en-col", lang: "en", dir: "ltr" },
    R.field(brief, "title", brief.title, "English title", { multiline: true, cls: "title" }),
    R.field(brief, "summary", brief.summary, "English summary", { multiline: true, cls: "summary" }));
  editNotes(brief, english);
  const arabic = el("div", { class: "ar-col", lang, dir: RTL.includes(lang) ? "rtl" : "ltr" },
    el("h3", { class: "title-ar", text: brief.title_ar }),
    brief.summary_ar && brief.summary_ar !== brief.title_ar ? el("p", { class: "summary-ar", text: brief.summary_ar }) : null);
  return el("article", { class: "story " + brief.state + (brief.id === R.state.currentId ? " current" : ""), id: "story-" + brief.id,
                         "data-id": brief.id, tabindex: "0", "aria-label": `Story ${index + 1}: ${brief.title}` },
    el("header", {}, el("span", { class: "position", text: String(brief.position + 1) }), badges(brief), buttons),
    el("div", { class: "cols" }, english, arabic), links(brief), sentenceRows(brief));
};
})();
