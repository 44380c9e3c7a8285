"""The review station against an intruder, on the real app (TestClient, and uvicorn on loopback
where the transport matters) over real SQLite and PostgreSQL:

* CSRF on every HTML form (found in the rendered pages and among the app's POST page routes):
  no token or a wrong one is a 4xx and nothing changes;
* XSS: a field value, a file name and a batch name ``<script>alert(1)</script>`` /
  ``"><img src=x onerror=alert(1)>`` are shown escaped on every page route of the app (walked from
  ``app.routes``, not a hand list), reflected query values too, with a Content-Security-Policy;
* SQL injection through every query and path parameter of every GET route (from OpenAPI) and
  every string of every JSON body: a 4xx or an answer inside the user's scope, never a 500, tables
  intact;
* path traversal in page-image routes, static files, object keys and export paths (zip members:
  see ``test_zip_members_cannot_climb_out``);
* over-long and NUL inputs and ids beyond 2^63 (path, query, body): 4xx, never 500;
* request bodies over the limit: 413, streamed (chunked) ones too;
* failed logins: 429 after the limit, on the login page and on ``/api/token``;
* tokens and session cookies expired, tampered, or signed with another key: 401 / back to login.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from markupsafe import escape
from sqlalchemy import func, inspect, select, text, update

from schemas.settings import Settings, load_settings
from schemas.tables import Document, SourceFile
from storage.db import session_factory, transaction
from storage.review import set_batch_receiving_unit
from storage.users import add_user
from tests.pg import make_pg_database
from tests.reviewdata import _pick_units, serve_on_loopback
from tests.test_workflow import ScriptedEngine, _page_png

HOSTILE = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
PASSWORD = "correct horse battery"
SQL_INJECTIONS = ("' OR 1=1 --", "1; DROP TABLE documents", "1' OR '1'='1", '" OR ""="',
                  "x' UNION SELECT id, name, password_hash FROM users --", "%' OR 1=1 --",
                  "none' OR receiving_unit_id IS NOT NULL --", "pre2025:01' --", "1 OR 1=1", "needs_review' OR '1'='1")
BIG_IDS = (2**31, 2**63 - 1, 2**63, 2**64, 10**30, -1, 0, -(2**63) - 1)
ROOT = Path(__file__).resolve().parents[1]
SOHOA = str(Path(sys.executable).with_name("sohoa"))


# -- the station ------------------------------------------------------------------------------------

@dataclass
class HostileStation:
    """Processed documents received by commune A (with the hostile names and values), by commune B
    (another district: out of a commune reviewer's scope) and by no unit; users of A's tree."""

    settings: Settings
    docs: dict[str, int]  # "A", "B", "none", "file" (hostile file name), "batch" (hostile batch name)
    sessions: Any
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self) -> TestClient:
        from api.app import create_app

        return TestClient(create_app(self.settings))

    def token(self, client: TestClient, name: str) -> str:
        if name not in self.tokens:
            answer = client.post("/api/token", data={"username": name, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            self.tokens[name] = answer.json()["access_token"]
        return self.tokens[name]

    def bearer(self, client: TestClient, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(client, name)}"}

    def in_scope(self, name: str) -> set[int]:
        return {"admin": set(self.docs.values()), "reviewer": {self.docs[k] for k in ("A", "file", "batch")}}[name]


def build_hostile_station(root: Path, database_url: str = "") -> HostileStation:
    from workers.embedded import process_paths

    settings = load_settings({}, var_dir=str(root / "var"), database_url=database_url,
                             retry_min_backoff_ms=10, retry_max_backoff_ms=50)
    plain, file_batch, name_batch = root / "plain", root / "hostile-file", root / "hostile-batch"
    for seed, name in enumerate(("A", "B", "none"), start=1):
        plain.mkdir(parents=True, exist_ok=True)
        _page_png(plain / f"{name}.png", seed)
    # The file name is HOSTILE[0] + ".png": its "/" makes a folder, the relative path is the name.
    (file_batch / "<script>alert(1)<").mkdir(parents=True)
    _page_png(file_batch / "<script>alert(1)<" / "script>.png", 4)
    name_batch.mkdir()
    _page_png(name_batch / f"{HOSTILE[1]}.png", 5)
    engine = ScriptedEngine()
    process_paths(settings, [plain], "plain", ocr_engine=engine, threads=1)
    process_paths(settings, [file_batch], HOSTILE[1], ocr_engine=engine, threads=1)
    process_paths(settings, [name_batch], HOSTILE[0], ocr_engine=engine, threads=1)
    sessions = session_factory(settings.effective_database_url)
    with transaction(sessions) as s:
        units = _pick_units(s)
        path_of = {"A": "A.png", "B": "B.png", "none": "none.png", "file": f"{HOSTILE[0]}.png",
                   "batch": f"{HOSTILE[1]}.png"}
        docs = {k: s.scalar(select(Document.id).join(SourceFile).where(SourceFile.original_path == p))
                for k, p in path_of.items()}
        assert all(docs.values()), docs
        for batch in HOSTILE:
            set_batch_receiving_unit(s, batch, f"pre2025:{units['A'].code}")
        for key, unit in (("A", "A"), ("B", "B")):
            s.execute(update(SourceFile).where(SourceFile.id == select(Document.source_file_id).where(
                Document.id == docs[key]).scalar_subquery()).values(receiving_unit_id=units[unit].id))
        add_user(s, "admin", role="admin", unit_code=f"pre2025:{units['P'].code}", password=PASSWORD)
        add_user(s, "reviewer", role="reviewer", unit_code=f"pre2025:{units['A'].code}", password=PASSWORD)
        add_user(s, "ops", role="ops", unit_code=f"pre2025:{units['P'].code}", password=PASSWORD)
    station = HostileStation(settings=settings, docs=docs, sessions=sessions)
    # The hostile field values, stored through the API as a reviewer would type them.
    client = station.client()
    headers = station.bearer(client, "reviewer")
    for doc_key, value in (("file", HOSTILE[0]), ("batch", HOSTILE[1]), ("A", HOSTILE[1])):
        doc_id = docs[doc_key]
        version = client.get(f"/api/documents/{doc_id}", headers=headers).json()["version"]
        saved = client.post(f"/api/documents/{doc_id}/fields/full_name", headers=headers,
                            json={"value": value, "version": version})
        assert saved.status_code == 200, saved.text
        assert saved.json()["fields"]["full_name"]["value"] == value
    return station


@pytest.fixture(scope="module")
def station(tmp_path_factory) -> HostileStation:
    return build_hostile_station(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def pg_station(tmp_path_factory):
    url, drop = make_pg_database("sohoa_security")
    made = build_hostile_station(tmp_path_factory.mktemp("hostile-pg"), url)
    yield made
    made.sessions.kw["bind"].dispose()
    drop()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def any_station(request) -> HostileStation:
    return request.getfixturevalue("station" if request.param == "sqlite" else "pg_station")


def database_fingerprint(sessions) -> dict[str, str]:
    """Every table and a digest of all its rows: equal before and after means nothing changed."""
    with transaction(sessions) as s:
        names = sorted(inspect(s.get_bind()).get_table_names())
        digests = {}
        for name in names:
            rows = s.execute(text(f'SELECT * FROM "{name}"')).all()
            digests[name] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
        return digests


# -- the app's routes -------------------------------------------------------------------------------

def walk_routes(routes, prefix: str = ""):
    """(path, methods, route) of every endpoint, descending into included routers."""
    for route in routes:
        context = getattr(route, "include_context", None)
        if context is not None:
            yield from walk_routes(context.included_router.routes, prefix + context.prefix)
        elif hasattr(route, "methods") and route.methods:
            yield prefix + route.path, set(route.methods), route


DOCS_PATHS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def page_routes(app, method: str) -> list[tuple[str, Any]]:
    """The HTML page routes: everything not in the OpenAPI schema, not /api and not the API docs."""
    api = {path for path in app.openapi()["paths"]}
    return sorted((path, route) for path, methods, route in walk_routes(app.routes)
                  if method in methods and path not in api and path not in DOCS_PATHS and not path.startswith("/api"))


def page_urls(app, station: HostileStation) -> list[str]:
    """Every GET page route with its path parameters filled: each document of the station for a document id."""
    values = {"document_id": [str(v) for v in station.docs.values()]}
    urls = []
    for path, _ in page_routes(app, "GET"):
        names = re.findall(r"{(\w+)(?::\w+)?}", path)
        unplaced = [n for n in names if n not in values]
        assert not unplaced, f"page route {path}: give the test values for {unplaced} (in page_urls)"
        filled = [path]
        for name in names:
            filled = [re.sub(r"{%s(?::\w+)?}" % name, v, u) for u in filled for v in values[name]]
        urls += filled
    return urls


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> httpx.Response:
    """The page login as a browser does it: the form (its CSRF cookie and field), then the POST."""
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    return client.post("/login", data={"username": name, "password": password, "csrf": token, "next": "/"},
                       follow_redirects=False)


class PageScan(HTMLParser):
    """What matters for script injection in an HTML page: scripts, event attributes, forms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.event_attributes: list[tuple[str, str]] = []
        self.javascript_urls: list[str] = []
        self.forms: list[dict] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.event_attributes.append((tag, name))
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.javascript_urls.append(value)
        if tag == "script":
            self.scripts.append(values)
        elif tag == "form":
            self.forms.append({"method": (values.get("method") or "get").lower(), "action": values.get("action"),
                               "fields": {}})
        elif tag == "input" and self.forms and values.get("name"):
            self.forms[-1]["fields"][values["name"]] = values.get("value") or ""

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    return parser


def assert_no_script_injection(url: str, html: str) -> PageScan:
    page = scan(html)
    for payload in HOSTILE:
        assert payload not in html, f"{url}: {payload!r} rendered raw"
    strange = [s for s in page.scripts if not ((s.get("src") or "").startswith("/static/")
                                               or s.get("type") == "application/json")]
    assert not strange, f"{url}: script elements the app does not ship: {strange}"
    assert not page.event_attributes, f"{url}: event-handler attributes: {page.event_attributes}"
    assert not page.javascript_urls, f"{url}: javascript: URLs: {page.javascript_urls}"
    return page


def assert_csp(url: str, answer: httpx.Response) -> None:
    policy = answer.headers.get("content-security-policy", "")
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in policy.split(";") if d.strip())
    assert "script-src" in directives or "default-src" in directives, f"{url}: no CSP ({answer.status_code})"
    scripts = directives.get("script-src", directives.get("default-src", ""))
    assert "'unsafe-inline'" not in scripts and "*" not in scripts.split(), f"{url}: CSP allows inline scripts"
    assert "frame-ancestors" in directives, f"{url}: CSP lets other sites frame the page"


