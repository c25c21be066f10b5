"""`summarizer run` and `summarizer retry`: drive the pipeline, write outputs, keep state, report.

CLI side (prints). A run takes the output folder's lock, repairs what a killed run left
(temporary files, briefs.jsonl), skips articles already done under the same pipeline
fingerprint, and on SIGINT/SIGTERM stops taking new articles, finishes the current window,
flushes state and exits 130/143.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

from rich.console import Console

from . import hub
from .config import load_config
from .faults import crash_point
from .glossary import Glossary
from .output import OutputDir
from .pipeline import Pipeline, PipelineOptions
from .progress import Progress
from .report import RunReport
from .stages.ingest import estimate_total, iter_articles, iter_refs
from .store import Store, open_existing, state_file
from .types import Article, Brief, Failure

DONE_REASON = "already done (same article, same pipeline)"


@dataclass
class RunSettings:
    """Everything `summarizer run` was asked to do."""

    inputs: list[str]
    out: Path
    models: Optional[Path] = None
    profile: str = "default"
    device: Optional[str] = None
    engine: Optional[str] = None
    threads: Optional[int] = None
    max_bytes: int = 5_000_000
    state: Optional[Path] = None
    force: bool = False
    wait: bool = False
    quiet: bool = False
    log_format: str = "text"
    log_every: int = 100
    window: int = 32
    glossary: Optional[Path] = None
    strict: bool = False
    digest: bool = False
    retry: bool = True
    retry_refs: list[str] = field(default_factory=list)

    def saved(self) -> dict:
        """What `summarizer retry` needs to run again the same way."""
        data = asdict(self)
        data["models"] = str(Path(self.models).resolve()) if self.models else None
        data["out"] = str(Path(self.out).resolve())
        data["state"] = str(Path(self.state).resolve()) if self.state else None
        data["glossary"] = str(Path(self.glossary).resolve()) if self.glossary else None
        data.pop("retry_refs")
        return data


class GracefulStop:
    """First SIGINT/SIGTERM: stop taking new articles. Second: abort at once."""

    def __init__(self) -> None:
        self.signal: str | None = None
        self._old: dict[int, object] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handle)

    def _handle(self, signum, frame) -> None:
        if self.signal is not None:
            raise KeyboardInterrupt
        self.signal = signal.Signals(signum).name

    def wrap(self, items: Iterable[Article | Failure]) -> Iterator[Article | Failure]:
        for item in items:
            if self.signal:
                return
            yield item

    def restore(self) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)  # type: ignore[arg-type]


def execute(settings: RunSettings, console: Console) -> int:
    """Run; return the exit code. ConfigError, ModelUnavailable and LockedError propagate."""
    config = load_config(settings.models)
    glossary = Glossary.load(settings.glossary) if settings.glossary else None
    pipeline = Pipeline(config, settings.profile, device=settings.device, engine=settings.engine,
                        threads=settings.threads, glossary=glossary,
                        options=PipelineOptions(window_articles=settings.window, strict=settings.strict,
                                                retry_degenerate=settings.retry))
    pipeline.check_models()
    if all(hub.local_folder(config.model(m)) for m in pipeline.all_models()):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # every weight is here: loading never asks the hub
    outdir = OutputDir(settings.out)
    outdir.lock(wait=settings.wait)
    stopper = GracefulStop()
    store = report = None
    try:
        store = Store(state_file(settings.out, settings.state))
        pipeline.memory = store
        temp = outdir.cleanup_temp()
        repaired = outdir.reconcile(store.done_ids(), store.unsynced())
        store.set_synced(store.unsynced())
        run_id = store.start_run(settings.saved())
        report = RunReport(store, run_id, list(settings.inputs or settings.retry_refs), str(settings.out),
                           pipeline.profile.name)
        if settings.retry_refs:
            items: Iterable = iter_refs(settings.retry_refs, max_bytes=settings.max_bytes)
            total = len(settings.retry_refs)
        else:
            items = iter_articles(settings.inputs, max_bytes=settings.max_bytes, stdin=sys.stdin.buffer)
            total = estimate_total(settings.inputs)
        progress = Progress(console, total, settings.quiet, settings.log_format, settings.log_every)
        if temp or any(repaired.values()):
            progress.notice(f"repaired after an interrupted run: {temp} temporary files removed, briefs.jsonl "
                            f"{repaired}", repaired=repaired, temp_files=temp)
        _loop(pipeline, stopper.wrap(items), outdir, store, report, progress, settings.force)
    except KeyboardInterrupt:
        if report is None:
            raise
        report.interrupted = stopper.signal or "SIGINT"
    finally:
        stopper.restore()
        if store is not None and report is not None:
            report.interrupted = report.interrupted or stopper.signal
            store.set_synced(outdir.flush_replacements())
            report.models = {name: {**m.info(), "calls": m.engine.stats.calls, "sequences": m.engine.stats.sequences}
                             for name, m in pipeline.registry.loaded().items()}
            report.extra["translation_memory"] = {"hits": pipeline.memory_stats.hits,
                                                  "misses": pipeline.memory_stats.misses,
                                                  "retries": pipeline.memory_stats.retries}
            report.extra["model_calls"] = sum(m.engine.stats.calls for m in pipeline.registry.loaded().values())
            report.extra["name_variants"] = pipeline.names.report()
            if settings.digest:
                report.extra["digest"] = [str(p) for p in outdir.write_digest()]
            path = outdir.write_report(report.header(), report.articles())
            store.finish_run(run_id, report.exit_code)
            progress.stop()
            _summary(console, settings, report, path)
        if store is not None:
            store.close()
        outdir.unlock()
    return report.exit_code


def _loop(pipeline: Pipeline, items, outdir: OutputDir, store: Store, report: RunReport, progress: Progress,
          force: bool) -> None:
    def skip(article_id: str, fingerprint: str) -> str | None:
        return None if force or not store.is_done(article_id, fingerprint) else DONE_REASON

    def pending(preps) -> None:
        store.mark_many((p.id, p.fingerprint, p.article.ref, "pending", None, None) for p in preps)

    for result in pipeline.run(items, skip=skip, on_window=pending):
        if isinstance(result, Brief):
            replaced = outdir.write_brief(result)
            crash_point("mark")
            store.mark_many([(result.id, result.fingerprint, result.source.get("ref") or "", "done", None, None)],
                            synced=not replaced)
        elif result.status == "failed" and result.id and result.fingerprint:
            store.mark_many([(result.id, result.fingerprint, result.ref, "failed", result.stage, result.error)])
        report.add(result)
        progress.update(result)


def _summary(console: Console, settings: RunSettings, report: RunReport, path: Path) -> None:
    c = report.counts
    line = (f"{c['new']} new, {c['skipped']} skipped, {c['failed']} failed in {report.elapsed:.1f}s "
            f"-> {settings.out} (report: {path})")
    if report.interrupted:
        line = f"interrupted by {report.interrupted}: {line}; run again to finish the rest"
    if settings.log_format == "json":
        record = {"event": "summary", **report.header()["counts"], "interrupted": report.interrupted,
                  "exit_code": report.exit_code, "report": str(path)}
        console.print(json.dumps(record, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
    elif not settings.quiet or c["failed"] or report.interrupted:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def retry_settings(out: Path, state: Optional[Path]) -> RunSettings:
    """Settings of the last run in `out`, aimed at its failed items only."""
    from .errors import ConfigError

    store = open_existing(out, state)
    try:
        last = store.last_run()
        if last is None:
            raise ConfigError(f"no run recorded in {store.path}")
        run_id, saved, _, _ = last
        refs = [row[1] for row in store.items(run_id, status="failed")]
    finally:
        store.close()
    saved["out"] = Path(saved["out"])
    for key in ("models", "state", "glossary"):
        saved[key] = Path(saved[key]) if saved.get(key) else None
    return RunSettings(**{**saved, "inputs": [], "retry_refs": refs, "force": False})
