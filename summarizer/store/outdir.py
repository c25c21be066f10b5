"""The output folder: every file name it holds (defined here, once), the lock, crash recovery,
and brief writing.

Order of writes for a brief: <id>.json, <id>.md and <id>.html atomically, then its
briefs.jsonl line (flushed to disk), then the caller marks it done in the state store. After a
crash, `reconcile` makes briefs.jsonl exact again: no partial line, no duplicate id, no line of
an article the state does not know as done, rewritten briefs' lines brought up to date, and a
done brief whose line went missing listed again.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, LockedError
from ..faults import crash_point
from ..render.html import brief_html
from ..render.jsonl import brief_json, brief_jsonl_line
from ..render.markdown import brief_markdown
from ..types import Brief
from .atomic import atomic_file, atomic_write, fsync_dir

JSONL = "briefs.jsonl"
REPORT = "run-report.json"
HISTORY = "run-history.jsonl"  # one line per attempt, those that failed before starting too
STATE = "state.sqlite"
LOCK = ".lock"
DIGEST_HTML = "digest.html"
DIGEST_MD = "digest.md"
# Files a run writes that are never articles (inputs walked in the same folder skip them).
OUTPUT_NAMES = frozenset({JSONL, REPORT, HISTORY, STATE, f"{STATE}-wal", f"{STATE}-shm", DIGEST_HTML, DIGEST_MD})
SAFE_ID_RE = re.compile(r"^[0-9a-f]{8,64}$")


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


def state_path(out: str | Path, state: str | Path | None = None) -> Path:
    """The state database of an output folder: `state`, else OUT/state.sqlite."""
    return Path(state) if state else Path(out) / STATE


def lock_holder(folder: str | Path) -> int | None:
    """The pid of the run that holds the folder's lock now (0 when unknown), or None when free."""
    path = Path(folder) / LOCK
    if not path.is_file():
        return None
    with open(path) as handle:  # read only: status may look at a folder it cannot write
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            holder = handle.read().strip()
            return int(holder) if holder.isdigit() else 0
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def append_history(folder: str | Path, header: Mapping[str, Any]) -> Path:
    """Add one attempt's report header to run-history.jsonl (one line, appended and flushed to disk;
    a reader skips a line a kill tore)."""
    path = Path(folder) / HISTORY
    line = json.dumps(dict(header), ensure_ascii=False, separators=(",", ":")) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def load_briefs(folder: str | Path) -> Iterator[dict[str, Any]]:
    """Briefs of an output folder, from briefs.jsonl (one valid JSON object per line)."""
    path = Path(folder) / JSONL
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if _line_id(line if line.endswith("\n") else line + "\n"):
                yield json.loads(line)


