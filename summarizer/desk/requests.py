"""Checking what an editor or a script asks of the review: every value of the wrong type or out of
range is a ReviewError (a ValueError) that names the field and what it takes, so the page answers
HTTP 400 with one line, never 500."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..errors import ConfigError
from ..store.edits import STATUSES, Change, machine_text, model_of


class ReviewError(ConfigError, ValueError):
    """A change or request that cannot be made (an unknown brief, field or status, a value of the
    wrong type): HTTP `status` (400, 404 or 409), CLI exit 2."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def change_rows(brief: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Change]:
    """The log rows of a change request, every value checked (ReviewError names what is wrong)."""
    unknown = set(changes) - {"summary", "title", "status", "position", "sentences"}
    if unknown:
        raise ReviewError(f"cannot change {', '.join(sorted(map(str, unknown)))} (summary, title, status, position, "
                          f"sentences)")
    if "position" in changes:
        whole_number(changes["position"], "position")
    rows: dict[str, Change] = {}
    for field in ("summary", "title"):
        if field in changes:
            rows[field] = Change(_text(changes[field], field), machine_text(brief, field), model_of(brief, field))
    sentences = changes.get("sentences")
    if sentences is not None and not isinstance(sentences, Mapping):
        raise ReviewError(f"sentences must be an object {{index: text}}, not {sentences!r}")
    for key, value in (sentences or {}).items():
        k = int(key) if isinstance(key, (str, int)) and not isinstance(key, bool) and str(key).isdigit() else -1
        if not 0 <= k < len(brief.get("sentences") or []):
            raise ReviewError(f"no sentence {key!r} in brief {brief['id']}")
        field = f"sentence:{k}"
        rows[field] = Change(_text(value, f"sentence {k}"), machine_text(brief, field), model_of(brief, field))
    if "status" in changes:
        if not isinstance(changes["status"], str) or changes["status"] not in STATUSES:
            raise ReviewError(f"status must be {', '.join(STATUSES)}, not {changes['status']!r}")
        rows["status"] = Change(changes["status"])
    return rows


def parse_day(value: Any) -> date:
    """A day from a date or YYYY-MM-DD text (ReviewError otherwise)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ReviewError(f"date must be YYYY-MM-DD, not {value!r}")


def whole_number(value: Any, name: str, least: int = 0) -> int:
    """A whole number from an int or digits (ReviewError naming `name` otherwise)."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ReviewError(f"{name} must be a whole number (>= {least}), not {value!r}")
    return value


def _text(value: Any, what: str) -> str | None:
    if value is None:
        return None  # back to the machine text
    if not isinstance(value, str) or not value.strip():
        raise ReviewError(f"{what} must be some text (or null to go back to the machine's)")
    return " ".join(value.split())
