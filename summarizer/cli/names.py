"""`summarizer names list|set|export DIR ...`: the house spelling of names of an output folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ..desk.names import export_names, list_names, set_name
from ..errors import SummarizerError
from .common import err, fail

names_app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                        help="The names memory: one English spelling per Arabic name, used by every later run.")
STATE = typer.Option(None, "--state", help="State database (default: DIR/state.sqlite).")


@names_app.command("list")
def list_command(
    folder: Path = typer.Argument(..., help="Output folder of a run."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON array: every name, its variants and changes."),
    state: Optional[Path] = STATE,
) -> None:
    """Every name with its house spelling, its source (editor, glossary, first_seen) and the other
    spellings runs met (how often, in which briefs)."""
    try:
        rows = list_names(folder, state)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        err.print(f"no names in the memory of {folder} yet (a run fills it)", markup=False)
        return
    for row in rows:
        variants = ", ".join(f"{v['spelling']} ×{v['count']}" for v in row["variants"])
        typer.echo(f"{row['arabic']}\t{row['english']}\t{row['source']}\tseen {row['seen']}"
                   + (f"\tvariants: {variants}" if variants else ""))  # tabs kept: one line a name, for cut/awk


@names_app.command("set")
def set_command(
    folder: Path = typer.Argument(..., help="Output folder of a run."),
    arabic: str = typer.Argument(..., help="The Arabic name: one word, with or without the article (الكاظمي)."),
    english: str = typer.Argument(..., help="Its house spelling (Kadhimi)."),
    state: Optional[Path] = STATE,
) -> None:
    """Make ENGLISH the house spelling of ARABIC: every later run uses it (an editor's spelling;
    no run replaces it). Briefs already made keep their text (edit them on the review page)."""
    try:
        row = set_name(folder, arabic, english, state)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    err.print(f"{row['arabic']} -> {row['english']} (house spelling, {row['source']})", markup=False)


@names_app.command("export")
def export_command(
    folder: Path = typer.Argument(..., help="Output folder of a run."),
    target: Path = typer.Argument(..., help="The CSV file to write (a glossary: arabic,english,note)."),
    state: Optional[Path] = STATE,
) -> None:
    """Write the house spellings as a glossary CSV that `summarizer run --glossary` reads."""
    try:
        count = export_names(folder, target, state)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    err.print(f"wrote {count} names to {target}", markup=False)
