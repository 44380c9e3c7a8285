"""Faults on the real services mid-batch: the batch finishes on its own, every page stored once.

Production shape (``tests/test_scaleout.py``'s cluster): ``sohoa worker`` processes on the machine's
RabbitMQ (a vhost of this module) and PostgreSQL (a database of each test), objects on the
loopback S3 server, the scripted plugin OCR engine (``tests/engines.py``). The services themselves
are never stopped: PostgreSQL refuses connections to the test's own database (``ALLOW_CONNECTIONS
false``, open sessions terminated); the object store and RabbitMQ are reached through a loopback TCP
proxy (``tests/tcpproxy.py``) that the test cuts - every connection closed, new ones refused - and
restores. Retries use the product's default backoff (``SOHOA_RETRY_*`` unset: 1 s doubling to 60 s).

While each fault lasts, ``sohoa status`` is run every couple of seconds (a subprocess with the
cluster's settings, as an operator would) and must show the trouble, never a traceback: the
database unreachable (and a non-zero exit), the object store or the broker unreachable, the killed
worker gone, no live worker and the batch stalled.

After each fault: every file done, every page row there once and read, every page in exactly one
document, one current value per field, no dead letter, no message left in a queue; the time from
the end of the fault to the end of the batch is printed and bounded.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from schemas.tables import DeadLetter, OutboxMessage, Page
from storage import ops
from storage.db import transaction
from tests import engines
from tests.pg import _admin_engine
from tests.s3server import S3Server, s3_server  # noqa: F401  (fixture)
from tests.tcpproxy import TcpProxy
from tests.test_scaleout import (  # noqa: F401  (fixtures)
    Cluster,
    assert_batch_complete,
    assert_queues_empty,
    busy_worker_pid,
    make_cluster,
    own_rabbitmq_vhost,
    save_scan,
)

pytestmark = [pytest.mark.services, pytest.mark.slow]


@pytest.fixture
def rabbitmq_url():
    """A vhost per test (not per module): a fault test that fails leaves its messages behind, and on a
    shared vhost the next test's workers took them against their fresh database ("page 1 does not
    exist" dead letters after a timed-out test)."""
    yield from own_rabbitmq_vhost()

FILES, PAGES_PER_FILE = 4, 3
DEFAULT_BACKOFF = {"retry_min_backoff_ms": "1000", "retry_max_backoff_ms": "60000"}  # the product's defaults
RECOVERY_BOUND_S = 90  # from the end of a fault to the end of the batch: one full backoff (60 s) and the work


def dossiers(folder: Path, first_seed: int, slow_page: int = 1) -> tuple[int, int]:
    """FILES scans of PAGES_PER_FILE pages; page ``slow_page`` of each reads slowly (the fault lands mid-batch)."""
    codes = [engines.SLOW if n == slow_page else engines.READ for n in range(1, PAGES_PER_FILE + 1)]
    for n in range(FILES):
        seeds = [first_seed + PAGES_PER_FILE * n + i for i in range(PAGES_PER_FILE)]
        save_scan(folder / f"dossier-{n}.tif", seeds, codes)
    return FILES, FILES * PAGES_PER_FILE


def assert_every_page_once(cluster: Cluster, batch: str, files: int, pages: int) -> None:
    """The batch is complete and nothing was lost or stored twice (counts against the input)."""
    counts = assert_batch_complete(cluster, batch, files=files, pages=pages)
    assert counts.get("files_done") == files and counts.get("pages_done") == pages, counts
    with transaction(cluster.runtime.sessions) as s:
        assert s.scalar(select(func.count()).select_from(Page)) == pages
        dead = s.scalars(select(DeadLetter.error)).all()
    assert dead == [], f"dead letters: {dead}"
    by_file: dict[str, list[int]] = {}
    for record in cluster.records(batch):
        assert record["status"] != "failed", record["error"]
        by_file.setdefault(record["source"], []).extend(record["pages"])
    assert len(by_file) == files
    assert all(sorted(found) == list(range(1, PAGES_PER_FILE + 1)) for found in by_file.values()), by_file
    assert_queues_empty(cluster)


STATUS_EVERY_S = 2.0


def run_status(cluster: Cluster, *args: str) -> subprocess.CompletedProcess:
    """``sohoa status`` as an operator runs it; whatever the fault, it answers without a traceback."""
    done = cluster.sohoa("status", *args)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-3000:]
    return done


