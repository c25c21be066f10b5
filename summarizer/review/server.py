"""Running the review application: uvicorn on 127.0.0.1 only, a fresh one-time token, a free port
when asked for port 0. `ReviewServer` runs it in a thread (the CLI waits on it; tests stop it)."""

from __future__ import annotations

import secrets
import socket
import threading
import time
from datetime import date
from pathlib import Path

HOST = "127.0.0.1"


class ReviewServer:
    """The review application served on 127.0.0.1.

    Args:
        folder: the output folder to review.
        port: the port (0: a free one).
        day: the day the page opens on.
        state: the state database (default: FOLDER/state.sqlite).
        editor: the author recorded on every change (default: the OS user).
    """

    def __init__(self, folder: Path, port: int = 0, day: date | None = None, state: Path | None = None,
                 editor: str | None = None) -> None:
        import uvicorn

        from .app import create_app

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((HOST, port))  # loopback only, whatever the port
        self.port = self.sock.getsockname()[1]
        self.token = secrets.token_urlsafe(32)
        app = create_app(Path(folder), self.token, self.port, day, state, editor)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                server_header=False, date_header=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True,
                                       name="summarizer-review")

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        """The URL with the token: opening it starts a session."""
        return f"{self.base}/?token={self.token}"

    def start(self, timeout: float = 10.0) -> "ReviewServer":
        """Serve in the background; returns once the server accepts requests."""
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the review server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()

    def __enter__(self) -> "ReviewServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
