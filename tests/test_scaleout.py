"""The production path end to end: separate ``sohoa worker`` processes on the machine's RabbitMQ or
Redis, PostgreSQL and the loopback S3 server - same records as the embedded default, nothing lost
or duplicated when a worker is killed, a poison page failed after the configured attempts, dead
letters listed and replayed, and a fan-in counter that loses no update under concurrency.

OCR is a plugin engine in the worker processes (``tests.engines:scripted``): pages carry a marker
that makes it read fast, read slowly, kill its worker, or fail transiently. One test runs the
real Tesseract.

Services are part of the machine: when one is down these tests FAIL saying so, never skip. Each
test module gets its own RabbitMQ vhost (made with ``rabbitmqctl``), each test its own PostgreSQL
database, S3 bucket and Redis database, so runs never see each other's messages.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from schemas.errors import TransientError
from schemas.settings import Settings, load_settings
from schemas.tables import DeadLetter, FieldValue, Page, SourceFile
from storage import repo
from storage.db import transaction
from storage.export import iter_records
from tests import engines
from tests.pg import make_pg_database
from tests.s3server import s3_server  # noqa: F401  (fixture)
from workers.brokers import broker_ping, make_broker, queue_depths
from workers.queues import BY_ACTOR, QUEUE_NAMES

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[1]
SOHOA = str(Path(sys.executable).with_name("sohoa"))
RABBITMQ_SERVER = "amqp://guest:guest@127.0.0.1:5672"
REDIS_SERVER = "redis://127.0.0.1:6379"
BATCH_TIMEOUT_S = 60
MAX_ATTEMPTS = 2


# -- services ------------------------------------------------------------------------------------

def require(url: str) -> None:
    """Fail (never skip) with a clear message when a service of the machine is down."""
    try:
        broker_ping(url)
    except TransientError as exc:
        pytest.fail(f"these tests need the machine's broker at {url}, which must be running: {exc}", pytrace=False)


def _rabbitmqctl(*args: str) -> bool:
    try:
        return subprocess.run(["rabbitmqctl", *args], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="module")
def rabbitmq_url() -> Iterator[str]:
    """A RabbitMQ URL on a vhost of its own; without rabbitmqctl, ``/`` with the sohoa queues purged."""
    yield from own_rabbitmq_vhost()


def own_rabbitmq_vhost() -> Iterator[str]:
    """The body of :func:`rabbitmq_url`, for fixtures of another scope."""
    require(f"{RABBITMQ_SERVER}/%2F")
    vhost = f"sohoa-test-{uuid.uuid4().hex[:10]}"
    if _rabbitmqctl("add_vhost", vhost) and _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"):
        yield f"{RABBITMQ_SERVER}/{vhost}"
        _rabbitmqctl("delete_vhost", vhost)
        return
    url = f"{RABBITMQ_SERVER}/%2F"  # shared vhost: these tests must not run concurrently with another run
    _delete_sohoa_queues(url)
    yield url
    _delete_sohoa_queues(url)


def _delete_sohoa_queues(url: str) -> None:
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    for name in QUEUE_NAMES:
        for queue in (name, f"{name}.DQ", f"{name}.XQ"):
            channel.queue_delete(queue)
    connection.close()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database (1-15) for this test, emptied of dramatiq's keys before and after."""
    import redis

    url = f"{REDIS_SERVER}/{random.randint(1, 15)}"
    require(url)
    client = redis.Redis.from_url(url)

    def clear() -> None:
        keys = list(client.scan_iter("dramatiq:*"))
        if keys:
            client.delete(*keys)

    clear()
    yield url
    clear()
    client.close()


# -- a cluster: database, store, broker, worker processes ------------------------------------------

