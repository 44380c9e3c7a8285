"""Ops pieces on the embedded default: masked JSON logs, the outbox relay, retries through a store
outage, counters that agree with the rows, the ops view and its actions."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.exc import IntegrityError

from schemas.errors import DatabaseUnavailable, OcrTimeout, StoreUnavailable
from schemas.logging import install, mask
from schemas.settings import load_settings
from schemas.tables import Batch, OutboxMessage, Page, SourceFile
from storage import ops
from storage.db import transaction
from tests.reviewdata import page_csrf, signed_in_client
from tests.test_workflow import ScriptedEngine, _page_png
from workers import tasks
from workers.embedded import process_paths
from workers.middleware import OUTAGE_RETRIES, retry_policy
from workers.runtime import current

CCCD = "001203004567"


# -- logs ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, kept", [
    (f"CCCD {CCCD} của Nguyễn Văn An", "CCCD"),
    ("gọi 0912 345 678 hoặc +84 912345678", "gọi"),
    ("Họ và tên: Lê Hoàng Cường, sinh 12/03/1990", "sinh 12/03/1990"),
    ("full_name='TRẦN THỊ BÌNH' page 3 conf 0.95", "page 3 conf 0.95"),
])
def test_personal_data_is_masked_and_the_rest_kept(raw, kept):
    masked = mask(raw)
    for secret in (CCCD, "0912", "912345678", "Nguyễn Văn An", "Lê Hoàng Cường", "TRẦN THỊ BÌNH"):
        assert secret not in masked, masked
    assert kept in masked and "***" in masked


@pytest.fixture
def root_logging():
    """Put the root logger's handlers back after a test that installs Sohoa's."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_a_database_error_is_logged_as_json_with_ids_and_without_the_id_number(tmp_path, capsys, root_logging):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE people (cccd TEXT UNIQUE, name TEXT)"))
        connection.execute(text("INSERT INTO people VALUES (:c, :n)"), {"c": CCCD, "n": "Nguyễn Văn An"})
    install("INFO", "json")
    log = logging.getLogger("sohoa.test")
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO people VALUES (:c, :n)"), {"c": CCCD, "n": "Nguyễn Văn An"})
    except IntegrityError as exc:
        assert CCCD in str(exc)  # the driver's text quotes the row: exactly what must not reach a log
        log.exception("could not save: %s", exc, extra={"file_id": 7, "document_id": 9})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    [entry] = [e for e in lines if e["logger"] == "sohoa.test"]
    assert entry["file_id"] == 7 and entry["document_id"] == 9 and entry["level"] == "ERROR"
    dumped = json.dumps(entry, ensure_ascii=False)
    assert CCCD not in dumped and "Nguyễn Văn An" not in dumped
    assert "UNIQUE constraint failed" in dumped and "Traceback" in entry["error"]


# -- retries -------------------------------------------------------------------------------------

def test_outages_are_retried_for_long_other_transient_errors_within_the_queue_bound():
    assert retry_policy(5, 5, StoreUnavailable("down")) and retry_policy(5, 100, DatabaseUnavailable("down"))
    assert not retry_policy(5, OUTAGE_RETRIES, StoreUnavailable("down"))
    assert retry_policy(5, 4, OcrTimeout("slow")) and not retry_policy(5, 5, OcrTimeout("slow"))


class StoreOutageEngine(ScriptedEngine):
    """Reads pages; on its first call it makes the object folder unusable for ``outage_s`` seconds
    (a file where the folder was, as a store that refuses writes and reads)."""

    def __init__(self, objects: Path, outage_s: float) -> None:
        super().__init__()
        self.objects, self.outage_s = objects, outage_s
        self.restored = threading.Event()

    def recognize(self, image, dpi):
        if self.calls == 0:
            away = self.objects.with_name("objects.away")
            self.objects.rename(away)
            self.objects.write_text("not a folder")

            def restore() -> None:
                self.objects.unlink()
                away.rename(self.objects)
                self.restored.set()

            threading.Timer(self.outage_s, restore).start()
        return super().recognize(image, dpi)


