"""`summarizer run` and `summarizer retry`: parse options into RunSettings, observe, summarise."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import LockedError, SummarizerError
from ..runs import RunReport, RunSettings, retry_settings, run_folder
from .common import err, fail, setup_logging
from .progress import Progress

LOG_FORMATS = ("text", "json")


def run(
    inputs: Optional[list[str]] = typer.Argument(None, help="Files, folders (recursive), http(s) URLs (pages or "
                                                "feeds), or - for stdin."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder for briefs, state and the run report."),
    models: Optional[Path] = typer.Option(None, "--models", help="models.yaml to use (default: the bundled one)."),
    profile: str = typer.Option("default", "--profile", "-p", help="Profile of models.yaml."),
    device: str = typer.Option("auto", "--device", help="auto, cpu or cuda."),
    engine: Optional[str] = typer.Option(None, "--engine", help="auto, torch or ctranslate2 (default: models.yaml)."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads (default: all cores)."),
    max_bytes: int = typer.Option(5_000_000, "--max-bytes", min=1, help="Size cap of one input, in bytes."),
    state: Optional[Path] = typer.Option(None, "--state", help="State database (default: OUT/state.sqlite)."),
    force: bool = typer.Option(False, "--force", help="Process every article again, even those already done."),
    wait: bool = typer.Option(False, "--wait", help="If another run holds OUT, wait for it instead of exiting 75."),
    log_format: str = typer.Option("text", "--log-format", help="text or json (one JSON object per line)."),
    log_every: int = typer.Option(100, "--log-every", min=1, help="Without a terminal: a progress line every N articles."),
    window: int = typer.Option(32, "--window", min=1, help="Articles pooled per batch window (memory vs speed)."),
    glossary: Optional[Path] = typer.Option(None, "--glossary", help="CSV of Arabic term, English rendering[, note]."),
    strict: bool = typer.Option(False, "--strict", help="Replace unsupported summary sentences by lead sentences."),
    digest: bool = typer.Option(False, "--digest", help="Also write OUT/digest.html and OUT/digest.md at the end."),
    no_retry: bool = typer.Option(False, "--no-retry", help="Do not retry looping translations (still flagged)."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="sources.yaml or OPML file of feeds to read."),
    follow: Optional[str] = typer.Option(None, "--follow", help="Fetch feed items' pages: teaser (when the feed "
                                         "text is short; the default), always or never."),
    contact: Optional[str] = typer.Option(None, "--contact", help="E-mail or URL sent in the User-Agent."),
    delay: float = typer.Option(1.0, "--delay", min=0, help="Seconds between two requests to one host."),
    max_pages: int = typer.Option(50, "--max-pages", min=1, help="Most pages fetched per host per run."),
    concurrency: int = typer.Option(4, "--concurrency", min=1, help="Most requests in flight at once."),
    fetch_timeout: float = typer.Option(20.0, "--fetch-timeout", min=0.1, help="Seconds to connect / between bytes."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Let feed links reach private, loopback and "
                                       "link-local addresses of other hosts."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print debugging detail."),
) -> None:
    """Turn articles into bilingual briefs: OUT/<id>.json, OUT/<id>.md, OUT/briefs.jsonl, OUT/run-report.json."""
    if device not in ("auto", "cpu", "cuda") and not device.startswith("cuda:"):
        raise fail(f"--device must be auto, cpu or cuda, not {device!r}")
    if engine not in (None, "auto", "torch", "ctranslate2"):
        raise fail(f"--engine must be auto, torch or ctranslate2, not {engine!r}")
    if log_format not in LOG_FORMATS:
        raise fail(f"--log-format must be text or json, not {log_format!r}")
    if follow not in (None, "teaser", "always", "never"):
        raise fail(f"--follow must be teaser, always or never, not {follow!r}")
    if not inputs and sources is None:
        raise fail("give INPUT... or --sources FILE")
    settings = RunSettings(inputs=list(inputs or []), out=out, models=models, profile=profile,
                           device=None if device == "auto" else device, engine=engine, threads=threads,
                           max_bytes=max_bytes, state=state, force=force, wait=wait, window=window,
                           glossary=glossary, strict=strict, digest=digest, retry=not no_retry, sources=sources,
                           follow=follow, contact=contact, delay=delay, max_pages=max_pages, concurrency=concurrency,
                           fetch_timeout=fetch_timeout, allow_private=allow_private,
                           download_progress=err.is_terminal and not quiet)
    execute(settings, quiet=quiet, verbose=verbose, log_format=log_format, log_every=log_every)


def execute(settings: RunSettings, *, quiet: bool = False, verbose: bool = False, log_format: str = "text",
            log_every: int = 100) -> None:
    """Run with a progress display; print the summary line; exit with the report's exit code."""
    setup_logging(quiet, verbose, log_format)
    progress = Progress(err, quiet, log_format, log_every)
    try:
        report = run_folder(settings, progress, stdin=sys.stdin.buffer)
    except LockedError as exc:
        raise fail(str(exc), 75) from None
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    _summary(report, settings, quiet, log_format)
    raise typer.Exit(report.exit_code)


def _summary(report: RunReport, settings: RunSettings, quiet: bool, log_format: str) -> None:
    c = report.counts
    line = (f"{c['new']} new, {c['skipped']} skipped, {c['failed']} failed in {report.elapsed:.1f}s "
            f"-> {settings.out} (report: {report.path})")
    if report.interrupted:
        line = f"interrupted by {report.interrupted}: {line}; run again to finish the rest"
    if log_format == "json":
        record = {"event": "summary", **report.header()["counts"], "interrupted": report.interrupted,
                  "exit_code": report.exit_code, "report": str(report.path)}
        err.print(json.dumps(record, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
    elif not quiet or c["failed"] or report.interrupted:
        err.print(line, markup=False, highlight=False, soft_wrap=True)


def retry(
    out: Path = typer.Argument(..., help="Output folder of an earlier run."),
    state: Optional[Path] = typer.Option(None, "--state", help="State database (default: OUT/state.sqlite)."),
    wait: bool = typer.Option(False, "--wait", help="Wait for a run that holds OUT."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors."),
) -> None:
    """Run again only the articles that failed in the last run of OUT, with that run's settings."""
    try:
        settings = retry_settings(out, state)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    if not settings.retry_refs:
        err.print("nothing to retry: the last run had no failed articles", markup=False)
        raise typer.Exit(0)
    settings.wait = wait
    execute(settings, quiet=quiet)
