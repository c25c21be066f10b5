"""A hostile web and a careless user (issue 19): a local site on 127.0.0.1 that tries everything, and
an internal host on 127.0.0.2 that must never hear a request. End to end through `summarizer run
--sources` and `summarizer retry`, then each defence on its own against the fetcher and the reader."""

from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path

import pytest

from summarizer.ingest.fetch import FetchError, FetchSettings, PoliteFetcher
from summarizer.ingest.follow import FeedReader
from summarizer.ingest.netguard import public_problem
from summarizer.ingest.sources import FeedSource
from summarizer.ingest.urls import BadURL, clean_url, parse_url, url_key
from summarizer.types import Article, Failure
from tests.helpers import cli, write
from tests.ingest.feedsite import item, page, rss
from tests.webserver import Reply, WebServer

RSS = "application/rss+xml"
PAYLOAD = "<img src=x onerror=alert(1)>"
TIMEOUT = 2.0


def story(key: str, title: str, link: str, guid: str, teaser: bool = True) -> dict:
    """A feed item with its own teaser (the title said again, so no two teasers are one story)."""
    base = item(key, link, guid=guid)
    return {**base, "title": title, "description": f"{title}: {base['description']}" if teaser else ""}


WIRE = ["أعلنت وكالة الأنباء اليوم أن القطار السريع بين المدينتين سيبدأ رحلاته الأولى مطلع الشهر المقبل.",
        "وقال مدير المشروع إن الرحلة ستستغرق ساعتين بدلا من خمس ساعات بالطريق البري.",
        "وأضاف أن أسعار التذاكر ستعلن قبل أسبوع من بدء التشغيل."]


def wire_page() -> str:
    paragraphs = "".join(f"<p>{s}</p>" for s in WIRE)
    return (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>خبر الوكالة</title>'
            f'<meta property="og:title" content="خبر الوكالة"></head><body><article><h1>خبر الوكالة</h1>'
            f"{paragraphs}</article></body></html>")


def deep_jsonld_page() -> str:
    return ('<html><head><script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 +
            "</script></head><body><div id=app></div></body></html>")


@pytest.fixture()
def internal():
    with WebServer(host="127.0.0.2") as web:
        web.routes["/secret"] = Reply(body=page("school", "سر داخلي"))
        yield web


@pytest.fixture()
def hostile(internal):
    with WebServer() as web:
        inner = internal.base.split("//")[1]  # 127.0.0.2:P
        own = web.base.split("//")[1]  # 127.0.0.1:A
        items = [
            story("port", "رصيف 555", web.url("/details.aspx?NewsID=555"), "p555"),
            story("rain", "أمطار 556", web.url("/details.aspx?NewsID=556"), "p556"),
            story("school", "مدارس", web.url("/school?ref=" + PAYLOAD), "1"),  # payload in the link
            story("port", "[x](javascript:alert(1))", f"http://{inner}\\@{own}/x", "bs"),  # two parsers
            story("rain", "داخلي", internal.url("/secret"), "int", teaser=False),  # no teaser: fails, retried
            story("school", "تحويل", web.url("/hop"), "hop"),  # a redirect to the internal host
            story("port", "منفذ آخر", f"http://127.0.0.1:{internal.base.rsplit(':', 1)[1]}/x", "port"),
            story("rain", "عنوان مكسور", "http://[oops/x", "oops"),
            story("school", "صفحة عميقة", web.url("/deep"), "deep", teaser=False),  # no teaser: a failure
            story("port", "صفحة تقطر", web.url("/drip"), "drip"),
            story("rain", "فيديو", web.url("/video"), "video"),
            story("school", "بلا نهاية", web.url("/endless"), "endless"),
        ]
        other = [story("rain", "خبر الوكالة", web.url("/wire/1"), "1")]  # guid "1" again, another feed
        web.routes.update({
            "/feed.xml": Reply(body=rss("موقع عدائي", items), content_type=RSS, headers={"ETag": '"h1"'}),
            "/wire.xml": Reply(body=rss("وكالة", other), content_type=RSS),
            "/details.aspx?NewsID=555": Reply(body=page("port")),  # one page per id
            "/details.aspx?NewsID=556": Reply(body=page("rain")),
            "/school": Reply(body=page("school", "مدارس \u202eمقلوب")),  # a bidi override in the page title
            "/hop": Reply(302, "", {"Location": internal.url("/secret")}),
            "/deep": Reply(body=deep_jsonld_page()),
            "/drip": Reply(body=page("port"), drip=0.05),
            "/video": Reply(body=b"", content_type="video/mp4", headers={"X-Size": "2GB"}, endless=2_000_000_000),
            "/endless": Reply(body=b"", endless=2_000_000_000),
            "/wire/1": Reply(body=wire_page()),
        })
        yield web


