"""A longer fuzz run of every input reader (issue 32): mutated copies of the real pages and feeds in
../shared/real, read as local inputs and (feeds) as fetched ones.

    nice python benchmarks/fuzz.py                   # 10,000 inputs (about 8 minutes on 2 busy cores)
    python benchmarks/fuzz.py --inputs 500           # a quick look

Each input is one real document (feeds cut to their first 8 items) with 1 to 8 mutations
(tests/ingest/mutate.py: a trigger inserted (control characters, character references past
U+10FFFF, surrogates, 5,000-digit numbers, `<html>`, tag-dense runs ...), a slice deleted, doubled
or moved, bits flipped, a cut, digits made huge). Reported: inputs per reader, crashes (anything
but an Article or the project's own Failure, or an Article no output can encode), parses handed
more than their element cap, and the worst CPU time and elements parsed per reader. Writes
benchmarks/results/fuzz.json; the exit status is 1 when there was a crash or a parse over budget.
"""

from __future__ import annotations

import argparse
import json
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
WEIGHTS = {"cnnarabic-arabic_article.json": 1250, "lbc-LBCGroup.json": 1250, "documents.jsonl": 2500,
           "cnnarabic-arabic_article.html": 1000, "lbc-LBCGroup_2026_01_08.html": 150, "jsonld-only.html": 650,
           "almasryalyoum-xx.xml": 800, "bbcarabic-bbcarabic.rss": 800, "nabdsharqi-atom.xml": 800,
           "almasryalyoum.rdf": 800}


def _shared() -> Path:
    for candidate in (os.environ.get("SUMMARIZER_SHARED"), ROOT.parent / "shared"):
        if candidate and (Path(candidate) / "real").is_dir():
            return Path(candidate) / "real"
    raise SystemExit("../shared/real not found (set SUMMARIZER_SHARED)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=32)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "fuzz.json")
    args = parser.parse_args()
    from tests.ingest.mutate import mutate, read, seeds

    by_name = {s.name: s for s in seeds(_shared())}
    assert set(by_name) == set(WEIGHTS), sorted(by_name)
    total_weight = sum(WEIGHTS.values())
    plan = [name for name, weight in WEIGHTS.items() for _ in range(round(weight * args.inputs / total_weight))]
    rng = random.Random(args.seed)
    rng.shuffle(plan)
    per_seed: dict[str, dict] = {name: {"inputs": 0, "articles": 0, "failures": 0, "crashes": 0, "over_budget": 0,
                                        "worst_cpu_s": 0.0, "worst_elements": 0, "worst_bytes": 0} for name in WEIGHTS}
    problems: Counter[str] = Counter()
    started = time.monotonic()
    for k, name in enumerate(plan, start=1):
        seed = by_name[name]
        data = mutate(rng, seed.data, rng.randrange(1, 9))
        outcome = read(seed.kind, data, name)
        row = per_seed[name]
        row["inputs"] += 1
        row["articles"] += outcome.articles
        row["failures"] += outcome.failures
        row["crashes"] += bool(outcome.crashes)
        row["over_budget"] += bool(outcome.over_budget)
        row["worst_cpu_s"] = round(max(row["worst_cpu_s"], outcome.cpu), 3)
        row["worst_elements"] = max(row["worst_elements"], outcome.elements)
        row["worst_bytes"] = max(row["worst_bytes"], len(data))
        for problem in outcome.crashes + outcome.over_budget:
            problems[f"{name}: {problem[:200]}"] += 1
        if k % 1000 == 0:
            print(f"{k:,} inputs, {sum(problems.values())} problems, {time.monotonic() - started:.0f}s", flush=True)
    wall = time.monotonic() - started
    result = {"inputs": len(plan), "seed": args.seed, "wall_s": round(wall, 1), "python": platform.python_version(),
              "cpu_count": os.cpu_count(), "crashes": sum(r["crashes"] for r in per_seed.values()),
              "over_budget": sum(r["over_budget"] for r in per_seed.values()), "per_seed": per_seed,
              "problems": dict(problems.most_common(50))}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\n{len(plan):,} inputs in {wall:.0f}s: {result['crashes']} crashes, {result['over_budget']} over budget")
    print("| seed | reader | inputs | crashes | over budget | worst CPU (s) | worst elements | largest input |")
    print("|---|---|---|---|---|---|---|---|")
    for name, row in per_seed.items():
        print(f"| {name} | {by_name[name].kind} | {row['inputs']:,} | {row['crashes']} | {row['over_budget']} | "
              f"{row['worst_cpu_s']:.2f} | {row['worst_elements']:,} | {row['worst_bytes'] / 1e6:.2f} MB |")
    for problem, count in problems.most_common(20):
        print(f"{count:5d}  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
