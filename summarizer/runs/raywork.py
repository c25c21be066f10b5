"""What a Ray worker runs: pure functions of text and models (no Ray here, so they test without it)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import load_config
from ..faults import crash_once, hold_once
from ..models.engines.base import EngineStats
from ..models.registry import ModelRegistry
from ..pipeline.executor import engine_counters
from ..pipeline.records import Segmented
from ..pipeline.window import WindowTools, draft_window, summarize_window
from ..steps.memory import MemoryStats, MemoryTM
from ..types import Failure, Translation
from .glossary_file import read_glossary


@dataclass(frozen=True)
class WorkerSpec:
    """How a worker builds its models: paths and settings, never the models themselves.

    Attributes:
        models: the models.yaml path (resolved; the same path must hold on every node).
        engine, device, compute_type: as the run was asked.
        threads: the worker's CPU share: its CTranslate2 and torch threads.
        glossary: the glossary CSV path, or None.
        retry: retry degenerate translations once.
        fallback: the profile's fallback translation model.
        faults: fault-injection variables for tests (SUMMARIZER_CRASH_ONCE).
    """

    models: str
    engine: str | None = None
    device: str | None = None
    compute_type: str | None = None
    threads: int = 1
    glossary: str | None = None
    retry: bool = True
    fallback: str | None = None
    faults: Mapping[str, str] = field(default_factory=dict)

    def registry(self) -> ModelRegistry:
        """The worker's registry (models load on first use, once per worker)."""
        os.environ.update(dict(self.faults))
        os.environ["OMP_NUM_THREADS"] = str(self.threads)  # Ray sets 1 otherwise
        return ModelRegistry(load_config(self.models), engine=self.engine, device=self.device, threads=self.threads,
                             compute_type=self.compute_type)


def _models(registry: ModelRegistry) -> dict[str, dict[str, Any]]:
    """Each loaded model's info and the engine counters since the last report (then reset)."""
    out = {}
    for name, model in registry.loaded().items():
        out[name] = {"info": model.info(), "counters": engine_counters(model.engine.stats)}
        model.engine.stats = EngineStats()
    return out


def draft_batch(spec: WorkerSpec, registry: ModelRegistry, segs: Sequence[Segmented],
                rows: Sequence[tuple[str, str, Translation]]) -> dict[str, Any]:
    """Draft translations of a batch: memory hits from the driver, the rest translated here.

    Returns:
        {"drafts": {id: Draft | Failure}, "fresh": new memory rows, "stats": memory counters,
         "models": per model info and counters}.
    """
    crash_once("actor")
    hold_once("actor")
    memory, stats = MemoryTM(rows=rows), MemoryStats()
    glossary = read_glossary(spec.glossary) if spec.glossary else None
    tools = WindowTools(registry=registry, memory=memory, memory_stats=stats, glossary=glossary, names=None,
                        fallback=spec.fallback, retry=spec.retry)
    try:
        drafts: dict[str, Any] = draft_window(segs, tools)
    except Exception as exc:  # noqa: BLE001 - a failing batch is failure rows, never a failed job
        drafts = {s.id: Failure(s.article.ref, f"translate failed: {type(exc).__name__}: {exc}", "translate",
                                id=s.id, fingerprint=s.fingerprint) for s in segs}
    return {"drafts": drafts, "fresh": list(memory.added), "stats": vars(stats), "models": _models(registry)}


def summary_batch(spec: WorkerSpec, registry: ModelRegistry, segs: Sequence[Segmented],
                  english: Mapping[str, Sequence[str]], model: str) -> dict[str, Any]:
    """Summaries of a batch: {"summaries": {id: Summarized | Failure}, "models": ...}."""
    crash_once("actor")
    hold_once("actor")
    try:
        summaries: dict[str, Any] = summarize_window(segs, english, registry, model)
    except Exception as exc:  # noqa: BLE001 - failure rows, never a failed job
        summaries = {s.id: Failure(s.article.ref, f"summarize failed: {type(exc).__name__}: {exc}", "summarize",
                                   id=s.id, fingerprint=s.fingerprint) for s in segs}
    return {"summaries": summaries, "models": _models(registry)}
