"""What the editors' review works on, library side (the review page and scripts call these; nothing
here serves or prints): a day's stories in digest order with the editors' status, order and text
laid over the machine's (desk.stories gives each story's shape); changes and undo appended to the
log (store.edits) with their author, the search index updated in the same transaction; the brief's
pages written again with the edited text.

A day is desk.days.story_day: the local calendar day a brief was made (as the digest's, status's
and search's `day`). A day's order is the digest's story order until an editor moves something;
from then on it is the order the editors left (each move logs the whole order), and briefs that
arrive after that (a late cron run) come after the ordered ones, pending, never inside what was
approved. Approving records the text approved (desk.approvals); when a later run or a later edit
changes it, the story is `changed` and out of the digest until approved again.

Bad input (a value of the wrong type or an unknown brief, field or status) raises ReviewError, a
ValueError: the page answers it with HTTP 400 (404/409 where `status` says so).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..store.edits import Change, EditRow, Edits, machine_text, model_of
from ..store.edits import text_hash as _hash
from ..store.outdir import JSONL, OutputDir, load_briefs, state_path
from ..store.state import Store
from .approvals import seen
from .days import story_day
from .digests import briefs_of_day, day_order, editors_order
from .pages import render_edited
from .requests import ReviewError, change_rows, parse_day, whole_number
from .search import index_statements
from .stories import FILTERS, day_counts, filter_counts, is_text, story, triage

ORDERS = ("digest", "attention")
# per process, keyed by (briefs.jsonl, day, its mtime and size): a day's briefs, and their digest order
_DAYS: dict[tuple, list[dict[str, Any]]] = {}
_ORDERS: dict[tuple, list[str]] = {}


def _remember(cache: dict, key: tuple, value: Any, most: int = 8) -> None:
    if len(cache) >= most:
        cache.pop(next(iter(cache)))
    cache[key] = value


def default_editor() -> str:
    """The OS user's name (the author of edits when none is given)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return "editor"


class Review:
    """The review of one output folder (see the module doc).

    Args:
        folder: an output folder of `summarizer run`.
        state: its state database (default: FOLDER/state.sqlite).
        editor: the author recorded on every change (default: the OS user).
    """

    def __init__(self, folder: str | Path, state: str | Path | None = None, editor: str | None = None) -> None:
        self.folder = Path(folder)
        if self.folder.is_file():
            raise ReviewError(f"{self.folder} is a file; review takes the output folder of a run "
                              f"(the folder that holds briefs.jsonl{', ' + str(self.folder.parent) + '?' if self.folder.name == 'briefs.jsonl' else ''})")
        self.outdir = OutputDir(self.folder)
        self.store = Store.existing(state_path(self.folder, Path(state) if state else None), self.folder)
        self.edits = Edits(self.store)
        self.editor = (editor or "").strip() or default_editor()

    def close(self) -> None:
        """Close the state database."""
        self.store.close()

    # -- reading ------------------------------------------------------------------------------
    def _briefs(self, day: date | None = None) -> list[dict[str, Any]]:
        """The folder's briefs (a day's: kept per process until briefs.jsonl changes; never changed)."""
        key = self._key(day)  # every day's (None) is kept too: the page asks for the days' counts
        if key is not None and key in _DAYS:
            return _DAYS[key]
        briefs = list(load_briefs(self.folder))
        chosen = briefs_of_day(briefs, day) if day is not None else briefs
        if key is not None:
            _remember(_DAYS, key, chosen)
        return chosen

    def _key(self, day: date | None) -> tuple | None:
        jsonl = self.folder / JSONL
        try:
            stat = jsonl.stat()
        except OSError:
            return None
        return str(jsonl.resolve()), day.isoformat() if day else None, stat.st_mtime_ns, stat.st_size

    def days(self) -> list[dict[str, Any]]:
        """Every day with briefs, newest first, with its counts (briefs, pending, approved, changed,
        rejected, edited, stale)."""
        return day_counts(self._briefs(), self.edits.current())

    def day(self, day: date | str) -> list[dict[str, Any]]:
        """The day's stories in the editors' order (else the digest's), each as desk.stories shows it."""
        day = parse_day(day)
        briefs = {b["id"]: b for b in self._briefs(day)}
        ids = self.order(day, briefs)
        current = self.edits.current(ids)
        return [story(briefs[i], current.get(i, {}), k) for k, i in enumerate(ids)]

    def order(self, day: date, briefs: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
        """The day's brief ids in the editors' order (else the digest's). The digest's order (same-story
        grouping: the costly part on a big day) is kept per process until briefs.jsonl changes."""
        key = self._key(day)
        ids = _ORDERS.get(key) if key else None
        if ids is None:
            chosen = list(briefs.values()) if briefs is not None else self._briefs(day)
            ids = [b["id"] for b in day_order(chosen, None)]
            if key is not None:
                _remember(_ORDERS, key, ids)
        return editors_order(ids, self.edits.order(day.isoformat()))

    def page(self, day: date | str, filter: str = "all", order: str = "digest", offset: Any = 0,
             limit: Any = None) -> dict[str, Any]:
        """A page of the day: {date, filter, order, offset, limit, total (stories the filter shows),
        counts ({filter: n} and rejected), briefs}. `order`: digest (the day's order) or attention."""
        day = parse_day(day)
        if filter not in FILTERS:
            raise ReviewError(f"filter must be one of {', '.join(FILTERS)}, not {filter!r}")
        if order not in ORDERS:
            raise ReviewError(f"order must be digest or attention, not {order!r}")
        offset = whole_number(offset, "offset")
        limit = None if limit in (None, "") else whole_number(limit, "limit", least=1)
        briefs = {b["id"]: b for b in self._briefs(day)}
        ids = self.order(day, briefs)
        current = self.edits.current(ids)
        triaged = [(k, triage(briefs[i], current.get(i, {}))) for k, i in enumerate(ids)]
        shown = [(k, t) for k, t in triaged if filter in t["categories"]]
        if order == "attention":
            shown.sort(key=lambda kt: -kt[1]["attention"])
        window = shown[offset:None if limit is None else offset + limit]
        return {"date": day.isoformat(), "filter": filter, "order": order, "offset": offset, "limit": limit,
                "total": len(shown), "counts": filter_counts(t for _, t in triaged),
                "briefs": [story(briefs[t["id"]], current.get(t["id"], {}), k, t) for k, t in window]}

    def counts(self, day: date | str) -> dict[str, int]:
        """How many of the day's stories each filter shows, and how many were rejected (cheap: for
        the page to update its counts after an action)."""
        day = parse_day(day)
        briefs = {b["id"]: b for b in self._briefs(day)}
        current = self.edits.current(briefs)
        return filter_counts(triage(b, current.get(i, {})) for i, b in briefs.items())

    def brief(self, brief_id: str) -> dict[str, Any]:
        """One story as the page shows it (its place in its day's order included)."""
        brief = self._load(brief_id)
        day = story_day(brief)
        fields = self.edits.current([brief_id]).get(brief_id, {})
        if day is not None:
            ids = self.order(day)
            return story(brief, fields, ids.index(brief_id) if brief_id in ids else None)
        return story(brief, fields, 0)

    story = brief

    def _load(self, brief_id: Any) -> dict[str, Any]:
        if not isinstance(brief_id, str):
            raise ReviewError(f"a brief id is text, not {brief_id!r}")
        try:
            path = self.outdir.brief_paths(brief_id)[0]
        except ValueError:
            raise ReviewError(f"no brief {brief_id!r}", 404) from None
        if not path.is_file():
            raise ReviewError(f"no brief {brief_id!r} in {self.folder}", 404)
        return json.loads(path.read_text(encoding="utf-8"))

    def preview(self, day: date | str) -> dict[str, Any]:
        """The day's digest as it would go out now, nothing written: {date, empty, reason (why it
        would not be sent, or None), reviewed (editors decided on a story: only approved ones go),
        states ({pending, approved, changed, rejected}: the day's stories), stories ([{ids, title,
        summary}] in digest order, the editors' text), markdown (the Markdown digest)}."""
        from ..render.html import digest_markdown
        from .digests import day_digest

        day = parse_day(day)
        digest, chosen = day_digest(self.outdir, day, self.edits)
        return {"date": day.isoformat(), "empty": not chosen.briefs,
                "reason": chosen.empty_reason(day) if not chosen.briefs else None, "reviewed": chosen.reviewed,
                "states": chosen.states, "stories": [{"ids": [b["id"] for b in story_.briefs],
                                                      "title": story_.lead["title"].get("en", ""),
                                                      "summary": story_.lead["summary"].get("en", "")}
                                                     for story_ in digest.ordered()],
                "markdown": digest_markdown(digest)}

    # -- changing -----------------------------------------------------------------------------
    def change(self, brief_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Apply an editor's changes: any of summary, title, sentences ({index: text}; null puts
        the machine text back), status (approving records the text as it is after this change's
        edits), position. One transaction, with the brief's search index row.

        Raises:
            ReviewError: an unknown brief, field or status, or a value of the wrong type.
        """
        if not isinstance(changes, Mapping):
            raise ReviewError("send an object: {summary, title, status, position, sentences}")
        brief = self._load(brief_id)
        rows = change_rows(brief, changes)
        if rows:
            current = self.edits.current([brief_id]).get(brief_id, {})
            after = {**current, **{f: EditRow(0, brief_id, f, c.value, None, "", None, machine=c.machine)
                                   for f, c in rows.items()}}
            if rows.get("status", Change(None)).value == "approved":
                rows["status"] = rows["status"]._replace(seen=seen(brief, after))
            texts = any(is_text(f) for f in rows)  # a decision alone changes no text: no index, no pages
            self.edits.add(brief_id, rows, _sources(brief), self.editor,
                           also=index_statements(brief, after) if texts else ())
        if "position" in changes:
            self._move(brief, changes["position"])
        if any(is_text(f) for f in rows):
            self._render(brief_id)
        return self.brief(brief_id)

    def _move(self, brief: Mapping[str, Any], position: int) -> None:
        day = story_day(brief)
        if day is None:
            return
        order = self.order(day)
        if brief["id"] not in order:
            return
        order.remove(brief["id"])
        order.insert(max(0, min(position, len(order))), brief["id"])
        self.edits.add(brief["id"], {f"order:{day.isoformat()}": Change(json.dumps(order))}, author=self.editor)

    def undo(self, brief_id: str) -> dict[str, Any]:
        """Undo the brief's latest change (ReviewError 409 when there is none)."""
        brief = self._load(brief_id)
        current = self.edits.current([brief_id]).get(brief_id, {})

        def reindex(row: EditRow) -> list:
            return index_statements(brief, {**current, row.field: row}) if is_text(row.field) else []

        row = self.edits.undo(brief_id, _sources(brief), self.editor, also=reindex)
        if row is None:
            raise ReviewError(f"nothing to undo on brief {brief_id}", 409)
        if is_text(row.field):  # undoing a decision or a move changes no text
            self._render(brief_id)
        return self.brief(brief_id)

    def edited_texts(self, since: date | None = None) -> list[dict[str, Any]]:
        """Every text an editor changed and kept (an undone edit is not one): the brief, field, day of
        the edit, its author, the model that made the machine text the editor corrected, that machine
        text (not the machine text now: a later run may have changed it), the editor's text, and
        whether the edit is stale."""
        rows = []
        for brief_id, fields in self.edits.current().items():
            texts = {f: r for f, r in fields.items() if is_text(f) and r.value is not None
                     and (since is None or r.at[:10] >= since.isoformat())}
            if not texts:
                continue
            try:
                brief = self._load(brief_id)
            except ReviewError:
                continue  # a brief whose files are gone
            for field, row in texts.items():
                now = machine_text(brief, field)
                stale = row.machine_hash != _hash(now)
                rows.append({"brief": brief_id, "field": field, "day": row.at[:10], "author": row.author,
                             "model": row.model or (None if stale else model_of(brief, field)),
                             "machine": row.machine if row.machine is not None else now,
                             "edited": row.value, "stale": stale})
        return rows

    def history(self, brief_id: str) -> list[dict[str, Any]]:
        """The brief's log, oldest first (an approval's `seen` as an object)."""
        self._load(brief_id)
        return [{**row._asdict(), "seen": json.loads(row.seen) if row.seen else None}
                for row in self.edits.history(brief_id)]

    def _render(self, brief_id: str) -> None:
        render_edited(self.outdir, self.edits, self._load(brief_id))


def _sources(brief: Mapping[str, Any]) -> dict[int, str]:
    return {k: s.get("ar", "") for k, s in enumerate(brief.get("sentences") or [])}


