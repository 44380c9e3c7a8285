"""Repositories: every read and write the workers, CLI and API make, by natural keys.

Functions take a :class:`Session` inside a transaction the caller owns (see
``storage.db.transaction``) and never commit themselves, so an actor's work is one short
transaction. Writes are idempotent: running the same step twice leaves the same rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.orm import Session

from storage.db import upsert_insert
from units.text import clean, fold
from schemas.dossier import DossierLink
from schemas.errors import NotFound
from schemas.pages import PageText
from schemas.results import DocumentResult
from schemas.tables import (
    UNIT_LEVELS,
    AdminUnit,
    Agency,
    Batch,
    Calibration as CalibrationRow,
    Document,
    Dossier,
    FieldValue,
    Page,
    Procedure,
    ReviewAction,
    SourceFile,
    UnitMapping,
)


# -- batches and files ---------------------------------------------------------------------------

def get_or_create_batch(session: Session, name: str) -> Batch:
    """The batch called ``name``, created if new."""
    batch = session.scalar(select(Batch).where(Batch.name == name))
    if batch is None:
        batch = Batch(name=name)
        session.add(batch)
        session.flush()
    return batch


def find_file_by_sha(session: Session, sha256: str) -> SourceFile | None:
    return session.scalar(select(SourceFile).where(SourceFile.sha256 == sha256))


def add_source_file(
    session: Session,
    batch: Batch,
    *,
    sha256: str,
    object_key: str,
    original_path: str,
    size: int,
    media_type: str,
    manifest: dict | None = None,
) -> tuple[SourceFile, bool]:
    """Record an uploaded file; returns ``(file, created)``. A known SHA-256 is not stored twice."""
    existing = find_file_by_sha(session, sha256)
    if existing is not None:
        return existing, False
    source = SourceFile(
        batch=batch,
        sha256=sha256,
        object_key=object_key,
        original_path=original_path,
        size=size,
        media_type=media_type,
        status="pending",
        manifest=manifest,
        pages_done=0,
        attempts=0,
    )
    session.add(source)
    session.flush()
    return source, True


def get_file(session: Session, source_file_id: int, *, lock: bool = False) -> SourceFile:
    stmt = select(SourceFile).where(SourceFile.id == source_file_id)
    if lock:
        stmt = stmt.with_for_update()
    source = session.scalar(stmt)
    if source is None:
        raise NotFound(f"source file {source_file_id} does not exist")
    return source


def count_attempt_on_file(session: Session, source_file_id: int) -> int:
    """Add one delivery to the file's counter and return the new count (committed by the caller first)."""
    return session.scalar(  # one round trip: the update returns the new count
        update(SourceFile).where(SourceFile.id == source_file_id).values(attempts=SourceFile.attempts + 1)
        .returning(SourceFile.attempts)
    ) or 0


def fail_file(session: Session, source: SourceFile, reason: str) -> None:
    """Mark a whole file failed and give it one failed document, so export shows why."""
    source.status = "failed"
    source.error = reason
    doc = session.scalar(select(Document).where(Document.source_file_id == source.id, Document.seq == 1))
    if doc is None:
        doc = Document(source_file_id=source.id, seq=1, pages=[], type_confidence=0.0)
        session.add(doc)
    if doc.id is None or not _has_review(session, doc.id):
        # A reviewed document stands as the reviewer left it; the file's own error says why it failed.
        doc.doc_type = "khac"
        doc.status = "failed"
        doc.error = reason
    # Documents beyond the first (from an earlier, successful analysis) no longer stand.
    for extra in session.scalars(select(Document).where(Document.source_file_id == source.id, Document.seq > 1)):
        if not _has_review(session, extra.id):
            session.delete(extra)


# -- pages ---------------------------------------------------------------------------------------

# The page path runs these once per page: each is one Core statement on the tables (no ORM unit of
# work, no identity-map synchronisation), and the fan-in adds no statement for a page that is not
# its file's last.
_PAGES = Page.__table__
_FILES = SourceFile.__table__


