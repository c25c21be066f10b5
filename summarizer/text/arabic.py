"""Pure functions on Arabic text: normalisation for keys and checks, script detection, digits.

Display text keeps every character it came with; `normalize` gives the copy used for ids,
caches and checks.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

TATWEEL = "\u0640"
# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
# Bidi controls, zero-width characters, BOM, Arabic letter mark.
INVISIBLE_RE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
ARABIC_LETTER_RE = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
LATIN_LETTER_RE = re.compile("[A-Za-z\u00c0-\u024f]")
LETTER_RE = re.compile(r"[^\W\d_]")
# Languages written in Arabic script, and every right-to-left language the renderers mark dir="rtl".
ARABIC_SCRIPT_LANGS = frozenset({"ar", "fa", "ur", "ps", "ku", "ckb", "sd", "ug"})
RTL_LANGS = ARABIC_SCRIPT_LANGS | {"he", "yi"}


def strip_invisible(text: str) -> str:
    """Remove bidi control and zero-width characters (they carry no meaning in a key)."""
    return INVISIBLE_RE.sub("", text)


def to_western_digits(text: str) -> str:
    """Map Arabic-Indic (٠-٩) and Extended Arabic-Indic (۰-۹) digits to 0-9."""
    return text.translate(_DIGITS)


def normalize(text: str) -> str:
    """Return the normalised copy of `text` used for keys, caches and checks.

    NFC; no tatweel; no diacritics; alef forms (أ إ آ ٱ) -> ا and alef maqsura ى -> ي;
    Eastern digits -> Western; no bidi controls or zero-width characters. Whitespace and
    punctuation are kept, so offsets of sentences stay meaningful.
    """
    text = unicodedata.normalize("NFC", text)
    text = strip_invisible(text).replace(TATWEEL, "")
    text = DIACRITICS_RE.sub("", text)
    return to_western_digits(text.translate(_ALEF))


def key_text(text: str) -> str:
    """Normalised text with whitespace collapsed: what two copies of a sentence share."""
    return " ".join(normalize(text).split())


def sentence_key(text: str) -> str:
    """Key of a sentence (translation memory, editors' log): hash of its normalised text."""
    return hashlib.sha1(key_text(text).encode("utf-8")).hexdigest()


def arabic_ratio(text: str) -> float:
    """Fraction of letters in `text` that are Arabic script (0.0 when there are no letters)."""
    letters = LETTER_RE.findall(text)
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ARABIC_LETTER_RE.match(ch)) / len(letters)


def latin_ratio(text: str) -> float:
    """Fraction of letters in `text` that are Latin script (0.0 when there are no letters)."""
    letters = LETTER_RE.findall(text)
    if not letters:
        return 0.0
    return sum(1 for ch in letters if LATIN_LETTER_RE.match(ch)) / len(letters)


def has_letters(text: str) -> bool:
    """True when `text` holds at least one letter of any script."""
    return LETTER_RE.search(text) is not None


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """normalize(text) plus, for each of its characters, the index of the source character.

    Lets a match found in the normalised copy be mapped back onto the display text.
    """
    out: list[str] = []
    where: list[int] = []
    for k, ch in enumerate(text):
        for piece in normalize(ch):
            out.append(piece)
            where.append(k)
    return "".join(out), where


# Function words left out of word-overlap comparisons (normalised forms: alef and yeh unified).
STOPWORDS = frozenset("""في من علي الي عن ان التي الذي الذين هذا هذه ذلك تلك مع كان كانت يكون قد لم لن لا ما او ام
ثم بعد قبل بين حتي عند كما اي كل غير هو هي هم هن انه انها قال قالت وقال وقالت اليوم امس خلال وفي وعلي ومن""".split())
_CLITICS = ("وال", "بال", "لل", "فال", "كال", "ال")


def strip_article(word: str) -> str:
    """A normalised Arabic word without the article and a conjunction or preposition on it (وال، بال، لل ...)."""
    w = key_text(word)
    for prefix in _CLITICS:
        if w.startswith(prefix) and len(w) > len(prefix) + 2:
            return w[len(prefix):]
    return w


def strip_clitics(word: str) -> str:
    """strip_article, and a bare conjunction و too (for word-overlap comparisons)."""
    w = strip_article(word)
    return w[1:] if w == key_text(word) and w.startswith("و") and len(w) > 4 else w


def content_words(text: str) -> set[str]:
    """Arabic content words of a text (normalised, clitics stripped, function words out)."""
    words = (strip_clitics(w) for w in re.findall(r"[\u0621-\u064a]+", key_text(text)))
    return {w for w in words if len(w) >= 3 and w not in STOPWORDS}