# -- XSS and CSP ------------------------------------------------------------------------------------

def test_hostile_names_and_values_are_escaped_on_every_page(station):
    client = station.client()
    assert sign_in(client, "admin").status_code == 303
    urls = page_urls(client.app, station)
    assert "/" in urls and f"/documents/{station.docs['file']}" in urls
    shown: dict[str, set[str]] = {}
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
        assert_csp(url, answer)
        page = assert_no_script_injection(url, answer.text)
        visible = "".join(page.texts)
        shown[url] = {p for p in HOSTILE if p in visible or str(escape(p)) in answer.text}
    # Shown, as text: the batch names and the file name on the queue; all three on each review page.
    assert shown["/"] == set(HOSTILE), shown["/"]
    assert shown[f"/documents/{station.docs['file']}"] == set(HOSTILE)  # file name, value, batch name
    assert shown[f"/documents/{station.docs['batch']}"] == set(HOSTILE)
    history = client.get(f"/api/documents/{station.docs['file']}/history",
                         headers=station.bearer(client, "admin")).json()
    assert any(h["new_value"] == HOSTILE[0] for h in history)  # and the review page lists that history


def test_query_values_reflected_on_pages_are_escaped(station):
    client = station.client()
    sign_in(client, "admin")
    for path, route in page_routes(client.app, "GET"):
        params = [p.alias or p.name for p in route.dependant.query_params]
        url = _fill_path(path, {"document_id": str(station.docs["file"])})
        for name in params:
            for payload in (*HOSTILE, '"><svg onload=a()>', "javascript:alert(1)"):
                answer = client.get(url, params={name: payload}, follow_redirects=False)
                assert answer.status_code < 500, (url, name, answer.status_code)
                assert_csp(url, answer)
                if answer.headers.get("content-type", "").startswith("text/html"):
                    assert_no_script_injection(f"{url}?{name}=", answer.text)
                    assert '"><svg onload' not in answer.text
                location = answer.headers.get("location", "")
                assert not location.startswith(("javascript:", "//", "http")), location