def upsert_pages(session: Session, source_file_id: int, pages: list[tuple[int, str, int | None]]) -> list[tuple[int, str]]:
    """Page rows for ``(page number, image key, dpi)`` of a file, created if new (re-ingest keeps
    finished pages and refreshes the keys): one statement. Returns ``(page id, status)`` by page number."""
    insert = upsert_insert(session)
    stmt = insert(_PAGES).values([
        {"source_file_id": source_file_id, "page_no": page_no, "status": "pending", "attempts": 0,
         "image_key": image_key, "dpi": dpi}
        for page_no, image_key, dpi in pages
    ])
    stmt = stmt.on_conflict_do_update(
        index_elements=[_PAGES.c.source_file_id, _PAGES.c.page_no],
        set_={"image_key": stmt.excluded.image_key, "dpi": stmt.excluded.dpi},
    ).returning(_PAGES.c.id, _PAGES.c.page_no, _PAGES.c.status)
    rows = sorted(session.execute(stmt).all(), key=lambda row: row.page_no)
    return [(row.id, row.status) for row in rows]


@dataclass(frozen=True)
class PageStart:
    """What reading a pending page needs, read by the statement that counted its delivery."""

    attempts: int
    image_key: str
    page_no: int
    source_file_id: int
    sha256: str


_START_PAGE = (
    update(_PAGES)
    .where(_PAGES.c.id == bindparam("page_id"), _PAGES.c.status == "pending")
    .values(attempts=_PAGES.c.attempts + 1)
    .returning(_PAGES.c.attempts, _PAGES.c.image_key, _PAGES.c.page_no, _PAGES.c.source_file_id,
               select(_FILES.c.sha256).where(_FILES.c.id == _PAGES.c.source_file_id).scalar_subquery())
)


def start_page(session: Session, page_id: int) -> PageStart | None:
    """Count one delivery of a pending page (committed by the caller before the work) and return
    what reading it needs; None if the page is not pending (finished by an earlier delivery)."""
    row = session.execute(_START_PAGE, {"page_id": page_id}).one_or_none()
    return PageStart(*row) if row is not None else None


_END_PAGE_DELIVERY = (
    update(_PAGES)
    .where(_PAGES.c.id == bindparam("page_id"), _PAGES.c.status == "pending", _PAGES.c.attempts > 0)
    .values(attempts=_PAGES.c.attempts - 1)
)


def end_page_delivery(session: Session, page_id: int) -> None:
    """Un-count a delivery of a pending page that ended with an error: it was retried, not a crash.

    The count then holds only deliveries that never returned (their worker died) and the current one,
    whichever copy of the page's message they came from.
    """
    session.execute(_END_PAGE_DELIVERY, {"page_id": page_id})


def file_of_page(session: Session, page_id: int) -> int:
    """The file id of a page; :class:`NotFound` if there is no such page."""
    source_file_id = session.scalar(select(_PAGES.c.source_file_id).where(_PAGES.c.id == page_id))
    if source_file_id is None:
        raise NotFound(f"page {page_id} does not exist")
    return source_file_id


@dataclass(frozen=True)
class PageFinished:
    """A page this call finished: its file's batch, and whether it was the file's last page."""

    batch_id: int | None
    completes_file: bool


_COUNT_PAGE_ON_FILE = (
    update(_FILES)
    .where(_FILES.c.id == bindparam("file_id"))
    .values(pages_done=_FILES.c.pages_done + 1)
    .returning(_FILES.c.batch_id, _FILES.c.status, _FILES.c.pages_done, _FILES.c.page_count)
)


@functools.lru_cache(maxsize=4)
def _finish_page_statement(columns: tuple[str, ...]):
    """UPDATE of a pending page setting ``columns`` (bound by name), built once per set of columns."""
    return (
        update(_PAGES)
        .where(_PAGES.c.id == bindparam("page_id"), _PAGES.c.status == "pending")
        .values({name: bindparam(name, type_=_PAGES.c[name].type) for name in columns if name != "page_id"})
        .returning(_PAGES.c.source_file_id)
    )


def finish_page(
    session: Session, page_id: int, *, text: PageText | None, words_key: str | None, error: str | None
) -> PageFinished | None:
    """Move a pending page to done (or failed) and count it on its file, once: two statements.

    Returns None if the page was not pending (another delivery counted it, so only one delivery
    counts a page even when a message is processed twice). ``completes_file``: the file's row,
    locked by the count until commit, says every page is finished and the analysis is not claimed
    yet, so :func:`claim_analysis` will succeed; for any other page it would not, and is not run.
    """
    values: dict = {"page_id": page_id, "status": "failed" if error else "done", "error": error, "words_key": words_key}
    if text is not None:
        values.update(
            rotation=text.rotation,
            skew=round(text.skew, 3),
            dpi=text.dpi,
            width=text.width,
            height=text.height,
            text_source=text.text_source,
            ocr_text=text.text,
            mean_conf=round(text.mean_conf, 4),
            timings={k: round(v, 1) for k, v in text.timings_ms.items()},
        )
    source_file_id = session.scalar(_finish_page_statement(tuple(values)), values)
    if source_file_id is None:  # not pending (any more): another delivery counted it
        return None
    row = session.execute(_COUNT_PAGE_ON_FILE, {"file_id": source_file_id}).one()
    last = row.status == "reading" and row.page_count is not None and row.pages_done >= row.page_count
    return PageFinished(row.batch_id, last)


