"""Intake: put scan files into the object store, record them, say what became of every one.

Used by ``sohoa upload`` and ``sohoa run``. Every file found under the paths given (zip archives
are opened: their members are files of the batch) ends with one outcome:

* ``new``: stored and recorded, to be processed;
* ``duplicate``: its content (SHA-256) is known already - the report names the batch and file it
  duplicates; nothing is stored or enqueued;
* ``resumed``: recorded by an earlier upload or run that was interrupted before it finished; what
  is unfinished is sent again (and, with ``retry_failed``, a file that failed is run again);
* ``unsupported``: not a PDF, TIFF, JPEG or PNG (or empty); not stored;
* ``failed``: could not be read or was refused (an unsafe zip member, a zip bomb), or (``run``)
  failed in processing; the reason says why.

File names are stored in Unicode NFC with ``/`` separators, relative to the folder given. A
manifest (see :mod:`workers.manifest`) is checked completely before anything is stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dramatiq.common import compute_backoff
from sqlalchemy import select, update

from schemas.errors import DatabaseUnavailable, PermanentError, UnsupportedFormat
from schemas.tables import Batch, Page, SourceFile
from storage import repo
from storage.db import transaction
from storage.objects import sha256_hex, source_key
from workers.manifest import ManifestRow, normalise_name, read_manifest, unit_lookup_for
from workers.runtime import Runtime
from workers.zipsafe import ArchiveRefused, ZipLimits, list_members, read_member

log = logging.getLogger(__name__)

OUTCOMES = ("new", "duplicate", "resumed", "unsupported", "failed")
UNFINISHED = ("pending", "ingested", "reading", "analysing")
# Files every scanner or file manager leaves behind: not scans, and not worth a line each.
_HIDDEN_NOISE = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass
class FileOutcome:
    """What became of one file (a line of ``--report``)."""

    name: str
    outcome: str
    reason: str = ""
    file_id: int | None = None
    size: int = 0
    duplicate_of: str = ""
    status: str = ""
    pages: int | None = None
    documents: int | None = None
    intake: str = ""  # the outcome at intake (``outcome`` may become "failed" once processed)

    def __post_init__(self) -> None:
        self.intake = self.intake or self.outcome


@dataclass
class IntakeReport:
    """Every file given to :func:`register_paths` with its outcome, and the messages to send."""

    batch: str
    files: list[FileOutcome] = field(default_factory=list)
    messages: list[tuple[str, int]] = field(default_factory=list)
    handled: set[int] = field(default_factory=set, repr=False)  # file ids met in this run

    def _ids(self, outcome: str) -> list[int]:
        return [f.file_id for f in self.files if f.intake == outcome and f.file_id is not None]

    @property
    def new(self) -> list[int]:
        return self._ids("new")

    @property
    def resumed(self) -> list[int]:
        return self._ids("resumed")

    @property
    def duplicates(self) -> list[tuple[str, int]]:
        return [(f.name, f.file_id) for f in self.files if f.outcome == "duplicate"]

    @property
    def skipped(self) -> list[tuple[str, str]]:
        """Files refused at intake: unsupported or unreadable, with the reason."""
        return [(f.name, f.reason) for f in self.files if f.outcome in ("unsupported", "failed")]

    @property
    def to_process(self) -> list[int]:
        return self.new + self.resumed

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(OUTCOMES, 0)
        for f in self.files:
            out[f.outcome] += 1
        return out

    def add(self, outcome: FileOutcome) -> None:
        self.files.append(outcome)


# -- finding the files ---------------------------------------------------------------------------

@dataclass
class Candidate:
    """A file found under the paths given: how to read it, or why it is refused already."""

    name: str
    size: int
    read: Callable[[], bytes] | None = None
    refused: str | None = None
    outcome: str = "failed"  # of a refusal


def zip_limits(settings) -> ZipLimits:
    return ZipLimits(settings.zip_max_members, settings.zip_max_ratio, settings.zip_max_bytes)


@contextlib.contextmanager
def discover(paths: Iterable[Path], limits: ZipLimits) -> Iterator[list[Candidate]]:
    """Every file under ``paths`` in a stable order, zip members included (archives kept open)."""
    with contextlib.ExitStack() as stack:
        found: list[Candidate] = []
        for root in paths:
            root = Path(root)
            files = [(root, root.name)] if root.is_file() else [
                (p, p.relative_to(root).as_posix()) for p in sorted(root.rglob("*")) if p.is_file()]
            for path, relative in files:
                if path.name.lower() in _HIDDEN_NOISE:
                    continue
                name = normalise_name(relative)
                if path.suffix.lower() == ".zip":
                    found.extend(_archive_candidates(path, name, limits, stack))
                else:
                    found.append(Candidate(name, path.stat().st_size, read=path.read_bytes))
        yield found


def _archive_candidates(path: Path, name: str, limits: ZipLimits, stack: contextlib.ExitStack) -> list[Candidate]:
    try:
        members = list_members(path, limits)
        zf = stack.enter_context(zipfile.ZipFile(path))
    except ArchiveRefused as exc:
        return [Candidate(name, path.stat().st_size, refused=exc.reason)]
    out = []
    for member in members:
        member_name = normalise_name(f"{name}/{member.name}")
        if member.refused:
            out.append(Candidate(member_name, member.size, refused=member.refused))
        elif member.name.lower().endswith(".zip"):
            out.append(Candidate(member_name, member.size, outcome="unsupported",
                                 refused="unsupported_format: an archive inside an archive (unpack it first)"))
        else:
            out.append(Candidate(member_name, member.size,
                                 read=lambda m=member.name, s=member.size: read_member(zf, m, s)))
    return out


# -- the manifest --------------------------------------------------------------------------------

def check_manifest(rt: Runtime, manifest: Path | None, names: Iterable[str]) -> dict[str, ManifestRow]:
    """The manifest's rows, checked against the files found; :class:`ManifestError` otherwise."""
    if manifest is None:
        return {}
    with transaction(rt.sessions) as s:
        return read_manifest(manifest, known_files=names, unit_lookup=unit_lookup_for(s))


