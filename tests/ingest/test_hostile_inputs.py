"""No input stops a run, no parse without a budget (issue 32): each trigger of the fuzzing is its
input's or item's own failure (or is read safely), and what parsing costs is capped before parsing."""

from __future__ import annotations

import json
import tracemalloc

import feedparser
import pytest

from summarizer.errors import InputError
from summarizer.ingest import feeds
from summarizer.ingest.feeds import read_feed
from summarizer.ingest.feedsplit import split_feed
from summarizer.ingest.fetch import FetchSettings, PoliteFetcher
from summarizer.ingest.follow import FeedReader
from summarizer.ingest.html import html_to_text, parse_html
from summarizer.ingest.inputs import iter_articles
from summarizer.ingest.markup import MAX_FEED_ELEMENTS, MAX_ITEM_ELEMENTS, clean_markup, element_count
from summarizer.ingest.sources import FeedSource
from summarizer.types import Article, Failure
from tests.helpers import write
from tests.ingest.hostile import feed, good_items, hostile_items, local_files
from tests.webserver import Reply, WebServer


def _by_name(items, root) -> dict[str, Article | Failure]:
    return {i.ref.replace(str(root) + "/", ""): i for i in items}


def test_each_trigger_is_its_own_failure_or_is_read_safely(tmp_path):
    for name, content in local_files().items():
        write(tmp_path / name, content)
    got = _by_name(iter_articles([str(tmp_path)]), tmp_path)
    failed = {ref: r.error for ref, r in got.items() if isinstance(r, Failure)}
    assert "5,001 digits" in failed["bigint.json"]
    assert "too large" in failed["bigfloat.json#1"] and isinstance(got["bigfloat.json#2"], Article)
    assert isinstance(got["mixed.jsonl:1"], Article) and "line 2" in failed["mixed.jsonl:2"]
    assert isinstance(got["mixed.jsonl:3"], Article) and "line 4" in failed["mixed.jsonl:4"]
    assert isinstance(got["ld-bigint.html"], Article)  # the number is not read; the article is
    assert "elements" in failed["dense.html"]
    assert [isinstance(got[f"items.xml#{k}"], Article) for k in range(1, 10)] == \
        [True, True, True, True, True, False, False, True, True]
    assert "no content" in failed["items.xml#6"] and "elements" in failed["items.xml#7"]
    for article in got.values():  # everything that is read can be written: no surrogate, no control character
        if isinstance(article, Article):
            for value in (article.text, article.title or "", json.dumps(article.meta, ensure_ascii=False)):
                value.encode("utf-8")
                assert not any(ch in value for ch in "\x0b\x00")


def test_characters_parsers_choke_on_are_cleaned_before_parsing():
    assert clean_markup("a&#11;b&#xD800;c&#x110000;d&#99999999999999999999;e\x0bf&#38;") == \
        "a b\ufffdc\ufffdd\ufffde f&#38;"
    assert clean_markup("a&amp;#99999999999;b&amp;amp;#x110000;c&#38;#xD800;d&amp;#1575;") == \
        "a\ufffdb\ufffdc\ufffdd&amp;#1575;"  # escaped: feedparser unescapes, then reads them as references
    assert html_to_text("<p>a\x0bb</p>") == "a b"
    assert html_to_text("<html><body>a</body><body>b</body>") == "a b"  # lxml asserts "too many bodies"
    assert html_to_text("<html>") == ""


def test_a_huge_feed_costs_only_the_items_read(monkeypatch):
    """100,000 items: the first `max_entries` are parsed (one by one), the others only counted."""
    calls: list[int] = []
    real = feedparser.parse

    def counting(data, *args, **kwargs):
        calls.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", counting)
    doc = feed([f"<item><title>t{k}</title><link>http://a.test/{k}</link><description>نص {k}</description></item>"
                for k in range(100_000)]).encode()
    tracemalloc.start()
    parsed = read_feed(doc, max_entries=200)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(parsed.entries) == 200 and parsed.unread == 100_000 - 200
    assert len(calls) == 200 + 1  # each item, and the channel's own head
    assert sum(calls) < 2 * len(doc) * 200 / 100_000 + 100_000  # the bytes parsed: those of the items read
    assert peak < len(doc), peak  # no tree of the whole document (it took 37x its size before issue 32)


def test_tag_dense_markup_is_refused_before_any_parse(monkeypatch):
    import trafilatura

    parsed: list[int] = []
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: parsed.append(1))
    with pytest.raises(InputError, match="elements"):
        parse_html("<html><body>" + "<br>" * 250_000 + "</body></html>", "p.html", None)
    with pytest.raises(InputError, match="elements"):
        parse_html("<html><body>" + "&lt;br&gt;" * 0 + "<i>" * 60_000 + "</body></html>", "p.html", None)
    assert parsed == []
    with pytest.raises(InputError, match="elements"):
        html_to_text("<br>" * (MAX_ITEM_ELEMENTS + 1), MAX_ITEM_ELEMENTS)


