"""A word diff: what an editor changed in a machine text, in runs of changed words (pure).

Like `git diff --word-diff`: changes separated only by spaces form one run, shown as the old
words deleted, then the new words inserted ("[-a b c-]{+x y z+}"), never as alternating
single words.
"""

from __future__ import annotations

import difflib
import re

_TOKEN_RE = re.compile(r"\s+|[^\s]+")


def word_diff(machine: str, edited: str) -> list[dict[str, str]]:
    """Operations that turn `machine` into `edited`: [{"op": "equal"|"delete"|"insert", "text": ...}].

    Consecutive changes (only whitespace between them) are one run: one "delete" then one "insert".
    Whitespace travels with the words around it, so joining the "equal" and "insert" texts gives
    `edited` back, and joining the "equal" and "delete" texts gives `machine`.
    """
    a, b = _TOKEN_RE.findall(machine or ""), _TOKEN_RE.findall(edited or "")
    ops: list[dict[str, str]] = []
    run = {"delete": "", "insert": ""}

    def flush() -> None:
        for op in ("delete", "insert"):
            if run[op]:
                ops.append({"op": op, "text": run[op]})
            run[op] = ""

    codes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(codes):
        between = 0 < n < len(codes) - 1 and not "".join(a[i1:i2]).strip()
        if tag == "equal" and not between:
            flush()
            ops.append({"op": "equal", "text": "".join(a[i1:i2])})
            continue
        run["delete"] += "".join(a[i1:i2])  # a change, or spaces inside a run of changes
        run["insert"] += "".join(b[j1:j2])
    flush()
    return ops
