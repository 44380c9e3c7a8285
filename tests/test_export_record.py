"""The export record as a model (docs/architecture.md), every built record validated, and the CSV export."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from schemas.export import ExportRecord, check_field_value
from schemas.tables import Document, FieldValue, Page
from storage.db import transaction
from storage.export import CSV_COLUMNS, iter_records, to_csv
from tests.test_workflow import ScriptedEngine, _page_png
from workers.embedded import process_paths

# docs/architecture.md's example record, as printed there (text shortened).
DESIGN_EXAMPLE = {
    "source": "batch-07/hs-0012.pdf", "pages": [1, 2], "batch": "batch-07",
    "dossier_code": "000.00.15.H26-230512-0001", "doc_type": "giay_tiep_nhan",
    "doc_type_confidence": 0.97, "status": "auto_accepted",
    "unit": {"province": "01", "district": "005", "commune": "00166"},
    "fields": {"full_name": {"value": "Nguyễn Văn An", "confidence": 0.93, "status": "auto_accepted",
                             "page": 1, "bbox": [112, 640, 905, 702]}},
    "page_details": [{"page": 1, "rotation": 90, "skew": -2.4, "text_source": "ocr", "ocr_confidence": 0.91}],
    "text": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n…",
    "error": None,
}


def _with(path: str, value) -> dict:
    """The DESIGN example with one value (dotted path) replaced."""
    record = copy.deepcopy(DESIGN_EXAMPLE)
    *parents, last = path.split(".")
    target = record
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[int(last) if isinstance(target, list) else last] = value
    return record


def test_the_design_example_is_a_valid_record():
    record = ExportRecord.model_validate(DESIGN_EXAMPLE)
    assert record.unit.commune == "00166" and record.fields["full_name"].bbox == [112, 640, 905, 702]
    assert record.type_cues == [] and record.page_details[0].blank is False


@pytest.mark.parametrize("path, value, why", [
    ("status", "pending", "status"),
    ("status", "failed", "error"),  # failed without a reason
    ("doc_type", "hop_dong", "doc_type"),
    ("doc_type_confidence", 1.2, "less than or equal"),
    ("unit.province", "1", "pattern"),
    ("unit.district", "0005", "pattern"),
    ("unit.commune", "166", "pattern"),
    ("fields.full_name.status", "machine", "status"),
    ("fields.full_name.confidence", -0.1, "greater than or equal"),
    ("fields.full_name.bbox", [1, 2, 3], "at least 4"),
    ("fields.full_name.value", "Nguyễn  Văn An", "normalised"),
    ("fields.full_name.value", "Nguye\u0302\u0303n Văn An", "normalised"),  # decomposed (NFD) marks
    ("fields.signed_date", {"value": "05/03/2020", "confidence": 0.9, "status": "auto_accepted",
                            "page": 1, "bbox": None}, "ISO date"),
    ("fields.signed_date", {"value": "2020-02-30", "confidence": 0.9, "status": "auto_accepted",
                            "page": 1, "bbox": None}, "real date"),
    ("fields.id_number", {"value": "0010 9200 1234", "confidence": 0.9, "status": "auto_accepted",
                          "page": 1, "bbox": None}, "digits only"),
    ("fields.doc_number", {"value": "QĐ-UBND", "confidence": 0.9, "status": "auto_accepted",
                           "page": 1, "bbox": None}, "số ký hiệu"),
    ("page_details.0.rotation", 45, "rotation"),
    ("page_details.0.text_source", "scanner", "text_source"),
    ("page_details.0.page", 3, "outside"),
    ("pages", [2, 1], "ascending"),
    ("extra_key", 1, "Extra inputs"),
    ("pages", ["1", "2"], "int"),  # strict: no silent coercion
])
def test_records_that_break_the_contract_are_refused(path, value, why):
    with pytest.raises(ValidationError, match=why):
        ExportRecord.model_validate(_with(path, value))


def test_field_formats_accept_the_normal_forms():
    for key, value in (("signed_date", "2020-03-05"), ("id_number", "001092001234"), ("phone", "0912345678"),
                       ("doc_number", "123/QĐ-UBND"), ("doc_number", "01/2023/TT-VPCP"), ("full_name", None)):
        check_field_value(key, value)  # raises if refused


@pytest.fixture
def processed(embedded_settings, tmp_path):
    """Two scanned pages (scripted OCR) processed on the embedded default; the runtime's sessions."""
    from workers.runtime import current

    scans = tmp_path / "scans"
    scans.mkdir()
    _page_png(scans / "a.png", 1)
    _page_png(scans / "b.png", 2)
    process_paths(embedded_settings, [scans], "rec", ocr_engine=ScriptedEngine(), threads=1)
    return current().sessions


