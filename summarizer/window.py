"""One window of articles through the models: pooled translation with repairs, batched summaries.

Kept apart from pipeline.py (which composes the stages) so each stays small.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from .brief import Prepared
from .errors import ModelUnavailable
from .repair import TermUse, apply_glossary, retry_degenerate, unify_names, use_fallback
from .stages.memory import CachedTranslator
from .stages.summarize import Summarizer, Summary
from .stages.translate import Translation, Translator
from .types import Failure

log = logging.getLogger("summarizer")


def isolated(members: list[Prepared], fn: Callable[[list[Prepared]], list], stage: str,
             failed: dict[str, Failure], sizes: Callable[[Prepared], int]) -> list[list | None]:
    """Run fn on all members at once; if that fails, per member, so one bad article fails alone.

    Returns, per member, the slice of fn's output that belongs to it (None when it failed).
    """
    def split(ps: list[Prepared], out: list) -> list[list]:
        parts, k = [], 0
        for p in ps:
            parts.append(out[k:k + sizes(p)])
            k += sizes(p)
        return parts

    try:
        return split(members, fn(members))
    except ModelUnavailable:
        raise
    except Exception:  # noqa: BLE001
        log.debug("batched %s failed; retrying article by article", stage, exc_info=True)
    outs: list[list | None] = []
    for p in members:
        try:
            outs.append(fn([p]))
        except Exception as exc:  # noqa: BLE001 - isolate the failing article
            failed[p.id] = Failure(p.article.ref, f"{stage} failed: {type(exc).__name__}: {exc}", stage, id=p.id,
                                   fingerprint=p.fingerprint)
            outs.append(None)
    return outs


class WindowTranslator:
    """Translates the articles of a window, grouped per (model, language), and repairs outputs."""

    def __init__(self, pipeline: Any) -> None:
        self.p = pipeline

    def _translator(self, name: str) -> CachedTranslator:
        return CachedTranslator(Translator(self.p.registry.get(name)), self.p.memory, self.p.memory_stats)

    def _fallback(self, name: str) -> tuple[Any | None, str | None]:
        fallback = self.p.profile.fallback
        if not fallback or fallback == name:
            return None, None
        try:
            return self._translator(fallback), fallback
        except ModelUnavailable as exc:
            log.warning("fallback model unavailable: %s", exc)
            return None, None

    def run(self, preps: list[Prepared]):
        """Returns (english, translations, titles, failed), keyed by article id."""
        english: dict[str, list[str]] = {}
        translations: dict[str, list[Translation | None]] = {}
        titles: dict[str, str] = {}
        failed: dict[str, Failure] = {}
        groups: dict[tuple[str, str], list[Prepared]] = {}
        for p in preps:
            if p.translator is None:
                english[p.id] = [s.text for s in p.sentences]
                translations[p.id] = [None] * len(p.sentences)
                titles[p.id] = p.title
            else:
                groups.setdefault((p.translator, p.language), []).append(p)
        for (name, lang), members in groups.items():
            started = time.perf_counter()
            try:
                translator = self._translator(name)
                fallback, fallback_name = self._fallback(name)

                def translate(ps: list[Prepared]) -> list[Translation]:
                    sources = [t for p in ps for t in p.to_translate()]
                    outs = retry_degenerate(translator, sources, translator.translate(sources, lang), lang,
                                            retry=self.p.options.retry_degenerate)
                    return use_fallback(fallback, fallback_name, sources, outs, lang)

                outs = isolated(members, translate, "translate", failed, sizes=lambda p: len(p.to_translate()))
            except ModelUnavailable as exc:
                for p in members:
                    failed[p.id] = Failure(p.article.ref, str(exc), "translate", id=p.id, fingerprint=p.fingerprint)
                continue
            elapsed = time.perf_counter() - started
            total = sum(p.weight() for p in members)
            for p, out in zip(members, outs):
                if out is None:
                    continue
                p.timings["translate"] = elapsed * p.weight() / total
                out = self._finish(p, translator, lang, list(out))
                titles[p.id] = p.title if p.title_derived else out.pop(0).text
                it = iter(out)
                translations[p.id] = [next(it) if s.translate else None for s in p.sentences]
                english[p.id] = [t.text if t is not None else s.text for s, t in zip(p.sentences, translations[p.id])]
                if p.title_derived:
                    titles[p.id] = english[p.id][0]
        return english, translations, titles, failed

    def _finish(self, prep: Prepared, translator: Any, lang: str, outs: list[Translation]) -> list[Translation]:
        """Glossary and name spelling, sentence by sentence, in input order."""
        sources = prep.to_translate()
        indices = ([-1] if not prep.title_derived else []) + [s.i for s in prep.sentences if s.translate]
        uses: dict[str, TermUse] = {}
        changes: list[dict[str, Any]] = []
        for k, (source, index) in enumerate(zip(sources, indices)):
            if self.p.glossary is not None:
                outs[k] = apply_glossary(self.p.glossary, translator, lang, source, outs[k], index, uses)
            outs[k] = unify_names(self.p.names, source, outs[k], index, changes)
        prep.extra["glossary"] = [vars(u) for u in uses.values()]
        prep.extra["names_unified"] = changes
        return outs


def summarize_window(pipeline: Any, preps: list[Prepared], english: dict[str, list[str]]):
    """Summaries of the window's articles long enough to need one; returns (summaries, failed)."""
    summaries: dict[str, Summary] = {}
    failed: dict[str, Failure] = {}
    todo = [p for p in preps if len(p.sentences) >= pipeline.options.lead_below]
    if not todo:
        return summaries, failed
    started = time.perf_counter()
    try:
        summarizer = Summarizer(pipeline.registry.get(pipeline.profile.summarize))
    except ModelUnavailable as exc:
        return summaries, {p.id: Failure(p.article.ref, str(exc), "summarize", id=p.id, fingerprint=p.fingerprint)
                           for p in todo}
    outs = isolated(todo, lambda ps: summarizer.summarize([english[p.id] for p in ps]), "summarize", failed,
                    sizes=lambda p: 1)
    elapsed = time.perf_counter() - started
    total = sum(p.weight() for p in todo)
    for p, out in zip(todo, outs):
        if out is not None:
            summaries[p.id] = out[0]
            p.timings["summarize"] = elapsed * p.weight() / total
    return summaries, failed
