"""The word diff an editor reads: runs of changed words, like `git diff --word-diff`."""

from __future__ import annotations

from summarizer.text.diff import word_diff

MACHINE = "The port will expand the south quay at a cost of 120 million"
EDITED = "The harbour authority expands its southern quay at a cost of 120 million dinars"


def test_consecutive_changes_are_one_run_of_deleted_then_inserted_words():
    ops = word_diff(MACHINE, EDITED)
    assert ops == [{"op": "equal", "text": "The "},
                   {"op": "delete", "text": "port will expand the south"},
                   {"op": "insert", "text": "harbour authority expands its southern"},
                   {"op": "equal", "text": " quay at a cost of 120 million"},
                   {"op": "insert", "text": " dinars"}]
    kinds = [o["op"] for o in ops]
    assert not any(a != "equal" and b != "equal" and a == b for a, b in zip(kinds, kinds[1:]))  # never two in a row
    assert "".join(o["text"] for o in ops if o["op"] != "delete") == EDITED
    assert "".join(o["text"] for o in ops if o["op"] != "insert") == MACHINE


def test_unchanged_words_between_changes_keep_them_apart():
    ops = word_diff("one two three four five", "uno two three four cinco")
    assert [o["op"] for o in ops] == ["delete", "insert", "equal", "delete", "insert"]
    assert word_diff("same text", "same text") == [{"op": "equal", "text": "same text"}]
    assert word_diff("", "new words") == [{"op": "insert", "text": "new words"}]
