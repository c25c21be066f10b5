"""The review page's guard: a local server is reachable from any page the editor's browser opens.

An ASGI middleware, first in line for every request:
- Host must be 127.0.0.1:PORT or localhost:PORT (DNS rebinding: a hostile name resolved to
  127.0.0.1 still carries its own Host) -> else 400.
- The folder's key must come as `Authorization: Bearer KEY` or as the session cookie (HttpOnly,
  SameSite=Strict, named after the port: cookies do not tell ports apart). A browser gets the
  cookie from a one-time code (`/?code=C`: good once, for a few minutes, then dead) or from the
  key typed into the page that asks for it (POST /login). Without either: 401, an HTML page that
  asks for the key for a browser, one JSON line for a script.
- A write (anything but GET/HEAD) whose Origin is not this server, or whose Sec-Fetch-Site says
  another site, is refused -> 403 (a form or fetch from another page, even with the cookie).
- Every answer carries a strict Content-Security-Policy (scripts and styles from this server only,
  nothing inline, no frames; an answer that sets its own policy keeps it), nosniff, no referrer,
  no framing; there are no CORS headers.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from markupsafe import escape

COOKIE = "summarizer_review"
CODE_TTL = 600.0  # seconds a one-time code stays good
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
           (b"cross-origin-opener-policy", b"same-origin"), (b"cross-origin-resource-policy", b"same-origin"),
           (b"cache-control", b"no-store")]
SAFE_METHODS = ("GET", "HEAD")
ASK = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Review: the key, please</title></head>
<body><main><h1>{title}</h1><p>{why}</p>
<form method="post" action="/login"><label>Key <input name="key" type="password" autocomplete="current-password"
 autofocus required></label> <button type="submit">Open the review</button></form>
<p>The key is in the file <code>.review-key</code> of the output folder (only its owner can read it);
<code>summarizer review FOLDER</code> also prints a link that opens a session once.</p></main></body></html>
"""

Scope = dict[str, Any]
ASGI = Callable[[Scope, Callable, Callable], Awaitable[None]]


class Guard:
    """Wraps the application (see the module doc).

    Args:
        app: the ASGI application.
        token: the folder's key (Bearer, cookie, the login page).
        port: the port it listens on (Host and Origin must name it).
    """

    def __init__(self, app: ASGI, token: str, port: int) -> None:
        self.app, self.token, self.port = app, token, port
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.cookie = f"{COOKIE}_{port}"
        self.codes: dict[str, float] = {}

    def mint(self, ttl: float = CODE_TTL) -> str:
        """A one-time code: `/?code=CODE` opens one session, within `ttl` seconds, once."""
        now = time.monotonic()
        self.codes = {c: t for c, t in self.codes.items() if t > now}
        code = secrets.token_urlsafe(24)
        self.codes[code] = now + ttl
        return code

    def _redeem(self, code: str) -> bool:
        expiry = self.codes.pop(code, None)  # spent whatever happens next
        return expiry is not None and expiry > time.monotonic()

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            return await _plain(send, *refusal)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if scope["path"] == "/" and query.get("code"):
            if self._redeem(query["code"][0]):
                return await self._enter(send)  # the code is spent: the cookie stays, the URL is dead
            return await self._ask(send, "This link was used already or has expired",
                                   "A review link opens one session, once. Type the folder's key to go on.")
        if scope["path"] == "/login" and scope.get("method") == "POST":
            form = parse_qs((await _body(receive)).decode("utf-8", "replace"))
            if self._same((form.get("key") or [""])[0].strip()):
                return await self._enter(send)
            return await self._ask(send, "That is not the key", "Check the key and try again.")
        if not self._authorised(headers):
            if scope["path"] == "/" or "text/html" in headers.get("accept", ""):
                return await self._ask(send, "This review needs its key", "No session in this browser yet.")
            return await _plain(send, 401, "send the key (Authorization: Bearer KEY) or open the link that "
                                           "`summarizer review` printed")

        async def secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                own = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *(h for h in HEADERS if h[0] not in own)]}
            await send(message)

        await self.app(scope, receive, secured)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        if headers.get("host", "").lower() not in self.hosts:
            return 400, "this server answers to 127.0.0.1 and localhost on its own port only"
        if scope.get("method", "GET") not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.lower() not in self.origins:
                return 403, "a write from another site is refused"
            if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return 403, "a write from another site is refused"
        return None

    def _authorised(self, headers: dict[str, str]) -> bool:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and self._same(auth[7:].strip()):
            return True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is no session
            return False
        return self.cookie in cookie and self._same(cookie[self.cookie].value)

    def _same(self, given: str) -> bool:
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode())

    async def _enter(self, send: Callable) -> None:
        cookie = f"{self.cookie}={self.token}; HttpOnly; SameSite=Strict; Path=/".encode()
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", b"/"), (b"set-cookie", cookie), (b"content-length", b"0"), *HEADERS]})
        await send({"type": "http.response.body", "body": b""})

    async def _ask(self, send: Callable, title: str, why: str) -> None:
        body = ASK.format(title=escape(title), why=escape(why)).encode()
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), *HEADERS]})
        await send({"type": "http.response.body", "body": body})


async def _body(receive: Callable, limit: int = 4096) -> bytes:
    data = b""
    while True:
        message = await receive()
        data += message.get("body", b"")
        if not message.get("more_body") or len(data) > limit:
            return data[:limit]


async def _plain(send: Callable, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *HEADERS]})
    await send({"type": "http.response.body", "body": body})
