"""``sohoa worker``: worker processes for the configured broker.

One process per core by default (OCR is CPU-bound and Tesseract runs one thread); threads per
process for the I/O-bound stages; ``--queues`` lets OCR processes and I/O stages be sized apart.
The parent supervises: a child that dies (killed, out of memory) is started again, after a
backoff that doubles while children keep dying young (see :mod:`workers.supervisor`), and its
unacknowledged messages are redelivered by the broker to the others meanwhile. The parent also
enqueues the ``sweep_stalled`` maintenance actor every ``SOHOA_SWEEP_INTERVAL`` seconds.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import time

import click
import dramatiq

from scripts.common import one_thread_per_library, settings_from_env
from workers.queues import BY_ACTOR, QUEUES
from workers.supervisor import RestartBackoff, SweepScheduler

log = logging.getLogger("sohoa.worker")


def _queue_names(selected: tuple[str, ...]) -> set[str] | None:
    if not selected:
        return None
    short = {q.queue.split(".", 1)[1]: q.queue for q in QUEUES}
    names = set()
    for name in selected:
        full = short.get(name, name)
        if full not in short.values():
            raise click.BadParameter(f"unknown queue {name!r}; known: {', '.join(short)}")
        names.add(full)
    return names


def run_worker_process(threads: int, queues: set[str] | None, parent_pid: int | None = None,
                       metrics_dir: str | None = None) -> None:
    """Body of one worker process: own runtime and pools, consume until SIGTERM/SIGINT.

    It stops (SIGTERM) when its parent dies, beats in ``worker_heartbeats`` while it runs, and,
    with ``metrics_dir``, records dramatiq's and the stages' metrics there for the parent's endpoint.
    """
    one_thread_per_library()  # first: before numpy and OpenCV are imported
    stopping = {"flag": False}

    def _stop(_signum, _frame):
        stopping["flag"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if parent_pid is not None:
        from workers.liveness import die_with_parent

        die_with_parent(parent_pid)
    if metrics_dir:
        os.environ["dramatiq_prom_db"] = metrics_dir  # read by dramatiq's middleware when imported
    import dramatiq

    from workers.app import build_app
    from workers.liveness import Heartbeat

    from workers.tuning import hold_one_message_per_thread, tune_worker_process

    settings = settings_from_env()
    runtime, broker = build_app(settings)
    tune_worker_process()
    if metrics_dir:
        from dramatiq.middleware.prometheus import Prometheus

        from workers.metrics import install_database_counters, install_stage_histograms

        broker.add_middleware(Prometheus())
        broker.emit_after("process_boot")  # what dramatiq's own CLI does: the middleware sets up here
        install_stage_histograms()
        install_database_counters(runtime.sessions.kw["bind"])
    heartbeat = Heartbeat(runtime, queues=sorted(queues) if queues else None, threads=threads)
    broker.add_middleware(_Finished(heartbeat.message_done))
    worker = dramatiq.Worker(broker, worker_threads=threads, queues=queues, worker_timeout=1000)
    hold_one_message_per_thread(worker, threads)
    worker.start()
    try:
        heartbeat.start()
    except Exception as exc:  # the database is down at boot: the thread keeps trying
        log.warning("heartbeat: first beat failed (%s)", type(exc).__name__)
    log.info("worker %s consuming %s with %s threads", os.getpid(), sorted(queues or ["all"]), threads,
             extra={"worker": heartbeat.worker_id})
    while not stopping["flag"]:
        time.sleep(0.5)
    worker.stop(timeout=settings.ocr_timeout * 1000)
    heartbeat.stop()
    broker.close()


class _Finished(dramatiq.Middleware):
    """Calls ``done()`` after every message this process finished (for its heartbeat's count)."""

    def __init__(self, done) -> None:
        self.done = done

    def after_process_message(self, broker, message, *, result=None, exception=None) -> None:
        self.done()

    after_skip_message = after_process_message


@click.command()
@click.option("--processes", type=int, help="Worker processes (default SOHOA_WORKER_PROCESSES or one per core)")
@click.option("--threads", type=int, help="Threads per process (default SOHOA_WORKER_THREADS)")
@click.option("--queues", "-Q", multiple=True, help="Only these queues: ingest, ocr, analyse, maintenance")
def worker(processes: int | None, threads: int | None, queues: tuple[str, ...]) -> None:
    """Start worker processes for SOHOA_BROKER_URL (RabbitMQ or Redis)."""
    settings = settings_from_env()
    if settings.embedded:
        raise click.UsageError("SOHOA_BROKER_URL is stub://: workers need a RabbitMQ (amqp://) or Redis broker")
    from workers.embedded import ensure_database

    ensure_database(settings)
    processes = processes or settings.worker_processes or os.cpu_count() or 1
    threads = threads or settings.worker_threads
    selected = _queue_names(queues)
    if settings.ocr_engine == "tesseract" and (selected is None or BY_ACTOR["read_page"].queue in selected):
        from ocr.tesseract import check_installation

        # A wrong SOHOA_TESSERACT_CMD / SOHOA_OCR_LANG stops the parent, instead of children crash-looping.
        check_installation(settings.tesseract_cmd, settings.ocr_lang)
    ctx = multiprocessing.get_context("spawn")
    stopping = {"flag": False}

    def _stop(_signum, _frame):
        stopping["flag"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    metrics_dir = _metrics_endpoint(settings)
    slots = [_Slot(ctx, threads, selected, metrics_dir) for _ in range(processes)]
    scheduler = _sweep_scheduler(settings, selected)
    click.echo(f"sohoa worker: {processes} processes x {threads} threads, pid {os.getpid()}")
    try:
        while not stopping["flag"]:
            time.sleep(SUPERVISE_EVERY_S)
            for slot in slots:
                if not stopping["flag"]:
                    slot.supervise()
            if scheduler is not None and not stopping["flag"]:
                scheduler.tick()
    finally:
        children = [slot.child for slot in slots if slot.child is not None]
        for child in children:
            if child.is_alive():
                child.terminate()
        for child in children:
            child.join(timeout=settings.ocr_timeout + 30)
        if metrics_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _metrics_endpoint(settings) -> str | None:
    """A fresh multiprocess directory for this parent's children, served on SOHOA_WORKER_METRICS_PORT."""
    if not settings.worker_metrics_port:
        return None
    from workers.metrics import serve_multiprocess

    directory = tempfile.mkdtemp(prefix="sohoa-worker-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    serve_multiprocess(directory, "0.0.0.0", settings.worker_metrics_port)
    return directory


SUPERVISE_EVERY_S = 0.5


class _Slot:
    """One worker process of the pool: started, watched, restarted with backoff when it dies."""

    def __init__(self, ctx, threads: int, queues: set[str] | None, metrics_dir: str | None = None) -> None:
        self.ctx, self.threads, self.queues, self.metrics_dir = ctx, threads, queues, metrics_dir
        self.backoff = RestartBackoff()
        self.child: multiprocessing.Process | None = None
        self.started_at = 0.0
        self.restart_at: float | None = None
        self._start()

    def _start(self) -> None:
        self.child = self.ctx.Process(target=run_worker_process, daemon=False,
                                      args=(self.threads, self.queues, os.getpid(), self.metrics_dir))
        self.child.start()
        self.started_at, self.restart_at = time.monotonic(), None

    def supervise(self) -> None:
        """Notice a dead child and schedule its restart; start it when its backoff is over."""
        now = time.monotonic()
        if self.restart_at is None and self.child is not None and not self.child.is_alive():
            delay = self.backoff.after_exit(now - self.started_at)
            log.warning("worker process %s exited with %s; starting a new one in %.0f s (crash %s in a row)",
                        self.child.pid, self.child.exitcode, delay, self.backoff.crashes)
            if self.metrics_dir:
                from prometheus_client import multiprocess

                multiprocess.mark_process_dead(self.child.pid, self.metrics_dir)
            self.restart_at = now + delay
        if self.restart_at is not None and now >= self.restart_at:
            self._start()


def _sweep_scheduler(settings, queues: set[str] | None) -> SweepScheduler | None:
    """The sweep schedule, if enabled and these workers consume the maintenance queue."""
    if not settings.sweep_interval:
        return None
    if queues is not None and BY_ACTOR["sweep_stalled"].queue not in queues:
        return None  # sweeps would pile up where none of these processes reads them
    return SweepScheduler(settings)
