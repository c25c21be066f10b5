"""A run's inputs: files and folders as they are, feeds and pages from the web, politely, once.

Local files (feed files included) are read as they are; the output folder and the state database
are never read as input, wherever they are. URLs on the command line and the feeds of `--sources`
go through the feed reader (ingest.follow): conditional GETs, items already done skipped before
any request, teasers followed to their pages, pages fetched ahead of the models. `retry` reads
failed web items again through the same fetcher, with the trust they had the first time.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import ConfigError
from ..ingest.fetch import FetchSettings, PoliteFetcher
from ..ingest.follow import FeedReader
from ..ingest.inputs import estimate_total, iter_articles, iter_refs
from ..ingest.sources import FeedSource, load_sources
from ..pipeline import Pipeline
from ..store.feedstate import RunFeedState
from ..store.outdir import OUTPUT_NAMES, state_path
from ..store.state import Store
from ..types import Article, Failure
from .settings import RunSettings


@dataclass
class Inputs:
    """The item stream of a run, how many items it holds, and the feed reader behind it (if any)."""

    items: Iterable[Article | Failure]
    total: int | None
    reader: FeedReader | None = None
    feed_state: RunFeedState | None = None


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def excluded_paths(settings: RunSettings) -> frozenset[str]:
    """What a folder walk must never read: the output folder and the state database (real paths).

    Raises:
        ConfigError: an input is the output folder, or inside it.
    """
    out = os.path.realpath(settings.out)
    state = os.path.realpath(state_path(settings.out, settings.state))
    for value in settings.inputs:
        if value == "-" or _is_url(value):
            continue
        real = os.path.realpath(value)
        if real == out or real.startswith(out + os.sep):
            raise ConfigError(f"the input {value} is the output folder {settings.out} or inside it: briefs would be "
                              f"read as articles (give the articles' folder, or another --out)")
    return frozenset({out, state})


def fetcher_for(settings: RunSettings, contact: str | None) -> PoliteFetcher:
    """The one polite fetcher of a run (feeds, pages, URL arguments, retries)."""
    return PoliteFetcher(FetchSettings(contact=contact, delay=settings.delay, max_pages=settings.max_pages,
                                       concurrency=settings.concurrency, timeout=settings.fetch_timeout,
                                       max_bytes=settings.max_bytes, allow_private=settings.allow_private))


def open_inputs(settings: RunSettings, store: Store, pipeline: Pipeline, stdin: BinaryIO) -> Inputs:
    """Open everything a run reads; feeds are fetched now (so the total is known), pages later."""
    exclude = excluded_paths(settings)
    contact = settings.contact
    listed = load_sources(settings.sources) if settings.sources else None
    if listed is not None:
        contact = contact or listed.contact
    state = RunFeedState(store, lambda lang: pipeline.fingerprint(_translator(pipeline, lang)), settings.force)
    if settings.retry_refs:
        return _retry_inputs(settings, state, contact, exclude)
    local = [i for i in settings.inputs if not _is_url(i)]
    sources = [FeedSource(url=u) for u in settings.inputs if _is_url(u)] + list(listed.feeds if listed else ())
    items: Iterable[Article | Failure] = iter_articles(local, max_bytes=settings.max_bytes, stdin=stdin,
                                                       skip=OUTPUT_NAMES, exclude=exclude) if local else ()
    total = estimate_total(local, skip=OUTPUT_NAMES, exclude=exclude) if local else 0
    if not sources:
        return Inputs(items, total)
    reader = FeedReader(fetcher_for(settings, contact), state, follow=settings.follow, max_items=settings.max_items)
    opened = reader.open(sources)
    return Inputs(itertools.chain(items, reader.articles(opened)),
                  None if total is None else total + len(opened), reader, state)


def _retry_inputs(settings: RunSettings, state: RunFeedState, contact: str | None,
                  exclude: frozenset[str]) -> Inputs:
    """The failed items of the last run: local ones re-read, web ones fetched again as they were."""
    refs = settings.retry_refs
    web = [r for r in refs if r in settings.retry_origins or _is_url(r)]
    local = [r for r in refs if r not in set(web)]
    items: Iterable[Article | Failure] = iter_refs(local, max_bytes=settings.max_bytes, skip=OUTPUT_NAMES,
                                                   exclude=exclude) if local else ()
    if not web:
        return Inputs(items, len(refs))
    reader = FeedReader(fetcher_for(settings, contact), state, follow=settings.follow, max_items=settings.max_items)
    pages = reader.pages((r, settings.retry_origins.get(r)) for r in web)
    return Inputs(itertools.chain(items, reader.articles(pages)), len(refs), reader, state)


def _translator(pipeline: Pipeline, language: str | None) -> str | None:
    if not language or language == pipeline.options.target:
        return None
    return pipeline.profile.translator_for(language)

