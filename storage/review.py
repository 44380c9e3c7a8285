"""The review station's reads and writes, every one scoped to the signed-in user in SQL.

A document out of the user's scope (see :mod:`storage.users`) is reported exactly as one that
does not exist (:class:`NotFound`), so ids cannot be probed. Every change:

* carries the document's ``version`` and raises :class:`Conflict` when it is stale (the
  version is bumped with a conditional UPDATE, which also locks the row on PostgreSQL, so
  concurrent saves of one document queue behind each other instead of colliding);
* takes the reviewer from the login, and appends a row to ``review_actions``;
* stores values already computed: cleaning and checking a typed value, extracting fields again for
  a new type, re-linking the dossier and relocating the applicant are the pipeline's work, done by
  the edge that calls it (:mod:`api.corrections`), which hands the results here to persist.

This module reads and writes only; it imports no pipeline stage (tests/test_layers.py).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import Integer, any_, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from schemas import doctypes
from schemas.doctypes import DOC_TYPE_KEYS
from schemas.errors import NotFound, PermanentError
from schemas.results import DocumentResult
from schemas.tables import (
    AdminUnit,
    Agency,
    Batch,
    Document,
    Dossier,
    FieldValue,
    Page,
    ReviewAction,
    SourceFile,
)
from storage import repo
from storage.users import Principal, find_unit, scope_ids, unit_label

_log = logging.getLogger(__name__)

class Conflict(PermanentError):
    """A save carried a stale version: someone else changed the document first."""

    code = "conflict"


class BadReviewInput(PermanentError):
    """A reviewer's input that cannot be stored (unknown key, bad value, impossible move)."""

    code = "bad_input"


# -- scope ----------------------------------------------------------------------------------------

def unit_among(session: Session, column, ids: tuple[int, ...]):
    """``column IN ids`` - on PostgreSQL as ``= ANY(:array)``, one parameter however many units a
    province has (hundreds of separate parameters cost more to send than the query to run)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(ids), ARRAY(Integer)))
    return column.in_(ids)


def in_scope(session: Session, user: Principal):
    """The SQL condition "the document's file was received in the user's scope" (on SourceFile)."""
    inside = unit_among(session, SourceFile.receiving_unit_id, scope_ids(session, user.unit_id))
    return or_(inside, SourceFile.receiving_unit_id.is_(None)) if user.sees_unitless else inside


def get_document(session: Session, user: Principal, document_id: int) -> Document:
    """The document if it exists and is in the user's scope; else NotFound (the same answer)."""
    doc = session.scalar(select(Document).join(SourceFile, Document.source_file_id == SourceFile.id)
                         .where(Document.id == document_id, in_scope(session, user)))
    if doc is None:
        raise NotFound(f"document {document_id} does not exist")
    return doc


# -- the queue ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueFilter:
    batch: str | None = None
    doc_type: str | None = None
    unit: str | None = None
    """Receiving unit code (``CODE`` or ``ERA:CODE``): that unit and below; ``none``: no unit."""
    field: str | None = None
    """Only documents with this field needing review."""
    max_confidence: float | None = None
    status: str | None = "needs_review"


def _queue_conditions(session: Session, user: Principal, flt: QueueFilter) -> list:
    conditions = [in_scope(session, user)]
    if flt.status:
        conditions.append(Document.status == flt.status)
    if flt.batch:
        conditions.append(SourceFile.batch_id == select(Batch.id).where(Batch.name == flt.batch).scalar_subquery())
    if flt.doc_type:
        conditions.append(Document.doc_type == flt.doc_type)
    if flt.unit == "none":
        conditions.append(SourceFile.receiving_unit_id.is_(None))
    elif flt.unit:
        try:
            unit = find_unit(session, flt.unit)
        except PermanentError as exc:
            raise BadReviewInput(str(exc)) from None
        conditions.append(unit_among(session, SourceFile.receiving_unit_id, scope_ids(session, unit.id)))
    if flt.max_confidence is not None:
        conditions.append(Document.least_confidence <= flt.max_confidence)
    if flt.field:
        conditions.append(Document.id.in_(select(FieldValue.document_id).where(
            FieldValue.key == flt.field, FieldValue.is_current, FieldValue.status == "needs_review")))
    return conditions


