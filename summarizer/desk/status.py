"""What an output folder holds, and its verdict for a monitor: done, unresolved failures (with
reasons), given-up inputs, pending articles, the last attempt and the last completed run.

The verdict and its exit code (docs/operations.md):
  0 ok              the last attempt finished and no failure is unresolved (or a run is running now)
  1 failures        the last attempt finished, and inputs failed that are neither resolved nor given up
  3 did_not_finish  the last attempt started and did not reach the end: killed (kill -9, a power cut),
                    interrupted (SIGINT/SIGTERM), or stopped by an error after starting
  4 not_started     the last attempt failed before starting (a config error, a missing models file,
                    the lock held by another run, a model not available offline), or none was made
(2 is status's own usage error: no state in the folder, a bad option.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from ..store.attempts import FINISHED, NOT_STARTED, UNFINISHED, AttemptRow, attempts, last_completed, last_success_at
from ..store.edits import Edits
from ..store.failures import Failures
from ..store.feedstate import feed_report
from ..store.outdir import JSONL, load_briefs, lock_holder, state_path
from ..store.state import Store
from .stories import day_counts

VERDICTS = {"ok": 0, "running": 0, "failures": 1, "did_not_finish": 3, "not_started": 4}


def verdict(last: AttemptRow | None, unresolved: int, holder: int | None) -> tuple[str, str]:
    """(verdict, one line saying why) of a folder's last attempt."""
    if last is None:
        return "not_started", "no attempt recorded"
    if holder is not None and last.outcome in (UNFINISHED, NOT_STARTED):
        return "running", f"a run is running now (pid {holder or '?'})"
    what = f"attempt #{last.run_id}"
    if last.outcome == NOT_STARTED:
        return "not_started", f"{what} failed before starting (exit {last.exit_code}): {last.summary.get('error')}"
    if last.outcome == UNFINISHED:
        return "did_not_finish", f"{what} started {last.started_at} and did not finish (killed?){_reach(last)}"
    if last.outcome != FINISHED:
        why = last.summary.get("interrupted") or last.summary.get("error") or last.outcome
        return "did_not_finish", f"{what} stopped early (exit {last.exit_code}: {why}){_reach(last)}"
    if unresolved:
        return "failures", f"{what} finished; {unresolved} failed inputs are unresolved (retry, or fix them)"
    given_up = last.summary.get("failures", {}).get("given_up") if isinstance(last.summary.get("failures"), dict) else 0
    return "ok", f"{what} finished; no unresolved failure" + (f" ({given_up} inputs given up)" if given_up else "")


def _reach(last: AttemptRow) -> str:
    s = last.summary
    if s.get("not_reached") is not None:
        return f"; {s['not_reached']} of {s.get('total')} inputs not reached"
    if s.get("total") is not None:
        return f"; {s['total']} inputs expected, {s.get('items') or 'an unknown number'} reached"
    return ""


def folder_status(folder: Path, state: Optional[Path] = None) -> dict[str, Any]:
    """The state of an output folder as a JSON-ready dict (ConfigError when nothing ran there)."""
    store = Store.existing(state_path(folder, state), folder)
    try:
        recent = attempts(store, 10)
        last = recent[0] if recent else None
        completed = last_completed(store)
        book = Failures(store)
        failed, given_up = book.rows(given_up=False), book.rows(given_up=True)
        pending = store.pending()
        holder = lock_holder(folder)
        if last is not None and last.outcome == UNFINISHED and holder is None and last.summary.get("total"):
            _killed_reach(store, last)
        name, message = verdict(last, len(failed), holder)
        return {
            "folder": str(folder), "verdict": name, "exit_code": VERDICTS[name], "message": message,
            "running_pid": holder,
            "counts": {"done": store.count("done"), "failed": len(failed), "given_up": len(given_up),
                       "pending": len(pending)},
            "done": store.count("done"),
            "failed": [row.to_dict() for row in failed], "given_up": [row.to_dict() for row in given_up],
            "pending": [{"id": row.id, "ref": row.ref} for row in pending],
            "last_attempt": last.to_dict() if last else None,
            "last_completed_run": completed.to_dict() if completed else None,
            "attempts": [row.to_dict() for row in recent], "last_success_at": last_success_at(store),
            "last_run": None if last is None else {"run_id": last.run_id, "finished_at": last.finished_at,
                                                   "exit_code": last.exit_code, "profile": last.settings.get("profile")},
            "briefs_jsonl_lines": _lines(Path(folder) / JSONL),
            "feeds": [] if completed is None else feed_report(store, completed.run_id),
            "review": day_counts(load_briefs(folder), Edits(store).current()),
        }
    finally:
        store.close()


def _killed_reach(store: Store, last: AttemptRow) -> None:
    """A killed run's reach: at least the items its state recorded (per-item rows are flushed in batches;
    articles are marked as they finish), so `not_reached` is at most what it says."""
    items = store.query("SELECT COUNT(*) FROM run_items WHERE run_id = ?", (last.run_id,))[0][0]
    marked = store.query("SELECT COUNT(DISTINCT id) FROM articles WHERE status IN ('done', 'failed') AND "
                         "updated_at >= ?", (last.started_at,))[0][0]
    last.summary["items"] = max(int(items), int(marked), int(last.summary.get("items") or 0))
    last.summary["not_reached"] = max(0, int(last.summary["total"]) - last.summary["items"])


def _lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)
