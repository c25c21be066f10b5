"""`retry`: the settings of the folder's last run that started, aimed at its unresolved failures.

Failures outlive runs (store.failures): a failure stays retryable until it succeeds, whatever
attempts came between (one that failed before starting, another run of other inputs), until it is
given up; `given_up=True` tries the given-up inputs too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from ..errors import ConfigError
from ..store.attempts import last_attempt, last_started
from ..store.failures import Failures
from ..store.outdir import state_path
from ..store.state import Store
from .settings import RunSettings


def retry_settings(out: Path, state: Optional[Path] = None, given_up: bool = False) -> RunSettings:
    """Settings of the last run in `out` that started, aimed at its unresolved failures (and the
    given-up inputs with `given_up`). ConfigError when nothing ran there."""
    store = Store.existing(state_path(out, state), out)
    try:
        last = last_started(store) or last_attempt(store)
        if last is None:
            raise ConfigError(f"no run recorded in {store.path}")
        rows = Failures(store).rows(None if given_up else False)
    finally:
        store.close()
    refs = [row.ref for row in rows]
    origins = {row.ref: json.loads(row.origin) for row in rows if row.origin}
    known = set(RunSettings.__dataclass_fields__)
    saved = {k: v for k, v in last.settings.items() if k in known}
    for key in ("out", "models", "state", "glossary", "sources"):
        saved[key] = Path(saved[key]) if saved.get(key) else None
    saved["out"] = Path(out)
    return RunSettings(**{**saved, "inputs": [], "retry_refs": refs, "retry_origins": origins,
                          "force": False, "retry_given_up": given_up})
