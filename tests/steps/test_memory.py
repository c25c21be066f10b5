"""Translation memory: repeated sentences are translated once; a re-run translates nothing."""

from __future__ import annotations

import dataclasses

from summarizer import Article, Pipeline
from summarizer.steps.memory import CachedTranslator, MemoryStats, MemoryTM
from summarizer.steps.translate import Translator
from summarizer.store.state import Store
from tests.helpers import ARTICLE_AR

WIRE = "وقالت وكالة الأنباء إن الاجتماع سيعقد في العاصمة الأسبوع المقبل بحضور وزراء الخارجية."


def _articles():
    return [Article(ref=f"site{k}", text=f"عنوان محلي رقم {k} عن الموضوع نفسه في الصحيفة.\n" + WIRE + "\n" + ARTICLE_AR)
            for k in range(3)]


def test_repeated_sentences_are_translated_once(tiny_config, registry):
    pipeline = Pipeline(tiny_config, "default", registry=registry)
    engine = registry.get("tiny-marian-ar-en").engine
    before = engine.stats.sequences
    briefs = list(pipeline.run(_articles()))
    assert all(b.ok for b in briefs)
    per_article = len(briefs[0].sentences)
    assert pipeline.memory_stats.misses == per_article + 2  # 3 distinct first lines, shared rest once
    assert pipeline.memory_stats.hits == 2 * (per_article - 1)
    # the shared sentences read the same in every brief
    assert briefs[0].sentences[1].en == briefs[1].sentences[1].en == briefs[2].sentences[1].en
    assert engine.stats.sequences - before >= pipeline.memory_stats.misses


def test_rerun_with_a_store_makes_no_model_calls(tiny_config, registry, tmp_path):
    store = Store(tmp_path / "state.sqlite")
    first = Pipeline(tiny_config, "default", registry=registry, memory=store)
    a = list(first.run(_articles()))
    engine = registry.get("tiny-marian-ar-en").engine
    calls = engine.stats.calls
    store.close()
    store = Store(tmp_path / "state.sqlite")  # a new process would open the same file
    second = Pipeline(tiny_config, "default", registry=registry, memory=store)
    b = list(second.run(_articles()))
    assert engine.stats.calls == calls
    assert second.memory_stats.misses == 0 and second.memory_stats.hits > 0
    assert [s.en for s in a[0].sentences] == [s.en for s in b[0].sentences]


def test_memory_key_separates_models_and_settings(registry):
    model = registry.get("tiny-marian-ar-en")
    backend, stats = MemoryTM(), MemoryStats()
    cached = CachedTranslator(Translator(model), backend, stats)
    cached.translate(["جملة للاختبار."], "ar")
    other = CachedTranslator(Translator(model), backend, stats)
    assert other.model_key == cached.model_key
    changed = dataclasses.replace(model, engine=_WithSettings(model.engine))
    assert CachedTranslator(Translator(changed), backend, stats).model_key != cached.model_key
    # diacritics and tatweel do not make a new sentence
    hits = stats.hits
    cached.translate(["جُملة للاختبــار."], "ar")
    assert stats.hits == hits + 1


class _WithSettings:
    """An engine whose settings differ (a stronger repetition penalty)."""

    def __init__(self, engine):
        self.name, self.compute_type = engine.name, engine.compute_type
        self.settings = dataclasses.replace(engine.settings, repetition_penalty=1.5)
