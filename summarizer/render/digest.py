"""The English digest: briefs grouped by date then source (or source then date), the same story
from several outlets merged into one entry that lists every source.

Same-story detection compares English summaries (and titles): the Jaccard overlap of their
content words. Pure functions on brief dicts (as read from briefs.jsonl).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..text.english import content_words

SAME_STORY = 0.45


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of two texts' content words (0..1)."""
    x, y = content_words(a, min_length=3), content_words(b, min_length=3)
    return len(x & y) / len(x | y) if x and y else 0.0


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
        return min(dates) if dates else "undated"

    @property
    def sources(self) -> list[dict[str, Any]]:
        return [{"site": b["source"].get("site") or _site_of(b), "url": b["source"].get("url"),
                 "published": b["source"].get("published") or b["source"].get("published_raw"), "id": b["id"]}
                for b in self.briefs]

    @property
    def key_text(self) -> str:
        return f"{self.lead['title'].get('en', '')} {self.lead['summary'].get('en', '')}"


def _site_of(brief: Mapping[str, Any]) -> str:
    url = brief["source"].get("url") or ""
    match = re.match(r"https?://(?:www\.)?([^/]+)", url)
    return match.group(1) if match else (Path(brief["source"].get("path") or brief["source"].get("ref", "?")).name)


def merge_stories(briefs: Iterable[Mapping[str, Any]], threshold: float = SAME_STORY) -> list[Story]:
    """Cluster briefs that tell the same story (greedy, in order)."""
    stories: list[Story] = []
    for brief in briefs:
        text = f"{brief['title'].get('en', '')} {brief['summary'].get('en', '')}"
        best = max(stories, key=lambda s: overlap(s.key_text, text), default=None)
        if best is not None and overlap(best.key_text, text) >= threshold:
            best.briefs.append(brief)
        else:
            stories.append(Story([brief]))
    return stories


def group(stories: list[Story], by: str = "date") -> list[tuple[str, list[tuple[str, list[Story]]]]]:
    """[(outer label, [(inner label, stories)])]: date then source, or source then date.

    Dates run newest first; sources alphabetically.
    """
    def site(story: Story) -> str:
        return story.sources[0]["site"] or "?"

    outer_key, inner_key = (lambda s: s.date, site) if by == "date" else (site, lambda s: s.date)
    outer: dict[str, dict[str, list[Story]]] = {}
    for story in stories:
        outer.setdefault(outer_key(story), {}).setdefault(inner_key(story), []).append(story)

    def order(labels: Iterable[str], dates: bool) -> list[str]:
        labels = list(labels)
        dated = sorted((x for x in labels if x != "undated"), reverse=True) if dates else sorted(labels)
        return dated + (["undated"] if dates and "undated" in labels else [])

    return [(o, [(i, outer[o][i]) for i in order(outer[o], by != "date")]) for o in order(outer, by == "date")]


@dataclass
class Digest:
    """Everything a digest page shows."""

    title: str
    date_range: tuple[str, str] | None
    groups: list[tuple[str, list[tuple[str, list[Story]]]]]
    stories: int
    briefs: int
    group_by: str


def build_digest(briefs: Iterable[Mapping[str, Any]], group_by: str = "date", title: str | None = None) -> Digest:
    """Merge same-story briefs and group them for a digest."""
    if group_by not in ("date", "source"):
        raise ValueError(f"group_by must be 'date' or 'source', not {group_by!r}")
    items = list(briefs)
    stories = merge_stories(items)
    dates = sorted(s.date for s in stories if s.date != "undated")
    return Digest(title=title or "News digest", date_range=(dates[0], dates[-1]) if dates else None,
                  groups=group(stories, group_by), stories=len(stories), briefs=len(items), group_by=group_by)
