"""Digest files of an output folder: the day's digest in the forms newsletter tools take.

For a day D (by default today, in local time), the briefs made that day become:
  digest-D.html   e-mail-safe HTML (table layout, inline styles, 600 px wide), kept under 102 KB
                  (Gmail clips larger messages): stories that do not fit are left out, with a note
                  saying where they are
  digest-D.md     Markdown, every story
  digest-D.txt    plain text, every story (the alternative part of an e-mail)
  digest.html, digest.md   copies of the latest day's, at a stable address
  digest.xml      an Atom feed of the last 14 dated digests (feed-to-email services send it as is)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from ..render.atom import DigestEntry, digests_atom
from ..render.digest import Digest, build_digest, trimmed
from ..render.html import digest_html, digest_markdown, digest_text
from ..store.atomic import atomic_write
from ..store.edits import EditRow, Edits, overlay
from ..store.outdir import DIGEST_HTML, DIGEST_MD, OutputDir, load_briefs

EMAIL_LIMIT = 102_000  # bytes: Gmail clips a message over 102 KB
ATOM_FILE = "digest.xml"
ATOM_ENTRIES = 14
DATED_RE = re.compile(r"^digest-(\d{4}-\d{2}-\d{2})\.html$")
_NONE = EditRow(0, "", "status", None, None, "", None)


def local_day(created_at: str) -> date | None:
    """The local calendar day of an ISO 8601 timestamp (briefs record UTC)."""
    try:
        stamp = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)).astimezone().date()


def briefs_of_day(briefs: Iterable[Mapping[str, Any]], day: date) -> list[Mapping[str, Any]]:
    """The briefs made on a day."""
    return [b for b in briefs if local_day(b.get("created_at", "")) == day]


def email_html(digest: Digest, limit: int = EMAIL_LIMIT, rest: str = "") -> str:
    """The digest's HTML, with as many stories as fit under `limit` bytes (the rest named in a note)."""
    html = digest_html(digest)
    if len(html.encode("utf-8")) <= limit:
        return html
    stories = digest.ordered()
    low, high = 0, len(stories)
    while low < high:  # the most stories that still fit
        mid = (low + high + 1) // 2
        candidate = digest_html(trimmed(digest, mid, _note(len(stories) - mid, rest)))
        low, high = (mid, high) if len(candidate.encode("utf-8")) <= limit else (low, mid - 1)
    return digest_html(trimmed(digest, low, _note(len(stories) - low, rest)))


def _note(missing: int, rest: str) -> str:
    return f"{missing} more {'story is' if missing == 1 else 'stories are'} left out to keep this e-mail under " \
           f"102 KB; every story is in {rest or 'the Markdown and text digests'}."


def day_order(briefs: list[Mapping[str, Any]], order: list[str] | None) -> list[Mapping[str, Any]]:
    """A day's briefs in the editors' order, the briefs it does not name after them (a late run's),
    each part in the digest's story order."""
    story = [b for s in build_digest(briefs).ordered() for b in s.briefs]
    if not order:
        return story
    place = {brief_id: k for k, brief_id in enumerate(order)}
    return sorted(story, key=lambda b: (0, place[b["id"]]) if b["id"] in place else (1, 0))


def editors_selection(briefs: list[Mapping[str, Any]], current: Mapping[str, Mapping[str, EditRow]],
                      order: list[str] | None = None) -> tuple[list[Mapping[str, Any]], bool]:
    """What a day's digest shows: with approvals, only the approved briefs, in the editors' order
    (`order`, else the digest's); otherwise every brief. Editors' text always stands in for the
    machine's. Returns (briefs, approved?)."""
    shown = {b["id"]: overlay(b, current.get(b["id"], {}))[0] for b in briefs}
    approved = [b for b in day_order(briefs, order)
                if (current.get(b["id"], {}).get("status") or _NONE).value == "approved"]
    if not approved:
        return [shown[b["id"]] for b in briefs], False
    return [shown[b["id"]] for b in approved], True


