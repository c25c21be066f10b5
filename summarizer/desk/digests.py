"""Digest files of an output folder: the day's digest in the forms newsletter tools take.

For a day D (by default today, in local time), the briefs made that day become:
  digest-D.html   e-mail-safe HTML (table layout, inline styles, 600 px wide), kept under 102 KB
                  (Gmail clips larger messages): stories that do not fit are left out, with a note
                  saying where they are
  digest-D.md     Markdown, every story
  digest-D.txt    plain text, every story (the alternative part of an e-mail)
  digest.html, digest.md   copies of the latest day's, at a stable address
  digest.xml      an Atom feed of the last 14 dated digests (feed-to-email services send it as is)

A day with nothing to send (no story made that day; or, once editors decided on that day's
stories, none approved as it reads now) writes nothing and leaves the Atom feed as it was:
EmptyDigest, which `summarizer digest` turns into one line and exit code 3 (EXIT_EMPTY);
`allow_empty` (`--allow-empty`) writes the empty digest anyway. Empty digests an older version
wrote are left out of the Atom feed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import SummarizerError
from ..render.atom import DigestEntry, digests_atom
from ..render.digest import Digest, build_digest, trimmed
from ..render.html import digest_html, digest_markdown, digest_text
from ..store.atomic import atomic_write
from ..store.edits import EditRow, Edits, overlay
from ..store.outdir import DIGEST_HTML, DIGEST_MD, OutputDir, load_briefs
from .days import story_day
from .stories import state_of

EMAIL_LIMIT = 102_000  # bytes: Gmail clips a message over 102 KB
ATOM_FILE = "digest.xml"
ATOM_ENTRIES = 14
DATED_RE = re.compile(r"^digest-(\d{4}-\d{2}-\d{2})\.html$")


def briefs_of_day(briefs: Iterable[Mapping[str, Any]], day: date) -> list[Mapping[str, Any]]:
    """The briefs of a day (desk.days.story_day: the local day each was made)."""
    return [b for b in briefs if story_day(b) == day]


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
    by_id = {b["id"]: b for b in story}
    return [by_id[i] for i in editors_order([b["id"] for b in story], order)]


def editors_order(ids: list[str], order: list[str] | None) -> list[str]:
    """Ids in the digest's order (`ids`) rearranged by the editors' `order`: those it names in its
    order, then the others (a late run's) in the digest's."""
    if not order:
        return list(ids)
    place = {brief_id: k for k, brief_id in enumerate(order)}
    return sorted(ids, key=lambda i: (0, place[i]) if i in place else (1, 0))


@dataclass(frozen=True)
class Selection:
    """What a day's digest carries: `briefs` (with the editors' text), `reviewed` (editors decided
    on some story of the day: only approved ones go out), and the day's stories by state."""

    briefs: list[Mapping[str, Any]]
    reviewed: bool
    states: dict[str, int]

    def empty_reason(self, day: date) -> str:
        """Why the day has nothing to send (one line)."""
        if not self.reviewed:
            return f"no stories made on {day.isoformat()}"
        parts = [f"{n} {'changed since approval: approve again' if s == 'changed' else s}"
                 for s, n in self.states.items() if n]
        return f"no approved stories on {day.isoformat()} ({', '.join(parts)})"


def editors_selection(briefs: list[Mapping[str, Any]], current: Mapping[str, Mapping[str, EditRow]],
                      order: list[str] | None = None) -> Selection:
    """What a day's digest shows: once editors decided on any story of the day (approved or
    rejected it), only the stories approved *as they read now* (desk.approvals: a story whose text
    changed since its approval is left out until approved again), in the editors' order (`order`,
    else the digest's); before that, every story. Editors' text always stands in for the machine's."""
    states = {name: 0 for name in ("pending", "approved", "changed", "rejected")}
    chosen = []
    for brief in day_order(briefs, order):
        fields = current.get(brief["id"], {})
        state = state_of(brief, fields)[0]
        states[state] += 1
        if state == "approved":
            chosen.append(overlay(brief, fields)[0])
    reviewed = states["approved"] + states["changed"] + states["rejected"] > 0
    if not reviewed:
        chosen = [overlay(b, current.get(b["id"], {}))[0] for b in briefs]
    return Selection(chosen, reviewed, states)


