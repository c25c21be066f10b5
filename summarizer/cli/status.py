"""`summarizer status DIR`: the folder's verdict for a monitor (its exit code), done, unresolved
failures (with reasons), given-up inputs, pending articles, the last attempt and the last completed run.

Exit codes (docs/operations.md): 0 ok (or a run is running now), 1 unresolved failures, 3 the last
attempt did not finish (killed, interrupted, stopped by an error), 4 the last attempt failed before
starting, 2 status's own usage error (no state in DIR, a bad option, an unwritable --metrics file).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer

from ..desk.status import folder_status
from ..errors import SummarizerError
from .common import fail, out


def status(
    folder: Path = typer.Argument(..., help="Output folder of a run."),
    state: Optional[Path] = typer.Option(None, "--state", help="State database (default: OUT/state.sqlite)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (the same verdict and exit code)."),
    metrics: Optional[Path] = typer.Option(None, "--metrics", help="Also write Prometheus metrics to FILE "
                                                                   "(atomically)."),
) -> None:
    """Show OUT's verdict (exit 0 ok, 1 failures, 3 did not finish, 4 failed before starting; 2 usage
    error), what is done, failed (with reasons), given up and pending, the last attempt and the last
    completed run."""
    try:
        data = folder_status(folder, state)
        if metrics is not None:
            from ..desk.metrics import write_metrics

            write_metrics(metrics, folder, state)
    except SummarizerError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write the metrics file {metrics}: {exc.strerror or exc}") from None
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _show(folder, data)
    raise typer.Exit(data["exit_code"])


def _attempt_line(label: str, run: dict[str, Any]) -> str:
    c = run.get("counts") or {}
    counts = f": {c.get('new', 0)} new, {c.get('skipped', 0)} skipped, {c.get('failed', 0)} failed" if c else ""
    when = run["finished_at"] or f"started {run['started_at']}, no finish recorded"
    code = f", exit code {run['exit_code']}" if run["exit_code"] is not None else ""
    reach = f", {run['not_reached']} of {run['total']} not reached" if run.get("not_reached") else ""
    return f"{label} #{run['run_id']} ({run['profile']}) {run['outcome'].replace('_', ' ')} {when}{code}{counts}{reach}"


def _show(folder: Path, data: dict[str, Any]) -> None:
    failed, given_up, pending = data["failed"], data["given_up"], data["pending"]
    out.print(f"{data['verdict'].upper().replace('_', ' ')} (exit {data['exit_code']}): {data['message']}")
    out.print(f"{folder}: {data['done']} done, {len(failed)} failed (unresolved), {len(given_up)} given up, "
              f"{len(pending)} pending")
    last, completed = data["last_attempt"], data["last_completed_run"]
    if last:
        out.print(_attempt_line("last attempt", last))
        if last.get("error"):
            out.print(f"  error: {last['error']}")
    if completed and (not last or completed["run_id"] != last["run_id"]):
        out.print(_attempt_line("last completed run", completed))
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
        out.print(f"  failed   {item['ref']} (attempt {item['attempts']}): {item['error']}")
    for item in given_up:
        out.print(f"  given up {item['ref']} after {item['attempts']} attempts: {item['error']}")
    for item in pending[:50]:
        out.print(f"  pending  {item['ref']} ({item['id']})")
    if len(pending) > 50:
        out.print(f"  ... and {len(pending) - 50} more pending")
    if failed:
        out.print(f"run 'summarizer retry {folder}' to process the failed inputs again")
    if given_up:
        out.print(f"run 'summarizer retry {folder} --given-up' to try the given-up inputs again")