def claim_analysis(session: Session, source_file_id: int) -> bool:
    """True for exactly one caller once every page of the file is finished (the fan-in).

    ORM-enabled (once per file, not per page): a file loaded in the session sees its new status.
    """
    claimed = session.execute(
        update(SourceFile)
        .where(
            SourceFile.id == source_file_id,
            SourceFile.status == "reading",
            SourceFile.pages_done >= SourceFile.page_count,
        )
        # The file's attempt counter now counts deliveries of its analysis message.
        .values(status="analysing", attempts=0)
    ).rowcount
    return claimed == 1


def pages_of(session: Session, source_file_id: int) -> list[Page]:
    return list(session.scalars(select(Page).where(Page.source_file_id == source_file_id).order_by(Page.page_no)))


# -- documents and fields ------------------------------------------------------------------------

def _has_review(session: Session, document_id: int) -> bool:
    return session.scalar(select(func.count()).where(ReviewAction.document_id == document_id)) > 0


def save_documents(session: Session, source: SourceFile, results: list[DocumentResult]) -> list[Document]:
    """Write the analysis of a file: upsert documents by (file, seq), fields by (document, key).

    Reviewer work is never overwritten: a reviewed document keeps its status, and a field whose
    current value came from a reviewer keeps it. Unchanged machine values are left as they are,
    so running the analysis twice adds no rows.
    """
    existing = {d.seq: d for d in session.scalars(select(Document).where(Document.source_file_id == source.id))}
    saved: list[Document] = []
    for seq, result in enumerate(results, start=1):
        doc = existing.pop(seq, None)
        if doc is None:
            doc = Document(source_file_id=source.id, seq=seq)
            session.add(doc)
        _apply_document(doc, result)
        unit = resolve_unit(session, doc.unit_codes)
        doc.unit_id = unit.id if unit is not None else None
        successor = unit_2025(session, unit, doc.unit_codes)
        doc.unit_2025_id = successor.id if successor is not None else None
        session.flush()
        _apply_fields(session, doc, result)
        refresh_least_confidence(session, doc)
        saved.append(doc)
    for leftover in existing.values():
        if not _has_review(session, leftover.id):
            session.delete(leftover)
    source.status = "done"
    source.error = None
    session.flush()
    return saved


def _apply_document(doc: Document, result: DocumentResult) -> None:
    reviewed = doc.status == "reviewed"
    doc.doc_type = doc.doc_type if reviewed else result.doc_type
    doc.type_confidence = round(result.type_confidence, 4)
    doc.type_cues = list(result.type_cues)
    doc.pages = list(result.pages)
    doc.page_roles = list(result.page_roles) or None
    doc.page_from = min(result.pages) if result.pages else None
    doc.page_to = max(result.pages) if result.pages else None
    doc.status = "reviewed" if reviewed else result.status
    doc.error = result.error
    doc.text = result.text
    doc.unit_codes = dict(result.unit) if result.unit else None


def refresh_least_confidence(session: Session, doc: Document) -> None:
    """The document's lowest confidence among its fields needing review (the review queue's order)."""
    session.flush()
    doc.least_confidence = session.scalar(select(func.min(FieldValue.confidence)).where(
        FieldValue.document_id == doc.id, FieldValue.is_current, FieldValue.status == "needs_review"))


def apply_fields(session: Session, doc: Document, result: DocumentResult) -> None:
    """Write a fresh analysis's fields on a document (reviewer values stand; see save_documents)."""
    _apply_fields(session, doc, result)