def test_shipped_scripts_never_write_html():
    """The pages' scripts put values on the page as text (``textContent``, ``value``): no HTML sink
    that would run a value the server escaped (DOM XSS after a save or a 409)."""
    sinks = re.compile(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|"
                       r"setTimeout\(\s*['\"`]|createContextualFragment|\.srcdoc")
    scripts = sorted((ROOT / "api" / "static").rglob("*.js"))
    assert scripts
    for script in scripts:
        for number, line in enumerate(script.read_text().splitlines(), start=1):
            assert not sinks.search(line), f"{script.name}:{number}: {line.strip()}"


def test_login_goes_only_to_local_pages(station):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        client = station.client()
        form = client.get("/login", params={"next": target})
        assert f'name="next" value="/"' in form.text, target  # the form itself carries only a local path
        token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        answer = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf": token, "next": target},
                             follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/", (target, answer.headers)


def test_the_login_page_shows_no_text_from_the_link(station):
    """A crafted link must not make the station say what an attacker wrote (content spoofing:
    "account locked, call 0900 …" under the station's own name)."""
    client = station.client()
    spoof = "Account locked: call 0900 123 456"
    page = client.get("/login", params={"error": spoof})
    assert page.status_code == 200 and spoof not in page.text
    assert "Wrong user name or password" in client.get("/login", params={"error": "wrong"}).text


def test_the_session_cookie_is_http_only_and_same_site(station):
    client = station.client()
    answer = sign_in(client, "reviewer")
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("sohoa_session="))
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower(), cookie


def test_pages_and_api_answers_are_not_kept_in_caches(station):
    """Pages and API answers carry citizens' data (and the review page a bearer token): no browser or
    proxy cache may keep them (``no-store``), so the next user of a shared office PC cannot open them
    from the cache or the Back button after the reviewer signed out."""
    client = station.client()
    sign_in(client, "admin")
    headers = station.bearer(client, "admin")
    urls = page_urls(client.app, station) + ["/login"]
    doc = station.docs["A"]
    api = [path for path in get_parameters_paths(client.app) if path.startswith("/api/") and "/image" not in path]
    answers = [(url, client.get(url)) for url in urls]
    answers += [(path, client.get(_fill_path(path, {**PATH_VALUES, "document_id": str(doc)}), headers=headers))
                for path in api]
    answers.append(("/api/token", client.post("/api/token", data={"username": "admin", "password": PASSWORD})))
    for url, answer in answers:
        assert answer.status_code == 200, (url, answer.status_code)
        assert "no-store" in answer.headers.get("cache-control", ""), (url, answer.headers.get("cache-control"))
        # A hostile value inside an API answer opened directly in a browser stays data, never a page.
        assert answer.headers.get("x-content-type-options") == "nosniff", url
        if url.startswith("/api/"):
            assert answer.headers["content-type"].startswith("application/json"), (url, answer.headers["content-type"])
    image = client.get(f"/api/documents/{doc}/pages/1/image", headers=headers)
    assert "public" not in image.headers.get("cache-control", "")  # personal: never in a shared cache


def get_parameters_paths(app) -> list[str]:
    return [path for path, operations in app.openapi()["paths"].items() if "get" in operations]


# -- CSRF -------------------------------------------------------------------------------------------

def page_forms(client: TestClient, station: HostileStation) -> dict[str, dict]:
    """The POST forms of every page (signed-out login page and signed-in pages), by action."""
    forms = {}
    signed_out = station.client()
    for form in scan(signed_out.get("/login").text).forms:
        forms.setdefault(form["action"], form)
    for url in page_urls(client.app, station):
        for form in scan(client.get(url).text).forms:
            if form["method"] == "post":
                forms.setdefault(form["action"] or url, form)  # no action: the form posts to its page
    return forms


