"""Output folder: atomic brief files, a crash-safe briefs.jsonl, the run report, and a lock.

Order of writes for a brief: <id>.json and <id>.md atomically, then its briefs.jsonl line
(flushed to disk), then the caller marks it done in the state store. After a crash,
`reconcile` makes briefs.jsonl exact again: no partial line, no duplicate id, no line of an
article the state does not know as done, and rewritten briefs' lines brought up to date.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

from .errors import LockedError
from .faults import crash_point
from .stages.html_render import brief_html
from .stages.render import brief_json, brief_jsonl_line, brief_markdown
from .types import Brief

SAFE_ID_RE = re.compile(r"^[0-9a-f]{8,64}$")


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside `path`; on success flush it to disk and rename it over `path`.

    Readers see the old content or the new, never a part; a failure leaves no temporary file.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write a whole file atomically (see atomic_file)."""
    with atomic_file(path, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def safe_id(value: str) -> str:
    """An article id that is safe as a file name (ids are hex hashes; anything else is refused)."""
    if not SAFE_ID_RE.match(value):
        raise ValueError(f"unsafe article id for a file name: {value!r}")
    return value


def _line_id(line: str) -> str | None:
    """The id of a complete, valid briefs.jsonl line, else None."""
    if not line.endswith("\n"):
        return None
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and SAFE_ID_RE.match(value) else None


class OutputDir:
    """The folder a run writes: <id>.json, <id>.md, <id>.html, briefs.jsonl, run-report.json, .lock.

    Args:
        root: the folder (created if missing).
    """

    JSONL = "briefs.jsonl"
    REPORT = "run-report.json"
    LOCK = ".lock"

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock_handle = None
        self._index: set[str] | None = None
        self.replaced: set[str] = set()

    # -- lock -----------------------------------------------------------------------------------
    def lock(self, wait: bool = False, poll: float = 0.5) -> None:
        """Take the folder's lock (released by the OS if this process dies, so a stale lock is
        taken over). Raises LockedError naming the holder's pid, unless `wait`."""
        handle = open(self.root / self.LOCK, "a+")
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                handle.seek(0)
                holder = handle.read().strip()
                pid = int(holder) if holder.isdigit() else None
                if not wait:
                    handle.close()
                    raise LockedError(f"output folder {self.root} is in use by another run (pid {pid or '?'}); "
                                      f"wait for it, or pass --wait", pid) from None
                time.sleep(poll)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_handle = handle

    def unlock(self) -> None:
        """Release the lock."""
        if self._lock_handle is not None:
            self._lock_handle.seek(0)
            self._lock_handle.truncate()
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    # -- crash recovery -------------------------------------------------------------------------
    def cleanup_temp(self) -> int:
        """Delete temporary files left by a killed run; returns how many."""
        count = 0
        for path in self.root.glob(".*.tmp"):
            path.unlink(missing_ok=True)
            count += 1
        return count

    def reconcile(self, done_ids: set[str], unsynced: Iterable[str] = ()) -> dict[str, int]:
        """Make briefs.jsonl exact after whatever happened before (see the module doc).

        Args:
            done_ids: ids the state store knows as done (under any pipeline fingerprint).
            unsynced: ids whose <id>.json was rewritten after their line was written.

        Returns:
            Counts of what was dropped or rewritten.
        """
        path = self.root / self.JSONL
        stats = {"partial": 0, "duplicate": 0, "unfinished": 0, "resynced": 0}
        if not path.exists():
            self._index = set()
            return stats
        last: dict[str, int] = {}
        bad: set[int] = set()
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle):
                article_id = _line_id(line)
                if article_id is None:
                    bad.add(number)
                    stats["partial"] += 1
                    continue
                if article_id in last:
                    stats["duplicate"] += 1
                last[article_id] = number
        keep = {n for i, n in last.items() if i in done_ids}
        stats["unfinished"] = len(last) - len(keep)
        resync = {i for i in unsynced if i in last and i in done_ids}
        stats["resynced"] = len(resync)
        if any(stats.values()):
            self._rewrite(lambda number, line, article_id: (
                None if number not in keep else self._current_line(article_id) if article_id in resync else line))
        self._index = {i for i, n in last.items() if n in keep}
        return stats

    def _current_line(self, article_id: str) -> str:
        data = json.loads((self.root / f"{article_id}.json").read_text(encoding="utf-8"))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"

    def _rewrite(self, choose) -> None:
        """Stream briefs.jsonl through `choose(number, line, id) -> line | None` into a new file."""
        path = self.root / self.JSONL
        with atomic_file(path) as out, open(path, encoding="utf-8", errors="replace") as src:
            for number, line in enumerate(src):
                new = choose(number, line, _line_id(line))
                if new is not None:
                    out.write(new)

    # -- writing --------------------------------------------------------------------------------
    def brief_paths(self, article_id: str) -> list[Path]:
        """Files of one brief."""
        base = safe_id(article_id)
        return [self.root / f"{base}.json", self.root / f"{base}.md", self.root / f"{base}.html"]

    def write_brief(self, brief: Brief) -> bool:
        """Write a brief's files atomically, then its briefs.jsonl line.

        Returns:
            True when the brief replaced one already in briefs.jsonl (a reprocessed article):
            its line is then replaced by `flush_replacements`, not appended twice.
        """
        if self._index is None:
            self._index = set()
        paths = self.brief_paths(brief.id)
        atomic_write(paths[0], brief_json(brief) + "\n")
        atomic_write(paths[1], brief_markdown(brief))
        atomic_write(paths[2], brief_html(brief))
        crash_point("write")
        if brief.id in self._index:
            self.replaced.add(brief.id)
            return True
        self.append_jsonl(brief_jsonl_line(brief))
        self._index.add(brief.id)
        return False

    def append_jsonl(self, line: str) -> None:
        """Append one complete line to briefs.jsonl and flush it to disk."""
        with open(self.root / self.JSONL, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def flush_replacements(self) -> set[str]:
        """Rewrite briefs.jsonl once with the lines of reprocessed briefs; returns their ids."""
        done = set(self.replaced)
        if done:
            self._rewrite(lambda number, line, article_id: self._current_line(article_id)
                          if article_id in done else line)
            self.replaced.clear()
        return done

    def write_digest(self, group_by: str = "date", title: str | None = None) -> list[Path]:
        """digest.html and digest.md of every brief in the folder."""
        from .digest import build_digest, load_briefs
        from .stages.html_render import digest_html, digest_markdown

        digest = build_digest(load_briefs(self.root), group_by=group_by, title=title)
        html_path, md_path = self.root / "digest.html", self.root / "digest.md"
        atomic_write(html_path, digest_html(digest))
        atomic_write(md_path, digest_markdown(digest))
        return [html_path, md_path]

    def write_report(self, header: Mapping[str, Any], articles: Iterable[Mapping[str, Any]] = ()) -> Path:
        """Write run-report.json atomically, streaming the per-article entries."""
        path = self.root / self.REPORT
        with atomic_file(path) as out:
            head = json.dumps(dict(header), ensure_ascii=False, indent=2)
            out.write(head[:-2] + ',\n  "articles": [')
            for k, entry in enumerate(articles):
                out.write(("," if k else "") + "\n    " + json.dumps(dict(entry), ensure_ascii=False))
            out.write("\n  ]\n}\n")
        return path