def _apply_fields(session: Session, doc: Document, result: DocumentResult) -> None:
    current = {
        f.key: f
        for f in session.scalars(select(FieldValue).where(FieldValue.document_id == doc.id, FieldValue.is_current))
    }
    for key, field in result.fields.items():
        old = current.pop(key, None)
        if old is not None and old.origin == "reviewer":
            continue  # a reviewer's value stands
        confidence = round(field.confidence, 4)
        bbox = list(field.bbox) if field.bbox else None
        if old is not None and (old.value, old.confidence, old.status, old.page, old.bbox) == (
            field.value, confidence, field.status, field.page, bbox
        ):
            continue  # unchanged: keep the row
        if old is not None:
            old.is_current = False
            session.flush()  # the partial unique index allows one current row per key
        session.add(
            FieldValue(
                document_id=doc.id,
                key=key,
                raw_value=field.raw,
                value=field.value,
                confidence=confidence,
                page=field.page,
                bbox=bbox,
                status=field.status,
                is_current=True,
                origin="machine",
                checks=dict(field.checks) or None,
                features={k: round(v, 4) for k, v in field.features.items()} or None,
                note=field.note,
            )
        )
    for stale in current.values():
        if stale.origin == "machine":
            stale.is_current = False
    session.flush()


def current_values(session: Session, docs: Iterable[Document]) -> list[dict[str, str | None]]:
    """The current field values of ``docs`` (field key -> value, one dict per document, in order):
    what ``pipeline.dossier.link_documents`` reads (reviewers' corrections included)."""
    docs = list(docs)
    current = _current_fields(session, [d.id for d in docs])
    return [{key: field.value for key, field in current.get(d.id, {}).items()} for d in docs]


def link_dossier(session: Session, docs: Iterable[Document], link: DossierLink | None) -> Dossier | None:
    """Persist what dossier linking decided (``pipeline.dossier.link_documents``): upsert the
    dossier named by ``link`` and link the file's documents to it.

    Besides the code, applicant and dates, the dossier gets its procedure (looked up by the mã
    TTHC read on the receipt, else by the exact procedure name), its receiving unit and its
    receiving agency (upserted from the agency named on the file's documents, with the agency
    e-ID that heads the dossier code). Everything is looked up or upserted by natural keys, so
    reprocessing a file changes nothing and adds no rows.
    """
    docs = list(docs)
    if not docs or link is None:
        return None
    dossier = session.scalar(select(Dossier).where(Dossier.dossier_code == link.dossier_code))
    if dossier is None:
        dossier = Dossier(dossier_code=link.dossier_code, status_code=2)  # 2 = được tiếp nhận
        session.add(dossier)
    dossier.applicant_name = link.applicant or dossier.applicant_name
    dossier.received_date = link.received_date or dossier.received_date
    dossier.due_date = link.due_date or dossier.due_date

    receipt = docs[link.receipt_index]
    ordered = [receipt] + [d for d in docs if d is not receipt]  # the receipt speaks first
    procedure = _find_procedure(session, link.procedure_code, link.procedure_name)
    # save_documents resolved each document's unit just before: take it from there (identity map).
    unit = next((session.get(AdminUnit, d.unit_id) for d in ordered if d.unit_id is not None), None)
    agency = _receiving_agency(session, link, unit, procedure)
    dossier.procedure_id = procedure.id if procedure is not None else dossier.procedure_id
    dossier.agency_id = agency.id if agency is not None else dossier.agency_id
    receiving_unit_id = agency.unit_id if agency is not None and agency.unit_id else (unit.id if unit else None)
    dossier.unit_id = receiving_unit_id or dossier.unit_id
    session.flush()
    for doc in docs:
        doc.dossier_id = dossier.id
    return dossier


_AGENCY_LEVEL_OF_UNIT = {"province": "tinh", "district": "huyen", "commune": "xa"}
_UNIT_LEVEL_OF_AGENCY = {v: k for k, v in _AGENCY_LEVEL_OF_UNIT.items()}


def _current_fields(session: Session, document_ids: list[int]) -> dict[int, dict[str, FieldValue]]:
    """The current field rows of the documents, by document id and key (read fresh, not cached)."""
    out: dict[int, dict[str, FieldValue]] = {}
    rows = session.scalars(select(FieldValue).where(FieldValue.document_id.in_(document_ids), FieldValue.is_current))
    for field in rows:
        out.setdefault(field.document_id, {})[field.key] = field
    return out