def _sources(tmp_path: Path, web: WebServer) -> str:
    return str(write(tmp_path / "sources.yaml", f"""defaults: {{delay: 0, teaser_words: 80, follow: always}}
feeds:
  - {{url: {web.url('/feed.xml')}, name: Hostile, language: ar}}
  - {{url: {web.url('/wire.xml')}, name: Wire, language: ar}}
"""))


def _report(out: Path) -> dict:
    return json.loads((out / "run-report.json").read_text(encoding="utf-8"))


def test_a_hostile_site_end_to_end_through_run_and_retry(hostile, internal, tiny_models, tmp_path):
    out = tmp_path / "out"
    args = ["run", "--sources", _sources(tmp_path, hostile), "--out", str(out), "--models", str(tiny_models),
            "--fetch-timeout", str(TIMEOUT), "--max-bytes", "1000000", "--digest"]
    started = time.monotonic()
    first = cli(*args)
    elapsed = time.monotonic() - started
    assert first.returncode in (0, 1) and "Traceback" not in first.stderr, first.stderr[-3000:]
    assert internal.requests == [], "the internal host was reached"
    report = _report(out)
    briefs = [json.loads(x) for x in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()]
    by_title = {b["title"]["ar"]: b for b in briefs}
    # both query-addressed stories, and both guid-"1" stories, from their own pages
    assert {"details.aspx?NewsID=555", "details.aspx?NewsID=556"} <= {(b["source"]["url"] or "").rsplit("/", 1)[1]
                                                                       for b in briefs if b["source"]["url"]}
    assert [p for p in hostile.paths() if p.startswith("/details.aspx")].count("/details.aspx?NewsID=556") == 1
    assert "مدارس مقلوب" in by_title and "خبر الوكالة" in by_title  # guid "1" in two feeds: two stories
    assert all(b["source"]["format"] == "html" for b in briefs if b["title"]["ar"] in ("مدارس مقلوب", "خبر الوكالة"))
    # bounded: the drip cost at most 3x the timeout, the streams were dropped after a few MB
    assert "timed out" in by_title["صفحة تقطر"]["meta"]["teaser_only"]
    assert hostile.sent["/drip"] < len(page("port").encode())
    # a type not asked for is closed unread, an endless page at the cap: what the server got into the
    # socket buffers before its writes blocked is all it sent (a few MB, of 2 GB)
    assert hostile.sent.get("/video", 0) < 8_000_000 and hostile.sent["/endless"] < 8_000_000
    assert elapsed < 120
    # the hostile items: each its own failure or teaser, with its reason
    reasons = {a["ref"]: a.get("error") for a in report["articles"]}
    feed = report["feeds"][0]
    failed = {f["url"]: f["reason"] for f in feed["failed"]}
    assert any("backslash" in r for r in failed.values())
    assert any("loopback" in r for r in failed.values())
    assert any("Invalid IPv6" in r or "unreadable" in r for r in list(failed.values()) + list(reasons.values()))
    assert any("no text" in (r or "") for r in reasons.values())
    # no output carries the raw payload, a javascript: link, or a bidi override
    assert any(path.suffix == ".md" and "\\[x\\](javascript" in path.read_text(encoding="utf-8")
               for path in out.iterdir())  # the title is there, as text
    for path in out.iterdir():
        if path.suffix in (".json", ".jsonl", ".md", ".html", ".txt", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert PAYLOAD not in text and "\u202e" not in text, path.name
            if path.suffix in (".md", ".html", ".xml"):  # markup: the title is text there, not a link
                assert not re.search(r"(?<!\\)\]\(javascript:|href=\"javascript:", text), path.name
    # the next run and `retry` reach nothing internal either, and exit 0 or 1
    second = cli(*args)
    assert second.returncode in (0, 1) and "Traceback" not in second.stderr, second.stderr[-2000:]
    retry = cli("retry", str(out))
    assert retry.returncode in (0, 1) and "Traceback" not in retry.stderr, retry.stderr[-2000:]
    retried = {a["ref"]: a.get("error") or "" for a in _report(out)["articles"]}
    assert "loopback" in retried[internal.url("/secret")] and internal.requests == []  # refused again
    assert "سر داخلي" not in (out / "briefs.jsonl").read_text(encoding="utf-8")


# -- each defence on its own -------------------------------------------------------------------------

@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.2:8\\@127.0.0.1:9/x", "backslash"), ("http://[oops/x", "unreadable"),
    ("http://user:pw@example.org/", "user name"), ("http://2130706433/", "unusual form"),
    ("http://0x7f.1/", "unusual form"), ("javascript:alert(1)", "http(s)"), ("http://ex ample.org/", "space"),
])
def test_urls_two_parsers_could_read_differently_are_refused(url, words):
    with pytest.raises(BadURL, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_url(url)


def test_url_keys_keep_every_parameter_but_tracking_ones():
    a, b = "http://news.example/details.aspx?NewsID=555", "http://news.example/details.aspx?NewsID=556"
    assert url_key(a) != url_key(b)
    assert url_key(a + "&utm_source=rss&fbclid=x#top") == url_key(a)
    assert url_key("http://Ex.org:80/p?b=2&a=1") == url_key("http://ex.org/p?a=1&b=2")
    assert clean_url("http://ex.org/p?b=2&gclid=1&a=1") == "http://ex.org/p?b=2&a=1"  # fetched in its order
    assert "%3Cimg" in clean_url("http://ex.org/s?ref=" + PAYLOAD)


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.2", "loopback"), ("10.1.2.3", "private"), ("169.254.169.254", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"), ("224.0.0.1", "multicast"), ("0.0.0.0", "unspecified"),
    ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"), ("fe80::1", "link-local"), ("fc00::1", "private"),
    ("240.0.0.1", "reserved"),
])
def test_every_non_public_kind_of_address_is_named(address, kind):
    assert kind in (public_problem(address) or "")