def test_every_form_refuses_a_missing_or_wrong_csrf_token(station):
    client = station.client()
    assert sign_in(client, "admin").status_code == 303
    forms = page_forms(client, station)
    assert "/login" in forms and "/logout" in forms
    # A POST page route no rendered page shows a form for (a button shown only when there is something
    # to act on) is forged all the same, its path ids filled in.
    for path, _ in page_routes(client.app, "POST"):
        if not any(re.fullmatch(re.sub(r"{[^}]+}", "[^/]+", path), action) for action in forms):
            url = re.sub(r"{(\w+)(?::\w+)?}", lambda m: str(station.docs["A"]) if m.group(1) == "document_id" else "1",
                         path)
            forms[url] = {"method": "post", "action": url, "fields": {"csrf": ""}}
    # A token from another signed-in session must not work either (tokens are bound to the session).
    other = station.client()
    sign_in(other, "reviewer")
    foreign = scan(other.get("/").text).forms[0]["fields"]["csrf"]
    before = database_fingerprint(station.sessions)
    for action, form in sorted(forms.items()):
        assert "csrf" in form["fields"], f"the form posting to {action} has no CSRF field"
        data = {**{k: v for k, v in form["fields"].items() if k != "csrf"}, "username": "admin", "password": PASSWORD}
        for case, token in (("none", None), ("wrong", "x" * 32), ("empty", ""), ("other session's", foreign)):
            sent = data if token is None else {**data, "csrf": token}
            answer = client.post(action, data=sent, follow_redirects=False)
            assert 400 <= answer.status_code < 500, (action, case, answer.status_code)
            assert "sohoa_session=" not in answer.headers.get("set-cookie", ""), (action, case)
            assert client.get("/").status_code == 200, f"{action} with {case} token signed the user out"
        # Posted from a page of another site: no cookie of ours goes along (SameSite), no token either.
        bare = station.client().post(action, data=data, follow_redirects=False)
        refused = 400 <= bare.status_code < 500 or bare.headers.get("location", "").startswith("/login")
        assert refused, (action, bare.status_code)
    assert database_fingerprint(station.sessions) == before, "a forged form changed the database"
    # The same forms with the page's own token work (so the refusals above were the token's doing).
    own = forms["/logout"]["fields"]["csrf"]
    assert client.post("/logout", data={"csrf": own}, follow_redirects=False).status_code == 303
    station.tokens.clear()  # signing out ended every token of the user: the other tests sign in again


def test_the_login_form_needs_its_own_cookie_and_token(station):
    client = station.client()
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    stranger = station.client()  # the token without the cookie that goes with it
    answer = stranger.post("/login", data={"username": "admin", "password": PASSWORD, "csrf": token},
                           follow_redirects=False)
    assert answer.status_code == 403 and "sohoa_session" not in answer.headers.get("set-cookie", "")


def test_the_api_ignores_the_session_cookie(station):
    """The JSON API takes only a bearer token: a forged cross-site request carrying the page cookie is a 401."""
    client = station.client()
    sign_in(client, "admin")
    doc_id = station.docs["A"]
    assert client.get(f"/api/documents/{doc_id}").status_code == 401
    answer = client.post(f"/api/documents/{doc_id}/fields/full_name", json={"value": "Forged", "version": 1})
    assert answer.status_code == 401


# -- SQL injection ----------------------------------------------------------------------------------

def _fill_path(path: str, values: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)


PATH_VALUES = {"document_id": "A", "page_no": "1", "key": "full_name"}


def _default_path_values(station: HostileStation) -> dict[str, str]:
    return {**PATH_VALUES, "document_id": str(station.docs["A"])}


