"""What a window costs on Ray: 64 articles in one window against the same 64 in eight, tiny models.

    python benchmarks/ray_windows.py [--rounds 2]

A local Ray cluster is started once (`ray start --head`, as a user would) and each run joins it
(`--ray-address`), so the cluster's own start-up is not in the figures; each run is the CLI as a user
runs it, in its own process, into a fresh output folder, timed whole (best of the rounds). Also
timed: the same articles with the local executor, and a one-article run on Ray (the fixed cost of
reaching the cluster and starting the actors). Writes benchmarks/results/ray-windows.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

BODY = ("افتتحت البلدية صباح اليوم حديقة عامة جديدة في الحي رقم {k} بمساحة {m} ألف متر مربع.\n"
        "وقال رئيس البلدية إن الحديقة تضم ملاعب للأطفال ومسارا للدراجات، وإنها ستفتح أبوابها يوميا.\n"
        "وأضاف أن المشروع كلف {c} مليون دينار، وأن العمل بدأ قبل عامين؛ لكنه تأخر بسبب الأمطار.\n"
        "هل ستكفي الحديقة سكان الحي؟ يقول السكان إنهم ينتظرون مشاريع أخرى في المنطقة رقم {k}.\n")


def inputs(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        (folder / f"a{k:03d}.txt").write_text(f"خبر رقم {k}\n\n" + BODY.format(k=k, m=k + 3, c=k * 2 + 1),
                                              encoding="utf-8")
    return folder


def timed(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "summarizer", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode}): {proc.stderr[-1500:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "ray-windows.json")
    args = parser.parse_args()
    from summarizer.models.tiny import build_tiny_models

    work = Path(tempfile.mkdtemp(prefix="rw", dir="/tmp"))
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "TMPDIR": str(work), "HF_HUB_OFFLINE": "1",
           "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}  # the cluster and its drivers stay on 127.0.0.1 (raystart)
    models = build_tiny_models(work / "tiny")
    src, one = inputs(work / "in", 64), inputs(work / "one", 1)
    ray = shutil.which("ray", path=str(Path(sys.executable).parent)) or "ray"
    subprocess.run([ray, "start", "--head", "--node-ip-address", "127.0.0.1", "--num-cpus", str(os.cpu_count() or 2),
                    "--include-dashboard=false",
                    f"--temp-dir={work / 'ray'}", "--disable-usage-stats"], env=env, check=True, capture_output=True)
    try:
        address = "auto"  # the cluster `ray start` just started (its address file is under TMPDIR)
        times: dict[str, list[float]] = {"local": [], "ray_1_article": [], "ray_1_window": [], "ray_8_windows": []}
        for r in range(args.rounds):
            for name, folder, extra in (("local", src, ["--window", "64"]),
                                        ("ray_1_article", one, ["--executor", "ray", "--ray-address", address]),
                                        ("ray_1_window", src, ["--executor", "ray", "--ray-address", address,
                                                               "--window", "64"]),
                                        ("ray_8_windows", src, ["--executor", "ray", "--ray-address", address,
                                                                "--window", "8"])):
                out = work / f"out-{name}-{r}"
                times[name].append(timed(["run", str(folder), "--out", str(out), "--models", str(models), "--quiet",
                                          *extra], env))
                print(f"round {r + 1} {name}: {times[name][-1]:.1f}s", flush=True)
    finally:
        subprocess.run([ray, "stop", "--force"], env=env, capture_output=True)
    best = {k: round(min(v), 2) for k, v in times.items()}
    result = {"cpu_count": os.cpu_count(), "articles": 64, "best_s": best, "all_s": times,
              "eight_windows_over_one": round(best["ray_8_windows"] / best["ray_1_window"], 3),
              "per_extra_window_s": round((best["ray_8_windows"] - best["ray_1_window"]) / 7, 3)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "all_s"}, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
