"""Feeds followed to their articles, politely, once: against a real local HTTP server."""

from __future__ import annotations

import time

import pytest

from summarizer.ingest.fetch import FetchError, FetchSettings, PoliteFetcher
from summarizer.ingest.follow import FeedReader, url_key
from summarizer.ingest.sources import FeedSource
from summarizer.types import Article, Failure
from tests.ingest.feedsite import EMPTY_PAGE, item, page, rss
from tests.webserver import Reply, WebServer

RSS = "application/rss+xml"


class MemoryState:
    """A FeedState in memory."""

    def __init__(self, done: set[str] = frozenset()) -> None:
        self.saved: dict[str, tuple] = {}
        self.pending: dict[str, tuple] = {}
        self.done = set(done)

    def validators(self, feed_url):
        return self.saved.get(feed_url, (None, None))

    def keep_validators(self, feed_url, etag, last_modified):
        self.pending[feed_url] = (etag, last_modified)

    def known(self, key, guid, feed):
        return key in self.done or guid in self.done


def read(server, routes_feed: dict, state=None, follow=None, timeout=1.0, **settings):
    fetcher = PoliteFetcher(FetchSettings(delay=0.0, timeout=timeout, **settings))
    reader = FeedReader(fetcher, state or MemoryState(), follow=follow)
    sources = [FeedSource(url=server.url(path), **kw) for path, kw in routes_feed.items()]
    opened = reader.open(sources)
    order = {item.ref: k for k, item in enumerate(opened)}
    results = sorted(reader.articles(opened), key=lambda r: order[r.ref])  # they come as pages arrive
    return results, reader


def test_teasers_are_followed_and_full_items_are_not(tmp_path):
    with WebServer() as web:
        web.routes.update({
            "/feed.xml": Reply(body=rss("جريدة المدينة", [item("port", web.url("/port")),
                                                         item("rain", web.url("/rain"), full=True)]),
                               content_type=RSS),
            "/port": Reply(body=page("port")), "/rain": Reply(body=page("rain"))})
        results, reader = read(web, {"/feed.xml": {}})
    port, rain = results
    assert isinstance(port, Article) and "بكلفة تبلغ 120 مليون دينار" in port.text and "1200 سفينة" in port.text
    assert port.format == "html" and port.extracted and port.site == "جريدة المدينة"
    assert rain.format == "rss" and "/rain" not in web.paths()  # over 80 words: the feed text is the article
    [stats] = reader.stats
    assert (stats.items, stats.new, stats.fetched, stats.teaser_only) == (2, 2, 1, 0)


def test_retries_honour_retry_after_and_5xx_then_success():
    with WebServer() as web:
        web.routes.update({
            "/feed.xml": Reply(body=rss("ج", [item("port", web.url("/port")), item("rain", web.url("/rain"))]),
                               content_type=RSS),
            "/port": [Reply(429, "slow down", {"Retry-After": "1"}), Reply(body=page("port"))],
            "/rain": [Reply(500, "oops"), Reply(503, "busy"), Reply(body=page("rain"))]})
        started = time.monotonic()
        results, _ = read(web, {"/feed.xml": {}}, timeout=5.0)  # the waits count against the request's deadline
        elapsed = time.monotonic() - started
    assert all(isinstance(r, Article) and r.format == "html" for r in results)
    assert web.paths().count("/port") == 2 and web.paths().count("/rain") == 3
    assert elapsed >= 1.0  # Retry-After: 1 was waited for


@pytest.mark.parametrize("reply, reason", [
    (Reply(body=b"%PDF-1.7 ...", content_type="application/pdf"), "not a page to read (application/pdf)"),
    (Reply(body="<html><body><p>" + "كلمة " * 400_000 + "</p></body></html>"), "size cap"),
    (Reply(body=page("port"), delay=3.0), "timed out"),
    (Reply(body=EMPTY_PAGE), "no article text"),
    (Reply(404, "gone"), "HTTP 404"),
])
def test_a_page_that_fails_falls_back_to_the_teaser_with_the_flag(reply, reason):
    with WebServer() as web:
        web.routes.update({"/feed.xml": Reply(body=rss("ج", [item("port", web.url("/port"))]), content_type=RSS),
                           "/port": reply})
        [result], reader = read(web, {"/feed.xml": {}}, max_bytes=1_000_000)
    assert isinstance(result, Article) and result.flags == ("teaser_only",)
    assert result.text == item("port", "")["description"] and reason in result.meta["teaser_only"]
    [stats] = reader.stats
    assert stats.teaser_only == 1 and reason in stats.failed[0]["reason"]


def test_robots_txt_is_honoured_before_any_page_request():
    with WebServer() as web:
        web.routes.update({"/robots.txt": Reply(body="User-agent: *\nDisallow: /news/\n", content_type="text/plain"),
                           "/feed.xml": Reply(body=rss("ج", [item("port", web.url("/news/port"))]),
                                              content_type=RSS),
                           "/news/port": Reply(body=page("port"))})
        [result], reader = read(web, {"/feed.xml": {}})
    assert result.flags == ("teaser_only",) and "robots.txt" in result.meta["teaser_only"]
    assert "/news/port" not in web.paths() and reader.stats[0].robots_disallowed == 1


