"""Crash points for the kill -9 tests: `SUMMARIZER_CRASH_AT=name:N` kills this process with
SIGKILL the Nth time the named point is reached; `name:N:raise` raises an InjectedFault there
instead (a stand-in for a bug: the run must end with exit 70, the report saying so). Without
the variable it costs one lookup.

Points: "translate" (after a translation batch), "summarize" (after a summary batch),
"write" (brief files written, briefs.jsonl line not yet), "mark" (line written, state not yet),
"rename" / "renamed" (an atomic write's temporary file complete / just renamed into place),
"commit" / "committed" (a state transaction written but not committed / just committed).

`SUMMARIZER_CRASH_ONCE` and `SUMMARIZER_HOLD_ONCE` act once per marker file, for Ray actors (see
crash_once and hold_once).
"""

from __future__ import annotations

import os
import signal
import time

_SPEC = os.environ.get("SUMMARIZER_CRASH_AT", "")
_COUNTS: dict[str, int] = {}


class InjectedFault(RuntimeError):
    """Raised at a crash point asked for with `:raise` (never in normal runs)."""


def crash_point(name: str) -> None:
    """Die here (SIGKILL), or raise, when the environment asks for it; see the module doc."""
    if not _SPEC:
        return
    point, _, rest = _SPEC.partition(":")
    if point != name:
        return
    nth, _, mode = rest.partition(":")
    _COUNTS[name] = _COUNTS.get(name, 0) + 1
    if _COUNTS[name] >= int(nth or 1):
        if mode == "raise":
            raise InjectedFault(f"fault injected at '{name}' (SUMMARIZER_CRASH_AT)")
        os.kill(os.getpid(), signal.SIGKILL)


def crash_once(name: str) -> None:
    """Die here once: `SUMMARIZER_CRASH_ONCE=name:/path/marker` kills the process (SIGKILL) the first
    time the point is reached, leaving the marker so a restarted process goes on (a Ray actor)."""
    spec = os.environ.get("SUMMARIZER_CRASH_ONCE", "")
    point, _, marker = spec.partition(":")
    if point == name and marker and not os.path.exists(marker):
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)


HOLD_S = 120.0  # the longest a held process waits for the test to act


def hold_once(name: str) -> None:
    """Stop here once: `SUMMARIZER_HOLD_ONCE=name:/path/marker` makes the first process to reach the
    point leave the marker and wait (HOLD_S at most) before it goes on, so that a test can take its
    node away mid-chunk (a Ray node given the variable alone)."""
    spec = os.environ.get("SUMMARIZER_HOLD_ONCE", "")
    point, _, marker = spec.partition(":")
    if point == name and marker and not os.path.exists(marker):
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write(str(os.getpid()))
        time.sleep(HOLD_S)
