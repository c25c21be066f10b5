"""Clean: strip boilerplate from an article's text, keep what was removed and why.

Pattern rules (steps/boilerplate.py) match what a line says and apply to every text:
  breadcrumb       navigation trail: "الرئيسية » أخبار", "Home > World"
  share_line       "View on <site>", share/follow/print lines, copyright lines
  policy_note      comment policies, terms-of-use notes, "views are the author's" disclaimers,
                   newsletter prompts (Arabic and English)
  read_also        a "read also" marker (قد يهمك أيضاً، اقرأ أيضا، شاهد أيضا)
  link_list        a related/latest/most-read list header
  title            a line equal to the title the input's metadata gives
  no_text          lines without a single letter ("***", "|")
Position rules match where a line stands, and apply only to scraped plain text, never to text
an HTML extractor (or a feed) already reduced to the article:
  read_also, link_list   the headlines after a marker, and runs of two or more headline-like
                   lines (short, not ending like a sentence)
  dateline         the dateline + byline line before the body ("بغداد ـ حازم السامرائي"), moved to fields
  title            the first line, when a blank line follows it (moved to the title field)
  header_fragment  short non-sentence lines before the first body paragraph (photo captions, kickers)
Length alone never removes a line: a sentence-like line is never removed by a position rule, and
a line is sentence-like when it ends in . ! ? ؟ (runs too: "!!", "؟؟", a final ".." or a "."
before a closing quote) or starts with the dots that an editor typing right-to-left text in a
left-to-right field leaves at the start ("..وفي النهاية قررت اللجنة").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..text.display import clean_display, display_url
from ..types import Article, Cleaned, Removed
from .boilerplate import SHORT_WORDS, marker_key, pattern_reason

CLOSERS = "\"'»”’)]"
SENTENCE_END_RE = re.compile(rf"[.!?؟][{re.escape(CLOSERS)}]*$")
ELLIPSIS_END_RE = re.compile(rf"(?<!\.)(\.\.\.|…)[{re.escape(CLOSERS)}]*$")
# A sentence end typed at the start of the line: "..وفي النهاية" or ".وفي النهاية" (RTL typed in an LTR field).
LEADING_END_RE = re.compile(r"^[.!?؟]{1,3}\s*[\u0600-\u06ff]")
# A dash between dateline parts; tatweel counts only between spaces ("بغداد ـ فلان"), since
# inside a word it is elongation ("الــوزير").
DASH = r"(?:\s+ـ+\s+|\s*[-–—]+\s*)"
DATELINE_RE = re.compile(
    rf"^(?P<place>[\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+){{0,2}}){DASH}(?P<by>[^.!?؟]{{2,50}})$")
BYLINE_RE = re.compile(r"^(?:بقلم|كتب|كتبت|إعداد|اعداد|تقرير|by)\s*[:ـ\-–—]?\s*(?P<by>[^.!?؟]{2,50})$", re.I)
INLINE_DATELINE_RE = re.compile(
    rf"^(?P<place>[\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+)?){DASH}"
    rf"(?:\((?P<agency>[^()]{{2,25}})\)(?:{DASH}|\s*:\s*|\s+))?(?=\S)")


@dataclass
class _Line:
    text: str
    reason: str | None = None


def is_sentence_like(line: str) -> bool:
    """Ends like a sentence (not with an ellipsis), or starts with a sentence end typed right-to-left."""
    if LEADING_END_RE.match(line):
        return True
    return bool(SENTENCE_END_RE.search(line)) and not ELLIPSIS_END_RE.search(line)


def is_headline_like(line: str) -> bool:
    """Short and not ending like a sentence: what link lists, captions and kickers look like."""
    return len(line.split()) <= SHORT_WORDS and not is_sentence_like(line)


def is_body_like(line: str) -> bool:
    """A line that opens the article body: a sentence, or a long line."""
    return is_sentence_like(line) or len(line.split()) > SHORT_WORDS


def _split_dateline(line: str) -> tuple[str, str] | None:
    if len(line.split()) > 8 or is_sentence_like(line):
        return None
    match = DATELINE_RE.match(line)
    if match:
        return match.group("place").strip(), match.group("by").strip(" ()")
    match = BYLINE_RE.match(line)
    if match:
        return "", match.group("by").strip(" ()")
    return None


def clean(text: str, title: str | None = None, extracted: bool = False) -> Cleaned:
    """Separate an article's body from boilerplate.

    Args:
        text: the article text, one paragraph per line (blank lines allowed).
        title: the title given by the input's metadata, if any.
        extracted: the text came out of an HTML extractor or a feed (see Article.extracted):
            only pattern rules apply, so no position rule can take body text.

    Returns:
        Cleaned: body paragraphs (display text, stripped lines), removed lines with reasons,
        and the dateline, byline and title found in the text.
    """
    lines = [_Line(" ".join(raw.split())) for raw in text.splitlines()]
    lines = [ln for ln in lines if ln.text]
    for ln in lines:
        ln.reason = pattern_reason(ln.text)
    _title_line(lines, title)
    fields: dict[str, str | None] = {"dateline": None, "byline": None, "title": None}
    if not extracted:
        _header_rules(lines, text, title, fields)
    removed = [Removed(ln.text, ln.reason) for ln in lines if ln.reason]
    paragraphs = [ln.text for ln in lines if not ln.reason]
    if paragraphs and fields["dateline"] is None and fields["byline"] is None:
        paragraphs[0] = _inline_dateline(paragraphs[0], fields, removed, keep=extracted)
    return Cleaned(paragraphs=tuple(paragraphs), removed=tuple(removed), dateline=fields["dateline"],
                   byline=fields["byline"], title=fields["title"])


def _title_line(lines: list[_Line], title: str | None) -> None:
    """The first remaining line, when it repeats the metadata title and is not all there is."""
    rest = [ln for ln in lines if ln.reason is None]
    if title and len(rest) > 1 and marker_key(rest[0].text) == marker_key(title):
        rest[0].reason = "title"


def _header_rules(lines: list[_Line], text: str, title: str | None, fields: dict[str, str | None]) -> None:
    """Position rules of scraped plain text: the lines before the body, then lists in the body."""
    start = next((k for k, ln in enumerate(lines) if ln.reason is None and is_body_like(ln.text)),
                 next((k for k, ln in enumerate(lines) if ln.reason is None), len(lines)))
    first_raw = next((raw.strip() for raw in text.splitlines() if raw.strip()), "")
    for k, ln in enumerate(lines[:start]):
        if ln.reason:
            continue
        split = _split_dateline(ln.text) if fields["dateline"] is None and fields["byline"] is None else None
        if k == 0 and not title and ln.text == " ".join(first_raw.split()) and _followed_by_blank(text):
            ln.reason, fields["title"] = "title", ln.text
        elif split:
            ln.reason = "dateline"
            fields["dateline"], fields["byline"] = split[0] or None, split[1] or None
        else:
            ln.reason = "header_fragment"
    _body_rules(lines, start)


def _inline_dateline(first: str, fields: dict[str, str | None], removed: list[Removed], keep: bool) -> str:
    """A dateline opening the first paragraph ("القاهرة - (وكالات) - ..."): fields, and out of the
    text unless `keep` (extracted text keeps every word of the body)."""
    match = INLINE_DATELINE_RE.match(first)
    rest = first[match.end():] if match else ""
    if not (match and len(rest.split()) >= 3 and not match.group("place").startswith(("و", "ف"))):
        return first
    fields["dateline"], fields["byline"] = match.group("place"), match.group("agency")
    if keep:
        return first
    removed.insert(0, Removed(first[:match.end()].strip(), "dateline"))
    return rest


def _followed_by_blank(text: str) -> bool:
    raw = text.lstrip("\ufeff \t\r\n").split("\n", 2)
    return len(raw) >= 2 and raw[1].strip() == ""


def _body_rules(lines: list[_Line], start: int) -> None:
    """Remove link lists and marker-led lists from the body zone (lines[start:])."""
    tail: str | None = None
    body = lines[start:]
    for k, ln in enumerate(body):
        if ln.reason in ("read_also", "link_list"):
            tail = ln.reason
            continue
        if ln.reason:
            continue
        if not is_headline_like(ln.text):
            tail = None
            continue
        if tail:
            ln.reason = tail
            continue
        neighbours = [body[j] for j in (k - 1, k + 1) if 0 <= j < len(body)]
        if any(n.reason in (None, "link_list", "read_also") and is_headline_like(n.text) for n in neighbours):
            ln.reason = "link_list"


def display_safe(article: Article) -> Article:
    """The article with no bidi override or control character in any shown field, and a URL only
    when it is a safe http(s) one (see text.display)."""
    return replace(article, text=clean_display(article.text) or "", title=clean_display(article.title),
                   site=clean_display(article.site), author=clean_display(article.author),
                   published_raw=clean_display(article.published_raw), url=display_url(article.url))
