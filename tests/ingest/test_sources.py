"""sources.yaml and OPML: the feeds a daily run reads; unknown keys name the file and the key."""

from __future__ import annotations

import pytest

from summarizer.errors import ConfigError
from summarizer.ingest.sources import load_sources
from tests.helpers import write


def test_yaml_sources_with_defaults_and_per_feed_settings(tmp_path):
    path = write(tmp_path / "sources.yaml", """contact: desk@example.org
defaults: {follow: always, delay: 2}
feeds:
  - https://a.example/rss.xml
  - {url: https://b.example/feed, name: B News, language: ar, follow: never, max_pages: 10}
""")
    sources = load_sources(path)
    a, b = sources.feeds
    assert sources.contact == "desk@example.org"
    assert (a.url, a.follow, a.delay, a.teaser_words) == ("https://a.example/rss.xml", "always", 2.0, 80)
    assert (b.name, b.language, b.follow, b.max_pages, b.delay) == ("B News", "ar", "never", 10, 2.0)


def test_opml_exported_by_a_feed_reader(tmp_path):
    path = write(tmp_path / "feeds.opml", """<?xml version="1.0"?><opml version="2.0"><body>
<outline text="Arabic"><outline type="rss" text="Site A" xmlUrl="https://a.example/rss.xml"/>
<outline type="rss" title="Site B" text="b" xmlUrl="https://b.example/atom"/></outline></body></opml>""")
    feeds = load_sources(path).feeds
    assert [(f.url, f.name) for f in feeds] == [("https://a.example/rss.xml", "Site A"),
                                                ("https://b.example/atom", "Site B")]


@pytest.mark.parametrize("text, words", [
    ("feeds:\n  - {url: 'https://a.example/rss', colour: red}\n", "unknown key 'colour' in feeds[0]"),
    ("defaults: {speed: 3}\nfeeds: [https://a.example/rss]\n", "unknown key 'speed' in defaults"),
    ("feeds: [ftp://a.example/rss]\n", "must be an http(s) URL"),
    ("feeds:\n  - {url: 'https://a.example/rss', follow: sometimes}\n", "follow must be one of"),
    ("feeds:\n  - {url: 'https://a.example/rss', delay: -1}\n", "non-negative"),
    ("feeds: []\n", "non-empty list"),
    ("sites: []\n", "unknown key 'sites'"),
])
def test_bad_sources_name_the_file_and_the_key(tmp_path, text, words):
    path = write(tmp_path / "sources.yaml", text)
    with pytest.raises(ConfigError, match="sources.yaml") as caught:
        load_sources(path)
    assert words in str(caught.value)