def test_every_exported_record_is_valid_and_explains_its_type(processed):
    with transaction(processed) as s:
        records = list(iter_records(s, "rec"))
    assert [r["source"] for r in records] == ["a.png", "b.png"]
    for record in records:
        model = ExportRecord.model_validate(record)
        assert model.doc_type == "giay_khai_sinh"
        assert model.type_cues, "the evidence for the type is in the record"
        assert model.fields["date_of_birth"].value == "2020-03-05"


def test_a_record_broken_in_the_database_fails_the_export_loudly(processed):
    with transaction(processed) as s:
        field = s.scalar(select(FieldValue).where(FieldValue.key == "date_of_birth", FieldValue.is_current)
                         .order_by(FieldValue.id).limit(1))
        field.value = "05/03/2020"  # as if written around the repository
    with transaction(processed) as s, pytest.raises(ValidationError, match="ISO date") as caught:
        list(iter_records(s, "rec"))
    assert any("a.png" in note for note in caught.value.__notes__)


def test_a_blank_page_is_an_ocr_page_with_nothing_read(processed):
    with transaction(processed) as s:
        page = s.scalar(select(Page).order_by(Page.id).limit(1))
        page.text_source, page.mean_conf = "blank", 0.0
    with transaction(processed) as s:
        detail = next(iter_records(s, "rec"))["page_details"][0]
    assert detail == {**detail, "text_source": "ocr", "ocr_confidence": None, "blank": True}


def test_csv_has_one_row_per_document_one_cell_per_field_value_and_no_json(processed):
    with transaction(processed) as s:
        records = list(iter_records(s, "rec"))
        out = "".join(to_csv(iter(records)))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(records) == 2
    assert out.count("\n") == 3  # header and two rows: no line break inside a cell
    for row, record in zip(rows, records):
        assert row["text"] == " / ".join(line for line in record["text"].splitlines() if line.strip())
        assert record["fields"]
        for key, field in record["fields"].items():
            assert row[key] == (field["value"] or "") and float(row[f"{key}_confidence"]) == field["confidence"]
            assert row[f"{key}_status"] == field["status"]
        assert row["type_cues"] == " | ".join(record["type_cues"])
        assert row["pages"] == "1" and row["status"] == record["status"]
        assert not any(cell.startswith(("{", "[")) for cell in row.values())


def test_csv_cells_never_start_a_formula():
    record = {"source": "=HYPERLINK(\"http://x\")", "pages": [1], "batch": "+b", "dossier_code": "-1",
              "doc_type": "khac", "doc_type_confidence": 0.5, "status": "needs_review",
              "unit": {"province": None, "district": None, "commune": None},
              "fields": {"full_name": {"value": "@SUM(A1)", "confidence": 0.5, "status": "needs_review",
                                       "page": 1, "bbox": None}},
              "page_details": [], "text": "=1+1\nsecond line", "error": None, "type_cues": []}
    rows = list(csv.DictReader(io.StringIO("".join(to_csv(iter([record]))))))
    assert rows[0]["source"] == "'=HYPERLINK(\"http://x\")" and rows[0]["batch"] == "'+b"
    assert rows[0]["dossier"] == "'-1" and rows[0]["full_name"] == "'@SUM(A1)"
    assert rows[0]["text"] == "'=1+1 / second line"


def test_documents_table_stores_the_type_cues_it_exports(processed):
    with transaction(processed) as s:
        cues = s.scalar(select(Document.type_cues).order_by(Document.id).limit(1))
        first = next(iter_records(s, "rec"))
    assert first["type_cues"] == cues
