"""Search an output folder's briefs (the library's `summarizer.search`, and the CLI's and the review
page's): the query is parsed, run on the FTS5 index in the folder's state database, and each hit gets
a highlighted snippet read from its brief. An index made before briefs existed in the folder (a folder
from an older version) is built once, from briefs.jsonl, before the first search."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..search.index import CLEAR, Filters, index_row, search_sql, write_statements
from ..search.query import QueryError, parse
from ..search.snippets import snippet
from ..store.edits import EditRow, Edits, machine_text, overlay
from ..store.outdir import OutputDir, load_briefs, state_path
from ..store.state import Store
from .days import published_day, story_day


class BadQuery(ConfigError):
    """A search query that cannot be read (exit code 2); the message says what to change."""


@dataclass(frozen=True)
class Hit:
    """One brief found: where it is, how well it matched, and the snippet that shows why."""

    id: str
    title: str
    title_ar: str
    date: str | None
    source: str | None
    score: float
    exact: bool
    snippet: str
    marks: tuple[tuple[int, int], ...]
    matched: str  # "ar" (the source side) or "en"
    path: str  # the brief's HTML page
    by: str = "machine"  # whose text matched: "machine", or "editor" (a correction made on the review page)
    day: str | None = None  # the review day (desk.days.story_day): the day the review opens the story on
    published: str | None = None  # the date the article carries
    title_machine: str = ""  # the machine's title, when an editor changed it

    def to_dict(self) -> dict[str, Any]:
        """As `summarizer search --json` prints it."""
        return {"id": self.id, "title": self.title, "title_ar": self.title_ar, "date": self.date,
                "source": self.source, "score": round(self.score, 4), "exact": self.exact, "snippet": self.snippet,
                "marks": [list(m) for m in self.marks], "matched": self.matched, "path": self.path, "by": self.by,
                "day": self.day, "published": self.published, "title_machine": self.title_machine}


def search(folder: str | Path, query: str, *, lang: str = "any", since: str | None = None, until: str | None = None,
           source: str | None = None, limit: int = 20, state: str | Path | None = None) -> list[Hit]:
    """The briefs of `folder` that match `query`, best first (see search.query for the query language).

    Args:
        folder: an output folder of `summarizer run`.
        query: what to find.
        lang: "ar" (the source side), "en" (the English side) or "any".
        since, until: dates (YYYY-MM-DD) the brief's date must lie within.
        source: part of the source's name (case ignored).
        limit: most hits (a whole number >= 1).
        state: the state database (default: FOLDER/state.sqlite).

    Raises:
        BadQuery: the query cannot be read (unclosed quote, bare operator, nothing to find).
        ConfigError: no state in the folder, or a bad option.
    """
    if lang not in ("ar", "en", "any"):
        raise ConfigError(f"--lang must be ar, en or any, not {lang!r}")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ConfigError(f"--limit must be a whole number >= 1, not {limit!r}")
    try:
        parsed = parse(query)
    except QueryError as exc:
        raise BadQuery(f"the query cannot be read: {exc}") from None
    folder = Path(folder)
    store = Store.existing(state_path(folder, Path(state) if state else None), folder)
    try:
        if not _complete(store):
            reindex_store(store, folder)
        planned = search_sql(parsed, Filters(lang, since, until, source, limit))
        rows = store.query(*planned) if planned else []
        edits = Edits(store).current(row[0] for row in rows) if rows else {}
    finally:
        store.close()
    outdir = OutputDir(folder)
    return [_hit(outdir, row, parsed, lang, edits.get(row[0], {})) for row in rows]


def _hit(outdir: OutputDir, row: tuple, parsed: Any, lang: str, fields: Mapping[str, EditRow]) -> Hit:
    brief_id, date, source, _language, score, exact = row
    json_path, _, html_path = outdir.brief_paths(brief_id)
    try:
        brief = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        brief = {"id": brief_id, "title": {}}
    machine = snippet(brief, parsed, lang)
    shown_brief, edited = overlay(brief, fields) if fields and brief.get("title") else (brief, {})
    shown = snippet(shown_brief, parsed, lang) if edited else machine
    by = "editor" if edited and shown.marks and not machine.marks else "machine"
    best = shown if by == "editor" else machine
    title = shown_brief.get("title") or {}
    day = story_day(brief)
    return Hit(brief_id, str(title.get("en") or ""), str(title.get("ar") or ""), date, source, float(score),
               bool(exact), best.text, best.marks, best.lang, str(html_path), by, day.isoformat() if day else None,
               published_day(brief), str((brief.get("title") or {}).get("en") or "") if "title" in edited else "")


def searchable(brief: Mapping[str, Any], fields: Mapping[str, EditRow]) -> dict[str, Any]:
    """The brief as the index holds it: the editors' current text beside the machine's (each
    edited English field holds both), so a correction is found as well as what it corrected."""
    shown, edited = overlay(brief, fields)
    if not edited:
        return dict(brief)
    both = dict(brief)
    for field in edited:
        both_text = f"{machine_text(brief, field)}\n{machine_text(shown, field)}"
        if field in ("title", "summary"):
            both[field] = {**(brief.get(field) or {}), "en": both_text}
        else:
            k = int(field[9:])
            sentences = both["sentences"] = list(both.get("sentences") or [])
            sentences[k] = {**sentences[k], "en": both_text}
    return both


def index_statements(brief: Mapping[str, Any], fields: Mapping[str, EditRow]) -> list[tuple[str, list[tuple]]]:
    """The statements that put a brief in the search index with its editors' text (for the
    transaction of an edit, or of a run that makes the brief again)."""
    return [(sql, [args]) for sql, args in write_statements(index_row(searchable(brief, fields)))]


def _complete(store: Store) -> bool:
    return bool(store.query("SELECT 1 FROM search_meta WHERE key = 'complete'"))


def reindex_store(store: Store, folder: Path) -> int:
    """Build the index again from briefs.jsonl, in one transaction (streamed: memory stays flat);
    returns the number of briefs indexed."""
    count = 0
    edits = Edits(store).current()
    with store.transaction() as db:
        for sql in CLEAR:
            db.execute(sql)
        for brief in load_briefs(folder):
            for sql, args in write_statements(index_row(searchable(brief, edits.get(brief["id"], {})))):
                db.execute(sql, args)
            count += 1
        db.execute("INSERT OR REPLACE INTO search_meta VALUES ('complete', '1')")
    return count


def reindex(folder: str | Path, state: str | Path | None = None) -> int:
    """`summarizer search DIR --reindex`: the index of a folder rebuilt from its briefs.jsonl."""
    folder = Path(folder)
    store = Store.existing(state_path(folder, Path(state) if state else None), folder)
    try:
        return reindex_store(store, folder)
    finally:
        store.close()
