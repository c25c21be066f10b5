"""The briefs' FTS5 index: its tables, the row a brief makes, and the ranked query.

Each brief is one row of `search_index`, eight columns: the source side (title; sentences) and the
English side (title; summary and sentences), each normalised and stemmed (search.words). Its
metadata (id, date, source, language) sits in `search_docs` under the same rowid. The FTS5 table is
contentless (it keeps the index, not a third copy of the text: snippets read the brief itself), so
a brief made again gets a new rowid and its old row is left behind unjoined (`--reindex` compacts;
rowids are never reused, so an old row never speaks for a new brief). Ranking has two
tiers, as Tatoeba learned it must: briefs that match on normalised words come first, then briefs
that match on stems only; within a tier BM25, titles weighing more than text, normalised columns
more than stems. The statements here run on a connection the caller owns (store/ and runs/ write them in
the transaction that marks an article done).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .query import Query, fts_expression
from .words import index_forms

COLUMNS = ("src_title", "src_text", "src_title_stem", "src_text_stem",
           "en_title", "en_text", "en_title_stem", "en_text_stem")
WEIGHTS = (10.0, 4.0, 3.0, 1.0, 10.0, 4.0, 3.0, 1.0)
STEMMED_SOURCES = ("ar",)  # the source languages the Snowball Arabic stemmer is for

SCHEMA = (
    ("m015_search_index", f"CREATE VIRTUAL TABLE search_index USING fts5({', '.join(COLUMNS)}, content='', "
                          "tokenize = 'unicode61 remove_diacritics 1')"),
    ("m016_search_docs", """CREATE TABLE search_docs (
         rowid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, date TEXT, source TEXT, language TEXT)"""),
    ("m017_search_meta", "CREATE TABLE search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
    # a folder with briefs from before the index has an incomplete one, until `search --reindex`
    ("m018_search_complete", "INSERT INTO search_meta SELECT 'complete', '1' WHERE NOT EXISTS "
                             "(SELECT 1 FROM articles WHERE status = 'done')"),
)
DELETE = "DELETE FROM search_docs WHERE id = ?"
CLEAR = ("INSERT INTO search_index(search_index) VALUES ('delete-all')", "DELETE FROM search_docs")
INSERT_DOC = "INSERT INTO search_docs (id, date, source, language, made) VALUES (?, ?, ?, ?, ?)"
INSERT_TEXT = f"INSERT INTO search_index (rowid, {', '.join(COLUMNS)}) VALUES (last_insert_rowid(), " \
              f"{', '.join('?' * len(COLUMNS))})"


@dataclass(frozen=True)
class IndexRow:
    """What one brief puts in the index."""

    id: str
    date: str | None  # the day the article was published (None: unknown)
    source: str | None
    language: str | None
    columns: tuple[str, ...]
    made: str | None = None  # the (UTC) day its brief was made


def brief_date(brief: Mapping[str, Any]) -> str | None:
    """The day a brief's article was published, or None when unknown (never the day it was made: an
    undated old text is not news)."""
    return (brief.get("source") or {}).get("published") or None


def brief_made(brief: Mapping[str, Any]) -> str | None:
    """The (UTC) day a brief was made."""
    return (brief.get("created_at") or "")[:10] or None


def brief_source(brief: Mapping[str, Any]) -> str | None:
    """The site a brief came from (a name, else the URL's host)."""
    source = brief.get("source") or {}
    if source.get("site"):
        return str(source["site"])
    url = str(source.get("url") or "")
    if url.count("/") >= 2:
        return url.split("/")[2]
    path = str(source.get("path") or "")
    return path.replace("\\", "/").rsplit("/", 1)[-1] or None


def index_row(brief: Mapping[str, Any]) -> IndexRow:
    """The index row of a brief (a brief's dict, as in briefs.jsonl)."""
    stem = brief.get("language") in STEMMED_SOURCES
    sentences = brief.get("sentences") or []
    src_title = index_forms(str((brief.get("title") or {}).get("ar") or ""), stem)
    src_text = index_forms("\n".join(str(s.get("ar") or "") for s in sentences), stem)
    en_title = index_forms(str((brief.get("title") or {}).get("en") or ""))
    english = [str((brief.get("summary") or {}).get("en") or "")] + [str(s.get("en") or "") for s in sentences]
    en_text = index_forms("\n".join(english))
    columns = (src_title[0], src_text[0], src_title[1], src_text[1], en_title[0], en_text[0], en_title[1], en_text[1])
    return IndexRow(str(brief["id"]), brief_date(brief), brief_source(brief), brief.get("language"), columns,
                    brief_made(brief))


def write_statements(row: IndexRow) -> list[tuple[str, tuple]]:
    """The statements that put a brief in the index, replacing what it had there."""
    return [(DELETE, (row.id,)), (INSERT_DOC, (row.id, row.date, row.source, row.language, row.made)),
            (INSERT_TEXT, row.columns)]


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides its words.

    `since` and `until` compare the day an article was published (`by="published"`) or the day its
    brief was made (`by="made"`). An article whose publication day is unknown is left out by a
    published-day range unless `undated` keeps it.
    """

    lang: str = "any"
    since: str | None = None
    until: str | None = None
    source: str | None = None
    limit: int = 20
    by: str = "published"
    undated: bool = False


def search_sql(query: Query, filters: Filters) -> tuple[str, dict[str, Any]] | None:
    """The ranked query: (SQL, parameters), or None when nothing can match."""
    full = fts_expression(query, filters.lang)
    if full is None:
        return None
    exact = fts_expression(query, filters.lang, exact_only=True)
    weights = ", ".join(str(w) for w in WEIGHTS)
    where = ["search_index MATCH :full"]
    params: dict[str, Any] = {"full": full, "exact": exact or full, "limit": filters.limit}
    column = "d.made" if filters.by == "made" else "d.date"
    keep = f"{column} IS NULL OR " if filters.undated and filters.by != "made" else ""
    if filters.since:
        where.append(f"({keep}{column} >= :since)")
        params["since"] = filters.since
    if filters.until:
        where.append(f"({keep}{column} <= :until)")
        params["until"] = filters.until
    if filters.source:
        where.append("lower(d.source) LIKE :source")
        params["source"] = f"%{filters.source.lower()}%"
    exact_test = "search_index.rowid IN (SELECT rowid FROM search_index WHERE search_index MATCH :exact)" \
        if exact else "0"
    sql = (f"SELECT d.id, d.date, d.source, d.language, -bm25(search_index, {weights}) AS score, "
           f"{exact_test} AS exact FROM search_index JOIN search_docs d ON d.rowid = search_index.rowid "
           f"WHERE {' AND '.join(where)} ORDER BY exact DESC, score DESC, d.date DESC LIMIT :limit")
    return sql, params
