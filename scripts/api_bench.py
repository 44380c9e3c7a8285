"""Bench of the review station's queue (not a timed test): N documents in PostgreSQL, the queue's
first page under concurrent clients, /health at the same time.

    .venv/bin/python -m scripts.api_bench --documents 50000 --clients 20 --seconds 20 --workers 2
    .venv/bin/python -m scripts.api_bench ... --client wrk --wrk-threads 1

Creates a throw-away database on the machine's PostgreSQL (127.0.0.1:5432), fills it with
synthetic documents in SQL (batches of 500 files, one document each, six fields of which two need
review, spread over the communes of one province), serves the app with ``sohoa serve --workers N``
on a loopback port (:func:`scripts.load_check.start_server`), and reports, for ``GET
/api/documents`` of a province reviewer, p50/p99 and requests a second, and the p99 of ``GET
/health`` asked five times a second meanwhile. The load comes from ``--clients`` Python threads
(:func:`scripts.load_check.run_clients`; they share one GIL, so they are themselves limited to
about one core) or from ``wrk`` with ``--clients`` connections. Since the clients share the
machine's cores with the server, it also reports what is less sensitive to that: the CPU time
the server processes and their PostgreSQL backends spent per request, and the load average.
The database is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from scripts.load_check import PG_SERVER, run_clients, service_env, sign_in, start_server, stop_process

USER, PASSWORD = "bench-province", "bench password 1"


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
        add_user(s, USER, role="reviewer", unit_code="pre2025:01", password=PASSWORD)


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each live process of ``pids`` (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return out


def _session_pids(session_id: int) -> list[int]:
    """The processes of a session (``sohoa serve`` and its uvicorn workers run in one)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[3]) == session_id:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return pids


def _backend_pids(url: str) -> list[int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{PG_SERVER}/postgres")
    with engine.connect() as conn:
        pids = [r[0] for r in conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"),
                                           {"d": url.rsplit("/", 1)[1]})]
    engine.dispose()
    return pids


class CpuMeter:
    """CPU seconds spent by the server's processes and by the database's backends between
    :meth:`start` and :meth:`stop` (backends that start meanwhile count from zero)."""

    def __init__(self, server_session: int, url: str) -> None:
        self.session, self.url = server_session, url

    def start(self) -> None:
        self.server0 = _cpu_seconds(_session_pids(self.session))
        self.db0 = _cpu_seconds(_backend_pids(self.url))

    def stop(self) -> dict[str, float]:
        server = _cpu_seconds(list(self.server0))
        db = _cpu_seconds(sorted(set(self.db0) | set(_backend_pids(self.url))))
        return {"server_cpu_s": sum(v - self.server0.get(p, 0.0) for p, v in server.items()),
                "db_cpu_s": sum(v - self.db0.get(p, 0.0) for p, v in db.items())}


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk(base: str, headers: dict, connections: int, seconds: float, threads: int) -> dict:
    """``wrk --latency`` on the queue's first page: p50, p99 (ms), requests, requests a second."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{int(seconds)}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command + [base + "/api/documents"], capture_output=True, text=True, check=True).stdout
    latency = {q: float(v) * _UNITS[u] for q, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)}
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"requests": requests, "p50_ms": latency["50"], "p99_ms": latency["99"],
            "errors": int(errors.group(1)) if errors else 0}


def measure(base: str, url: str, server: subprocess.Popen, *, clients: int, seconds: float, client: str,
            wrk_threads: int) -> dict:
    """The queue's first page under ``clients`` (Python threads or wrk connections) for ``seconds``,
    /health polled meanwhile; latencies, rates, CPU per request, load average."""
    headers = sign_in(base, USER, PASSWORD)
    groups = [(["/health"], {}, 0.2, 1)] + ([(["/api/documents"], headers, 0.0, clients)]
                                           if client == "python" and clients else [])
    meter = CpuMeter(server.pid, url)
    load_before = os.getloadavg()[0]
    meter.start()
    tally, stop, threads = run_clients(base, groups, timeout=30)
    if client == "wrk":
        queue = _wrk(base, headers, clients, seconds, wrk_threads)
    else:
        time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(35)
    cpu = meter.stop()
    figures = tally.summary()
    if client == "python":  # --clients 0: /health alone, the baseline of "/health unaffected"
        queue = {k: figures["/api/documents"][k] if clients else 0 for k in ("requests", "p50_ms", "p99_ms", "errors")}
    requests = max(1, queue["requests"])
    return {"client": client if client == "python" else f"wrk -t{wrk_threads}", "clients": clients,
            "seconds": seconds, "queue_p50_ms": round(queue["p50_ms"], 1), "queue_p99_ms": round(queue["p99_ms"], 1),
            "queue_per_s": round(queue["requests"] / seconds), "queue_errors": queue["errors"],
            "health_p99_ms": figures["/health"]["p99_ms"], "health_errors": figures["/health"]["errors"],
            "server_cpu_ms_per_request": round(cpu["server_cpu_s"] / requests * 1000, 2),
            "db_cpu_ms_per_request": round(cpu["db_cpu_s"] / requests * 1000, 2),
            "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2)}


def main() -> None:
    from sqlalchemy import create_engine, text

    from storage.migrate import upgrade_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--database", help="Use this filled database (from an earlier --keep) instead of a new one")
    parser.add_argument("--keep", action="store_true", help="Keep the database (its URL is printed)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2, help="sohoa serve --workers")
    parser.add_argument("--client", choices=("python", "wrk", "both"), default="python",
                        help="Python client threads, wrk (apt-get install wrk), or one run of each")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk -t (each takes up to a core)")
    parser.add_argument("--auth-cache-s", help="SOHOA_AUTH_CACHE_S of the server (0: read the user on every request)")
    args = parser.parse_args()

    name = args.database or f"sohoa_api_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    url = f"{PG_SERVER}/{name}"
    if not args.database:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    var_dir = Path(tempfile.mkdtemp(prefix="sohoa-api-bench-"))
    server = None
    try:
        upgrade_database(url)
        if not args.database:
            started = time.monotonic()
            _fill(url, args.documents)
            print(f"filled {args.documents} documents in {time.monotonic() - started:.0f} s into {name}")
        extra = {"SOHOA_AUTH_CACHE_S": args.auth_cache_s} if args.auth_cache_s is not None else {}
        server, base = start_server(service_env(url, var_dir, **extra), var_dir / "serve.log", args.workers)
        for client in (("python", "wrk") if args.client == "both" else (args.client,)):
            figures = measure(base, url, server, clients=args.clients, seconds=args.seconds, client=client,
                              wrk_threads=args.wrk_threads)
            print(" ".join(f"{k}={v}" for k, v in figures.items()))
    finally:
        if server is not None:
            stop_process(server)
        if not (args.keep or args.database):
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