def get_parameters(app) -> list[tuple[str, str, str]]:
    """(path, parameter name, where) of every parameter of every GET route of the OpenAPI schema."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            found.append((path, parameter["name"], parameter["in"]))
    return found


def _answer_stays_in_scope(station, user: str, path: str, answer: httpx.Response) -> None:
    if answer.status_code != 200 or not answer.headers.get("content-type", "").startswith("application/json"):
        return
    body = answer.json()
    allowed = station.in_scope(user)
    if isinstance(body, dict) and "items" in body:
        ids = {item["id"] for item in body["items"]}
        assert ids <= allowed, (path, ids - allowed)
        assert body["total"] <= len(allowed)
    if isinstance(body, dict) and "id" in body and "{document_id}" in path:
        assert body["id"] in allowed


def test_sql_injection_through_every_get_parameter(any_station):
    station = any_station
    client = station.client()
    parameters = get_parameters(client.app)
    assert ("/api/documents", "batch", "query") in parameters and ("/api/documents", "unit", "query") in parameters
    before = database_fingerprint(station.sessions)
    outside = {station.docs["B"], station.docs["none"]}
    answers = 0
    for user in ("reviewer", "admin"):
        headers = station.bearer(client, user)
        for path, name, where in parameters:
            for payload in SQL_INJECTIONS:
                values = _default_path_values(station)
                if where == "path":
                    url, params = _fill_path(path, {**values, name: payload}), {}
                else:
                    url, params = _fill_path(path, values), {name: payload}
                answer = client.get(url, params=params, headers=headers)
                answers += 1
                assert answer.status_code < 500, (user, path, name, payload, answer.status_code, answer.text[:200])
                _answer_stays_in_scope(station, user, path, answer)
                if user == "reviewer":
                    assert not any(f'"id":{i},' in answer.text.replace(" ", "") for i in outside), (path, name, payload)
    # The pages' own filters (the queue's) go through the same query code: same rule, as HTML.
    sign_in(client, "reviewer")
    for path, route in page_routes(client.app, "GET"):
        if "{" in path:
            continue
        for parameter in route.dependant.query_params:
            for payload in SQL_INJECTIONS:
                answer = client.get(path, params={parameter.alias or parameter.name: payload})
                answers += 1
                assert answer.status_code < 500, (path, parameter.name, payload, answer.status_code)
                for doc_id in outside:
                    assert f'href="/documents/{doc_id}"' not in answer.text, (path, parameter.name, payload)
    assert answers > 200
    assert database_fingerprint(station.sessions) == before, "an injected query changed the database"


def json_body_strings(app) -> list[tuple[str, str, list[str]]]:
    """(path, schema name, [string properties]) of every POST route with a JSON body, from OpenAPI."""
    spec = app.openapi()
    schemas = spec.get("components", {}).get("schemas", {})
    found = []
    for path, operations in spec["paths"].items():
        body = operations.get("post", {}).get("requestBody", {}).get("content", {}).get("application/json")
        if not body:
            continue
        name = body["schema"]["$ref"].rsplit("/", 1)[-1]
        props = schemas[name].get("properties", {})
        strings = [k for k, v in props.items()
                   if v.get("type") == "string" or any(a.get("type") == "string" for a in v.get("anyOf", []))]
        found.append((path, name, strings))
    return found


def test_sql_injection_through_every_json_body_string(any_station):
    """Strings in bodies go to the database as bound values: an injected one is refused (4xx) or
    stored as the text it is, on the document named, and nothing else changes."""
    station = any_station
    client = station.client()
    headers = station.bearer(client, "reviewer")
    bodies = json_body_strings(client.app)
    assert any(p.endswith("/receiving-unit") for p, _, _ in bodies)
    untouched = {k: station.docs[k] for k in ("B", "none")}

    def versions():
        with transaction(station.sessions) as s:
            return {k: s.scalar(select(Document.version).where(Document.id == v)) for k, v in untouched.items()}

    with transaction(station.sessions) as s:
        tables = sorted(inspect(s.get_bind()).get_table_names())
        documents = s.scalar(select(func.count()).select_from(Document))
    before = versions()
    doc_id = station.docs["A"]
    for path, _, strings in bodies:
        for name in strings:
            for payload in SQL_INJECTIONS[:6]:
                version = client.get(f"/api/documents/{doc_id}", headers=headers).json()["version"]
                url = _fill_path(path, _default_path_values(station))
                answer = client.post(url, headers=headers, json={name: payload, "version": version,
                                                                 **({"target": doc_id} if "move" in path else {})})
                assert answer.status_code < 500, (path, name, payload, answer.status_code, answer.text[:200])
                if answer.status_code == 200 and "fields" in path:
                    assert answer.json()["fields"]["full_name"]["value"] == payload  # stored as text, nothing more
    # The key in the path is a name, checked against the type's fields.
    for payload in SQL_INJECTIONS:
        answer = client.post(f"/api/documents/{doc_id}/fields/{payload}", headers=headers,
                             json={"value": "x", "version": 1})
        assert 400 <= answer.status_code < 500, (payload, answer.status_code)
    assert versions() == before
    with transaction(station.sessions) as s:
        assert sorted(inspect(s.get_bind()).get_table_names()) == tables
        assert s.scalar(select(func.count()).select_from(Document)) == documents


# -- path traversal ---------------------------------------------------------------------------------

def test_path_traversal_in_page_images_and_static_files(station):
    client = station.client()
    headers = station.bearer(client, "admin")
    doc_id = station.docs["A"]
    attempts = [
        f"/api/documents/{doc_id}/pages/..%2F..%2F..%2Fetc%2Fpasswd/image",
        f"/api/documents/{doc_id}/pages/%2e%2e/image",
        f"/api/documents/{doc_id}/pages/1%2F..%2F..%2Fsecret_key/image",
        f"/api/documents/..%2F{doc_id}/pages/1/image",
        "/api/documents/%2e%2e%2f%2e%2e%2fsohoa.db",
        "/static/..%2Fapp.py", "/static/%2e%2e/app.py", "/static/..%2F..%2Fschemas%2Fsettings.py",
        "/static/%2e%2e%2f%2e%2e%2fvar%2fsecret_key", "/static//etc/passwd", "/static/....//app.py",
        "/static-offline-docs/..%2F..%2F..%2Fetc%2Fpasswd",
    ]
    secret = station.settings.effective_secret_key
    # The same routes answer their own files (so the refusals below are the paths' doing).
    assert client.get(f"/api/documents/{doc_id}/pages/1/image", headers=headers).status_code == 200
    assert client.get("/static/station.css").status_code == 200
    for raw in attempts:
        # Sent as written (httpx would fold the dot segments of a readable URL before sending).
        answer = client.get(httpx.URL(raw), headers=headers)
        assert 400 <= answer.status_code < 500, (raw, answer.status_code)
        assert "root:" not in answer.text and "def create_app" not in answer.text and secret not in answer.text
        assert "SOHOA_" not in answer.text, raw


def test_object_keys_cannot_leave_the_store(tmp_path):
    from storage.objects import LocalObjectStore

    store = LocalObjectStore(tmp_path / "objects")
    (tmp_path / "outside").write_bytes(b"secret")
    for key in ("../outside", "pages/../../outside", "/etc/passwd", "", "pages/../../../../etc/passwd"):
        for call in (lambda k: store.get(k), lambda k: store.put(k, b"x"), lambda k: store.delete(k)):
            with pytest.raises(ValueError):
                call(key)
    assert (tmp_path / "outside").read_bytes() == b"secret"


def test_export_writes_only_where_it_is_told(station, tmp_path):
    """``sohoa export --out FILE`` writes that one file; the records' file names (hostile ones here)
    never become paths. (The operator chooses --out: it is their shell, not a remote input.)"""
    out = tmp_path / "exports" / "records.jsonl"
    out.parent.mkdir()
    env = {"PATH": "/usr/bin:/bin", "SOHOA_VAR_DIR": str(station.settings.var_dir),
           "SOHOA_DATABASE_URL": station.settings.effective_database_url}
    before = {p for p in tmp_path.rglob("*")} | {p for p in station.settings.var_dir.rglob("*")}
    done = subprocess.run([SOHOA, "export", "--out", str(out)], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    after = {p for p in tmp_path.rglob("*")} | {p for p in station.settings.var_dir.rglob("*")}
    assert after - before == {out}, after - before
    sources = {json.loads(line)["source"] for line in out.read_text().splitlines()}
    assert f"{HOSTILE[0]}.png" in sources and f"{HOSTILE[1]}.png" in sources


def test_pdf_export_file_names_stay_in_the_folder(tmp_path):
    """Part 8's ``sohoa export --format pdf --out DIR`` names files after the scans' paths."""
    pdfexport = pytest.importorskip("storage.pdfexport", reason="enable with Part 8 (storage/pdfexport.py)")
    out = (tmp_path / "pdfs").resolve()
    for original in ("../../../etc/cron.d/x.pdf", "/etc/passwd", "a/../../b.png", "..", "....//x.pdf",
                     "a\\..\\..\\b.pdf", HOSTILE[0] + ".png", "x" * 400 + ".pdf", "\u202e.pdf"):
        name = pdfexport.pdf_name(original, Document(seq=1, doc_type="khac"))
        target = (out / name).resolve()
        assert target.parent == out, (original, name)
        assert "/" not in name and "\\" not in name and name not in (".", "..")


def test_pdf_export_file_names_fit_the_disk():
    """A deep archive path or a long Vietnamese file name (2-3 bytes a letter) must still give a file
    name the disk takes (255 bytes), else writing that PDF fails and the export stops there."""
    pdfexport = pytest.importorskip("storage.pdfexport", reason="enable with Part 8 (storage/pdfexport.py)")
    for original in ("a/" * 150 + "x.pdf", "Hồ sơ/" + "Nguyễn Văn Ẩn " * 20 + ".pdf"):
        name = pdfexport.pdf_name(original, Document(seq=1, doc_type="giay_khai_sinh"))
        assert len(name.encode()) <= 255, (len(name.encode()), name[:40])


def test_zip_members_cannot_climb_out(tmp_path):
    """Part 8's zip intake: members named ``../x``, absolute, or links are refused with a reason."""
    import zipfile

    zipsafe = pytest.importorskip("workers.zipsafe", reason="enable with Part 8 (workers/zipsafe.py)")
    archive = tmp_path / "dossiers.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ok.png", b"x")
        zf.writestr("../../evil.png", b"x")
        zf.writestr("/abs/evil.png", b"x")
        zf.writestr("a/../../evil2.png", b"x")
        zf.writestr("C:/evil3.png", b"x")
        link = zipfile.ZipInfo("link.png")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
    limits = zipsafe.ZipLimits(max_members=100, max_ratio=100, max_bytes=10**6)
    refused = {m.name: m.refused for m in zipsafe.list_members(archive, limits)}
    assert refused.pop("ok.png") is None
    assert all(reason and reason.startswith("unsafe_path") for reason in refused.values()), refused
    assert not list(tmp_path.parent.glob("evil*.png")) and not Path("/abs/evil.png").exists()


