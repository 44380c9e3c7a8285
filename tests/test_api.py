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
    assert 'sohoa_files{status="done"} 1' in text
    assert 'sohoa_pages{status="done"} 1' in text
    assert "sohoa_dead_letters 0" in text
