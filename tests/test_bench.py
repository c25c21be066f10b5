"""The benchmark runs end to end in --quick mode (a smoke test: speed is reported, never asserted here),
checks that its contenders did the same work, and the glossary measurement reports its parts."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import ROOT


def test_quick_benchmark_runs_and_checks_equal_work(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--articles", "2",
                           "--profiles", "fast", "--cache", str(tmp_path / "cache"), "--out", str(out)],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    fast = json.loads(out.read_text())["profiles"]["fast"]
    assert set(fast["results"]) == {"A", "B", "B shipped", "C", "C4"}
    assert all(check["equal"] for check in fast["equal_work"].values()), fast["equal_work"]
    assert fast["results"]["B"]["engine"].startswith("ctranslate2")
    # the shipped retry redoes looping translations: random weights loop on every sentence
    assert fast["results"]["B shipped"]["translation_tokens_generated"] == \
        2 * fast["results"]["B"]["translation_tokens_generated"]
    assert all(v > 0 for v in fast["ratios"].values()) and "| whole process, wall (s) |" in proc.stdout


def test_glossary_measurement_reports_placed_and_inserted_apart(tiny_models):
    import importlib.util

    spec = importlib.util.spec_from_file_location("glossary_protection", ROOT / "benchmarks" / "glossary_protection.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.measure(tiny_models, "tiny-marian-ar-en")
    parts = ("already rendered", "placed by alignment", "inserted (no aligned token)", "unplaced")
    assert result["terms"] == 7 and sum(result[p] for p in parts) == result["terms"]
    assert result["sentences with every term exactly once"] == "6/6"  # never lost, never duplicated
