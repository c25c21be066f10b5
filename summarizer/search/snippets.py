"""A highlighted snippet of a brief: the part that matched, in the language that matched, with the
matches marked on the original characters (harakat, tatweel and hamza as the article wrote them)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .query import Query
from .words import may_match, word_forms, words

WIDTH = 220  # characters of context around the matches


@dataclass(frozen=True)
class Snippet:
    """Text to show, the [start, end) spans in it that matched, and its language ("ar" side or "en")."""

    text: str
    marks: tuple[tuple[int, int], ...] = field(default_factory=tuple)
    lang: str = "en"


class Matcher:
    """Tells which words of a text the query's words find (normalised, or by stem unless `=word`)."""

    def __init__(self, query: Query) -> None:
        self.norms: set[str] = set()
        self.stems: set[str] = set()
        for word, exact in query.words():
            norm, stem = word_forms(word)
            self.norms.add(norm)
            if not exact:
                self.stems.add(stem)

    def spans(self, text: str, stem_arabic: bool = True) -> list[tuple[int, int, bool]]:
        """(start, end, exact) of every word of `text` the query finds."""
        if not may_match(text, self.norms | self.stems):
            return []
        return [(w.start, w.end, w.norm in self.norms) for w in words(text, stem_arabic)
                if w.norm in self.norms or w.stem in self.stems]


def _fields(brief: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(side, text) of everything indexed, titles and summaries first."""
    title, summary = brief.get("title") or {}, brief.get("summary") or {}
    yield "en", str(title.get("en") or "")
    yield "ar", str(title.get("ar") or "")
    yield "en", str(summary.get("en") or "")
    for sentence in brief.get("sentences") or []:
        yield "ar", str(sentence.get("ar") or "")
        yield "en", str(sentence.get("en") or "")


def snippet(brief: Mapping[str, Any], query: Query, lang: str = "any") -> Snippet:
    """The best snippet of a brief for a query: the field with the most (exact first) matches."""
    matcher = Matcher(query)
    stem = brief.get("language") == "ar"
    best: tuple[tuple[int, int], str, str, list[tuple[int, int, bool]]] | None = None
    for side, text in _fields(brief):
        if not text or (lang in ("ar", "en") and side != lang):
            continue
        spans = matcher.spans(text, stem or side == "en")
        if not spans:
            continue
        distinct = len({text[a:b] for a, b, _ in spans})
        score = (sum(1 for *_, exact in spans if exact), distinct)
        if best is None or score > best[0]:
            best = (score, side, text, spans)
    if best is None:
        title = brief.get("title") or {}
        return Snippet(str(title.get("en") or title.get("ar") or "")[:WIDTH])
    _, side, text, spans = best
    return _window(text, [(a, b) for a, b, _ in spans], side)


def _window(text: str, spans: list[tuple[int, int]], side: str) -> Snippet:
    """At most WIDTH characters around the first match, cut at word boundaries, with "…" where cut."""
    first = spans[0][0]
    start = max(0, first - WIDTH // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + WIDTH)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > spans[0][1] else end
    lead, tail = ("…" if start else ""), ("…" if end < len(text) else "")
    shift = len(lead) - start
    marks = tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= end)
    return Snippet(lead + text[start:end] + tail, marks, side)
