"""RSS 2.0 and Atom feed files -> one Article per item (feedparser)."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import InputError
from ..types import Article, Failure
from .formats import looks_like_html
from .html import html_to_text


def parse_feed(text: str, ref: str, path: str | None, max_bytes: int) -> Iterator[Article | Failure]:
    """Yield one Article per feed item; an item with no text is a Failure of its own.

    Raises:
        InputError: the document is not a feed feedparser can read.
    """
    import feedparser

    feed = feedparser.parse(text)
    if not feed.entries and (feed.bozo or not feed.feed):
        reason = getattr(feed, "bozo_exception", None)
        raise InputError(f"not a readable RSS/Atom feed{': ' + str(reason) if reason else ''}")
    kind = "atom" if feed.version.startswith("atom") else "rss"
    site = feed.feed.get("title") or None
    language = (feed.feed.get("language") or "")[:2].lower() or None
    for k, entry in enumerate(feed.entries, start=1):
        item_ref = f"{ref}#{k}"
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        body = max(contents, key=len) if contents else entry.get("summary", "")
        if len(body.encode("utf-8")) > max_bytes:
            yield Failure(item_ref, f"feed item is over the {max_bytes / 1e6:g} MB size cap", "ingest")
            continue
        if looks_like_html(body) or "<" in body:
            body = html_to_text(body)
        if not body.strip():
            yield Failure(item_ref, "feed item has no content or summary", "ingest")
            continue
        title = entry.get("title")
        if title and "<" in title:
            title = html_to_text(title)
        yield Article(
            ref=item_ref, text=body, title=title or None, path=path, url=entry.get("link"),
            site=site, published_raw=entry.get("published") or entry.get("updated"),
            language=language, author=entry.get("author"), format=kind, extracted=True,
            meta={"feed_id": entry["id"]} if entry.get("id") else {},
        )
