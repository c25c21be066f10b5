"""The command line end to end: outputs, exit codes, one-line errors, no hanging on missing models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import jsonschema
from typer.testing import CliRunner

from summarizer.cli import app
from tests.helpers import ARTICLE_AR, ROOT, write

runner = CliRunner()


def _run(*args: str, input: bytes | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def _cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True,
                          timeout=timeout, env=full, cwd=ROOT)


def test_run_writes_every_output(tmp_path, tiny_models, sample_path, brief_schema):
    out = tmp_path / "briefs"
    result = _run("run", str(sample_path), str(ROOT / "examples"), "--out", str(out), "--models", str(tiny_models))
    assert result.exit_code == 0, result.output
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert report["counts"] == {"items": 6, "new": 6, "failed": 0, "skipped": 0}
    assert report["exit_code"] == 0 and report["profile"] == "default"
    assert {m["revision"] for m in report["models"].values()} == {"local"}
    lines = (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6
    for line, entry in zip(lines, report["articles"]):
        brief = json.loads(line)
        jsonschema.validate(brief, brief_schema)
        assert brief["id"] == entry["id"]
        assert json.loads((out / f"{brief['id']}.json").read_text(encoding="utf-8")) == brief
        md = (out / f"{brief['id']}.md").read_text(encoding="utf-8")
        if brief["language"] == "ar":
            assert '<div dir="rtl" lang="ar">' in md
    assert "6 new, 0 skipped, 0 failed" in result.output
    assert not list(out.glob(".*.tmp"))


def test_failed_articles_give_exit_1_and_the_batch_goes_on(tmp_path, tiny_models):
    write(tmp_path / "in" / "good.txt", ARTICLE_AR)
    write(tmp_path / "in" / "empty.txt", "")
    write(tmp_path / "in" / "bad.jsonl", '{"maintext": "x"\n')
    out = tmp_path / "out"
    result = _run("run", str(tmp_path / "in"), "--out", str(out), "--models", str(tiny_models))
    assert result.exit_code == 1
    assert "failed  " in result.output and "empty input" in result.output and "line 1" in result.output
    assert "Traceback" not in result.output
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert report["counts"]["new"] == 1 and report["counts"]["failed"] == 2
    assert {a["status"] for a in report["articles"]} == {"new", "failed"}


def test_stdin(tmp_path, tiny_models):
    out = tmp_path / "out"
    result = _run("run", "-", "--out", str(out), "--models", str(tiny_models), input=ARTICLE_AR.encode())
    assert result.exit_code == 0, result.output
    assert len((out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_config_errors_exit_2_in_one_line(tmp_path):
    bad = write(tmp_path / "models.yaml", "models: {}\nprofiles: {default: {translate: {}, summarize: x}}\n")
    result = _run("run", "x", "--out", str(tmp_path / "o"), "--models", str(bad))
    assert result.exit_code == 2
    assert "unknown model 'x'" in result.output and result.output.count("\n") == 1
    result = _run("run", "x", "--out", str(tmp_path / "o"), "--device", "tpu")
    assert result.exit_code == 2


def test_missing_weights_fail_fast_offline(tmp_path, sample_path):
    env = {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    started = time.perf_counter()
    proc = _cli("run", str(sample_path), "--out", str(tmp_path / "c"), env=env)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 2, proc.stderr
    assert elapsed < 5, elapsed
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "opus-big-ar-en" in lines[0] and "summarizer models fetch opus-big-ar-en" in lines[0]
    assert "HF_HUB_OFFLINE" in lines[0]


def test_missing_weights_fail_fast_without_network(tmp_path):
    env = {"HF_HUB_OFFLINE": "", "HF_ENDPOINT": "http://127.0.0.1:9", "HF_HOME": str(tmp_path / "hf")}
    started = time.perf_counter()
    proc = _cli("run", str(ROOT / "examples"), "--out", str(tmp_path / "c"), "--profile", "fast", env=env)
    assert proc.returncode == 2, proc.stderr
    assert time.perf_counter() - started < 5
    assert "cannot be reached" in proc.stderr and "opus-ar-en" in proc.stderr


def test_models_list(tiny_models, tmp_path):
    result = _run("models", "list", "--models", str(tiny_models))
    assert result.exit_code == 0
    assert "tiny-marian-ar-en" in result.output and "yes" in result.output
    env = {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"), "COLUMNS": "250"}
    proc = _cli("models", "list", env=env)
    assert proc.returncode == 0
    row = next(line for line in proc.stdout.splitlines() if line.startswith("opus-big-ar-en\t"))
    assert row.split("\t")[5] == "no"


def test_models_fetch_offline_is_a_clear_error(tmp_path):
    env = {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    proc = _cli("models", "fetch", "--profile", "fast", env=env)
    assert proc.returncode == 2 and "HF_HUB_OFFLINE" in proc.stderr and "Traceback" not in proc.stderr


def test_models_tiny_writes_a_runnable_registry(tmp_path):
    result = _run("models", "tiny", str(tmp_path / "t"))
    assert result.exit_code == 0, result.output
    assert "gibberish" in result.output
    from summarizer import load_config

    config = load_config(tmp_path / "t" / "models.yaml")
    assert set(config.profiles) == {"default", "fast", "multilingual"}
    for spec in config.models.values():
        assert (spec.path / "config.json").is_file()


def test_models_tiny_like_hub_writes_the_hubs_files(tmp_path):
    from summarizer.models.files import folder_problem

    result = _run("models", "tiny", str(tmp_path / "t"), "--like-hub")
    assert result.exit_code == 0, result.output
    root = tmp_path / "t"
    assert not (root / "bart" / "tokenizer.json").exists() and not (root / "mt5" / "tokenizer.json").exists()
    assert all((root / name / "pytorch_model.bin").is_file() and not (root / name / "model.safetensors").exists()
               and folder_problem(root / name) is None for name in ("bart", "marian", "mt5", "nllb"))


def test_every_front_end_format_runs_end_to_end(tmp_path, tiny_models):
    import gzip
    import shutil

    data = ROOT / "tests" / "data"
    inputs = tmp_path / "in"
    shutil.copytree(data, inputs, ignore=shutil.ignore_patterns("hijri"))  # hijri/: the Hijri dates test's
    write(inputs / "cp1256.txt", ARTICLE_AR.encode("cp1256"))
    write(inputs / "utf16.txt", ARTICLE_AR.replace("الحديقة", "المكتبة").encode("utf-16"))
    write(inputs / "bom.txt", ("\ufeff" + ARTICLE_AR.replace("الحديقة", "الساحة")).encode("utf-8"))
    write(inputs / "wire.jsonl.gz", gzip.compress((ROOT / "examples" / "wire.jsonl").read_bytes()))
    out = tmp_path / "out"
    result = _run("run", str(inputs), "--out", str(out), "--models", str(tiny_models))
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    by_format = {}
    for line in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines():
        brief = json.loads(line)
        by_format[brief["source"]["format"]] = by_format.get(brief["source"]["format"], 0) + 1
    assert by_format == {"html": 3, "rss": 2, "atom": 1, "txt": 3, "jsonl": 3}
    assert report["counts"]["failed"] == 1  # the RSS item without content, named by its number
    assert any(a["ref"].endswith("feed.rss#2") for a in report["articles"] if a["status"] == "failed")
    assert result.exit_code == 1


def test_models_convert_ahead_of_time(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE", str(tmp_path / "cache"))
    result = _run("models", "convert", "--profile", "fast", "--models", str(tiny_models))
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "cache" / "ct2").glob("*/model.bin"))) == 2
