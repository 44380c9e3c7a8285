"""The ops view of an installation, shared by ``sohoa status`` and the ops pages: workers with their
heartbeats, queues with depth and consumers, batches with counts, rate, ETA and a *stalled* flag;
and the two ops actions, requeueing a stalled file and replaying dead letters.

A batch is **stalled** when it is unfinished and one of these holds (each reason is reported):

* ``no_progress``: none of its files moved for ``SOHOA_STALL_MINUTES``;
* ``no_consumer``: a queue holds messages ready and nobody consumes it (RabbitMQ's consumer
  count; on Redis, which does not know consumers, no live worker at all);
* ``no_live_worker``: no worker process beat in the last 60 s (or every one that beat is a process
  of this host that no longer runs: a SIGKILLed worker is shown gone at once, not 60 s later).

The object store is checked too (its ``ping``): ``store_error`` says why it does not answer.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, update

from schemas.tables import Batch, DeadLetter, Page, SourceFile
from storage import ops, repo
from storage.db import transaction

log = logging.getLogger("sohoa.ops")

Send = Callable[[str, int], None]


def read_queues(settings) -> tuple[dict[str, dict[str, Any]], str | None]:
    """Queue depths from the broker, with a fresh connection; ``({}, reason)`` if it does not answer."""
    if settings.embedded:
        return {}, None
    from schemas.errors import TransientError
    from workers.brokers import broker_ping, make_broker, queue_depths
    from workers.queues import QUEUE_NAMES

    try:
        broker_ping(settings.broker_url)  # fails fast, without the broker library's retries and logs
    except TransientError as exc:
        return {}, exc.reason
    broker = make_broker(settings.broker_url)
    try:
        return queue_depths(broker, list(QUEUE_NAMES)), None
    except TransientError as exc:
        return {}, exc.reason
    finally:
        broker.close()


def read_store(settings) -> str | None:
    """Why the object store does not answer, or None if it does (a fresh client: a health check).

    An S3 store is asked once, without the workers' retries and with short timeouts: ``status``
    answers within seconds while the store is away.
    """
    from schemas.errors import StoreUnavailable
    from storage.objects import open_store

    url = settings.effective_storage_url
    try:
        if url.startswith("s3://"):
            from dataclasses import replace

            from storage.s3 import S3Config, S3ObjectStore

            config = S3Config.from_url(url)
            store = S3ObjectStore(replace(config, retries=0, connect_timeout=min(config.connect_timeout, 2.0),
                                          read_timeout=min(config.read_timeout, 5.0)))
        else:
            store = open_store(url)
        store.ping()
    except StoreUnavailable as exc:
        return exc.reason
    except OSError as exc:  # a local folder that cannot be created
        return f"{type(exc).__name__}: {exc}"
    return None


def process_gone(pid: int) -> bool:
    """True if no process ``pid`` runs on this host (a zombie counts as gone: it does no work)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
    except OSError:  # no /proc here: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def mark_gone_workers(workers: list[dict[str, Any]]) -> None:
    """Workers of this host whose process is gone are not live, whatever the age of their heartbeat."""
    here = socket.gethostname()
    for w in workers:
        w["gone"] = w["host"] == here and process_gone(w["pid"])
        if w["gone"]:
            w["live"] = False


def stall_reasons(queues: dict[str, dict[str, Any]], workers: list[dict[str, Any]]) -> list[str]:
    """Reasons that stall every unfinished batch at once (queues without consumers, no worker)."""
    live = sum(1 for w in workers if w["live"])
    reasons = []
    if not live:
        reasons.append("no_live_worker")
    for name, depth in sorted(queues.items()):
        waiting = depth.get("ready") or 0
        consumers = depth.get("consumers")
        if waiting and (consumers == 0 or (consumers is None and not live)):
            reasons.append(f"no_consumer: {name} has {waiting} ready")
    return reasons


_ASK = object()


