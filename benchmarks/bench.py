"""Speed benchmark: the tool as a user runs it, against hand-written contenders, equal work checked.

    python benchmarks/bench.py              # real shapes, both profiles (about an hour on 2 cores)
    python benchmarks/bench.py --quick      # small shapes, a smoke run (CI)

For each profile (`fast`: an opus-mt-ar-en-shaped translator; `default`: opus-mt-tc-big-ar-en-shaped;
both with a distilbart-cnn-12-6-shaped summariser; random weights, built once, see bench_models.py),
the same real Arabic articles go through, each contender in its own process, timed whole:
  A           transformers fp32, written as a competent engineer writes it (contenders.py)
  B           `summarizer run ... --no-retry`, the CLI as a user runs it
  B shipped   `summarizer run ...` with the shipped defaults (random weights loop on every sentence, so
              the retry of looping translations translates every sentence twice: more work, reported)
  C, C4       raw CTranslate2 int8, independent of the tool, summaries one or four per call
Every output is forced to the workload's length (bench_models.py) and every contender counts the tokens
it generated; the benchmark fails when A, B, C and C4 differ by more than 2% in either stage. Peak RSS
is each process's own (GNU time). The last full run's JSON is committed in benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import bench_models  # noqa: E402

PROFILES = {"fast": "base", "default": "big"}
EQUAL = 0.02


def timed(cmd: list[str], env: dict) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run a command under GNU time: (process, wall seconds, peak RSS in MB)."""
    proc = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", *cmd], capture_output=True, text=True, env=env,
                          cwd=ROOT)
    line = [x for x in proc.stderr.splitlines() if x.startswith("TIME ")][-1].split()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return proc, float(line[1]), int(line[2]) / 1024


def run_contender(which: str, work: Path, env: dict) -> dict:
    proc, wall, rss = timed([sys.executable, str(HERE / "contenders.py"), which, str(work)], env)
    result = json.loads([x for x in proc.stdout.splitlines() if x.startswith("RESULT ")][-1][7:])
    return {**result, "wall_s": wall, "peak_rss_mb": rss}


def run_tool(work: Path, models: Path, env: dict, shipped: bool) -> dict:
    out = work / f"out-{'shipped' if shipped else 'noretry'}-{time.time_ns()}"
    cmd = [sys.executable, "-m", "summarizer", "run", str(work / "articles.jsonl"), "--out", str(out),
           "--models", str(models), "--quiet"] + ([] if shipped else ["--no-retry"])
    _, wall, rss = timed(cmd, env)
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    mt, summ = report["models"]["bench-translator"], report["models"]["bench-summarizer"]
    assert report["counts"]["failed"] == 0, report["counts"]
    return {"wall_s": wall, "peak_rss_mb": rss, "translate_s": report["timings_ms"]["translate"] / 1000,
            "summary_s": report["timings_ms"]["summarize"] / 1000,
            "translation_tokens_generated": mt["target_tokens"], "summary_tokens_generated": summ["target_tokens"],
            "summary_sequences": summ["sequences"], "translation_sequences": mt["sequences"],
            "source_tokens": mt["source_tokens"], "articles": report["counts"]["new"],
            "engine": f"{mt['engine']} {mt['compute_type']}"}


def equal_work(results: dict) -> dict:
    """Tokens generated per stage by A, B, C and C4, and whether they agree within 2%."""
    check = {}
    for stage in ("translation_tokens_generated", "summary_tokens_generated"):
        counts = {k: results[k][stage] for k in ("A", "B", "C", "C4")}
        spread = (max(counts.values()) - min(counts.values())) / max(1, min(counts.values()))
        check[stage] = {"counts": counts, "spread": round(spread, 4), "equal": spread <= EQUAL}
    return check


def profile_run(name: str, args, env: dict, docs: list[list[str]]) -> dict:
    models = bench_models.build(args.cache, PROFILES[name], args.quick, args.real if args.real.is_dir() else None)
    work = args.cache / f"work-{'quick' if args.quick else name}"
    bench_models.write_inputs(work, docs)
    registry = json.loads(json.dumps(__import__("yaml").safe_load(models.read_text())))["models"]
    (work / "paths.json").write_text(json.dumps({"translator": registry["bench-translator"]["path"],
                                                 "summarizer": registry["bench-summarizer"]["path"]}))
    subprocess.run([sys.executable, str(HERE / "contenders.py"), "prepare", str(work)], check=True, env=env)
    subprocess.run([sys.executable, "-m", "summarizer", "models", "convert", "--profile", "default", "--models",
                    str(models)], check=True, env=env, cwd=ROOT, capture_output=True)
    rounds: dict[str, list[dict]] = {k: [] for k in ("A", "B", "B shipped", "C", "C4")}
    for r in range(args.rounds):  # interleaved rounds; the best of each is kept
        for which in ("C4", "B", "A", "C", "B shipped"):
            print(f"[{name}] round {r + 1}: {which} ...", flush=True)
            rounds[which].append(run_tool(work, models, env, shipped=which == "B shipped") if which.startswith("B")
                                 else run_contender(which, work, env))
    results = {k: min(v, key=lambda x: x["wall_s"]) for k, v in rounds.items()}
    return {"results": results, "equal_work": equal_work(results), "ratios": ratios(results),
            "all_rounds": {k: [round(x["wall_s"], 2) for x in v] for k, v in rounds.items()}}


