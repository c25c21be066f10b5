"""The folder's metrics in the Prometheus text format, for node_exporter's textfile collector.

Written atomically (a temporary file in the same folder, renamed over FILE: the collector reads whole
files only, and only those named *.prom). Every metric is a gauge with a `folder` label; see
docs/operations.md for their meaning and an alert rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

from ..store.atomic import atomic_write
from .status import folder_status

STAGES = ("clean", "translate", "summarize", "wall")


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    """A sample value, exact (a Unix time keeps every digit: never 1.8e+09)."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _epoch(stamp: str | None) -> float | None:
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def render_metrics(status: Mapping[str, Any], timings_ms: Mapping[str, int] | None = None) -> str:
    """The exposition text of a folder's status (desk.status.folder_status)."""
    folder = f'folder="{_escape(str(Path(status["folder"]).resolve()))}"'
    last = status.get("last_attempt") or {}
    counts = status["counts"]
    timings = dict(timings_ms or last.get("timings_ms") or {})
    lines: list[str] = []

    def gauge(name: str, help_text: str, samples: list[tuple[str, float | None]]) -> None:
        kept = [(labels, value) for labels, value in samples if value is not None]
        if not kept:
            return
        lines.extend([f"# HELP summarizer_{name} {help_text}", f"# TYPE summarizer_{name} gauge"])
        lines.extend(f"summarizer_{name}{{{folder}{labels}}} {_number(value)}" for labels, value in kept)

    gauge("articles_done", "Articles of the folder with a brief.", [("", counts["done"])])
    gauge("failures_unresolved", "Inputs that failed and neither succeeded since nor were given up.",
          [("", counts["failed"])])
    gauge("inputs_given_up", "Inputs given up after --max-attempts failed runs (skipped until they change).",
          [("", counts["given_up"])])
    gauge("articles_pending", "Articles a killed run took up and did not finish.", [("", counts["pending"])])
    gauge("status_exit_code", "What 'summarizer status' exits with (0 ok, 1 failures, 3 did not finish, "
          "4 failed before starting).", [("", status["exit_code"])])
    gauge("last_run_exit_code", "Exit code of the last attempt (absent while it runs or after a kill).",
          [("", last.get("exit_code"))])
    gauge("last_run_items", "Items of the last attempt by outcome.",
          [(f',outcome="{k}"', v) for k, v in sorted((last.get("counts") or {}).items())])
    gauge("last_run_not_reached", "Inputs the last attempt did not reach (interrupted, killed, stopped).",
          [("", last.get("not_reached"))])
    gauge("last_run_stage_seconds", "Seconds the last attempt spent per stage (wall: the whole run).",
          [(f',stage="{s}"', timings[s] / 1000) for s in STAGES if s in timings])
    gauge("last_run_timestamp_seconds", "When the last attempt started (Unix time).",
          [("", _epoch(last.get("started_at")))])
    gauge("last_success_timestamp_seconds", "When the last attempt that exited 0 finished (Unix time).",
          [("", _epoch(status.get("last_success_at")))])
    return "\n".join(lines) + "\n"


def write_metrics(path: Path, folder: Path, state: Optional[Path] = None,
                  timings_ms: Mapping[str, int] | None = None) -> str:
    """Write the folder's metrics to `path` atomically; returns the text."""
    text = render_metrics(folder_status(folder, state), timings_ms)
    atomic_write(Path(path), text)
    return text
