"""A run's side of the failures that outlive it (store.failures): what succeeds is resolved, what
fails is counted, and an input given up after `max_attempts` failed attempts is skipped, saying so,
until it changes (a new key) or `retry --given-up` asks for it again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..store.failures import FailureRow, Failures
from ..store.state import Store
from ..types import Brief, Failure

GIVEN_UP = "given up"  # the start of a given-up input's skip reason


def input_key(failure: Failure) -> str:
    """Which input failed: its article id and pipeline fingerprint when known, else a digest of its file
    (a changed file is a new input), else its ref (a URL)."""
    if failure.id and failure.fingerprint:
        return article_key(failure.id, failure.fingerprint)
    for candidate in (failure.ref, failure.ref.rsplit(":", 1)[0]):
        path = Path(candidate)
        try:
            if path.is_file():
                digest = hashlib.sha256()
                with open(path, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
                return f"file:{digest.hexdigest()[:32]}"
        except OSError:
            break
    return f"ref:{failure.ref}"


def article_key(article_id: str, fingerprint: str) -> str:
    """The key of an article under one pipeline."""
    return f"article:{article_id}:{fingerprint}"


def given_up_reason(row: FailureRow) -> str:
    """Why a given-up input is skipped, in one line."""
    return (f"{GIVEN_UP} after {row.attempts} failed attempts (last: {row.error}); "
            f"'summarizer retry OUT --given-up' tries it again")


class FailureBook:
    """Settles each result of a run against the folder's failures.

    Args:
        store: the state store.
        run_id: this run's id.
        max_attempts: failed attempts after which an input is given up.
        retry_given_up: try given-up inputs too (`retry --given-up`).
    """

    def __init__(self, store: Store, run_id: int, max_attempts: int, retry_given_up: bool = False) -> None:
        self.failures = Failures(store)
        self.run_id = run_id
        self.max_attempts = max(1, max_attempts)
        self.retry_given_up = retry_given_up
        self.given_up: list[str] = []  # refs given up in this run
        self._known = {row.ref for row in self.failures.rows()}  # the table is small; most results need no write

    def _resolve(self, ref: str) -> None:
        if ref in self._known:
            self.failures.resolve([ref])
            self._known.discard(ref)

    def skip_reason(self, article_id: str, fingerprint: str) -> str | None:
        """The reason to skip an article given up under this pipeline, else None."""
        if self.retry_given_up:
            return None
        row = self.failures.given_up_under(article_key(article_id, fingerprint))
        return given_up_reason(row) if row is not None else None

    def settle(self, result: Brief | Failure, origin: Mapping[str, Any] | None = None) -> Brief | Failure:
        """Record one result; returns it, or a given-up input's failure turned into a skip."""
        if isinstance(result, Brief):
            self._resolve(result.source.get("ref") or "")
            return result
        if result.status == "skipped":
            if result.stage != "deferred" and not result.error.startswith(f"skipped: {GIVEN_UP}"):
                self._resolve(result.ref)
            return result
        key = input_key(result)
        row = None if self.retry_given_up else self.failures.given_up_under(key, result.ref)
        if row is not None:
            return Failure(result.ref, f"skipped: {given_up_reason(row)}", result.stage, status="skipped",
                           id=result.id, fingerprint=result.fingerprint)
        row = self.failures.record(self.run_id, result.ref, key, id=result.id, stage=result.stage, error=result.error,
                                   origin=json.dumps(dict(origin), ensure_ascii=False) if origin else None,
                                   max_attempts=self.max_attempts)
        self._known.add(result.ref)
        if row.given_up:
            self.given_up.append(result.ref)
        return result
