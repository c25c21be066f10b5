"""Summarize: English summary of the translation; long articles by map-reduce, never truncated.

If the translation fits the summariser's input limit it is summarised in one pass. Otherwise
whole sentences are packed into chunks that fit, each chunk is summarised, the chunk summaries
are joined and the process repeats until the text fits (each round at least halves it).
Chunks of all articles in a window are batched together, sorted by length. Coverage (source
tokens that reached the summariser / all source tokens) is 1.0 unless a safety stop cut text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..batching import map_batched
from ..faults import crash_point
from ..engines.base import Generation
from ..registry import LoadedModel
from .segment import split_sentences
from .translate import clip, fit_pieces

MAX_ROUNDS = 12
LEAD_SENTENCES = 2
WORD_RE = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’.][A-Za-z0-9]+)*")
STOPWORDS = set("""a an the and or but of to in on at by for with from as is are was were be been being it its
this that these those he she they we you i his her their our your not no will would can could
has have had do does did said says also after before over under into than then there here who
whom which what when where why how about against between during while more most some such""".split())


@dataclass(frozen=True)
class Summary:
    """One article's summary.

    Attributes:
        text: the English summary.
        coverage: source tokens that reached the summariser / all source tokens.
        rounds: summarisation rounds (1 = single pass; more = map-reduce).
        chunks: chunks of the first round.
        hit_limit: the final summary stopped at its length limit.
        flags: "map_reduce", "truncated".
    """

    text: str
    coverage: float = 1.0
    rounds: int = 1
    chunks: int = 1
    hit_limit: bool = False
    flags: tuple[str, ...] = field(default_factory=tuple)


def summary_bounds(n_input: int, bounds: Mapping[str, int], cap: int) -> tuple[int, int]:
    """(min_new_tokens, max_new_tokens) for an n-token input: scaled down for short inputs.

    The maximum is at most half the input (and at most models.yaml's max); the minimum is at
    most half the maximum, so min <= max always holds.
    """
    high = max(1, min(bounds["max"], cap, max(8, n_input // 2)))
    low = min(bounds["min"], high // 2)
    return low, high


@dataclass
class _Doc:
    pieces: list[str]
    total: int
    rounds: int = 0
    chunks: int = 0
    reached: int = 0
    result: Summary | None = None
    stalled: bool = False
    flags: list[str] = field(default_factory=list)


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

    def _chunks(self, pieces: Sequence[str]) -> list[str]:
        """Pack whole sentences into chunks that fit; a sentence too long alone is split."""
        units = [u for p in pieces for u in fit_pieces(p, self.count_tokens, self.limit)]
        chunks: list[str] = []
        for unit in units:
            if chunks and self.count_tokens(chunks[-1] + " " + unit) <= self.limit:
                chunks[-1] += " " + unit
            else:
                chunks.append(unit)
        return chunks

    def _generate(self, texts: list[str], final: list[bool]) -> list[tuple[str, Generation]]:
        ids = [list(x) for x in self.tokenizer(texts, add_special_tokens=True)["input_ids"]]
        items = list(zip(ids, final))

        def bounds_of(item: tuple[list[int], bool]) -> tuple[int, int]:
            low, high = summary_bounds(len(item[0]), self.spec.summary_tokens, self.model.max_output_tokens)
            if not item[1]:  # a map-stage summary: at most a quarter of its chunk, so rounds converge
                high = max(1, min(high, len(item[0]) // 4))
                low = min(low, high // 2)
            return low, high

        def run(batch: list[tuple[list[int], bool]]) -> list[Generation]:
            bounds = [bounds_of(item) for item in batch]
            outs = self.model.engine.generate([x for x, _ in batch], max_new_tokens=max(h for _, h in bounds),
                                              min_new_tokens=min(lo for lo, _ in bounds))
            crash_point("summarize")
            return [clip(g, h) for g, (_, h) in zip(outs, bounds)]

        outs = map_batched(items, [len(x) for x in ids], run, self.spec.batch_tokens, self.spec.batch_size)
        decoded = self.tokenizer.batch_decode([list(g.ids) for g in outs], skip_special_tokens=True)
        return [(" ".join(text.split()), gen) for text, gen in zip(decoded, outs)]

    def summarize(self, docs: Sequence[Sequence[str]]) -> list[Summary]:
        """Summarise several documents (each a list of English sentences), batched together."""
        state = [_Doc(pieces=[p for p in doc if p.strip()],
                      total=sum(self.count_tokens(p) for p in doc if p.strip())) for doc in docs]
        for doc in state:
            if not doc.pieces:
                doc.result = Summary(text="", coverage=0.0, rounds=0, chunks=0, flags=("empty",))
        for _ in range(MAX_ROUNDS):
            jobs: list[tuple[int, bool, str]] = []
            for k, doc in enumerate(state):
                if doc.result is not None or doc.stalled:
                    continue
                joined = " ".join(doc.pieces)
                if self.count_tokens(joined) <= self.limit:
                    jobs.append((k, True, joined))
                else:
                    chunks = self._chunks(doc.pieces)
                    doc.chunks = doc.chunks or len(chunks)
                    jobs.extend((k, False, c) for c in chunks)
                doc.rounds += 1
            if not jobs:
                break
            outs = self._generate([text for _, _, text in jobs], [final for _, final, _ in jobs])
            new_pieces: dict[int, list[str]] = {}
            for (k, final, _), (text, gen) in zip(jobs, outs):
                doc = state[k]
                if final:
                    flags = tuple(doc.flags) + (("map_reduce",) if doc.rounds > 1 else ())
                    doc.result = Summary(text=text, coverage=1.0, rounds=doc.rounds,
                                         chunks=doc.chunks or 1, hit_limit=gen.hit_limit, flags=flags)
                else:
                    new_pieces.setdefault(k, []).append(text)
            for k, pieces in new_pieces.items():
                doc = state[k]
                before = self.count_tokens(" ".join(doc.pieces))
                doc.pieces = [p for p in pieces if p] or ["."]
                if self.count_tokens(" ".join(doc.pieces)) > 0.75 * before:
                    doc.stalled = True  # summaries that re-tokenise longer than they were generated
        # Safety stop (rounds that stopped shrinking, e.g. garbage output): summarise what fits of
        # the current text and say how much of it that was.
        for doc in state:
            if doc.result is None:
                kept = self._chunks(doc.pieces)[0]
                text, gen = self._generate([kept], [True])[0]
                cov = min(1.0, self.count_tokens(kept) / max(1, self.count_tokens(" ".join(doc.pieces))))
                doc.result = Summary(text=text, coverage=round(cov, 4), rounds=doc.rounds + 1,
                                     chunks=doc.chunks, hit_limit=gen.hit_limit,
                                     flags=("map_reduce", "truncated"))
        return [doc.result for doc in state]  # type: ignore[misc]


def content_words(text: str, min_length: int = 2) -> set[str]:
    """Lower-cased words of an English text, without stopwords and words shorter than min_length."""
    return {w for w in (m.group().lower() for m in WORD_RE.finditer(text))
            if w not in STOPWORDS and len(w) >= min_length}


def link_summary(summary: str, translations: Sequence[str], top: int = 3) -> list[tuple[int, tuple[int, ...]]]:
    """Link each summary sentence to the source sentences it draws on (word overlap).

    Returns:
        [(summary_sentence_index, (source_sentence_indices...)), ...]; indices ascending; a
        summary sentence sharing no content word with any translation links to ().
    """
    bags = [content_words(t) for t in translations]
    links = []
    for k, sentence in enumerate(split_sentences(summary)):
        words = content_words(sentence)
        scored = sorted(((len(words & bag) / max(1, len(words)), i) for i, bag in enumerate(bags)),
                        key=lambda x: (-x[0], x[1]))
        best = scored[0][0] if scored else 0.0
        chosen = [i for s, i in scored[:top] if s > 0 and s >= best * 0.5]
        links.append((k, tuple(sorted(chosen))))
    return links
