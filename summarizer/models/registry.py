"""Model registry: name -> loaded model (tokenizer + engine), lazily, once per process."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config, ModelSpec
from ..errors import ConfigError, SummarizerError
from . import hub
from .codec import light_tokenizer
from .codec_spm import target_tags
from .engines.base import Engine, GenerationSettings, load_settings

log = logging.getLogger("summarizer")
ENGINE_CHOICES = ("auto", "torch", "ctranslate2")


@dataclass
class LoadedModel:
    """A model ready to generate: its spec, local folder, tokenizer and engine."""

    spec: ModelSpec
    folder: Path
    revision: str
    tokenizer: Any
    engine: Engine
    max_input_tokens: int
    max_output_tokens: int
    notes: list[str] = field(default_factory=list)

    def info(self) -> dict[str, Any]:
        """What a brief and the run report record about the model."""
        return {"name": self.spec.name, "id": self.spec.ref, "revision": self.revision,
                "engine": self.engine.name, "compute_type": self.engine.compute_type,
                "settings": self.engine.settings.key()}

    def token_id(self, token: str) -> int:
        """Id of a special token (NLLB language codes); KeyError when the vocabulary lacks it."""
        tid = self.tokenizer.convert_tokens_to_ids(token)
        if tid is None or tid == self.tokenizer.unk_token_id:
            raise KeyError(token)
        return int(tid)


def input_limit(spec: ModelSpec, tokenizer: Any, folder: Path) -> int:
    """Longest input in tokens: models.yaml, else the tokenizer, else the position table, else 512."""
    if spec.max_input_tokens:
        return spec.max_input_tokens
    limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(limit, int) and 0 < limit < 100_000:
        return limit
    config = folder / "config.json"
    if config.is_file():
        positions = json.loads(config.read_text(encoding="utf-8")).get("max_position_embeddings")
        if isinstance(positions, int) and positions > 0:
            return positions
    return 512


def output_limit(spec: ModelSpec, folder: Path) -> int:
    """Most tokens the decoder can emit: models.yaml, else the position table (less 2), else 1024.

    Generating past the decoder's position table is the "index out of range" crash of long inputs.
    """
    config = folder / "config.json"
    positions = None
    if config.is_file():
        data = json.loads(config.read_text(encoding="utf-8"))
        positions = data.get("max_target_positions") or data.get("max_position_embeddings")
    cap = positions - 2 if isinstance(positions, int) and positions > 2 else 1024
    return min(cap, spec.max_output_tokens) if spec.max_output_tokens else cap


def hf_tokenizer(folder: Path, src_lang: str | None = None) -> Any:
    """The model's tokenizer through transformers (which imports torch)."""
    from transformers import AutoTokenizer

    from .engines.torch_engine import quiet_transformers

    quiet_transformers()
    kwargs = {"src_lang": src_lang} if src_lang else {}
    return AutoTokenizer.from_pretrained(folder, local_files_only=True, **kwargs)


