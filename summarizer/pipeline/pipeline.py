"""The pipeline: wires the steps, streams articles in windows, isolates per-article failures.

Articles are read lazily and processed in windows: the sentences of every article in a
window are pooled per translation model (one length-sorted batch stream), then summaries are
batched across the window. Results come out in input order, one per input item: a Brief, or
a Failure saying why there is none.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from ..config import Config
from ..models.registry import ModelRegistry
from ..steps.clean import clean, display_safe
from ..steps.glossary import Glossary
from ..steps.memory import MemoryBackend, MemoryStats, MemoryTM
from ..steps.names import NameBook
from ..steps.segment import segment
from ..text.langid import detect_language
from ..types import Article, Brief, Failure
from .brief import build_brief, content_id
from .executor import Executor, LocalExecutor
from .fingerprint import Fingerprints
from .records import Segmented, Summarized, Translated
from .window import WindowTools

log = logging.getLogger("summarizer")
Result = Brief | Failure


@dataclass(frozen=True)
class PipelineOptions:
    """Knobs of a run.

    Attributes:
        window_articles: most articles pooled in one window.
        window_sentences: a window closes once it holds this many sentences.
        lead_below: articles with fewer sentences get their lead as summary (flagged).
        target: the language briefs are written in.
        strict: replace unsupported summary sentences with the translation's lead sentences.
        retry_degenerate: retry looping/empty translations once with stronger settings (else only flag).
    """

    window_articles: int = 32
    window_sentences: int = 3000
    lead_below: int = 3
    target: str = "en"
    strict: bool = False
    retry_degenerate: bool = True

    def key(self) -> str:
        """The options that change outputs, as one string (window sizes change only speed)."""
        return f"{self.lead_below}|{self.target}|{self.strict}|{self.retry_degenerate}"


class SeenIds(Protocol):
    """Ids met earlier in a run (duplicate detection)."""

    def first_ref(self, article_id: str, ref: str) -> str | None:
        """The ref that first had this id in the run (None: this is the first; it is recorded)."""
        ...


class RecentIds:
    """In-process SeenIds, bounded (least recently seen forgotten first) so memory stays flat."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._refs: OrderedDict[str, str] = OrderedDict()

    def first_ref(self, article_id: str, ref: str) -> str | None:
        """See SeenIds.first_ref."""
        if article_id in self._refs:
            self._refs.move_to_end(article_id)
            return self._refs[article_id]
        self._refs[article_id] = ref
        if len(self._refs) > self.capacity:
            self._refs.popitem(last=False)
        return None


Skip = Callable[[str, str], "str | None"]


