"""SQLite state: processed articles (incremental runs) and the translation memory.

Numbered migrations (PRAGMA user_version); WAL journal so a reader never blocks the writer.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .stages.translate import Translation

MIGRATIONS = (
    """CREATE TABLE translations (
         model_key TEXT NOT NULL, sentence_key TEXT NOT NULL, text TEXT NOT NULL, pieces INTEGER NOT NULL,
         hit_limit INTEGER NOT NULL, score REAL, PRIMARY KEY (model_key, sentence_key)) WITHOUT ROWID""",
    """CREATE TABLE articles (
         id TEXT NOT NULL, fingerprint TEXT NOT NULL, ref TEXT NOT NULL, status TEXT NOT NULL,
         stage TEXT, error TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (id, fingerprint))""",
    """CREATE INDEX articles_status ON articles (status)""",
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """One SQLite file of state.

    Args:
        path: the database file (created with its tables when missing).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=60, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.Lock()
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, statement in enumerate(MIGRATIONS, start=1):
            if number > version:
                with self.db:
                    self.db.execute(statement)
                    self.db.execute(f"PRAGMA user_version={number}")

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    # -- translation memory -----------------------------------------------------------------
    def tm_get(self, model_key: str, keys: Iterable[str]) -> dict[str, Translation]:
        """Stored translations of the given sentence keys under one model key."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, Translation] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = self.db.execute(
                    f"SELECT sentence_key, text, pieces, hit_limit, score FROM translations "
                    f"WHERE model_key = ? AND sentence_key IN ({','.join('?' * len(chunk))})", [model_key, *chunk])
                for key, text, pieces, hit, score in rows:
                    found[key] = Translation(text=text, pieces=pieces, hit_limit=bool(hit), score=score)
        return found

    def tm_put(self, model_key: str, items: Mapping[str, Translation]) -> None:
        """Store translations (one transaction)."""
        with self._lock, self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)",
                [(model_key, k, t.text, t.pieces, int(t.hit_limit), t.score) for k, t in items.items()])

    def tm_size(self) -> int:
        """Number of stored translations."""
        return self.db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]

    # -- processed articles ---------------------------------------------------------------------
    def article_status(self, article_id: str, fingerprint: str) -> str | None:
        """"done", "failed" or None for an article under a pipeline fingerprint."""
        with self._lock:
            row = self.db.execute("SELECT status FROM articles WHERE id = ? AND fingerprint = ?",
                                  (article_id, fingerprint)).fetchone()
        return row[0] if row else None

    def mark(self, article_id: str, fingerprint: str, ref: str, status: str, stage: str | None = None,
             error: str | None = None) -> None:
        """Record an article's outcome (durable when this returns)."""
        with self._lock, self.db:
            self.db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (article_id, fingerprint, ref, status, stage, error, _now()))

    def articles(self, status: str | None = None) -> Iterator[tuple[str, str, str, str, str | None, str | None, str]]:
        """Rows (id, fingerprint, ref, status, stage, error, updated_at), optionally of one status."""
        query = "SELECT id, fingerprint, ref, status, stage, error, updated_at FROM articles"
        args: tuple = ()
        if status:
            query += " WHERE status = ?"
            args = (status,)
        yield from self.db.execute(query + " ORDER BY updated_at, ref", args).fetchall()


class MemoryTM:
    """In-process translation memory with a size bound (used when no SQLite store is given)."""

    def __init__(self, capacity: int = 200_000) -> None:
        self.capacity = capacity
        self._data: OrderedDict[tuple[str, str], Translation] = OrderedDict()

    def tm_get(self, model_key: str, keys: Iterable[str]) -> dict[str, Translation]:
        found = {}
        for key in keys:
            hit = self._data.get((model_key, key))
            if hit is not None:
                self._data.move_to_end((model_key, key))
                found[key] = hit
        return found

    def tm_put(self, model_key: str, items: Mapping[str, Translation]) -> None:
        for key, value in items.items():
            self._data[(model_key, key)] = value
        while len(self._data) > self.capacity:
            self._data.popitem(last=False)
