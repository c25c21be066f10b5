"""Daily feeds for real: each item followed to its article, politely, once, and no item stops a run.

`FeedReader.open` fetches every feed (a conditional GET: a 304 costs nothing), reads item URLs
strictly (ingest.urls: tracking parameters and fragments dropped, every other parameter kept) and
leaves out, before any page request, items the state already has done and items another feed of
the run already brought (a guid counts within its own feed only). At most `max_items` new items
per feed are taken; the rest wait for the next run. `FeedReader.articles` then yields one Article
(or Failure) per item as its page arrives: pages are fetched ahead by a pool that is fair across
hosts (ingest.schedule), so a slow host holds back nobody else. An item whose feed text is short
(a teaser) is fetched from its link and read like any page; when that fails, the brief is made from
the feed text, flagged `teaser_only`, and the reason kept. Whatever goes wrong while reading one
item (any exception) becomes that item's Failure; the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from ..errors import InputError
from ..text.display import shown_link
from ..types import Article, Failure
from .encoding import decode_bytes
from .feeditems import FeedState, Item, Page, item_meta, page_article, read_page
from .feeds import MAX_ENTRIES, FeedEntry, ParsedFeed, entry_article, read_feed
from .feedstats import FeedStats
from .fetch import FEED_TYPES, HTML_TYPES, FetchError, PoliteFetcher
from .markup import sane_article
from .schedule import HostScheduler, Job
from .sources import FeedSource
from .trouble import unforeseen
from .urls import BadURL, clean_url, parse_url, url_key

log = logging.getLogger("summarizer")
FEED_MAX_BYTES = 10_000_000  # a fetched feed (or --max-bytes, if larger): real ones weigh 50 KB-2.5 MB
DEFAULT_MAX_ITEMS = 200  # new items taken from one feed in one run; the rest wait for the next run

__all__ = ["DEFAULT_MAX_ITEMS", "FeedReader", "FeedState", "FeedStats", "url_key"]


class FeedReader:
    """Reads feeds and follows their items (see the module doc).

    Args:
        fetcher: the polite HTTP client.
        state: the run's memory of feeds and items.
        follow: overrides every feed's `follow` when set.
        lookahead: pages fetched ahead of the pipeline.
        max_items: most new items taken from one feed in one run.
    """

    def __init__(self, fetcher: PoliteFetcher, state: FeedState, follow: str | None = None,
                 lookahead: int = 8, max_items: int = DEFAULT_MAX_ITEMS) -> None:
        self.fetcher, self.state, self.follow, self.lookahead = fetcher, state, follow, lookahead
        self.max_items = max_items
        self.stats: list[FeedStats] = []
        self._seen: dict[str, str] = {}
        self._origins: dict[str, dict[str, Any]] = {}
        self._stats_of: dict[str, FeedStats] = {}

    # -- feeds ----------------------------------------------------------------------------------
    def open(self, sources: Sequence[FeedSource]) -> list[Item | Page | Article | Failure]:
        """Fetch every feed (several hosts at once) and list its items: new ones, and Failures for those left out."""
        for source in sources:
            if source.delay is not None or source.max_pages is not None:
                self.fetcher.host_limits(source.url, source.delay, source.max_pages)
        with ThreadPoolExecutor(max_workers=max(1, self.fetcher.settings.concurrency)) as pool:
            answers = list(pool.map(self._fetch_feed, sources))
        out: list[Item | Page | Article | Failure] = []
        for source, answer in zip(sources, answers):
            out.extend(self._feed_items(source, answer))
        return out

    def _fetch_feed(self, source: FeedSource):
        try:
            return self.fetcher.fetch(source.url, accept=FEED_TYPES + HTML_TYPES, page=False,
                                      validators=self.state.validators(source.url),
                                      max_bytes=max(FEED_MAX_BYTES, self.fetcher.settings.max_bytes))
        except FetchError as exc:
            return exc
        except Exception as exc:  # one feed's trouble is that feed's failure
            log.debug("feed fetch failed", exc_info=True)
            return FetchError("network", f"{type(exc).__name__}: {exc}")

    def _feed_items(self, source: FeedSource, answer) -> Iterator[Item | Article | Failure]:
        stats = FeedStats(url=source.url, name=source.name)
        self.stats.append(stats)
        if isinstance(answer, FetchError) and answer.kind == "deferred":
            stats.status, stats.error = "deferred", str(answer)
            yield Failure(source.url, f"skipped: feed left for the next run: {answer}", "deferred", status="skipped")
            return
        if isinstance(answer, FetchError):
            stats.status, stats.error = "failed", str(answer)
            yield Failure(source.url, f"feed not read: {answer}", "ingest")
            return
        if answer.status == 304:
            stats.status = "not_modified"
            return
        if answer.content_type in HTML_TYPES:  # a page given as an input, not a feed
            self.stats.pop()
            self._origins[source.url] = {"feed": source.url, "url": answer.final_url}
            yield page_article(answer, source.url)
            return
        try:
            feed = read_feed(answer.body, max_entries=max(MAX_ENTRIES, self.max_items))
        except Exception as exc:  # noqa: BLE001 - InputError, or whatever a hostile document provokes
            stats.status, stats.error = "failed", str(exc) if isinstance(exc, InputError) else \
                f"feed not readable: {type(exc).__name__}"
            yield Failure(source.url, stats.error, "ingest")
            return
        stats.name = stats.name or feed.title
        stats.deferred += feed.unread  # past the entries read from one feed: unseen, the next run may take them
        self.state.keep_validators(source.url, answer.etag, answer.last_modified)
        yield from self._items(source, feed, stats)

    def _items(self, source: FeedSource, feed: ParsedFeed, stats: FeedStats) -> Iterator[Item | Failure]:
        for entry in feed.entries:
            stats.items += 1
            try:
                if entry.problem:
                    raise InputError(entry.problem)
                item = self._item(source, feed, entry, stats)
            except Exception as exc:  # a hostile item is that item's failure
                log.debug("feed item failed", exc_info=True)
                ref = f"{source.url}#{entry.k}"
                self._track(ref, stats, {"feed": source.url, "url": None})
                reason = str(exc) if isinstance(exc, InputError) else f"feed item {unforeseen(exc)}"
                yield Failure(ref, reason[:300], "ingest")
                continue
            if item is not None:
                yield item

    def _item(self, source: FeedSource, feed: ParsedFeed, entry: FeedEntry, stats: FeedStats) -> Item | Failure | None:
        url = key = problem = None
        if entry.link:
            try:
                url, key = clean_url(entry.link), url_key(entry.link)
            except BadURL as exc:
                problem = f"the item's link is not fetched: {exc}"
        guid = f"guid:{source.url}\x1f{entry.guid}" if entry.guid else None
        ref = key or f"{source.url}#{entry.k}"
        seen = self._seen.get(key or "") or self._seen.get(guid or "")
        if seen:
            stats.duplicates += 1
            return Failure(ref, f"skipped: duplicate of {seen} (the same item in another feed)", "duplicate",
                           status="skipped")
        if self.state.known(key, entry.guid, source.url):
            stats.already_done += 1
            return Failure(ref, "skipped: already done (this feed item was read before)", "state", status="skipped")
        if stats.new >= self.max_items:
            stats.deferred += 1  # unseen: the next run takes it
            return None
        for mark in (key, guid):
            if mark:
                self._seen[mark] = ref
        stats.new += 1
        self._track(ref, stats, {"feed": source.url, "url": url, "url_key": key, "guid": entry.guid})
        return Item(source, feed, entry, stats, ref, key, url, problem)

    def _track(self, ref: str, stats: FeedStats, origin: dict[str, Any]) -> None:
        self._origins[ref] = origin
        self._stats_of[ref] = stats

    # -- outcomes -------------------------------------------------------------------------------
    def origin(self, ref: str) -> dict[str, Any] | None:
        """Where an item of this run came from ({feed, url, url_key, guid}), for `retry`."""
        return self._origins.get(ref)

    def settle(self, ref: str, unfinished: bool) -> None:
        """An item of this run is over: `unfinished` when it failed or was left for the next run."""
        stats = self._stats_of.get(ref)
        if stats is not None and unfinished:
            stats.unfinished += 1

    def complete_feeds(self) -> set[str]:
        """Feeds whose every item went through this run: only their validators may be kept."""
        return {s.url for s in self.stats
                if s.status == "fetched" and not (s.unfinished or s.deferred or s.deferred_pages)}

    # -- items ----------------------------------------------------------------------------------
    def pages(self, wanted: Iterable[tuple[str, Mapping[str, Any] | None]]) -> list[Page | Failure]:
        """Items of an earlier run to read again from their pages (`retry`), with the trust they had then."""
        out: list[Page | Failure] = []
        for ref, origin in wanted:
            if not origin or not origin.get("feed"):
                out.append(Failure(ref, "no record of where this item came from (state of an older version): run "
                                        "its feed again", "ingest"))
            elif not origin.get("url"):
                out.append(Failure(ref, "a feed item without a usable link cannot be read on its own; the next run "
                                        "of its feed reads it again", "ingest"))
            else:
                self._origins[ref] = dict(origin)
                out.append(Page(ref, origin["url"], origin))
        return out

    def articles(self, items: Iterable[Item | Page | Article | Failure]) -> Iterator[Article | Failure]:
        """One Article or Failure per item, as pages arrive (fairly across hosts, a few ahead)."""
        jobs: list[Job[Article | Failure]] = []
        for item in items:
            if isinstance(item, (Item, Page)):
                jobs.append(Job(self._host(item), lambda item=item: self._safely(item)))
            else:
                jobs.append(Job(None, lambda item=item: item))
        scheduler = HostScheduler(self.fetcher.settings.concurrency, self.lookahead, self.fetcher.ready_in)
        for result in scheduler.run(jobs):
            yield sane_article(result) if isinstance(result, Article) else result

    def _host(self, item: Item | Page) -> str | None:
        url = item.url if isinstance(item, Page) else item.url if self._follows(item) else None
        try:
            return parse_url(url).origin_url if url else None  # politeness is per origin
        except BadURL:
            return None

    def _follows(self, item: Item) -> bool:
        mode = self.follow or item.source.follow
        short = len(item.entry.text.split()) < item.source.teaser_words
        return mode == "always" or (mode == "teaser" and short)

    def _safely(self, item: Item | Page) -> Article | Failure:
        try:
            return read_page(self.fetcher, item) if isinstance(item, Page) else self._article(item)
        except Exception as exc:  # no item stops a run: this one fails, with its reason
            log.debug("item failed", exc_info=True)
            return Failure(item.ref, f"this item is {unforeseen(exc)}"[:300], "ingest")

    def _article(self, item: Item) -> Article | Failure:
        source, entry = item.source, item.entry
        base = replace(entry_article(entry, item.feed, item.ref, None, site=source.name, language=source.language),
                       url=item.url, meta=item_meta(item))
        if not self._follows(item) or not entry.link:
            return base if entry.text.strip() else Failure(item.ref, "feed item has no text and no link", "ingest")
        if item.url is None:
            return self._teaser(item, base, FetchError("refused", item.link_problem or "no link"))
        if source.delay is not None or source.max_pages is not None:
            self.fetcher.host_limits(item.url, source.delay, source.max_pages)
        try:
            page = self.fetcher.fetch(item.url, accept=HTML_TYPES, origin=source.url)
            item.stats.fetched += 1
            from .html import parse_html

            article = parse_html(decode_bytes(page.body)[0], item.ref, None, url=page.final_url)
        except FetchError as exc:
            if exc.kind == "deferred":
                item.stats.deferred_pages += 1
                return Failure(item.ref, f"skipped: {exc}", "deferred", status="skipped")
            return self._teaser(item, base, exc)
        except InputError as exc:
            return self._teaser(item, base, exc)
        except Exception as exc:  # a page built to break parsers: the teaser stands in
            log.debug("page not readable", exc_info=True)
            return self._teaser(item, base, InputError(f"page not readable ({type(exc).__name__})"))
        return replace(article, title=article.title or entry.title, site=source.name or item.feed.title or article.site,
                       published_raw=article.published_raw or entry.published,
                       language=source.language or article.language or item.feed.language, meta=item_meta(item))

    def _teaser(self, item: Item, base: Article, exc: Exception) -> Article | Failure:
        kind = getattr(exc, "kind", "extract")
        if kind == "robots":
            item.stats.robots_disallowed += 1
        item.stats.failed.append({"url": item.url or shown_link(item.entry.link), "reason": str(exc)})
        if not item.entry.text.strip():
            return Failure(item.ref, f"page not read ({exc}) and the feed item has no text", "ingest")
        item.stats.teaser_only += 1
        return replace(base, flags=("teaser_only",), meta={**base.meta, "teaser_only": str(exc)})


