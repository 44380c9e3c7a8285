"""The JSON API of the review station: sign-in, scope (on SQLite and PostgreSQL), listing, corrections with versions, history,
page images, untrusted input, health and metrics. One processed station per module (real SQLite,
real pipeline, OCR through the scripted engine seam)."""

from __future__ import annotations

import concurrent.futures

import pytest
from sqlalchemy import func, select

from schemas.tables import Dossier, ReviewAction
from storage.db import transaction
from tests.reviewdata import PASSWORD, build_station


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    return build_station(tmp_path_factory.mktemp("station"))


@pytest.fixture(scope="module")
def pg_station(tmp_path_factory):
    from storage.db import get_engine
    from tests.pg import make_pg_database

    url, drop = make_pg_database()
    try:
        yield build_station(tmp_path_factory.mktemp("pg-station"), database_url=url)
    finally:
        get_engine(url).dispose()
        drop()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def any_station(request):
    """The station on each database (PostgreSQL takes the scope as one array parameter)."""
    return request.getfixturevalue("station" if request.param == "sqlite" else "pg_station")


@pytest.fixture(scope="module")
def client(station):
    return station.client()


def _auth(station, client, name="reviewer-district"):
    return {"Authorization": "Bearer " + station.token(client, name)}


def test_every_api_route_needs_a_token_and_health_is_open(station, client):
    assert client.get("/health").json() == {"status": "ok"}
    metrics = client.get("/metrics").text
    assert 'sohoa_documents_processed_total{status="needs_review"}' in metrics and "NGUYỄN" not in metrics
    assert client.get("/api/documents").status_code == 401
    assert client.get("/api/documents", headers={"Authorization": "Bearer forged.token.x"}).status_code == 401
    bad = client.post("/api/token", data={"username": "reviewer-district", "password": "wrong password"})
    assert bad.status_code == 401
    good = client.post("/api/token", data={"username": "reviewer-district", "password": PASSWORD}).json()
    assert good["token_type"] == "bearer" and good["access_token"]


def test_listing_is_scoped_paged_and_carries_ids_and_versions_without_text(station, client):
    district = client.get("/api/documents", headers=_auth(station, client)).json()
    assert [item["id"] for item in district["items"]] == [station.docs["A"]] and district["total"] == 1
    item = district["items"][0]
    assert item["version"] >= 1 and "text" not in item and item["fields_to_review"]
    province = client.get("/api/documents", headers=_auth(station, client, "reviewer-province")).json()
    assert {i["id"] for i in province["items"]} == {station.docs["A"], station.docs["B"]}
    admin = client.get("/api/documents", headers=_auth(station, client, "admin-province"), params={"unit": "none"}).json()
    assert [i["id"] for i in admin["items"]] == [station.docs["none"]] and admin["items"][0]["receiving_unit"] == "no unit"
    paged = client.get("/api/documents", headers=_auth(station, client, "reviewer-province"), params={"limit": 1, "offset": 1}).json()
    assert paged["total"] == 2 and len(paged["items"]) == 1
    # oldest batch first
    assert province["items"][0]["batch"] == "batch-A"


def test_documents_are_scoped_in_sql_and_out_of_scope_is_404(any_station):
    station = any_station
    client = station.client()
    province = _auth(station, client, "reviewer-province")
    listed = client.get("/api/documents", headers=province).json()
    assert {i["id"] for i in listed["items"]} == {station.docs["A"], station.docs["B"]} and listed["total"] == 2
    filtered = client.get("/api/documents", headers=province, params={"unit": f"pre2025:{station.units['B'].code}",
                                                                      "field": "id_number", "max_confidence": 0.5})
    assert [i["id"] for i in filtered.json()["items"]] == [station.docs["B"]]
    commune = _auth(station, client, "reviewer-commune")
    assert [i["id"] for i in client.get("/api/documents", headers=commune).json()["items"]] == [station.docs["A"]]
    for doc in (station.docs["B"], station.docs["X"], station.docs["none"], 999_999):  # like a missing document
        assert client.get(f"/api/documents/{doc}", headers=commune).status_code == 404
        assert client.get(f"/api/documents/{doc}/history", headers=commune).status_code == 404
        assert client.get(f"/api/documents/{doc}/pages/1/image", headers=commune).status_code == 404
        saved = client.post(f"/api/documents/{doc}/fields/full_name", headers=commune, json={"value": "A", "version": 1})
        assert saved.status_code == 404


