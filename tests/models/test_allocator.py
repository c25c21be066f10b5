"""The CTranslate2 engine fixes glibc's mmap threshold (see engines.base.fix_mmap_threshold): freed heap
memory goes back to the OS instead of staying resident up to glibc's raised trim threshold."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = r"""
import ctypes, sys

class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                              "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = Info
if sys.argv[1] == "engine":  # what the engine does before its threads start
    from summarizer.models.engines.base import fix_mmap_threshold
    assert fix_mmap_threshold()
libc.free(libc.malloc(24 << 20))  # a freed mmapped block: by default glibc now raises its thresholds
block = libc.malloc(16 << 20)     # below the threshold either way: from the heap
libc.free(block)
print(libc.mallinfo2().keepcost)  # freed bytes still held at the top of the heap
"""


def _kept(mode: str) -> int:
    proc = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_freed_heap_memory_is_given_back_once_the_engine_fixed_the_threshold():
    assert _kept("default") >= 16 << 20  # the control: glibc's own behaviour keeps the 16 MB
    assert _kept("engine") < 1 << 20


def test_the_ct2_engine_fixes_the_threshold_before_it_starts(ct2_int8_registry):
    from summarizer.models.engines.base import fix_mmap_threshold

    ct2_int8_registry.get("tiny-bart")
    assert fix_mmap_threshold.cache_info().currsize == 1  # only engines call it
