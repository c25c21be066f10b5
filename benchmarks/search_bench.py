"""Search speed on a folder of 10,000 briefs made by a real run with the tiny models.

    python benchmarks/search_bench.py                 # 10,000 articles (about 10 minutes on 2 cores)
    python benchmarks/search_bench.py --articles 500  # a quick look

Articles are real Arabic news sentences (../shared/real: the Al-Masry Al-Youm feed and the two
pages), recombined into distinct articles of 4-9 sentences, so the index holds a real vocabulary.
The run is `run_folder` as the CLI runs it, in this process, with two counters added around the
index: the time to make each brief's index row (normalising and stemming) and the time SQLite
spends on the index statements inside the transaction that marks the article done. Reported:
indexing per brief and as a share of the run's wall time; the index's size (the state database
dbstat); query latency of `summarizer.search` (open the
database, rank, read each hit's brief for its snippet) over a set of analyst queries, median and
95th percentile of 20 rounds. Writes benchmarks/results/search.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["مصر", "الرئيس", "وزير الخارجية", '"مجلس النواب"', "الحكومه", "=القاهرة", "كرة القدم", "الأهلي OR الزمالك",
           "مصر -القاهرة", "president", "ministers", "مُحَمَّد", "الانتخابات", "محافظ"]


def sentences(real: Path) -> list[str]:
    from summarizer import Pipeline, load_config
    from summarizer.ingest.inputs import iter_articles
    from summarizer.types import Article

    pipeline = Pipeline(load_config(), "default")
    found = []
    for item in iter_articles([str(real / "feeds" / "almasryalyoum-xx.xml"), *map(str, (real / "html").glob("*.html"))]):
        seg = pipeline.prepare(item) if isinstance(item, Article) else None
        if seg is not None and hasattr(seg, "sentences"):
            found += [s.text for s in seg.sentences if len(s.text.split()) >= 5]
    return sorted(set(found))


def write_articles(path: Path, pool: list[str], count: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    start = time.time() - 60 * 86400
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(count):
            body = rng.sample(pool, rng.randint(4, 9))
            day = time.strftime("%Y-%m-%d", time.gmtime(start + rng.randint(0, 60) * 86400))
            handle.write(json.dumps({"title": body[0][:80], "maintext": "\n".join(body), "date_publish": day,
                                     "source_domain": rng.choice(["almasryalyoum.com", "example.org", "wire.test"])},
                                    ensure_ascii=False) + "\n")


def timed_run(inputs: Path, out: Path, models: Path) -> dict:
    """run_folder with counters around the index (row making, and its SQL inside the done transaction)."""
    from summarizer.runs import RunSettings, run, run_folder
    from summarizer.store import state

    spent = {"rows": 0.0, "sql": 0.0}
    real_row, real_write_all = run.index_row, state.Store.write_all

    def row(brief):
        t = time.perf_counter()
        try:
            return real_row(brief)
        finally:
            spent["rows"] += time.perf_counter() - t

    def write_all(self, statements):
        statements = list(statements)
        index = [s for s in statements if "search_" in s[0]]
        if not index:
            return real_write_all(self, statements)
        t = time.perf_counter()
        real_write_all(self, index)  # the index statements alone, timed (then the rest)
        spent["sql"] += time.perf_counter() - t
        return real_write_all(self, [s for s in statements if "search_" not in s[0]])

    run.index_row, state.Store.write_all = row, write_all
    try:
        started = time.perf_counter()
        report = run_folder(RunSettings(inputs=[str(inputs)], out=out, models=models, handle_signals=False))
        wall = time.perf_counter() - started
    finally:
        run.index_row, state.Store.write_all = real_row, real_write_all
    briefs = report.counts["new"]
    indexing = spent["rows"] + spent["sql"]
    return {"briefs": briefs, "run_wall_s": round(wall, 1), "index_rows_s": round(spent["rows"], 2),
            "index_sql_s": round(spent["sql"], 2), "indexing_ms_per_brief": round(indexing / briefs * 1000, 3),
            "indexing_share_of_run": round(indexing / wall, 4)}


def index_size(out: Path) -> dict:
    """Bytes of the index's tables (SQLite's dbstat), and of the whole state database."""
    with sqlite3.connect(out / "state.sqlite") as db:
        pages = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%'").fetchone()[0] or 0
    return {"index_mb": round(pages / 1e6, 1), "state_db_mb": round((out / "state.sqlite").stat().st_size / 1e6, 1)}


def latency(out: Path, rounds: int = 20) -> dict:
    from summarizer import search

    per_query = {}
    for query in QUERIES:
        times, hits = [], 0
        for _ in range(rounds):
            t = time.perf_counter()
            found = search(out, query)
            times.append((time.perf_counter() - t) * 1000)
            hits = len(found)
        times.sort()
        per_query[query] = {"median_ms": round(statistics.median(times), 1),
                            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "hits": hits}
    medians = [q["median_ms"] for q in per_query.values()]
    return {"queries": per_query, "median_of_medians_ms": round(statistics.median(medians), 1),
            "worst_p95_ms": max(q["p95_ms"] for q in per_query.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "real")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache" / "search")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "search.json")
    args = parser.parse_args()
    from summarizer.models.tiny import build_tiny_models

    args.cache.mkdir(parents=True, exist_ok=True)
    models = args.cache / "tiny" / "models.yaml"
    if not models.is_file():
        build_tiny_models(models.parent)
    inputs = args.cache / f"articles-{args.articles}.jsonl"
    write_articles(inputs, sentences(args.real), args.articles)
    out = args.cache / f"briefs-{args.articles}"
    shutil.rmtree(out, ignore_errors=True)
    result = {"articles": args.articles, "run": timed_run(inputs, out, models)}
    result["size"] = index_size(out)
    result["latency"] = latency(out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "latency"}, indent=2))
    print({k: v for k, v in result["latency"].items() if k != "queries"})
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
