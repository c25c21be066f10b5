"""Checks on a model folder's files: present, and intact enough to load (no network, no torch)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from .checkpoint import checkpoint_problem

WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json")
TOKENIZER_FILES = ("tokenizer.json", "source.spm", "spiece.model", "sentencepiece.bpe.model",
                   "sentencepiece.model", "vocab.json", "vocab.txt", "tokenizer.model")


def has_weights(folder: Path) -> bool:
    """A model folder holds a config and weights (HF layout) or a CTranslate2 model.bin."""
    if not (folder / "config.json").is_file():
        return False
    return any((folder / name).exists() for name in WEIGHT_FILES) or (folder / "model.bin").is_file()


def safetensors_problem(path: Path) -> str | None:
    """What is wrong with a .safetensors file (empty, truncated, bad header), or None."""
    size = path.stat().st_size
    if size < 8:
        return f"{path.name} is empty" if size == 0 else f"{path.name} is truncated ({size} bytes)"
    with open(path, "rb") as handle:
        (header_len,) = struct.unpack("<Q", handle.read(8))
        if header_len > size - 8 or header_len > 100_000_000:
            return f"{path.name} is truncated ({size} bytes; its header alone needs {header_len + 8})"
        try:
            header = json.loads(handle.read(header_len))
        except (ValueError, UnicodeDecodeError):
            return f"{path.name} has an unreadable header"
    ends = [t["data_offsets"][1] for k, t in header.items() if k != "__metadata__" and isinstance(t, dict)
            and "data_offsets" in t]
    needed = 8 + header_len + (max(ends) if ends else 0)
    if size < needed:
        return f"{path.name} is truncated ({size} of {needed} bytes)"
    return None


def _weights_problem(folder: Path) -> str | None:
    for index_name, check in (("model.safetensors.index.json", safetensors_problem),
                              ("pytorch_model.bin.index.json", _bin_problem)):
        index = folder / index_name
        if index.is_file():
            try:
                shards = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
            except (ValueError, KeyError, TypeError):
                return f"{index_name} is not a valid index"
            for shard in shards:
                if not (folder / shard).is_file():
                    return f"{shard} (listed in {index_name}) is missing"
                problem = check(folder / shard)
                if problem:
                    return problem
            return None
    if (folder / "model.safetensors").is_file():
        return safetensors_problem(folder / "model.safetensors")
    if (folder / "pytorch_model.bin").is_file():
        return _bin_problem(folder / "pytorch_model.bin")
    if (folder / "model.bin").is_file():
        return "model.bin is empty" if (folder / "model.bin").stat().st_size == 0 else None
    return "no weights file (model.safetensors or pytorch_model.bin)"


def _bin_problem(path: Path) -> str | None:
    return checkpoint_problem(path)  # either of torch's formats: the hub still serves pre-1.6 checkpoints


def folder_problem(folder: Path) -> str | None:
    """Why a model folder cannot be loaded (config, weights, tokenizer), or None when it looks intact."""
    try:
        json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "config.json is missing"
    except (ValueError, UnicodeDecodeError):
        return "config.json is not valid JSON"
    problem = _weights_problem(folder)
    if problem:
        return problem
    if not any((folder / name).is_file() for name in TOKENIZER_FILES):
        return f"no tokenizer files (looked for {', '.join(TOKENIZER_FILES)})"
    return None
