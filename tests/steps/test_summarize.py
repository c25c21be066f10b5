"""Summarize: map-reduce over long texts, and coverage measured (it can fall below 1)."""

from __future__ import annotations

import dataclasses

from summarizer.steps.summarize import Summarizer
from tests.helpers import FunctionEngine

SENTENCES = [f"The council met on day {k} and discussed the budget of the northern district in detail." for k in
             range(60)]


def _summarizer(registry, respond) -> Summarizer:
    model = registry.get("tiny-bart")
    return Summarizer(dataclasses.replace(model, engine=FunctionEngine(model, respond)))


def test_a_text_that_fits_is_summarised_once_with_full_coverage(registry):
    summarizer = _summarizer(registry, lambda text: "The council met.")
    [summary] = summarizer.summarize([SENTENCES[:3]])
    assert (summary.rounds, summary.coverage, summary.flags) == (1, 1.0, ())


def test_long_text_goes_through_map_reduce_and_covers_everything(registry):
    summarizer = _summarizer(registry, lambda text: "The council met.")
    [summary] = summarizer.summarize([SENTENCES])
    assert summary.rounds >= 2 and summary.chunks >= 2 and "map_reduce" in summary.flags
    assert summary.coverage == 1.0 and "truncated" not in summary.flags


def test_coverage_counts_what_an_empty_chunk_summary_lost(registry):
    marked = list(SENTENCES)
    marked[-1] = "ZEBRA " + marked[-1]  # the last chunk's summary comes back empty

    def respond(text: str) -> str:
        return "" if "ZEBRA" in text else "The council met."

    summarizer = _summarizer(registry, respond)
    [summary] = summarizer.summarize([marked])
    chunks = summarizer._chunks([_p(s, summarizer) for s in marked])
    lost = chunks[-1].weight / sum(c.weight for c in chunks)
    assert 0 < summary.coverage < 1 and "truncated" in summary.flags
    assert abs(summary.coverage - (1 - lost)) < 0.01


def _p(text, summarizer):
    from summarizer.steps.summarize import _Piece

    return _Piece(text, summarizer.count_tokens(text))


def test_several_documents_are_summarised_together_in_order(registry):
    summarizer = _summarizer(registry, lambda text: text.split(".")[0] + ".")
    summaries = summarizer.summarize([SENTENCES[:3], [], SENTENCES[5:8]])
    assert summaries[0].text.startswith("The council met on day 0") and summaries[1].flags == ("summary_empty",)
    assert summaries[2].text.startswith("The council met on day 5")
