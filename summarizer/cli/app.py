"""The `summarizer` application: parses arguments only; the work lives in the library.

Exit codes of run and retry: 0 all articles done (given-up inputs skipped); 1 something failed in
this run (the batch finished, the report lists them); 2 usage or config error, or a model that is not
available; 70 an internal error (a bug); 75 the output folder is locked; 130/143 interrupted by
SIGINT/SIGTERM. `status` has its own (cli/status.py, docs/operations.md).
"""

from __future__ import annotations

import sys

import typer

from ..errors import OutputError
from ..version import __version__
from . import digest, review, run, search, status
from .common import LogStyle, fail, log
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
    if _wants_json(sys.argv[1:]):  # usage errors found before the command runs are JSON records too
        LogStyle.configure("json")
    try:
        sys.exit(_run_app())
    except KeyboardInterrupt:
        _exit(fail("interrupted", 130, event="interrupted"))
    except OSError as exc:  # the disk or the system, not a bug: name the path, exit 2
        log.debug("system error", exc_info=True)
        _exit(fail(str(OutputError.from_os(exc))))
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        log.debug("unexpected error", exc_info=True)
        _exit(fail(f"internal error: {type(exc).__name__}: {exc} (a bug: please report it; --verbose shows "
                   f"where it happened)", 70, event="internal_error"))


def _wants_json(args: list[str]) -> bool:
    return "--log-format=json" in args or any(a == "--log-format" and b == "json" for a, b in zip(args, args[1:]))


def _exit(exit_: typer.Exit) -> None:
    sys.exit(exit_.exit_code)


def _run_app() -> int:
    """The app, with click's usage errors as one line (a JSON record under --log-format json)."""
    try:
        from typer._click import exceptions as click_errors  # typer >= 0.20 carries its own click
    except ImportError:  # pragma: no cover - an older typer
        from click import exceptions as click_errors  # type: ignore[no-redef]
    try:
        result = app(standalone_mode=False)
    except click_errors.UsageError as exc:
        if not LogStyle.json or type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()
            return exc.exit_code
        hint = f" (try '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        return fail(exc.format_message() + hint, exc.exit_code, event="usage_error").exit_code
    except typer.Abort:
        raise KeyboardInterrupt from None
    return result if isinstance(result, int) else 0
