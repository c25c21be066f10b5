"""Is a `pytorch_model.bin` whole? Both of torch's formats, read without torch and without running code.

- The zip format (torch >= 1.6): a zip whose central directory reads, with a `data.pkl` and the
  storages it names.
- The legacy format (torch < 1.6, `_use_new_zipfile_serialization=False`; distilbart-cnn-12-6 and the
  2020 opus-mt uploads): pickles of a magic number, the protocol version and the system info, the
  state dict (whose tensors name their storages by key and element count), the sorted storage
  keys, then each storage as an 8-byte element count and its bytes. The file is whole when every
  storage is there with the count the state dict announced, and nothing follows the last one.

The pickles are read by an unpickler that imports nothing: every global is a placeholder, so a
hostile file cannot run code here (torch itself loads it later with `weights_only`).
"""

from __future__ import annotations

import io
import pickle
import struct
import zipfile
from pathlib import Path
from typing import Any

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
ELEMENT_SIZE = {"Double": 8, "Float": 4, "Half": 2, "BFloat16": 2, "Long": 8, "Int": 4, "Short": 2, "Char": 1,
                "Byte": 1, "Bool": 1, "ComplexFloat": 8, "ComplexDouble": 16, "QInt8": 1, "QUInt8": 1, "QInt32": 4}


class _Placeholder(dict):
    """Stands for any global the pickle names (OrderedDict, torch._utils._rebuild_tensor_v2 ...)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def __setstate__(self, state: Any) -> None:
        pass

    def __call__(self, *args: Any, **kwargs: Any) -> _Placeholder:
        return _Placeholder()


class _Global:
    def __init__(self, module: str, name: str) -> None:
        self.name = f"{module}.{name}"

    def __call__(self, *args: Any, **kwargs: Any) -> _Placeholder:
        return _Placeholder()


class _SafeUnpickler(pickle.Unpickler):
    """Records the storages the state dict names; imports nothing."""

    def __init__(self, handle: Any) -> None:
        super().__init__(handle)
        self.storages: dict[str, tuple[str, int]] = {}

    def find_class(self, module: str, name: str) -> Any:
        return _Global(module, name)

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"):
            raise pickle.UnpicklingError("an unexpected persistent id")
        kind = getattr(pid[1], "name", str(pid[1])).rsplit(".", 1)[-1].removesuffix("Storage")
        self.storages[str(pid[2])] = (kind, int(pid[4]))
        return _Placeholder()


def legacy_problem(path: Path) -> str | None:
    """What is wrong with a legacy-format checkpoint, or None when every storage is there."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        try:
            magic = pickle.load(handle)  # a plain integer: safe to read with the standard unpickler
            if magic != LEGACY_MAGIC:
                return f"{path.name} is not a PyTorch checkpoint (neither a zip nor torch's legacy format)"
            reader = _SafeUnpickler(handle)
            reader.load()  # protocol version
            reader.load()  # system info
            reader.load()  # the state dict: fills reader.storages
            keys = reader.load()
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError) as exc:
            return f"{path.name} is truncated or damaged ({type(exc).__name__} in its pickled header)"
        if not isinstance(keys, list) or sorted(map(str, keys)) != sorted(reader.storages):
            return f"{path.name} is damaged (its storage list does not match its tensors)"
        for done, key in enumerate(keys):
            kind, count = reader.storages[str(key)]
            head = handle.read(8)
            if len(head) < 8:
                return f"{path.name} is truncated ({done} of its {len(keys)} storages are there)"
            (stored,) = struct.unpack("<q", head)
            if stored != count or kind not in ELEMENT_SIZE:
                return f"{path.name} is damaged (storage {key}: {stored} elements, its tensors say {count})"
            end = handle.tell() + count * ELEMENT_SIZE[kind]
            if end > size:
                return f"{path.name} is truncated ({size} bytes; storage {key} ends at {end})"
            handle.seek(end)
        if handle.tell() != size:
            return f"{path.name} has {size - handle.tell()} unexpected bytes after its last storage"
    return None


def zip_problem(path: Path) -> str | None:
    """What is wrong with a zip-format checkpoint (no data.pkl, a storage missing), or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            pickles = [n for n in names if n.endswith("/data.pkl") or n == "data.pkl"]
            if not pickles:
                return f"{path.name} is a zip without data.pkl: not a PyTorch checkpoint"
            prefix = pickles[0][: -len("data.pkl")]
            reader = _SafeUnpickler(io.BytesIO(archive.read(pickles[0])))
            reader.load()
    except (zipfile.BadZipFile, pickle.UnpicklingError, EOFError, ValueError, TypeError, OSError) as exc:
        return f"{path.name} is truncated or damaged ({type(exc).__name__})"
    missing = [k for k in reader.storages if f"{prefix}data/{k}" not in names]
    return f"{path.name} is damaged ({len(missing)} storages missing)" if missing else None


def checkpoint_problem(path: Path) -> str | None:
    """What is wrong with a pytorch_model.bin (either format), or None when it looks whole."""
    if path.stat().st_size == 0:
        return f"{path.name} is empty"
    return zip_problem(path) if zipfile.is_zipfile(path) else legacy_problem(path)
