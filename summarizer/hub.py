"""Where model weights are: local folders, the Hugging Face cache, or (with network) the hub.

Nothing here waits on a network that is not there: presence is checked in the local cache
first, and the hub is probed with a 2-second connect before any download is tried.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from pathlib import Path
from urllib.parse import urlparse

from .config import ModelSpec
from .errors import ModelUnavailable

log = logging.getLogger("summarizer")
WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json")
SMALL_PATTERNS = ["*.json", "*.model", "*.spm", "*.txt", "sentencepiece*", "spiece*"]


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def hub_offline() -> bool:
    """True when the user forbade network access to the hub (HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE)."""
    return _truthy(os.environ.get("HF_HUB_OFFLINE")) or _truthy(os.environ.get("TRANSFORMERS_OFFLINE"))


def hub_reachable(timeout: float = 2.0) -> bool:
    """Can a TCP connection to the hub (or the HTTPS proxy) be opened within `timeout` seconds?"""
    if hub_offline():
        return False
    proxy = os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
    url = urlparse(proxy or os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    host, port = url.hostname, url.port or (443 if url.scheme == "https" else 80)
    if not host:
        return False
    result: list[bool] = []

    def probe() -> None:  # in a thread: a hanging DNS lookup must not hang the caller
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    worker = threading.Thread(target=probe, daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    return bool(result and result[0])


def has_weights(folder: Path) -> bool:
    """A model folder holds a config and weights (HF layout) or a CTranslate2 model.bin."""
    if not (folder / "config.json").is_file():
        return False
    return any((folder / name).exists() for name in WEIGHT_FILES) or (folder / "model.bin").is_file()


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache ($HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME") or
                                                     os.path.join(os.path.expanduser("~"), ".cache"), "huggingface")
    return Path(home) / "hub"


def local_folder(spec: ModelSpec) -> Path | None:
    """The folder holding the model's files on this machine, or None.

    Reads the hub cache's layout (models--ORG--NAME/refs/REVISION -> snapshots/COMMIT) directly:
    no network, and huggingface_hub is not imported, so HF_HUB_OFFLINE can still be set after.
    """
    if spec.path is not None:
        return spec.path if spec.path.is_dir() and has_weights(spec.path) else None
    repo = hf_cache_dir() / f"models--{spec.hf.replace('/', '--')}"
    revision = spec.revision or "main"
    commit = revision
    ref = repo / "refs" / revision
    if ref.is_file():
        commit = ref.read_text(encoding="utf-8").strip()
    folder = repo / "snapshots" / commit
    return folder if folder.is_dir() and has_weights(folder) else None


def folder_fingerprint(folder: Path) -> str:
    """Names, sizes and times of a local model folder's files: changes when the model does."""
    parts = []
    for path in sorted(folder.iterdir()):
        if path.is_file():
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}")
    return "|".join(parts)


def resolved_revision(spec: ModelSpec, folder: Path) -> str:
    """The commit a hub model was loaded at (its snapshot folder name), or "local"."""
    if spec.path is not None:
        return "local"
    return folder.name


def fetch_hint(spec: ModelSpec) -> str:
    """How the user gets the weights."""
    if spec.path is not None:
        return f"check the path in models.yaml, or build test models with 'summarizer models tiny DIR'"
    return (f"download it once with 'summarizer models fetch {spec.name}' where the hub is reachable "
            f"(or copy a Hugging Face cache here); later runs load it offline (HF_HUB_OFFLINE=1)")


def unavailable(spec: ModelSpec) -> ModelUnavailable:
    """The one-line error for a model that is not here and cannot be downloaded now."""
    if spec.path is not None:
        reason = "folder is missing or has no config.json and weights"
    elif hub_offline():
        reason = "is not downloaded and HF_HUB_OFFLINE=1 forbids downloading"
    else:
        host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname
        reason = f"is not downloaded and {host} cannot be reached"
    return ModelUnavailable(spec.name, spec.ref, reason, fetch_hint(spec))


def fetch(spec: ModelSpec, progress: bool = True) -> Path:
    """Download a hub model's inference files into the Hugging Face cache (with progress bars).

    Only what inference needs: configs, tokenizer files and one weights format (safetensors
    when the repo has it).

    Raises:
        ModelUnavailable: the model is a local folder that is missing, or the hub cannot be reached.
    """
    if spec.path is not None:
        folder = local_folder(spec)
        if folder is None:
            raise unavailable(spec)
        return folder
    if not hub_reachable():
        raise unavailable(spec)
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

    (enable_progress_bars if progress else disable_progress_bars)()
    files = HfApi().list_repo_files(spec.hf, revision=spec.revision or "main")
    weights = ["*.safetensors"] if any(f.endswith(".safetensors") for f in files) else ["pytorch_model*.bin"]
    return Path(snapshot_download(spec.hf, revision=spec.revision or "main",
                                  allow_patterns=SMALL_PATTERNS + weights))


def ensure_local(spec: ModelSpec) -> Path:
    """The model's local folder; downloads it when missing and the hub is reachable.

    Raises:
        ModelUnavailable: at once (within ~2 s) when the weights are missing and cannot be fetched.
    """
    folder = local_folder(spec)
    if folder is not None:
        return folder
    if spec.path is not None or not hub_reachable():
        raise unavailable(spec)
    log.info("downloading model '%s' (%s) into the Hugging Face cache (once)", spec.name, spec.ref)
    return fetch(spec, progress=False)
