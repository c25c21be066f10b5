"""Checks, numbers, names and glossary lookup: unit tests on crafted text."""

from __future__ import annotations

import pytest

from summarizer.errors import ConfigError
from summarizer.runs.glossary_file import read_glossary
from summarizer.steps.checks import degenerate_reason, is_untranslated, summary_checks, support
from summarizer.steps.names import NameBook
from summarizer.steps.numbers import number_mismatch
from tests.helpers import write


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
    parts, report, repaired = summary_checks(["Production rose by 3.5 percent.", "Obama said 99 factories will open."],
                                             translation, strict=True, lead_pool=translation)
    assert repaired and [r["supported"] for r in report] == [True, False]
    assert parts == ["Production rose by 3.5 percent.", "The ministry said production rose by 3.5 percent."]


def test_names_get_one_spelling_per_arabic_word():
    book = NameBook()
    assert book.unify("قال الكاظمي", "Kadhimi said")[0] == "Kadhimi said"
    assert book.unify("وأكد الكاظمي", "Kazemi stressed") == ("Kadhimi stressed", [("Kazemi", "Kadhimi")])
    assert book.unify("قال حسن", "Hassan said")[0] == "Hassan said"
    assert book.unify("قال حسين", "Hussein said")[0] == "Hussein said"  # another Arabic word: not merged
    assert book.report() == {"كاظمي": {"spelling": "Kadhimi", "variants": {"Kadhimi": 1, "Kazemi": 1}}}


def test_glossary_finds_terms_whatever_the_diacritics(tmp_path):
    path = write(tmp_path / "g.csv", "ar,en,note\nالحشد الشعبي,Popular Mobilization Forces,PMF\nالعقبة,Aqaba,\n")
    glossary = read_glossary(path)
    text = "قال قائد الحَشـد الشعبي إن قواته في العقبة."
    hits = glossary.find(text)
    assert [(h.term.en, text[h.start:h.end]) for h in hits] == [
        ("Popular Mobilization Forces", "الحَشـد الشعبي"), ("Aqaba", "العقبة")]
    with pytest.raises(ConfigError, match="g2.csv:2"):
        read_glossary(write(tmp_path / "g2.csv", "ar,en\nالعقبة\n"))
