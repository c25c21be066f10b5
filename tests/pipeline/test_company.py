"""An article's brief does not depend on the other articles of its window (issue: results that
depend on company): same translation and summary alone or in any window, on the shipped engine.

The company is written so that the short article's sentences really share translation batches with
other articles' sentences (same token lengths, so the same output budget): the test records the
batches the shipped engine decoded and fails if they never mixed, so it cannot pass by construction."""

from __future__ import annotations

import dataclasses

import pytest

from summarizer import Article, Pipeline
from summarizer.config import Config
from summarizer.models.registry import ModelRegistry
from summarizer.steps.translate import output_budget
from tests.helpers import ARTICLE_AR, RecordingRegistry

SHORT = Article(ref="short", title="خبر قصير", text="نعم.\nقال الوزير كلمة قصيرة.\nانتهى الاجتماع مساء.\nوعاد الجميع.")
# Sentences shaped like SHORT's ("نعم." aside): they land in the same length buckets
TWINS = ["قال المدير كلمة قصيرة.", "انتهى اللقاء مساء.", "وعاد الوفد.", "قال الوزير جملة قصيرة.",
         "انتهى الحفل ظهرا.", "وعاد الطلاب."]
OTHERS = [Article(ref=f"o{k}", text=(f"قال المتحدث إن الاجتماع رقم {k} انتهى بعد ساعات طويلة من النقاش حول "
                                     "الميزانية والخطط الجديدة للمدينة. ") * (k + 2) + "\n" + ARTICLE_AR + "\n" +
                  "\n".join(TWINS[k % 2::2]))
          for k in range(5)]


def _long(ref: str, topic: str, count: int) -> Article:
    """An article whose translation exceeds the tiny summariser's 256-token input (map-reduce)."""
    return Article(ref=ref, text="\n".join(f"وقال {topic} إن الاجتماع رقم {k} انتهى بعد ساعات من النقاش حول "
                                           f"الميزانية والخطط الجديدة للمدينة والمشاريع {k + 1}." for k in range(count)))


LONG = _long("long", "المتحدث", 14)
TINY = Article(ref="tiny", title="خبر", text="انتهى الاجتماع.")  # a summary input short enough for bounds of its own
LONG_COMPANY = [_long("l1", "الوزير", 12), SHORT, _long("l2", "المدير", 16), OTHERS[0], _long("l3", "النائب", 11)]


class BatchLog:
    """Wraps the shipped engine's generate_many (two batches decoding at once, as shipped) and keeps
    every batch it was given."""

    def __init__(self, engine) -> None:
        self.engine, self.batches = engine, []

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def generate_many(self, jobs, prefix=(), settings=None):
        self.batches += [job.batch for job in jobs]
        return self.engine.generate_many(jobs, prefix=prefix, settings=settings)

    def generate(self, batch, **kwargs):
        self.batches.append(tuple(tuple(x) for x in batch))
        return self.engine.generate(batch, **kwargs)


@pytest.fixture(scope="module")
def shipped(tiny_config):
    """The shipped settings: CTranslate2 int8, and beam 4 for the translator (as opus-mt ships)."""
    models = dict(tiny_config.models)
    models["tiny-marian-ar-en"] = dataclasses.replace(models["tiny-marian-ar-en"], generation={"num_beams": 4})
    config = Config(models=models, profiles=tiny_config.profiles, source=tiny_config.source)
    return config, ModelRegistry(config, engine="ctranslate2", compute_type="int8")


def _brief_of(config, registry, items, ref="short"):
    pipeline = Pipeline(config, "default", registry=registry)
    [brief] = [r for r in pipeline.run(items) if r.ok and r.source["ref"] == ref]
    return brief


def _ids(model, text: str) -> tuple[int, ...]:
    return tuple(model.tokenizer(text, add_special_tokens=True)["input_ids"])


@pytest.mark.parametrize("company", [[], OTHERS[:2], OTHERS, OTHERS[::-1]], ids=["alone", "two", "five", "reversed"])
def test_same_brief_whatever_else_is_in_the_window(shipped, company, monkeypatch):
    config, registry = shipped
    model = registry.get("tiny-marian-ar-en")
    assert model.engine.name == "ctranslate2"
    alone = _brief_of(config, registry, [SHORT])
    log = BatchLog(model.engine)
    monkeypatch.setattr(model, "engine", log)
    mixed = _brief_of(config, registry, company[:1] + [SHORT] + company[1:])
    monkeypatch.undo()
    assert [s.en for s in mixed.sentences] == [s.en for s in alone.sentences]
    assert (mixed.title, mixed.summary) == (alone.title, alone.summary)
    assert mixed.checks == alone.checks
    if company:  # the property was tested where it can break: SHORT's sentences decoded beside others'
        short = {_ids(model, s.ar) for s in alone.sentences}
        theirs = {_ids(model, t) for t in TWINS}
        shared = [b for b in log.batches if short & set(b) and theirs & set(b)]
        assert shared, "the short article never shared a translation batch with another article"


