"""Memory stays flat however long the run: Python heap growth per article, measured with tracemalloc
(precise: it counts the allocations the interpreter made, not the allocator's pages), plus a loose
RSS guard. The bound comes from what the property needs: a structure that keeps one small entry per
article (an in-memory set of the run's ids, about 0.2 KB each) must break it; the second test puts
exactly that structure back and checks that the measure catches it."""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

import psutil
import pytest

from summarizer.pipeline.pipeline import RecentIds
from summarizer.runs import RunReport, RunSettings, run_folder
from tests.helpers import write

# Tracing starts after warm-up; growth is measured from START to END, both at the end of a window of
# 32 articles (the default), so that the window's own live objects are the same at both points.
WARM, START, END = 96, 320, 704
BOUND_KB = 0.1  # per article: half of what one in-memory id-and-ref entry costs


class HeapProbe:
    """A run observer that starts tracemalloc after WARM articles and reads the heap at START and END."""

    def __init__(self) -> None:
        self.done = 0
        self.heap: dict[int, int] = {}
        self.rss: dict[int, int] = {}

    def started(self, total):
        pass

    def notice(self, message, **fields):
        pass

    def result(self, result):
        self.done += 1
        if self.done == WARM:
            tracemalloc.start()
        if self.done in (START, END):
            gc.collect()  # what is live, not cycles waiting for the collector
            self.heap[self.done] = tracemalloc.get_traced_memory()[0]
            self.rss[self.done] = psutil.Process().memory_info().rss

    def finished(self, report):
        tracemalloc.stop()

    def per_article_kb(self) -> float:
        return (self.heap[END] - self.heap[START]) / 1000 / (END - START)


def _wire(folder: Path) -> Path:
    with open(write(folder / "wire.jsonl", ""), "w", encoding="utf-8") as handle:
        for k in range(END):
            body = f"قال المتحدث إن الاجتماع رقم {k} انتهى. وأضاف أن الجولة {k + 1} تبدأ غدا. وختم بأن العمل مستمر."
            handle.write(json.dumps({"title": f"اجتماع {k}", "maintext": body}, ensure_ascii=False) + "\n")
    return folder


def _measure(tiny_models: Path, tmp_path: Path, monkeypatch) -> tuple[HeapProbe, dict]:
    # the report buffers its rows and flushes every FLUSH_EVERY: flushing at window ends too, the
    # buffer holds the same number of rows at START and at END
    monkeypatch.setattr(RunReport, "FLUSH_EVERY", 32)
    probe = HeapProbe()
    settings = RunSettings(inputs=[str(_wire(tmp_path / "in"))], out=tmp_path / "out", models=tiny_models,
                           handle_signals=False)
    report = run_folder(settings, probe)
    return probe, report.counts


@pytest.mark.slow
def test_a_long_run_keeps_the_python_heap_flat(tiny_models, tmp_path, monkeypatch):
    probe, counts = _measure(tiny_models, tmp_path, monkeypatch)
    assert counts == {"new": END, "skipped": 0, "failed": 0}
    growth = probe.per_article_kb()
    rss_mb = (probe.rss[END] - probe.rss[START]) / 1e6
    print(f"heap growth {growth:.3f} KB/article over {END - START} articles; RSS {rss_mb:+.1f} MB")
    assert growth < BOUND_KB, f"{growth:.3f} KB per article"
    assert rss_mb < 60, "RSS grew by more than 60 MB"  # loose: 100 KB per article would show, noise does not


@pytest.mark.slow
def test_the_measure_catches_one_small_entry_kept_per_article(tiny_models, tmp_path, monkeypatch):
    """Put back the in-memory set of ids this property once lost to (RecentIds instead of the state)."""
    monkeypatch.setattr("summarizer.runs.build.RunSeen", lambda store, run_id: RecentIds())
    probe, _ = _measure(tiny_models, tmp_path, monkeypatch)
    growth = probe.per_article_kb()
    print(f"with an in-memory id set: {growth:.3f} KB/article")
    assert growth > BOUND_KB, f"{growth:.3f} KB per article: the measure cannot see a per-article structure"
