"""The items a feed reader works on, the state it asks, and how one page becomes an Article."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from ..errors import InputError
from ..types import Article, Failure
from .encoding import decode_bytes
from .feeds import FeedEntry, ParsedFeed
from .feedstats import FeedStats
from .fetch import HTML_TYPES, FetchError, PoliteFetcher
from .sources import FeedSource
from .web import Fetched


class FeedState(Protocol):
    """What a reader asks of the run's state."""

    def validators(self, feed_url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the feed's last complete read."""

    def keep_validators(self, feed_url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember them once the run has handled every item of the feed."""

    def known(self, url_key: str | None, guid: str | None, feed: str) -> bool:
        """Is this item (by URL key, or by its guid within `feed`) done already?"""


@dataclass(frozen=True)
class Item:
    """A feed item taken up this run: its feed, entry, stats, ref, URL key and the URL fetched."""

    source: FeedSource
    feed: ParsedFeed
    entry: FeedEntry
    stats: FeedStats
    ref: str
    key: str | None
    url: str | None  # what is fetched (None: no link, or one that is refused)
    link_problem: str | None = None


@dataclass(frozen=True)
class Page:
    """A page read again on its own (`retry`), with where it came from."""

    ref: str
    url: str
    origin: Mapping[str, Any]


def page_article(fetched: Fetched, ref: str) -> Article | Failure:
    """An HTML page given directly as an input (no feed around it)."""
    from .html import parse_html

    try:
        return parse_html(decode_bytes(fetched.body)[0], ref, None, url=fetched.final_url)
    except Exception as exc:  # noqa: BLE001 - InputError, or whatever a hostile page provokes
        return Failure(ref, str(exc) if isinstance(exc, InputError) else f"page not readable: {type(exc).__name__}",
                       "ingest")


def item_meta(item: Item) -> dict[str, Any]:
    """The meta of an item's brief: its feed, and how the item is known (URL key, guid)."""
    return {"feed": item.source.url, "feed_item": {"url_key": item.key, "guid": item.entry.guid},
            **({"feed_id": item.entry.guid} if item.entry.guid else {})}


def read_page(fetcher: PoliteFetcher, page: Page) -> Article | Failure:
    """An item of an earlier run read again from its page (`retry`), with the trust it had then."""
    try:
        fetched = fetcher.fetch(page.url, accept=HTML_TYPES, origin=page.origin["feed"])
    except FetchError as exc:
        return Failure(page.ref, f"page not read: {exc}", "deferred" if exc.kind == "deferred" else "ingest",
                       status="skipped" if exc.kind == "deferred" else "failed")
    from .html import parse_html

    try:
        article = parse_html(decode_bytes(fetched.body)[0], page.ref, None, url=fetched.final_url)
    except InputError as exc:
        return Failure(page.ref, str(exc), "ingest")
    item = {k: page.origin.get(k) for k in ("url_key", "guid")}
    meta = {"feed": page.origin["feed"], "feed_item": item} if any(item.values()) else {}
    return replace(article, meta=meta)
