"""Speed benchmark: the tool as a user runs it, against hand-written contenders, equal work checked.

    python benchmarks/bench.py              # real shapes, both profiles (about an hour on 2 cores)
    python benchmarks/bench.py --quick      # small shapes, a smoke run (CI)

For each profile (`fast`: an opus-mt-ar-en-shaped translator; `default`: opus-mt-tc-big-ar-en-shaped;
both with a distilbart-cnn-12-6-shaped summariser; random weights, built once, see bench_models.py),
saved as the hub serves the real ones (legacy pytorch_model.bin, distilbart's vocab.json + merges.txt and
no tokenizer.json, task settings in config.json: models/tiny_hub.py), so that peak RSS, start-up and the
tokenizer path are the ones a user gets, the same real Arabic articles go through, each contender in its own process, timed whole:
  A           transformers fp32, written as a competent engineer writes it (contenders.py)
  B           `summarizer run ... --no-retry`, the CLI as a user runs it
  B shipped   `summarizer run ...` with the shipped defaults (random weights loop on every sentence, so
              the retry of looping translations translates every sentence twice: more work, reported)
  C, C4       raw CTranslate2 int8, independent of the tool, summaries one or four per call
  C2          the careful CTranslate2 script: two batches at once, asynchronous, summaries four per call
Two corpora: `within` (every article fits the summariser's input in one pass: equal work) and `long`
(at least a third of the articles exceed it: the tool summarises those by map-reduce, the scripts
truncate them, so the tool does more work; its generated and encoder tokens are reported beside
the times). Every output is forced to the workload's length (bench_models.py) and every contender
counts the tokens it generated; the benchmark fails when the contenders (B shipped aside) differ by
more than 2% in a stage of equal work. Peak RSS is each process's own (GNU time); each contender's
row "torch imported" says whether torch entered its process (probe.py). The last full
run's JSON is committed in benchmarks/results/.
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
sys.path.insert(0, str(HERE))

import bench_models  # noqa: E402

PROFILES = {"fast": "base", "default": "big"}
CORES = os.cpu_count() or 1
EQUAL = 0.02


def timed(cmd: list[str], env: dict) -> tuple[subprocess.CompletedProcess, float, float, dict]:
    """Run a Python command under GNU time: (process, wall seconds, peak RSS in MB, its CPU time: user +
    system seconds and the cores it kept busy on average, and whether it imported torch / transformers:
    probe.py runs it and looks at its modules when it exits)."""
    imports = Path(tempfile.mkstemp(prefix="bench-imports-", suffix=".json")[1])
    cmd = [cmd[0], str(HERE / "probe.py"), *cmd[1:]] if cmd[0] == sys.executable else cmd
    proc = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M %U %S", *cmd], capture_output=True, text=True,
                          env={**env, "BENCH_IMPORTS": str(imports)}, cwd=ROOT)
    seen = json.loads(imports.read_text(encoding="utf-8") or "{}")
    imports.unlink(missing_ok=True)
    line = [x for x in proc.stderr.splitlines() if x.startswith("TIME ")][-1].split()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    wall, used = float(line[1]), float(line[3]) + float(line[4])
    cpu = {"cpu_s": round(used, 2), "cores_busy": round(used / max(wall, 1e-9), 2),
           "torch_imported": seen.get("torch"), "transformers_imported": seen.get("transformers")}
    return proc, wall, int(line[2]) / 1024, cpu


def run_contender(which: str, work: Path, env: dict) -> dict:
    proc, wall, rss, cpu = timed([sys.executable, str(HERE / "contenders.py"), which, str(work)], env)
    result = json.loads([x for x in proc.stdout.splitlines() if x.startswith("RESULT ")][-1][7:])
    return {**result, "wall_s": wall, "peak_rss_mb": rss, **cpu}


def run_tool(work: Path, models: Path, env: dict, shipped: bool) -> dict:
    out = work / f"out-{'shipped' if shipped else 'noretry'}-{time.time_ns()}"
    cmd = [sys.executable, "-m", "summarizer", "run", str(work / "articles.jsonl"), "--out", str(out),
           "--models", str(models), "--quiet"] + ([] if shipped else ["--no-retry"])
    _, wall, rss, cpu = timed(cmd, env)
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    mt, summ = report["models"]["bench-translator"], report["models"]["bench-summarizer"]
    assert report["counts"]["failed"] == 0, report["counts"]
    return {"wall_s": wall, "peak_rss_mb": rss, **cpu, "translate_s": report["timings_ms"]["translate"] / 1000,
            "summary_s": report["timings_ms"]["summarize"] / 1000,
            "translation_tokens_generated": mt["target_tokens"], "summary_tokens_generated": summ["target_tokens"],
            "summary_sequences": summ["sequences"], "summary_calls": summ["calls"],
            "summary_encoder_tokens": summ["source_tokens"], "translation_sequences": mt["sequences"],
            "source_tokens": mt["source_tokens"], "articles": report["counts"]["new"],
            "summaries_map_reduced": sum("map_reduce" in a["flags"] for a in report["articles"]),
            "engine": f"{mt['engine']} {mt['compute_type']}"}


def equal_work(results: dict, stages: tuple[str, ...]) -> dict:
    """Tokens generated per stage by every contender but `B shipped`, and whether they agree within 2%."""
    check = {}
    for stage in stages:
        counts = {k: r[stage] for k, r in results.items() if k != "B shipped"}
        spread = (max(counts.values()) - min(counts.values())) / max(1, min(counts.values()))
        check[stage] = {"counts": counts, "spread": round(spread, 4), "equal": spread <= EQUAL}
    return check


def prepare(name: str, corpus: str, args, env: dict, docs: list[list[str]]) -> tuple[Path, Path]:
    """The profile's models (built once), its converted folders, and the corpus's input files."""
    models = bench_models.build(args.cache, PROFILES[name], args.quick, args.real if args.real.is_dir() else None)
    work = args.cache / f"work-{'quick' if args.quick else name}-{corpus}"
    bench_models.write_inputs(work, docs)
    registry = json.loads(json.dumps(__import__("yaml").safe_load(models.read_text())))["models"]
    (work / "paths.json").write_text(json.dumps({"translator": registry["bench-translator"]["path"],
                                                 "summarizer": registry["bench-summarizer"]["path"]}))
    subprocess.run([sys.executable, str(HERE / "contenders.py"), "prepare", str(work)], check=True, env=env)
    subprocess.run([sys.executable, "-m", "summarizer", "models", "convert", "--profile", "default", "--models",
                    str(models)], check=True, env=env, cwd=ROOT, capture_output=True)
    return models, work


def profile_run(name: str, corpus: str, contenders: list[str], args, env: dict, docs: list[list[str]]) -> dict:
    models, work = prepare(name, corpus, args, env, docs)
    rounds: dict[str, list[dict]] = {k: [] for k in contenders}
    for r in range(args.rounds):  # interleaved rounds; the best of each is kept
        for which in contenders:
            print(f"[{name}, {corpus}] round {r + 1}: {which} ...", flush=True)
            rounds[which].append(run_tool(work, models, env, shipped=which == "B shipped") if which.startswith("B")
                                 else run_contender(which, work, env))
    results = {k: min(v, key=lambda x: x["wall_s"]) for k, v in rounds.items()}
    for r in results.values():
        r["summary_ms_per_token"] = round(1000 * r["summary_s"] / max(1, r["summary_tokens_generated"]), 2)
    stages = ("translation_tokens_generated",) + (("summary_tokens_generated",) if corpus == "within" else ())
    out = {"results": results, "equal_work": equal_work(results, stages), "ratios": ratios(results),
           "all_rounds": {k: [round(x["wall_s"], 2) for x in v] for k, v in rounds.items()}}
    if corpus == "long":
        long = [r.get("summaries_truncated", r.get("summaries_map_reduced", 0)) for r in results.values()]
        out["articles_over_summariser_input"] = max(long)
        if 3 * max(long) < len(docs):
            raise SystemExit(f"the long corpus has {max(long)} of {len(docs)} articles over the summariser's input")
    return out


def ratios(r: dict) -> dict:
    """Speed-ups of B over each contender present (>1: B is faster), and B's extra summary work over C2's."""
    q = {}
    for other in [k for k in r if k != "B"]:
        q[f"end_to_end_B_over_{other.replace(' ', '_')}"] = r[other]["wall_s"] / r["B"]["wall_s"]
        q[f"translation_B_over_{other.replace(' ', '_')}"] = r[other]["translate_s"] / r["B"]["translate_s"]
        q[f"summary_B_over_{other.replace(' ', '_')}"] = r[other]["summary_s"] / r["B"]["summary_s"]
    if "C2" in r:
        # the same CPU work at full use of every core: the most any scheduling could give B over C2
        q["ceiling_B_over_C2_all_cores_busy"] = r["C2"]["wall_s"] / (r["B"]["cpu_s"] / CORES)
        q["cpu_time_C2_over_B"] = r["C2"]["cpu_s"] / r["B"]["cpu_s"]
        q["summary_ms_per_token_B_over_C2"] = r["B"]["summary_ms_per_token"] / r["C2"]["summary_ms_per_token"]
        for key in ("summary_tokens_generated", "summary_encoder_tokens"):
            q[f"{key}_B_over_C2"] = r["B"][key] / max(1, r["C2"][key])
    return q


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
        _, wall, rss, cpu = timed([sys.executable, "-m", "summarizer", "run", str(one), "--out", str(out),
                                "--models", str(models), "--quiet", "--no-retry"], env)
        report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
        assert report["counts"]["new"] == 1 and report["translation_memory"]["hits"] == 0, report["counts"]
        runs.append((wall, rss, {k: v["seconds"] for k, v in report["models"].items()}, cpu["torch_imported"]))
        shutil.rmtree(out)
    best = min(runs, key=lambda r: r[0])
    return {"help_s": min(helps), "first_brief_s": best[0], "first_brief_peak_rss_mb": best[1],
            "first_brief_engine_s": best[2], "first_brief_torch_imported": best[3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small shapes and few articles (a smoke run)")
    parser.add_argument("--profiles", default="fast,default", help="comma-separated: fast, default")
    parser.add_argument("--corpora", default="within,long", help="comma-separated: within, long")
    parser.add_argument("--contenders", default="C4,B,A,C,B shipped,C2", help="on the `within` corpus")
    parser.add_argument("--long-contenders", default="B,C2", help="on the `long` corpus")
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
    corpora = {c: bench_models.articles(real, args.quick, args.articles, long=c == "long")
               for c in args.corpora.split(",")}
    out = args.out or HERE / "results" / f"bench-{'quick' if args.quick else 'full'}.json"
    report = {"quick": args.quick, "cpu_count": os.cpu_count(), "profiles": {},
              "corpora": {c: {"articles": len(d), "sentences": sum(len(x) for x in d)} for c, d in corpora.items()}}
    if args.start_up_only:
        report = json.loads(out.read_text(encoding="utf-8"))
    for name in args.profiles.split(","):
        if not args.start_up_only:
            report["profiles"][name] = {
                c: profile_run(name, c, (args.contenders if c == "within" else args.long_contenders).split(","),
                               args, env, docs) for c, docs in corpora.items()}
        models = args.cache / f"models-{'quick' if args.quick else PROFILES[name]}.yaml"
        work = args.cache / f"work-{'quick' if args.quick else name}-{next(iter(corpora))}"
        report["profiles"][name]["start_up"] = start_up(models, work, env)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"written: {out}")
    if not all(c["equal"] for p in report["profiles"].values() for r in p.values() if "equal_work" in r
               for c in r["equal_work"].values()):
        raise SystemExit("the contenders did not do the same work (tokens generated differ by more than 2%)")


ROWS = (("whole process, wall (s)", "wall_s", "{:.0f}"),
        ("translation stage, with model load (s)", "translate_s", "{:.0f}"),
        ("summary stage, with model load (s)", "summary_s", "{:.0f}"),
        ("peak RSS (MB)", "peak_rss_mb", "{:.0f}"),
        ("CPU time, user + system (s)", "cpu_s", "{:.0f}"),
        ("cores busy on average", "cores_busy", "{:.2f}"),
        ("translation tokens generated", "translation_tokens_generated", "{:,}"),
        ("summary tokens generated", "summary_tokens_generated", "{:,}"),
        ("summary encoder input tokens", "summary_encoder_tokens", "{:,}"),
        ("summary stage, ms per generated token", "summary_ms_per_token", "{:.1f}"),
        ("torch imported", "torch_imported", "{}"))


def table(report: dict) -> str:
    """The README's tables, from a results JSON."""
    lines = []
    for name, p in report["profiles"].items():
        for corpus, run in p.items():
            if corpus == "start_up":
                continue
            r, size = run["results"], report["corpora"][corpus]
            cols = [c for c in ("A", "B", "B shipped", "C", "C4", "C2") if c in r]
            lines += [f"\n{name} profile, {corpus} corpus ({size['articles']} articles, {size['sentences']} sentences)",
                      "| | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
            for label, key, fmt in ROWS:
                lines.append(f"| {label} | " + " | ".join(fmt.format(r[c][key]) if r[c].get(key) is not None else "-"
                                                           for c in cols) + " |")
            lines.append(", ".join(f"{k} {v:.2f}" for k, v in run["ratios"].items()))
        if "start_up" in p:
            lines.append(f"start-up: --help {p['start_up']['help_s']:.2f} s, first brief "
                         f"{p['start_up']['first_brief_s']:.1f} s ({p['start_up']['first_brief_peak_rss_mb']:.0f} MB"
                         f", torch imported: {p['start_up'].get('first_brief_torch_imported', '-')})")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
