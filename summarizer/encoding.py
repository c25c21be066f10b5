"""Bytes -> text: BOMs, UTF-8, UTF-16, Windows-1256 and what charset-normalizer can vouch for.

Input that cannot be decoded with confidence is an error, never mojibake passed on.
"""

from __future__ import annotations

import codecs
import unicodedata

from .arabic import arabic_ratio, has_letters
from .errors import InputError

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
    """Return the encoding when NUL bytes sit at every other position, as in UTF-16 text."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    if odd / half > 0.3 and even / half < 0.05:
        return "utf-16-le"
    if even / half > 0.3 and odd / half < 0.05:
        return "utf-16-be"
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
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError("binary data, not text")
        try:
            return _checked(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            raise InputError("binary data, not text") from None
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

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise InputError("text encoding could not be determined (not UTF-8, UTF-16 or Windows-1256)")
    return _checked(str(best), best.encoding)
