"""Do our engines decode a model as transformers does? Greedy tokens of transformers reading the folder as
published, against a Generation of ours (the engine parity check of `models check` and the tests).

transformers is the reference: it reads the folder the way its authors ran it (generation_config.json,
else the legacy keys of config.json, forced BOS and EOS included). Only the output length limits
are ours (the model's own min_length/max_length are task settings of its authors, not part of what
decoding means), and decoding is greedy.

One difference is by design and is accounted for exactly: where the model's config forces EOS at
the length limit (BART: forced_eos_token_id), transformers writes EOS into the last position the
limit allows, while our engines let the model choose it and report the output as cut (hit_limit).
There, and only there, the last position is not compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engines.base import Generation


@dataclass(frozen=True)
class Reference:
    """transformers' greedy output for one input: the tokens after the decoder start, EOS included."""

    tokens: tuple[int, ...]
    forced_eos: bool


def load_reference(folder: Path) -> Any:
    """The model as transformers loads it (float32, CPU), with its own generation config."""
    from transformers import AutoModelForSeq2SeqLM

    from .engines.torch_engine import quiet_transformers

    quiet_transformers()
    return AutoModelForSeq2SeqLM.from_pretrained(folder, local_files_only=True).eval()


def reference_greedy(model: Any, batch: Sequence[Sequence[int]], max_new_tokens: int,
                     prefix: Sequence[int] = ()) -> list[Reference]:
    """Greedy decoding by transformers with the folder's own settings; `prefix` (an NLLB language code) is
    forced as transformers users force it, with forced_bos_token_id."""
    import torch

    gen = model.generation_config
    eos, pad = gen.eos_token_id, gen.pad_token_id if gen.pad_token_id is not None else 0
    eos = eos[0] if isinstance(eos, list) else eos
    width = max(len(ids) for ids in batch)
    input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, ids in enumerate(batch):
        input_ids[row, :len(ids)] = torch.tensor(list(ids))
        mask[row, :len(ids)] = 1
    extra = {"forced_bos_token_id": prefix[0]} if prefix else {}
    with torch.inference_mode():
        out = model.generate(input_ids=input_ids, attention_mask=mask, do_sample=False, num_beams=1,
                             no_repeat_ngram_size=0, repetition_penalty=1.0, max_length=None, min_length=0,
                             max_new_tokens=max_new_tokens, **extra)
    refs = []
    for row in out.tolist():
        seq = row[1:]  # after the decoder start token
        if eos in seq:
            seq = seq[:seq.index(eos) + 1]
        refs.append(Reference(tuple(seq), gen.forced_eos_token_id is not None))
    return refs


def ours(generation: Generation, prefix: Sequence[int], eos: int | None) -> tuple[int, ...]:
    """Our generation as transformers writes it: the forced prefix, the tokens, EOS unless cut by the limit."""
    ended = () if generation.hit_limit or eos is None else (eos,)
    return (*prefix, *generation.ids, *ended)


def agree(reference: Reference, mine: tuple[int, ...], max_new_tokens: int, eos: int | None) -> bool:
    """Same tokens, except the last position where transformers forced EOS at the limit (see the module doc)."""
    ref = reference.tokens
    if reference.forced_eos and len(ref) == max_new_tokens and ref[-1] == eos and len(mine) == max_new_tokens:
        return ref[:-1] == mine[:-1]
    return ref == mine


def first_difference(reference: Reference, mine: tuple[int, ...]) -> int | None:
    """The first position where the two differ (None when one is a prefix of the other)."""
    for k, (a, b) in enumerate(zip(reference.tokens, mine)):
        if a != b:
            return k
    return None
