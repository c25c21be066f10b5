"""Translation memory: a translator wrapped so that no sentence is translated twice.

Keyed by (model, revision, engine settings, source language, normalised sentence): wire
stories reprinted by many sites and re-runs cost nothing. Repeats inside one batch are
translated once too. A retry with other settings is kept under those settings. The run's
SQLite state (store.state.Store) is one backend; MemoryTM, bounded, is the in-process one.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..models.engines.base import GenerationSettings
from ..models.registry import LoadedModel
from ..text.arabic import sentence_key
from ..types import Translation
from .translate import Translator


class MemoryBackend(Protocol):
    """Where translations are kept: get and put by (model key, sentence keys)."""

    def tm_get(self, model_key: str, keys: Sequence[str]) -> dict[str, Translation]: ...

    def tm_put(self, model_key: str, items: Mapping[str, Translation]) -> None: ...

    def tm_rows(self, keys: Iterable[str]) -> list[tuple[str, str, Translation]]:
        """Every stored translation of these sentence keys, under any model key: (model key, key, it)."""
        ...


@dataclass
class MemoryStats:
    """Counts for the run report."""

    hits: int = 0
    misses: int = 0
    retries: int = 0  # sentences sent again with stronger settings (counted apart)


class MemoryTM:
    """In-process translation memory with a size bound (used when no SQLite store is given)."""

    def __init__(self, capacity: int = 200_000, rows: Iterable[tuple[str, str, Translation]] = ()) -> None:
        self.capacity = capacity
        self._data: OrderedDict[tuple[str, str], Translation] = OrderedDict(((m, k), t) for m, k, t in rows)
        self.added: list[tuple[str, str, Translation]] = []  # what was stored after the rows given here

    def tm_get(self, model_key: str, keys: Iterable[str]) -> dict[str, Translation]:
        """Stored translations of the given sentence keys (most recently used kept longest)."""
        found = {}
        for key in keys:
            hit = self._data.get((model_key, key))
            if hit is not None:
                self._data.move_to_end((model_key, key))
                found[key] = hit
        return found

    def tm_put(self, model_key: str, items: Mapping[str, Translation]) -> None:
        """Store translations; the least recently used go beyond the capacity."""
        for key, value in items.items():
            self._data[(model_key, key)] = value
            self.added.append((model_key, key, value))
        while len(self._data) > self.capacity:
            self._data.popitem(last=False)
        del self.added[:-self.capacity]

    def tm_rows(self, keys: Iterable[str]) -> list[tuple[str, str, Translation]]:
        """See MemoryBackend.tm_rows."""
        wanted = set(keys)
        return [(m, k, t) for (m, k), t in self._data.items() if k in wanted]


class CachedTranslator:
    """A Translator that looks sentences up in a memory before translating them.

    Args:
        inner: the translator to wrap.
        backend: where translations are kept (Store or MemoryTM).
        stats: counters shared across the run.
    """

    def __init__(self, inner: Translator, backend: MemoryBackend, stats: MemoryStats) -> None:
        self.inner = inner
        self.backend = backend
        self.stats = stats
        model = inner.model
        spec = model.spec
        self._base = "|".join(str(x) for x in (
            spec.name, spec.ref, model.revision, model.engine.name, model.engine.compute_type,
            spec.output_ratio, model.max_input_tokens, model.max_output_tokens))
        self.model_key = self._key(model.engine.settings)

    def _key(self, settings: GenerationSettings) -> str:
        return hashlib.sha1(f"{self._base}|{settings.key()}".encode()).hexdigest()

    def supports(self, lang: str) -> bool:
        """Can the wrapped model translate from `lang`?"""
        return self.inner.supports(lang)

    @property
    def model(self) -> LoadedModel:
        """The wrapped translator's model."""
        return self.inner.model

    @property
    def settings(self) -> GenerationSettings:
        """The wrapped translator's decoding settings."""
        return self.inner.settings

    def prefix_for(self, src_lang: str) -> tuple[int, ...]:
        """See Translator.prefix_for."""
        return self.inner.prefix_for(src_lang)

    def translate(self, texts: Sequence[str], src_lang: str,
                  settings: GenerationSettings | None = None) -> list[Translation]:
        """Same contract as Translator.translate; retries with other settings are kept apart."""
        if not texts:
            return []
        model_key = f"{self._key(settings) if settings is not None else self.model_key}:{src_lang}"
        keys = [sentence_key(t) for t in texts]
        known = self.backend.tm_get(model_key, keys)
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in known and key not in todo:
                todo[key] = text
        if todo:
            fresh = dict(zip(todo, self.inner.translate(list(todo.values()), src_lang, settings)))
            self.backend.tm_put(model_key, fresh)
            known.update(fresh)
        if settings is not None:
            self.stats.retries += len(texts)
        else:
            self.stats.misses += len(todo)
            self.stats.hits += len(texts) - len(todo)
        return [known[k] for k in keys]
