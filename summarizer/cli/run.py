"""`summarizer run` and `summarizer retry`: parse options into RunSettings, observe, summarise."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import LockedError, SummarizerError
from ..runs import RunReport, RunSettings, retry_settings, run_folder
from . import options as O
from .common import LogStyle, emit, err, fail, setup_logging
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
    timestamps: Optional[bool] = O.TIMESTAMPS,
    log_every: int = O.LOG_EVERY,
    max_attempts: int = O.MAX_ATTEMPTS,
    metrics: Optional[Path] = O.METRICS,
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
    LogStyle.configure("json" if log_format == "json" else "text", timestamps)
    for name, allowed in CHOICES.items():
        value = given[name]
        if value is not None and value not in allowed and not (name == "device" and str(value).startswith("cuda:")):
            raise fail(f"--{name.replace('_', '-')} must be {', '.join(allowed)}, not {value!r}", event="usage_error")
    if not inputs and sources is None:
        raise fail("give INPUT... or --sources FILE", event="usage_error")
    settings = RunSettings(
        inputs=list(inputs or []), out=out, models=models, profile=profile, device=None if device == "auto" else device,
        engine=engine, threads=threads, max_bytes=max_bytes, state=state, force=force, wait=wait, window=window,
        glossary=glossary, strict=strict, digest=digest, retry=not no_retry, sources=sources, follow=follow,
        contact=contact, delay=delay, max_pages=max_pages, concurrency=concurrency, fetch_timeout=fetch_timeout,
        allow_private=allow_private, max_items=max_items, executor=executor, ray_address=ray_address, actors=actors,
        cpus_per_actor=cpus_per_actor, gpus_per_actor=gpus_per_actor, download_progress=err.is_terminal and not quiet,
        max_attempts=max_attempts)
    execute(settings, quiet=quiet, verbose=verbose, log_format=log_format, log_every=log_every, timestamps=timestamps,
            metrics=metrics)


def execute(settings: RunSettings, *, quiet: bool = False, verbose: bool = False, log_format: str = "text",
            log_every: int = 100, timestamps: bool | None = None, metrics: Path | None = None) -> None:
    """Run with a progress display; print the summary line; write the metrics; exit with the report's
    exit code (75 when the folder is locked, 2 for a config or model error)."""
    setup_logging(quiet, verbose, log_format, timestamps)
    progress = Progress(err, quiet, log_format, log_every)
    try:
        report = run_folder(settings, progress, stdin=sys.stdin.buffer)
    except LockedError as exc:
        _metrics(metrics, settings)
        raise fail(str(exc), 75) from None
    except SummarizerError as exc:
        _metrics(metrics, settings)
        raise fail(str(exc)) from None
    _summary(report, settings, quiet, log_format)
    _metrics(metrics, settings)
    raise typer.Exit(report.exit_code)


def _metrics(path: Path | None, settings: RunSettings) -> None:
    """Write the folder's metrics file (a failure to write it is said, and does not change the exit code)."""
    if path is None:
        return
    from ..desk.metrics import write_metrics

    try:
        write_metrics(path, settings.out, settings.state)
    except (OSError, SummarizerError) as exc:
        emit("error", "metrics_error", f"error: cannot write the metrics file {path}: {exc}", path=str(path),
             message=str(exc))


def _summary(report: RunReport, settings: RunSettings, quiet: bool, log_format: str) -> None:
    c = report.counts
    note = report.extra.get("note")
    if note and log_format != "json" and not quiet:
        emit("warning", "note", f"warning: {note}")
    skipped = report.extra.get("digest_skipped")
    if skipped and log_format != "json" and not quiet:
        emit("info", "digest_skipped", f"digest: {skipped}")
    line = (f"{c['new']} new, {c['skipped']} skipped, {c['failed']} failed in {report.elapsed:.1f}s "
            f"-> {settings.out} (report: {report.path})")
    if report.interrupted:
        line = f"interrupted by {report.interrupted}: {line}; run again to finish the rest"
    if report.given_up:
        line += f"; given up after {settings.max_attempts} failed attempts: {len(report.given_up)}"
    if report.not_reached:
        line += f"; {report.not_reached} inputs not reached"
    if log_format == "json":
        emit("error" if report.exit_code not in (0, 1) else "info", "summary", line, **report.header()["counts"],
             note=note, interrupted=report.interrupted, not_reached=report.not_reached, total=report.total,
             given_up=report.given_up, failures=report.failures, exit_code=report.exit_code,
             error=report.error, report=str(report.path) if report.path else None,
             **({"digest_skipped": skipped} if skipped else {}))
    elif not quiet or c["failed"] or report.interrupted or report.error:
        emit("info", "summary", line)


def retry(
    out: Path = typer.Argument(..., help="Output folder of an earlier run."),
    state: Optional[Path] = typer.Option(None, "--state", help="State database (default: OUT/state.sqlite)."),
    wait: bool = typer.Option(False, "--wait", help="Wait for a run that holds OUT."),
    given_up: bool = typer.Option(False, "--given-up", help="Also try the inputs given up after --max-attempts."),
    max_attempts: Optional[int] = typer.Option(None, "--max-attempts", min=1, help="Give up an input after this "
                                               "many failed runs (default: the last run's, 3)."),
    log_format: str = O.LOG_FORMAT,
    timestamps: Optional[bool] = O.TIMESTAMPS,
    metrics: Optional[Path] = O.METRICS,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors."),
) -> None:
    """Run again the inputs of OUT whose failures are unresolved (whatever runs came since), with the
    settings of the last run that started; --given-up adds those given up."""
    LogStyle.configure("json" if log_format == "json" else "text", timestamps)
    if log_format not in CHOICES["log_format"]:
        raise fail(f"--log-format must be {', '.join(CHOICES['log_format'])}, not {log_format!r}", event="usage_error")
    try:
        settings = retry_settings(out, state, given_up=given_up)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    if not settings.retry_refs:
        _nothing_to_retry(out, state, given_up, quiet)
        raise typer.Exit(0)
    settings.wait = wait
    settings.max_attempts = max_attempts or settings.max_attempts
    execute(settings, quiet=quiet, log_format=log_format, timestamps=timestamps, metrics=metrics)


def _nothing_to_retry(out: Path, state: Optional[Path], given_up: bool, quiet: bool) -> None:
    """No failure is unresolved; say whether inputs were given up (they are not retried without --given-up)."""
    from ..desk.status import folder_status

    data = folder_status(out, state)
    if data["given_up"] and not given_up:
        emit("info", "nothing_to_retry", f"no unresolved failure; {len(data['given_up'])} inputs were given up "
             f"(not retried): 'summarizer retry {out} --given-up' tries them again", given_up=len(data["given_up"]))
    elif not quiet:
        emit("info", "nothing_to_retry", "nothing to retry: no failure is unresolved", given_up=0)
