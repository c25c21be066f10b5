"""robots.txt as RFC 9309 reads it, one per origin (scheme, host and port).

- 2xx: its rules (the first 500 KiB, as the RFC allows);
- 4xx: no rules (everything allowed);
- 5xx, a network error, a timeout or more than five redirects: unreachable, so nothing of that
  origin is fetched in this run (the RFC's "complete disallow"); its items wait for the next run.
A Crawl-delay above the run's cap leaves the host for the next run instead of stalling it.
"""

from __future__ import annotations

from dataclasses import dataclass

ROBOTS_BYTES = 512_000


@dataclass
class Robots:
    """What one origin's robots.txt says (or why it could not be read)."""

    rules: object | None = None  # a protego.Protego, None when there are no rules
    unavailable: str | None = None  # why nothing may be fetched this run
    crawl_delay: float = 0.0

    @classmethod
    def from_answer(cls, status: int | None, body: bytes, user_agent: str, error: str | None = None) -> "Robots":
        """Read a robots.txt answer: its status (None: no answer) and body."""
        if status is None or status >= 500:
            reason = error or f"HTTP {status}"
            return cls(unavailable=f"robots.txt could not be read ({reason}); RFC 9309 says fetch nothing until "
                                   f"it can be: left for the next run")
        if status >= 400 or not 200 <= status < 300:
            return cls()
        from protego import Protego

        rules = Protego.parse(body[:ROBOTS_BYTES].decode("utf-8", "replace"))
        delay = rules.crawl_delay(user_agent)
        return cls(rules=rules, crawl_delay=float(delay or 0))

    def allows(self, url: str, user_agent: str) -> bool:
        """May `url` be fetched (by rules; unavailable robots are handled by the caller)?"""
        return self.rules is None or bool(self.rules.can_fetch(url, user_agent))