def test_a_redirect_to_the_canonical_url_is_followed():
    with WebServer() as web:
        web.routes.update({"/feed.xml": Reply(body=rss("ج", [item("port", web.url("/p?id=1"))]), content_type=RSS),
                           "/p": Reply(301, "", {"Location": "/news/2026/port"}),
                           "/news/2026/port": Reply(body=page("port"))})
        [result], _ = read(web, {"/feed.xml": {}})
    assert result.format == "html" and result.url.endswith("/news/2026/port")


def test_the_same_story_in_two_feeds_is_fetched_once():
    with WebServer() as web:
        link = web.url("/port")
        web.routes.update({
            "/a.xml": Reply(body=rss("أ", [item("port", link + "?utm_source=rss&utm_medium=feed", guid="a1")]),
                            content_type=RSS),
            "/b.xml": Reply(body=rss("ب", [item("port", link.replace("127.0.0.1", "127.0.0.1") + "#top", guid="b9")]),
                            content_type=RSS),
            "/port": Reply(body=page("port"))})
        results, reader = read(web, {"/a.xml": {}, "/b.xml": {}})
    [article] = [r for r in results if isinstance(r, Article)]
    [duplicate] = [r for r in results if isinstance(r, Failure)]
    assert duplicate.stage == "duplicate" and article.ref == duplicate.ref
    assert web.paths().count("/port") == 1 and reader.stats[1].duplicates == 1


def test_items_already_done_are_skipped_before_any_request():
    with WebServer() as web:
        web.routes.update({"/feed.xml": Reply(body=rss("ج", [item("port", web.url("/port"))]), content_type=RSS),
                           "/port": Reply(body=page("port"))})
        state = MemoryState(done={url_key(web.url("/port"))})
        [result], reader = read(web, {"/feed.xml": {}}, state=state)
    assert isinstance(result, Failure) and result.stage == "state" and "/port" not in web.paths()
    assert reader.stats[0].already_done == 1


def test_conditional_get_makes_a_second_read_cost_nothing():
    with WebServer() as web:
        web.routes.update({"/feed.xml": Reply(body=rss("ج", [item("port", web.url("/port"))]), content_type=RSS,
                                              headers={"ETag": '"v1"'}),
                           "/port": Reply(body=page("port"))})
        state = MemoryState()
        read(web, {"/feed.xml": {}}, state=state)
        state.saved = dict(state.pending)  # what a finished run keeps
        before = len(web.requests)
        results, reader = read(web, {"/feed.xml": {}}, state=state)
    assert results == [] and reader.stats[0].status == "not_modified"
    assert [p for p in web.paths()[before:] if p != "/robots.txt"] == ["/feed.xml"]


def test_links_to_private_addresses_of_other_hosts_are_refused():
    with WebServer() as feed_host, WebServer(host="127.0.0.2") as other:
        other.routes["/secret"] = Reply(body=page("port"))
        feed_host.routes.update({
            "/feed.xml": Reply(body=rss("ج", [item("port", other.url("/secret"), guid="g1"),
                                              item("rain", feed_host.url("/hop"), guid="g2")]), content_type=RSS),
            "/hop": Reply(302, "", {"Location": other.url("/secret")})})
        results, reader = read(feed_host, {"/feed.xml": {}})
        assert all(r.flags == ("teaser_only",) and "private" in r.meta["teaser_only"] for r in results)
        assert "/secret" not in other.paths()  # refused before any request, redirects included
        allowed, _ = read(feed_host, {"/feed.xml": {}}, allow_private=True)
        assert all(r.format == "html" for r in allowed)


def test_the_user_agent_names_the_tool_and_the_contact():
    with WebServer() as web:
        web.routes["/page"] = Reply(body=page("port"))
        PoliteFetcher(FetchSettings(delay=0, contact="desk@example.org")).fetch(web.url("/page"))
    agent = web.requests[-1][1]["User-Agent"]
    assert agent.startswith("summarizer/") and "desk@example.org" in agent


def test_requests_to_one_host_are_spaced_and_capped():
    with WebServer() as web:
        for k in range(3):
            web.routes[f"/p{k}"] = Reply(body=page("port"))
        fetcher = PoliteFetcher(FetchSettings(delay=0.3, max_pages=2))
        started = time.monotonic()
        fetcher.fetch(web.url("/p0"))
        fetcher.fetch(web.url("/p1"))
        assert time.monotonic() - started >= 0.6  # robots.txt, then two pages, 0.3 s apart
        with pytest.raises(FetchError, match="cap of 2 pages"):
            fetcher.fetch(web.url("/p2"))
