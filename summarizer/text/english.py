"""English text helpers, defined once: content words, stop words, name patterns.

Used by the summary links, the summary-support check, same-story merging and the name book.
"""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’.][A-Za-z0-9]+)*")
STOPWORDS = frozenset("""a an the and or but of to in on at by for with from as is are was were be been being it its
this that these those he she they we you i his her their our your not no will would can could
has have had do does did said says also after before over under into than then there here who
whom which what when where why how about against between during while more most some such""".split())
# A capitalised word: what a summary states as a name ("Baghdad", "Al-Sudani").
CAPITALISED_RE = re.compile(r"\b([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*)")
# A person or place name as models spell it: "Kadhimi", "al-Kadhimi", "El-Sisi".
NAME_RE = re.compile(r"\b(?:[Aa]l-|[Ee]l-)?[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?\b")


def content_words(text: str, min_length: int = 2) -> set[str]:
    """Lower-cased words of an English text, without stop words and words shorter than min_length."""
    return {w for w in (m.group().lower() for m in WORD_RE.finditer(text))
            if w not in STOPWORDS and len(w) >= min_length}


def jaccard(a: set[str], b: set[str]) -> float:
    """Jaccard overlap of two word sets (0.0 when either is empty)."""
    return len(a & b) / len(a | b) if a and b else 0.0
