"""`summarizer status DIR`: done, failed (with reasons) and pending articles of an output folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from rich.console import Console

from .store import open_existing

out = Console(highlight=False, soft_wrap=True)


def show_status(folder: Path, state: Optional[Path], as_json: bool) -> None:
    """Print the state of an output folder."""
    store = open_existing(folder, state)
    try:
        last = store.last_run()
        failed = [] if last is None else [
            {"ref": ref, "id": art_id, "stage": stage, "error": error}
            for _, ref, art_id, _, stage, error, _ in store.items(last[0], status="failed")]
        pending = [{"id": i, "ref": ref} for i, ref in store.pending()]
        data = {
            "folder": str(folder), "done": store.count("done"), "failed": failed, "pending": pending,
            "last_run": None if last is None else {"run_id": last[0], "finished_at": last[2], "exit_code": last[3],
                                                   "profile": last[1].get("profile")},
            "briefs_jsonl_lines": _lines(Path(folder) / "briefs.jsonl"),
        }
    finally:
        store.close()
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    run = data["last_run"]
    out.print(f"{folder}: {data['done']} done, {len(failed)} failed in the last run, {len(pending)} pending")
    if run:
        state_word = "finished" if run["finished_at"] else "did not finish (killed?)"
        out.print(f"last run #{run['run_id']} ({run['profile']}) {state_word}"
                  + (f", exit code {run['exit_code']}" if run["exit_code"] is not None else ""))
    for item in failed:
        out.print(f"  failed  {item['ref']}: {item['error']}")
    for item in pending[:50]:
        out.print(f"  pending {item['ref']} ({item['id']})")
    if len(pending) > 50:
        out.print(f"  ... and {len(pending) - 50} more pending")
    if failed:
        out.print(f"run 'summarizer retry {folder}' to process the failed articles again")


def _lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)
