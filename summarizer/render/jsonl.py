"""Render a brief as JSON: one pretty object (<id>.json) or one JSON Lines line (briefs.jsonl)."""

from __future__ import annotations

import json

from ..types import Brief


def brief_json(brief: Brief, indent: int | None = 2) -> str:
    """The brief as JSON text (UTF-8 characters, not escapes)."""
    return json.dumps(brief.to_dict(), ensure_ascii=False, indent=indent)


def brief_jsonl_line(brief: Brief) -> str:
    """The brief as one JSON Lines line (with its newline)."""
    return json.dumps(brief.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
