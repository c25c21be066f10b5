"""A brief's pages (HTML, Markdown) written again with its editors' text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..store.edits import Edits, overlay
from ..store.outdir import OutputDir


def render_edited(outdir: OutputDir, edits: Edits, brief: Mapping[str, Any]) -> None:
    """Write a brief's HTML and Markdown pages again with its editors' text (the JSON keeps the
    machine's: runs write machine fields only)."""
    from ..render.html import brief_html
    from ..render.markdown import brief_markdown
    from ..store.atomic import atomic_write
    from ..types import brief_from_dict

    shown, edited = overlay(brief, edits.current([brief["id"]]).get(brief["id"], {}))
    made = brief_from_dict(shown)
    _, md_path, html_path = outdir.brief_paths(brief["id"])
    atomic_write(html_path, brief_html(made, edited))
    atomic_write(md_path, brief_markdown(made, edited))
