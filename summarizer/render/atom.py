"""An Atom feed of dated digests, for feed-to-email services and feed readers (pure: text in, text out)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

ATOM = "http://www.w3.org/2005/Atom"
BODY_RE = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)


@dataclass(frozen=True)
class DigestEntry:
    """One dated digest: its day, title, page (relative link), HTML and when it was written (ISO 8601)."""

    day: str
    title: str
    href: str
    html: str
    updated: str


def digests_atom(entries: Sequence[DigestEntry], feed_id: str, title: str, self_href: str = "digest.xml") -> str:
    """The Atom document: one entry per digest, newest first; each entry holds the digest's HTML."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    ordered = sorted(entries, key=lambda e: e.day, reverse=True)
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", ordered[0].updated if ordered else "1970-01-01T00:00:00+00:00")
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_href)
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "summarizer")
    _text(feed, "generator", "summarizer")
    for entry in ordered:
        node = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(node, "id", f"{feed_id}:{entry.day}")
        _text(node, "title", entry.title)
        _text(node, "updated", entry.updated)
        ElementTree.SubElement(node, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=entry.href)
        match = BODY_RE.search(entry.html)
        content = ElementTree.SubElement(node, f"{{{ATOM}}}content", type="html")
        content.text = match.group(1).strip() if match else entry.html
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(feed, encoding="unicode") + "\n"


def _text(parent: ElementTree.Element, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}").text = text
