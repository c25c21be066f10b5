"""The fetcher's limits (issue 32): one deadline per request across redirects and retries, state per
origin, a budget and a breaker per origin, Retry-After dates in UTC, host names as UTS #46 reads
them, site-local IPv6 refused, and a robots.txt redirect nobody can read. Against loopback servers."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from summarizer.ingest.fetch import FetchError, FetchSettings, PoliteFetcher
from summarizer.ingest.hosts import retry_after
from summarizer.ingest.netguard import public_problem
from summarizer.ingest.urls import parse_url
from tests.ingest.feedsite import page
from tests.webserver import Reply, WebServer


def test_one_deadline_for_a_chain_of_dripping_redirects():
    """Six redirects, each taking 0.8 s to send its headers: with a 1 s timeout the request ends by 1.5 s."""
    with WebServer() as web:
        for k in range(6):
            web.routes[f"/r{k}"] = Reply(302, "", {"Location": web.url(f"/r{k + 1}")}, head_drip=0.8)
        web.routes["/r6"] = Reply(body=page("port"))
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=1.0))
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out") as caught:
            fetcher.fetch(web.url("/r0"))
        elapsed = time.monotonic() - started
    assert caught.value.kind == "timeout"
    assert elapsed < 1.5, elapsed
    assert "/r6" not in web.paths()


def test_retries_end_within_the_deadline_too():
    with WebServer() as web:
        web.routes["/busy"] = Reply(503, "busy", {"Retry-After": "0"}, head_drip=0.4)
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=1.0, retries=5, breaker=0))
        started = time.monotonic()
        with pytest.raises(FetchError):
            fetcher.fetch(web.url("/busy"))
        elapsed = time.monotonic() - started
    assert elapsed < 1.5, elapsed
    assert web.paths().count("/busy") <= 3  # 0.4 s each: the fourth would end past the deadline
    with WebServer() as web:
        web.routes["/later"] = Reply(503, "busy", {"Retry-After": "3"})
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=1.0, breaker=0))
        started = time.monotonic()
        with pytest.raises(FetchError, match="would end past"):
            fetcher.fetch(web.url("/later"))
        assert time.monotonic() - started < 1.0  # no wait that cannot end in time


def test_a_retry_after_date_is_utc_whatever_the_local_zone(monkeypatch):
    """RFC 9110: an HTTP date is GMT; `-0000` must not be read as this machine's local time."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        now = datetime(2026, 12, 6, 10, 0, 0, tzinfo=timezone.utc).timestamp()
        assert retry_after("Sun, 06 Dec 2026 10:00:10 -0000", 0, now=now) == pytest.approx(10.0)
        assert retry_after("Sun, 06 Dec 2026 10:00:10 GMT", 0, now=now) == pytest.approx(10.0)
        assert retry_after("Sun, 06 Dec 2026 05:00:10 -0500", 0, now=now) == pytest.approx(10.0)
        assert retry_after("Sun, 06 Dec 2026 09:00:00 GMT", 0, now=now) == 0.0  # past: no wait
        assert retry_after("120", 0) == 120.0
        assert retry_after("soon", 2) == 4.0 and retry_after(None, 10) == 30.0  # backoff, capped
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_breaker_after_repeated_5xx_stops_asking_the_origin():
    """Five pages on an origin that answers 503: not 5 x 4 requests; the origin waits for the next run."""
    with WebServer() as web:
        for k in range(5):
            web.routes[f"/p{k}"] = Reply(503, "busy", {"Retry-After": "0"})
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=5.0, retries=3, breaker=5))
        kinds = []
        for k in range(5):
            with pytest.raises(FetchError) as caught:
                fetcher.fetch(web.url(f"/p{k}"))
            kinds.append(caught.value.kind)
    pages = [p for p in web.paths() if p.startswith("/p")]
    assert len(pages) == 5, pages  # 4 for the first page, 1 more trips the breaker
    assert kinds[0] == "http" and kinds[1:] == ["deferred"] * 4
    assert fetcher.ready_in(web.base) == 0.0  # a deferred origin is never waited for


def test_crawl_delay_and_deferral_are_kept_per_origin_not_per_host_name():
    with WebServer() as slow, WebServer() as other:  # both 127.0.0.1, two ports
        slow.routes["/robots.txt"] = Reply(body="User-agent: *\nCrawl-delay: 86400\n", content_type="text/plain")
        slow.routes["/a"] = Reply(body=page("port"))
        other.routes["/b"] = Reply(body=page("rain"))
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=2.0))
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(slow.url("/a"))
        assert caught.value.kind == "deferred"
        assert fetcher.fetch(other.url("/b")).status == 200  # the other port has no robots rules
        assert fetcher.ready_in(other.base) == 0.0
        assert set(fetcher.hosts()) == {slow.base, other.base}


def test_each_origin_has_a_budget_of_request_time_per_run():
    with WebServer() as web:
        for k in range(4):
            web.routes[f"/p{k}"] = Reply(body=page("port"), delay=0.4)
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=5.0, host_budget=1.0))
        outcomes = []
        for k in range(4):
            try:
                outcomes.append(fetcher.fetch(web.url(f"/p{k}")).status)
            except FetchError as exc:
                outcomes.append(exc.kind)
    assert outcomes[:2] == [200, 200] and outcomes[-1] == "deferred", outcomes
    assert len([p for p in web.paths() if p.startswith("/p")]) <= 3


def test_a_robots_txt_redirect_nobody_can_read_is_no_robots_txt():
    """`Location: http://[oops` (urljoin raises ValueError): as if there were no robots.txt."""
    with WebServer() as web:
        web.routes["/robots.txt"] = Reply(302, "", {"Location": "http://[oops/robots.txt"})
        web.routes["/a"] = Reply(body=page("port"))
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=2.0))
        assert fetcher.fetch(web.url("/a")).status == 200
    with pytest.raises(ValueError, match="unreadable"):
        parse_url("http://[oops", base="http://example.org/robots.txt")


@pytest.mark.parametrize("host, expected", [
    ("faß.de", "xn--fa-hia.de"),  # IDNA 2003 would say fass.de: another site
    ("ς.gr", "xn--3xa.gr"),  # final sigma kept, not folded to σ (xn--4xa.gr)
    ("نامه\u200cای.ir", "xn--mgba3gch31f060k.ir"),  # the Persian ZWNJ kept, not dropped
    ("Bücher.DE", "xn--bcher-kva.de"), ("ＥＸＡＭＰＬＥ.com", "example.com"),
])
def test_host_names_are_read_as_uts46_non_transitional(host, expected):
    assert parse_url(f"http://{host}/x").host == expected


def test_site_local_ipv6_is_not_public():
    assert "site-local" in (public_problem("fec0::1") or "")
    assert "site-local" in (public_problem("feff:ffff::1") or "")
    assert public_problem("2001:4860:4860::8888") is None
