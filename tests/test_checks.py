"""Checks: unit tests on crafted text, then the pipeline with scripted engines and the tiny models."""

from __future__ import annotations

import dataclasses
import re

import pytest

from summarizer import Article, Pipeline
from summarizer.arabic import key_text
from summarizer.config import Config
from summarizer.engines.base import Generation
from summarizer.errors import ConfigError
from summarizer.glossary import Glossary, Term
from summarizer.names import NameBook
from summarizer.registry import ModelRegistry
from summarizer.stages.checks import degenerate_reason, is_untranslated, number_mismatch, support
from summarizer.verify import summary_checks
from tests.conftest import write


@pytest.mark.parametrize("source, translation, missing, extra", [
    ("ارتفع الإنتاج بنسبة 3.5 في المئة.", "Production rose.", ["3.5"], []),                       # dropped
    ("افتتح ٢٠ مصنعا هذا العام.", "25 factories opened this year.", ["20"], ["25"]),               # changed, Eastern
    ("افتتح ٢٠ مصنعا هذا العام.", "20 factories opened this year.", [], []),                       # Eastern = Western
    ("قتل 5 أشخاص.", "5 5 people were killed.", [], ["5"]),                                        # "5" -> "5 5"
    ("بلغت الكلفة ١٢ ألف دينار.", "The cost was 12,000 dinars.", [], []),                           # multiplier
    ("بلغت الكلفة 3.5 مليون دينار.", "The cost was 3.5 million dinars.", [], []),
    ("زار ثلاثة وزراء المدينة.", "Three ministers visited the city.", [], []),                      # number words
    ("ينتهي العقد في 31/12/2021.", "The contract ends on December 31, 2021.", [], []),            # dates
    ("ارتفعت البطالة إلى ٧٫٢٪.", "Unemployment rose to 7.2%.", [], []),                           # Arabic decimal, %
])
def test_numbers(source, translation, missing, extra):
    assert number_mismatch(source, translation) == (missing, extra)


def test_untranslated_and_degenerate():
    assert is_untranslated("قال الوزير", "قال الوزير")
    assert is_untranslated("قال الوزير إن العمل بدأ", "The minister قال الوزير إن العمل")
    assert not is_untranslated("قال الوزير", "The minister said")
    assert degenerate_reason("قال الوزير إن العمل بدأ اليوم", "") == "empty"
    assert degenerate_reason("قال الوزير إن العمل بدأ اليوم", "the work the work the work began") == "loop"
    assert degenerate_reason("قال الوزير إن العمل بدأ اليوم في المدينة الجديدة", "He") == "too_short"
    assert degenerate_reason("قال", "The minister said that " * 5) in ("too_long", "loop")
    assert degenerate_reason("قال الوزير إن العمل بدأ", "The minister said the work began.") is None


def test_summary_support_and_strict():
    translation = ["The ministry said production rose by 3.5 percent.", "Twenty factories opened in Aqaba this year."]
    assert support("Production rose by 3.5 percent, the ministry said.", translation).supported
    bad = support("Obama said 99 factories will open.", translation)
    assert not bad.supported and bad.missing_names == ("Obama",) and bad.missing_numbers == ("99",)
    text, report, repaired = summary_checks("Production rose by 3.5 percent. Obama said 99 factories will open.",
                                            translation, strict=True, lead_pool=translation)
    assert repaired and [r["supported"] for r in report] == [True, False]
    assert text == "Production rose by 3.5 percent. The ministry said production rose by 3.5 percent."


def test_names_get_one_spelling_per_arabic_word():
    book = NameBook()
    assert book.unify("قال الكاظمي", "Kadhimi said")[0] == "Kadhimi said"
    assert book.unify("وأكد الكاظمي", "Kazemi stressed") == ("Kadhimi stressed", [("Kazemi", "Kadhimi")])
    assert book.unify("قال حسن", "Hassan said")[0] == "Hassan said"
    assert book.unify("قال حسين", "Hussein said")[0] == "Hussein said"  # another Arabic word: not merged
    assert book.report() == {"كاظمي": {"spelling": "Kadhimi", "variants": {"Kadhimi": 1, "Kazemi": 1}}}


def test_glossary_finds_terms_whatever_the_diacritics(tmp_path):
    path = write(tmp_path / "g.csv", "ar,en,note\nالحشد الشعبي,Popular Mobilization Forces,PMF\nالعقبة,Aqaba,\n")
    glossary = Glossary.load(path)
    text = "قال قائد الحَشـد الشعبي إن قواته في العقبة."
    hits = glossary.find(text)
    assert [(h.term.en, text[h.start:h.end]) for h in hits] == [
        ("Popular Mobilization Forces", "الحَشـد الشعبي"), ("Aqaba", "العقبة")]
    with pytest.raises(ConfigError, match="g2.csv:2"):
        Glossary.load(write(tmp_path / "g2.csv", "ar,en\nالعقبة\n"))


# -- the pipeline with scripted engines -------------------------------------------------------------
ARTICLE = [
    "أعلنت الوزارة أن الإنتاج ارتفع بنسبة 3.5 في المئة هذا العام.",     # 0 dropped number
    "وقال الوزير إن ٢٠ مصنعا جديدا افتتحت في المنطقة الصناعية.",         # 1 changed number, Eastern digits
    "وأضاف أن الحكومة ستدعم الشركات الصغيرة والمتوسطة.",                # 2 untranslated -> fallback
    "وأكد أن العمل مستمر في ميناء العقبة حتى نهاية العام.",              # 3 loop; glossary term
]
SCRIPT = {
    ARTICLE[0]: "The ministry announced that production rose this year.",
    ARTICLE[1]: "The minister said 25 new factories opened in the industrial zone.",
    ARTICLE[2]: "وأضاف أن الحكومة ستدعم الشركات",
    ARTICLE[3]: "the work the work the work the work the work",
}
FALLBACK = {ARTICLE[2]: "He added that the government will support small and medium companies."}
SUMMARY = "Production rose this year. Obama said 99 open."  # short: tiny-bart caps summaries at 24 tokens


