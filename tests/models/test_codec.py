"""The torch-free tokenizers of the CTranslate2 path give the ids and texts transformers gives, on every
architecture the profiles use (Marian sentencepiece, BART byte-level BPE, NLLB with language codes, mT5)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from summarizer.models.codec import light_tokenizer
from tests.helpers import ROOT

TEXTS = ["مرحبا بكم في المدينة.", "قال الوزير إن 3.5 مليون دينار صرفت؛ «نعم» ثم غادر!", "Hello, world — it's 10:30.",
         "ـــ تطويل وتشكيلٌ ٣٤٥", "", "<unk> </s> غريب"]
MODELS = {"tiny-marian-ar-en": "MarianTokenizer", "tiny-bart": "JsonTokenizer", "tiny-nllb": "JsonTokenizer",
          "tiny-mt5": "JsonTokenizer"}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_same_ids_and_texts_as_transformers(tiny_config, name):
    from transformers import AutoTokenizer

    spec = tiny_config.model(name)
    lang = next(iter(spec.lang_codes.values())) if spec.lang_codes else None
    hf = AutoTokenizer.from_pretrained(spec.path, **({"src_lang": lang} if lang else {}))
    light = light_tokenizer(spec.path, lang)
    assert type(light).__name__ == MODELS[name]
    assert (light.model_max_length, light.unk_token_id) == (hf.model_max_length, hf.unk_token_id)
    for text in TEXTS:
        if name == "tiny-marian-ar-en" and "</s>" in text:
            continue  # Marian's light tokenizer reads special-token strings typed in a text as text
        ids = hf(text, add_special_tokens=True)["input_ids"]
        target = hf(text_target=text, add_special_tokens=False)["input_ids"]
        assert light(text, add_special_tokens=True)["input_ids"] == ids
        assert light(text_target=text, add_special_tokens=False)["input_ids"] == target
        for seq in (ids, target, ids[:2] + [5, 6, 7]):
            assert light.decode(seq, skip_special_tokens=True) == hf.decode(seq, skip_special_tokens=True)
            assert light.decode(seq) == hf.decode(seq)
            assert light.convert_ids_to_tokens(seq) == hf.convert_ids_to_tokens(seq)
    if lang:  # another source language: its code leads the input
        hf.src_lang = light.src_lang = spec.lang_codes["fa"]
        assert light(TEXTS[0])["input_ids"] == hf(TEXTS[0])["input_ids"]


def test_the_ctranslate2_path_never_imports_torch(tiny_models, tmp_path):
    code = ("import sys; from pathlib import Path\n"
            "from summarizer import RunSettings, run_folder\n"
            f"r = run_folder(RunSettings(inputs=[{str(ROOT / 'examples')!r}], out=Path({str(tmp_path / 'out')!r}), "
            f"models=Path({str(tiny_models)!r}), handle_signals=False))\n"
            "assert r.counts['new'] == 5, r.counts\n"
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "False"]
