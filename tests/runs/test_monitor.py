"""A run a monitor can trust (issue 30): status's exit codes and JSON after each way a cron run can end,
attempts that never hide results, failures that resolve or are given up, JSON logs, metrics."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.helpers import IN_CI, ROOT, cli, write
from tests.runs.test_run import make_inputs, run_args

KEYS = {"ts", "level", "run", "event"}


def records(stderr: str) -> list[dict]:
    """Every stderr line of a --log-format json command: one JSON object with the fixed keys."""
    lines = stderr.splitlines()
    assert lines, "no log line at all"
    parsed = [json.loads(line) for line in lines]  # every line, or this raises
    for record in parsed:
        assert KEYS <= set(record), record
        assert record["ts"].endswith("Z") and record["ts"][10] == "T", record
    return parsed


def status(out: Path) -> tuple[int, dict]:
    proc = cli("status", str(out), "--json")
    return proc.returncode, json.loads(proc.stdout)


def metrics(path: Path) -> dict[str, float]:
    """The metrics file, parsed by prometheus_client's own text parser: {name{labels but folder}: value}."""
    if IN_CI:
        from prometheus_client.parser import text_string_to_metric_families
    else:
        text_string_to_metric_families = pytest.importorskip("prometheus_client.parser").text_string_to_metric_families
    found = {}
    for family in text_string_to_metric_families(path.read_text(encoding="utf-8")):
        assert family.type == "gauge"
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()) if k != "folder")
            found[sample.name + (f"{{{labels}}}" if labels else "")] = sample.value
    return found


def test_a_broken_input_is_retried_then_given_up_and_attempts_never_hide_results(tiny_models, tmp_path):
    src = make_inputs(tmp_path / "in", 3)
    write(src / "bad.json", "{broken")
    out, prom = tmp_path / "out", tmp_path / "textfile" / "summarizer.prom"
    prom.parent.mkdir()
    json_run = (*run_args(src, out, tiny_models), "--log-format", "json", "--metrics", str(prom))

    first = cli(*json_run)
    assert first.returncode == 1
    assert [r["event"] for r in records(first.stderr) if r["event"] == "failed"] == ["failed"]
    assert {r["run"] for r in records(first.stderr) if r["event"] != "log"} == {1}
    code, data = status(out)
    assert code == 1 and data["verdict"] == "failures" and data["exit_code"] == 1
    assert [(f["ref"], f["attempts"]) for f in data["failed"]] == [(str(src / "bad.json"), 1)]
    m = metrics(prom)
    assert m["summarizer_articles_done"] == 3 and m["summarizer_failures_unresolved"] == 1
    assert m["summarizer_last_run_exit_code"] == 1 and m["summarizer_status_exit_code"] == 1
    assert "summarizer_last_run_stage_seconds{stage=translate}" in m and not list(prom.parent.glob(".*"))
    started = datetime.fromisoformat(data["last_attempt"]["started_at"]).timestamp()
    assert m["summarizer_last_run_timestamp_seconds"] == started  # every digit of the time
    report_before = (out / "run-report.json").read_bytes()
    inode = prom.stat().st_ino

    broken = cli("run", str(src), "--out", str(out), "--models", str(tmp_path / "none.yaml"), "--log-format",
                 "json", "--metrics", str(prom))
    assert broken.returncode == 2
    (fatal,) = records(broken.stderr)
    assert fatal["event"] == "fatal" and fatal["level"] == "error" and fatal["run"] == 2 and fatal["exit_code"] == 2
    assert (out / "run-report.json").read_bytes() == report_before  # the attempt hides nothing
    code, data = status(out)
    assert code == 4 and data["verdict"] == "not_started"
    assert data["last_attempt"]["run_id"] == 2 and "none.yaml" in data["last_attempt"]["error"]
    assert data["last_completed_run"]["run_id"] == 1 and data["last_completed_run"]["counts"]["failed"] == 1
    assert len(data["failed"]) == 1 and metrics(prom)["summarizer_status_exit_code"] == 4
    assert prom.stat().st_ino != inode  # replaced by a rename, never rewritten in place (a collector reads whole files)
    history = [json.loads(line) for line in (out / "run-history.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(h["run_id"], h["outcome"], h["exit_code"]) for h in history] == [(1, "finished", 1), (2, "not_started", 2)]

    retried = cli("retry", str(out), "--log-format", "json")  # never "nothing to retry" while bad.json fails
    assert retried.returncode == 1 and "nothing to retry" not in retried.stderr
    summary = records(retried.stderr)[-1]
    assert summary["event"] == "summary" and summary["items"] == 1 and summary["failed"] == 1
    assert status(out)[1]["failed"][0]["attempts"] == 2

    third = cli(*json_run)
    assert third.returncode == 1
    assert records(third.stderr)[-1]["given_up"] == [str(src / "bad.json")]
    code, data = status(out)
    assert code == 0 and data["verdict"] == "ok" and data["failed"] == []
    assert [(g["ref"], g["attempts"]) for g in data["given_up"]] == [(str(src / "bad.json"), 3)]

    fourth = cli(*json_run)
    assert fourth.returncode == 0
    assert [r["event"] for r in records(fourth.stderr) if r["event"] in ("given_up", "failed")] == ["given_up"]
    m = metrics(prom)
    assert m["summarizer_inputs_given_up"] == 1 and m["summarizer_last_run_exit_code"] == 0
    assert m["summarizer_last_success_timestamp_seconds"] >= m["summarizer_last_run_timestamp_seconds"]
    assert "nothing to retry" not in cli("retry", str(out)).stderr  # it says what was given up instead
    assert cli("retry", str(out), "--given-up").returncode == 1  # asked for: tried, still broken

    write(src / "bad.json", "{broken, and changed")  # a changed input is a new input: tried, counted from one
    assert cli(*run_args(src, out, tiny_models)).returncode == 1
    code, data = status(out)
    assert code == 1 and [(f["ref"], f["attempts"]) for f in data["failed"]] == [(str(src / "bad.json"), 1)]
    assert data["given_up"] == []
    write(src / "bad.json", json.dumps({"maintext": (src / "a000.txt").read_text(encoding="utf-8") + " جديد"}))
    fixed = cli(*run_args(src, out, tiny_models))  # mended: it succeeds, and is a failure no more
    assert fixed.returncode == 0, fixed.stderr
    code, data = status(out)
    assert code == 0 and data["failed"] == [] and data["given_up"] == [] and data["done"] == 4


def test_a_failed_before_start_attempt_keeps_the_failures_retryable(tiny_models, tmp_path):
    src = make_inputs(tmp_path / "in", 2)
    write(src / "bad.json", "{broken")
    out = tmp_path / "out"
    assert cli(*run_args(src, out, tiny_models)).returncode == 1
    assert cli("run", str(src), "--out", str(out), "--models", "/nonexistent.yaml").returncode == 2
    proc = cli("retry", str(out))  # the retry reuses the settings of the last run that started
    assert proc.returncode == 1 and "nothing to retry" not in proc.stderr
    assert json.loads((out / "run-report.json").read_text(encoding="utf-8"))["inputs"] == [str(src / "bad.json")]


def _interrupted(tiny_models: Path, src: Path, out: Path, how: signal.Signals) -> subprocess.CompletedProcess:
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", *run_args(src, out, tiny_models), "--window", "2",
                             "--log-every", "1", "--log-format", "json"], stderr=subprocess.PIPE, text=True, cwd=ROOT)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if '"event": "progress"' in line:
            proc.send_signal(how)
            break
    lines += proc.stderr.read().splitlines(keepends=True)
    return subprocess.CompletedProcess(proc.args, proc.wait(timeout=120), "", "".join(lines))


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_an_interrupted_or_killed_run_did_not_finish_and_says_what_was_not_reached(tiny_models, tmp_path, how):
    src = make_inputs(tmp_path / "in", 12)
    out = tmp_path / "out"
    proc = _interrupted(tiny_models, src, out, how)
    assert proc.returncode == (130 if how == signal.SIGINT else -signal.SIGKILL)
    parsed = records(proc.stderr) if how == signal.SIGINT else [json.loads(x) for x in proc.stderr.splitlines()]
    assert all(r["run"] == 1 for r in parsed)
    code, data = status(out)
    last = data["last_attempt"]
    assert code == 3 and data["verdict"] == "did_not_finish" and last["total"] == 12
    assert last["outcome"] == ("interrupted" if how == signal.SIGINT else "unfinished")
    assert 1 <= last["not_reached"] <= 12 - data["done"] + len(data["pending"]) and "not reached" in data["message"]
    if how == signal.SIGINT:  # exact: the run counted what it reached
        assert last["not_reached"] == 12 - last["items"] and last["items"] >= data["done"]
    assert cli(*run_args(src, out, tiny_models)).returncode == 0
    code, data = status(out)
    assert code == 0 and data["done"] == 12 and data["last_attempt"]["not_reached"] == 0


