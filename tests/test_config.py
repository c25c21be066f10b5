"""models.yaml validation: unknown keys and bad references are errors naming the key and the file."""

from pathlib import Path

import pytest

from summarizer.config import load_config
from summarizer.errors import ConfigError

BASE = """
models:
  m1: {task: translate, path: ./m1, src: ar, tgt: en}
  s1: {task: summarize, path: ./s1, lang: en}
profiles:
  default: {translate: {ar: m1}, summarize: s1}
"""


def _load(tmp_path: Path, text: str):
    path = tmp_path / "models.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path), path


def test_bundled_registry_is_valid():
    config = load_config()
    assert {"default", "fast", "multilingual"} <= set(config.profiles)
    assert config.profile("default").translator_for("ar") == "opus-big-ar-en"
    assert config.profile("default").translator_for("fa") == "nllb-600m"
    assert config.profile("fast").translator_for("fa") is None


def test_relative_paths_resolve_against_the_file(tmp_path):
    config, path = _load(tmp_path, BASE)
    assert config.model("m1").path == tmp_path / "m1"


@pytest.mark.parametrize("text, words", [
    (BASE.replace("src: ar,", "src: ar, colour: red,"), ["colour", "models.m1"]),
    (BASE.replace("profiles:", "extra: 1\nprofiles:"), ["extra", "top level"]),
    (BASE.replace("{ar: m1}", "{ar: nope}"), ["nope", "profiles.default.translate.ar"]),
    (BASE.replace("summarize: s1}", "summarize: m1}"), ["summarize model", "m1"]),
    (BASE.replace("task: translate, path: ./m1", "task: translate, path: ./m1, hf: x/y"), ["exactly one"]),
    (BASE.replace("src: ar, tgt: en}", "src: ar, tgt: en, generation: {beams: 4}}"), ["beams"]),
    (BASE.replace("lang: en}", "lang: en, summary_tokens: {min: 50, max: 10}}"), ["min <= max"]),
    ("models: [1, 2]\nprofiles: {}", ["mapping"]),
    ("models: {a: [\n", ["not valid YAML"]),
])
def test_bad_config_names_key_and_file(tmp_path, text, words):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, text)
    message = str(info.value)
    assert str(tmp_path / "models.yaml") in message
    for word in words:
        assert word in message


def test_unknown_profile_lists_profiles(tmp_path):
    config, _ = _load(tmp_path, BASE)
    with pytest.raises(ConfigError, match="profiles: default"):
        config.profile("nope")


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_models_in_the_hf_cache_are_found_without_network(tmp_path, monkeypatch):
    from summarizer.config import ModelSpec
    from summarizer.models.hub import local_folder

    monkeypatch.setenv("HF_HOME", str(tmp_path))
    spec = ModelSpec(name="m", task="translate", hf="Org/some-model", src="ar")
    assert local_folder(spec) is None
    repo = tmp_path / "hub" / "models--Org--some-model"
    snapshot = repo / "snapshots" / ("a" * 40)
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("a" * 40)
    (snapshot / "config.json").write_text("{}")
    assert local_folder(spec) is None  # no weights yet
    (snapshot / "model.safetensors").write_bytes(b"x")
    assert local_folder(spec) == snapshot
    pinned = ModelSpec(name="m", task="translate", hf="Org/some-model", src="ar", revision="a" * 40)
    assert local_folder(pinned) == snapshot
