"""A local server is reachable from any page the editor's browser opens: the review server binds
127.0.0.1, wants its token (or the session cookie the token URL sets), answers only to its own
Host, refuses writes from other sites, and sends a strict CSP with no CORS. Against the real
server, and the CLI that starts it."""

from __future__ import annotations

import http.client
import re
import signal
import subprocess
import sys

import pytest

from tests.helpers import ROOT


def raw(server, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    """One request with exactly these headers (Host included when given)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    sent = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for key, value in sent.items():
        conn.putheader(key, value)
    if body is not None:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def bearer(server) -> dict:
    return {"Authorization": f"Bearer {server.token}"}


def test_it_listens_on_loopback_only(server):
    assert server.sock.getsockname()[0] == "127.0.0.1"


@pytest.mark.parametrize("path", ["/", "/api/briefs", "/api/days", "/static/review.js"])
def test_no_token_no_answer(server, path):
    assert raw(server, "GET", path)[0] == 401
    assert raw(server, "GET", path, {"Authorization": "Bearer wrong"})[0] == 401
    assert raw(server, "GET", path, {"Cookie": "summarizer_review=wrong"})[0] == 401
    assert raw(server, "GET", path, bearer(server))[0] == 200


def test_the_token_url_starts_a_session_cookie(server):
    status, headers, _ = raw(server, "GET", f"/?token={server.token}")
    assert status == 303 and headers["location"] == "/"
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    session = {"Cookie": cookie.split(";")[0]}
    assert raw(server, "GET", "/api/briefs", session)[0] == 200
    assert raw(server, "GET", "/?token=not-it")[0] == 401


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "127.0.0.2:{port}",
                                  "localhost.evil.example:{port}", ""])
def test_a_foreign_host_header_is_refused(server, host):
    """DNS rebinding: a hostile name resolved to 127.0.0.1 still sends its own Host."""
    status, _, _ = raw(server, "GET", "/api/briefs", {**bearer(server), "Host": host.format(port=server.port)})
    assert status == 400
    assert raw(server, "GET", "/api/briefs", {**bearer(server), "Host": f"localhost:{server.port}"})[0] == 200


def test_writes_from_another_site_are_refused(server):
    brief = raw(server, "GET", "/api/briefs", bearer(server))[2]
    brief_id = re.search(rb'"id":\s*"([0-9a-f]{16})"', brief).group(1).decode()
    body = b'{"status": "approved"}'
    path = f"/api/briefs/{brief_id}"
    json_type = {"Content-Type": "application/json"}
    for foreign in ({"Origin": "http://evil.example"}, {"Origin": f"http://127.0.0.1:{server.port + 1}"},
                    {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}):
        status, _, _ = raw(server, "PATCH", path, {**bearer(server), **json_type, **foreign}, body)
        assert status == 403, foreign
        assert raw(server, "POST", "/api/digest", {**bearer(server), **json_type, **foreign}, b"{}")[0] == 403
    own = {"Origin": f"http://127.0.0.1:{server.port}", "Sec-Fetch-Site": "same-origin"}
    assert raw(server, "PATCH", path, {**bearer(server), **json_type, **own}, body)[0] == 200


def test_every_answer_carries_the_policy_and_no_cors(server):
    for path in ("/", "/api/briefs", "/static/review.js", "/api/nope"):
        status, headers, _ = raw(server, "GET", path, {**bearer(server), "Origin": "http://evil.example"})
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and headers["x-content-type-options"] == "nosniff"
        assert not [k for k in headers if k.startswith("access-control-")]
    page = raw(server, "GET", "/", bearer(server))[2].decode()
    assert "<script>" not in page and "style=" not in page and 'src="/static/review.js"' in page


def test_the_command_prints_a_token_url_and_stops_on_ctrl_c(folder):
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", "review", str(folder), "--no-browser", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = proc.stdout.readline()
        match = re.match(r"review: http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)$", line.strip())
        assert match, line
        conn = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=30)
        conn.request("GET", "/api/days", headers={"Authorization": f"Bearer {match.group(2)}"})
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    assert "Traceback" not in proc.stderr.read()
