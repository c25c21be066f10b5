"""HTML pages -> Articles: main text with trafilatura (precision settings), JSON-LD fallback.

Scripts, styles, comments and navigation never become text: trafilatura drops them, and the
JSON-LD fallback reads only `articleBody`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..text.display import display_url
from ..types import Article
from .jsonload import loads_bounded
from .markup import MAX_PAGE_ELEMENTS, clean_markup, element_count, scrub

BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
              "article", "header", "footer", "figcaption", "pre", "dd", "dt")
_TAG_RE = re.compile(r"<[^>]*>")
_DROP_RE = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.S | re.I)
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "nav", "form", "button")


def html_to_text(fragment: str, max_elements: int | None = MAX_PAGE_ELEMENTS) -> str:
    """Plain text of an HTML fragment (feed item, JSON field): block elements become lines.

    Unlike page extraction this keeps every text node outside scripts, styles and navigation,
    since a fragment is the article content already.

    Raises:
        InputError: more than `max_elements` tags (counted before parsing).
    """
    import lxml.html
    from lxml import etree

    fragment = clean_markup(fragment)
    _check_elements(fragment, max_elements, "HTML")
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):  # e.g. a fragment holding <html> or two <body>s
        return _tags_dropped(fragment)
    for el in root.iter(etree.Comment):
        el.drop_tree() if hasattr(el, "drop_tree") else None
    for tag in DROP_TAGS:
        for el in root.findall(f".//{tag}"):
            el.drop_tree()
    for el in root.iter(*BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    text = root.text_content()
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _check_elements(text: str, cap: int | None, what: str) -> None:
    if cap is not None and element_count(text, cap) > cap:
        raise InputError(f"the {what} holds over {cap:,} elements (tags): over the parse budget, not read")


def _tags_dropped(fragment: str) -> str:
    """Text of markup no tree can be built from: the tags dropped, the entities read."""
    import html as htmllib

    text = htmllib.unescape(_TAG_RE.sub(" ", _DROP_RE.sub(" ", fragment)))
    lines = (" ".join(line.split()) for line in scrub(text).splitlines())
    return "\n".join(line for line in lines if line)


def _jsonld_objects(html: str) -> Iterator[dict[str, Any]]:
    for match in re.finditer(r'<script[^>]+application/ld\+json[^>]*>(.*?)</script>', html, re.S | re.I):
        try:
            data = loads_bounded(match.group(1).strip())
        except (ValueError, RecursionError):  # nested past any real page: not metadata
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def jsonld_article(html: str) -> dict[str, Any]:
    """The first JSON-LD object with an `articleBody` (NewsArticle and kin), or {}."""
    for item in _jsonld_objects(html):
        if isinstance(item.get("articleBody"), str) and item["articleBody"].strip():
            return item
    return {}


def _author(value: Any) -> str | None:
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list):
        names = [v.get("name") if isinstance(v, dict) else v for v in value[:20]]
        return ", ".join(n for n in names if isinstance(n, str) and n) or None
    return value if isinstance(value, str) and value else None


def parse_html(html: str, ref: str, path: str | None, url: str | None = None) -> Article:
    """Extract one article from an HTML page.

    Raises:
        InputError: neither trafilatura nor JSON-LD found article text.
    """
    import trafilatura

    html = clean_markup(html)
    _check_elements(html, MAX_PAGE_ELEMENTS, "page")
    doc = trafilatura.bare_extraction(
        html, url=url, favor_precision=True, include_comments=False, include_tables=False,
        include_images=False, include_links=False, with_metadata=True, deduplicate=False,
    )
    ld = jsonld_article(html)
    text = (doc.text or "") if doc is not None else ""
    title = (doc.title if doc is not None else None) or ld.get("headline")
    title = title if isinstance(title, str) else None
    if title and text.split("\n", 1)[0].strip() == title.strip():
        text = text.split("\n", 1)[1] if "\n" in text else ""
    ld_body = ld.get("articleBody", "")  # a str: jsonld_article checked it
    if ld_body and len(ld_body.strip()) > len(text.strip()) * 1.5:
        text = html_to_text(ld_body) if "<" in ld_body else ld_body
    if not text.strip():
        raise InputError("no article text found in the HTML page")
    published = (doc.date if doc is not None else None) or ld.get("datePublished")
    if not isinstance(published, (str, int)):
        published = None
    return Article(
        ref=ref, text=text, title=title, path=path,
        url=display_url(url or (doc.url if doc is not None else None)),
        site=(doc.sitename if doc is not None else None) or _author(ld.get("publisher")),
        published_raw=str(published) if published else None,
        author=(doc.author if doc is not None else None) or _author(ld.get("author")),
        language=(doc.language if doc is not None and getattr(doc, "language", None) else None),
        format="html", extracted=True,
    )
