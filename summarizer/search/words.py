"""Words as the search index sees them, with where they stand in the original text.

Arabic (Lucene's ArabicNormalizer, plus digits): harakat and tatweel removed; آ أ إ ٱ -> ا,
ة -> ه, ى -> ي; Arabic-Indic digits as ASCII. Each word is indexed twice: normalised, and
light-stemmed (Snowball Arabic, after the article and its clitics are taken off: see _ARTICLE_RE). English: lower-cased, and Porter-stemmed. Every word keeps its
span in the original text, so a highlight lands on the characters the reader sees (harakat and all).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ..text.arabic import DIACRITICS_RE, INVISIBLE_RE, TATWEEL, to_western_digits

# A word of the original text: letters and digits, with the harakat and tatweel inside Arabic words.
WORD_RE = re.compile(r"[^\W_](?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640])*")
ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_FOLD = str.maketrans({"آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_FOLD_KEEP_TA = str.maketrans({"آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا", "ى": "ي"})
# The article with what clings to it (و ف conjunctions, ب ك ل prepositions): taken off before the
# stemmer, so that وزير and الوزير, كتاب and والكتاب get one stem (Snowball itself keeps "والكتاب"
# whole, and strips the و of "وزير" but not of "الوزير").
_ARTICLE_RE = re.compile("^(?:[وف]?[بك]?ال|[وف]?لل)(?=..)")


@dataclass(frozen=True)
class Word:
    """A word of a text: its span there, its normalised form and its stem."""

    start: int
    end: int
    norm: str
    stem: str


def fold_arabic(word: str, keep_ta: bool = False) -> str:
    """The normalised search form of an Arabic word (see the module doc); `keep_ta` keeps ة for the
    stemmer, which knows it as a feminine ending (ه is also a pronoun: مدرسه -> مدرس, مدينه -> مدينه)."""
    word = unicodedata.normalize("NFC", word)
    word = DIACRITICS_RE.sub("", INVISIBLE_RE.sub("", word)).replace(TATWEEL, "")
    return to_western_digits(word.translate(_FOLD_KEEP_TA if keep_ta else _FOLD))


@functools.lru_cache(maxsize=50_000)
def arabic_stem(word: str) -> str:
    """Light stem of an Arabic word, folded but for ة (the article and its clitics first taken off);
    the stem is folded like the normalised form."""
    stem = _stemmer("arabic").stemWord(_ARTICLE_RE.sub("", word)) or word
    return stem.translate(_FOLD)


@functools.lru_cache(maxsize=50_000)
def english_stem(norm: str) -> str:
    """Porter stem of a lower-cased English word."""
    return _stemmer("porter").stemWord(norm) or norm


@functools.cache
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(language)


def word_forms(word: str, stem_arabic: bool = True) -> tuple[str, str]:
    """(normalised, stemmed) of one word of any script. Numbers (every article has new ones) take a
    short way; words go through a bounded cache (news repeats its words: ~15 MB at most)."""
    if word.isdigit():
        digits = to_western_digits(word)
        return digits, digits
    return _word_forms(word, stem_arabic)


@functools.lru_cache(maxsize=100_000)
def _word_forms(word: str, stem_arabic: bool) -> tuple[str, str]:
    if ARABIC_RE.search(word):
        norm = fold_arabic(word)
        return norm, arabic_stem(fold_arabic(word, keep_ta=True)) if stem_arabic and not norm.isdigit() else norm
    norm = to_western_digits(word).lower()
    return norm, english_stem(norm) if norm.isalpha() else norm


def words(text: str, stem_arabic: bool = True) -> Iterator[Word]:
    """The words of a text with their spans, normalised and stemmed."""
    for match in WORD_RE.finditer(text or ""):
        norm, stem = word_forms(match.group(), stem_arabic)
        if norm:
            yield Word(match.start(), match.end(), norm, stem)


def may_match(text: str, needles: set[str]) -> bool:
    """Could a word of `text` have one of these normalised forms or stems? A cheap test on the folded
    text (a stem is part of its word) that lets snippets skip the fields that cannot match."""
    folded = fold_arabic(text).lower()
    return any(n in folded for n in needles)


def index_forms(text: str, stem_arabic: bool = True) -> tuple[str, str]:
    """A text as two columns of the index: its normalised words and its stems, word for word."""
    found = list(words(text, stem_arabic))
    return " ".join(w.norm for w in found), " ".join(w.stem for w in found)
