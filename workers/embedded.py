"""The embedded default: the same actors, on dramatiq's StubBroker, with an in-process worker.

``sohoa run`` and ``sohoa eval`` use :func:`process_paths`; with a real broker configured,
``sohoa run`` instead enqueues and waits for the separate ``sohoa worker`` processes
(:func:`wait_for_batch`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import dramatiq

from schemas.settings import Settings
from storage import repo
from storage.db import transaction
from workers.app import build_app
from workers.intake import IntakeReport, progress_counts, register_paths, settle
from workers.runtime import Runtime
from workers.tuning import tune_worker_process

ProgressFn = Callable[[dict[str, int]], None]


def ensure_database(settings: Settings) -> None:
    """Migrate the database to head and load reference data (fast when already done)."""
    from storage.dbcheck import is_ready

    if is_ready(settings.effective_database_url):
        return  # the usual start: no Alembic import (~0.3 CPU s)
    from storage.migrate import upgrade_database

    upgrade_database(settings.effective_database_url)


# Progress is read from the database at most this often (a count over the batch's pages is not free).
PROGRESS_EVERY_S = 1.0


def process_paths(
    settings: Settings,
    paths: Iterable[Path],
    batch_name: str,
    *,
    ocr_engine: Any = None,
    threads: int | None = None,
    manifest: Path | None = None,
    retry_failed: bool = False,
    progress: ProgressFn | None = None,
    progress_every_s: float = PROGRESS_EVERY_S,
    on_file: Callable | None = None,
) -> IntakeReport:
    """Ingest ``paths`` as batch ``batch_name`` and process every file to the end, in this process.

    Files left unfinished by an earlier run that died are resumed (this process's broker is the
    only one: their messages died with it). ``progress`` is told the counts every
    ``progress_every_s``, or, with ``math.inf``, once at the end.
    """
    ensure_database(settings)
    runtime, broker = build_app(settings, ocr_engine=ocr_engine)
    threads = threads or settings.worker_processes or os.cpu_count() or 1
    tune_worker_process()
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=100)
    worker.start()  # before intake: the first file is read while the rest are still hashed and stored
    try:
        report = register_paths(runtime, paths, batch_name, manifest=manifest, retry_failed=retry_failed,
                                resume_queued=True, on_file=on_file, send_as_recorded=True)
        _join_all(broker, runtime, report.to_process, progress, progress_every_s)
    except BaseException:
        worker.stop()  # wait for the messages in hand to end
        raise
    # Drained: every message is acknowledged, none is in hand. dramatiq's stop tells the worker
    # threads, waits out their poll (worker_timeout), then does the same for the consumer threads:
    # ~0.2 s with both cores idle at the end of every run. Told together, they end in one poll; they
    # are still joined, so none is left to take a message sent on this broker afterwards.
    for thread in [*worker.workers, *worker.consumers.values()]:
        thread.stop()
    worker.stop()
    settle(runtime, report)
    return report


def _join_all(broker: dramatiq.Broker, runtime: Runtime, file_ids: list[int], progress: ProgressFn | None,
              every_s: float) -> None:
    """Wait until no queue (nor its delay queue) holds work; actors enqueue further work as they go."""
    queues = [broker.queues[name] for name in (*broker.get_declared_queues(), *broker.get_declared_delay_queues())]
    last = 0.0
    while True:
        for queue in queues:
            while not _drained(queue, timeout_s=0.5):
                if progress and time.monotonic() - last >= every_s:
                    progress(progress_counts(runtime, file_ids))
                    last = time.monotonic()
        if all(queue.unfinished_tasks == 0 for queue in queues):
            break
    if progress:
        progress(progress_counts(runtime, file_ids))


def _drained(queue, timeout_s: float) -> bool:
    """Wait up to ``timeout_s`` for every message put on ``queue`` to be done.

    On the queue's own condition, not ``StubBroker.join(timeout=…)``: each of its timeouts leaves
    a thread blocked until the queue drains, two a second, so a run of some hours would pile up
    tens of thousands of threads.
    """
    with queue.all_tasks_done:
        return queue.all_tasks_done.wait_for(lambda: queue.unfinished_tasks == 0, timeout_s)


def _progress(runtime: Runtime, batch_name: str) -> dict[str, int]:
    with transaction(runtime.sessions) as s:
        return repo.batch_progress(s, batch_name)


def wait_for_batch(
    runtime: Runtime, batch_name: str, *, timeout_s: float | None = None, progress: ProgressFn | None = None,
    poll_s: float = 1.0,
) -> dict[str, int]:
    """Poll the database until every file of the batch is done or failed (separate workers)."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while True:
        counts = _progress(runtime, batch_name)
        if progress:
            progress(counts)
        finished = counts.get("files_done", 0) + counts.get("files_failed", 0) + counts.get("files_duplicate", 0)
        if finished >= counts.get("files_total", 0):
            return counts
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"batch {batch_name} not finished after {timeout_s} s: {counts}")
        time.sleep(poll_s)


def wait_for_files(
    runtime: Runtime, file_ids: list[int], *, timeout_s: float | None = None, progress: ProgressFn | None = None,
    poll_s: float = PROGRESS_EVERY_S,
) -> dict[str, int]:
    """Poll the database (every ``poll_s``) until every one of ``file_ids`` is done or failed."""
    from workers.intake import progress_counts

    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while True:
        counts = progress_counts(runtime, file_ids)
        if progress:
            progress(counts)
        if counts["files_done"] + counts["files_failed"] >= counts["files_total"]:
            return counts
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"{len(file_ids)} files not finished after {timeout_s} s: {counts}")
        time.sleep(_next_poll_s(counts, poll_s))


# The command ends at the first poll after the last file: at one poll a second, a run waited half a
# second on average with every worker idle (a tenth of a 16-page run on two workers). The last few
# files are polled ten times a second instead: a few short queries, for a second or two per run.
ENDGAME_FILES = 4
ENDGAME_POLL_S = 0.1


def _next_poll_s(counts: dict[str, int], poll_s: float) -> float:
    unfinished = counts["files_total"] - counts["files_done"] - counts["files_failed"]
    return min(poll_s, ENDGAME_POLL_S) if unfinished <= ENDGAME_FILES else poll_s
