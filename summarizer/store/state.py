"""SQLite state of an output folder: processed articles (incremental runs), runs and their items,
duplicates met in a run, and the translation memory.

Named, numbered migrations (PRAGMA user_version counts those applied); WAL journal so a
reader never blocks the writer. Rows leave this module as named tuples, never bare tuples.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from ..errors import ConfigError
from ..faults import crash_point
from ..search.index import DELETE as DELETE_INDEXED
from ..types import Translation
from .migrations import MIGRATIONS

HUMAN = "human_translation"  # the flag of a sentence an editor translated


class ArticleRow(NamedTuple):
    """An article's outcome under one pipeline fingerprint."""

    id: str
    fingerprint: str
    ref: str
    status: str  # pending | done | failed
    stage: str | None = None
    error: str | None = None


class RunRow(NamedTuple):
    """One run of the folder."""

    run_id: int
    settings: dict
    finished_at: str | None
    exit_code: int | None


class ItemRow(NamedTuple):
    """One input item of a run, in input order."""

    seq: int
    ref: str
    id: str | None
    status: str  # new | skipped | failed
    stage: str | None
    error: str | None
    flags: str | None  # JSON list of the brief's article flags
    origin: str | None = None  # JSON {feed, url, url_key, guid}: where a web item came from (for retry)


