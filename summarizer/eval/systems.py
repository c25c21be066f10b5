"""Systems to evaluate, run as a run runs them: the registry's engine and compute type (CTranslate2
int8 by default, as shipped), models.yaml's beam and length settings, the retry of looping
translations and the profile's fallback model; summaries through the pipeline itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..errors import ConfigError
from ..models.registry import ModelRegistry
from ..pipeline import Pipeline
from ..steps.repair import retry_degenerate, use_fallback
from ..steps.translate import Translator
from ..types import Article, Brief, Failure


@dataclass
class System:
    """A named system: a profile (its translator for the source language, and its fallback) or one model."""

    name: str
    translator: str | None = None
    fallback: str | None = None
    profile: str | None = None
    info: dict[str, Any] = field(default_factory=dict)


def systems_for(config: Config, profiles: Sequence[str], models: Sequence[str], src: str = "ar") -> list[System]:
    """The systems named on the command line (profiles first, then models, in the order given)."""
    found = []
    for name in profiles:
        profile = config.profile(name)
        translator = profile.translator_for(src)
        if translator is None:
            raise ConfigError(f"profile '{name}' has no translation model for '{src}'")
        found.append(System(f"profile:{name}", translator, profile.fallback, name))
    for name in models:
        spec = config.model(name)
        if spec.task != "translate":
            raise ConfigError(f"model '{name}' is a {spec.task} model, not a translation model")
        found.append(System(f"model:{name}", name))
    return found


def translate(registry: ModelRegistry, system: System, sources: Sequence[str], src: str = "ar",
              retry: bool = True) -> list[str]:
    """Every source segment's translation (empty segments stay empty), with the run's repairs."""
    model = Translator(registry.get(system.translator or ""))
    if not model.supports(src):
        raise ConfigError(f"{system.name}: model '{system.translator}' does not translate from '{src}'")
    fallback = Translator(registry.get(system.fallback)) if system.fallback else None
    wanted = [k for k, text in enumerate(sources) if text.strip()]
    texts = [sources[k] for k in wanted]
    outs = retry_degenerate(model, texts, model.translate(texts, src), src, retry=retry)
    outs = use_fallback(fallback, system.fallback, texts, outs, src)
    system.info = {"translate": registry.get(system.translator or "").info(),
                   **({"fallback": registry.get(system.fallback).info()} if system.fallback else {})}
    hyps = [""] * len(sources)
    for k, out in zip(wanted, outs):
        hyps[k] = out.text
    return hyps


def summarize(config: Config, registry: ModelRegistry, profile: str,
              articles: Sequence[Article]) -> list[Brief | Failure]:
    """Each article's brief, or the Failure saying why the pipeline could not make one (as in a run)."""
    pipeline = Pipeline(config, profile, registry=registry)
    return list(pipeline.run(articles))