def test_the_address_checked_is_the_address_connected(internal, monkeypatch):
    """One resolution per connection: the name is resolved once and the answer checked is the one used."""
    calls = []
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        calls.append(host)
        return real("127.0.0.2" if host == "internal.test" else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    port = internal.base.rsplit(":", 1)[1]
    fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=TIMEOUT))
    with pytest.raises(FetchError, match="loopback"):
        fetcher.fetch(f"http://internal.test:{port}/secret", origin="http://feed.test/rss")
    assert internal.requests == [] and calls == ["internal.test"]
    allowed = PoliteFetcher(FetchSettings(delay=0, timeout=TIMEOUT, allow_private=True))
    calls.clear()
    assert allowed.fetch(f"http://internal.test:{port}/secret", origin="http://feed.test/rss").status == 200
    assert calls.count("internal.test") == 2  # robots.txt, then the page: each connection resolves once
    assert [p for p, _ in internal.requests] == ["/robots.txt", "/secret"]


def test_the_feeds_own_origin_is_exempt_only_for_its_scheme_host_and_port(internal):
    port = internal.base.rsplit(":", 1)[1]
    fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=TIMEOUT))
    assert fetcher.fetch(internal.url("/secret"), origin=internal.url("/feed.xml")).status == 200  # same origin
    with pytest.raises(FetchError, match="loopback"):
        fetcher.fetch(f"http://127.0.0.2:{int(port) + 1}/secret", origin=internal.url("/feed.xml"))


def test_a_feed_redirected_to_an_internal_host_is_refused(internal):
    with WebServer() as web:
        web.routes["/feed.xml"] = Reply(301, "", {"Location": internal.url("/secret")})
        with pytest.raises(FetchError, match="loopback"):
            PoliteFetcher(FetchSettings(delay=0, timeout=TIMEOUT)).fetch(web.url("/feed.xml"))
    assert internal.requests == []


