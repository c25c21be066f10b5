"""`summarizer models check`: proof that the weights on this machine work, before a digest is trusted.

For one profile it translates a bundled sample of real reference pairs (100 UD PUD segments, Arabic
with their English originals: data/selfcheck, CC BY-SA 3.0) as a run translates them, summarises a
bundled English article, and checks, each by name:
- translation_chrf: corpus chrF (sacreBLEU, with its signature; BLEU reported beside it) at least the
  model's floor: its published FLORES-200 ar->en chrF less a wide margin (FLOORS). PUD is not FLORES
  (other sentences, news and Wikipedia, professional translations of English originals, 100 segments:
  chrF moves a few points by sample alone), so the floor only separates a working model from a
  broken one (a lost forced BOS, a wrong tokenizer, a damaged conversion: tiny random models score
  under 10), it does not rank models;
- translation_empty / _untranslated / _degenerate: shares of empty outputs, outputs left in Arabic
  and loops (the run's own checks), each under its limit;
- translation_engines_agree / summary_engines_agree: the engine the run uses against transformers
  reading the folder as published (models/parity.py), greedy, on the first segments and the article;
- summary_written / summary_not_degenerate / summary_grounded: a summary, without loops, whose
  content words come from the article.
Bounded work: the sample size (--segments, 100 by default), 16 segments and one article for the
engine comparison, 48 new tokens each; about a minute per profile on two cores with real weights.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..config import Config, ModelSpec
from ..errors import ConfigError
from ..models import parity
from ..models.engines.base import effective_prefix
from ..models.registry import LoadedModel, ModelRegistry
from ..steps.checks import degenerate_reason, is_untranslated, repeated_ngram
from ..steps.summarize import Summarizer
from . import metrics
from .systems import systems_for, translate

# FLORES-200 devtest ar->en chrF as published for each model, and the margin below it (see the module doc).
PUBLISHED_CHRF = {"Helsinki-NLP/opus-mt-ar-en": 61.0, "Helsinki-NLP/opus-mt-tc-big-ar-en": 67.2,
                  "facebook/nllb-200-distilled-600M": 63.0}
MARGIN = 20.0
UNPUBLISHED_FLOOR = 40.0  # a model with no published figure here
SHARE_LIMITS = {"empty": 0.02, "untranslated": 0.05, "degenerate": 0.05}
AGREEMENT = 0.75  # share of greedy outputs identical to transformers' (int8 rounding may move a few)
PARITY_SEGMENTS, PARITY_TOKENS = 16, 48
GROUNDED = 0.6  # share of the summary's content words found in the article
WORD = re.compile(r"[a-z]{4,}")


@dataclass(frozen=True)
class Check:
    """One named check: passed or not, the value measured and the bound it was held to."""

    name: str
    passed: bool
    value: float
    bound: str
    detail: str = ""


def reference_sample(limit: int = 100) -> tuple[list[str], list[str]]:
    """(Arabic sources, English references) of the bundled PUD sample (its first `limit` pairs)."""
    text = resources.files("summarizer").joinpath("data/selfcheck/pud-ar-en.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()][:limit]
    return [r[2] for r in rows], [r[3] for r in rows]


def bundled_article() -> list[str]:
    """The bundled English article, one sentence a line."""
    text = resources.files("summarizer").joinpath("data/selfcheck/article-en.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def floor_for(spec: ModelSpec) -> tuple[float, str]:
    """The chrF floor of a translation model and where it comes from."""
    published = PUBLISHED_CHRF.get(spec.ref)
    if published is None:
        return UNPUBLISHED_FLOOR, f"no published figure for {spec.ref}: the generic floor"
    return published - MARGIN, f"FLORES-200 ar->en chrF {published} published, less {MARGIN:g}"


def agreement(model: LoadedModel, texts: Sequence[str], prefix: Sequence[int] = ()) -> dict[str, Any]:
    """Greedy outputs of the model's engine against transformers reading its folder (models/parity.py)."""
    batch = [list(ids)[:model.max_input_tokens] for ids in model.tokenizer(list(texts))["input_ids"]]
    greedy = dataclasses.replace(model.engine.settings, num_beams=1, no_repeat_ngram_size=0, repetition_penalty=1.0)
    gens = model.engine.generate(batch, max_new_tokens=PARITY_TOKENS, prefix=prefix, settings=greedy)
    refs = parity.reference_greedy(parity.load_reference(model.folder), batch, PARITY_TOKENS, prefix)
    forced = effective_prefix(prefix, greedy)
    mine = [parity.ours(g, forced, greedy.eos_token_id) for g in gens]
    same = [parity.agree(r, m, PARITY_TOKENS, greedy.eos_token_id) for r, m in zip(refs, mine)]
    firsts = [parity.first_difference(r, m) for r, m, ok in zip(refs, mine, same) if not ok]
    return {"engine": model.engine.name, "compute_type": model.engine.compute_type, "compared": len(same),
            "identical": sum(same), "share": sum(same) / max(1, len(same)), "first_differences": firsts}


