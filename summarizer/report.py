"""The run report: counts, per-article status and error, models with revisions, timings."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from . import __version__
from .types import Brief, Failure, SCHEMA_VERSION


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class RunReport:
    """Collects what a run did; `to_dict` gives run-report.json.

    Args:
        inputs: the inputs as given.
        out: the output folder.
        profile: the profile name.
    """

    def __init__(self, inputs: Iterable[str], out: str, profile: str) -> None:
        self.inputs = list(inputs)
        self.out = out
        self.profile = profile
        self.started_at = _now()
        self._t0 = time.perf_counter()
        self.articles: list[dict[str, Any]] = []
        self.counts = {"done": 0, "failed": 0, "skipped": 0}
        self.timings_ms = {"clean": 0, "translate": 0, "summarize": 0}
        self.models: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}
        self.interrupted: str | None = None

    def add(self, result: Brief | Failure) -> None:
        """Record one result of the pipeline."""
        if isinstance(result, Brief):
            self.counts["done"] += 1
            self.articles.append({"ref": result.source.get("ref"), "id": result.id, "status": "done",
                                  "flags": list(result.checks.get("flags", []))})
            for stage in self.timings_ms:
                self.timings_ms[stage] += int(result.timings_ms.get(stage, 0))
        else:
            self.counts[result.status] += 1
            self.articles.append({"ref": result.ref, "id": result.id, "status": result.status,
                                  "stage": result.stage, "error": result.error})

    def set_models(self, infos: Mapping[str, Mapping[str, Any]]) -> None:
        """Record the models the run loaded (name -> info with id, revision, engine)."""
        self.models = {name: dict(info) for name, info in infos.items()}

    @property
    def exit_code(self) -> int:
        """0 when no article failed, 1 otherwise (130/143 when interrupted)."""
        if self.interrupted == "SIGINT":
            return 130
        if self.interrupted == "SIGTERM":
            return 143
        return 1 if self.counts["failed"] else 0

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        elapsed = time.perf_counter() - self._t0
        return {
            "schema": SCHEMA_VERSION, "tool": f"summarizer {__version__}", "started_at": self.started_at,
            "finished_at": _now(), "elapsed_s": round(elapsed, 3), "inputs": self.inputs, "out": self.out,
            "profile": self.profile, "models": self.models,
            "counts": {"items": len(self.articles), **self.counts},
            "timings_ms": {**self.timings_ms, "wall": int(elapsed * 1000)},
            **self.extra, "interrupted": self.interrupted, "exit_code": self.exit_code,
            "articles": self.articles,
        }
