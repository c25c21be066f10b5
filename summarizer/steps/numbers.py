"""Numbers in a source sentence and its translation: what is missing, changed or repeated.

Pure functions on text. Eastern and Western digits, separators, decimals, percentages,
multipliers («١٢ ألف» = 12,000 = "12 thousand"), number words («ثلاثة» = "three") and the
month names of dates, on both sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.arabic import key_text, to_western_digits
from ..text.dates import MONTH_PATTERN, MONTHS

NUMBER_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,٬]\d{3})+|\d+)(?:[.٫](\d+))?(?![\w])")
AR_MULTIPLIERS = {"الف": 1e3, "الاف": 1e3, "الفا": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليار": 1e9,
                  "مليارات": 1e9, "بليون": 1e9, "ترليون": 1e12, "تريليون": 1e12}
EN_MULTIPLIERS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9,
                  "trillion": 1e12, "bn": 1e9, "mn": 1e6, "k": 1e3}
AR_WORDS = {
    "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثة": 3, "اربع": 4, "اربعة": 4, "خمس": 5,
    "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثماني": 8, "ثمانية": 8, "ثمان": 8, "تسع": 9, "تسعة": 9,
    "عشر": 10, "عشرة": 10, "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80,
    "تسعون": 90, "تسعين": 90, "مئة": 100, "مائة": 100, "مئتان": 200, "مئتين": 200, "الفان": 2000, "الفين": 2000,
    "مليونان": 2e6, "مليونين": 2e6,
}
EN_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1e6,
    "billion": 1e9, "dozen": 12,
}  # not "one", "first", "second": too often not numbers ("one of", "a second")
EN_MONTHS = {m: k for k, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                         "september", "october", "november", "december"), start=1)}
WORD_RE = re.compile(r"[^\W\d_]+")
MONTH_DATE_RE = re.compile(rf"\d{{1,2}}\s*(?:من\s+)?({MONTH_PATTERN})(?:\s*[/\-(]\s*({MONTH_PATTERN})\)?)?")


def _value(integer: str, fraction: str | None) -> float:
    return float(re.sub(r"[,٬]", "", integer) + ("." + fraction if fraction else ""))


@dataclass(frozen=True)
class Number:
    """A number found in a text: its value, its value times a following multiplier, as written."""

    value: float
    scaled: float | None
    shown: str

    def matches(self, other: "Number") -> bool:
        mine = {self.value, self.scaled} - {None}
        theirs = {other.value, other.scaled} - {None}
        return any(abs(a - b) < 1e-9 * max(1.0, abs(a)) for a in mine for b in theirs)


def numbers(text: str, lang: str) -> list[Number]:
    """Numbers in a text, in order.

    Digits (Eastern or Western, thousands separators, decimals), percentages, the parts of
    dates, a multiplier word right after a number («12 ألف», "3.5 million": value 12, scaled
    12000), common number words («ثلاثة», "three") and month names next to a number.
    """
    norm = key_text(to_western_digits(text)).lower()
    found: list[Number] = []
    multipliers = EN_MULTIPLIERS if lang == "en" else AR_MULTIPLIERS
    for match in NUMBER_RE.finditer(norm):
        value = _value(match.group(1), match.group(2))
        after = norm[match.end():match.end() + 14].split()
        word = after[0].strip(".,،") if after else ""
        scaled = value * multipliers[word] if word in multipliers else None
        found.append(Number(value, scaled, match.group(0) + (" " + word if scaled else "")))
    words = EN_WORDS if lang == "en" else AR_WORDS
    tokens = [(m.group(), m.start()) for m in WORD_RE.finditer(norm)]
    skip = -1
    for idx, (token, start) in enumerate(tokens):
        if idx == skip:
            continue
        base = token[1:] if lang != "en" and token.startswith("و") and token[1:] in {**words, **multipliers} \
            else token
        if base in multipliers and _after_number(norm, start):
            continue  # "3.5 million": already read with its digits
        value = words.get(base) or (multipliers[base] if base in multipliers and len(base) > 2 else None)
        if value is not None:
            nxt = tokens[idx + 1][0] if idx + 1 < len(tokens) else ""
            scaled = value * multipliers[nxt] if nxt in multipliers and base not in multipliers else None
            found.append(Number(float(value), scaled, token + (" " + nxt if scaled else "")))
            if scaled:
                skip = idx + 1
        if lang == "en" and base in EN_MONTHS and re.search(r"\d", norm[max(0, start - 4):start + len(token) + 4]):
            found.append(Number(float(EN_MONTHS[base]), None, token))
    if lang != "en":  # month names in dates: «9 كانون الأول/ ديسمبر»
        for match in MONTH_DATE_RE.finditer(norm):
            found.append(Number(float(MONTHS[match.group(1)]), None, match.group(1)))
    return found


def _after_number(norm: str, start: int) -> bool:
    """A multiplier word right after digits ("3.5 million") is part of that number, not a number."""
    return bool(re.search(r"\d\s*$", norm[:start]))


def number_mismatch(source: str, translation: str, src_lang: str = "ar") -> tuple[list[str], list[str]]:
    """Numbers of the source missing from the translation, and numbers of the translation the
    source does not have (a changed number shows in both; "5" -> "5 5" shows as extra)."""
    src = numbers(source, src_lang)
    tgt = numbers(translation, "en")
    used = [False] * len(tgt)
    missing = []
    for number in src:
        for k, candidate in enumerate(tgt):
            if not used[k] and number.matches(candidate):
                used[k] = True
                break
        else:
            missing.append(number.shown)
    extra = [candidate.shown for k, candidate in enumerate(tgt) if not used[k]]
    return missing, extra
