"""Reads and writes of the ops tables (Part 7): heartbeats, the outbox, the stages' counters, and
the overviews built on them for ``/metrics``, ``sohoa status`` and the ops pages.

Same rules as :mod:`storage.repo`: functions take a session inside a transaction the caller owns.
Everything here is cheap at a million documents: counters are rows kept by the stages, the
overviews read unfinished batches and small tables only, never a GROUP BY over every document.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from storage.db import upsert_insert
from schemas.tables import Batch, Document, OpsCounter, OutboxMessage, SourceFile, WorkerHeartbeat

LIVE_WINDOW_S = 60.0
"""A worker whose heartbeat is older than this is not live (it beats every few seconds)."""

COUNTER_SHARDS = 8
"""Rows per counter: concurrent workers add to different rows instead of queuing on one."""

MINUTE_FORMAT = "%Y-%m-%dT%H:%M"
UNFINISHED_FILES = ("pending", "ingested", "reading", "analysing")
FINISHED_FILES = ("done", "failed", "duplicate")

# Counter names (the metrics module turns them into Prometheus counters).
PAGES = "pages"  # label: done | failed
FILES = "files"  # label: done | failed
DOCUMENTS = "documents"  # label: the document's status
FAILURES = "failures"  # label: the reason's code (e.g. ocr_timeout, dead_letter)
PAGES_PER_MINUTE = "pages_minute"  # label: minute (UTC)
BATCH_PAGES_PER_MINUTE = "batch_pages_minute"  # label: batch id|minute


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def minute_label(at: dt.datetime | None = None) -> str:
    return (at or now_utc()).astimezone(dt.timezone.utc).strftime(MINUTE_FORMAT)


def reason_code(reason: str | None) -> str:
    """``ocr_timeout`` of ``ocr_timeout: tesseract…``; ``dead_letter: store_unavailable: …`` keeps both."""
    if not reason:
        return "unknown"
    parts = [p.strip() for p in reason.split(":")]
    code = parts[0] if parts[0] and " " not in parts[0] else "unknown"
    if code == "dead_letter" and len(parts) > 1 and parts[1] and " " not in parts[1]:
        code = f"dead_letter:{parts[1]}"
    return code[:120]


# -- counters ------------------------------------------------------------------------------------

_COUNT_UPSERT: dict[str, Any] = {}


def count(session: Session, increments: Iterable[tuple[str, str, int]]) -> None:
    """Add to counters ``(name, label, n)`` in one statement (an upsert on this process's shard)."""
    rows: dict[tuple[str, str], int] = defaultdict(int)
    for name, label, n in increments:
        rows[(name, label[:120])] += n
    if not rows:
        return
    shard = os.getpid() % COUNTER_SHARDS
    values = [{"name": name, "label": label, "shard": shard, "value": n} for (name, label), n in rows.items()]
    # One statement built once per dialect, the rows as parameters: one round trip on PostgreSQL.
    dialect = session.get_bind().dialect.name
    stmt = _COUNT_UPSERT.get(dialect)
    if stmt is None:
        insert = upsert_insert(session)(OpsCounter.__table__)  # Core: no ORM bulk-insert machinery
        stmt = _COUNT_UPSERT[dialect] = insert.on_conflict_do_update(
            index_elements=["name", "label", "shard"],
            set_={"value": insert.table.c.value + insert.excluded.value},
        )
    session.execute(stmt, values)


def page_finished(batch_id: int | None, failed: bool, reason: str | None = None) -> list[tuple[str, str, int]]:
    """The counter increments of one page that was finished (read or failed)."""
    minute = minute_label()
    out = [(PAGES, "failed" if failed else "done", 1), (PAGES_PER_MINUTE, minute, 1)]
    if batch_id is not None:
        out.append((BATCH_PAGES_PER_MINUTE, f"{batch_id}|{minute}", 1))
    if failed:
        out.append((FAILURES, reason_code(reason), 1))
    return out


def counters(session: Session, names: Iterable[str] = (PAGES, FILES, DOCUMENTS, FAILURES)) -> dict[str, dict[str, int]]:
    """``{name: {label: value}}`` summed over the shards."""
    rows = session.execute(
        select(OpsCounter.name, OpsCounter.label, func.sum(OpsCounter.value))
        .where(OpsCounter.name.in_(list(names)))
        .group_by(OpsCounter.name, OpsCounter.label)
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for name, label, value in rows:
        out[name][label] = int(value or 0)
    return dict(out)


def pages_per_minute(session: Session, minutes: int = 60, *, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Pages finished in each of the last ``minutes`` minutes, oldest first (zeros included)."""
    now = now or now_utc()
    labels = [minute_label(now - dt.timedelta(minutes=m)) for m in range(minutes - 1, -1, -1)]
    rows = dict(session.execute(
        select(OpsCounter.label, func.sum(OpsCounter.value))
        .where(OpsCounter.name == PAGES_PER_MINUTE, OpsCounter.label >= labels[0])
        .group_by(OpsCounter.label)
    ).all())
    return [{"minute": label, "pages": int(rows.get(label, 0) or 0)} for label in labels]


def batch_pages_recent(session: Session, batch_ids: list[int], minutes: int, *,
                       now: dt.datetime | None = None) -> dict[int, int]:
    """Pages each batch finished in the last ``minutes`` minutes (for its rate and ETA)."""
    if not batch_ids:
        return {}
    now = now or now_utc()
    first = minute_label(now - dt.timedelta(minutes=minutes - 1))
    wanted = set(batch_ids)
    out = {b: 0 for b in batch_ids}
    rows = session.execute(
        select(OpsCounter.label, func.sum(OpsCounter.value))
        .where(OpsCounter.name == BATCH_PAGES_PER_MINUTE)
        .where(or_(*(OpsCounter.label.like(f"{b}|%") for b in batch_ids)))
        .group_by(OpsCounter.label)
    )
    for label, value in rows:
        batch, minute = label.split("|", 1)
        if minute >= first and int(batch) in wanted:
            out[int(batch)] += int(value or 0)
    return out


def prune_minutes(session: Session, keep_minutes: int = 180) -> int:
    """Drop per-minute counters older than ``keep_minutes`` (the chart shows the last hour)."""
    oldest = minute_label(now_utc() - dt.timedelta(minutes=keep_minutes))
    gone = session.execute(delete(OpsCounter).where(
        OpsCounter.name == PAGES_PER_MINUTE, OpsCounter.label < oldest)).rowcount
    for row in session.execute(select(OpsCounter.label).where(OpsCounter.name == BATCH_PAGES_PER_MINUTE)).all():
        if row.label.split("|", 1)[1] < oldest:
            gone += session.execute(delete(OpsCounter).where(
                OpsCounter.name == BATCH_PAGES_PER_MINUTE, OpsCounter.label == row.label)).rowcount
    return gone


# -- heartbeats ----------------------------------------------------------------------------------

def beat(session: Session, *, worker_id: str, host: str, pid: int, parent_pid: int | None,
         queues: list[str] | None, threads: int, processed: int, started_at: dt.datetime) -> None:
    """Record that a worker process is alive now (insert or refresh its row)."""
    row = session.get(WorkerHeartbeat, worker_id)
    if row is None:
        row = WorkerHeartbeat(worker_id=worker_id, host=host, pid=pid, started_at=started_at)
        session.add(row)
    row.parent_pid, row.queues, row.threads = parent_pid, queues, threads
    row.processed, row.seen_at = processed, now_utc()


def forget_silent_workers(session: Session, older_than_s: float = 86_400) -> int:
    """Drop the rows of workers silent for a day (killed long ago; shown as not live until then)."""
    cutoff = now_utc() - dt.timedelta(seconds=older_than_s)
    return session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.seen_at < cutoff)).rowcount


def forget_worker(session: Session, worker_id: str) -> None:
    """A worker that stops cleanly removes its row (it is not a silent worker)."""
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.worker_id == worker_id))


def workers(session: Session, *, live_window_s: float = LIVE_WINDOW_S, forget_after_s: float = 86_400) -> list[dict]:
    """Every worker seen in the last ``forget_after_s`` seconds, with its age and ``live`` flag."""
    now = now_utc()
    rows = session.scalars(select(WorkerHeartbeat).where(
        WorkerHeartbeat.seen_at >= now - dt.timedelta(seconds=forget_after_s)).order_by(WorkerHeartbeat.worker_id))
    out = []
    for w in rows:
        age = (now - _aware(w.seen_at)).total_seconds()
        out.append({"worker": w.worker_id, "host": w.host, "pid": w.pid, "parent_pid": w.parent_pid,
                    "queues": w.queues, "threads": w.threads, "processed": w.processed,
                    "started_at": _aware(w.started_at).isoformat(), "last_heartbeat": _aware(w.seen_at).isoformat(),
                    "seconds_since_heartbeat": round(age, 1), "live": age <= live_window_s})
    return out


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)  # SQLite drops it


# -- outbox --------------------------------------------------------------------------------------

def add_outbox(session: Session, actor: str, entity_id: int) -> None:
    """Write a message ``actor(entity_id)`` to send once this transaction has committed."""
    session.add(OutboxMessage(actor=actor, entity_id=entity_id, attempts=0, created_at=now_utc()))


def claim_outbox(session: Session, older_than_s: float, *, limit: int = 500) -> list[tuple[str, int]]:
    """Messages not sent within ``older_than_s`` seconds (their sender died or the broker was down).

    Each is taken by one relay (a conditional UPDATE of ``claimed_at``) and not again before
    another ``older_than_s``.
    """
    now = now_utc()
    cutoff = now - dt.timedelta(seconds=older_than_s)
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.actor, OutboxMessage.entity_id)
        .where(OutboxMessage.created_at < cutoff,
               or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < cutoff))
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    claimed = []
    for row_id, actor, entity_id in rows:
        won = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id,
                   or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < cutoff))
            .values(claimed_at=now, attempts=OutboxMessage.attempts + 1)
        ).rowcount
        if won == 1:
            claimed.append((actor, entity_id))
    return claimed


def sent(session: Session, actor: str, entity_id: int) -> None:
    """The broker took ``actor(entity_id)``: forget it."""
    session.execute(delete(OutboxMessage).where(OutboxMessage.actor == actor, OutboxMessage.entity_id == entity_id))


def outbox_waiting(session: Session) -> dict[str, Any]:
    """How many messages wait in the outbox, and the age of the oldest (seconds)."""
    n, oldest = session.execute(select(func.count(), func.min(OutboxMessage.created_at))).one()
    age = (now_utc() - _aware(oldest)).total_seconds() if oldest is not None else 0.0
    return {"waiting": int(n or 0), "oldest_s": round(age, 1)}


# -- batches -------------------------------------------------------------------------------------

def active_batch_ids(session: Session) -> list[int]:
    """Batches with a file not finished yet (uses the (batch, status) index)."""
    return sorted(session.scalars(
        select(SourceFile.batch_id).where(SourceFile.status.in_(UNFINISHED_FILES)).distinct()).all())


def batch_summary(session: Session, batch: Batch, *, stall_minutes: float, rate_minutes: int = 10,
                  recent_pages: int | None = None) -> dict[str, Any]:
    """One batch as ops sees it: files, pages and documents by state, rate, ETA, stalled or not.

    Document counts are of the documents themselves (a document that failed counts as failed,
    whether its file failed or one of its pages did), so they agree with the export.
    """
    files = dict(session.execute(
        select(SourceFile.status, func.count()).where(SourceFile.batch_id == batch.id).group_by(SourceFile.status)
    ).all())
    pages_expected, pages_finished, files_with_pages, last_move = session.execute(
        select(func.coalesce(func.sum(SourceFile.page_count), 0), func.coalesce(func.sum(SourceFile.pages_done), 0),
               func.count(SourceFile.page_count), func.max(SourceFile.updated_at))
        .where(SourceFile.batch_id == batch.id)
    ).one()
    not_split = session.scalar(select(func.count()).where(
        SourceFile.batch_id == batch.id, SourceFile.page_count.is_(None), SourceFile.status.in_(UNFINISHED_FILES)))
    docs = dict(session.execute(
        select(Document.status, func.count()).join(SourceFile, Document.source_file_id == SourceFile.id)
        .where(SourceFile.batch_id == batch.id).group_by(Document.status)
    ).all())
    files_total = sum(files.values())
    unfinished = sum(files.get(s, 0) for s in UNFINISHED_FILES)
    # Files not split yet have no page count: estimate them at the batch's pages per file so far.
    per_file = pages_expected / files_with_pages if files_with_pages else 1.0
    pages_remaining = max(0, pages_expected - pages_finished) + round(per_file * (not_split or 0))
    if recent_pages is None:
        recent_pages = batch_pages_recent(session, [batch.id], rate_minutes).get(batch.id, 0)
    rate = recent_pages / rate_minutes
    last_move_at = _aware(last_move) if last_move is not None else _aware(batch.created_at)
    idle_s = (now_utc() - last_move_at).total_seconds()
    eta_s = None
    if unfinished and rate > 0:
        eta_s = round(60 * pages_remaining / rate)
    return {
        "batch": batch.name, "id": batch.id, "created_at": _aware(batch.created_at).isoformat(),
        "files_total": files_total, "files_done": files.get("done", 0), "files_failed": files.get("failed", 0),
        "files_duplicate": files.get("duplicate", 0), "files_unfinished": unfinished,
        "pages_expected": int(pages_expected), "pages_finished": int(pages_finished),
        "pages_remaining": int(pages_remaining),
        "documents_total": sum(docs.values()), "documents_failed": docs.get("failed", 0),
        "documents_needs_review": docs.get("needs_review", 0),
        "documents_done": sum(n for s, n in docs.items() if s not in ("failed", "needs_review", "pending")),
        "documents_by_status": docs,
        "finished": unfinished == 0,
        "pages_per_minute": round(rate, 1), "eta_seconds": eta_s,
        "last_progress_at": last_move_at.isoformat(), "idle_seconds": round(idle_s),
        "stalled_for_time": bool(unfinished) and idle_s > 60 * stall_minutes,
    }


def stalled_files(session: Session, stall_minutes: float, *, limit: int = 100) -> list[dict[str, Any]]:
    """Unfinished files that have not moved for ``stall_minutes`` (the requeue list)."""
    cutoff = now_utc() - dt.timedelta(minutes=stall_minutes)
    rows = session.execute(
        select(SourceFile.id, SourceFile.status, SourceFile.batch_id, SourceFile.page_count, SourceFile.pages_done,
               SourceFile.updated_at, Batch.name)
        .join(Batch, SourceFile.batch_id == Batch.id)
        .where(SourceFile.status.in_(UNFINISHED_FILES), SourceFile.updated_at < cutoff)
        .order_by(SourceFile.updated_at).limit(limit)
    ).all()
    now = now_utc()
    return [{"file_id": r.id, "status": r.status, "batch": r.name, "pages": r.page_count,
             "pages_finished": r.pages_done, "idle_seconds": round((now - _aware(r.updated_at)).total_seconds())}
            for r in rows]


def failures_by_reason(session: Session, *, per_reason: int = 20, limit: int = 5000) -> list[dict[str, Any]]:
    """Failed documents grouped by their reason's code, the most frequent first (uses the status index)."""
    rows = session.execute(
        select(Document.id, Document.error, Document.source_file_id, Batch.name)
        .join(SourceFile, Document.source_file_id == SourceFile.id).join(Batch, SourceFile.batch_id == Batch.id)
        .where(Document.status == "failed").order_by(Document.id.desc()).limit(limit)
    ).all()
    groups: dict[str, dict[str, Any]] = {}
    for doc_id, error, file_id, batch in rows:
        code = reason_code(error)
        group = groups.setdefault(code, {"reason": code, "count": 0, "documents": []})
        group["count"] += 1
        if len(group["documents"]) < per_reason:
            group["documents"].append({"document_id": doc_id, "file_id": file_id, "batch": batch, "error": error})
    return sorted(groups.values(), key=lambda g: -g["count"])


def review_backlog(session: Session, *, bucket_days: tuple[int, ...] = (1, 3, 7, 30)) -> list[dict[str, Any]]:
    """Documents waiting for a reviewer, by receiving unit and age bucket, with the oldest age in days.

    One grouped query over the ``needs_review`` documents (the status index), per receiving unit.
    """
    now = now_utc()
    newer = [func.sum(case((Document.created_at >= now - dt.timedelta(days=d), 1), else_=0)) for d in bucket_days]
    rows = session.execute(
        select(SourceFile.receiving_unit_id, func.count(), func.min(Document.created_at), *newer)
        .join(SourceFile, Document.source_file_id == SourceFile.id)
        .where(Document.status == "needs_review").group_by(SourceFile.receiving_unit_id)
    ).all()
    out = []
    for unit_id, total, oldest, *within in rows:
        unit = str(unit_id) if unit_id is not None else "none"
        oldest_days = round((now - _aware(oldest)).total_seconds() / 86_400, 2) if oldest is not None else 0.0
        below = 0
        for days, n in zip(bucket_days, within):
            out.append({"unit": unit, "age": f"<={days}d", "documents": int(n or 0) - below, "oldest_days": oldest_days})
            below = int(n or 0)
        out.append({"unit": unit, "age": f">{bucket_days[-1]}d", "documents": int(total) - below,
                    "oldest_days": oldest_days})
    return out