def _find_procedure(session: Session, code: str | None, name: str | None) -> Procedure | None:
    """The procedure by its mã TTHC; else by its exact (folded) name. None if the catalogue lacks it."""
    if code:
        procedure = session.scalar(select(Procedure).where(Procedure.code == code.strip()))
        if procedure is not None:
            return procedure
    if name:
        return session.scalar(select(Procedure).where(Procedure.folded_name == fold(name)).limit(1))
    return None


def resolve_unit(session: Session, codes: dict | None) -> AdminUnit | None:
    """The deepest (pre-2025) unit that GSO ``codes`` name consistently, or None.

    ``{"province": "01", "district": "001", "commune": "00001"}`` gives the commune, provided its
    district and province are the ones named; a level whose code disagrees with its parents is
    dropped and the next level up is tried.
    """
    if not codes:
        return None
    for depth in range(len(UNIT_LEVELS), 0, -1):
        level = UNIT_LEVELS[depth - 1]
        code = codes.get(level)
        if not code:
            continue
        unit = session.scalar(select(AdminUnit).where(
            AdminUnit.era == "pre2025", AdminUnit.level == level, AdminUnit.code == code))
        if unit is not None and _ancestors_agree(unit, codes):
            return unit
    return None


def unit_2025(session: Session, unit: AdminUnit | None, codes: dict | None = None) -> AdminUnit | None:
    """The 2025 unit a document's pre-2025 ``unit`` became part of: the 2025 commune the analysis
    named (``commune_2025`` in ``codes``), else the default successor of the old commune in the
    reform's mapping (the lowest mapping id), else the 2025 province of the old province."""
    codes = codes or {}
    for level in ("commune", "province"):
        named = codes.get(f"{level}_2025")
        if named:
            found = session.scalar(select(AdminUnit).where(
                AdminUnit.era == "2025", AdminUnit.level == level, AdminUnit.code == named))
            if found is not None:
                return found
    old = unit
    while old is not None:
        successor = session.scalar(
            select(AdminUnit).join(UnitMapping, UnitMapping.new_unit_id == AdminUnit.id)
            .where(UnitMapping.old_unit_id == old.id).order_by(UnitMapping.id).limit(1))
        if successor is not None:
            return successor
        old = old.parent
    return None


def _ancestors_agree(unit: AdminUnit, codes: dict) -> bool:
    parent = unit.parent
    while parent is not None:
        named = codes.get(parent.level)
        if named and named != parent.code:
            return False
        parent = parent.parent
    return True


def _unit_at(unit: AdminUnit | None, level: str | None) -> AdminUnit | None:
    """``unit`` or its ancestor at ``level`` (None if it lies above ``unit``)."""
    while unit is not None and unit.level != level:
        unit = unit.parent
    return unit


def _agency_level(link: DossierLink, unit: AdminUnit | None, procedure: Procedure | None) -> str | None:
    """The agency's level: as its name says (UBND xã…, UBND huyện…, Sở…), else the resolved unit's,
    else the procedure's."""
    if link.agency_level is not None:
        return link.agency_level
    if unit is not None:
        return _AGENCY_LEVEL_OF_UNIT[unit.level]
    return procedure.level if procedure is not None else None


def _receiving_agency(session: Session, link: DossierLink, unit: AdminUnit | None,
                      procedure: Procedure | None) -> Agency | None:
    """The dossier's receiving agency: known by its e-ID, else upserted by (name, unit)."""
    name, e_id = link.agency_name, link.agency_e_id
    if e_id is not None:
        known = session.scalar(select(Agency).where(Agency.e_id == e_id))
        if known is not None or not name:
            return known
    if not name:
        return None
    level = _agency_level(link, unit, procedure)
    if level is None:
        return None
    seat = _unit_at(unit, _UNIT_LEVEL_OF_AGENCY.get(level))
    return upsert_agency(session, name, level=level, unit_id=seat.id if seat else None, e_id=e_id)


def upsert_agency(session: Session, name: str, *, level: str, unit_id: int | None,
                  e_id: str | None = None) -> Agency:
    """The agency called ``name`` in ``unit_id``, created if new.

    Names are compared folded (printed in capitals or not, with or without marks: one agency),
    so the same header read twice never makes two rows. A new e-ID is recorded when no other
    agency holds it. Two workers upserting the same agency at once (PostgreSQL; SQLite has one
    writer at a time): a transaction-scoped advisory lock on the folded name makes the second wait
    for the first to commit, then find its row. The unique (name, unit) constraint alone would not
    do: it cannot see that two spellings are one agency, and NULL units never collide.
    """
    name = clean(name)
    if session.get_bind().dialect.name == "postgresql":
        digest = hashlib.blake2b(f"agency|{unit_id}|{fold(name)}".encode(), digest_size=8).digest()
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": int.from_bytes(digest, "big", signed=True)})
    agency = _agency_by_name(session, name, unit_id)
    if agency is None:
        agency = Agency(name=name, level=level, unit_id=unit_id)
        session.add(agency)
    if e_id and agency.e_id is None and session.scalar(select(Agency.id).where(Agency.e_id == e_id)) is None:
        agency.e_id = e_id
    session.flush()
    return agency


