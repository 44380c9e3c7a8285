"""The review station's pages over HTTP: the login first, CSRF on every form, login rate limit,
the queue (counts, filters, paging), the review page in scope only, escaping of what OCR read."""

from __future__ import annotations

import re

import pytest

from tests.reviewdata import PASSWORD, build_station


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    return build_station(tmp_path_factory.mktemp("pages"))


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(client, name, password=PASSWORD, next_url="/"):
    form = client.get("/login", params={"next": next_url})
    return client.post("/login", data={"username": name, "password": password, "csrf": _csrf(form.text),
                                       "next": next_url}, follow_redirects=False)


def test_signed_out_visitors_get_the_login_page_first(station):
    client = station.client()
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    review = client.get(f"/documents/{station.docs['A']}", follow_redirects=False)
    assert review.status_code == 303 and "next=%2Fdocuments%2F" in review.headers["location"]


def test_login_needs_its_csrf_token_and_goes_only_to_local_pages(station):
    client = station.client()
    forged = client.post("/login", data={"username": "reviewer-commune", "password": PASSWORD, "csrf": "x"},
                         follow_redirects=False)
    assert forged.status_code == 403
    signed_in = _login(client, "reviewer-commune", next_url="https://evil.example/")
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
    cookie = signed_in.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()


def test_the_queue_shows_counts_filters_and_only_documents_in_scope(station):
    client = station.client()
    _login(client, "reviewer-province")
    page = client.get("/").text
    assert f'href="/documents/{station.docs["A"]}"' in page and f'href="/documents/{station.docs["B"]}"' in page
    assert f'href="/documents/{station.docs["X"]}"' not in page
    assert re.search(r'id="count-needs-review">2<', page)
    filtered = client.get("/", params={"batch": "batch-B"}).text
    assert f'href="/documents/{station.docs["A"]}"' not in filtered and f'href="/documents/{station.docs["B"]}"' in filtered
    assert "Nothing to review" in client.get("/", params={"doc_type": "cong_van"}).text
    assert client.get("/", params={"unit": "abc"}).status_code == 200  # a bad filter is explained, not a 500
    assert "2 (province), 3 (district) or 5 (commune) digits" in client.get("/", params={"unit": "abc"}).text
    assert client.get(f"/documents/{station.docs['X']}").status_code == 404


def test_the_review_page_shows_the_document_and_escapes_what_was_read(station):
    client = station.client()
    _login(client, "admin-province")
    doc_id = station.docs["none"]
    token = client.post("/api/token", data={"username": "admin-province", "password": PASSWORD}).json()["access_token"]
    version = client.get(f"/api/documents/{doc_id}", headers={"Authorization": f"Bearer {token}"}).json()["version"]
    hostile = '"><img src=x onerror=alert(1)>'
    saved = client.post(f"/api/documents/{doc_id}/fields/place_of_birth", headers={"Authorization": f"Bearer {token}"},
                        json={"value": hostile, "version": version})
    assert saved.status_code == 200
    page = client.get(f"/documents/{doc_id}").text
    assert hostile not in page and "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'id="f-place_of_birth"' in page and "No change yet" not in page
    assert '<script src="/static/review.js"></script>' in page


def test_sign_out_needs_the_csrf_token_and_ends_the_session_and_its_tokens(station):
    client = station.client()
    _login(client, "viewer-commune")
    page = client.get("/").text
    cookie = client.cookies["sohoa_session"]
    review = client.get(f"/documents/{station.docs['A']}").text
    token = re.search(r'name="api-token" content="([^"]+)"', review).group(1)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.post("/logout", data={"csrf": "forged"}, follow_redirects=False).status_code == 403
    out = client.post("/logout", data={"csrf": _csrf(page)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303
    # a copy of the cookie and the page's API token are void too (not only forgotten by this browser)
    client.cookies.set("sohoa_session", cookie)
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_login_page_is_rate_limited(station):
    client = station.client()
    answers = [_login(client, "viewer-district", password="not it").status_code for _ in range(6)]
    assert answers[:5] == [303] * 5 and answers[5] == 429


def test_ops_users_are_sent_to_their_own_pages(station):
    client = station.client()
    _login(client, "ops-province")
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/ops"
    assert client.get(f"/documents/{station.docs['A']}").status_code == 403


def test_the_review_page_names_the_checks_a_value_fails(station):
    client = station.client()
    _login(client, "admin-province")
    doc_id = station.docs["B"]
    token = client.post("/api/token", data={"username": "admin-province", "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    version = client.get(f"/api/documents/{doc_id}", headers=headers).json()["version"]
    assert client.post(f"/api/documents/{doc_id}/fields/id_number", headers=headers,
                       json={"value": "001099012345", "version": version}).status_code == 200
    page = client.get(f"/documents/{doc_id}").text
    assert "check failed: x_cccd_matches_dob" in page
