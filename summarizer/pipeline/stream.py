"""Several windows in flight (an executor with `start_translate`, e.g. Ray actors that live for the
run): window N+1's translation runs while window N is summarised, and at most `depth` windows are in
flight, so the driver's memory does not grow with the input.

What must happen once and in order stays here, on the driver: a window's name spellings are applied
when its drafts come back, windows in input order; results come out in input order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .records import Segmented
from .window import finish_window


@dataclass
class _Flight:
    admitted: list[Any]
    segs: list[Segmented]
    drafts: Callable[[], dict]
    translated: dict | None = None
    summaries: Callable[[], dict] | None = None


def stream_windows(pipeline: Any, windows: Iterable[Sequence[Any]], skip: Any, on_window: Any) -> Iterator[Any]:
    """The pipeline's results (see Pipeline.run), windows overlapped up to the executor's depth."""
    executor, tools = pipeline.executor, pipeline.tools()
    depth = max(1, int(getattr(executor, "depth", 2)))
    flights: deque[_Flight] = deque()
    for window in windows:
        admitted, segs = pipeline.admit_window(window, skip, on_window)
        flights.append(_Flight(admitted, segs, executor.start_translate(segs, tools)))
        for flight in list(flights)[:-1]:  # every older window: names applied in order, summaries started
            _promote(pipeline, flight)
        while len(flights) > depth:
            yield from _land(pipeline, flights.popleft())
    while flights:
        yield from _land(pipeline, flights.popleft())


def _promote(pipeline: Any, flight: _Flight) -> None:
    if flight.translated is not None:
        return
    flight.translated = finish_window(flight.segs, flight.drafts(), pipeline.names)
    todo, english = pipeline.to_summarize(flight.segs, flight.translated)
    flight.summaries = pipeline.executor.start_summarize(todo, english, pipeline.registry, pipeline.profile.summarize)


def _land(pipeline: Any, flight: _Flight) -> Iterator[Any]:
    _promote(pipeline, flight)
    summarized = flight.summaries() if flight.summaries is not None else {}
    yield from pipeline.results(flight.admitted, flight.translated or {}, summarized)
