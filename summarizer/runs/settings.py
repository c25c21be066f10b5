"""What a run is asked to do: the CLI's `summarizer run` options, typed, for the library."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional


@dataclass
class RunSettings:
    """Everything a run is asked to do (the CLI's `summarizer run` options, typed).

    Attributes:
        inputs: files, folders, URLs, or "-" for stdin.
        out: the output folder.
        models: models.yaml (None: $SUMMARIZER_MODELS or the bundled one).
        profile: profile of models.yaml.
        device, engine, threads, compute_type: where and how models run (None: defaults).
        max_bytes: size cap of one input.
        state: state database (None: OUT/state.sqlite).
        force: redo articles already done.
        wait: wait for another run's lock instead of raising LockedError.
        window: articles pooled per window.
        glossary: CSV of terms rendered exactly.
        strict: replace unsupported summary sentences.
        digest: write the digest at the end.
        retry: retry degenerate translations once.
        sources: a sources.yaml or OPML file of feeds to read.
        follow: "teaser", "always" or "never": fetch feed items' pages (None: each feed's setting,
            else "teaser"). Feed files on disk are read as they are.
        contact, delay, max_pages, concurrency, fetch_timeout, allow_private: politeness of
            fetching (see ingest.fetch.FetchSettings).
        max_items: most new items taken from one feed in one run (the rest wait for the next run).
        executor: "local" (this process) or "ray" (Ray actors; needs the `ray` extra).
        ray_address, actors, cpus_per_actor, gpus_per_actor: see runs.ray_exec.RaySettings.
        download_progress: progress bars for model downloads (a terminal); else sizes are logged.
        handle_signals: SIGINT/SIGTERM stop the run gracefully (main thread only).
        max_attempts: failed attempts (runs) after which an input is given up: skipped, saying so, and no
            longer making the exit code 1, until it changes or `retry --given-up` tries it.
        retry_given_up: try given-up inputs too (set by `retry_settings(given_up=True)`).
        retry_refs: run only these items (set by `retry_settings`).
        retry_origins: where those of them that came from the web came from ({ref: {feed, url, ...}}):
            they are fetched again with the trust they had, never more.
    """

    inputs: list[str]
    out: Path
    models: Optional[Path] = None
    profile: str = "default"
    device: Optional[str] = None
    engine: Optional[str] = None
    threads: Optional[int] = None
    compute_type: Optional[str] = None
    max_bytes: int = 5_000_000
    state: Optional[Path] = None
    force: bool = False
    wait: bool = False
    window: Optional[int] = None  # None: 32 articles
    glossary: Optional[Path] = None
    strict: bool = False
    digest: bool = False
    retry: bool = True
    sources: Optional[Path] = None
    follow: Optional[str] = None
    contact: Optional[str] = None
    delay: float = 1.0
    max_pages: int = 50
    concurrency: int = 4
    fetch_timeout: float = 20.0
    allow_private: bool = False
    max_items: int = 200
    executor: str = "local"
    ray_address: Optional[str] = None
    actors: int = 2
    cpus_per_actor: float = 1.0
    gpus_per_actor: float = 0.0
    download_progress: bool = False
    handle_signals: bool = True
    max_attempts: int = 3
    retry_given_up: bool = False
    retry_refs: list[str] = field(default_factory=list)
    retry_origins: dict[str, dict] = field(default_factory=dict)

    def saved(self) -> dict:
        """What `summarizer retry` needs to run again the same way."""
        data = asdict(self)
        for key in ("models", "out", "state", "glossary", "sources"):
            data[key] = str(Path(data[key]).resolve()) if data[key] else None
        data.pop("retry_refs")
        data.pop("retry_origins")
        return data
