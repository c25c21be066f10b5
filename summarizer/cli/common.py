"""What every command shares: the error console, one-line failures, logging setup."""

from __future__ import annotations

import logging
import sys

import typer
from rich.console import Console

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)
log = logging.getLogger("summarizer")


def fail(message: str, code: int = 2) -> typer.Exit:
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
