"""The access matrix, generated from the app's OpenAPI routes: every route × role × level (province,
district, commune; a document in and out of the user's scope) and anonymous, with the status
expected. A route the matrix does not place fails the test until it is placed in ``RULES``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import pytest

from tests.reviewdata import LEVELS, PASSWORD, ROLES, build_station

ALL = frozenset(ROLES)
READERS = frozenset({"admin", "reviewer", "viewer"})
WRITERS = frozenset({"admin", "reviewer"})
OPS = frozenset({"admin", "ops"})


@dataclass(frozen=True)
class Rule:
    """Who may call a route and what a permitted call answers."""

    roles: frozenset[str] | None  # None: open to anyone, signed in or not
    ok: int = 200
    document: bool = False  # the route names a document: out of scope is 404
    body: Callable[[dict], dict] | None = None  # the JSON body, from the document as the caller reads it
    form: dict | None = None
    page: int = 1
    ok_in_scope: int | None = None  # when a permitted call on a document in scope is refused on its input
    extra: dict = field(default_factory=dict)
    ends_token: bool = False  # a permitted call ends the caller's tokens: sign in again after it


RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/health"): Rule(None),
    ("GET", "/metrics"): Rule(None),
    ("POST", "/api/token"): Rule(None, form={"username": "viewer-commune", "password": PASSWORD}),
    ("POST", "/api/token/revoke"): Rule(ALL, ok=204, ends_token=True),
    ("GET", "/api/me"): Rule(ALL),
    ("GET", "/api/batches"): Rule(frozenset({"admin", "ops"})),
    ("GET", "/api/documents"): Rule(READERS),
    ("GET", "/api/documents/{document_id}"): Rule(READERS, document=True),
    ("GET", "/api/documents/{document_id}/history"): Rule(READERS, document=True),
    ("GET", "/api/documents/{document_id}/pages/{page_no}/image"): Rule(READERS, document=True),
    ("POST", "/api/documents/{document_id}/check"): Rule(
        READERS, document=True, body=lambda doc: {"values": {"full_name": "Lê Duẩn"}}),
    ("POST", "/api/documents/{document_id}/fields/{key}"): Rule(
        WRITERS, document=True, body=lambda doc: {"confirm": True, "version": doc.get("version", 1)},
        extra={"key": "full_name"}),
    ("POST", "/api/documents/{document_id}/confirm"): Rule(
        WRITERS, document=True, body=lambda doc: {"version": doc.get("version", 1)}),
    ("POST", "/api/documents/{document_id}/type"): Rule(
        WRITERS, document=True, body=lambda doc: {"doc_type": doc.get("doc_type", "khac"), "version": doc.get("version", 1)}),
    ("POST", "/api/documents/{document_id}/pages/{page_no}/move"): Rule(
        WRITERS, document=True, ok_in_scope=422,  # a one-page document: the move itself is refused
        body=lambda doc: {"target": doc.get("id", 1), "version": doc.get("version", 1)}),
    ("POST", "/api/documents/{document_id}/receiving-unit"): Rule(
        WRITERS, document=True, body=lambda doc: {"unit": doc.get("unit_code", "01"), "version": doc.get("version", 1)}),
    # The ops JSON (counts, ids, batch names, reasons: no field value, not scoped by unit).
    ("GET", "/api/ops/overview"): Rule(OPS),
    ("GET", "/api/ops/queues"): Rule(OPS),
    ("GET", "/api/ops/workers"): Rule(OPS),
    ("GET", "/api/ops/throughput"): Rule(OPS),
    ("GET", "/api/ops/failures"): Rule(OPS),
    ("GET", "/api/ops/batches"): Rule(OPS),
    ("GET", "/api/ops/stalled"): Rule(OPS),
    ("GET", "/api/ops/dead-letters"): Rule(OPS),
    # Permitted callers reach the handler, which finds no such file or letter.
    ("POST", "/api/ops/files/{file_id}/requeue"): Rule(OPS, ok=404, extra={"file_id": "999999"}),
    ("POST", "/api/ops/dead-letters/{letter_id}/replay"): Rule(OPS, ok=404, extra={"letter_id": "999999"}),
}

OUT_OF_SCOPE = {"province": "X", "district": "B", "commune": "B"}


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    return build_station(tmp_path_factory.mktemp("matrix"))


def _routes(app) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, ops in app.openapi()["paths"].items() for method in ops}


def test_every_route_is_placed_in_the_matrix(station):
    client = station.client()
    routes = _routes(client.app)
    unplaced = sorted(routes - set(RULES))
    assert not unplaced, f"routes without a row in the access matrix (add them to RULES): {unplaced}"
    assert not sorted(set(RULES) - routes), "rows for routes that no longer exist"


def _call(client, method, path, rule, doc_id, doc, headers):
    url = path.replace("{document_id}", str(doc_id)).replace("{page_no}", str(rule.page))
    for name, value in rule.extra.items():
        url = url.replace("{" + name + "}", value)
    if rule.form is not None:
        return client.request(method, url, data=rule.form, headers=headers)
    if rule.body is not None:
        return client.request(method, url, json=rule.body(doc), headers=headers)
    return client.request(method, url, headers=headers)


def test_access_matrix(station):
    client = station.client()
    unit_code = f"pre2025:{station.units['A'].code}"
    tokens = {(role, level): station.token(client, f"{role}-{level}") for role in ROLES for level in LEVELS}
    wrong = []
    checked = 0
    for (method, path), rule in sorted(RULES.items()):
        # anonymous
        answer = _call(client, method, path, rule, station.docs["A"], {}, {})
        expected = rule.ok if rule.roles is None else 401
        checked += 1
        if answer.status_code != expected:
            wrong.append((method, path, "anonymous", expected, answer.status_code))
        if rule.roles is None:
            continue
        for role in ROLES:
            for level in LEVELS:
                headers = {"Authorization": f"Bearer {tokens[(role, level)]}"}
                cases = [("in", station.docs["A"]), ("out", station.docs[OUT_OF_SCOPE[level]])] if rule.document else [("-", None)]
                for scope, doc_id in cases:
                    doc = {}
                    if scope == "in" and role in READERS:
                        doc = client.get(f"/api/documents/{doc_id}", headers=headers).json()
                        doc["unit_code"] = unit_code
                    if role not in rule.roles:
                        expected = 403
                    elif scope == "out":
                        expected = 404
                    elif scope == "in" and rule.ok_in_scope is not None:
                        expected = rule.ok_in_scope
                    else:
                        expected = rule.ok
                    answer = _call(client, method, path, rule, doc_id, doc, headers)
                    checked += 1
                    if answer.status_code != expected:
                        wrong.append((method, path, f"{role}-{level}", scope, expected, answer.status_code,
                                      answer.text[:120]))
                    if rule.ends_token and answer.status_code == rule.ok:
                        tokens[(role, level)] = station.token(client, f"{role}-{level}")
    assert checked >= len(RULES) * len(ROLES) * len(LEVELS)
    assert not wrong, "\n".join(map(str, wrong))


def test_a_document_no_unit_received_is_for_admins_only(station):
    client = station.client()
    doc_id = station.docs["none"]
    for role in ROLES:
        headers = {"Authorization": f"Bearer {station.token(client, f'{role}-commune')}"}
        expected = 200 if role == "admin" else (403 if role == "ops" else 404)
        assert client.get(f"/api/documents/{doc_id}", headers=headers).status_code == expected


def test_a_disabled_user_is_out_within_the_cache_seconds(station):
    from storage.db import transaction
    from storage.users import add_user, disable_user

    client = station.client(auth_cache_s=0)  # as another server process, once SOHOA_AUTH_CACHE_S have passed
    with transaction(station.sessions) as s:
        add_user(s, "leaving", role="viewer", unit_code=f"pre2025:{station.units['A'].code}", password=PASSWORD)
    headers = {"Authorization": f"Bearer {station.token(client, 'leaving')}"}
    assert client.get("/api/me", headers=headers).status_code == 200
    with transaction(station.sessions) as s:
        disable_user(s, "leaving")  # `sohoa users disable`: another process
    assert client.get("/api/me", headers=headers).status_code == 401
    assert client.post("/api/token", data={"username": "leaving", "password": PASSWORD}).status_code == 401


def test_a_revoked_token_is_refused_in_every_server_process(station):
    from storage.db import transaction
    from storage.users import add_user

    with transaction(station.sessions) as s:
        add_user(s, "revoking", role="viewer", unit_code=f"pre2025:{station.units['A'].code}", password=PASSWORD)
    here, elsewhere = station.client(), station.client(auth_cache_s=0.3)  # two server processes on one database
    first, second = station.token(here, "revoking"), station.token(elsewhere, "revoking")
    for client in (here, elsewhere):
        for token in (first, second):  # every process has read the user once (its cache is warm)
            assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert here.post("/api/token/revoke", headers={"Authorization": f"Bearer {first}"}).status_code == 204
    for token in (first, second):  # every token of the user ends, at once in the process that revoked
        assert here.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    time.sleep(0.4)  # the other process's cache seconds
    for token in (first, second):
        assert elsewhere.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    fresh = station.token(elsewhere, "revoking")  # signing in again works
    assert here.get("/api/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_failed_logins_are_limited_across_server_processes(station):
    from storage.db import transaction
    from storage.users import add_user

    with transaction(station.sessions) as s:  # a user of its own: the failures stay a minute in the database
        add_user(s, "guessed", role="admin", unit_code=f"pre2025:{station.units['A'].code}", password=PASSWORD)
    one, two = station.client(), station.client()  # two server processes on one database
    answers = [client.post("/api/token", data={"username": "guessed", "password": "guess"}).status_code
               for client in (one, two, one, two, one, two, one)]
    assert answers == [401] * 5 + [429] * 2
    assert two.post("/api/token", data={"username": "guessed", "password": PASSWORD}).status_code == 429
    assert one.post("/api/token", data={"username": "admin-district", "password": PASSWORD}).status_code == 200


def test_scope_crosses_the_2025_reform_through_the_unit_mappings(station):
    from sqlalchemy import select

    from schemas.tables import AdminUnit, UnitMapping
    from storage.db import transaction
    from storage.users import add_user

    with transaction(station.sessions) as s:
        successor = s.scalar(select(AdminUnit).join(UnitMapping, UnitMapping.new_unit_id == AdminUnit.id)
                             .where(UnitMapping.old_unit_id == station.units["A"].id).limit(1))
        add_user(s, "new-province", role="viewer", unit_code="2025:01", password=PASSWORD)
        add_user(s, "new-commune", role="viewer", unit_code=f"2025:{successor.code}", password=PASSWORD)
    client = station.client()

    def seen(name):
        headers = {"Authorization": f"Bearer {station.token(client, name)}"}
        return {i["id"] for i in client.get("/api/documents", headers=headers, params={"status": "all"}).json()["items"]}

    # Hà Nội after 2025 takes in the old Hà Nội: both communes' dossiers, not the other province's
    assert seen("new-province") == {station.docs["A"], station.docs["B"]}
    # the 2025 ward that absorbed Phúc Xá sees Phúc Xá's dossiers
    assert station.docs["A"] in seen("new-commune") and station.docs["X"] not in seen("new-commune")
