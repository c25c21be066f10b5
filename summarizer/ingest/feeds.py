"""RSS 2.0 and Atom feeds: entries with their text (HTML turned into text), and one Article per item."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InputError
from ..text.display import display_url
from ..types import Article, Failure
from .formats import looks_like_html
from .html import html_to_text


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: its number in the feed (from 1), title, link, guid, text, date and author."""

    k: int
    title: str | None
    link: str | None
    guid: str | None
    text: str
    published: str | None
    author: str | None


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's kind ("rss" or "atom"), title, language and entries."""

    kind: str
    title: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]


def read_feed(text: str | bytes) -> ParsedFeed:
    """Parse a feed document.

    Raises:
        InputError: the document is not a feed feedparser can read.
    """
    import feedparser

    feed = feedparser.parse(text)
    if not feed.entries and (feed.bozo or not feed.feed):
        reason = getattr(feed, "bozo_exception", None)
        raise InputError(f"not a readable RSS/Atom feed{': ' + str(reason) if reason else ''}")
    entries = []
    for k, entry in enumerate(feed.entries, start=1):
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        body = max(contents, key=len) if contents else entry.get("summary", "")
        if looks_like_html(body) or "<" in body:
            body = html_to_text(body)
        title = entry.get("title")
        if title and "<" in title:
            title = html_to_text(title)
        entries.append(FeedEntry(k=k, title=title or None, link=entry.get("link"), guid=entry.get("id"), text=body,
                                 published=entry.get("published") or entry.get("updated"),
                                 author=entry.get("author")))
    return ParsedFeed(kind="atom" if feed.version.startswith("atom") else "rss", title=feed.feed.get("title") or None,
                      language=(feed.feed.get("language") or "")[:2].lower() or None, entries=tuple(entries))


def entry_article(entry: FeedEntry, feed: ParsedFeed, ref: str, path: str | None, site: str | None = None,
                  language: str | None = None) -> Article:
    """The Article a feed entry's own text makes (the feed's markup is already gone: extracted)."""
    return Article(ref=ref, text=entry.text, title=entry.title, path=path, url=display_url(entry.link),
                   site=site or feed.title,
                   published_raw=entry.published, language=language or feed.language, author=entry.author,
                   format=feed.kind, meta={"feed_id": entry.guid} if entry.guid else {}, extracted=True)


def parse_feed(text: str, ref: str, path: str | None, max_bytes: int) -> Iterator[Article | Failure]:
    """Yield one Article per item of a feed file, read as it is; an item with no text is a Failure.

    Raises:
        InputError: the document is not a feed feedparser can read.
    """
    feed = read_feed(text)
    for entry in feed.entries:
        item_ref = f"{ref}#{entry.k}"
        if len(entry.text.encode("utf-8")) > max_bytes:
            yield Failure(item_ref, f"feed item is over the {max_bytes / 1e6:g} MB size cap", "ingest")
        elif not entry.text.strip():
            yield Failure(item_ref, "feed item has no content or summary", "ingest")
        else:
            yield entry_article(entry, feed, item_ref, path)
