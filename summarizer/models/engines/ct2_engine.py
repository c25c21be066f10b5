"""Engine on CTranslate2: int8 on CPU, int8_float16 on CUDA, same settings as the torch engine.

CTranslate2 takes token strings, special tokens included, and does not add any: the source
ids from the model's own tokenizer are turned into their token strings as they are. Forced
prefixes (NLLB language code, BART's <s>) go in as `target_prefix` and are stripped from the
output, exactly as the torch engine strips them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .base import (
    EngineStats,
    Generation,
    GenerationSettings,
    Job,
    effective_prefix,
    limit_malloc_arenas,
    release_memory,
)


def cuda_available() -> bool:
    """Does CTranslate2 see a CUDA device?"""
    import ctranslate2

    try:
        return ctranslate2.get_cuda_device_count() > 0
    except Exception:  # noqa: BLE001 - a CPU-only build may raise instead of returning 0
        return False


def default_compute_type(device: str) -> str:
    """int8 on CPU; int8_float16 on CUDA."""
    return "int8_float16" if device.startswith("cuda") else "int8"


def _target_vocabulary(folder: Path) -> set[str]:
    """Token strings the converted model can produce."""
    import json

    for name in ("target_vocabulary.json", "shared_vocabulary.json"):
        path = folder / name
        if path.is_file():
            return set(json.loads(path.read_text(encoding="utf-8")))
    for name in ("target_vocabulary.txt", "shared_vocabulary.txt"):
        path = folder / name
        if path.is_file():
            return set(path.read_text(encoding="utf-8").splitlines())
    return set()


class Ct2Engine:
    """A converted seq2seq model run with ctranslate2.Translator.

    Args:
        model_dir: the CTranslate2 model folder (see engines.convert).
        tokenizer: the Hugging Face tokenizer of the original model (ids <-> token strings).
        settings: decoding settings.
        device: "cpu" or "cuda".
        compute_type: CTranslate2 compute type.
        threads: CPU threads in all.
        parallel: batches decoded at once (inter_threads); each gets threads // parallel threads.
    """

    name = "ctranslate2"

    def __init__(self, model_dir: Path, tokenizer: Any, settings: GenerationSettings, device: str = "cpu",
                 compute_type: str = "int8", threads: int | None = None, parallel: int = 1) -> None:
        import ctranslate2

        limit_malloc_arenas()
        self.device = device
        self.compute_type = compute_type
        self.settings = settings
        self.tokenizer = tokenizer
        self.translator = ctranslate2.Translator(
            str(model_dir), device=device.split(":")[0],
            device_index=int(device.split(":")[1]) if ":" in device else 0, compute_type=compute_type,
            inter_threads=max(1, parallel), intra_threads=max(1, (threads or os.cpu_count() or 1) // max(1, parallel)))
        self.parallel = max(1, parallel)
        self.target_vocab = _target_vocabulary(Path(model_dir))
        self.stats = EngineStats()

    def release(self) -> None:
        """Free the model's memory until its next use, which reloads it from its folder (well under a
        second from the page cache). The pipeline releases translators while the summariser works."""
        deadline = time.monotonic() + 5.0
        # CTranslate2 ignores unload_model while a batch still counts as active, which lasts a moment
        # after its result is read: wait for the workers to be idle first
        while self.translator.num_active_batches and time.monotonic() < deadline:
            time.sleep(0.001)
        if self.translator.model_is_loaded:
            self.translator.unload_model()
            release_memory()

    def _ready(self) -> None:
        if not self.translator.model_is_loaded:
            self.translator.load_model()

    def _tokens(self, ids: Sequence[int]) -> list[str]:
        return self.tokenizer.convert_ids_to_tokens(list(ids))

    def align(self, source: Sequence[int], target: Sequence[int], prefix: Sequence[int] = ()) -> list[int]:
        """See TorchEngine.align: forced decoding of `target` with attention returned."""
        if not target:
            return []
        prefix = effective_prefix(prefix, self.settings)
        forced = self._tokens(prefix) + self._tokens(target)
        self._ready()
        result = self.translator.translate_batch(
            [self._tokens(source)], target_prefix=[forced], max_decoding_length=len(forced) + 1, beam_size=1,
            return_attention=True)[0]
        rows = result.attention[0][len(prefix):len(prefix) + len(target)]
        return [max(range(len(row)), key=row.__getitem__) for row in rows]

    def _options(self, settings: GenerationSettings, prefix: tuple[int, ...], size: int) -> dict[str, Any]:
        # a token the converted vocabulary lacks can never be produced: nothing to suppress
        suppress = [toks for toks in (self._tokens(seq) for seq in settings.bad_words_ids)
                    if all(t in self.target_vocab for t in toks)] or None
        return dict(target_prefix=[self._tokens(prefix)] * size if prefix else None, beam_size=settings.num_beams,
                    length_penalty=settings.length_penalty, repetition_penalty=settings.repetition_penalty,
                    no_repeat_ngram_size=settings.no_repeat_ngram_size, return_scores=True,
                    suppress_sequences=suppress, max_batch_size=0)

    def _result(self, result: Any, prefix: tuple[int, ...], max_new_tokens: int) -> Generation:
        tokens = result.hypotheses[0]
        ids = self.tokenizer.convert_tokens_to_ids(tokens)
        score = float(result.scores[0]) if result.scores else None
        return Generation(ids=tuple(ids[len(prefix):]), score=score, hit_limit=len(ids) >= max_new_tokens)

    def generate(self, batch: Sequence[Sequence[int]], *, max_new_tokens: int, min_new_tokens: int = 0,
                 prefix: Sequence[int] = (), settings: GenerationSettings | None = None) -> list[Generation]:
        """See Engine.generate. The length limits count the forced prefix, as on torch."""
        if not batch:
            return []
        return self.generate_many([Job(tuple(tuple(x) for x in batch), max_new_tokens, min_new_tokens)], prefix,
                                  settings)[0]

    def generate_many(self, jobs: Sequence[Job], prefix: Sequence[int] = (),
                      settings: GenerationSettings | None = None) -> list[list[Generation]]:
        """See Engine.generate_many: every batch is submitted at once, `parallel` of them decode together."""
        settings = settings or self.settings
        prefix = effective_prefix(prefix, settings)
        started = time.perf_counter()
        self._ready()
        pending = [self.translator.translate_batch(
            [self._tokens(ids) for ids in job.batch], max_decoding_length=job.max_new_tokens,
            min_decoding_length=job.min_new_tokens, asynchronous=True, **self._options(settings, prefix, len(job.batch)))
            for job in jobs]
        outs = [[self._result(r.result(), prefix, job.max_new_tokens) for r in results]
                for job, results in zip(jobs, pending)]
        release_memory()
        for job, out in zip(jobs, outs):
            self.stats.record(job.batch, out, (time.perf_counter() - started) / max(1, len(jobs)))
        return outs
