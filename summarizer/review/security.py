"""The review page's guard: a local server is reachable from any page the editor's browser opens.

An ASGI middleware, first in line for every request:
- Host must be 127.0.0.1:PORT or localhost:PORT (DNS rebinding: a hostile name resolved to
  127.0.0.1 still carries its own Host) -> else 400.
- The one-time token must come as `Authorization: Bearer TOKEN` or as the session cookie that
  opening `/?token=TOKEN` sets (HttpOnly, SameSite=Strict) -> else 401.
- A write (anything but GET/HEAD) whose Origin is not this server, or whose Sec-Fetch-Site says
  another site, is refused -> 403 (a form or fetch from another page, even with the cookie).
- Every answer carries a strict Content-Security-Policy (scripts and styles from this server only,
  nothing inline, no frames), nosniff, no referrer, no framing; there are no CORS headers.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

COOKIE = "summarizer_review"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
           (b"cross-origin-opener-policy", b"same-origin"), (b"cross-origin-resource-policy", b"same-origin"),
           (b"cache-control", b"no-store")]
SAFE_METHODS = ("GET", "HEAD")

Scope = dict[str, Any]
ASGI = Callable[[Scope, Callable, Callable], Awaitable[None]]


class Guard:
    """Wraps the application (see the module doc).

    Args:
        app: the ASGI application.
        token: the one-time token of this server.
        port: the port it listens on (Host and Origin must name it).
    """

    def __init__(self, app: ASGI, token: str, port: int) -> None:
        self.app, self.token, self.port = app, token, port
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            return await _plain(send, *refusal)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if scope["path"] == "/" and query.get("token") and self._same(query["token"][0]):
            return await _enter(send, self.token)  # the token URL: set the session cookie, drop the token

        async def secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        await self.app(scope, receive, secured)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        if headers.get("host", "").lower() not in self.hosts:
            return 400, "this server answers to 127.0.0.1 and localhost on its own port only"
        method = scope.get("method", "GET")
        if method not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.lower() not in self.origins:
                return 403, "a write from another site is refused"
            if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return 403, "a write from another site is refused"
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if scope["path"] == "/" and query.get("token"):
            return None if self._same(query["token"][0]) else (401, "wrong token")
        if self._authorised(headers):
            return None
        return 401, "open the URL with the token that `summarizer review` printed"

    def _authorised(self, headers: dict[str, str]) -> bool:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and self._same(auth[7:].strip()):
            return True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is no session
            return False
        return COOKIE in cookie and self._same(cookie[COOKIE].value)

    def _same(self, given: str) -> bool:
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode())


async def _plain(send: Callable, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *HEADERS]})
    await send({"type": "http.response.body", "body": body})


async def _enter(send: Callable, token: str) -> None:
    cookie = f"{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/".encode()
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", b"/"), (b"set-cookie", cookie), (b"content-length", b"0"), *HEADERS]})
    await send({"type": "http.response.body", "body": b""})
