"""A local server is reachable from any page the editor's browser opens: the review server binds
127.0.0.1, wants its token (or the session cookie the token URL sets), answers only to its own
Host, refuses writes from other sites, and sends a strict CSP with no CORS. Against the real
server, and the CLI that starts it."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time

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


def test_a_one_time_link_starts_a_session_once_then_is_dead(server):
    url = server.url
    code = url.split("?code=")[1]
    assert server.token not in url  # the printed link never holds the folder's key
    status, headers, _ = raw(server, "GET", f"/?code={code}")
    assert status == 303 and headers["location"] == "/"
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert cookie.startswith(f"summarizer_review_{server.port}=")  # cookies do not tell ports apart: the name does
    session = {"Cookie": cookie.split(";")[0]}
    assert raw(server, "GET", "/api/briefs", session)[0] == 200
    again, headers, body = raw(server, "GET", f"/?code={code}")  # spent: the same link again is refused
    assert again == 401 and "set-cookie" not in headers and b"used already or has expired" in body
    assert raw(server, "GET", "/?code=not-it")[0] == 401
    assert raw(server, "GET", f"/?token={server.token}")[0] == 401  # the key never works in a URL


def test_an_expired_code_is_dead(server):
    code = server.guard.mint(ttl=-1)
    assert raw(server, "GET", f"/?code={code}")[0] == 401


def test_a_wrong_or_missing_key_gets_a_page_that_asks_for_it(server):
    status, headers, body = raw(server, "GET", "/", {"Accept": "text/html"})
    assert status == 401 and headers["content-type"].startswith("text/html")
    page = body.decode()
    assert '<form method="post" action="/login">' in page and "{\"error\"" not in page and server.token not in page
    status, _, body = raw(server, "GET", "/api/briefs")  # a script still gets one JSON line
    assert status == 401 and json.loads(body)["error"]
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": server.base}
    assert raw(server, "POST", "/login", form, b"key=wrong")[0] == 401
    status, headers, _ = raw(server, "POST", "/login", form, f"key={server.token}".encode())
    assert status == 303 and raw(server, "GET", "/api/days", {"Cookie": headers["set-cookie"].split(";")[0]})[0] == 200
    assert raw(server, "POST", "/login", {**form, "Origin": "http://evil.example"}, f"key={server.token}".encode())[0] == 403


def test_the_folder_keeps_its_key_and_address(folder):
    from summarizer.review.server import KEY_FILE, ReviewServer

    with ReviewServer(folder, port=None) as first:
        key, port = first.token, first.port
    path = folder / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"key": key, "port": port}
    with ReviewServer(folder, port=None) as second:  # a bookmark of http://127.0.0.1:PORT/ and its cookie still work
        assert (second.token, second.port) == (key, port)
        assert raw(second, "GET", "/api/days", {"Cookie": f"summarizer_review_{port}={key}"})[0] == 200


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


def test_the_command_prints_a_one_time_link_and_stops_on_ctrl_c(folder):
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", "review", str(folder), "--no-browser", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = proc.stdout.readline()
        match = re.match(r"review: http://127\.0\.0\.1:(\d+)/\?code=([\w-]+)$", line.strip())
        assert match, line
        key = json.loads((folder / ".review-key").read_text())["key"]
        assert key not in line
        conn = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=30)
        conn.request("GET", "/api/days", headers={"Authorization": f"Bearer {key}"})
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    assert "Traceback" not in proc.stderr.read()


def test_the_browser_launcher_gets_a_private_file_not_the_link(folder, tmp_path):
    """webbrowser runs $BROWSER with what it opens: here a recorder of its command line and of the
    file it was given (the file is gone once the server stops)."""
    seen = tmp_path / "seen"
    recorder = tmp_path / "browser.sh"
    recorder.write_text(f'#!/bin/sh\necho "$@" > {seen}.args\nf=$(echo "$1" | sed "s|^file://||")\n'
                        f'stat -c %a "$f" > {seen}.mode\ncat "$f" > {seen}.html\n')
    recorder.chmod(0o700)
    env = {**os.environ, "BROWSER": str(recorder)}
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", "review", str(folder), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        line = proc.stdout.readline()
        port = int(re.search(r":(\d+)/", line).group(1))
        for _ in range(200):
            if (tmp_path / "seen.html").is_file() and (tmp_path / "seen.html").stat().st_size:
                break
            time.sleep(0.05)
        args = (tmp_path / "seen.args").read_text()
        key = json.loads((folder / ".review-key").read_text())["key"]
        assert args.startswith("file://") and "code=" not in args and key not in args  # ps shows a path only
        assert (tmp_path / "seen.mode").read_text().strip() == "600"
        code = re.search(r"code=([\w-]+)", (tmp_path / "seen.html").read_text()).group(1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", f"/?code={code}", headers={"Host": f"127.0.0.1:{port}"})
        assert conn.getresponse().status == 303  # the file's link opens a session
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    launch = args.split()[0][len("file://"):]
    assert not os.path.exists(launch)
