"""Load check of the review station and the workers (not a timed test): errors and timeouts must be 0.

    .venv/bin/python -m scripts.load_check api --documents 50000 --clients 20 --seconds 30
    .venv/bin/python -m scripts.load_check batch --pages 1000 --workers 2

``api``: the queue under concurrent reviewers. A throw-away PostgreSQL database is filled with
synthetic documents by Part 5's bench (:func:`scripts.api_bench._fill`), ``sohoa serve --workers
2`` runs as its own processes on a loopback port, and ``--clients`` threads ask for a province reviewer's
first queue page back to back for ``--seconds`` while one more asks ``/health`` five times a
second. Every answer other than 200, and every request slower than ``--timeout``, is counted.

``batch``: a batch of ``--pages`` pages (multi-page TIFF files of small printed pages) on
``--workers`` separate ``sohoa worker`` commands (one process each) on RabbitMQ (a fresh vhost)
and PostgreSQL (a fresh database), the instant scripted OCR engine of the tests
(``SOHOA_OCR_ENGINE=tests.engines:scripted``), while ``sohoa serve`` is polled throughout by
``--pollers`` clients (``/health``, the queue, ``/api/batches``, ``/metrics``, a document). Counts
errors and timeouts of the polling and the batch's own result (pages done / failed).

Both print the figures (p50/p99 per route, errors, timeouts) and, with ``--json``, a JSON line.
Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and RabbitMQ at 127.0.0.1:5672.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOHOA = str(Path(sys.executable).with_name("sohoa"))
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
RABBITMQ_SERVER = "amqp://guest:guest@127.0.0.1:5672"
USER, PASSWORD = "load-province", "load password 1"


# -- clients ---------------------------------------------------------------------------------------

@dataclass
class Tally:
    """Latencies, errors and timeouts per route, filled by many client threads."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    timeouts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, route: str, seconds: float, problem: str | None = None, timed_out: bool = False) -> None:
        with self.lock:
            self.times[route].append(seconds)
            if timed_out:
                self.timeouts[route] += 1
            elif problem:
                self.errors[route].append(problem)

    def summary(self) -> dict[str, dict]:
        out = {}
        for route, values in sorted(self.times.items()):
            ordered = sorted(values)
            pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)  # noqa: E731
            out[route] = {"requests": len(values), "p50_ms": pick(0.5), "p99_ms": pick(0.99),
                          "max_ms": round(ordered[-1] * 1000, 1), "errors": len(self.errors[route]),
                          "timeouts": self.timeouts[route], "first_errors": self.errors[route][:3]}
        return out


def client_loop(base: str, routes: list[str], headers: dict, tally: Tally, stop: threading.Event,
                pause: float, timeout: float) -> None:
    """Ask ``routes`` in turn until ``stop``; every answer but 200 is an error, a slow one a timeout."""
    import httpx

    with httpx.Client(base_url=base, headers=headers, timeout=timeout) as http:
        turn = 0
        while not stop.is_set():
            route = routes[turn % len(routes)]
            turn += 1
            started = time.perf_counter()
            try:
                answer = http.get(route)
            except httpx.TimeoutException:
                tally.record(_label(route), time.perf_counter() - started, timed_out=True)
                continue
            except httpx.HTTPError as exc:
                tally.record(_label(route), time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
                continue
            problem = None if answer.status_code == 200 else f"{answer.status_code} {answer.text[:120]}"
            tally.record(_label(route), time.perf_counter() - started, problem)
            if pause:
                stop.wait(pause)


def _label(route: str) -> str:
    path = route.split("?", 1)[0]
    return "/api/documents/{id}" if path.startswith("/api/documents/") else path


def run_clients(base: str, groups: list[tuple[list[str], dict, float, int]],
                timeout: float) -> tuple[Tally, threading.Event, list]:
    """``count`` threads per (routes, headers, pause, count) group; returns the tally, the stop flag, the threads."""
    tally, stop = Tally(), threading.Event()
    threads = [threading.Thread(target=client_loop, args=(base, routes, headers, tally, stop, pause, timeout),
                                daemon=True) for routes, headers, pause, count in groups for _ in range(count)]
    for thread in threads:
        thread.start()
    return tally, stop, threads


# -- the server ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, log: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """``sohoa serve --workers N`` on a free loopback port, once /health answers."""
    import httpx

    port = free_port()
    with open(log, "wb") as out:
        command = [SOHOA, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(base + "/health", timeout=5).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"sohoa serve did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def sign_in(base: str, user: str = USER, password: str = PASSWORD) -> dict[str, str]:
    import httpx

    answer = httpx.post(base + "/api/token", data={"username": user, "password": password}, timeout=30)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def service_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1", "SOHOA_DATABASE_URL": database_url,
            "SOHOA_VAR_DIR": str(var_dir), "SOHOA_STORAGE_URL": f"file://{var_dir / 'objects'}",
            "SOHOA_SECRET_KEY": secrets.token_urlsafe(40), "SOHOA_LOG_LEVEL": "WARNING",
            "SOHOA_LOGIN_ATTEMPTS": "100", **extra}


# -- a: the queue under 20 reviewers on 50,000 documents ---------------------------------------------

def api_check(documents: int, clients: int, seconds: float, timeout: float, server_workers: int) -> dict:
    from scripts.api_bench import _fill
    from scripts.scale_bench import create_database
    from storage.migrate import upgrade_database

    database_url, drop = create_database(PG_SERVER)
    var_dir = Path(tempfile.mkdtemp(prefix="sohoa-load-api-"))
    server = None
    try:
        started = time.monotonic()
        upgrade_database(database_url)
        _fill(database_url, documents)  # Part 5's bench data; its user is bench-province
        _add_user(database_url, "01")
        filled_s = time.monotonic() - started
        server, base = start_server(service_env(database_url, var_dir), var_dir / "serve.log", server_workers)
        headers = sign_in(base)
        import httpx

        total = httpx.get(base + "/api/documents", headers=headers, timeout=60).json()["total"]
        tally, stop, threads = run_clients(base, [(["/api/documents"], headers, 0.0, clients),
                                                  (["/health"], {}, 0.2, 1)], timeout)
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout + 5)
        figures = tally.summary()
        return {"check": "api", "documents": documents, "in_scope": total, "clients": clients,
                "server_workers": server_workers, "seconds": seconds,
                "timeout_s": timeout, "fill_s": round(filled_s), "folder": str(var_dir),
                "queue_requests_per_s": round(figures["/api/documents"]["requests"] / seconds, 1), "routes": figures}
    finally:
        if server is not None:
            stop_process(server)
        drop()


