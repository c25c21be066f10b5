"""The benchmark's --quick mode runs end to end (a smoke test; speed is reported, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import ROOT


def test_quick_benchmark_runs(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--articles", "2",
                           "--cache", str(tmp_path / "cache"), "--out", str(out)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(out.read_text())
    assert set(report["ratios"]) >= {"translation_B_over_A", "summary_B_over_A", "end_to_end_B_over_A",
                                     "translation_B_over_C"}
    assert all(v > 0 for v in report["ratios"].values())
    assert report["results"]["B"]["engines"]["bench-marian"]["engine"] == "ctranslate2"
    assert "translation B/A" in proc.stdout


def test_glossary_measurement_reports_placed_and_inserted_apart(tiny_models):
    import importlib.util

    spec = importlib.util.spec_from_file_location("glossary_protection", ROOT / "benchmarks" / "glossary_protection.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.measure(tiny_models, "tiny-marian-ar-en")
    parts = ("already rendered", "placed by alignment", "inserted (no aligned token)", "unplaced")
    assert result["terms"] == 7 and sum(result[p] for p in parts) == result["terms"]
    assert result["sentences with every term exactly once"] == "6/6"  # never lost, never duplicated
