"""The review API on PostgreSQL: the scope as one array parameter, and twenty concurrent saves of
one field (row lock on the version) giving one success and conflicts, never a 500."""

from __future__ import annotations

import concurrent.futures

import pytest

from tests.pg import make_pg_database
from tests.reviewdata import build_station

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    url, drop = make_pg_database()
    try:
        yield build_station(tmp_path_factory.mktemp("pg-station"), database_url=url)
    finally:
        from storage.db import get_engine

        get_engine(url).dispose()
        drop()


def test_scope_on_postgresql(station):
    client = station.client()
    province = {"Authorization": f"Bearer {station.token(client, 'reviewer-province')}"}
    listed = client.get("/api/documents", headers=province).json()
    assert {i["id"] for i in listed["items"]} == {station.docs["A"], station.docs["B"]} and listed["total"] == 2
    assert client.get(f"/api/documents/{station.docs['X']}", headers=province).status_code == 404
    commune = {"Authorization": f"Bearer {station.token(client, 'reviewer-commune')}"}
    assert [i["id"] for i in client.get("/api/documents", headers=commune).json()["items"]] == [station.docs["A"]]
    filtered = client.get("/api/documents", headers=province, params={"unit": f"pre2025:{station.units['B'].code}",
                                                                      "field": "id_number", "max_confidence": 0.5})
    assert [i["id"] for i in filtered.json()["items"]] == [station.docs["B"]]


def test_twenty_concurrent_saves_on_postgresql(station):
    client = station.client()
    headers = {"Authorization": f"Bearer {station.token(client, 'reviewer-province')}"}
    doc_id = station.docs["B"]
    version = client.get(f"/api/documents/{doc_id}", headers=headers).json()["version"]

    def save(i):
        return client.post(f"/api/documents/{doc_id}/fields/full_name", headers=headers,
                           json={"value": f"Lê Văn {chr(65 + i)}", "version": version}).status_code

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        statuses = sorted(pool.map(save, range(20)))
    assert statuses == [200] + [409] * 19
    history = client.get(f"/api/documents/{doc_id}/history", headers=headers).json()
    assert [h["key"] for h in history] == ["full_name"]
