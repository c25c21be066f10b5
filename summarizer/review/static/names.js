// The names panel of the review page (API: review/names_api.py). Standalone: it follows the story
// the editor works on (focus or click on an element with data-id), lists that brief's names with
// the house spelling, and after an edit offers to make the editor's spelling the house spelling
// (every later run), optionally respelling the name in the day's other briefs as edits.
"use strict";

(function () {
  const panel = () => document.getElementById("names-panel");
  let current = null;

  function node(tag, attrs, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    for (const c of children) if (c !== null && c !== undefined) n.append(c);
    return n;
  }

  async function call(path, options) {
    const response = await fetch(path, Object.assign({ headers: { "Content-Type": "application/json" },
                                                      credentials: "same-origin" }, options || {}));
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || ("HTTP " + response.status));
    return data;
  }

  function offerView(id, offer) {
    const box = node("input", { type: "checkbox", class: "names-apply-day" });
    const button = node("button", { type: "button", class: "names-make-house" },
                        "Make \u201c" + offer.to + "\u201d the house spelling");
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const done = await call("/api/names", { method: "POST", body: JSON.stringify(
          { arabic: offer.arabic, english: offer.to, brief: id, apply_day: box.checked }) });
        status("House spelling of " + offer.arabic + ": " + done.name.english +
               (done.applied.length ? " (respelled " + done.applied.length + " times in the day's briefs)" : ""));
        if (done.applied.length) window.location.reload();
        else show(id);
      } catch (error) {
        status(error.message, true);
        button.disabled = false;
      }
    });
    return node("li", { class: "names-offer" },
                node("span", { dir: "rtl", lang: "ar" }, offer.arabic), " \u2014 your edit spells it \u201c" + offer.to +
                "\u201d, the machine \u201c" + offer.from + "\u201d. ", button, " ",
                node("label", {}, box, " also respell it in this day's other briefs (as edits)"));
  }

  function status(text, bad) {
    const line = document.getElementById("names-status");
    if (!line) return;
    line.textContent = text;
    line.classList.toggle("bad", !!bad);
  }

  async function show(id) {
    const where = panel();
    if (!where || !id) return;
    current = id;
    let data;
    try {
      data = await call("/api/briefs/" + encodeURIComponent(id) + "/names");
    } catch (error) {
      where.replaceChildren(node("h2", {}, "Names"), node("p", { class: "bad" }, error.message));
      where.hidden = false;
      return;
    }
    if (current !== id) return;  // the editor moved on meanwhile
    const rows = data.names.map((n) => node("li", { class: "names-row" },
      node("span", { dir: "rtl", lang: "ar" }, n.arabic), " \u2192 ",
      node("strong", {}, n.house || "(no house spelling yet)"),
      n.source ? " (" + n.source + ")" : "",
      n.spellings.some((s) => s !== n.house) ? " \u00b7 here: " + n.spellings.join(", ") : ""));
    where.replaceChildren(
      node("h2", {}, "Names"),
      rows.length ? node("ul", { class: "names-list" }, ...rows) : node("p", {}, "No names found in this brief."),
      data.offers.length ? node("ul", { class: "names-offers" }, ...data.offers.map((o) => offerView(id, o))) : null,
      node("p", { id: "names-status", role: "status", "aria-live": "polite" }));
    where.hidden = false;
  }

  function follow(event) {
    const story = event.target.closest && event.target.closest("[data-id]");
    if (story && story.dataset.id !== current) show(story.dataset.id);
  }

  // After an edit of a brief (PATCH/POST /api/briefs/ID), look again for offers.
  const plainFetch = window.fetch.bind(window);
  window.fetch = async function (input, init) {
    const response = await plainFetch(input, init);
    const url = typeof input === "string" ? input : input.url;
    const method = ((init && init.method) || "GET").toUpperCase();
    const edited = /^\/api\/briefs\/([^/?]+)$/.exec(new URL(url, window.location.href).pathname);
    if (edited && (method === "PATCH" || method === "POST") && response.ok) setTimeout(() => show(edited[1]), 0);
    return response;
  };

  document.addEventListener("focusin", follow);
  document.addEventListener("click", follow);
})();