class EmptyDigest(SummarizerError):
    """A day with nothing to send: no file written, no Atom entry (the CLI exits EXIT_EMPTY)."""

    status = 409


EXIT_EMPTY = 3  # `summarizer digest` (and the review page's digest): the day had nothing to send


def folder_edits(folder: Path) -> Edits | None:
    """The editors' log of a folder (None when it has no state yet); close its store when done."""
    from ..store.outdir import state_path
    from ..store.state import Store

    path = state_path(folder)
    return Edits(Store(path)) if path.is_file() else None


def day_selection(outdir: OutputDir, day: date, edits: Edits | None = None) -> Selection:
    """The day's selection (editors_selection) from the folder's briefs and editors' log."""
    current, order = (edits.current(), edits.order(day.isoformat())) if edits is not None else ({}, None)
    return editors_selection(briefs_of_day(load_briefs(outdir.root), day), current, order)


def day_digest(outdir: OutputDir, day: date, edits: Edits | None = None, group_by: str = "date",
               title: str | None = None) -> tuple[Digest, Selection]:
    """The day's digest as it would go out (nothing written: the page's preview), and its selection."""
    chosen = day_selection(outdir, day, edits)
    return build_digest(chosen.briefs, group_by="order" if chosen.reviewed else group_by,
                        title=title or f"News digest, {day.isoformat()}"), chosen


def write_day(outdir: OutputDir, day: date | None = None, group_by: str = "date",
              title: str | None = None, edits: Edits | None = None, allow_empty: bool = False) -> list[Path]:
    """Write the day's digest files, the stable copies and the Atom feed; returns the paths written.

    `edits` is the folder's editors' log (store.edits); once editors decided on a story of the day,
    the digest holds only the stories approved as they read now, in the editors' order, with their
    text (editors_selection).

    Raises:
        EmptyDigest: nothing to send that day (no file written, the Atom feed untouched), unless
            `allow_empty`.
    """
    day = day or datetime.now().astimezone().date()
    digest, chosen = day_digest(outdir, day, edits, group_by, title)
    if not chosen.briefs and not allow_empty:
        raise EmptyDigest(f"{chosen.empty_reason(day)}; no digest written")
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
    for day, path in dated:
        html = path.read_text(encoding="utf-8")
        stories = re.search(r"(\d+) stories from (\d+) articles", html)
        if stories and stories.group(1) == "0":
            continue  # an empty digest (an older version wrote them): no newsletter to send
        if len(entries) == ATOM_ENTRIES:
            break
        entries.append(DigestEntry(
            day=day, title=f"News digest, {day}" + (f" ({stories.group(1)} stories)" if stories else ""),
            href=path.name, html=html,
            updated=datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")))
    feed_id = "urn:summarizer:digests:" + hashlib.sha1(str(outdir.root.resolve()).encode()).hexdigest()[:16]
    return digests_atom(entries, feed_id, title or "News digests")


def write_all(briefs_folder: Path, target: Path, group_by: str = "date", title: str | None = None,
              day: date | None = None, allow_empty: bool = False) -> Digest:
    """Every brief of a folder (or of one day, when `day` is given: the editors' selection) in one
    digest file (.html, .md or .txt by the target's suffix). EmptyDigest when there is nothing to
    put in it, unless `allow_empty`."""
    briefs = list(load_briefs(briefs_folder))
    log = folder_edits(briefs_folder)
    try:
        edits = log.current() if log else {}
        order = log.order(day.isoformat()) if log and day else None
    finally:
        if log is not None:
            log.store.close()
    reviewed = False
    if day is not None:
        chosen = editors_selection(briefs_of_day(briefs, day), edits, order)
        briefs, reviewed = chosen.briefs, chosen.reviewed
        title = title or f"News digest, {day.isoformat()}"
        if not briefs and not allow_empty:
            raise EmptyDigest(f"{chosen.empty_reason(day)}; no digest written")
    else:
        briefs = [overlay(b, edits.get(b["id"], {}))[0] for b in briefs]
        if not briefs and not allow_empty:
            raise EmptyDigest(f"no briefs in {briefs_folder}; no digest written")
    digest = build_digest(briefs, group_by="order" if reviewed else group_by, title=title)
    suffix = target.suffix.lower()
    text = digest_markdown(digest) if suffix in (".md", ".markdown") else digest_text(digest) if suffix == ".txt" \
        else digest_html(digest)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text)
    return digest
