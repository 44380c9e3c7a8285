"""Review changes beyond one field: pages moved between the documents of a file, a type changed
(fields extracted again from the stored OCR), a corrected address moving the applicant's unit
(not the receiving unit), and the CSV export neutralising formula prefixes."""

from __future__ import annotations

import pytest
from PIL import Image

from storage.db import transaction
from storage.review import set_batch_receiving_unit
from storage.users import add_user
from tests.reviewdata import PASSWORD
from tests.test_workflow import ScriptedEngine, _page_png
from workers.embedded import process_paths


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory):
    """A three-page TIFF whose pages 2 and 3 ended in one document (as a splitter may leave them), received by
    commune 00001: documents [1] and [2, 3]."""
    from schemas.settings import load_settings
    from workers.runtime import current

    root = tmp_path_factory.mktemp("changes")
    settings = load_settings({}, var_dir=str(root / "var"), retry_min_backoff_ms=10, retry_max_backoff_ms=50)
    scans = root / "scans"
    scans.mkdir()
    for n in (1, 2, 3):
        _page_png(root / f"p{n}.png", n)
    first, *rest = (Image.open(root / f"p{n}.png") for n in (1, 2, 3))
    first.save(scans / "dossier.tif", save_all=True, append_images=rest, dpi=(200, 200))
    process_paths(settings, [scans], "moves", ocr_engine=ScriptedEngine(), threads=1)
    with transaction(current().sessions) as s:
        from sqlalchemy import delete, select

        from schemas.tables import Document, FieldValue

        docs = {d.seq: d for d in s.scalars(select(Document))}
        s.execute(delete(FieldValue).where(FieldValue.document_id == docs[3].id))
        s.execute(delete(Document).where(Document.id == docs[3].id))
        docs[2].pages, docs[2].page_roles, docs[2].page_to = [2, 3], ["title", "continuation"], 3
        set_batch_receiving_unit(s, "moves", "pre2025:00001")
        add_user(s, "hoa", role="reviewer", unit_code="pre2025:001", password=PASSWORD)
    from fastapi.testclient import TestClient

    from api.app import create_app

    client = TestClient(create_app(settings))
    token = client.post("/api/token", data={"username": "hoa", "password": PASSWORD}).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    items = client.get("/api/documents", params={"status": "all"}).json()["items"]
    return client, sorted(item["id"] for item in items), current().sessions


def test_a_page_moves_to_another_document_of_the_file(two_documents):
    client, (first, second), _ = two_documents
    one = client.get(f"/api/documents/{first}").json()
    two = client.get(f"/api/documents/{second}").json()
    assert one["pages"] == [1] and two["pages"] == [2, 3]
    assert [d["id"] for d in one["file_documents"]] == [first, second]
    alone = client.post(f"/api/documents/{first}/pages/1/move", json={"target": second, "version": one["version"]})
    assert alone.status_code == 422 and "only page" in alone.json()["detail"]
    elsewhere = client.post(f"/api/documents/{second}/pages/3/move", json={"target": 999, "version": two["version"]})
    assert elsewhere.status_code == 404
    moved = client.post(f"/api/documents/{second}/pages/3/move", json={"target": first, "version": two["version"]})
    assert moved.status_code == 200, moved.text
    assert moved.json()["pages"] == [2] and moved.json()["version"] == two["version"] + 1
    now_one = client.get(f"/api/documents/{first}").json()
    assert now_one["pages"] == [1, 3] and now_one["version"] == one["version"] + 1
    assert [p["page"] for p in now_one["page_details"]] == [1, 3]
    log = client.get(f"/api/documents/{second}/history").json()
    assert (log[-1]["action"], log[-1]["key"], log[-1]["new_value"]) == ("move_page", "page 3", str(first))
    stale = client.post(f"/api/documents/{first}/pages/3/move", json={"target": second, "version": one["version"]})
    assert stale.status_code == 409 and stale.json()["current"]["pages"] == [1, 3]


