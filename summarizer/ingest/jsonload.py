"""JSON read with the numbers a news record can hold: no 4,300-digit integers, no infinities.

Python refuses to read an integer of more than 4,300 digits (a ValueError deep in `json.loads`,
which would end the whole document), and reads `1e999` as infinity, which no JSON output can hold.
Here such a number reads as an `Unreadable` value, so only the record holding it fails, with its
reason (`unreadable_in`); `NaN` and `Infinity` (not JSON) read as null.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DIGITS = 100  # far past any count, id or timestamp in a news record


class Unreadable:
    """A value read as nothing, and why."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unreadable({self.reason!r})"


def _int(text: str) -> int | Unreadable:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        return Unreadable(f"a number of {digits:,} digits (over {MAX_DIGITS}): not a news record")
    return int(text)


def _float(text: str) -> float | Unreadable:
    if len(text) > MAX_DIGITS * 4:
        return Unreadable(f"a number written with {len(text):,} characters: not a news record")
    value = float(text)
    return value if math.isfinite(value) else Unreadable(f"a number too large to hold ({text[:20]})")


def loads_bounded(text: str) -> Any:
    """`json.loads` with bounded numbers (see the module doc).

    Raises:
        json.JSONDecodeError: not JSON.
        RecursionError: nested past what Python's parser follows.
    """
    return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=lambda _name: None)


def unreadable_in(value: Any) -> str | None:
    """The reason of the first Unreadable inside `value` (any depth), or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Unreadable):
            return item.reason
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None
