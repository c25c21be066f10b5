"""HTML (and Markdown digest) rendering with Jinja2, autoescape on.

Pages are self-contained: inline CSS, no scripts, no external fonts or assets. Arabic blocks
carry dir="rtl" lang="ar"; Latin words and numbers inside Arabic sit in <bdi> so they do not
reorder the line; English blocks that may hold Arabic use dir="auto".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from ..flags import describe
from ..text.arabic import RTL_LANGS
from ..text.display import clean_display, display_url
from ..types import Brief
from .digest import Digest
from .markdown import esc, source_block

ISOLATE_RE = re.compile(r"[A-Za-z0-9\u0660-\u0669\u06f0-\u06f9](?:[A-Za-z0-9\u0660-\u0669\u06f0-\u06f9.,:/%\-'\u066a-\u066c]*"
                        r"[A-Za-z0-9\u0660-\u0669\u06f0-\u06f9%\u066a])?")
def isolate(text: Any) -> Markup:
    """Escape `text` and wrap each Latin or number run in <bdi> (for text inside RTL blocks)."""
    text = str(text or "")
    out, last = [], 0
    for match in ISOLATE_RE.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(Markup("<bdi>") + escape(match.group()) + Markup("</bdi>"))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def safe_url(url: Any) -> str | None:
    """An http(s) URL fit for an href, or None (a javascript: or data: URL never becomes a link)."""
    return display_url(str(url or ""))


def block_style(lang: str) -> str:
    """Inline direction style for email clients that ignore the dir attribute."""
    return "direction:rtl;text-align:right;" if (lang or "ar") in RTL_LANGS else "direction:ltr;text-align:left;"


def lang_attrs(lang: str) -> Markup:
    """dir and lang attributes for a block of source text."""
    lang = lang or "ar"
    direction = "rtl" if lang in RTL_LANGS else "ltr"
    return Markup(f'dir="{direction}" lang="{escape(lang)}"')


@functools.lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("summarizer.render", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html", "md", "j2"), default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["isolate"] = isolate
    env.filters["md"] = md_text
    env.globals["lang_attrs"] = lang_attrs
    env.globals["story_view"] = story_view
    env.globals["safe_url"] = safe_url
    env.globals["block_style"] = block_style
    return env


def _paragraphs(brief: Brief) -> list[list[Any]]:
    groups: list[list[Any]] = []
    current = None
    for s in brief.sentences:
        if s.p != current:
            groups.append([])
            current = s.p
        groups[-1].append(s)
    return groups


def brief_html(brief: Brief, edited: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """The bilingual page of one brief: sentences side by side, linked summary, flags.

    `edited` ({field: {value, machine, stale, at}}, from store.edits.overlay) marks what editors
    changed; the brief already carries their text, and the page keeps the machine text at hand.
    """
    links = dict(brief.summary_links)
    lines = [{"text": text, "sources": list(links.get(k, ()))} for k, text in enumerate(brief.summary_sentences)]
    checks = brief.checks
    flags = [{"name": f, "text": f"{describe(f).meaning}; what to do: {describe(f).action}"}
             for f in checks.get("flags", [])]
    return environment().get_template("brief.html.j2").render(
        brief=brief, lang=brief.language or "ar", paragraphs=_paragraphs(brief), summary_lines=lines,
        meta=source_block(brief), flags=flags, checks=checks, edited=edited or {},
        coverage_low=float(checks.get("coverage", 1.0)) < 1.0)


def digest_html(digest: Digest) -> str:
    """The digest as one email-safe HTML page."""
    return environment().get_template("digest.html.j2").render(digest=digest)


def digest_markdown(digest: Digest) -> str:
    """The digest as Markdown (Arabic in <div dir="rtl" lang="ar"> blocks)."""
    return environment().get_template("digest.md.j2").render(digest=digest)


def digest_text(digest: Digest) -> str:
    """The digest as plain text: the alternative part of an e-mail."""
    return text_environment().get_template("digest.txt.j2").render(digest=digest)


@functools.lru_cache(maxsize=1)
def text_environment():
    """Jinja2 for plain text: nothing escaped (it is not markup)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("summarizer.render", "templates"), autoescape=False,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["story_view"] = story_view
    env.globals["safe_url"] = safe_url
    return env


def story_view(story: Any) -> Mapping[str, Any]:
    """What a template shows of a story (bidi overrides and control characters removed: briefs of
    older versions may hold them)."""
    lead = story.lead
    title_ar, summary_ar = lead["title"].get("ar", ""), lead["summary"].get("ar", "")
    if title_ar and " ".join(summary_ar.split()).startswith(" ".join(title_ar.split())):
        summary_ar = " ".join(summary_ar.split())[len(" ".join(title_ar.split())):].strip()  # said once: a derived title
    shown = {"title_en": lead["title"].get("en", ""), "title_ar": title_ar,
             "summary_en": lead["summary"].get("en", ""), "summary_ar": summary_ar}
    sources = [{**s, "site": clean_display(str(s.get("site") or "")), "published": clean_display(s.get("published"))}
               for s in story.sources]
    return {**{k: clean_display(str(v or "")) for k, v in shown.items()}, "lang": lead.get("language") or "ar",
            "sources": sources, "date": story.date}


def md_text(value: Any) -> Markup:
    """A filter for Markdown templates: content escaped for Markdown with HTML (see markdown.esc)."""
    return Markup(esc(value))
