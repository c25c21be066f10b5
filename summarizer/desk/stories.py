"""A story as the review shows it, computed library side: the editors' text over the machine's, the
approval state, what changed since the approval, the edits (with the machine text each corrected
and its model), every flag in plain words, per-sentence flags and confidence, the attention score
and the filters the story falls under.

The shape of one story (`story()`; JSON-ready):

    id, day (the review day, desk.days), date (= day), published (the article's own date or None),
    made_at (created_at, UTC), title, title_ar, summary, summary_ar, language, site, url, page,
    machine: {title, summary}             the machine text now
    models: {title, summary}              the models that made it (summary: the translator for a lead summary)
    status: pending|approved|rejected     the editors' last decision
    state: pending|approved|changed|rejected   `changed`: approved, but the text changed since
    approval: null | {at, author, changes: [{field, approved, now, diff, by: machine|editor|unknown,
              model_approved, model_now, why}]}   by "editor": an editor's own edit after the approval
              (still approved); any other makes the state `changed`
    edited, stale (bool), edits: {field: {value, machine (the text it corrected), machine_now,
              model, stale, at, author, diff (machine -> value), diff_now (machine -> machine_now)}}
    flags: [{name, label, meaning, action, weight, check, count, sentences}]   every one, weightiest first
    flag_counts: {"check": n, "note": n}
    sentences: [{i, p, ar, en, machine_en, edited, stale, flags: [{name, label, meaning, action,
              weight, check}], score, confidence: low|lowest|ok|None, model}]
    attention: int (0: nothing to check), categories: [the FILTERS it falls under]
    position: its place in the day's order (set by desk.review)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..store.edits import STATUSES, EditRow, is_field, machine_text, model_of, overlay, text_hash
from ..text.diff import word_diff
from .approvals import changes, machine_changes
from .days import published_day, story_day
from .flagtable import attention, confidence, sentence_flags, story_flags

FILTERS = ("all", "attention", "pending", "approved", "edited", "stale", "changed")
FILTER_WORDS = {"all": "all", "attention": "needs attention", "pending": "pending", "approved": "approved",
                "edited": "edited", "stale": "stale", "changed": "changed since approval"}
STATES = ("pending", "approved", "changed", "rejected")


def status_of(fields: Mapping[str, EditRow]) -> str:
    """The editors' last decision on a story (pending when none)."""
    row = fields.get("status")
    return row.value if row is not None and row.value in STATUSES else "pending"


def state_of(brief: Mapping[str, Any], fields: Mapping[str, EditRow]) -> tuple[str, list[dict[str, Any]]]:
    """(state, changes since approval): `changed` is approved with changes (desk.approvals)."""
    status = status_of(fields)
    if status != "approved":
        return status, []
    found = changes(fields["status"], brief, fields)
    return ("changed" if machine_changes(found) else "approved"), found


def triage(brief: Mapping[str, Any], fields: Mapping[str, EditRow]) -> dict[str, Any]:
    """What filters and orders a story, without its texts: {id, state, approval_changes, flags,
    edited, stale, attention, categories} (cheap: a big day's counts and order come from these)."""
    state, since = state_of(brief, fields)
    flags = story_flags(brief)
    texts = {f: r for f, r in fields.items() if is_text(f) and r.value is not None}
    stale = sum(1 for f, r in texts.items() if r.machine_hash != text_hash(machine_text(brief, f)))
    entry = {"id": brief["id"], "state": state, "approval_changes": since, "flags": flags, "edited": bool(texts),
             "stale": stale > 0, "attention": attention(flags, state == "changed", stale)}
    entry["categories"] = categories(entry)
    return entry


