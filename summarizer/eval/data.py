"""Reading evaluation data in the forms parallel data comes in.

Segments: a `.txt` file (one segment a line), `.tsv` (source, reference, [hypothesis] columns; given
as a reference or hypothesis file, a two-column TSV's second column is the translation) or
`.jsonl` (one object a line; the source under `source`, `src`, `ar` or `text`, the reference under
`reference`, `ref`, `en`, `target` or `translation`, a hypothesis under `hypothesis`, `hyp` or
`output`). Summaries: JSON Lines of `{"id", "summary"}` (or `reference`, `text`). Every problem is
an EvalDataError naming the file and the line; an empty file is one (it holds no segment to score).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ConfigError

SOURCE_KEYS = ("source", "src", "ar", "text")
REFERENCE_KEYS = ("reference", "ref", "en", "target", "translation")
HYPOTHESIS_KEYS = ("hypothesis", "hyp", "output", "translation")
SUMMARY_KEYS = ("summary", "reference", "text", "hypothesis")


class EvalDataError(ConfigError):
    """Evaluation data that cannot be read as asked (exit code 2)."""


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise EvalDataError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise EvalDataError(f"{path}: not UTF-8 text") from None
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def _not_empty(path: Path, lines: list[str], what: str) -> list[str]:
    if not any(line.strip() for line in lines):
        raise EvalDataError(f"{path}: empty: no {what} in it")
    return lines


def read_segments(path: str | Path, role: str) -> list[str]:
    """The segments of a file for a role: "source", "reference" or "hypothesis" (a file with
    nothing but white space in it is an EvalDataError, never one empty segment)."""
    path = Path(path)
    lines = _not_empty(path, _lines(path), f"{role} segments")
    suffix = path.suffix.lower()
    if suffix == ".tsv":
        rows = [line.split("\t") for line in lines]
        wanted = {"source": 0, "reference": 1, "hypothesis": 2}[role]
        out = []
        for row in rows:
            if role == "source" or len(row) > wanted:
                out.append(row[min(wanted, len(row) - 1) if role != "source" else 0].strip())
            else:  # source<TAB>translation (or one column): the translation is the last column
                out.append(row[-1].strip())
        return out
    if suffix in (".jsonl", ".ndjson"):
        keys = {"source": SOURCE_KEYS, "reference": REFERENCE_KEYS, "hypothesis": HYPOTHESIS_KEYS}[role]
        out = []
        for k, record in _records(path, lines):
            value = next((record[key] for key in keys if key in record), None)
            if not isinstance(value, str):
                raise EvalDataError(f"{path}:{k}: no {role} field ({', '.join(keys)})")
            out.append(value.strip())
        return out
    return [line.strip() for line in lines]


def _records(path: Path, lines: list[str]):
    """(line number, JSON object) of every non-empty line."""
    for k, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise EvalDataError(f"{path}:{k}: not valid JSON") from None
        if not isinstance(record, dict):
            raise EvalDataError(f"{path}:{k}: not a JSON object")
        yield k, record


def read_summaries(path: str | Path) -> dict[str, str]:
    """{id: summary} of a JSON Lines file (an empty one is an EvalDataError)."""
    path = Path(path)
    found: dict[str, str] = {}
    for k, record in _records(path, _not_empty(path, _lines(path), "summaries")):
        summary = next((record[key] for key in SUMMARY_KEYS if key in record), None)
        if "id" not in record or not isinstance(summary, str):
            raise EvalDataError(f"{path}:{k}: needs an id and a summary ({', '.join(SUMMARY_KEYS)})")
        found[str(record["id"])] = summary.strip()
    return found


def same_length(named: dict[str, list[str]]) -> int:
    """The common number of segments, or an EvalDataError saying which file differs."""
    counts = {name: len(v) for name, v in named.items()}
    if len(set(counts.values())) > 1:
        raise EvalDataError("the files do not have the same number of segments: " +
                            ", ".join(f"{name} {n}" for name, n in counts.items()))
    return next(iter(counts.values()), 0)
