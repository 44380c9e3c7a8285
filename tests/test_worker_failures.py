"""Failure semantics of the actors, on the embedded default (same actors and middleware as production).

Permanent errors fail at once with the reason and are never retried; transient errors are retried
with bounded exponential backoff and do not count against the crash counter; deliveries of a file's
analysis are counted so that an analysis that kills its worker fails the file instead of looping;
reprocessing (a replayed dead letter) never overwrites a reviewer's correction.

OCR goes through the engine seam (an object passed to ``process_paths``).
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from schemas.errors import OcrFailed, OcrTimeout, StoreUnavailable
from schemas.settings import load_settings
from schemas.tables import DeadLetter, Document, FieldValue, Page, SourceFile
from storage import repo
from storage.db import transaction
from storage.export import iter_records
from tests.s3server import S3Server, s3_server  # noqa: F401  (fixture)
from tests.tcpproxy import TcpProxy
from tests.test_workflow import ScriptedEngine, _page_png
from workers import tasks
from workers.app import build_app
from workers.embedded import ensure_database, process_paths
from workers.intake import register_paths
from workers.queues import BY_ACTOR


class FailingEngine(ScriptedEngine):
    """Raises ``error`` on its first ``times`` calls (every call if None), then reads; notes when it was called."""

    def __init__(self, error: Exception, times: int | None = None) -> None:
        super().__init__()
        self.error, self.times = error, times
        self.called_at: list[float] = []

    def recognize(self, image, dpi):
        self.called_at.append(time.monotonic())
        if self.times is None or len(self.called_at) <= self.times:
            raise self.error
        return super().recognize(image, dpi)


@pytest.fixture
def one_page(tmp_path: Path) -> Path:
    path = tmp_path / "scans" / "a.png"
    path.parent.mkdir()
    _page_png(path, 1)
    return path


def _settings(tmp_path: Path, **overrides):
    values = {"var_dir": str(tmp_path / "var"), "retry_min_backoff_ms": 10, "retry_max_backoff_ms": 50}
    return load_settings({}, **{**values, **overrides})


def _page_and_letters():
    from workers.runtime import current

    with transaction(current().sessions) as s:
        page = s.scalar(select(Page))
        letters = [(d.actor, d.attempts, d.error) for d in s.scalars(select(DeadLetter))]
        return (page.status, page.error, page.attempts), letters


def test_a_permanent_error_fails_the_page_at_once_with_its_reason(tmp_path, one_page):
    engine = FailingEngine(OcrFailed("tesseract rejected the image"))
    process_paths(_settings(tmp_path), [one_page], "perm", ocr_engine=engine, threads=1)

    (status, error, attempts), letters = _page_and_letters()
    assert len(engine.called_at) == 1, "a permanent error must not be retried"
    assert (status, attempts) == ("failed", 1) and error.startswith("ocr_failed"), error
    assert letters == []  # failed with its reason, not dead-lettered
    from workers.runtime import current

    with transaction(current().sessions) as s:
        [record] = list(iter_records(s, "perm"))
    assert record["status"] == "failed" and "ocr_failed" in record["error"]


def test_transient_errors_are_retried_and_do_not_count_as_crashes(tmp_path, one_page):
    # max_attempts 1: had the two transient retries been counted as crashes, the page would fail.
    engine = FailingEngine(OcrTimeout("tesseract is slow today"), times=2)
    process_paths(_settings(tmp_path, max_attempts=1), [one_page], "flaky", ocr_engine=engine, threads=1)

    (status, error, attempts), letters = _page_and_letters()
    assert len(engine.called_at) == 3 and status == "done" and error is None
    assert attempts == 1  # the two deliveries that ended with the error were un-counted: not crashes
    assert letters == []


def test_transient_retries_back_off_exponentially_up_to_the_bound_then_dead_letter(tmp_path, one_page):
    min_ms, max_ms = 100, 400
    engine = FailingEngine(OcrTimeout("tesseract never answers"))
    settings = _settings(tmp_path, retry_min_backoff_ms=min_ms, retry_max_backoff_ms=max_ms)
    process_paths(settings, [one_page], "down", ocr_engine=engine, threads=1)

    bound = BY_ACTOR["read_page"].max_retries
    assert len(engine.called_at) == bound + 1, "retried exactly the bound of the queue table"
    gaps_ms = [1000 * (b - a) for a, b in zip(engine.called_at, engine.called_at[1:])]
    for retry, gap in enumerate(gaps_ms):
        backoff = min(max_ms, min_ms * 2**retry)
        assert gap >= backoff / 2 - 5, (retry, gaps_ms)  # dramatiq's jitter: between half and all of it
    # Bounded: without the bound the last gap would be at least 100 * 2**4 / 2 = 800 ms.
    assert max(gaps_ms) < max_ms + 350, gaps_ms
    (status, error, _), letters = _page_and_letters()
    assert status == "failed" and error.startswith("dead_letter: ocr_timeout"), error
    assert letters == [("read_page", bound + 1, letters[0][2])] and "ocr_timeout" in letters[0][2]


def _processed(tmp_path, one_page, **overrides):
    from workers.runtime import current

    process_paths(_settings(tmp_path, **overrides), [one_page], "b", ocr_engine=ScriptedEngine(), threads=1)
    rt = current()
    with transaction(rt.sessions) as s:
        source = s.scalar(select(SourceFile))
        return rt, source.id, source.attempts


def test_an_analysis_delivered_too_often_fails_the_file_with_the_reason(tmp_path, one_page):
    rt, file_id, attempts = _processed(tmp_path, one_page, max_attempts=2)
    assert attempts == 1  # the counter restarted at the fan-in: it counts analysis deliveries only
    with transaction(rt.sessions) as s:
        source = s.get(SourceFile, file_id)
        source.status, source.attempts = "analysing", 2  # as if two deliveries had killed their workers

    tasks.analyse_file(rt, file_id)

    with transaction(rt.sessions) as s:
        source = s.get(SourceFile, file_id)
        assert source.status == "failed" and source.attempts == 3
        assert source.error.startswith("too_many_attempts") and "analysis" in source.error
        [record] = list(iter_records(s, "b"))
    assert record["status"] == "failed" and "too_many_attempts" in record["error"]


def test_analysis_retries_after_transient_errors_are_not_counted_as_crashes(tmp_path, one_page):
    rt, file_id, _ = _processed(tmp_path, one_page, max_attempts=2)
    with transaction(rt.sessions) as s:
        source = s.get(SourceFile, file_id)
        source.status, source.attempts = "analysing", 2  # two earlier deliveries, both retried by the middleware

    tasks.analyse_file(rt, file_id, retries=2)

    with transaction(rt.sessions) as s:
        source = s.get(SourceFile, file_id)
        assert (source.status, source.error, source.attempts) == ("done", None, 3)


def test_reanalysing_a_done_file_is_not_counted(tmp_path, one_page):
    rt, file_id, attempts = _processed(tmp_path, one_page, max_attempts=1)
    for _ in range(3):  # duplicates and reprocessing of a finished file never fail it
        tasks.analyse_file(rt, file_id)
    with transaction(rt.sessions) as s:
        source = s.get(SourceFile, file_id)
        assert (source.status, source.attempts) == ("done", attempts)


def test_a_replayed_dead_page_keeps_the_reviewers_corrections(tmp_path, one_page):
    """Reprocessing from the page up (dead letter replayed, page read again, file re-analysed)."""
    rt, file_id, _ = _processed(tmp_path, one_page)
    with transaction(rt.sessions) as s:
        doc = s.scalar(select(Document).where(Document.source_file_id == file_id))
        doc_id = doc.id
        machine_keys = {f.key for f in doc.fields if f.is_current}
        for key in machine_keys:  # the reviewer goes through every field: the document becomes reviewed
            repo.correct_field(s, doc_id, key, "Nguyễn Văn Ân" if key == "full_name" else None, "reviewer@xa",
                               confirm=key != "full_name")
        page_id = s.scalar(select(Page.id))
    with transaction(rt.sessions) as s:
        assert s.get(Document, doc_id).status == "reviewed"
        # The page is dead-lettered, as DeadLetters + give_up leave it, then replayed.
        s.get(Page, page_id).status, s.get(Page, page_id).error = "failed", "dead_letter: ocr_timeout"
        s.get(SourceFile, file_id).status = "failed"
        repo.reset_for_replay(s, "read_page", [page_id])  # what `sohoa dlq replay` does before sending

    ready = tasks.read_page(rt, page_id)
    assert ready == file_id
    tasks.analyse_file(rt, ready)

    with transaction(rt.sessions) as s:
        doc = s.get(Document, doc_id)
        current = {f.key: f for f in doc.fields if f.is_current}
        assert doc.status == "reviewed" and s.get(SourceFile, file_id).status == "done"
        assert current["full_name"].value == "Nguyễn Văn Ân" and current["full_name"].origin == "reviewer"
        assert all(f.origin == "reviewer" for f in current.values()), {k: f.origin for k, f in current.items()}
        assert set(current) == machine_keys
        one_current = s.execute(
            select(FieldValue.key, func.count()).where(FieldValue.document_id == doc_id, FieldValue.is_current)
            .group_by(FieldValue.key)
        ).all()
        assert all(n == 1 for _, n in one_current)


def test_a_reviewed_file_that_later_fails_keeps_the_reviewers_document(tmp_path, one_page):
    """Reprocessing that ends in failure marks the file failed but leaves the reviewed document alone."""
    rt, file_id, _ = _processed(tmp_path, one_page, max_attempts=1)
    with transaction(rt.sessions) as s:
        doc = s.scalar(select(Document).where(Document.source_file_id == file_id))
        doc_id, doc_type = doc.id, doc.doc_type
        for key in {f.key for f in doc.fields if f.is_current}:
            repo.correct_field(s, doc_id, key, "Nguyễn Văn Ân" if key == "full_name" else None, "reviewer@xa",
                               confirm=key != "full_name")
    with transaction(rt.sessions) as s:
        source = s.get(SourceFile, file_id)
        source.status, source.attempts = "analysing", 1  # reprocessed, and its analysis keeps crashing

    tasks.analyse_file(rt, file_id)

    with transaction(rt.sessions) as s:
        source, doc = s.get(SourceFile, file_id), s.get(Document, doc_id)
        assert source.status == "failed" and source.error.startswith("too_many_attempts")
        assert (doc.status, doc.doc_type, doc.error) == ("reviewed", doc_type, None)
        current = {f.key: f.value for f in doc.fields if f.is_current}
        assert current.get("full_name") == "Nguyễn Văn Ân"


def test_a_page_message_duplicated_during_a_store_outage_is_retried_not_failed_as_a_crash(tmp_path, one_page,
                                                                                          s3_server):  # noqa: F811
    """Two copies of one page's message (a redelivery, a re-sent ingest) both meet the store down and
    are both retried: their deliveries ended with an error, so neither counts as a crash, and the
    page is read when the store is back instead of failing as too_many_attempts."""
    proxy = TcpProxy(s3_server.port, s3_server.host)
    try:
        url = S3Server("127.0.0.1", proxy.port).storage_url(f"sohoa-dup-{uuid.uuid4().hex[:10]}", retries=0)
        settings = _settings(tmp_path, storage_url=url, max_attempts=2)
        ensure_database(settings)
        rt, _ = build_app(settings, ocr_engine=ScriptedEngine())
        [file_id] = register_paths(rt, [one_page], "dup").to_process
        [page_id] = tasks.ingest_file(rt, file_id)
        proxy.cut()
        for _retry in range(4):  # each copy retried by the middleware after each error
            for _copy in range(2):
                with pytest.raises(StoreUnavailable):
                    tasks.read_page(rt, page_id)
        proxy.restore()
        assert tasks.read_page(rt, page_id) == file_id
        assert tasks.read_page(rt, page_id) is None  # the other copy finds the page read
    finally:
        proxy.close()
    with transaction(rt.sessions) as s:
        page = s.get(Page, page_id)
        assert (page.status, page.error) == ("done", None)