def _add_user(database_url: str, unit: str) -> None:
    from storage.db import session_factory, transaction
    from storage.users import add_user

    sessions = session_factory(database_url)
    with transaction(sessions) as s:
        add_user(s, USER, role="reviewer", unit_code=f"pre2025:{unit}", password=PASSWORD)
    sessions.kw["bind"].dispose()


# -- b: 1,000 pages on two workers, the API polled throughout ----------------------------------------

def make_scans(folder: Path, pages: int, pages_per_file: int) -> int:
    """Multi-page TIFF files of small printed pages (``tests.engines.render_page``: the scripted engine reads them
    at once)."""
    sys.path.insert(0, str(ROOT))
    from tests.engines import render_page

    folder.mkdir(parents=True, exist_ok=True)
    files = 0
    for start in range(0, pages, pages_per_file):
        images = [render_page(seed) for seed in range(start, min(start + pages_per_file, pages))]
        images[0].save(folder / f"dossier-{files:04d}.tif", dpi=(200, 200), save_all=True, append_images=images[1:],
                       compression="group4" if images[0].mode == "1" else "tiff_lzw")
        files += 1
    return files


def batch_check(pages: int, pages_per_file: int, workers: int, pollers: int, timeout: float, batch_timeout: float,
                server_workers: int) -> dict:
    import httpx

    from schemas.settings import load_settings
    from scripts.scale_bench import create_database, create_vhost
    from storage import repo
    from storage.db import transaction
    from storage.review import set_batch_receiving_unit
    from workers.app import build_app
    from workers.brokers import queue_depths
    from workers.embedded import ensure_database, wait_for_batch
    from workers.intake import register_paths

    var_dir = Path(tempfile.mkdtemp(prefix="sohoa-load-batch-"))
    files = make_scans(var_dir / "scans", pages, pages_per_file)
    database_url, drop_database = create_database(PG_SERVER)
    broker_url, drop_vhost = create_vhost(RABBITMQ_SERVER)
    env = service_env(database_url, var_dir, SOHOA_BROKER_URL=broker_url, SOHOA_OCR_ENGINE="tests.engines:scripted")
    settings = load_settings(env)
    processes: list[subprocess.Popen] = []
    runtime = None
    try:
        ensure_database(settings)
        _add_user(database_url, "01")
        runtime, broker = build_app(settings)
        server, base = start_server(env, var_dir / "serve.log", server_workers)
        processes.append(server)
        for n in range(workers):
            with open(var_dir / f"worker-{n}.log", "wb") as out:
                processes.append(subprocess.Popen([SOHOA, "worker", "--processes", "1", "--threads", "1"],
                                                  env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                                  start_new_session=True))
        report = register_paths(runtime, [var_dir / "scans"], "load")
        with transaction(runtime.sessions) as s:
            set_batch_receiving_unit(s, "load", "pre2025:01")  # the polled reviewer sees the batch's documents
        deadline = time.monotonic() + 180
        while (queue_depths(broker, ["sohoa.ocr"])["sohoa.ocr"]["consumers"] or 0) < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                raise SystemExit("workers did not start: see " + str(var_dir))
            time.sleep(0.2)
        headers = sign_in(base)
        _add_admin(database_url)  # /api/batches is for admins and ops
        admin = httpx.post(base + "/api/token", data={"username": "load-admin", "password": PASSWORD}, timeout=30)
        ops_headers = {"Authorization": f"Bearer {admin.json()['access_token']}"}
        tally, stop, threads = run_clients(base, [(["/health", "/api/documents", "/metrics"], headers, 0.05, pollers),
                                                  (["/api/batches"], ops_headers, 0.5, 1)], timeout)
        started = time.perf_counter()
        for file_id in report.to_process:
            runtime.send("ingest_file", file_id)
        try:
            wait_for_batch(runtime, "load", timeout_s=batch_timeout, poll_s=0.5)
            finished = True
        except TimeoutError:
            finished = False
        seconds = time.perf_counter() - started
        time.sleep(2)  # a last round of polls after the end
        stop.set()
        for thread in threads:
            thread.join(timeout + 5)
        with transaction(runtime.sessions) as s:
            counts = repo.batch_progress(s, "load")
        return {"check": "batch", "files": files, "pages": pages, "workers": workers, "pollers": pollers + 1,
                "finished": finished, "seconds": round(seconds, 1), "pages_per_minute": round(pages / seconds * 60),
                "pages_done": counts.get("pages_done", 0), "pages_failed": counts.get("pages_failed", 0),
                "files_failed": counts.get("files_failed", 0), "documents": counts.get("documents_total", 0),
                "timeout_s": timeout, "folder": str(var_dir), "routes": tally.summary()}
    finally:
        for process in reversed(processes):
            stop_process(process)
        if runtime is not None:
            runtime.actors["ingest_file"].broker.close()
            runtime.sessions.kw["bind"].dispose()
        drop_vhost()
        drop_database()


