"""Dossiers get their procedure, receiving agency and unit; documents get their unit (SQLite and
PostgreSQL, with the real reference data loaded by ``upgrade_database``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.results import DocumentResult, FieldResult
from schemas.tables import AdminUnit, Agency, Document, Dossier, Procedure
from pipeline.dossier import link_documents
from storage import repo
from storage.db import make_engine
from storage.migrate import upgrade_database
from tests.pg import migrated_pg_url  # noqa: F401  (fixture)

# Phường Dịch Vọng (00166), Quận Cầu Giấy (005), Hà Nội (01): GSO codes of the reference data.
DICH_VONG = {"province": "01", "district": "005", "commune": "00166"}
CODE = "000.00.15.H26-230512-0001"


@pytest.fixture(scope="module")
def pg_loaded(migrated_pg_url: str) -> str:
    return migrated_pg_url


@pytest.fixture(scope="module")
def sqlite_loaded(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('dossier') / 'sohoa.db'}"
    upgrade_database(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    return request.getfixturevalue("pg_loaded" if request.param == "postgresql" else "sqlite_loaded")


@pytest.fixture
def session(db_url) -> Iterator[Session]:
    engine = make_engine(db_url)
    with Session(engine) as db_session:
        yield db_session
        db_session.rollback()  # each test starts from the reference data only
    engine.dispose()


def _field(key: str, value: str) -> FieldResult:
    return FieldResult(key=key, value=value, raw=value, confidence=0.95, status="auto_accepted", page=1,
                       checks={"format": True})


def _receipt(**overrides) -> DocumentResult:
    fields = {"dossier_code": CODE, "full_name": "Nguyễn Văn An", "procedure_code": "2.000635",
              "received_date": "2023-05-12", "due_date": "2023-05-19",
              "address": "Phường Dịch Vọng, Quận Cầu Giấy, Hà Nội"}
    fields.update(overrides)
    return DocumentResult(doc_type="giay_tiep_nhan", type_confidence=0.97, pages=[1], status="auto_accepted",
                          fields={k: _field(k, v) for k, v in fields.items() if v is not None},
                          unit=dict(DICH_VONG), text="GIẤY TIẾP NHẬN HỒ SƠ")


def _permit(agency: str) -> DocumentResult:
    return DocumentResult(doc_type="giay_phep_xay_dung", type_confidence=0.9, pages=[2], status="auto_accepted",
                          fields={"issuing_agency": _field("issuing_agency", agency),
                                  "doc_number": _field("doc_number", "12/GPXD")},
                          unit=dict(DICH_VONG), text="GIẤY PHÉP XÂY DỰNG")


def _analyse(session: Session, sha: str, results: list[DocumentResult]) -> tuple[list[Document], Dossier | None]:
    """What the analysis actor does with a file's results: save them, link the dossier."""
    batch = repo.get_or_create_batch(session, "dossiers")
    source, _ = repo.add_source_file(session, batch, sha256=sha * 64, object_key=f"k/{sha}", original_path=f"{sha}.pdf",
                                     size=1, media_type="application/pdf")
    source.status, source.page_count = "analysing", len(results)
    docs = repo.save_documents(session, source, results)
    return docs, repo.link_dossier(session, docs, link_documents(repo.current_values(session, docs)))


def _unit(session: Session, level: str, code: str) -> AdminUnit:
    return session.scalar(select(AdminUnit).where(AdminUnit.era == "pre2025", AdminUnit.level == level,
                                                  AdminUnit.code == code))


def test_a_dossier_gets_its_procedure_agency_and_unit(session):
    docs, dossier = _analyse(session, "a", [_receipt(), _permit("ỦY BAN NHÂN DÂN PHƯỜNG DỊCH VỌNG")])
    commune = _unit(session, "commune", "00166")
    procedure = session.scalar(select(Procedure).where(Procedure.code == "2.000635"))
    assert procedure is not None  # a seed procedure
    assert dossier.procedure_id == procedure.id
    agency = session.get(Agency, dossier.agency_id)
    assert (agency.name, agency.level, agency.unit_id, agency.e_id) == (
        "ỦY BAN NHÂN DÂN PHƯỜNG DỊCH VỌNG", "xa", commune.id, "000.00.15.H26")
    assert dossier.unit_id == commune.id
    assert [d.unit_id for d in docs] == [commune.id, commune.id]
    assert all(d.dossier_id == dossier.id for d in docs)
    assert (dossier.applicant_name, dossier.received_date.isoformat()) == ("Nguyễn Văn An", "2023-05-12")


def test_reprocessing_adds_no_agency_nor_dossier(session):
    results = [_receipt(), _permit("ỦY BAN NHÂN DÂN PHƯỜNG DỊCH VỌNG")]
    _, first = _analyse(session, "b", results)
    _, again = _analyse(session, "b", results)  # same SHA-256: the same file analysed again
    # Another file of the same agency, its name printed in mixed case: still one agency.
    _, other = _analyse(session, "c", [_receipt(dossier_code="000.00.15.H26-230513-0002"),
                                       _permit("Ủy ban nhân dân  Phường Dịch Vọng")])
    assert again.id == first.id and other.id != first.id
    assert session.scalar(select(func.count()).select_from(Agency)) == 1
    assert session.scalar(select(func.count()).select_from(Dossier)) == 2
    assert other.agency_id == first.agency_id


