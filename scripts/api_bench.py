"""Bench of the review station's queue (not a timed test): N documents in PostgreSQL, the queue's
first page under concurrent clients, /health at the same time.

    .venv/bin/python -m scripts.api_bench --documents 50000 --clients 20 --seconds 20

Creates a throw-away database on the machine's PostgreSQL (127.0.0.1:5432), fills it with
synthetic documents in SQL (batches of 500 files, one document each, six fields of which two need
review, spread over the communes of one province), serves the app with uvicorn on a loopback
port, and reports latency percentiles of ``GET /api/documents`` for a province reviewer and of
``GET /health``. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import random
import socket
import threading
import time
import uuid

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def _fill(url: str, documents: int, seed: int = 6262) -> None:
    from sqlalchemy import create_engine, select, text

    from schemas.tables import AdminUnit
    from storage.db import session_factory, transaction
    from storage.users import add_user

    rng = random.Random(seed)
    engine = create_engine(url)
    with engine.begin() as conn:
        province = conn.execute(select(AdminUnit.id, AdminUnit.code).where(
            AdminUnit.era == "pre2025", AdminUnit.level == "province", AdminUnit.code == "01")).one()
        communes = [r[0] for r in conn.execute(text(
            "SELECT c.id FROM admin_units c JOIN admin_units d ON c.parent_id = d.id "
            "WHERE d.parent_id = :p AND c.level = 'commune'"), {"p": province.id})]
        others = [r[0] for r in conn.execute(text(
            "SELECT id FROM admin_units WHERE level = 'commune' AND era = 'pre2025' LIMIT 2000"))]
        per_batch = 500
        for b in range(0, documents, per_batch):
            batch_id = conn.execute(text("INSERT INTO batches (name, created_at) VALUES (:n, now()) RETURNING id"),
                                    {"n": f"bench-{b // per_batch:04d}"}).scalar_one()
            files = []
            for i in range(b, min(b + per_batch, documents)):
                unit = rng.choice(communes) if rng.random() < 0.5 else rng.choice(others)
                files.append({"batch": batch_id, "sha": uuid.uuid4().hex * 2, "path": f"f{i:06d}.pdf", "unit": unit})
            conn.execute(text(
                "INSERT INTO source_files (batch_id, sha256, object_key, original_path, size, media_type, status, "
                "pages_done, attempts, receiving_unit_id, created_at, updated_at) "
                "VALUES (:batch, :sha, 'x', :path, 1, 'application/pdf', 'done', 1, 0, :unit, now(), now())"), files)
            file_ids = [r[0] for r in conn.execute(text("SELECT id FROM source_files WHERE batch_id = :b ORDER BY id"),
                                                    {"b": batch_id})]
            docs = [{"f": f, "conf": round(rng.random() * 0.8, 3)} for f in file_ids]
            conn.execute(text(
                "INSERT INTO documents (source_file_id, seq, doc_type, type_confidence, pages, status, text, "
                "version, least_confidence, created_at, updated_at) VALUES (:f, 1, 'don_de_nghi', 0.9, '[1]', "
                "'needs_review', 'synthetic text', 1, :conf, now(), now())"), docs)
            conn.execute(text(
                "INSERT INTO fields (document_id, key, value, confidence, page, status, is_current, origin, created_at) "
                "SELECT d.id, k.key, 'value', CASE WHEN k.flag THEN d.least_confidence ELSE 0.99 END, 1, "
                "CASE WHEN k.flag THEN 'needs_review' ELSE 'auto_accepted' END, true, 'machine', now() "
                "FROM documents d JOIN source_files s ON s.id = d.source_file_id, "
                "(VALUES ('full_name', true), ('id_number', true), ('date_of_birth', false), ('address', false), "
                "('signed_date', false), ('gender', false)) AS k(key, flag) WHERE s.batch_id = :b"), {"b": batch_id})
        conn.execute(text("ANALYZE"))
    engine.dispose()
    with transaction(session_factory(url)) as s:
        add_user(s, "bench-province", role="reviewer", unit_code="pre2025:01", password="bench password 1")


def _serve(url: str, workers: int):
    """``uvicorn --factory api.app:app_from_env`` in its own processes (the clients here are threads)."""
    import os
    import subprocess
    import sys

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "SOHOA_DATABASE_URL": url, "SOHOA_VAR_DIR": "/tmp/sohoa-api-bench",
           "SOHOA_SECRET_KEY": "bench-" + "b" * 40, "SOHOA_LOGIN_ATTEMPTS": "100"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "api.app:app_from_env", "--host",
                               "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
                              env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise SystemExit("the API did not start")
        time.sleep(0.2)


def _percentiles(values: list[float]) -> str:
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))] * 1000  # noqa: E731
    return f"n={len(values)} p50={pick(0.5):.0f} ms p95={pick(0.95):.0f} ms p99={pick(0.99):.0f} ms max={values[-1] * 1000:.0f} ms"


def main() -> None:
    import httpx
    from sqlalchemy import create_engine, text

    from storage.migrate import upgrade_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--database", help="Use this filled database (from an earlier --keep) instead of a new one")
    parser.add_argument("--keep", action="store_true", help="Keep the database (its URL is printed)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()

    name = args.database or f"sohoa_api_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    url = f"{PG_SERVER}/{name}"
    if not args.database:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        if not args.database:
            started = time.monotonic()
            upgrade_database(url)
            _fill(url, args.documents)
            print(f"filled {args.documents} documents in {time.monotonic() - started:.0f} s into {name}")
        server, base = _serve(url, args.workers)
        token = httpx.post(base + "/api/token", data={"username": "bench-province", "password": "bench password 1"}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        first = httpx.get(base + "/api/documents", headers=headers).json()
        print(f"queue total in scope: {first['total']}, first page {len(first['items'])} items")
        queue_times: list[float] = []
        health_times: list[float] = []
        stop = time.monotonic() + args.seconds

        def client(times, path, hdrs, pause):
            with httpx.Client(base_url=base, headers=hdrs, timeout=30) as http:
                while time.monotonic() < stop:
                    t0 = time.perf_counter()
                    answer = http.get(path)
                    times.append(time.perf_counter() - t0)
                    assert answer.status_code == 200, answer.text
                    if pause:
                        time.sleep(pause)

        threads = [threading.Thread(target=client, args=(queue_times, "/api/documents", headers, 0))
                   for _ in range(args.clients)]
        threads.append(threading.Thread(target=client, args=(health_times, "/health", {}, 0.2)))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f"queue first page, {args.clients} clients: {_percentiles(queue_times)}; "
              f"{len(queue_times) / args.seconds:.0f} requests/s")
        print(f"/health meanwhile: {_percentiles(health_times)}")
        server.terminate()
        server.wait(30)
    finally:
        if args.keep or args.database:
            admin.dispose()
            return
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
