"""Repairs after translation: retry what a retry can fix, apply the glossary, unify names.

- A degenerate translation (loop, empty, length ratio out of bounds) is retried once with
  stronger repetition settings; kept if the retry is sound, else flagged.
- An untranslated one (Arabic script left, or equal to its source) goes to the profile's
  fallback model when one is configured; flagged when that does not help either.
- Glossary terms get their rendering (by alignment); name variants get the run's spelling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..types import Translation
from .checks import degenerate_reason, is_untranslated
from .glossary import Glossary, place_term
from .names import NameBook

HUMAN = "human_translation"  # an editor's translation (store.edits): never retried or replaced


def retry_degenerate(translator: Any, sources: Sequence[str], outs: list[Translation], lang: str,
                     retry: bool = True) -> list[Translation]:
    """Retry degenerate translations once with stronger repetition settings (or only flag them)."""
    bad = [k for k, (s, t) in enumerate(zip(sources, outs))
           if HUMAN not in t.flags and degenerate_reason(s, t.text, t.hit_limit)]
    if not bad:
        return outs
    outs = list(outs)
    if not retry:
        for k in bad:
            reason = degenerate_reason(sources[k], outs[k].text, outs[k].hit_limit)
            outs[k] = replace(outs[k], flags=outs[k].flags + (f"degenerate:{reason}",))
        return outs
    retried = translator.translate([sources[k] for k in bad], lang, settings=translator.settings.stronger())
    for k, new in zip(bad, retried):
        reason = degenerate_reason(sources[k], new.text, new.hit_limit)
        if reason is None:
            outs[k] = replace(new, flags=outs[k].flags + ("retried",))
        else:
            outs[k] = replace(outs[k], flags=outs[k].flags + (f"degenerate:{reason}",))
    return outs


def use_fallback(fallback: Any | None, fallback_name: str | None, sources: Sequence[str], outs: list[Translation],
                 lang: str) -> list[Translation]:
    """Send untranslated outputs to the fallback model; flag what stays untranslated."""
    bad = [k for k, (s, t) in enumerate(zip(sources, outs)) if HUMAN not in t.flags and is_untranslated(s, t.text)]
    if not bad:
        return outs
    outs = list(outs)
    fixed: dict[int, Translation] = {}
    if fallback is not None and fallback.supports(lang):
        for k, new in zip(bad, fallback.translate([sources[k] for k in bad], lang)):
            if not is_untranslated(sources[k], new.text):
                fixed[k] = replace(new, flags=outs[k].flags + ("fallback_model",), model=fallback_name)
    for k in bad:
        outs[k] = fixed.get(k) or replace(outs[k], flags=outs[k].flags + ("untranslated_output",))
    return outs


@dataclass
class TermUse:
    """How a glossary term was applied across one article."""

    ar: str
    en: str
    sentences: list[int] = field(default_factory=list)
    present: int = 0
    placed: int = 0
    inserted: int = 0
    unplaced: int = 0


def apply_glossary(glossary: Glossary, translator: Any, lang: str, source: str, translation: Translation,
                   index: int, uses: dict[str, TermUse]) -> Translation:
    """Make every glossary term of `source` appear in its translation as the glossary renders it."""
    hits = glossary.find(source)
    if not hits:
        return translation
    text = translation.text
    flags = list(translation.flags)
    prefix = translator.prefix_for(lang)
    for hit in hits:
        use = uses.setdefault(hit.term.key, TermUse(hit.term.ar, hit.term.en))
        use.sentences.append(index)
        if hit.term.en.lower() in text.lower():
            use.present += 1
            continue
        done = [h.term.en for h in hits if h is not hit and h.term.en.lower() in text.lower()]
        placed = place_term(translator.model, source, text, hit, prefix, keep=done)
        if placed is None:
            use.unplaced += 1
            flags.append("glossary_unplaced")
        else:
            text, how = placed
            setattr(use, how, getattr(use, how) + 1)
            flags.append("glossary" if how == "placed" else "glossary_inserted")
    return replace(translation, text=text, flags=tuple(dict.fromkeys(flags)))


def unify_names(book: NameBook, source: str, translation: Translation, index: int,
                changes: list[dict[str, Any]], where: str = "") -> Translation:
    """Give names the run's spelling; record what changed (`where`: the article's id)."""
    text, changed = book.unify(source, translation.text, where)
    if not changed:
        return translation
    changes.extend({"i": index, "from": a, "to": b} for a, b in changed)
    return replace(translation, text=text, flags=translation.flags + ("name_unified",))
