"""Mutated copies of real pages and feeds (../shared/real, read in place), and a meter that reads one
through its reader: did anything but the project's own refusal come out, did any parse exceed its
budget, what did it cost. Used by the property tests (tests/ingest/test_fuzz.py) and the longer
fuzz run (benchmarks/fuzz.py)."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from summarizer.errors import SummarizerError
from summarizer.ingest.feeds import PARSER_FAILS, entry_article, read_feed
from summarizer.ingest.inputs import _from_bytes, _guard
from summarizer.ingest.markup import MAX_FEED_ELEMENTS, MAX_ITEM_ELEMENTS, MAX_PAGE_ELEMENTS, element_count
from summarizer.ingest.trouble import UNFORESEEN
from summarizer.types import Article

MAX_BYTES = 5_000_000
WRAPPING = 40  # the tags a one-item document adds around its item (declaration, root, channel, end tags)
TRIGGERS = [  # what broke readers before, and what tends to
    b"\x0b", b"&#11;", b"&amp;#11;", b"&#x110000;", b"&#xD800;", b"&#99999999999999999999;", b"\x00", b"\xff\xfe",
    b"<html>", b"<body>", b"</body><body>", b"<![CDATA[", b"]]>", b"<item>", b"</item>", b"<entry>", b"&lt;html&gt;",
    b"1" * 5000, b"1e999999", b"-", b"NaN", b'"', b"{", b"[" * 200, b"}", b"&", b"<", b">", b"\\ud800", b"\\u000b",
    b"<br>" * 3000, b"&lt;br&gt;" * 3000, b"<!--", b"<script>", b"\xef\xbb\xbf", b"\r", b"&nbsp;", b"<p/>",
    b'<script type="application/ld+json">', b"</script>", b"null", b"[]", "\u202e".encode(), "ّ".encode() * 50,
]


@dataclass(frozen=True)
class Seed:
    """One real document: its name, the reader it goes to, its bytes."""

    name: str
    kind: str  # html, json, jsonl, feed
    data: bytes


def seeds(real: Path, items: int = 8) -> list[Seed]:
    """The real pages, records and feeds, feeds cut to their first `items` items; a JSON-LD-only page,
    a JSON Lines file and an RSS 1.0 (RDF) feed made of real ones."""
    html = {p.name: p.read_bytes() for p in sorted((real / "html").glob("*.html"))}
    out = [Seed(name, "html", data) for name, data in html.items()]
    blocks = re.findall(rb'<script[^>]+application/ld\+json[^>]*>.*?</script>', b"".join(html.values()), re.S | re.I)
    cnn = json.loads((real / "html" / "cnnarabic-arabic_article.json").read_bytes())
    article = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": cnn["title"],
               "articleBody": cnn["text"], "datePublished": cnn["publish_date"], "author": {"name": "CNN"},
               "url": cnn["url"], "wordCount": len(cnn["text"].split())}
    ld = json.dumps(article, ensure_ascii=False).encode()
    out.append(Seed("jsonld-only.html", "html", b'<html><head>' + b"".join(blocks) +
                    b'<script type="application/ld+json">' + ld + b"</script></head><body></body></html>"))
    out += [Seed(p.name, "json", p.read_bytes()) for p in sorted((real / "html").glob("*.json"))]
    docs = (real / "segmentation" / "udpud-ar_pud-documents.jsonl").read_bytes().splitlines()[:12]
    record = json.dumps(json.loads((real / "html" / "cnnarabic-arabic_article.json").read_bytes()), ensure_ascii=False)
    out.append(Seed("documents.jsonl", "jsonl", b"\n".join([*docs, record.encode()])))
    for path in sorted((real / "feeds").iterdir()):
        out.append(Seed(path.name, "feed", _first_items(path.read_bytes(), items)))
    out.append(Seed("almasryalyoum.rdf", "feed", _rdf((real / "feeds" / "almasryalyoum-xx.xml").read_bytes(), items)))
    return out


def _first_items(data: bytes, items: int) -> bytes:
    starts = [m.start() for m in re.finditer(rb"<(?:item|entry)[\s>]", data)]
    if len(starts) <= items:
        return data
    root_end = b"</feed>" if b"<feed" in data[:2000] else b"</channel></rss>"
    return data[:starts[items]] + root_end


def _rdf(rss: bytes, items: int) -> bytes:
    feed = read_feed(rss, max_entries=items)
    body = "".join(f'<item rdf:about="{escape(e.link or "")}"><title>{escape(e.title or "")}</title>'
                   f"<link>{escape(e.link or '')}</link><description>{escape(e.text)}</description></item>"
                   for e in feed.entries)
    return ('<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="http://example.invalid/"><title>'
            f"{escape(feed.title or '')}</title></channel>{body}</rdf:RDF>").encode()


def mutate(rng: random.Random, data: bytes, count: int) -> bytes:
    """`count` mutations: a trigger inserted, a slice deleted, doubled or moved, bytes flipped, a cut,
    digits made huge."""
    for _ in range(count):
        at = rng.randrange(len(data) + 1)
        op = rng.randrange(7)
        if op <= 1:
            data = data[:at] + rng.choice(TRIGGERS) + data[at:]
        elif op == 2:
            data = data[:at] + data[at + rng.randrange(1, 2000):]
        elif op == 3:
            piece = data[at:at + rng.randrange(1, 4000)]
            data = data[:at] + piece * rng.randrange(2, 20) + data[at:]
        elif op == 4:
            data = bytes(b ^ (1 << rng.randrange(8)) if rng.random() < 0.3 else b for b in data[at:at + 16]).join(
                (data[:at], data[at + 16:]))
        elif op == 5:
            data = data[:at] if at > len(data) // 4 else data[at:]
        else:
            data = re.sub(rb"\d+", lambda m: m.group(0) * 600, data[at:at + 200], count=1).join((data[:at],
                                                                                                 data[at + 200:]))
    return data


@dataclass
class Outcome:
    """What reading one input did."""

    articles: int = 0
    failures: int = 0
    crashes: list[str] = field(default_factory=list)  # what was not the project's own refusal
    parser_fails: int = 0  # feed items feedparser itself fails on (each its item's failure, said so)
    over_budget: list[str] = field(default_factory=list)  # a parse given more than its cap
    cpu: float = 0.0
    elements: int = 0  # elements handed to parsers in all


@contextmanager
def metered(outcome: Outcome) -> Iterator[None]:
    """Every parse the readers make is counted (elements handed to it) and checked against its cap."""
    import feedparser
    import lxml.html
    import trafilatura

    real = (feedparser.parse, trafilatura.bare_extraction, lxml.html.fragment_fromstring)

    def watch(name: str, cap: int, fn):
        def wrapped(data, *args, **kwargs):
            count = element_count(data)
            outcome.elements += count
            if count > cap:
                outcome.over_budget.append(f"{name} given {count:,} elements (cap {cap:,})")
            return fn(data, *args, **kwargs)
        return wrapped

    feedparser.parse = watch("feedparser.parse", MAX_ITEM_ELEMENTS + WRAPPING, real[0])
    trafilatura.bare_extraction = watch("trafilatura", MAX_PAGE_ELEMENTS, real[1])
    lxml.html.fragment_fromstring = watch("lxml fragment", MAX_PAGE_ELEMENTS, real[2])
    try:
        yield
    finally:
        feedparser.parse, trafilatura.bare_extraction, lxml.html.fragment_fromstring = real


def read(kind: str, data: bytes, name: str = "fuzzed") -> Outcome:
    """Read `data` as a local input of `kind` (and a feed also as fetched), metered."""
    outcome = Outcome()
    started = time.process_time()
    with metered(outcome):
        for item in _guard(name, lambda: _from_bytes(data, name, None, kind, MAX_BYTES)):
            _tally(outcome, item)
        if kind == "feed":
            before = outcome.elements
            _fetched_feed(outcome, data)
            if outcome.elements - before > MAX_FEED_ELEMENTS + MAX_ITEM_ELEMENTS + WRAPPING * 1000:
                outcome.over_budget.append(f"a fetched feed's parses took {outcome.elements - before:,} elements")
    outcome.cpu = time.process_time() - started
    return outcome


def _fetched_feed(outcome: Outcome, data: bytes) -> None:
    try:
        feed = read_feed(data)
        for entry in feed.entries:
            if entry.problem is None:
                _tally(outcome, entry_article(entry, feed, f"#{entry.k}", None))
            elif UNFORESEEN in entry.problem:
                outcome.crashes.append(f"fetched feed: {entry.problem}")
            elif PARSER_FAILS in entry.problem:
                outcome.parser_fails += 1
    except SummarizerError:
        outcome.failures += 1
    except Exception as exc:  # noqa: BLE001 - what the fuzzer is looking for
        outcome.crashes.append(f"fetched feed: {type(exc).__name__}: {str(exc)[:200]}")


def _tally(outcome: Outcome, item) -> None:
    if isinstance(item, Article):
        outcome.articles += 1
        try:
            for value in (item.text, item.title or "", item.author or "", item.site or "", item.url or ""):
                value.encode("utf-8")
            json.dumps(dict(item.meta), ensure_ascii=False).encode("utf-8")
        except (UnicodeError, TypeError, ValueError) as exc:
            outcome.crashes.append(f"an article no output can hold: {type(exc).__name__}: {exc}"[:300])
    else:
        outcome.failures += 1
        if UNFORESEEN in item.error:
            outcome.crashes.append(item.error)
        elif PARSER_FAILS in item.error:
            outcome.parser_fails += 1