@dataclass
class Repairs:
    """What `reconcile` did to briefs.jsonl, and the done ids whose brief files are gone."""

    partial: int = 0
    duplicate: int = 0
    unfinished: int = 0
    resynced: int = 0
    restored: int = 0
    lost: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The repairs as counts (for the report)."""
        return {"partial": self.partial, "duplicate": self.duplicate, "unfinished": self.unfinished,
                "resynced": self.resynced, "restored": self.restored, "lost": len(self.lost)}


class OutputDir:
    """The folder a run writes: <id>.json, <id>.md, <id>.html, briefs.jsonl, run-report.json, .lock.

    Args:
        root: the folder (created if missing).

    Raises:
        ConfigError: `root` is an existing file, or cannot be created.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise ConfigError(f"--out {self.root} is an existing file, not a folder; name a folder for the briefs")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the output folder {self.root}: {exc.strerror or exc}") from None
        self._lock_handle = None

    def path(self, name: str) -> Path:
        """A file of the folder, by one of this module's names."""
        return self.root / name

    # -- lock -----------------------------------------------------------------------------------
    def lock(self, wait: bool = False, poll: float = 0.5) -> None:
        """Take the folder's lock (released by the OS if this process dies, so a stale lock is
        taken over). Raises LockedError naming the holder's pid, unless `wait`."""
        handle = open(self.root / LOCK, "a+")
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

    def reconcile(self, done_ids: set[str], unsynced: Iterable[str] = ()) -> Repairs:
        """Make briefs.jsonl exact after whatever happened before (see the module doc).

        Args:
            done_ids: ids the state store knows as done (under any pipeline fingerprint).
            unsynced: ids whose <id>.json was rewritten after their line was written.
        """
        path = self.root / JSONL
        repairs = Repairs()
        last: dict[str, int] = {}
        if path.exists():
            with open(path, encoding="utf-8", errors="replace") as handle:
                for number, line in enumerate(handle):
                    article_id = _line_id(line)
                    if article_id is None:
                        repairs.partial += 1
                        continue
                    if article_id in last:
                        repairs.duplicate += 1
                    last[article_id] = number
        keep = {n for i, n in last.items() if i in done_ids}
        repairs.unfinished = len(last) - len(keep)
        resync = {i for i in unsynced if i in last and i in done_ids}
        repairs.resynced = len(resync)
        if repairs.partial or repairs.duplicate or repairs.unfinished or repairs.resynced:
            self._rewrite(lambda number, line, article_id: (
                None if number not in keep else self.current_line(article_id) if article_id in resync else line))
        for article_id in sorted(done_ids - set(last)):
            if (self.root / f"{safe_id(article_id)}.json").is_file():
                self.append_jsonl(self.current_line(article_id))
                repairs.restored += 1
            else:
                repairs.lost.append(article_id)
        return repairs

    def current_line(self, article_id: str) -> str:
        """The briefs.jsonl line of a brief, from its <id>.json."""
        data = json.loads((self.root / f"{safe_id(article_id)}.json").read_text(encoding="utf-8"))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"

    def _rewrite(self, choose: Callable[[int, str, str | None], str | None]) -> None:
        """Stream briefs.jsonl through `choose(number, line, id) -> line | None` into a new file."""
        path = self.root / JSONL
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

    def write_brief(self, brief: Brief, listed: bool) -> None:
        """Write a brief's files atomically, then (unless `listed`) its briefs.jsonl line.

        Args:
            brief: the brief.
            listed: briefs.jsonl already has a line for this id (a reprocessed article): the
                line is replaced later by `flush_replacements`, never appended twice.
        """
        paths = self.brief_paths(brief.id)
        atomic_write(paths[0], brief_json(brief) + "\n")
        atomic_write(paths[1], brief_markdown(brief))
        atomic_write(paths[2], brief_html(brief))
        crash_point("write")
        if not listed:
            self.append_jsonl(brief_jsonl_line(brief))

    def append_jsonl(self, line: str) -> None:
        """Append one complete line to briefs.jsonl and flush it to disk."""
        path = self.root / JSONL
        new = not path.exists()
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        if new:
            fsync_dir(self.root)

    def flush_replacements(self, ids: Iterable[str]) -> set[str]:
        """Rewrite briefs.jsonl once with the current lines of reprocessed briefs; returns their ids."""
        done = set(ids)
        if done:
            self._rewrite(lambda number, line, article_id: self.current_line(article_id)
                          if article_id in done else line)
        return done

    def write_report(self, header: Mapping[str, Any], articles: Iterable[Mapping[str, Any]] = ()) -> Path:
        """Write run-report.json atomically, streaming the per-article entries."""
        path = self.root / REPORT
        with atomic_file(path) as out:
            head = json.dumps(dict(header), ensure_ascii=False, indent=2)
            out.write(head[:-2] + ',\n  "articles": [')
            for k, entry in enumerate(articles):
                out.write(("," if k else "") + "\n    " + json.dumps(dict(entry), ensure_ascii=False))
            out.write("\n  ]\n}\n")
        return path
