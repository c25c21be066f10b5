"""The real pipeline on tiny real-architecture models: contracts, never wording."""

from __future__ import annotations

import jsonschema

from summarizer import Article, Brief, Failure
from summarizer.ingest.inputs import iter_articles
from summarizer.steps.clean import clean
from tests.helpers import ARTICLE_AR


def _one(pipeline, article: Article):
    results = list(pipeline.run([article]))
    assert len(results) == 1
    return results[0]


def test_sample_brief_covers_the_whole_body(pipeline, sample_path, brief_schema):
    [article] = list(iter_articles([str(sample_path)]))
    brief = _one(pipeline, article)
    assert isinstance(brief, Brief), brief
    jsonschema.validate(brief.to_dict(), brief_schema)
    body = clean(article.text).body
    # every source sentence, in order, with exactly one translation each
    assert [s.i for s in brief.sentences] == list(range(len(brief.sentences)))
    assert " ".join(s.ar for s in brief.sentences).split() == body.split()
    assert all(s.en.strip() for s in brief.sentences)
    assert brief.checks["coverage"] == 1.0
    assert brief.checks["translated"] == len(brief.sentences)
    assert brief.language == "ar"
    assert brief.source["dateline"] == "بغداد" and brief.source["byline"] == "حازم السامرائي"
    assert brief.models["translate"]["name"] == "tiny-marian-ar-en"
    assert brief.models["summarize"]["name"] == "tiny-bart"
    assert brief.summary["en"] and brief.summary["ar"]
    for _k, sources in brief.summary_links:
        assert all(0 <= i < len(brief.sentences) for i in sources)


def test_paragraph_ids_follow_the_body(pipeline):
    brief = _one(pipeline, Article(ref="t", text=ARTICLE_AR))
    assert [s.p for s in brief.sentences] == [0, 1, 2, 3, 3]


def test_short_article_uses_its_lead(pipeline):
    brief = _one(pipeline, Article(ref="t", text="أعلنت الحكومة اليوم خطة جديدة للنقل العام في المدن الكبرى."))
    assert "lead_summary" in brief.checks["flags"]
    assert brief.models["summarize"] is None
    assert brief.summary["ar"] == brief.sentences[0].ar
    assert "title_derived" in brief.checks["flags"] and brief.title["derived"] is True


def test_long_article_goes_through_map_reduce(pipeline):
    text = "\n".join(ARTICLE_AR for _ in range(15))
    # vary paragraphs so the article is not one repeated block
    text += "\nوفي ختام الجلسة، أكد الحاضرون أهمية متابعة المشاريع حتى نهايتها."
    brief = _one(pipeline, Article(ref="long", text=text, title="عنوان طويل"))
    assert "map_reduce" in brief.checks["flags"]
    assert brief.checks["coverage"] == 1.0
    assert brief.checks["truncated"] is False
    assert len(brief.sentences) == 76


def test_run_on_sentence_is_split_in_windows_and_flagged(pipeline):
    run_on = " ".join(["وقال المسؤول إن الحكومة ستواصل العمل مع الشركاء الدوليين"] * 30)
    brief = _one(pipeline, Article(ref="runon", text=run_on + "."))
    assert len(brief.sentences) == 1
    assert "split" in brief.sentences[0].flags
    assert brief.checks["split_sentences"] == [0]
    assert "long_sentence_split" in brief.checks["flags"]


def test_english_article_skips_translation(pipeline):
    text = ("The city opened a new park on Monday. The mayor said it cost 3.5 million dinars. "
            "Residents welcomed the project.")
    brief = _one(pipeline, Article(ref="en", text=text, title="New park opens"))
    assert brief.language == "en"
    assert brief.models["translate"] is None
    assert [s.en for s in brief.sentences] == [s.ar for s in brief.sentences]
    assert brief.title["en"] == "New park opens"


def test_non_arabic_article_is_routed_to_the_multilingual_model(pipeline):
    text = ("رئیس جمهور امروز در تهران گفت که دولت برنامه‌ای تازه برای کاهش تورم دارد. "
            "او افزود که این برنامه از ماه آینده اجرا می‌شود. کارشناسان می‌گویند نتیجه را باید دید.")
    brief = _one(pipeline, Article(ref="fa", text=text))
    assert brief.language == "fa"
    assert brief.models["translate"]["name"] == "tiny-nllb"
    assert len(brief.sentences) == 3 and all(s.en for s in brief.sentences)


def test_language_without_a_model_is_skipped_and_said(tiny_config, registry):
    from summarizer import Pipeline

    fast = Pipeline(tiny_config, "fast", registry=registry)
    text = "رئیس جمهور امروز در تهران گفت که دولت برنامه‌ای تازه برای کاهش تورم دارد."
    result = _one(fast, Article(ref="fa", text=text))
    assert isinstance(result, Failure) and result.status == "skipped"
    assert "'fa'" in result.error and "profile 'fast'" in result.error


def test_latin_sentence_in_arabic_article_passes_through(pipeline):
    text = ("قال المتحدث إن الاجتماع كان مثمرا. The meeting was productive, he said in English. "
            "وأضاف أن الجولة المقبلة ستعقد الشهر القادم.")
    brief = _one(pipeline, Article(ref="mixed", text=text, title="اجتماع"))
    flags = [s.flags for s in brief.sentences]
    assert "passthrough" in flags[1] and brief.sentences[1].en == brief.sentences[1].ar
    assert brief.checks["passthrough"] == [1]
    assert brief.checks["translated"] == 2


def test_results_keep_input_order_and_isolate_failures(pipeline):
    items = [Article(ref="a", text=ARTICLE_AR, title="أ"), Failure("bad", "not valid JSON", "ingest"),
             Article(ref="empty", text="***\n---"), Article(ref="b", text=ARTICLE_AR + "\nوانتهى اللقاء.")]
    results = list(pipeline.run(items))
    assert [getattr(r, "ref", None) or r.source["ref"] for r in results] == ["a", "bad", "empty", "b"]
    assert [r.ok for r in results] == [True, False, False, True]
    assert results[2].stage == "clean"


def test_duplicate_article_is_skipped(pipeline):
    results = list(pipeline.run([Article(ref="a", text=ARTICLE_AR), Article(ref="b", text=ARTICLE_AR)]))
    assert results[0].ok and not results[1].ok
    assert results[1].status == "skipped" and "duplicate of a" in results[1].error


def test_windows_pool_articles_without_mixing_them(tiny_config, registry):
    from summarizer import Pipeline, PipelineOptions

    texts = [ARTICLE_AR + f"\nوفي الختام قال المسؤول إن الرقم {k} مهم." for k in range(5)]
    pooled = Pipeline(tiny_config, "default", registry=registry, options=PipelineOptions(window_articles=5))
    single = Pipeline(tiny_config, "default", registry=registry, options=PipelineOptions(window_articles=1))
    a = list(pooled.run([Article(ref=str(k), text=t) for k, t in enumerate(texts)]))
    b = list(single.run([Article(ref=str(k), text=t) for k, t in enumerate(texts)]))
    assert [x.id for x in a] == [y.id for y in b]
    for x, y in zip(a, b):
        assert [s.ar for s in x.sentences] == [s.ar for s in y.sentences]
        assert [s.en for s in x.sentences] == [s.en for s in y.sentences]
