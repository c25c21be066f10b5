"""A run and the folder's names memory (store.names): the house spellings go into the pipeline as
plain data before the first article; what the run met comes back out after the last."""

from __future__ import annotations

from typing import Any

from ..pipeline import Pipeline
from ..store.names import NameMemory
from ..store.state import Store


def house_names(store: Store) -> dict[str, str]:
    """{Arabic key: house spelling} of the folder."""
    return NameMemory(store).spellings()


def remember_names(store: Store, run_id: int, pipeline: Pipeline) -> dict[str, Any]:
    """Write back the spellings the run met (with their briefs) and those it fixed first-seen or
    from its glossary; returns the run report's `names_memory` entry."""
    book = pipeline.names
    glossary = pipeline.glossary.name_spellings() if pipeline.glossary else {}
    met = {word: {spelling: dict(where) for spelling, where in spellings.items()}
           for word, spellings in book.met.items()}
    changed = NameMemory(store).record_run(run_id, met, book.first_seen(), glossary)
    return {"fixed_spellings": len(book.fixed), "set_by_this_run": {k: book.spelling[k] for k in changed}}
