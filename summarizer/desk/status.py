"""What an output folder holds: done, failed in the last run (with reasons), pending."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from ..store.edits import Edits
from ..store.feedstate import feed_report
from ..store.outdir import JSONL, load_briefs, state_path
from ..store.state import Store
from .stories import day_counts


def folder_status(folder: Path, state: Optional[Path] = None) -> dict[str, Any]:
    """The state of an output folder as a JSON-ready dict (ConfigError when nothing ran there)."""
    store = Store.existing(state_path(folder, state), folder)
    try:
        last = store.last_run()
        failed = [] if last is None else [
            {"ref": row.ref, "id": row.id, "stage": row.stage, "error": row.error}
            for row in store.items(last.run_id, status="failed")]
        return {
            "folder": str(folder), "done": store.count("done"), "failed": failed,
            "pending": [{"id": row.id, "ref": row.ref} for row in store.pending()],
            "last_run": None if last is None else {"run_id": last.run_id, "finished_at": last.finished_at,
                                                   "exit_code": last.exit_code,
                                                   "profile": last.settings.get("profile")},
            "briefs_jsonl_lines": _lines(Path(folder) / JSONL),
            "feeds": [] if last is None else feed_report(store, last.run_id),
            "review": day_counts(load_briefs(folder), Edits(store).current()),
        }
    finally:
        store.close()


def _lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)
