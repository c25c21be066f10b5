"""On models saved as the hub saves them: CTranslate2 decodes as transformers does (greedy, token for token,
translation and summary), the light tokenizers give transformers' ids and texts, and the CTranslate2
path of a whole run never imports torch or transformers."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from summarizer.models import parity
from summarizer.models.codec import light_tokenizer
from summarizer.models.engines.base import effective_prefix
from summarizer.models.registry import ModelRegistry
from tests.helpers import ROOT

TEXTS = {
    "tiny-marian-ar-en": ["أعلن رئيس الوزراء العراقي نهاية المهام", "قال الوزير إن العمل بدأ قبل عامين 3.5", "هل انتهى؟"],
    "tiny-nllb": ["أعلن رئيس الوزراء العراقي نهاية المهام", "قال الوزير إن العمل بدأ", "هل انتهى؟"],
    "tiny-bart": ["The minister said the plan will start soon.", "Oil prices rose by 3.5 percent.", "Rain."],
    "tiny-mt5": ["The minister said the plan will start soon.", "أعلن رئيس الوزراء", "Rain."],
}
CODEC_TEXTS = ["مرحبا بكم في المدينة.", "قال الوزير إن 3.5 مليون دينار صرفت؛ «نعم» ثم غادر!", "Hello, world — it's 10:30.",
               "ـــ تطويل وتشكيلٌ ٣٤٥", "", "  two  spaces\tand a tab ", ">>ara<< مرحبا"]
LIGHT = {"tiny-marian-ar-en": "MarianTokenizer", "tiny-bart": "JsonTokenizer", "tiny-nllb": "JsonTokenizer",
         "tiny-mt5": "JsonTokenizer"}


@pytest.fixture(scope="module")
def hub_ct2(hub_config, tmp_path_factory):
    """CTranslate2 in float32: the conversion and the settings, without int8's rounding."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SUMMARIZER_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield ModelRegistry(hub_config, engine="ctranslate2", compute_type="float32")
    mp.undo()


@pytest.mark.parametrize("name", sorted(TEXTS))
@pytest.mark.parametrize("max_new", [7, 40])
def test_ctranslate2_decodes_as_transformers_reads_the_folder(hub_ct2, name, max_new):
    model = hub_ct2.get(name)
    assert model.engine.name == "ctranslate2" and model.notes == []
    prefix = (model.token_id("eng_Latn"),) if name == "tiny-nllb" else ()
    batch = model.tokenizer(TEXTS[name])["input_ids"]
    greedy = dataclasses.replace(model.engine.settings, num_beams=1, no_repeat_ngram_size=0, repetition_penalty=1.0)
    gens = model.engine.generate(batch, max_new_tokens=max_new, prefix=prefix, settings=greedy)
    refs = parity.reference_greedy(parity.load_reference(model.folder), batch, max_new, prefix)
    forced = effective_prefix(prefix, greedy)
    mine = [parity.ours(g, forced, greedy.eos_token_id) for g in gens]
    assert all(parity.agree(r, m, max_new, greedy.eos_token_id) for r, m in zip(refs, mine))
    if name == "tiny-bart":  # the one place left out: transformers forces EOS at the limit, the rest is equal
        assert all(r.forced_eos and r.tokens[-1] == greedy.eos_token_id and len(r.tokens) == max_new for r in refs)
        assert all(r.tokens[0] == 0 == m[0] for r, m in zip(refs, mine))  # <s> forced on both


def test_the_parity_check_sees_a_missing_forced_bos(hub_ct2):
    """The comparison is not blind: without the forced <s>, every BART output differs from position 0."""
    model = hub_ct2.get("tiny-bart")
    batch = model.tokenizer(TEXTS["tiny-bart"])["input_ids"]
    unforced = dataclasses.replace(model.engine.settings, num_beams=1, no_repeat_ngram_size=0, forced_bos_token_id=None)
    gens = model.engine.generate(batch, max_new_tokens=12, settings=unforced)
    refs = parity.reference_greedy(parity.load_reference(model.folder), batch, 12)
    mine = [parity.ours(g, (), unforced.eos_token_id) for g in gens]
    assert [parity.first_difference(r, m) for r, m in zip(refs, mine)] == [0, 0, 0]