@dataclass
class Workers:
    """One ``sohoa worker`` command (a supervising parent and its children), in its own session."""

    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        """SIGTERM (the graceful path), then SIGKILL the whole process group if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # children left over, if any
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


@dataclass
class Cluster:
    """Production-shaped settings for one test, and helpers to drive workers against them."""

    env: dict[str, str]
    var_dir: Path
    workers: list[Workers] = field(default_factory=list)
    _runtime: object = None

    @property
    def settings(self) -> Settings:
        return load_settings(self.env)

    @property
    def runtime(self):
        """This (test) process's runtime on the same services, for intake and inspection."""
        if self._runtime is None:
            from workers.app import build_app
            from workers.embedded import ensure_database

            ensure_database(self.settings)  # before any worker starts: one migration, not a race
            self._runtime, _ = build_app(self.settings)
        return self._runtime

    def start_workers(self, processes: int, threads: int) -> Workers:
        self.runtime  # noqa: B018  (database migrated first)
        log = self.var_dir / f"worker-{len(self.workers)}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [SOHOA, "worker", "--processes", str(processes), "--threads", str(threads)],
                env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        workers = Workers(process, log)
        self.workers.append(workers)
        return workers

    def submit(self, folder: Path, batch: str) -> list[int]:
        """Register the scans under ``folder`` as ``batch`` and enqueue them (as ``sohoa upload`` does)."""
        from workers.intake import register_paths

        report = register_paths(self.runtime, [folder], batch)
        for file_id in report.to_process:
            self.runtime.send("ingest_file", file_id)
        return report.to_process

    def wait(self, batch: str, timeout_s: float = BATCH_TIMEOUT_S) -> dict[str, int]:
        from workers.embedded import wait_for_batch

        try:
            return wait_for_batch(self.runtime, batch, timeout_s=timeout_s, poll_s=0.2)
        except TimeoutError as exc:
            logs = "\n".join(w.log_text()[-3000:] for w in self.workers)
            raise AssertionError(f"{exc}\n--- worker logs ---\n{logs}") from None

    def records(self, batch: str) -> list[dict]:
        with transaction(self.runtime.sessions) as s:
            return list(iter_records(s, batch))

    def sohoa(self, *args: str) -> subprocess.CompletedProcess:
        """Run a ``sohoa`` command with this cluster's settings."""
        return subprocess.run([SOHOA, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=120)

    def close(self) -> None:
        for workers in self.workers:
            workers.stop()
        if self._runtime is not None:
            self._runtime.actors["ingest_file"].broker.close()
            self._runtime.sessions.kw["bind"].dispose()


@pytest.fixture
def make_cluster(tmp_path: Path, s3_server) -> Iterator:  # noqa: F811
    """``make_cluster(broker_url, **settings)``: a fresh database and bucket on the given broker."""
    made: list[tuple[Cluster, object]] = []

    def make(broker_url: str, **overrides: str) -> Cluster:
        database_url, drop = make_pg_database("sohoa_scale")
        var_dir = tmp_path / f"cluster-{len(made)}"
        var_dir.mkdir()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),  # the plugin engine lives in tests/
            "OMP_THREAD_LIMIT": "1",
            "SOHOA_DATABASE_URL": database_url,
            "SOHOA_STORAGE_URL": s3_server.storage_url(f"sohoa-scale-{uuid.uuid4().hex[:10]}"),
            "SOHOA_BROKER_URL": broker_url,
            "SOHOA_VAR_DIR": str(var_dir),
            "SOHOA_OCR_ENGINE": "tests.engines:scripted",
            "SOHOA_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
            "SOHOA_RETRY_MIN_BACKOFF_MS": "20",
            "SOHOA_RETRY_MAX_BACKOFF_MS": "100",
            "SOHOA_LOG_LEVEL": "WARNING",
            "SOHOA_SECRET_KEY": secrets.token_urlsafe(48),  # the API needs one with services
            **{f"SOHOA_{k.upper()}": v for k, v in overrides.items()},
        }
        cluster = Cluster(env=env, var_dir=var_dir)
        made.append((cluster, drop))
        return cluster

    yield make
    for cluster, drop in made:
        cluster.close()
        drop()


# -- scans -----------------------------------------------------------------------------------------

def save_scan(path: Path, seeds: list[int], codes: list[int] | None = None) -> Path:
    """A scan file of small pages (PNG for one page; TIFF or PDF for several, by the suffix)."""
    codes = codes or [engines.READ] * len(seeds)
    pages = [engines.render_page(seed, code) for seed, code in zip(seeds, codes)]
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = {"save_all": True, "append_images": pages[1:]} if len(pages) > 1 else {}
    if path.suffix == ".pdf":
        pages[0].save(path, resolution=200, **extra)
    else:
        pages[0].save(path, dpi=(200, 200), **extra)
    return path


def embedded_records(tmp_path: Path, folder: Path, batch: str, ocr_engine: str) -> list[dict]:
    """The records the embedded default (SQLite, local folder, in-process worker) makes of ``folder``."""
    from workers.embedded import process_paths
    from workers.runtime import current

    settings = load_settings({}, var_dir=str(tmp_path / "embedded"), ocr_engine=ocr_engine,
                             retry_min_backoff_ms=10, retry_max_backoff_ms=50)
    process_paths(settings, [folder], batch, threads=2)
    with transaction(current().sessions) as s:
        return list(iter_records(s, batch))


