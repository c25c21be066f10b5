"""The run report: counts, per-article status and error, models with revisions, timings.

Per-article entries go to the state store as they come (memory stays flat over long runs)
and are streamed into run-report.json at the end.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..store.attempts import ERROR, FINISHED, INTERRUPTED, NOT_STARTED
from ..store.state import ItemRow, Store
from ..types import SCHEMA_VERSION, Brief, Failure
from ..version import __version__


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class RunReport:
    """Collects what a run did.

    Args:
        store: the state store that keeps per-article entries.
        run_id: this run's id in the store.
        inputs: the inputs as given.
        out: the output folder.
        profile: the profile name.
    """

    FLUSH_EVERY = 200

    def __init__(self, store: Store, run_id: int, inputs: list[str], out: str, profile: str) -> None:
        self.store = store
        self.run_id = run_id
        self.inputs = inputs
        self.out = out
        self.profile = profile
        self.started_at = _now()
        self._t0 = time.perf_counter()
        self._pending: list[ItemRow] = []
        self.seq = 0
        self.counts = {"new": 0, "skipped": 0, "failed": 0}
        self.sentences = 0
        self.timings_ms = {"clean": 0, "translate": 0, "summarize": 0}
        self.models: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}
        self.interrupted: str | None = None
        self.error: str | None = None  # a run-stopping error (a model that cannot load)
        self.error_code = 2  # the exit code that error means (70 for an internal error, 75 for the lock)
        self.path: Path | None = None  # run-report.json, once written
        self.started = False  # the inputs started to flow (False: the run failed before starting)
        self.total: int | None = None  # items expected (None: unknown, e.g. stdin or feeds)
        self.given_up: list[str] = []  # refs given up in this run (their last allowed attempt failed)
        self.failures: dict[str, int] = {}  # the folder's failures after this run: unresolved, given_up

    def add(self, result: Brief | Failure, origin: Mapping[str, Any] | None = None) -> None:
        """Record one result of the pipeline (`origin`: where a web item came from, kept for retry)."""
        if isinstance(result, Brief):
            self.counts["new"] += 1
            self.sentences += len(result.sentences)
            for stage in self.timings_ms:
                self.timings_ms[stage] += int(result.timings_ms.get(stage, 0))
            row = ItemRow(self.seq, result.source.get("ref") or "", result.id, "new", None, None,
                          json.dumps(list(result.checks.get("flags", []))))
        else:
            self.counts[result.status] += 1
            row = ItemRow(self.seq, result.ref, result.id, result.status, result.stage, result.error, None,
                          json.dumps(dict(origin), ensure_ascii=False) if origin else None)
        self.seq += 1
        self._pending.append(row)
        if len(self._pending) >= self.FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write buffered entries to the store."""
        if self._pending:
            self.store.add_items(self.run_id, self._pending)
            self._pending = []

    @property
    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.perf_counter() - self._t0

    @property
    def exit_code(self) -> int:
        """The process's exit code: 2 (or 70) after a run-stopping error, 130/143 when interrupted by
        SIGINT/SIGTERM, 1 when some article failed, else 0."""
        if self.error is not None:
            return self.error_code
        if self.interrupted == "SIGINT":
            return 130
        if self.interrupted == "SIGTERM":
            return 143
        return 1 if self.counts["failed"] else 0

    @property
    def outcome(self) -> str:
        """How the run ended (store.attempts.OUTCOMES)."""
        if not self.started:
            return NOT_STARTED
        if self.error is not None:
            return ERROR
        return INTERRUPTED if self.interrupted else FINISHED

    @property
    def not_reached(self) -> int | None:
        """Items never reached because the run stopped early (None: the total is unknown)."""
        if self.outcome == FINISHED:
            return 0
        return max(0, self.total - self.seq) if self.total is not None else None

    def summary(self) -> dict[str, Any]:
        """What the state keeps of this attempt (store.attempts)."""
        return {"outcome": self.outcome, "started": self.started, "total": self.total, "items": self.seq,
                "not_reached": self.not_reached, "counts": dict(self.counts), "given_up": len(self.given_up),
                "failures": dict(self.failures),
                "error": self.error, "interrupted": self.interrupted,
                "timings_ms": {**self.timings_ms, "wall": int(self.elapsed * 1000)}}

    def header(self) -> dict[str, Any]:
        """Everything but the per-article entries."""
        return {
            "schema": SCHEMA_VERSION, "tool": f"summarizer {__version__}", "run_id": self.run_id,
            "started_at": self.started_at, "finished_at": _now(), "elapsed_s": round(self.elapsed, 3),
            "inputs": self.inputs, "out": self.out, "profile": self.profile, "models": self.models,
            "counts": {"items": self.seq, **self.counts},
            "timings_ms": {**self.timings_ms, "wall": int(self.elapsed * 1000)},
            **self.extra, "outcome": self.outcome, "total": self.total, "not_reached": self.not_reached,
            "given_up": self.given_up, "failures": self.failures,
            "interrupted": self.interrupted, "error": self.error, "exit_code": self.exit_code,
        }

    def articles(self) -> Iterator[Mapping[str, Any]]:
        """Per-article entries, in input order, read back from the store."""
        self.flush()
        for row in self.store.items(self.run_id):
            entry: dict[str, Any] = {"ref": row.ref, "id": row.id, "status": row.status}
            if row.status == "new":
                entry["flags"] = json.loads(row.flags or "[]")
            else:
                entry.update(stage=row.stage, error=row.error)
            yield entry
