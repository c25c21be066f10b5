"""The pipeline: wires the stages, streams articles in windows, isolates per-article failures.

Articles are read lazily and processed in windows: the sentences of every article in a
window are pooled per translation model (one length-sorted batch stream), then summaries are
batched across the window. Results come out in input order, one per input item: a Brief, or
a Failure saying why there is none.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

from . import hub
from .brief import Prepared, build_brief, content_id
from .config import Config
from .langid import detect_language
from .registry import ModelRegistry
from .stages.clean import clean
from .stages.segment import segment
from .glossary import Glossary
from .names import NameBook
from .stages.memory import MemoryBackend, MemoryStats
from .stages.summarize import Summary
from .stages.translate import Translation
from .store import MemoryTM
from .types import SCHEMA_VERSION, Article, Brief, Failure
from .window import WindowTranslator, summarize_window

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
        glossary: terms to render exactly (see glossary.py).
    """

    def __init__(self, config: Config, profile: str = "default", *, device: str | None = None,
                 engine: str | None = None, threads: int | None = None, compute_type: str | None = None,
                 options: PipelineOptions | None = None, registry: ModelRegistry | None = None,
                 memory: MemoryBackend | None = None, glossary: Glossary | None = None) -> None:
        self.config = config
        self.profile = config.profile(profile)
        self.options = options or PipelineOptions()
        self.registry = registry or ModelRegistry(config, device=device, engine=engine, threads=threads,
                                                  compute_type=compute_type)
        self._seen: dict[str, str] = {}
        self._on_window: Callable[[list[Prepared]], None] | None = None
        self._model_fps: dict[str, str] = {}
        self.memory = memory if memory is not None else MemoryTM()
        self.memory_stats = MemoryStats()
        self.glossary = glossary
        self.names = NameBook(glossary.name_spellings() if glossary else None)

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
        """Fail fast (ModelUnavailable) when a required model is missing and cannot be fetched."""
        for name in self.required_models():
            self.registry.ensure_available(name)

    def model_fingerprint(self, name: str) -> str:
        """What about a model changes its outputs: its spec, the revision on disk, engine, compute type."""
        if name not in self._model_fps:
            spec = self.config.model(name)
            folder = hub.local_folder(spec)
            revision = hub.resolved_revision(spec, folder) if folder else "missing"
            if folder is not None and revision == "local":
                revision = hub.folder_fingerprint(folder)
            data = {k: v for k, v in dataclasses.asdict(spec).items() if k != "description"}
            data.update(revision=revision, engine=self.registry.engine_choice(spec),
                        compute_type=self.registry.compute_type or spec.compute_type)
            raw = json.dumps(data, sort_keys=True, default=str)
            self._model_fps[name] = hashlib.sha256(raw.encode()).hexdigest()[:16]
        return self._model_fps[name]

    def fingerprint(self, translator: str | None) -> str:
        """Fingerprint of the pipeline an article goes through: schema, options, its models.

        A re-run skips an article already done under the same fingerprint; a changed model,
        revision, engine setting or schema version makes it different, so the article is redone.
        """
        # window sizes change speed, not outputs: they are not part of it
        opts = self.options
        parts = [str(SCHEMA_VERSION), f"{opts.lead_below}|{opts.target}|{opts.strict}|{opts.retry_degenerate}",
                 self.glossary.digest if self.glossary else "-",
                 self.model_fingerprint(translator) if translator else "-",
                 self.model_fingerprint(self.profile.summarize)]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    # -- stages per article ---------------------------------------------------------------
    def prepare(self, article: Article) -> Prepared | Failure:
        """Clean, identify the language, segment and route one article."""
        started = time.perf_counter()
        cleaned = clean(article.text, article.title)
        if not cleaned.paragraphs:
            return Failure(article.ref, f"no article text left after removing {len(cleaned.removed)} "
                                        "boilerplate lines", "clean")
        body = cleaned.body
        language = detect_language(body, article.language)
        art_id = content_id(body)
        if language == "und":
            return Failure(article.ref, "skipped: no letters to translate (cannot tell the language)",
                           "segment", status="skipped", id=art_id)
        sentences = segment(cleaned.paragraphs, language)
        title = article.title or cleaned.title
        translator = None
        if language != self.options.target:
            translator = self.profile.translator_for(language)
            if translator is None:
                return Failure(article.ref, f"skipped: language '{language}' has no translation model in "
                                            f"profile '{self.profile.name}' (add one under "
                                            f"profiles.{self.profile.name}.translate)",
                               "segment", status="skipped", id=art_id)
            spec = self.config.model(translator)
            if spec.lang_codes and language not in spec.lang_codes:
                return Failure(article.ref, f"skipped: model '{translator}' has no language code for "
                                            f"'{language}' (add it under lang_codes in models.yaml)",
                               "segment", status="skipped", id=art_id)
        prep = Prepared(article=article, cleaned=cleaned, id=art_id, language=language, sentences=sentences,
                        title=title or sentences[0].text, title_derived=not title, translator=translator,
                        fingerprint=self.fingerprint(translator))
        prep.timings["clean"] = time.perf_counter() - started
        return prep

    # -- windows ---------------------------------------------------------------------------
    def run(self, items: Iterable[Article | Failure], skip: Callable[[str, str], str | None] | None = None,
            on_window: Callable[[list[Prepared]], None] | None = None) -> Iterator[Result]:
        """Process articles lazily; yield one Brief or Failure per input item, in input order.

        Args:
            items: Articles (and ingest Failures, passed through in place).
            skip: called with (article id, pipeline fingerprint); a returned reason skips the
                article (e.g. "already done").
            on_window: called with the articles of a window before their models run (state
                stores mark them pending).
        """
        self._on_window = on_window
        window: list[Article | Failure] = []
        sentences = 0
        for item in items:
            window.append(item)
            sentences += item.text.count(".") + item.text.count("\n") + 1 if isinstance(item, Article) else 0
            if len(window) >= self.options.window_articles or sentences >= self.options.window_sentences:
                yield from self._window(window, skip)
                window, sentences = [], 0
        if window:
            yield from self._window(window, skip)

    def _window(self, items: Sequence[Article | Failure],
                skip: Callable[[str], str | None] | None) -> Iterator[Result]:
        results: list[Result | Prepared] = []
        for item in items:
            results.append(self._prepare_one(item, skip))
        preps = [r for r in results if isinstance(r, Prepared)]
        if preps and self._on_window is not None:
            self._on_window(preps)
        english, translations, titles, failed = WindowTranslator(self).run(preps)
        summaries, sum_failed = summarize_window(self, [p for p in preps if p.id not in failed], english)
        failed.update(sum_failed)
        for r in results:
            if not isinstance(r, Prepared):
                yield r
            elif r.id in failed:
                yield failed[r.id]
            else:
                yield self._brief(r, english[r.id], translations[r.id], titles[r.id], summaries.get(r.id))

    def _prepare_one(self, item: Article | Failure, skip) -> Result | Prepared:
        if isinstance(item, Failure):
            return item
        try:
            prep = self.prepare(item)
        except Exception as exc:  # noqa: BLE001 - a bad article is data, not a crash
            log.debug("prepare failed", exc_info=True)
            return Failure(item.ref, f"{type(exc).__name__}: {exc}", "clean")
        if isinstance(prep, Failure):
            return prep
        if prep.id in self._seen:
            return Failure(item.ref, f"skipped: duplicate of {self._seen[prep.id]} (same body)", "segment",
                           status="skipped", id=prep.id)
        self._seen[prep.id] = item.ref
        reason = skip(prep.id, prep.fingerprint) if skip else None
        if reason:
            return Failure(item.ref, f"skipped: {reason}", "segment", status="skipped", id=prep.id,
                           fingerprint=prep.fingerprint)
        return prep

    def _brief(self, prep: Prepared, english: list[str], translations: list[Translation | None],
               title_en: str, summary: Summary | None) -> Brief:
        models = {
            "translate": self.registry.get(prep.translator).info() if prep.translator else None,
            "summarize": self.registry.get(self.profile.summarize).info() if summary is not None else None,
        }
        timings = {k: int(v * 1000) for k, v in prep.timings.items()}
        timings["total"] = sum(timings.values())
        return build_brief(prep, english, translations, title_en, summary, models, timings,
                           strict=self.options.strict)