def assert_batch_complete(cluster: Cluster, batch: str, *, files: int, pages: int) -> dict[str, int]:
    """Every file finished, every page row there and finished once, one current value per field."""
    with transaction(cluster.runtime.sessions) as s:
        counts = repo.batch_progress(s, batch)
        per_file = s.execute(select(SourceFile.original_path, SourceFile.page_count, SourceFile.pages_done,
                                    SourceFile.status)).all()
        duplicates = s.execute(
            select(FieldValue.document_id, FieldValue.key).where(FieldValue.is_current)
            .group_by(FieldValue.document_id, FieldValue.key).having(func.count() > 1)
        ).all()
    assert counts["files_total"] == files, counts
    assert counts["pages_total"] == counts["pages_expected"] == pages, counts
    assert counts.get("pages_pending", 0) == 0, counts
    for path, page_count, pages_done, status in per_file:
        assert status in ("done", "failed") and pages_done == (page_count or 0), (path, page_count, pages_done, status)
    assert duplicates == [], f"documents with more than one current value for a key: {duplicates}"
    return counts


def assert_queues_empty(cluster: Cluster) -> None:
    # A fresh connection, as ``sohoa status`` opens: the runtime's own may have been cut by a fault test.
    broker = make_broker(cluster.env["SOHOA_BROKER_URL"])
    try:
        depths = queue_depths(broker, list(QUEUE_NAMES))
    finally:
        broker.close()
    assert all(d["ready"] == 0 and d["delayed"] == 0 for d in depths.values()), depths


# -- 1. same records as the embedded default -------------------------------------------------------

@pytest.fixture
def mixed_scans(tmp_path: Path) -> Path:
    folder = tmp_path / "scans"
    save_scan(folder / "a.png", [1])
    save_scan(folder / "b.png", [2])
    save_scan(folder / "sub" / "c.tif", [3, 4, 5])
    save_scan(folder / "d.pdf", [6, 7])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return folder


def test_workers_on_rabbitmq_make_the_same_records_as_the_embedded_default(
    tmp_path, mixed_scans, make_cluster, rabbitmq_url
):
    expected = embedded_records(tmp_path, mixed_scans, "same", "tests.engines:scripted")
    cluster = make_cluster(rabbitmq_url)
    cluster.start_workers(processes=2, threads=2)
    upload = cluster.sohoa("upload", str(mixed_scans), "--batch", "same")
    assert upload.returncode == 0, upload.stderr
    assert "5 new" in upload.stdout and "5 enqueued" in upload.stdout
    cluster.wait("same")

    assert cluster.records("same") == expected
    assert_batch_complete(cluster, "same", files=5, pages=7)  # broken.pdf has no page rows
    assert {r["source"] for r in expected} == {"a.png", "b.png", "sub/c.tif", "d.pdf", "broken.pdf"}
    exported = cluster.sohoa("export", "--batch", "same", "--format", "jsonl")
    assert exported.returncode == 0 and len(exported.stdout.splitlines()) == len(expected)


def test_workers_on_redis_with_tesseract_make_the_same_records_as_the_embedded_default(
    tmp_path, make_cluster, redis_url
):
    folder = tmp_path / "scans"
    save_scan(folder / "p1.png", [11])
    save_scan(folder / "p2.png", [12])
    expected = embedded_records(tmp_path, folder, "tess", "tesseract")
    cluster = make_cluster(redis_url, ocr_engine="tesseract")
    cluster.start_workers(processes=2, threads=1)
    cluster.submit(folder, "tess")
    cluster.wait("tess")

    records = cluster.records("tess")
    assert records == expected
    assert_batch_complete(cluster, "tess", files=2, pages=2)
    assert all("GIẤY KHAI SINH" in r["text"] for r in records), [r["text"][:80] for r in records]
    assert_queues_empty(cluster)


# -- 2. a worker killed in the middle of OCR --------------------------------------------------------

def busy_worker_pid(var_dir: Path, timeout_s: float = 30) -> int:
    """The pid of a worker process that has just entered ``recognize`` (see tests/engines.py).

    "Just": well within the slow page's sleep, so the kill surely lands in the middle of OCR.
    """
    busy = var_dir / "engine" / "busy"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for marker in sorted(busy.glob("*")) if busy.is_dir() else []:
            try:
                started = float(marker.read_text())
            except (OSError, ValueError):
                continue  # being written or removed
            if time.time() - started < engines.SLOW_SECONDS / 3:
                return int(marker.name)
        time.sleep(0.02)
    raise AssertionError("no worker started OCR in time")


# -- 3. a page that kills its worker every time --------------------------------------------------

