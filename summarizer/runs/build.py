"""The pipeline a run's settings describe: models.yaml, the profile, the glossary, the executor."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..config import load_config
from ..models import hub
from ..models.registry import ModelRegistry
from ..pipeline import Pipeline, PipelineOptions
from ..store.state import RunSeen, Store
from .glossary_file import read_glossary
from .names import house_names
from .settings import RunSettings


def build_pipeline(settings: RunSettings) -> Pipeline:
    """The pipeline a run's settings describe (ConfigError for a bad models.yaml, profile or glossary)."""
    config = load_config(settings.models)
    registry = ModelRegistry(config, device=settings.device, engine=settings.engine, threads=settings.threads,
                             compute_type=settings.compute_type, download_progress=settings.download_progress)
    window = settings.window or 32
    options = PipelineOptions(window_articles=window, strict=settings.strict, retry_degenerate=settings.retry)
    glossary = read_glossary(settings.glossary) if settings.glossary else None
    profile = config.profile(settings.profile)
    executor = _ray_executor(settings, config.source, profile.fallback) if settings.executor == "ray" else None
    return Pipeline(config, settings.profile, registry=registry, glossary=glossary, options=options, executor=executor)


def attach(pipeline: Pipeline, store: Store, run_id: int) -> None:
    """The pipeline checked and tied to the folder: every model there (offline when all are local
    folders), the translation memory, the names memory (as plain data) and the run's duplicate check."""
    pipeline.check_models()
    if all(hub.local_folder(pipeline.config.model(m)) for m in pipeline.all_models()):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # every weight is here: loading never asks the hub
    pipeline.memory = store
    pipeline.use_house_names(house_names(store))
    pipeline.seen = RunSeen(store, run_id)


def _ray_executor(settings: RunSettings, models: Path, fallback: str | None) -> Any:
    from .ray_exec import RayExecutor, RaySettings, WorkerSpec

    spec = WorkerSpec(models=str(Path(models).resolve()), engine=settings.engine, device=settings.device,
                      compute_type=settings.compute_type, threads=max(1, int(settings.cpus_per_actor)),
                      glossary=str(Path(settings.glossary).resolve()) if settings.glossary else None,
                      retry=settings.retry, fallback=fallback,
                      faults={k: v for k, v in os.environ.items() if k == "SUMMARIZER_CRASH_ONCE"})
    return RayExecutor(RaySettings(address=settings.ray_address, actors=settings.actors,
                                   cpus_per_actor=settings.cpus_per_actor, gpus_per_actor=settings.gpus_per_actor), spec)
