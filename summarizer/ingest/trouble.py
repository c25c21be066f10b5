"""The words of a failure no check foresaw: whatever a hostile input provoked, said the same way by
every catch-all, so a fuzzer (tests/ingest/mutate.py) can tell it from a refusal on purpose."""

from __future__ import annotations

UNFORESEEN = "unforeseen"


def unforeseen(exc: BaseException) -> str:
    """`not readable (unforeseen ValueError: ...)`: the exception's type and the start of its message."""
    return f"not readable ({UNFORESEEN} {type(exc).__name__}: {str(exc)[:200]})"