def test_the_timeout_is_one_deadline_for_the_whole_request():
    with WebServer() as web:
        web.routes["/drip"] = Reply(body="x" * 400, drip=0.02)  # 8 s of bytes, none more than 0.02 s apart
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=1.0))
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out"):
            fetcher.fetch(web.url("/drip"))
        assert time.monotonic() - started < 3.0


def test_a_refused_answer_is_closed_unread():
    with WebServer() as web:
        web.routes["/gone"] = Reply(404, b"", endless=500_000_000)
        web.routes["/big"] = Reply(body=b"", endless=500_000_000)
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=5.0, max_bytes=1_000_000))
        with pytest.raises(FetchError, match="HTTP 404"):
            fetcher.fetch(web.url("/gone"))
        with pytest.raises(FetchError, match="size cap"):
            fetcher.fetch(web.url("/big"))
        time.sleep(0.3)
    assert web.sent["/gone"] < 8_000_000 and web.sent["/big"] < 8_000_000


def test_errors_say_what_happened(monkeypatch):
    fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=1.0))
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, not listening: the connection is refused
        started = time.monotonic()
        with pytest.raises(FetchError, match="connection refused"):
            fetcher.fetch(f"http://127.0.0.1:{port}/x")
        assert time.monotonic() - started < 1.0
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts, never answers
        with pytest.raises(FetchError, match="timed out after 1s"):
            fetcher.fetch(f"http://127.0.0.1:{silent.getsockname()[1]}/x")
    real = socket.getaddrinfo

    def no_dns(host, *args, **kwargs):
        if host == "no-such-host.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(FetchError, match="cannot resolve no-such-host.test"):
        fetcher.fetch("http://no-such-host.test/x")


class _State:
    def __init__(self) -> None:
        self.kept: dict = {}

    def validators(self, url):
        return None, None

    def keep_validators(self, url, etag, modified):
        self.kept[url] = (etag, modified)

    def known(self, key, guid, feed):
        return False


def _read(web: WebServer, feeds: list[str], **kw) -> tuple[list, FeedReader]:
    fetcher = PoliteFetcher(FetchSettings(delay=kw.pop("delay", 0.0), timeout=TIMEOUT,
                                          concurrency=kw.pop("concurrency", 4), allow_private=kw.pop("allow_private",
                                                                                                     False)))
    reader = FeedReader(fetcher, _State(), **kw)
    return list(reader.articles(reader.open([FeedSource(url=web.url(f)) for f in feeds]))), reader


def test_robots_txt_per_origin_as_rfc_9309_reads_it():
    with WebServer() as down, WebServer() as fine, WebServer() as slow:
        down.routes.update({"/robots.txt": Reply(503, "busy"), "/port": Reply(body=page("port")),
                            "/feed.xml": Reply(body=rss("أ", [item("port", down.url("/port"))]), content_type=RSS)})
        fine.routes.update({"/robots.txt": Reply(404, "none"), "/rain": Reply(body=page("rain")),
                            "/feed.xml": Reply(body=rss("ب", [item("rain", fine.url("/rain"), guid="r"),
                                                              item("port", down.url("/port"), guid="p")]),
                                               content_type=RSS)})
        slow.routes.update({"/robots.txt": Reply(body="User-agent: *\nCrawl-delay: 86400\n", content_type="text/plain"),
                            "/feed.xml": Reply(body=rss("ج", [item("school", slow.url("/school"))]),
                                               content_type=RSS)})
        started = time.monotonic()
        results, reader = _read(fine, ["/feed.xml"], allow_private=True)  # pages of two local origins
        [rain] = [r for r in results if isinstance(r, Article)]
        [port] = [r for r in results if isinstance(r, Failure)]
        assert rain.format == "html" and "/rain" in fine.paths()  # robots.txt 404: everything allowed
        assert port.stage == "deferred" and port.status == "skipped" and "RFC 9309" in port.error
        assert "/port" not in down.paths() and reader.complete_feeds() == set()  # validators not kept
        results, reader = _read(down, ["/feed.xml"])  # a feed whose own robots.txt answers 503
        assert reader.stats[0].status == "deferred" and results[0].status == "skipped"
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=TIMEOUT))
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(slow.url("/school"))
        assert caught.value.kind == "deferred" and "Crawl-delay of 86400s" in str(caught.value)
        assert time.monotonic() - started < 20


