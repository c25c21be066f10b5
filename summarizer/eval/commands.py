"""The three evaluations, as library calls that write their files and return their report.

- `evaluate_translation`: translate SRC with each system (or take --hyp), score against REF with
  chrF, chrF++ and BLEU (signatures), paired bootstrap of each system against the first.
- `evaluate_summaries`: summarise articles through the pipeline (or take --hyp), ROUGE-1/2/L F1
  (Porter stemming) and chrF against English reference summaries by id.
- `evaluate_edits`: how far editors moved the machine text (chrF and TER), per edit, per day and
  per model, worst first.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import load_config
from ..errors import ConfigError
from ..models.registry import ModelRegistry
from . import metrics
from .data import EvalDataError, read_segments, read_summaries, same_length
from .report import write_hypotheses, write_report, write_side_by_side
from .systems import System, summarize, systems_for, translate


def _folder(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out} is an existing file; name a folder for the evaluation's files")
    out.mkdir(parents=True, exist_ok=True)
    return out


def evaluate_translation(src: Path, ref: Path, out: Path, *, hyp: Path | None = None, models: Path | None = None,
                         profiles: Sequence[str] = (), model_names: Sequence[str] = (), samples: int = 1000,
                         engine: str | None = None, device: str | None = None) -> dict[str, Any]:
    """Score translations of SRC against REF (see the module doc); returns report.json's content."""
    sources, references = read_segments(src, "source"), read_segments(ref, "reference")
    runs: dict[str, tuple[list[str], dict]] = {}
    if hyp is not None:
        runs[f"given:{hyp.name}"] = (read_segments(hyp, "hypothesis"), {})
    if profiles or model_names or hyp is None:
        config = load_config(models)
        registry = ModelRegistry(config, engine=engine, device=device)
        for system in systems_for(config, list(profiles) or ([] if model_names else ["default"]), model_names):
            runs[system.name] = (translate(registry, system, sources), system.info)
    same_length({"source": sources, "reference": references, **{n: h for n, (h, _) in runs.items()}})
    folder = _folder(out)
    per_system: dict[str, dict[str, Any]] = {}
    side: dict[str, tuple[Sequence[str], Sequence[float]]] = {}
    for name, (hyps, info) in runs.items():
        side[name] = (hyps, metrics.segment_chrf(hyps, references))
        per_system[name] = {"metrics": metrics.corpus(hyps, references), "models": info,
                            "hypotheses": str(write_hypotheses(folder, name, hyps))}
    if len(runs) > 1 and samples > 0:
        tested = metrics.bootstrap([(n, h) for n, (h, _) in runs.items()], references, samples)
        for name in runs:
            per_system[name]["bootstrap"] = tested[name]
        signatures = tested["signatures"]
    else:
        signatures = {}
    report: dict[str, Any] = {"task": "translation", "source": str(src), "reference": str(ref),
                              "segments": len(sources), "side_by_side": str(write_side_by_side(folder, sources,
                                                                                              references, side))}
    if len(per_system) == 1:
        name, only = next(iter(per_system.items()))
        report.update({"system": name, **only})
    else:
        report.update({"systems": per_system, "first": next(iter(per_system)), "bootstrap_signatures": signatures})
    write_report(folder, report, "Translation quality")
    return report


def first_chrf(report: dict[str, Any]) -> float:
    """The chrF of the (first) system of a report (what --min-chrf gates on)."""
    system = report["systems"][report["first"]] if "systems" in report else report
    return float(system["metrics"]["chrf"]["score"])


