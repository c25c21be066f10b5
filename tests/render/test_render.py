"""Digest grouping and same-story merging; escaping, isolation and RTL marking in HTML and Markdown."""

from __future__ import annotations

import copy

from summarizer.render.digest import build_digest, merge_stories, overlap
from summarizer.render.html import brief_html, digest_html, digest_markdown, isolate, safe_url
from summarizer.render.markdown import brief_markdown
from summarizer.types import brief_from_dict

XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_BODY = "</div><script>alert(1)</script>"


ARABIC = ["فيضانات في مدينة البصرة بعد أمطار غزيرة", "البنك المركزي يرفع سعر الفائدة لمواجهة التضخم",
          "انتخابات بلدية في تونس يوم الأحد", "أسعار الخبز ترتفع في أسواق القاهرة", "نهائي كأس الكرة بلا موعد",
          "سفن جديدة في ميناء العقبة"]


def _brief(i: int, site: str, date: str | None, title_en: str, summary_en: str, **extra) -> dict:
    extra.setdefault("title_ar", ARABIC[i % len(ARABIC)])
    extra.setdefault("sentence_ar", ARABIC[i % len(ARABIC)] + " كما قال المسؤولون.")
    return {"schema": 2, "id": f"{i:016x}", "language": extra.get("language", "ar"),
            "source": {"ref": f"in/{i}.json", "path": None, "url": f"https://{site}/{i}", "site": site,
                       "format": "json", "published": date, "published_raw": date, "dateline": None, "byline": None,
                       "author": None},
            "title": {"ar": extra.get("title_ar", "عنوان الخبر رقم 5"), "en": title_en, "derived": False},
            "summary": {"ar": extra.get("summary_ar", "ملخص الخبر"), "en": summary_en},
            "sentences": [{"i": 0, "p": 0, "ar": extra.get("sentence_ar", "جملة أولى عن الخبر."),
                           "en": "First sentence.", "flags": [], "score": -0.5}],
            "summary_links": [[0, [0]]], "removed": [], "models": {"translate": None, "summarize": None},
            "checks": {"coverage": 1.0, "sentences": 1, "translated": 1, "truncated": False, "split_sentences": [],
                       "hit_limit": [], "passthrough": [], "numbers": [], "flags": []},
            "timings_ms": {}, "created_at": "2026-11-29T00:00:00+00:00", "meta": {}}


FLOOD = "Floods hit the southern city of Basra after three days of heavy rain, closing roads and schools."
FLOOD2 = "Heavy rain for three days caused floods in the southern city of Basra, closing schools and roads."
OTHER = "The central bank raised interest rates by half a point to fight inflation."


def test_same_story_from_several_outlets_is_merged():
    assert overlap(FLOOD, FLOOD2) >= 0.45 > overlap(FLOOD, OTHER)
    briefs = [_brief(0, "a.com", "2026-11-20", "Floods in Basra", FLOOD),
              _brief(0, "b.com", "2026-11-20", "Basra flooded", FLOOD2, title_ar="البصرة تغرق بعد أيام من المطر",
                     sentence_ar="غمرت الفيضانات مدينة البصرة بعد ثلاثة أيام من الأمطار الغزيرة."),
              _brief(1, "a.com", "2026-11-21", "Rates up", OTHER)]
    stories = merge_stories(briefs)
    assert [len(s.briefs) for s in stories] == [2, 1]
    assert [s["site"] for s in stories[0].sources] == ["a.com", "b.com"]


def test_weak_english_alone_never_merges_different_arabic_stories():
    same_english = "the the city said said the the minister"  # what weak models write for everything
    briefs = [_brief(k, "a.com", "2026-11-20", "News", same_english) for k in range(5)]
    assert len(merge_stories(briefs)) == 5
    far_apart = [_brief(0, "a.com", "2026-11-01", "Floods in Basra", FLOOD),
                 _brief(0, "b.com", "2026-11-20", "Floods in Basra", FLOOD)]
    assert len(merge_stories(far_apart)) == 2  # the same words three weeks apart: two stories


