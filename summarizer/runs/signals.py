"""Graceful stop on SIGINT/SIGTERM: finish the window at hand, write state and report, then stop."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from ..types import Article, Failure


class GracefulStop:
    """First SIGINT/SIGTERM: stop taking new articles. Second: abort at once."""

    def __init__(self, install: bool = True) -> None:
        self.signal: str | None = None
        self._old: dict[int, Any] = {}
        if install and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handle)

    def _handle(self, signum: int, frame: Any) -> None:
        if self.signal is not None:
            raise KeyboardInterrupt
        self.signal = signal.Signals(signum).name

    def wrap(self, items: Iterable[Article | Failure]) -> Iterator[Article | Failure]:
        """Pass items through until a signal arrives."""
        for item in items:
            if self.signal:
                return
            yield item

    def restore(self) -> None:
        """Put the previous signal handlers back."""
        for sig, old in self._old.items():
            signal.signal(sig, old)
