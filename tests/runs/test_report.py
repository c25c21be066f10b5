"""The run report: counts, per-article entries streamed back in input order, the exit code it states."""

from __future__ import annotations

import json

from summarizer.runs.outdir import OutputDir
from summarizer.runs.report import RunReport
from summarizer.runs.state import Store
from summarizer.types import Failure


def _report() -> RunReport:
    store = Store(":memory:")
    return RunReport(store, store.start_run({}), ["in/"], "out/", "fast")


def test_counts_entries_and_exit_code(tmp_path):
    report = _report()
    report.add(Failure("a.txt", "empty input", "ingest"))
    report.add(Failure("b.txt", "skipped: duplicate of a.txt (same body)", "duplicate", status="skipped"))
    assert report.counts == {"new": 0, "skipped": 1, "failed": 1} and report.exit_code == 1
    path = OutputDir(tmp_path).write_report(report.header(), report.articles())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["counts"] == {"items": 2, "new": 0, "skipped": 1, "failed": 1} and data["exit_code"] == 1
    assert [a["ref"] for a in data["articles"]] == ["a.txt", "b.txt"]
    assert data["articles"][1]["stage"] == "duplicate"


def test_exit_code_follows_interruptions_and_errors():
    report = _report()
    assert report.exit_code == 0
    report.interrupted = "SIGTERM"
    assert report.exit_code == 143
    report.error = "model 'x' is broken"
    assert report.exit_code == 2 and report.header()["exit_code"] == 2 and report.header()["error"]


def test_entries_are_flushed_to_the_store_not_kept(tmp_path):
    report = _report()
    for k in range(RunReport.FLUSH_EVERY * 2 + 5):
        report.add(Failure(f"{k}.txt", "empty input", "ingest"))
    assert len(report._pending) == 5  # memory stays flat: the rest is in the database
    assert sum(1 for _ in report.articles()) == RunReport.FLUSH_EVERY * 2 + 5
