"""text.langid and text.english: the language of an article, and English content words."""

from __future__ import annotations

import pytest

from summarizer.text.english import content_words, jaccard
from summarizer.text.langid import detect_language, normalize_code


@pytest.mark.parametrize("text, hint, lang", [
    ("أعلنت الوزارة اليوم أن الإنتاج ارتفع في المدينة.", None, "ar"),
    ("وزارت هیئت ایرانی روز گذشته پایتخت را برای گفتگو درباره همکاری.", None, "fa"),
    ("حکومت نے کل ایک نئی پالیسی کا اعلان کیا جس سے کسانوں کو فائدہ ہوگا۔", None, "ur"),
    ("The ministry said on Tuesday that production rose in the city.", None, "en"),
    ("أعلنت الوزارة اليوم أن الإنتاج ارتفع.", "fa", "fa"),  # a declared language of the same script wins
    ("The ministry said production rose.", "ar", "en"),  # a declared language of another script does not
    ("12345 ... !!", None, "und"),
])
def test_languages(text, hint, lang):
    assert detect_language(text, hint) == lang


def test_codes_from_what_inputs_write():
    assert [normalize_code(c) for c in ("ar", "ara", "ar-EG", "Arabic", "en_US", "xyz", None)] == \
        ["ar", "ar", "ar", "ar", "en", None, None]


def test_english_content_words_and_overlap():
    words = content_words("The Minister said Baghdad's port will reopen on 12 May.")
    assert words == {"minister", "baghdad's", "port", "reopen", "12", "may"}
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3) and jaccard(set(), {"a"}) == 0.0