COUNT_TTL = 5.0
"""Seconds a queue's total (and the counts at the top of the page) may be reused: counting tens of
thousands of documents in scope costs far more than reading the page itself, and a reviewer's own
changes in this process reset the counts at once (see :func:`_changed`)."""
PAGE_TTL = 1.0
"""Seconds a queue page may be reused (see :func:`queue`)."""
_COUNTS: dict[tuple, tuple[float, int, Any]] = {}
_REFRESHING: set[tuple] = set()
_COUNTS_LOCK = threading.Lock()
_generation = 0


def _changed() -> None:
    """A change in this process: every cached count and page is out of date."""
    global _generation
    with _COUNTS_LOCK:
        _generation += 1
        _COUNTS.clear()


def _cached(bind, key: tuple, compute: Callable[[Session], Any], ttl: float) -> tuple[bool, Any]:
    """``(True, answer)`` if an answer not made stale by a change in this process is kept under
    ``key`` (when it is older than ``ttl``, it is computed again in the background, in a session
    of its own, while it goes on being answered); else ``(False, None)``. Never waits on the database."""
    key = (bind.url.render_as_string(hide_password=True), *key)
    now = time.monotonic()
    with _COUNTS_LOCK:
        cached = _COUNTS.get(key)
        if cached is None or cached[1] != _generation:
            return False, None
        if now - cached[0] < ttl or key in _REFRESHING:
            return True, cached[2]  # fresh, or being computed again right now
        _REFRESHING.add(key)
        generation = _generation
    threading.Thread(target=_refresh, args=(bind, key, compute, generation), daemon=True,
                     name="sohoa-queue-refresh").start()
    return True, cached[2]


def _counted(session: Session, key: tuple, compute: Callable[[Session], Any], ttl: float | None = None) -> Any:
    """``compute(session)``, reused for ``ttl`` seconds (``COUNT_TTL`` by default; see :func:`_cached`:
    no reviewer waits for a recount). A change made in this process is never answered with what it
    changed: the answer is then computed at once, in the caller's session."""
    found, value = _cached(session.get_bind(), key, compute, COUNT_TTL if ttl is None else ttl)
    if found:
        return value
    generation = _generation
    now = time.monotonic()
    value = compute(session)
    _keep((session.get_bind().url.render_as_string(hide_password=True), *key), now, generation, value)
    return value


def _refresh(bind, key: tuple, compute: Callable[[Session], Any], generation: int) -> None:
    """Compute a due answer again in a session of its own (see :func:`_counted`)."""
    started = time.monotonic()
    try:
        with Session(bind=bind) as s:
            value = compute(s)
        _keep(key, started, generation, value)
    except Exception as exc:  # the previous answer stays; the next request tries again
        _log.warning("queue refresh failed: %s", type(exc).__name__)
    finally:
        with _COUNTS_LOCK:
            _REFRESHING.discard(key)


def _keep(key: tuple, at: float, generation: int, value: Any) -> None:
    with _COUNTS_LOCK:
        if len(_COUNTS) > 10_000:
            _COUNTS.clear()
        _COUNTS[key] = (at, generation, value)


def queue(session: Session, user: Principal, flt: QueueFilter, *, limit: int, offset: int) -> dict[str, Any]:
    """A page of documents for review, oldest batch then least confident first, with the total.

    Paging is done in SQL (ORDER BY batch, least confidence, id; LIMIT/OFFSET) over the indexed
    columns; no OCR text is read. The total may be up to ``COUNT_TTL`` seconds old, the page up to
    ``PAGE_TTL`` (each plus the time to compute it again): every reviewer of a unit opening the
    queue asks for the same first page, and one answer a second serves them all (a change made in
    this process shows at once).
    """
    return _counted(session, _page_key(user, flt, limit, offset),
                    lambda s: _queue_page(s, user, flt, limit=limit, offset=offset), ttl=PAGE_TTL)


