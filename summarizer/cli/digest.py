"""`summarizer digest DIR`: the English digest of the briefs in an output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..render.digest import build_digest
from ..render.html import digest_html, digest_markdown
from ..runs.atomic import atomic_write
from ..runs.outdir import DIGEST_HTML, JSONL, load_briefs
from .common import err, fail


def digest(
    folder: Path = typer.Argument(..., help="Output folder of a run (its briefs.jsonl)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="digest.html or digest.md (default: FOLDER/digest.html)."),
    group_by: str = typer.Option("date", "--group-by", help="date (then source) or source (then date)."),
    title: Optional[str] = typer.Option(None, "--title", help="Digest title (default: News digest)."),
) -> None:
    """Write an English digest of the briefs in FOLDER: HTML for browsers and email, or Markdown."""
    if group_by not in ("date", "source"):
        raise fail(f"--group-by must be date or source, not {group_by!r}")
    if not (folder / JSONL).is_file():
        raise fail(f"no {JSONL} in {folder}: run 'summarizer run ... --out {folder}' first")
    target = out or folder / DIGEST_HTML
    if target.is_dir():
        raise fail(f"--out {target} is a folder; name the digest file (digest.html or digest.md)")
    result = build_digest(load_briefs(folder), group_by=group_by, title=title)
    text = digest_markdown(result) if target.suffix.lower() in (".md", ".markdown") else digest_html(result)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, text)
    except OSError as exc:
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
    err.print(f"digest: {result.stories} stories from {result.briefs} briefs -> {target}", markup=False)
