"""The cron-grade run of an output folder, as a library call that never prints.

`run_folder(settings, observer)` takes the folder's lock, repairs what a killed run left
(temporary files, briefs.jsonl), skips articles already done under the same pipeline
fingerprint, writes every brief atomically, marks it done, and writes the run report (and the
digest when asked). On SIGINT/SIGTERM it stops taking new articles, finishes the current
window and returns a report with exit code 130/143. The observer hears about progress; the
CLI's progress bar is one.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, Optional, Protocol

from ..config import load_config
from ..desk.digests import EmptyDigest, write_day
from ..desk.pages import render_edited
from ..desk.search import index_statements
from ..errors import OutputError, SummarizerError
from ..faults import crash_point
from ..ingest.sources import load_sources
from ..models import hub
from ..models.registry import ModelRegistry
from ..pipeline import Pipeline, PipelineOptions
from ..store.edits import Edits
from ..store.feedstate import save_feed_report
from ..store.outdir import OutputDir, Repairs, state_path
from ..store.state import ArticleRow, RunSeen, Store
from ..types import Article, Brief, Failure
from .feeds import Inputs, open_inputs
from .glossary_file import read_glossary
from .report import RunReport
from .settings import RunSettings
from .signals import GracefulStop

DONE_REASON = "already done (same article, same pipeline)"
INTERNAL_ERROR = 70  # a bug, not the user's input: EX_SOFTWARE


class RunObserver(Protocol):
    """Hears how a run goes (the CLI's progress display is one). Every method is optional work."""

    def started(self, total: int | None) -> None:
        """The run starts; `total` is the expected number of items (None: unknown)."""

    def notice(self, message: str, **fields: Any) -> None:
        """Something the user should know (repairs after a killed run, a model fallback)."""

    def result(self, result: Brief | Failure) -> None:
        """One item is finished (a brief written, or a failure or skip recorded)."""

    def finished(self, report: RunReport) -> None:
        """The run is over and its report written."""


class _Silent:
    def started(self, total: int | None) -> None: ...

    def notice(self, message: str, **fields: Any) -> None: ...

    def result(self, result: Brief | Failure) -> None: ...

    def finished(self, report: RunReport) -> None: ...


def build_pipeline(settings: RunSettings) -> Pipeline:
    """The pipeline a run's settings describe (ConfigError for a bad models.yaml, profile or glossary)."""
    config = load_config(settings.models)
    registry = ModelRegistry(config, device=settings.device, engine=settings.engine, threads=settings.threads,
                             compute_type=settings.compute_type, download_progress=settings.download_progress)
    window = settings.window or 32
    options = PipelineOptions(window_articles=window, strict=settings.strict, retry_degenerate=settings.retry)
    glossary = read_glossary(settings.glossary) if settings.glossary else None
    profile = config.profile(settings.profile)
    executor = _ray_executor(settings, config.source, profile.fallback) if settings.executor == "ray" else None
    return Pipeline(config, settings.profile, registry=registry, glossary=glossary, options=options, executor=executor)


def _ray_executor(settings: RunSettings, models: Path, fallback: str | None) -> Any:
    from .ray_exec import RayExecutor, RaySettings, WorkerSpec

    spec = WorkerSpec(models=str(Path(models).resolve()), engine=settings.engine, device=settings.device,
                      compute_type=settings.compute_type, threads=max(1, int(settings.cpus_per_actor)),
                      glossary=str(Path(settings.glossary).resolve()) if settings.glossary else None,
                      retry=settings.retry, fallback=fallback,
                      faults={k: v for k, v in os.environ.items() if k == "SUMMARIZER_CRASH_ONCE"})
    return RayExecutor(RaySettings(address=settings.ray_address, actors=settings.actors,
                                   cpus_per_actor=settings.cpus_per_actor, gpus_per_actor=settings.gpus_per_actor), spec)


def run_folder(settings: RunSettings, observer: RunObserver | None = None,
               stdin: BinaryIO | None = None) -> RunReport:
    """Run the inputs into the output folder, incrementally; never prints.

    Args:
        settings: what to run.
        observer: hears progress (default: nothing).
        stdin: the byte stream "-" reads (default: sys.stdin).

    Returns:
        The run's report (also written to OUT/run-report.json); `exit_code` is what a CLI exits with.

    Raises:
        LockedError: another run holds the folder (nothing is written).
        SummarizerError: a configuration or model problem; the report (exit code 2, the error)
            is written first.
    """
    observer = observer or _Silent()
    outdir = OutputDir(settings.out)
    try:
        outdir.lock(wait=settings.wait)
    except OSError as exc:
        raise OutputError.from_os(exc, "lock the output folder at") from None
    store = None
    try:
        store = Store(state_path(settings.out, settings.state))
        run_id = store.start_run(settings.saved())
        report = RunReport(store, run_id, list(settings.inputs or settings.retry_refs), str(settings.out),
                           settings.profile)
        _run(settings, observer, outdir, store, report, stdin)
        return report
    finally:
        if store is not None:
            store.close()
        outdir.unlock()


def _run(settings: RunSettings, observer: RunObserver, outdir: OutputDir, store: Store, report: RunReport,
         stdin: BinaryIO | None) -> None:
    stopper = GracefulStop(settings.handle_signals)
    pipeline = inputs = None
    try:
        pipeline = build_pipeline(settings)
        report.profile = pipeline.profile.name
        if settings.sources:
            load_sources(settings.sources)  # a bad sources file is a configuration error: say it before models
        pipeline.check_models()
        if all(hub.local_folder(pipeline.config.model(m)) for m in pipeline.all_models()):
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # every weight is here: loading never asks the hub
        pipeline.memory = store
        pipeline.seen = RunSeen(store, report.run_id)
        _recover(outdir, store, observer)
        inputs = open_inputs(settings, store, pipeline, stdin if stdin is not None else sys.stdin.buffer)
        observer.started(inputs.total)
        _loop(pipeline, stopper.wrap(inputs.items), outdir, store, report, observer, settings.force, inputs)
        _feeds_done(inputs, store, report, complete=not stopper.signal)
        if report.seq == 0 and not stopper.signal:
            report.extra["note"] = _nothing_note(settings, inputs)
    except KeyboardInterrupt:
        report.interrupted = stopper.signal or "SIGINT"
    except SummarizerError as exc:
        report.error = str(exc)
        raise
    except OSError as exc:  # the disk, not a bug: disk full, permissions, a read-only file system
        error = OutputError.from_os(exc, "write" if isinstance(exc, PermissionError) or exc.errno in
                                    (errno.ENOSPC, errno.EROFS, errno.EDQUOT) else "use")
        report.error = str(error)
        raise error from None
    except Exception as exc:
        report.error, report.error_code = f"internal error: {type(exc).__name__}: {exc}", INTERNAL_ERROR
        raise
    finally:
        stopper.restore()
        report.interrupted = report.interrupted or stopper.signal
        _finish(settings, outdir, store, report, pipeline)
        if pipeline is not None:
            pipeline.executor.close()
        observer.finished(report)


def _nothing_note(settings: RunSettings, inputs: Inputs) -> str:
    """Why a run had nothing to do, in one line."""
    if inputs.reader is not None and not [i for i in settings.inputs if not i.startswith(("http://", "https://"))]:
        states = sorted({s.status for s in inputs.reader.stats}) or ["no feeds"]
        return f"nothing to do: the feeds had no items to read ({', '.join(states)})"
    return (f"nothing to do: no articles in {', '.join(settings.inputs) or 'the inputs'} (files .txt, .json, .jsonl, "
            f".html, .xml/.rss/.atom, optionally .gz; hidden files and the output folder are not read)")


def _recover(outdir: OutputDir, store: Store, observer: RunObserver) -> None:
    """Repair what a killed run left: temporary files, briefs.jsonl, lost briefs (redone)."""
    temp = outdir.cleanup_temp()
    repairs: Repairs = outdir.reconcile(store.done_ids(), store.unsynced())
    store.set_synced(store.unsynced())
    if repairs.lost:
        store.forget_done(repairs.lost)
    counts = repairs.counts()
    if temp or any(counts.values()):
        observer.notice(f"repaired after an interrupted run: {temp} temporary files removed, briefs.jsonl "
                        f"{counts}", repaired=counts, temp_files=temp)


def _feeds_done(inputs: Inputs, store: Store, report: RunReport, complete: bool) -> None:
    """Per-feed report; the feeds' validators are kept only when every item went through."""
    if inputs.reader is None or inputs.feed_state is None:
        return
    feeds = [s.to_dict() for s in inputs.reader.stats]
    report.extra["feeds"] = feeds
    report.extra["page_requests"] = inputs.reader.fetcher.requests
    save_feed_report(store, report.run_id, feeds)
    if complete:
        inputs.feed_state.commit(inputs.reader.complete_feeds())


def _loop(pipeline: Pipeline, items: Iterable[Article | Failure], outdir: OutputDir, store: Store,
          report: RunReport, observer: RunObserver, force: bool, inputs: Inputs) -> None:
    def skip(article_id: str, fingerprint: str) -> str | None:
        return None if force or not store.is_done(article_id, fingerprint) else DONE_REASON

    listed_before: set[str] = set()  # done before this run took them up: briefs.jsonl has their line

    def pending(segs) -> None:
        listed_before.update(s.id for s in segs if store.is_done(s.id))  # --force marks them pending below
        store.mark(ArticleRow(s.id, s.fingerprint, s.article.ref, "pending") for s in segs)

    reader, feed_state = inputs.reader, inputs.feed_state
    edited = set(Edits(store).current())
    for result in pipeline.run(items, skip=skip, on_window=pending):
        origin = None
        if isinstance(result, Brief):
            listed = result.id in listed_before or store.is_done(result.id)
            listed_before.discard(result.id)  # the set holds a window at most
            outdir.write_brief(result, listed=listed)
            if result.id in edited:  # an edited brief made again: its pages keep the editors' text
                render_edited(outdir, Edits(store), result.to_dict())
            crash_point("mark")
            made = result.to_dict()
            fields = Edits(store).current([result.id]).get(result.id, {}) if result.id in edited else {}
            store.mark_done(ArticleRow(result.id, result.fingerprint, result.source.get("ref") or "", "done"),
                            [(sql, rows[0]) for sql, rows in index_statements(made, fields)], synced=not listed)
            if feed_state is not None:
                feed_state.record(result)
        else:
            if result.status == "failed" and result.id and result.fingerprint:
                store.mark([ArticleRow(result.id, result.fingerprint, result.ref, "failed", result.stage,
                                       result.error)])
            origin = reader.origin(result.ref) if reader is not None else None
        if reader is not None:
            ref = result.source.get("ref") or "" if isinstance(result, Brief) else result.ref
            reader.settle(ref, isinstance(result, Failure) and (result.status == "failed" or
                                                                result.stage == "deferred"))
        report.add(result, origin)
        observer.result(result)


def _finish(settings: RunSettings, outdir: OutputDir, store: Store, report: RunReport,
            pipeline: Pipeline | None) -> None:
    """Bring briefs.jsonl up to date, write the digest and the report, record how the run ended."""
    store.set_synced(outdir.flush_replacements(store.unsynced()))
    if pipeline is not None:
        report.models = pipeline.executor.models_report(pipeline.registry)
        stats = pipeline.memory_stats
        report.extra["translation_memory"] = {"hits": stats.hits, "misses": stats.misses, "retries": stats.retries}
        report.extra["model_calls"] = sum(m["calls"] for m in report.models.values())
        report.extra["name_variants"] = pipeline.names.report()
        if hasattr(pipeline.executor, "describe"):
            report.extra["executor"] = pipeline.executor.describe()
    if settings.digest and report.error is None:
        try:
            report.extra["digest"] = [str(p) for p in write_day(outdir, edits=Edits(store))]
        except EmptyDigest as empty:  # never an empty newsletter; the run itself went well
            report.extra["digest"] = []
            report.extra["digest_skipped"] = str(empty)
    try:
        report.path = outdir.write_report(report.header(), report.articles())
    except OSError as exc:  # the disk that stopped the run may stop the report too: say so, do not crash
        if report.error is None:
            report.error = str(OutputError.from_os(exc, "write"))
    store.finish_run(report.run_id, report.exit_code)


def retry_settings(out: Path, state: Optional[Path] = None) -> RunSettings:
    """Settings of the last run in `out`, aimed at its failed items only."""
    from ..errors import ConfigError

    store = Store.existing(state_path(out, state), out)
    try:
        last = store.last_run()
        if last is None:
            raise ConfigError(f"no run recorded in {store.path}")
        rows = list(store.items(last.run_id, status="failed"))
    finally:
        store.close()
    refs = [row.ref for row in rows]
    origins = {row.ref: json.loads(row.origin) for row in rows if row.origin}
    saved = dict(last.settings)
    known = set(RunSettings.__dataclass_fields__)
    saved = {k: v for k, v in saved.items() if k in known}
    for key in ("out", "models", "state", "glossary"):
        saved[key] = Path(saved[key]) if saved.get(key) else None
    return RunSettings(**{**saved, "inputs": [], "retry_refs": refs, "retry_origins": origins, "force": False})
