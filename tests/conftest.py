"""Shared fixtures: tiny real-architecture models built once per session, sample locations."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_CACHE = None


def pytest_configure(config):
    """Keep CTranslate2 conversions of the test models out of the user's cache."""
    global _CACHE
    import tempfile

    if "SUMMARIZER_CACHE" not in os.environ:
        _CACHE = tempfile.mkdtemp(prefix="summarizer-test-cache-")
        os.environ["SUMMARIZER_CACHE"] = _CACHE


def pytest_unconfigure(config):
    if _CACHE:
        import shutil

        shutil.rmtree(_CACHE, ignore_errors=True)
        os.environ.pop("SUMMARIZER_CACHE", None)


def _shared_dir() -> Path | None:
    """../shared of this checkout, or of the checkout this clone came from (CI clones elsewhere)."""
    candidates = []
    if os.environ.get("SUMMARIZER_SHARED"):
        candidates.append(Path(os.environ["SUMMARIZER_SHARED"]))
    candidates.append(ROOT.parent / "shared")
    try:
        origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=5).stdout.strip()
        if origin and not origin.startswith(("http", "git@", "ssh:")):
            candidates.append(Path(origin).resolve().parent / "shared")
    except (OSError, subprocess.SubprocessError):
        pass
    return next((c for c in candidates if (c / "samples").is_dir()), None)


SHARED = _shared_dir()
SAMPLE = SHARED / "samples" / "almaghribtoday-iraq-coalition.txt" if SHARED else None


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The scraped Arabic news sample (someone else's text: read in place, never copied)."""
    if SAMPLE is None or not SAMPLE.is_file():
        pytest.skip("../shared/samples is not present in this checkout (set SUMMARIZER_SHARED)")
    return SAMPLE


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> Path:
    """models.yaml of the tiny models, built once for the whole session."""
    from summarizer.tiny import build_tiny_models

    return build_tiny_models(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny_config(tiny_models):
    from summarizer import load_config

    return load_config(tiny_models)


@pytest.fixture(scope="session")
def registry(tiny_config):
    """One registry for the session: each tiny model is loaded once."""
    from summarizer.registry import ModelRegistry

    return ModelRegistry(tiny_config, engine="torch")


@pytest.fixture()
def pipeline(tiny_config, registry):
    """A default-profile pipeline on the tiny models (fresh duplicate tracking per test)."""
    from summarizer import Pipeline

    return Pipeline(tiny_config, "default", registry=registry)


@pytest.fixture(scope="session")
def brief_schema() -> dict:
    path = ROOT / "summarizer" / "data" / "brief.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, data: str | bytes) -> Path:
    """Write a test input file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


ARTICLE_AR = (
    "افتتحت البلدية صباح اليوم حديقة عامة جديدة في الحي الشمالي بمساحة 12 ألف متر مربع.\n"
    "وقال رئيس البلدية إن الحديقة تضم ملاعب للأطفال ومسارا للدراجات، وإنها ستفتح أبوابها يوميا حتى منتصف الليل.\n"
    "وأضاف أن المشروع كلف 3.5 مليون دينار، وأن العمل بدأ قبل عامين؛ لكنه تأخر بسبب الأمطار.\n"
    "هل ستكفي الحديقة سكان الحي؟ يقول السكان إنهم ينتظرون مشاريع أخرى.\n"
)
