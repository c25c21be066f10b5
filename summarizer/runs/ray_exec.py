"""Beyond one machine: the model work of each window on a Ray cluster, everything else on the driver.

The driver (this process) keeps what only it can do safely: it reads the inputs, skips what the
state says is done, looks the window's sentences up in the translation memory, applies the run's
name spellings, writes every brief atomically, marks it done, and writes the report and digest.
Workers are pure: Ray Data `map_batches` over an actor pool (`ActorPoolStrategy`), each actor
building its models once from their paths (never pickled: CTranslate2 translators cannot be), with
its CPU share as CTranslate2 and torch threads. A window is split into one batch per actor; since no
article's output depends on its batch-mates, the briefs equal a local run's. A failing article
comes back as a failure row; an actor that dies mid-batch is restarted and its batch run again.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import MissingExtra
from ..models.registry import ModelRegistry
from ..pipeline.records import Segmented, Summarized, Translated
from ..pipeline.window import WindowTools, finish_window
from ..steps.memory import sentence_key
from ..types import Failure, Translation
from .raywork import WorkerSpec, draft_batch, summary_batch

EXTRA = "pip install 'summarizer[ray]'"


@dataclass(frozen=True)
class RaySettings:
    """Where and how wide to run.

    Attributes:
        address: None starts a local Ray; "auto" or "ray://host:10001" joins a cluster.
        actors: workers per stage.
        cpus_per_actor: CPUs each worker reserves (its CTranslate2/torch threads).
        gpus_per_actor: GPUs each worker reserves (fractions share one GPU).
    """

    address: str | None = None
    actors: int = 2
    cpus_per_actor: float = 1.0
    gpus_per_actor: float = 0.0


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def require_ray() -> Any:
    """The ray module, or MissingExtra naming the extra to install."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise MissingExtra(f"--executor ray needs Ray, an optional extra: {EXTRA}") from None
    return ray


@dataclass
class _Counters:
    info: dict[str, Any]
    counters: dict[str, float] = field(default_factory=dict)