# -- registering ---------------------------------------------------------------------------------

def register_paths(
    rt: Runtime,
    paths: Iterable[Path],
    batch_name: str,
    *,
    manifest: Path | None = None,
    retry_failed: bool = False,
    resume_queued: bool = False,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_found: Callable[[int], None] | None = None,
    send_as_recorded: bool = False,
) -> IntakeReport:
    """Store and record every file under ``paths`` in batch ``batch_name``; say what to send.

    ``resume_queued``: files whose first message was sent already but which are unfinished are
    resumed too (the in-process broker of ``sohoa run`` lost those messages when it died); with a
    real broker they are still queued, so they are reported and not sent again.

    ``send_as_recorded``: send each file's messages as soon as its row is committed (and the first
    file's at once), so workers already running read the first pages while the rest of a large
    folder is still hashed and stored; ``report.messages`` then holds what was sent.
    """
    report = IntakeReport(batch=batch_name)
    with discover(paths, zip_limits(rt.settings)) as candidates:
        if on_found:
            on_found(len(candidates))
        rows = check_manifest(rt, manifest, [c.name for c in candidates])
        slots: list[FileOutcome | None] = [None] * len(candidates)
        pending: list[_Stored] = []
        last_flush = time.monotonic()
        sent = 0  # report.messages[:sent] have been sent (send_as_recorded)
        recorded_any = False

        def flush() -> None:
            nonlocal last_flush, sent, recorded_any
            if pending:
                recorded_any = True

                def record(s) -> list[tuple[int, FileOutcome]]:
                    batch = repo.get_or_create_batch(s, batch_name)
                    return [(item.index, _record_in(rt, s, report, batch, item, retry_failed=retry_failed,
                                                    resume_queued=resume_queued)) for item in pending]

                recorded = _retried(rt, record, report)
                pending.clear()
                for index, outcome in recorded:
                    slots[index] = outcome
                    if on_file:
                        on_file(outcome)
                if send_as_recorded:
                    to_process = [o.file_id for _i, o in recorded if o.intake in ("new", "resumed") and o.file_id]
                    sent += _send(rt, report.messages[sent:], to_process)
            last_flush = time.monotonic()

        for index, candidate in enumerate(candidates):
            prepared = _prepare(rt, index, candidate, rows.get(candidate.name))
            if isinstance(prepared, FileOutcome):
                slots[index] = prepared
                if on_file:
                    on_file(prepared)
                continue
            pending.append(prepared)
            first_to_send = send_as_recorded and not recorded_any  # once: a folder of known files is no slower
            if first_to_send or len(pending) >= RECORD_EVERY or time.monotonic() - last_flush > RECORD_EVERY_S:
                flush()
        flush()
        if not recorded_any:  # a batch of refused files still exists (a recorded file's flush made it)
            _retried(rt, lambda s: repo.get_or_create_batch(s, batch_name))
    report.files.extend(slots)
    return report


