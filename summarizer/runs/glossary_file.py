"""Reading a glossary file: whatever encoding a spreadsheet program saved it in."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import ConfigError, InputError
from ..ingest.encoding import decode_bytes
from ..steps.glossary import Glossary
from ..text.arabic import ARABIC_LETTER_RE


def read_glossary(path: str | Path) -> Glossary:
    """A CSV glossary in UTF-8 (with or without BOM), UTF-16 (what Excel's "Unicode text" writes) or
    Windows-1256 (its "CSV" on an Arabic Windows).

    Raises:
        ConfigError: missing, unreadable or undecodable file, or a bad row (file and line named).
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"glossary not found: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the glossary {path}: {exc.strerror or exc}") from None
    text = _decode(data)
    if text is None:
        raise ConfigError(f"{path}: the glossary is not UTF-8, UTF-16 or Windows-1256 text with Arabic terms; "
                          f"save it as UTF-8 CSV")
    return Glossary.parse(text, str(path))


def _decode(data: bytes) -> str | None:
    """Text of a glossary file: a BOM decides; else UTF-8; else what the input decoder finds, or
    Windows-1256, whichever reads as Arabic (a glossary's first column is Arabic; a short file gives
    a detector too little to go on)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    try:
        candidates.append(decode_bytes(data)[0])
    except InputError:
        pass
    candidates.append(data.decode("cp1256", errors="replace"))
    return next((text for text in candidates if _arabic_terms(text)), None)


def _arabic_terms(text: str) -> bool:
    """Do most rows start with an Arabic term (as a glossary's rows do)?"""
    rows = [line for line in text.splitlines() if line.strip()]
    arabic = sum(1 for line in rows if ARABIC_LETTER_RE.search(line.split(",")[0]))
    return arabic > 0 and arabic >= (len(rows) - 1) / 2
