"""Summarize: English summary of the translation; long articles by map-reduce, never truncated.

If the translation fits the summariser's input limit it is summarised in one pass. Otherwise
whole sentences are packed into chunks that fit, each chunk is summarised, the chunk summaries
are joined and the process repeats until the text fits (each round at least halves it).
Chunks of all articles in a window are batched together, sorted by length.

Coverage is measured, not assumed: every piece of text carries the number of translation
tokens it stands for (a sentence: its own; a chunk summary: its chunk's). Coverage is the share
of the translation's tokens whose piece reached the final pass; it drops below 1 when a chunk
summary comes back empty or a safety stop keeps only part of a text that stopped shrinking.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..faults import crash_point
from ..models.batching import plan_batches
from ..models.engines.base import Generation, Job
from ..models.registry import LoadedModel
from ..types import Summary
from .translate import clip, fit_pieces

MAX_ROUNDS = 12
BOUNDS_STEP = 16  # input lengths share summary bounds in steps of 16 tokens


def summary_bounds(n_input: int, bounds: Mapping[str, int], cap: int) -> tuple[int, int]:
    """(min_new_tokens, max_new_tokens) for an n-token input: scaled down for short inputs.

    The maximum is at most half the input (and at most models.yaml's max); the minimum is at
    most half the maximum, so min <= max always holds.
    """
    high = max(1, min(bounds["max"], cap, max(8, n_input // 2)))
    low = min(bounds["min"], high // 2)
    return low, high


@dataclass
class _Piece:
    """A text on its way to the summariser, and how many translation tokens it stands for."""

    text: str
    weight: float


@dataclass
class _Doc:
    pieces: list[_Piece]
    total: float
    rounds: int = 0
    chunks: int = 0
    result: Summary | None = None
    stalled: bool = False


def _coverage(pieces: Sequence[_Piece], total: float) -> float:
    return round(min(1.0, sum(p.weight for p in pieces) / total), 4) if total else 0.0


class Summarizer:
    """Summarises English text with one loaded model, map-reduce for long inputs.

    Args:
        model: the loaded summarisation model.
    """

    def __init__(self, model: LoadedModel) -> None:
        self.model = model
        self.spec = model.spec
        self.tokenizer = model.tokenizer
        self.limit = model.max_input_tokens

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` as the summariser's encoder sees it (special tokens included)."""
        return len(self.tokenizer(text, add_special_tokens=True)["input_ids"])

    def _chunks(self, pieces: Sequence[_Piece]) -> list[_Piece]:
        """Pack whole pieces into chunks that fit; a piece too long alone is split (weight shared)."""
        units: list[_Piece] = []
        for piece in pieces:
            parts = fit_pieces(piece.text, self.count_tokens, self.limit)
            size = sum(len(p) for p in parts) or 1
            units.extend(_Piece(p, piece.weight * len(p) / size) for p in parts)
        chunks: list[_Piece] = []
        for unit in units:
            if chunks and self.count_tokens(chunks[-1].text + " " + unit.text) <= self.limit:
                chunks[-1] = _Piece(chunks[-1].text + " " + unit.text, chunks[-1].weight + unit.weight)
            else:
                chunks.append(unit)
        return chunks

    def bounds(self, n_input: int, final: bool) -> tuple[int, int]:
        """(min, max) new tokens of one summary: a function of its own input alone."""
        n = math.ceil(n_input / BOUNDS_STEP) * BOUNDS_STEP
        low, high = summary_bounds(n, self.spec.summary_tokens, self.model.max_output_tokens)
        if not final:  # a map-stage summary: at most a quarter of its chunk, so rounds converge
            high = max(1, min(high, n // 4))
            low = min(low, high // 2)
        return low, high

    def _generate(self, texts: list[str], final: list[bool]) -> list[tuple[str, Generation]]:
        ids = [list(x) for x in self.tokenizer(texts, add_special_tokens=True)["input_ids"]]
        bounds = [self.bounds(len(x), f) for x, f in zip(ids, final)]

        plan = plan_batches([len(x) for x in ids], self.spec.batch_tokens, self.spec.batch_size, keys=bounds,
                            workers=getattr(self.model.engine, "parallel", 1))
        jobs = [Job(tuple(tuple(ids[i]) for i in batch), bounds[batch[0]][1], bounds[batch[0]][0]) for batch in plan]
        results = self.model.engine.generate_many(jobs)  # one (min, max) per batch: no summary depends on its mates
        crash_point("summarize")
        outs: list[Generation] = [Generation(())] * len(ids)
        for batch, generations in zip(plan, results):
            for i, gen in zip(batch, generations):
                outs[i] = clip(gen, bounds[i][1])
        decoded = self.tokenizer.batch_decode([list(g.ids) for g in outs], skip_special_tokens=True)
        return [(" ".join(text.split()), gen) for text, gen in zip(decoded, outs)]

    def summarize(self, docs: Sequence[Sequence[str]]) -> list[Summary]:
        """Summarise several documents (each a list of English sentences), batched together."""
        state = []
        for doc in docs:
            pieces = [_Piece(p, self.count_tokens(p)) for p in doc if p.strip()]
            state.append(_Doc(pieces=pieces, total=sum(p.weight for p in pieces)))
            if not pieces:
                state[-1].result = Summary(text="", coverage=0.0, rounds=0, chunks=0, flags=("summary_empty",))
        for _ in range(MAX_ROUNDS):
            if not self._round(state):
                break
        for doc in state:
            if doc.result is None:
                doc.result = self._safety_stop(doc)
        return [doc.result for doc in state]  # type: ignore[misc]

    def _round(self, state: list[_Doc]) -> bool:
        """One map-reduce round over every unfinished document; False when nothing was left to do."""
        jobs: list[tuple[int, bool, _Piece]] = []
        for k, doc in enumerate(state):
            if doc.result is not None or doc.stalled:
                continue
            joined = _Piece(" ".join(p.text for p in doc.pieces), sum(p.weight for p in doc.pieces))
            if self.count_tokens(joined.text) <= self.limit:
                jobs.append((k, True, joined))
            else:
                chunks = self._chunks(doc.pieces)
                doc.chunks = doc.chunks or len(chunks)
                jobs.extend((k, False, c) for c in chunks)
            doc.rounds += 1
        if not jobs:
            return False
        outs = self._generate([piece.text for _, _, piece in jobs], [final for _, final, _ in jobs])
        new_pieces: dict[int, list[_Piece]] = {}
        for (k, final, piece), (text, gen) in zip(jobs, outs):
            doc = state[k]
            if final:
                doc.result = self._result(doc, text, gen, [piece], doc.rounds > 1)
            elif text:  # an empty chunk summary carries nothing forward: its tokens are lost
                new_pieces.setdefault(k, []).append(_Piece(text, piece.weight))
            else:
                new_pieces.setdefault(k, [])
        for k, pieces in new_pieces.items():
            doc = state[k]
            before = self.count_tokens(" ".join(p.text for p in doc.pieces))
            doc.pieces = pieces or [_Piece(".", 0.0)]
            if self.count_tokens(" ".join(p.text for p in doc.pieces)) > 0.75 * before:
                doc.stalled = True  # summaries that re-tokenise longer than they were generated
        return True

    def _result(self, doc: _Doc, text: str, gen: Generation, reached: Sequence[_Piece], map_reduce: bool) -> Summary:
        coverage = _coverage(reached, doc.total)
        flags = (("map_reduce",) if map_reduce else ()) + (("truncated",) if coverage < 1.0 else ())
        return Summary(text=text, coverage=coverage, rounds=doc.rounds, chunks=doc.chunks or 1,
                       hit_limit=gen.hit_limit, flags=flags)

    def _safety_stop(self, doc: _Doc) -> Summary:
        """Rounds that stopped shrinking (e.g. garbage output): summarise what fits and say how much."""
        kept = self._chunks(doc.pieces)[0]
        text, gen = self._generate([kept.text], [True])[0]
        doc.rounds += 1
        return replace(self._result(doc, text, gen, [kept], True), flags=("map_reduce", "truncated"))
