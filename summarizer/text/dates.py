"""Publication dates: ISO, RFC 822 (feeds), d/m/y, and Arabic month names of every region.

Gregorian month names differ by region: Levantine/Iraqi (كانون الأول), Egyptian/Gulf (ديسمبر),
Moroccan (دجنبر) and Algerian/Tunisian (جانفي). Digits may be Eastern. The raw string is
always kept by the caller; this module only adds an ISO date when one can be read.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from .arabic import key_text

MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "يناير|كانون الثاني|جانفي|جانفيه|january|jan",
    "فبراير|شباط|فيفري|february|feb",
    "مارس|اذار|march|mar",
    "ابريل|نيسان|افريل|april|apr",
    "مايو|ايار|ماي|may",
    "يونيو|حزيران|جوان|يونيه|june|jun",
    "يوليو|تموز|جويلية|جويليه|يوليوز|يوليه|july|jul",
    "اغسطس|اب|اوت|غشت|august|aug",
    "سبتمبر|ايلول|شتنبر|september|sep|sept",
    "اكتوبر|تشرين الاول|october|oct",
    "نوفمبر|تشرين الثاني|نونبر|november|nov",
    "ديسمبر|كانون الاول|دجنبر|december|dec",
), start=1):
    for _name in _names.split("|"):
        MONTHS[_name] = _number

# Every month name, longest first, as one regex alternation.
MONTH_PATTERN = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
NAMED_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?({MONTH_PATTERN})(?:\s*[/\-(]\s*(?:{MONTH_PATTERN})\)?)?\s*,?\s*(?:عام\s+|سنة\s+)?(\d{{4}})(?!\d)",
    re.I)
NAMED_FIRST_RE = re.compile(rf"\b({MONTH_PATTERN})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)", re.I)
NUMERIC_DMY_RE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/.-])")
NUMERIC_YMD_RE = re.compile(r"(?<![\d/.-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\d/.-])")


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(raw: str | None) -> str | None:
    """ISO date (YYYY-MM-DD) of a date string, or None when it cannot be read with a year.

    Examples: "2021-12-29T10:00:00Z", "Wed, 29 Dec 2021 10:00:00 GMT", "31/12/2021",
    "٢٩ كانون الأول ٢٠٢١", "29 دجنبر 2021", "9 كانون الاول/ ديسمبر 2021", "December 29, 2021".
    """
    if not raw or not str(raw).strip():
        return None
    text = str(raw).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return find_date(text)


def find_date(text: str) -> str | None:
    """The first full date (with a year) found anywhere in `text`, as an ISO date."""
    norm = key_text(text).lower()
    for match in NAMED_RE.finditer(norm):
        iso = _iso(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))
        if iso:
            return iso
    for match in NAMED_FIRST_RE.finditer(norm):
        iso = _iso(int(match.group(3)), MONTHS[match.group(1)], int(match.group(2)))
        if iso:
            return iso
    match = NUMERIC_YMD_RE.search(norm)
    if match:
        iso = _iso(int(match.group(1)), int(match.group(3)), int(match.group(4)))
        if iso:
            return iso
    for match in NUMERIC_DMY_RE.finditer(norm):  # day first, as Arabic sites write it
        iso = _iso(int(match.group(4)), int(match.group(3)), int(match.group(1)))
        if iso:
            return iso
    return None
