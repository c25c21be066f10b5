"""Failures that outlive runs (store.failures) and attempts (store.attempts), on the state alone."""

from __future__ import annotations

import sqlite3

from summarizer.store.attempts import FINISHED, NOT_STARTED, UNFINISHED, attempts, last_completed, set_summary
from summarizer.store.failures import Failures
from summarizer.store.migrations import MIGRATIONS
from summarizer.store.state import Store


def test_attempts_count_once_per_run_give_up_at_the_limit_and_a_new_key_starts_again(tmp_path):
    store = Store(tmp_path / "state.sqlite")
    book = Failures(store)
    record = dict(id=None, stage="ingest", error="not valid JSON", origin=None, max_attempts=3)
    assert book.record(1, "bad.json", "file:a", **record).attempts == 1
    assert book.record(1, "bad.json", "file:a", **record).attempts == 1  # the same run: counted once
    assert book.record(2, "bad.json", "file:a", **record).given_up is False
    row = book.record(3, "bad.json", "file:a", **record)
    assert (row.attempts, row.given_up, row.first_run, row.last_run) == (3, True, 1, 3)
    assert book.given_up_under("file:a", "bad.json") is not None and book.given_up_under("file:b") is None
    assert book.counts() == {"unresolved": 0, "given_up": 1}
    changed = book.record(4, "bad.json", "file:b", **record)  # the file changed: a new input
    assert (changed.attempts, changed.given_up, changed.first_run) == (1, False, 4)
    book.resolve(["bad.json"])
    assert book.rows() == [] and book.counts() == {"unresolved": 0, "given_up": 0}
    store.close()


def test_an_older_folder_keeps_its_last_runs_failures_unresolved(tmp_path):
    path = tmp_path / "state.sqlite"
    db = sqlite3.connect(path)
    for number, (_name, statement) in enumerate(MIGRATIONS[:21], start=1):
        db.execute(statement)
        db.execute(f"PRAGMA user_version={number}")
    db.execute("INSERT INTO runs VALUES (1, '2026-12-01T00:00:00+00:00', '{}', '2026-12-01T00:01:00+00:00', 1)")
    db.execute("INSERT INTO runs VALUES (2, '2026-12-02T00:00:00+00:00', '{}', NULL, NULL)")  # killed
    db.executemany("INSERT INTO run_items VALUES (1, ?, ?, NULL, ?, 'ingest', 'broken', NULL, NULL)",
                   [(0, "a.json", "failed"), (1, "b.txt", "new")])
    db.commit()
    db.close()
    store = Store(path)
    assert [(r.ref, r.attempts, r.given_up) for r in Failures(store).rows()] == [("a.json", 1, False)]
    assert Failures(store).record(3, "a.json", "file:x", id=None, stage="ingest", error="broken", origin=None,
                                  max_attempts=3).attempts == 2  # the first key met is its own
    newest, oldest = attempts(store)
    assert (newest.outcome, oldest.outcome) == (UNFINISHED, FINISHED) and last_completed(store).run_id == 1
    set_summary(store, 2, {"outcome": NOT_STARTED, "started": False})
    store.finish_run(2, 2)
    assert attempts(store)[0].outcome == NOT_STARTED and not attempts(store)[0].started
    store.close()
