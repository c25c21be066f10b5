"""Publication dates: ISO, RFC 822 (feeds), d/m/y, Arabic month names of every region, and Hijri.

Gregorian month names differ by region: Levantine/Iraqi (كانون الأول), Egyptian/Gulf (ديسمبر),
Moroccan (دجنبر) and Algerian/Tunisian (جانفي). Digits may be Eastern. The raw string is
always kept by the caller; this module only adds an ISO date when one can be read.

Gulf and Saudi outlets date in the Hijri calendar ("15 جمادى الآخرة 1447هـ", "1447/06/15هـ"),
often with the Gregorian beside it. A Hijri date is read (text.hijri) and converted with
`hijridate` (Umm al-Qura, 1343-1500 AH); it is never read as a Gregorian date: a numeric date
with a Hijri marker, or whose year lies in 1343-1500, is Hijri, and no Gregorian year before
1800 is accepted. Where both calendars are given, the Gregorian the source printed is the date
and `DateReading.apart` says how far the Hijri lies from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from .arabic import key_text
from .hijri import blank_out, find_hijri

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


MIN_YEAR = 1800  # no news article is dated earlier: an earlier "Gregorian" year is a misread Hijri one


def _iso(year: int, month: int, day: int) -> str | None:
    if year < MIN_YEAR:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class DateReading:
    """What a date string says.

    Attributes:
        published: the ISO Gregorian date: the Gregorian the text gives, else its Hijri date
            converted (Umm al-Qura); None when neither can be read.
        hijri: the Hijri date as the text writes it (e.g. "15 جمادى الآخرة 1447هـ"), or None.
        apart: days between the Hijri date (converted) and the Gregorian one, when both are given.
    """

    published: str | None = None
    hijri: str | None = None
    apart: int | None = None


def read_date(raw: str | None) -> DateReading:
    """Read a date string or a header line: Gregorian, Hijri, or both (see the module doc).

    Examples: "الأحد 15 جمادى الآخرة 1447هـ الموافق 7 ديسمبر 2025م" -> published 2025-12-07,
    hijri "15 جمادى الآخرة 1447هـ", apart 1; "1447/06/15هـ" -> published 2025-12-06.
    """
    if not raw or not str(raw).strip():
        return DateReading()
    text = str(raw).strip()
    found = find_hijri(text)
    hijri = next((h for h in found if h.day is not None), None)
    gregorian = _gregorian(blank_out(text, found))
    if hijri is None:
        return DateReading(published=gregorian)
    converted = hijri.gregorian()
    apart = abs((date.fromisoformat(gregorian) - date.fromisoformat(converted)).days) if gregorian and converted \
        else None
    return DateReading(published=gregorian or converted, hijri=hijri.raw, apart=apart)


def _gregorian(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return stamp.date().isoformat() if stamp.year >= MIN_YEAR else None
    except ValueError:
        pass
    try:
        stamp = parsedate_to_datetime(text)
        return stamp.date().isoformat() if stamp.year >= MIN_YEAR else None
    except (TypeError, ValueError, IndexError):
        pass
    return _find_gregorian(text)


def parse_date(raw: str | None) -> str | None:
    """ISO date (YYYY-MM-DD) of a date string, or None when it cannot be read with a year.

    Examples: "2021-12-29T10:00:00Z", "Wed, 29 Dec 2021 10:00:00 GMT", "31/12/2021",
    "٢٩ كانون الأول ٢٠٢١", "29 دجنبر 2021", "9 كانون الاول/ ديسمبر 2021", "December 29, 2021",
    "15 جمادى الآخرة 1447هـ" (Hijri: 2025-12-06).
    """
    return read_date(raw).published


def find_date(text: str) -> str | None:
    """The first full date (with a year) found anywhere in `text`, as an ISO date (a Hijri one
    converted when the text gives no Gregorian date)."""
    return read_date(text).published


def _find_gregorian(text: str) -> str | None:
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
