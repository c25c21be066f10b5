"""Stale skips: whatever changes outputs changes the fingerprint, so a cron re-run redoes the article.

Each case runs the real incremental run twice (or three times) and counts what was redone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from summarizer import RunSettings, run_folder
from summarizer.config import load_config
from summarizer.models import hub
from summarizer.models.engines import convert as convert_module
from tests.helpers import ARTICLE_AR, write

N = 3


@pytest.fixture()
def inputs(tmp_path) -> Path:
    for k in range(N):
        write(tmp_path / "in" / f"a{k}.txt", f"خبر رقم {k} عن المدينة.\n" + ARTICLE_AR)
    return tmp_path / "in"


def variant(tiny_models: Path, name: str, edit) -> Path:
    """A models.yaml beside the tiny models (so their relative paths hold), edited by `edit(data)`."""
    data = yaml.safe_load(tiny_models.read_text(encoding="utf-8"))
    edit(data)
    path = tiny_models.parent / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run(inputs: Path, out: Path, models: Path, **kw):
    return run_folder(RunSettings(inputs=[str(inputs)], out=out, models=models, handle_signals=False, **kw))


def set_compute(value):
    def edit(data):
        for spec in data["models"].values():
            spec["compute_type"] = value
    return edit


def test_auto_compute_type_is_recorded_as_the_type_in_use(inputs, tiny_models, tmp_path):
    out = tmp_path / "out"
    assert run(inputs, out, variant(tiny_models, "auto", set_compute("auto"))).counts["new"] == N
    # auto is int8 on this CPU: the same outputs, so nothing is redone ...
    assert run(inputs, out, variant(tiny_models, "int8", set_compute("int8"))).counts["skipped"] == N
    # ... while another compute type changes outputs: everything is redone
    assert run(inputs, out, variant(tiny_models, "f32", set_compute("float32"))).counts["new"] == N
    brief = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert brief["models"]["translate"]["compute_type"] == "float32"


def test_a_fallback_to_torch_is_in_the_fingerprint(inputs, tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))  # conversions of this test only

    def broken(*args, **kwargs):
        raise RuntimeError("the converter exploded")

    monkeypatch.setattr(convert_module, "_convert_locked", broken)
    out = tmp_path / "out"
    first = run(inputs, out, tiny_models)
    assert first.counts["new"] == N
    brief = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert brief["models"]["translate"]["engine"] == "torch"
    assert any("using torch" in note for m in first.models.values() for note in m["notes"])
    monkeypatch.undo()
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))
    # the failure is remembered: the next run predicts torch, matches, and skips
    assert run(inputs, out, tiny_models).counts["skipped"] == N
    config = load_config(tiny_models)
    for name in ("tiny-marian-ar-en", "tiny-bart"):  # what `summarizer models convert NAME` does
        spec = config.model(name)
        folder = hub.local_folder(spec)
        convert_module.convert(spec, folder, hub.resolved_revision(spec, folder), "int8", retry_failed=True)
    # now CTranslate2 runs it: other outputs, so the articles are redone
    assert run(inputs, out, tiny_models).counts["new"] == N
    brief = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert brief["models"]["translate"]["engine"] == "ctranslate2"


def test_the_profiles_fallback_model_is_in_the_fingerprint(inputs, tiny_models, tmp_path):
    out = tmp_path / "out"
    assert run(inputs, out, tiny_models).counts["new"] == N
    assert run(inputs, out, tiny_models).counts["skipped"] == N

    def add_fallback(data):
        data["profiles"]["default"]["fallback"] = "tiny-nllb"

    assert run(inputs, out, variant(tiny_models, "fallback", add_fallback)).counts["new"] == N


def test_the_forced_first_token_read_from_the_folder_is_in_the_fingerprint(inputs, hub_models, tmp_path, monkeypatch):
    """Summaries made without BART's forced <s> (as the CTranslate2 path made them before distilbart's
    legacy flag was read) are redone once the folder is read right: same files, same revision."""
    import dataclasses

    from summarizer.pipeline import fingerprint

    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))
    real = fingerprint.load_settings
    unread = lambda folder, overrides: dataclasses.replace(real(folder, overrides), forced_bos_token_id=None)  # noqa: E731
    monkeypatch.setattr(fingerprint, "load_settings", unread)
    first = run(inputs, tmp_path / "out", hub_models, profile="fast")
    assert first.counts["new"] == N
    monkeypatch.setattr(fingerprint, "load_settings", real)
    again = run(inputs, tmp_path / "out", hub_models, profile="fast")
    assert again.counts["new"] == N, again.counts
    assert run(inputs, tmp_path / "out", hub_models, profile="fast").counts["skipped"] == N
