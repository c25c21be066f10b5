"""The front end on material nobody here wrote: real pages, real feeds, gold sentence boundaries.

    python benchmarks/extraction_eval.py [--real ../shared/real]

- html/: every page goes through the real HTML path (ingest -> clean -> segment, as a run does)
  and the brief's source sentences are compared with the page's true body: word recall (no body
  word lost) and precision (no boilerplate word added), per page.
- feeds/: every item becomes an article or a named failure, and no HTML entity or tag survives
  into the text.
- segmentation/: sentence-boundary precision, recall and F1 against UD Arabic-PUD's news
  documents; the segments that hold two sentences by PUD's own convention (listed in its
  SOURCES.md) are not scored inside.
The tests (tests/pipeline/test_real_material.py) hold the floors; this prints the tables.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

WORD_RE = re.compile(r"\w+")
LEFTOVER_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});|</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
# Segments that hold two sentences by PUD's own convention (../shared/real/SOURCES.md).
PUD_TWO_SENTENCE = {"n01002058", "n01022010", "n01030008", "n01082014", "n01116018", "n02076003"}
PAGES = {"cnnarabic-arabic_article.html": "cnnarabic-arabic_article.expected.txt",
         "lbc-LBCGroup_2026_01_08.html": "lbc-LBCGroup_2026_01_08.expected.txt"}


def _pipeline():
    from summarizer import Pipeline, load_config

    return Pipeline(load_config(), "default")


def _words(text: str) -> collections.Counter:
    from summarizer.text.arabic import key_text

    return collections.Counter(WORD_RE.findall(key_text(text).lower()))


def html_scores(real: Path) -> list[dict]:
    """Per page: word recall and precision of the source sentences against the true body."""
    from summarizer.ingest.inputs import iter_articles

    pipeline, rows = _pipeline(), []
    for page, truth in sorted(PAGES.items()):
        [article] = list(iter_articles([str(real / "html" / page)]))
        seg = pipeline.prepare(article)
        got = _words(" ".join(s.text for s in seg.sentences))
        want = _words((real / "html" / truth).read_text(encoding="utf-8"))
        common = sum((got & want).values())
        rows.append({"page": page, "recall": round(common / sum(want.values()), 4),
                     "precision": round(common / sum(got.values()), 4), "sentences": len(seg.sentences),
                     "removed": [f"{r.reason}: {r.text[:50]}" for r in seg.cleaned.removed],
                     "lost": sorted((want - got).elements())[:20], "extra": sorted((got - want).elements())[:20]})
    return rows


def feed_scores(real: Path) -> list[dict]:
    """Per feed: items, articles, named failures, and texts with an entity or tag left in them."""
    import feedparser

    from summarizer.ingest.inputs import iter_articles
    from summarizer.types import Failure

    pipeline, rows = _pipeline(), []
    for path in sorted((real / "feeds").iterdir()):
        entries = len(feedparser.parse(path.read_bytes()).entries)
        articles, failures, leftovers, sentences = 0, collections.Counter(), [], 0
        for item in iter_articles([str(path)], max_bytes=5_000_000):
            result = item if isinstance(item, Failure) else pipeline.prepare(item)
            if isinstance(result, Failure):
                failures[result.error.split(":")[0][:60]] += 1
                continue
            articles += 1
            sentences += len(result.sentences)
            texts = [result.title, *(s.text for s in result.sentences)]
            leftovers += [(result.article.ref, m.group()) for t in texts for m in LEFTOVER_RE.finditer(t)]
        rows.append({"feed": path.name, "items": entries, "articles": articles, "failures": dict(failures),
                     "sentences": sentences, "leftover entities or tags": leftovers[:10],
                     "accounted": articles + sum(failures.values()) == entries})
    return rows


def pud_scores(real: Path) -> dict:
    """Boundary precision, recall and F1 of the segmenter on PUD's news documents."""
    from summarizer.steps.segment import sentence_spans

    tp = fp = fn = 0
    documents = 0
    for line in (real / "segmentation" / "udpud-ar_pud-documents.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        gold = doc["sentences"] if "sentences" in doc else doc["gold"]
        if not str(gold[0][2]).startswith("n"):
            continue
        documents += 1
        text = doc["text"]
        gold_ends = {end for _, end, _ in gold[:-1]}
        skip = [(start, end) for start, end, sid in gold if sid in PUD_TWO_SENTENCE]
        predicted = {end for _, end in sentence_spans(text)[:-1]}
        predicted = {p for p in predicted if not any(a < p < b for a, b in skip)}
        tp += len(gold_ends & predicted)
        fp += len(predicted - gold_ends)
        fn += len(gold_ends - predicted)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return {"documents": documents, "boundaries": tp + fn, "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "false_splits": fp, "missed": fn}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=Path, default=HERE.parent.parent / "shared" / "real")
    args = parser.parse_args()
    print(f"{'page':40} {'recall':>7} {'precision':>9} {'sentences':>9}")
    for row in html_scores(args.real):
        print(f"{row['page']:40} {row['recall']:7.4f} {row['precision']:9.4f} {row['sentences']:9d}")
        for removed in row["removed"]:
            print(f"    removed {removed}")
    print(f"\n{'feed':32} {'items':>6} {'articles':>8} {'failures':>8} {'leftovers':>9}")
    for row in feed_scores(args.real):
        print(f"{row['feed']:32} {row['items']:6d} {row['articles']:8d} {sum(row['failures'].values()):8d} "
              f"{len(row['leftover entities or tags']):9d}  {row['failures'] or ''}")
    pud = pud_scores(args.real)
    print(f"\nUD Arabic-PUD news: {pud['documents']} documents, {pud['boundaries']} boundaries: precision "
          f"{pud['precision']}, recall {pud['recall']}, F1 {pud['f1']} ({pud['false_splits']} false splits, "
          f"{pud['missed']} missed)")


if __name__ == "__main__":
    main()
