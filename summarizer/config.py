"""models.yaml -> typed, validated specs. Unknown keys are errors that name the key and the file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

TASKS = ("translate", "summarize")
ENGINES = ("auto", "torch", "ctranslate2")
COMPUTE_TYPES = ("auto", "default", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
                 "int16", "float16", "bfloat16", "float32")
GENERATION_KEYS: dict[str, type] = {
    "num_beams": int,
    "length_penalty": float,
    "no_repeat_ngram_size": int,
    "repetition_penalty": float,
    "forced_bos_token_id": int,  # a checkpoint saved without its flag; -1: force nothing (see docs/models.md)
}
MODEL_KEYS = {
    "task", "hf", "path", "revision", "src", "tgt", "lang", "lang_codes", "max_input_tokens",
    "max_output_tokens", "batch_tokens", "batch_size", "generation", "output_ratio",
    "summary_tokens", "engine", "compute_type", "parallel", "description",
}
PROFILE_KEYS = {"translate", "summarize", "fallback", "description"}
TOP_KEYS = {"models", "profiles"}
ENV_MODELS = "SUMMARIZER_MODELS"


@dataclass(frozen=True)
class ModelSpec:
    """One named model of the registry.

    Attributes:
        name: registry name (the key under `models:`).
        task: "translate" or "summarize".
        hf: Hugging Face hub id, or None when `path` is set.
        path: local folder with the model, or None when `hf` is set.
        revision: hub revision (branch, tag or commit); None means "main".
        src: source language of a bilingual translation model (ISO 639-1).
        tgt: target language of a translation model.
        lang: language a summariser works in ("en" or "multi").
        lang_codes: ISO 639-1 -> model language code, for multilingual models (NLLB).
        max_input_tokens: longest input the model accepts, in its own tokens.
        max_output_tokens: hard cap on generated tokens.
        batch_tokens: token budget of one batch (padded source tokens).
        batch_size: most sequences in one batch.
        generation: beam and penalty settings, the same on every engine.
        output_ratio: a translation may be this many times longer than its source (+16 tokens).
        summary_tokens: {"min", "max"} summary length bounds in tokens; scaled down for short inputs.
        engine: "auto", "torch" or "ctranslate2".
        compute_type: CTranslate2 compute type, or "auto".
        parallel: CTranslate2 batches decoded at once on the CPU (inter_threads; the cores are
            shared among them); None: 2 (two batches at once on one core each beat one on two
            cores, for translators and summarisers alike: benchmarks/tune.py).
    """

    name: str
    task: str
    hf: str | None = None
    path: Path | None = None
    revision: str | None = None
    src: str | None = None
    tgt: str = "en"
    lang: str | None = None
    lang_codes: Mapping[str, str] = field(default_factory=dict)
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    batch_tokens: int = 4096
    batch_size: int = 64
    generation: Mapping[str, float | int] = field(default_factory=dict)
    output_ratio: float = 2.0
    summary_tokens: Mapping[str, int] = field(default_factory=lambda: {"min": 30, "max": 142})
    engine: str = "auto"
    compute_type: str = "auto"
    parallel: int | None = None
    description: str = ""

    @property
    def ref(self) -> str:
        """Where the weights come from: the hub id or the local folder."""
        return self.hf if self.hf else str(self.path)


@dataclass(frozen=True)
class Profile:
    """A named combination: translation model per source language, and a summariser."""

    name: str
    translate: Mapping[str, str]
    summarize: str
    fallback: str | None = None
    description: str = ""

    def translator_for(self, lang: str) -> str | None:
        """Return the translation model name for a source language, or None if none fits."""
        return self.translate.get(lang) or self.translate.get("*")


@dataclass(frozen=True)
class Config:
    """The whole registry as loaded from one models.yaml."""

    models: Mapping[str, ModelSpec]
    profiles: Mapping[str, Profile]
    source: Path

    def profile(self, name: str) -> Profile:
        """Return a profile by name; the error lists the ones that exist."""
        if name not in self.profiles:
            raise ConfigError(f"no profile '{name}' in {self.source} "
                              f"(profiles: {', '.join(sorted(self.profiles))})")
        return self.profiles[name]

    def model(self, name: str) -> ModelSpec:
        """Return a model spec by name; the error lists the ones that exist."""
        if name not in self.models:
            raise ConfigError(f"no model '{name}' in {self.source} "
                              f"(models: {', '.join(sorted(self.models))})")
        return self.models[name]


def default_config_path() -> Path:
    """The models.yaml used when none is given: $SUMMARIZER_MODELS, else the bundled one."""
    env = os.environ.get(ENV_MODELS)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    bundled = here / "models.yaml"  # present in an installed wheel
    return bundled if bundled.exists() else here.parent / "models.yaml"


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Load and validate a models.yaml.

    Args:
        path: the file; default: $SUMMARIZER_MODELS or the models.yaml shipped with the tool.

    Returns:
        The validated Config.

    Raises:
        ConfigError: the file is missing, is not YAML, or has an unknown or invalid key.
    """
    import yaml

    src = Path(path) if path is not None else default_config_path()
    if src.is_dir():  # a folder that holds a models.yaml (what `summarizer models tiny DIR` writes) is fine
        if not (src / "models.yaml").is_file():
            raise ConfigError(f"{src} is a folder without a models.yaml; give the models file itself (--models "
                              f"FILE.yaml)")
        src = src / "models.yaml"
    if not src.is_file():
        raise ConfigError(f"models file not found: {src}")
    try:
        data = yaml.safe_load(src.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{src}: not valid YAML: {str(exc).splitlines()[0]}") from None
    return parse_config(data, src)


def parse_config(data: Any, src: Path) -> Config:
    """Validate a parsed models.yaml mapping (see load_config)."""
    where = str(src)
    data = _mapping(data, where, "top level")
    _no_unknown(data, TOP_KEYS, where, "top level")
    raw_models = _mapping(data.get("models") or {}, where, "models")
    models = {name: _model(str(name), _mapping(body, where, f"models.{name}"), src)
              for name, body in raw_models.items()}
    raw_profiles = _mapping(data.get("profiles") or {}, where, "profiles")
    profiles = {str(name): _profile(str(name), _mapping(body, where, f"profiles.{name}"), models, where)
                for name, body in raw_profiles.items()}
    if not profiles:
        raise ConfigError(f"{where}: no profiles defined")
    return Config(models=models, profiles=profiles, source=src)


def _mapping(value: Any, where: str, what: str) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: '{what}' must be a mapping, got {type(value).__name__}")
    return value


def _no_unknown(body: Mapping, allowed: set[str], where: str, what: str) -> None:
    for key in body:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key '{key}' in {what} "
                              f"(allowed: {', '.join(sorted(allowed))})")


