"""The English digest: briefs grouped by date then source (or source then date), the same story
from several outlets merged into one entry that lists every source.

Same-story detection looks at both sides. Two briefs tell the same story when their English
(title and summary) overlap (Jaccard of content words >= 0.45) *and* their source side (the
normalised title and lead sentence, in the source language) overlaps too (>= 0.25); or when
their source sides alone nearly coincide (>= 0.6: the same wire text reprinted); never when
their publication dates lie more than 3 days apart. Weak or
random-weight models can make every English summary look alike; the source side keeps such
stories apart, since a wrong merge hides news. Pure functions on brief dicts (as read from
briefs.jsonl).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..text import arabic
from ..text.english import content_words, jaccard
from ..text.hijri import shown_date

SAME_STORY = 0.45  # English title + summary
SAME_STORY_SOURCE = 0.25  # and the source side must agree too
REPRINT = 0.6  # the source side alone: the same text reprinted
MAX_DAYS_APART = 3  # stories published further apart are never one story
UNDATED = "Undated"  # the heading of stories with no date
DATE_UNKNOWN = "date unknown"  # a source without a date (never the day its brief was made)


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of two English texts' content words (0..1)."""
    return jaccard(content_words(a, min_length=3), content_words(b, min_length=3))


def source_words(brief: Mapping[str, Any]) -> set[str]:
    """Content words of a brief's source side: its title and lead sentence, in their own language."""
    lead = next((s.get("ar", "") for s in brief.get("sentences", ())), "")
    text = f"{brief['title'].get('ar', '')} {lead}"
    if brief.get("language") in arabic.ARABIC_SCRIPT_LANGS:
        return arabic.content_words(text)
    return content_words(text, min_length=3)


