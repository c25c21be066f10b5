"""Scores as sacreBLEU and rouge-score compute them, each with what it takes to reproduce it.

- chrF, chrF++ and BLEU: sacreBLEU's corpus scores with their signatures; per-segment chrF for
  the side-by-side file; paired bootstrap resampling (sacreBLEU's) of each system against the first.
- ROUGE-1, ROUGE-2, ROUGE-L F1 with Porter stemming (rouge-score): English only. rouge-score's
  tokenizer keeps only [a-z0-9], so Arabic text would score as empty: such references are refused.
- TER (sacreBLEU) for the distance between machine text and an editor's text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

TRANSLATION_METRICS = ("chrf", "chrf++", "bleu")


def _metric(name: str):
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"chrf": lambda: CHRF(), "chrf++": lambda: CHRF(word_order=2), "bleu": lambda: BLEU(),
            "ter": lambda: TER()}[name]()


def corpus(hypotheses: Sequence[str], references: Sequence[str], names: Sequence[str] = TRANSLATION_METRICS
           ) -> dict[str, dict[str, Any]]:
    """{metric: {"score", "signature"}} over a corpus (one reference per segment)."""
    out = {}
    for name in names:
        metric = _metric(name)
        score = metric.corpus_score(list(hypotheses), [list(references)])
        out[name] = {"score": round(float(score.score), 4), "signature": str(metric.get_signature())}
    return out


def segment_chrf(hypotheses: Sequence[str], references: Sequence[str]) -> list[float]:
    """chrF of each segment alone (the side-by-side file's worst-first order)."""
    metric = _metric("chrf")
    return [round(float(metric.sentence_score(h, [r]).score), 2) for h, r in zip(hypotheses, references)]


def bootstrap(systems: Sequence[tuple[str, Sequence[str]]], references: Sequence[str], samples: int = 1000,
              names: Sequence[str] = TRANSLATION_METRICS) -> dict[str, dict[str, Any]]:
    """Paired bootstrap of every system against the first (sacreBLEU's paired test):
    {system: {metric: {"score", "mean", "ci", "p_value", "significant"}}, "signatures": {...}}.
    A system with the first's score is never significantly different (p 1.0, `same_score`); with
    one segment there is no test (p None)."""
    from sacrebleu.significance import PairedTest

    metrics = {name: _metric(name) for name in names}
    test = PairedTest([(n, list(h)) for n, h in systems], metrics, [list(references)], test_type="bs",
                      n_samples=samples)
    signatures, scores = test()
    out: dict[str, dict[str, Any]] = {"signatures": {k: str(v) for k, v in signatures.items()}}
    keys = [m for m in scores if m != "System"]  # sacreBLEU's names (chrF2, chrF2++, BLEU), in our order
    first = list(systems[0][1])
    for k, (name, hyps) in enumerate(systems):
        out[name] = {}
        for metric_name, key in zip(names, keys):
            result, baseline = scores[key][k], scores[key][0]
            p_value = getattr(result, "p_value", None)
            out[name][metric_name] = {"score": round(float(result.score), 4),
                                      "mean": round(float(result.mean), 4) if result.mean is not None else None,
                                      "ci": round(float(result.ci), 4) if result.ci is not None else None,
                                      "p_value": None if p_value is None else round(float(p_value), 4),
                                      "significant": None if p_value is None else bool(p_value < 0.05)}
            # The same score as the first (identical hypotheses, or both 0.0): no difference to test. The
            # bootstrap's resampled differences all tie then, and its p-value falls to 1/(samples + 1),
            # which would read as "significant".
            if k and (list(hyps) == first or float(result.score) == float(baseline.score)):
                out[name][metric_name].update(p_value=1.0, significant=False, same_score=True,
                                              **({"identical": True} if list(hyps) == first else {}))
            elif k and len(references) < 2:  # every resample is the one segment: nothing to test against
                out[name][metric_name].update(p_value=None, significant=None)
    return out


ENGLISH_RE = re.compile(r"[A-Za-z]")
NON_LATIN_RE = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")


def english_only(texts: Sequence[str]) -> str | None:
    """None when every text is English enough for rouge-score; else why not (the first offender)."""
    for k, text in enumerate(texts):
        letters = [c for c in text if c.isalpha()]
        foreign = sum(1 for c in letters if NON_LATIN_RE.match(c))
        if letters and foreign / len(letters) > 0.2:
            return f"reference {k + 1} is not English ({foreign} of {len(letters)} letters are not Latin)"
    return None


def rouge(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, dict[str, Any]]:
    """ROUGE-1/2/L F1 (x100, mean over pairs) with Porter stemming, as rouge-score computes them."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for hyp, ref in zip(hypotheses, references):
        scores = scorer.score(ref, hyp)
        for key in totals:
            totals[key] += scores[key].fmeasure
    n = max(1, len(hypotheses))
    signature = "rouge-score|stemmer:porter|f1|mean"
    return {k: {"score": round(100 * v / n, 4), "signature": signature} for k, v in totals.items()}


def distance(machine: str, edited: str) -> Mapping[str, float]:
    """How far an editor moved a text: chrF (edited as the reference) and TER."""
    chrf = _metric("chrf").sentence_score(machine, [edited]).score
    ter = _metric("ter").sentence_score(machine, [edited]).score
    return {"chrf": round(float(chrf), 2), "ter": round(float(ter), 2)}
