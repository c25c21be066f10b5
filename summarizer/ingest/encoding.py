"""Bytes -> text: BOMs, UTF-8, UTF-16, Windows-1256 and what charset-normalizer can vouch for.

Input that cannot be decoded with confidence is an error, never mojibake passed on.
"""

from __future__ import annotations

import codecs
import unicodedata

from ..errors import InputError
from ..text.arabic import arabic_ratio, has_letters, latin_ratio

# Legacy encodings seen on Arabic and European news sites; charset-normalizer's other guesses
# (DOS code pages, Cyrillic ...) on such bytes are mojibake more often than not.
# In order of preference when charset-normalizer rates several alike.
PLAUSIBLE = ("cp1252", "latin_1", "iso8859_15", "cp1256", "iso8859_6", "cp720", "cp864", "mac_arabic",
             "cp1254", "iso8859_9", "cp1250", "iso8859_2")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def control_ratio(text: str) -> float:
    """Fraction of characters that are control characters other than newline, tab, CR."""
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch not in "\n\r\t\f" and unicodedata.category(ch) == "Cc")
    return bad / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode UTF-16 without a byte-order mark, when one byte order reads as real text.

    Arabic in UTF-16 has NUL bytes only at ASCII characters (spaces, digits), so the test is
    on the decoded text: letters of a known script, no control characters.
    """
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if control_ratio(text) < 0.01 and has_letters(text) and (arabic_ratio(text) + latin_ratio(text)) > 0.8:
            return text
    return None


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if control_ratio(text) > 0.01:
        raise InputError("binary data, not text")
    if not text.strip():
        raise InputError("empty input")
    return text, encoding


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode raw input bytes to text.

    Args:
        data: the bytes of one input.

    Returns:
        (text, encoding name).

    Raises:
        InputError: empty input, binary data, or an encoding that cannot be determined.
    """
    if not data.strip(b" \t\r\n\x00"):
        raise InputError("empty input")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                raise InputError(f"starts with a {encoding} byte-order mark but does not decode as {encoding}") from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise InputError("binary data, not text")
        return _checked(text, "utf-16")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Windows-1256 is the usual legacy encoding of Arabic sites; accept it when the result
    # reads as Arabic (Latin-1 text would decode to mostly Latin letters and fall through).
    text = data.decode("cp1256", errors="replace")
    if "\ufffd" not in text and has_letters(text) and arabic_ratio(text) >= 0.6:
        return _checked(text, "windows-1256")
    from charset_normalizer import from_bytes

    ranked = sorted((m for m in from_bytes(data) if m.encoding in PLAUSIBLE),
                    key=lambda m: (round(m.chaos, 2), PLAUSIBLE.index(m.encoding)))
    for match in ranked:
        text = str(match)
        if match.chaos < 0.1 and control_ratio(text) < 0.001:
            return _checked(text, match.encoding)
    raise InputError("text encoding could not be determined (tried UTF-8, UTF-16, Windows-1256 and "
                     "common legacy encodings); convert the file to UTF-8")