# -- over-long, NUL and out-of-range inputs -----------------------------------------------------------

def all_operations(app) -> list[tuple[str, str, dict]]:
    return [(method.upper(), path, op) for path, ops in app.openapi()["paths"].items() for method, op in ops.items()]


def test_out_of_range_ids_nul_and_over_long_inputs_are_4xx(any_station):
    station = any_station
    client = station.client()
    headers = station.bearer(client, "admin")
    base = _default_path_values(station)
    bad: list[tuple] = []

    def expect_4xx(method: str, url, **kw) -> None:
        answer = client.request(method, url, headers=headers, **kw)
        if not 400 <= answer.status_code < 500:
            params = {k: v[:30] for k, v in kw.get("params", {}).items()}
            bad.append((method, str(url)[:120], params, answer.status_code, answer.text[:100]))

    for method, path, op in all_operations(client.app):
        body = {"version": 1, "value": "x", "doc_type": "khac", "target": 1, "unit": "01", "values": {"full_name": "x"}}
        kw = {"json": body} if method == "POST" and path != "/api/token" else {}
        for parameter in op.get("parameters", []):
            name, where = parameter["name"], parameter["in"]
            if where == "header":
                continue
            schema = parameter.get("schema", {})
            types = {schema.get("type")} | {a.get("type") for a in schema.get("anyOf", [])}
            numbers = [str(v) for v in BIG_IDS if v or where == "path"] + ["1" * 5000, "1e400", "nan"]
            nul = ["1%00", "%00"] if where == "path" else ["a\x00b", "\x00"]  # a query value is encoded here
            for value in [*(numbers if types & {"integer", "number"} else []), "x" * 20_000, *nul]:
                if where == "path":
                    if name == "key" and value.lstrip("-").isdigit():
                        continue  # a number is a wrong key name, answered 422 below with the others
                    url = httpx.URL(_fill_path(path, {**base, name: value.replace("\x00", "%00")}))
                    expect_4xx(method, url, **kw)
                else:
                    expect_4xx(method, _fill_path(path, base), params={name: value}, **kw)  # noqa
    # Page routes take ids in the path too.
    sign_in(client, "admin")
    for value in [*map(str, BIG_IDS), "1" * 5000, "1%00"]:
        answer = client.get(httpx.URL(f"/documents/{value}"), follow_redirects=False)
        if not 400 <= answer.status_code < 500:
            bad.append(("GET", f"/documents/{value[:40]}", answer.status_code, answer.text[:160]))
    assert not bad, "\n".join(map(str, bad))


