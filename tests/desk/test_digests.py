"""The day's digest in the forms newsletter tools take: 600 px e-mail HTML under 102 KB (trimmed with a
note), Markdown and text with every story, stable copies, and an Atom feed feedparser reads."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import feedparser

from summarizer.desk.digests import EMAIL_LIMIT, write_day
from summarizer.store.outdir import JSONL, OutputDir
from tests.helpers import write
from tests.render.test_render import _brief

DAY = date(2026, 11, 28)
NOON = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc).astimezone()


def _arabic(k: int) -> str:
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    return " ".join(letters[(k * 7 + j) % 27] + letters[(k // 27 + j) % 27] + letters[(k + 3 * j) % 27]
                    for j in range(6))


def _folder(tmp_path, n: int, created: datetime = NOON):
    briefs = []
    for k in range(n):
        unique = " ".join(f"topic{k}x{j}" for j in range(10))  # every story its own words, on both sides
        brief = _brief(k, f"site{k % 3}.example", "2026-11-28", f"Story {k} headline",
                       f"Summary of story {k}: {unique} " + "the council met and decided many things. " * 20,
                       title_ar=_arabic(k), sentence_ar=_arabic(k + 1000))
        brief["id"] = f"{k:016x}"
        brief["created_at"] = created.astimezone(timezone.utc).isoformat(timespec="seconds")
        briefs.append(brief)
    write(tmp_path / JSONL, "".join(json.dumps(b, ensure_ascii=False) + "\n" for b in briefs))
    return OutputDir(tmp_path)


def test_a_big_day_is_trimmed_under_the_email_limit_with_a_note(tmp_path):
    outdir = _folder(tmp_path, 300)
    write_day(outdir, DAY)
    html = (tmp_path / "digest-2026-11-28.html").read_bytes()
    assert len(html) <= EMAIL_LIMIT and 'width="600"' in html.decode() and "max-width:600px" in html.decode()
    assert "more stories are left out" in html.decode() and "digest-2026-11-28.md" in html.decode()
    text = (tmp_path / "digest-2026-11-28.txt").read_text(encoding="utf-8")
    markdown = (tmp_path / "digest-2026-11-28.md").read_text(encoding="utf-8")
    assert all(f"Story {k} headline" in text and f"Story {k} headline" in markdown for k in range(300))
    assert "<table" not in text and "<div" not in text  # plain text, no markup
    assert (tmp_path / "digest.html").read_bytes() == html


def test_a_small_day_keeps_every_story_and_other_days_stay_out(tmp_path):
    outdir = _folder(tmp_path, 5)
    _add_yesterday(tmp_path)
    write_day(outdir, DAY)
    html = (tmp_path / "digest-2026-11-28.html").read_text(encoding="utf-8")
    assert all(f"Story {k} headline" in html for k in range(5)) and "Yesterday" not in html
    assert "left out" not in html


def _add_yesterday(tmp_path) -> None:
    with open(tmp_path / JSONL, "a", encoding="utf-8") as handle:  # a brief of the day before
        old = _brief(9, "old.example", "2026-11-27", "Yesterday's story", "Old news about something else.")
        old["created_at"] = (NOON - timedelta(days=1)).astimezone(timezone.utc).isoformat()
        handle.write(json.dumps(old) + "\n")


def test_the_atom_feed_lists_each_day_and_feedparser_reads_it(tmp_path):
    outdir = _folder(tmp_path, 4)
    _add_yesterday(tmp_path)
    write_day(outdir, DAY - timedelta(days=1))
    write_day(outdir, DAY)
    feed = feedparser.parse(str(tmp_path / "digest.xml"))
    assert not feed.bozo and feed.version == "atom10"
    assert [e.link for e in feed.entries] == ["digest-2026-11-28.html", "digest-2026-11-27.html"]
    assert "Story 0 headline" in feed.entries[0].content[0].value and feed.entries[0].title.startswith("News digest")
    assert len({e.id for e in feed.entries}) == 2
