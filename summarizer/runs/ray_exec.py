"""Beyond one machine: the model work on Ray actors that live for the whole run, everything else on the
driver, windows streamed through them.

The driver (this process) keeps what only it can do safely: it reads the inputs, skips what the
state says is done, looks each window's sentences up in the translation memory, applies the run's
name spellings (in window order), writes every brief atomically, marks it done, and writes the report
and digest. Workers are Ray Core actors, started once per run (`--actors` of them, spread over the
nodes, each reserving `--cpus-per-actor` CPUs and `--gpus-per-actor` GPUs): each builds its models
once, from their paths (never pickled: CTranslate2 translators cannot be), and then drafts the
translations and makes the summaries of chunk after chunk, releasing its translators while it
summarises (as a local run does). The pipeline keeps two windows in flight (pipeline.stream): the
next window's translation runs while the previous one is summarised, and no more, so the driver's
memory does not grow with the input.

Why Ray Core actors and not Ray Data: a window is a few dozen articles, and each of Ray Data's
datasets plans, starts and tears down its own execution; actors that hold their models for the run,
fed a bounded number of tasks, cost one remote call per chunk and keep every guarantee in the
driver's hands. A chunk whose actor dies (killed, or its node lost) is sent to another actor;
since no article's output depends on its chunk-mates, the briefs equal a local run's, and each
article is done exactly once. When no actor is left, the run stops with every finished brief kept.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import SummarizerError
from ..models.registry import ModelRegistry
from ..pipeline.records import Segmented, Summarized, Translated
from ..pipeline.window import WindowTools, finish_window
from ..text.arabic import sentence_key
from ..types import Failure
from .raystart import node_addresses, require_ray, start_local_ray, stderr_silenced
from .raywork import WorkerSpec, draft_batch, summary_batch

ATTEMPTS = 4  # per chunk: a chunk whose actor died goes to the next actor, this many times at most
PLACE_TIMEOUT = 300.0  # seconds the run waits for its actors to be placed and to answer


@dataclass(frozen=True)
class RaySettings:
    """Where and how wide to run.

    Attributes:
        address: None starts a local Ray, on loopback (see raylocal); "auto", "HOST:6379" or
            "ray://HOST:10001" joins a cluster.
        actors: worker actors (each does both stages, for the whole run).
        cpus_per_actor: CPUs each worker reserves (its CTranslate2/torch threads).
        gpus_per_actor: GPUs each worker reserves (fractions share one GPU).
    """

    address: str | None = None
    actors: int = 2
    cpus_per_actor: float = 1.0
    gpus_per_actor: float = 0.0


@dataclass
class _Counters:
    info: dict[str, Any]
    counters: dict[str, float] = field(default_factory=dict)


class Worker:
    """A Ray actor (see the module doc): its models are built once, from paths, and kept."""

    def __init__(self, spec: WorkerSpec) -> None:
        self.spec = spec
        self.registry = spec.registry()
        self.loads = 0

    def _where(self, out: dict[str, Any]) -> dict[str, Any]:
        import ray

        context = ray.get_runtime_context()
        self.loads = max(self.loads, len(self.registry.loaded()))
        return {**out, "node": context.get_node_id(), "actor": context.get_actor_id(), "loads": self.loads}

    def draft(self, segs: Sequence[Segmented], rows: Sequence[Any]) -> dict[str, Any]:
        """Drafts of a chunk of articles (see raywork.draft_batch)."""
        return self._where(draft_batch(self.spec, self.registry, segs, rows))

    def summarize(self, segs: Sequence[Segmented], english: Mapping[str, Sequence[str]], model: str) -> dict[str, Any]:
        """Summaries of a chunk of articles, the translators' memory freed first."""
        self.registry.release("translate")
        return self._where(summary_batch(self.spec, self.registry, segs, english, model))

    def ping(self) -> str:
        """Ready (its models load on first use)."""
        return "ok"


