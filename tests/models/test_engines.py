"""Engines: CTranslate2 reproduces torch token for token (greedy, float32); limits; fallback."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest

from summarizer.models.registry import ModelRegistry

TEXTS = {
    "tiny-marian-ar-en": ["أعلن رئيس الوزراء العراقي نهاية المهام", "قال الوزير إن العمل بدأ قبل عامين 3.5", "هل انتهى؟"],
    "tiny-nllb": ["أعلن رئيس الوزراء العراقي نهاية المهام", "قال الوزير إن العمل بدأ", "هل انتهى؟"],
    "tiny-bart": ["The minister said the plan will start soon.", "Oil prices rose by 3.5 percent.", "Rain."],
    "tiny-mt5": ["The minister said the plan will start soon.", "أعلن رئيس الوزراء", "Rain."],
}


@pytest.fixture(scope="module")
def ct2_registry(tiny_config, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("SUMMARIZER_CACHE", str(tmp_path_factory.mktemp("cache")))
    return ModelRegistry(tiny_config, engine="ctranslate2", compute_type="float32")


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _inputs(model, name):
    prefix = ()
    if name == "tiny-nllb":
        model.tokenizer.src_lang = "arb_Arab"
        prefix = (model.token_id("eng_Latn"),)
    return [list(x) for x in model.tokenizer(TEXTS[name])["input_ids"]], prefix


@pytest.mark.parametrize("name", sorted(TEXTS))
@pytest.mark.parametrize("max_new", [7, 40])
def test_greedy_parity_token_for_token(registry, ct2_registry, name, max_new):
    torch_model, ct2_model = registry.get(name), ct2_registry.get(name)
    assert torch_model.engine.name == "torch" and ct2_model.engine.name == "ctranslate2"
    greedy = dataclasses.replace(torch_model.engine.settings, num_beams=1, no_repeat_ngram_size=0)
    batch, prefix = _inputs(torch_model, name)
    a = torch_model.engine.generate(batch, max_new_tokens=max_new, prefix=prefix, settings=greedy)
    b = ct2_model.engine.generate(batch, max_new_tokens=max_new, prefix=prefix, settings=greedy)
    assert [g.ids for g in a] == [g.ids for g in b]
    assert [g.hit_limit for g in a] == [g.hit_limit for g in b]


def test_beam_settings_mean_the_same(registry, ct2_registry):
    name = "tiny-bart"
    batch, prefix = _inputs(registry.get(name), name)
    settings = registry.get(name).engine.settings  # num_beams 2, no_repeat_ngram_size 3 from models.yaml
    assert settings.num_beams == 2 and settings.no_repeat_ngram_size == 3
    a = registry.get(name).engine.generate(batch, max_new_tokens=20, min_new_tokens=5, settings=settings)
    b = ct2_registry.get(name).engine.generate(batch, max_new_tokens=20, min_new_tokens=5, settings=settings)
    for ga, gb in zip(a, b):
        for ids in (ga.ids, gb.ids):  # no repeated trigram on either engine
            grams = [tuple(ids[k:k + 3]) for k in range(len(ids) - 2)]
            assert len(grams) == len(set(grams))
            assert len(ids) >= 4
    assert sum(ga.ids == gb.ids for ga, gb in zip(a, b)) >= 2


def test_no_250_token_cap(registry, ct2_registry):
    name = "tiny-marian-ar-en"
    batch, _ = _inputs(registry.get(name), name)
    greedy = dataclasses.replace(registry.get(name).engine.settings, num_beams=1)
    [out] = ct2_registry.get(name).engine.generate(batch[:1], max_new_tokens=300, settings=greedy)
    assert len(out.ids) == 300 and out.hit_limit  # random weights never stop: the limit is ours, not 250


def test_failed_conversion_falls_back_to_torch(tiny_config, tmp_path, monkeypatch, caplog):
    from summarizer.config import Config

    broken = tmp_path / "bart-unconvertible"
    shutil.copytree(tiny_config.model("tiny-bart").path, broken)
    config = json.loads((broken / "config.json").read_text())
    config["activation_function"] = "relu6"  # transformers runs it, CTranslate2 has no such activation
    (broken / "config.json").write_text(json.dumps(config))
    spec = dataclasses.replace(tiny_config.model("tiny-bart"), path=broken)
    conf = Config(models={**tiny_config.models, "tiny-bart": spec}, profiles=tiny_config.profiles,
                  source=tiny_config.source)
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))
    model = ModelRegistry(conf, engine="ctranslate2").get("tiny-bart")
    assert model.engine.name == "torch"
    assert any("using torch" in n for n in model.notes)
    assert not list((tmp_path / "cache").glob("ct2/tiny-bart-*/model.bin"))  # no half-converted model left


def test_conversion_is_cached(tiny_config, tmp_path, monkeypatch):
    from summarizer.models.engines.convert import convert, ct2_folder_for

    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))
    spec = tiny_config.model("tiny-marian-ar-en")
    first = convert(spec, spec.path, "local", "int8")
    mtime = (first / "model.bin").stat().st_mtime_ns
    assert convert(spec, spec.path, "local", "int8") == first
    assert (first / "model.bin").stat().st_mtime_ns == mtime
    assert ct2_folder_for(spec, spec.path, "local", "float32") != first


def test_a_released_model_reloads_and_decodes_the_same(ct2_registry, registry):
    name = "tiny-marian-ar-en"
    model = ct2_registry.get(name)
    batch, _ = _inputs(model, name)
    before = model.engine.generate(batch, max_new_tokens=12)
    for _ in range(20):  # right after a batch, which CTranslate2 still counts as active for a moment
        model.engine.generate(batch, max_new_tokens=2)
        ct2_registry.release("translate")
        assert not model.engine.translator.model_is_loaded  # its memory is free while the summariser works
    ct2_registry.release("summarize")  # nothing of that task loaded: nothing happens
    assert model.engine.generate(batch, max_new_tokens=12) == before and model.engine.translator.model_is_loaded
    registry.get(name).engine.release()  # torch keeps its weights: a no-op, not an error