def cached_queue(bind, user: Principal, flt: QueueFilter, *, limit: int, offset: int) -> dict[str, Any] | None:
    """:func:`queue`'s answer if one is kept for these arguments (without a session or a wait: what
    most requests for the first page get), else None."""
    found, value = _cached(bind, _page_key(user, flt, limit, offset),
                           lambda s: _queue_page(s, user, flt, limit=limit, offset=offset), PAGE_TTL)
    return value if found else None


def _page_key(user: Principal, flt: QueueFilter, limit: int, offset: int) -> tuple:
    return ("page", user.unit_id, user.sees_unitless, flt, limit, offset)


def _queue_page(session: Session, user: Principal, flt: QueueFilter, *, limit: int, offset: int) -> dict[str, Any]:
    conditions = _queue_conditions(session, user, flt)
    base = (select(Document.id).join(SourceFile, Document.source_file_id == SourceFile.id).where(*conditions))
    total = _counted(session, ("queue", user.unit_id, user.sees_unitless, flt),
                     lambda s: s.scalar(select(func.count()).select_from(base.subquery())))
    flagged = (select(func.aggregate_strings(FieldValue.key, ","))
               .where(FieldValue.document_id == Document.id, FieldValue.is_current,
                      FieldValue.status == "needs_review")
               .correlate(Document).scalar_subquery())
    # The page's ids first (sorted and cut on the indexed columns), then one join for what is shown
    # of them: the fields to review, the dossier code, the receiving unit - for its rows only.
    order = (SourceFile.batch_id, Document.least_confidence.asc().nulls_last(), Document.id)
    page = (select(Document.id.label("id"), SourceFile.batch_id.label("batch_id"),
                   Document.least_confidence.label("least"))
            .join(SourceFile, Document.source_file_id == SourceFile.id)
            .where(*conditions).order_by(*order).limit(limit).offset(offset).subquery("page"))
    rows = session.execute(
        select(Document.id, Document.version, Document.doc_type, Document.type_confidence, Document.status,
               Document.least_confidence, Document.pages, SourceFile.original_path, Batch.name,
               Dossier.dossier_code, AdminUnit, flagged.label("flagged"))
        .select_from(page)
        .join(Document, Document.id == page.c.id)
        .join(SourceFile, Document.source_file_id == SourceFile.id)
        .join(Batch, SourceFile.batch_id == Batch.id)
        .outerjoin(Dossier, Document.dossier_id == Dossier.id)
        .outerjoin(AdminUnit, SourceFile.receiving_unit_id == AdminUnit.id)
        .order_by(page.c.batch_id, page.c.least.asc().nulls_last(), page.c.id)
    ).all()
    items = [{
        "id": r.id, "version": r.version, "doc_type": r.doc_type, "doc_type_confidence": round(r.type_confidence, 4),
        "status": r.status, "least_confidence": r.least_confidence, "pages": list(r.pages or []),
        "source": r.original_path, "batch": r.name, "receiving_unit": unit_label(r.AdminUnit),
        "dossier_code": r.dossier_code, "fields_to_review": sorted(r.flagged.split(",")) if r.flagged else [],
    } for r in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def queue_counts(session: Session, user: Principal) -> dict[str, int]:
    """Documents in scope by status (the counts at the top of the queue; up to ``COUNT_TTL`` s old)."""

    def count(s: Session) -> dict[str, int]:
        rows = s.execute(select(Document.status, func.count())
                         .join(SourceFile, Document.source_file_id == SourceFile.id)
                         .where(in_scope(s, user)).group_by(Document.status)).all()
        return {status: n for status, n in rows}

    return _counted(session, ("counts", user.unit_id, user.sees_unitless), count)


def queue_batches(session: Session, user: Principal) -> list[str]:
    """Names of the batches with documents in scope (for the filter)."""
    return list(session.scalars(select(Batch.name).where(Batch.id.in_(
        select(SourceFile.batch_id).where(in_scope(session, user)))).order_by(Batch.id)))


# -- one document ---------------------------------------------------------------------------------

def document_view(session: Session, user: Principal, document_id: int) -> dict[str, Any]:
    """The export record of a document in scope, with what the review page needs besides."""
    # Imported here: the record's model (~40 ms of imports) is the review station's and the
    # export's, not the workers' (which import this module for the header's receiving unit).
    from storage.export import build_record

    doc = get_document(session, user, document_id)
    source = doc.source_file
    pages = {p.page_no: p for p in source.pages}
    code = session.scalar(select(Dossier.dossier_code).where(Dossier.id == doc.dossier_id)) if doc.dossier_id else None
    record = build_record(doc, source, source.batch, pages, code)
    current = {f.key: f for f in doc.fields if f.is_current}
    for key, field in record["fields"].items():
        row = current[key]
        field["checks"] = dict(row.checks or {})
        field["note"] = row.note
        field["origin"] = row.origin
    receiving = session.get(AdminUnit, source.receiving_unit_id) if source.receiving_unit_id else None
    applicant = session.get(AdminUnit, doc.unit_id) if doc.unit_id else None
    siblings = session.execute(select(Document.id, Document.seq, Document.doc_type, Document.pages, Document.status)
                               .where(Document.source_file_id == source.id).order_by(Document.seq)).all()
    dossier = []
    if doc.dossier_id:
        dossier = session.execute(
            select(Document.id, Document.doc_type, Document.status, SourceFile.original_path)
            .join(SourceFile, Document.source_file_id == SourceFile.id)
            .where(Document.dossier_id == doc.dossier_id, in_scope(session, user)).order_by(Document.id)).all()
    record.update({
        "id": doc.id,
        "version": doc.version,
        "receiving_unit": unit_label(receiving),
        "applicant_unit": unit_label(applicant) if applicant else None,
        "page_sizes": {n: [p.width, p.height] for n, p in pages.items() if p.width and p.height},
        "file_documents": [{"id": s.id, "seq": s.seq, "doc_type": s.doc_type, "pages": list(s.pages or []),
                            "status": s.status} for s in siblings],
        "dossier_documents": [{"id": d.id, "doc_type": d.doc_type, "status": d.status, "source": d.original_path}
                              for d in dossier],
    })
    return record


def history(session: Session, user: Principal, document_id: int) -> list[dict[str, Any]]:
    """The document's review log, oldest first."""
    get_document(session, user, document_id)
    actions = session.scalars(select(ReviewAction).where(ReviewAction.document_id == document_id)
                              .order_by(ReviewAction.id))
    return [{"at": a.at.isoformat() if a.at else None, "reviewer": a.reviewer, "action": a.action, "key": a.key,
             "old_value": a.old_value, "new_value": a.new_value} for a in actions]


def page_image_ref(session: Session, user: Principal, document_id: int, page_no: int) -> tuple[str, str]:
    """(object key of the stored page, sha256 of its file) for a page of a document in scope."""
    doc = get_document(session, user, document_id)
    if page_no not in (doc.pages or []):
        raise NotFound(f"document {document_id} has no page {page_no}")
    page = session.scalar(select(Page).where(Page.source_file_id == doc.source_file_id, Page.page_no == page_no))
    if page is None or not page.image_key:
        raise NotFound(f"page {page_no} of document {document_id} has no stored image")
    return page.image_key, doc.source_file.sha256


# -- changes --------------------------------------------------------------------------------------
# Each write takes values already computed (cleaned, checked, re-extracted, linked) by the caller:
# the review operations that need the pipeline are in :mod:`api.corrections`.

def claim_version(session: Session, user: Principal, document_id: int, version: int) -> Document:
    """Check scope, then move the document from ``version`` to the next one, or raise Conflict."""
    doc = get_document(session, user, document_id)
    moved = session.execute(update(Document).where(Document.id == document_id, Document.version == version)
                            .values(version=Document.version + 1)).rowcount
    _changed()
    if moved != 1:
        session.refresh(doc)
        raise Conflict(f"document {document_id} was changed by someone else (now version {doc.version}, "
                       f"yours {version}): reload it; nothing of yours was stored")
    session.refresh(doc)
    return doc


def allowed_keys(doc: Document) -> set[str]:
    """The fields a reviewer may set on a document: its type's fields (from the registry) and
    those it already has."""
    keys = set(doctypes.get(doc.doc_type).all_fields)
    keys.update(f.key for f in doc.fields if f.is_current)
    return keys


def require_key(doc: Document, key: str) -> None:
    """BadReviewInput unless a reviewer may set field ``key`` on ``doc``."""
    if key not in allowed_keys(doc):
        raise BadReviewInput(f"{key!r} is not a field of a {doc.doc_type} document")


def write_correction(session: Session, user: Principal, document_id: int, key: str, value: str | None, *,
                     confirm: bool, version: int) -> tuple[Document, FieldValue]:
    """Store a reviewer's correction (``value``, already cleaned and checked) or confirmation of
    one field of a document in scope: (the document, its new current field row)."""
    doc = claim_version(session, user, document_id, version)
    require_key(doc, key)
    row = repo.correct_field(session, document_id, key, value, user.name, confirm=confirm)
    session.refresh(doc)
    return doc, row


def store_checks(session: Session, doc: Document, row: FieldValue, checks: dict[str, bool] | None) -> None:
    """Store the validators' verdicts on a field row (as a machine value carries them)."""
    row.checks = checks or None
    repo.refresh_least_confidence(session, doc)


def set_applicant_unit(session: Session, doc: Document, unit_codes: dict[str, str]) -> None:
    """The applicant's unit, from the GSO codes its address resolved to (not the receiving unit:
    that is the scope)."""
    doc.unit_codes = dict(unit_codes)
    unit = repo.resolve_unit(session, doc.unit_codes)
    doc.unit_id = unit.id if unit is not None else None


def file_documents(session: Session, source_file_id: int) -> list[Document]:
    """The documents of a file, in order (what dossier linking reads and links)."""
    session.flush()
    return list(session.scalars(select(Document).where(Document.source_file_id == source_file_id)
                                .order_by(Document.seq)))


def confirm_all(session: Session, user: Principal, document_id: int, *, version: int) -> int:
    """Confirm every field still needing review (one version step); returns how many."""
    doc = claim_version(session, user, document_id, version)
    keys = list(session.scalars(select(FieldValue.key).where(
        FieldValue.document_id == doc.id, FieldValue.is_current, FieldValue.status == "needs_review")))
    for key in keys:
        repo.correct_field(session, doc.id, key, None, user.name, confirm=True)
    if doc.status == "needs_review":
        doc.status = "reviewed"
    repo.refresh_least_confidence(session, doc)
    return len(keys)


def write_type_change(session: Session, user: Principal, document_id: int, doc_type: str,
                      result: DocumentResult, *, version: int) -> Document:
    """Store a reviewer's change of a document's type with ``result``, its fields extracted again
    for the new type (reviewer values for fields the new type also has stand)."""
    old_type = get_document(session, user, document_id).doc_type
    if doc_type not in DOC_TYPE_KEYS:
        raise BadReviewInput(f"unknown document type {doc_type!r}")
    doc = claim_version(session, user, document_id, version)
    doc.doc_type = doc_type
    doc.type_confidence = 1.0
    doc.type_cues = [f"set by a reviewer: {doc_type}"]
    _store_extraction(session, doc, result)
    session.add(ReviewAction(document_id=doc.id, reviewer=user.name, action="set_type",
                             old_value=old_type, new_value=doc_type))
    return doc


def _store_extraction(session: Session, doc: Document, result: DocumentResult) -> None:
    """A document's fields extracted again (reviewer values stand), and its status from them."""
    repo.apply_fields(session, doc, result)
    doc.status = "needs_review" if any(f.status == "needs_review" for f in result.fields.values()) else "reviewed"
    repo.refresh_least_confidence(session, doc)


def pages_after_move(session: Session, user: Principal, document_id: int, page_no: int,
                     target_id: int) -> tuple[Document, Document, list[int], list[int]]:
    """Check a page move (both documents in scope, of one file, the page the source's and not its
    only one): (source, target, the source's pages after it, the target's pages after it)."""
    doc = get_document(session, user, document_id)
    target = get_document(session, user, target_id)
    if target.source_file_id != doc.source_file_id or target.id == doc.id:
        raise BadReviewInput("a page moves only to another document of the same file")
    if page_no not in (doc.pages or []):
        raise BadReviewInput(f"document {document_id} has no page {page_no}")
    if len(doc.pages) == 1:
        raise BadReviewInput("the document's only page cannot be moved away")
    return doc, target, [n for n in doc.pages if n != page_no], sorted({*(target.pages or []), page_no})


def move_page(session: Session, user: Principal, document_id: int, page_no: int, target_id: int, *,
              version: int, results: dict[int, DocumentResult]) -> None:
    """Move one page from a document to another document of the same file (both change version,
    both logs get the move) and store ``results``: each document's fields extracted again from
    its new pages (by id; see :func:`pages_after_move`)."""
    pages_after_move(session, user, document_id, page_no, target_id)
    doc = claim_version(session, user, document_id, version)
    target = get_document(session, user, target_id)
    session.execute(update(Document).where(Document.id == target.id).values(version=Document.version + 1))
    session.refresh(target)
    roles = dict(zip(doc.pages, doc.page_roles or [None] * len(doc.pages)))
    target_roles = dict(zip(target.pages, target.page_roles or [None] * len(target.pages)))
    target_roles[page_no] = "continuation"
    del roles[page_no]
    for moved, kept in ((target, target_roles), (doc, roles)):
        pages = sorted(kept)
        moved.pages = pages
        moved.page_roles = [kept[n] or "continuation" for n in pages]
        moved.page_from, moved.page_to = pages[0], pages[-1]
        _store_extraction(session, moved, results[moved.id])
    for logged in (target, doc):
        session.add(ReviewAction(document_id=logged.id, reviewer=user.name, action="move_page", key=f"page {page_no}",
                                 old_value=str(doc.id), new_value=str(target.id)))


def set_receiving_unit(session: Session, user: Principal, document_id: int, unit_code: str, *,
                       version: int) -> None:
    """Set the unit that received the document's file (for all documents of the file)."""
    get_document(session, user, document_id)  # out of scope is 404 whatever the input
    try:
        unit = find_unit(session, unit_code)
    except PermanentError as exc:
        raise BadReviewInput(str(exc)) from None
    if unit.id not in scope_ids(session, user.unit_id):
        raise BadReviewInput(f"unit {unit_code} is outside your unit: you could not see the dossier any more")
    doc = claim_version(session, user, document_id, version)
    source = doc.source_file
    old = session.get(AdminUnit, source.receiving_unit_id) if source.receiving_unit_id else None
    source.receiving_unit_id = unit.id
    session.add(ReviewAction(document_id=doc.id, reviewer=user.name, action="set_unit",
                             old_value=unit_label(old), new_value=unit_label(unit)))


def set_batch_receiving_unit(session: Session, batch_name: str, unit_code: str) -> AdminUnit:
    """``sohoa run/upload --unit CODE``: the batch's unit, and the receiving unit of every file of
    the batch that has none yet (a manifest row or the receipt may have named one already)."""
    unit = find_unit(session, unit_code)
    batch = repo.get_or_create_batch(session, batch_name)
    batch.unit_id = unit.id
    session.execute(update(SourceFile).where(SourceFile.batch_id == batch.id, SourceFile.receiving_unit_id.is_(None))
                    .values(receiving_unit_id=unit.id))
    return unit


def receiving_unit_from_header(session: Session, source_file_id: int, dossier: Dossier | None) -> bool:
    """Fill a file's receiving unit after analysis, when the manifest named none: the batch's unit
    (``--unit``) if it has one, else the unit of the receiving agency the receipt's header names
    (as :func:`repo.link_dossier` found it). The applicant's address is never used for this.
    True if it was set."""
    source = session.get(SourceFile, source_file_id)
    if source is None or source.receiving_unit_id is not None:
        return False
    unit_id = source.batch.unit_id
    if unit_id is None and dossier is not None and dossier.agency_id is not None:
        unit_id = session.scalar(select(Agency.unit_id).where(Agency.id == dossier.agency_id))
    if unit_id is None:
        return False
    source.receiving_unit_id = unit_id
    return True


# -- helpers --------------------------------------------------------------------------------------

def next_in_queue(session: Session, user: Principal, after_id: int) -> int | None:
    """The first document of the user's queue other than ``after_id`` (to open after it)."""
    items = queue(session, user, QueueFilter(), limit=2, offset=0)["items"]
    return next((item["id"] for item in items if item["id"] != after_id), None)
