"""Article-level checks for a brief (pure): numbers, confidence, summary support, strict repair."""

from __future__ import annotations

from typing import Any, Sequence

from .stages.checks import number_mismatch, support
from .stages.segment import split_sentences
from .stages.translate import Translation
from .types import Sentence

LOW_CONFIDENCE = -1.5  # mean token log-probability below which a translation is flagged


def sentence_checks(sentences: Sequence[Sentence], translations: Sequence[Translation | None], english: Sequence[str],
                    language: str) -> tuple[dict[str, Any], dict[int, list[str]]]:
    """Numbers, confidence and the repair flags of every translated sentence.

    Returns:
        (checks entries, {sentence index: [flags]}).
    """
    flags: dict[int, list[str]] = {}
    numbers = []
    scored = []
    for s, tr, en in zip(sentences, translations, english):
        if tr is None:
            continue
        missing, extra = number_mismatch(s.text, en, language)
        if missing or extra:
            numbers.append({"i": s.i, "missing": missing, "extra": extra})
            flags.setdefault(s.i, []).append("numbers")
        for flag in tr.flags:
            flags.setdefault(s.i, []).append(flag)
        if tr.score is not None:
            scored.append((tr.score, s.i))
            if tr.score < LOW_CONFIDENCE:
                flags.setdefault(s.i, []).append("low_confidence")
    lowest = [i for _, i in sorted(scored)[:max(1, len(scored) // 10)]] if len(scored) >= 3 else []
    for i in lowest:
        flags.setdefault(i, []).append("lowest_confidence")
    untranslated = sorted(i for i, f in flags.items() if "untranslated" in f)
    degenerate = sorted(i for i, f in flags.items() if any(x.startswith("degenerate:") for x in f))
    return {"numbers": numbers, "lowest_confidence": sorted(lowest), "untranslated_output": untranslated,
            "degenerate": degenerate}, flags


def summary_checks(summary_en: str, english: Sequence[str], strict: bool,
                   lead_pool: Sequence[str]) -> tuple[str, list[dict[str, Any]], bool]:
    """Support of each English summary sentence by the translation; with `strict`, unsupported
    sentences are replaced by the best-supported lead sentences of the translation.

    Returns:
        (summary, [{k, overlap, supported, missing_names, missing_numbers}], repaired?).
    """
    parts = split_sentences(summary_en)
    report = []
    for k, sentence in enumerate(parts):
        found = support(sentence, english)
        report.append({"k": k, "overlap": found.overlap, "supported": found.supported,
                       "missing_names": list(found.missing_names), "missing_numbers": list(found.missing_numbers)})
    if not strict or all(r["supported"] for r in report):
        return summary_en, report, False
    unused = [s for s in lead_pool if s not in parts]
    fixed = []
    for sentence, r in zip(parts, report):
        if r["supported"]:
            fixed.append(sentence)
        elif unused:
            fixed.append(unused.pop(0))
    return " ".join(fixed), report, True