def _retried(rt: Runtime, work: Callable, report: IntakeReport | None = None):
    """``work(session)`` in one transaction, run again after a backoff through a database outage
    (:class:`DatabaseUnavailable`), as a message is (``max_attempts`` times, backoff doubling from
    ``retry_min_backoff_ms`` to ``retry_max_backoff_ms``): an upload is not lost to a restart of the
    database while its files are recorded. What a failed attempt noted in ``report`` goes with its
    rolled-back transaction."""
    settings = rt.settings
    attempt = 1
    while True:
        messages, handled = (len(report.messages), set(report.handled)) if report is not None else (0, set())
        try:
            with transaction(rt.sessions) as s:
                return work(s)
        except DatabaseUnavailable:
            if report is not None:
                del report.messages[messages:]
                report.handled = handled
            if attempt >= settings.max_attempts:
                raise
            _, delay_ms = compute_backoff(attempt - 1, factor=settings.retry_min_backoff_ms, jitter=False,
                                          max_backoff=settings.retry_max_backoff_ms)
            log.warning("intake: database unavailable, recording again in %.1f s (attempt %d of %d)",
                        delay_ms / 1000, attempt, settings.max_attempts)
            time.sleep(delay_ms / 1000)
            attempt += 1


# Files recorded per transaction (one transaction per file would cost more than hashing and
# storing a small scan), and at least this often, so an interrupted upload leaves little to redo.
RECORD_EVERY = 100
RECORD_EVERY_S = 2.0


@dataclass
class _Stored:
    """A file hashed and in the object store, waiting to be recorded."""

    index: int
    name: str
    digest: str
    key: str
    size: int
    media_type: str
    row: ManifestRow | None


def _prepare(rt: Runtime, index: int, candidate: Candidate, row: ManifestRow | None) -> FileOutcome | _Stored:
    """Read, check and store one file; a :class:`FileOutcome` if it is refused."""
    name = candidate.name
    if candidate.refused:
        return FileOutcome(name, candidate.outcome, candidate.refused, size=candidate.size)
    try:
        data = candidate.read()
    except PermanentError as exc:
        return FileOutcome(name, "failed", exc.reason, size=candidate.size)
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError) as exc:
        return FileOutcome(name, "failed", f"unreadable: {exc}", size=candidate.size)
    try:
        media_type = sniff(data, name)
    except UnsupportedFormat as exc:
        return FileOutcome(name, "unsupported", exc.reason, size=len(data))
    digest = sha256_hex(data)
    key = source_key(digest)
    # Stored before it is recorded: a row never points at a missing object. A known file is
    # found when it is recorded (``exists`` spares storing it twice).
    if not rt.store.exists(key):
        rt.store.put(key, data, media_type)
    return _Stored(index, name, digest, key, len(data), media_type, row)


def _record(rt: Runtime, report: IntakeReport, name: str, digest: str, key: str, size: int, media_type: str,
            batch_name: str, row: ManifestRow | None, *, retry_failed: bool, resume_queued: bool) -> FileOutcome:
    """Record one stored file in its own transaction."""
    with transaction(rt.sessions) as s:
        batch = repo.get_or_create_batch(s, batch_name)
        return _record_in(rt, s, report, batch, _Stored(0, name, digest, key, size, media_type, row),
                          retry_failed=retry_failed, resume_queued=resume_queued)


