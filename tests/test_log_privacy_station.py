"""No secret, no full ID number and no citizen's name in any log of a full run and of the review
station in use.

Everything goes through the real commands at ``SOHOA_LOG_LEVEL=DEBUG`` (the most a deployment can
show), on PostgreSQL reached with a password in its URL: ``sohoa samples``-style dossiers with
born-digital text layers (so the citizens' names and ID numbers reach the pipeline intact, without
the cost of OCR), ``sohoa users add`` (password on stdin), a full embedded ``sohoa run``, then
``sohoa serve`` used as reviewers do: page login and ``/api/token`` (right and wrong passwords,
and a user name typed as an ID number), the queue, every document, its page image and history,
corrections that type the citizens' names and ID numbers, a stale save (409), a refused value
(422), the as-you-type check. Every line the processes logged is searched for the passwords, the
signing key, the database password, the tokens and cookies issued, and every name, ID number
and phone number of the ground truth. The API's answers must hold those values, else the search
proves nothing.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from scripts.load_check import start_server, stop_process
from scripts.samples import generate
from tests.pg import make_pg_database
from tests.privacy import leaks, personal_values

ROOT = Path(__file__).resolve().parents[1]
SOHOA = str(Path(sys.executable).with_name("sohoa"))
pytestmark = pytest.mark.services


@pytest.fixture
def database_with_password():
    """A fresh PostgreSQL database, its URL carrying a password (trust auth accepts it; it must not be logged)."""
    url, drop = make_pg_database("sohoa_privacy")
    password = "DbPw-" + secrets.token_hex(8)
    yield url.replace("postgres@", f"postgres:{password}@"), password
    drop()


def _sohoa(env: dict, *args: str, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run([SOHOA, *args], env=env, cwd=ROOT, input=stdin, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, (args, done.stderr[-3000:])
    return done


def test_no_secret_id_number_or_name_in_the_logs_of_a_run_and_of_the_station(tmp_path: Path,
                                                                             database_with_password):
    database_url, database_password = database_with_password
    samples = tmp_path / "samples"
    rows = generate(samples, n=3, seed=11, born_digital_rate=1.0)
    (samples / "ground_truth.jsonl").unlink()  # not a scan
    citizens = personal_values(rows)
    names = {v for v in citizens if not v.isdigit()}
    id_numbers = {d["fields"]["id_number"] for r in rows for d in r["documents"] if d["fields"].get("id_number")}
    assert len(names) >= 2 and len(id_numbers) >= 1, citizens

    password, secret_key = "pw " + secrets.token_urlsafe(12), secrets.token_urlsafe(40)
    wrong_password = "wrong " + secrets.token_urlsafe(12)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOHOA_VAR_DIR": str(tmp_path / "var"),
           "SOHOA_DATABASE_URL": database_url, "SOHOA_SECRET_KEY": secret_key, "SOHOA_LOG_LEVEL": "DEBUG",
           "OMP_THREAD_LIMIT": "1"}
    logs = []
    logs.append(_sohoa(env, "db", "upgrade").stderr)
    logs.append(_sohoa(env, "users", "add", "reviewer.a", "--role", "admin", "--unit", "01", "--password-stdin",
                       stdin=password + "\n").stderr)
    run = _sohoa(env, "run", str(samples), "--batch", "privacy", "--unit", "01")  # the reviewer's province
    logs.append(run.stderr)

    server_log = tmp_path / "serve.log"
    server, base = start_server(env, server_log, workers=1)
    issued: set[str] = set()
    answers = ""
    try:
        answers = _use_the_station(base, password, wrong_password, names, id_numbers, issued)
    finally:
        stop_process(server)
    logs.append(server_log.read_text(errors="replace"))
    logs += [p.read_text(errors="replace") for p in (tmp_path / "var").rglob("*.log")]
    everything = "\n".join(logs)

    # The station really handled the citizens' data (else finding none of it in the logs proves nothing).
    assert len(leaks(answers, citizens)) >= len(citizens) // 2, leaks(answers, citizens)
    assert "GET /api/documents" in everything, "the server's request log was not captured"
    assert len(everything.splitlines()) > 20

    assert leaks(everything, citizens) == [], "names, ID numbers or phone numbers in the logs"
    for what, value in (("password", password), ("wrong password", wrong_password), ("signing key", secret_key),
                        ("database password", database_password)):
        assert value not in everything, f"the {what} is in the logs"
    leaked = [token[:12] for token in issued if token in everything]
    assert not leaked, f"tokens or session cookies in the logs: {leaked}"
    # Every line, one by one, for a full 12-digit ID number (of anyone: corrections type new ones too).
    for line in everything.splitlines():
        assert not re.search(r"(?<![0-9a-fA-F])0\d{11}(?![0-9a-fA-F])", line), line


def _use_the_station(base: str, password: str, wrong_password: str, names: set[str], id_numbers: set[str],
                     issued: set[str]) -> str:
    """A reviewer's session; returns what the API answered (to prove personal data went through)."""
    answered = []
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as page:
        form = page.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        wrong = page.post("/login", data={"username": "reviewer.a", "password": wrong_password, "csrf": csrf})
        assert wrong.status_code == 200 and "Wrong user name or password" in wrong.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.get("/login").text).group(1)
        signed = page.post("/login", data={"username": "reviewer.a", "password": password, "csrf": csrf})
        assert signed.status_code == 200 and "Review queue" in signed.text
        issued.add(page.cookies["sohoa_session"])
        answered.append(page.get("/").text)

    with httpx.Client(base_url=base, timeout=30) as api:
        some_id = sorted(id_numbers)[0]
        assert api.post("/api/token", data={"username": some_id, "password": wrong_password}).status_code == 401
        assert api.post("/api/token", data={"username": "reviewer.a", "password": wrong_password}).status_code == 401
        token = api.post("/api/token", data={"username": "reviewer.a", "password": password}).json()["access_token"]
        issued.add(token)
        api.headers["Authorization"] = f"Bearer {token}"
        listed = api.get("/api/documents", params={"status": "all", "limit": 200}).json()["items"]
        assert listed
        corrected = 0
        for item in listed:
            doc = api.get(f"/api/documents/{item['id']}").json()
            answered.append(str(doc))
            answered.append(str(api.get(f"/api/documents/{item['id']}/history").json()))
            if doc.get("pages"):
                api.get(f"/api/documents/{item['id']}/pages/{doc['pages'][0]}/image")
            fields = doc["fields"]
            for key in ("full_name", "id_number"):
                if key not in fields:
                    continue
                value = fields[key]["value"] or (sorted(names)[0] if key == "full_name" else some_id)
                check = api.post(f"/api/documents/{item['id']}/check", json={"values": {key: value}})
                assert check.status_code == 200
                version = api.get(f"/api/documents/{item['id']}").json()["version"]
                saved = api.post(f"/api/documents/{item['id']}/fields/{key}", json={"value": value, "version": version})
                assert saved.status_code == 200, saved.text
                answered.append(saved.text)
                stale = api.post(f"/api/documents/{item['id']}/fields/{key}", json={"value": value, "version": version})
                assert stale.status_code == 409
                corrected += 1
            if "id_number" in fields:  # a refused value: the error names the field, the log must not hold it
                version = api.get(f"/api/documents/{item['id']}").json()["version"]
                refused = api.post(f"/api/documents/{item['id']}/fields/id_number",
                                   json={"value": some_id[:-1] + "X", "version": version})
                assert refused.status_code == 422
        assert corrected >= 2
        with httpx.Client(base_url=base, timeout=30, cookies={"sohoa_session": next(iter(issued))}) as browser:
            for item in listed[:3]:
                answered.append(browser.get(f"/documents/{item['id']}").text)
        assert api.post("/api/token/revoke").status_code == 204  # sign-out everywhere is logged without the token
    return "\n".join(answered)

