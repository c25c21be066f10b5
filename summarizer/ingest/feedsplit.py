"""A feed cut into its items before any parser sees it: each item is parsed on its own, so one bad
item is that item's failure, and only the items read cost anything.

A scan (no parse) finds where each `<item>` or `<entry>` starts. The document's head (the XML
declaration, the root and channel start tags, with their namespaces) and the matching end tags
wrap each item into a one-item feed. Items past the cap are counted, never parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

S = TypeVar("S", str, bytes)
HEAD_BYTES = 256_000  # the channel's own elements (title, language ...) read from at most this much

_PATTERNS = {
    kind: {
        "item": re.compile(conv(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)(?=[\s/>])")),
        "end": re.compile(conv(r"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>")),
        "decl": re.compile(conv(r"^[\s\ufeff]*(<\?xml[^>]{0,300}\?>)") if kind is str else
                           conv(r"^(?:\xef\xbb\xbf)?\s*(<\?xml[^>]{0,300}\?>)")),
        "doctype": re.compile(conv(r"<!DOCTYPE[^>\[]{0,500}>"), re.IGNORECASE),
        "root": re.compile(conv(r"<(?![?!])([A-Za-z_][\w.:-]*)(?:\s[^>]*)?>")),
        "channel": re.compile(conv(r"<channel(?:\s[^>]*)?>")),
        "channel_end": re.compile(conv(r"</channel\s*>")),
    }
    for kind, conv in ((str, lambda p: p), (bytes, lambda p: p.encode("ascii")))
}


@dataclass(frozen=True)
class SplitFeed(Generic[S]):
    """A feed cut up: `head` (the channel's own elements, wrapped), `items` (each wrapped), `total` items."""

    head: S
    items: list[S]
    total: int


def split_feed(data: S, max_items: int | None = None) -> SplitFeed[S] | None:
    """Cut `data` into one-item documents (the first `max_items`); None when it has no item."""
    p = _PATTERNS[type(data)]
    starts = [m.start() for m in p["item"].finditer(data)]
    if not starts:
        return None
    ends = [m.end() for m in p["end"].finditer(data, starts[-1])]
    last_end = ends[0] if ends else len(data)
    header = data[:starts[0]]
    prolog, closing = _wrapper(header, p)
    kept = starts[:max_items] if max_items is not None else starts
    bounds = [starts[k + 1] if k + 1 < len(starts) else last_end for k in range(len(kept))]
    items = [prolog + data[a:b] + closing for a, b in zip(kept, bounds)]
    head = (header + closing) if len(header) <= HEAD_BYTES else prolog + closing
    return SplitFeed(head=head, items=items, total=len(starts))


def _wrapper(header: S, p: dict) -> tuple[S, S]:
    """The start tags that open a one-item document (declaration, root, channel), and their end tags."""
    empty = header[:0]
    decl = p["decl"].match(header)
    parts = [decl.group(1) if decl else empty]
    doctype = p["doctype"].search(header)
    if doctype:
        parts.append(doctype.group(0))
    closing = empty
    root = None
    for match in p["root"].finditer(header):
        root = match
        break
    if root is not None:
        parts.append(root.group(0))
        name = root.group(1)
        closing = (b"</" + name + b">") if isinstance(name, bytes) else f"</{name}>"
        channel = p["channel"].search(header, root.end())
        if channel and not p["channel_end"].search(header, channel.end()):  # RSS 2.0: items inside the channel
            parts.append(channel.group(0))
            closing = (b"</channel>" if isinstance(name, bytes) else "</channel>") + closing
    return empty.join(parts), closing