def _record_in(rt: Runtime, s, report: IntakeReport, batch: Batch, item: _Stored, *, retry_failed: bool,
               resume_queued: bool) -> FileOutcome:
    source, created = repo.add_source_file(
        s, batch, sha256=item.digest, object_key=item.key, original_path=item.name, size=item.size,
        media_type=item.media_type, manifest=dict(item.row.values) if item.row else None,
    )
    if not created:  # known already (by an earlier upload, or a copy under another name)
        return _known_file(rt, s, report, source, item.name, item.size, retry_failed=retry_failed,
                           resume_queued=resume_queued)
    if item.row is not None and item.row.receiving_unit_id is not None:
        source.receiving_unit_id = item.row.receiving_unit_id
    report.messages.append(("ingest_file", source.id))
    report.handled.add(source.id)
    return FileOutcome(item.name, "new", file_id=source.id, size=item.size, status=source.status)


def _known_file(rt: Runtime, s, report: IntakeReport, known: SourceFile, name: str, size: int, *,
                retry_failed: bool, resume_queued: bool) -> FileOutcome:
    """A file whose content is recorded already: a duplicate, or unfinished work to resume."""
    batch_name = s.scalar(select(Batch.name).where(Batch.id == known.batch_id))
    where = f"batch {batch_name}, file #{known.id} ({known.original_path})"
    outcome = FileOutcome(name, "duplicate", file_id=known.id, size=size, duplicate_of=where, status=known.status)
    if known.id in report.handled:  # the same content twice in this upload: one is enough
        outcome.reason = f"same content as {where}, in this upload"
        return outcome
    report.handled.add(known.id)
    if known.status == "failed":
        if not retry_failed:
            outcome.outcome = outcome.intake = "failed"
            outcome.reason = f"failed earlier ({where}): {known.error}; rerun with --retry-failed"
            return outcome
        reset_failed(s, known)
    elif known.status not in UNFINISHED:
        outcome.reason = f"same content as {where}, already processed"
        return outcome
    elif known.enqueued_at is not None and not resume_queued:
        outcome.reason = f"same content as {where}, queued and not finished yet"
        return outcome
    messages = resume_messages(s, known)
    report.messages.extend(messages)
    outcome.outcome = outcome.intake = "resumed"
    outcome.reason = f"{known.status} in {where}; unfinished work sent again"
    outcome.status = known.status
    return outcome


def reset_failed(s, source: SourceFile) -> None:
    """Make a failed file run again from where it failed: split again if it never was, else its
    failed pages read again (pages read well are kept), then the analysis."""
    s.execute(update(Page).where(Page.source_file_id == source.id, Page.status == "failed")
              .values(status="pending", error=None, attempts=0))
    pages = repo.pages_of(s, source.id)
    split = bool(pages) and source.page_count == len(pages)
    source.status = "reading" if split else "pending"
    source.error, source.attempts = None, 0
    source.pages_done = sum(1 for p in pages if p.status == "done")
    s.flush()


def resume_messages(s, source: SourceFile) -> list[tuple[str, int]]:
    """The messages that carry an unfinished file on from where it stopped (attempts start again).

    A file resumed by hand is a fresh start, not one more crash: its delivery counters are reset
    so that the runs killed on the way do not count against ``max_attempts``.
    """
    source.attempts = 0
    if source.status in ("pending", "ingested"):
        return [("ingest_file", source.id)]
    if source.status == "analysing":
        return [("analyse_file", source.id)]
    pending = [p for p in repo.pages_of(s, source.id) if p.status == "pending"]
    for page in pending:
        page.attempts = 0
    if pending:
        return [("read_page", p.id) for p in pending]
    return [("analyse_file", source.id)] if repo.claim_analysis(s, source.id) else []