def evaluate_summaries(articles: Sequence[str], refs: Path, out: Path, *, hyp: Path | None = None,
                       models: Path | None = None, profile: str = "default") -> dict[str, Any]:
    """Score summaries against English references by id (see the module doc).

    Raises:
        EvalDataError: unreadable or empty data (an article input that cannot be read is named with
            its reason: the scores would be over another set than the one asked for), non-English
            references, or no summary sharing an id with the references.
    """
    references = read_summaries(refs)
    problem = metrics.english_only(list(references.values()))
    if problem:
        raise EvalDataError(f"{refs}: {problem}; ROUGE here is for English summaries (rouge-score keeps only "
                            f"a-z and 0-9)")
    failed: list[dict[str, str]] = []
    if hyp is not None:
        produced, info, name = read_summaries(hyp), {}, f"given:{hyp.name}"
    else:
        produced, info, failed = _summarise(articles, models, profile)
        name = f"profile:{profile}"
    ids = [i for i in references if i in produced]
    if not ids:
        raise EvalDataError(_no_shared_id(refs, references, produced, failed))
    hyps, refs_ = [produced[i] for i in ids], [references[i] for i in ids]
    folder = _folder(out)
    scores = {**metrics.rouge(hyps, refs_), "chrf": metrics.corpus(hyps, refs_, ("chrf",))["chrf"]}
    per = metrics.segment_chrf(hyps, refs_)
    write_side_by_side(folder, ids, refs_, {name: (hyps, per)})
    report = {"task": "summaries", "system": name, "items": len(ids), "missing": sorted(set(references) - set(ids)),
              "failed": failed, "metrics": scores, "models": info,
              "hypotheses": str(write_hypotheses(folder, name, hyps))}
    write_report(folder, report, "Summary quality")
    return report


def _summarise(articles: Sequence[str], models: Path | None, profile: str
               ) -> tuple[dict[str, str], dict[str, Any], list[dict[str, str]]]:
    """({id: English summary}, the summariser's info, [{id, ref, error}] the pipeline failed on); the
    articles are read before any model loads."""
    from ..ingest.inputs import iter_articles
    from ..types import Article, Failure

    read = list(iter_articles(list(articles)))
    unreadable = [r for r in read if isinstance(r, Failure) and r.status == "failed"]
    if unreadable:
        named = "; ".join(f"{f.ref}: {f.error}" for f in unreadable[:3])
        more = f" (and {len(unreadable) - 3} more)" if len(unreadable) > 3 else ""
        raise EvalDataError(f"cannot read {len(unreadable)} of the articles: {named}{more}")
    keyed = [(str(a.meta.get("id") or a.ref), a) for a in read if isinstance(a, Article)]
    if not keyed:
        raise EvalDataError(f"no article to summarise in {', '.join(articles)}")
    config = load_config(models)
    registry = ModelRegistry(config)
    results = summarize(config, registry, profile, [a for _, a in keyed])
    produced = {key: r.summary.get("en", "") for (key, _), r in zip(keyed, results) if not isinstance(r, Failure)}
    failed = [{"id": key, "ref": r.ref, "error": r.error} for (key, _), r in zip(keyed, results)
              if isinstance(r, Failure)]
    info = {"summarize": registry.get(config.profile(profile).summarize).info()}
    return produced, info, failed


def _no_shared_id(refs: Path, references: dict[str, str], produced: dict[str, str],
                  failed: list[dict[str, str]]) -> str:
    """Why no summary could be scored, with what each side holds."""
    if failed and not produced:
        return (f"no article could be summarised ({len(failed)} failed; {failed[0]['ref']}: "
                f"{failed[0]['error']})")
    return (f"no summary shares an id with {refs}: the references have ids like "
            f"{', '.join(list(references)[:3])}, the summaries {', '.join(list(produced)[:3]) or 'none'}"
            + (f" ({len(failed)} articles failed)" if failed else ""))


def evaluate_edits(rows: Sequence[dict[str, Any]], out: Path | None = None) -> dict[str, Any]:
    """How far editors moved the machine text. `rows`: one per edited text, with `brief`, `field`,
    `day`, `model`, `machine`, `edited` (desk.review.edited_texts gives them)."""
    scored = [{**r, **metrics.distance(r["machine"], r["edited"])} for r in rows]
    scored.sort(key=lambda r: (r["chrf"], -r["ter"]))
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in scored:
        kind = "summary" if r["field"] == "summary" else "title" if r["field"] == "title" else "translation"
        groups[(r["day"], kind, r["model"] or "?")].append(r)
    summary = [{"day": d, "kind": k, "model": m, "edits": len(g),
                "chrf": round(sum(x["chrf"] for x in g) / len(g), 2), "ter": round(sum(x["ter"] for x in g) / len(g), 2)}
               for (d, k, m), g in sorted(groups.items())]
    report = {"task": "edits", "edits": len(scored), "per_day_and_model": summary, "worst": scored[:50]}
    if out is not None:
        write_report(_folder(out), {**report, "metrics": {}}, "How far editors moved the machine text")
        from ..store.atomic import atomic_write

        atomic_write(out / "edits.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in scored))
    return report


__all__ = ["System", "evaluate_edits", "evaluate_summaries", "evaluate_translation", "first_chrf"]
