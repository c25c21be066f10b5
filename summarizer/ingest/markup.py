"""Markup made safe to parse, and its cost known before parsing.

- `clean_markup`: characters no XML or HTML parser should see (NUL and the other C0 controls but
  tab, newline and return; lone surrogates; U+FFFE/U+FFFF) and numeric character references to
  them or past U+10FFFF (`&#11;`, `&#xD800;`, `&#x110000;`) become a space or U+FFFD, so lxml and
  feedparser never meet them (they raise ValueError or UnicodeEncodeError on them).
- `element_count`: the tags a document holds, markup escaped inside it (`&lt;br&gt;`) included:
  what parsing it will cost, counted with a scan and no parse.
- `scrub`: the same cleaning for plain text (JSON strings may hold `\\ud800` and `\\u000b`);
  `sane_article`: an Article with every text field scrubbed, its metadata encodable.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from ..types import Article

MAX_PAGE_ELEMENTS = 50_000  # a real news page holds 500-5,000 tags
MAX_ITEM_ELEMENTS = 5_000  # one feed item (its escaped HTML included); real items hold 10-200
MAX_FEED_ELEMENTS = 100_000  # the entries of one feed read in one run; a 454-item real feed holds 23,000

_BAD_CHARS = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
_BAD_RE = re.compile(_BAD_CHARS)
_BAD_BYTES_RE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# a reference, or one escaped once or more (`&amp;#11;` is `&#11;` again once the feed's XML is read)
_CHARREF = r"&(?:amp;|#0*38;|#[xX]0*26;)*#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?"
_CHARREF_RE = re.compile(_CHARREF)
_CHARREF_BYTES_RE = re.compile(_CHARREF.encode("ascii"))
_WIDE_RE = re.compile(rb"^(?:\xff\xfe|\xfe\xff|\x00\x00\xfe\xff|<\x00[^\x00]\x00|\x00<\x00[^\x00]|\x00\x00\x00<|<\x00\x00\x00)")
_DECLARED_RE = re.compile(r"^(<\?xml[^>]*?encoding\s*=\s*[\"'])[^\"']*([\"'])")
_TAG_RE = re.compile(r"<[A-Za-z!/?]|&lt;[A-Za-z!/?]|&#0*60;|&#[xX]0*3[cC];", re.IGNORECASE)
_TAG_BYTES_RE = re.compile(rb"<[A-Za-z!/?]|&lt;[A-Za-z!/?]|&#0*60;|&#[xX]0*3[cC];", re.IGNORECASE)


def _code(hex_digits: bytes | str | None, digits: bytes | str | None) -> int | None:
    """The code point a reference names; None when it has more digits than any code point."""
    raw = hex_digits if hex_digits is not None else digits
    if raw is None or len(raw.lstrip(b"0" if isinstance(raw, bytes) else "0")) > 7:
        return None
    return int(raw, 16 if hex_digits is not None else 10) if raw else 0


def _bad_code(code: int | None) -> bool:
    return code is None or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF) or \
        (code < 0x20 and code not in (0x09, 0x0A, 0x0D))


def _replacement(code: int | None) -> str:
    return " " if code is not None and code < 0x20 else "\ufffd"


def clean_markup(text: str) -> str:
    """`text` without the characters and character references parsers choke on (see the module doc)."""
    def ref(match: re.Match[str]) -> str:
        code = _code(match.group(1), match.group(2))
        return _replacement(code) if _bad_code(code) else match.group(0)

    text = _CHARREF_RE.sub(ref, text) if "&#" in text else text
    return _BAD_RE.sub(lambda m: " " if m.group(0) < "\x20" else "\ufffd", text)


def clean_markup_bytes(data: bytes) -> bytes:
    """`clean_markup` for an undecoded document; UTF-16 and UTF-32 (by their BOM or their first `<`)
    are decoded, cleaned and given back as UTF-8, their declaration saying so."""
    if _WIDE_RE.match(data):
        for encoding in ("utf-32", "utf-16", "utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if text.lstrip("\ufeff").startswith("<"):
                text = _DECLARED_RE.sub(r"\1utf-8\2", text.lstrip("\ufeff"), count=1)
                return clean_markup(text).encode("utf-8", "replace")

    def ref(match: re.Match[bytes]) -> bytes:
        code = _code(match.group(1), match.group(2))
        return _replacement(code).encode("utf-8") if _bad_code(code) else match.group(0)

    data = _CHARREF_BYTES_RE.sub(ref, data) if b"&#" in data else data
    return _BAD_BYTES_RE.sub(b" ", data)


def scrub(text: str) -> str:
    """Plain text without control characters (but tab, newline, return) and lone surrogates."""
    return _BAD_RE.sub(lambda m: " " if m.group(0) < "\x20" else "\ufffd", text)


def element_count(text: str | bytes, stop_after: int | None = None) -> int:
    """Tags in `text`, escaped ones included; counting stops once past `stop_after`."""
    pattern = _TAG_BYTES_RE if isinstance(text, bytes) else _TAG_RE
    count = 0
    for _ in pattern.finditer(text):  # type: ignore[arg-type]
        count += 1
        if stop_after is not None and count > stop_after:
            break
    return count


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def sane_article(article: Article) -> Article:
    """`article` with every text field scrubbed and no lone surrogate left in its metadata, so no
    output writer meets a character it cannot encode (JSON strings may hold `\\ud800`)."""
    fields = {name: scrub(value) for name in ("text", "title", "url", "site", "published_raw", "language",
                                              "author")
              if isinstance(value := getattr(article, name), str) and _BAD_RE.search(value)}
    meta = article.meta
    if meta:
        dumped = json.dumps(meta, ensure_ascii=False, default=str)
        if _SURROGATE_RE.search(dumped):
            fields["meta"] = json.loads(_SURROGATE_RE.sub("\ufffd", dumped))
    return replace(article, **fields) if fields else article