def _add_admin(database_url: str) -> None:
    from storage.db import session_factory, transaction
    from storage.users import add_user

    sessions = session_factory(database_url)
    with transaction(sessions) as s:
        add_user(s, "load-admin", role="admin", unit_code="pre2025:01", password=PASSWORD)
    sessions.kw["bind"].dispose()


# -- report ----------------------------------------------------------------------------------------

def print_figures(figures: dict) -> None:
    head = {k: v for k, v in figures.items() if k not in ("routes", "folder")}
    print(" ".join(f"{k}={v}" for k, v in head.items()))
    for route, f in figures["routes"].items():
        print(f"  {route}: n={f['requests']} p50={f['p50_ms']} ms p99={f['p99_ms']} ms max={f['max_ms']} ms "
              f"errors={f['errors']} timeouts={f['timeouts']}" + (f" e.g. {f['first_errors']}" if f["errors"] else ""))
    errors = sum(f["errors"] for f in figures["routes"].values())
    timeouts = sum(f["timeouts"] for f in figures["routes"].values())
    print(f"  total: errors={errors} timeouts={timeouts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="check", required=True)
    api = sub.add_parser("api", help="the queue under concurrent reviewers")
    api.add_argument("--documents", type=int, default=50_000)
    api.add_argument("--clients", type=int, default=20)
    api.add_argument("--seconds", type=float, default=30.0)
    batch = sub.add_parser("batch", help="a batch on separate workers with the API polled")
    batch.add_argument("--pages", type=int, default=1000)
    batch.add_argument("--pages-per-file", type=int, default=10)
    batch.add_argument("--workers", type=int, default=2)
    batch.add_argument("--pollers", type=int, default=4)
    batch.add_argument("--batch-timeout", type=float, default=3600.0)
    for p in (api, batch):
        p.add_argument("--timeout", type=float, default=10.0, help="a request slower than this is a timeout")
        p.add_argument("--server-workers", type=int, default=2, help="sohoa serve --workers")
        p.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    if args.check == "api":
        figures = api_check(args.documents, args.clients, args.seconds, args.timeout, args.server_workers)
    else:
        figures = batch_check(args.pages, args.pages_per_file, args.workers, args.pollers, args.timeout,
                              args.batch_timeout, args.server_workers)
    figures["date"] = started
    print_figures(figures)
    failed = any(f["errors"] or f["timeouts"] for f in figures["routes"].values()) or figures.get("pages_failed")
    if failed:
        print(f"  logs kept in {figures['folder']}")
    else:
        shutil.rmtree(figures["folder"], ignore_errors=True)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    errors = sum(f["errors"] + f["timeouts"] for f in figures["routes"].values())
    sys.exit(0 if errors == 0 and figures.get("finished", True) and not figures.get("pages_failed") else 1)


if __name__ == "__main__":
    main()
