"""`summarizer digest DIR`: the day's English digest of an output folder, or one of every brief."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

import typer

from ..desk.digests import EXIT_EMPTY, EmptyDigest, folder_edits, write_all, write_day
from ..store.outdir import JSONL, OutputDir
from .common import err, fail


def digest(
    folder: Path = typer.Argument(..., help="Output folder of a run (its briefs.jsonl)."),
    day: Optional[str] = typer.Option(None, "--date", help="The day (YYYY-MM-DD) whose briefs make the digest "
                                      "(default: today)."),
    every: bool = typer.Option(False, "--all", help="One digest of every brief in FOLDER instead of one day's."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="One file to write, digest.html, .md or .txt: "
                                       "the day's digest (--date), or every brief's with --all "
                                       "(default with --all: FOLDER/digest-all.html)."),
    group_by: str = typer.Option("date", "--group-by", help="date (then source) or source (then date)."),
    title: Optional[str] = typer.Option(None, "--title", help="Digest title."),
    allow_empty: bool = typer.Option(False, "--allow-empty", help="Write the digest of a day with nothing to send "
                                     "anyway (default: write nothing and exit 3)."),
) -> None:
    """Write the English digest of FOLDER: digest-DAY.html (e-mail), .md, .txt, digest.html and digest.xml (Atom).

    Once editors decided on a day's stories, only those approved as they read now go out. A day with
    nothing to send writes nothing, adds nothing to digest.xml and exits 3.
    """
    if group_by not in ("date", "source"):
        raise fail(f"--group-by must be date or source, not {group_by!r}")
    if not (folder / JSONL).is_file():
        raise fail(f"no {JSONL} in {folder}: run 'summarizer run ... --out {folder}' first")
    try:
        when = date.fromisoformat(day) if day else None
    except ValueError:
        raise fail(f"--date must be YYYY-MM-DD, not {day!r}") from None
    try:
        if every or out is not None:
            target = out or folder / "digest-all.html"
            if target.is_dir():
                raise fail(f"--out {target} is a folder; name the digest file (digest.html, .md or .txt)")
            result = write_all(folder, target, group_by=group_by, title=title, day=None if every else
                               (when or date.today()), allow_empty=allow_empty)
            err.print(f"digest: {result.stories} stories from {result.briefs} briefs -> {target}", markup=False)
            return
        log = folder_edits(folder)
        try:
            paths = write_day(OutputDir(folder), when, group_by=group_by, title=title, edits=log,
                              allow_empty=allow_empty)
        finally:
            if log is not None:
                log.store.close()
    except EmptyDigest as empty:
        err.print(f"digest: {empty} (--allow-empty writes it anyway)", markup=False)
        raise typer.Exit(EXIT_EMPTY) from None
    except OSError as exc:
        raise fail(f"cannot write the digest: {exc.strerror or exc}") from None
    err.print(f"digest: {', '.join(str(p) for p in paths)}", markup=False)