class RayExecutor:
    """A streaming Executor (see pipeline.executor) whose workers are Ray actors living for the run.

    Args:
        settings: cluster address and actor sizes.
        spec: what each worker needs to build its models.
    """

    name = "ray"
    depth = 2  # windows in flight

    def __init__(self, settings: RaySettings, spec: WorkerSpec) -> None:
        self.ray = require_ray()
        self.settings, self.spec = settings, spec
        self._started = False
        if not self.ray.is_initialized():
            os.environ.setdefault("RAY_AUTH_MODE", "disabled")
            os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")  # core-worker notes would print on the console
            options = dict(include_dashboard=False, log_to_driver=False, configure_logging=False,
                           ignore_reinit_error=True)
            with stderr_silenced():  # the core worker notes its log level on the console as it starts
                if settings.address is None and not os.environ.get("RAY_ADDRESS"):
                    start_local_ray(self.ray, **options)  # this machine alone: on loopback
                else:
                    self.ray.init(address=settings.address, **options)  # a cluster, as its nodes were started
            self._started = True
        self.models: dict[str, _Counters] = {}
        self.nodes: dict[str, int] = {}
        self.loads: dict[str, int] = {}
        self.lost = self.resent = 0  # actors that died, chunks sent again after their actor died
        self._actors: list[Any] = []
        self._spares: list[tuple[Any, Any]] = []  # replacements starting: (actor, its ping)
        self._opened = False
        self._turn = itertools.count()

    def _new_actor(self) -> Any:
        remote = self.ray.remote(max_restarts=0, max_task_retries=0)(Worker)
        options = {"num_cpus": self.settings.cpus_per_actor, "scheduling_strategy": "SPREAD",
                   **({"num_gpus": self.settings.gpus_per_actor} if self.settings.gpus_per_actor else {})}
        return remote.options(**options).remote(self.spec)

    def _pool(self) -> list[Any]:
        if not self._opened:
            self._opened = True
            self._spares = [(a, a.ping.remote()) for a in (self._new_actor() for _ in range(max(1, self.settings.actors)))]
            self.ray.wait([p for _, p in self._spares], num_returns=len(self._spares), timeout=PLACE_TIMEOUT)
            if not any(self.ray.wait([p], timeout=0)[0] for _, p in self._spares):
                need = self.settings.actors * self.settings.cpus_per_actor
                raise SummarizerError(f"Ray: no worker could be placed within {PLACE_TIMEOUT:g}s ({self.settings.actors} "
                                      f"actors of {self.settings.cpus_per_actor:g} CPUs"
                                      f"{f' and {self.settings.gpus_per_actor:g} GPUs' if self.settings.gpus_per_actor else ''}"
                                      f" each: {need:g} CPUs); lower --actors or --cpus-per-actor")
        ready = [(a, p) for a, p in self._spares if self.ray.wait([p], timeout=0)[0]]
        for actor, ping in ready:  # a replacement that answers joins the pool
            self._spares.remove((actor, ping))
            self._actors.append(actor)
        return self._actors

    def _lost(self, actor: Any) -> None:
        """An actor died (killed, or its node lost): out of the pool; a replacement starts, and joins
        once it answers (where no resources are left it never does, and the run goes on without it)."""
        if actor in self._actors:
            self.lost += 1
            self._actors.remove(actor)
            replacement = self._new_actor()
            self._spares.append((replacement, replacement.ping.remote()))

    def _next_actor(self) -> Any:
        pool = self._pool()
        if not pool and self._spares:
            self.ray.wait([p for _, p in self._spares], num_returns=1, timeout=120)
            pool = self._pool()
        if not pool:
            raise SummarizerError("Ray: every worker died and none could be started again; the run stops here, with "
                                  "every finished brief kept")
        return pool[next(self._turn) % len(pool)]

    def _chunks(self, segs: Sequence[Segmented]) -> list[list[Segmented]]:
        size = max(1, math.ceil(len(segs) / max(1, self.settings.actors)))
        return [list(segs[k:k + size]) for k in range(0, len(segs), size)]

    def _submit(self, method: str, calls: list[tuple]) -> Callable[[], list[dict[str, Any]]]:
        """Send each call to an actor now; the returned function waits, moving a call whose actor
        died to another actor."""
        sent = []
        for args in calls:
            actor = self._next_actor()
            sent.append((args, actor, getattr(actor, method).remote(*args)))

        def wait() -> list[dict[str, Any]]:
            return [self._result(method, args, actor, ref) for args, actor, ref in sent]

        return wait

    def _result(self, method: str, args: tuple, actor: Any, ref: Any) -> dict[str, Any]:
        from ray.exceptions import RayActorError, WorkerCrashedError

        for _ in range(ATTEMPTS * max(1, self.settings.actors)):
            try:
                out = self.ray.get(ref)
            except (RayActorError, WorkerCrashedError):
                self._lost(actor)
                actor = self._next_actor()
                ref = getattr(actor, method).remote(*args)
                self.resent += 1
                continue
            self.nodes[out["node"]] = self.nodes.get(out["node"], 0) + 1
            self.loads[out["actor"]] = max(self.loads.get(out["actor"], 0), out["loads"])
            return out
        raise SummarizerError(f"Ray: a chunk failed on {ATTEMPTS} workers in a row; the run stops here, with every "
                              f"finished brief kept")

    def start_translate(self, segs: Sequence[Segmented], tools: WindowTools) -> Callable[[], dict]:
        """Drafts from the workers (memory hits sent along); memory and counters merged on the driver."""
        todo = [s for s in segs if s.translator is not None]
        calls = [(chunk, tools.memory.tm_rows({sentence_key(t) for seg in chunk for t in seg.to_translate()}))
                 for chunk in self._chunks(todo)]
        waiting = self._submit("draft", calls) if calls else (list)

        def drafts() -> dict:
            found: dict[str, Any] = {}
            for result in waiting():
                found.update(result["drafts"])
                for model_key, key, translation in result["fresh"]:
                    tools.memory.tm_put(model_key, {key: translation})
                for name, value in result["stats"].items():
                    setattr(tools.memory_stats, name, getattr(tools.memory_stats, name) + value)
                self._merge(result["models"], tools.registry)
            return found

        return drafts

    def start_summarize(self, segs: Sequence[Segmented], english: Mapping[str, Sequence[str]],
                        registry: ModelRegistry, model: str) -> Callable[[], dict]:
        """Summaries from the workers."""
        calls = [(chunk, {s.id: list(english[s.id]) for s in chunk}, model) for chunk in self._chunks(segs)]
        waiting = self._submit("summarize", calls) if calls else (list)

        def summaries() -> dict:
            found: dict[str, Summarized | Failure] = {}
            for result in waiting():
                found.update(result["summaries"])
                self._merge(result["models"], registry)
            return found

        return summaries

    def translate(self, segs: Sequence[Segmented], tools: WindowTools) -> dict[str, Translated | Failure]:
        """One window, waited for (the Executor protocol)."""
        return finish_window(segs, self.start_translate(segs, tools)(), tools.names)

    def summarize(self, segs: Sequence[Segmented], english: Mapping[str, Sequence[str]], registry: ModelRegistry,
                  model: str) -> dict[str, Summarized | Failure]:
        """One window's summaries, waited for."""
        return self.start_summarize(segs, english, registry, model)()

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

    def describe(self) -> dict[str, Any]:
        """Where the work ran: chunks per node and the nodes' addresses, models each actor loaded (once per
        actor, not per window), actors lost and chunks sent again."""
        addresses = node_addresses(self.ray) if self.ray.is_initialized() else {}
        return {"executor": "ray", "actors": len(self._actors), "chunks_per_node": dict(self.nodes),
                "node_addresses": {n: addresses.get(n) for n in self.nodes},
                "model_loads_per_actor": dict(self.loads), "actors_lost": self.lost, "chunks_resent": self.resent}

    def close(self) -> None:
        """Stop the actors, and the local Ray this executor started (a joined cluster is left running)."""
        for actor in [*self._actors, *(a for a, _ in self._spares)]:
            with contextlib.suppress(Exception):
                self.ray.kill(actor)
        self._actors, self._spares = [], []
        if self._started and self.ray.is_initialized():
            self.ray.shutdown()
