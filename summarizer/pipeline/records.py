"""Frozen per-article records passed between the pipeline's parts (never mutated in place)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..types import Article, Cleaned, Sentence, Summary, Translation


@dataclass(frozen=True)
class Segmented:
    """An article after clean, language identification, segment and routing: ready for its models.

    Attributes:
        article: the input article.
        cleaned: the cleaner's result.
        id: content id (hash of the normalised body).
        language: detected language (ISO 639-1).
        sentences: the body's sentences, in order.
        title: the title (the first sentence when the input had none).
        title_derived: the title is the first sentence.
        translator: the translation model's registry name (None: no translation needed).
        fingerprint: the pipeline fingerprint the article goes through.
        clean_seconds: time spent cleaning and segmenting.
    """

    article: Article
    cleaned: Cleaned
    id: str
    language: str
    sentences: tuple[Sentence, ...]
    title: str
    title_derived: bool
    translator: str | None
    fingerprint: str = ""
    clean_seconds: float = 0.0

    def to_translate(self) -> list[str]:
        """Texts to send to the translator: the title (unless derived) then translatable sentences."""
        head = [] if self.title_derived else [self.title]
        return head + [s.text for s in self.sentences if s.translate]

    def weight(self) -> int:
        """Share of pooled work (characters), for apportioning pooled timings."""
        return sum(len(s.text) for s in self.sentences) + 1


@dataclass(frozen=True)
class Translated:
    """One article's translation, after repairs.

    Attributes:
        english: the English of each sentence (its translation, or the source when passed through).
        translations: each sentence's Translation, None where it passed through.
        title_en: the English title.
        glossary: glossary terms applied ({ar, en, sentences, present, placed, inserted, unplaced}).
        names_unified: name respellings ({i, from, to}).
        seconds: this article's share of the pooled translation time.
    """

    english: tuple[str, ...]
    translations: tuple[Translation | None, ...]
    title_en: str
    glossary: tuple[Mapping[str, Any], ...] = ()
    names_unified: tuple[Mapping[str, Any], ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class Draft:
    """One article's translation before the run's name spellings (what a remote worker returns).

    Attributes:
        outs: the Translation of each translated text, the title first unless derived.
        glossary: glossary terms applied.
        seconds: this article's share of the pooled translation time.
    """

    outs: tuple[Translation, ...]
    glossary: tuple[Mapping[str, Any], ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class Summarized:
    """One article's summary and its share of the pooled summarisation time."""

    summary: Summary
    seconds: float = 0.0