def _agency_by_name(session: Session, name: str, unit_id: int | None) -> Agency | None:
    same_unit = Agency.unit_id == unit_id if unit_id is not None else Agency.unit_id.is_(None)
    key = fold(name)
    return next((a for a in session.scalars(select(Agency).where(same_unit).order_by(Agency.id))
                 if fold(a.name) == key), None)


STALLED_STEPS = ("ingest_file", "read_page", "analyse_file")


def claim_stalled(session: Session, older_than_s: float, *, skip: Iterable[str] = ()) -> dict[str, list[int]]:
    """Claim the work that has not moved for ``older_than_s`` seconds, by the step it needs.

    Returns ``{"ingest_file": [file ids], "read_page": [page ids], "analyse_file": [file ids],
    "claim": [file ids whose fan-in was missed]}``. Claiming touches the file's ``updated_at`` with
    a conditional UPDATE, so when several sweeps run at once (one per worker machine) each stalled
    file is handed to exactly one of them, and not again before another ``older_than_s``: its work
    is re-sent once per stall window, not once per sweep. Steps in ``skip`` (their queue still
    holds messages, so the work may only be waiting) are left for a later sweep.
    """
    now = dt.datetime.now(dt.timezone.utc)
    cutoff = now - dt.timedelta(seconds=older_than_s)
    waiting = {"ingest_file": "pending", "read_page": "reading", "analyse_file": "analysing"}
    claimed: dict[str, list[int]] = {step: [] for step in STALLED_STEPS}
    for step, status in waiting.items():
        if step in skip:
            continue
        candidates = session.scalars(
            select(SourceFile.id).where(SourceFile.status == status, SourceFile.updated_at < cutoff)
        ).all()
        for file_id in candidates:
            won = session.execute(
                update(SourceFile)
                .where(SourceFile.id == file_id, SourceFile.status == status, SourceFile.updated_at < cutoff)
                .values(updated_at=now)
            ).rowcount
            if won == 1:
                claimed[step].append(file_id)
    # A file read in full but never claimed for analysis (its last page died between the two
    # transactions): claiming is itself conditional, so this needs no stall window.
    claimed["claim"] = list(session.scalars(
        select(SourceFile.id).where(SourceFile.status == "reading", SourceFile.pages_done >= SourceFile.page_count)
    ).all())
    if claimed["read_page"]:
        claimed["read_page"] = list(session.scalars(
            select(Page.id).where(Page.source_file_id.in_(claimed["read_page"]), Page.status == "pending")
            .order_by(Page.source_file_id, Page.page_no)
        ).all())
    return claimed


def batch_progress(session: Session, batch_name: str | None = None) -> dict[str, int]:
    """Counts of files, pages and documents by state (for progress bars, ``status`` and the ops page)."""
    files = select(SourceFile.status, func.count()).group_by(SourceFile.status)
    pages = select(Page.status, func.count()).join(SourceFile).group_by(Page.status)
    docs = select(Document.status, func.count()).join(SourceFile).group_by(Document.status)
    if batch_name is not None:
        batch_id = select(Batch.id).where(Batch.name == batch_name).scalar_subquery()
        files = files.where(SourceFile.batch_id == batch_id)
        pages = pages.where(SourceFile.batch_id == batch_id)
        docs = docs.where(SourceFile.batch_id == batch_id)
    out: dict[str, int] = {}
    for prefix, stmt in (("files", files), ("pages", pages), ("documents", docs)):
        rows = dict(session.execute(stmt).all())
        out[f"{prefix}_total"] = sum(rows.values())
        for status, count in rows.items():
            out[f"{prefix}_{status}"] = count
    out["pages_expected"] = session.scalar(
        select(func.coalesce(func.sum(SourceFile.page_count), 0)).where(
            *( [SourceFile.batch_id == select(Batch.id).where(Batch.name == batch_name).scalar_subquery()]
               if batch_name is not None else [])
        )
    ) or 0
    return out


