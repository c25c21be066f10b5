"""Hijri dates: read in Arabic text, converted to Gregorian, and looked for in an English translation.

Arabic month names are matched in their common spellings (ربيع الأول/الاول، ربيع الآخر/الثاني،
جمادى الأولى/الاولى، جمادى الآخرة/الثانية، ذو/ذي القعدة ...) on the normalised text (alef and yeh
forms unified, Eastern digits Western, tatweel gone, so «هـ» reads as «ه»). A date is Hijri when it
names a Hijri month with a year («غرة» is its first day), or is numeric (y/m/d or d/m/y) with a Hijri marker («هـ», «ه»,
«هجري», «للهجرة») or a year in the Umm al-Qura range. Conversion uses `hijridate` (Umm al-Qura,
1343-1500 AH); a date outside it, or a day the month does not have, converts to None.

English transliterations vary (Jumada al-Akhirah, Jumada al-Thani, Jumada II, Jumadil Akhir);
`in_english` accepts the common ones, or the right Gregorian date (a day either way: the printed
Hijri date and Umm al-Qura may differ by a day).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .arabic import normalize_with_map, to_western_digits

UMM_AL_QURA = (1343, 1500)
_AR_NAMES = (
    "المحرم|محرم",
    "صفر",
    "ربيع الاول|ربيع اول",
    "ربيع الاخر|ربيع الثاني|ربيع اخر|ربيع ثاني",
    "جمادي الاولي|جمادي الاول|جمادي اولي|جماد الاول|جمادي الاولي",
    "جمادي الاخر[ةه]|جمادي الثاني[ةه]|جمادي الاخر|جمادي الثاني|جماد الاخر|جماد الثاني",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعد[ةه]|ذي القعد[ةه]|ذوالقعد[ةه]",
    "ذو الحج[ةه]|ذي الحج[ةه]|ذوالحج[ةه]",
)
MONTHS_EN = ("Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Ula", "Jumada al-Akhirah", "Rajab",
             "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah", "Dhu al-Hijjah")
_GROUPS = "|".join(f"(?P<m{k}>{names})" for k, names in enumerate(_AR_NAMES, start=1))
_MARK = r"(?P<mark>\s*(?:ه(?![\u0621-\u064a])|هجري[ةه]?|الهجري[ةه]?|للهجر[ةه]))"
_AR = r"[\u0621-\u064a]"
NAMED_RE = re.compile(
    rf"(?:(?:(?<!\d)(?P<day>\d{{1,2}})|(?P<first>غر[ةه]))\s*(?:من\s+)?(?:شهر\s+)?|(?<!{_AR}))(?:{_GROUPS})(?!{_AR})"
    rf"\s*(?:من\s+)?(?:(?:عام|سنة|لعام|لسنة)\s+)?(?P<year>\d{{4}})(?!\d){_MARK}?")
NUMERIC_RE = re.compile(
    rf"(?<![\d/.-])(?:(?P<y1>\d{{4}})(?P<s1>[/.-])(?P<m1>\d{{1,2}})(?P=s1)(?P<d1>\d{{1,2}})|"
    rf"(?P<d2>\d{{1,2}})(?P<s2>[/.-])(?P<m2>\d{{1,2}})(?P=s2)(?P<y2>\d{{4}}))(?![\d/.-]){_MARK}?")

_ORDINAL_1 = r"(?:aww?al|[uo]o?la|i|1st|first)\b"
_ORDINAL_2 = r"(?:akh[ie]ra?h?|akhar|th?aniy?a?h?|sani|ii|2nd|second|last)\b"
_DHU = r"\b(?:dhu|dhi|dhul|zul|zu|zil|thul|thu|du|dul)\s*(?:(?:al|el|l)\s+)?"
EN_MONTH_RES = tuple(re.compile(p) for p in (
    r"\b(?:mu|mo)h?arr?am|\bmuharrem",
    r"\bsaf[ae]r\b",
    rf"\brabi\w*\s+(?:(?:al|ul|el|u)\s+)?{_ORDINAL_1}",
    rf"\brabi\w*\s+(?:(?:al|ul|el|us|as|u)\s+)?{_ORDINAL_2}",
    rf"\bjumad\w*\s+(?:(?:al|ul|el|il)\s+)?{_ORDINAL_1}",
    rf"\bjumad\w*\s+(?:(?:al|ul|el|il|as)\s+)?{_ORDINAL_2}",
    r"\brajab\b",
    r"\bsha+ba+n\b",
    r"\brama[dz]h?an\b|\bramzan\b",
    r"\bshaww?al\b",
    rf"{_DHU}q[ai]+d[ae]?h?\b",
    rf"{_DHU}h[ie]jj?[ae]?h?\b",
))
GREGORIAN_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")


@dataclass(frozen=True)
class HijriDate:
    """A Hijri date found in a text: year, month, day (None: month and year only), the text as
    written, and its span there."""

    year: int
    month: int
    day: int | None
    raw: str
    start: int
    end: int

    def gregorian(self) -> str | None:
        """The ISO Gregorian date (Umm al-Qura), or None (no day, or outside 1343-1500 AH)."""
        return to_gregorian(self.year, self.month, self.day) if self.day is not None else None

    def label(self) -> str:
        """In English: "15 Jumada al-Akhirah 1447 AH"."""
        return " ".join(p for p in (str(self.day) if self.day else "", MONTHS_EN[self.month - 1],
                                    f"{self.year} AH") if p)


def to_gregorian(year: int, month: int, day: int) -> str | None:
    """ISO Gregorian date of a Hijri date (Umm al-Qura), or None when hijridate cannot convert it."""
    from hijridate import Hijri

    try:
        return Hijri(year, month, day).to_gregorian().isoformat()
    except (ValueError, OverflowError):
        return None


def find_hijri(text: str) -> list[HijriDate]:
    """Every Hijri date of a text, in order (see the module doc)."""
    norm, where = normalize_with_map(text)
    found: list[HijriDate] = []
    for match in NAMED_RE.finditer(norm):
        year = int(match.group("year"))
        if not UMM_AL_QURA[0] - 50 <= year <= UMM_AL_QURA[1] + 100:
            continue  # a Gregorian year after a month name ("رمضان 2025") is not a Hijri date
        month = next(k for k in range(1, 13) if match.group(f"m{k}"))
        day = int(match.group("day")) if match.group("day") else 1 if match.group("first") else None
        found.append(_found(text, where, match, year, month, day if day and 1 <= day <= 30 else None))
    for match in NUMERIC_RE.finditer(norm):
        year = int(match.group("y1") or match.group("y2"))
        if not match.group("mark") and not UMM_AL_QURA[0] <= year <= UMM_AL_QURA[1]:
            continue
        month = int(match.group("m1") or match.group("m2"))
        day = int(match.group("d1") or match.group("d2"))
        if 1 <= month <= 12 and 1 <= day <= 30:
            found.append(_found(text, where, match, year, month, day))
    return sorted(found, key=lambda h: h.start)


def _found(text: str, where: Sequence[int], match: re.Match, year: int, month: int, day: int | None) -> HijriDate:
    start = where[match.start()] if match.start() < len(where) else len(text)
    end = where[match.end() - 1] + 1
    if match.group("mark") and text[end:end + 1] == "\u0640":  # «هـ»: the tatweel belongs to the marker
        end += 1
    return HijriDate(year, month, day, " ".join(text[start:end].split()), start, end)


def blank_out(text: str, dates: Sequence[HijriDate]) -> str:
    """The text with the spans of these Hijri dates blanked (so no Gregorian reader sees them)."""
    chars = list(text)
    for d in dates:
        chars[d.start:d.end] = " " * (d.end - d.start)
    return "".join(chars)


def label(raw: str | None) -> str | None:
    """The first Hijri date of a string in English ("15 Jumada al-Akhirah 1447 AH"), or None."""
    dates = find_hijri(raw or "")
    return dates[0].label() if dates else None


def shown_date(published: str | None, hijri_raw: str | None, fallback: str | None = None) -> str | None:
    """A brief's date as outputs show it: the Gregorian date with the Hijri the source gave in
    brackets ("2025-12-06 (15 Jumada al-Akhirah 1447 AH)"); `fallback` (the raw string) when
    there is no Gregorian date."""
    hijri = label(hijri_raw)
    if published:
        return f"{published} ({hijri})" if hijri else published
    if hijri:
        return f"{hijri} ({hijri_raw})" if hijri_raw else hijri
    return fallback


def _english(text: str) -> str:
    text = to_western_digits(text).lower()
    text = re.sub(r"[\u2018\u2019'`\u02bf\u02be\u02bc]", "", text)
    return " ".join(re.sub(r"[-\u2010\u2013]", " ", text).split())


def in_english(hijri: HijriDate, english: str) -> bool:
    """Does the translation give this Hijri date: its month and year in a transliteration we
    accept, or the right Gregorian date (month and year; the day too when the source has one)?"""
    text = _english(english)
    if re.search(rf"(?<!\d){hijri.year}(?!\d)", text) and EN_MONTH_RES[hijri.month - 1].search(text):
        return True
    return any(_gregorian_in(day, text, with_day=hijri.day is not None) for day in _gregorian_days(hijri))


def _gregorian_days(hijri: HijriDate) -> list[date]:
    if hijri.day is not None:
        iso = hijri.gregorian()
        if iso is None:
            return []
        return [date.fromisoformat(iso) + timedelta(days=k) for k in (-1, 0, 1)]
    first, last = to_gregorian(hijri.year, hijri.month, 1), to_gregorian(hijri.year, hijri.month, 29)
    return [date.fromisoformat(d) for d in (first, last) if d]


def _gregorian_in(day: date, text: str, with_day: bool) -> bool:
    name = GREGORIAN_EN[day.month - 1]
    if not re.search(rf"(?<!\d){day.year}(?!\d)", text) or not re.search(rf"\b{name[:3]}", text):
        return False
    return not with_day or bool(re.search(rf"(?<!\d){day.day}(?!\d)", text))


def date_numbers(source: str, english: str) -> tuple[set[str], set[str]]:
    """The numbers a numbers check must not count as missing or extra because they belong to a
    Hijri date the translation gives rightly: (in the source: its day and year; in the
    translation: the same, or the Gregorian date's day, month and year)."""
    ours: set[str] = set()
    theirs: set[str] = set()
    text = _english(english)
    for hijri in find_hijri(source):
        if not in_english(hijri, english):
            continue
        parts = {str(hijri.year), str(hijri.month), f"{hijri.month:02d}"} | (
            {str(hijri.day), f"{hijri.day:02d}"} if hijri.day else set())
        ours |= parts
        theirs |= parts
        for day in _gregorian_days(hijri):
            if _gregorian_in(day, text, with_day=hijri.day is not None):
                theirs |= {str(day.day), str(day.year), str(day.month), GREGORIAN_EN[day.month - 1],
                           GREGORIAN_EN[day.month - 1][:3]}
    return ours, theirs


def missing_in_english(source: str, english: str) -> list[str]:
    """Hijri dates of a source sentence its translation does not give (as the source writes them)."""
    return [h.raw for h in find_hijri(source) if not in_english(h, english)]
