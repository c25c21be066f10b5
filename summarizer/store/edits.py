"""Editors' work, kept apart from machine text: an append-only log in the state database.

Every change an editor makes is one row of `edits`: the brief, the field (`summary`, `title`,
`status`, `sentence:N`, or `order:DAY` for a move, whose value is the day's whole order after it),
the new value, the time, and a hash of the machine text the editor saw. Nothing is ever updated or deleted: the current value of a field is its latest row,
and undo appends a row that restores the value before the edit it undoes. Runs write machine
fields (the brief files) only, so no run can overwrite an edit; when a later run changes the
machine text under an edit, the edit stays and is *stale* (its hash no longer matches). An edited
sentence translation is also a human translation in the translation memory, used before any
machine translation of the same sentence in later runs.

Each row also keeps who made it (`author`), the machine text the editor corrected (`machine`, the
text itself, not only its hash) and the model that made it (`model`), so a stale edit still shows
what it corrected and `eval edits` credits the right model. An approval (field `status`, value
`approved`) keeps in `seen` what the editor approved: the title, summary and every shown sentence,
each with its hash, the hash of the machine text under it and the model that made it (JSON; see
desk.approvals).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
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
    author: str | None = None
    machine: str | None = None  # the machine text the editor corrected (None in logs from before m033)
    model: str | None = None  # the model that made that machine text
    seen: str | None = None  # an approval: JSON of what was approved (desk.approvals)


class Change(NamedTuple):
    """One field's change as Edits.add takes it."""

    value: str | None
    machine: str | None = None  # the machine text the editor saw under the field
    model: str | None = None
    seen: str | None = None