def test_a_locked_folder_is_an_attempt_of_its_own(tiny_models, tmp_path):
    src = make_inputs(tmp_path / "in", 1)
    out = tmp_path / "out"
    assert cli(*run_args(src, out, tiny_models)).returncode == 0
    report = (out / "run-report.json").read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom summarizer.store.outdir import OutputDir\n"
                               f"held = OutputDir({str(out)!r})\nheld.lock()\nprint('locked', flush=True)\ntime.sleep(60)"],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "locked"
        proc = cli(*run_args(src, out, tiny_models), "--log-format", "json")
        assert proc.returncode == 75
        (fatal,) = records(proc.stderr)
        assert fatal["event"] == "fatal" and fatal["run"] == 2 and "in use by another run" in fatal["message"]
        code, data = status(out)
        assert code == 0 and data["verdict"] == "running" and data["running_pid"] == holder.pid
    finally:
        holder.kill()
        holder.wait()
    code, data = status(out)
    assert code == 4 and data["last_attempt"]["exit_code"] == 75 and data["last_completed_run"]["run_id"] == 1
    assert (out / "run-report.json").read_bytes() == report


def test_status_usage_errors_exit_2_and_text_logs_carry_timestamps(tiny_models, tmp_path):
    assert cli("status", str(tmp_path / "nothing-here")).returncode == 2
    bad = cli("run", "x", "--out", str(tmp_path / "o"), "--log-format", "json", "--device", "tpu")
    assert bad.returncode == 2 and records(bad.stderr)[0]["event"] == "usage_error"
    unknown = cli("run", "x", "--out", str(tmp_path / "o"), "--log-format", "json", "--no-such-option")
    assert unknown.returncode == 2 and records(unknown.stderr)[0]["event"] == "usage_error"
    src = make_inputs(tmp_path / "in", 1)
    write(src / "bad.json", "{broken")
    text = cli(*run_args(src, tmp_path / "out", tiny_models))  # stderr is a pipe: each line starts with its time
    lines = text.stderr.splitlines()
    assert text.returncode == 1 and lines and all(line[:4].isdigit() and "Z " in line[:30] for line in lines)
    plain = cli(*run_args(src, tmp_path / "out", tiny_models), "--no-timestamps")
    assert plain.stderr.splitlines()[0].startswith("failed")