def test_pages_that_met_a_store_outage_are_read_when_it_returns(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    _page_png(scans / "a.png", 1)
    settings = load_settings({}, var_dir=str(tmp_path / "var"), retry_min_backoff_ms=20, retry_max_backoff_ms=100)
    engine = StoreOutageEngine(tmp_path / "var" / "objects", outage_s=2.0)
    process_paths(settings, [scans], "outage", ocr_engine=engine, threads=1)

    assert engine.restored.is_set() and engine.calls >= 2, "the page was retried after the outage"
    with transaction(current().sessions) as s:
        assert s.scalar(select(Page.status)) == "done"
        assert s.scalar(select(SourceFile.status)) == "done"
        assert ops.counters(s)["pages"] == {"done": 1}


# -- outbox and counters ---------------------------------------------------------------------------

@pytest.fixture
def processed(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    for index in range(3):
        _page_png(scans / f"p{index}.png", index + 1)
    settings = load_settings({}, var_dir=str(tmp_path / "var"), retry_min_backoff_ms=10, retry_max_backoff_ms=50)
    process_paths(settings, [scans], "b1", ocr_engine=ScriptedEngine(fail_on={2}), threads=1)
    return settings, current()


def test_counters_agree_with_the_rows_and_the_outbox_is_empty_after_a_batch(processed):
    settings, rt = processed
    with transaction(rt.sessions) as s:
        counted = ops.counters(s)
        pages = dict(s.execute(select(Page.status, func.count()).group_by(Page.status)).all())
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        minutes = ops.pages_per_minute(s, 60)
        summary = ops.batch_summary(s, s.scalar(select(Batch)), stall_minutes=10)
    assert counted["pages"] == pages == {"done": 2, "failed": 1}
    assert counted["files"] == {"done": 3} and counted["failures"] == {"ocr_failed": 1}
    assert sum(counted["documents"].values()) == summary["documents_total"]
    assert sum(m["pages"] for m in minutes) == 3 and len(minutes) == 60
    assert summary["documents_failed"] == 1 and summary["finished"] and summary["pages_remaining"] == 0


def test_an_unsent_outbox_message_is_relayed_once_after_the_bound(processed):
    settings, rt = processed
    [file_id] = _one_file(rt)
    with transaction(rt.sessions) as s:
        s.execute(update(SourceFile).where(SourceFile.id == file_id).values(status="reading"))
    assert tasks._claim_analysis(rt, file_id) == file_id  # claimed; imagine the send failed here
    broker = rt.actors["analyse_file"].broker
    queued = broker.queues["sohoa.analyse"].qsize()

    assert tasks.relay_outbox(rt, older_than_s=60) == 0  # too young: its own sender may still send it
    with transaction(rt.sessions) as s:
        old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=120)
        s.execute(update(OutboxMessage).values(created_at=old))
    assert tasks.relay_outbox(rt, older_than_s=60) == 1
    assert broker.queues["sohoa.analyse"].qsize() == queued + 1
    assert tasks.relay_outbox(rt, older_than_s=60) == 0  # sent and deleted: never twice
    with transaction(rt.sessions) as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_page_message_delivered_again_claims_a_missing_analysis_once_without_counting(processed):
    """A page already read whose file's claim is missing (e.g. put back by hand): its message,
    delivered again, is not counted as an attempt and claims the analysis, once."""
    settings, rt = processed
    [file_id] = _one_file(rt)
    with transaction(rt.sessions) as s:
        s.execute(update(SourceFile).where(SourceFile.id == file_id).values(status="reading"))
        page_id, attempts = s.execute(select(Page.id, Page.attempts).where(Page.source_file_id == file_id)).one()

    assert tasks.read_page(rt, page_id) == file_id
    assert tasks.read_page(rt, page_id) is None  # claimed already: exactly once
    with transaction(rt.sessions) as s:
        assert s.scalar(select(Page.attempts).where(Page.id == page_id)) == attempts
        assert s.scalar(select(SourceFile.status).where(SourceFile.id == file_id)) == "analysing"
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        assert ops.counters(s)["pages"] == {"done": 2, "failed": 1}  # not counted again


def _one_file(rt) -> list[int]:
    with transaction(rt.sessions) as s:
        return [s.scalar(select(SourceFile.id).order_by(SourceFile.id).limit(1))]


# -- the ops view and its actions ------------------------------------------------------------------

def test_the_ops_view_lists_failures_by_reason_and_stalled_files(processed):
    from api.app import create_app

    settings, rt = processed
    [file_id] = _one_file(rt)
    with transaction(rt.sessions) as s:
        long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2)
        s.execute(update(SourceFile).where(SourceFile.id == file_id).values(status="analysing"))
        s.execute(update(SourceFile).values(updated_at=long_ago))  # nothing in the batch moved since
    anonymous = TestClient(create_app(settings))
    assert anonymous.get("/api/ops/failures").status_code == 401
    assert anonymous.get("/ops", follow_redirects=False).headers["location"].startswith("/login")
    client = signed_in_client(settings, rt.sessions)
    failures = client.get("/api/ops/failures").json()
    assert failures[0]["reason"] == "ocr_failed" and failures[0]["count"] == 1
    assert failures[0]["documents"][0]["document_id"]
    stalled = client.get("/api/ops/stalled").json()
    assert [f["file_id"] for f in stalled["files"]] == [file_id]
    assert stalled["batches"][0]["stalled_reasons"][0].startswith("no_progress")
    # Embedded: no worker to send to, so requeueing is refused with a reason, not a 500.
    refused = client.post(f"/api/ops/files/{file_id}/requeue")
    assert refused.status_code == 409 and "stub://" in refused.json()["detail"]
    assert client.post("/api/ops/files/999/requeue").status_code == 404
    assert client.get("/api/ops/throughput", params={"minutes": 0}).status_code == 422
    page = client.get("/ops")
    assert page.status_code == 200 and "ocr_failed" in page.text and "<svg" in page.text
    # The page's forms carry the session's CSRF token; a form without it changes nothing.
    assert client.post(f"/ops/files/{file_id}/requeue", data={"csrf": "forged"}).status_code == 403
    form = client.post(f"/ops/files/{file_id}/requeue", data={"csrf": page_csrf(client, "/ops")})
    assert form.status_code == 409  # the token passed; embedded mode has no worker to send to
    assert "Requeue" in page.text and "STALLED" in page.text
    assert "https://" not in page.text and "<script src" not in page.text  # nothing from a CDN
    metrics = client.get("/metrics").text
    assert 'sohoa_batch_idle_seconds{batch="b1"}' in metrics
    assert 'sohoa_failures_total{reason="ocr_failed"} 1.0' in metrics


def test_a_stalled_file_is_requeued_on_the_broker(processed, tmp_path):
    from workers.overview import requeue_file

    settings, rt = processed
    [file_id] = _one_file(rt)
    with transaction(rt.sessions) as s:
        s.execute(update(SourceFile).where(SourceFile.id == file_id).values(status="analysing"))
    sent = []
    result = requeue_file(rt.sessions, lambda actor, *args: sent.append((actor, *args)), file_id)
    assert sent == [("analyse_file", file_id)] and result["status"] == "analysing"
