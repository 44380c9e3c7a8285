"""The export record of DESIGN.md, one per document, built from the database.

Every record is checked against :class:`schemas.export.ExportRecord` as it is built: a record that
breaks the contract raises (naming the file and document) rather than reaching an export file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from schemas.export import validate_record
from schemas.tables import Batch, Document, Dossier, FieldValue, Page, SourceFile

CSV_COLUMNS = (
    "source", "pages", "batch", "dossier_code", "doc_type", "doc_type_confidence", "status",
    "province", "district", "commune", "fields", "field_confidence", "field_status", "error",
    "type_cues", "page_details", "text",
)
"""One row per document. ``fields``, ``field_confidence``, ``field_status``, ``type_cues`` and
``page_details`` are JSON-encoded cells (objects keyed by field key, or lists); ``text`` is the
full text with its line breaks (quoted by the CSV writer). The big ``text`` cell comes last so the
row stays readable in a spreadsheet."""


def iter_records(session: Session, batch_name: str | None = None) -> Iterator[dict]:
    """Export records in a stable order (file, then document sequence)."""
    stmt = (
        select(Document, SourceFile, Batch)
        .join(SourceFile, Document.source_file_id == SourceFile.id)
        .join(Batch, SourceFile.batch_id == Batch.id)
        .options(selectinload(Document.fields))
        .order_by(SourceFile.original_path, SourceFile.id, Document.seq)
    )
    if batch_name is not None:
        stmt = stmt.where(Batch.name == batch_name)
    page_cache: dict[int, dict[int, Page]] = {}
    dossier_codes = dict(session.execute(select(Dossier.id, Dossier.dossier_code)).all())
    for doc, source, batch in session.execute(stmt):
        if source.id not in page_cache:
            page_cache = {source.id: {p.page_no: p for p in session.scalars(
                select(Page).where(Page.source_file_id == source.id))}}
        yield build_record(doc, source, batch, page_cache[source.id], dossier_codes.get(doc.dossier_id))


def build_record(doc: Document, source: SourceFile, batch: Batch, pages: dict[int, Page],
                 dossier_code: str | None) -> dict:
    """One document as the export record, validated against :class:`schemas.export.ExportRecord`."""
    fields = {f.key: _field_record(f) for f in doc.fields if f.is_current}
    if dossier_code is None and "dossier_code" in fields:
        dossier_code = fields["dossier_code"]["value"]
    unit = doc.unit_codes or {}
    roles = dict(zip(doc.pages or [], doc.page_roles or []))
    record = {
        "source": source.original_path,
        "pages": list(doc.pages or []),
        "batch": batch.name,
        "dossier_code": dossier_code,
        "doc_type": doc.doc_type,
        "doc_type_confidence": round(doc.type_confidence or 0.0, 4),
        "status": doc.status,
        "unit": {k: unit.get(k) for k in ("province", "district", "commune")},
        "fields": fields,
        # Pages never read (failed before OCR) have nothing to detail.
        "page_details": [_page_record(pages[n], roles.get(n)) for n in doc.pages or []
                         if n in pages and pages[n].text_source],
        "text": doc.text or "",
        "error": doc.error,
        "type_cues": [str(cue) for cue in doc.type_cues or []],
    }
    try:
        validate_record(record)
    except ValidationError as exc:
        exc.add_note(f"export record of document {doc.id} (file {source.original_path!r}, "
                     f"pages {record['pages']}) breaks the contract of DESIGN.md")
        raise
    return record


def _field_record(field: FieldValue) -> dict:
    return {
        "value": field.value,
        "confidence": round(field.confidence, 4),
        "status": field.status,
        "page": field.page,
        "bbox": list(field.bbox) if field.bbox else None,
    }


def _page_record(page: Page, role: str | None = None) -> dict:
    # A blank page went the image (OCR) route and was found empty: DESIGN.md knows only ocr and
    # text_layer as sources, so it is "ocr" with nothing read, flagged by the ``blank`` extension.
    blank = page.text_source == "blank"
    return {
        "page": page.page_no,
        "rotation": page.rotation,
        "skew": round(page.skew or 0.0, 2),
        "text_source": "ocr" if blank else page.text_source,
        "ocr_confidence": round(page.mean_conf, 4) if page.mean_conf is not None and not blank else None,
        "blank": blank,
        "role": role,
    }


def to_jsonl(records: Iterator[dict]) -> Iterator[str]:
    """JSON lines, UTF-8 text (not ASCII-escaped)."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def to_csv(records: Iterator[dict]) -> Iterator[str]:
    """A flat CSV: one row per document (see :data:`CSV_COLUMNS`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    yield buffer.getvalue()  # the header even when there is no record
    buffer.seek(0)
    buffer.truncate()
    for record in records:
        _writerow_safe(writer, {
            "source": record["source"],
            "pages": " ".join(str(p) for p in record["pages"]),
            "batch": record["batch"],
            "dossier_code": record["dossier_code"] or "",
            "doc_type": record["doc_type"],
            "doc_type_confidence": record["doc_type_confidence"],
            "status": record["status"],
            "province": record["unit"].get("province") or "",
            "district": record["unit"].get("district") or "",
            "commune": record["unit"].get("commune") or "",
            "fields": _json({k: v["value"] for k, v in record["fields"].items()}),
            "field_confidence": _json({k: v["confidence"] for k, v in record["fields"].items()}),
            "field_status": _json({k: v["status"] for k, v in record["fields"].items()}),
            "error": record["error"] or "",
            "type_cues": _json(record["type_cues"]),
            "page_details": _json(record["page_details"]),
            "text": record["text"],
        })
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """A cell a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM``) gets a
    leading apostrophe, so it shows as the text it is (OWASP CSV injection)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def _writerow_safe(writer: csv.DictWriter, row: dict) -> None:
    writer.writerow({key: neutralise(value) for key, value in row.items()})


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
