"""Pipeline fingerprints: what about a run changes an article's brief.

A re-run skips an article already done under the same fingerprint. Everything that changes
outputs is in it: the schema version, the options that change outputs, the glossary, and for
each model that can touch the article (its translator, the profile's fallback translator, the
summariser) its spec, the revision on disk, the forced first token as read from the folder, and
the engine and compute type it really runs with (after CTranslate2's "auto" is resolved and after a conversion that fell back to torch).
Window sizes change speed, not outputs: they are not part of it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from ..config import Config, Profile
from ..models import hub
from ..models.engines.base import load_settings
from ..models.registry import ModelRegistry
from ..types import SCHEMA_VERSION


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Fingerprints:
    """Computes (and caches per model) the fingerprints of one pipeline.

    Args:
        config: the registry.
        profile: the profile in use.
        registry: the model registry (it knows the engine and compute type each model runs with).
        options: the output-relevant options, as one string.
        glossary_digest: the glossary's digest, or "-".
    """

    def __init__(self, config: Config, profile: Profile, registry: ModelRegistry, options: str,
                 glossary_digest: str) -> None:
        self.config = config
        self.profile = profile
        self.registry = registry
        self.options = options
        self.glossary_digest = glossary_digest
        self._folders: dict[str, tuple[Path | None, str]] = {}
        self._models: dict[tuple[str, str, str], str] = {}

    def _folder(self, name: str) -> tuple[Path | None, str]:
        if name not in self._folders:
            spec = self.config.model(name)
            folder = hub.local_folder(spec)
            revision = hub.resolved_revision(spec, folder) if folder else "missing"
            if folder is not None and revision == "local":
                revision = hub.folder_fingerprint(folder)
            self._folders[name] = (folder, revision)
        return self._folders[name]

    def model(self, name: str) -> str:
        """What about one model changes its outputs: spec, revision on disk, engine, compute type.

        The engine and compute type are asked of the registry each time: once the model is
        loaded they are the ones it really runs with (a failed conversion means torch).
        """
        spec = self.config.model(name)
        folder, revision = self._folder(name)
        engine, compute = self.registry.runtime(spec, folder)
        key = (name, engine, compute)
        if key not in self._models:
            data = {k: v for k, v in dataclasses.asdict(spec).items()
                    if k not in ("description", "compute_type", "engine")}
            data.update(revision=revision, engine=engine, compute_type=compute)
            forced = load_settings(folder, spec.generation).forced_bos_token_id if folder is not None else None
            if forced is not None:  # as read from the folder (legacy flag included): it changes every output
                data["forced_bos_token_id"] = forced
            self._models[key] = _digest(json.dumps(data, sort_keys=True, default=str))
        return self._models[key]

    def article(self, translator: str | None) -> str:
        """Fingerprint of the pipeline an article goes through (see the module doc)."""
        fallback = self.profile.fallback if translator and self.profile.fallback != translator else None
        parts = [str(SCHEMA_VERSION), self.options, self.glossary_digest,
                 self.model(translator) if translator else "-",
                 self.model(fallback) if fallback else "-",
                 self.model(self.profile.summarize)]
        return _digest("|".join(parts))
