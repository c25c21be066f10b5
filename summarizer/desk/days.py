"""The one day a story belongs to, for review, digest, status and search alike.

A story's day is the local calendar day its brief was *made* (`created_at`, recorded in UTC, seen in
the machine's local time zone): the day's review and the day's newsletter are of what arrived that
day, whatever date the article carries. A 06:15 cron run that picks up last night's stories puts
them in this morning's review and digest; an archive article published on 2020-03-18 and made
today is reviewed today. The publication date (`source.published`) travels beside it everywhere
(a search hit carries both: `day` opens the review, `published` is what the article says).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any


def local_day(created_at: str) -> date | None:
    """The local calendar day of an ISO 8601 timestamp (briefs record UTC)."""
    try:
        stamp = datetime.fromisoformat(str(created_at).replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)).astimezone().date()


def story_day(brief: Mapping[str, Any]) -> date | None:
    """The day a story is reviewed and sent on: the local day its brief was made (None: undated)."""
    return local_day(brief.get("created_at") or "")


def published_day(brief: Mapping[str, Any]) -> str | None:
    """The publication date the article carries (YYYY-MM-DD), if any."""
    return (brief.get("source") or {}).get("published") or None