def test_a_first_ever_304_is_an_error_of_that_feed():
    with WebServer() as web:
        web.routes["/feed.xml"] = Reply(304, b"")
        results, reader = _read(web, ["/feed.xml"])
    assert reader.stats[0].status == "failed" and "304" in reader.stats[0].error
    assert isinstance(results[0], Failure)


def test_one_item_per_feed_cap_and_the_rest_wait_unseen():
    with WebServer() as web:
        entries = [{**item("port", web.url(f"/p{k}"), guid=f"g{k}", full=True), "title": f"خبر {k}"}
                   for k in range(1000)]
        web.routes["/feed.xml"] = Reply(body=rss("كثير", entries), content_type=RSS)
        results, reader = _read(web, ["/feed.xml"], max_items=5, follow="never")
    assert len(results) == 5 and reader.stats[0].deferred == 995 and reader.complete_feeds() == set()


def test_one_slow_host_holds_back_no_other():
    with WebServer() as fast, WebServer(host="127.0.0.3") as slow:
        slow.routes.update({f"/s{k}": Reply(body=page("rain"), delay=1.5) for k in range(3)})
        fast.routes.update({f"/f{k}": Reply(body=page("port")) for k in range(3)})
        slow.routes["/feed.xml"] = Reply(body=rss("بطيء", [item("rain", slow.url(f"/s{k}"), guid=f"s{k}")
                                                           for k in range(3)]), content_type=RSS)
        fast.routes["/feed.xml"] = Reply(body=rss("سريع", [item("port", fast.url(f"/f{k}"), guid=f"f{k}")
                                                           for k in range(3)]), content_type=RSS)
        fetcher = PoliteFetcher(FetchSettings(delay=0.0, timeout=10, concurrency=2))
        reader = FeedReader(fetcher, _State())
        opened = reader.open([FeedSource(url=slow.url("/feed.xml")), FeedSource(url=fast.url("/feed.xml"))])
        order = [r.ref.rsplit("/", 1)[1] for r in reader.articles(opened)]
    assert order[:3] == ["f0", "f1", "f2"], order  # the slow feed came first, its pages last


def test_any_exception_while_reading_one_item_is_that_items_failure(monkeypatch):
    """What no specific check foresaw (a parser bug, say) still ends at the item: the others go on."""
    import summarizer.ingest.follow as follow
    import summarizer.ingest.html as html

    real_parse, real_key = html.parse_html, follow.url_key

    def parse(text, ref, path, url=None):
        if url and url.endswith("/rain"):
            raise RuntimeError("a parser bug")
        return real_parse(text, ref, path, url)

    def key(link):
        if link.endswith("/school"):
            raise TypeError("a bug in reading a link")
        return real_key(link)

    real_entry = follow.entry_article

    def entry(feed_entry, *args, **kwargs):
        if feed_entry.guid == "bug":
            raise KeyError("a bug in making the article")
        return real_entry(feed_entry, *args, **kwargs)

    monkeypatch.setattr(html, "parse_html", parse)
    monkeypatch.setattr(follow, "url_key", key)
    monkeypatch.setattr(follow, "entry_article", entry)
    with WebServer() as web:
        items = [item(k, web.url(f"/{k}"), guid=k) for k in ("port", "rain", "school")]
        items.append({**item("port", web.url("/other"), guid="bug"), "title": "خبر آخر"})
        web.routes.update({"/feed.xml": Reply(body=rss("ج", items), content_type=RSS),
                           **{f"/{k}": Reply(body=page(k)) for k in ("port", "rain", "school")}})
        results, _ = _read(web, ["/feed.xml"])
    bug = next(r for r in results if r.ref.endswith("/other"))
    assert isinstance(bug, Failure) and "KeyError" in bug.error
    by_ref = {r.ref.rsplit("/", 1)[-1]: r for r in results}
    assert isinstance(by_ref["port"], Article) and by_ref["port"].format == "html"
    assert by_ref["rain"].flags == ("teaser_only",) and "RuntimeError" in by_ref["rain"].meta["teaser_only"]
    school = next(r for r in results if isinstance(r, Failure) and r.ref.endswith("#3"))
    assert "TypeError" in school.error and school.ref.endswith("#3")