def test_a_poison_page_is_failed_after_the_configured_attempts_and_the_batch_completes(
    tmp_path, make_cluster, rabbitmq_url
):
    folder = tmp_path / "scans"
    save_scan(folder / "poisoned.tif", [40, 41, 42], [engines.READ, engines.POISON, engines.READ])
    save_scan(folder / "fine-1.png", [43])
    save_scan(folder / "fine-2.tif", [44, 45])
    cluster = make_cluster(rabbitmq_url)
    workers = cluster.start_workers(processes=2, threads=1)
    cluster.submit(folder, "poison")
    cluster.wait("poison", timeout_s=90)

    assert_batch_complete(cluster, "poison", files=3, pages=6)
    with transaction(cluster.runtime.sessions) as s:
        poison = s.scalar(select(Page).join(SourceFile).where(SourceFile.original_path == "poisoned.tif",
                                                              Page.page_no == 2))
        assert poison.status == "failed" and poison.error.startswith("too_many_attempts"), poison.error
        # MAX_ATTEMPTS deliveries killed a worker; the next one failed the page instead of reading it.
        assert poison.attempts == MAX_ATTEMPTS + 1
    by_page = {(r["source"], tuple(r["pages"])): r for r in cluster.records("poison")}
    assert by_page[("poisoned.tif", (2,))]["status"] == "failed"
    assert "too_many_attempts" in by_page[("poisoned.tif", (2,))]["error"]
    others = [r for key, r in by_page.items() if key != ("poisoned.tif", (2,))]
    assert {r["source"] for r in others} == {"poisoned.tif", "fine-1.png", "fine-2.tif"}
    assert all(r["status"] != "failed" and r["fields"] for r in others)
    # The loop really ended: nothing left to deliver, the supervisor restarted exactly the killed ones.
    assert_queues_empty(cluster)
    assert workers.log_text().count("exited with -9") == MAX_ATTEMPTS


# -- 4. dead letters: listed, replayed with attempts reset ----------------------------------------

def test_a_page_failing_transiently_past_its_retries_is_dead_lettered_and_replayed(
    tmp_path, make_cluster, rabbitmq_url
):
    folder = tmp_path / "scans"
    save_scan(folder / "flaky.tif", [50, 51], [engines.READ, engines.FLAKY])
    cluster = make_cluster(rabbitmq_url)
    flag = cluster.var_dir / "engine" / "flaky"
    flag.parent.mkdir(parents=True)
    flag.touch()  # the engine times out on the flaky page while this file exists
    cluster.start_workers(processes=1, threads=2)
    cluster.submit(folder, "dlq")
    cluster.wait("dlq")

    with transaction(cluster.runtime.sessions) as s:
        [letter] = s.scalars(select(DeadLetter)).all()
        page = s.scalar(select(Page).where(Page.page_no == 2))
        assert (letter.actor, letter.queue) == ("read_page", "sohoa.ocr")
        assert letter.payload["args"] == [page.id] and "ocr_timeout" in letter.error
        # Every transient retry of the queue table was used (not cut short by the crash counter).
        assert letter.attempts == BY_ACTOR["read_page"].max_retries + 1
        assert page.status == "failed" and page.error.startswith("dead_letter")
    listed = cluster.sohoa("dlq", "list")
    assert listed.returncode == 0 and f"#{letter.id} read_page({page.id},)" in listed.stdout, listed

    flag.unlink()  # the cause is fixed
    replayed = cluster.sohoa("dlq", "replay", "--all")
    assert replayed.returncode == 0 and "replayed 1 dead letters" in replayed.stdout, replayed.stderr
    wait_until(lambda: _file_status(cluster) == "done" and all(r["status"] != "failed" for r in cluster.records("dlq")))

    assert_batch_complete(cluster, "dlq", files=1, pages=2)
    with transaction(cluster.runtime.sessions) as s:
        page = s.scalar(select(Page).where(Page.page_no == 2))
        assert page.status == "done" and page.attempts == 1  # reset by the replay, then read once
        assert s.scalar(select(DeadLetter.replayed_at)) is not None
    assert all(r["status"] != "failed" for r in cluster.records("dlq"))
    assert "no dead letters" in cluster.sohoa("dlq", "list").stdout


def wait_until(condition, timeout_s: float = BATCH_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.2)


def _file_status(cluster: Cluster) -> str:
    with transaction(cluster.runtime.sessions) as s:
        return s.scalar(select(SourceFile.status))


# -- 5. the fan-in under concurrent workers on PostgreSQL --------------------------------------------

