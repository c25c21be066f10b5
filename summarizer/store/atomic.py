"""Atomic file writes: a temporary file beside the target, flushed, renamed over it, the folder synced.

Readers see the old content or the new, never a part. The file gets the permissions any file
the user creates gets (0666 less the umask), not the 0600 of a temporary file, so a web server
or an editor's account can read what a cron job wrote. After the rename the folder itself is
fsynced, so a power cut keeps what a kill keeps.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..faults import crash_point

_UMASK: list[int] = []
_UMASK_LOCK = threading.Lock()


def umask() -> int:
    """The process umask (read once; os.umask can only be read by setting it)."""
    with _UMASK_LOCK:
        if not _UMASK:
            current = os.umask(0o022)
            os.umask(current)
            _UMASK.append(current)
        return _UMASK[0]


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (renames, new files) to disk."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not supported here (some network file systems): nothing more to do
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside `path`; on success flush it to disk and rename it over `path`.

    A failure leaves no temporary file (a kill leaves one, removed by the next run).
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~umask())
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        crash_point("rename")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    crash_point("renamed")
    fsync_dir(path.parent)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write a whole file atomically (see atomic_file)."""
    with atomic_file(path, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
