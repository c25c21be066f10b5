"""The flags as an editor reads them: a short label in plain words, the flag table's meaning and
"what to do" (summarizer.flags), a weight for the attention order, and counts per story.

Weights: 3 for what can put a wrong fact in the newsletter (numbers, untranslated or broken
output, an unsupported summary), 2 for what needs a read (low confidence, a cut translation or
summary), 1 for what is worth knowing, 0 for what needs nothing. A story's attention is the sum
of its flags' weights, each counted once per sentence that raises it (at most 5 times), plus 10
when its text changed since it was approved and 5 per stale edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..flags import FLAGS, describe

LABELS: dict[str, tuple[str, int]] = {
    # sentence flags
    "numbers": ("numbers differ from the source", 3),
    "untranslated_output": ("Arabic left in the translation", 3),
    "passthrough": ("kept as written (not Arabic)", 0),
    "fallback_model": ("translated by the fallback model", 1),
    "degenerate:loop": ("translation loops", 3),
    "degenerate:empty": ("translation empty", 3),
    "degenerate:too_short": ("translation far too short", 3),
    "degenerate:too_long": ("translation far too long", 3),
    "retried": ("retried after a broken output", 0),
    "human_translation": ("an editor's translation", 0),
    "low_confidence": ("low confidence", 2),
    "lowest_confidence": ("among the least confident", 1),
    "split": ("long sentence, translated in pieces", 1),
    "length_limit": ("translation cut at its length limit", 2),
    "glossary": ("glossary term placed", 0),
    "glossary_inserted": ("glossary term inserted", 1),
    "glossary_unplaced": ("glossary term missing", 2),
    "name_unified": ("name spelling unified", 0),
    # article flags
    "numbers_mismatch": ("numbers differ from the source", 3),
    "degenerate": ("broken translation", 3),
    "long_sentence_split": ("long sentences, translated in pieces", 1),
    "output_length_limit": ("translations cut at their length limit", 2),
    "unsupported_summary": ("summary not backed by the article", 3),
    "summary_repaired": ("summary repaired from the lead", 1),
    "lead_summary": ("summary is the first sentences", 0),
    "map_reduce": ("long article, summary made in parts", 1),
    "truncated": ("article cut before the summary", 2),
    "summary_empty": ("no summary", 3),
    "summary_length_limit": ("summary cut at its length limit", 2),
    "summary_ar_lead": ("summary unrelated to the translation", 3),
    "title_derived": ("no title: first sentence used", 1),
    "teaser_only": ("feed teaser only, no full article", 2),
}
CHANGED_WEIGHT = 10
STALE_WEIGHT = 5
MAX_COUNT = 5


def flag_info(name: str) -> dict[str, Any]:
    """One flag for the page: name, label, meaning, what to do, weight, and `check` (it needs a
    look: weight > 0). An unknown flag (a newer version's) is shown by its name."""
    label, weight = LABELS.get(name, (name.replace("_", " "), 1))
    try:
        entry = describe(name)
        meaning, action = entry.meaning, entry.action
    except KeyError:
        meaning, action = "a flag this version does not describe", "read the brief"
    return {"name": name, "label": label, "meaning": meaning, "action": action, "weight": weight, "check": weight > 0}


def _raised_by() -> dict[str, tuple[str, ...]]:
    raised: dict[str, list[str]] = {}
    for flag in FLAGS:
        if flag.article:
            raised.setdefault(flag.article, []).append(flag.name)
    return {k: tuple(v) for k, v in raised.items()}


RAISED_BY = _raised_by()  # article flag -> the sentence flags that raise it


def story_flags(brief: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every article flag of a brief (none left out), each with `count` (sentences that raise it,
    1 for an article-only flag) and `sentences` (their indices), most weighty first."""
    sentences = brief.get("sentences") or []
    out = []
    for name in (brief.get("checks") or {}).get("flags") or []:
        sources = RAISED_BY.get(name, ())
        where = [int(s.get("i", k)) for k, s in enumerate(sentences) if set(s.get("flags") or ()) & set(sources)]
        out.append({**flag_info(name), "count": len(where) or 1, "sentences": where})
    return sorted(out, key=lambda f: -f["weight"])


def sentence_flags(sentence: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A sentence's flags for its row, most weighty first."""
    return sorted((flag_info(f) for f in sentence.get("flags") or ()), key=lambda f: -f["weight"])


def confidence(sentence: Mapping[str, Any]) -> str | None:
    """The engine's confidence in a sentence, in words: "low", "lowest" (among the article's
    lowest 10%), "ok", or None (no score: not translated by a model)."""
    flags = set(sentence.get("flags") or ())
    if "low_confidence" in flags:
        return "low"
    if "lowest_confidence" in flags:
        return "lowest"
    return "ok" if sentence.get("score") is not None else None


def attention(flags: list[dict[str, Any]], changed: bool, stale: int) -> int:
    """A story's attention score (see the module doc); 0: nothing to check."""
    return sum(f["weight"] * min(f["count"], MAX_COUNT) for f in flags) + CHANGED_WEIGHT * changed + STALE_WEIGHT * stale