def folder_edits(folder: Path) -> Edits | None:
    """The editors' log of a folder (None when it has no state yet); close its store when done."""
    from ..store.outdir import state_path
    from ..store.state import Store

    path = state_path(folder)
    return Edits(Store(path)) if path.is_file() else None


def write_day(outdir: OutputDir, day: date | None = None, group_by: str = "date",
              title: str | None = None, edits: Edits | None = None) -> list[Path]:
    """Write the day's digest files, the stable copies and the Atom feed; returns the paths written.

    `edits` is the folder's editors' log (store.edits); when the day has approved briefs, the digest
    holds only those, in the editors' order, with their text.
    """
    day = day or datetime.now().astimezone().date()
    current, order = (edits.current(), edits.order(day.isoformat())) if edits is not None else ({}, None)
    chosen, approved = editors_selection(briefs_of_day(load_briefs(outdir.root), day), current, order)
    digest = build_digest(chosen, group_by="order" if approved else group_by,
                          title=title or f"News digest, {day.isoformat()}")
    stem = f"digest-{day.isoformat()}"
    paths = {ext: outdir.path(f"{stem}.{ext}") for ext in ("html", "md", "txt")}
    atomic_write(paths["html"], email_html(digest, rest=f"{stem}.md and {stem}.txt"))
    atomic_write(paths["md"], digest_markdown(digest))
    atomic_write(paths["txt"], digest_text(digest))
    if _latest_day(outdir) == day.isoformat():
        for ext, stable in (("html", DIGEST_HTML), ("md", DIGEST_MD)):
            atomic_write(outdir.path(stable), paths[ext].read_bytes())
    atom = outdir.path(ATOM_FILE)
    atomic_write(atom, _atom(outdir, title))
    return [*paths.values(), outdir.path(DIGEST_HTML), outdir.path(DIGEST_MD), atom]


def _latest_day(outdir: OutputDir) -> str | None:
    days = [m.group(1) for m in (DATED_RE.match(p.name) for p in outdir.root.iterdir()) if m]
    return max(days) if days else None


def _atom(outdir: OutputDir, title: str | None) -> str:
    dated = sorted(((m.group(1), p) for p in outdir.root.iterdir() if (m := DATED_RE.match(p.name))), reverse=True)
    entries = []
    for day, path in dated[:ATOM_ENTRIES]:
        html = path.read_text(encoding="utf-8")
        stories = re.search(r"(\d+) stories from (\d+) articles", html)
        entries.append(DigestEntry(
            day=day, title=f"News digest, {day}" + (f" ({stories.group(1)} stories)" if stories else ""),
            href=path.name, html=html,
            updated=datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")))
    feed_id = "urn:summarizer:digests:" + hashlib.sha1(str(outdir.root.resolve()).encode()).hexdigest()[:16]
    return digests_atom(entries, feed_id, title or "News digests")


def write_all(briefs_folder: Path, target: Path, group_by: str = "date", title: str | None = None,
              day: date | None = None) -> Digest:
    """Every brief of a folder (or of one day, when `day` is given: the editors' selection when the
    day has approvals) in one digest file (.html, .md or .txt by the target's suffix)."""
    briefs = list(load_briefs(briefs_folder))
    log = folder_edits(briefs_folder)
    try:
        edits = log.current() if log else {}
        order = log.order(day.isoformat()) if log and day else None
    finally:
        if log is not None:
            log.store.close()
    approved = False
    if day is not None:
        briefs, approved = editors_selection(briefs_of_day(briefs, day), edits, order)
        title = title or f"News digest, {day.isoformat()}"
    else:
        briefs = [overlay(b, edits.get(b["id"], {}))[0] for b in briefs]
    digest = build_digest(briefs, group_by="order" if approved else group_by, title=title)
    suffix = target.suffix.lower()
    text = digest_markdown(digest) if suffix in (".md", ".markdown") else digest_text(digest) if suffix == ".txt" \
        else digest_html(digest)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text)
    return digest

