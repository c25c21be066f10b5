"""Digest files of an output folder: the English digest of every brief in briefs.jsonl."""

from __future__ import annotations

from pathlib import Path

from ..render.digest import build_digest
from ..render.html import digest_html, digest_markdown
from .atomic import atomic_write
from .outdir import DIGEST_HTML, DIGEST_MD, OutputDir, load_briefs


def write_digest(outdir: OutputDir, group_by: str = "date", title: str | None = None) -> list[Path]:
    """Write digest.html and digest.md of every brief in the folder; returns their paths."""
    digest = build_digest(load_briefs(outdir.root), group_by=group_by, title=title)
    html_path, md_path = outdir.path(DIGEST_HTML), outdir.path(DIGEST_MD)
    atomic_write(html_path, digest_html(digest))
    atomic_write(md_path, digest_markdown(digest))
    return [html_path, md_path]
