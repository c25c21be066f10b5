"""`summarizer models ...`: list, fetch and build models of the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..config import Config, load_config
from ..errors import ConfigError, ModelUnavailable
from ..models import hub
from .common import fail, out, setup_logging

models_app = typer.Typer(no_args_is_help=True, help="List, download and build models.")


def _config(path: Optional[Path]) -> Config:
    try:
        return load_config(path)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def _names(config: Config, name: Optional[str], profile: Optional[str]) -> list[str]:
    """The models a command works on: one by name, or every model of a profile."""
    if (name is None) == (profile is None):
        raise fail("give a model NAME or --profile P (not both)")
    if profile:
        prof = config.profile(profile)
        extra = [prof.fallback] if prof.fallback else []
        return list(dict.fromkeys([*prof.translate.values(), prof.summarize, *extra]))
    return [config.model(name).name]


@models_app.command("list")
def list_models(models: Optional[Path] = typer.Option(None, "--models", help="models.yaml to read.")) -> None:
    """Show every model of the registry, its task, and whether it is on this machine."""
    config = _config(models)
    used: dict[str, list[str]] = {}
    for profile in config.profiles.values():
        for name in [*profile.translate.values(), profile.summarize]:
            used.setdefault(name, []).append(profile.name)
    columns = ("name", "task", "languages", "source", "revision", "local", "profiles")
    rows = []
    for spec in config.models.values():
        folder = hub.local_folder(spec)
        langs = (f"{spec.src}->{spec.tgt}" if spec.src else ",".join(spec.lang_codes) + f"->{spec.tgt}") \
            if spec.task == "translate" else (spec.lang or "")
        rows.append((spec.name, spec.task, langs, spec.ref, spec.revision or "main",
                     f"yes ({folder})" if folder else "no",
                     ",".join(sorted(set(used.get(spec.name, [])))) or "-"))
    if not out.is_terminal:  # scripts and pipes get one tab-separated line per model
        print("\t".join(columns))
        for row in rows:
            print("\t".join(row))
        return
    table = Table(title=f"models in {config.source}")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    out.print(table)


@models_app.command("fetch")
def fetch_models(
    name: Optional[str] = typer.Argument(None, help="Model name (see 'summarizer models list')."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Fetch every model of a profile."),
    models: Optional[Path] = typer.Option(None, "--models", help="models.yaml to read."),
    force: bool = typer.Option(False, "--force", help="Download again even if the files are here (a broken model)."),
) -> None:
    """Download models into the Hugging Face cache (once; runs then work offline)."""
    setup_logging()
    config = _config(models)
    try:
        for model in _names(config, name, profile):
            spec = config.model(model)
            out.print(f"fetching {spec.name} ({spec.ref}) ...")
            folder = hub.fetch(spec, progress=out.is_terminal, force=force)
            problem = hub.folder_problem(folder)
            if problem:
                raise hub.broken(spec, folder, problem)
            out.print(f"  ready: {folder}")
    except (ConfigError, ModelUnavailable) as exc:
        raise fail(str(exc)) from None


@models_app.command("tiny")
def tiny_models(
    folder: Path = typer.Argument(..., help="Folder to write the tiny models and their models.yaml into."),
    like_hub: bool = typer.Option(False, "--like-hub", help="Save each model as its real hub repository is "
                                  "(legacy checkpoints and configs, no tokenizer.json where the hub has none)."),
) -> None:
    """Write tiny random-weight models of every architecture, to run the pipeline offline."""
    from ..models.tiny import GIBBERISH, build_tiny_models
    from ..models.tiny_hub import build_hub_models

    if folder.exists() and not folder.is_dir():
        raise fail(f"{folder} is an existing file; name a folder for the tiny models")
    try:
        path = (build_hub_models if like_hub else build_tiny_models)(folder)
    except OSError as exc:
        raise fail(f"cannot write the tiny models into {folder}: {exc.strerror or exc}") from None
    out.print(f"wrote {path}")
    out.print(f"note: {GIBBERISH}.")
    out.print(f"try: summarizer run ARTICLES --out briefs/ --models {path}")


@models_app.command("convert")
def convert_models(
    name: Optional[str] = typer.Argument(None, help="Model name (see 'summarizer models list')."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Convert every model of a profile."),
    compute_type: Optional[str] = typer.Option(None, "--compute-type", help="int8, int8_float16, float32 ..."),
    device: str = typer.Option("auto", "--device", help="auto, cpu or cuda (picks the default compute type)."),
    models: Optional[Path] = typer.Option(None, "--models", help="models.yaml to read."),
) -> None:
    """Convert models to CTranslate2 ahead of time (otherwise the first run does it)."""
    from ..models.engines.convert import convert
    from ..models.engines.ct2_engine import cuda_available, default_compute_type

    config = _config(models)
    try:
        names = _names(config, name, profile)
        dev = ("cuda" if cuda_available() else "cpu") if device == "auto" else device
        for model in names:
            spec = config.model(model)
            folder = hub.ensure_local(spec)
            quant = compute_type or (spec.compute_type if spec.compute_type != "auto" else default_compute_type(dev))
            with out.status(f"converting {spec.name} ({quant}) ..."):
                target = convert(spec, folder, hub.resolved_revision(spec, folder), quant, retry_failed=True)
            out.print(f"{spec.name}: {target}")
    except (ConfigError, ModelUnavailable) as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - the converter's own errors, in one line
        raise fail(f"conversion failed: {type(exc).__name__}: {exc}") from None


@models_app.command("check")
def check_models(
    profile: str = typer.Option("default", "--profile", "-p", help="Profile to check (its translator and summariser)."),
    models: Optional[Path] = typer.Option(None, "--models", help="models.yaml to read."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    segments: int = typer.Option(100, "--segments", help="Reference pairs to translate (10-100)."),
    engine: Optional[str] = typer.Option(None, "--engine", help="auto, torch or ctranslate2 (as for run)."),
    compute_type: Optional[str] = typer.Option(None, "--compute-type", help="CTranslate2 compute type (as for run)."),
) -> None:
    """Prove the downloaded models work: translate a bundled reference sample, summarise a bundled article,
    compare the engine with transformers. Exit 0 when every check passes, 1 when one fails."""
    import json

    from ..eval.selfcheck import run_check
    from ..models.registry import ENGINE_CHOICES, ModelRegistry

    setup_logging()
    if engine is not None and engine not in ENGINE_CHOICES:
        raise fail(f"--engine must be one of {', '.join(ENGINE_CHOICES)}, got {engine!r}")
    config = _config(models)
    try:
        registry = ModelRegistry(config, engine=engine, compute_type=compute_type)
        report = run_check(config, profile, registry, segments)
    except (ConfigError, ModelUnavailable) as exc:
        raise fail(str(exc)) from None
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        _print_check(report)
    raise typer.Exit(0 if report["passed"] else 1)


def _print_check(report: dict) -> None:
    translation, summary = report["translation"], report["summary"]
    scores = translation["metrics"]
    out.print(f"profile {report['profile']}: {translation['segments']} PUD segments, one article, "
              f"{report['seconds']} s")
    for name, metric in scores.items():
        out.print(f"  {name} {metric['score']:.1f}  ({metric['signature']})")
    for check in report["checks"]:
        mark = "ok  " if check["passed"] else "FAIL"
        detail = f"  {check['detail']}" if check["detail"] and not check["passed"] else ""
        out.print(f"  {mark} {check['name']}: {check['value']:g} (needs {check['bound']}){detail}", markup=False)
    out.print(f"  summary: {summary['summary'][:200]}", markup=False)
    if report["passed"]:
        out.print("passed: the models work on this machine")
    else:
        out.print(f"failed: {', '.join(report['failed'])} (what to do: docs/models.md)")
