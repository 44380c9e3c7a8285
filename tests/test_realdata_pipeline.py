"""Real archive files of every awkward kind through the whole pipeline, with the real Tesseract.

``test_ocr_realdata`` decodes every real file; this runs one file of each kind end to end on the
embedded default (decode → orientation → deskew → clean → OCR → split → classify → extract →
persist → export record): 1-bit CCITT G4 and JBIG2 images, a palette image, a CMYK JPEG, a page
with non-square resolution, a born-digital page with ``/Rotate``, and a real Quảng Ngãi directive.
"""

from __future__ import annotations

import shutil

import pytest

from schemas.export import ExportRecord
from schemas.settings import load_settings
from storage.db import transaction
from storage.export import iter_records
from workers.embedded import process_paths
from tests.conftest import REALDATA as REAL

FILES = {
    "ccitt.pdf": "ocrmypdf/ccitt.pdf",
    "jbig2.pdf": "ocrmypdf/jbig2.pdf",
    "palette.pdf": "ocrmypdf/palette.pdf",
    "baiona_cmyk.jpg": "ocrmypdf/baiona_cmyk.jpg",
    "aspect.pdf": "ocrmypdf/aspect.pdf",
    "nics-rotated.pdf": "pdfplumber/nics-background-checks-2015-11-rotated.pdf",
    "05CT.pdf": "quangngai-vbhc/05CT_20250517_033418.pdf",
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, list[dict]]:
    """Export records of the real files, by source file name."""
    folder = tmp_path_factory.mktemp("realdata")
    scans = folder / "scans"
    scans.mkdir()
    for name, relative in FILES.items():
        shutil.copyfile(REAL / relative, scans / name)
    settings = load_settings({}, var_dir=str(folder / "var"))
    process_paths(settings, [scans], "real", threads=2)

    from workers.runtime import current

    by_source: dict[str, list[dict]] = {}
    with transaction(current().sessions) as session:
        for record in iter_records(session, "real"):
            by_source.setdefault(record["source"], []).append(record)
    return by_source


def test_every_file_is_processed_and_every_page_accounted_for(records):
    assert set(records) == set(FILES)
    for name, docs in records.items():
        for record in docs:
            ExportRecord.model_validate(record)
            assert record["status"] != "failed", (name, record.get("error"))
            assert [d["page"] for d in record["page_details"]] == record["pages"], name


@pytest.mark.parametrize("name", ["ccitt.pdf", "jbig2.pdf"])
def test_bilevel_encodings_are_read(records, name):
    """CCITT G4 and JBIG2 versions of the same scanned leaflet (linn.png) both read."""
    text = " ".join(r["text"] for r in records[name])
    assert "Linn" in text and "Sequencer" in text.replace("Linn", " ")
    assert records[name][0]["page_details"][0]["text_source"] == "ocr"


def test_a_rotated_born_digital_page_uses_its_text_layer(records):
    [record] = records["nics-rotated.pdf"]
    assert record["page_details"][0]["text_source"] == "text_layer"
    assert "NICS" in record["text"]


def test_a_real_directive_is_read_and_classified(records):
    docs = records["05CT.pdf"]
    assert docs[0]["doc_type"] == "chi_thi", [d["doc_type"] for d in docs]
    assert docs[0]["fields"].get("issuing_agency"), docs[0]["fields"]
    assert sorted(p for d in docs for p in d["pages"]) == [1, 2]
