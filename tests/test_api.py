"""The API over the records: listing, one record, a reviewer's correction, health and metrics."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_workflow import ScriptedEngine, _page_png
from workers.embedded import process_paths


def _client(settings, tmp_path) -> TestClient:
    from api.app import create_app

    scans = tmp_path / "scans"
    scans.mkdir()
    _page_png(scans / "a.png", 1)
    process_paths(settings, [scans], "api", ocr_engine=ScriptedEngine(), threads=1)
    return TestClient(create_app(settings))


def test_records_can_be_listed_read_and_corrected(embedded_settings, tmp_path):
    client = _client(embedded_settings, tmp_path)
    assert client.get("/health").json() == {"status": "ok"}

    listed = client.get("/api/documents", params={"batch": "api"}).json()
    assert [r["source"] for r in listed] == ["a.png"]
    batches = client.get("/api/batches").json()
    assert batches[0]["name"] == "api" and batches[0]["files_done"] == 1

    doc_id = 1
    record = client.get(f"/api/documents/{doc_id}").json()
    assert record["doc_type"] == "giay_khai_sinh"
    corrected = client.post(
        f"/api/documents/{doc_id}/fields/full_name", json={"value": "Nguyễn  Văn Ân", "reviewer": "can-bo-1"}
    ).json()
    assert corrected["fields"]["full_name"] == {**corrected["fields"]["full_name"], "value": "Nguyễn Văn Ân",
                                                "status": "corrected", "confidence": 1.0}
    assert client.get("/api/documents/999").status_code == 404
    assert client.post("/api/documents/999/fields/x", json={"value": "a", "reviewer": "r"}).status_code == 404


def test_metrics_count_work_by_state(embedded_settings, tmp_path):
    client = _client(embedded_settings, tmp_path)
    text = client.get("/metrics").text
    assert 'sohoa_files_processed_total{status="done"} 1.0' in text
    assert 'sohoa_pages_processed_total{status="done"} 1.0' in text
    assert "sohoa_dead_letters 0.0" in text
    assert "# HELP sohoa_pages_processed_total" in text


def test_a_document_shows_why_it_got_its_type_and_what_was_checked(embedded_settings, tmp_path):
    from sqlalchemy import select

    from schemas.tables import FieldValue
    from storage.db import transaction
    from workers.runtime import current

    client = _client(embedded_settings, tmp_path)
    record = client.get("/api/documents/1").json()
    assert record["type_cues"] and all(isinstance(cue, str) for cue in record["type_cues"])
    with transaction(current().sessions) as s:
        stored = {f.key: (f.checks or {}, f.note) for f in s.scalars(
            select(FieldValue).where(FieldValue.document_id == 1, FieldValue.is_current))}
    assert any(checks for checks, _ in stored.values()), "the scripted page gives validators something to check"
    for key, field in record["fields"].items():
        assert (field["checks"], field["note"]) == stored[key]
        assert field["origin"] == "machine"


def test_a_correction_not_in_normal_form_is_refused(embedded_settings, tmp_path):
    client = _client(embedded_settings, tmp_path)
    bad = client.post("/api/documents/1/fields/date_of_birth", json={"value": "05/03/2020", "reviewer": "r"})
    assert bad.status_code == 422 and "ISO date" in bad.json()["detail"]
    good = client.post("/api/documents/1/fields/date_of_birth", json={"value": "2020-03-05", "reviewer": "r"})
    assert good.status_code == 200 and good.json()["fields"]["date_of_birth"]["status"] == "corrected"
    cleared = client.post("/api/documents/1/fields/full_name", json={"value": "  ", "reviewer": "r"}).json()
    assert cleared["fields"]["full_name"]["value"] is None  # blank means "no value", and exports
