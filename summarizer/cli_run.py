"""`summarizer run`: drive the pipeline over inputs, write outputs, report (CLI side: prints)."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from rich.console import Console
from rich.markup import escape

from .config import load_config
from .output import OutputDir
from .pipeline import Pipeline
from .report import RunReport
from .stages.ingest import iter_articles
from .types import Brief, Failure


@dataclass
class RunSettings:
    """Everything `summarizer run` was asked to do."""

    inputs: Sequence[str]
    out: Path
    models: Optional[Path] = None
    profile: str = "default"
    device: Optional[str] = None
    engine: Optional[str] = None
    threads: Optional[int] = None
    max_bytes: int = 5_000_000


def _say(console: Console, result: Failure, quiet: bool) -> None:
    if result.status == "failed":
        console.print(f"[red]failed[/]  {escape(result.ref)}: {escape(result.error)}", markup=True)
    elif not quiet:
        console.print(f"[yellow]skipped[/] {escape(result.ref)}: {escape(result.error.removeprefix('skipped: '))}",
                      markup=True)


def execute(settings: RunSettings, console: Console, quiet: bool = False) -> int:
    """Run the pipeline; return the exit code. ConfigError/ModelUnavailable propagate (exit 2)."""
    config = load_config(settings.models)
    pipeline = Pipeline(config, settings.profile, device=settings.device, engine=settings.engine,
                        threads=settings.threads)
    pipeline.check_models()
    outdir = OutputDir(settings.out)
    report = RunReport(settings.inputs, str(settings.out), pipeline.profile.name)
    items = iter_articles(settings.inputs, max_bytes=settings.max_bytes, stdin=sys.stdin.buffer)
    show = console.is_terminal and not quiet
    started = time.perf_counter()
    progress = None
    if show:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                            console=console, transient=True)
        task = progress.add_task("briefs: 0", total=None)
        progress.start()
    try:
        for result in pipeline.run(items):
            if isinstance(result, Brief):
                outdir.write_brief(result)
            else:
                _say(console, result, quiet)
            report.add(result)
            if progress is not None:
                done = report.counts["done"]
                rate = done / max(1e-9, time.perf_counter() - started)
                progress.update(task, description=f"briefs: {done}  failed: {report.counts['failed']}  "
                                                  f"({rate:.2f} articles/s)")
    except KeyboardInterrupt:
        report.interrupted = "SIGINT"
    finally:
        if progress is not None:
            progress.stop()
        report.set_models({name: m.info() for name, m in pipeline.registry.loaded().items()})
        path = outdir.write_report(report.to_dict())
    c = report.counts
    if not quiet or c["failed"]:
        console.print(f"{c['done']} briefs written, {c['failed']} failed, {c['skipped']} skipped "
                      f"in {time.perf_counter() - started:.1f}s -> {escape(str(settings.out))} "
                      f"(report: {escape(str(path))})", markup=False)
    return report.exit_code
