"""What the fetcher keeps per origin (scheme, host, port) in one run, and one request's clock.

- `OriginState`: the politeness delay in force (robots.txt's Crawl-delay included), pages fetched,
  network time spent (a total budget per origin per run), and a breaker: after `breaker` answers
  in a row that are errors (5xx, 429, no answer), the origin is left for the next run.
- `Clock`: one request's deadline, across its redirects and retries; the politeness wait between
  two requests to one origin is the tool's own choice and does not count.
- `retry_after`: a Retry-After header, in seconds (an HTTP date is UTC, RFC 9110).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime


@dataclass
class OriginState:
    """One origin's politeness, caps and health in this run."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    next_at: float = 0.0
    pages: int = 0
    delay: float | None = None  # the delay in force (robots.txt's Crawl-delay included)
    min_delay: float | None = None  # a feed's own setting for this origin
    max_pages: int | None = None
    deferred: str | None = None  # why this origin is left for the next run
    spent: float = 0.0  # seconds of requests (network time and retry waits) in this run
    errors: int = 0  # error answers in a row

    def charge(self, seconds: float) -> None:
        """Count `seconds` of requests against the origin's budget."""
        with self.lock:
            self.spent += max(0.0, seconds)

    def answered(self, ok: bool, name: str, breaker: int) -> None:
        """Record an answer: an error (5xx, 429, none) or not; `breaker` errors in a row defer the origin."""
        with self.lock:
            self.errors = 0 if ok else self.errors + 1
            if not ok and breaker and self.errors >= breaker and not self.deferred:
                self.deferred = (f"{name} answered {self.errors} requests in a row with an error (5xx, 429 or "
                                 f"no answer): left for the next run")


class Clock:
    """One request's deadline: `seconds` of network time and retry waits, across redirects and retries."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (0 or less: the request is over)."""
        return self.at - time.monotonic()

    def pause(self, seconds: float) -> None:
        """A politeness wait of `seconds`: it does not count against the request."""
        self.at += max(0.0, seconds)


def retry_after(value: str | None, attempt: int, now: float | None = None) -> float:
    """Seconds a Retry-After header asks for: a number, or an HTTP date read as UTC (RFC 9110: an
    HTTP date is always GMT, and `-0000` is no local time); a backoff when it says nothing usable."""
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value[:9])
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            when = None
        if when is not None:
            if when.tzinfo is None:  # "-0000" (and a date with no zone): UTC, not this machine's time
                when = when.replace(tzinfo=timezone.utc)
            current = datetime.now(timezone.utc).timestamp() if now is None else now
            return max(0.0, when.timestamp() - current)
    return min(30.0, 2.0 ** attempt)
