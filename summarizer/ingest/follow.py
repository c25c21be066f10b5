"""Daily feeds for real: each item followed to its article, politely, once.

`FeedReader.open` fetches every feed (a conditional GET: a 304 costs nothing), normalises item
URLs (courlan: host lower-cased, tracking parameters and fragments dropped), and leaves out, before
any page request, items the state already has done and items another feed of the run already
brought. `FeedReader.articles` then yields one Article (or Failure) per item, in order, while a
small thread pool fetches the next pages ahead. An item whose feed text is short (a teaser) is
fetched from its link and read like any page (trafilatura, JSON-LD fallback); when that fails,
the brief is made from the feed text, flagged `teaser_only`, and the reason is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from ..errors import InputError
from ..types import Article, Failure
from .encoding import decode_bytes
from .feeds import FeedEntry, ParsedFeed, entry_article, read_feed
from .fetch import FEED_TYPES, HTML_TYPES, FetchError, PoliteFetcher
from .sources import FeedSource

FEED_SIZE_FACTOR = 20  # a feed holds many articles: it may be this many times the size cap of one


class FeedState(Protocol):
    """What a reader asks of the run's state."""

    def validators(self, feed_url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the feed's last complete read."""

    def keep_validators(self, feed_url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember them once the run has handled every item of the feed."""

    def known(self, url_key: str | None, guid: str | None) -> bool:
        """Is this item done already (its brief written under the current pipeline)?"""


def url_key(url: str | None) -> str | None:
    """An item URL normalised for "seen before?" (lower-case host, no tracking parameters, no fragment)."""
    if not url:
        return None
    from courlan import normalize_url

    try:
        return normalize_url(url, strict=True)
    except (ValueError, AttributeError):
        return url.strip()


@dataclass
class FeedStats:
    """What happened to one feed in a run (the report's per-feed entry)."""

    url: str
    name: str | None = None
    status: str = "fetched"  # fetched | not_modified | failed
    error: str | None = None
    items: int = 0
    already_done: int = 0
    duplicates: int = 0
    new: int = 0
    fetched: int = 0
    teaser_only: int = 0
    robots_disallowed: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The entry as written in run-report.json."""
        return dict(vars(self))


@dataclass(frozen=True)
class _Item:
    source: FeedSource
    feed: ParsedFeed
    entry: FeedEntry
    stats: FeedStats
    ref: str
    key: str | None


class FeedReader:
    """Reads feeds and follows their items (see the module doc).

    Args:
        fetcher: the polite HTTP client.
        state: the run's memory of feeds and items.
        follow: overrides every feed's `follow` when set.
        lookahead: pages fetched ahead of the pipeline.
    """

    def __init__(self, fetcher: PoliteFetcher, state: FeedState, follow: str | None = None,
                 lookahead: int = 8) -> None:
        self.fetcher, self.state, self.follow, self.lookahead = fetcher, state, follow, lookahead
        self.stats: list[FeedStats] = []
        self._seen: dict[str, str] = {}

    def open(self, sources: Sequence[FeedSource]) -> list[_Item | Article | Failure]:
        """Fetch every feed and list its items: new ones, and Failures for those left out."""
        out: list[_Item | Failure] = []
        for source in sources:
            stats = FeedStats(url=source.url, name=source.name)
            self.stats.append(stats)
            if source.delay is not None or source.max_pages is not None:
                self.fetcher.host_limits(source.url, source.delay, source.max_pages)
            try:
                fetched = self.fetcher.fetch(source.url, accept=FEED_TYPES + HTML_TYPES, page=False,
                                             validators=self.state.validators(source.url),
                                             max_bytes=self.fetcher.settings.max_bytes * FEED_SIZE_FACTOR)
            except FetchError as exc:
                stats.status, stats.error = "failed", str(exc)
                out.append(Failure(source.url, f"feed not read: {exc}", "ingest"))
                continue
            if fetched.status == 304:
                stats.status = "not_modified"
                continue
            if fetched.content_type in HTML_TYPES:  # a page given as an input, not a feed
                self.stats.pop()
                out.append(_page(fetched, source.url))
                continue
            try:
                feed = read_feed(fetched.body)
            except InputError as exc:
                stats.status, stats.error = "failed", str(exc)
                out.append(Failure(source.url, str(exc), "ingest"))
                continue
            stats.name = stats.name or feed.title
            self.state.keep_validators(source.url, fetched.etag, fetched.last_modified)
            out.extend(self._items(source, feed, stats))
        return out

    def _items(self, source: FeedSource, feed: ParsedFeed, stats: FeedStats) -> Iterator[_Item | Failure]:
        for entry in feed.entries:
            stats.items += 1
            key = url_key(entry.link)
            ref = key or f"{source.url}#{entry.k}"
            seen = self._seen.get(key or "") or self._seen.get(f"guid:{entry.guid}" if entry.guid else "")
            if seen:
                stats.duplicates += 1
                yield Failure(ref, f"skipped: duplicate of {seen} (the same item in another feed)", "duplicate",
                              status="skipped")
                continue
            for mark in (key, f"guid:{entry.guid}" if entry.guid else None):
                if mark:
                    self._seen[mark] = ref
            if self.state.known(key, entry.guid):
                stats.already_done += 1
                yield Failure(ref, "skipped: already done (this feed item was read before)", "state",
                              status="skipped")
                continue
            stats.new += 1
            yield _Item(source, feed, entry, stats, ref, key)

    def articles(self, items: Iterable[_Item | Article | Failure]) -> Iterator[Article | Failure]:
        """One Article or Failure per item, in order; pages are fetched ahead in a thread pool."""
        pending: list = []
        with ThreadPoolExecutor(max_workers=max(1, self.fetcher.settings.concurrency)) as pool:
            for item in items:
                pending.append(pool.submit(self._article, item) if isinstance(item, _Item) else item)
                while len(pending) > self.lookahead:
                    head = pending.pop(0)
                    yield head.result() if hasattr(head, "result") else head
            for head in pending:
                yield head.result() if hasattr(head, "result") else head

    def _article(self, item: _Item) -> Article | Failure:
        source, entry = item.source, item.entry
        base = replace(entry_article(entry, item.feed, item.ref, None, site=source.name, language=source.language),
                       meta=_meta(item))
        mode = self.follow or source.follow
        short = len(entry.text.split()) < source.teaser_words
        if mode == "never" or (mode == "teaser" and not short) or not entry.link:
            return base if entry.text.strip() else Failure(item.ref, "feed item has no text and no link", "ingest")
        if source.delay is not None or source.max_pages is not None:
            self.fetcher.host_limits(entry.link, source.delay, source.max_pages)
        try:
            page = self.fetcher.fetch(item.key or entry.link, accept=HTML_TYPES, origin=source.url)
            item.stats.fetched += 1
            from .html import parse_html

            article = parse_html(decode_bytes(page.body)[0], item.ref, None, url=page.final_url)
        except (FetchError, InputError) as exc:
            return self._teaser(item, base, exc)
        return replace(article, title=article.title or entry.title, site=source.name or item.feed.title or article.site,
                       published_raw=article.published_raw or entry.published,
                       language=source.language or article.language or item.feed.language, meta=_meta(item))

    def _teaser(self, item: _Item, base: Article, exc: Exception) -> Article | Failure:
        kind = getattr(exc, "kind", "extract")
        if kind == "robots":
            item.stats.robots_disallowed += 1
        item.stats.failed.append({"url": item.entry.link or "", "reason": str(exc)})
        if not item.entry.text.strip():
            return Failure(item.ref, f"page not read ({exc}) and the feed item has no text", "ingest")
        item.stats.teaser_only += 1
        return replace(base, flags=("teaser_only",), meta={**base.meta, "teaser_only": str(exc)})


def _page(fetched, ref: str) -> Article | Failure:
    """An HTML page given directly as an input (no feed around it)."""
    from .html import parse_html

    try:
        return parse_html(decode_bytes(fetched.body)[0], ref, None, url=fetched.final_url)
    except InputError as exc:
        return Failure(ref, str(exc), "ingest")


def _meta(item: _Item) -> dict[str, Any]:
    return {"feed": item.source.url, "feed_item": {"url_key": item.key, "guid": item.entry.guid},
            **({"feed_id": item.entry.guid} if item.entry.guid else {})}