def test_a_correction_is_versioned_logged_under_the_login_and_exported(station, client):
    headers = _auth(station, client, "reviewer-commune")
    doc_id = station.docs["A"]
    record = client.get(f"/api/documents/{doc_id}", headers=headers).json()
    version = record["version"]
    saved = client.post(f"/api/documents/{doc_id}/fields/full_name", headers=headers,
                        json={"value": "Nguyễn  Văn Ân", "version": version})
    assert saved.status_code == 200, saved.text
    assert saved.json()["fields"]["full_name"]["value"] == "Nguyễn Văn Ân"
    assert saved.json()["version"] == version + 1
    stale = client.post(f"/api/documents/{doc_id}/fields/full_name", headers=headers,
                        json={"value": "Someone Else", "version": version})
    assert stale.status_code == 409 and stale.json()["current"]["fields"]["full_name"]["value"] == "Nguyễn Văn Ân"
    by_header = client.post(f"/api/documents/{doc_id}/fields/gender", headers={**headers, "If-Match": f'"{version + 1}"'},
                            json={"confirm": True})
    assert by_header.status_code == 200 and by_header.json()["fields"]["gender"]["status"] == "confirmed"
    history = client.get(f"/api/documents/{doc_id}/history", headers=headers).json()
    assert [(h["reviewer"], h["action"], h["key"]) for h in history[-2:]] == [
        ("reviewer-commune", "correct", "full_name"), ("reviewer-commune", "confirm", "gender")]
    from storage.export import iter_records

    with transaction(station.sessions) as s:
        exported = {r["source"]: r for r in iter_records(s)}
    assert exported["A.png"]["fields"]["full_name"]["value"] == "Nguyễn Văn Ân"
    assert client.post(f"/api/documents/{doc_id}/fields/gender", headers=headers, json={"confirm": True}).status_code == 428


@pytest.mark.parametrize("key, body, status, words", [
    ("foo", {"value": "x"}, 422, "not a field"),
    ("full_name", {"value": "x" * 2001}, 422, "at most"),
    ("full_name", {"value": "a\u0000b"}, 400, "NUL"),
    ("date_of_birth", {"value": "05/03/2020"}, 422, "ISO date"),
    ("id_number", {"value": "00120abc"}, 422, "digits"),
    ("full_name", {"value": "x", "reviewer": "mallory"}, 422, "extra"),
    ("FULL-name", {"value": "x"}, 422, "pattern"),
])
def test_untrusted_input_gets_a_clear_4xx_and_stores_nothing(station, client, key, body, status, words):
    headers = _auth(station, client, "reviewer-province")
    doc_id = station.docs["B"]
    with transaction(station.sessions) as s:
        before = s.scalar(select(func.count()).select_from(ReviewAction))
    version = client.get(f"/api/documents/{doc_id}", headers=headers).json()["version"]
    answer = client.post(f"/api/documents/{doc_id}/fields/{key}", headers=headers, json={**body, "version": version})
    assert answer.status_code == status, answer.text
    assert words.lower() in answer.text.lower()
    with transaction(station.sessions) as s:
        assert s.scalar(select(func.count()).select_from(ReviewAction)) == before


def test_oversized_bodies_and_ids_out_of_range_are_refused(station, client):
    headers = _auth(station, client, "reviewer-province")
    huge = client.post(f"/api/documents/{station.docs['B']}/fields/full_name", headers=headers,
                       content=b'{"value": "' + b"x" * 200_000 + b'", "version": 1}',
                       )
    assert huge.status_code == 413
    assert client.get(f"/api/documents/{2**40}", headers=headers).status_code == 422
    assert client.get("/api/documents/0", headers=headers).status_code == 422
    assert client.get("/api/documents", headers=headers, params={"batch": "a\x00b"}).status_code == 400
    assert client.get("/api/documents", headers=headers, params={"limit": 10**6}).status_code == 422


def test_typing_is_checked_by_the_pipelines_validators(station, client):
    headers = _auth(station, client, "viewer-province")
    doc_id = station.docs["B"]  # a birth certificate born 2020-03-05
    # A CCCD whose century/birth-year digits (2xx for 2000s, '20' year) disagree with 2020: 0 7 0 1 99 …
    out = client.post(f"/api/documents/{doc_id}/check", headers=headers,
                      json={"values": {"id_number": "001099012345"}}).json()
    assert out["id_number"]["error"] is None and out["id_number"]["checks"]["x_cccd_matches_dob"] is False
    ok = client.post(f"/api/documents/{doc_id}/check", headers=headers,
                     json={"values": {"id_number": "001220012345"}}).json()
    assert ok["id_number"]["checks"]["x_cccd_matches_dob"] is True
    bad = client.post(f"/api/documents/{doc_id}/check", headers=headers, json={"values": {"date_of_birth": "5/3/2020"}}).json()
    assert "ISO date" in bad["date_of_birth"]["error"]


