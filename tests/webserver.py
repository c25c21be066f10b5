"""A scripted web server on loopback for fetch tests: routes answer with chosen statuses, headers,
bodies and delays, in sequence when a list is given; every request is recorded. A reply can also
drip its body a byte at a time, or stream without end (bytes sent are counted per path)."""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Reply:
    """One answer: status, headers, body, and seconds to wait before answering."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "text/html; charset=utf-8"
    drip: float = 0.0  # seconds between two bytes of the body
    endless: int = 0  # stream this many bytes (no Content-Length), 64 KB at a time
    head_drip: float = 0.0  # seconds over which the status line and headers trickle out, a few bytes at a time


class WebServer:
    """Serve `routes` ({path: Reply | [Reply, ...]}) on `host`; use as a context manager.

    A list answers its replies in turn and then repeats the last one. A Reply with an ETag
    header answers 304 to a request that sends that ETag back.
    """

    def __init__(self, routes: dict[str, Reply | list[Reply]] | None = None, host: str = "127.0.0.1") -> None:
        self.routes = dict(routes or {})
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.sent: dict[str, int] = {}  # body bytes written per path (drips and streams)
        self._served: dict[str, int] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server._answer(self)

        self.httpd = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        """The full URL of a path on this server."""
        return self.base + path

    def __enter__(self) -> "WebServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        """Paths requested, in order (robots.txt included)."""
        return [p for p, _ in self.requests]

    def _answer(self, handler) -> None:
        path = handler.path
        self.requests.append((path, dict(handler.headers)))
        route = self.routes.get(path.split("?")[0] if path.split("?")[0] in self.routes else path)
        if route is None:
            return self._send(handler, Reply(404, b"not found", content_type="text/plain"))
        if isinstance(route, list):
            k = self._served.get(path, 0)
            self._served[path] = k + 1
            route = route[min(k, len(route) - 1)]
        if route.delay:
            time.sleep(route.delay)
        etag = route.headers.get("ETag")
        if etag and handler.headers.get("If-None-Match") == etag:
            return self._send(handler, Reply(304, b"", {"ETag": etag}))
        if route.head_drip:
            return self._drip_head(handler, route)
        if route.drip or route.endless:
            return self._stream(handler, path, route)
        self._send(handler, route)

    def _stream(self, handler, path: str, reply: Reply) -> None:
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
            for key, value in reply.headers.items():
                handler.send_header(key, value)
            if reply.drip:
                handler.send_header("Content-Length", str(len(body)))
            else:
                handler.send_header("Connection", "close")
            handler.end_headers()
            if reply.drip:
                for k in range(len(body)):
                    handler.wfile.write(body[k:k + 1])
                    handler.wfile.flush()
                    self.sent[path] = self.sent.get(path, 0) + 1
                    time.sleep(reply.drip)
            else:
                chunk = b"\0" * 65536
                while self.sent.get(path, 0) < reply.endless:
                    handler.wfile.write(chunk)
                    self.sent[path] = self.sent.get(path, 0) + len(chunk)
            handler.close_connection = True
        except (BrokenPipeError, ConnectionResetError, OSError):
            handler.close_connection = True

    @staticmethod
    def _drip_head(handler, reply: Reply) -> None:
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        lines = [f"HTTP/1.1 {reply.status} X", f"Content-Type: {reply.content_type}",
                 *(f"{k}: {v}" for k, v in reply.headers.items()), f"Content-Length: {len(body)}",
                 "Connection: close"]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        pieces = [head[k:k + 4] for k in range(0, len(head), 4)]
        try:
            for piece in pieces:
                handler.wfile.write(piece)
                handler.wfile.flush()
                time.sleep(reply.head_drip / len(pieces))
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        handler.close_connection = True

    @staticmethod
    def _send(handler, reply: Reply) -> None:
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        try:
            handler.send_response(reply.status)
            if reply.status != 304:
                handler.send_header("Content-Type", reply.content_type)
            for key, value in reply.headers.items():
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
