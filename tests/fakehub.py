"""A local stand-in for the Hugging Face hub's HTTP API (loopback only), serving model folders.

It speaks the small part of the protocol `huggingface_hub` uses to download a snapshot:
model info, the file tree, and HEAD/GET on resolve URLs. With `status` set it answers every
request with that HTTP status instead (a proxy, a captive portal, a hub having a bad day).
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class FakeHub:
    """Serve `repos` ({"org/name": folder}) on 127.0.0.1; use as a context manager.

    Attributes:
        url: the endpoint to put in HF_ENDPOINT.
        status: when set, every request gets this status code and no body.
        delay: seconds each file download takes.
        requests: the paths requested, in order.
    """

    def __init__(self, repos: dict[str, Path] | None = None, status: int | None = None, delay: float = 0.0) -> None:
        self.repos = {k: Path(v) for k, v in (repos or {}).items()}
        self.status = status
        self.delay = delay
        self.requests: list[str] = []
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_HEAD(self):
                hub._answer(self, head=True)

            def do_GET(self):
                hub._answer(self, head=False)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeHub":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _files(self, repo: str) -> list[Path]:
        root = self.repos[repo]
        return sorted(p for p in root.rglob("*") if p.is_file())

    def _answer(self, handler, head: bool) -> None:
        path = unquote(urlparse(handler.path).path)
        self.requests.append(f"{handler.command} {path}")
        if self.status is not None:
            return self._send(handler, self.status, b"", head)
        parts = path.strip("/").split("/")
        if parts[:2] == ["api", "models"] and len(parts) >= 4:
            repo = "/".join(parts[2:4])
            if repo not in self.repos:
                return self._send(handler, 404, b'{"error": "Repository not found"}', head,
                                  {"X-Error-Code": "RepoNotFound"})
            if parts[4:5] == ["tree"]:
                return self._json(handler, self._tree(repo), head)
            return self._json(handler, self._info(repo), head)
        if len(parts) >= 5 and parts[2] == "resolve":
            repo, name = "/".join(parts[:2]), "/".join(parts[4:])
            file = self.repos.get(repo, Path("/nonexistent")) / name
            if not file.is_file():
                return self._send(handler, 404, b"", head, {"X-Error-Code": "EntryNotFound"})
            data = file.read_bytes()
            if not head and self.delay:
                time.sleep(self.delay)  # a slow link: long enough for progress bars to show
            return self._send(handler, 200, data, head, {"X-Repo-Commit": COMMIT, "ETag": f'"{_oid(data)}"'})
        return self._send(handler, 404, b"", head)

    def _info(self, repo: str) -> dict:
        root = self.repos[repo]
        return {"id": repo, "modelId": repo, "sha": COMMIT, "private": False,
                "siblings": [{"rfilename": str(p.relative_to(root)), "size": p.stat().st_size,
                              "blobId": _oid(p.read_bytes())} for p in self._files(repo)]}

    def _tree(self, repo: str) -> list[dict]:
        root = self.repos[repo]
        return [{"type": "file", "path": str(p.relative_to(root)), "size": p.stat().st_size,
                 "oid": _oid(p.read_bytes())} for p in self._files(repo)]

    def _json(self, handler, data, head: bool) -> None:
        self._send(handler, 200, json.dumps(data).encode(), head, {"Content-Type": "application/json"})

    @staticmethod
    def _send(handler, status: int, body: bytes, head: bool, headers: dict | None = None) -> None:
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if not head:
            handler.wfile.write(body)


def _oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
