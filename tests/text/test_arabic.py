"""text.arabic: the normalised copy used for keys, and what display text keeps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summarizer.text.arabic import (
    arabic_ratio,
    content_words,
    key_text,
    latin_ratio,
    normalize,
    normalize_with_map,
    strip_article,
    strip_clitics,
    to_western_digits,
)


def test_normalize_folds_what_typing_varies_and_keeps_punctuation():
    assert normalize("كِتَابٌ") == "كتاب"  # harakat and tanween
    assert normalize("الـــعراق") == "العراق"  # tatweel
    assert normalize("أحمد إلى آخر ٱلكتاب") == "احمد الي اخر الكتاب"  # hamza forms, alef maqsura
    assert normalize("٢٠٢٦ ۱۴۰۵") == "2026 1405"  # Arabic-Indic and Extended Arabic-Indic digits
    assert normalize("قال\u200f: \u202bنعم\u202c،؟") == "قال: نعم،؟"  # bidi marks out, ، ؛ ؟ kept
    assert normalize("\ufeffبداية") == "بداية"


def test_the_ta_marbuta_is_not_folded_in_keys():
    """Keys keep ة (search folds it; ids must not make two different words one)."""
    assert normalize("مدرسة") != normalize("مدرسه")


def test_key_text_collapses_whitespace():
    assert key_text("  قال\tالوزير \n إن ") == "قال الوزير إن".replace("إ", "ا")


def test_the_map_points_every_normalised_character_back_to_the_display_text():
    text = "قال الحَشـد الشعبي"
    norm, where = normalize_with_map(text)
    assert norm == normalize(text) and len(where) == len(norm)
    start = norm.index("الحشد")
    assert text[where[start]:where[start + len("الحشد") - 1] + 1] == "الحَشـد"


@given(st.text(alphabet=st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآىةـًٌٍَُِّْ٠١٢٣ .،؟")), max_size=60))
def test_normalize_is_idempotent_and_the_map_is_monotonic(text):
    once = normalize(text)
    assert normalize(once) == once
    _, where = normalize_with_map(text)
    assert where == sorted(where)


def test_script_ratios():
    assert arabic_ratio("قال Reuters") == 3 / 10 and latin_ratio("قال Reuters") == 7 / 10
    assert arabic_ratio("123 ...") == 0.0 == latin_ratio("")


def test_clitics_and_content_words():
    assert strip_article("والعراق") == "عراق" and strip_article("بالمدينة") == "مدينة"
    assert strip_clitics("وزيارة") == "زيارة" and strip_clitics("وزير") == "وزير"  # too short to be و + word
    assert content_words("قال الوزير في بغداد إن الزيارة مهمة") == {"وزير", "بغداد", "زيارة", "مهمة"}
    assert to_western_digits("٣٫٥") == "3٫5"
