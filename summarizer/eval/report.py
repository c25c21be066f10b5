"""The files an evaluation leaves: each system's hypotheses, a side-by-side file worst first, and
report.json + report.md (the tool's version, each metric with its signature, each model's
fingerprint), written atomically into the --out folder."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..store.atomic import atomic_write
from ..version import __version__


def safe_name(name: str) -> str:
    """A system name as a file name part."""
    return re.sub(r"[^\w.-]+", "-", name).strip("-") or "system"


def write_hypotheses(out: Path, name: str, hyps: Sequence[str]) -> Path:
    """One system's hypotheses, one a line."""
    path = out / f"hypotheses-{safe_name(name)}.txt"
    atomic_write(path, "".join(h.replace("\n", " ") + "\n" for h in hyps))
    return path


def write_side_by_side(out: Path, sources: Sequence[str], references: Sequence[str],
                       systems: Mapping[str, tuple[Sequence[str], Sequence[float]]]) -> Path:
    """TSV: segment number, source, reference, then each system's hypothesis and chrF; the worst
    segments (by the first system's chrF) first."""
    names = list(systems)
    first = systems[names[0]][1]
    order = sorted(range(len(sources)), key=lambda k: (first[k], k))
    head = ["segment", "source", "reference"] + [c for n in names for c in (n, f"{n} chrF")]
    rows = ["\t".join(head)]
    for k in order:
        cells = [str(k + 1), sources[k], references[k]]
        for name in names:
            hyps, chrf = systems[name]
            cells += [hyps[k], f"{chrf[k]:.2f}"]
        rows.append("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells))
    path = out / "side-by-side.tsv"
    atomic_write(path, "\n".join(rows) + "\n")
    return path


def significance(entry: Mapping[str, Any] | None) -> str:
    """How a system's score compares with the first system's, in words: what the console and
    report.md both say ("" for the first system, or where no test was run)."""
    if not entry or entry.get("p_value") is None:
        return ""
    if entry.get("same_score"):
        return "the same score as the first" + (" (identical output)" if entry.get("identical") else "")
    if entry.get("significant"):
        return f"differs significantly from the first (p={entry['p_value']:.3f})"
    return f"not significantly different from the first (p={entry['p_value']:.3f})"


def scores_line(system: Mapping[str, Any]) -> str:
    """A system's scores in one line, each with its significance against the first system."""
    tested = system.get("bootstrap") or {}
    cells = []
    for name, value in (system.get("metrics") or {}).items():
        words = significance(tested.get(name))
        cells.append(f"{name} {value['score']:.2f}" + (f" ({words})" if words else ""))
    return ", ".join(cells)


def write_report(out: Path, report: Mapping[str, Any], title: str) -> tuple[Path, Path]:
    """report.json and report.md."""
    data = {"tool": f"summarizer {__version__}", **report}
    json_path, md_path = out / "report.json", out / "report.md"
    atomic_write(json_path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    atomic_write(md_path, markdown(data, title))
    return json_path, md_path


def markdown(report: Mapping[str, Any], title: str) -> str:
    """A readable report: one table of scores per system, then signatures and fingerprints."""
    lines = [f"# {title}", "", f"{report['tool']}; {report.get('segments', report.get('items', 0))} segments", ""]
    systems = report.get("systems") or {"": report}
    metrics = sorted({m for s in systems.values() for m in (s.get("metrics") or {})})
    lines += ["| system | " + " | ".join(metrics) + " |", "|---" * (len(metrics) + 1) + "|"]
    for name, system in systems.items():
        cells = []
        for m in metrics:
            value = (system.get("metrics") or {}).get(m, {})
            words = significance((system.get("bootstrap") or {}).get(m))
            cells.append(f"{value.get('score', '')}" + (f" ({words})" if words else ""))
        lines.append(f"| {name or 'given'} | " + " | ".join(cells) + " |")
    lines += ["", "## Signatures", ""]
    for name, system in systems.items():
        for m, value in (system.get("metrics") or {}).items():
            lines.append(f"- {name + ' ' if name else ''}{m}: `{value.get('signature', '')}`")
    models = {n: s.get("models") for n, s in systems.items() if s.get("models")}
    if models:
        lines += ["", "## Models", ""]
        for name, info in models.items():
            for role, model in info.items():
                lines.append(f"- {name} {role}: {model.get('name')} ({model.get('id')}@{model.get('revision')}), "
                             f"{model.get('engine')} {model.get('compute_type')}, settings {model.get('settings')}")
    return "\n".join(lines) + "\n"
