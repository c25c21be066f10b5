"""What happened to one feed in a run: the report's per-feed entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FeedStats:
    """One feed's counts in a run.

    Attributes:
        status: fetched, not_modified, deferred (its host asks to wait longer than the tool waits,
            or its robots.txt could not be read: read again next run) or failed.
        items: items in the feed document.
        already_done, duplicates: items left out before any page request.
        new: items taken up this run.
        deferred: new items left for the next run (over the per-feed cap of one run).
        deferred_pages: items whose host is left for the next run (a Crawl-delay over the cap,
            robots.txt unreachable).
        fetched, teaser_only, robots_disallowed: pages read; briefs made from the feed text; pages
            robots.txt forbids.
        unfinished: items of this run that did not end in a brief or a skip (the feed's validators
            are then not kept, so the next run reads the feed again).
        failed: each page that could not be had, with its reason.
    """

    url: str
    name: str | None = None
    status: str = "fetched"
    error: str | None = None
    items: int = 0
    already_done: int = 0
    duplicates: int = 0
    new: int = 0
    deferred: int = 0
    deferred_pages: int = 0
    fetched: int = 0
    teaser_only: int = 0
    robots_disallowed: int = 0
    unfinished: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The entry as written in run-report.json."""
        return dict(vars(self))
