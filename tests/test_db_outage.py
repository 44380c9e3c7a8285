"""A real database outage in the middle of a batch: transient errors, retried with backoff, lose nothing.

The outage is PostgreSQL's own: the test database stops accepting connections and every open
connection to it is terminated, for a little over a second, while pages are being read. Actors
hit ``DatabaseUnavailable`` (a transient error), the retry middleware sends them again after a
backoff, and the batch ends with every file done, every page counted once and no dead letter.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from sqlalchemy import func, select, text

from schemas.errors import DatabaseUnavailable
from schemas.settings import load_settings
from schemas.tables import DeadLetter, Document, Page, SourceFile
from storage.db import transaction
from tests.pg import _admin_engine, make_pg_database
from tests.test_workflow import ScriptedEngine, _page_png
from workers.embedded import process_paths

FILES = 6
OUTAGE_SECONDS = 1.5


class SlowEngine(ScriptedEngine):
    """Reads like ScriptedEngine, slowly enough for an outage to fall in the middle; signals its first call."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()

    def recognize(self, image, dpi):
        self.started.set()
        time.sleep(0.4)
        return super().recognize(image, dpi)


def _cut_database(database: str, cut: list[int], refused: threading.Event | None = None) -> None:
    """Refuse connections to ``database`` and cut the open ones (how many into ``cut``), tell
    ``refused``, then recover after :data:`OUTAGE_SECONDS`."""
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
            cut.append(connection.execute(
                text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :name"),
                {"name": database},
            ).scalar_one())
            if refused is not None:
                refused.set()
            time.sleep(OUTAGE_SECONDS)
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))
    finally:
        admin.dispose()


def _outage(database: str, engine: SlowEngine, done: list[int]) -> None:
    """When OCR has begun: the outage (:func:`_cut_database`)."""
    engine.started.wait(timeout=60)
    _cut_database(database, done)


def _scans(tmp_path: Path) -> Path:
    scans = tmp_path / "scans"
    scans.mkdir()
    for seed in range(FILES):
        _page_png(scans / f"p{seed}.png", seed)
    return scans


def test_a_database_outage_mid_batch_is_retried_and_loses_nothing(tmp_path: Path, caplog):
    url, drop = make_pg_database()
    try:
        scans = _scans(tmp_path)
        settings = load_settings(
            {}, var_dir=str(tmp_path / "var"), database_url=url,
            retry_min_backoff_ms=300, retry_max_backoff_ms=1500,
        )
        engine, cut = SlowEngine(), []
        outage = threading.Thread(target=_outage, args=(url.rsplit("/", 1)[1], engine, cut), daemon=True)
        outage.start()
        with caplog.at_level(logging.WARNING):
            report = process_paths(settings, [scans], "outage", ocr_engine=engine, threads=2)
        outage.join(timeout=30)

        assert cut and cut[0] >= 1, "the outage cut no open connection: it came too late to matter"
        transient = [r for r in caplog.records if r.exc_info and isinstance(r.exc_info[1], DatabaseUnavailable)]
        assert transient, "no actor met the outage"

        from workers.runtime import current

        with transaction(current().sessions) as s:
            assert len(report.new) == FILES
            statuses = s.execute(select(SourceFile.status, func.count()).group_by(SourceFile.status)).all()
            assert dict(statuses) == {"done": FILES}
            assert s.scalar(select(func.count()).select_from(Page).where(Page.status == "done")) == FILES
            assert s.scalar(select(func.count()).select_from(Document)) == FILES
            assert s.scalar(select(func.count()).select_from(DeadLetter)) == 0
    finally:
        from workers.runtime import current

        current().sessions.kw["bind"].dispose()  # let the database be dropped
        drop()


def test_a_database_outage_while_files_are_recorded_is_retried_and_loses_nothing(tmp_path: Path, caplog):
    # the intake front is no actor: without its own retry, an outage between its transactions ended
    # the upload with the rest of the folder unrecorded
    url, drop = make_pg_database()
    try:
        scans = _scans(tmp_path)
        settings = load_settings(
            {}, var_dir=str(tmp_path / "var"), database_url=url, max_attempts=6,
            retry_min_backoff_ms=300, retry_max_backoff_ms=1500,
        )
        refused = threading.Event()

        def first_recorded(_outcome) -> None:  # the first file's transaction has committed: the next meets the outage
            if not refused.is_set():
                threading.Thread(target=_cut_database, args=(url.rsplit("/", 1)[1], [], refused), daemon=True).start()
                assert refused.wait(timeout=30)

        with caplog.at_level(logging.WARNING, logger="workers.intake"):
            report = process_paths(settings, [scans], "outage", ocr_engine=ScriptedEngine(), threads=1,
                                   on_file=first_recorded)

        assert any("intake: database unavailable" in r.getMessage() for r in caplog.records), "intake met no outage"
        from workers.runtime import current

        with transaction(current().sessions) as s:
            assert len(report.new) == FILES and len(report.messages) == FILES
            assert dict(s.execute(select(SourceFile.status, func.count()).group_by(SourceFile.status)).all()) == {"done": FILES}
            assert s.scalar(select(func.count()).select_from(DeadLetter)) == 0
    finally:
        from workers.runtime import current

        current().sessions.kw["bind"].dispose()
        drop()
