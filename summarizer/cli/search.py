"""`summarizer search DIR QUERY`: find briefs by Arabic or English words; the best matches first."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from ..desk.search import Hit, reindex, search
from ..errors import SummarizerError
from .common import err, fail, out


def _day(value: Optional[str], flag: str) -> Optional[str]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise fail(f"{flag} must be YYYY-MM-DD, not {value!r}") from None


def search_command(
    folder: Path = typer.Argument(..., help="Output folder of a run."),
    query: Optional[str] = typer.Argument(None, help='Words to find: word, =word (not stemmed), "a phrase", '
                                          "-word or NOT word (left out), a OR b."),
    lang: str = typer.Option("any", "--lang", help="ar (the source side), en (the English side) or any."),
    since: Optional[str] = typer.Option(None, "--since", help="Only briefs dated on or after this day (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Only briefs dated on or before this day."),
    source: Optional[str] = typer.Option(None, "--source", help="Only briefs whose source name holds this."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="Most results."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON array of results."),
    reindex_: bool = typer.Option(False, "--reindex", help="Build the index again from briefs.jsonl first."),
    state: Optional[Path] = typer.Option(None, "--state", help="State database (default: DIR/state.sqlite)."),
) -> None:
    """Search the briefs of DIR: Arabic however it was typed (harakat, hamza, ta marbuta, attached
    articles), English by stem, editors' corrections too. Each result: its review day (the day its brief
    was made) and publication date, source, title, a highlighted snippet, its page."""
    if lang not in ("ar", "en", "any"):
        raise fail(f"--lang must be ar, en or any, not {lang!r}")
    since, until = _day(since, "--since"), _day(until, "--until")
    try:
        if reindex_:
            count = reindex(folder, state)
            err.print(f"indexed {count} briefs of {folder}", markup=False)
            if not query:
                return
        if not query:
            raise fail("give a QUERY (or --reindex)")
        hits = search(folder, query, lang=lang, since=since, until=until, source=source, limit=limit, state=state)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1))
        return
    if not hits:
        err.print(f"no brief in {folder} matches {query!r}", markup=False)
        return
    for k, hit in enumerate(hits, start=1):
        _show(k, hit)


def _show(k: int, hit: Hit) -> None:
    from rich.text import Text

    dates = f"review day {hit.day or 'undated'}" + (f", published {hit.published}" if hit.published else "")
    head = Text(f"{k}. {dates}  {hit.source or '?'}  {hit.id}" + ("  (an editor's text)" if hit.by == "editor" else ""),
                style="bold")
    out.print(head)
    if hit.title:
        out.print(Text("   " + hit.title))
    if hit.title_ar:
        out.print(Text("   " + hit.title_ar))
    snippet = Text("   ")
    last = 0
    for a, b in hit.marks:
        snippet.append(hit.snippet[last:a])
        snippet.append(hit.snippet[a:b], style="bold yellow" if out.is_terminal else "")
        last = b
    snippet.append(hit.snippet[last:])
    if not out.is_terminal and hit.marks:  # no colour in a pipe: brackets show what matched
        marked, last = [], 0
        for a, b in hit.marks:
            marked += [hit.snippet[last:a], "[", hit.snippet[a:b], "]"]
            last = b
        snippet = Text("   " + "".join(marked) + hit.snippet[last:])
    out.print(snippet)
    out.print(Text(f"   {hit.path}", style="dim"))
