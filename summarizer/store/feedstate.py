"""The state of feeds across runs: conditional-GET validators, items done, per-run feed reports."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from ..types import Brief
from .state import Store


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class RunFeedState:
    """A FeedState (see ingest.follow) over the run's SQLite state.

    Args:
        store: the state database.
        current: the fingerprint the pipeline gives an article of a language (an item is done
            only when its brief was made under the pipeline of this run).
        force: nothing counts as done (every item is read again).
    """

    def __init__(self, store: Store, current: Callable[[str | None], str], force: bool = False) -> None:
        self.store, self.current, self.force = store, current, force
        self._validators: dict[str, tuple[str | None, str | None]] = {}

    def validators(self, feed_url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the feed's last complete read (none with --force)."""
        if self.force:
            return None, None
        rows = self.store.query("SELECT etag, last_modified FROM feeds WHERE url = ?", (feed_url,))
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    def keep_validators(self, feed_url: str, etag: str | None, last_modified: str | None) -> None:
        """Hold them until `commit`: a run killed half-way must not make the next one see a 304."""
        self._validators[feed_url] = (etag, last_modified)

    def commit(self, complete: Iterable[str]) -> None:
        """Store the validators of the feeds whose every item this run handled to the end (`complete`);
        a feed with a failed or deferred item is read in full again next time."""
        complete = set(complete)
        self.store.write("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)",
                         [(url, etag, modified, _now()) for url, (etag, modified) in self._validators.items()
                          if url in complete])
        self._validators.clear()

    def known(self, url_key: str | None, guid: str | None, feed: str) -> bool:
        """Is the item done under this run's pipeline (its brief written, and still valid)? A guid
        counts within its own feed only (two feeds may both have an item "1")."""
        if self.force or not (url_key or guid):
            return False
        rows = self.store.query("SELECT article_id, language, fingerprint FROM feed_items WHERE url_key = ? "
                                "OR (guid IS NOT NULL AND guid = ? AND feed = ?)", (url_key, guid, feed))
        return any(fingerprint == self.current(language) and self.store.is_done(article_id, fingerprint)
                   for article_id, language, fingerprint in rows)

    def record(self, brief: Brief) -> None:
        """A feed item's brief is done: remember the item by its URL and guid."""
        item = brief.meta.get("feed_item")
        if not isinstance(item, Mapping):
            return
        self.store.write("INSERT INTO feed_items VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [(item.get("url_key"), item.get("guid"), brief.meta.get("feed", ""), brief.id,
                           brief.language, brief.fingerprint, _now())])


def save_feed_report(store: Store, run_id: int, feeds: Iterable[Mapping[str, Any]]) -> None:
    """Keep a run's per-feed report for `summarizer status`."""
    store.write("INSERT OR REPLACE INTO run_feeds VALUES (?, ?, ?)",
                [(run_id, f["url"], json.dumps(dict(f), ensure_ascii=False)) for f in feeds])


def feed_report(store: Store, run_id: int) -> list[dict[str, Any]]:
    """A run's per-feed report."""
    return [json.loads(row[0]) for row in store.query("SELECT stats FROM run_feeds WHERE run_id = ? ORDER BY url",
                                                      (run_id,))]
