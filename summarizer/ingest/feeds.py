"""RSS 2.0 and Atom feeds: entries with their text (HTML turned into text), and one Article per item."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InputError
from ..text.display import display_url
from ..types import Article, Failure
from .feedsplit import split_feed
from .formats import looks_like_html
from .html import html_to_text
from .markup import MAX_FEED_ELEMENTS, MAX_ITEM_ELEMENTS, clean_markup, clean_markup_bytes, element_count, scrub
from .trouble import unforeseen

MAX_ENTRIES = 1_000  # items read from one feed document: the rest are counted, never parsed
PARSER_FAILS = "the feed parser fails on it"


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: its number in the feed (from 1), title, link, guid, text, date and author.

    `problem` says why the item could not be read (its other fields are then empty).
    """

    k: int
    title: str | None
    link: str | None
    guid: str | None
    text: str
    published: str | None
    author: str | None
    problem: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's kind ("rss" or "atom"), title, language and entries; `unread`: items past the cap, not parsed."""

    kind: str
    title: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]
    unread: int = 0


def read_feed(data: str | bytes, max_entries: int | None = MAX_ENTRIES,
              max_elements: int | None = MAX_FEED_ELEMENTS) -> ParsedFeed:
    """Parse a feed document, item by item (ingest.feedsplit): each item's trouble is that entry's `problem`.

    Args:
        data: the document (bytes: as fetched, its own encoding declaration honoured).
        max_entries: items read at most; the rest are counted in `unread`, never parsed.
        max_elements: elements read from the whole feed at most (None: only the cap per item).

    Raises:
        InputError: not a feed, or over the element budget in its head.
    """
    import feedparser

    data = clean_markup_bytes(data) if isinstance(data, bytes) else clean_markup(data)
    split = split_feed(data, max_entries)
    if split is None:
        if element_count(data, MAX_ITEM_ELEMENTS) > MAX_ITEM_ELEMENTS:
            raise InputError(f"not a readable RSS/Atom feed (no item, and over {MAX_ITEM_ELEMENTS:,} elements)")
        feed = _parse(feedparser, data)
        if not feed.entries and (feed.bozo or not feed.feed):
            reason = getattr(feed, "bozo_exception", None)
            raise InputError(f"not a readable RSS/Atom feed{': ' + str(reason) if reason else ''}")
        entries = [_entry(k, e) for k, e in enumerate(feed.entries[:max_entries], start=1)]
        return _feed(feed, entries, len(feed.entries) - len(entries))
    head = _head(feedparser, split.head)
    entries, budget = [], max_elements
    kind = None
    for k, doc in enumerate(split.items, start=1):
        cost = element_count(doc, MAX_ITEM_ELEMENTS)
        if cost > MAX_ITEM_ELEMENTS:
            entries.append(_failed(k, f"over {MAX_ITEM_ELEMENTS:,} elements in one item (a hostile or broken item)"))
        elif budget is not None and budget < cost:
            budget = 0  # the items after it are not read either: the feed's order is kept
            entries.append(_failed(k, f"past the {max_elements:,} elements read from one feed"))
        else:
            budget = None if budget is None else budget - cost
            entry, version = _one_entry(feedparser, k, doc)
            entries.append(entry)
            kind = kind or version
    if head is None or not (head.feed or kind):
        if not any(e.problem is None for e in entries):
            raise InputError("not a readable RSS/Atom feed")
    return _feed(head, entries, split.total - len(split.items), kind)


def _parse(feedparser, data):
    """feedparser's reading. What it raises on a malformed document (a loose-parser KeyError on an
    `</item>` inside a `<link>`, say) is the document's InputError: no cleaning can foresee them all."""
    try:
        return feedparser.parse(data)
    except Exception as exc:  # noqa: BLE001 - feedparser's own failure on this document
        raise InputError(f"{PARSER_FAILS} ({type(exc).__name__}: {str(exc)[:80]})") from None


def _head(feedparser, head):
    """The channel's own elements, or None (too many elements, or a head no parser can read)."""
    if element_count(head, MAX_ITEM_ELEMENTS) > MAX_ITEM_ELEMENTS:
        return None
    try:
        return _parse(feedparser, head)
    except Exception:  # noqa: BLE001 - the items may still be read; the feed has no title then
        return None


def _one_entry(feedparser, k: int, doc) -> tuple[FeedEntry, str | None]:
    """Entry `k` from its one-item document; any exception is its problem."""
    try:
        parsed = _parse(feedparser, doc)
        if not parsed.entries:
            return _failed(k, "not readable as a feed item"), None
        return _entry(k, parsed.entries[0]), parsed.get("version") or None
    except Exception as exc:  # noqa: BLE001 - one item's trouble is that item's failure
        return _failed(k, f"feed item not readable: {exc}" if isinstance(exc, InputError) else
                       f"feed item {unforeseen(exc)}"), None


def _failed(k: int, problem: str) -> FeedEntry:
    return FeedEntry(k=k, title=None, link=None, guid=None, text="", published=None, author=None, problem=problem)


def _str(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _entry(k: int, entry) -> FeedEntry:
    contents = [c.get("value") for c in entry.get("content") or [] if isinstance(c, dict)]
    contents = [c for c in contents if isinstance(c, str) and c]
    body = max(contents, key=len) if contents else (_str(entry.get("summary")) or "")
    if looks_like_html(body) or "<" in body:
        body = html_to_text(body, MAX_ITEM_ELEMENTS)
    title = _str(entry.get("title"))
    if title and "<" in title:
        title = html_to_text(title, MAX_ITEM_ELEMENTS)
    return FeedEntry(k=k, title=title or None, link=_str(entry.get("link")), guid=_str(entry.get("id")),
                     text=scrub(body), published=_str(entry.get("published")) or _str(entry.get("updated")),
                     author=_str(entry.get("author")))


def _feed(feed, entries: list[FeedEntry], unread: int, version: str | None = None) -> ParsedFeed:
    meta = feed.feed if feed is not None else {}
    version = (feed.get("version") if feed is not None else None) or version or ""
    language = _str(meta.get("language")) or ""
    return ParsedFeed(kind="atom" if version.startswith("atom") else "rss", title=_str(meta.get("title")),
                      language=language[:2].lower() or None, entries=tuple(entries), unread=max(0, unread))


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
    feed = read_feed(text, max_entries=None, max_elements=None)  # the user's own file: every item
    for entry in feed.entries:
        item_ref = f"{ref}#{entry.k}"
        if entry.problem:
            yield Failure(item_ref, entry.problem, "ingest")
        elif len(entry.text.encode("utf-8")) > max_bytes:
            yield Failure(item_ref, f"feed item is over the {max_bytes / 1e6:g} MB size cap", "ingest")
        elif not entry.text.strip():
            yield Failure(item_ref, "feed item has no content or summary", "ingest")
        else:
            yield entry_article(entry, feed, item_ref, path)