def watch_status(cluster: Cluster, seconds: float) -> list[subprocess.CompletedProcess]:
    """Run ``sohoa status --json`` every STATUS_EVERY_S for ``seconds`` (the length of the fault),
    and the table form once first. Returns the JSON runs, then the table run (last)."""
    deadline = time.monotonic() + seconds
    table = run_status(cluster)
    runs = []
    while True:
        runs.append(run_status(cluster, "--json"))
        left = deadline - time.monotonic()
        if left <= 0:
            break
        time.sleep(min(STATUS_EVERY_S, left))
    runs.append(table)  # last, so that callers can look at it apart: runs[:-1] are JSON
    shown = (runs[-2].stdout if runs[-2].returncode == 0 else runs[-2].stderr).strip().splitlines()
    print(f"\nstatus ran {len(runs)} times in the {seconds:g} s fault; the table form:\n{table.stdout}{table.stderr}"
          f"the last JSON run (rc {runs[-2].returncode}), start: " + " ".join(shown[:12]))
    return runs


def reports(runs: list[subprocess.CompletedProcess]) -> list[dict]:
    """The JSON reports of ``watch_status`` (each run exited 0)."""
    assert all(r.returncode == 0 for r in runs), [r.stderr[-500:] for r in runs if r.returncode]
    return [json.loads(r.stdout) for r in runs[:-1]]


def batch_in(report: dict, name: str) -> dict:
    return next(b for b in report["batches"] if b["batch"] == name)


def finish_after(cluster: Cluster, batch: str, fault_ended: float) -> float:
    """Wait for the batch; the seconds from the end of the fault to its end."""
    cluster.wait(batch, timeout_s=RECOVERY_BOUND_S)
    recovery = time.monotonic() - fault_ended
    print(f"\n{batch}: finished {recovery:.1f} s after the fault ended")
    return recovery


# -- PostgreSQL ------------------------------------------------------------------------------------

def refuse_connections(database_url: str, seconds: float, during=time.sleep) -> float:
    """PostgreSQL refuses connections to the database of ``database_url`` and ends its sessions for
    ``seconds`` (spent in ``during(seconds)``); returns the monotonic time it accepted them again."""
    name = database_url.rsplit("/", 1)[1]
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                               {"n": name})
            during(seconds)
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    finally:
        admin.dispose()
    return time.monotonic()


def test_postgresql_refusing_connections_for_30_s_mid_batch(tmp_path, make_cluster, rabbitmq_url):  # noqa: F811
    folder = tmp_path / "scans"
    files, pages = dossiers(folder, 300)
    cluster = make_cluster(rabbitmq_url, **DEFAULT_BACKOFF)
    cluster.start_workers(processes=2, threads=1)
    cluster.submit(folder, "pg-outage")
    busy_worker_pid(cluster.var_dir)  # OCR has begun
    runs: list[subprocess.CompletedProcess] = []
    ended = refuse_connections(cluster.env["SOHOA_DATABASE_URL"], 30,
                               during=lambda seconds: runs.extend(watch_status(cluster, seconds)))

    # status cannot read the batch from a database that is away: it says so and exits non-zero
    assert len(runs) >= 5, len(runs)
    for run in runs:
        assert run.returncode != 0, run.stdout[-500:]
        assert "database unreachable" in run.stderr and "not currently accepting connections" in run.stderr, \
            run.stderr
    assert finish_after(cluster, "pg-outage", ended) < RECOVERY_BOUND_S
    assert_every_page_once(cluster, "pg-outage", files, pages)
    assert run_status(cluster, "--json").returncode == 0  # and answers again after


# -- the object store ------------------------------------------------------------------------------

@pytest.fixture
def store_proxy(s3_server) -> TcpProxy:  # noqa: F811
    proxy = TcpProxy(s3_server.port, s3_server.host)
    yield proxy
    proxy.close()


def store_outage(tmp_path: Path, make_cluster, rabbitmq_url: str, proxy: TcpProxy, seconds: float,  # noqa: F811
                 first_seed: int) -> None:
    folder = tmp_path / "scans"
    files, pages = dossiers(folder, first_seed)
    storage_url = S3Server("127.0.0.1", proxy.port).storage_url(f"sohoa-fault-{first_seed}")
    cluster = make_cluster(rabbitmq_url, storage_url=storage_url, **DEFAULT_BACKOFF)
    cluster.start_workers(processes=2, threads=1)
    batch = f"store-{seconds:g}s"
    cluster.submit(folder, batch)
    busy_worker_pid(cluster.var_dir)
    proxy.cut()
    runs = watch_status(cluster, seconds)
    proxy.restore()

    seen = reports(runs)
    assert len(seen) >= 5, len(seen)
    for report in seen:  # the store is named unreachable the whole time, and the batch is not done
        assert report["store_error"] and "unreachable" in report["store_error"], report["store_error"]
        assert not batch_in(report, batch)["finished"], batch_in(report, batch)
    assert "object store" in runs[-1].stdout and "unreachable" in runs[-1].stdout, runs[-1].stdout
    assert finish_after(cluster, batch, time.monotonic()) < RECOVERY_BOUND_S
    assert_every_page_once(cluster, batch, files, pages)
    assert json.loads(run_status(cluster, "--json").stdout)["store_error"] is None  # clear again after


