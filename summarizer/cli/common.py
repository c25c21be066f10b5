"""What every command shares: the error console, one-line failures, logging setup, log records.

Log records of `run` and `retry` (docs/operations.md): with `--log-format json` every stderr line is one
JSON object {"ts": UTC ISO 8601, "level", "run": the attempt's id (null before it has one), "event", ...
fields}, fatal errors included; as text, a line starts with its UTC time when `--timestamps` is given
or stderr is not a terminal (cron, systemd, a pipe).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import Any

import typer
from rich.console import Console

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)
log = logging.getLogger("summarizer")


class LogStyle:
    """How this process logs: set once by the command (module state: the process has one stderr)."""

    json = False
    timestamps = False
    run: int | None = None

    @classmethod
    def configure(cls, log_format: str = "text", timestamps: bool | None = None) -> None:
        """`timestamps` None: on when stderr is not a terminal."""
        cls.json = log_format == "json"
        cls.timestamps = (not err.is_terminal) if timestamps is None else timestamps


def now_iso() -> str:
    """The UTC time, ISO 8601 with milliseconds and a Z."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def json_record(level: str, event: str, **fields: Any) -> str:
    """One JSON log line (the fixed keys first)."""
    return json.dumps({"ts": now_iso(), "level": level, "run": LogStyle.run, "event": event, **fields},
                      ensure_ascii=False, default=str)


def stamp(text: str) -> str:
    """A text log line, with its time in front when timestamps are on."""
    return f"{now_iso()} {text}" if LogStyle.timestamps else text


def emit(level: str, event: str, text: str, markup: bool = False, **fields: Any) -> None:
    """One log record on stderr: a JSON object, or the text (with its time when timestamps are on)."""
    if LogStyle.json:
        err.print(json_record(level, event, **fields), markup=False, highlight=False, soft_wrap=True)
    else:
        from rich.markup import escape

        prefix = escape(stamp("")) if markup else stamp("")
        err.print(prefix + text, markup=markup, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2, event: str = "fatal") -> typer.Exit:
    """Print one error line (a JSON record with --log-format json) and return the Exit to raise."""
    from rich.markup import escape

    if LogStyle.json:
        err.print(json_record("error", event, message=message, exit_code=code), markup=False, highlight=False,
                  soft_wrap=True)
    else:
        err.print(f"{escape(stamp(''))}[bold red]error:[/] {escape(message)}", markup=True, highlight=False)
    return typer.Exit(code)


class _Formatter(logging.Formatter):
    """Plain lines ("warning: ..." for warnings, bare text for notes), or JSON objects."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if LogStyle.json:
            return json_record(record.levelname.lower(), "log", message=message)
        return stamp(message if record.levelno < logging.WARNING else f"{record.levelname.lower()}: {message}")


def setup_logging(quiet: bool = False, verbose: bool = False, log_format: str = "text",
                  timestamps: bool | None = False) -> None:
    """The library's log goes to stderr: notes and warnings (errors only with --quiet)."""
    LogStyle.configure(log_format, timestamps)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    log.handlers[:] = [handler]
    log.setLevel(logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO)
    log.propagate = False
    if LogStyle.json:  # Python warnings (a library's deprecation, say) are records too, not bare lines
        logging.captureWarnings(True)
        warnings_log = logging.getLogger("py.warnings")
        warnings_log.handlers[:] = [handler]
        warnings_log.propagate = False
