"""Sentence splitting (DESIGN.md section 5): a table of Arabic cases and a no-loss property."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.steps.segment import segment, sentence_spans, split_sentences
from summarizer.text.arabic import normalize

TABLE = [
    ('قال الوزير: "سنبدأ غدا". وأضاف أن العمل مستمر.', ['قال الوزير: "سنبدأ غدا".', "وأضاف أن العمل مستمر."]),
    ("زار الوزير بغداد، والبصرة، والموصل.", ["زار الوزير بغداد، والبصرة، والموصل."]),
    ("ارتفع الإنتاج؛ لكن الأسعار بقيت مرتفعة.", ["ارتفع الإنتاج؛ لكن الأسعار بقيت مرتفعة."]),
    ("هل انتهت الأزمة؟ لا أحد يعرف.", ["هل انتهت الأزمة؟", "لا أحد يعرف."]),
    ("يا له من يوم! عاد الجميع.", ["يا له من يوم!", "عاد الجميع."]),
    ("بلغ النمو 3.5 في المئة هذا العام.", ["بلغ النمو 3.5 في المئة هذا العام."]),
    ("ينتهي العقد في 31/12/2021 وفق الاتفاق.", ["ينتهي العقد في 31/12/2021 وفق الاتفاق."]),
    ("التقى د. أحمد بالسيد J. Smith أمس.", ["التقى د. أحمد بالسيد J. Smith أمس."]),
    ("Mr. Smith met Dr. Jones in the U.S. yesterday.", ["Mr. Smith met Dr. Jones in the U.S. yesterday."]),
    ("وقال المسؤول... ثم صمت.", ["وقال المسؤول...", "ثم صمت."]),
    ("وقال المسؤول… ثم صمت.", ["وقال المسؤول…", "ثم صمت."]),
    ("سوى المستشارين (...) المهمة حولت.", ["سوى المستشارين (...) المهمة حولت."]),
    ("قال «انتهت الحرب. وعاد الجنود» ثم غادر.", ["قال «انتهت الحرب. وعاد الجنود» ثم غادر."]),
    ("قال «انتهت الحرب.» ثم غادر القاعة.", ["قال «انتهت الحرب.»", "ثم غادر القاعة."]),
    ("كتب “الأمر انتهى. لا عودة” في رسالته.", ["كتب “الأمر انتهى. لا عودة” في رسالته."]),
    ("بلغ العدد ٣٫٥ مليون. وارتفع في ٢٠٢١.", ["بلغ العدد ٣٫٥ مليون.", "وارتفع في ٢٠٢١."]),
    ("1. البند الأول. 2. البند الثاني.", ["1. البند الأول.", "2. البند الثاني."]),
    ("السطر الأول\nالسطر الثاني", ["السطر الأول", "السطر الثاني"]),
    ("زار الموقع example.com اليوم.", ["زار الموقع example.com اليوم."]),
    ("ماذا حدث؟! لا شيء.", ["ماذا حدث؟!", "لا شيء."]),
]


@pytest.mark.parametrize("text, expected", TABLE)
def test_split_table(text, expected):
    assert split_sentences(text) == expected


def test_run_on_sentence_longer_than_any_model_limit_stays_one_sentence():
    run_on = "، ".join(["وقال المسؤول إن الحكومة ستواصل العمل"] * 200) + "."
    assert split_sentences(run_on) == [run_on]  # the translator splits it by tokens and flags it


def test_segment_keeps_paragraphs_and_marks_latin():
    sentences = segment(["قال الوزير كلمته. The end is near.", "انتهى."], "ar")
    assert [(s.i, s.p, s.translate) for s in sentences] == [(0, 0, True), (1, 0, False), (2, 1, True)]


ALPHABET = st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهوي ءأإآىة") + list(".!?؟…،؛:«»“”\"()0123456789٣.") +
                           [" ", " ", " ", "\n", "  ", "\t", "ـ", "\u064e", "\u200f", "a", "B"])


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=200).map("".join))
def test_sentences_and_separators_give_back_the_input(raw):
    text = normalize(raw)
    spans = sentence_spans(text)
    rebuilt, last = [], 0
    for a, b in spans:
        assert a >= last and b > a
        gap = text[last:a]
        assert gap.strip() == ""  # only whitespace between sentences
        piece = text[a:b]
        assert piece == piece.strip() and piece
        rebuilt += [gap, piece]
        last = b
    assert text[last:].strip() == ""
    assert "".join(rebuilt) + text[last:] == text
