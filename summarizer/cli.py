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
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    return typer.Exit(code)


def setup_logging(quiet: bool = False, verbose: bool = False) -> None:
    """Warnings of the library go to stderr as plain lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.ERROR if quiet else logging.DEBUG if verbose else logging.WARNING)
    log.propagate = False


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                               help="Show the version and exit.")) -> None:
    """Arabic news articles -> bilingual briefs."""


@app.command()
def run(
    inputs: List[str] = typer.Argument(..., help="Files, folders (recursive), http(s) URLs, or - for stdin."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder for briefs and the run report."),
    models: Optional[Path] = typer.Option(None, "--models", help="models.yaml to use (default: the bundled one)."),
    profile: str = typer.Option("default", "--profile", "-p", help="Profile of models.yaml."),
    device: str = typer.Option("auto", "--device", help="auto, cpu or cuda."),
    engine: Optional[str] = typer.Option(None, "--engine", help="auto, torch or ctranslate2 (default: models.yaml)."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads (default: all cores)."),
    max_bytes: int = typer.Option(5_000_000, "--max-bytes", min=1, help="Size cap of one input, in bytes."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print debugging detail."),
) -> None:
    """Turn articles into bilingual briefs: OUT/<id>.json, OUT/<id>.md, OUT/briefs.jsonl, OUT/run-report.json."""
    from .cli_run import RunSettings, execute

    setup_logging(quiet, verbose)
    if device not in ("auto", "cpu", "cuda") and not device.startswith("cuda:"):
        raise fail(f"--device must be auto, cpu or cuda, not {device!r}")
    if engine not in (None, "auto", "torch", "ctranslate2"):
        raise fail(f"--engine must be auto, torch or ctranslate2, not {engine!r}")
    settings = RunSettings(inputs=inputs, out=out, models=models, profile=profile,
                           device=None if device == "auto" else device, engine=engine, threads=threads,
                           max_bytes=max_bytes)
    try:
        code = execute(settings, err, quiet=quiet)
    except (ConfigError, ModelUnavailable) as exc:
        raise fail(str(exc)) from None
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    raise typer.Exit(code)


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
