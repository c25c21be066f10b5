"""Where a window's model work runs: in this process (LocalExecutor), or elsewhere (runs.ray_exec).

Whatever runs the models, the pipeline keeps the rest: reading, routing, duplicates, the run's name
spellings, assembling briefs, in input order. An executor answers with the same frozen records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from ..models.registry import ModelRegistry
from ..types import Failure
from .records import Segmented, Summarized, Translated
from .window import WindowTools, summarize_window, translate_window


class Executor(Protocol):
    """Runs the model work of windows."""

    def translate(self, segs: Sequence[Segmented], tools: WindowTools) -> dict[str, Translated | Failure]:
        """One record per article id (see pipeline.window.translate_window)."""
        ...

    def summarize(self, segs: Sequence[Segmented], english: Mapping[str, Sequence[str]], registry: ModelRegistry,
                  model: str) -> dict[str, Summarized | Failure]:
        """One record per article id (see pipeline.window.summarize_window)."""
        ...

    def model_info(self, registry: ModelRegistry, name: str) -> dict[str, Any]:
        """What a brief records about a model (name, id, revision, engine, compute type, settings)."""
        ...

    def models_report(self, registry: ModelRegistry) -> dict[str, dict[str, Any]]:
        """Per model used: its info and its engine's counters (for the run report)."""
        ...

    def close(self) -> None:
        """Release what the executor holds."""
        ...


Pending = Callable[[], dict]  # the result of work started: call it to wait for it


class StreamingExecutor(Executor, Protocol):
    """An executor that can have several windows in flight (`depth`): the pipeline starts a window's
    translation, then finishes the previous ones', then waits for the oldest window's summaries."""

    depth: int

    def start_translate(self, segs: Sequence[Segmented], tools: WindowTools) -> Pending:
        """Start the drafts of a window; the Pending gives {id: Draft | Failure} (names are the driver's)."""
        ...

    def start_summarize(self, segs: Sequence[Segmented], english: Mapping[str, Sequence[str]],
                        registry: ModelRegistry, model: str) -> Pending:
        """Start a window's summaries; the Pending gives {id: Summarized | Failure}."""
        ...


class LocalExecutor:
    """The models run in this process, loaded once by the registry (one window at a time)."""

    name = "local"

    def translate(self, segs: Sequence[Segmented], tools: WindowTools) -> dict[str, Translated | Failure]:
        return translate_window(segs, tools)

    def summarize(self, segs: Sequence[Segmented], english: Mapping[str, Sequence[str]], registry: ModelRegistry,
                  model: str) -> dict[str, Summarized | Failure]:
        registry.release("translate")  # the translators' memory is the summariser's while it works
        return summarize_window(segs, english, registry, model)

    def model_info(self, registry: ModelRegistry, name: str) -> dict[str, Any]:
        return registry.get(name).info()

    def models_report(self, registry: ModelRegistry) -> dict[str, dict[str, Any]]:
        return {name: {**m.info(), **engine_counters(m.engine.stats), "notes": m.notes}
                for name, m in registry.loaded().items()}

    def close(self) -> None:
        pass


def engine_counters(stats: Any) -> dict[str, Any]:
    """An engine's counters as the report writes them."""
    return {"calls": stats.calls, "sequences": stats.sequences, "source_tokens": stats.source_tokens,
            "target_tokens": stats.target_tokens, "seconds": round(stats.seconds, 3)}