def test_page_image_is_straightened_encoded_and_cached(station, client):
    headers = _auth(station, client, "viewer-commune")
    url = f"/api/documents/{station.docs['A']}/pages/1/image"
    for fmt, magic in (("png", b"\x89PNG"), ("jpeg", b"\xff\xd8"), ("webp", b"RIFF")):
        answer = client.get(url, headers=headers, params={"format": fmt})
        assert answer.status_code == 200 and answer.content.startswith(magic)
    first = client.get(url, headers={**headers, "Accept": "image/webp"})
    assert first.headers["content-type"] == "image/webp" and "max-age" in first.headers["cache-control"]
    again = client.get(url, headers={**headers, "Accept": "image/webp", "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert client.get(f"/api/documents/{station.docs['A']}/pages/2/image", headers=headers).status_code == 404


def test_twenty_concurrent_saves_of_one_field_give_one_success_and_conflicts(any_station):
    """On PostgreSQL the row lock on the version: one success and conflicts, never a 500."""
    station = any_station
    client = station.client()
    headers = _auth(station, client, "admin-province")
    doc_id = station.docs["none"]
    version = client.get(f"/api/documents/{doc_id}", headers=headers).json()["version"]

    def save(i):
        return client.post(f"/api/documents/{doc_id}/fields/full_name", headers=headers,
                           json={"value": f"Trần Văn {chr(65 + i)}", "version": version}).status_code

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        statuses = sorted(pool.map(save, range(20)))
    assert statuses == [200] + [409] * 19
    history = client.get(f"/api/documents/{doc_id}/history", headers=headers).json()
    assert [h["key"] for h in history] == ["full_name"]


def test_a_corrected_dossier_code_relinks_the_dossier(station, client):
    headers = _auth(station, client, "admin-province")
    doc_id = station.docs["none"]
    record = client.get(f"/api/documents/{doc_id}", headers=headers).json()
    changed = client.post(f"/api/documents/{doc_id}/type", headers=headers,
                          json={"doc_type": "giay_tiep_nhan", "version": record["version"]})
    assert changed.status_code == 200, changed.text
    fields = changed.json()["fields"]
    assert changed.json()["doc_type"] == "giay_tiep_nhan" and "dossier_code" in fields and "gender" not in fields
    saved = client.post(f"/api/documents/{doc_id}/fields/dossier_code", headers=headers,
                        json={"value": "000.00.15.H26-230512-0001", "version": changed.json()["version"]})
    assert saved.status_code == 200, saved.text
    assert saved.json()["dossier_code"] == "000.00.15.H26-230512-0001"
    with transaction(station.sessions) as s:
        assert s.scalar(select(Dossier.dossier_code).where(Dossier.dossier_code == "000.00.15.H26-230512-0001"))
    history = client.get(f"/api/documents/{doc_id}/history", headers=headers).json()
    assert [h["action"] for h in history][-2:] == ["set_type", "correct"]


def test_the_receiving_unit_can_be_set_within_ones_own_unit_only(station, client):
    headers = _auth(station, client, "reviewer-province")
    doc_id = station.docs["B"]
    version = client.get(f"/api/documents/{doc_id}", headers=headers).json()["version"]
    outside = client.post(f"/api/documents/{doc_id}/receiving-unit", headers=headers,
                          json={"unit": f"pre2025:{station.units['X'].code}", "version": version})
    assert outside.status_code == 422 and "outside" in outside.json()["detail"]
    inside = client.post(f"/api/documents/{doc_id}/receiving-unit", headers=headers,
                         json={"unit": f"pre2025:{station.units['A'].code}", "version": version})
    assert inside.status_code == 200 and "Phúc Xá" in inside.json()["receiving_unit"]


def test_docs_are_served_without_a_cdn(client):
    page = client.get("/docs").text
    assert "cdn" not in page.lower() and "/static-offline-docs/swagger-ui-bundle.js" in page
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
    redoc = client.get("/redoc").text
    assert "cdn" not in redoc.lower() and client.get("/static-offline-docs/redoc.standalone.js").status_code == 200


def test_pages_send_a_content_security_policy(client):
    answer = client.get("/login")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_saved_value_carries_the_validators_verdicts(station, client):
    headers = _auth(station, client, "admin-province")
    doc_id = station.docs["B"]
    version = client.get(f"/api/documents/{doc_id}", headers=headers).json()["version"]
    saved = client.post(f"/api/documents/{doc_id}/fields/id_number", headers=headers,
                        json={"value": "001099012345", "version": version})
    assert saved.status_code == 200
    checks = saved.json()["fields"]["id_number"]["checks"]
    assert checks["x_cccd_matches_dob"] is False  # stored, and flagged on the review page
