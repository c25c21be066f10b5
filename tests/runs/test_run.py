"""Cron-grade runs: incremental, resumable after kill -9, locked, interruptible, observable."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summarizer.store.outdir import OutputDir
from tests.helpers import ARTICLE_AR, ROOT, cli, write

N = 12
VOLATILE = {"created_at", "timings_ms"}


def make_inputs(folder: Path, n: int = N) -> Path:
    for k in range(n):
        write(folder / f"a{k:03d}.txt", f"خبر رقم {k} عن افتتاح مشروع جديد في المدينة.\n" + ARTICLE_AR +
              f"\nوفي ختام المؤتمر قال المسؤول إن العدد {k * 7} مهم للمدينة.")
    return folder


def run_args(inputs: Path, out: Path, models: Path, *extra: str) -> list[str]:
    return ["run", str(inputs), "--out", str(out), "--models", str(models), *extra]


def report(out: Path) -> dict:
    return json.loads((out / "run-report.json").read_text(encoding="utf-8"))


def briefs(out: Path) -> dict[str, dict]:
    """briefs.jsonl as id -> brief; asserts every line is valid and ids are unique and on disk."""
    lines = (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()
    data = [json.loads(line) for line in lines]
    ids = [b["id"] for b in data]
    assert len(ids) == len(set(ids)), "duplicate ids in briefs.jsonl"
    for b in data:
        assert json.loads((out / f"{b['id']}.json").read_text(encoding="utf-8")) == b
        assert (out / f"{b['id']}.md").is_file()
    assert not list(out.glob(".*.tmp")), "temporary files left"
    for b in data:  # the same inputs may lie in another folder
        b["source"] = {**b["source"], "ref": Path(b["source"]["ref"]).name, "path": Path(b["source"]["path"]).name}
    return {b["id"]: {k: v for k, v in b.items() if k not in VOLATILE} for b in data}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    return make_inputs(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def reference(inputs, tiny_models, tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("reference")
    proc = cli(*run_args(inputs, out, tiny_models))
    assert proc.returncode == 0, proc.stderr
    return briefs(out)


class Recorder:
    """A RunObserver that keeps what it hears."""

    def __init__(self) -> None:
        self.events: list[tuple] = []

    def started(self, total):
        self.events.append(("started", total))

    def notice(self, message, **fields):
        self.events.append(("notice", message))

    def result(self, result):
        self.events.append(("result", type(result).__name__))

    def finished(self, report):
        self.events.append(("finished", report.exit_code))


def test_library_run_is_incremental_and_observed(inputs, tiny_models, reference, tmp_path, capsys):
    from summarizer import RunSettings, run_folder

    settings = RunSettings(inputs=[str(inputs)], out=tmp_path / "out", models=tiny_models, handle_signals=False)
    seen = Recorder()
    first = run_folder(settings, seen)
    assert first.counts == {"new": N, "skipped": 0, "failed": 0} and first.exit_code == 0
    assert seen.events[0] == ("started", N) and seen.events[-1] == ("finished", 0)
    assert [e for e in seen.events if e[0] == "result"] == [("result", "Brief")] * N
    assert briefs(tmp_path / "out") == reference
    second = run_folder(settings)
    assert second.counts == {"new": 0, "skipped": N, "failed": 0}
    assert report(tmp_path / "out")["model_calls"] == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # the library never prints


def test_rerun_skips_unchanged_articles_without_model_calls(inputs, tiny_models, reference, tmp_path):
    out = tmp_path / "out"
    assert cli(*run_args(inputs, out, tiny_models)).returncode == 0
    assert report(out)["counts"] == {"items": N, "new": N, "skipped": 0, "failed": 0}
    proc = cli(*run_args(inputs, out, tiny_models))
    assert proc.returncode == 0, proc.stderr
    rep = report(out)
    assert rep["counts"] == {"items": N, "new": 0, "skipped": N, "failed": 0}
    assert rep["model_calls"] == 0 and rep["models"] == {}
    assert all("already done" in a["error"] for a in rep["articles"])
    assert briefs(out) == reference


def test_changed_article_and_changed_config_are_reprocessed(inputs, tiny_models, tmp_path):
    import shutil

    src = tmp_path / "in"
    shutil.copytree(inputs, src)
    out = tmp_path / "out"
    assert cli(*run_args(src, out, tiny_models)).returncode == 0
    write(src / "a003.txt", (src / "a003.txt").read_text(encoding="utf-8") + "\nوأضاف أن العمل سيبدأ غدا.")
    assert cli(*run_args(src, out, tiny_models)).returncode == 0
    assert report(out)["counts"]["new"] == 1 and report(out)["counts"]["skipped"] == N - 1
    assert len(briefs(out)) == N + 1  # the earlier text keeps its own brief
    models = tmp_path / "models.yaml"
    text = tiny_models.read_text(encoding="utf-8").replace("output_ratio: 1.0", "output_ratio: 0.9")
    models.write_text(text.replace("path: ", f"path: {tiny_models.parent}/"), encoding="utf-8")
    proc = cli(*run_args(src, out, models))
    assert proc.returncode == 0, proc.stderr
    assert report(out)["counts"]["new"] == N
    assert len(briefs(out)) == N + 1  # reprocessed briefs replace their lines: no duplicates
    proc = cli(*run_args(src, out, models, "--force"))
    assert report(out)["counts"]["new"] == N and len(briefs(out)) == N + 1


@pytest.mark.parametrize("point", ["translate:2", "summarize:2", "write:5", "mark:7"])
def test_kill_9_then_resume_equals_an_uninterrupted_run(inputs, tiny_models, reference, tmp_path, point):
    out = tmp_path / "out"
    args = run_args(inputs, out, tiny_models)
    first = cli(*args, "--window", "4", env={"SUMMARIZER_CRASH_AT": point})
    assert first.returncode == -signal.SIGKILL, first.stderr
    status = cli("status", str(out), "--json")
    assert status.returncode == 3  # the last run did not finish (docs/operations.md)
    before = json.loads(status.stdout)
    assert before["verdict"] == "did_not_finish" and before["last_attempt"]["outcome"] == "unfinished"
    second = cli(*args)
    assert second.returncode == 0, second.stderr
    rep = report(out)
    assert rep["counts"]["new"] + rep["counts"]["skipped"] == N
    assert rep["counts"]["skipped"] == before["done"]  # exactly the missing articles were done
    assert briefs(out) == reference


def test_a_second_concurrent_run_exits_75_naming_the_holder(inputs, tiny_models, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom summarizer.store.outdir import OutputDir\n"
                               f"d = OutputDir({str(out)!r})\nd.lock()\nprint('locked', flush=True)\ntime.sleep(60)"],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "locked"
        proc = cli(*run_args(inputs, out, tiny_models))
        assert proc.returncode == 75
        assert f"pid {holder.pid}" in proc.stderr and "--wait" in proc.stderr
    finally:
        holder.kill()
        holder.wait()
    # the holder died without unlocking: its stale lock is taken over
    proc = cli(*run_args(inputs, out, tiny_models))
    assert proc.returncode == 0, proc.stderr


def test_wait_for_the_lock(inputs, tiny_models, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import time\nfrom summarizer.store.outdir import OutputDir\n"
                               f"d = OutputDir({str(out)!r}); d.lock(); print('locked', flush=True)\n"
                               "time.sleep(3); d.unlock()"], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "locked"
    started = time.perf_counter()
    proc = cli(*run_args(inputs, out, tiny_models, "--wait"))
    holder.wait()
    assert proc.returncode == 0, proc.stderr
    assert time.perf_counter() - started > 2


def test_sigterm_stops_cleanly_and_the_rest_runs_later(tiny_models, tmp_path, reference):
    src = make_inputs(tmp_path / "in")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", *run_args(src, out, tiny_models),
                             "--window", "2", "--log-every", "1", "--log-format", "json"],
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if '"event": "progress"' in line:
            proc.send_signal(signal.SIGTERM)
            break
    rest = proc.stderr.read()
    assert proc.wait(timeout=120) == 143, rest
    summary = json.loads(rest.strip().splitlines()[-1] if rest.strip() else lines[-1])
    assert summary["event"] == "summary" and summary["interrupted"] == "SIGTERM"
    done = report(out)["counts"]["new"]
    assert 1 <= done < N and report(out)["exit_code"] == 143  # the report states the process's exit code
    assert len(briefs(out)) == done
    again = cli(*run_args(src, out, tiny_models))
    assert again.returncode == 0 and report(out)["counts"]["new"] == N - done
    assert briefs(out) == reference


def test_status_and_retry(tiny_models, tmp_path):
    src = make_inputs(tmp_path / "in", 3)
    write(src / "bad.jsonl", '{"maintext": "' + ARTICLE_AR.replace("\n", " ") + '"}\n{broken\n')
    out = tmp_path / "out"
    proc = cli(*run_args(src, out, tiny_models))
    assert proc.returncode == 1
    status = cli("status", str(out))
    assert "4 done, 1 failed" in status.stdout and "bad.jsonl:2" in status.stdout and "not valid JSON" in status.stdout
    write(src / "bad.jsonl", '{"maintext": "' + ARTICLE_AR.replace("\n", " ") + '"}\n'
          '{"maintext": "' + ARTICLE_AR.replace("\n", " ") + ' وانتهى."}\n')
    retry = cli("retry", str(out))
    assert retry.returncode == 0, retry.stderr
    rep = report(out)
    assert rep["counts"] == {"items": 1, "new": 1, "skipped": 0, "failed": 0}
    assert rep["articles"][0]["ref"].endswith("bad.jsonl:2")
    assert "nothing to retry" in cli("retry", str(out)).stderr


def test_ids_from_inputs_never_become_paths(tiny_models, tmp_path):
    src = write(tmp_path / "in" / "evil.json", json.dumps({"id": "../../etc/passwd", "maintext": ARTICLE_AR,
                                                           "title": "../../x"}))
    out = tmp_path / "out"
    assert cli(*run_args(src.parent, out, tiny_models)).returncode == 0
    [brief] = briefs(out).values()
    assert brief["meta"]["id"] == "../../etc/passwd"
    written = {p.name for p in out.iterdir() if not p.name.startswith(("state.sqlite", "."))}
    assert written == {f"{brief['id']}.json", f"{brief['id']}.md", f"{brief['id']}.html", "briefs.jsonl",
                       "run-report.json", "run-history.jsonl"}
    with pytest.raises(ValueError):
        OutputDir(out).brief_paths("../../etc/passwd")


def test_force_replaces_every_brief_and_its_line_never_duplicating_it(tiny_models, tmp_path, reference):
    """--force under the same pipeline: each article is redone and its briefs.jsonl line replaced
    (it used to be marked pending over its done row, so its line was appended a second time)."""
    src = make_inputs(tmp_path / "in")
    out = tmp_path / "out"
    assert cli(*run_args(src, out, tiny_models)).returncode == 0
    again = cli(*run_args(src, out, tiny_models, "--force"))
    assert again.returncode == 0 and report(out)["counts"]["new"] == N
    assert len((out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()) == N
    assert briefs(out) == reference
