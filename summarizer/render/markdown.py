"""Render a brief as a readable bilingual Markdown page.

Article content is escaped for HTML in Markdown output (a title like "<script>" shows as
text), and every Arabic block sits in <div dir="rtl" lang="ar"> so it reads right to left.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from ..flags import describe
from ..text.arabic import RTL_LANGS
from ..text.display import clean_display, display_url
from ..text.hijri import shown_date
from ..types import Brief

MD_INLINE_RE = re.compile(r"([\\`*_~\[\]])")  # emphasis, code and link syntax
MD_BLOCK_RE = re.compile(r"^(\s*)([#+-]|\d+[.)])")  # a heading or list marker at the start


def esc(text: Any) -> str:
    """Escape article content for Markdown-with-HTML output: HTML escaped (a title like "<script>"
    shows as text), Markdown's own syntax backslash-escaped (a title "[x](javascript:...)" is text,
    not a link), bidi overrides and control characters removed, one line."""
    text = clean_display(str(text)) or ""
    text = MD_INLINE_RE.sub(r"\\\1", html.escape(text, quote=True)).replace("\n", " ")
    return MD_BLOCK_RE.sub(lambda m: m.group(1) + (m.group(2)[:-1] + "\\" + m.group(2)[-1]), text)


DATE_UNKNOWN = "date unknown"  # what pages say of an article that gave no date


def md_link(label: Any, url: Any) -> str:
    """A Markdown link to an http(s) URL, or the escaped label alone when the URL is not one."""
    safe = display_url(str(url or ""))
    return f"[{esc(label)}](<{safe}>)" if safe else esc(label)


def source_block(brief: Brief) -> Mapping[str, str]:
    """Attributes of the attribution line, for Markdown and HTML alike. A local input shows as its
    file name only (pages get shared: an absolute path of the machine that made them says nothing
    and tells too much). An article without a date says "date unknown" (never the day it was made)."""
    src = brief.source
    ref = src.get("ref") or ""
    shown_ref = None if src.get("url") and ref.startswith(("http://", "https://")) else ref.replace("\\", "/").rsplit("/", 1)[-1]
    return {k: str(v) for k, v in (
        ("site", src.get("site")), ("published", shown_date(src.get("published"), src.get("published_hijri"), src.get("published_raw")) or DATE_UNKNOWN),
        ("dateline", src.get("dateline")), ("byline", src.get("byline")), ("url", src.get("url")),
        ("input", shown_ref),
    ) if v}


def _src_div(text: str, lang: str) -> str:
    if lang in RTL_LANGS:
        return f'<div dir="rtl" lang="{lang}">\n\n{text}\n\n</div>\n'
    return f'<div lang="{lang}">\n\n{text}\n\n</div>\n'


def brief_markdown(brief: Brief, edited: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """A readable bilingual brief: title, summary, attribution, checks, then every sentence pair
    (`edited`: what editors changed, see render.html.brief_html)."""
    edited = edited or {}
    lang = brief.language or "ar"
    title_en = esc(brief.title.get("en") or "(untitled)")
    lines = [f"# {title_en}\n", _src_div(f"## {esc(brief.title.get('ar', ''))}", lang)]
    meta = source_block(brief)
    if meta:
        parts = [md_link(v, v) if k == "url" else f"{k}: {esc(v)}" for k, v in meta.items()]
        lines.append(" · ".join(parts) + "\n")
    lines.append("## Summary\n")
    lines.append(esc(brief.summary.get("en", "")) + "\n")
    if "summary" in edited:
        lines.append(f"_Edited by an editor. The machine's summary:_ {esc(edited['summary']['machine'])}\n")
    lines.append(_src_div(esc(brief.summary.get("ar", "")), lang))
    checks = brief.checks
    flags = ", ".join(checks.get("flags", [])) or "none"
    lines.append("## Checks\n")
    lines.append(f"- coverage: {checks.get('coverage')}\n- flags: {esc(flags)}\n")
    for name in checks.get("flags", []):
        flag = describe(name)
        lines.append(f"- `{name}`: {esc(flag.meaning)}; what to do: {esc(flag.action)}\n")
    for key in ("split_sentences", "passthrough", "hit_limit"):
        if checks.get(key):
            lines.append(f"- {key}: {', '.join(str(i) for i in checks[key])}\n")
    lines.append("## Translation\n")
    current = None
    for s in brief.sentences:
        if s.p != current:
            current = s.p
            lines.append(f"### Paragraph {s.p + 1}\n")
        marks = f" _({', '.join(s.flags)})_" if s.flags else ""
        lines.append(_src_div(f"**{s.i}.** {esc(s.ar)}", lang))
        lines.append(f"**{s.i}.** {esc(s.en)}{marks}\n")
    if brief.removed:
        lines.append(f"## Removed boilerplate ({len(brief.removed)} lines)\n")
        for r in brief.removed:
            lines.append(f"- `{r.reason}`: <span dir=\"auto\">{esc(r.text)}</span>")
        lines.append("")
    return "\n".join(lines) + "\n"