def test_grouping_by_date_then_source_and_by_source():
    briefs = [_brief(1, "b.com", "2026-11-20", "A", "Alpha story about ports and ships in Aqaba today."),
              _brief(2, "a.com", "2026-11-20", "B", "Beta story about elections held in Tunisia on Sunday."),
              _brief(3, "a.com", "2026-11-22", "C", "Gamma story on the price of bread in Cairo markets."),
              _brief(4, "c.com", None, "D", "Delta story without a date about a football final.")]
    digest = build_digest(briefs, "date")
    assert [g for g, _ in digest.groups] == ["2026-11-22", "2026-11-20", "Undated"]
    assert [label for label, _ in digest.groups[1][1]] == ["a.com", "b.com"]
    assert digest.date_range == ("2026-11-20", "2026-11-22")
    by_source = build_digest(briefs, "source")
    assert [g for g, _ in by_source.groups] == ["a.com", "b.com", "c.com"]
    assert [label for label, _ in by_source.groups[0][1]] == ["2026-11-22", "2026-11-20"]


def test_content_is_escaped_everywhere():
    data = _brief(7, "x.com", "2026-11-20", XSS_TITLE, "Summary " + XSS_BODY, title_ar=XSS_TITLE,
                  sentence_ar="قال " + XSS_BODY)
    data["source"]["url"] = "javascript:alert(1)"
    brief = brief_from_dict(data)
    digest = build_digest([data])
    for page in (brief_html(brief), digest_html(digest)):
        assert "<script>" not in page and "<img src=x" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert 'href="javascript:' not in page
    for text in (brief_markdown(brief), digest_markdown(digest)):
        assert "<script>" not in text and "<img src=x" not in text


def test_rtl_blocks_and_isolation():
    brief = brief_from_dict(_brief(8, "x.com", "2026-11-20", "T", "S", sentence_ar="زار John Smith بغداد في 2021 وقال ٣٥٪."))
    page = brief_html(brief)
    assert page.count('dir="rtl" lang="ar"') >= 3
    assert "<bdi>John</bdi> <bdi>Smith</bdi>" in page and "<bdi>2021</bdi>" in page and "<bdi>٣٥٪</bdi>" in page
    assert str(isolate("<b>x</b>")) == "&lt;<bdi>b</bdi>&gt;<bdi>x</bdi>&lt;/<bdi>b</bdi>&gt;"
    assert safe_url("https://example.org/a?b=1") and not safe_url("javascript:alert(1)") and not safe_url("data:x")
    md = brief_markdown(brief)
    assert '<div dir="rtl" lang="ar">' in md
    english = copy.deepcopy(_brief(9, "x.com", None, "T", "S", language="en"))
    assert 'dir="rtl"' not in digest_html(build_digest([english]))


def test_merging_a_busy_day_compares_only_leads_that_share_a_source_word(monkeypatch):
    """The same stories as comparing each brief with every lead (the greedy first match), with far
    fewer comparisons: a 2,000-story day was 750,000 comparisons (30 s) before the index."""
    from summarizer.render import digest

    briefs = []
    for k in range(60):
        words = ARABIC[k % len(ARABIC)].split()
        briefs.append(_brief(k, f"s{k % 4}.com", "2026-11-20", f"Story {k}", FLOOD if k % 3 == 0 else OTHER,
                             title_ar=" ".join(words[k % 3:]) + f" رقم{k}", sentence_ar=" ".join(words[: 2 + k % 3])))
    calls = []
    real = digest.same_story
    monkeypatch.setattr(digest, "same_story", lambda *a: calls.append(1) or real(*a))
    got = [[b["id"] for b in s.briefs] for s in merge_stories(briefs)]
    stories: list = []  # the definition: each brief joins the first story whose lead tells the same story
    for brief in briefs:
        match = next((s for s in stories if real(s[0], brief)), None)
        if match is None:
            stories.append([brief])
        else:
            match.append(brief)
    assert got == [[b["id"] for b in s] for s in stories] and 1 < len(got) < 60
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهي"

    def word(n: int) -> str:  # a distinct made-up word per n
        return "".join(letters[(n // 26 ** j) % 26] for j in range(3)) + "ان"

    unrelated = [_brief(k, "a.com", "2026-11-20", f"Story {k}", OTHER, title_ar=f"{word(2 * k)} {word(2 * k + 1)}",
                        sentence_ar=f"{word(2 * k)} {word(2 * k + 1)}") for k in range(100)]
    calls.clear()
    assert len(merge_stories(unrelated)) == 100 and len(calls) == 0  # no shared source word: no comparison
