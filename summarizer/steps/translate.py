"""Translate: sentence by sentence, in length-sorted batches, never truncated.

Each model's own tokenizer decides what fits. A sentence longer than the model's input limit
is split at word boundaries into pieces that fit, each piece translated, the pieces joined
and the sentence flagged. Every input yields exactly one translation, in order. The output
limit of a batch derives from its longest input (output_ratio x tokens + 16), capped by the
model's position table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from ..faults import crash_point
from ..models.batching import plan_batches
from ..models.engines.base import Generation, GenerationSettings, Job
from ..models.registry import LoadedModel
from ..types import Translation

EXTRA_OUTPUT_TOKENS = 16
BUDGET_STEP = 4  # input lengths share a budget in steps of 4 tokens, so batches stay large


def fit_pieces(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    """Split `text` at whitespace into pieces whose token count is at most `limit`.

    Args:
        text: the sentence.
        count: token count of a string, special tokens included.
        limit: the model's input limit.

    Returns:
        [text] when it fits; otherwise consecutive pieces that join (with spaces) into the
        whitespace-normalised text. A single word longer than the limit is cut by characters.
    """
    if count(text) <= limit:
        return [text]
    words = text.split()
    if len(words) == 1:
        return _split_word(text, count, limit)
    base = count("")
    budget = max(1, limit - base)
    pieces: list[list[str]] = [[]]
    used = 0
    for word in words:  # pack by per-word counts, then verify each piece in context
        size = max(1, count(word) - base)
        if pieces[-1] and used + size > budget:
            pieces.append([])
            used = 0
        pieces[-1].append(word)
        used += size
    out: list[str] = []
    for piece in pieces:
        joined = " ".join(piece)
        if count(joined) <= limit:
            out.append(joined)
        elif len(piece) > 1:
            half = len(piece) // 2
            out.extend(fit_pieces(" ".join(piece[:half]), count, limit))
            out.extend(fit_pieces(" ".join(piece[half:]), count, limit))
        else:
            out.extend(_split_word(joined, count, limit))
    return out


def _split_word(word: str, count: Callable[[str], int], limit: int) -> list[str]:
    pieces, rest = [], word
    while rest:
        lo, hi = 1, len(rest)
        while lo < hi:  # longest prefix that fits
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if count(rest[:mid]) <= limit else (lo, mid - 1)
        pieces.append(rest[:lo])
        rest = rest[lo:]
    return pieces


def output_budget(n_input: int, ratio: float, cap: int) -> int:
    """Most tokens a translation of an n-token input may have: its length rounded up to a
    multiple of BUDGET_STEP, times the ratio, plus EXTRA_OUTPUT_TOKENS, at most `cap`.

    A function of the sentence alone: batches hold sentences of one budget, so no sentence is
    decoded past its own limit and its translation does not depend on its batch-mates.
    """
    rounded = math.ceil(n_input / BUDGET_STEP) * BUDGET_STEP
    return max(1, min(cap, math.ceil(ratio * rounded) + EXTRA_OUTPUT_TOKENS))


def clip(gen: Generation, budget: int) -> Generation:
    """Hold an output to its budget (a guard: batches are planned so that none decodes past it)."""
    if len(gen.ids) <= budget:
        return gen
    return replace(gen, ids=gen.ids[:budget], hit_limit=True)


class Translator:
    """Translates sentences with one loaded model (bilingual, or multilingual with language codes).

    Args:
        model: the loaded translation model.
    """

    def __init__(self, model: LoadedModel) -> None:
        self.model = model
        self.spec = model.spec
        self.tokenizer = model.tokenizer

    def supports(self, lang: str) -> bool:
        """Can this model translate from `lang`?"""
        if self.spec.lang_codes:
            return lang in self.spec.lang_codes
        return self.spec.src == lang

    def prefix_for(self, src_lang: str) -> tuple[int, ...]:
        """Set the tokenizer up for `src_lang`; return the forced target prefix."""
        if not self.spec.lang_codes:
            return ()
        self.tokenizer.src_lang = self.spec.lang_codes[src_lang]
        return (self.model.token_id(self.spec.lang_codes[self.spec.tgt]),)

    @property
    def settings(self) -> GenerationSettings:
        """The model's decoding settings."""
        return self.model.engine.settings

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` as this model's encoder sees it (special tokens included)."""
        return len(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def translate(self, texts: Sequence[str], src_lang: str,
                  settings: GenerationSettings | None = None) -> list[Translation]:
        """Translate sentences; one Translation per input, in order.

        Args:
            texts: source sentences (a title counts as one).
            src_lang: their language (ISO 639-1).
            settings: decoding settings override (e.g. a stronger retry).
        """
        if not texts:
            return []
        prefix = self.prefix_for(src_lang)
        limit = self.model.max_input_tokens
        owners: list[int] = []
        pieces: list[str] = []
        for k, text in enumerate(texts):
            for piece in fit_pieces(" ".join(text.split()), self.count_tokens, limit):
                owners.append(k)
                pieces.append(piece)
        ids = [list(x) for x in self.tokenizer(pieces, add_special_tokens=True)["input_ids"]]
        cap = self.model.max_output_tokens

        budgets = [output_budget(len(x), self.spec.output_ratio, cap) for x in ids]
        plan = plan_batches([len(x) for x in ids], self.spec.batch_tokens, self.spec.batch_size, keys=budgets,
                            workers=getattr(self.model.engine, "parallel", 1))
        jobs = [Job(tuple(tuple(ids[i]) for i in batch), budgets[batch[0]] + len(prefix)) for batch in plan]
        results = self.model.engine.generate_many(jobs, prefix=prefix, settings=settings)
        crash_point("translate")
        outs: list[Generation] = [Generation(())] * len(ids)
        for batch, generations in zip(plan, results):  # one budget per batch (see output_budget)
            for i, gen in zip(batch, generations):
                outs[i] = clip(gen, budgets[i])
        texts_out = self.tokenizer.batch_decode([list(g.ids) for g in outs], skip_special_tokens=True)
        grouped: list[list[tuple[str, Generation]]] = [[] for _ in texts]
        for owner, text, gen in zip(owners, texts_out, outs):
            grouped[owner].append((" ".join(text.split()), gen))
        result = []
        for parts in grouped:
            scores = [g.score for _, g in parts if g.score is not None]
            result.append(Translation(
                text=" ".join(t for t, _ in parts if t), pieces=len(parts),
                hit_limit=any(g.hit_limit for _, g in parts),
                score=sum(scores) / len(scores) if scores else None))
        return result