def test_a_type_change_extracts_again_and_an_address_moves_the_applicants_unit(two_documents):
    client, (first, _second), _ = two_documents
    doc = client.get(f"/api/documents/{first}").json()
    receiving = doc["receiving_unit"]
    changed = client.post(f"/api/documents/{first}/type", json={"doc_type": "don_de_nghi", "version": doc["version"]})
    assert changed.status_code == 200, changed.text
    fields = changed.json()["fields"]
    assert "address" in fields and "place_of_birth" not in fields
    assert fields["full_name"]["value"] == "NGUYỄN VĂN AN"  # read again from the stored OCR words
    saved = client.post(f"/api/documents/{first}/fields/address", json={
        "value": "Số 5 phố Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Thành phố Hà Nội",
        "version": changed.json()["version"]})
    assert saved.status_code == 200, saved.text
    record = saved.json()
    assert "Hàng Bạc" in (record["applicant_unit"] or "")
    assert record["unit"]["district"] == "002"
    assert record["receiving_unit"] == receiving  # the scope did not move with the applicant
    actions = [h["action"] for h in client.get(f"/api/documents/{first}/history").json()]
    assert actions[-2:] == ["set_type", "correct"]


def test_a_moved_page_extracts_both_documents_again(two_documents):
    client, (first, second), _ = two_documents
    one = client.get(f"/api/documents/{first}").json()  # pages [1, 3], a reviewer's address (the tests above)
    two = client.get(f"/api/documents/{second}").json()  # pages [2]
    assert one["pages"] == [1, 3] and one["fields"]["full_name"]["page"] == 1
    assert one["fields"]["address"]["origin"] == "reviewer" and two["fields"]["full_name"]["page"] == 2
    moved = client.post(f"/api/documents/{first}/pages/1/move", json={"target": second, "version": one["version"]})
    assert moved.status_code == 200, moved.text
    one_now, two_now = moved.json(), client.get(f"/api/documents/{second}").json()
    # each read again from its new pages (every page here reads the same lines: the first one gives the fields)
    assert one_now["pages"] == [3] and one_now["fields"]["full_name"]["page"] == 3
    assert two_now["pages"] == [1, 2] and two_now["fields"]["full_name"]["page"] == 1
    assert one_now["fields"]["address"]["value"] == one["fields"]["address"]["value"]  # the reviewer's value stands
    assert (one_now["version"], two_now["version"]) == (one["version"] + 1, two["version"] + 1)
    for doc_id in (first, second):
        last = client.get(f"/api/documents/{doc_id}/history").json()[-1]
        assert (last["action"], last["key"], last["old_value"], last["new_value"]) == (
            "move_page", "page 1", str(first), str(second))
    stale = client.post(f"/api/documents/{second}/pages/1/move", json={"target": first, "version": two["version"]})
    assert stale.status_code == 409 and stale.json()["current"]["pages"] == [1, 2]


def test_csv_export_neutralises_formula_prefixes():
    from storage.export import neutralise

    for value in ("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)"):
        assert neutralise(value) == "'" + value
    assert neutralise("Nguyễn Văn An") == "Nguyễn Văn An" and neutralise(3) == 3


def test_the_receiving_unit_comes_from_the_batch_else_from_the_receipts_agency(two_documents):
    from sqlalchemy import select

    from schemas.tables import AdminUnit, Batch, Dossier
    from storage import repo
    from storage.review import receiving_unit_from_header

    _, _, sessions = two_documents
    with transaction(sessions) as s:
        commune = s.scalar(select(AdminUnit).where(AdminUnit.era == "pre2025", AdminUnit.code == "00037"))
        agency = repo.upsert_agency(s, "UBND phường Phúc Tân", level="xa", unit_id=commune.id)
        dossier = Dossier(dossier_code="H26.99-261203-0001", agency_id=agency.id)
        s.add(dossier)
        plain = repo.get_or_create_batch(s, "no-unit")
        with_unit = repo.get_or_create_batch(s, "with-unit")
        with_unit.unit_id = s.scalar(select(AdminUnit.id).where(AdminUnit.era == "pre2025", AdminUnit.code == "00001"))
        files = []
        for n, batch in enumerate((plain, with_unit)):
            source, _ = repo.add_source_file(s, batch, sha256=f"{n}" * 64, object_key="k", original_path=f"r{n}.pdf",
                                             size=1, media_type="application/pdf")
            files.append(source)
        s.flush()
        assert receiving_unit_from_header(s, files[0].id, dossier) is True
        assert receiving_unit_from_header(s, files[1].id, dossier) is True
        assert files[0].receiving_unit_id == commune.id  # the receipt's receiving agency
        assert files[1].receiving_unit_id == with_unit.unit_id  # the batch's --unit wins
        assert receiving_unit_from_header(s, files[0].id, None) is False  # set once, kept
        assert s.scalar(select(Batch.unit_id).where(Batch.name == "no-unit")) is None
