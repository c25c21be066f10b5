"""A longer fuzz run of every input reader (issue 32): mutated copies of the real pages and feeds in
../shared/real, read as local inputs and (feeds) as fetched ones.

    nice python benchmarks/fuzz.py                   # 10,000 inputs, 2 processes (about 300 s of CPU in all)
    python benchmarks/fuzz.py --inputs 500           # a quick look

Each input is one real document (feeds cut to their first 8 items) with 1 to 8 mutations
(tests/ingest/mutate.py: a trigger inserted (control characters, character references past
U+10FFFF, surrogates, 5,000-digit numbers, `<html>`, tag-dense runs ...), a slice deleted, doubled
or moved, bits flipped, a cut, digits made huge). Reported: inputs per reader, crashes (anything
but an Article or the project's own Failure: a catch-all hit, an exception let out, an Article no
output can encode), parses handed more than their element cap, feed items feedparser itself fails
on (each its item's failure, said so: malformed structure no cleaning foresees), and the worst CPU
time and elements parsed per reader. Writes
benchmarks/results/fuzz.json; the exit status is 1 when there was a crash or a parse over budget.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

# inputs per seed, out of 10,000: the cheap readers get more, the 500 KB page fewer
WEIGHTS = {"cnnarabic-arabic_article.json": 1500, "lbc-LBCGroup.json": 1000, "documents.jsonl": 2500,
           "cnnarabic-arabic_article.html": 800, "lbc-LBCGroup_2026_01_08.html": 100, "jsonld-only.html": 500,
           "almasryalyoum-xx.xml": 900, "bbcarabic-bbcarabic.rss": 900, "nabdsharqi-atom.xml": 900,
           "almasryalyoum.rdf": 900}


def _shared() -> Path:
    for candidate in (os.environ.get("SUMMARIZER_SHARED"), ROOT.parent / "shared"):
        if candidate and (Path(candidate) / "real").is_dir():
            return Path(candidate) / "real"
    raise SystemExit("../shared/real not found (set SUMMARIZER_SHARED)")


_SEEDS: dict = {}


def _load(by_name: dict) -> None:
    _SEEDS.update(by_name)


def _one(job: tuple[int, str, int]) -> tuple[str, dict, list[str]]:
    """Input `k`: its own random stream (the run is the same whatever the number of processes)."""
    from tests.ingest.mutate import mutate, read

    k, name, seed = job
    rng = random.Random(seed * 1_000_003 + k)
    data = mutate(rng, _SEEDS[name].data, rng.randrange(1, 9))
    outcome = read(_SEEDS[name].kind, data, name)
    row = {"inputs": 1, "cpu_s": outcome.cpu, "articles": outcome.articles, "failures": outcome.failures,
           "parser_fails": outcome.parser_fails, "crashes": int(bool(outcome.crashes)),
           "over_budget": int(bool(outcome.over_budget)), "worst_cpu_s": round(outcome.cpu, 3),
           "worst_elements": outcome.elements, "worst_bytes": len(data)}
    return name, row, [f"{name}: {p[:200]}" for p in outcome.crashes + outcome.over_budget]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=32)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "fuzz.json")
    parser.add_argument("--jobs", type=int, default=2, help="processes")
    args = parser.parse_args()
    from tests.ingest.mutate import seeds

    by_name = {s.name: s for s in seeds(_shared())}
    assert set(by_name) == set(WEIGHTS), sorted(by_name)
    total_weight = sum(WEIGHTS.values())
    plan = [name for name, weight in WEIGHTS.items() for _ in range(round(weight * args.inputs / total_weight))]
    random.Random(args.seed).shuffle(plan)
    per_seed: dict[str, dict] = {name: {"inputs": 0, "cpu_s": 0.0, "articles": 0, "failures": 0, "crashes": 0,
                                        "over_budget": 0, "parser_fails": 0,
                                        "worst_cpu_s": 0.0, "worst_elements": 0, "worst_bytes": 0} for name in WEIGHTS}
    problems: Counter[str] = Counter()
    started = time.monotonic()
    jobs = [(k, name, args.seed) for k, name in enumerate(plan)]
    with multiprocessing.get_context("fork").Pool(args.jobs, initializer=_load, initargs=(by_name,)) as pool:
        for k, (name, row_in, found) in enumerate(pool.imap_unordered(_one, jobs, chunksize=20), start=1):
            row = per_seed[name]
            for key in ("inputs", "articles", "failures", "crashes", "over_budget", "parser_fails", "cpu_s"):
                row[key] += row_in[key]
            for key in ("worst_cpu_s", "worst_elements", "worst_bytes"):
                row[key] = max(row[key], row_in[key])
            problems.update(found)
            if k % 1000 == 0:
                print(f"{k:,} inputs, {sum(problems.values())} problems, {time.monotonic() - started:.0f}s", flush=True)
    wall = time.monotonic() - started
    done = sum(r["inputs"] for r in per_seed.values())
    for row in per_seed.values():
        row["cpu_s"] = round(row["cpu_s"], 1)
    result = {"inputs": done, "cpu_s": round(sum(r["cpu_s"] for r in per_seed.values()), 1), "seed": args.seed, "jobs": args.jobs, "wall_s": round(wall, 1),
              "python": platform.python_version(),
              "cpu_count": os.cpu_count(), "crashes": sum(r["crashes"] for r in per_seed.values()),
              "parser_fails": sum(r["parser_fails"] for r in per_seed.values()),
              "over_budget": sum(r["over_budget"] for r in per_seed.values()), "per_seed": per_seed,
              "problems": dict(problems.most_common(50))}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\n{done:,} inputs in {wall:.0f}s ({result['cpu_s']:.0f}s of CPU): {result['crashes']} crashes, {result['over_budget']} over budget")
    print("| seed | reader | inputs | crashes | over budget | items feedparser fails on | worst CPU (s) | "
          "worst elements | largest input |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, row in per_seed.items():
        print(f"| {name} | {by_name[name].kind} | {row['inputs']:,} | {row['crashes']} | {row['over_budget']} | "
              f"{row['parser_fails']} | "
              f"{row['worst_cpu_s']:.2f} | {row['worst_elements']:,} | {row['worst_bytes'] / 1e6:.2f} MB |")
    for problem, count in problems.most_common(20):
        print(f"{count:5d}  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
