"""Clean: strip scraped boilerplate from an article's text, keep what was removed and why.

Rules (each removal names one; tests pin them):
  breadcrumb       navigation trail: "الرئيسية » أخبار", "Home > World"
  share_line       "View on <site>", share/follow/print lines, copyright lines
  read_also        a "read also" marker (قد يهمك أيضاً، اقرأ أيضا، شاهد أيضا) and the headlines after it
  link_list        a related/latest/most-read list: its header, its headlines, and any run of two or
                   more headline-like lines (short, no sentence-final punctuation)
  dateline         the dateline + byline line ("بغداد ـ حازم السامرائي"), moved to fields
  title            the first line, when it is the title (moved to the title field)
  header_fragment  short non-sentence lines before the first body paragraph (photo captions, kickers)
  no_text          lines without a single letter ("***", "|")
Length alone never removes a line: a line ending in . ! ? ؟ is never removed by the position rules
(header_fragment, link_list, the lines after a marker), so a short body paragraph always stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.arabic import has_letters, key_text
from ..types import Cleaned, Removed

SHORT_WORDS = 16
CLOSERS = "\"'»”’)]"
SENTENCE_END_RE = re.compile(rf"[.!?؟][{re.escape(CLOSERS)}]*$")
ELLIPSIS_END_RE = re.compile(rf"(\.\.\.?|…)[{re.escape(CLOSERS)}]*$")
# A dash between dateline parts; tatweel counts only between spaces ("بغداد ـ فلان"), since
# inside a word it is elongation ("الــوزير").
DASH = r"(?:\s+ـ+\s+|\s*[-–—]+\s*)"
BREADCRUMB_RE = re.compile(r"^(?:الرئيسية|الرئيسيه|home)\s*(?:[»›>/|]|$)|(?:\s[»›>]\s.*){2,}", re.I)
SHARE_RE = re.compile(
    r"^(?:view on\b|share\b|share this|follow us|print\b|email\b|tweet\b|شارك|مشاركة|تابعنا|تابعونا|"
    r"طباعة|أرسل لصديق|ارسل لصديق|اشترك في|للاشتراك|copyright|©|جميع الحقوق محفوظة|كل الحقوق محفوظة)",
    re.I,
)
READ_ALSO = ("قد يهمك ايضا", "قد يهمك", "اقرا ايضا", "اقرا كذلك", "اقرا المزيد", "شاهد ايضا",
             "طالع ايضا", "اقرا ايضا في", "للمزيد", "read also", "read more", "see also", "also read")
LINK_HEADERS = ("اخبار ذات صلة", "مواضيع ذات صلة", "مقالات ذات صلة", "اخبار متعلقة", "ذات صلة",
                "اخر الاخبار", "احدث الاخبار", "الاخبار الاكثر قراءة", "الاكثر قراءة", "الاكثر مشاهدة",
                "الاكثر تداولا", "الاكثر تعليقا", "related", "related news", "related articles",
                "latest news", "most read", "most popular")
DATELINE_RE = re.compile(
    rf"^(?P<place>[\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+){{0,2}}){DASH}(?P<by>[^.!?؟]{{2,50}})$")
BYLINE_RE = re.compile(r"^(?:بقلم|كتب|كتبت|إعداد|اعداد|تقرير|by)\s*[:ـ\-–—]?\s*(?P<by>[^.!?؟]{2,50})$", re.I)
INLINE_DATELINE_RE = re.compile(
    rf"^(?P<place>[\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+)?){DASH}"
    rf"(?:\((?P<agency>[^()]{{2,25}})\)(?:{DASH}|\s*:\s*|\s+))?(?=\S)")
_MARK_STRIP = re.compile(r"[\s:：.…\-–—ـ»«\"']+$")


@dataclass
class _Line:
    text: str
    reason: str | None = None


def _key(line: str) -> str:
    return _MARK_STRIP.sub("", key_text(line).lower())


def is_sentence_like(line: str) -> bool:
    """Ends in sentence-final punctuation (not an ellipsis)."""
    return bool(SENTENCE_END_RE.search(line)) and not ELLIPSIS_END_RE.search(line)


def is_headline_like(line: str) -> bool:
    """Short and not ending like a sentence: what link lists, captions and kickers look like."""
    return len(line.split()) <= SHORT_WORDS and not is_sentence_like(line)


def is_body_like(line: str) -> bool:
    """A line that opens the article body: a sentence, or a long line."""
    return is_sentence_like(line) or len(line.split()) > SHORT_WORDS


def _marker(line: str) -> str | None:
    key = _key(line)
    if len(key.split()) > 6:
        return None
    if any(key == m or key.startswith(m + " ") for m in READ_ALSO):
        return "read_also"
    if any(key == m for m in LINK_HEADERS):
        return "link_list"
    return None


def _pattern_reason(line: str) -> str | None:
    if not has_letters(line):
        return "no_text"
    if len(line.split()) <= SHORT_WORDS and BREADCRUMB_RE.search(line):
        return "breadcrumb"
    if len(line.split()) <= SHORT_WORDS and SHARE_RE.search(line):
        return "share_line"
    return _marker(line)


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
    """Separate an article's body from scraped boilerplate.

    Args:
        text: the article text, one paragraph per line (blank lines allowed).
        title: the title given by the input's metadata, if any.
        extracted: the text came out of an HTML extractor (see Article.extracted).

    Returns:
        Cleaned: body paragraphs (display text, stripped lines), removed lines with reasons,
        and the dateline, byline and title found in the text.
    """
    lines = [_Line(" ".join(raw.split())) for raw in text.splitlines()]
    lines = [ln for ln in lines if ln.text]
    for ln in lines:
        ln.reason = _pattern_reason(ln.text)
    dateline = byline = found_title = None
    start = next((k for k, ln in enumerate(lines) if ln.reason is None and is_body_like(ln.text)),
                 next((k for k, ln in enumerate(lines) if ln.reason is None), len(lines)))
    first_raw = next((raw.strip() for raw in text.splitlines() if raw.strip()), "")
    for k, ln in enumerate(lines[:start]):
        if ln.reason:
            continue
        split = _split_dateline(ln.text) if dateline is None and byline is None else None
        if title and _key(ln.text) == _key(title):
            ln.reason = "title"
        elif k == 0 and not title and ln.text == " ".join(first_raw.split()) and _followed_by_blank(text):
            ln.reason, found_title = "title", ln.text
        elif split:
            ln.reason = "dateline"
            dateline, byline = split[0] or None, split[1] or None
        else:
            ln.reason = "header_fragment"
    _body_rules(lines, start)
    removed = [Removed(ln.text, ln.reason) for ln in lines if ln.reason]
    paragraphs = [ln.text for ln in lines if not ln.reason]
    if paragraphs and dateline is None and byline is None:
        match = INLINE_DATELINE_RE.match(paragraphs[0])
        rest = paragraphs[0][match.end():] if match else ""
        if match and len(rest.split()) >= 3 and not match.group("place").startswith(("و", "ف")):
            dateline, byline = match.group("place"), match.group("agency")
            removed.insert(0, Removed(paragraphs[0][:match.end()].strip(), "dateline"))
            paragraphs[0] = rest
    return Cleaned(paragraphs=tuple(paragraphs), removed=tuple(removed), dateline=dateline,
                   byline=byline, title=found_title)


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