class PendingRow(NamedTuple):
    """An article a run took up and did not finish."""

    id: str
    ref: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """One SQLite file of state (see the module doc).

    Args:
        path: the database file (created with its tables when missing), or ":memory:".
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # SQLite creates its files 0644 whatever the umask; made here first, the database and
                # its -wal/-shm files get what any file the user creates gets (0666 less the umask)
                os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o666))
            self.db = sqlite3.connect(str(path), timeout=60, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._lock = threading.Lock()
            self.migrate()
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot open the state database {path}: {exc}") from None

    @classmethod
    def existing(cls, path: Path, folder: str | Path) -> "Store":
        """The state of an output folder that has run before; ConfigError when there is none."""
        if not path.is_file():
            raise ConfigError(f"no state in {path}: nothing has run into {folder} yet "
                              f"(run 'summarizer run ... --out {folder}' first)")
        return cls(path)

    def migrate(self) -> list[str]:
        """Apply the migrations this database lacks; returns their names."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        applied = []
        for number, (name, statement) in enumerate(MIGRATIONS, start=1):
            if number > version:
                with self.db:
                    self.db.execute(statement)
                    self.db.execute(f"PRAGMA user_version={number}")
                applied.append(name)
        return applied

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def write(self, sql: str, rows: Iterable[tuple]) -> None:
        """Run one statement over rows, in one transaction."""
        with self._lock, self.db:
            self.db.executemany(sql, rows)
            crash_point("commit")  # inside the transaction, before it commits
        crash_point("committed")

    def query(self, sql: str, args: tuple | Mapping = ()) -> list[tuple]:
        """All rows of one query."""
        with self._lock:
            return self.db.execute(sql, args).fetchall()

    # -- translation memory -----------------------------------------------------------------
    def tm_get(self, model_key: str, keys: Iterable[str]) -> dict[str, Translation]:
        """Stored translations of the given sentence keys under one model key; an editor's translation
        of a sentence (human_translations, from the review page) wins over any model's."""
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
                for key, text in self.db.execute(  # an editor's translation comes before any model's
                        f"SELECT sentence_key, text FROM human_translations WHERE sentence_key IN "
                        f"({','.join('?' * len(chunk))})", chunk):
                    found[key] = Translation(text=text, flags=(HUMAN,))
        return found

    def tm_rows(self, keys: Iterable[str]) -> list[tuple[str, str, Translation]]:
        """Every stored translation of these sentence keys, under any model key."""
        keys = list(dict.fromkeys(keys))
        rows: list[tuple[str, str, Translation]] = []
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows += [(m, k, Translation(text=t, pieces=p, hit_limit=bool(h), score=s)) for m, k, t, p, h, s in
                         self.db.execute("SELECT model_key, sentence_key, text, pieces, hit_limit, score FROM "
                                         f"translations WHERE sentence_key IN ({','.join('?' * len(chunk))})", chunk)]
        return rows

    def tm_put(self, model_key: str, items: Mapping[str, Translation]) -> None:
        """Store translations (one transaction)."""
        self.write("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)",
                    [(model_key, k, t.text, t.pieces, int(t.hit_limit), t.score) for k, t in items.items()])

    # -- processed articles ---------------------------------------------------------------------
    def done_ids(self) -> set[str]:
        """Ids done under any fingerprint (their briefs are legitimately in briefs.jsonl)."""
        with self._lock:
            return {row[0] for row in self.db.execute("SELECT DISTINCT id FROM articles WHERE status = 'done'")}

    def is_done(self, article_id: str, fingerprint: str | None = None) -> bool:
        """Was this article finished under this pipeline fingerprint (any fingerprint when None)?"""
        sql, args = "SELECT 1 FROM articles WHERE id = ? AND status = 'done'", [article_id]
        if fingerprint is not None:
            sql, args = sql + " AND fingerprint = ?", args + [fingerprint]
        with self._lock:
            return self.db.execute(sql + " LIMIT 1", args).fetchone() is not None

    def mark(self, rows: Iterable[ArticleRow], synced: bool = True) -> None:
        """Record article outcomes in one transaction."""
        now = _now()
        self.write("INSERT OR REPLACE INTO articles (id, fingerprint, ref, status, stage, error, updated_at, synced) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(*row, now, int(synced)) for row in rows])

    def forget_done(self, ids: Iterable[str]) -> None:
        """Forget that articles were done (their brief files are gone): the next run redoes them,
        and until then the search index does not list them either."""
        ids = [(i,) for i in ids]
        self.write_all([("DELETE FROM articles WHERE id = ? AND status = 'done'", ids), (DELETE_INDEXED, ids)])

    def mark_done(self, row: ArticleRow, index: Iterable[tuple[str, tuple]], synced: bool = True) -> None:
        """Mark an article done and put its brief in the search index, in one transaction (a killed
        run never leaves the index and the done articles apart)."""
        self.write_all([("INSERT OR REPLACE INTO articles (id, fingerprint, ref, status, stage, error, updated_at, "
                         "synced) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(*row, _now(), int(synced))]),
                        *((sql, [args]) for sql, args in index)])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction on the database (committed at the end of the block, rolled back on error)."""
        with self._lock, self.db:
            yield self.db

    def write_all(self, statements: Iterable[tuple[str, Iterable[tuple]]]) -> None:
        """Run several statements, each over its rows, in one transaction."""
        with self._lock, self.db:
            for sql, rows in statements:
                self.db.executemany(sql, rows)
            crash_point("commit")  # inside the transaction, before it commits
        crash_point("committed")

    def unsynced(self) -> list[str]:
        """Ids whose brief was rewritten but whose briefs.jsonl line was not yet replaced."""
        with self._lock:
            return [r[0] for r in self.db.execute("SELECT DISTINCT id FROM articles WHERE synced = 0")]

    def set_synced(self, ids: Iterable[str]) -> None:
        """Mark ids' briefs.jsonl lines as current."""
        self.write("UPDATE articles SET synced = 1 WHERE id = ?", [(i,) for i in ids])

    def count(self, status: str) -> int:
        """Distinct article ids with a status."""
        with self._lock:
            return self.db.execute("SELECT COUNT(DISTINCT id) FROM articles WHERE status = ?", (status,)).fetchone()[0]

    def pending(self) -> list[PendingRow]:
        """Articles taken up by a run that did not finish them."""
        with self._lock:
            return [PendingRow(*row) for row in self.db.execute(
                "SELECT id, ref FROM articles a WHERE status = 'pending' AND NOT EXISTS "
                "(SELECT 1 FROM articles b WHERE b.id = a.id AND b.status = 'done') ORDER BY ref")]

    # -- runs ---------------------------------------------------------------------------------
    def start_run(self, settings: Mapping[str, object]) -> int:
        """Register a run; returns its id."""
        with self._lock, self.db:
            self.db.execute("DELETE FROM run_seen")  # left by runs that were killed
            cur = self.db.execute("INSERT INTO runs (started_at, settings) VALUES (?, ?)",
                                  (_now(), json.dumps(settings, ensure_ascii=False, default=str)))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, exit_code: int) -> None:
        """Record how a run ended."""
        self.write("UPDATE runs SET finished_at = ?, exit_code = ? WHERE run_id = ?", [(_now(), exit_code, run_id)])

    def last_run(self) -> RunRow | None:
        """The latest run, or None."""
        with self._lock:
            row = self.db.execute("SELECT run_id, settings, finished_at, exit_code FROM runs "
                                  "ORDER BY run_id DESC LIMIT 1").fetchone()
        return RunRow(row[0], json.loads(row[1]), row[2], row[3]) if row else None

    def add_items(self, run_id: int, rows: Iterable[ItemRow]) -> None:
        """Record a run's per-item results."""
        self.write("INSERT OR REPLACE INTO run_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(run_id, *row) for row in rows])

    def items(self, run_id: int, status: str | None = None) -> Iterator[ItemRow]:
        """A run's per-item rows, in input order (streamed: memory stays flat)."""
        query = "SELECT seq, ref, id, status, stage, error, flags, origin FROM run_items WHERE run_id = ?"
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
            yield from (ItemRow(*row) for row in rows)

    def first_ref(self, run_id: int, article_id: str, ref: str) -> str | None:
        """Duplicate detection in a run: the ref that first had this id (None: first time; recorded)."""
        with self._lock, self.db:
            row = self.db.execute("SELECT ref FROM run_seen WHERE run_id = ? AND id = ?", (run_id, article_id)).fetchone()
            if row is None:
                self.db.execute("INSERT INTO run_seen VALUES (?, ?, ?)", (run_id, article_id, ref))
        return row[0] if row else None


class RunSeen:
    """The SeenIds of one run, kept in the state database (memory stays flat however long the run)."""

    def __init__(self, store: Store, run_id: int) -> None:
        self.store, self.run_id = store, run_id

    def first_ref(self, article_id: str, ref: str) -> str | None:
        """See pipeline.SeenIds."""
        return self.store.first_ref(self.run_id, article_id, ref)