def _int(body: Mapping, key: str, where: str, what: str, default: int | None) -> int | None:
    value = body.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where}: {what}.{key} must be a positive integer, got {value!r}")
    return value


def _model(name: str, body: dict, src: Path) -> ModelSpec:
    where, what = str(src), f"models.{name}"
    _no_unknown(body, MODEL_KEYS, where, what)
    task = body.get("task")
    if task not in TASKS:
        raise ConfigError(f"{where}: {what}.task must be one of {', '.join(TASKS)}, got {task!r}")
    if ("hf" in body) == ("path" in body):
        raise ConfigError(f"{where}: {what} needs exactly one of 'hf' (hub id) or 'path' (local folder)")
    path = None
    if "path" in body:
        path = Path(str(body["path"])).expanduser()
        path = (path if path.is_absolute() else (src.parent / path)).resolve()
    generation = _mapping(body.get("generation") or {}, where, f"{what}.generation")
    _no_unknown(generation, set(GENERATION_KEYS), where, f"{what}.generation")
    for key, kind in GENERATION_KEYS.items():
        if key in generation and not isinstance(generation[key], (int, float)):
            raise ConfigError(f"{where}: {what}.generation.{key} must be a number")
        if key in generation:
            generation[key] = kind(generation[key])
    summary_tokens = _mapping(body.get("summary_tokens") or {"min": 30, "max": 142}, where,
                              f"{what}.summary_tokens")
    _no_unknown(summary_tokens, {"min", "max"}, where, f"{what}.summary_tokens")
    lo, hi = summary_tokens.get("min", 30), summary_tokens.get("max", 142)
    if not (isinstance(lo, int) and isinstance(hi, int) and 0 <= lo <= hi and hi > 0):
        raise ConfigError(f"{where}: {what}.summary_tokens needs integers 0 <= min <= max")
    lang_codes = _mapping(body.get("lang_codes") or {}, where, f"{what}.lang_codes")
    engine = body.get("engine", "auto")
    if engine not in ENGINES:
        raise ConfigError(f"{where}: {what}.engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    compute_type = body.get("compute_type", "auto")
    if compute_type not in COMPUTE_TYPES:
        raise ConfigError(f"{where}: {what}.compute_type must be one of {', '.join(COMPUTE_TYPES)}")
    ratio = body.get("output_ratio", 2.0)
    if not isinstance(ratio, (int, float)) or ratio <= 0:
        raise ConfigError(f"{where}: {what}.output_ratio must be a positive number")
    if task == "translate" and not body.get("src") and not lang_codes:
        raise ConfigError(f"{where}: {what} (translate) needs 'src' or 'lang_codes'")
    return ModelSpec(
        name=name, task=task, hf=str(body["hf"]) if "hf" in body else None, path=path,
        revision=str(body["revision"]) if body.get("revision") is not None else None,
        src=body.get("src"), tgt=str(body.get("tgt", "en")), lang=body.get("lang"),
        lang_codes={str(k): str(v) for k, v in lang_codes.items()},
        max_input_tokens=_int(body, "max_input_tokens", where, what, None),
        max_output_tokens=_int(body, "max_output_tokens", where, what, None),
        batch_tokens=_int(body, "batch_tokens", where, what, 4096) or 4096,
        batch_size=_int(body, "batch_size", where, what, 64) or 64,
        generation=generation, output_ratio=float(ratio),
        summary_tokens={"min": lo, "max": hi}, engine=engine, compute_type=compute_type,
        parallel=_int(body, "parallel", where, what, None),
        description=str(body.get("description", "")),
    )


def _profile(name: str, body: dict, models: Mapping[str, ModelSpec], where: str) -> Profile:
    what = f"profiles.{name}"
    _no_unknown(body, PROFILE_KEYS, where, what)
    translate = _mapping(body.get("translate") or {}, where, f"{what}.translate")
    summarize = body.get("summarize")
    refs = [(f"{what}.translate.{lang}", m, "translate") for lang, m in translate.items()]
    refs.append((f"{what}.summarize", summarize, "summarize"))
    if body.get("fallback") is not None:
        refs.append((f"{what}.fallback", body["fallback"], "translate"))
    for key, model, task in refs:
        if model not in models:
            raise ConfigError(f"{where}: {key} names unknown model {model!r} "
                              f"(models: {', '.join(sorted(models))})")
        if models[model].task != task:
            raise ConfigError(f"{where}: {key} needs a {task} model, '{model}' is a {models[model].task} model")
    return Profile(name=name, translate={str(k): str(v) for k, v in translate.items()},
                   summarize=str(summarize), fallback=body.get("fallback"),
                   description=str(body.get("description", "")))
