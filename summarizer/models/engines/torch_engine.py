"""Engine on transformers' `generate` (PyTorch), CPU or CUDA."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from .base import EngineStats, Generation, GenerationSettings, Job, effective_prefix, generate_each, release_memory


def quiet_transformers() -> None:
    """Silence per-call warnings and weight-loading progress bars (normal runs stay readable)."""
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    try:
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    except ImportError:  # pragma: no cover - older hub
        pass


def pick_device(device: str | None) -> str:
    """"cuda" when asked or when available under "auto"/None, else "cpu"."""
    if device == "cpu":
        return device
    import torch

    if device in (None, "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        from ...errors import ConfigError

        raise ConfigError("--device cuda was asked for, but torch sees no CUDA device")
    return device


def torch_compute_type(device: str | None) -> str:
    """What the torch engine computes in: float32 on the CPU, float16 on CUDA."""
    return "float32" if pick_device(device) == "cpu" else "float16"


class TorchEngine:
    """A seq2seq model run with transformers' `generate`.

    Args:
        model_dir: local folder of the model (never a hub id: resolution happens before).
        settings: decoding settings (see GenerationSettings).
        device: "cpu", "cuda", "cuda:1" or None for automatic.
        threads: CPU threads for torch; None keeps torch's default (all cores).
    """

    name = "torch"

    def __init__(self, model_dir: Path, settings: GenerationSettings, device: str | None = None,
                 threads: int | None = None) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM

        quiet_transformers()
        if threads:
            torch.set_num_threads(threads)
        self.device = pick_device(device)
        self.compute_type = torch_compute_type(self.device)
        dtype = torch.float32 if self.device == "cpu" else torch.float16
        # eager attention: the glossary's alignment reads cross-attention weights
        model = AutoModelForSeq2SeqLM.from_pretrained(model_dir, local_files_only=True, dtype=dtype,
                                                      attn_implementation="eager")
        # generate() fills every field a call leaves unset from the model's own generation config,
        # which for a legacy config.json holds its task settings (distilbart: min_length 56,
        # max_length 142, num_beams 4, forced EOS at the limit). Every call passes its settings in
        # full (see _config), so the model's own config is emptied: nothing is inherited by accident.
        from transformers import GenerationConfig

        model.generation_config = GenerationConfig()
        self.model = model.to(self.device).eval()
        self.settings = settings
        self.stats = EngineStats()

    def _config(self, settings: GenerationSettings, max_new_tokens: int, min_new_tokens: int,
                prefix: Sequence[int]):
        from transformers import GenerationConfig

        forced_bos = prefix[0] if prefix else None
        return GenerationConfig(
            num_beams=settings.num_beams, length_penalty=settings.length_penalty,
            no_repeat_ngram_size=settings.no_repeat_ngram_size, repetition_penalty=settings.repetition_penalty,
            bad_words_ids=[list(b) for b in settings.bad_words_ids] or None,
            decoder_start_token_id=settings.decoder_start_token_id, eos_token_id=settings.eos_token_id,
            pad_token_id=settings.pad_token_id, bos_token_id=settings.bos_token_id,
            forced_bos_token_id=forced_bos,
            # No forced EOS at the limit: an output cut by the limit is reported as such (hit_limit),
            # exactly as on CTranslate2.
            forced_eos_token_id=None,
            max_length=None, max_new_tokens=max_new_tokens, min_new_tokens=min_new_tokens or None,
            do_sample=False, early_stopping=True if settings.num_beams > 1 else False,
            return_dict_in_generate=True, output_scores=True,
        )

    def align(self, source: Sequence[int], target: Sequence[int], prefix: Sequence[int] = ()) -> list[int]:
        """For each target token, the source position its cross-attention weighs most (last layer,
        heads averaged), by teacher-forcing `target` after the forced prefix."""
        import torch

        if not target:
            return []
        prefix = effective_prefix(prefix, self.settings)
        start = self.settings.decoder_start_token_id
        decoder = [start if start is not None else 0, *prefix, *target][:-1]
        with torch.inference_mode():
            out = self.model(input_ids=torch.tensor([list(source)], device=self.device),
                             decoder_input_ids=torch.tensor([decoder], device=self.device), output_attentions=True)
        attention = out.cross_attentions[-1][0].float().mean(0)  # (target positions, source positions)
        rows = attention[len(prefix):len(prefix) + len(target)]
        return rows.argmax(-1).tolist()

    def generate(self, batch: Sequence[Sequence[int]], *, max_new_tokens: int, min_new_tokens: int = 0,
                 prefix: Sequence[int] = (), settings: GenerationSettings | None = None) -> list[Generation]:
        """See Engine.generate."""
        import torch

        if not batch:
            return []
        settings = settings or self.settings
        prefix = effective_prefix(prefix, settings)
        started = time.perf_counter()
        pad = settings.pad_token_id if settings.pad_token_id is not None else 0
        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = torch.tensor(list(ids), dtype=torch.long)
            mask[row, : len(ids)] = 1
        config = self._config(settings, max_new_tokens, min_new_tokens, prefix)
        with torch.inference_mode():
            out = self.model.generate(input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device),
                                      generation_config=config)
            steps = self.model.compute_transition_scores(
                out.sequences, out.scores, getattr(out, "beam_indices", None) if settings.num_beams > 1 else None,
                normalize_logits=settings.num_beams == 1)
        results = []
        for row in range(len(batch)):
            seq = out.sequences[row].tolist()[1:]  # drop the decoder start token
            logp = steps[row].tolist()
            n = len(seq)
            if settings.eos_token_id is not None and settings.eos_token_id in seq:
                n = seq.index(settings.eos_token_id)
                ended = True
            else:
                while n and seq[n - 1] == pad:
                    n -= 1
                ended = False
            produced = seq[:n]
            hit_limit = not ended and len(produced) >= max_new_tokens
            counted = [lp for lp in logp[: n + (1 if ended else 0)] if lp != float("-inf") and lp == lp]
            score = sum(counted) / len(counted) if counted else None
            skip = len(prefix)
            results.append(Generation(ids=tuple(produced[skip:]), score=score, hit_limit=hit_limit))
        release_memory()
        self.stats.record(batch, results, time.perf_counter() - started)
        return results

    def generate_many(self, jobs: Sequence[Job], prefix: Sequence[int] = (),
                      settings: GenerationSettings | None = None) -> list[list[Generation]]:
        """See Engine.generate_many (one batch at a time)."""
        return generate_each(self, jobs, prefix, settings)

    def release(self) -> None:
        """Nothing: a torch model keeps its weights (reloading them costs more than they weigh)."""