def _letters(text: str) -> str:
    return re.sub(r"[^\u0621-\u064a]", "", key_text(text))[:14]


class ScriptedEngine:
    """A tiny model's tokenizer and alignment, with chosen outputs (for the check logic)."""

    def __init__(self, model, script: dict[str, str], default: str) -> None:
        self.model, self.script, self.default = model, {_letters(k): v for k, v in script.items()}, default
        self.name, self.compute_type, self.settings = "torch", "float32", model.engine.settings
        self.retries = 0

    def generate(self, batch, *, max_new_tokens, min_new_tokens=0, prefix=(), settings=None):
        tok = self.model.tokenizer
        kwargs = {"use_source_tokenizer": True} if "Marian" in type(tok).__name__ else {}
        if settings is not None and settings != self.settings:
            self.retries += len(batch)
        out = []
        for ids in batch:
            text = self.script.get(_letters(tok.decode(ids, skip_special_tokens=True, **kwargs)), self.default)
            target = tok(text_target=text, add_special_tokens=False)["input_ids"]
            out.append(Generation(ids=tuple(target), score=-0.4, hit_limit=False))
        return out

    def align(self, source, target, prefix=()):
        return self.model.engine.align(source, target, prefix)


class ScriptedRegistry(ModelRegistry):
    def __init__(self, real: ModelRegistry, scripts: dict[str, tuple[dict[str, str], str]]) -> None:
        super().__init__(real.config)
        self.real, self.scripts, self._made = real, scripts, {}

    def get(self, name):
        if name not in self._made:
            model = self.real.get(name)
            if name in self.scripts:
                model = dataclasses.replace(model, engine=ScriptedEngine(model, *self.scripts[name]))
            self._made[name] = model
        return self._made[name]


@pytest.fixture()
def scripted(tiny_config, registry):
    # NLLB translates (its vocabulary holds Arabic, so an untranslated output can be scripted);
    # Marian is the profile's fallback
    profiles = {**tiny_config.profiles,
                "default": dataclasses.replace(tiny_config.profile("default"), translate={"ar": "tiny-nllb"},
                                               fallback="tiny-marian-ar-en")}
    config = Config(models=tiny_config.models, profiles=profiles, source=tiny_config.source)
    scripts = {"tiny-nllb": (SCRIPT, "The text."), "tiny-marian-ar-en": (FALLBACK, "Fallback text."),
               "tiny-bart": ({}, SUMMARY)}
    return config, ScriptedRegistry(registry, scripts)


def _brief(config, reg, **kw):
    glossary = Glossary([Term("العقبة", "Aqaba")])
    from summarizer import PipelineOptions

    pipeline = Pipeline(config, "default", registry=reg, glossary=glossary, options=PipelineOptions(**kw))
    [brief] = list(pipeline.run([Article(ref="t", text="\n".join(ARTICLE), title="الإنتاج يرتفع")]))
    return brief


def test_every_check_on_the_pipeline(scripted):
    config, reg = scripted
    brief = _brief(config, reg)
    numbers = {n["i"]: n for n in brief.checks["numbers"]}
    assert numbers[0]["missing"] == ["3.5"]
    assert numbers[1]["missing"] == ["20"] and numbers[1]["extra"] == ["25"]  # Eastern digits read as 20
    flags = {s.i: s.flags for s in brief.sentences}
    assert "numbers" in flags[0] and "numbers" in flags[1]
    assert "fallback_model" in flags[2] and brief.sentences[2].en.startswith("He added")
    assert "degenerate:loop" in flags[3] and brief.checks["degenerate"] == [3]
    assert reg.get("tiny-nllb").engine.retries >= 1  # the loop was retried once, stronger
    assert "Aqaba" in brief.sentences[3].en  # placed by alignment (or inserted next to it): never lost
    assert {"glossary", "glossary_inserted"} & set(flags[3])
    [use] = brief.checks["glossary"]
    assert (use["en"], use["sentences"], use["placed"] + use["inserted"]) == ("Aqaba", [3], 1)
    support_ = brief.checks["summary_support"]
    assert [s["supported"] for s in support_] == [True, False]
    assert support_[1]["missing_names"] == ["Obama"] and support_[1]["missing_numbers"] == ["99"]
    for flag in ("numbers_mismatch", "fallback_model", "degenerate", "unsupported_summary"):
        assert flag in brief.checks["flags"], flag
    assert "Obama" in brief.summary["en"]


def test_strict_replaces_unsupported_summary_sentences(scripted):
    config, reg = scripted
    brief = _brief(config, reg, strict=True)
    assert "Obama" not in brief.summary["en"]
    assert "summary_repaired" in brief.checks["flags"]


def test_checks_on_the_tiny_models_themselves(pipeline):
    [brief] = list(pipeline.run([Article(ref="t", text="\n".join(ARTICLE))]))
    checks = brief.checks
    for key in ("numbers", "lowest_confidence", "untranslated_output", "degenerate", "summary_support",
                "glossary", "names_unified", "coverage", "flags"):
        assert key in checks
    assert checks["lowest_confidence"]  # scores come from the engine and the lowest are named
    assert all(s.score is not None for s in brief.sentences)
    assert {n["i"] for n in checks["numbers"]} >= {0, 1}  # gibberish drops the numbers, and it is caught
