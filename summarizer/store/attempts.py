"""The attempts to run a folder, as the runs table keeps them: every attempt is a row, those that
failed before starting too (a config error, a missing models file, the lock held by another run).

Each row's `summary` (JSON) says how it went: started (did the articles start to flow), total
(expected items, None when unknown), items (those reached), not_reached, counts, error, outcome.
A row with no finish time is a run still running or one that was killed (kill -9, a power cut).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, NamedTuple

from .state import Store


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

# How an attempt ended (status maps them to its verdict and exit code; docs/operations.md)
FINISHED = "finished"  # every input was reached (some may have failed)
INTERRUPTED = "interrupted"  # SIGINT/SIGTERM: stopped taking new inputs
ERROR = "error"  # started, then stopped by an error (a model that cannot load, the disk, a bug)
NOT_STARTED = "not_started"  # failed before any input was read (config, models file, lock, offline model)
UNFINISHED = "unfinished"  # no finish recorded: killed, or still running
OUTCOMES = (FINISHED, INTERRUPTED, ERROR, NOT_STARTED, UNFINISHED)


class AttemptRow(NamedTuple):
    """One attempt to run the folder."""

    run_id: int
    started_at: str
    finished_at: str | None
    exit_code: int | None
    settings: dict
    summary: dict

    @property
    def outcome(self) -> str:
        """One of OUTCOMES (rows from before summaries are judged by their exit code)."""
        if self.finished_at is None:
            return UNFINISHED
        if self.summary.get("outcome") in OUTCOMES:
            return str(self.summary["outcome"])
        return {0: FINISHED, 1: FINISHED, 130: INTERRUPTED, 143: INTERRUPTED}.get(self.exit_code or 0, ERROR)

    @property
    def started(self) -> bool:
        """Did the inputs start to flow (False: it failed before starting)."""
        if "started" in self.summary:
            return bool(self.summary["started"])
        return self.finished_at is None or self.outcome != NOT_STARTED

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for status."""
        s = self.summary
        return {"run_id": self.run_id, "started_at": self.started_at, "finished_at": self.finished_at,
                "exit_code": self.exit_code, "outcome": self.outcome, "started": self.started,
                "profile": self.settings.get("profile"), "error": s.get("error"), "interrupted": s.get("interrupted"),
                "counts": s.get("counts"), "total": s.get("total"), "items": s.get("items"),
                "not_reached": s.get("not_reached"), "timings_ms": s.get("timings_ms")}


_SELECT = "SELECT run_id, started_at, finished_at, exit_code, settings, summary FROM runs"


def _row(values: tuple) -> AttemptRow:
    return AttemptRow(values[0], values[1], values[2], values[3], json.loads(values[4] or "{}"),
                      json.loads(values[5] or "{}"))


def record_attempt(store: Store, settings: dict[str, Any]) -> int:
    """Register an attempt that found the folder locked (the running run's state is left alone)."""
    with store.transaction() as db:
        cur = db.execute("INSERT INTO runs (started_at, settings) VALUES (?, ?)",
                         (_now(), json.dumps(settings, ensure_ascii=False, default=str)))
        return int(cur.lastrowid or 0)


def set_summary(store: Store, run_id: int, summary: dict[str, Any]) -> None:
    """Record what is known of an attempt so far (kept when it is killed)."""
    store.write("UPDATE runs SET summary = ? WHERE run_id = ?", [(json.dumps(summary, ensure_ascii=False), run_id)])


def attempts(store: Store, limit: int = 20) -> list[AttemptRow]:
    """The latest attempts, newest first."""
    return [_row(r) for r in store.query(f"{_SELECT} ORDER BY run_id DESC LIMIT ?", (limit,))]


def last_attempt(store: Store) -> AttemptRow | None:
    """The latest attempt of any kind, or None."""
    rows = attempts(store, 1)
    return rows[0] if rows else None


def last_completed(store: Store) -> AttemptRow | None:
    """The latest attempt that reached every input (outcome finished), or None."""
    for row in (_row(r) for r in store.query(f"{_SELECT} WHERE finished_at IS NOT NULL ORDER BY run_id DESC")):
        if row.outcome == FINISHED:
            return row
    return None


def last_started(store: Store) -> AttemptRow | None:
    """The latest attempt whose inputs started to flow (its settings are those `retry` reuses), or None."""
    for row in (_row(r) for r in store.query(f"{_SELECT} ORDER BY run_id DESC")):
        if row.started:
            return row
    return None


def last_success_at(store: Store) -> str | None:
    """When the latest attempt that exited 0 finished, or None."""
    rows = store.query("SELECT finished_at FROM runs WHERE exit_code = 0 ORDER BY run_id DESC LIMIT 1")
    return rows[0][0] if rows else None
