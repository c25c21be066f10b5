"""Output folder: atomic brief files, an append-only briefs.jsonl, and the run report."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Mapping

from .stages.render import brief_json, brief_jsonl_line, brief_markdown
from .types import Brief

SAFE_ID_RE = re.compile(r"^[0-9a-f]{8,64}$")


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never a part.

    A temporary file in the same folder is written, flushed to disk, then renamed over `path`.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def safe_id(value: str) -> str:
    """An article id that is safe as a file name (ids are hex hashes; anything else is refused)."""
    if not SAFE_ID_RE.match(value):
        raise ValueError(f"unsafe article id for a file name: {value!r}")
    return value


class OutputDir:
    """The folder a run writes: <id>.json, <id>.md, briefs.jsonl, run-report.json.

    Args:
        root: the folder (created if missing).
    """

    JSONL = "briefs.jsonl"
    REPORT = "run-report.json"

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def brief_paths(self, article_id: str) -> list[Path]:
        """Files of one brief."""
        base = safe_id(article_id)
        return [self.root / f"{base}.json", self.root / f"{base}.md"]

    def write_brief(self, brief: Brief) -> None:
        """Write a brief's files atomically, then append its line to briefs.jsonl (durably)."""
        paths = self.brief_paths(brief.id)
        atomic_write(paths[0], brief_json(brief) + "\n")
        atomic_write(paths[1], brief_markdown(brief))
        self.append_jsonl(brief_jsonl_line(brief))

    def append_jsonl(self, line: str) -> None:
        """Append one complete line to briefs.jsonl and flush it to disk."""
        with open(self.root / self.JSONL, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def write_report(self, report: Mapping[str, Any]) -> Path:
        """Write run-report.json atomically."""
        path = self.root / self.REPORT
        atomic_write(path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        return path
