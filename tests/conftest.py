"""Fixtures only: tiny real-architecture models built once per session, shared inputs, scripted engines.

Constants, writers and the scripted engine class live in tests/helpers.py.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.helpers import IN_CI, ROOT, SHARED, ScriptedRegistry

_CACHE: list[str] = []


def pytest_configure(config):
    """Keep CTranslate2 conversions of the test models out of the user's cache; keep every Ray the tests
    start or join on loopback (on Linux Ray would otherwise turn 127.0.0.1 into the machine's interface
    address, and a driver given --ray-address 127.0.0.1:PORT would go there: see runs.raystart)."""
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    if "SUMMARIZER_CACHE" not in os.environ:
        _CACHE.append(tempfile.mkdtemp(prefix="summarizer-test-cache-"))
        os.environ["SUMMARIZER_CACHE"] = _CACHE[0]


def pytest_unconfigure(config):
    for folder in _CACHE:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("SUMMARIZER_CACHE", None)


def _need_shared(*parts: str) -> Path:
    """A path under ../shared; skipped where it is absent, but an error under CI=true."""
    path = SHARED.joinpath(*parts) if SHARED else None
    if path is None or not path.exists():
        message = f"../shared/{'/'.join(parts)} is not present in this checkout (set SUMMARIZER_SHARED)"
        if IN_CI:
            pytest.fail(f"{message}; CI=true makes this an error, not a skip")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The scraped Arabic news sample (someone else's text: read in place, never copied)."""
    return _need_shared("samples", "almaghribtoday-iraq-coalition.txt")


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """../shared/real: published pages, feeds and gold sentence boundaries written by others."""
    return _need_shared("real")


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> Path:
    """models.yaml of the tiny models, built once for the whole session."""
    from summarizer.models.tiny import build_tiny_models

    return build_tiny_models(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def hub_models(tmp_path_factory) -> Path:
    """models.yaml of the tiny models saved as their hub repositories are (models/tiny_hub.py)."""
    from summarizer.models.tiny_hub import build_hub_models

    return build_hub_models(tmp_path_factory.mktemp("hub"))


@pytest.fixture(scope="session")
def hub_config(hub_models):
    from summarizer import load_config

    return load_config(hub_models)


@pytest.fixture(scope="session")
def tiny_config(tiny_models):
    from summarizer import load_config

    return load_config(tiny_models)


@pytest.fixture(scope="session")
def registry(tiny_config):
    """One torch registry for the session: each tiny model is loaded once."""
    from summarizer.models.registry import ModelRegistry

    return ModelRegistry(tiny_config, engine="torch")


@pytest.fixture(scope="session")
def ct2_int8_registry(tiny_config):
    """The shipped engine: CTranslate2 int8 (the tiny models converted once for the session)."""
    from summarizer.models.registry import ModelRegistry

    return ModelRegistry(tiny_config, engine="ctranslate2")


@pytest.fixture()
def pipeline(tiny_config, registry):
    """A default-profile pipeline on the tiny models (fresh duplicate tracking per test)."""
    from summarizer import Pipeline

    return Pipeline(tiny_config, "default", registry=registry)


@pytest.fixture()
def scripted_registry(registry):
    """Make a registry whose named models answer from scripts: scripted_registry({name: (script, default)})."""
    return lambda scripts: ScriptedRegistry(registry, scripts)


@pytest.fixture(scope="session")
def brief_schema() -> dict:
    path = ROOT / "summarizer" / "data" / "brief.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))
