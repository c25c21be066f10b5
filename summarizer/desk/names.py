"""The house style of names, for people: list the names memory of an output folder, set a house
spelling, export it as a glossary file, and (for the review page) the names of a brief and the
spellings an editor's change offers to make the house's.

A name is keyed as the names step keys it (steps.names: one Arabic word, normalised, without
the article or an attached conjunction), so «الكاظمي» and «كاظمي» are one name. A house spelling
set here is used by every later run before its own first-seen rule (runs.names); briefs already
made change only through editors' edits (`apply_to_day`), never behind the editors' backs.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..steps.names import base_form, names_in, respell
from ..store.atomic import atomic_write
from ..store.edits import machine_text, overlay
from ..store.names import NameMemory
from ..store.outdir import state_path
from ..store.state import Store
from .review import Review, ReviewError

ARABIC_WORD_RE = re.compile(r"^[\u0621-\u064a\u0640\u064b-\u0652\u0670\u0671]+$")
MAX_SPELLING = 80


def name_key(arabic: str) -> str:
    """The memory's key of an Arabic name (ReviewError for anything but one Arabic word)."""
    word = " ".join(str(arabic or "").split())
    if not word or " " in word or not ARABIC_WORD_RE.match(word):
        raise ReviewError(f"give one Arabic word, as the names step keys names (e.g. الكاظمي), not {arabic!r}; "
                          f"a name of several words goes in a glossary file (--glossary)")
    return base_form(word)


def spelling_of(english: str) -> str:
    """A house spelling, checked: Latin letters, one line, at most 80 characters."""
    text = " ".join(str(english or "").split())
    if not text or len(text) > MAX_SPELLING or not re.search(r"[A-Za-z]", text) or re.search(r"[\u0600-\u06ff]", text):
        raise ReviewError(f"a house spelling is an English name of 1-{MAX_SPELLING} characters, not {english!r}")
    return text


def _memory(folder: str | Path, state: str | Path | None) -> Store:
    return Store.existing(state_path(folder, Path(state) if state else None), folder)


def list_names(folder: str | Path, state: str | Path | None = None) -> list[dict[str, Any]]:
    """Every name of the memory: house spelling, source, where it came from, the other spellings
    met (with their briefs and runs, and how often) and how the house spelling changed."""
    store = _memory(folder, state)
    try:
        memory = NameMemory(store)
        met: dict[str, dict[str, dict[str, Any]]] = {}
        for v in memory.variants():
            entry = met.setdefault(v.arabic, {}).setdefault(v.spelling, {"count": 0, "briefs": [], "runs": []})
            entry["count"] += v.count
            if v.brief_id and v.brief_id not in entry["briefs"]:
                entry["briefs"].append(v.brief_id)
            if v.run_id and v.run_id not in entry["runs"]:
                entry["runs"].append(v.run_id)
        return [{"arabic": r.arabic, "english": r.english, "source": r.source, "brief": r.brief_id, "run": r.run_id,
                 "at": r.at, "seen": sum(e["count"] for e in met.get(r.arabic, {}).values()),
                 "variants": [{"spelling": s, **e} for s, e in met.get(r.arabic, {}).items() if s != r.english],
                 "changes": memory.changes(r.arabic)} for r in memory.rows()]
    finally:
        store.close()


def set_name(folder: str | Path, arabic: str, english: str, state: str | Path | None = None,
             brief_id: str | None = None) -> dict[str, Any]:
    """Make `english` the house spelling of the Arabic name (an editor's: no run overrides it)."""
    key, spelling = name_key(arabic), spelling_of(english)
    store = _memory(folder, state)
    try:
        row = NameMemory(store).set(key, spelling, "editor", brief_id)
    finally:
        store.close()
    return row._asdict()


def export_names(folder: str | Path, target: str | Path, state: str | Path | None = None) -> int:
    """Write the house spellings as a glossary CSV (`arabic,english,note`, UTF-8), the format
    `summarizer run --glossary` reads; returns how many rows."""
    rows = list_names(folder, state)
    if not rows:
        raise ConfigError(f"the names memory of {folder} is empty: nothing to export")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["arabic", "english", "note"])
    for row in rows:
        writer.writerow([row["arabic"], row["english"], f"house spelling ({row['source']})"])
    atomic_write(Path(target), buffer.getvalue())
    return len(rows)


def _sources(brief: Mapping[str, Any]) -> dict[str, str]:
    """The Arabic each English field of a brief renders (the summary draws on the whole article)."""
    sentences = brief.get("sentences") or []
    whole = " ".join([str((brief.get("title") or {}).get("ar") or "")] + [str(s.get("ar") or "") for s in sentences])
    fields = {"title": str((brief.get("title") or {}).get("ar") or ""), "summary": whole}
    fields.update({f"sentence:{k}": str(s.get("ar") or "") for k, s in enumerate(sentences)})
    return fields


def brief_names(review: Review, brief_id: str) -> dict[str, Any]:
    """The names of a brief for the page: each with its house spelling and the spellings in the
    brief now; and the offers: a name whose machine text had the house spelling (or had none yet)
    and that an editor's edit spells another way."""
    brief = review._load(brief_id)
    fields = review.edits.current([brief_id]).get(brief_id, {})
    _, edited = overlay(brief, fields)
    house = NameMemory(review.store)
    names: dict[str, dict[str, Any]] = {}
    offers = []
    for field, source in _sources(brief).items():
        machine = dict(names_in(source, machine_text(brief, field)))
        shown = dict(names_in(source, edited[field]["value"])) if field in edited else machine
        for key, spelling in shown.items():
            row = house.get(key)
            entry = names.setdefault(key, {"arabic": key, "house": row.english if row else None,
                                           "source": row.source if row else None, "spellings": []})
            if spelling not in entry["spellings"]:
                entry["spellings"].append(spelling)
            was = machine.get(key)
            if field in edited and was is not None and spelling != was and (row is None or row.english == was) \
                    and not any(o["arabic"] == key and o["to"] == spelling for o in offers):
                offers.append({"arabic": key, "from": was, "to": spelling, "field": field})
    return {"id": brief_id, "names": list(names.values()), "offers": offers}


def apply_to_day(review: Review, arabic: str, english: str, day: date, skip: str | None = None) -> list[dict]:
    """Respell a name in the day's briefs as editors' edits (the log keeps them; undo works), in
    every English field whose Arabic has the name; `skip`: a brief left as it is. Returns
    [{brief, field, from}] changed."""
    key, spelling = name_key(arabic), spelling_of(english)
    done = []
    for entry in review.day(day):
        if entry["id"] == skip:
            continue
        brief = review._load(entry["id"])
        _, edited = overlay(brief, review.edits.current([entry["id"]]).get(entry["id"], {}))
        changes: dict[str, tuple[str | None, str | None]] = {}
        for field, source in _sources(brief).items():
            text = edited[field]["value"] if field in edited else machine_text(brief, field)
            new = text
            for found_key, found in names_in(source, text):
                if found_key == key and found != spelling:
                    new = respell(new, found, spelling)
                    done.append({"brief": entry["id"], "field": field, "from": found})
            if new != text:
                changes[field] = (new, machine_text(brief, field))
        if changes:
            sentences = {k: s.get("ar", "") for k, s in enumerate(brief.get("sentences") or [])}
            review.edits.add(entry["id"], changes, sentences)
            review._render(entry["id"])
    return done