class ModelRegistry:
    """Loads models by name on first use and keeps them for the process.

    Args:
        config: the validated models.yaml.
        device: "cpu", "cuda" or None (CUDA when available).
        engine: "auto", "torch" or "ctranslate2"; overrides models.yaml's per-model engine when set.
        threads: CPU threads; None uses all cores.
        compute_type: CTranslate2 compute type override.
        download_progress: show progress bars when a missing model is downloaded (a terminal);
            otherwise what is downloaded and its size are logged.
        parallel: CTranslate2 batches decoded at once on the CPU (inter_threads), the threads
            shared among them.
    """

    def __init__(self, config: Config, *, device: str | None = None, engine: str | None = None,
                 threads: int | None = None, compute_type: str | None = None,
                 download_progress: bool = False, parallel: int | None = None) -> None:
        self.config = config
        self.device = device
        self.engine = engine
        self.threads = threads or os.cpu_count() or 1
        self.compute_type = compute_type
        self.download_progress = download_progress
        self.parallel = parallel
        self._loaded: dict[str, LoadedModel] = {}
        self._lock = threading.Lock()
        self._cuda: bool | None = None
        self._observed: dict[str, tuple[str, str]] = {}

    def check_device(self, names: list[str]) -> None:
        """--device cuda where the engines of these models see no GPU: a configuration error, said at once.

        Raises:
            ConfigError: naming the engine that sees no CUDA device and what to use instead.
        """
        if not (self.device or "").startswith("cuda"):
            return
        for engine in sorted({self.engine_choice(self.config.model(n)) for n in names}):
            if engine == "ctranslate2":
                from .engines.ct2_engine import cuda_available

                seen = cuda_available()
            else:
                import torch

                seen = torch.cuda.is_available()
            if not seen:
                raise ConfigError(f"--device {self.device}: {engine} sees no CUDA GPU on this machine; use --device "
                                  f"cpu (or auto, which takes a GPU when there is one)")

    def ensure_available(self, name: str) -> Path:
        """The model's intact local folder, downloading when possible; ModelUnavailable at once otherwise."""
        return hub.ensure_local(self.config.model(name), progress=self.download_progress)

    def loaded(self) -> Mapping[str, LoadedModel]:
        """Models loaded so far."""
        return dict(self._loaded)

    def release(self, task: str) -> None:
        """Free the memory of the loaded models of one task until their next use (see Engine.release)."""
        with self._lock:
            for model in self._loaded.values():
                if model.spec.task == task:
                    model.engine.release()

    def get(self, name: str) -> LoadedModel:
        """Load (once) and return a model by registry name.

        Raises:
            ModelUnavailable: the weights are missing or broken, or loading them failed.
        """
        with self._lock:
            if name not in self._loaded:
                self._loaded[name] = self._load(self.config.model(name))
            return self._loaded[name]

    def _load(self, spec: ModelSpec) -> LoadedModel:
        folder = hub.ensure_local(spec, progress=self.download_progress)
        try:
            return self._build(spec, folder)
        except SummarizerError:
            raise
        except Exception as exc:
            log.debug("loading model %s failed", spec.name, exc_info=True)
            raise hub.broken(spec, folder, f"loading failed ({type(exc).__name__}: {str(exc)[:200]})") from None

    def _build(self, spec: ModelSpec, folder: Path) -> LoadedModel:
        tags = target_tags(folder) if spec.task == "translate" else []
        if tags:
            raise ConfigError(f"model '{spec.name}' is a multi-target Marian model: every input needs a target-language "
                              f"tag such as {tags[0]}, which summarizer does not add; use a model with one target "
                              f"language")
        settings = load_settings(folder, spec.generation)
        revision = hub.resolved_revision(spec, folder)
        engine, tokenizer, notes = self._engine(spec, folder, revision, settings)
        return LoadedModel(spec=spec, folder=folder, revision=revision,
                           tokenizer=tokenizer, engine=engine,
                           max_input_tokens=input_limit(spec, tokenizer, folder),
                           max_output_tokens=output_limit(spec, folder), notes=notes)

    def note_runtime(self, name: str, engine: str, compute_type: str) -> None:
        """The engine and compute type a model really ran with elsewhere (a Ray worker)."""
        self._observed[name] = (engine, compute_type)

    def engine_choice(self, spec: ModelSpec) -> str:
        """The engine asked for: --engine, else models.yaml, else ctranslate2 when installed."""
        choice = self.engine or spec.engine
        if choice == "auto":
            return "ctranslate2" if importlib.util.find_spec("ctranslate2") else "torch"
        return choice

    def runtime(self, spec: ModelSpec, folder: Path | None) -> tuple[str, str]:
        """(engine, compute type) the model really runs with, known without loading it.

        CTranslate2's "auto" compute type is resolved for the device, and a model whose
        conversion failed before (a marker in the conversion cache) runs on torch.
        """
        loaded = self._loaded.get(spec.name)
        if loaded is not None:
            return loaded.engine.name, loaded.engine.compute_type
        if spec.name in self._observed:
            return self._observed[spec.name]
        if self.engine_choice(spec) == "ctranslate2" and importlib.util.find_spec("ctranslate2"):
            from .engines.convert import conversion_failure

            device = self._ct2_device()
            compute = self._ct2_compute(spec, device)
            if folder is None or conversion_failure(spec, folder, hub.resolved_revision(spec, folder), compute) is None:
                return "ctranslate2", compute
        from .engines.torch_engine import torch_compute_type

        return "torch", torch_compute_type(self.device)

    def _engine(self, spec: ModelSpec, folder: Path, revision: str,
                settings: GenerationSettings) -> tuple[Engine, Any, list[str]]:
        """The engine and its tokenizer: CTranslate2 with a torch-free tokenizer when it can, else torch."""
        from .engines.torch_engine import TorchEngine

        notes: list[str] = []
        src_lang = next(iter(spec.lang_codes.values())) if spec.lang_codes else None
        if self.engine_choice(spec) == "ctranslate2":
            if importlib.util.find_spec("ctranslate2") is None:
                raise ConfigError("engine 'ctranslate2' was asked for but ctranslate2 is not installed")
            try:
                tokenizer = light_tokenizer(folder, src_lang) or hf_tokenizer(folder, src_lang)
                return self._ct2(spec, folder, revision, settings, tokenizer), tokenizer, notes
            except ConfigError:
                raise
            except Exception as exc:  # noqa: BLE001 - a failed conversion falls back, never crashes
                message = (f"CTranslate2 could not run model '{spec.name}' ({type(exc).__name__}: {exc}); using "
                           f"torch (run 'summarizer models convert {spec.name}' to try the conversion again)")
                log.warning(message)
                notes.append(message)
        tokenizer = hf_tokenizer(folder, src_lang)
        return TorchEngine(folder, settings, device=self.device, threads=self.threads), tokenizer, notes

    def _ct2_device(self) -> str:
        from .engines.ct2_engine import cuda_available

        if self.device in (None, "auto"):
            if self._cuda is None:
                self._cuda = cuda_available()
            return "cuda" if self._cuda else "cpu"
        if self.device.startswith("cuda") and not cuda_available():
            raise ConfigError("--device cuda was asked for, but CTranslate2 sees no CUDA device")
        return self.device

    def _ct2_compute(self, spec: ModelSpec, device: str) -> str:
        from .engines.ct2_engine import default_compute_type

        compute = self.compute_type or spec.compute_type
        return default_compute_type(device) if compute in ("auto", None) else compute

    def _ct2(self, spec: ModelSpec, folder: Path, revision: str, settings: GenerationSettings, tokenizer: Any):
        from .engines.convert import convert
        from .engines.ct2_engine import Ct2Engine

        device = self._ct2_device()
        compute = self._ct2_compute(spec, device)
        ct2_dir = convert(spec, folder, revision, compute)
        return Ct2Engine(ct2_dir, tokenizer, settings, device=device, compute_type=compute, threads=self.threads,
                         parallel=self.parallel_for(spec) if device == "cpu" else 1)

    def parallel_for(self, spec: ModelSpec) -> int:
        """CTranslate2 batches decoded at once for a model: --parallel, models.yaml, else two (on two or
        more cores, two batches of one thread each beat one batch on two threads: benchmarks/tune.py)."""
        wanted = self.parallel or spec.parallel or 2
        return max(1, min(wanted, self.threads))
