"""Reading a glossary file: whatever encoding a spreadsheet program saved it in."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError, InputError
from ..ingest.encoding import decode_bytes
from ..steps.glossary import Glossary


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
    try:
        text, _encoding = decode_bytes(data)
    except InputError as exc:
        raise ConfigError(f"{path}: the glossary cannot be read as text ({exc}); save it as UTF-8 CSV") from None
    return Glossary.parse(text, str(path))
