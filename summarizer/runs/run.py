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
import sqlite3
import sys
from collections.abc import Iterable
from typing import Any, BinaryIO, Protocol

from ..desk.digests import run_digest
from ..desk.pages import render_edited
from ..desk.search import index_statements
from ..errors import LockedError, OutputError, SummarizerError
from ..faults import crash_point
from ..ingest.sources import load_sources
from ..pipeline import Pipeline
from ..store.attempts import record_attempt, set_summary
from ..store.edits import Edits
from ..store.failures import Failures
from ..store.feedstate import save_feed_report
from ..store.outdir import OutputDir, Repairs, append_history, state_path
from ..store.state import ArticleRow, Store
from ..types import Article, Brief, Failure
from .build import attach, build_pipeline
from .failbook import FailureBook
from .feeds import Inputs, open_inputs
from .names import remember_names
from .report import RunReport
from .retry import retry_settings
from .settings import RunSettings
from .signals import GracefulStop

__all__ = ["RunObserver", "build_pipeline", "retry_settings", "run_folder"]

DONE_REASON = "already done (same article, same pipeline)"
INTERNAL_ERROR = 70  # a bug, not the user's input: EX_SOFTWARE
LOCKED = 75  # another run holds the folder: EX_TEMPFAIL


class RunObserver(Protocol):
    """Hears how a run goes (the CLI's progress display is one). Every method is optional work."""

    def begin(self, run_id: int) -> None:
        """The attempt has its id in the state (logs carry it); optional."""

    def started(self, total: int | None) -> None:
        """The run starts; `total` is the expected number of items (None: unknown)."""

    def notice(self, message: str, **fields: Any) -> None:
        """Something the user should know (repairs after a killed run, a model fallback)."""

    def result(self, result: Brief | Failure) -> None:
        """One item is finished (a brief written, or a failure or skip recorded)."""

    def finished(self, report: RunReport) -> None:
        """The run is over and its report written."""


class _Silent:
    def begin(self, run_id: int) -> None: ...

    def started(self, total: int | None) -> None: ...

    def notice(self, message: str, **fields: Any) -> None: ...

    def result(self, result: Brief | Failure) -> None: ...

    def finished(self, report: RunReport) -> None: ...


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
        LockedError: another run holds the folder (the attempt is recorded, exit code 75; nothing else
            is written).
        SummarizerError: a configuration or model problem. Before the inputs started to flow it is an
            attempt that failed before starting: recorded in the state and run-history.jsonl, leaving
            the last run's run-report.json as it was; after, the report (exit code 2) is written.
    """
    observer = observer or _Silent()
    outdir = OutputDir(settings.out)
    try:
        outdir.lock(wait=settings.wait)
    except LockedError as exc:
        _record_locked(settings, observer, str(exc))
        raise
    except OSError as exc:
        raise OutputError.from_os(exc, "lock the output folder at") from None
    store = None
    try:
        store = Store(state_path(settings.out, settings.state))
        run_id = store.start_run(settings.saved())
        _begin(observer, run_id)
        report = RunReport(store, run_id, list(settings.inputs or settings.retry_refs), str(settings.out),
                           settings.profile)
        _run(settings, observer, outdir, store, report, stdin)
        return report
    finally:
        if store is not None:
            store.close()
        outdir.unlock()


def _begin(observer: RunObserver, run_id: int) -> None:
    begin = getattr(observer, "begin", None)
    if begin is not None:
        begin(run_id)


def _record_locked(settings: RunSettings, observer: RunObserver, error: str) -> None:
    """An attempt that found the folder locked: its own row and history line, nothing else touched (when
    even that cannot be written, the lock's error is still what the caller hears)."""
    try:
        store = Store(state_path(settings.out, settings.state))
    except SummarizerError:
        return
    try:
        report = RunReport(store, record_attempt(store, settings.saved()), list(settings.inputs or settings.retry_refs),
                           str(settings.out), settings.profile)
        _begin(observer, report.run_id)
        report.error, report.error_code = error, LOCKED
        report.failures = Failures(store).counts()
        append_history(settings.out, report.header())
        set_summary(store, report.run_id, report.summary())
        store.finish_run(report.run_id, report.exit_code)
    except (OSError, sqlite3.Error):
        pass
    finally:
        store.close()


def _run(settings: RunSettings, observer: RunObserver, outdir: OutputDir, store: Store, report: RunReport,
         stdin: BinaryIO | None) -> None:
    stopper = GracefulStop(settings.handle_signals)
    pipeline = inputs = None
    try:
        pipeline = build_pipeline(settings)
        report.profile = pipeline.profile.name
        if settings.sources:
            load_sources(settings.sources)  # a bad sources file is a configuration error: say it before models
        attach(pipeline, store, report.run_id)
        _recover(outdir, store, observer)
        inputs = open_inputs(settings, store, pipeline, stdin if stdin is not None else sys.stdin.buffer)
        report.started, report.total = True, inputs.total
        set_summary(store, report.run_id, report.summary())  # a killed run still says what it expected
        observer.started(inputs.total)
        book = FailureBook(store, report.run_id, settings.max_attempts, settings.retry_given_up)
        report.given_up = book.given_up  # the same list: an interrupted run still reports them
        _loop(pipeline, stopper.wrap(inputs.items), outdir, store, report, observer, settings.force, inputs, book)
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
          report: RunReport, observer: RunObserver, force: bool, inputs: Inputs, book: FailureBook) -> None:
    def skip(article_id: str, fingerprint: str) -> str | None:
        if not force and store.is_done(article_id, fingerprint):
            return DONE_REASON
        return book.skip_reason(article_id, fingerprint)

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
        result = book.settle(result, origin)
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
        report.extra["names_memory"] = remember_names(store, report.run_id, pipeline)
        if hasattr(pipeline.executor, "describe"):
            report.extra["executor"] = pipeline.executor.describe()
    if settings.digest and report.error is None:
        report.extra.update(run_digest(outdir, Edits(store)))  # never an empty newsletter
    report.failures = Failures(store).counts()
    try:  # an attempt that failed before starting leaves the last run's report as it was
        if report.started:
            report.path = outdir.write_report(report.header(), report.articles())
        append_history(outdir.root, report.header())
    except OSError as exc:  # the disk that stopped the run may stop the report too: say so, do not crash
        if report.error is None:
            report.error = str(OutputError.from_os(exc, "write"))
    set_summary(store, report.run_id, report.summary())
    store.finish_run(report.run_id, report.exit_code)
