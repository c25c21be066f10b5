"""Importing the package and asking for help must not import torch or transformers."""

import subprocess
import sys


def _modules_after(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\n"
                          "print(','.join(m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules))"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def test_import_does_not_load_torch():
    assert _modules_after("import summarizer") == ""


def test_help_does_not_load_torch():
    code = ("from typer.testing import CliRunner\nfrom summarizer.cli import app\n"
            "r = CliRunner().invoke(app, ['--help'])\nassert r.exit_code == 0, r.output\n"
            "r = CliRunner().invoke(app, ['run', '--help'])\nassert r.exit_code == 0, r.output\n")
    assert _modules_after(code) == ""


def test_cli_py_runs_the_same_app():
    out = subprocess.run([sys.executable, "cli.py", "--version"], capture_output=True, text=True, timeout=60,
                         cwd=__import__("pathlib").Path(__file__).resolve().parents[1])
    assert out.returncode == 0 and out.stdout.startswith("summarizer ")
