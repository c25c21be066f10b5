"""Editors' work, kept apart from machine text: an append-only log in the state database.

Every change an editor makes is one row of `edits`: the brief, the field (`summary`, `title`,
`status`, `sentence:N`, or `order:DAY` for a move, whose value is the day's whole order after it),
the new value, the time, and a hash of the machine text the editor saw. Nothing is ever updated or deleted: the current value of a field is its latest row,
and undo appends a row that restores the value before the edit it undoes. Runs write machine
fields (the brief files) only, so no run can overwrite an edit; when a later run changes the
machine text under an edit, the edit stays and is *stale* (its hash no longer matches). An edited
sentence translation is also a human translation in the translation memory, used before any
machine translation of the same sentence in later runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import NamedTuple

from ..text.arabic import sentence_key
from .state import Store

STATUSES = ("pending", "approved", "rejected")
TEXT_FIELDS = ("summary", "title")


class EditRow(NamedTuple):
    """One entry of the log."""

    seq: int
    brief_id: str
    field: str
    value: str | None  # None: back to the machine text (an undo of the first edit)
    machine_hash: str | None
    at: str
    undoes: int | None


def text_hash(text: str | None) -> str:
    """The hash an edit keeps of the machine text it was made over."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:16]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def is_field(field: str) -> bool:
    """A field whose value is text an editor wrote (not a status or an order)."""
    return field in TEXT_FIELDS or (field.startswith("sentence:") and field[9:].isdigit())


class Edits:
    """The log of one output folder's state database (see the module doc)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def current(self, brief_ids: Iterable[str] | None = None) -> dict[str, dict[str, EditRow]]:
        """The latest row of every edited field, per brief (all briefs when `brief_ids` is None)."""
        sql = ("SELECT e.seq, e.brief_id, e.field, e.value, e.machine_hash, e.at, e.undoes FROM edits e JOIN "
               "(SELECT brief_id, field, max(seq) AS seq FROM edits GROUP BY brief_id, field) last ON last.seq = e.seq")
        out: dict[str, dict[str, EditRow]] = {}
        wanted = None if brief_ids is None else set(brief_ids)
        for row in map(EditRow._make, self.store.query(sql)):
            if wanted is None or row.brief_id in wanted:
                out.setdefault(row.brief_id, {})[row.field] = row
        return out

    def history(self, brief_id: str) -> list[EditRow]:
        """Every row of a brief, oldest first."""
        return [EditRow._make(r) for r in self.store.query(
            "SELECT seq, brief_id, field, value, machine_hash, at, undoes FROM edits WHERE brief_id = ? ORDER BY seq",
            (brief_id,))]

    def add(self, brief_id: str, changes: Mapping[str, tuple[str | None, str | None]],
            sources: Mapping[int, str] | None = None) -> list[EditRow]:
        """Append edits in one transaction: {field: (new value, machine text the editor saw)}.

        `sources` gives the source sentence of each edited `sentence:N`: its new translation goes
        into the translation memory as a human one.
        """
        at = _now()
        rows = [(brief_id, field, value, text_hash(machine) if machine is not None else None, at, None)
                for field, (value, machine) in changes.items()]
        human = [(sentence_key(sources[int(f[9:])]), sources[int(f[9:])], value, brief_id, at)
                 for f, (value, _) in changes.items() if f.startswith("sentence:") and value and sources
                 and int(f[9:]) in sources]
        self.store.write_all([
            ("INSERT INTO edits (brief_id, field, value, machine_hash, at, undoes) VALUES (?, ?, ?, ?, ?, ?)", rows),
            ("INSERT OR REPLACE INTO human_translations VALUES (?, ?, ?, ?, ?)", human)])
        return [r for r in self.history(brief_id) if r.at == at]

    def undo(self, brief_id: str, sources: Mapping[int, str] | None = None) -> EditRow | None:
        """Undo the brief's latest edit that is not an undo and not undone; returns the row appended."""
        log = self.history(brief_id)
        undone = {r.undoes for r in log if r.undoes is not None}
        target = next((r for r in reversed(log) if r.undoes is None and r.seq not in undone), None)
        if target is None:
            return None
        if target.field.startswith("order:"):  # a day's order is one value across its briefs
            before = self._latest(target.field, below=target.seq)
        else:
            before = next((r for r in reversed(log) if r.field == target.field and r.seq < target.seq), None)
        value = before.value if before is not None else None
        rows = [(brief_id, target.field, value, target.machine_hash, _now(), target.seq)]
        statements = [("INSERT INTO edits (brief_id, field, value, machine_hash, at, undoes) VALUES (?, ?, ?, ?, ?, ?)",
                       rows)]
        if target.field.startswith("sentence:") and sources and int(target.field[9:]) in sources:
            source = sources[int(target.field[9:])]
            if value:
                statements.append(("INSERT OR REPLACE INTO human_translations VALUES (?, ?, ?, ?, ?)",
                                   [(sentence_key(source), source, value, brief_id, rows[0][4])]))
            else:
                statements.append(("DELETE FROM human_translations WHERE sentence_key = ?", [(sentence_key(source),)]))
        self.store.write_all(statements)
        return self.history(brief_id)[-1]

    def _latest(self, field: str, below: int | None = None) -> EditRow | None:
        sql = "SELECT seq, brief_id, field, value, machine_hash, at, undoes FROM edits WHERE field = ?"
        args: tuple = (field,)
        if below is not None:
            sql, args = sql + " AND seq < ?", (field, below)
        rows = self.store.query(sql + " ORDER BY seq DESC LIMIT 1", args)
        return EditRow._make(rows[0]) if rows else None

    def order(self, day: str) -> list[str] | None:
        """The editors' order of a day (brief ids, as of the latest move), or None when nothing moved."""
        import json

        row = self._latest(f"order:{day}")
        return json.loads(row.value) if row is not None and row.value else None

    def day_status(self) -> dict[str, str]:
        """The current status of every brief that has one."""
        return {b: f["status"].value or "pending" for b, f in self.current().items() if "status" in f}


def machine_text(brief: Mapping, field: str) -> str:
    """The machine text of a field of a brief dict."""
    if field == "summary":
        return str((brief.get("summary") or {}).get("en") or "")
    if field == "title":
        return str((brief.get("title") or {}).get("en") or "")
    if field.startswith("sentence:"):
        k = int(field[9:])
        sentences = brief.get("sentences") or []
        return str(sentences[k].get("en") or "") if k < len(sentences) else ""
    return ""


def overlay(brief: Mapping, fields: Mapping[str, EditRow]) -> tuple[dict, dict[str, dict]]:
    """The brief with its editors' text in place of the machine's, and what was edited:
    {field: {value, machine, stale, at}} for every text field whose current value is an edit."""
    import copy

    shown = copy.deepcopy(dict(brief))
    edited: dict[str, dict] = {}
    for field, row in fields.items():
        if not is_field(field) or row.value is None:
            continue
        machine = machine_text(brief, field)
        edited[field] = {"value": row.value, "machine": machine, "stale": row.machine_hash != text_hash(machine),
                         "at": row.at}
        if field == "summary":
            shown["summary"] = {**shown.get("summary", {}), "en": row.value,
                                "en_sentences": [row.value], "machine_en": machine}
            shown["summary_links"] = []  # the machine summary's links do not hold for the editor's text
        elif field == "title":
            shown["title"] = {**shown.get("title", {}), "en": row.value, "machine_en": machine}
        else:
            k = int(field[9:])
            if k < len(shown.get("sentences") or []):
                shown["sentences"][k] = {**shown["sentences"][k], "en": row.value, "machine_en": machine}
    return shown, edited
