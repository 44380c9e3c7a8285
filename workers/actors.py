"""Thin dramatiq actors: one per stage, each on its own queue (see :mod:`workers.queues`).

Actors are declared on a broker passed in (no import-time global broker), so the embedded
in-process worker and the RabbitMQ/Redis workers run the very same functions.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging

import dramatiq
from dramatiq.middleware import CurrentMessage

from schemas.tables import DeadLetter
from storage.db import transaction
from workers import tasks
from workers.middleware import DeadLetters, retry_policy
from workers.queues import BY_ACTOR, QUEUES
from workers.runtime import current

log = logging.getLogger("sohoa.workers")

# Work that has not moved for longer than the longest time limit (plus a margin) cannot still be
# running: its message was lost.
STALL_SECONDS = max(q.time_limit_ms for q in QUEUES) / 1000 + 5 * 60

OUTBOX_RESEND_S = 15.0
"""An outbox message not sent after this many seconds is sent again (its first send failed)."""


def _retries() -> int:
    """How many times the Retries middleware already retried the message being processed."""
    message = CurrentMessage.get_current_message()
    return message.options.get("retries", 0) if message is not None else 0


def ingest_file(source_file_id: int) -> None:
    """Split one stored file into pages and fan the pages out to the OCR queue."""
    rt = current()
    for page_id in tasks.ingest_file(rt, source_file_id, _retries()):
        rt.send("read_page", page_id)


def read_page(page_id: int) -> None:
    """Read one page; the last page of a file enqueues its analysis (exactly once)."""
    rt = current()
    ready = tasks.read_page(rt, page_id)
    if ready is not None:
        send_claimed_analysis(rt, ready)


def send_claimed_analysis(rt, source_file_id: int) -> None:
    """Send a claimed analysis (its outbox row is committed) and delete the row.

    A broker that is down here costs nothing: the page's work is committed, the row stays, and the
    outbox relay of any worker sends it within seconds of the broker's return.
    """
    try:
        rt.send("analyse_file", source_file_id)
    except Exception as exc:
        log.warning("analyse_file not sent now, the outbox relay will (%s: %s)", type(exc).__name__, exc,
                    extra={"file_id": source_file_id})
        return
    tasks.sent(rt, "analyse_file", source_file_id)


def analyse_file(source_file_id: int) -> None:
    """Cut a read file into documents and persist them with their fields."""
    tasks.analyse_file(current(), source_file_id, _retries())


def sweep_stalled(older_than_s: float = STALL_SECONDS) -> None:
    """Re-send work whose message was lost; scheduled by ``sohoa worker`` every SOHOA_SWEEP_INTERVAL.

    Safe when several machines schedule it: each stalled file is claimed in the database by one
    sweep only (see :func:`storage.repo.claim_stalled`), and every step is idempotent anyway.
    """
    rt = current()
    tasks.relay_outbox(rt, OUTBOX_RESEND_S)
    stalled = tasks.claim_stalled_work(rt, older_than_s)
    for file_id in stalled["claim"]:
        ready = tasks._claim_analysis(rt, file_id)
        if ready is not None:
            send_claimed_analysis(rt, ready)
    for actor_name in ("ingest_file", "read_page", "analyse_file"):
        for item_id in stalled[actor_name]:
            rt.send(actor_name, item_id)
    resent = {name: len(ids) for name, ids in stalled.items() if ids and name != "claim"}
    if resent:
        log.warning("sweep: re-sent stalled work %s", resent)


FUNCTIONS = {f.__name__: f for f in (ingest_file, read_page, analyse_file, sweep_stalled)}


def record_dead_letter(message: dramatiq.MessageProxy, reason: str) -> None:
    """Keep a given-up message for ``sohoa dlq`` and fail what it was about."""
    rt = current()
    with transaction(rt.sessions) as s:
        if s.query(DeadLetter).filter_by(message_id=message.message_id).first() is None:
            s.add(
                DeadLetter(
                    actor=message.actor_name,
                    queue=message.queue_name,
                    message_id=message.message_id,
                    payload={"args": list(message.args), "kwargs": dict(message.kwargs)},
                    error=reason,
                    attempts=message.options.get("retries", 0),
                    created_at=dt.datetime.now(dt.timezone.utc),
                )
            )
    ready = tasks.give_up(rt, message.actor_name, tuple(message.args), reason)
    if ready is not None:
        send_claimed_analysis(rt, ready)


def declare_actors(broker: dramatiq.Broker) -> dict[str, dramatiq.Actor]:
    """Declare every Sohoa actor on ``broker`` with its queue, limits and retry policy."""
    broker.add_middleware(DeadLetters(record_dead_letter))
    actors = {}
    for name, fn in FUNCTIONS.items():
        spec = BY_ACTOR[name]
        actors[name] = dramatiq.Actor(
            fn,
            broker=broker,
            actor_name=name,
            queue_name=spec.queue,
            priority=spec.priority,
            options={
                "time_limit": spec.time_limit_ms,
                "max_retries": spec.max_retries,
                "retry_when": functools.partial(retry_policy, spec.max_retries),
            },
        )
    return actors
