"""The tiny models saved as their real hub repositories are (`summarizer models tiny --like-hub`).

`build_tiny_models` saves the modern way (safetensors, tokenizer.json, generation_config.json).
The repositories users download are older, and their files are what a first run meets:
  bart/    like sshleifer/distilbart-cnn-12-6 (2020): vocab.json + merges.txt and no tokenizer.json;
           config.json with the legacy `force_bos_token_to_be_generated` (no forced_bos_token_id)
           and its task settings at the top level (min_length 56, max_length 142, num_beams 4 ...);
           no generation_config.json; pytorch_model.bin in torch's legacy (pre-1.6, non-zip) format.
  marian/  like Helsinki-NLP/opus-mt-ar-en (2020): source.spm, target.spm, vocab.json and a
           tokenizer_config.json of source/target languages; config.json with max_length 512,
           num_beams 4 and bad_words_ids at the top level; legacy pytorch_model.bin.
  mt5/     like csebuetnlp/mT5_multilingual_XLSum (2021): spiece.model, special_tokens_map.json and
           tokenizer_config.json as mT5's (extra_ids 0, no model_max_length); no tokenizer.json;
           generation settings in config.json; a zip pytorch_model.bin.
  nllb/    like facebook/nllb-200-distilled-600M: tokenizer.json with a tokenizer_config.json whose
           src_lang and tgt_lang are null; generation_config.json; a zip pytorch_model.bin.
The shapes come from public copies of these repositories' files. Weights stay random.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .tiny import build_tiny_models

DISTILBART_TASK = {"early_stopping": True, "length_penalty": 2.0, "max_length": 142, "min_length": 56,
                   "no_repeat_ngram_size": 3, "num_beams": 4}


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _drop(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).unlink(missing_ok=True)


def save_bin(folder: Path, legacy: bool) -> None:
    """model.safetensors -> pytorch_model.bin (torch's legacy non-zip format when `legacy`)."""
    import torch
    from safetensors.torch import load_file

    state = load_file(str(folder / "model.safetensors"))
    torch.save(state, folder / "pytorch_model.bin", _use_new_zipfile_serialization=not legacy)
    _drop(folder, "model.safetensors")


def hub_bart(folder: Path, max_len: int) -> None:
    """distilbart-cnn-12-6's files (see the module doc)."""
    config = _read(folder / "config.json")
    config.pop("forced_bos_token_id", None)
    config.update(force_bos_token_to_be_generated=True, **DISTILBART_TASK,
                  task_specific_params={"summarization": dict(DISTILBART_TASK)})
    _write(folder / "config.json", config)
    _write(folder / "tokenizer_config.json", {"model_max_length": max_len})
    _drop(folder, "tokenizer.json", "special_tokens_map.json", "generation_config.json")
    save_bin(folder, legacy=True)


def hub_marian(folder: Path, max_len: int) -> None:
    """opus-mt-ar-en's files (see the module doc)."""
    config = _read(folder / "config.json")
    config.pop("forced_eos_token_id", None)  # the 2020 configs have none
    config.update(max_length=512, num_beams=4, bad_words_ids=[[config["pad_token_id"]]])
    _write(folder / "config.json", config)
    _write(folder / "tokenizer_config.json", {"model_max_length": max_len, "source_lang": "ar", "target_lang": "en"})
    _drop(folder, "tokenizer.json", "special_tokens_map.json", "generation_config.json")
    save_bin(folder, legacy=True)


def hub_mt5(folder: Path) -> None:
    """mT5_multilingual_XLSum's files (see the module doc)."""
    config = _read(folder / "config.json")
    config.update(length_penalty=0.6, max_length=84, no_repeat_ngram_size=2, num_beams=4)
    _write(folder / "config.json", config)
    specials = {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}
    _write(folder / "special_tokens_map.json", specials)
    _write(folder / "tokenizer_config.json", {**specials, "extra_ids": 0, "additional_special_tokens": None,
                                              "special_tokens_map_file": None, "tokenizer_file": None,
                                              "name_or_path": "google/mt5-base", "sp_model_kwargs": {},
                                              "tokenizer_class": "T5Tokenizer"})
    _drop(folder, "tokenizer.json", "generation_config.json")
    save_bin(folder, legacy=False)


def hub_nllb(folder: Path, max_len: int) -> None:
    """nllb-200-distilled-600M's files (see the module doc)."""
    config = _read(folder / "tokenizer_config.json")
    real = {"bos_token": "<s>", "cls_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "sep_token": "</s>",
            "unk_token": "<unk>", "mask_token": "<mask>", "model_max_length": max_len, "src_lang": None,
            "tgt_lang": None, "sp_model_kwargs": {}, "special_tokens_map_file": None, "tokenizer_file": None,
            "name_or_path": "facebook/nllb-200-distilled-600M", "tokenizer_class": "NllbTokenizer",
            "additional_special_tokens": config.get("extra_special_tokens") or config.get("additional_special_tokens")}
    _write(folder / "tokenizer_config.json", real)
    generation = _read(folder / "generation_config.json")
    generation.update(max_length=200)
    _write(folder / "generation_config.json", generation)
    save_bin(folder, legacy=False)


def like_hub(root: Path, max_translate: int = 128, max_summarize: int = 256) -> None:
    """Rewrite the tiny models under `root` (from build_tiny_models) as their hub repositories are."""
    hub_bart(root / "bart", max_summarize)
    hub_marian(root / "marian", max_translate)
    hub_mt5(root / "mt5")
    hub_nllb(root / "nllb", max_translate)


def build_hub_models(out: str | os.PathLike[str], max_translate: int = 128, max_summarize: int = 256) -> Path:
    """build_tiny_models, then every folder saved the hub way; returns the models.yaml path."""
    path = build_tiny_models(out, max_translate, max_summarize)
    like_hub(Path(out), max_translate, max_summarize)
    return path
