"""Command line: the only place that prints, configures logging and exits.

Exit codes: 0 all articles done; 1 some failed (the batch finished, the report lists them);
2 usage or config error, or a model that is not available; 75 the output folder is locked;
130/143 interrupted by SIGINT/SIGTERM.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from . import __version__
from .errors import ConfigError, ModelUnavailable, SummarizerError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Arabic news articles -> bilingual (Arabic + English) briefs and English digests.")
err = Console(stderr=True, highlight=False, soft_wrap=True)
log = logging.getLogger("summarizer")


def fail(message: str, code: int = 2) -> "typer.Exit":
    """Print one error line and return the Exit to raise."""
    from rich.markup import escape

    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, highlight=False)
    return typer.Exit(code)


class _Formatter(logging.Formatter):
    """Plain lines ("warning: ..." for warnings, bare text for notes), or JSON objects."""

    def __init__(self, as_json: bool) -> None:
        super().__init__()
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if self.as_json:
            import json

            return json.dumps({"event": "log", "level": record.levelname.lower(), "message": message},
                              ensure_ascii=False)
        return message if record.levelno < logging.WARNING else f"{record.levelname.lower()}: {message}"


def setup_logging(quiet: bool = False, verbose: bool = False, log_format: str = "text") -> None:
    """The library's log goes to stderr: notes and warnings (errors only with --quiet)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(log_format == "json"))
    log.handlers[:] = [handler]
    log.setLevel(logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO)
    log.propagate = False


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                               help="Show the version and exit.")) -> None:
    """Arabic news articles -> bilingual briefs."""


LOG_FORMATS = ("text", "json")


@app.command()
def run(
    inputs: List[str] = typer.Argument(..., help="Files, folders (recursive), http(s) URLs, or - for stdin."),
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
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print debugging detail."),
) -> None:
    """Turn articles into bilingual briefs: OUT/<id>.json, OUT/<id>.md, OUT/briefs.jsonl, OUT/run-report.json."""
    from .cli_run import RunSettings

    if device not in ("auto", "cpu", "cuda") and not device.startswith("cuda:"):
        raise fail(f"--device must be auto, cpu or cuda, not {device!r}")
    if engine not in (None, "auto", "torch", "ctranslate2"):
        raise fail(f"--engine must be auto, torch or ctranslate2, not {engine!r}")
    if log_format not in LOG_FORMATS:
        raise fail(f"--log-format must be text or json, not {log_format!r}")
    settings = RunSettings(inputs=list(inputs), out=out, models=models, profile=profile,
                           device=None if device == "auto" else device, engine=engine, threads=threads,
                           max_bytes=max_bytes, state=state, force=force, wait=wait, quiet=quiet,
                           log_format=log_format, log_every=log_every, window=window, glossary=glossary,
                           strict=strict, digest=digest, retry=not no_retry)
    _execute(settings, verbose)


def _execute(settings, verbose: bool = False) -> None:
    from .cli_run import execute
    from .errors import LockedError

    setup_logging(settings.quiet, verbose, settings.log_format)
    try:
        code = execute(settings, err)
    except LockedError as exc:
        raise fail(str(exc), 75) from None
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    raise typer.Exit(code)


@app.command()
def retry(
    out: Path = typer.Argument(..., help="Output folder of an earlier run."),
    state: Optional[Path] = typer.Option(None, "--state", help="State database (default: OUT/state.sqlite)."),
    wait: bool = typer.Option(False, "--wait", help="Wait for a run that holds OUT."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors."),
) -> None:
    """Run again only the articles that failed in the last run of OUT, with that run's settings."""
    from .cli_run import retry_settings

    try:
        settings = retry_settings(out, state)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    if not settings.retry_refs:
        err.print("nothing to retry: the last run had no failed articles", markup=False)
        raise typer.Exit(0)
    settings.wait, settings.quiet = wait, quiet
    _execute(settings)


@app.command("digest")
def digest_command(
    folder: Path = typer.Argument(..., help="Output folder of a run (its briefs.jsonl)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="digest.html or digest.md (default: FOLDER/digest.html)."),
    group_by: str = typer.Option("date", "--group-by", help="date (then source) or source (then date)."),
    title: Optional[str] = typer.Option(None, "--title", help="Digest title (default: News digest)."),
) -> None:
    """Write an English digest of the briefs in FOLDER: HTML for browsers and email, or Markdown."""
    from .digest import build_digest, load_briefs
    from .output import atomic_write
    from .stages.html_render import digest_html, digest_markdown

    if group_by not in ("date", "source"):
        raise fail(f"--group-by must be date or source, not {group_by!r}")
    if not (folder / "briefs.jsonl").is_file():
        raise fail(f"no briefs.jsonl in {folder}: run 'summarizer run ... --out {folder}' first")
    target = out or folder / "digest.html"
    digest = build_digest(load_briefs(folder), group_by=group_by, title=title)
    text = digest_markdown(digest) if target.suffix.lower() in (".md", ".markdown") else digest_html(digest)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text)
    err.print(f"digest: {digest.stories} stories from {digest.briefs} briefs -> {target}", markup=False)


@app.command()
def status(
    out: Path = typer.Argument(..., help="Output folder of a run."),
    state: Optional[Path] = typer.Option(None, "--state", help="State database (default: OUT/state.sqlite)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show what is done, what failed (with reasons) and what is pending in OUT."""
    from .cli_status import show_status

    try:
        show_status(out, state, as_json)
    except SummarizerError as exc:
        raise fail(str(exc)) from None


from .cli_models import models_app  # noqa: E402  (sub-command group defined in its own module)

app.add_typer(models_app, name="models")


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    app()


if __name__ == "__main__":
    main()
