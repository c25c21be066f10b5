"""The `summarizer` application: parses arguments only; the work lives in the library.

Exit codes: 0 all articles done; 1 some failed (the batch finished, the report lists them);
2 usage or config error, or a model that is not available; 70 an internal error (a bug);
75 the output folder is locked; 130/143 interrupted by SIGINT/SIGTERM.
"""

from __future__ import annotations

import sys

import typer

from ..errors import OutputError
from ..version import __version__
from . import digest, review, run, search, status
from .common import err, log
from .evaluate import eval_app
from .models import models_app
from .names import names_app

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Arabic news articles -> bilingual (Arabic + English) briefs and English digests.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                               help="Show the version and exit.")) -> None:
    """Arabic news articles -> bilingual briefs."""


app.command()(run.run)
app.command()(run.retry)
app.command("digest")(digest.digest)
app.command()(status.status)
app.command("search")(search.search_command)
app.command()(review.review)
app.add_typer(models_app, name="models")
app.add_typer(eval_app, name="eval")
app.add_typer(names_app, name="names")


def main() -> None:
    """Console-script entry point: UTF-8 output, and no traceback for an unexpected error."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        sys.exit(130)
    except OSError as exc:  # the disk or the system, not a bug: name the path, exit 2
        log.debug("system error", exc_info=True)
        err.print(f"error: {OutputError.from_os(exc)}", markup=False)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        log.debug("unexpected error", exc_info=True)
        err.print(f"error: internal error: {type(exc).__name__}: {exc} (a bug: please report it; "
                  f"--verbose shows where it happened)", markup=False)
        sys.exit(70)
