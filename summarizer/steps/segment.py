"""Segment: Arabic (and English) sentence splitting, paragraph-aware.

Sentences end at . ! ? ؟ … (runs too: "!!", "؟؟") and at line ends; dots typed at the start of
a sentence by a right-to-left editor ("..وفي النهاية") close the sentence before them. Never at
، or : (a quote follows "قال ...:"), and ؛ is a clause break, not an end. Decimals (3.5), dates
(31/12/2021), abbreviations and single-letter initials (د. / J.), list numbers ("1. "), text
inside «» “” () [] and a bracketed ellipsis "(...)" are protected. A split happens only at
whitespace, so the sentences plus the whitespace between them give back the input exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.arabic import ARABIC_LETTER_RE, ARABIC_SCRIPT_LANGS, arabic_ratio, has_letters, latin_ratio
from ..types import Sentence

TERMINATOR_RE = re.compile(r"[.!?؟…]+")
CLOSERS = "\"'»”’)]}"
PAIRS = {"«": "»", "“": "”", "(": ")", "[": "]", "‹": "›"}
MAX_PROTECTED = 600  # a "quote" longer than this is more likely a stray mark than a quote
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp",
    "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "no", "vol", "fig", "p", "pp", "approx",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e",
    "u.s", "u.k", "u.n", "a.m", "p.m", "dept", "est", "mt", "ft", "lb", "oz", "min", "max",
}
WORD_BEFORE_RE = re.compile(r"([\w.]+)$")


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans inside balanced quote/bracket pairs (opening index, closing index)."""
    spans, stack = [], []
    for k, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((ch, k))
        elif stack and ch == PAIRS[stack[-1][0]]:
            opener, start = stack.pop()
            if k - start <= MAX_PROTECTED:
                spans.append((start, k))
        elif ch in PAIRS.values():
            # a closer without its opener: drop openers of other kinds that never closed
            while stack and PAIRS[stack[-1][0]] != ch:
                stack.pop()
            if stack:
                opener, start = stack.pop()
                if k - start <= MAX_PROTECTED:
                    spans.append((start, k))
    return spans


def _is_abbreviation(text: str, dot: int, start: int) -> bool:
    match = WORD_BEFORE_RE.search(text[:dot])
    if not match:
        return False
    word = match.group(1).lower().strip(".")
    if len(word) == 1 and not word.isdigit():
        return True  # an initial: "J. Smith", "د. أحمد"
    if word in ABBREVIATIONS:
        return True
    return word.isdigit() and len(word) <= 2 and text[start: match.start()].strip() == ""  # list "1. "


def _ends(line: str) -> list[int]:
    """Positions in `line` where a sentence ends (the next one starts after the whitespace)."""
    ends: list[int] = []
    protected = _protected(line)
    start = 0
    for match in TERMINATOR_RE.finditer(line):
        a, b = match.span()
        if a > 0 and line[a - 1].isspace() and b < len(line) and ARABIC_LETTER_RE.match(line[b]):
            # dots typed at the start of a sentence by an RTL-in-LTR editor ("... قررت ..وفي النهاية"):
            # they close the sentence before them
            ends.append(len(line[:a].rstrip()))
            start = a
            continue
        inside = [(s, e) for s, e in protected if s < a < e]
        if inside:
            s, e = max(inside)
            if line[b:e].strip() or e != b:
                continue  # a terminator inside a quote ends nothing, unless the quote ends with it
        while b < len(line) and line[b] in CLOSERS:
            b += 1
        if b < len(line) and not line[b].isspace():
            continue  # 3.5, U.S., example.com, "!؟»x"
        if match.group() == "." and _is_abbreviation(line, a, start):
            continue
        if a > 0 and line[a - 1] in PAIRS:
            continue  # "(...)"
        ends.append(b)
        start = b
    return ends


def _line_spans(line: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for end in [*_ends(line), len(line)]:
        piece = line[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((offset + start + lead, offset + start + len(piece.rstrip())))
        start = end
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`; only whitespace lies between them."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans.extend(_line_spans(line, offset))
        offset += len(line) + 1
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, stripped."""
    return [text[a:b] for a, b in sentence_spans(text)]


def needs_translation(sentence: str, language: str) -> bool:
    """False for sentences that pass through untranslated.

    In an Arabic-script article, a Latin-script sentence (an English quote, a URL, a name list)
    is kept as it is; so is a "sentence" without letters (a number, a date).
    """
    if not has_letters(sentence):
        return False
    if language in ARABIC_SCRIPT_LANGS:
        return not (arabic_ratio(sentence) == 0.0 and latin_ratio(sentence) > 0.5)
    return True


def segment(paragraphs: Sequence[str], language: str) -> list[Sentence]:
    """Split paragraphs into numbered sentences that carry their paragraph index."""
    out: list[Sentence] = []
    for p, paragraph in enumerate(paragraphs):
        for sentence in split_sentences(paragraph):
            out.append(Sentence(i=len(out), p=p, text=sentence, translate=needs_translation(sentence, language)))
    return out