def correct_field(
    session: Session, document_id: int, key: str, new_value: str | None, reviewer: str, *, confirm: bool = False
) -> FieldValue:
    """A reviewer corrects (or confirms) a field: a new current row, an appended review action.

    The machine's row stays as history (``is_current`` false). When no field remains to review,
    the document becomes ``reviewed``.
    """
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound(f"document {document_id} does not exist")
    old = session.scalar(
        select(FieldValue).where(FieldValue.document_id == document_id, FieldValue.key == key, FieldValue.is_current)
    )
    value = (clean(new_value) or None) if new_value is not None else None  # blank = "no value"
    if confirm and old is not None:
        value = old.value
    if old is not None:
        old.is_current = False
        session.flush()
    field = FieldValue(
        document_id=document_id, key=key, raw_value=old.raw_value if old else None, value=value,
        confidence=1.0, page=old.page if old else None, bbox=old.bbox if old else None,
        status="confirmed" if confirm else "corrected", is_current=True, origin="reviewer",
    )
    session.add(field)
    session.flush()
    session.add(ReviewAction(
        document_id=document_id, field_id=field.id, key=key, reviewer=reviewer,
        action="confirm" if confirm else "correct", old_value=old.value if old else None, new_value=value,
    ))
    session.flush()
    remaining = session.scalar(
        select(func.count()).where(
            FieldValue.document_id == document_id, FieldValue.is_current, FieldValue.status == "needs_review"
        )
    )
    if remaining == 0 and doc.status in ("needs_review", "auto_accepted"):
        doc.status = "reviewed"
    return field


def reset_for_replay(session: Session, actor: str, args: list) -> None:
    """Before a dead letter is replayed: reset its attempts and put its page or file back in line."""
    if not args:
        return
    if actor == "read_page":
        page = session.get(Page, args[0])
        if page is None:
            return
        if page.status == "failed":
            page.status, page.error = "pending", None
            source = page.source_file
            source.pages_done = max(0, source.pages_done - 1)
            if source.status in ("done", "failed", "analysing"):
                source.status = "reading"
        page.attempts = 0
    elif actor in ("ingest_file", "analyse_file"):
        source = session.get(SourceFile, args[0])
        if source is None:
            return
        source.attempts = 0
        if source.status == "failed":
            source.error = None
            source.status = "pending" if actor == "ingest_file" or not source.page_count else "analysing"


# -- reviewers' verdicts as labelled samples (``sohoa calibrate --reviews``) ----------------------

def review_samples(session: Session) -> list[tuple[str, dict, bool]]:
    """(field key, the machine value's confidence features, was the machine value right?) for every
    field a reviewer confirmed or corrected (the last verdict per field).

    Fields nobody reviewed are no samples: an auto-accepted value left alone was not checked. A
    corrected value was right only if the reviewer typed the machine's value again. Fields without
    a machine value or without stored features teach nothing and are skipped.
    """
    samples: list[tuple[str, dict, bool]] = []
    seen: set[tuple[int, str]] = set()
    actions = session.scalars(
        select(ReviewAction).where(ReviewAction.action.in_(("confirm", "correct")), ReviewAction.key.is_not(None))
        .order_by(ReviewAction.id.desc())
    )
    for action in actions:
        if (action.document_id, action.key) in seen:
            continue  # the last verdict on a field stands
        seen.add((action.document_id, action.key))
        machine = session.scalar(
            select(FieldValue).where(FieldValue.document_id == action.document_id, FieldValue.key == action.key,
                                     FieldValue.origin == "machine").order_by(FieldValue.id.desc()).limit(1)
        )
        if machine is None or machine.value is None or not machine.features:
            continue
        right = action.action == "confirm" or clean(machine.value) == clean(action.new_value or "")
        samples.append((action.key, dict(machine.features), right))
    return samples


def newest_calibration_version(session: Session) -> int | None:
    """The newest recorded calibration's number (a cheap query, asked now and then by workers), or
    None when ``sohoa calibrate`` recorded none."""
    return session.scalar(select(func.max(CalibrationRow.version)))


def calibration_model(session: Session, version: int) -> dict | None:
    """The fitted model stored as calibration number ``version``."""
    row = session.scalar(select(CalibrationRow).where(CalibrationRow.version == version))
    return dict(row.model) if row is not None else None
