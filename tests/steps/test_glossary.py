"""Glossary placement with a chosen alignment: a term replaces the words aligned with it, or is
inserted when nothing aligns. The tiny model gives the real tokenizer; only the alignment is chosen,
so each assertion below fails if placement stops using it (random weights cannot show this)."""

from __future__ import annotations

import dataclasses

import pytest

from summarizer.runs.glossary_file import read_glossary
from summarizer.steps.glossary import Glossary, Term, place_term
from tests.helpers import write

SOURCE = "وأكد أن العمل مستمر في ميناء العقبة حتى نهاية العام."


class ChosenAlignment:
    """An engine whose alignment sends the target tokens of `word` to the term's source tokens."""

    def __init__(self, model, word: str | None) -> None:
        self.model, self.word = model, word

    def align(self, source, target, prefix=()):
        tok = self.model.tokenizer
        term_start = _term_position(tok, SOURCE, "العقبة")
        pieces = [tok.decode([t], skip_special_tokens=True) for t in target]
        return [term_start if self.word and _in_word(pieces, k, self.word) else 0 for k in range(len(pieces))]


def _in_word(pieces: list[str], k: int, word: str) -> bool:
    """Does target piece k belong to the (first) occurrence of `word` in the decoded pieces?"""
    text = ""
    spans = []
    for piece in pieces:
        spans.append((len(text), len(text) + len(piece)))
        text += piece
    at = text.find(word)
    return at >= 0 and spans[k][0] < at + len(word) and spans[k][1] > at and bool(pieces[k].strip())


def _term_position(tokenizer, source: str, term: str) -> int:
    ids = tokenizer(source, add_special_tokens=True)["input_ids"]
    before = tokenizer(source[:source.index(term)], add_special_tokens=False)["input_ids"]
    return len(before) + (1 if ids and ids[0] != tokenizer(source, add_special_tokens=False)["input_ids"][0] else 0)


@pytest.fixture(scope="module")
def marian(registry):
    return registry.get("tiny-marian-ar-en")


def _place(marian, translation: str, word: str | None):
    model = dataclasses.replace(marian, engine=ChosenAlignment(marian, word))
    glossary = Glossary([Term("العقبة", "Aqaba")])
    [hit] = glossary.find(SOURCE)
    return place_term(model, SOURCE, translation, hit, prefix=())


def test_the_term_replaces_the_words_aligned_with_it(marian):
    text, how = _place(marian, "work continues in the port of Akaba until the end of the year", "Akaba")
    assert how == "placed"
    assert "Akaba" not in text and text.count("Aqaba") == 1
    assert text.startswith("work continues in the port of") and text.endswith("until the end of the year")


def test_with_nothing_aligned_the_term_is_inserted_and_nothing_is_lost(marian):
    text, how = _place(marian, "work continues in the port until the end of the year", None)
    assert how == "inserted"
    assert text.count("Aqaba") == 1
    assert text.replace("Aqaba", "").split() == "work continues in the port until the end of the year".split()


def test_glossary_files_in_the_encodings_spreadsheets_write(tmp_path):
    rows = "ar,en\nالحشد الشعبي,Popular Mobilization Forces of Iraq and their allies\nالعقبة,Aqaba\n"
    for name, data in (("utf8.csv", rows.encode("utf-8")), ("bom.csv", rows.encode("utf-8-sig")),
                       ("utf16.csv", rows.encode("utf-16")), ("cp1256.csv", rows.encode("cp1256"))):
        glossary = read_glossary(write(tmp_path / name, data))
        assert [(t.ar, t.en) for t in glossary.terms] == [("الحشد الشعبي", "Popular Mobilization Forces of Iraq "
                                                                          "and their allies"),
                                                          ("العقبة", "Aqaba")], name
