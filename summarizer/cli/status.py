"""`summarizer status DIR`: done, failed (with reasons) and pending articles of an output folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ..desk.status import folder_status
from ..errors import SummarizerError
from .common import fail, out


def status(
    folder: Path = typer.Argument(..., help="Output folder of a run."),
    state: Optional[Path] = typer.Option(None, "--state", help="State database (default: OUT/state.sqlite)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show what is done, what failed (with reasons) and what is pending in OUT."""
    try:
        data = folder_status(folder, state)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    failed, pending, run = data["failed"], data["pending"], data["last_run"]
    out.print(f"{folder}: {data['done']} done, {len(failed)} failed in the last run, {len(pending)} pending")
    if run:
        state_word = "finished" if run["finished_at"] else "did not finish (killed?)"
        out.print(f"last run #{run['run_id']} ({run['profile']}) {state_word}"
                  + (f", exit code {run['exit_code']}" if run["exit_code"] is not None else ""))
    for feed in data["feeds"]:
        out.print(f"  feed {feed['name'] or feed['url']}: {feed['status']}, {feed['items']} items "
                  f"({feed['new']} new, {feed['already_done']} already done, {feed['duplicates']} in another feed), "
                  f"{feed['fetched']} pages fetched, {feed['teaser_only']} teaser only, "
                  f"{feed['robots_disallowed']} disallowed by robots.txt, {len(feed['failed'])} failed")
        for failure in feed["failed"]:
            out.print(f"    {failure['url']}: {failure['reason']}")
    for day in data["review"][:14]:
        out.print(f"  {day['day']}: {day['briefs']} briefs, {day['pending']} pending, {day['approved']} approved, "
                  f"{day['changed']} changed since approval, {day['rejected']} rejected, {day['edited']} edited, "
                  f"{day['stale']} with stale edits")
    for item in failed:
        out.print(f"  failed  {item['ref']}: {item['error']}")
    for item in pending[:50]:
        out.print(f"  pending {item['ref']} ({item['id']})")
    if len(pending) > 50:
        out.print(f"  ... and {len(pending) - 50} more pending")
    if failed:
        out.print(f"run 'summarizer retry {folder}' to process the failed articles again")
