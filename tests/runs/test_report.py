"""The run report: counts, per-article entries streamed back in input order, the exit code it states."""

from __future__ import annotations

import json

from summarizer.runs.report import RunReport
from summarizer.store.outdir import OutputDir
from summarizer.store.state import Store
from summarizer.types import Failure
from tests.helpers import ARTICLE_AR, cli, log_lines, write


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


def test_a_bug_outside_one_article_exits_70_and_the_report_says_so(tiny_models, tmp_path):
    """A fault injected where the run marks an article done (no article's own work): a bug, not bad input."""
    write(tmp_path / "in" / "a.txt", ARTICLE_AR)
    out = tmp_path / "out"
    proc = cli("run", str(tmp_path / "in"), "--out", str(out), "--models", str(tiny_models),
               env={"SUMMARIZER_CRASH_AT": "mark:1:raise"})
    assert proc.returncode == 70 and "Traceback" not in proc.stderr
    errors = [line for line in log_lines(proc.stderr) if line.startswith("error:")]
    assert len(errors) == 1 and "internal error: InjectedFault" in errors[0] and "a bug" in errors[0]
    data = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert data["exit_code"] == 70 and data["error"].startswith("internal error: InjectedFault")
