"""Glossary: names and terms rendered exactly as the user says, through any model.

`--glossary FILE.csv` holds rows `arabic,english[,note]` (a header row is optional). Terms are
found in the source on the normalised copy (diacritics, tatweel, alef and yeh forms ignored).
After translation a term's rendering is placed by alignment: the target tokens whose
cross-attention points at the term's source tokens are replaced by the rendering. Placeholders
(swapping the term for a code the model should copy) were measured and rejected: see
benchmarks/glossary_protection.py and the README.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from ..text.arabic import key_text, normalize_with_map


@dataclass(frozen=True)
class Term:
    """One glossary row."""

    ar: str
    en: str
    note: str = ""

    @property
    def key(self) -> str:
        return key_text(self.ar)


@dataclass(frozen=True)
class Hit:
    """A glossary term found in a source sentence, with its character span there."""

    term: Term
    start: int
    end: int


class Glossary:
    """A set of terms, longest first (so "الحشد الشعبي" wins over "الحشد")."""

    def __init__(self, terms: Sequence[Term], source: str = "") -> None:
        self.terms = sorted(terms, key=lambda t: -len(t.key))
        self.source = source
        self.digest = hashlib.sha256("\n".join(f"{t.key}\t{t.en}" for t in self.terms).encode()).hexdigest()[:12]
        self._patterns = [(t, re.compile(rf"(?<![\w]){re.escape(t.key)}(?![\w])")) for t in self.terms]

    @classmethod
    def parse(cls, text: str, source: str = "glossary") -> "Glossary":
        """Read a CSV glossary's text (rows `arabic,english[,note]`); errors name `source` and the line.

        The file itself is read by the caller (runs.glossary_file), which decodes UTF-8, UTF-16
        and Windows-1256 (what spreadsheet programs write for Arabic).
        """
        terms: list[Term] = []
        for lineno, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")), start=1):
            if not row or not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            if lineno == 1 and row[0].strip().lower() in ("ar", "arabic", "term", "source"):
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise ConfigError(f"{source}:{lineno}: a glossary row needs an Arabic term and its English rendering")
            terms.append(Term(row[0].strip(), row[1].strip(), row[2].strip() if len(row) > 2 else ""))
        if not terms:
            raise ConfigError(f"{source}: the glossary has no terms")
        return cls(terms, source)

    def find(self, text: str) -> list[Hit]:
        """Terms occurring in `text`, with spans in `text` itself; overlaps go to the longer term."""
        norm, where = normalize_with_map(text)
        hits: list[Hit] = []
        taken: list[tuple[int, int]] = []
        for term, pattern in self._patterns:
            for match in pattern.finditer(norm):
                a, b = match.start(), match.end()
                if any(a < y and x < b for x, y in taken):
                    continue
                taken.append((a, b))
                hits.append(Hit(term, where[a], where[b - 1] + 1))
        return sorted(hits, key=lambda h: h.start)

    def name_spellings(self) -> dict[str, str]:
        """One-word terms as fixed spellings for the run's name book (see names.py)."""
        from .names import base_form

        return {base_form(t.ar): t.en for t in self.terms if len(t.key.split()) == 1}


def _content_span(tokenizer: Any, text: str, start: int, end: int, lead: int) -> tuple[int, int]:
    """Token positions [a, b) of text[start:end] in tokenizer(text), given `lead` leading specials."""
    def count(s: str) -> int:
        return len(tokenizer(s, add_special_tokens=False)["input_ids"]) if s.strip() else 0

    a = lead + count(text[:start])
    b = lead + count(text[:end])
    return a, max(b, a + 1)


def place_term(model: Any, source: str, translation: str, hit: Hit, prefix: Sequence[int],
          keep: Sequence[str] = ()) -> tuple[str, str] | None:
    """Put a term's rendering where the translation renders the term (by alignment).

    The target tokens aligned with the term's source tokens are replaced by the rendering
    ("placed"). When none align, the rendering is inserted before the target token aligned
    nearest to the term ("inserted"), so the term is never lost.

    Args:
        model: the LoadedModel that made the translation (tokenizer + engine).
        source: the source sentence.
        translation: its translation.
        hit: the term and its span in `source`.
        prefix: forced target prefix (language code) of the translation.
        keep: renderings placed earlier in this sentence; they must survive this placement.

    Returns:
        (new translation, "placed" | "inserted"), or None for an empty translation.
    """
    tokenizer = model.tokenizer
    src_ids = list(tokenizer(source, add_special_tokens=True)["input_ids"])
    content = list(tokenizer(source, add_special_tokens=False)["input_ids"])
    lead = next((k for k in range(len(src_ids)) if src_ids[k:k + len(content)] == content), 0)
    a, b = _content_span(tokenizer, source, hit.start, hit.end, lead)
    tgt_ids = list(tokenizer(text_target=translation, add_special_tokens=False)["input_ids"])
    if not tgt_ids:
        return None
    alignment = model.engine.align(src_ids, tgt_ids, prefix)
    aligned = [k for k, pos in enumerate(alignment) if a <= pos < b]
    if aligned:
        first, last, how = min(aligned), max(aligned), "placed"
    else:
        distance = [min(abs(pos - a), abs(pos - (b - 1))) for pos in alignment]
        first = min(range(len(alignment)), key=lambda k: (distance[k], k))
        last, how = first - 1, "inserted"
    def build(lo: int, hi: int) -> str:
        before = tokenizer.decode(tgt_ids[:lo], skip_special_tokens=True)
        after = tokenizer.decode(tgt_ids[hi + 1:], skip_special_tokens=True)
        return " ".join(part for part in (before.strip(), hit.term.en, after.strip()) if part)

    text = build(first, last)
    if any(k not in text for k in keep):  # the span held an earlier term: insert instead
        text, how = build(first, first - 1), "inserted"
    return text, how