def ratios(r: dict) -> dict:
    best_c = min(r["C"]["wall_s"], r["C4"]["wall_s"])
    return {"end_to_end_B_over_A": r["A"]["wall_s"] / r["B"]["wall_s"],
            "end_to_end_B_shipped_over_A": r["A"]["wall_s"] / r["B shipped"]["wall_s"],
            "translation_B_over_A": r["A"]["translate_s"] / r["B"]["translate_s"],
            "summary_B_over_A": r["A"]["summary_s"] / r["B"]["summary_s"],
            "end_to_end_B_over_best_C": best_c / r["B"]["wall_s"]}


def start_up(models: Path, work: Path, env: dict) -> dict:
    """`summarizer --help`, and the first brief of a one-article run (conversions cached, a fresh out folder).

    Each run must translate and summarise the article from scratch (no translation memory, no skip).
    """
    helps = [timed([sys.executable, "-m", "summarizer", "--help"], env)[1] for _ in range(3)]
    one = work / "one.jsonl"
    one.write_text((work / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    runs = []
    for _ in range(2):
        out = work / f"one-{time.time_ns()}"
        _, wall, rss = timed([sys.executable, "-m", "summarizer", "run", str(one), "--out", str(out),
                              "--models", str(models), "--quiet", "--no-retry"], env)
        report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
        assert report["counts"]["new"] == 1 and report["translation_memory"]["hits"] == 0, report["counts"]
        runs.append((wall, rss, {k: v["seconds"] for k, v in report["models"].items()}))
        shutil.rmtree(out)
    best = min(runs, key=lambda r: r[0])
    return {"help_s": min(helps), "first_brief_s": best[0], "first_brief_peak_rss_mb": best[1],
            "first_brief_engine_s": best[2]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small shapes and few articles (a smoke run)")
    parser.add_argument("--profiles", default="fast,default", help="comma-separated: fast, default")
    parser.add_argument("--articles", type=int, default=13, help="articles (default 13; quick runs use 2 or 3)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "real")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--start-up-only", action="store_true",
                        help="measure only --help and the first brief, into the existing results JSON")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SUMMARIZER_CACHE": str(args.cache / "ct2cache"), "TOKENIZERS_PARALLELISM": "false",
           "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    real = args.real if args.real.is_dir() and not args.quick else None  # quick: short synthetic articles
    docs = bench_models.articles(real, args.quick, args.articles)
    out = args.out or HERE / "results" / f"bench-{'quick' if args.quick else 'full'}.json"
    report = {"quick": args.quick, "articles": len(docs), "sentences": sum(len(d) for d in docs),
              "cpu_count": os.cpu_count(), "profiles": {}}
    if args.start_up_only:
        report = json.loads(out.read_text(encoding="utf-8"))
    for name in args.profiles.split(","):
        if not args.start_up_only:
            report["profiles"][name] = profile_run(name, args, env, docs)
        models = args.cache / f"models-{'quick' if args.quick else PROFILES[name]}.yaml"
        report["profiles"][name]["start_up"] = start_up(models, args.cache / f"work-{'quick' if args.quick else name}",
                                                        env)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"written: {out}")
    if not all(c["equal"] for p in report["profiles"].values() for c in p["equal_work"].values()):
        raise SystemExit("the contenders did not do the same work (tokens generated differ by more than 2%)")


def table(report: dict) -> str:
    """The README's table, from a results JSON."""
    lines = []
    for name, p in report["profiles"].items():
        r = p["results"]
        cols = ("A", "B", "B shipped", "C", "C4")
        lines += [f"\n{name} profile ({report['articles']} articles, {report['sentences']} sentences)",
                  "| | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
        for label, key, fmt in (("whole process, wall (s)", "wall_s", "{:.0f}"),
                                ("translation stage, with model load (s)", "translate_s", "{:.0f}"),
                                ("summary stage, with model load (s)", "summary_s", "{:.0f}"),
                                ("peak RSS (MB)", "peak_rss_mb", "{:.0f}"),
                                ("translation tokens generated", "translation_tokens_generated", "{:,}"),
                                ("summary tokens generated", "summary_tokens_generated", "{:,}")):
            lines.append(f"| {label} | " + " | ".join(fmt.format(r[c][key]) for c in cols) + " |")
        q = p["ratios"]
        lines.append(f"end to end B/A {q['end_to_end_B_over_A']:.2f} (shipped {q['end_to_end_B_shipped_over_A']:.2f}), "
                     f"translation B/A {q['translation_B_over_A']:.2f}, summary B/A {q['summary_B_over_A']:.2f}, "
                     f"B against the faster C {q['end_to_end_B_over_best_C']:.2f}; start-up: --help "
                     f"{p['start_up']['help_s']:.2f} s, first brief {p['start_up']['first_brief_s']:.1f} s "
                     f"({p['start_up']['first_brief_peak_rss_mb']:.0f} MB)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
