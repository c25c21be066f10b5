"""Run a Python command (a script, or -m module) and note at its exit whether torch and transformers were
imported in its process: `python probe.py -m summarizer run ...`, the answer in $BENCH_IMPORTS (JSON)."""

from __future__ import annotations

import atexit
import json
import os
import runpy
import sys


def _record() -> None:
    path = os.environ.get("BENCH_IMPORTS")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"torch": "torch" in sys.modules, "transformers": "transformers" in sys.modules}, handle)


if __name__ == "__main__":
    atexit.register(_record)
    args = sys.argv[1:]
    if args[0] == "-m":  # as `python -m`: the working folder first on the path, not this script's
        sys.path[0] = os.getcwd()
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = args
        sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
        runpy.run_path(args[0], run_name="__main__")