def _share_checks(sources: Sequence[str], hyps: Sequence[str]) -> tuple[dict[str, float], list[Check]]:
    n = max(1, len(hyps))
    shares = {"empty": sum(not h.strip() for h in hyps) / n,
              "untranslated": sum(is_untranslated(s, h) for s, h in zip(sources, hyps)) / n,
              "degenerate": sum(degenerate_reason(s, h) not in (None, "empty") for s, h in zip(sources, hyps)) / n}
    return shares, [Check(f"translation_{k}", v <= SHARE_LIMITS[k], round(v, 4), f"<= {SHARE_LIMITS[k]}")
                    for k, v in shares.items()]


def _agreement_check(name: str, found: dict[str, Any]) -> Check:
    detail = (f"{found['identical']} of {found['compared']} identical ({found['engine']} {found['compute_type']} "
              f"against transformers); first differences at positions {found['first_differences']}")
    return Check(name, found["share"] >= AGREEMENT, round(found["share"], 4), f">= {AGREEMENT}", detail)


def check_translation(config: Config, registry: ModelRegistry, profile: str, segments: int) -> dict[str, Any]:
    """Translate the sample as a run does; scores, shares, engine agreement and their checks."""
    [system] = systems_for(config, [profile], [])
    sources, references = reference_sample(segments)
    hyps = translate(registry, system, sources)
    scores = metrics.corpus(hyps, references, ("chrf", "bleu"))
    model = registry.get(system.translator or "")
    floor, why = floor_for(model.spec)
    shares, checks = _share_checks(sources, hyps)
    chrf = scores["chrf"]["score"]
    checks.insert(0, Check("translation_chrf", chrf >= floor, chrf, f">= {floor:g}", why))
    prefix: tuple[int, ...] = ()
    if model.spec.lang_codes:
        model.tokenizer.src_lang = model.spec.lang_codes["ar"]
        prefix = (model.token_id(model.spec.lang_codes[model.spec.tgt or "en"]),)
    found = agreement(model, sources[:PARITY_SEGMENTS], prefix)
    checks.append(_agreement_check("translation_engines_agree", found))
    return {"model": system.info, "segments": len(sources), "metrics": scores, "floor": floor, "shares": shares,
            "agreement": found, "examples": [{"ar": s, "ref": r, "hyp": h} for s, r, h in
                                             list(zip(sources, references, hyps))[:3]], "checks": checks}


def check_summary(config: Config, registry: ModelRegistry, profile: str) -> dict[str, Any]:
    """Summarise the bundled article; is there a summary, free of loops, drawn from the article."""
    model = registry.get(config.profile(profile).summarize)
    sentences = bundled_article()
    [summary] = Summarizer(model).summarize([sentences])
    article_words = set(WORD.findall(" ".join(sentences).lower()))
    words = WORD.findall(summary.text.lower())
    grounded = sum(w in article_words for w in words) / len(words) if words else 0.0
    found = agreement(model, [" ".join(sentences)])
    checks = [Check("summary_written", bool(summary.text.strip()), float(len(summary.text.split())), "> 0 words"),
              Check("summary_not_degenerate", not repeated_ngram(summary.text.lower().split()),
                    float(repeated_ngram(summary.text.lower().split())), "no loop"),
              Check("summary_grounded", grounded >= GROUNDED, round(grounded, 4), f">= {GROUNDED}",
                    "share of its content words found in the article"),
              _agreement_check("summary_engines_agree", found)]
    return {"model": model.info(), "summary": summary.text, "agreement": found, "checks": checks}


def run_check(config: Config, profile: str, registry: ModelRegistry, segments: int = 100) -> dict[str, Any]:
    """The whole check of one profile: {"profile", "translation", "summary", "checks", "failed", "passed"}.

    Raises:
        ConfigError: an unknown profile, or a sample size out of range.
    """
    if not 10 <= segments <= 100:
        raise ConfigError(f"--segments must be between 10 and 100 (the bundled sample has 100), got {segments}")
    config.profile(profile)
    started = time.perf_counter()
    translation = check_translation(config, registry, profile, segments)
    summary = check_summary(config, registry, profile)
    checks = [*translation.pop("checks"), *summary.pop("checks")]
    failed = [c.name for c in checks if not c.passed]
    return {"profile": profile, "translation": translation, "summary": summary,
            "checks": [dataclasses.asdict(c) for c in checks], "failed": failed, "passed": not failed,
            "seconds": round(time.perf_counter() - started, 1),
            "sample": "UD Arabic-PUD / English-PUD, CC BY-SA 3.0 (summarizer/data/selfcheck/LICENSE-PUD.md)"}
