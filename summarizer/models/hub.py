"""Where model weights are: local folders, the Hugging Face cache, or (with network) the hub.

Nothing here waits on a network that is not there: presence is checked in the local cache
first, and the hub is probed with a 2-second connect before any download is tried. A folder
that is there is also checked for what breaks loading later (a truncated weights file, no
tokenizer), so the user hears which model is broken and how to fix it, before any work.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from ..config import ModelSpec
from ..errors import ModelUnavailable
from .files import folder_problem, has_weights

log = logging.getLogger("summarizer")
SMALL_PATTERNS = ["*.json", "*.model", "*.spm", "*.txt", "sentencepiece*", "spiece*"]


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def hub_offline() -> bool:
    """True when the user forbade network access to the hub (HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE)."""
    return _truthy(os.environ.get("HF_HUB_OFFLINE")) or _truthy(os.environ.get("TRANSFORMERS_OFFLINE"))


def hub_host() -> str:
    """The hub's host name ($HF_ENDPOINT, else huggingface.co)."""
    return urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"


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


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache ($HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME") or
                                                     os.path.join(os.path.expanduser("~"), ".cache"), "huggingface")
    return Path(home) / "hub"


def local_folder(spec: ModelSpec) -> Path | None:
    """The folder holding the model's files on this machine (config and weights present), or None.

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
        return "check the path in models.yaml, or build test models with 'summarizer models tiny DIR'"
    return (f"download it once with 'summarizer models fetch {spec.name}' where the hub is reachable "
            f"(or copy a Hugging Face cache here); later runs load it offline (HF_HUB_OFFLINE=1)")


def repair_hint(spec: ModelSpec, folder: Path) -> str:
    """How the user replaces a broken model folder."""
    if spec.path is not None:
        return f"replace the model's files in {folder} (or rebuild test models with 'summarizer models tiny DIR')"
    return f"download it again with 'summarizer models fetch {spec.name} --force' where the hub is reachable"


def unavailable(spec: ModelSpec, reason: str | None = None) -> ModelUnavailable:
    """The one-line error for a model that is not here and cannot be downloaded now."""
    if reason is None and spec.path is not None:
        reason = "folder is missing or has no config.json and weights"
    elif reason is None and hub_offline():
        reason = "is not downloaded and HF_HUB_OFFLINE=1 forbids downloading"
    elif reason is None:
        reason = f"is not downloaded and {hub_host()} cannot be reached"
    return ModelUnavailable(spec.name, spec.ref, reason, fetch_hint(spec))


def broken(spec: ModelSpec, folder: Path, problem: str) -> ModelUnavailable:
    """The one-line error for a model folder that is there but cannot be loaded."""
    return ModelUnavailable(spec.name, spec.ref, f"is broken in {folder}: {problem}", repair_hint(spec, folder))


def ensure_local(spec: ModelSpec, progress: bool = False) -> Path:
    """The model's local, intact folder; downloads it when missing and the hub is reachable.

    Args:
        spec: the model.
        progress: show download progress bars (a terminal); otherwise sizes are logged.

    Raises:
        ModelUnavailable: at once (within ~2 s) when the weights are missing and cannot be
            fetched, or when the folder is broken (the message says what is wrong and the fix).
    """
    folder = local_folder(spec)
    if folder is None:
        if spec.path is not None or not hub_reachable():
            raise unavailable(spec)
        folder = fetch(spec, progress=progress)
    problem = folder_problem(folder)
    if problem:
        raise broken(spec, folder, problem)
    return folder


def fetch(spec: ModelSpec, progress: bool = True, force: bool = False) -> Path:
    """Download a hub model's inference files into the Hugging Face cache.

    Only what inference needs: configs, tokenizer files and one weights format (safetensors
    when the repo has it). With `progress`, the hub's progress bars show; without, what is
    downloaded and its size are logged (cron logs say where gigabytes went).

    Raises:
        ModelUnavailable: the model is a local folder that is missing, the hub cannot be
            reached, or it answers with an error (a proxy, a captive portal, a wrong HF_ENDPOINT).
    """
    if spec.path is not None:
        folder = local_folder(spec)
        if folder is None:
            raise unavailable(spec)
        return folder
    if not hub_reachable():
        raise unavailable(spec)
    from .download import download

    started = time.perf_counter()
    try:
        folder, size = download(spec, SMALL_PATTERNS, progress=progress, force=force)
    except Exception as exc:  # noqa: BLE001 - whatever the hub or the network answered: one line
        answer = describe_error(exc)
        if answer.startswith(("HTTP 404", "HTTP 401", "HTTP 403")):
            raise ModelUnavailable(spec.name, spec.ref, f"could not be downloaded: {hub_host()} answered {answer}",
                                   f"check the hub id '{spec.hf}' of '{spec.name}' in models.yaml (a typo, or a "
                                   f"private or gated model: log in with 'hf auth login' first)") from None
        raise unavailable(spec, f"could not be downloaded: {hub_host()} answered {answer}") from None
    log.info("downloaded model '%s' (%s): %.1f MB in %.1fs into %s", spec.name, spec.ref, size / 1e6,
             time.perf_counter() - started, folder)
    return folder


def describe_error(exc: BaseException) -> str:
    """A hub or network error in a few words ("HTTP 404 Not Found", "ConnectError: ...")."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if status is not None:
        reason = getattr(response, "reason_phrase", "") or ""
        return f"HTTP {status} {reason}".strip()
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200]
