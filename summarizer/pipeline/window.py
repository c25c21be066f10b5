"""One window of articles through the models: pooled translation with repairs, batched summaries.

The window gets its collaborators explicitly (WindowTools) and answers with one frozen record
per article: a Translated or Summarized, or a Failure saying why there is none.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..errors import ModelUnavailable
from ..models.registry import ModelRegistry
from ..steps.glossary import Glossary
from ..steps.memory import CachedTranslator, MemoryBackend, MemoryStats
from ..steps.names import NameBook
from ..steps.repair import TermUse, apply_glossary, retry_degenerate, unify_names, use_fallback
from ..steps.summarize import Summarizer
from ..steps.translate import Translator
from ..types import Failure, Translation
from .records import Draft, Segmented, Summarized, Translated

log = logging.getLogger("summarizer")
R = TypeVar("R")


@dataclass(frozen=True)
class WindowTools:
    """What a window needs besides its articles.

    Attributes:
        registry: loads models by name.
        memory: the translation memory backend.
        memory_stats: counters of memory hits and misses.
        glossary: terms to render exactly, or None.
        names: the run's name spellings (None on a remote worker: the driver applies them).
        fallback: the profile's fallback translation model, or None.
        retry: retry degenerate translations once (else only flag them).
    """

    registry: ModelRegistry
    memory: MemoryBackend
    memory_stats: MemoryStats
    glossary: Glossary | None
    names: NameBook | None
    fallback: str | None = None
    retry: bool = True


def per_article(members: Sequence[Segmented], fn: Callable[[Sequence[Segmented]], list[R]], stage: str,
                sizes: Callable[[Segmented], int]) -> list[list[R] | Failure]:
    """Run fn on all members at once; if that fails, member by member, so one bad article fails alone.

    Returns:
        Per member: the slice of fn's output that belongs to it, or its Failure.
    """
    try:
        out = fn(members)
    except ModelUnavailable:
        raise
    except Exception:
        log.debug("batched %s failed; retrying article by article", stage, exc_info=True)
    else:
        parts: list[list[R] | Failure] = []
        k = 0
        for member in members:
            parts.append(out[k:k + sizes(member)])
            k += sizes(member)
        return parts
    results: list[list[R] | Failure] = []
    for member in members:
        try:
            results.append(fn([member]))
        except Exception as exc:  # noqa: BLE001 - isolate the failing article
            results.append(Failure(member.article.ref, f"{stage} failed: {type(exc).__name__}: {exc}", stage,
                                   id=member.id, fingerprint=member.fingerprint))
    return results


def _failure(seg: Segmented, error: str, stage: str) -> Failure:
    return Failure(seg.article.ref, error, stage, id=seg.id, fingerprint=seg.fingerprint)


def group_order(segs: Sequence[Segmented]) -> dict[tuple[str, str], list[Segmented]]:
    """The articles to translate, grouped per (model, language) in order of first appearance."""
    groups: dict[tuple[str, str], list[Segmented]] = {}
    for seg in segs:
        if seg.translator is not None:
            groups.setdefault((seg.translator, seg.language), []).append(seg)
    return groups


def translate_window(segs: Sequence[Segmented], tools: WindowTools) -> dict[str, Translated | Failure]:
    """Translate the articles of a window, pooled per (model, language); one record per article id."""
    return finish_window(segs, draft_window(segs, tools), tools.names)


def draft_window(segs: Sequence[Segmented], tools: WindowTools) -> dict[str, Draft | Failure]:
    """The model work of a window's translation (translate, retry, fallback, glossary), without the
    run-wide name spellings: what a remote worker does (see finish_window)."""
    drafts: dict[str, Draft | Failure] = {}
    for (name, lang), members in group_order(segs).items():
        try:
            drafts.update(_draft_group(name, lang, members, tools))
        except ModelUnavailable as exc:
            drafts.update({seg.id: _failure(seg, str(exc), "translate") for seg in members})
    return drafts


def finish_window(segs: Sequence[Segmented], drafts: Mapping[str, Draft | Failure],
                  names: NameBook | None) -> dict[str, Translated | Failure]:
    """Give names the run's spelling, article by article in the order the drafts were made, and
    assemble each article's record. Runs where the run's name book lives (the driver)."""
    results: dict[str, Translated | Failure] = {seg.id: _untranslated(seg) for seg in segs if seg.translator is None}
    for members in group_order(segs).values():
        for seg in members:
            draft = drafts[seg.id]
            results[seg.id] = draft if isinstance(draft, Failure) else _finish(seg, draft, names)
    return results


def _untranslated(seg: Segmented) -> Translated:
    english = tuple(s.text for s in seg.sentences)
    return Translated(english=english, translations=(None,) * len(english), title_en=seg.title)


def _cached(tools: WindowTools, name: str) -> CachedTranslator:
    return CachedTranslator(Translator(tools.registry.get(name)), tools.memory, tools.memory_stats)


def _fallback(tools: WindowTools, name: str) -> tuple[CachedTranslator | None, str | None]:
    if not tools.fallback or tools.fallback == name:
        return None, None
    try:
        return _cached(tools, tools.fallback), tools.fallback
    except ModelUnavailable as exc:
        log.warning("fallback model unavailable: %s", exc)
        return None, None


def _draft_group(name: str, lang: str, members: list[Segmented], tools: WindowTools) -> dict[str, Draft | Failure]:
    started = time.perf_counter()
    translator = _cached(tools, name)
    fallback, fallback_name = _fallback(tools, name)

    def translate(segs: Sequence[Segmented]) -> list[Translation]:
        sources = [t for seg in segs for t in seg.to_translate()]
        outs = retry_degenerate(translator, sources, translator.translate(sources, lang), lang, retry=tools.retry)
        return use_fallback(fallback, fallback_name, sources, outs, lang)

    outs = per_article(members, translate, "translate", sizes=lambda seg: len(seg.to_translate()))
    elapsed = time.perf_counter() - started
    total = sum(seg.weight() for seg in members)
    drafts: dict[str, Draft | Failure] = {}
    for seg, out in zip(members, outs):
        if isinstance(out, Failure):
            drafts[seg.id] = out
        else:
            drafts[seg.id] = _glossary(seg, translator, lang, list(out), tools, elapsed * seg.weight() / total)
    return drafts


def _indices(seg: Segmented) -> list[int]:
    """The sentence index of each translated text (-1: the title)."""
    return ([-1] if not seg.title_derived else []) + [s.i for s in seg.sentences if s.translate]


def _glossary(seg: Segmented, translator: CachedTranslator, lang: str, outs: list[Translation],
              tools: WindowTools, seconds: float) -> Draft:
    """Glossary terms, text by text in input order (the model aligns them)."""
    uses: dict[str, TermUse] = {}
    if tools.glossary is not None:
        for k, (source, index) in enumerate(zip(seg.to_translate(), _indices(seg))):
            outs[k] = apply_glossary(tools.glossary, translator, lang, source, outs[k], index, uses)
    return Draft(outs=tuple(outs), glossary=tuple(vars(u) for u in uses.values()), seconds=seconds)


def _finish(seg: Segmented, draft: Draft, names: NameBook | None) -> Translated:
    """Name spellings, text by text in input order; then the article's record."""
    outs: list[Translation] = list(draft.outs)
    changes: list[dict] = []
    if names is not None:
        for k, (source, index) in enumerate(zip(seg.to_translate(), _indices(seg))):
            outs[k] = unify_names(names, source, outs[k], index, changes, seg.id)
    title_en = None if seg.title_derived else outs.pop(0).text
    it = iter(outs)
    translations = tuple(next(it) if s.translate else None for s in seg.sentences)
    english = tuple(t.text if t is not None else s.text for s, t in zip(seg.sentences, translations))
    return Translated(english=english, translations=translations,
                      title_en=english[0] if title_en is None else title_en,
                      glossary=draft.glossary, names_unified=tuple(changes), seconds=draft.seconds)


def summarize_window(segs: Sequence[Segmented], english: Mapping[str, Sequence[str]], registry: ModelRegistry,
                     model: str) -> dict[str, Summarized | Failure]:
    """Summaries of the given articles, batched together; one record per article id."""
    if not segs:
        return {}
    started = time.perf_counter()
    try:
        summarizer = Summarizer(registry.get(model))
    except ModelUnavailable as exc:
        return {seg.id: _failure(seg, str(exc), "summarize") for seg in segs}
    outs = per_article(segs, lambda group: summarizer.summarize([english[seg.id] for seg in group]), "summarize",
                       sizes=lambda seg: 1)
    elapsed = time.perf_counter() - started
    total = sum(seg.weight() for seg in segs)
    return {seg.id: out if isinstance(out, Failure) else Summarized(out[0], elapsed * seg.weight() / total)
            for seg, out in zip(segs, outs)}
