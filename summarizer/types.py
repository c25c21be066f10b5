"""Data contracts between layers: frozen dataclasses, JSON-friendly.

Everything that crosses a layer boundary is defined here: what ingest yields (Article,
Failure), what the steps produce (Cleaned, Sentence, Translation, Summary) and the product
(Brief). Nothing here imports a model library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = 3


@dataclass(frozen=True)
class Article:
    """One article as read from an input, before cleaning.

    Attributes:
        ref: where it came from, for messages and the report ("dir/a.jsonl:3", "feed.xml#2", "-").
        text: body text (plain text; paragraphs separated by newlines).
        title: title from the input's metadata, if any.
        path: input file path, if any.
        url: article URL, if known.
        site: source site (domain or feed title).
        published_raw: publication date as the input gave it.
        language: language declared by the input (ISO 639-1), if any.
        author: author declared by the input's metadata.
        format: input format ("txt", "json", "jsonl", "html", "rss", "atom").
        meta: other fields of the input, kept as metadata.
        extracted: the text came out of an HTML extractor (page furniture already gone), so
            the cleaner applies only its pattern rules, never its position rules.
        flags: article-level flags the input stage already knows (e.g. "teaser_only").
    """

    ref: str
    text: str
    title: str | None = None
    path: str | None = None
    url: str | None = None
    site: str | None = None
    published_raw: str | None = None
    language: str | None = None
    author: str | None = None
    format: str = "txt"
    meta: Mapping[str, Any] = field(default_factory=dict)
    extracted: bool = False
    flags: tuple[str, ...] = ()


# Failure.stage values: where an item stopped, and why it has no brief.
FAILURE_STAGES = ("ingest", "deferred", "clean", "route", "duplicate", "state", "translate", "summarize", "render")


@dataclass(frozen=True)
class Failure:
    """An input or article that produced no brief, and why (a bad article is data, not a crash).

    Attributes:
        ref: where it came from (see Article.ref).
        error: one-line reason, written for the user.
        stage: where it stopped (FAILURE_STAGES): ingest, deferred (left for the next run: its
            host asks for a longer Crawl-delay than the tool waits, or its robots.txt could not be
            read), clean, route (no model for its language), duplicate (same body earlier in the run), state (already done),
            translate, summarize, render.
        status: "failed" (counts toward exit code 1) or "skipped" (said, not an error).
        id: the article id when it was known.
        fingerprint: the pipeline fingerprint it was judged under, when known.
    """

    ref: str
    error: str
    stage: str
    status: str = "failed"
    id: str | None = None
    fingerprint: str | None = None

    ok = False


@dataclass(frozen=True)
class Sentence:
    """One source sentence: global index, paragraph index, text, and whether it is translated."""

    i: int
    p: int
    text: str
    translate: bool = True


@dataclass(frozen=True)
class Removed:
    """A line the cleaner removed, with the rule that removed it."""

    text: str
    reason: str


@dataclass(frozen=True)
class Cleaned:
    """The cleaner's result: body paragraphs, what was removed, and fields found on the way."""

    paragraphs: tuple[str, ...]
    removed: tuple[Removed, ...] = ()
    dateline: str | None = None
    byline: str | None = None
    title: str | None = None

    @property
    def body(self) -> str:
        """The cleaned article body, paragraphs separated by newlines."""
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Translation:
    """One sentence's translation.

    Attributes:
        text: the translation.
        pieces: how many token windows the source was split into (1 = it fit).
        hit_limit: some piece's output stopped at the length limit rather than at its end.
        score: mean token log-probability given by the engine.
        flags: what the checks and repairs did ("retried", "fallback_model", "degenerate:loop" ...).
        model: the model that made it, when not the article's translator (fallback).
    """

    text: str
    pieces: int = 1
    hit_limit: bool = False
    score: float | None = None
    flags: tuple[str, ...] = ()
    model: str | None = None


@dataclass(frozen=True)
class Summary:
    """One article's summary.

    Attributes:
        text: the English summary.
        coverage: share of the translation's tokens that reached the summariser's final input
            (1.0 when every chunk summary fed the final pass).
        rounds: summarisation rounds (1 = single pass; more = map-reduce).
        chunks: chunks of the first round.
        hit_limit: the final summary stopped at its length limit.
        flags: article flags ("map_reduce", "truncated", "summary_empty").
    """

    text: str
    coverage: float = 1.0
    rounds: int = 1
    chunks: int = 1
    hit_limit: bool = False
    flags: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class BriefSentence:
    """A source sentence and its translation, as written in a brief."""

    i: int
    p: int
    ar: str
    en: str
    flags: tuple[str, ...] = ()
    score: float | None = None


@dataclass(frozen=True)
class Brief:
    """A bilingual brief: the product of the pipeline for one article (schema in docs/analysts.md)."""

    id: str
    source: Mapping[str, Any]
    language: str
    title: Mapping[str, Any]
    summary: Mapping[str, Any]
    sentences: tuple[BriefSentence, ...]
    summary_links: tuple[tuple[int, tuple[int, ...]], ...]
    removed: tuple[Removed, ...]
    checks: Mapping[str, Any]
    models: Mapping[str, Any]
    timings_ms: Mapping[str, int]
    created_at: str
    meta: Mapping[str, Any] = field(default_factory=dict)
    schema: int = SCHEMA_VERSION
    fingerprint: str = field(default="", compare=False)  # pipeline config it was made under (not in JSON)

    ok = True

    def to_dict(self) -> dict[str, Any]:
        """The brief as a JSON-ready dict (key order is the documented order)."""
        data = _plain(asdict(self))
        order = ["schema", "id", "source", "language", "title", "summary", "sentences",
                 "summary_links", "removed", "checks", "models", "timings_ms", "created_at", "meta"]
        return {k: data[k] for k in order}

    @property
    def summary_sentences(self) -> tuple[str, ...]:
        """The English summary, one entry per sentence (split once, when the brief was made)."""
        return tuple(self.summary.get("en_sentences") or ())


def _plain(value: Any) -> Any:
    """Tuples -> lists and mappings -> dicts, recursively (what JSON and its schemas expect)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def brief_from_dict(data: Mapping[str, Any]) -> Brief:
    """Rebuild a Brief from its JSON form (for digests and re-rendering)."""
    return Brief(
        id=data["id"], source=data.get("source", {}), language=data.get("language", ""),
        title=data.get("title", {}), summary=data.get("summary", {}),
        sentences=tuple(BriefSentence(i=s["i"], p=s.get("p", 0), ar=s["ar"], en=s["en"],
                                      flags=tuple(s.get("flags", ())), score=s.get("score"))
                        for s in data.get("sentences", ())),
        summary_links=tuple((int(k), tuple(v)) for k, v in data.get("summary_links", ())),
        removed=tuple(Removed(**r) for r in data.get("removed", ())),
        checks=data.get("checks", {}), models=data.get("models", {}),
        timings_ms=data.get("timings_ms", {}), created_at=data.get("created_at", ""),
        meta=data.get("meta", {}), schema=data.get("schema", SCHEMA_VERSION),
    )