def story(brief: Mapping[str, Any], fields: Mapping[str, EditRow], position: int | None = None,
          triaged: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One story as the review shows it (the module doc gives its shape)."""
    shown, edited = overlay(brief, fields)
    source = brief.get("source") or {}
    day = story_day(brief)
    t = triaged or triage(brief, fields)
    flags = t["flags"]
    return {
        "id": brief["id"], "day": day.isoformat() if day else None, "date": day.isoformat() if day else None,
        "published": published_day(brief), "made_at": brief.get("created_at"),
        "title": shown["title"].get("en", ""), "title_ar": shown["title"].get("ar", ""),
        "summary": shown["summary"].get("en", ""), "summary_ar": shown["summary"].get("ar", ""),
        "machine": {"title": machine_text(brief, "title"), "summary": machine_text(brief, "summary")},
        "models": {"title": model_of(brief, "title"), "summary": model_of(brief, "summary")},
        "status": status_of(fields), "state": t["state"], "position": position,
        "approval": _approval(fields, t["approval_changes"]) if status_of(fields) == "approved" else None,
        "edited": bool(edited), "stale": t["stale"], "edits": {f: _edit(e) for f, e in edited.items()},
        "language": brief.get("language"), "site": source.get("site"), "url": source.get("url"),
        "page": f"{brief['id']}.html", "flags": flags,
        "flag_counts": {"check": sum(1 for f in flags if f["check"]), "note": sum(1 for f in flags if not f["check"])},
        "sentences": [_sentence(brief, s, k, edited) for k, s in enumerate(shown.get("sentences") or [])],
        "attention": t["attention"], "categories": t["categories"],
    }


def _approval(fields: Mapping[str, EditRow], since: list[dict[str, Any]]) -> dict[str, Any]:
    row = fields["status"]
    return {"at": row.at, "author": row.author, "changes": since}


def _edit(e: Mapping[str, Any]) -> dict[str, Any]:
    return {**e, "diff": word_diff(e["machine"], e["value"]),
            "diff_now": word_diff(e["machine"], e["machine_now"]) if e["stale"] else []}


def _sentence(brief: Mapping[str, Any], s: Mapping[str, Any], k: int, edited: Mapping[str, dict]) -> dict[str, Any]:
    field = f"sentence:{k}"
    return {"i": s.get("i"), "p": s.get("p"), "ar": s.get("ar"), "en": s.get("en"),
            "machine_en": machine_text(brief, field), "edited": field in edited,
            "stale": bool(edited.get(field, {}).get("stale")), "flags": sentence_flags(s), "score": s.get("score"),
            "confidence": confidence(s), "model": model_of(brief, field)}


def categories(entry: Mapping[str, Any]) -> list[str]:
    """The filters a story falls under. `attention`: not yet decided (pending) with something to
    check, or changed since approval, or an edit gone stale."""
    state = entry["state"]
    out = ["all"]
    if state == "changed" or entry["stale"] or (state == "pending" and entry["attention"] > 0):
        out.append("attention")
    if state in ("pending", "approved", "changed"):
        out.append(state)
    if entry["edited"]:
        out.append("edited")
    if entry["stale"]:
        out.append("stale")
    return out


def filter_counts(entries: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many stories each filter shows, and each state (rejected included)."""
    counts = {name: 0 for name in (*FILTERS, "rejected")}
    for entry in entries:
        for name in entry["categories"]:
            counts[name] += 1
        counts["rejected"] += entry["state"] == "rejected"
    return counts


def by_attention(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stories most in need of a look first (ties keep the day's order)."""
    return sorted(entries, key=lambda e: -e["attention"])


def is_text(field: str) -> bool:
    """A field that holds text (not status or position)."""
    return is_field(field) and field not in ("status", "position")


def day_counts(briefs: list[Mapping[str, Any]], current: Mapping[str, Mapping[str, EditRow]]
               ) -> list[dict[str, Any]]:
    """Per day (newest first): briefs, pending, approved, changed (since approval), rejected,
    edited, stale."""
    days: dict[str, dict[str, int]] = {}
    for brief in briefs:
        day = story_day(brief)
        counts = days.setdefault(day.isoformat() if day else "undated", {
            "briefs": 0, "pending": 0, "approved": 0, "changed": 0, "rejected": 0, "edited": 0, "stale": 0})
        fields = current.get(brief["id"], {})
        counts["briefs"] += 1
        counts[state_of(brief, fields)[0]] += 1
        texts = [(f, r) for f, r in fields.items() if is_text(f) and r.value is not None]
        counts["edited"] += bool(texts)
        counts["stale"] += any(r.machine_hash != text_hash(machine_text(brief, f)) for f, r in texts)
    return [{"day": d, **c} for d, c in sorted(days.items(), reverse=True)]