def _days_apart(a: Mapping[str, Any], b: Mapping[str, Any]) -> int | None:
    from datetime import date

    try:
        return abs((date.fromisoformat(a["source"]["published"]) - date.fromisoformat(b["source"]["published"])).days)
    except (KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class _Features:
    english: frozenset[str]
    source: frozenset[str]


def _features(brief: Mapping[str, Any]) -> _Features:
    return _Features(frozenset(content_words(_english(brief), min_length=3)), frozenset(source_words(brief)))


def same_story(a: Mapping[str, Any], b: Mapping[str, Any], fa: _Features | None = None,
               fb: _Features | None = None) -> bool:
    """Do two briefs tell the same story (see the module doc)? `fa`/`fb`: their words, when known."""
    apart = _days_apart(a, b)
    if apart is not None and apart > MAX_DAYS_APART:
        return False
    fa, fb = fa or _features(a), fb or _features(b)
    source = jaccard(set(fa.source), set(fb.source))
    if source >= REPRINT:
        return True
    return jaccard(set(fa.english), set(fb.english)) >= SAME_STORY and source >= SAME_STORY_SOURCE


def _english(brief: Mapping[str, Any]) -> str:
    return f"{brief['title'].get('en', '')} {brief['summary'].get('en', '')}"


@dataclass
class Story:
    """One digest entry: a brief, and the briefs of other outlets that tell the same story."""

    briefs: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def lead(self) -> Mapping[str, Any]:
        return self.briefs[0]

    @property
    def date(self) -> str:
        dates = [b["source"].get("published") for b in self.briefs if b["source"].get("published")]
        return min(dates) if dates else UNDATED

    @property
    def sources(self) -> list[dict[str, Any]]:
        return [{"site": b["source"].get("site") or _site_of(b), "url": b["source"].get("url"),
                 "published": shown_date(b["source"].get("published"), b["source"].get("published_hijri"),
                                         b["source"].get("published_raw")) or DATE_UNKNOWN,
                 "id": b["id"]}
                for b in self.briefs]



def _site_of(brief: Mapping[str, Any]) -> str:
    url = brief["source"].get("url") or ""
    match = re.match(r"https?://(?:www\.)?([^/]+)", url)
    return match.group(1) if match else (Path(brief["source"].get("path") or brief["source"].get("ref", "?")).name)


def merge_stories(briefs: Iterable[Mapping[str, Any]]) -> list[Story]:
    """Cluster briefs that tell the same story (greedy, in order: a brief joins the first story
    whose lead brief tells the same story).

    Two briefs can only tell the same story when their source sides share a word (same_story needs
    a source overlap of at least SAME_STORY_SOURCE > 0), so a brief is compared only with the leads
    that share one (an index of the leads' source words): the same first match as comparing with
    every lead, in about linear time on a busy day instead of quadratic."""
    stories: list[tuple[Story, _Features]] = []
    leads_by_word: dict[str, list[int]] = {}
    for brief in briefs:
        features = _features(brief)
        candidates = sorted({k for word in features.source for k in leads_by_word.get(word, ())})
        match = next((stories[k][0] for k in candidates
                      if same_story(stories[k][0].lead, brief, stories[k][1], features)), None)
        if match is not None:
            match.briefs.append(brief)
        else:
            for word in features.source:
                leads_by_word.setdefault(word, []).append(len(stories))
            stories.append((Story([brief]), features))
    return [story for story, _ in stories]


def group(stories: list[Story], by: str = "date", label: str = "") -> list[tuple[str, list[tuple[str, list[Story]]]]]:
    """[(outer label, [(inner label, stories)])]: date then source, source then date, or ("order")
    one group in the given order (an editor's), headed `label`.

    Dates run newest first; sources alphabetically; stories without a site are "Other sources"
    (their file name stays on the story's own source line, not in a heading too).
    """
    if by == "order":
        return [(label, [("", stories)])] if stories else []

    def site(story: Story) -> str:
        source = story.lead["source"]
        url = str(source.get("url") or "")
        return source.get("site") or (url.split("/")[2] if url.count("/") >= 2 else "") or "Other sources"

    outer_key, inner_key = (lambda s: s.date, site) if by == "date" else (site, lambda s: s.date)
    outer: dict[str, dict[str, list[Story]]] = {}
    for story in stories:
        outer.setdefault(outer_key(story), {}).setdefault(inner_key(story), []).append(story)

    def order(labels: Iterable[str], dates: bool) -> list[str]:
        labels = list(labels)
        dated = sorted((x for x in labels if x != UNDATED), reverse=True) if dates else sorted(labels)
        return dated + ([UNDATED] if dates and UNDATED in labels else [])

    return [(o, [(i, outer[o][i]) for i in order(outer[o], by != "date")]) for o in order(outer, by == "date")]


@dataclass
class Digest:
    """Everything a digest page shows.

    Attributes:
        omitted: stories left out of this rendering to keep it under an e-mail size limit.
        note: a line saying where the omitted stories are.
    """

    title: str
    date_range: tuple[str, str] | None
    groups: list[tuple[str, list[tuple[str, list[Story]]]]]
    stories: int
    briefs: int
    group_by: str
    omitted: int = 0
    note: str | None = None

    def ordered(self) -> list[Story]:
        """The stories in the order the page shows them."""
        return [story for _, inner in self.groups for _, stories in inner for story in stories]


def build_digest(briefs: Iterable[Mapping[str, Any]], group_by: str = "date", title: str | None = None) -> Digest:
    """Merge same-story briefs and group them for a digest."""
    if group_by not in ("date", "source", "order"):
        raise ValueError(f"group_by must be 'date', 'source' or 'order', not {group_by!r}")
    items = list(briefs)
    return digest_of(merge_stories(items), group_by, title or "News digest", len(items))


def digest_of(stories: list[Story], group_by: str, title: str, briefs: int, omitted: int = 0,
              note: str | None = None) -> Digest:
    """A digest of given stories (a trimmed digest keeps its count of briefs and says what it left out)."""
    dates = sorted(s.date for s in stories if s.date != UNDATED)
    return Digest(title=title, date_range=(dates[0], dates[-1]) if dates else None,
                  groups=group(stories, group_by, "Chosen by the editors"),
                  stories=len(stories), briefs=briefs, group_by=group_by, omitted=omitted, note=note)


def trimmed(digest: Digest, keep: int, note: str) -> Digest:
    """The digest with only its first `keep` stories, and a note on where the rest are."""
    stories = digest.ordered()
    return digest_of(stories[:keep], digest.group_by, digest.title, digest.briefs, len(stories) - keep, note)