def test_bodies_with_nul_huge_numbers_or_over_long_values_are_4xx(any_station):
    station = any_station
    client = station.client()
    headers = station.bearer(client, "reviewer")
    doc_id = station.docs["A"]
    before = database_fingerprint(station.sessions)
    api = f"/api/documents/{doc_id}"
    cases = [
        ("fields/full_name", {"value": "Lê\u0000Duẩn", "version": 1}),
        ("fields/full_name", {"value": "x" * 2001, "version": 1}),
        ("fields/full_name", {"value": "x", "version": 2**63}),
        ("fields/full_name", {"value": "x", "version": -1}),
        ("fields/full_name", {"value": ["x"], "version": 1}),
        ("fields/full_name", {"value": "x", "version": 1, "reviewer": "someone else"}),
        ("confirm", {"version": 10**30}),
        ("type", {"doc_type": "x" * 41, "version": 1}),
        ("type", {"doc_type": "khac\u0000", "version": 1}),
        ("pages/1/move", {"target": 2**63, "version": 1}),
        ("pages/1/move", {"target": -(2**63) - 1, "version": 1}),
        ("receiving-unit", {"unit": "0" * 21, "version": 1}),
        ("receiving-unit", {"unit": "99999", "version": 1}),
        ("check", {"values": {f"k{i}": "x" for i in range(61)}}),
    ]
    bad = []
    for route, body in cases:
        answer = client.post(f"{api}/{route}", headers=headers, json=body)
        if not 400 <= answer.status_code < 500:
            bad.append((route, str(body)[:80], answer.status_code, answer.text[:160]))
    # The as-you-type check stores nothing and answers per field: an over-long value or an unknown
    # key is reported there as that field's error (a 200 with the error is its contract).
    for values in ({"full_name": "x" * 60_000}, {"k" * 30_000: "x"}, {"full_name": "a\u0000b"}):
        answer = client.post(f"{api}/check", headers=headers, json={"values": values})
        if answer.status_code == 200:
            assert all(v["error"] for v in answer.json().values()), answer.text[:200]
        elif not 400 <= answer.status_code < 500:
            bad.append(("check", str(values)[:60], answer.status_code, answer.text[:160]))
    raw_cases = [
        b'{"value": "x", "version": ' + b"9" * 5000 + b"}",  # beyond Python's int-from-text limit
        b'{"value": "x", "version": 1e999}',
        b'{"value": "\xc0\x80", "version": 1}',  # an over-long UTF-8 NUL
        b'{"value": "\\ud800", "version": 1}',  # a lone surrogate
        b'{"value": "x", "version": 1',  # truncated
        b'[' * 5000 + b']' * 5000,  # deep nesting
    ]
    for raw in raw_cases:
        answer = client.post(f"{api}/fields/full_name", headers={**headers, "content-type": "application/json"},
                             content=raw)
        if not 400 <= answer.status_code < 500:
            bad.append(("raw", raw[:60], answer.status_code, answer.text[:160]))
    for form in ({"username": "admin\u0000", "password": PASSWORD}, {"username": "a" * 5000, "password": PASSWORD},
                 {"username": "admin", "password": "p" * 5000}):
        answer = client.post("/api/token", data=form)
        if not 400 <= answer.status_code < 500:
            bad.append(("token", str(form)[:60], answer.status_code))
    # The page login form, with its own valid token: over-long and NUL fields are refused too.
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    for form in ({"username": "a" * 5000, "password": PASSWORD}, {"username": "admin", "password": "p" * 5000},
                 {"username": "admin\u0000", "password": PASSWORD}, {"username": "admin", "password": PASSWORD,
                                                                     "next": "/" + "x" * 5000}):
        answer = client.post("/login", data={"csrf": token, **form}, follow_redirects=False)
        if not 400 <= answer.status_code < 500:
            bad.append(("login", str(form)[:60], answer.status_code))
    assert not bad, "\n".join(map(str, bad))
    assert database_fingerprint(station.sessions) == before


# -- request size -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(station):
    """The app on uvicorn on a loopback port (real HTTP: chunked bodies, real client addresses)."""
    yield from serve_on_loopback(station.settings)