COLUMNS = "seq, brief_id, field, value, machine_hash, at, undoes, author, machine, model, seen"
_INSERT = ("INSERT INTO edits (brief_id, field, value, machine_hash, at, undoes, author, machine, model, seen) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


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
        wanted = None if brief_ids is None else set(brief_ids)
        few = wanted is not None and len(wanted) <= 200  # one story's or a page's: ask for those alone
        where = f" WHERE brief_id IN ({', '.join('?' * len(wanted))})" if few else ""
        sql = (f"SELECT {', '.join('e.' + c for c in COLUMNS.split(', '))} FROM edits e JOIN "
               f"(SELECT brief_id, field, max(seq) AS seq FROM edits{where} GROUP BY brief_id, field) last "
               "ON last.seq = e.seq")
        out: dict[str, dict[str, EditRow]] = {}
        for row in map(EditRow._make, self.store.query(sql, tuple(wanted) if few else ())):
            if wanted is None or row.brief_id in wanted:
                out.setdefault(row.brief_id, {})[row.field] = row
        return out

    def history(self, brief_id: str) -> list[EditRow]:
        """Every row of a brief, oldest first."""
        return [EditRow._make(r) for r in self.store.query(
            f"SELECT {COLUMNS} FROM edits WHERE brief_id = ? ORDER BY seq",
            (brief_id,))]

    def add(self, brief_id: str, changes: Mapping[str, Change | tuple], sources: Mapping[int, str] | None = None,
            author: str | None = None, also: Iterable[tuple[str, Iterable[tuple]]] = ()) -> list[EditRow]:
        """Append edits in one transaction: {field: Change(new value, machine text the editor saw,
        its model, what an approval saw)} (a tuple works too).

        `sources` gives the source sentence of each edited `sentence:N`: its new translation goes
        into the translation memory as a human one. `also`: more statements for the same
        transaction (the search index's rows of the brief, as edited).
        """
        at = _now()
        made = {field: Change(*change) for field, change in changes.items()}
        rows = [(brief_id, field, c.value, text_hash(c.machine) if c.machine is not None else None, at, None, author,
                 c.machine, c.model, c.seen) for field, c in made.items()]
        human = [(sentence_key(sources[int(f[9:])]), sources[int(f[9:])], c.value, brief_id, at)
                 for f, c in made.items() if f.startswith("sentence:") and c.value and sources
                 and int(f[9:]) in sources]
        self.store.write_all([(_INSERT, rows), ("INSERT OR REPLACE INTO human_translations VALUES (?, ?, ?, ?, ?)",
                                                human), *also])
        return [r for r in self.history(brief_id) if r.at == at]

    def undo(self, brief_id: str, sources: Mapping[int, str] | None = None, author: str | None = None,
             also: Callable[[EditRow], Iterable[tuple[str, Iterable[tuple]]]] | None = None) -> EditRow | None:
        """Undo the brief's latest edit that is not an undo and not undone; returns the row appended.
        `also(row)` gives more statements for the same transaction, from the row to append."""
        target = self.undo_target(brief_id)
        if target is None:
            return None
        log = self.history(brief_id)
        if target.field.startswith("order:"):  # a day's order is one value across its briefs
            before = self._latest(target.field, below=target.seq)
        else:
            before = next((r for r in reversed(log) if r.field == target.field and r.seq < target.seq), None)
        back = before or EditRow(0, brief_id, target.field, None, None, "", None)
        row = EditRow(0, brief_id, target.field, back.value, back.machine_hash if before else target.machine_hash,
                      _now(), target.seq, author, back.machine, back.model, back.seen)
        statements: list[tuple[str, Iterable[tuple]]] = [(_INSERT, [row[1:]])]
        if target.field.startswith("sentence:") and sources and int(target.field[9:]) in sources:
            source = sources[int(target.field[9:])]
            if row.value:
                statements.append(("INSERT OR REPLACE INTO human_translations VALUES (?, ?, ?, ?, ?)",
                                   [(sentence_key(source), source, row.value, brief_id, row.at)]))
            else:
                statements.append(("DELETE FROM human_translations WHERE sentence_key = ?", [(sentence_key(source),)]))
        self.store.write_all([*statements, *(also(row) if also else ())])
        return self.history(brief_id)[-1]

    def undo_target(self, brief_id: str) -> EditRow | None:
        """The row `undo` would undo (None: nothing to undo)."""
        log = self.history(brief_id)
        undone = {r.undoes for r in log if r.undoes is not None}
        return next((r for r in reversed(log) if r.undoes is None and r.seq not in undone), None)

    def _latest(self, field: str, below: int | None = None) -> EditRow | None:
        sql = f"SELECT {COLUMNS} FROM edits WHERE field = ?"
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
    {field: {value, machine, machine_now, model, stale, at, author}} for every text field whose
    current value is an edit. `machine` is the machine text the editor corrected, `machine_now` the
    machine text under the edit now (they differ when the edit is stale: a later run changed it)."""
    shown = dict(brief)  # a new dict for each part an edit replaces; the brief itself is never changed
    shown["sentences"] = list(brief.get("sentences") or [])
    edited: dict[str, dict] = {}
    for field, row in fields.items():
        if not is_field(field) or row.value is None:
            continue
        now = machine_text(brief, field)
        stale = row.machine_hash != text_hash(now)
        edited[field] = {"value": row.value, "machine": row.machine if row.machine is not None else now,
                         "machine_now": now, "model": row.model, "stale": stale, "at": row.at, "author": row.author}
        if field == "summary":
            shown["summary"] = {**shown.get("summary", {}), "en": row.value,
                                "en_sentences": [row.value], "machine_en": now}
            shown["summary_links"] = []  # the machine summary's links do not hold for the editor's text
        elif field == "title":
            shown["title"] = {**shown.get("title", {}), "en": row.value, "machine_en": now}
        else:
            k = int(field[9:])
            if k < len(shown.get("sentences") or []):
                shown["sentences"][k] = {**shown["sentences"][k], "en": row.value, "machine_en": now}
    return shown, edited


def model_of(brief: Mapping, field: str) -> str | None:
    """The model that made a field's machine text: the translator for the title and sentences (an
    editor's translation from the memory for a `human_translation` sentence, the profile's fallback
    translator for a `fallback_model` one), the summariser for the summary, or the translator for
    a lead summary (the first sentences of the translation)."""
    models = brief.get("models") or {}
    translator = (models.get("translate") or {}).get("name")
    if field == "summary":
        return (models.get("summarize") or {}).get("name") or translator
    if field.startswith("sentence:"):
        k = int(field[9:])
        sentences = brief.get("sentences") or []
        flags = (sentences[k].get("flags") or []) if k < len(sentences) else []
        if "human_translation" in flags:
            return "human translation (memory)"
        if "fallback_model" in flags:
            return f"fallback of {translator}" if translator else "fallback translator"
    return translator
