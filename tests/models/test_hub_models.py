"""The hub's files as they really are (tiny models saved as distilbart, opus-mt, mT5 XL-Sum and NLLB are):
legacy checkpoints, the legacy forced-BOS flag, task settings in config.json, missing converter keys,
Marian's separate vocabularies and target tags."""

from __future__ import annotations

import dataclasses
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from summarizer.config import load_config
from summarizer.errors import ConfigError
from summarizer.models.engines.base import load_settings
from summarizer.models.files import folder_problem
from summarizer.models.registry import ModelRegistry


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _copy(hub_models: Path, tmp_path: Path, name: str) -> Path:
    """A private copy of the hub-faithful models and their models.yaml, to change `name`'s files."""
    root = tmp_path / "models"
    shutil.copytree(hub_models.parent, root)
    assert (root / name).is_dir()
    return root


def test_the_files_are_shaped_as_on_the_hub(hub_models):
    root = hub_models.parent
    assert sorted(p.name for p in (root / "bart").iterdir()) == [
        "config.json", "merges.txt", "pytorch_model.bin", "tokenizer_config.json", "vocab.json"]
    bart = _json(root / "bart" / "config.json")
    assert bart["force_bos_token_to_be_generated"] is True and "forced_bos_token_id" not in bart
    assert (bart["min_length"], bart["max_length"], bart["num_beams"]) == (56, 142, 4)
    assert not zipfile.is_zipfile(root / "bart" / "pytorch_model.bin")  # torch < 1.6 format
    assert sorted(p.name for p in (root / "marian").iterdir()) == [
        "config.json", "pytorch_model.bin", "source.spm", "target.spm", "tokenizer_config.json", "vocab.json"]
    assert sorted(p.name for p in (root / "mt5").iterdir()) == [
        "config.json", "pytorch_model.bin", "special_tokens_map.json", "spiece.model", "tokenizer_config.json"]
    nllb = _json(root / "nllb" / "tokenizer_config.json")
    assert nllb["src_lang"] is None and nllb["tgt_lang"] is None


def test_legacy_checkpoints_are_accepted_and_checked_whole(hub_models, tmp_path):
    source = hub_models.parent / "bart"
    assert folder_problem(source) is None
    data = (source / "pytorch_model.bin").read_bytes()
    folder = tmp_path / "bart"
    shutil.copytree(source, folder)
    for cut in (len(data) - 1, len(data) - 400, len(data) // 2, 200, 40):
        (folder / "pytorch_model.bin").write_bytes(data[:cut])
        assert "truncated" in (folder_problem(folder) or ""), cut
    (folder / "pytorch_model.bin").write_bytes(data + b"\0" * 8)
    assert "unexpected bytes" in (folder_problem(folder) or "")
    (folder / "pytorch_model.bin").write_bytes(b"not a checkpoint at all" * 10)
    assert folder_problem(folder) is not None


def test_forced_bos_is_read_from_every_form(hub_models, tmp_path):
    bart = hub_models.parent / "bart"
    assert load_settings(bart, {}).forced_bos_token_id == 0  # the legacy flag of distilbart's config.json
    folder = tmp_path / "bart"
    shutil.copytree(bart, folder)
    config = _json(folder / "config.json")
    config.pop("force_bos_token_to_be_generated")
    (folder / "config.json").write_text(json.dumps({**config, "forced_bos_token_id": 0}), encoding="utf-8")
    assert load_settings(folder, {}).forced_bos_token_id == 0  # the modern key in config.json
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    assert load_settings(folder, {}).forced_bos_token_id is None  # no form: nothing forced
    (folder / "generation_config.json").write_text(json.dumps({"forced_bos_token_id": 0, "eos_token_id": 2}))
    assert load_settings(folder, {}).forced_bos_token_id == 0  # generation_config.json
    # as transformers: generation_config.json, when there, is the whole story (config.json's flag ignored)
    (folder / "config.json").write_text(json.dumps({**config, "force_bos_token_to_be_generated": True}))
    (folder / "generation_config.json").write_text(json.dumps({"eos_token_id": 2}))
    assert load_settings(folder, {}).forced_bos_token_id is None
    # the forced <s> changes every summary: it is part of the settings' key (briefs made without it are redone)
    forced = load_settings(bart, {})
    assert dataclasses.replace(forced, forced_bos_token_id=None).key() != forced.key()
    assert load_settings(bart, {"forced_bos_token_id": -1}).forced_bos_token_id is None  # models.yaml: force none


def _eos_first_bart(hub_models: Path, tmp_path: Path) -> Path:
    """The hub BART with its output bias set so that it wants to end at once (a real summariser ends early)."""
    import torch

    root = _copy(hub_models, tmp_path, "bart")
    path = root / "bart" / "pytorch_model.bin"
    state = torch.load(path, weights_only=True)
    state["final_logits_bias"][0, 2] = 50.0  # EOS
    torch.save(state, path, _use_new_zipfile_serialization=False)
    return root / "models.yaml"


@pytest.mark.parametrize("engine", ["torch", "ctranslate2"])
def test_the_model_configs_min_length_is_not_inherited(hub_models, tmp_path, engine, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))
    config = load_config(_eos_first_bart(hub_models, tmp_path))
    model = ModelRegistry(config, engine=engine).get("tiny-bart")
    assert model.engine.name == engine
    batch = model.tokenizer(["The minister said the plan will start soon.", "Rain."])["input_ids"]
    # a map-stage call: max 30 new tokens, no minimum; config.json's min_length 56 must not apply
    outs = model.engine.generate(batch, max_new_tokens=30)
    assert [(g.ids, g.hit_limit) for g in outs] == [((), False), ((), False)]


