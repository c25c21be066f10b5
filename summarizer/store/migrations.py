"""The state database's migrations: named, numbered, applied in order (PRAGMA user_version counts
those applied). Never edit one that has shipped: add the next."""

from __future__ import annotations

from ..search.index import SCHEMA as SEARCH_SCHEMA

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("m001_translations", """CREATE TABLE translations (
         model_key TEXT NOT NULL, sentence_key TEXT NOT NULL, text TEXT NOT NULL, pieces INTEGER NOT NULL,
         hit_limit INTEGER NOT NULL, score REAL, PRIMARY KEY (model_key, sentence_key)) WITHOUT ROWID"""),
    ("m002_articles", """CREATE TABLE articles (
         id TEXT NOT NULL, fingerprint TEXT NOT NULL, ref TEXT NOT NULL, status TEXT NOT NULL,
         stage TEXT, error TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (id, fingerprint))"""),
    ("m003_articles_status_index", "CREATE INDEX articles_status ON articles (status)"),
    ("m004_articles_synced", "ALTER TABLE articles ADD COLUMN synced INTEGER NOT NULL DEFAULT 1"),
    ("m005_run_items", """CREATE TABLE run_items (
         run_id INTEGER NOT NULL, seq INTEGER NOT NULL, ref TEXT NOT NULL, id TEXT, status TEXT NOT NULL,
         stage TEXT, error TEXT, flags TEXT, PRIMARY KEY (run_id, seq))"""),
    ("m006_runs", """CREATE TABLE runs (
         run_id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, settings TEXT NOT NULL, finished_at TEXT,
         exit_code INTEGER)"""),
    ("m007_run_seen", """CREATE TABLE run_seen (
         run_id INTEGER NOT NULL, id TEXT NOT NULL, ref TEXT NOT NULL, PRIMARY KEY (run_id, id)) WITHOUT ROWID"""),
    ("m008_feeds", """CREATE TABLE feeds (
         url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked_at TEXT NOT NULL)"""),
    ("m009_feed_items", """CREATE TABLE feed_items (
         url_key TEXT, guid TEXT, feed TEXT NOT NULL, article_id TEXT NOT NULL, language TEXT, fingerprint TEXT,
         done_at TEXT NOT NULL)"""),
    ("m010_feed_items_url_index", "CREATE INDEX feed_items_url ON feed_items (url_key)"),
    ("m011_feed_items_guid_index", "CREATE INDEX feed_items_guid ON feed_items (guid)"),
    ("m012_run_feeds", """CREATE TABLE run_feeds (
         run_id INTEGER NOT NULL, url TEXT NOT NULL, stats TEXT NOT NULL, PRIMARY KEY (run_id, url))"""),
    ("m013_run_items_origin", "ALTER TABLE run_items ADD COLUMN origin TEXT"),
    ("m014_feed_items_feed_index", "CREATE INDEX feed_items_feed_guid ON feed_items (feed, guid)"),
    *SEARCH_SCHEMA,  # m015-m018: the briefs' search index (search.index)
    # m019-m021: editors' work (store.edits): an append-only log, and human translations for the memory
    ("m019_edits", """CREATE TABLE edits (
         seq INTEGER PRIMARY KEY AUTOINCREMENT, brief_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT,
         machine_hash TEXT, at TEXT NOT NULL, undoes INTEGER)"""),
    ("m020_edits_brief_index", "CREATE INDEX edits_brief ON edits (brief_id, field, seq)"),
    ("m021_human_translations", """CREATE TABLE human_translations (
         sentence_key TEXT PRIMARY KEY, source TEXT NOT NULL, text TEXT NOT NULL, brief_id TEXT,
         at TEXT NOT NULL) WITHOUT ROWID"""),
    # m032-m035: who made each edit, the machine text and model it corrected, what an approval approved
    ("m032_edits_author", "ALTER TABLE edits ADD COLUMN author TEXT"),
    ("m033_edits_machine", "ALTER TABLE edits ADD COLUMN machine TEXT"),
    ("m034_edits_model", "ALTER TABLE edits ADD COLUMN model TEXT"),
    ("m035_edits_seen", "ALTER TABLE edits ADD COLUMN seen TEXT"),
)
