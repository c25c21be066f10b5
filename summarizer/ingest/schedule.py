"""Work on many hosts at once, fairly: one slow host never holds back the others.

A dispatcher thread hands jobs to a small pool of workers: at most one job per host at a time
(hosts take turns, round robin), a host only when it may be asked again (its politeness delay has
passed), jobs without a host whenever a worker is free. Results come back as they complete, through
a bounded queue (`lookahead`), so the work stays a few items ahead of whoever consumes it and
memory stays flat. Closing the iterator early stops the dispatcher.
"""

from __future__ import annotations

import queue
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
_DONE = object()


@dataclass(frozen=True)
class Job(Generic[T]):
    """One piece of work: the host it talks to (None: none) and what to call."""

    host: str | None
    run: Callable[[], T]


class _Crash:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class HostScheduler:
    """Runs jobs fairly across hosts (see the module doc).

    Args:
        workers: jobs running at once.
        lookahead: finished results held for the consumer at most.
        ready_in: seconds until a host may be asked again.
    """

    def __init__(self, workers: int, lookahead: int, ready_in: Callable[[str], float]) -> None:
        self.workers, self.lookahead, self.ready_in = max(1, workers), max(1, lookahead), ready_in

    def run(self, jobs: Iterable[Job[T]]) -> Iterator[T]:
        """Every job's result, in the order they complete."""
        results: queue.Queue = queue.Queue(maxsize=self.lookahead)
        stop = threading.Event()
        thread = threading.Thread(target=self._dispatch, args=(list(jobs), results, stop), daemon=True,
                                  name="summarizer-fetch")
        thread.start()
        try:
            while True:
                item = results.get()
                if item is _DONE:
                    return
                if isinstance(item, _Crash):
                    raise item.exc
                yield item
        finally:
            stop.set()
            thread.join(timeout=60)

    def _dispatch(self, jobs: list[Job[T]], results: queue.Queue, stop: threading.Event) -> None:
        try:
            self._loop(jobs, results, stop)
        except BaseException as exc:  # noqa: BLE001 - a bug here must reach the consumer, not vanish
            self._put(results, _Crash(exc), stop)
        finally:
            self._put(results, _DONE, stop)

    def _loop(self, jobs: list[Job[T]], results: queue.Queue, stop: threading.Event) -> None:
        free: deque[Job[T]] = deque(j for j in jobs if j.host is None)
        hosts: OrderedDict[str, deque[Job[T]]] = OrderedDict()
        for job in jobs:
            if job.host is not None:
                hosts.setdefault(job.host, deque()).append(job)
        running: dict[Future, str | None] = {}
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="summarizer-fetch") as pool:
            while (free or hosts or running) and not stop.is_set():
                nap = self._fill(pool, free, hosts, running)
                if not running:
                    stop.wait(min(nap, 0.5))
                    continue
                done, _ = wait(running, timeout=min(nap, 0.5), return_when=FIRST_COMPLETED)
                for future in done:
                    running.pop(future)
                    self._put(results, future.result(), stop)
            for future in running:
                future.cancel()

    def _fill(self, pool: ThreadPoolExecutor, free: deque, hosts: OrderedDict, running: dict) -> float:
        """Start what may start; return the seconds until some waiting host is ready."""
        nap = 0.5
        while len(running) < self.workers:
            if free:
                job = free.popleft()
                running[pool.submit(job.run)] = None
                continue
            busy = set(running.values())
            chosen = None
            for host in hosts:
                if host in busy:
                    continue
                wait_s = self.ready_in(host)
                if wait_s <= 0:
                    chosen = host
                    break
                nap = min(nap, wait_s)
            if chosen is None:
                return nap
            job = hosts[chosen].popleft()
            hosts.move_to_end(chosen)  # round robin: this host goes to the back of the line
            if not hosts[chosen]:
                del hosts[chosen]
            running[pool.submit(job.run)] = chosen
        return nap

    @staticmethod
    def _put(results: queue.Queue, item: object, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                results.put(item, timeout=0.2)
                return
            except queue.Full:
                continue
