"""Automatic, cached conversion of Hugging Face models to CTranslate2.

The first use of a model on the ctranslate2 engine converts it into the tool's cache
(`$SUMMARIZER_CACHE`, else `$XDG_CACHE_HOME/summarizer`, else `~/.cache/summarizer`), keyed by
model id, revision (for a local folder: its files' sizes and times) and quantization.
Conversion writes a temporary folder and renames it, under a file lock, so concurrent runs
neither clash nor leave half a model behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ...config import ModelSpec
from ..hub import folder_fingerprint

log = logging.getLogger("summarizer")
DONE = ".complete"


def cache_root() -> Path:
    """The tool's cache folder."""
    env = os.environ.get("SUMMARIZER_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "summarizer"


def ct2_folder_for(spec: ModelSpec, hf_folder: Path, revision: str, quantization: str) -> Path:
    """Where the converted model lives (whether or not it exists yet)."""
    import ctranslate2

    source = folder_fingerprint(hf_folder) if revision == "local" else revision
    key = hashlib.sha256(f"{spec.ref}|{source}|{quantization}|{ctranslate2.__version__}".encode()).hexdigest()[:12]
    return cache_root() / "ct2" / f"{spec.name}-{quantization}-{key}"


def is_converted(folder: Path) -> bool:
    """A finished conversion (marker written last)."""
    return (folder / DONE).is_file() and (folder / "model.bin").is_file()


# Keys CTranslate2's BART loader reads that transformers 5's BartConfig no longer defaults: a config.json
# written before they existed (or without them) gets BART's own values (post-norm, embedding layer norm).
CONFIG_DEFAULTS = {"bart": {"normalize_before": False, "normalize_embedding": True, "add_final_layer_norm": False,
                            "scale_embedding": False}}
CONVERTER = ("import sys, json\n"
             "from ctranslate2.converters import TransformersConverter\n"
             "DEFAULTS = json.loads(sys.argv[4])\n"
             "class Converter(TransformersConverter):\n"
             "    def load_model(self, model_class, path, **kwargs):\n"
             "        config = kwargs.get('config')\n"
             "        for key, value in DEFAULTS.get(getattr(config, 'model_type', ''), {}).items():\n"
             "            if not hasattr(config, key):\n"
             "                setattr(config, key, value)\n"
             "        return super().load_model(model_class, path, **kwargs)\n"
             "Converter(sys.argv[1], low_cpu_mem_usage=True).convert(sys.argv[2], quantization=sys.argv[3], force=True)\n")


def unsupported(hf_folder: Path) -> str | None:
    """Why CTranslate2 cannot run this model faithfully (then it runs on torch), or None.

    Marian models with separate source and target vocabularies (target_vocab.json,
    `separate_vocabs`): CTranslate2's Marian converter registers one vocabulary for both sides,
    so every output token would be read with the wrong vocabulary.
    """
    config_path = hf_folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
    if (hf_folder / "target_vocab.json").is_file() or config.get("separate_vocabs"):
        return ("a Marian model with separate source and target vocabularies (target_vocab.json): CTranslate2's "
                "converter shares one vocabulary between them")
    return None


def _run_converter(hf_folder: Path, output: Path, quantization: str) -> None:
    """Convert in a child process: torch and transformers (and their memory) never enter this one."""
    proc = subprocess.run([sys.executable, "-c", CONVERTER, str(hf_folder), str(output), quantization,
                           json.dumps(CONFIG_DEFAULTS)],
                          capture_output=True, text=True, env={**os.environ, "TOKENIZERS_PARALLELISM": "false"})
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        raise RuntimeError(lines[-1] if lines else f"the converter exited with code {proc.returncode}")


def _failure_marker(target: Path) -> Path:
    return target.parent / f"{target.name}.failed"


def conversion_failure(spec: ModelSpec, hf_folder: Path, revision: str, quantization: str) -> str | None:
    """Why an earlier conversion of this model failed (then it runs on torch), or None."""
    reason = unsupported(hf_folder)
    if reason:
        return reason
    marker = _failure_marker(ct2_folder_for(spec, hf_folder, revision, quantization))
    return marker.read_text(encoding="utf-8").strip() if marker.is_file() else None


class ConversionFailed(RuntimeError):
    """The model cannot be converted to CTranslate2 (now, or in an earlier attempt)."""


def convert(spec: ModelSpec, hf_folder: Path, revision: str, quantization: str, retry_failed: bool = False) -> Path:
    """The CTranslate2 folder of a model, converting it first if needed.

    A failed conversion leaves a marker in the cache, so later runs go straight to torch (and
    their fingerprints say so) until `retry_failed` (`summarizer models convert`) tries again.

    Raises:
        ConversionFailed: the converter failed, now or before; callers fall back to torch.
    """
    reason = unsupported(hf_folder)
    if reason:
        raise ConversionFailed(reason)
    target = ct2_folder_for(spec, hf_folder, revision, quantization)
    if is_converted(target):
        return target
    marker = _failure_marker(target)
    if marker.is_file() and not retry_failed:
        raise ConversionFailed(f"an earlier conversion failed: {marker.read_text(encoding='utf-8').strip()}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be converting the same model
        if is_converted(target):
            return target
        try:
            _convert_locked(spec, hf_folder, revision, quantization, target)
        except Exception as exc:
            marker.write_text(f"{type(exc).__name__}: {str(exc)[:300]}\n", encoding="utf-8")
            raise ConversionFailed(f"{type(exc).__name__}: {exc}") from exc
        marker.unlink(missing_ok=True)
    return target


def _convert_locked(spec: ModelSpec, hf_folder: Path, revision: str, quantization: str, target: Path) -> None:
    for stale in target.parent.glob(f".{target.name}.*"):  # left by a killed conversion
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    log.info("converting model '%s' to CTranslate2 (%s), once; cached in %s", spec.name, quantization, target)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _run_converter(hf_folder, tmp / "model", quantization)
        (tmp / "model" / DONE).write_text(f"{spec.ref} {revision} {quantization}\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp / "model", target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("converted '%s' in %.1fs", spec.name, time.perf_counter() - started)
