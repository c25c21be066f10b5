"""`summarizer review DIR`: the editors' local review page (approve, order, edit; then the digest)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from ..errors import SummarizerError
from .common import err, fail


def review(
    folder: Path = typer.Argument(..., help="Output folder of a run."),
    day: Optional[str] = typer.Option(None, "--date", help="The day to open (YYYY-MM-DD; default: the newest)."),
    port: Optional[int] = typer.Option(None, "--port", min=0, max=65535,
                                       help="Port on 127.0.0.1 (default: the folder's own, kept in DIR/.review-key; "
                                            "0: a free one)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Print the URL only; do not open a browser."),
    state: Optional[Path] = typer.Option(None, "--state", help="State database (default: DIR/state.sqlite)."),
    editor: Optional[str] = typer.Option(None, "--editor", help="Your name, recorded on every change you make "
                                         "(default: the OS user)."),
) -> None:
    """Serve the review page of DIR on 127.0.0.1; prints a link that opens a session once; Ctrl+C stops it."""
    from ..review.server import ReviewServer

    try:
        when = date.fromisoformat(day) if day else None
    except ValueError:
        raise fail(f"--date must be YYYY-MM-DD, not {day!r}") from None
    if folder.is_file():
        raise fail(f"{folder} is a file: review takes the output folder of a run (the folder that holds "
                   f"briefs.jsonl, e.g. 'summarizer review {folder.parent}')")
    if editor is not None and not editor.strip():
        raise fail("--editor must be a name, not empty")
    try:
        server = ReviewServer(folder, port, when, state, editor=editor)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    server.start()
    print(f"review: {server.url}", flush=True)
    err.print(f"that link opens a session once; later, {server.base}/ asks for the key in "
              f"{Path(folder) / '.review-key'}; Ctrl+C stops the server", markup=False)
    if not no_browser:
        import webbrowser

        webbrowser.open(server.launch_file().as_uri())  # a 0600 file: no command line holds a code
    try:
        while server.thread.is_alive():
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
