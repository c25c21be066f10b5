"""The layout holds: layer contracts (and they can fail), small modules and functions, no private
imports across modules, lint clean, and the docs' flag table generated from the one flag table."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.flags import FLAGS, markdown_table
from tests.helpers import ROOT

PACKAGE = ROOT / "summarizer"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                           "sys.argv = ['lint-imports', '--no-cache', sys.argv[1]]; lint_imports_command()",
                           str(ROOT / "pyproject.toml")], capture_output=True, text=True, cwd=cwd,
                          env={"PYTHONPATH": str(cwd), "PATH": ""}, timeout=120)


def test_layer_contracts_are_kept():
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "10 kept, 0 broken" in proc.stdout


def test_a_wrong_import_breaks_the_contracts(tmp_path):
    copy = tmp_path / "summarizer"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    clean = copy / "steps" / "clean.py"
    clean.write_text(clean.read_text(encoding="utf-8") + "\nfrom ..store import outdir  # noqa: E402\n",
                     encoding="utf-8")
    proc = _lint_imports(tmp_path)
    assert proc.returncode != 0
    assert "summarizer.steps.clean -> summarizer.store.outdir" in proc.stdout


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_stay_small(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300, f"{path.name}: {len(text.splitlines())} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            assert length <= 60, f"{path.name}:{node.lineno} {node.name} has {length} lines"


def test_no_private_names_imported_across_modules():
    offenders = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("summarizer")):
                offenders += [f"{path.relative_to(PACKAGE)}: {alias.name}" for alias in node.names
                              if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert not offenders


def test_code_names_no_document_outside_the_project():
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"DESIGN\.md|ARCHITECTURE\.md|NOTES-inference|\.\./shared", text), path


def test_ruff_is_clean():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "summarizer", "tests", "benchmarks", "cli.py"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_docs_flag_table_is_the_flag_table():
    readme = (ROOT / "docs" / "analysts.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "regenerate the table in docs/analysts.md: python -c 'from summarizer.flags import " \
                                       "markdown_table; print(markdown_table())'"
    assert len({f.name for f in FLAGS}) == len(FLAGS)
