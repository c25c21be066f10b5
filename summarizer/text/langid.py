"""Language identification per article: script ratios first, lingua for Latin-script text.

Arabic-script languages are told apart by their own letters (Persian پ چ ژ گ ی ک, Urdu ٹ ڈ ڑ ں ے ہ ھ),
which is exact enough and costs nothing; lingua (when installed) names Latin-script languages.
"""

from __future__ import annotations

import functools
import re

from .arabic import ARABIC_SCRIPT_LANGS, arabic_ratio, latin_ratio

PERSIAN_RE = re.compile("[پچژگیک]")
URDU_RE = re.compile("[ٹڈڑںےۓھہۃ]")  # letters Persian never writes
ARABIC_ONLY_RE = re.compile("[ةيكىؤئ]")
LATIN_LANGS = ("ENGLISH", "FRENCH", "SPANISH", "GERMAN", "ITALIAN", "PORTUGUESE", "TURKISH", "DUTCH",
               "INDONESIAN")
ISO = {"ara": "ar", "arb": "ar", "eng": "en", "fas": "fa", "per": "fa", "urd": "ur", "fra": "fr", "fre": "fr"}


@functools.lru_cache(maxsize=1)
def _lingua():
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    langs = [getattr(Language, name) for name in LATIN_LANGS if hasattr(Language, name)]
    return LanguageDetectorBuilder.from_languages(*langs).build()


def _arabic_script_language(text: str) -> str:
    letters = len(re.findall(r"[\u0600-\u06ff]", text)) or 1
    urdu = len(URDU_RE.findall(text)) / letters
    persian = len(PERSIAN_RE.findall(text)) / letters
    arabic = len(ARABIC_ONLY_RE.findall(text)) / letters
    if urdu > 0.02:  # Urdu shares ک and ی with Persian; these letters are its own
        return "ur"
    if persian > 0.03 and persian > arabic:
        return "fa"
    return "ar"


def normalize_code(code: str | None) -> str | None:
    """ISO 639-1 code from what inputs write ("ar", "ara", "ar-EG", "Arabic")."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    if code in ("arabic",):
        return "ar"
    if code in ("english",):
        return "en"
    return ISO.get(code, code if len(code) == 2 else None)


def detect_language(text: str, hint: str | None = None) -> str:
    """ISO 639-1 code of an article's language ("und" when there are no letters to judge).

    The script decides first; a declared language (`hint`) is trusted when its script agrees.
    """
    sample = text[:20000]
    hint = normalize_code(hint)
    ar, lat = arabic_ratio(sample), latin_ratio(sample)
    if ar >= 0.5:
        guess = _arabic_script_language(sample)
        return hint if hint in ARABIC_SCRIPT_LANGS else guess
    if lat >= 0.5:
        if hint and hint not in ("ar", "fa", "ur"):
            return hint
        detector = _lingua()
        if detector is None:
            return "en"
        found = detector.detect_language_of(sample[:3000])
        return found.iso_code_639_1.name.lower() if found is not None else "en"
    return hint or "und"
