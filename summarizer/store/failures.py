"""Failures that outlive a run: every input that failed stays here until it succeeds or is given up.

One row per input ref. `key` says which input it was (the article id and pipeline fingerprint, or
a digest of the input file): when an input fails again under the same key its attempts grow; under
another key (the file changed, the pipeline changed) it is a new input and counts from one. After
`max_attempts` failed attempts the input is given up: runs skip it (it no longer makes their exit
code 1) until it changes or `retry --given-up` tries it again. A success deletes the row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import NamedTuple

from .state import Store


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

UNKNOWN_KEY = ""  # rows carried over from before the table (m025): the first key met is theirs


class FailureRow(NamedTuple):
    """An input that failed and has not succeeded since."""

    ref: str
    key: str
    id: str | None
    stage: str | None
    error: str | None
    attempts: int
    first_run: int
    last_run: int
    given_up: bool
    origin: str | None  # JSON {feed, url, ...} of a web item (retry fetches it with the trust it had)

    def to_dict(self) -> dict:
        """JSON-ready, for status and reports."""
        return {"ref": self.ref, "id": self.id, "stage": self.stage, "error": self.error, "attempts": self.attempts,
                "first_run": self.first_run, "last_run": self.last_run, "given_up": self.given_up}


_COLUMNS = "ref, key, id, stage, error, attempts, first_run, last_run, given_up, origin"


def _row(values: tuple) -> FailureRow:
    return FailureRow(*values[:8], bool(values[8]), values[9])


class Failures:
    """The failures table of a state store (see the module doc)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, ref: str) -> FailureRow | None:
        """The row of one input ref, or None."""
        rows = self.store.query(f"SELECT {_COLUMNS} FROM failures WHERE ref = ?", (ref,))
        return _row(rows[0]) if rows else None

    def given_up_under(self, key: str, ref: str | None = None) -> FailureRow | None:
        """The given-up row of this input (by key; by ref too when given), or None."""
        sql = f"SELECT {_COLUMNS} FROM failures WHERE given_up = 1 AND key = ?"
        args: tuple = (key,)
        if ref is not None:
            sql, args = sql + " AND ref = ?", args + (ref,)
        rows = self.store.query(sql + " LIMIT 1", args)
        return _row(rows[0]) if rows else None

    def record(self, run_id: int, ref: str, key: str, *, id: str | None, stage: str | None, error: str | None,
               origin: str | None, max_attempts: int) -> FailureRow:
        """One more failed attempt of an input in run `run_id` (counted once per run); returns its row."""
        old = self.get(ref)
        same = old is not None and old.key in (key, UNKNOWN_KEY)
        if same and old is not None and old.last_run == run_id:
            attempts, first = old.attempts, old.first_run
        elif same and old is not None:
            attempts, first = old.attempts + 1, old.first_run
        else:
            attempts, first = 1, run_id
        row = FailureRow(ref, key, id, stage, error, attempts, first, run_id, attempts >= max(1, max_attempts),
                         origin if origin is not None else (old.origin if old else None))
        self.store.write(f"INSERT OR REPLACE INTO failures ({_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                         "?, ?, ?)", [(*row[:8], int(row.given_up), row.origin, _now())])
        return row

    def resolve(self, refs: Iterable[str]) -> None:
        """These inputs succeeded (or are done): they are failures no more."""
        self.store.write("DELETE FROM failures WHERE ref = ?", [(r,) for r in refs])

    def rows(self, given_up: bool | None = None) -> list[FailureRow]:
        """Unresolved failures (False), given-up inputs (True), or both (None), oldest first."""
        where = "" if given_up is None else f" WHERE given_up = {int(given_up)}"
        return [_row(r) for r in self.store.query(f"SELECT {_COLUMNS} FROM failures{where} ORDER BY first_run, ref")]

    def counts(self) -> dict[str, int]:
        """{"unresolved": n, "given_up": n}."""
        rows = dict(self.store.query("SELECT given_up, COUNT(*) FROM failures GROUP BY given_up"))
        return {"unresolved": int(rows.get(0, 0)), "given_up": int(rows.get(1, 0))}
