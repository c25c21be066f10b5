"""Progress for `summarizer run`: an observer of runs.run_folder (CLI side: it prints).

On a terminal: a rich progress bar (articles, sentences/s, ETA). Elsewhere (cron): a log
line every N articles, as text or as JSON lines (`--log-format json`). `--quiet`: only errors.
"""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.markup import escape

from ..runs.report import RunReport
from ..types import Brief, Failure
from .common import LogStyle
from .common import emit as emit_record

LEVELS = {"failed": "warning", "given_up": "warning"}  # every other event is "info"


def rss_mb() -> float:
    """Current resident memory of this process, in MB."""
    import psutil

    return psutil.Process().memory_info().rss / 1e6


class Progress:
    """Shows how a run goes (a RunObserver).

    Args:
        console: where to print (stderr).
        quiet: print only errors.
        log_format: "text" or "json".
        every: on a non-terminal, log a progress line every this many items.
    """

    def __init__(self, console: Console, quiet: bool, log_format: str, every: int) -> None:
        self.console = console
        self.total: int | None = None
        self.quiet = quiet
        self.json = log_format == "json"
        self.every = max(1, every)
        self.t0 = time.perf_counter()
        self.items = self.new = self.skipped = self.failed = self.sentences = 0
        self.bar: Any = None

    def begin(self, run_id: int) -> None:
        """The attempt's id: every record from now on carries it."""
        LogStyle.run = run_id

    def started(self, total: int | None) -> None:
        """The run starts: show the bar (on a terminal)."""
        self.total = total
        self.t0 = time.perf_counter()
        if self.console.is_terminal and not self.quiet and not self.json:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            self.bar = Bar(SpinnerColumn(), TextColumn("articles"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
                           TimeRemainingColumn(), console=self.console, transient=True)
            self.task = self.bar.add_task("run", total=total, rate="")
            self.bar.start()

    def emit(self, event: str, **fields: Any) -> None:
        """One log record: a JSON line, or text (rich markup) with its time when timestamps are on."""
        text = fields.pop("text", "")
        emit_record(LEVELS.get(event, "info"), event, text, markup=True, **fields)

    def _rates(self) -> tuple[float, float]:
        elapsed = max(1e-9, time.perf_counter() - self.t0)
        return self.items / elapsed, self.sentences / elapsed

    def result(self, result: Brief | Failure) -> None:
        """Account for one result; print failures and periodic progress."""
        self.items += 1
        if isinstance(result, Brief):
            self.new += 1
            self.sentences += len(result.sentences)
        elif result.error.startswith("skipped: given up"):
            self.skipped += 1
            if not self.quiet:
                self.emit("given_up", ref=result.ref, stage=result.stage, reason=result.error.removeprefix("skipped: "),
                          text=f"[yellow]given up[/] {escape(result.ref)}: "
                               f"{escape(result.error.removeprefix('skipped: '))}")
        elif result.status == "failed":
            self.failed += 1
            self.emit("failed", ref=result.ref, stage=result.stage, error=result.error,
                      text=f"[red]failed[/]  {escape(result.ref)}: {escape(result.error)}")
        else:
            self.skipped += 1
            if not self.quiet and not result.error.startswith("skipped: already done"):
                self.emit("skipped", ref=result.ref, reason=result.error.removeprefix("skipped: "),
                          text=f"[yellow]skipped[/] {escape(result.ref)}: "
                               f"{escape(result.error.removeprefix('skipped: '))}")
        articles_s, sentences_s = self._rates()
        if self.bar is not None:
            self.bar.update(self.task, completed=self.items, rate=f"{sentences_s:.1f} sentences/s")
        elif not self.quiet and self.items % self.every == 0:
            eta = (self.total - self.items) / articles_s if self.total and articles_s > 0 else None
            self.emit("progress", items=self.items, total=self.total, new=self.new, skipped=self.skipped,
                      failed=self.failed, rss_mb=round(rss_mb(), 1), articles_per_s=round(articles_s, 3),
                      sentences_per_s=round(sentences_s, 2), eta_s=round(eta) if eta is not None else None,
                      text=f"progress: {self.items}{'/' + str(self.total) if self.total else ''} articles "
                           f"({self.new} new, {self.skipped} skipped, {self.failed} failed), "
                           f"{sentences_s:.1f} sentences/s" + (f", ETA {eta:.0f}s" if eta is not None else ""))

    def notice(self, message: str, **fields: Any) -> None:
        """An informational line (not shown with --quiet)."""
        if not self.quiet:
            self.emit("notice", message=message, **fields, text=escape(message))

    def finished(self, report: RunReport) -> None:
        """The run is over: take the bar down."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
