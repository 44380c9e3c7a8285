"""The export record of docs/architecture.md, one per document, built from the database.

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

def _field_keys() -> tuple[str, ...]:
    from schemas.doctypes import CATALOGUE

    keys: dict[str, None] = {}
    for doc_type in CATALOGUE:
        for key in doc_type.fields + doc_type.extra_fields:
            keys.setdefault(key)
    return tuple(keys)


FIELD_KEYS = _field_keys()
BASE_COLUMNS = (
    "source", "pages", "batch", "dossier", "doc_type", "doc_type_confidence", "status",
    "province", "district", "commune", "province_2025", "commune_2025", "unit_name", "unit_name_2025",
    "manifest_dossier_code", "manifest_procedure_code",
    "manifest_receiving_unit", "manifest_received_date", "manifest_disagrees", "error", "type_cues",
)
CSV_COLUMNS = BASE_COLUMNS + tuple(
    column for key in FIELD_KEYS for column in (key, f"{key}_confidence", f"{key}_status")) + ("text",)
"""One row per document, one cell per value: every field of the catalogue has a value, a
confidence and a status column (empty when the document has no such field); ``dossier`` is the
code of the dossier the document belongs to (``dossier_code`` is the code read on the document);
no JSON in any cell.
``type_cues`` are joined with `` | ``; ``text`` is the document's text on one line (its line breaks
become `` / ``), last so the row stays readable. A cell starting with ``= + - @`` gets a leading
``'`` so that a spreadsheet shows it instead of running it as a formula."""


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
        "units": units_of(doc),
        "intake": _intake_record(source.manifest, fields),
    }
    try:
        validate_record(record)
    except ValidationError as exc:
        exc.add_note(f"export record of document {doc.id} (file {source.original_path!r}, "
                     f"pages {record['pages']}) breaks the contract of docs/architecture.md")
        raise
    return record


def units_of(doc: Document) -> dict:
    """Both eras of the document's unit, codes and names: ``pre2025`` (province, district, commune)
    and ``2025`` (province, commune: the reform removed districts). A level not known is null."""
    old = {level: None for level in ("province", "district", "commune")}
    unit = doc.unit
    while unit is not None:
        old[unit.level] = {"code": unit.code, "name": f"{unit.unit_type} {unit.name}"}
        unit = unit.parent
    new = {level: None for level in ("province", "commune")}
    unit = doc.unit_2025
    while unit is not None:
        new[unit.level] = {"code": unit.code, "name": f"{unit.unit_type} {unit.name}"}
        unit = unit.parent
    return {"pre2025": old, "2025": new}


def _intake_record(manifest: dict | None, fields: dict) -> dict | None:
    if not manifest:
        return None
    from schemas.manifest import COLUMNS, disagreements

    found = disagreements(manifest, {k: f["value"] for k, f in fields.items()})
    record = {k: manifest.get(k) for k in COLUMNS if k != "file"}
    record["disagreements"] = {k: {"document": read, "manifest": said} for k, (read, said) in found.items()}
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
    # A blank page went the image (OCR) route and was found empty: docs/architecture.md knows only ocr and
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
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    yield buffer.getvalue()  # the header even when there is no record
    buffer.seek(0)
    buffer.truncate()
    for record in records:
        writer.writerow({k: _cell(v) for k, v in csv_row(record).items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _units_2025_cells(units: dict | None) -> dict:
    """The 2025 codes and the names of the most precise unit of each era, as plain cells."""
    def most_precise(levels: dict) -> dict:
        return next((levels[level] for level in ("commune", "district", "province") if levels.get(level)), {})

    old = (units or {}).get("pre2025") or {}
    new = (units or {}).get("2025") or {}
    return {"province_2025": (new.get("province") or {}).get("code"),
            "commune_2025": (new.get("commune") or {}).get("code"),
            "unit_name": most_precise(old).get("name"), "unit_name_2025": most_precise(new).get("name")}


def csv_row(record: dict) -> dict:
    """The record's cells by column (plain values, no JSON)."""
    intake = record.get("intake") or {}
    row = {
        "source": record["source"],
        "pages": " ".join(str(p) for p in record["pages"]),
        "batch": record["batch"],
        "dossier": record["dossier_code"],
        "doc_type": record["doc_type"],
        "doc_type_confidence": record["doc_type_confidence"],
        "status": record["status"],
        "province": record["unit"].get("province"),
        "district": record["unit"].get("district"),
        "commune": record["unit"].get("commune"),
        **_units_2025_cells(record.get("units")),
        "manifest_dossier_code": intake.get("dossier_code"),
        "manifest_procedure_code": intake.get("procedure_code"),
        "manifest_receiving_unit": intake.get("receiving_unit"),
        "manifest_received_date": intake.get("received_date"),
        "manifest_disagrees": " ".join(sorted(intake.get("disagreements") or {})),
        "error": record["error"],
        "type_cues": " | ".join(record["type_cues"]),
        "text": " / ".join(line.strip() for line in record["text"].splitlines() if line.strip()),
    }
    for key, field in record["fields"].items():
        row[key] = field["value"]
        row[f"{key}_confidence"] = field["confidence"]
        row[f"{key}_status"] = field["status"]
    return row


def _cell(value) -> str:
    return "" if value is None else neutralise(str(value))


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """A cell a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM``) gets a
    leading apostrophe, so it shows as the text it is (OWASP CSV injection)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell
