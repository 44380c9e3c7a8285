"""Prometheus metrics of Sohoa.

Two places expose them:

* ``/metrics`` of ``sohoa serve`` (:func:`api_registry`): what the whole installation is doing,
  read from the broker and the database by :class:`SohoaCollector` at scrape time - queue depths
  (ready, delayed, dead-letter) and consumers per queue, live workers from their heartbeats, pages,
  files and documents processed and failures by reason (counters the stages keep in the database),
  review backlog by unit and age, per-batch progress. Cheap at a million documents: the counters
  are a few rows, the batch figures are of unfinished batches only, and each source is cached
  for a few seconds so that several Prometheus servers or a dashboard refresh add no load.
* the worker's own endpoint (``sohoa worker``, port ``SOHOA_WORKER_METRICS_PORT``): dramatiq's
  Prometheus middleware (messages, errors, retries, durations per actor) and the stage-duration
  histograms (decode, orientation, deskew, OCR, analyse, save…) fed by a listener on
  :mod:`schemas.stagetimes`, merged over the worker's processes by prometheus_client's
  multiprocess mode (one directory per ``sohoa worker`` parent).

No personal data: labels are queue names, stage names, statuses, reason codes, unit ids and batch
names (batch names are chosen by the archive team; they must not carry citizens' names).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger("sohoa.metrics")

STAGE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
BROKER_TTL_S = 5.0
DATABASE_TTL_S = 10.0
BACKLOG_TTL_S = 60.0


# -- worker side: stage durations ------------------------------------------------------------------

_stage_histogram = None
STAGE_REGISTRY = CollectorRegistry(auto_describe=False)
"""Where the stage histograms live in a single process; in a worker (multiprocess mode) their samples
go to the multiprocess directory instead, whatever the registry."""


def install_stage_histograms() -> None:
    """Observe every timed stage of this process in ``sohoa_stage_seconds{stage}`` (idempotent).

    Call it after prometheus_client's multiprocess directory is set (the worker does, before its
    dramatiq Prometheus middleware boots), so the samples land where the worker's endpoint reads.
    """
    global _stage_histogram
    if _stage_histogram is not None:
        return
    from prometheus_client import Histogram

    from schemas import stagetimes

    _stage_histogram = Histogram("sohoa_stage_seconds", "Wall time of one run of a pipeline stage",
                                 ["stage"], buckets=STAGE_BUCKETS, registry=STAGE_REGISTRY)
    stagetimes.add_listener(_observe_stage)


def _observe_stage(stage: str, wall_s: float, _cpu_s: float) -> None:
    _stage_histogram.labels(stage).observe(wall_s)


def install_database_counters(engine) -> None:
    """Count this process's SQL statements and commits (``sohoa_db_statements_total``,
    ``sohoa_db_commits_total``): the database round trips the work costs."""
    from prometheus_client import Counter
    from sqlalchemy import event

    statements = Counter("sohoa_db_statements", "SQL statements sent to the database by the workers",
                         registry=STAGE_REGISTRY)
    commits = Counter("sohoa_db_commits", "Transactions committed by the workers", registry=STAGE_REGISTRY)
    event.listen(engine, "before_cursor_execute", lambda *args, **kwargs: statements.inc())
    event.listen(engine, "commit", lambda *args: commits.inc())


def serve_multiprocess(directory: str, host: str, port: int) -> threading.Thread | None:
    """Serve the merged metrics of every process writing to ``directory`` on ``host:port``.

    Returns the server thread, or None (with a warning) if the port is taken: a second
    ``sohoa worker`` on the same machine then goes without, instead of failing.
    """
    from http.server import ThreadingHTTPServer

    from prometheus_client import multiprocess
    from prometheus_client.exposition import MetricsHandler

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    handler = MetricsHandler.factory(registry)
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        log.warning("worker metrics: cannot listen on %s:%s (%s); not served", host, port, exc)
        return None
    thread = threading.Thread(target=server.serve_forever, name="sohoa-metrics", daemon=True)
    thread.start()
    return thread


# -- API side: the installation's state --------------------------------------------------------------

class _Cached:
    """A value recomputed at most every ``ttl`` seconds; an error keeps the last value (and says so)."""

    def __init__(self, ttl: float, compute: Callable[[], Any]) -> None:
        self.ttl, self.compute = ttl, compute
        self.value: Any = None
        self.at = float("-inf")
        self.ok = False
        self._lock = threading.Lock()

    def get(self) -> tuple[Any, bool]:
        with self._lock:
            if time.monotonic() - self.at >= self.ttl:
                try:
                    self.value, self.ok = self.compute(), True
                except Exception as exc:  # a scrape must answer even when a service is down
                    log.warning("metrics: %s unavailable (%s: %s)", getattr(self.compute, "__name__", "source"),
                                type(exc).__name__, exc)
                    self.ok = False
                self.at = time.monotonic()
            return self.value, self.ok


class SohoaCollector(Collector):
    """Reads the broker and the database at scrape time (through short caches)."""

    def __init__(self, settings, sessions) -> None:
        self.settings, self.sessions = settings, sessions
        self._broker = None
        self._broker_lock = threading.Lock()
        self.queues = _Cached(BROKER_TTL_S, self._queue_depths)
        self.database = _Cached(DATABASE_TTL_S, self._database)
        self.backlog = _Cached(BACKLOG_TTL_S, self._backlog)

    def _queue_depths(self) -> dict[str, dict[str, Any]]:
        from workers.brokers import make_broker, queue_depths
        from workers.queues import QUEUE_NAMES

        if self.settings.embedded:
            return {}
        with self._broker_lock:
            if self._broker is None:
                self._broker = make_broker(self.settings.broker_url)
                for name in QUEUE_NAMES:
                    self._broker.declare_queue(name)  # in the broker object only until a message is sent
            try:
                return queue_depths(self._broker, list(QUEUE_NAMES))
            except Exception:
                self._broker.close()
                self._broker = None  # a fresh connection next time
                raise

    _queue_depths.__name__ = "broker"

    def _database(self) -> dict[str, Any]:
        from sqlalchemy import func, select

        from schemas.tables import Batch, DeadLetter
        from storage import ops
        from storage.db import transaction

        with transaction(self.sessions) as s:
            counters = ops.counters(s)
            workers = ops.workers(s)
            dead = s.scalar(select(func.count()).select_from(DeadLetter).where(DeadLetter.replayed_at.is_(None)))
            batches = []
            active = ops.active_batch_ids(s)
            recent = ops.batch_pages_recent(s, active, 10)
            for batch in s.scalars(select(Batch).where(Batch.id.in_(active))):
                batches.append(ops.batch_summary(s, batch, stall_minutes=self.settings.stall_minutes,
                                                 recent_pages=recent.get(batch.id, 0)))
            outbox = ops.outbox_waiting(s)
        return {"counters": counters, "workers": workers, "dead_letters": dead or 0, "batches": batches,
                "outbox": outbox}

    _database.__name__ = "database"

    def _backlog(self) -> list[dict[str, Any]]:
        from storage import ops
        from storage.db import transaction

        with transaction(self.sessions) as s:
            return ops.review_backlog(s)

    _backlog.__name__ = "review backlog"

    def describe(self) -> list:
        return []  # collected at scrape time only (no scrape at registration)

    def collect(self) -> Iterator:
        yield from self._collect_queues()
        yield from self._collect_database()
        yield from self._collect_backlog()

    def _collect_queues(self) -> Iterator:
        depths, ok = self.queues.get()
        up = GaugeMetricFamily("sohoa_broker_up", "1 if the broker answered the last queue-depth read")
        up.add_metric([], 1.0 if ok or self.settings.embedded else 0.0)
        yield up
        depth = GaugeMetricFamily("sohoa_queue_messages", "Messages in a queue, read from the broker",
                                  labels=["queue", "state"])
        consumers = GaugeMetricFamily("sohoa_queue_consumers", "Consumers of a queue (RabbitMQ)", labels=["queue"])
        for queue, d in (depths or {}).items():
            for state in ("ready", "delayed", "dead"):
                depth.add_metric([queue, state], float(d.get(state) or 0))
            if d.get("consumers") is not None:
                consumers.add_metric([queue], float(d["consumers"]))
        yield depth
        yield consumers

    def _collect_database(self) -> Iterator:
        data, ok = self.database.get()
        up = GaugeMetricFamily("sohoa_database_up", "1 if the database answered the last read")
        up.add_metric([], 1.0 if ok else 0.0)
        yield up
        if data is None:
            return
        counters = data["counters"]
        for name, help_text, label in (
            ("pages", "Pages finished (read, or failed) by the workers", "status"),
            ("files", "Files finished by the workers", "status"),
            ("documents", "Documents written by the analysis, by status at analysis", "status"),
            ("failures", "Pages and files that failed, by the reason's code", "reason"),
        ):
            family = CounterMetricFamily(f"sohoa_{name}_processed" if name != "failures" else "sohoa_failures",
                                         help_text, labels=[label])
            for value, count in sorted(counters.get(name, {}).items()):
                family.add_metric([value], float(count))
            yield family
        workers = data["workers"]
        live = GaugeMetricFamily("sohoa_workers_live", "Worker processes whose heartbeat is under 60 s old")
        live.add_metric([], float(sum(1 for w in workers if w["live"])))
        yield live
        silent = GaugeMetricFamily("sohoa_workers_silent", "Worker processes seen in the last day but silent for 60 s")
        silent.add_metric([], float(sum(1 for w in workers if not w["live"])))
        yield silent
        dead = GaugeMetricFamily("sohoa_dead_letters", "Dead letters not replayed")
        dead.add_metric([], float(data["dead_letters"]))
        yield dead
        outbox = GaugeMetricFamily("sohoa_outbox_messages", "Messages waiting in the outbox to be sent")
        outbox.add_metric([], float(data["outbox"]["waiting"]))
        yield outbox
        outbox_age = GaugeMetricFamily("sohoa_outbox_oldest_seconds", "Age of the oldest outbox message")
        outbox_age.add_metric([], float(data["outbox"]["oldest_s"]))
        yield outbox_age
        yield from self._collect_batches(data["batches"])

    def _collect_batches(self, batches: list[dict[str, Any]]) -> Iterator:
        families = {
            "pages_expected": GaugeMetricFamily("sohoa_batch_pages_expected", "Pages of an unfinished batch (estimated until every file is split)", labels=["batch"]),
            "pages_finished": GaugeMetricFamily("sohoa_batch_pages_finished", "Pages of an unfinished batch finished", labels=["batch"]),
            "files_unfinished": GaugeMetricFamily("sohoa_batch_files_unfinished", "Files of a batch not finished", labels=["batch"]),
            "pages_per_minute": GaugeMetricFamily("sohoa_batch_pages_per_minute", "Pages per minute over the last 10 minutes", labels=["batch"]),
            "idle_seconds": GaugeMetricFamily("sohoa_batch_idle_seconds", "Seconds since a file of the batch last moved", labels=["batch"]),
            "eta_seconds": GaugeMetricFamily("sohoa_batch_eta_seconds", "Seconds to finish at the recent rate", labels=["batch"]),
        }
        for b in batches:
            expected = b["pages_finished"] + b["pages_remaining"]
            families["pages_expected"].add_metric([b["batch"]], float(expected))
            for key in ("pages_finished", "files_unfinished", "pages_per_minute", "idle_seconds"):
                families[key].add_metric([b["batch"]], float(b[key]))
            if b["eta_seconds"] is not None:
                families["eta_seconds"].add_metric([b["batch"]], float(b["eta_seconds"]))
        yield from families.values()

    def _collect_backlog(self) -> Iterator:
        rows, _ok = self.backlog.get()
        family = GaugeMetricFamily("sohoa_review_backlog", "Documents waiting for review, by receiving unit and age",
                                   labels=["unit", "age"])
        oldest = GaugeMetricFamily("sohoa_review_backlog_oldest_days", "Age of the oldest document waiting for review",
                                   labels=["unit"])
        seen = set()
        for row in rows or []:
            family.add_metric([row["unit"], row["age"]], float(row["documents"]))
            if row["unit"] not in seen:
                seen.add(row["unit"])
                oldest.add_metric([row["unit"]], float(row["oldest_days"]))
        yield family
        yield oldest

    def close(self) -> None:
        with self._broker_lock:
            if self._broker is not None:
                self._broker.close()
                self._broker = None


def api_registry(settings, sessions) -> tuple[CollectorRegistry, SohoaCollector]:
    """A registry with Sohoa's collector (and the API process's own metrics)."""
    from prometheus_client import PROCESS_COLLECTOR, PLATFORM_COLLECTOR

    registry = CollectorRegistry(auto_describe=False)
    collector = SohoaCollector(settings, sessions)
    registry.register(collector)
    for extra in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR):
        try:
            registry.register(extra)
        except ValueError:
            pass
    return registry, collector


def render(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
