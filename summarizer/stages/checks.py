"""Checks on translations and summaries: numbers, untranslated text, degenerate output, support.

Pure functions on text. The pipeline runs them on every brief, retries what a retry can
fix (a degenerate translation with stronger repetition settings; an untranslated one with the
profile's fallback model) and records the rest in `checks` (README: "Checks and flags").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ..arabic import arabic_ratio, key_text, to_western_digits
from .summarize import content_words

# -- numbers ---------------------------------------------------------------------------------
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
        from ..dates import MONTHS, _MONTH_ALT

        for match in re.finditer(rf"\d{{1,2}}\s*(?:من\s+)?({_MONTH_ALT})(?:\s*[/\-(]\s*({_MONTH_ALT})\)?)?", norm):
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


# -- untranslated and degenerate output ----------------------------------------------------------
UNTRANSLATED_ARABIC = 0.3
LENGTH_BOUNDS = (0.25, 4.0)  # English characters per source character


def is_untranslated(source: str, translation: str) -> bool:
    """The translation still holds Arabic script (over 30% of its letters) or equals its source."""
    if not translation.strip():
        return False
    return arabic_ratio(translation) > UNTRANSLATED_ARABIC or key_text(translation) == key_text(source)


def repeated_ngram(tokens: Sequence[str], max_n: int = 4, times: int = 3) -> bool:
    """Some 1..max_n-gram repeats `times` times in a row (a loop), or one token is over half the text."""
    if not tokens:
        return False
    for n in range(1, max_n + 1):
        for start in range(0, len(tokens) - n * times + 1):
            gram = tokens[start:start + n]
            if all(tokens[start + k * n:start + (k + 1) * n] == gram for k in range(1, times)):
                if n > 1 or len(gram[0]) > 1 or times >= 4:
                    return True
    counts: dict[str, int] = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    return len(tokens) >= 8 and max(counts.values()) > len(tokens) / 2


def degenerate_reason(source: str, translation: str, hit_limit: bool = False) -> str | None:
    """Why a translation looks broken: "empty", "loop", "too_short", "too_long"; None if it looks sane."""
    if not translation.strip():
        return "empty"
    if repeated_ngram(translation.lower().split()) or hit_limit and repeated_ngram(list(translation), 6, 4):
        return "loop"
    ratio = len(translation) / max(1, len(source))
    if len(source) >= 20 and ratio < LENGTH_BOUNDS[0]:
        return "too_short"
    if ratio > LENGTH_BOUNDS[1] and len(translation) > 40:
        return "too_long"
    return None


# -- summary support -------------------------------------------------------------------------------
SUPPORT_OVERLAP = 0.5
NAME_RE = re.compile(r"\b([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*)")
STOP = set("""a an the and or but of to in on at by for with from as is are was were be been it its this that
these those he she they we you his her their our not will would can has have had said says also after before
over under into than then there who which what when where while more most some""".split())


@dataclass(frozen=True)
class Support:
    """How well a summary sentence is backed by the translation."""

    sentence: str
    overlap: float
    missing_names: tuple[str, ...] = ()
    missing_numbers: tuple[str, ...] = ()
    best_source: int | None = None

    @property
    def supported(self) -> bool:
        return self.overlap >= SUPPORT_OVERLAP and not self.missing_names and not self.missing_numbers


def support(sentence: str, translations: Sequence[str]) -> Support:
    """Overlap of a summary sentence's content words with the whole translation; names and
    numbers it states that the translation never mentions."""
    whole = " ".join(translations)
    words = content_words(sentence)
    pool = content_words(whole)
    overlap = len(words & pool) / len(words) if words else 1.0
    lower = whole.lower()
    names = tuple(dict.fromkeys(n for n in NAME_RE.findall(sentence) if n.lower() not in lower
                                and n.lower() not in STOP))
    have = numbers(whole, "en")
    nums = tuple(n.shown for n in numbers(sentence, "en") if not any(n.matches(h) for h in have))
    best, best_score = None, 0.0
    for i, text in enumerate(translations):
        score = len(words & content_words(text)) / max(1, len(words))
        if score > best_score:
            best, best_score = i, score
    return Support(sentence=sentence, overlap=round(overlap, 3), missing_names=names, missing_numbers=nums,
                   best_source=best)


@dataclass
class SentenceCheck:
    """What the checks found in one sentence's translation."""

    i: int
    numbers_missing: list[str] = field(default_factory=list)
    numbers_extra: list[str] = field(default_factory=list)
    untranslated: bool = False
    degenerate: str | None = None
