"""The engine interface: token ids in, token ids out, the same generation settings everywhere."""

from __future__ import annotations

import ctypes
import functools
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class GenerationSettings:
    """Decoding settings with one meaning on every engine.

    Built from the model's own generation_config.json, overridden by models.yaml. Output
    length limits are not here: they are derived per batch from the input length.
    """

    num_beams: int = 1
    length_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    bad_words_ids: tuple[tuple[int, ...], ...] = ()
    decoder_start_token_id: int | None = None
    eos_token_id: int | None = None
    pad_token_id: int | None = None
    bos_token_id: int | None = None
    forced_bos_token_id: int | None = None

    def stronger(self) -> "GenerationSettings":
        """Settings for a retry after degenerate output: block repeats harder."""
        return replace(self, no_repeat_ngram_size=max(self.no_repeat_ngram_size, 3),
                       repetition_penalty=max(self.repetition_penalty, 1.3))

    def key(self) -> str:
        """A stable string of the settings that change outputs (for caches)."""
        forced = "" if self.forced_bos_token_id is None else f"-fb{self.forced_bos_token_id}"  # BART's <s>
        return (f"b{self.num_beams}-lp{self.length_penalty:g}-nr{self.no_repeat_ngram_size}"
                f"-rp{self.repetition_penalty:g}{forced}")


def _json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def generation_defaults(model_dir: Path) -> dict[str, Any]:
    """The model's own generation settings, read as transformers reads them.

    generation_config.json when the folder has one (then config.json's generation keys are
    ignored); otherwise the generation keys of config.json, where the legacy flag
    `force_bos_token_to_be_generated` (distilbart, 2020) means "force bos_token_id first".
    """
    config = _json(model_dir / "config.json")
    if (model_dir / "generation_config.json").is_file():
        return {**{k: config[k] for k in ("bos_token_id", "eos_token_id", "pad_token_id", "decoder_start_token_id")
                   if config.get(k) is not None}, **_json(model_dir / "generation_config.json")}
    data = dict(config)
    if data.get("forced_bos_token_id") is None and data.get("force_bos_token_to_be_generated"):
        data["forced_bos_token_id"] = data.get("bos_token_id")
    return data


def load_settings(model_dir: Path, overrides: Mapping[str, Any]) -> GenerationSettings:
    """The model folder's own generation settings (see generation_defaults), overridden by models.yaml."""
    data = {k: v for k, v in generation_defaults(model_dir).items() if v is not None}
    bad = tuple(tuple(int(t) for t in seq) for seq in data.get("bad_words_ids") or ())
    eos = data.get("eos_token_id")
    settings = GenerationSettings(
        num_beams=int(data.get("num_beams", 1) or 1),
        length_penalty=float(data.get("length_penalty", 1.0)),
        no_repeat_ngram_size=int(data.get("no_repeat_ngram_size", 0) or 0),
        repetition_penalty=float(data.get("repetition_penalty", 1.0)),
        bad_words_ids=bad,
        decoder_start_token_id=data.get("decoder_start_token_id"),
        eos_token_id=eos[0] if isinstance(eos, list) else eos,
        pad_token_id=data.get("pad_token_id"),
        bos_token_id=data.get("bos_token_id"),
        forced_bos_token_id=data.get("forced_bos_token_id"),
    )
    settings = replace(settings, **dict(overrides))
    if settings.forced_bos_token_id is not None and settings.forced_bos_token_id < 0:  # models.yaml: force none
        settings = replace(settings, forced_bos_token_id=None)
    return settings


def effective_prefix(prefix: Sequence[int], settings: GenerationSettings) -> tuple[int, ...]:
    """The forced first target tokens: the caller's (NLLB language code) or the model's forced BOS.

    Both engines force it, count it in the length limit and strip it from the output.
    """
    if prefix:
        return tuple(prefix)
    if settings.forced_bos_token_id is not None:
        return (settings.forced_bos_token_id,)
    return ()


@dataclass(frozen=True)
class Generation:
    """One generated sequence.

    Attributes:
        ids: generated token ids, without the decoder start token, forced prefix or EOS.
        score: mean log-probability per generated token (higher is more confident).
        hit_limit: generation stopped at max_new_tokens instead of at EOS.
    """

    ids: tuple[int, ...]
    score: float | None = None
    hit_limit: bool = False


