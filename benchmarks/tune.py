"""The settings models.yaml ships, measured against their neighbours: the tool as a user runs it.

    python benchmarks/tune.py                 # after bench.py has built the models (benchmarks/.cache)
    python benchmarks/tune.py --profiles fast
    python benchmarks/tune.py --corpus long     # the summariser's settings on the long corpus

Each variant is the `B` contender of bench.py (`summarizer run --no-retry`, its own process, GNU time)
with one models.yaml setting changed from what ships: CTranslate2 batches decoded at once (`parallel`,
inter_threads) for the translator and the summariser, their token budgets per batch, the
summariser's sequences per batch. Every variant must generate the same tokens as the shipped settings (checked),
so the times compare equal work. Writes benchmarks/results/tune.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402

VARIANTS: dict[str, dict[str, dict]] = {
    "shipped": {},
    "translator parallel 1 (one batch on all cores)": {"bench-translator": {"parallel": 1}},
    "translator batch_tokens 1024": {"bench-translator": {"batch_tokens": 1024}},
    "translator batch_tokens 4096": {"bench-translator": {"batch_tokens": 4096}},
    "summariser parallel 1 (one batch on all cores)": {"bench-summarizer": {"parallel": 1}},
    "summariser batch_tokens 4096": {"bench-summarizer": {"batch_tokens": 4096}},
    "summariser batch_size 1": {"bench-summarizer": {"batch_size": 1}},
}
SHORT = ("shipped", "translator parallel 1 (one batch on all cores)")  # the ones run on the big profile
LONG = ("shipped", "summariser parallel 1 (one batch on all cores)", "summariser batch_tokens 4096")


def variant_yaml(base: Path, change: dict[str, dict]) -> Path:
    """The profile's models.yaml with one variant's settings changed."""
    config = yaml.safe_load(base.read_text(encoding="utf-8"))
    for model, keys in change.items():
        config["models"][model].update(keys)
    out = base.parent / f"tune-{base.stem}.yaml"  # one variant at a time
    out.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", default="fast,default")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--corpus", default="within", help="within or long (bench.py's corpora)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    args.out = args.out or HERE / "results" / ("tune.json" if args.corpus == "within" else f"tune-{args.corpus}.json")
    env = {**os.environ, "SUMMARIZER_CACHE": str(args.cache / "ct2cache"), "TOKENIZERS_PARALLELISM": "false",
           "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    report: dict[str, dict] = {}
    for profile in args.profiles.split(","):
        base = args.cache / f"models-{bench.PROFILES[profile]}.yaml"
        work = args.cache / f"work-{profile}-{args.corpus}"
        if not base.is_file() or not (work / "articles.jsonl").is_file():
            raise SystemExit(f"{base} or {work}/articles.jsonl missing: run benchmarks/bench.py first")
        names = LONG if args.corpus == "long" else VARIANTS if profile == "fast" else SHORT
        report[profile] = {}
        for name in names:
            print(f"[{profile}] {name} ...", flush=True)
            report[profile][name] = bench.run_tool(work, variant_yaml(base, VARIANTS[name]), env, shipped=False)
        shipped = report[profile]["shipped"]
        for name, r in report[profile].items():
            for stage in ("translation_tokens_generated", "summary_tokens_generated"):
                if abs(r[stage] - shipped[stage]) > bench.EQUAL * shipped[stage]:
                    raise SystemExit(f"{profile}/{name}: {stage} {r[stage]} against {shipped[stage]} shipped")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"written: {args.out}")


def table(report: dict) -> str:
    """The README's table, from tune.json."""
    lines = ["| profile | variant | wall (s) | translation (s) | summaries (s) | peak RSS (MB) |",
             "|---|---|---|---|---|---|"]
    for profile, variants in report.items():
        for name, r in variants.items():
            lines.append(f"| {profile} | {name} | {r['wall_s']:.1f} | {r['translate_s']:.1f} | {r['summary_s']:.1f} "
                         f"| {r['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