def test_a_30_page_file_read_by_two_processes_of_two_threads_is_analysed_once(
    tmp_path, make_cluster, rabbitmq_url
):
    folder = tmp_path / "scans"
    save_scan(folder / "thick.tif", list(range(100, 130)))
    cluster = make_cluster(rabbitmq_url)
    cluster.start_workers(processes=2, threads=2)
    cluster.submit(folder, "fan-in")
    cluster.wait("fan-in")

    counts = assert_batch_complete(cluster, "fan-in", files=1, pages=30)
    assert counts["pages_done"] == 30 and counts["files_done"] == 1, counts
    with transaction(cluster.runtime.sessions) as s:
        source = s.scalar(select(SourceFile))
        assert (source.page_count, source.pages_done, source.status) == (30, 30, "done")
        fields_all = s.scalar(select(func.count()).select_from(FieldValue))
        fields_current = s.scalar(select(func.count()).select_from(FieldValue).where(FieldValue.is_current))
        pages_read_twice = s.scalar(select(func.count()).select_from(Page).where(Page.attempts != 1))
    records = cluster.records("fan-in")
    assert sorted(p for r in records for p in r["pages"]) == list(range(1, 31))  # every page in one document
    assert fields_all == fields_current == sum(len(r["fields"]) for r in records)  # no superseded machine rows
    assert pages_read_twice == 0


def test_the_fan_in_counter_loses_no_update_when_pages_finish_at_once(make_cluster, rabbitmq_url):
    """30 pages finished by 10 threads at the same moment: counted 30 times, analysis claimed once,
    and only the page whose count completed the file is told so (the others skip the claim)."""
    cluster = make_cluster(rabbitmq_url)
    sessions = cluster.runtime.sessions
    with transaction(sessions) as s:
        batch = repo.get_or_create_batch(s, "race")
        source, _ = repo.add_source_file(s, batch, sha256="0" * 64, object_key="sources/x", original_path="x.pdf",
                                         size=1, media_type="application/pdf")
        page_ids = [page_id for page_id, _ in repo.upsert_pages(s, source.id, [(n, f"k{n}", 300) for n in range(1, 31)])]
        source.page_count, source.status = 30, "reading"
        file_id = source.id
    start = threading.Barrier(10)
    claims: list[bool] = []
    last_pages: list[bool] = []

    def finish(ids: list[int]) -> None:
        start.wait()
        for page_id in ids:
            with transaction(sessions) as s:
                last_pages.append(repo.finish_page(s, page_id, text=None, words_key=None, error=None).completes_file)
                assert repo.finish_page(s, page_id, text=None, words_key=None, error=None) is None  # counted once
            with transaction(sessions) as s:
                claims.append(repo.claim_analysis(s, file_id))

    threads = [threading.Thread(target=finish, args=(page_ids[i::10],)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with transaction(sessions) as s:
        source = s.get(SourceFile, file_id)
        assert (source.pages_done, source.status) == (30, "analysing")
    assert claims.count(True) == 1 and len(claims) == 30
    assert last_pages.count(True) == 1 and len(last_pages) == 30


# -- 6. a worker process holds no more pages than it has threads -------------------------------------

def test_a_worker_of_one_thread_holds_one_page_and_leaves_the_rest_to_others(tmp_path, make_cluster, rabbitmq_url):
    """While a one-thread worker reads the first of four slow pages, the other three stay ready in
    RabbitMQ for any other worker (dramatiq's default prefetch would hold a second one inside the
    busy process, where an idle one cannot take it)."""
    folder = tmp_path / "scans"
    save_scan(folder / "slow.tif", [40, 41, 42, 43], [engines.SLOW] * 4)
    cluster = make_cluster(rabbitmq_url)
    cluster.start_workers(processes=1, threads=1)
    cluster.submit(folder, "held")
    broker = make_broker(cluster.env["SOHOA_BROKER_URL"])
    try:
        ready = _first_steady_depth(broker, "sohoa.ocr")
    finally:
        broker.close()
    assert ready == 3, f"pages left ready while the first is read: {ready}"
    cluster.wait("held")
    assert_batch_complete(cluster, "held", files=1, pages=4)


def _first_steady_depth(broker, queue: str, timeout_s: float = 30) -> int:
    """The first non-zero ``ready`` count of ``queue`` seen three times in a row, 0.2 s apart
    (shorter than a slow page's reading, so it is read while the first page is)."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        seen.append(queue_depths(broker, [queue])[queue]["ready"])
        if len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3] != 0:
            return seen[-1]
        time.sleep(0.2)
    raise AssertionError(f"{queue} never held steady: {seen}")
