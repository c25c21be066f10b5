"""Downloads from the Hugging Face hub: only inference files, sizes logged, progress on request."""

from __future__ import annotations

import fnmatch
import logging
from pathlib import Path

from ..config import ModelSpec

log = logging.getLogger("summarizer")


def download(spec: ModelSpec, small_patterns: list[str], progress: bool, force: bool = False) -> tuple[Path, int]:
    """Download a hub model's configs, tokenizer and one weights format; return (folder, bytes).

    Raises:
        Exception: whatever huggingface_hub raises (the caller turns it into one line).
    """
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

    revision = spec.revision or "main"
    info = HfApi().model_info(spec.hf, revision=revision, files_metadata=True)
    files = {s.rfilename: s.size or 0 for s in info.siblings or ()}
    weights = ["*.safetensors"] if any(f.endswith(".safetensors") for f in files) else ["pytorch_model*.bin"]
    patterns = small_patterns + weights
    wanted = {f: size for f, size in files.items() if any(fnmatch.fnmatch(f, p) for p in patterns)}
    total = sum(wanted.values())
    log.info("downloading model '%s' (%s@%s): %d files, %.1f MB, into the Hugging Face cache (once)",
             spec.name, spec.hf, revision, len(wanted), total / 1e6)
    (enable_progress_bars if progress else disable_progress_bars)()
    folder = Path(snapshot_download(spec.hf, revision=revision, allow_patterns=patterns, force_download=force))
    return folder, total