class RayExecutor:
    """An Executor (see pipeline.executor) whose workers are Ray actors.

    Args:
        settings: cluster address and actor sizes.
        spec: what each worker needs to build its models.
    """

    name = "ray"

    def __init__(self, settings: RaySettings, spec: WorkerSpec) -> None:
        self.ray = require_ray()
        self.settings, self.spec = settings, spec
        self._started = False
        if not self.ray.is_initialized():
            os.environ.setdefault("RAY_AUTH_MODE", "disabled")
            os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")  # core-worker notes would print on the console
            with _stderr_silenced():  # the core worker notes its log level on the console as it starts
                self.ray.init(address=settings.address, include_dashboard=False, log_to_driver=False,
                              configure_logging=False, ignore_reinit_error=True)
            self._started = True
        self.models: dict[str, _Counters] = {}
        self._quiet()

    def _quiet(self) -> None:
        """Ray Data's progress bars and per-dataset notes stay out of the run's output (the CLI reports)."""
        import logging

        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.ERROR)
        context = self.ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False

    def _map(self, worker: type, rows: list[dict[str, bytes]]) -> list[Any]:
        from ray.data import ActorPoolStrategy

        dataset = self.ray.data.from_items(rows, override_num_blocks=len(rows))
        # Ray Data restarts a dead actor and runs its batch again (max_restarts and max_task_retries
        # default to -1 for actor pools); the spec rides on the class, so no argument waits in the object store
        bound = type(worker.__name__, (worker,), {"SPEC": self.spec})
        mapped = dataset.map_batches(
            bound, compute=ActorPoolStrategy(size=min(self.settings.actors, len(rows))), batch_size=1,
            num_cpus=self.settings.cpus_per_actor, num_gpus=self.settings.gpus_per_actor or None)
        return [pickle.loads(row["result"]) for row in mapped.take_all()]

    def _chunks(self, segs: Sequence[Segmented]) -> list[list[Segmented]]:
        size = max(1, math.ceil(len(segs) / max(1, self.settings.actors)))
        return [list(segs[k:k + size]) for k in range(0, len(segs), size)]

    def translate(self, segs: Sequence[Segmented], tools: WindowTools) -> dict[str, Translated | Failure]:
        """Drafts from the workers (memory hits sent along), then the run's name spellings here."""
        todo = [s for s in segs if s.translator is not None]
        drafts: dict[str, Any] = {}
        if todo:
            rows = []
            for chunk in self._chunks(todo):
                keys = {sentence_key(t) for seg in chunk for t in seg.to_translate()}
                rows.append({"payload": pickle.dumps((chunk, tools.memory.tm_rows(keys)))})
            for result in self._map(DraftWorker, rows):
                drafts.update(result["drafts"])
                for model_key, key, translation in result["fresh"]:
                    tools.memory.tm_put(model_key, {key: translation})
                for name, value in result["stats"].items():
                    setattr(tools.memory_stats, name, getattr(tools.memory_stats, name) + value)
                self._merge(result["models"], tools.registry)
        return finish_window(segs, drafts, tools.names)

    def summarize(self, segs: Sequence[Segmented], english: Mapping[str, Sequence[str]], registry: ModelRegistry,
                  model: str) -> dict[str, Summarized | Failure]:
        """Summaries from the workers."""
        if not segs:
            return {}
        rows = [{"payload": pickle.dumps((chunk, {s.id: list(english[s.id]) for s in chunk}, model))}
                for chunk in self._chunks(segs)]
        summaries: dict[str, Summarized | Failure] = {}
        for result in self._map(SummaryWorker, rows):
            summaries.update(result["summaries"])
            self._merge(result["models"], registry)
        return summaries

    def _merge(self, models: Mapping[str, Mapping[str, Any]], registry: ModelRegistry) -> None:
        for name, entry in models.items():
            seen = self.models.setdefault(name, _Counters(dict(entry["info"])))
            for key, value in entry["counters"].items():
                seen.counters[key] = seen.counters.get(key, 0) + value
            registry.note_runtime(name, entry["info"]["engine"], entry["info"]["compute_type"])

    def model_info(self, registry: ModelRegistry, name: str) -> dict[str, Any]:
        """The info a worker reported for the model."""
        return dict(self.models[name].info)

    def models_report(self, registry: ModelRegistry) -> dict[str, dict[str, Any]]:
        """Per model: its info, and its engines' counters summed over the workers."""
        return {name: {**m.info, **{k: round(v, 3) for k, v in m.counters.items()}} for name, m in self.models.items()}

    def close(self) -> None:
        """Stop the local Ray this executor started (a joined cluster is left running)."""
        if self._started and self.ray.is_initialized():
            self.ray.shutdown()


class _Worker:
    """A Ray actor: builds its models once (from paths, never pickled), then works batch after batch."""

    SPEC: WorkerSpec  # set on the class the executor maps with

    def __init__(self) -> None:
        self.spec = self.SPEC
        self.registry = self.spec.registry()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[bytes]]:
        return {"result": [pickle.dumps(self.work(*pickle.loads(payload))) for payload in batch["payload"]]}

    def work(self, *args: Any) -> dict[str, Any]:
        raise NotImplementedError


class DraftWorker(_Worker):
    """Drafts the translations of a batch of articles."""

    def work(self, segs: Sequence[Segmented], rows: Sequence[tuple[str, str, Translation]]) -> dict[str, Any]:
        return draft_batch(self.spec, self.registry, segs, rows)


class SummaryWorker(_Worker):
    """Summarises a batch of articles."""

    def work(self, segs: Sequence[Segmented], english: Mapping[str, Sequence[str]], model: str) -> dict[str, Any]:
        return summary_batch(self.spec, self.registry, segs, english, model)

