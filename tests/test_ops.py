"""Ops on the production path: ``sohoa worker`` processes on the machine's RabbitMQ and PostgreSQL
(plus the loopback S3 server), watched through ``/metrics``, ``sohoa status`` and the ops view.

* a batch run by one worker, ``/metrics`` scraped during and after: queue depth rises and falls,
  the page counter equals the pages processed; the worker's own endpoint has the stage histograms;
* the only worker killed (its parent SIGKILLed: the children must go with it): ``status`` and the
  ops view say no live worker and the batch stalled;
* the broker cut for 30 s mid-batch (a loopback proxy in front of RabbitMQ, never the service
  itself): the batch finishes within minutes, every page read and counted once.

OCR is the scripted plugin engine (``tests.engines:scripted``): fast, with slow pages on demand.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from schemas.tables import Page, SourceFile
from storage import ops
from storage.db import transaction
from tests import engines
from tests.s3server import s3_server  # noqa: F401  (fixture)
from tests.test_scaleout import make_cluster, rabbitmq_url, save_scan  # noqa: F401  (fixtures)

pytestmark = pytest.mark.services

SLOW = engines.SLOW


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _scans(folder: Path, files: int, pages: int, code: int = engines.READ, seed: int = 0) -> int:
    for index in range(files):
        seeds = [seed + 100 * index + p for p in range(pages)]
        save_scan(folder / f"f{index:02d}.tif" if pages > 1 else folder / f"f{index:02d}.png", seeds, [code] * pages)
    return files * pages


def _sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample of a Prometheus text exposition, or None."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+-]+)$"
    match = re.search(pattern, text, re.M)
    return float(match.group(1)) if match else None


def _api(cluster) -> TestClient:
    """The app, signed in as an ops user (the ops pages and JSON are for ops and admin)."""
    from tests.reviewdata import signed_in_client

    return signed_in_client(cluster.settings, cluster.runtime.sessions)


def _pages_done(cluster, batch: str) -> int:
    with transaction(cluster.runtime.sessions) as s:
        return s.scalar(select(func.count()).select_from(Page).join(SourceFile).where(Page.status == "done")) or 0


def _live_workers(cluster) -> list[dict]:
    with transaction(cluster.runtime.sessions) as s:
        return [w for w in ops.workers(s) if w["live"]]


def _wait_for(predicate, timeout_s: float, what: str, poll_s: float = 0.3):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll_s)
    raise AssertionError(f"not within {timeout_s} s: {what}")


def test_metrics_during_and_after_a_batch_on_rabbitmq(tmp_path, make_cluster, rabbitmq_url):  # noqa: F811
    metrics_port = _free_port()
    cluster = make_cluster(rabbitmq_url, worker_metrics_port=str(metrics_port))
    pages = _scans(tmp_path / "scans", files=3, pages=3)  # enqueued before the worker starts: no need to be slow
    api = _api(cluster)
    before = api.get("/metrics").text
    assert _sample(before, "sohoa_queue_messages", queue="sohoa.ocr", state="ready") == 0.0

    cluster.submit(tmp_path / "scans", "metered")  # enqueued with no worker yet: the queue fills
    seen_ready: list[float] = []
    collector_wait = 5.5  # the collector caches broker reads for 5 s

    def ready_total(text: str) -> float:
        return sum(_sample(text, "sohoa_queue_messages", queue=q, state="ready") or 0.0
                   for q in ("sohoa.ingest", "sohoa.ocr", "sohoa.analyse"))

    time.sleep(collector_wait)
    seen_ready.append(ready_total(api.get("/metrics").text))
    cluster.start_workers(processes=1, threads=1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = api.get("/metrics").text
        seen_ready.append(ready_total(text))
        done = _sample(text, "sohoa_files_processed_total", status="done") or 0.0
        if done == 3:
            break
        time.sleep(0.5)
    cluster.wait("metered")
    time.sleep(collector_wait)
    after = api.get("/metrics").text

    assert max(seen_ready) >= 3, f"the queues never held the batch: {seen_ready}"
    assert ready_total(after) == 0, after
    assert _sample(after, "sohoa_queue_consumers", queue="sohoa.ocr") == 1.0
    processed = _pages_done(cluster, "metered")
    assert processed == pages
    assert _sample(after, "sohoa_pages_processed_total", status="done") == processed
    assert _sample(after, "sohoa_files_processed_total", status="done") == 3
    assert _sample(after, "sohoa_workers_live") == 1.0
    assert "# HELP sohoa_review_backlog " in after and "# HELP sohoa_batch_pages_finished " in after

    # The worker's own endpoint: dramatiq's middleware and the stage histograms, merged over processes.
    import urllib.request

    worker_text = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).read().decode()
    assert _sample(worker_text, "dramatiq_messages_total", actor_name="read_page", queue_name="sohoa.ocr") == pages
    assert _sample(worker_text, "dramatiq_messages_total", actor_name="analyse_file", queue_name="sohoa.analyse") == 3


def test_timed_stages_feed_the_stage_histograms():
    from schemas import stagetimes
    from workers.metrics import STAGE_REGISTRY, install_stage_histograms

    install_stage_histograms()
    install_stage_histograms()  # idempotent: one listener
    before = STAGE_REGISTRY.get_sample_value("sohoa_stage_seconds_count", {"stage": "ocr"}) or 0.0
    with stagetimes.timed("ocr"):
        time.sleep(0.01)
    stagetimes.record("ocr", 0.3, 0.2)
    assert STAGE_REGISTRY.get_sample_value("sohoa_stage_seconds_count", {"stage": "ocr"}) == before + 2
    assert STAGE_REGISTRY.get_sample_value("sohoa_stage_seconds_bucket", {"stage": "ocr", "le": "0.25"}) >= 1


def test_killing_the_only_worker_shows_no_live_worker_and_the_batch_stalled(tmp_path, make_cluster, rabbitmq_url):  # noqa: F811
    cluster = make_cluster(rabbitmq_url, worker_metrics_port="0")
    _scans(tmp_path / "scans", files=2, pages=4, code=SLOW)
    workers = cluster.start_workers(processes=2, threads=1)
    _wait_for(lambda: len(_live_workers(cluster)) == 2, 60, "two live worker processes")
    children = [w["pid"] for w in _live_workers(cluster)]
    cluster.submit(tmp_path / "scans", "orphaned")
    _wait_for(lambda: _pages_done(cluster, "orphaned") >= 1, 60, "a first page read")

    os.kill(workers.process.pid, signal.SIGKILL)  # the parent only: its children must not stay behind
    _wait_for(lambda: all(not _alive(pid) for pid in children), 30, f"children {children} gone with their parent")
    assert _live_workers(cluster) == []

    def status_report() -> dict:
        status = cluster.sohoa("status", "--json")
        assert status.returncode == 0, status.stderr
        assert "pika" not in status.stderr.lower() and "warning" not in status.stderr.lower(), status.stderr
        return json.loads(status.stdout)

    # The broker hands a dead consumer's unacknowledged messages back when it notices the lost
    # connection: a moment after the kill, not at once.
    _wait_for(lambda: status_report()["queues"]["sohoa.ocr"]["ready"] > 0, 30, "the dead workers' messages back")
    report = status_report()
    [batch] = [b for b in report["batches"] if b["batch"] == "orphaned"]
    assert report["workers_live"] == 0
    assert batch["stalled"] and not batch["finished"], batch
    assert "no_live_worker" in batch["stalled_reasons"]
    assert any(r.startswith("no_consumer: sohoa.ocr") for r in batch["stalled_reasons"]), batch
    assert report["queues"]["sohoa.ocr"]["consumers"] == 0 and report["queues"]["sohoa.ocr"]["ready"] > 0

    table = cluster.sohoa("status")
    assert table.returncode == 0 and "STALLED" in table.stdout and "0 live" in table.stdout, table.stdout
    assert "pika" not in table.stderr.lower(), table.stderr

    api = _api(cluster)
    view = api.get("/api/ops/overview").json()
    [shown] = [b for b in view["batches"] if b["batch"] == "orphaned"]
    assert view["workers_live"] == 0 and shown["stalled"]
    assert api.get("/api/ops/stalled").json()["batches"][0]["batch"] == "orphaned"
    page = api.get("/ops").text
    assert "No live worker" in page and "STALLED" in page


def test_status_before_the_first_worker_is_quiet_and_says_no_worker(tmp_path, make_cluster, rabbitmq_url):  # noqa: F811
    cluster = make_cluster(rabbitmq_url)
    cluster.runtime  # noqa: B018  (migrated, no queue declared on the broker yet)
    status = cluster.sohoa("status")
    assert status.returncode == 0, status.stderr
    assert status.stderr == "", status.stderr  # no broker library warnings about queues not there yet
    assert "Workers: 0 live" in status.stdout and "no worker seen" in status.stdout


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return "\nState:\tZ" not in handle.read()  # a zombie has exited
    except FileNotFoundError:
        return False


