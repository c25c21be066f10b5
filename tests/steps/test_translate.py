"""Translation contracts on the tiny models: one output per input, in order, nothing cut."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summarizer.steps.summarize import summary_bounds
from summarizer.steps.translate import Translator, fit_pieces, output_budget


def _words(text: str) -> int:
    return len(text.split()) + 1  # +1 like an EOS token


@given(st.lists(st.text(alphabet="abc دهو", min_size=1, max_size=12), min_size=1, max_size=60),
       st.integers(min_value=2, max_value=20))
def test_fit_pieces_loses_nothing_and_fits(words, limit):
    text = " ".join(words)
    pieces = fit_pieces(text, _words, limit)
    assert " ".join(pieces).split() == text.split() or "".join(pieces) == text.replace(" ", "")
    assert all(_words(p) <= limit for p in pieces)


def test_single_huge_word_is_cut_by_characters():
    word = "x" * 500
    pieces = fit_pieces(word, lambda s: len(s) // 10 + 1, 20)
    assert "".join(pieces) == word and all(len(p) // 10 + 1 <= 20 for p in pieces)


@given(st.integers(min_value=0, max_value=5000))
def test_summary_bounds_never_invert(n):
    low, high = summary_bounds(n, {"min": 56, "max": 142}, 1022)
    assert 0 <= low <= high and high >= 1
    assert high <= max(8, n // 2) or high == 8


def test_output_budget_derives_from_input_alone():
    assert output_budget(12, 2.0, 510) == 40  # 12 tokens x 2 + 16
    assert output_budget(10, 2.0, 510) == output_budget(12, 2.0, 510)  # lengths share a budget in steps of 4
    assert output_budget(13, 2.0, 510) == 48
    assert output_budget(400, 2.0, 510) == 510


def test_one_translation_per_sentence_in_order(registry):
    translator = Translator(registry.get("tiny-marian-ar-en"))
    texts = ["أعلنت الحكومة خطة جديدة.", "قال الوزير إن العمل بدأ.", "ارتفعت الأسعار 3.5 في المئة.",
             "هل انتهى؟", " ".join(["وقال المسؤول إن الحكومة ستواصل العمل مع الشركاء"] * 25)]
    batched = translator.translate(texts, "ar")
    alone = [translator.translate([t], "ar")[0] for t in texts]
    assert len(batched) == len(texts)
    assert [b.text for b in batched] == [a.text for a in alone]  # order restored after length sorting
    assert [b.pieces for b in batched][:4] == [1, 1, 1, 1] and batched[4].pieces > 1
    assert all(b.text for b in batched)


def test_multilingual_model_uses_language_codes(registry):
    model = registry.get("tiny-nllb")
    translator = Translator(model)
    assert translator.supports("fa") and not translator.supports("sw")
    [out] = translator.translate(["رئیس جمهور امروز در تهران گفت."], "fa")
    assert out.text
    assert model.tokenizer.src_lang == "pes_Arab"
    ids = model.tokenizer("سلام").input_ids
    assert model.tokenizer.convert_ids_to_tokens(ids)[0] == "pes_Arab"


def test_yaml_generation_settings_reach_the_engine(registry):
    bart = registry.get("tiny-bart")
    assert bart.engine.settings.num_beams == 2 and bart.engine.settings.no_repeat_ngram_size == 3
    marian = registry.get("tiny-marian-ar-en")
    assert marian.engine.settings.bad_words_ids == ((marian.tokenizer.pad_token_id,),)  # from the model folder
