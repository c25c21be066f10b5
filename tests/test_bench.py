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