def test_the_agency_level_follows_its_name_and_sits_in_the_matching_unit(session):
    _, dossier = _analyse(session, "d", [_receipt(), _permit("ỦY BAN NHÂN DÂN QUẬN CẦU GIẤY")])
    agency = session.get(Agency, dossier.agency_id)
    assert agency.level == "huyen"
    assert agency.unit_id == _unit(session, "district", "005").id  # the district above the address's ward
    assert dossier.unit_id == agency.unit_id


def test_without_agency_name_or_known_procedure_the_rest_is_still_linked(session):
    docs, dossier = _analyse(session, "e", [_receipt(procedure_code="9.999999")])
    assert dossier.procedure_id is None  # not in the catalogue: nothing invented
    assert dossier.agency_id is None and session.scalar(select(func.count()).select_from(Agency)) == 0
    assert dossier.unit_id == _unit(session, "commune", "00166").id
    # The agency of the same e-ID, once known, is found by it on a later receipt without a name.
    _analyse(session, "f", [_receipt(dossier_code="000.00.15.H26-230514-0003"),
                            _permit("ỦY BAN NHÂN DÂN PHƯỜNG DỊCH VỌNG")])
    _, later = _analyse(session, "g", [_receipt(dossier_code="000.00.15.H26-230515-0004")])
    assert later.agency_id is not None
    assert session.get(Agency, later.agency_id).e_id == "000.00.15.H26"


def test_unit_codes_that_disagree_resolve_to_the_deepest_consistent_unit(session):
    assert repo.resolve_unit(session, DICH_VONG).code == "00166"
    # Ward 00166 is not in district 001: the district (Ba Đình) is the deepest consistent unit.
    wrong = repo.resolve_unit(session, {"province": "01", "district": "001", "commune": "00166"})
    assert (wrong.level, wrong.code) == ("district", "001")
    assert repo.resolve_unit(session, {"province": "99", "district": None, "commune": None}) is None
    assert repo.resolve_unit(session, None) is None


def test_two_workers_upserting_one_agency_at_once_make_one_row(pg_loaded):
    """PostgreSQL (SQLite has one writer at a time): the second upsert waits for the first to commit,
    then finds its row, though the name is printed in another case."""
    import threading

    engine = make_engine(pg_loaded, pool_size=2)
    with Session(engine) as first, Session(engine) as second:
        unit_id = _unit(first, "commune", "00001").id
        mine = repo.upsert_agency(first, "UBND PHƯỜNG PHÚC XÁ", level="xa", unit_id=unit_id)  # not committed yet
        theirs: list[Agency] = []
        racer = threading.Thread(target=lambda: theirs.append(
            repo.upsert_agency(second, "UBND Phường Phúc Xá", level="xa", unit_id=unit_id)))
        racer.start()
        racer.join(timeout=1.0)
        assert racer.is_alive(), "the second upsert should wait for the first transaction"
        first.commit()
        racer.join(timeout=30)
        second.commit()
        assert theirs[0].id == mine.id
        assert first.scalar(select(func.count()).select_from(Agency).where(Agency.unit_id == unit_id)) == 1
        first.execute(Agency.__table__.delete().where(Agency.unit_id == unit_id))
        first.commit()
    engine.dispose()


def test_documents_carry_their_2025_unit_and_the_record_names_both_eras(session):
    from storage.export import build_record

    docs, _ = _analyse(session, "e", [_receipt()])
    doc = docs[0]
    # Phường Dịch Vọng joined the 2025 Phường Cầu Giấy of Thành phố Hà Nội (the reform's mapping)
    assert doc.unit_2025_id is not None
    new = session.get(AdminUnit, doc.unit_2025_id)
    assert (new.era, new.level) == ("2025", "commune") and new.parent is not None and new.parent.code == "01"
    record = build_record(doc, doc.source_file, doc.source_file.batch, {}, None)
    units = record["units"]
    assert units["pre2025"]["commune"] == {"code": "00166", "name": "Phường Dịch Vọng"}
    assert units["pre2025"]["district"]["name"] == "Quận Cầu Giấy"
    assert units["2025"]["commune"]["code"] == new.code and units["2025"]["province"]["code"] == "01"
    assert record["unit"] == DICH_VONG  # the contract's pre-2025 codes stay as they were


def test_the_2025_codes_the_analysis_named_win_over_the_default_successor(session):
    target = session.scalar(select(AdminUnit).where(AdminUnit.era == "2025", AdminUnit.level == "commune",
                                                    AdminUnit.code != "00000").order_by(AdminUnit.id).limit(1))
    receipt = _receipt()
    receipt.unit = {**DICH_VONG, "province_2025": target.parent.code, "commune_2025": target.code}
    docs, _ = _analyse(session, "f", [receipt])
    assert docs[0].unit_2025_id == target.id
