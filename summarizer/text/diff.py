"""A word diff: what an editor changed in a machine text, word by word (pure)."""

from __future__ import annotations

import difflib
import re

_TOKEN_RE = re.compile(r"\s+|[^\s]+")


def word_diff(machine: str, edited: str) -> list[dict[str, str]]:
    """Operations that turn `machine` into `edited`: [{"op": "equal"|"delete"|"insert", "text": ...}].

    Whitespace travels with the words around it, so joining the "equal" and "insert" texts gives
    `edited` back, and joining the "equal" and "delete" texts gives `machine`.
    """
    a, b = _TOKEN_RE.findall(machine or ""), _TOKEN_RE.findall(edited or "")
    ops: list[dict[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append({"op": "equal", "text": "".join(a[i1:i2])})
            continue
        if tag in ("delete", "replace"):
            ops.append({"op": "delete", "text": "".join(a[i1:i2])})
        if tag in ("insert", "replace"):
            ops.append({"op": "insert", "text": "".join(b[j1:j2])})
    return ops