def mark_enqueued(rt: Runtime, file_ids: Iterable[int]) -> None:
    """Note that the files' first messages were sent (a later upload will not send them again)."""
    ids = sorted(set(file_ids))
    now = dt.datetime.now(dt.timezone.utc)

    def mark(s) -> None:
        for start in range(0, len(ids), 500):
            s.execute(update(SourceFile).where(SourceFile.id.in_(ids[start:start + 500]),
                                               SourceFile.enqueued_at.is_(None)).values(enqueued_at=now))

    _retried(rt, mark)


def send_all(rt: Runtime, report: IntakeReport) -> int:
    """Send the report's messages and mark the files enqueued; returns how many were sent."""
    return _send(rt, report.messages, report.to_process)


def _send(rt: Runtime, messages: list[tuple[str, int]], file_ids: list[int]) -> int:
    """Send ``messages`` and mark ``file_ids`` (the files they start or resume) enqueued."""
    for actor, item_id in messages:
        rt.send(actor, item_id)
    mark_enqueued(rt, file_ids)
    return len(messages)


def sniff(data: bytes, name: str) -> str:
    """The scan's media type; :class:`UnsupportedFormat` saying what the file looks like instead."""
    from ocr.decode import sniff_media_type

    try:
        return sniff_media_type(data, name)
    except UnsupportedFormat as exc:
        looks = _looks_like(data)
        if looks:
            raise UnsupportedFormat(f"{name}: {looks}, not a PDF, TIFF, JPEG or PNG scan") from None
        raise exc


def _looks_like(data: bytes) -> str | None:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "an HTML page (saved from a browser?)"
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:4096]:
            return "a Word document (.docx)"
        if b"xl/" in data[:4096]:
            return "an Excel workbook (.xlsx)"
        return "a zip archive under another name"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Office document (.doc/.xls)"
    return None


# -- after processing ----------------------------------------------------------------------------

def settle(rt: Runtime, report: IntakeReport) -> None:
    """Fill in how every processed file ended; a file that failed (or any of whose documents did)
    becomes ``failed`` with the reason."""
    from schemas.tables import Document

    ids = [f.file_id for f in report.files if f.file_id is not None]
    if not ids:
        return
    with transaction(rt.sessions) as s:
        files = {f.id: f for f in s.scalars(select(SourceFile).where(SourceFile.id.in_(ids)))}
        docs: dict[int, list] = {}
        for doc in s.scalars(select(Document).where(Document.source_file_id.in_(ids))):
            docs.setdefault(doc.source_file_id, []).append(doc)
        for outcome in report.files:
            source = files.get(outcome.file_id)
            if source is None:
                continue
            outcome.status, outcome.pages = source.status, source.page_count
            outcome.documents = len(docs.get(source.id, []))
            failed_docs = [d for d in docs.get(source.id, []) if d.status == "failed"]
            if outcome.outcome in ("new", "resumed") and (source.status == "failed" or failed_docs):
                outcome.outcome = "failed"
                outcome.reason = source.error or "; ".join(
                    f"pages {d.pages}: {d.error}" for d in failed_docs)


def progress_counts(rt: Runtime, file_ids: list[int]) -> dict[str, int]:
    """Files and pages of ``file_ids`` by state (one short query each, for a progress line)."""
    from sqlalchemy import func

    out = {"files_total": len(file_ids), "files_done": 0, "files_failed": 0, "pages_expected": 0,
           "pages_done": 0, "pages_failed": 0}
    with transaction(rt.sessions) as s:
        for start in range(0, len(file_ids), 900):
            chunk = file_ids[start:start + 900]
            for status, count, pages in s.execute(
                select(SourceFile.status, func.count(), func.coalesce(func.sum(SourceFile.page_count), 0))
                .where(SourceFile.id.in_(chunk)).group_by(SourceFile.status)
            ):
                out[f"files_{status}"] = out.get(f"files_{status}", 0) + count
                out["pages_expected"] += pages
            for status, count in s.execute(
                select(Page.status, func.count()).where(Page.source_file_id.in_(chunk)).group_by(Page.status)
            ):
                out[f"pages_{status}"] = out.get(f"pages_{status}", 0) + count
    return out
