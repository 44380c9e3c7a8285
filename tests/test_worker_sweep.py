"""The sweep for stalled work (lost messages): what it claims, that it claims each file once even when
several sweeps run at once (one per worker machine), that it leaves a backlog alone, and that the
``sweep_stalled`` actor brings lost work to the end - on the embedded default and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from pathlib import Path

import dramatiq
import pytest
from sqlalchemy import select, update

from schemas.settings import load_settings
from schemas.tables import Page, SourceFile
from storage import repo
from storage.db import transaction
from tests.pg import make_pg_database
from tests.test_workflow import ScriptedEngine, _page_png
from workers import tasks
from workers.actors import STALL_SECONDS
from workers.app import build_app
from workers.embedded import _join_all, ensure_database
from workers.intake import register_paths

LONG_AGO = dt.timedelta(hours=2)


@pytest.fixture
def scans(tmp_path: Path) -> Path:
    folder = tmp_path / "scans"
    folder.mkdir()
    for n in range(3):
        _page_png(folder / f"f{n}.png", n)
    return folder


def _app(settings):
    ensure_database(settings)
    return build_app(settings, ocr_engine=ScriptedEngine())


def lost_work(rt, folder: Path, batch: str) -> dict[str, int]:
    """Three files whose messages were lost: one never ingested, one whose page was never sent, one
    read in full and claimed whose analysis was never sent; all of them quiet for two hours."""
    report = register_paths(rt, [folder], batch)  # nothing is sent: every ingest message "lost"
    never_ingested, pages_lost, analysis_lost = report.to_process
    tasks.ingest_file(rt, pages_lost)  # pages made, their read_page messages "lost"
    [page] = tasks.ingest_file(rt, analysis_lost)
    assert tasks.read_page(rt, page) == analysis_lost  # claimed; the analyse_file message "lost"
    with transaction(rt.sessions) as s:
        s.execute(update(SourceFile).values(updated_at=dt.datetime.now(dt.timezone.utc) - LONG_AGO))
    return {"ingest_file": never_ingested, "read_page": pages_lost, "analyse_file": analysis_lost}


def test_each_stalled_file_is_claimed_by_one_sweep_per_stall_window(embedded_settings, scans):
    rt, _ = _app(embedded_settings)
    lost = lost_work(rt, scans, "b")
    with transaction(rt.sessions) as s:
        page_id = s.scalar(select(Page.id).where(Page.source_file_id == lost["read_page"]))

    first = tasks.claim_stalled_work(rt, STALL_SECONDS)
    second = tasks.claim_stalled_work(rt, STALL_SECONDS)  # another machine's sweep, just after

    assert first == {"ingest_file": [lost["ingest_file"]], "read_page": [page_id],
                     "analyse_file": [lost["analyse_file"]], "claim": []}
    assert second == {"ingest_file": [], "read_page": [], "analyse_file": [], "claim": []}
    # Still stalled one window later (the re-sent message was lost too): claimed again.
    with transaction(rt.sessions) as s:
        s.execute(update(SourceFile).values(updated_at=dt.datetime.now(dt.timezone.utc) - LONG_AGO))
    assert tasks.claim_stalled_work(rt, STALL_SECONDS) == first


def test_work_that_moved_recently_is_not_stalled(embedded_settings, scans):
    rt, _ = _app(embedded_settings)
    lost_work(rt, scans, "b")
    with transaction(rt.sessions) as s:
        s.execute(update(SourceFile).values(updated_at=dt.datetime.now(dt.timezone.utc)))
    assert tasks.claim_stalled_work(rt, STALL_SECONDS) == {
        "ingest_file": [], "read_page": [], "analyse_file": [], "claim": []}


def test_a_stage_whose_queue_holds_messages_is_left_for_later(embedded_settings, scans):
    rt, broker = _app(embedded_settings)
    lost = lost_work(rt, scans, "b")
    rt.send("read_page", 10**6)  # a backlog in the OCR queue (no worker runs here)
    assert tasks.waiting_steps(rt) == {"read_page"}

    claimed = tasks.claim_stalled_work(rt, STALL_SECONDS)

    assert claimed["read_page"] == [] and claimed["ingest_file"] == [lost["ingest_file"]]
    with transaction(rt.sessions) as s:  # not claimed: a later sweep still finds it stalled
        quiet_since = s.get(SourceFile, lost["read_page"]).updated_at.replace(tzinfo=None)  # SQLite: naive UTC
        assert quiet_since < dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(hours=1)
    broker.flush_all()


def test_the_sweep_actor_brings_lost_work_to_the_end(embedded_settings, scans):
    rt, broker = _app(embedded_settings)
    lost_work(rt, scans, "b")
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        rt.send("sweep_stalled")
        _join_all(broker, rt, "b", None, every_s=math.inf)
    finally:
        worker.stop()
    with transaction(rt.sessions) as s:
        counts = repo.batch_progress(s, "b")
        attempts = s.scalars(select(Page.attempts)).all()
    assert counts["files_done"] == counts["files_total"] == 3 and counts["pages_done"] == 3, counts
    assert attempts == [1, 1, 1]  # each lost page sent once


@pytest.mark.services
def test_concurrent_sweeps_on_postgresql_never_claim_a_file_twice(tmp_path, scans):
    database_url, drop = make_pg_database("sohoa_sweep")
    try:
        settings = load_settings({}, var_dir=str(tmp_path / "var"), database_url=database_url)
        rt, _ = _app(settings)
        folder = tmp_path / "many"
        folder.mkdir()
        for n in range(12):
            _page_png(folder / f"m{n}.png", n)
        ids = register_paths(rt, [folder], "many").to_process
        with transaction(rt.sessions) as s:
            s.execute(update(SourceFile).values(updated_at=dt.datetime.now(dt.timezone.utc) - LONG_AGO))
        start = threading.Barrier(6)
        claims: list[list[int]] = []

        def sweep() -> None:
            start.wait()
            with transaction(rt.sessions) as s:
                claims.append(repo.claim_stalled(s, STALL_SECONDS)["ingest_file"])

        threads = [threading.Thread(target=sweep) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        claimed = [file_id for claim in claims for file_id in claim]
        assert len(claims) == 6 and sorted(claimed) == sorted(ids), claims  # every file once, by one sweep
        rt.sessions.kw["bind"].dispose()
    finally:
        drop()