def test_a_feed_has_an_element_budget_and_each_item_its_cap(monkeypatch):
    calls: list[int] = []
    real = feedparser.parse
    monkeypatch.setattr(feedparser, "parse", lambda data, *a, **k: calls.append(len(data)) or real(data, *a, **k))
    per_item, budget = MAX_ITEM_ELEMENTS - 100, MAX_FEED_ELEMENTS // 5  # a smaller budget: the same rule, faster
    heavy = [f"<item><title>t{k}</title><description>{'&lt;i&gt;' * per_item}</description></item>"
             for k in range(budget // per_item + 3)]
    dense = "<item><title>d</title><description>" + "&lt;br&gt;" * 250_000 + "</description></item>"
    parsed = read_feed(feed([dense, *heavy]), max_elements=budget)
    problems = [e.problem for e in parsed.entries]
    assert "over 5,000 elements" in problems[0]
    read = [p for p in problems[1:] if p is None]
    cost = element_count(split_feed(feed(heavy[:1])).items[0])  # an item's tags, its wrapping included
    assert cost > per_item and len(read) == budget // cost
    assert all("past the" in p for p in problems[1 + len(read):])
    assert len(calls) == 1 + len(read)  # the head, and the items within the budget: nothing more was parsed
    assert read_feed(feed([dense]), max_elements=None).entries[0].problem  # an item's cap holds without a budget


def test_one_bad_item_never_loses_a_fetched_feed():
    with WebServer() as web:
        web.routes["/feed.xml"] = Reply(body=feed(hostile_items() + good_items("web")),
                                        content_type="application/rss+xml")
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=5.0))
        reader = FeedReader(fetcher, _NoState(), follow="never")
        results = list(reader.articles(reader.open([FeedSource(url=web.url("/feed.xml"))])))
    by_ref = {r.ref.rsplit("/", 1)[-1]: r for r in results}
    assert isinstance(by_ref["port"], Article) and isinstance(by_ref["rain"], Article)
    assert all(isinstance(by_ref[k], Article) for k in ("vt", "ref11", "big", "sur", "html"))
    assert isinstance(by_ref["none"], Failure) and "no text" in by_ref["none"].error
    dense = next(r for r in results if r.ref.endswith("#7"))
    assert isinstance(dense, Failure) and "elements" in dense.error
    assert reader.stats[0].status == "fetched" and reader.stats[0].items == 9


def test_a_crash_inside_the_feed_parser_is_that_items_failure(monkeypatch):
    """Whatever a future trigger provokes in feedparser stays in its item."""
    real = feedparser.parse

    def parse(data, *args, **kwargs):
        if (b"boom" if isinstance(data, bytes) else "boom") in data:
            raise AssertionError("a parser bug")
        return real(data, *args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", parse)
    parsed = read_feed(feed(good_items("a") + ["<item><title>boom</title><description>x</description></item>"]))
    assert [e.problem is None for e in parsed.entries] == [True, True, False]
    assert "AssertionError" in parsed.entries[2].problem
    monkeypatch.setattr(feeds, "_entry", lambda k, e: (_ for _ in ()).throw(TypeError("no")))
    assert all("TypeError" in e.problem for e in read_feed(feed(good_items("b"))).entries)


class _NoState:
    def validators(self, url):
        return None, None

    def keep_validators(self, url, etag, modified):
        pass

    def known(self, key, guid, feed):
        return False


def test_whatever_one_input_or_record_provokes_is_its_own_failure(tmp_path, monkeypatch):
    """What no check foresaw (a bug in a reader, say) ends at its record or its input: the rest go on."""
    from summarizer.ingest import formats

    real_txt, real_record = formats.parse_txt, formats.article_from_record

    def txt(text, ref, path):
        if ref.endswith("bad.txt"):
            raise AssertionError("a reader bug")
        return real_txt(text, ref, path)

    def record(data, ref, path, fmt):
        if isinstance(data, dict) and data.get("id") == 2:
            raise TypeError("a record bug")
        return real_record(data, ref, path, fmt)

    monkeypatch.setattr(formats, "parse_txt", txt)
    monkeypatch.setattr(formats, "article_from_record", record)
    write(tmp_path / "a.txt", "نص أول عن المدينة.")
    write(tmp_path / "bad.txt", "نص ثان عن المدينة.")
    write(tmp_path / "c.jsonl", "\n".join(json.dumps({"id": k, "text": f"نص رقم {k}"}) for k in (1, 2, 3)))
    got = _by_name(iter_articles([str(tmp_path)]), tmp_path)
    assert isinstance(got["a.txt"], Article) and isinstance(got["c.jsonl:1"], Article)
    assert isinstance(got["c.jsonl:3"], Article)
    assert "unforeseen AssertionError" in got["bad.txt"].error
    assert "line 2" in got["c.jsonl:2"].error and "unforeseen TypeError" in got["c.jsonl:2"].error


def test_a_fetched_feed_is_capped_at_a_few_megabytes():
    from summarizer.ingest.follow import FEED_MAX_BYTES

    assert 2_500_000 < FEED_MAX_BYTES <= 10_000_000  # the largest real feed (BBC Arabic, 454 items): 2.4 MB
    with WebServer() as web:
        web.routes["/feed.xml"] = Reply(body=b"", endless=60_000_000, content_type="application/rss+xml")
        fetcher = PoliteFetcher(FetchSettings(delay=0, timeout=20.0))
        reader = FeedReader(fetcher, _NoState())
        [failure] = reader.open([FeedSource(url=web.url("/feed.xml"))])
        assert isinstance(failure, Failure) and "size cap" in failure.error
    assert web.sent["/feed.xml"] < FEED_MAX_BYTES + 8_000_000


def test_a_feed_in_utf16_or_with_nul_bytes_is_cleaned_too():
    """Cleaning works on characters: a UTF-16 feed is decoded first; NUL bytes do not make a UTF-8 feed UTF-16."""
    doc = feed(good_items("w") + ["<item><title>x</title><description>a&#x110000;b</description></item>"])
    for data in (doc.replace("UTF-8", "UTF-16").encode("utf-16"), doc.replace("UTF-8", "UTF-16").encode("utf-16-le"),
                 doc.replace("<title>", "\x00<title>", 1)):
        parsed = read_feed(data.encode() if isinstance(data, str) else data)
        assert [e.problem for e in parsed.entries] == [None, None, None], parsed.entries
        assert parsed.entries[2].text == "a\ufffdb" and parsed.title == "موقع"
