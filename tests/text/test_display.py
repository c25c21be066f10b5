"""text.display: what is shown of someone else's input (no bidi tricks, no unsafe URL)."""

from __future__ import annotations

import pytest

from summarizer.text.display import clean_display, display_url, shown_link


def test_overrides_embeddings_and_isolates_go_and_marks_stay():
    reversed_date = "عنوان \u202eمقلوب 2026-11-30 http://x \u2066معزول\u2069 \u202bمضمن\u202c"
    assert clean_display(reversed_date) == "عنوان مقلوب 2026-11-30 http://x معزول مضمن"
    assert clean_display("قال\u200f: نعم\u061c") == "قال\u200f: نعم\u061c"  # RLM and ALM are typing, not tricks
    assert clean_display("a\x00b\x1bc\td\ne\x85f") == "abc\td\nef"
    assert clean_display(None) is None


@pytest.mark.parametrize("url, shown", [
    ("https://ex.org/news?id=5&b=2", "https://ex.org/news?id=5&b=2"),
    ("http://ex.org/x?q=<img src=x onerror=alert(1)>", "http://ex.org/x?q=%3Cimg%20src=x%20onerror=alert(1)%3E"),
    ('http://ex.org/"onmouseover="x', "http://ex.org/%22onmouseover=%22x"),
    ("http://ex.org/خبر", "http://ex.org/%D8%AE%D8%A8%D8%B1"),
    (" http://ex.org/\u202eevil ", "http://ex.org/evil"),
])
def test_urls_are_shown_percent_encoded(url, shown):
    assert display_url(url) == shown


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "JaVaScRiPt:x", "//ex.org/x",
                                 "ftp://ex.org/", "", None, "http:///x", "http://\\\\evil"])
def test_other_schemes_are_never_shown_as_urls(url):
    assert display_url(url) is None


def test_any_link_can_be_quoted_harmlessly():
    assert shown_link("http://[oops/<b>") == "http://[oops/%3Cb%3E"
    assert len(shown_link("x" * 500)) == 200