def overview(settings, sessions, *, batch_name: str | None = None, queues=None, store_error=_ASK,
             finished_batches: int = 10) -> dict[str, Any]:
    """Everything ``sohoa status`` and the ops pages show, as one JSON-able dict.

    ``queues`` (from :func:`read_queues`) and ``store_error`` (from :func:`read_store`) may be
    given by a caller that caches them; else the broker and the store are asked now.
    Batches: the unfinished ones and the ``finished_batches`` most recent finished ones (or only
    ``batch_name``).
    """
    if queues is None:
        queues = read_queues(settings)
    depths, broker_error = queues
    if store_error is _ASK:
        store_error = read_store(settings)
    with transaction(sessions) as s:
        workers = ops.workers(s)
        if batch_name is not None:
            batches = list(s.scalars(select(Batch).where(Batch.name == batch_name)))
        else:
            active = ops.active_batch_ids(s)
            finished = select(Batch.id).order_by(Batch.id.desc()).limit(finished_batches)
            if active:
                finished = finished.where(Batch.id.not_in(active))
            recent = list(s.scalars(finished))
            batches = list(s.scalars(select(Batch).where(Batch.id.in_(active + recent)).order_by(Batch.id)))
        rates = ops.batch_pages_recent(s, [b.id for b in batches], 10)
        summaries = [ops.batch_summary(s, b, stall_minutes=settings.stall_minutes, recent_pages=rates.get(b.id, 0))
                     for b in batches]
        dead = s.scalar(select(func.count()).select_from(DeadLetter).where(DeadLetter.replayed_at.is_(None)))
        outbox = ops.outbox_waiting(s)
        throughput = ops.pages_per_minute(s, 60)
    mark_gone_workers(workers)
    global_reasons = stall_reasons(depths, workers) if not settings.embedded else []
    for b in summaries:
        reasons = []
        if not b["finished"]:
            if b["stalled_for_time"]:
                reasons.append(f"no_progress: nothing moved for {b['idle_seconds']} s")
            reasons.extend(global_reasons)
        b["stalled"] = bool(reasons)
        b["stalled_reasons"] = reasons
        if reasons:
            b["eta_seconds"] = None  # at no rate: it will not finish by itself
    live = [w for w in workers if w["live"]]
    return {
        "broker": settings.broker_url.split("@")[-1],
        "broker_error": broker_error,
        "store": _store_name(settings.effective_storage_url),
        "store_error": store_error,
        "workers": workers,
        "workers_live": len(live),
        "queues": depths,
        "batches": summaries,
        "dead_letters": dead or 0,
        "outbox": outbox,
        "pages_last_hour": sum(m["pages"] for m in throughput),
        "throughput": throughput,
        "stall_minutes": settings.stall_minutes,
    }


def _store_name(url: str) -> str:
    """The store's address without credentials (``s3://KEY:SECRET@host/bucket`` -> ``host/bucket``)."""
    return url.split("@")[-1].split("?")[0]


# -- actions -------------------------------------------------------------------------------------

def requeue_file(sessions, send: Send, file_id: int) -> dict[str, Any]:
    """Send again what a stalled file waits for; returns what was sent. Safe to repeat (every actor is)."""
    now = dt.datetime.now(dt.timezone.utc)
    with transaction(sessions) as s:
        source = repo.get_file(s, file_id, lock=True)
        status = source.status
        todo: list[tuple[str, int]] = []
        claimed = False
        if status == "pending" or status == "ingested":
            todo.append(("ingest_file", file_id))
        elif status == "reading":
            if source.page_count is not None and source.pages_done >= source.page_count:
                claimed = repo.claim_analysis(s, file_id)
                if claimed:
                    ops.add_outbox(s, "analyse_file", file_id)
                    todo.append(("analyse_file", file_id))
            else:
                pages = s.scalars(select(Page.id).where(Page.source_file_id == file_id, Page.status == "pending")
                                  .order_by(Page.page_no))
                todo.extend(("read_page", page_id) for page_id in pages)
        elif status == "analysing":
            todo.append(("analyse_file", file_id))
        s.execute(update(SourceFile).where(SourceFile.id == file_id).values(updated_at=now))
    for actor, entity_id in todo:
        send(actor, entity_id)
    if claimed:
        with transaction(sessions) as s:
            ops.sent(s, "analyse_file", file_id)
    log.info("requeued %s message(s)", len(todo), extra={"file_id": file_id})
    return {"file_id": file_id, "status": status, "sent": [{"actor": a, "id": i} for a, i in todo]}


def dead_letters(sessions, *, include_replayed: bool = False, limit: int = 200) -> list[dict[str, Any]]:
    with transaction(sessions) as s:
        stmt = select(DeadLetter).order_by(DeadLetter.id.desc()).limit(limit)
        if not include_replayed:
            stmt = stmt.where(DeadLetter.replayed_at.is_(None))
        return [{"id": d.id, "actor": d.actor, "queue": d.queue, "args": d.payload.get("args"),
                 "attempts": d.attempts, "error": d.error, "reason": ops.reason_code(d.error),
                 "created_at": d.created_at.isoformat() if d.created_at else None,
                 "replayed_at": d.replayed_at.isoformat() if d.replayed_at else None}
                for d in s.scalars(stmt)]


def replay_dead_letters(sessions, send: Send, ids: list[int] | None) -> int:
    """Reset and send again the given dead letters (all not yet replayed when ``ids`` is None)."""
    with transaction(sessions) as s:
        stmt = select(DeadLetter).where(DeadLetter.replayed_at.is_(None))
        if ids is not None:
            stmt = stmt.where(DeadLetter.id.in_(ids))
        letters = list(s.scalars(stmt))
        for letter in letters:
            repo.reset_for_replay(s, letter.actor, letter.payload.get("args", []))
            letter.replayed_at = dt.datetime.now(dt.timezone.utc)
        todo = [(d.actor, d.payload.get("args", [])) for d in letters]
    for actor, args in todo:
        send(actor, *args)
    return len(todo)


def dead_letters_exist(sessions, ids: list[int]) -> bool:
    """True if every one of ``ids`` is a dead letter not replayed yet."""
    with transaction(sessions) as s:
        found = s.scalar(select(func.count()).select_from(DeadLetter)
                         .where(DeadLetter.id.in_(ids), DeadLetter.replayed_at.is_(None)))
    return found == len(set(ids))
