"""kill -9 at many random moments (timers and crash points in renames and commits): every resumed
run ends with exactly the outputs of an uninterrupted run. Slow: about two minutes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, cli
from tests.runs.test_run import N, briefs, make_inputs

SEED = int(os.environ.get("KILL_SEED", "20261129"))
POINTS = {"rename": 20, "renamed": 20, "commit": 12, "committed": 12, "write": 6, "mark": 6, "translate": 3}


@pytest.fixture(scope="module")
def setup(tmp_path_factory, tiny_models):
    inputs = make_inputs(tmp_path_factory.mktemp("kill-inputs"))
    out = tmp_path_factory.mktemp("kill-reference")
    proc = cli("run", str(inputs), "--out", str(out), "--models", str(tiny_models), "--window", "4")
    assert proc.returncode == 0, proc.stderr
    return inputs, briefs(out)


def _args(inputs: Path, out: Path, models: Path) -> list[str]:
    return [sys.executable, "-m", "summarizer", "run", str(inputs), "--out", str(out), "--models", str(models),
            "--window", "4", "--quiet"]


def _attempt(rng: random.Random, inputs: Path, out: Path, models: Path) -> str | None:
    """One run killed at a random moment; returns how it was killed (None: it finished first)."""
    if rng.random() < 0.4:
        delay = rng.uniform(0.5, 6.0)
        proc = subprocess.Popen(_args(inputs, out, models), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
            return None
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return f"timer {delay:.2f}s"
    point = rng.choice(sorted(POINTS))
    spec = f"{point}:{rng.randint(1, POINTS[point])}"
    proc = subprocess.run(_args(inputs, out, models), cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SUMMARIZER_CRASH_AT": spec})
    if proc.returncode == 0:
        return None
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    return spec


def _no_partial_files(out: Path) -> None:
    """What a kill leaves is whole: every brief file parses; only briefs.jsonl's last line may be torn."""
    for path in out.glob("*.json"):
        if path.name != "run-report.json":
            json.loads(path.read_text(encoding="utf-8"))
    lines = (out / "briefs.jsonl").read_text(encoding="utf-8").split("\n") if (out / "briefs.jsonl").exists() else []
    for line in lines[:-1]:
        json.loads(line)


@pytest.mark.slow
def test_kill_9_at_random_moments_then_resume_equals_an_uninterrupted_run(setup, tiny_models, tmp_path):
    inputs, reference = setup
    rng = random.Random(SEED)
    kills: list[str] = []
    chain = 0
    while len(kills) < 24:
        out = tmp_path / f"chain{chain}"
        for _ in range(3):  # up to three kills in a row, each run resuming what the last one left
            how = _attempt(rng, inputs, out, tiny_models)
            if how is not None:
                kills.append(how)
                _no_partial_files(out)
        proc = cli("run", str(inputs), "--out", str(out), "--models", str(tiny_models), "--window", "4")
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert briefs(out) == reference, f"seed {SEED}, chain {chain}, kills {kills[-3:]}"
        report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
        assert report["counts"]["new"] + report["counts"]["skipped"] == N
        chain += 1
    assert any(k.startswith("rename") for k in kills) and any(k.startswith("commit") for k in kills)
    print(f"seed {SEED}: {len(kills)} kills in {chain} chains: {kills}")
