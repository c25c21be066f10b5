"""An approval is of a text: what the editor saw when approving, and what changed since.

`seen(brief, fields)` is what an approval records (JSON in the approval's row of the edits log):
for the title, the summary and every sentence as shown (the editors' text where they changed it,
else the machine's) the text itself, its hash, the hash of the machine text under it and the model
that made that machine text. `changes(seen, brief, fields)` compares it with what the story shows
now: every field whose shown text differs, with the approved text, the text now, a word diff, who
changed it ("machine": a later run made other machine text; "editor": an edit after the approval)
and the models. A story with a change by the machine is *changed since approval*: out of the
digest until approved again. An editor's own edit after the approval (made over the machine text
as it is now) keeps the story approved, with the edit listed: an editor wrote and saw that text;
nothing goes out that no editor saw. An approval from before approvals kept their text (no `seen`) counts as changed:
nothing goes out that nobody can show was approved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..store.edits import EditRow, machine_text, model_of, overlay, text_hash
from ..text.diff import word_diff


def shown_fields(brief: Mapping[str, Any], fields: Mapping[str, EditRow]) -> dict[str, dict[str, Any]]:
    """{field: {text, hash, machine_hash, model, edited}} of what the story shows now."""
    shown, edited = overlay(brief, fields)
    names = ["title", "summary", *(f"sentence:{k}" for k in range(len(shown.get("sentences") or [])))]
    out = {}
    for field in names:
        text = machine_text(shown, field)
        out[field] = {"text": text, "hash": text_hash(text), "machine_hash": text_hash(machine_text(brief, field)),
                      "model": model_of(brief, field), "edited": field in edited}
    return out


def seen(brief: Mapping[str, Any], fields: Mapping[str, EditRow]) -> str:
    """What an approval records (see the module doc), as JSON."""
    return json.dumps({"brief": brief.get("id"), "fields": shown_fields(brief, fields)}, ensure_ascii=False)


def approved_fields(row: EditRow | None) -> dict[str, dict[str, Any]] | None:
    """The fields an approval row recorded (None: not an approval, or one that kept no text)."""
    if row is None or row.value != "approved" or not row.seen:
        return None
    try:
        return dict(json.loads(row.seen)["fields"])
    except (ValueError, KeyError, TypeError):
        return None


def changes(row: EditRow, brief: Mapping[str, Any], fields: Mapping[str, EditRow]) -> list[dict[str, Any]]:
    """What changed since the approval `row` (see the module doc); [] when nothing did."""
    approved = approved_fields(row)
    if approved is None:
        return [{"field": "*", "approved": None, "now": None, "diff": [], "by": "unknown",
                 "model_approved": None, "model_now": None,
                 "why": "approved before approvals kept the text approved: approve again"}]
    now = shown_fields(brief, fields)
    out = []
    for field in sorted(set(approved) | set(now), key=_field_order):
        was, new = approved.get(field), now.get(field)
        if was is not None and new is not None and was["hash"] == new["hash"]:
            continue
        by = _by(field, was, new, row, fields)
        before, after = (was or {}).get("text"), (new or {}).get("text")
        out.append({"field": field, "approved": before, "now": after, "diff": word_diff(before or "", after or ""),
                    "by": by, "model_approved": (was or {}).get("model"), "model_now": (new or {}).get("model"),
                    "why": _why(field, was, new, by)})
    return out


def _by(field: str, was: Mapping | None, new: Mapping | None, approval: EditRow,
        fields: Mapping[str, EditRow]) -> str:
    """Who changed a field since the approval: "editor" (an edit made after the approval over the
    machine text as it is now, or an undo back to an unchanged machine text) or "machine"."""
    if was is None or new is None:
        return "machine"
    edit = fields.get(field)
    if edit is not None and edit.seq > approval.seq and edit.value is not None and \
            edit.machine_hash == new["machine_hash"]:
        return "editor"
    return "machine" if was["machine_hash"] != new["machine_hash"] else "editor"


def machine_changes(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes that make a story changed since approval (not an editor's own later edits)."""
    return [c for c in found if c["by"] != "editor"]


def _why(field: str, was: Mapping | None, new: Mapping | None, by: str) -> str:
    name = "the title" if field == "title" else "the summary" if field == "summary" else f"sentence {field[9:]}"
    if was is None:
        return f"{name} is new since the approval"
    if new is None:
        return f"{name} is gone since the approval"
    if by == "editor":
        return f"{name} was edited after the approval"
    models = f" ({was.get('model')} -> {new.get('model')})" if was.get("model") != new.get("model") else ""
    return f"a later run changed {name}{models}"


def _field_order(field: str) -> tuple[int, int]:
    return (0, 0) if field == "title" else (1, 0) if field == "summary" else (2, int(field[9:]))
