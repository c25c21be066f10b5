"""The CTranslate2 engine caps glibc's malloc arenas at one per core (engines.base.limit_malloc_arenas):
the decoding threads of engines that run one after the other share arenas, so memory the translators
freed is the summariser's, instead of each thread keeping an arena of its own."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = r"""
import ctypes, os, sys, tempfile, threading

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.fopen.restype, libc.fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
libc.fclose.argtypes = [ctypes.c_void_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
if sys.argv[1] == "engine":  # what the engine does before its threads start
    from summarizer.models.engines.base import limit_malloc_arenas
    assert limit_malloc_arenas() >= 1
THREADS = (os.cpu_count() or 1) + 4  # more threads than the cap on any machine
ready = threading.Barrier(THREADS + 1)

def work():
    block = libc.malloc(1 << 20)  # a thread's first allocations pick its arena
    ready.wait()                  # all alive at once: none can take over another's arena
    ready.wait()
    libc.free(block)

threads = [threading.Thread(target=work) for _ in range(THREADS)]
for t in threads:
    t.start()
ready.wait()
with tempfile.NamedTemporaryFile(suffix=".xml") as out:
    fp = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, fp)
    libc.fclose(fp)
    print(open(out.name).read().count("<heap nr="))
ready.wait()
for t in threads:
    t.join()
"""


def _arenas(mode: str) -> int:
    proc = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_threads_share_one_arena_per_core_once_the_engine_capped_them():
    cores = os.cpu_count() or 1
    # the control: glibc (up to 8 arenas per core) gives each of the cores + 4 threads its own arena
    assert _arenas("default") >= cores + 5
    assert _arenas("engine") <= cores


def test_the_ct2_engine_caps_the_arenas_before_it_starts(ct2_int8_registry):
    from summarizer.models.engines.base import limit_malloc_arenas

    ct2_int8_registry.get("tiny-bart")
    assert limit_malloc_arenas.cache_info().currsize == 1  # only engines call it


def _threads() -> set[str]:
    """The ids of this process's threads, native ones included (CTranslate2's workers)."""
    return set(os.listdir("/proc/self/task"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs /proc (Linux)")
def test_the_cap_is_set_before_any_engine_thread_starts(tiny_config, monkeypatch):
    """A thread's arena is picked at its first allocation: a cap set after the translator's threads
    started would leave them on arenas of their own. The call is watched (and still made) to see
    which threads were alive at that moment."""
    from summarizer.models.engines import ct2_engine
    from summarizer.models.engines.base import limit_malloc_arenas
    from summarizer.models.registry import ModelRegistry

    alive_at_call: list[set[str]] = []

    def watched() -> int:
        alive_at_call.append(_threads())
        return limit_malloc_arenas()

    monkeypatch.setattr(ct2_engine, "limit_malloc_arenas", watched)
    before = _threads()
    engine = ModelRegistry(tiny_config, engine="ctranslate2").get("tiny-bart")  # a fresh engine, not the cached one
    started = _threads() - before
    assert started, "the control: the engine starts threads of its own"
    assert len(alive_at_call) == 1 and not alive_at_call[0] & started, (sorted(started), engine)
