"""A review station with data for the API, access-matrix and browser tests.

Three scanned files processed for real on the embedded default (OCR through the scripted engine
seam), each received by a different unit: commune A (in district DA of province P), commune B
(in another district of P), commune X (in another province). Plus one file no unit received. Users
of every role at every level of P's tree, with known passwords.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from schemas.settings import Settings, load_settings
from schemas.tables import AdminUnit, Document, SourceFile, User
from storage.db import transaction
from storage.review import set_batch_receiving_unit
from storage.users import add_user
from tests.test_workflow import LINES, ScriptedEngine, _page_png
from workers.embedded import process_paths

PASSWORD = "correct horse battery"
ROLES = ("admin", "reviewer", "ops", "viewer")
LEVELS = ("province", "district", "commune")


@dataclass
class Station:
    settings: Settings
    units: dict[str, AdminUnit]
    docs: dict[str, int]  # "A", "B", "X", "none" -> a document id received there
    users: dict[tuple[str, str], str] = field(default_factory=dict)  # (role, level) -> name
    sessions: object = None

    def client(self, **settings) -> TestClient:
        """A client of a new app (as a server process of its own) on the station, with ``settings`` changed."""
        from api.app import create_app

        return TestClient(create_app(self.settings.model_copy(update=settings)))

    def token(self, client: TestClient, name: str) -> str:
        answer = client.post("/api/token", data={"username": name, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]


def _pick_units(session) -> dict[str, AdminUnit]:
    """Province P with two districts (DA, DB), a commune in each (A, B); commune X of another province."""
    provinces = list(session.scalars(select(AdminUnit).where(AdminUnit.era == "pre2025", AdminUnit.level == "province")
                                     .order_by(AdminUnit.code).limit(2)))
    province, other = provinces

    def children(unit, n):
        return list(session.scalars(select(AdminUnit).where(AdminUnit.parent_id == unit.id).order_by(AdminUnit.code).limit(n)))

    district_a, district_b = children(province, 2)
    (commune_a,) = children(district_a, 1)
    (commune_b,) = children(district_b, 1)
    (district_x,) = children(other, 1)
    (commune_x,) = children(district_x, 1)
    return {"P": province, "DA": district_a, "A": commune_a, "B": commune_b, "X": commune_x}


_TEMPLATE: list[Path] = []


def _copy_migrated_sqlite(target: Path) -> None:
    """A SQLite database migrated with the reference data, copied from one made once per test
    process (migrating and loading ~12,000 units takes seconds; the copy, milliseconds)."""
    import sqlite3
    import tempfile

    from workers.embedded import ensure_database

    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="sohoa-template-"))
        ensure_database(load_settings({}, var_dir=str(folder)))
        _TEMPLATE.append(folder / "sohoa.db")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(_TEMPLATE[0]) as source, sqlite3.connect(target) as copy:
        source.backup(copy)


def build_station(root: Path, database_url: str = "") -> Station:
    """Process four one-page files, set their receiving units, create the users (SQLite under
    ``root`` unless ``database_url`` names another database)."""
    settings = load_settings({}, var_dir=str(root / "var"), database_url=database_url,
                             retry_min_backoff_ms=10, retry_max_backoff_ms=50)
    if not database_url:
        _copy_migrated_sqlite(root / "var" / "sohoa.db")
    scans = root / "scans"
    for seed, name in enumerate(("A", "B", "X", "none"), start=1):
        folder = scans / name
        folder.mkdir(parents=True)
        _page_png(folder / f"{name}.png", seed)
    engine = ScriptedEngine()
    for name in ("A", "B", "X", "none"):
        process_paths(settings, [scans / name], f"batch-{name}", ocr_engine=engine, threads=1)
    from workers.runtime import current

    sessions = current().sessions
    docs: dict[str, int] = {}
    with transaction(sessions) as s:
        units = _pick_units(s)
        for name in ("A", "B", "X"):
            set_batch_receiving_unit(s, f"batch-{name}", f"pre2025:{units[name].code}")
        for name in ("A", "B", "X", "none"):
            docs[name] = s.scalar(select(Document.id).join(SourceFile).where(SourceFile.original_path == f"{name}.png"))
        level_units = {"province": units["P"], "district": units["DA"], "commune": units["A"]}
        users = {}
        first = None
        for role in ROLES:
            for level, unit in level_units.items():
                name = f"{role}-{level}"
                if first is None:  # hashed once (argon2 is slow on purpose); the others share the hash
                    first = add_user(s, name, role=role, unit_code=f"pre2025:{unit.code}", password=PASSWORD)
                else:
                    s.add(User(name=name, role=role, unit_id=unit.id, password_hash=first.password_hash, disabled=False))
                users[(role, level)] = name
        s.flush()
        s.expunge_all()
    return Station(settings=settings, units=units, docs=docs, users=users, sessions=sessions)


__all__ = ["LINES", "PASSWORD", "ROLES", "LEVELS", "Station", "build_station"]


def signed_in_client(settings: Settings, sessions, role: str = "ops", unit_code: str = "pre2025:01") -> TestClient:
    """A client of the app for ``settings`` signed in as a new user of ``role``, both ways: its
    bearer token in the default headers (the JSON API) and a page session cookie (the pages),
    the way a browser signs in: the login form's CSRF token, then the form."""
    import re
    import uuid

    from api.app import create_app

    name = f"{role}-{uuid.uuid4().hex[:8]}"
    with transaction(sessions) as s:
        add_user(s, name, role=role, unit_code=unit_code, password=PASSWORD)
    client = TestClient(create_app(settings))
    token = client.post("/api/token", data={"username": name, "password": PASSWORD})
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    form = client.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    login = client.post("/login", data={"username": name, "password": PASSWORD, "csrf": csrf, "next": "/ops"},
                        follow_redirects=False)
    assert login.status_code == 303, login.text
    return client


def page_csrf(client: TestClient, path: str) -> str:
    """The CSRF token of the forms on the page at ``path`` (for a signed-in client)."""
    import re

    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def serve_on_loopback(settings: Settings):
    """Generator for a fixture: the app for ``settings`` on uvicorn in a thread, on a free loopback
    port (real HTTP, for a browser or raw requests); yields its base URL, stops it afterwards."""
    import socket
    import threading
    import time

    import uvicorn

    from api.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
