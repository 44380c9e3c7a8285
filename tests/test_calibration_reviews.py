"""``sohoa calibrate --reviews``: reviewers' confirmed and corrected fields become labelled samples,
and each fit is recorded in the database as a numbered version (real PostgreSQL)."""

from __future__ import annotations


import pytest
from click.testing import CliRunner
from sqlalchemy import select

from pipeline.confidence import Calibration
from schemas.results import DocumentResult, FieldResult
from schemas.tables import Calibration as CalibrationRow
from storage import repo
from storage.db import session_factory, transaction
from scripts.calibrate import calibrate, calibrate_command
from tests.pg import migrated_pg_url  # noqa: F401  (fixture)
from tests.test_eval import _make_folder


@pytest.fixture(scope="module")
def db_url(migrated_pg_url: str) -> str:
    return migrated_pg_url


def _field(key: str, value: str, ocr: float) -> FieldResult:
    return FieldResult(key=key, value=value, raw=value, confidence=0.6, status="needs_review", page=1,
                       features={"ocr_mean": ocr, "ocr_min": ocr, "valid": 1.0, f"key_{key}": 1.0})


def _reviewed_document(db_url: str, sha: str, n_fields: int = 6) -> int:
    """Save one analysed document with ``n_fields`` machine fields and return its id."""
    keys = ("full_name", "phone", "address", "id_number", "gender", "date_of_birth")[:n_fields]
    values = ("Nguyễn Văn An", "0912345678", "Xã Tân An, Huyện Càng Long, Tỉnh Trà Vinh", "051090001234", "Nam",
              "1990-03-06")
    result = DocumentResult(doc_type="don_de_nghi", type_confidence=0.9, pages=[1], status="needs_review",
                            fields={k: _field(k, v, 0.7 + 0.05 * i) for i, (k, v) in enumerate(zip(keys, values))},
                            text="ĐƠN ĐỀ NGHỊ")
    with transaction(session_factory(db_url)) as session:
        batch = repo.get_or_create_batch(session, "reviews")
        source, _ = repo.add_source_file(session, batch, sha256=sha.ljust(64, "0"), object_key=f"k/{sha}",
                                         original_path=f"{sha}.pdf", size=1, media_type="application/pdf")
        source.status, source.page_count = "analysing", 1
        (doc,) = repo.save_documents(session, source, [result])
        return doc.id


def test_confirmed_and_corrected_fields_are_labelled_samples(db_url):
    doc_id = _reviewed_document(db_url, "a")
    with transaction(session_factory(db_url)) as session:
        repo.correct_field(session, doc_id, "full_name", None, "reviewer", confirm=True)
        repo.correct_field(session, doc_id, "phone", "0912345679", "reviewer")  # the machine misread a digit
        repo.correct_field(session, doc_id, "address", "Xã Tân An, Huyện Càng Long, Tỉnh Trà Vinh", "reviewer")
        repo.correct_field(session, doc_id, "gender", "Nữ", "reviewer")
        repo.correct_field(session, doc_id, "gender", "Nam", "reviewer")  # changed their mind: the last verdict counts
    with transaction(session_factory(db_url)) as session:
        samples = {(key, right) for key, features, right in repo.review_samples(session) if features.get(f"key_{key}")}
    assert {("full_name", True), ("phone", False), ("address", True), ("gender", True)} <= samples
    assert not any(key in ("id_number", "date_of_birth") for key, _ in samples)  # nobody reviewed them


def test_calibrate_from_reviews_records_a_numbered_version(db_url, tmp_path):
    # enough reviewed fields, right and wrong, to fit on reviews alone
    for n in range(8):
        doc_id = _reviewed_document(db_url, f"r{n}")
        with transaction(session_factory(db_url)) as session:
            repo.correct_field(session, doc_id, "full_name", None, "reviewer", confirm=True)
            repo.correct_field(session, doc_id, "id_number", None, "reviewer", confirm=True)
            repo.correct_field(session, doc_id, "phone", f"09123456{n:02d}", "reviewer")
    out = tmp_path / "calibration.json"
    first = calibrate([], tmp_path / "cache", workers=1, train_text_model=False, out=out, database_url=db_url)
    folder, cache = _make_folder(tmp_path)
    second = calibrate(folder, cache, workers=1, train_text_model=False, out=out, database_url=db_url)
    with transaction(session_factory(db_url)) as session:
        rows = session.scalars(select(CalibrationRow).order_by(CalibrationRow.version)).all()
    numbers = [row.version for row in rows]
    assert numbers[-2:] == [numbers[-2], numbers[-2] + 1]
    assert [row.source for row in rows[-2:]] == ["reviews", "samples+reviews"]
    assert first.version.startswith(f"v{numbers[-2]}-") and second.version.startswith(f"v{numbers[-1]}-")
    assert "reviewed fields" in first.source and first.metrics["fields"] >= 24
    assert Calibration.load(out).version == second.version
    assert rows[-1].model["version"].startswith("cal-") and rows[-1].threshold == second.threshold


def test_the_command_needs_a_source_of_labels():
    result = CliRunner().invoke(calibrate_command, [])
    assert result.exit_code != 0 and "--reviews" in result.output


def test_workers_take_up_the_newest_recorded_calibration(db_url):
    from schemas.settings import load_settings
    from scripts.calibrate import record_calibration
    from workers.runtime import Runtime

    runtime = Runtime(settings=load_settings({"SOHOA_DATABASE_URL": db_url}), store=None,
                      sessions=session_factory(db_url), ocr_engine=None, calibration_check_seconds=0.0)
    fitted = Calibration(version="cal-test-a", threshold=0.777)
    number = record_calibration(db_url, fitted, "samples")
    context = runtime.analysis_context()
    assert context.calibration.version == f"v{number}-cal-test-a" and context.calibration.threshold == 0.777
    assert runtime.analysis_context() is context  # nothing new recorded: the same context

    newer = record_calibration(db_url, Calibration(version="cal-test-b", threshold=0.888), "reviews")
    context = runtime.analysis_context()  # a running worker sees it without a restart
    assert context.calibration.version == f"v{newer}-cal-test-b" and context.calibration.threshold == 0.888
