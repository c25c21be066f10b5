"""`summarizer eval translate|summary|edits`: quality on the user's own data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from ..errors import SummarizerError
from .common import err, fail, out

eval_app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                       help="Score translations and summaries against references, and editors' corrections.")


def _print(report: dict, as_json: bool, lines: list[str]) -> None:
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        for line in lines:
            out.print(line, markup=False, highlight=False)


@eval_app.command("translate")
def translate_command(
    src: Path = typer.Argument(..., help="Source segments: .txt (one a line), .tsv or .jsonl."),
    ref: Path = typer.Argument(..., help="Reference translations, the same number of segments."),
    hyp: Optional[Path] = typer.Option(None, "--hyp", help="Score these translations (no model is run)."),
    models: Optional[Path] = typer.Option(None, "--models", help="models.yaml to read."),
    profile: Optional[list[str]] = typer.Option(None, "--profile", "-p", help="A profile to evaluate (repeatable)."),
    model: Optional[list[str]] = typer.Option(None, "--model", "-m", help="A translation model (repeatable)."),
    out_dir: Path = typer.Option(Path("eval-out"), "--out", help="Folder for hypotheses, side-by-side and report."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    min_chrf: Optional[float] = typer.Option(None, "--min-chrf", help="Exit 1 when the (first) system's chrF is "
                                             "below this (a CI gate)."),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=0, help="Paired bootstrap resamples (0: none)."),
    engine: Optional[str] = typer.Option(None, "--engine", help="auto, torch or ctranslate2 (default: models.yaml)."),
) -> None:
    """Translate SRC with each system (default: the default profile) and score it against REF."""
    from ..eval.commands import evaluate_translation, first_chrf
    from ..eval.report import scores_line

    try:
        report = evaluate_translation(src, ref, out_dir, hyp=hyp, models=models, profiles=profile or (),
                                      model_names=model or (), samples=bootstrap, engine=engine)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    systems = report.get("systems") or {report["system"]: report}
    lines = [f"{report['segments']} segments; files in {out_dir}"]
    lines += [f"{name}: {scores_line(system)}" for name, system in systems.items()]
    _print(report, as_json, lines)
    if min_chrf is not None and first_chrf(report) < min_chrf:
        err.print(f"chrF {first_chrf(report):.2f} is below --min-chrf {min_chrf:g}", markup=False)
        raise typer.Exit(1)


@eval_app.command("summary")
def summary_command(
    articles: list[str] = typer.Argument(..., help="Articles (any input `summarizer run` reads) and then REFS.jsonl.",
                                         metavar="ARTICLES... REFS.jsonl"),
    hyp: Optional[Path] = typer.Option(None, "--hyp", help="Score these summaries (JSON Lines of id, summary)."),
    models: Optional[Path] = typer.Option(None, "--models", help="models.yaml to read."),
    profile: str = typer.Option("default", "--profile", "-p", help="The profile that summarises."),
    out_dir: Path = typer.Option(Path("eval-out"), "--out", help="Folder for the report files."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Summarise ARTICLES (or take --hyp) and score against English reference summaries by id."""
    from ..eval.commands import evaluate_summaries
    from ..eval.report import scores_line

    if len(articles) < 1 or (hyp is None and len(articles) < 2):
        raise fail("give ARTICLES... and REFS.jsonl (or --hyp HYPS.jsonl and REFS.jsonl)")
    try:
        report = evaluate_summaries(articles[:-1], Path(articles[-1]), out_dir, hyp=hyp, models=models,
                                    profile=profile)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    failed = report.get("failed") or []
    not_made = f"; {len(failed)} articles not summarised ({failed[0]['ref']}: {failed[0]['error']})" if failed else ""
    _print(report, as_json, [f"{report['items']} summaries ({len(report['missing'])} references without one"
                             f"{not_made}); {scores_line(report)}; files in {out_dir}"])


@eval_app.command("edits")
def edits_command(
    folder: Path = typer.Argument(..., help="Output folder whose briefs editors corrected."),
    since: Optional[str] = typer.Option(None, "--since", help="Only edits made on or after this day (YYYY-MM-DD)."),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Also write report.json, report.md, edits.jsonl."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """How far editors moved the machine text (chrF and TER), per day and per model, worst first."""
    from ..desk.review import Review
    from ..eval.commands import evaluate_edits

    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        raise fail(f"--since must be YYYY-MM-DD, not {since!r}") from None
    try:
        review = Review(folder)
        try:
            rows = review.edited_texts(day)
        finally:
            review.close()
        report = evaluate_edits(rows, out_dir)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    lines = [f"{report['edits']} edited texts in {folder}"]
    lines += [f"  {g['day']} {g['kind']} ({g['model']}): {g['edits']} edits, chrF {g['chrf']:.1f}, TER {g['ter']:.1f}"
              for g in report["per_day_and_model"]]
    lines += [f"  worst: {w['brief']} {w['field']}: chrF {w['chrf']:.1f}, TER {w['ter']:.1f}" for w in report["worst"][:5]]
    _print(report, as_json, lines)