def test_conversion_supplies_bart_keys_the_config_lacks(hub_models, tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))
    root = _copy(hub_models, tmp_path, "bart")
    config = _json(root / "bart" / "config.json")
    for key in ("normalize_before", "normalize_embedding", "add_final_layer_norm"):
        config.pop(key, None)
    (root / "bart" / "config.json").write_text(json.dumps(config), encoding="utf-8")
    model = ModelRegistry(load_config(root / "models.yaml"), engine="ctranslate2").get("tiny-bart")
    assert model.engine.name == "ctranslate2" and model.notes == []


def test_marian_target_tags_are_refused_in_one_line(hub_models, tmp_path):
    from summarizer.models.codec import light_tokenizer

    root = _copy(hub_models, tmp_path, "marian")
    vocab = _json(root / "marian" / "vocab.json")
    pad = vocab.pop("<pad>")
    vocab.update({">>ara<<": pad, "<pad>": pad + 1})
    (root / "marian" / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    from transformers import AutoTokenizer

    hf, light = AutoTokenizer.from_pretrained(root / "marian"), light_tokenizer(root / "marian")
    for text in (">>ara<< مرحبا بكم", ">>ara<<مرحبا", "مرحبا >>ara<<"):  # the tag is one token, as transformers has it
        assert light(text)["input_ids"] == hf(text)["input_ids"]
    with pytest.raises(ConfigError) as err:
        ModelRegistry(load_config(root / "models.yaml"), engine="torch").get("tiny-marian-ar-en")
    assert ">>ara<<" in str(err.value) and "\n" not in str(err.value)


def test_marian_separate_target_vocabulary_runs_on_torch_and_decodes_with_it(hub_models, tmp_path, monkeypatch):
    from transformers import AutoTokenizer

    from summarizer.models.codec import light_tokenizer

    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))
    root = _copy(hub_models, tmp_path, "marian")
    folder = root / "marian"
    vocab = _json(folder / "vocab.json")
    specials = {"</s>", "<unk>", "<pad>"}
    pieces = sorted(t for t in vocab if t not in specials)  # another order: ids mean other pieces on the target side
    target = {"</s>": 0, "<unk>": 1, **{t: k + 2 for k, t in enumerate(reversed(pieces))}}
    target["<pad>"] = len(target)
    (folder / "target_vocab.json").write_text(json.dumps(target, ensure_ascii=False), encoding="utf-8")
    tok_config = _json(folder / "tokenizer_config.json")
    (folder / "tokenizer_config.json").write_text(json.dumps({**tok_config, "separate_vocabs": True}))
    hf, light = AutoTokenizer.from_pretrained(folder), light_tokenizer(folder)
    ids = [target[p] for p in pieces[:6]]
    assert light.decode(ids) == hf.decode(ids) and light.convert_ids_to_tokens(ids) == hf.convert_ids_to_tokens(ids)
    assert light("مرحبا")["input_ids"] == hf("مرحبا")["input_ids"]
    registry = ModelRegistry(load_config(root / "models.yaml"), engine="ctranslate2")
    model = registry.get("tiny-marian-ar-en")
    assert model.engine.name == "torch"
    assert len(model.notes) == 1 and "target_vocab.json" in model.notes[0] and "\n" not in model.notes[0]
    assert registry.runtime(model.spec, folder)[0] == "torch"