@pytest.mark.parametrize("name", sorted(LIGHT))
def test_light_tokenizers_match_transformers_on_hub_files(hub_config, name):
    from transformers import AutoTokenizer

    spec = hub_config.model(name)
    lang = next(iter(spec.lang_codes.values())) if spec.lang_codes else None
    hf = AutoTokenizer.from_pretrained(spec.path, **({"src_lang": lang} if lang else {}))
    light = light_tokenizer(spec.path, lang)
    assert type(light).__name__ == LIGHT[name]
    assert light.unk_token_id == hf.unk_token_id
    assert light.model_max_length == hf.model_max_length or min(light.model_max_length, hf.model_max_length) > 10**5
    for text in CODEC_TEXTS:
        ids = hf(text)["input_ids"]
        assert light(text)["input_ids"] == ids, text
        assert light(text_target=text, add_special_tokens=False)["input_ids"] == \
            hf(text_target=text, add_special_tokens=False)["input_ids"]
        for seq in (ids, ids[:2] + [5, 6, 7]):
            assert light.decode(seq, skip_special_tokens=True) == hf.decode(seq, skip_special_tokens=True)
            assert light.decode(seq) == hf.decode(seq)
            assert light.convert_ids_to_tokens(seq) == hf.convert_ids_to_tokens(seq)


def test_a_run_on_hub_models_never_imports_torch(hub_models, tmp_path):
    code = ("import sys; from pathlib import Path\n"
            "from summarizer import RunSettings, run_folder\n"
            f"r = run_folder(RunSettings(inputs=[{str(ROOT / 'examples')!r}], out=Path({str(tmp_path / 'out')!r}), "
            f"models=Path({str(hub_models)!r}), profile='default', handle_signals=False))\n"
            "assert r.counts['new'] == 5, r.counts\n"
            "from summarizer.models.registry import ModelRegistry\n"
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "False"]
    # and the summariser that ships without tokenizer.json on the multilingual profile (mT5 XL-Sum)
    code = code.replace("profile='default'", "profile='multilingual'").replace("'out'", "'out2'")
    proc = subprocess.run([sys.executable, "-c", code.replace(str(tmp_path / "out"), str(tmp_path / "out2"))],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "False"]


def test_only_a_forced_eos_at_the_limit_is_left_out_of_the_comparison():
    from summarizer.models.engines.base import Generation

    eos, limit = 2, 5
    forced = parity.Reference((0, 7, 8, 9, eos), forced_eos=True)  # transformers wrote EOS into the last position
    cut = parity.ours(Generation((7, 8, 9, 4), hit_limit=True), (0,), eos)
    assert parity.agree(forced, cut, limit, eos)
    assert not parity.agree(forced, parity.ours(Generation((7, 8, 6, 4), hit_limit=True), (0,), eos), limit, eos)
    ended = parity.ours(Generation((7, 8), hit_limit=False), (0,), eos)  # ours ended early: a real difference
    assert not parity.agree(forced, ended, limit, eos)
    unforced = parity.Reference((0, 7, 8, 9, eos), forced_eos=False)  # the model chose EOS: every position counts
    assert not parity.agree(unforced, cut, limit, eos)
    assert parity.agree(unforced, parity.ours(Generation((7, 8, 9), hit_limit=False), (0,), eos), limit, eos)
    short = parity.Reference((0, 7, eos), forced_eos=True)  # EOS before the limit is the model's own
    assert not parity.agree(short, parity.ours(Generation((7, 5), hit_limit=False), (0,), eos), limit, eos)
