"""Property tests (issue 32): every reader on mutated copies of the real pages and feeds in
../shared/real gives Articles or the project's own Failures, never anything else, and hands no
parser more than its budget; the URL reader agrees with the HTTP client's reading and never lets
an address in an unusual spelling past the address check. Bounded (a few hundred examples, no
per-example deadline: the machine may be busy); benchmarks/fuzz.py is the longer run."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.ingest.urls import DEFAULT_PORTS, BadURL, parse_url
from tests.ingest.mutate import TRIGGERS, mutate, read, seeds

BOUNDED = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SEED_NAMES = ["cnnarabic-arabic_article.html", "lbc-LBCGroup_2026_01_08.html", "jsonld-only.html",
              "cnnarabic-arabic_article.json", "lbc-LBCGroup.json", "documents.jsonl", "almasryalyoum-xx.xml",
              "bbcarabic-bbcarabic.rss", "nabdsharqi-atom.xml", "almasryalyoum.rdf"]


@pytest.fixture(scope="module")
def real_seeds(real_dir):
    found = {s.name: s for s in seeds(real_dir)}
    assert set(found) == set(SEED_NAMES)  # every reader has its real inputs
    return found


def test_the_real_inputs_read_cleanly(real_seeds):
    for seed in real_seeds.values():
        outcome = read(seed.kind, seed.data, seed.name)
        assert not outcome.crashes and not outcome.over_budget, (seed.name, outcome)
        assert outcome.articles or seed.name == "lbc-LBCGroup.json", seed.name  # that one has no text field


@pytest.mark.parametrize("name", SEED_NAMES)
def test_mutated_real_inputs_give_only_articles_or_the_projects_failures(real_seeds, name):
    seed = real_seeds[name]

    @BOUNDED
    @given(rng=st.randoms(use_true_random=False), count=st.integers(1, 6))
    def check(rng, count):
        outcome = read(seed.kind, mutate(rng, seed.data, count), name)
        assert not outcome.crashes, outcome.crashes
        assert not outcome.over_budget, outcome.over_budget

    check()


@pytest.mark.parametrize("name", ["cnnarabic-arabic_article.json", "documents.jsonl", "jsonld-only.html",
                                  "almasryalyoum.rdf"])
def test_every_trigger_in_the_middle_of_a_real_input(real_seeds, name):
    seed = real_seeds[name]
    at = len(seed.data) // 2
    for trigger in TRIGGERS:
        outcome = read(seed.kind, seed.data[:at] + trigger + seed.data[at:], name)
        assert not outcome.crashes and not outcome.over_budget, (trigger[:20], outcome)


# -- URLs ---------------------------------------------------------------------------------------------

TRICKY_HOSTS = ["example.org", "EXAMPLE.org", "127.0.0.1", "127.1", "0x7f.0.0.1", "0177.0.0.1", "2130706433",
                "[::1]", "[::ffff:127.0.0.1]", "[fec0::1]", "faß.de", "ς.gr", "xn--fa-hia.de", "a.b.", "exa mple.org",
                "ex%41mple.org", "[oops", "evil.test\\@good.test", "good.test@evil.test", "0.0.0.0", "localhost",
                "127.0.0.1.nip.io", "[v1.x]", "١٢٧.٠.٠.١", "ｅｘａｍｐｌｅ.org", "exam\u200bple.org", "xn--.org",
                "1.2.3.4.5", "256.0.0.1", "1.2.3.0x4"]
PIECES = st.sampled_from(["", "/", "\\", "@", ":", "#", "?", "%", "%2e", "[", "]", " ", "\t", "\n", ".", "..", "%00"])
URLS = st.builds(
    lambda scheme, slashes, host, port, before, path: f"{scheme}:{slashes}{before}{host}{port}{path}",
    st.sampled_from(["http", "https", "HTTP", "ftp", "javascript", "http "]),
    st.sampled_from(["//", "/", "\\\\", "///", ""]),
    st.one_of(st.sampled_from(TRICKY_HOSTS), st.from_regex(r"[a-z0-9.\-_]{1,20}", fullmatch=True),
              st.text(st.characters(codec="utf-8"), max_size=12)),
    st.one_of(st.just(""), st.sampled_from([":80", ":443", ":8080", ":0", ":65536", ":-1", ":1e3", ": 80", ":"])),
    st.one_of(st.just(""), PIECES),
    st.one_of(st.just("/"), st.text(max_size=20).map(lambda t: "/" + t), PIECES),
)


def _os_reads_as_address(host: str) -> ipaddress.IPv4Address | None:
    """The address a C resolver would read `host` as (inet_aton accepts 127.1, 0x7f.1, 2130706433 ...)."""
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError, UnicodeError):
        return None


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(url=URLS)
def test_the_url_reader_and_the_http_client_read_the_same_origin(url):
    from urllib3.util import parse_url as client_reads

    try:
        target = parse_url(url)
    except BadURL:
        return
    theirs = client_reads(target.url)  # what the connection is made to
    port = theirs.port or DEFAULT_PORTS[theirs.scheme]
    assert (theirs.scheme, (theirs.host or "").strip("[]").lower(), port) == target.origin
    assert target.host.isascii() and "@" not in target.url.split("/")[2]
    raw = url.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    seen = _os_reads_as_address(raw) if raw.isascii() else None
    if seen is not None:  # an address in any spelling: the address checked is the address the OS connects to
        assert ipaddress.ip_address(target.host) == seen, (url, target)
    if ":" in target.host:
        ipaddress.IPv6Address(target.host)  # a bracketed host is a real IPv6 address, checked as one


@pytest.mark.parametrize("url", ["http://127.1/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://2130706433/",
                                 "http://1.2.3.0x4/"])
def test_addresses_in_unusual_spellings_are_refused(url):
    with pytest.raises(BadURL):
        parse_url(url)