def test_every_sequence_is_decoded_to_its_own_limits(shipped):
    config, real = shipped
    registry = RecordingRegistry(real)
    _brief_of(config, registry, OTHERS[:2] + [SHORT] + OTHERS[2:] + [LONG, TINY] + LONG_COMPANY[::2])
    translator = registry.get("tiny-marian-ar-en")
    spec = translator.spec
    for batch, max_new, _ in translator.engine.calls:
        budgets = {output_budget(len(ids), spec.output_ratio, translator.max_output_tokens) for ids in batch}
        assert budgets == {max_new}, "a batch decoded some sentence past its own limit"
    summarizer = registry.get("tiny-bart")
    from summarizer.steps.summarize import Summarizer

    bounds = Summarizer(summarizer).bounds
    assert summarizer.engine.calls
    used = {(low, high) for _, high, low in summarizer.engine.calls}
    assert len(used) > 1, "every summary input had the same bounds: nothing to keep apart"
    for batch, max_new, min_new in summarizer.engine.calls:  # a final pass or a map pass: one (min, max) for all
        assert any(all(bounds(len(ids), final) == (min_new, max_new) for ids in batch) for final in (True, False))


def test_translators_free_their_memory_while_the_summariser_works(shipped, monkeypatch):
    """Peak memory is one model's, not both: the translators are unloaded before summaries begin,
    and reloaded by the next window's translations (same output: see the test above)."""
    config, registry = shipped
    translator, summarizer = registry.get("tiny-marian-ar-en").engine, registry.get("tiny-bart").engine
    loaded_during_summaries: list[bool] = []
    for method in ("generate", "generate_many"):
        real = getattr(summarizer, method)

        def spy(*args, _real=real, **kwargs):
            loaded_during_summaries.append(translator.translator.model_is_loaded)
            return _real(*args, **kwargs)

        monkeypatch.setattr(summarizer, method, spy)
    _brief_of(config, registry, OTHERS[:2] + [SHORT])
    assert loaded_during_summaries and not any(loaded_during_summaries)
    _brief_of(config, registry, [SHORT])  # the next run's translations reload it
    assert translator.stats.calls > 0


class CallLog(BatchLog):
    """BatchLog that also keeps the batches of each generate_many call apart (one call = one
    map-reduce level of the window)."""

    def __init__(self, engine) -> None:
        super().__init__(engine)
        self.calls: list[list[tuple]] = []

    def generate_many(self, jobs, prefix=(), settings=None):
        self.calls.append([job.batch for job in jobs])
        return super().generate_many(jobs, prefix=prefix, settings=settings)


@pytest.mark.parametrize("order", ["before", "after"])
def test_a_map_reduce_summary_does_not_depend_on_the_window(shipped, order, monkeypatch):
    """The long article's chunk summaries and its reduce pass are pooled with other articles' (chunk
    summaries of long ones, whole summaries of short ones), at every level; its summary is the
    same as alone. The test fails if its sequences never shared a batch at both levels."""
    config, registry = shipped
    model = registry.get("tiny-bart")
    assert model.engine.name == "ctranslate2" and model.engine.parallel == min(2, registry.threads)
    alone_log = CallLog(model.engine)
    monkeypatch.setattr(model, "engine", alone_log)
    alone = _brief_of(config, registry, [LONG], ref="long")
    items = LONG_COMPANY[:2] + [LONG] + LONG_COMPANY[2:] if order == "before" else [LONG] + LONG_COMPANY
    log = CallLog(alone_log.engine)
    monkeypatch.setattr(model, "engine", log)
    mixed = _brief_of(config, registry, items, ref="long")
    monkeypatch.undo()
    assert "map_reduce" in alone.checks["flags"], alone.checks
    assert (mixed.summary, mixed.title) == (alone.summary, alone.title)
    levels = [{seq for batch in call for seq in batch} for call in alone_log.calls]
    assert len(levels) >= 2, "alone, the long article needed a map and a reduce level"
    for level in levels[:2]:  # its chunks (map), then its joined chunk summaries (reduce)
        shared = [b for call in log.calls for b in call if level & set(b) and set(b) - level]
        assert shared, "a level of the long article's map-reduce never shared a batch with another article"
