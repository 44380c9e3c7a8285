"""Review routing: a field at or above the threshold is auto-accepted, otherwise it needs review;
a document needs review if its type or any of its fields does (or a required field is missing)."""

from __future__ import annotations

from schemas.results import DocumentResult, FieldResult


def route_field(field: FieldResult, threshold: float, handwritten: bool = False) -> FieldResult:
    """Set ``field.status``. Missing values and handwritten suspects always go to a reviewer."""
    accepted = field.value is not None and not handwritten and field.confidence >= threshold
    field.status = "auto_accepted" if accepted else "needs_review"
    return field


def route_document(document: DocumentResult, type_threshold: float) -> DocumentResult:
    """Set ``document.status`` from its type confidence and its fields' statuses."""
    type_ok = document.doc_type != "khac" and document.type_confidence >= type_threshold
    fields_ok = all(f.status == "auto_accepted" for f in document.fields.values())
    document.status = "auto_accepted" if type_ok and fields_ok else "needs_review"
    return document