@dataclass(frozen=True)
class Job:
    """One batch to generate: source ids and its output length bounds (prefix included)."""

    batch: tuple[tuple[int, ...], ...]
    max_new_tokens: int
    min_new_tokens: int = 0


def generate_each(engine: Any, jobs: Sequence[Job], prefix: Sequence[int] = (),
                  settings: GenerationSettings | None = None) -> list[list[Generation]]:
    """Run jobs one after the other (an engine without concurrent batches)."""
    return [engine.generate(job.batch, max_new_tokens=job.max_new_tokens, min_new_tokens=job.min_new_tokens,
                            prefix=prefix, settings=settings) for job in jobs]


class Engine(Protocol):
    """A loaded seq2seq model that generates from token ids."""

    name: str
    compute_type: str
    settings: GenerationSettings

    def align(self, source: Sequence[int], target: Sequence[int], prefix: Sequence[int] = ()) -> list[int]:
        """For each target token, the source position it attends to most (glossary placement)."""
        ...

    def generate(self, batch: Sequence[Sequence[int]], *, max_new_tokens: int, min_new_tokens: int = 0,
                 prefix: Sequence[int] = (), settings: GenerationSettings | None = None) -> list[Generation]:
        """Generate one output per input, in input order.

        Args:
            batch: source token ids, special tokens included.
            max_new_tokens: most tokens to generate per sequence (prefix included).
            min_new_tokens: fewest tokens before EOS is allowed.
            prefix: forced first target tokens (NLLB language code).
            settings: override of the engine's settings (e.g. a stronger retry).
        """
        ...

    def generate_many(self, jobs: Sequence[Job], prefix: Sequence[int] = (),
                      settings: GenerationSettings | None = None) -> list[list[Generation]]:
        """Generate several batches (each with its own length bounds); results in job order.

        An engine may decode several at once (CTranslate2 with inter_threads > 1).
        """
        ...

    def release(self) -> None:
        """Free what the model holds until its next use, where the engine can (it reloads itself)."""
        ...


@functools.lru_cache(maxsize=1)
def _libc() -> Any:
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:  # not glibc: nothing to do
        return None


def _malloc_trim():
    libc = _libc()
    return libc.malloc_trim if libc is not None else None


M_ARENA_MAX = -8


@functools.lru_cache(maxsize=1)
def limit_malloc_arenas() -> int:
    """Cap glibc's malloc arenas at one per core for the rest of the process; the cap set (0 where
    the C library is not glibc).

    glibc gives every new thread its own arena, up to 8 per core, and an arena keeps what its
    threads freed for their next allocations. The translators' decoding threads and then the
    summariser's are different threads, so by default the summariser's batches start on fresh
    arenas while the translators' freed memory stays resident in theirs. With one arena per core
    they share: threads that run at the same time still rarely wait on each other's arena, and
    memory one engine freed is the next one's. Measured (the benchmark's `fast` within corpus,
    `summarizer run`, best runs): peak RSS 1,092-1,109 MB with glibc's defaults, 1,029 MB with
    two arenas, same wall time. Called before an engine's threads start.
    """
    libc = _libc()
    cores = os.cpu_count() or 1
    return cores if libc is not None and libc.mallopt(M_ARENA_MAX, cores) else 0


def release_memory() -> None:
    """Give memory freed by a batch back to the OS (glibc keeps it otherwise).

    Beam search over a large vocabulary allocates and frees hundreds of MB per batch; without
    this the process keeps every batch's peak and the next model's work stacks on top of it.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@dataclass
class EngineStats:
    """Counters an engine keeps for the run report."""

    calls: int = 0
    sequences: int = 0
    source_tokens: int = 0
    target_tokens: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def record(self, batch: Sequence[Sequence[int]], outs: Sequence[Generation], seconds: float) -> None:
        """Count one generate call."""
        self.calls += 1
        self.sequences += len(batch)
        self.source_tokens += sum(len(ids) for ids in batch)
        self.target_tokens += sum(len(g.ids) for g in outs)
        self.seconds += seconds
