"""The names memory of an output folder: one English spelling per Arabic name, kept across runs.

Rows of the state database (migrations m028-m030):
  names          Arabic name (keyed as steps.names keys it: normalised, article and attached
                 conjunctions off) -> the house spelling, its source, the brief and run it came from
  name_variants  every spelling met for a name: brief, run, how many times
  name_changes   every change of a house spelling, with the one before it (nothing is lost)

Sources, strongest first: `editor` (summarizer names set, the review page), `glossary` (a run's
glossary file), `first_seen` (the first spelling a run met, when the memory had none). A run
never overwrites an editor's spelling, and a first-seen spelling never overwrites anything.
The run hands the spellings to the pipeline as plain data (runs.run); this module never
imports the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import NamedTuple

from .state import Store

SOURCES = ("editor", "glossary", "first_seen")
RANK = {s: k for k, s in enumerate(SOURCES)}


class NameRow(NamedTuple):
    """A house spelling."""

    arabic: str
    english: str
    source: str
    brief_id: str | None
    run_id: int | None
    at: str


class VariantRow(NamedTuple):
    """A spelling met for a name, in one brief of one run (run 0: an editor's act, not a run)."""

    arabic: str
    spelling: str
    brief_id: str
    run_id: int
    count: int
    at: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class NameMemory:
    """The names rows of one state database (see the module doc)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def spellings(self) -> dict[str, str]:
        """{Arabic key: house spelling}: what a run uses before its own first-seen rule."""
        return dict(self.store.query("SELECT arabic, english FROM names"))

    def rows(self) -> list[NameRow]:
        """Every house spelling, by Arabic key."""
        return [NameRow._make(r) for r in self.store.query(
            "SELECT arabic, english, source, brief_id, run_id, at FROM names ORDER BY arabic")]

    def get(self, arabic: str) -> NameRow | None:
        """The house spelling of one Arabic key."""
        rows = self.store.query("SELECT arabic, english, source, brief_id, run_id, at FROM names WHERE arabic = ?",
                                (arabic,))
        return NameRow._make(rows[0]) if rows else None

    def variants(self, arabic: str | None = None) -> list[VariantRow]:
        """Spellings met, oldest first (of one key, or all)."""
        sql = "SELECT arabic, spelling, brief_id, run_id, count, at FROM name_variants"
        args: tuple = ()
        if arabic is not None:
            sql, args = sql + " WHERE arabic = ?", (arabic,)
        return [VariantRow._make(r) for r in self.store.query(sql + " ORDER BY at, run_id, arabic, spelling", args)]

    def changes(self, arabic: str) -> list[dict]:
        """The changes of a key's house spelling, oldest first."""
        rows = self.store.query("SELECT english, previous, source, brief_id, run_id, at FROM name_changes "
                                "WHERE arabic = ? ORDER BY seq", (arabic,))
        return [dict(zip(("english", "previous", "source", "brief_id", "run_id", "at"), r)) for r in rows]

    def set(self, arabic: str, english: str, source: str = "editor", brief_id: str | None = None,
            run_id: int | None = None) -> NameRow:
        """Make `english` the house spelling of `arabic` (a key), unless a stronger source holds it:
        an editor's spelling is replaced only by an editor's. Returns the row as it stands."""
        self.write([(arabic, english, source, brief_id, run_id)])
        row = self.get(arabic)
        assert row is not None
        return row

    def write(self, rows: Iterable[tuple[str, str, str, str | None, int | None]]) -> list[str]:
        """Set many spellings in one transaction (the rule of `set`); returns the keys changed."""
        current = {r.arabic: r for r in self.rows()}
        at, upserts, log = _now(), [], []
        for arabic, english, source, brief_id, run_id in rows:
            if source not in RANK:
                raise ValueError(f"a name's source is one of {', '.join(SOURCES)}, not {source!r}")
            old = current.get(arabic)
            if old is not None and (old.english == english or RANK[source] > RANK[old.source]
                                    or source == "first_seen"):
                continue  # a weaker source, or a first-seen spelling where one is kept already
            upserts.append((arabic, english, source, brief_id, run_id, at))
            log.append((arabic, english, old.english if old else None, source, brief_id, run_id, at))
        self.store.write_all([
            ("INSERT OR REPLACE INTO names VALUES (?, ?, ?, ?, ?, ?)", upserts),
            ("INSERT INTO name_changes (arabic, english, previous, source, brief_id, run_id, at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)", log)])
        return [u[0] for u in upserts]

    def record_run(self, run_id: int, met: Mapping[str, Mapping[str, Mapping[str, int]]],
                   first_seen: Mapping[str, tuple[str, str]], glossary: Mapping[str, str]) -> list[str]:
        """What a run met: {key: {spelling: {brief: count}}}; the spellings it chose first-seen
        ({key: (spelling, brief)}) and its glossary's become house spellings where the memory has
        none stronger. Returns the keys whose house spelling this run set."""
        at = _now()
        variants = [(arabic, spelling, brief, run_id, count, at) for arabic, spellings in met.items()
                    for spelling, briefs in spellings.items() for brief, count in briefs.items()]
        self.store.write("INSERT OR REPLACE INTO name_variants VALUES (?, ?, ?, ?, ?, ?)", variants)
        chosen = [(a, e, "glossary", None, run_id) for a, e in glossary.items()]
        chosen += [(a, e, "first_seen", brief or None, run_id) for a, (e, brief) in first_seen.items()
                   if a not in glossary]
        return self.write(chosen)
