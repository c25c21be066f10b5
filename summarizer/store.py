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
    """ALTER TABLE articles ADD COLUMN synced INTEGER NOT NULL DEFAULT 1""",
    """CREATE TABLE run_items (
         run_id INTEGER NOT NULL, seq INTEGER NOT NULL, ref TEXT NOT NULL, id TEXT, status TEXT NOT NULL,
         stage TEXT, error TEXT, flags TEXT, PRIMARY KEY (run_id, seq))""",
    """CREATE TABLE runs (
         run_id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, settings TEXT NOT NULL, finished_at TEXT,
         exit_code INTEGER)""",
)


def state_file(out: str | Path, state: str | Path | None = None) -> Path:
    """The state database of an output folder: `state`, else OUT/state.sqlite."""
    return Path(state) if state else Path(out) / "state.sqlite"


def open_existing(out: str | Path, state: str | Path | None = None) -> "Store":
    """The state of an output folder that has run before; ConfigError when there is none."""
    from .errors import ConfigError

    path = state_file(out, state)
    if not path.is_file():
        raise ConfigError(f"no state in {path}: nothing has run into {out} yet "
                          f"(run 'summarizer run ... --out {out}' first)")
    return Store(path)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """One SQLite file of state: articles done per pipeline fingerprint, runs and their items,
    and the translation memory.

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

    # -- processed articles ---------------------------------------------------------------------
    def done_ids(self) -> set[str]:
        """Ids done under any fingerprint (their briefs are legitimately in briefs.jsonl)."""
        with self._lock:
            return {row[0] for row in self.db.execute("SELECT DISTINCT id FROM articles WHERE status = 'done'")}

    def is_done(self, article_id: str, fingerprint: str) -> bool:
        """Was this article finished under this pipeline fingerprint?"""
        with self._lock:
            row = self.db.execute("SELECT 1 FROM articles WHERE id = ? AND fingerprint = ? AND status = 'done'",
                                  (article_id, fingerprint)).fetchone()
        return row is not None

    def mark_many(self, rows: Iterable[tuple[str, str, str, str, str | None, str | None]],
                  synced: bool = True) -> None:
        """Record outcomes (id, fingerprint, ref, status, stage, error) in one transaction."""
        now = _now()
        with self._lock, self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO articles (id, fingerprint, ref, status, stage, error, updated_at, synced) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(*row, now, int(synced)) for row in rows])

    def unsynced(self) -> list[str]:
        """Ids whose brief was rewritten but whose briefs.jsonl line was not yet replaced."""
        with self._lock:
            return [r[0] for r in self.db.execute("SELECT DISTINCT id FROM articles WHERE synced = 0")]

    def set_synced(self, ids: Iterable[str]) -> None:
        """Mark ids' briefs.jsonl lines as current."""
        with self._lock, self.db:
            self.db.executemany("UPDATE articles SET synced = 1 WHERE id = ?", [(i,) for i in ids])

    def count(self, status: str) -> int:
        """Distinct article ids with a status."""
        with self._lock:
            return self.db.execute("SELECT COUNT(DISTINCT id) FROM articles WHERE status = ?", (status,)).fetchone()[0]

    def pending(self) -> list[tuple[str, str]]:
        """(id, ref) of articles taken up by a run that did not finish them."""
        with self._lock:
            return list(self.db.execute(
                "SELECT id, ref FROM articles a WHERE status = 'pending' AND NOT EXISTS "
                "(SELECT 1 FROM articles b WHERE b.id = a.id AND b.status = 'done') ORDER BY ref"))

    # -- runs ---------------------------------------------------------------------------------
    def start_run(self, settings: Mapping[str, object]) -> int:
        """Register a run; returns its id."""
        import json

        with self._lock, self.db:
            cur = self.db.execute("INSERT INTO runs (started_at, settings) VALUES (?, ?)",
                                  (_now(), json.dumps(settings, ensure_ascii=False, default=str)))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, exit_code: int) -> None:
        """Record how a run ended."""
        with self._lock, self.db:
            self.db.execute("UPDATE runs SET finished_at = ?, exit_code = ? WHERE run_id = ?",
                            (_now(), exit_code, run_id))

    def last_run(self) -> tuple[int, dict, str | None, int | None] | None:
        """(run_id, settings, finished_at, exit_code) of the latest run, or None."""
        import json

        with self._lock:
            row = self.db.execute("SELECT run_id, settings, finished_at, exit_code FROM runs "
                                  "ORDER BY run_id DESC LIMIT 1").fetchone()
        return (row[0], json.loads(row[1]), row[2], row[3]) if row else None

    def add_items(self, run_id: int, rows: Iterable[tuple[int, str, str | None, str, str | None, str | None,
                                                          str | None]]) -> None:
        """Record a run's per-item results (seq, ref, id, status, stage, error, flags)."""
        with self._lock, self.db:
            self.db.executemany("INSERT OR REPLACE INTO run_items VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                [(run_id, *row) for row in rows])

    def items(self, run_id: int, status: str | None = None) -> Iterator[tuple]:
        """A run's per-item rows (seq, ref, id, status, stage, error, flags), in input order."""
        query = "SELECT seq, ref, id, status, stage, error, flags FROM run_items WHERE run_id = ?"
        args: tuple = (run_id,)
        if status:
            query += " AND status = ?"
            args += (status,)
        cursor = self.db.cursor()
        cursor.execute(query + " ORDER BY seq", args)
        while True:
            rows = cursor.fetchmany(1000)
            if not rows:
                break
            yield from rows


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
