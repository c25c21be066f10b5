"""The state store: named migrations on a blank database, named rows, memory, duplicates, runs."""

from __future__ import annotations

from summarizer.store.state import MIGRATIONS, ArticleRow, ItemRow, RunSeen, Store
from summarizer.types import Translation


def test_a_blank_database_is_migrated_by_name():
    store = Store(":memory:")
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"translations", "articles", "runs", "run_items", "run_seen"} <= tables
    assert [name for name, _ in MIGRATIONS] == sorted(name for name, _ in MIGRATIONS)  # m001_..., in order
    assert store.migrate() == []  # nothing left to apply


def test_an_old_database_gets_only_the_missing_migrations(tmp_path):
    import sqlite3

    path = tmp_path / "state.sqlite"
    db = sqlite3.connect(path)
    for number, (_, statement) in enumerate(MIGRATIONS[:3], start=1):
        db.execute(statement)
        db.execute(f"PRAGMA user_version={number}")
    db.commit()
    db.close()
    store = Store(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_articles_runs_and_items_come_back_as_named_rows():
    store = Store(":memory:")
    store.mark([ArticleRow("a" * 16, "fp1", "x.txt", "pending")])
    assert [tuple(p) for p in store.pending()] == [("a" * 16, "x.txt")]
    store.mark([ArticleRow("a" * 16, "fp1", "x.txt", "done")], synced=False)
    assert store.is_done("a" * 16, "fp1") and store.is_done("a" * 16) and not store.is_done("a" * 16, "fp2")
    assert store.pending() == [] and store.unsynced() == ["a" * 16]
    store.set_synced(["a" * 16])
    assert store.unsynced() == []
    run = store.start_run({"profile": "fast"})
    store.add_items(run, [ItemRow(0, "x.txt", "a" * 16, "new", None, None, "[]"),
                          ItemRow(1, "y.txt", None, "failed", "ingest", "empty input", None)])
    failed = list(store.items(run, status="failed"))
    assert failed[0].ref == "y.txt" and failed[0].error == "empty input"
    store.finish_run(run, 1)
    last = store.last_run()
    assert (last.run_id, last.settings, last.exit_code) == (run, {"profile": "fast"}, 1)
    store.forget_done(["a" * 16])
    assert not store.is_done("a" * 16)


def test_translation_memory_and_duplicates_live_in_the_database():
    store = Store(":memory:")
    store.tm_put("m", {"k1": Translation("one", pieces=2, hit_limit=True, score=-0.5)})
    assert store.tm_get("m", ["k1", "k2"]) == {"k1": Translation("one", pieces=2, hit_limit=True, score=-0.5)}
    seen = RunSeen(store, store.start_run({}))
    assert seen.first_ref("id1", "a.txt") is None
    assert seen.first_ref("id1", "b.txt") == "a.txt"
    assert RunSeen(store, store.start_run({})).first_ref("id1", "c.txt") is None  # a new run starts afresh


def test_a_feed_items_guid_is_known_in_its_own_feed_only():
    from summarizer.store.feedstate import RunFeedState
    from summarizer.types import Brief

    store = Store(":memory:")
    state = RunFeedState(store, lambda language: "fp1")
    brief = Brief(id="a" * 16, source={}, language="ar", title={}, summary={}, sentences=(), summary_links=(),
                  removed=(), checks={}, models={}, timings_ms={}, created_at="2026-12-06T00:00:00+00:00",
                  meta={"feed": "http://127.0.0.1:1/a.xml", "feed_item": {"url_key": "127.0.0.1:1/a/1", "guid": "1"}},
                  fingerprint="fp1")
    state.record(brief)
    store.mark([ArticleRow("a" * 16, "fp1", "127.0.0.1:1/a/1", "done")])
    assert state.known(None, "1", "http://127.0.0.1:1/a.xml")
    assert state.known("127.0.0.1:1/a/1", None, "http://127.0.0.1:1/b.xml")  # the same URL is the same story
    assert not state.known("127.0.0.1:1/b/1", "1", "http://127.0.0.1:1/b.xml")
    assert not state.known(None, "1", "http://127.0.0.1:1/b.xml")
