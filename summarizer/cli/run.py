"""`summarizer run` and `summarizer retry`: parse options into RunSettings, observe, summarise."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import LockedError, SummarizerError
from ..runs import RunReport, RunSettings, retry_settings, run_folder
from . import options as O
from .common import err, fail, setup_logging
from .progress import Progress

CHOICES = {"device": ("auto", "cpu", "cuda"), "engine": ("auto", "torch", "ctranslate2"),
           "log_format": ("text", "json"), "executor": ("local", "ray"), "follow": ("teaser", "always", "never")}


def run(
    inputs: Optional[list[str]] = O.INPUTS,
    out: Path = O.OUT,
    models: Optional[Path] = O.MODELS,
    profile: str = O.PROFILE,
    device: str = O.DEVICE,
    engine: Optional[str] = O.ENGINE,
    threads: Optional[int] = O.THREADS,
    max_bytes: int = O.MAX_BYTES,
    state: Optional[Path] = O.STATE,
    force: bool = O.FORCE,
    wait: bool = O.WAIT,
    log_format: str = O.LOG_FORMAT,
    log_every: int = O.LOG_EVERY,
    window: Optional[int] = O.WINDOW,
    glossary: Optional[Path] = O.GLOSSARY,
    strict: bool = O.STRICT,
    digest: bool = O.DIGEST,
    no_retry: bool = O.NO_RETRY,
    sources: Optional[Path] = O.SOURCES,
    follow: Optional[str] = O.FOLLOW,
    contact: Optional[str] = O.CONTACT,
    delay: float = O.DELAY,
    max_pages: int = O.MAX_PAGES,
    concurrency: int = O.CONCURRENCY,
    fetch_timeout: float = O.FETCH_TIMEOUT,
    allow_private: bool = O.ALLOW_PRIVATE,
    max_items: int = O.MAX_ITEMS,
    executor: str = O.EXECUTOR,
    ray_address: Optional[str] = O.RAY_ADDRESS,
    actors: int = O.ACTORS,
    cpus_per_actor: float = O.CPUS_PER_ACTOR,
    gpus_per_actor: float = O.GPUS_PER_ACTOR,
    quiet: bool = O.QUIET,
    verbose: bool = O.VERBOSE,
) -> None:
    """Turn articles into bilingual briefs: OUT/<id>.json, OUT/<id>.md, OUT/briefs.jsonl, OUT/run-report.json."""
    given = dict(locals())
    for name, allowed in CHOICES.items():
        value = given[name]
        if value is not None and value not in allowed and not (name == "device" and str(value).startswith("cuda:")):
            raise fail(f"--{name.replace('_', '-')} must be {', '.join(allowed)}, not {value!r}")
    if not inputs and sources is None:
        raise fail("give INPUT... or --sources FILE")
    settings = RunSettings(
        inputs=list(inputs or []), out=out, models=models, profile=profile, device=None if device == "auto" else device,
        engine=engine, threads=threads, max_bytes=max_bytes, state=state, force=force, wait=wait, window=window,
        glossary=glossary, strict=strict, digest=digest, retry=not no_retry, sources=sources, follow=follow,
        contact=contact, delay=delay, max_pages=max_pages, concurrency=concurrency, fetch_timeout=fetch_timeout,
        allow_private=allow_private, max_items=max_items, executor=executor, ray_address=ray_address, actors=actors,
        cpus_per_actor=cpus_per_actor, gpus_per_actor=gpus_per_actor, download_progress=err.is_terminal and not quiet)
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
    note = report.extra.get("note")
    if note and log_format != "json" and not quiet:
        err.print(f"warning: {note}", markup=False, highlight=False, soft_wrap=True)
    skipped = report.extra.get("digest_skipped")
    if skipped and log_format != "json" and not quiet:
        err.print(f"digest: {skipped}", markup=False, highlight=False, soft_wrap=True)
    line = (f"{c['new']} new, {c['skipped']} skipped, {c['failed']} failed in {report.elapsed:.1f}s "
            f"-> {settings.out} (report: {report.path})")
    if report.interrupted:
        line = f"interrupted by {report.interrupted}: {line}; run again to finish the rest"
    if log_format == "json":
        record = {"event": "summary", **report.header()["counts"], "note": note, "interrupted": report.interrupted,
                  **({"digest_skipped": skipped} if skipped else {}),
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
