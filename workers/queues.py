"""Every queue, with its actor, time limit, retry bound and priority, in one table.

Sizing: OCR is CPU-bound (one Tesseract thread per process), so ``ocr`` workers are processes,
one per core; ``ingest`` and ``analyse`` are light and I/O-bound, so a few threads serve them.
``sohoa worker --queues`` picks which queues a process consumes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QueueSpec:
    """How one stage is run."""

    queue: str
    actor: str
    time_limit_ms: int
    max_retries: int
    priority: int  # lower runs first (dramatiq: 0 is the highest priority)
    purpose: str


# Work already started comes first: a file's analysis, then its pages, then the next file. A worker
# that took files first (as it did) split every file of a batch into page hand-offs before reading
# the second page: in a 24-file run 23 hand-offs (188 MB) sat in the store at once, and a batch of
# 10,000 A4 pages would have held ~87 GB of them, with no result until every file was split.
QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec("sohoa.ingest", "ingest_file", 10 * 60_000, 5, 20, "sniff the file, split it into stored page images"),
    QueueSpec("sohoa.ocr", "read_page", 15 * 60_000, 5, 10, "orientation, deskew, clean, OCR one page"),
    QueueSpec("sohoa.analyse", "analyse_file", 10 * 60_000, 5, 0, "split into documents, classify, extract, persist"),
    QueueSpec("sohoa.maintenance", "sweep_stalled", 5 * 60_000, 2, 30, "re-enqueue work stalled by lost messages"),
)

BY_ACTOR: dict[str, QueueSpec] = {q.actor: q for q in QUEUES}
QUEUE_NAMES: tuple[str, ...] = tuple(q.queue for q in QUEUES)