class Pipeline:
    """Arabic news articles in, bilingual briefs out.

    Args:
        config: the model registry (see load_config).
        profile: which profile of models.yaml to use.
        device: "cpu", "cuda" or None (CUDA when available).
        engine: "auto", "torch" or "ctranslate2" for every model (None: models.yaml decides).
        threads: CPU threads (None: all cores).
        compute_type: CTranslate2 compute type override.
        options: window sizes and thresholds.
        registry: an existing registry to share loaded models.
        memory: translation memory backend (a Store); default: an in-process memory for this run.
        glossary: terms to render exactly (see steps.glossary).
        seen: duplicate detection across the run; default: an in-process bounded one.
        executor: where the model work runs; default: in this process.
    """

    def __init__(self, config: Config, profile: str = "default", *, device: str | None = None,
                 engine: str | None = None, threads: int | None = None, compute_type: str | None = None,
                 options: PipelineOptions | None = None, registry: ModelRegistry | None = None,
                 memory: MemoryBackend | None = None, glossary: Glossary | None = None,
                 seen: SeenIds | None = None, executor: Executor | None = None) -> None:
        self.config = config
        self.profile = config.profile(profile)
        self.options = options or PipelineOptions()
        self.registry = registry or ModelRegistry(config, device=device, engine=engine, threads=threads,
                                                  compute_type=compute_type)
        self.memory: MemoryBackend = memory if memory is not None else MemoryTM()
        self.memory_stats = MemoryStats()
        self.glossary = glossary
        self.names = NameBook(glossary.name_spellings() if glossary else None)
        self.seen: SeenIds = seen if seen is not None else RecentIds()
        self.executor: Executor = executor if executor is not None else LocalExecutor()
        self.fingerprints = Fingerprints(config, self.profile, self.registry, self.options.key(),
                                         glossary.digest if glossary else "-")

    def use_house_names(self, spellings: Mapping[str, str]) -> None:
        """A folder's house spellings ({Arabic key as steps.names keys it: English}) before the run's
        first-seen rule; the glossary's spellings win over them."""
        self.names = NameBook({**spellings, **(self.glossary.name_spellings() if self.glossary else {})})

    def required_models(self) -> list[str]:
        """Models every run of this profile needs: the summariser and per-language translators.

        The catch-all ("*") translator is loaded only when an article needs it.
        """
        names = [m for lang, m in self.profile.translate.items() if lang != "*"]
        names.append(self.profile.summarize)
        return list(dict.fromkeys(names))

    def all_models(self) -> list[str]:
        """Every model the profile may use (the catch-all and fallback translators included)."""
        names = [*self.profile.translate.values(), self.profile.summarize]
        if self.profile.fallback:
            names.append(self.profile.fallback)
        return list(dict.fromkeys(names))

    def check_models(self) -> None:
        """Fail fast, before any article: ConfigError when the device asked for is not there,
        ModelUnavailable when a required model is missing, broken, or cannot be fetched."""
        self.registry.check_device(self.all_models())
        for name in self.required_models():
            self.registry.ensure_available(name)

    def fingerprint(self, translator: str | None) -> str:
        """Fingerprint of the pipeline an article goes through (see pipeline.fingerprint)."""
        return self.fingerprints.article(translator)

    # -- per article ----------------------------------------------------------------------------
    def prepare(self, article: Article) -> Segmented | Failure:
        """Clean, identify the language, segment and route one article."""
        started = time.perf_counter()
        article = display_safe(article)
        cleaned = clean(article.text, article.title, extracted=article.extracted)
        if not cleaned.paragraphs:
            return Failure(article.ref, f"no article text left after removing {len(cleaned.removed)} "
                                        "boilerplate lines", "clean")
        language = detect_language(cleaned.body, article.language)
        art_id = content_id(cleaned.body)
        if language == "und":
            return Failure(article.ref, "skipped: no letters to translate (cannot tell the language)",
                           "route", status="skipped", id=art_id)
        translator = None
        if language != self.options.target:
            translator = self.profile.translator_for(language)
            reason = self._unroutable(language, translator)
            if reason:
                return Failure(article.ref, f"skipped: {reason}", "route", status="skipped", id=art_id)
        sentences = tuple(segment(cleaned.paragraphs, language))
        title = article.title or cleaned.title
        return Segmented(article=article, cleaned=cleaned, id=art_id, language=language, sentences=sentences,
                         title=title or sentences[0].text, title_derived=not title, translator=translator,
                         fingerprint=self.fingerprint(translator), clean_seconds=time.perf_counter() - started)

    def _unroutable(self, language: str, translator: str | None) -> str | None:
        if translator is None:
            return (f"language '{language}' has no translation model in profile '{self.profile.name}' "
                    f"(add one under profiles.{self.profile.name}.translate)")
        spec = self.config.model(translator)
        if spec.lang_codes and language not in spec.lang_codes:
            return f"model '{translator}' has no language code for '{language}' (add it under lang_codes in models.yaml)"
        return None

    def _admit(self, item: Article | Failure, skip: Skip | None) -> Result | Segmented:
        if isinstance(item, Failure):
            return item
        try:
            seg = self.prepare(item)
        except Exception as exc:
            log.debug("prepare failed", exc_info=True)
            return Failure(item.ref, f"{type(exc).__name__}: {exc}", "clean")
        if isinstance(seg, Failure):
            return seg
        first = self.seen.first_ref(seg.id, item.ref)
        if first is not None:
            return Failure(item.ref, f"skipped: duplicate of {first} (same body)", "duplicate", status="skipped",
                           id=seg.id)
        reason = skip(seg.id, seg.fingerprint) if skip else None
        if reason:
            return Failure(item.ref, f"skipped: {reason}", "state", status="skipped", id=seg.id,
                           fingerprint=seg.fingerprint)
        return seg

    # -- windows --------------------------------------------------------------------------------
    def run(self, items: Iterable[Article | Failure], skip: Skip | None = None,
            on_window: Callable[[list[Segmented]], None] | None = None) -> Iterator[Result]:
        """Process articles lazily; yield one Brief or Failure per input item, in input order.

        Args:
            items: Articles (and ingest Failures, passed through in place).
            skip: called with (article id, pipeline fingerprint); a returned reason skips the
                article (e.g. "already done").
            on_window: called with the articles of a window before their models run (state
                stores mark them pending).
        """
        if hasattr(self.executor, "start_translate"):  # several windows in flight (runs.ray_exec)
            from .stream import stream_windows

            yield from stream_windows(self, self._windows(items), skip, on_window)
            return
        for window in self._windows(items):
            yield from self._window(window, skip, on_window)

    def _windows(self, items: Iterable[Article | Failure]) -> Iterator[list[Article | Failure]]:
        window: list[Article | Failure] = []
        sentences = 0
        for item in items:
            window.append(item)
            sentences += item.text.count(".") + item.text.count("\n") + 1 if isinstance(item, Article) else 0
            if len(window) >= self.options.window_articles or sentences >= self.options.window_sentences:
                yield window
                window, sentences = [], 0
        if window:
            yield window

    def tools(self) -> WindowTools:
        """The collaborators a window works with."""
        return WindowTools(registry=self.registry, memory=self.memory, memory_stats=self.memory_stats,
                           glossary=self.glossary, names=self.names, fallback=self.profile.fallback,
                           retry=self.options.retry_degenerate)

    def admit_window(self, items: Sequence[Article | Failure], skip: Skip | None,
                     on_window: Callable[[list[Segmented]], None] | None) -> tuple[list[Result | Segmented],
                                                                                  list[Segmented]]:
        """A window's items admitted (cleaned, routed, duplicates and done ones skipped) and its articles."""
        admitted = [self._admit(item, skip) for item in items]
        segs = [r for r in admitted if isinstance(r, Segmented)]
        if segs and on_window is not None:
            on_window(segs)
        return admitted, segs

    def to_summarize(self, segs: Sequence[Segmented], translated: Mapping[str, Translated | Failure]
                     ) -> tuple[list[Segmented], dict[str, Sequence[str]]]:
        """The translated articles long enough for the summariser, and their English."""
        todo = [s for s in segs if isinstance(translated[s.id], Translated)
                and len(s.sentences) >= self.options.lead_below]
        return todo, {s.id: translated[s.id].english for s in todo}  # type: ignore[union-attr]

    def _window(self, items: Sequence[Article | Failure], skip: Skip | None,
                on_window: Callable[[list[Segmented]], None] | None) -> Iterator[Result]:
        admitted, segs = self.admit_window(items, skip, on_window)
        translated = self.executor.translate(segs, self.tools())
        todo, english = self.to_summarize(segs, translated)
        summarized = self.executor.summarize(todo, english, self.registry, self.profile.summarize)
        yield from self.results(admitted, translated, summarized)

    def results(self, admitted: Sequence[Result | Segmented], translated: Mapping[str, Translated | Failure],
                summarized: Mapping[str, Summarized | Failure]) -> Iterator[Result]:
        """One Brief or Failure per admitted item, in input order."""
        for r in admitted:
            if not isinstance(r, Segmented):
                yield r
                continue
            tr, sm = translated[r.id], summarized.get(r.id)
            yield tr if isinstance(tr, Failure) else sm if isinstance(sm, Failure) else self._brief(r, tr, sm)

    def _brief(self, seg: Segmented, tr: Translated, sm: Summarized | None) -> Brief:
        info = self.executor.model_info
        models = {"translate": info(self.registry, seg.translator) if seg.translator else None,
                  "summarize": info(self.registry, self.profile.summarize) if sm is not None else None}
        timings = {"clean": int(seg.clean_seconds * 1000)}
        if seg.translator:
            timings["translate"] = int(tr.seconds * 1000)
        if sm is not None:
            timings["summarize"] = int(sm.seconds * 1000)
        timings["total"] = sum(timings.values())
        # the models are loaded now: the fingerprint names the engine they really ran on
        seg = replace(seg, fingerprint=self.fingerprint(seg.translator))
        return build_brief(seg, tr, sm.summary if sm else None, models, timings, strict=self.options.strict)
