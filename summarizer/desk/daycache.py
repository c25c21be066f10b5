"""What the review reads again and again, kept while briefs.jsonl stays the same file: a busy day
(2,000 stories) must answer each editor's action in milliseconds, and parsing briefs.jsonl, the
digest's story grouping (pairwise over the day) and a story's view are the expensive parts.

Every cache is keyed by briefs.jsonl's (inode, size, mtime): a run that writes or replaces a
brief changes the file and everything is computed afresh. A story's view is also keyed by the log
rows under it (their sequence numbers) and its place, so an edit or a decision recomputes that
story alone. Nothing here is written back; callers get the same objects each time and must not
change them (desk.stories and store.edits.overlay copy before they change anything).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..store.outdir import JSONL, load_briefs
from .days import story_day

_LOCK = threading.Lock()
_FOLDERS: dict[Path, "_Folder"] = {}
MAX_VIEWS = 20_000


class _Folder:
    def __init__(self, key: tuple) -> None:
        self.key = key
        self.briefs: list[dict[str, Any]] | None = None
        self.days: dict[date | None, list[dict[str, Any]]] = {}
        self.orders: dict[date, list[dict[str, Any]]] = {}
        self.views: dict[tuple, dict[str, Any]] = {}


def _folder(folder: Path) -> _Folder:
    folder = Path(folder).resolve()
    try:
        st = (folder / JSONL).stat()
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    with _LOCK:
        cached = _FOLDERS.get(folder)
        if cached is None or cached.key != key or key is None:
            cached = _FOLDERS[folder] = _Folder(key)
        return cached


def briefs(folder: Path, day: date | None = None) -> list[dict[str, Any]]:
    """The folder's briefs (briefs.jsonl), or one day's (desk.days.story_day)."""
    cached = _folder(folder)
    if cached.briefs is None:
        cached.briefs = list(load_briefs(folder))
        for brief in cached.briefs:
            cached.days.setdefault(story_day(brief), []).append(brief)
    return cached.briefs if day is None else cached.days.get(day, [])


def story_order(folder: Path, day: date, order: Callable[[list], list]) -> list[dict[str, Any]]:
    """The day's briefs in the digest's story order (`order` computes it once per file version)."""
    cached = _folder(folder)
    if day not in cached.orders:
        cached.orders[day] = order(briefs(folder, day))
    return cached.orders[day]


def views(folder: Path) -> "_Folder":
    """The folder's cache as it is now (look it up once for many `view` calls)."""
    return _folder(folder)


def view(cached: "_Folder", brief: Mapping[str, Any], rows: Mapping[str, Any], position: int | None,
         make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A story's view, made by `make` once per (file version, brief, log rows under it, place)."""
    key = (brief["id"], position, tuple(sorted((f, getattr(r, "seq", None)) for f, r in rows.items())))
    found = cached.views.get(key)
    if found is None:
        if len(cached.views) > MAX_VIEWS:
            cached.views.clear()
        found = cached.views[key] = make()
    return found