def test_object_store_unreachable_for_120_s_mid_batch(tmp_path, make_cluster, rabbitmq_url, store_proxy):  # noqa: F811
    store_outage(tmp_path, make_cluster, rabbitmq_url, store_proxy, 120, 500)


# -- RabbitMQ --------------------------------------------------------------------------------------

def test_rabbitmq_cut_for_30_s_mid_batch_then_back(tmp_path, make_cluster, rabbitmq_url):  # noqa: F811
    """Every connection dropped at once and refused for 30 s, as when the broker restarts.

    The slow page is each file's last: the cut lands while a file's last page is read, so its
    analysis must be handed off while the broker is away.
    """
    proxy = TcpProxy(5672)
    try:
        folder = tmp_path / "scans"
        files, pages = dossiers(folder, 600, slow_page=PAGES_PER_FILE)
        # No periodic sweep: what brings a stranded analysis back must be the outbox relay, in seconds.
        cluster = make_cluster(rabbitmq_url.replace(":5672/", f":{proxy.port}/"), sweep_interval="0",
                               **DEFAULT_BACKOFF)
        cluster.start_workers(processes=2, threads=1)
        cluster.submit(folder, "broker-cut")
        busy_worker_pid(cluster.var_dir)
        proxy.cut()
        runs = watch_status(cluster, 30)
        proxy.restore()

        seen = reports(runs)
        assert len(seen) >= 5, len(seen)
        for report in seen:  # the broker is named unreachable the whole time, and the batch is not done
            assert report["broker_error"], report
            assert not batch_in(report, "broker-cut")["finished"], batch_in(report, "broker-cut")
        assert "broker" in runs[-1].stdout and "unreachable" in runs[-1].stdout, runs[-1].stdout

        assert finish_after(cluster, "broker-cut", time.monotonic()) < RECOVERY_BOUND_S
        assert_every_page_once(cluster, "broker-cut", files, pages)
        assert proxy.connections > 2  # the workers really went through the proxy, and came back
        with transaction(cluster.runtime.sessions) as s:
            counted = ops.counters(s)
            outbox_left = s.scalar(select(func.count()).select_from(OutboxMessage))
        assert counted["pages"] == {"done": pages} and counted["files"] == {"done": files}, counted
        assert outbox_left == 0, "an analysis hand-off was left in the outbox"
    finally:
        proxy.close()


# -- worker processes ------------------------------------------------------------------------------

def test_a_worker_sigkilled_twice_mid_ocr_loses_and_duplicates_nothing(tmp_path, make_cluster, rabbitmq_url):  # noqa: F811
    folder = tmp_path / "scans"
    files, pages = dossiers(folder, 700)
    cluster = make_cluster(rabbitmq_url, max_attempts="3")  # the same page may be hit by both kills
    workers = cluster.start_workers(processes=2, threads=1)
    cluster.submit(folder, "killed-twice")
    victims = []
    for _ in range(2):
        victim = busy_worker_pid(cluster.var_dir)
        os.kill(victim, signal.SIGKILL)
        victims.append(victim)
        (cluster.var_dir / "engine" / "busy" / str(victim)).unlink(missing_ok=True)  # it cannot remove it now
    killed = time.monotonic()
    runs = [run_status(cluster, "--json"), run_status(cluster)]
    print(f"\nstatus after the kills:\n{runs[1].stdout}")
    report = reports(runs)[0]
    rows = {w["pid"]: w for w in report["workers"]}
    for victim in victims:  # shown gone at once, not live for the 60 s its last heartbeat stays fresh
        assert rows[victim]["gone"] and not rows[victim]["live"], rows
    assert report["workers_live"] <= 2, rows  # the supervisor's replacements, never the victims

    assert finish_after(cluster, "killed-twice", killed) < RECOVERY_BOUND_S
    assert_every_page_once(cluster, "killed-twice", files, pages)
    with transaction(cluster.runtime.sessions) as s:
        attempts = sorted(s.scalars(select(Page.attempts)).all())
    assert sum(attempts) == pages + 2 and max(attempts) <= 3, attempts  # each kill cost one extra delivery
    log = workers.log_text()
    assert all(f"worker process {pid} exited with -9" in log for pid in victims), log[-2000:]