def test_request_bodies_over_the_limit_are_413(station, served):
    limit = station.settings.max_body_bytes
    before = database_fingerprint(station.sessions)
    with httpx.Client(base_url=served, timeout=30) as http:
        token = http.post("/api/token", data={"username": "reviewer", "password": PASSWORD}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        doc = f"/api/documents/{station.docs['A']}"
        big = json.dumps({"value": "x" * (limit + 10), "version": 1})
        assert http.post(f"{doc}/fields/full_name", headers={**headers, "content-type": "application/json"},
                         content=big).status_code == 413
        assert http.post("/api/token", data={"username": "reviewer", "password": "p" * (limit + 10)}).status_code == 413

        def chunks():  # no Content-Length: the limit must hold on the stream itself
            for _ in range(limit // 1024 + 10):
                yield b"x" * 1024

        answer = http.post(f"{doc}/check", headers={**headers, "content-type": "application/json"}, content=chunks())
        assert answer.status_code == 413
        for length in (b"99999999999999999999999", b"-1", b"12abc"):  # what an HTTP client will not send
            lying = (f"POST {doc}/check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n".encode()
                     + b"Content-Type: application/json\r\nContent-Length: " + length + b"\r\n\r\n{}")
            assert 400 <= _raw_request(served, lying) < 500, length
        assert http.get("/health").status_code == 200  # the server is still there
    assert database_fingerprint(station.sessions) == before


def _raw_request(base: str, head: bytes) -> int:
    """The status line's code of a hand-written HTTP request (for what an HTTP client will not send)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1]) if answer else 0


def test_over_long_urls_and_headers_are_refused(served):
    long_url = b"GET /api/documents?batch=" + b"x" * 200_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert 400 <= _raw_request(served, long_url) < 500
    long_header = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"y" * 200_000 + b"\r\n\r\n"
    assert 400 <= _raw_request(served, long_header) < 500
    nul_path = b"GET /api/documents/1\x00/history HTTP/1.1\r\nHost: x\r\n\r\n"
    assert 400 <= _raw_request(served, nul_path) < 500
    with httpx.Client(base_url=served, timeout=30) as http:
        assert http.get("/health").status_code == 200


# -- login rate limiting ----------------------------------------------------------------------------

def _guessed_user(station, name: str) -> str:
    """A user of its own for a limit test: the failed logins are kept in the database a minute,
    for every app (server process) on it."""
    with transaction(station.sessions) as s:
        add_user(s, name, role="viewer", unit_code="pre2025:01", password=PASSWORD)
    return name


def test_failed_logins_are_limited_on_the_page_and_the_token_route(station):
    attempts = station.settings.login_attempts
    client = station.client()
    user = _guessed_user(station, "guessed-on-the-page")
    for _ in range(attempts):
        assert sign_in(client, user, "wrong password").status_code == 303  # back to the form, "wrong"
    limited = sign_in(client, user, "wrong password")
    assert limited.status_code == 429
    # The limit holds for the right password too, and on the other door (one limiter per user and client).
    assert sign_in(client, user).status_code == 429
    token = client.post("/api/token", data={"username": user.upper(), "password": PASSWORD})
    assert token.status_code == 429 and int(token.headers["retry-after"]) > 0
    # Another user is not locked out by someone guessing at this one.
    assert client.post("/api/token", data={"username": "admin", "password": PASSWORD}).status_code == 200


def test_failed_token_requests_are_limited(station):
    client = station.client()
    user = _guessed_user(station, "guessed-by-token")
    codes = [client.post("/api/token", data={"username": user, "password": f"guess {i}"}).status_code
             for i in range(station.settings.login_attempts + 1)]
    assert codes == [401] * station.settings.login_attempts + [429]
    assert sign_in(client, user).status_code == 429  # the page login shares the count


# -- tokens and sessions ----------------------------------------------------------------------------

class _PastSigner(TimestampSigner):
    """Signs with a timestamp one day old (the app's own key and salt: a genuine but expired token)."""

    def get_timestamp(self) -> int:
        return int(time.time()) - 86_400


def test_expired_tampered_and_foreign_tokens_are_401(station):
    client = station.client()
    token = station.token(client, "admin")
    doc = f"/api/documents/{station.docs['A']}"
    assert client.get(doc, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    secret = station.settings.effective_secret_key
    user_id = URLSafeTimedSerializer(secret, salt="sohoa-api-token").loads(token)["u"]
    payload, stamp, signature = token.rsplit(".", 2)
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    forged = {
        "expired": URLSafeTimedSerializer(secret, salt="sohoa-api-token", signer=_PastSigner).dumps({"u": user_id}),
        "tampered signature": f"{payload}.{stamp}.{flipped}",
        "tampered payload": URLSafeTimedSerializer(secret, salt="sohoa-api-token").dumps({"u": user_id + 1})[:-4]
        + signature[-4:],
        "another key": URLSafeTimedSerializer("k" * 48, salt="sohoa-api-token").dumps({"u": user_id}),
        "a session cookie": URLSafeTimedSerializer(secret, salt="sohoa-page-session").dumps(
            {"u": user_id, "csrf": "x"}),
        "unknown user": URLSafeTimedSerializer(secret, salt="sohoa-api-token").dumps({"u": 99_999}),
        "not an int": URLSafeTimedSerializer(secret, salt="sohoa-api-token").dumps({"u": "1 OR 1=1"}),
        "empty": "", "garbage": "a.b.c", "huge": "x" * 10_000,
    }
    for what, bad in forged.items():
        for scheme in ("Bearer", "bearer"):
            answer = client.get(doc, headers={"Authorization": f"{scheme} {bad}"})
            assert answer.status_code == 401, (what, answer.status_code)
    assert client.get(doc, headers={"Authorization": f"Basic {token}"}).status_code == 401


def test_expired_tampered_and_foreign_session_cookies_go_back_to_login(station):
    secret = station.settings.effective_secret_key
    client = station.client()
    assert sign_in(client, "admin").status_code == 303
    good = client.cookies.get("sohoa_session")
    data = URLSafeTimedSerializer(secret, salt="sohoa-page-session").loads(good)
    forged = {
        "expired": URLSafeTimedSerializer(secret, salt="sohoa-page-session", signer=_PastSigner).dumps(data),
        "tampered": good[:-3] + ("AAA" if good[-3:] != "AAA" else "BBB"),
        "another key": URLSafeTimedSerializer("k" * 48, salt="sohoa-page-session").dumps(data),
        "an API token": URLSafeTimedSerializer(secret, salt="sohoa-api-token").dumps({"u": data["u"]}),
    }
    for what, cookie in forged.items():
        visitor = station.client()
        visitor.cookies.set("sohoa_session", cookie)
        answer = visitor.get(f"/documents/{station.docs['A']}", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), what
        out = visitor.post("/logout", data={"csrf": data["csrf"]}, follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"].startswith("/login"), what
