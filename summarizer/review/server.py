"""Running the review application: uvicorn on 127.0.0.1 only. `ReviewServer` runs it in a thread
(the CLI waits on it; tests stop it).

A folder keeps its key and its port in FOLDER/.review-key (mode 0600, made on the first start):
the page's address (http://127.0.0.1:PORT/) and a browser's session stay the same from one start
to the next, and a script can read the key. What is printed or handed to a browser is a one-time
code, never the key; the browser launcher gets a 0600 redirect file, so no command line holds
even the code.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

HOST = "127.0.0.1"
KEY_FILE = ".review-key"


def folder_key(folder: Path) -> dict:
    """The folder's {"key", "port"} (made, 0600, when missing or unreadable)."""
    path = Path(folder) / KEY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("key"), str) and len(data["key"]) >= 32:
            return data
    except (OSError, ValueError):
        pass
    data = {"key": secrets.token_urlsafe(32), "port": None}
    _save_key(path, data)
    return data


def _save_key(path: Path, data: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600 from the start
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(data))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _listen(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))  # loopback only, whatever the port
    except OSError:
        sock.close()
        raise
    return sock


class ReviewServer:
    """The review application served on 127.0.0.1.

    Args:
        folder: the output folder to review.
        port: the port (0: a free one; None: the folder's own port when free, else a free one).
        day: the day the page opens on.
        state: the state database (default: FOLDER/state.sqlite).
        editor: the author recorded on every change (default: the OS user).
    """

    def __init__(self, folder: Path, port: int | None = 0, day: date | None = None, state: Path | None = None,
                 editor: str | None = None) -> None:
        import uvicorn

        from .app import create_app

        self.folder = Path(folder)
        keys = folder_key(self.folder)
        self.sock = None
        if port is None and isinstance(keys.get("port"), int):
            try:
                self.sock = _listen(keys["port"])
            except OSError:
                self.sock = None  # taken: a free one
        self.sock = self.sock or _listen(port or 0)
        self.port = self.sock.getsockname()[1]
        if port is None and keys.get("port") != self.port:
            _save_key(self.folder / KEY_FILE, {**keys, "port": self.port})
        self.token = keys["key"]
        self.guard = create_app(self.folder, self.token, self.port, day, state, editor)
        config = uvicorn.Config(self.guard, log_level="warning", access_log=False, lifespan="off",
                                server_header=False, date_header=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True,
                                       name="summarizer-review")
        self._launch_dir: str | None = None

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        """A fresh one-time URL: opening it starts a session, once, within ten minutes."""
        return f"{self.base}/?code={self.guard.mint()}"

    def launch_file(self) -> Path:
        """A 0600 HTML file (in a 0700 folder of its own) that sends a browser to a one-time URL: the
        browser's command line names this file, not the code. Removed when the server stops."""
        if self._launch_dir is None:
            self._launch_dir = tempfile.mkdtemp(prefix="summarizer-review-")
        path = Path(self._launch_dir) / "open.html"
        url = self.url
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f'<!DOCTYPE html><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
                      f'<meta http-equiv="refresh" content="0;url={url}"><title>Review</title>'
                      f'<a href="{url}" rel="noreferrer">Open the review</a>\n')
        return path

    def start(self, timeout: float = 10.0) -> "ReviewServer":
        """Serve in the background; returns once the server accepts requests (at once when it does)."""
        if self.thread.is_alive():
            return self
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the review server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread; the launch file goes."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
        if self._launch_dir:
            shutil.rmtree(self._launch_dir, ignore_errors=True)

    def __enter__(self) -> "ReviewServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
