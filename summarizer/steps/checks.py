"""Checks on translations and summaries: untranslated text, degenerate output, numbers,
confidence, summary support, and what each summary sentence draws on.

Pure functions on text. The pipeline runs them on every brief, retries what a retry can
fix (a degenerate translation with stronger repetition settings; an untranslated one with the
profile's fallback model) and records the rest in `checks` (docs/analysts.md: "Checks").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..text.arabic import arabic_ratio, key_text
from ..text.english import CAPITALISED_RE, STOPWORDS, content_words
from ..text.hijri import date_numbers, missing_in_english
from ..types import Sentence, Translation
from .numbers import number_mismatch, numbers

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
        for start in range(len(tokens) - n * times + 1):
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
    names = tuple(dict.fromkeys(n for n in CAPITALISED_RE.findall(sentence) if n.lower() not in lower
                                and n.lower() not in STOPWORDS))
    have = numbers(whole, "en")
    nums = tuple(n.shown for n in numbers(sentence, "en") if not any(n.matches(h) for h in have))
    best, best_score = None, 0.0
    for i, text in enumerate(translations):
        score = len(words & content_words(text)) / max(1, len(words))
        if score > best_score:
            best, best_score = i, score
    return Support(sentence=sentence, overlap=round(overlap, 3), missing_names=names, missing_numbers=nums,
                   best_source=best)


LOW_CONFIDENCE = -1.5  # mean token log-probability below which a translation is flagged


def sentence_checks(sentences: Sequence[Sentence], translations: Sequence[Translation | None], english: Sequence[str],
                    language: str) -> tuple[dict[str, Any], dict[int, list[str]]]:
    """Numbers, Hijri dates, confidence and the repair flags of every translated sentence.

    Returns:
        (checks entries, {sentence index: [flags]}).
    """
    flags: dict[int, list[str]] = {}
    numbers, dates = [], []
    scored = []
    for s, tr, en in zip(sentences, translations, english):
        if tr is None:
            continue
        missing, extra = number_mismatch(s.text, en, language)
        if missing or extra:  # a Hijri date given rightly (as itself or as its Gregorian date) is no mismatch
            ours, theirs = date_numbers(s.text, en)
            missing, extra = [m for m in missing if m not in ours], [e for e in extra if e.lower() not in theirs]
        if missing or extra:
            numbers.append({"i": s.i, "missing": missing, "extra": extra})
            flags.setdefault(s.i, []).append("numbers")
        hijri = missing_in_english(s.text, en)
        if hijri:  # a Hijri date must come out as itself or as its Gregorian date
            dates.append({"i": s.i, "missing": hijri})
            flags.setdefault(s.i, []).append("dates")
        for flag in tr.flags:
            flags.setdefault(s.i, []).append(flag)
        if tr.score is not None:
            scored.append((tr.score, s.i))
            if tr.score < LOW_CONFIDENCE:
                flags.setdefault(s.i, []).append("low_confidence")
    lowest = [i for _, i in sorted(scored)[:max(1, len(scored) // 10)]] if len(scored) >= 3 else []
    for i in lowest:
        flags.setdefault(i, []).append("lowest_confidence")
    untranslated = sorted(i for i, f in flags.items() if "untranslated_output" in f)
    degenerate = sorted(i for i, f in flags.items() if any(x.startswith("degenerate:") for x in f))
    return {"numbers": numbers, "dates": dates, "lowest_confidence": sorted(lowest), "untranslated_output": untranslated,
            "degenerate": degenerate}, flags


def summary_checks(parts: Sequence[str], english: Sequence[str], strict: bool,
                   lead_pool: Sequence[str]) -> tuple[list[str], list[dict[str, Any]], bool]:
    """Support of each English summary sentence by the translation; with `strict`, unsupported
    sentences are replaced by the best-supported lead sentences of the translation.

    Args:
        parts: the summary, one entry per sentence.
        english: the translation, one entry per source sentence.
        strict: replace unsupported sentences.
        lead_pool: translation sentences a repair may use, best first.

    Returns:
        (summary sentences, [{k, overlap, supported, missing_names, missing_numbers}], repaired?).
    """
    report = []
    for k, sentence in enumerate(parts):
        found = support(sentence, english)
        report.append({"k": k, "overlap": found.overlap, "supported": found.supported,
                       "missing_names": list(found.missing_names), "missing_numbers": list(found.missing_numbers)})
    if not strict or all(r["supported"] for r in report):
        return list(parts), report, False
    unused = [s for s in lead_pool if s not in parts]
    fixed = []
    for sentence, r in zip(parts, report):
        if r["supported"]:
            fixed.append(sentence)
        elif unused:
            fixed.append(unused.pop(0))
    return fixed, report, True


def link_summary(parts: Sequence[str], translations: Sequence[str], top: int = 3) -> list[tuple[int, tuple[int, ...]]]:
    """Link each summary sentence to the source sentences it draws on (word overlap).

    Returns:
        [(summary_sentence_index, (source_sentence_indices...)), ...]; indices ascending; a
        summary sentence sharing no content word with any translation links to ().
    """
    bags = [content_words(t) for t in translations]
    links = []
    for k, sentence in enumerate(parts):
        words = content_words(sentence)
        scored = sorted(((len(words & bag) / max(1, len(words)), i) for i, bag in enumerate(bags)),
                        key=lambda x: (-x[0], x[1]))
        best = scored[0][0] if scored else 0.0
        chosen = [i for s, i in scored[:top] if s > 0 and s >= best * 0.5]
        links.append((k, tuple(sorted(chosen))))
    return links
