"""A run's inputs: files and folders as they are, feeds and pages from the web, politely, once.

Local files (feed files included) are read as they are. URLs on the command line and the feeds of
`--sources` go through the feed reader (ingest.follow): conditional GETs, items already done
skipped before any request, teasers followed to their pages, pages fetched ahead of the models.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from ..ingest.fetch import FetchSettings, PoliteFetcher
from ..ingest.follow import FeedReader
from ..ingest.inputs import estimate_total, iter_articles, iter_refs
from ..ingest.sources import FeedSource, load_sources
from ..pipeline import Pipeline
from ..types import Article, Failure
from .feedstate import RunFeedState
from .outdir import OUTPUT_NAMES
from .settings import RunSettings
from .state import Store


@dataclass
class Inputs:
    """The item stream of a run, how many items it holds, and the feed reader behind it (if any)."""

    items: Iterable[Article | Failure]
    total: int | None
    reader: FeedReader | None = None
    feed_state: RunFeedState | None = None


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def open_inputs(settings: RunSettings, store: Store, pipeline: Pipeline, stdin: BinaryIO) -> Inputs:
    """Open everything a run reads; feeds are fetched now (so the total is known), pages later."""
    if settings.retry_refs:
        refs = settings.retry_refs
        return Inputs(iter_refs(refs, max_bytes=settings.max_bytes, skip=OUTPUT_NAMES), len(refs))
    local = [i for i in settings.inputs if not _is_url(i)]
    sources = [FeedSource(url=u) for u in settings.inputs if _is_url(u)]
    contact = settings.contact
    if settings.sources:
        listed = load_sources(settings.sources)
        sources += list(listed.feeds)
        contact = contact or listed.contact
    items: Iterable[Article | Failure] = iter_articles(local, max_bytes=settings.max_bytes, stdin=stdin,
                                                       skip=OUTPUT_NAMES) if local else ()
    total = estimate_total(local, skip=OUTPUT_NAMES) if local else 0
    if not sources:
        return Inputs(items, total)
    fetcher = PoliteFetcher(FetchSettings(contact=contact, delay=settings.delay, max_pages=settings.max_pages,
                                          concurrency=settings.concurrency, timeout=settings.fetch_timeout,
                                          max_bytes=settings.max_bytes, allow_private=settings.allow_private))
    state = RunFeedState(store, lambda lang: pipeline.fingerprint(_translator(pipeline, lang)), settings.force)
    reader = FeedReader(fetcher, state, follow=settings.follow)
    opened = reader.open(sources)
    return Inputs(itertools.chain(items, reader.articles(opened)),
                  None if total is None else total + len(opened), reader, state)


def _translator(pipeline: Pipeline, language: str | None) -> str | None:
    if not language or language == pipeline.options.target:
        return None
    return pipeline.profile.translator_for(language)
