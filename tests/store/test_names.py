"""The names memory's rows: an editor's spelling outranks a glossary's, which outranks a run's
first-seen one; a first-seen spelling never replaces anything; every change is logged."""

from __future__ import annotations

from summarizer.store.names import NameMemory
from summarizer.store.state import Store


def test_sources_rank_editor_glossary_first_seen():
    memory = NameMemory(Store(":memory:"))
    assert memory.record_run(1, {}, {"كاظمي": ("Kazemi", "b1")}, {}) == ["كاظمي"]
    assert memory.get("كاظمي")[:5] == ("كاظمي", "Kazemi", "first_seen", "b1", 1)
    assert memory.record_run(2, {}, {"كاظمي": ("Kadhimi", "b2")}, {}) == []  # first seen again: kept as it was
    assert memory.set("كاظمي", "Kadhimi", "glossary").source == "glossary"
    assert memory.set("كاظمي", "Kadhemi", "editor", brief_id="b3").english == "Kadhemi"
    assert memory.record_run(3, {}, {}, {"كاظمي": "Kazimi"}) == []  # a run's glossary does not undo an editor
    assert memory.set("كاظمي", "Al-Kadhimi", "editor").english == "Al-Kadhimi"  # an editor can change it again
    assert [(c["english"], c["previous"], c["source"]) for c in memory.changes("كاظمي")] == [
        ("Kazemi", None, "first_seen"), ("Kadhimi", "Kazemi", "glossary"), ("Kadhemi", "Kadhimi", "editor"),
        ("Al-Kadhimi", "Kadhemi", "editor")]
    assert memory.spellings() == {"كاظمي": "Al-Kadhimi"}


def test_the_variants_met_keep_their_briefs_and_runs():
    memory = NameMemory(Store(":memory:"))
    memory.record_run(1, {"كاظمي": {"Kazemi": {"b1": 2}, "Kadhimi": {"b2": 1}}}, {"كاظمي": ("Kazemi", "b1")}, {})
    memory.record_run(2, {"كاظمي": {"Kadhimi": {"b3": 1}}}, {}, {})
    assert sorted((v.spelling, v.brief_id, v.run_id, v.count) for v in memory.variants("كاظمي")) == [
        ("Kadhimi", "b2", 1, 1), ("Kadhimi", "b3", 2, 1), ("Kazemi", "b1", 1, 2)]
