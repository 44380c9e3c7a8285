"""The review operations that need the pipeline: the edge between the pure stages and storage.

A reviewer's typed value is cleaned and checked by the pipeline's validators; a changed type has
its fields extracted again from the stored OCR; a correction of a field the dossier is built from
re-links the file's documents (``pipeline.dossier.link_documents``); a corrected address moves the
applicant's unit (``pipeline.address.resolve_address``). Each of these calls the pure function here
and hands its result to :mod:`storage.review` / :mod:`storage.repo`, which only persist it (scoped,
versioned, logged). The caller owns the transaction.
"""

from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.address import resolve_address
from pipeline.dossier import link_documents
from pipeline.text import clean
from pipeline.validate import cross_checks, validate_field
from schemas import doctypes
from schemas.export import check_field_value
from schemas.results import DocumentResult
from schemas.settings import Settings
from schemas.tables import Document, Page
from storage import repo, review
from storage.db import transaction
from storage.review import BadReviewInput
from storage.users import Principal

MAX_VALUE_CHARS = 2000
"""Longest field value a reviewer may store (the longest real values, subjects and addresses, are far shorter)."""

RELINK_KEYS = frozenset({"dossier_code", "address", "full_name", "received_date", "due_date",
                         "procedure_code", "procedure_name", "receiving_agency", "issuing_agency"})
"""Fields the dossier (or the applicant's unit) is built from: a correction re-links."""


def check_value(key: str, value: str | None) -> str | None:
    """The value as it will be stored (cleaned), or BadReviewInput saying why it cannot be."""
    if value is None:
        return None
    if "\x00" in value:
        raise BadReviewInput(f"{key}: the value contains a NUL character")
    if len(value) > MAX_VALUE_CHARS:
        raise BadReviewInput(f"{key}: the value has {len(value)} characters, at most {MAX_VALUE_CHARS} are allowed")
    cleaned = clean(value) or None
    try:
        check_field_value(key, cleaned)
    except ValueError as exc:
        raise BadReviewInput(str(exc)) from None
    return cleaned


def check_values(doc: Document, values: dict[str, str | None]) -> dict[str, dict[str, Any]]:
    """The pipeline's validators on values a reviewer is typing (nothing stored): per key, the
    normal-form error (or None) and every single-field and cross-field check with its result."""
    allowed = review.allowed_keys(doc)
    merged = {f.key: f.value for f in doc.fields if f.is_current}
    out: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        if key not in allowed:
            out[key] = {"error": f"{key!r} is not a field of a {doc.doc_type} document", "checks": {}}
            continue
        try:
            merged[key] = check_value(key, value)
            out[key] = {"error": None, "checks": validate_field(key, merged[key])}
        except BadReviewInput as exc:
            out[key] = {"error": str(exc), "checks": {}}
    crossed = cross_checks(merged, doc.doc_type, doctypes.get(doc.doc_type).symbol)
    for key, checks in crossed.items():
        if key in out and out[key]["error"] is None:
            out[key]["checks"].update({f"x_{name}": ok for name, ok in checks.items()})
    return out


def correct(session: Session, user: Principal, document_id: int, key: str, value: str | None, *,
            confirm: bool, version: int, gazetteer: Any = None) -> None:
    """A reviewer corrects (or confirms) one field of a document in scope."""
    review.require_key(review.get_document(session, user, document_id), key)
    cleaned = None if confirm else check_value(key, value)
    doc, row = review.write_correction(session, user, document_id, key, cleaned, confirm=confirm, version=version)
    # The stored value carries the pipeline validators' verdicts, as a machine value does.
    review.store_checks(session, doc, row, check_values(doc, {key: row.value})[key]["checks"])
    if key == "address" and not confirm:
        relocate_applicant(session, doc, cleaned, gazetteer)
    if key in RELINK_KEYS and not confirm:
        relink(session, doc.source_file_id)


def set_type(session: Session, user: Principal, document_id: int, doc_type: str, *, version: int,
             reextract: Callable[..., DocumentResult]) -> None:
    """Change a document's type; its fields are extracted again from its stored OCR for the new
    type (``reextract(document_id, doc_type, None)``, called before any write). Reviewer values for
    fields the new type also has stand."""
    review.get_document(session, user, document_id)  # out of scope is 404 whatever the input
    if doc_type not in doctypes.DOC_TYPE_KEYS:
        raise BadReviewInput(f"unknown document type {doc_type!r}")
    result = reextract(document_id, doc_type, None)
    doc = review.write_type_change(session, user, document_id, doc_type, result, version=version)
    relink(session, doc.source_file_id)


def move_page(session: Session, user: Principal, document_id: int, page_no: int, target_id: int, *,
              version: int, reextract: Callable[..., DocumentResult]) -> None:
    """Move a page between two documents of one file; both are extracted again from their stored
    OCR for their new pages and their types (``reextract(document_id, doc_type, pages)``, called
    before any write, as for a type change), then the file is linked again."""
    doc, target, doc_pages, target_pages = review.pages_after_move(session, user, document_id, page_no, target_id)
    results = {doc.id: reextract(doc.id, doc.doc_type, doc_pages),
               target.id: reextract(target.id, target.doc_type, target_pages)}
    review.move_page(session, user, document_id, page_no, target_id, version=version, results=results)
    relink(session, doc.source_file_id)


def relink(session: Session, source_file_id: int) -> None:
    """Link the file's documents to their dossier again, from their current (corrected) values."""
    docs = review.file_documents(session, source_file_id)
    repo.link_dossier(session, docs, link_documents(repo.current_values(session, docs)))


def relocate_applicant(session: Session, doc: Document, address: str | None, gazetteer: Any) -> None:
    """A corrected address moves the applicant's unit (not the receiving unit: that is the scope)."""
    if gazetteer is None or not address:
        return
    match = resolve_address(address, gazetteer)
    if match is not None:
        review.set_applicant_unit(session, doc, match.unit_codes())


class Reextractor:
    """Fields of a document extracted again for another type, from its stored OCR words, with the
    gazetteer loaded once (also the gazetteer a corrected address is resolved with)."""

    def __init__(self, settings: Settings, sessions, store) -> None:
        self.settings, self.sessions, self.store = settings, sessions, store
        self._context = None

    def context(self):
        if self._context is None:
            from pipeline.analyse import AnalysisContext
            from storage.refdata import load_gazetteer

            with transaction(self.sessions) as s:
                gazetteer = load_gazetteer(s)
            self._context = AnalysisContext(gazetteer=gazetteer, review_threshold=self.settings.review_threshold)
        return self._context

    @property
    def gazetteer(self):
        return self.context().gazetteer

    def __call__(self, document_id: int, doc_type: str, page_nos: list[int] | None = None) -> DocumentResult:
        """The fields of ``doc_type`` read from the stored OCR of the document's pages (or of its
        file's pages ``page_nos``, for a document whose pages are changing)."""
        from pipeline.analyse import analyse_as_type
        from schemas.pages import PageText

        with transaction(self.sessions) as s:
            pages = s.execute(select(Page.page_no, Page.words_key).join(Document, Document.source_file_id == Page.source_file_id)
                              .where(Document.id == document_id).order_by(Page.page_no)).all()
            wanted = set(page_nos if page_nos is not None else s.get(Document, document_id).pages or [])
        texts = [PageText.model_validate_json(self.store.get(k)) for n, k in pages if n in wanted and k]
        return analyse_as_type(texts, doc_type, self.context())
