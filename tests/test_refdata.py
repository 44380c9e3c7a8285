"""Reference data: every administrative unit of both eras, the old→new mapping and the seed procedures."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from pipeline.address import resolve_address
from pipeline.text import fold
from schemas.tables import AdminUnit, Procedure, UnitMapping
from storage.db import make_engine
from storage.migrate import upgrade_database
from storage.refdata import _package_data, load_gazetteer, load_reference_data, reference_source, split_unit_type
from tests.pg import make_pg_database


def _package_count(sql: str) -> int:
    """Counts straight from the package's own file, independent of our reader."""
    with sqlite3.connect(f"file:{_package_data() / 'dataset.db'}?mode=ro", uri=True) as connection:
        return connection.execute(sql).fetchone()[0]


EXPECTED = {
    ("pre2025", "province"): "SELECT COUNT(DISTINCT provinceCode) FROM admin_units_legacy",
    ("pre2025", "district"): "SELECT COUNT(DISTINCT districtCode) FROM admin_units_legacy",
    ("pre2025", "commune"): "SELECT COUNT(DISTINCT wardCode) FROM admin_units_legacy WHERE wardCode IS NOT NULL",
    ("2025", "province"): "SELECT COUNT(DISTINCT provinceCode) FROM admin_units",
    ("2025", "commune"): "SELECT COUNT(DISTINCT wardCode) FROM admin_units",
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded(request, tmp_path_factory) -> Iterator[tuple[str, float]]:
    """A database of each backend after ``upgrade_database`` (migrations + reference data), and its time."""
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('refdata') / 'sohoa.db'}", (lambda: None)
    else:
        url, drop = make_pg_database()
    try:
        started = time.perf_counter()
        upgrade_database(url)
        yield url, time.perf_counter() - started
    finally:
        drop()


@pytest.fixture
def session(loaded) -> Iterator[Session]:
    engine = make_engine(loaded[0])
    with Session(engine) as db_session:
        yield db_session
    engine.dispose()


def _count(session: Session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_package_counts_are_the_known_ones():
    counts = {key: _package_count(sql) for key, sql in EXPECTED.items()}
    assert counts[("pre2025", "province")] == 63
    assert 690 <= counts[("pre2025", "district")] <= 720
    assert 10_000 <= counts[("pre2025", "commune")] <= 10_700
    assert counts[("2025", "province")] == 34
    assert counts[("2025", "commune")] == 3321


@pytest.mark.parametrize("era, level", list(EXPECTED))
def test_every_unit_of_the_package_is_loaded(session, era, level):
    loaded = _count(session, AdminUnit, AdminUnit.era == era, AdminUnit.level == level)
    assert loaded == _package_count(EXPECTED[(era, level)])


def test_every_unit_below_a_province_has_a_parent_one_level_up(session):
    parent = aliased(AdminUnit)
    pairs = session.execute(
        select(AdminUnit.era, AdminUnit.level, parent.era, parent.level, func.count())
        .outerjoin(parent, AdminUnit.parent_id == parent.id)
        .group_by(AdminUnit.era, AdminUnit.level, parent.era, parent.level)
    ).all()
    shape = {(era, level): (p_era, p_level) for era, level, p_era, p_level, _n in pairs}
    assert len(pairs) == len(shape), f"one level has parents of several kinds: {pairs}"
    assert shape == {
        ("pre2025", "province"): (None, None),
        ("pre2025", "district"): ("pre2025", "province"),
        ("pre2025", "commune"): ("pre2025", "district"),
        ("2025", "province"): (None, None),
        ("2025", "commune"): ("2025", "province"),
    }


def test_codes_names_and_types_follow_the_gso_list(session):
    units = session.execute(select(AdminUnit.era, AdminUnit.level, AdminUnit.code, AdminUnit.name,
                                   AdminUnit.unit_type, AdminUnit.folded_name)).all()
    widths = {"province": 2, "district": 3, "commune": 5}
    allowed = {"province": {"Tỉnh", "Thành phố"}, "district": {"Quận", "Huyện", "Thị xã", "Thành phố"},
               "commune": {"Xã", "Phường", "Thị trấn", "Đặc khu"}}
    for era, level, code, name, unit_type, folded in units:
        assert re.fullmatch(rf"\d{{{widths[level]}}}", code), (era, level, code)
        assert unit_type in allowed[level], (code, unit_type)
        # The type is not repeated in the name ('Phường Phường Đúc' in Huế really is called 'Phường Đúc').
        assert not name.lower().startswith(unit_type.lower() + " ") or name == "Phường Đúc", (code, name)
        assert folded == fold(name)


@pytest.mark.parametrize(
    "level, code, name, unit_type, parent_code",
    [
        ("province", "01", "Hà Nội", "Thành phố", None),
        ("district", "001", "Ba Đình", "Quận", "01"),
        ("commune", "00001", "Phúc Xá", "Phường", "001"),
        ("province", "51", "Quảng Ngãi", "Tỉnh", None),
        ("district", "527", "Sơn Tịnh", "Huyện", "51"),
        ("district", "760", "1", "Quận", "79"),
        ("province", "48", "Đà Nẵng", "Thành phố", None),
    ],
)
def test_known_units(session, level, code, name, unit_type, parent_code):
    parent = aliased(AdminUnit)
    row = session.execute(
        select(AdminUnit.name, AdminUnit.unit_type, parent.code)
        .outerjoin(parent, AdminUnit.parent_id == parent.id)
        .where(AdminUnit.era == "pre2025", AdminUnit.level == level, AdminUnit.code == code)
    ).one()
    assert tuple(row) == (name, unit_type, parent_code)


def test_every_old_commune_has_a_2025_successor_and_every_new_commune_a_predecessor(session):
    old = aliased(AdminUnit)
    new = aliased(AdminUnit)
    mapped_old = select(UnitMapping.old_unit_id)
    mapped_new = select(UnitMapping.new_unit_id)
    orphans_old = _count(session, old, old.era == "pre2025", old.level == "commune", old.id.not_in(mapped_old))
    orphans_new = _count(session, new, new.era == "2025", new.level == "commune", new.id.not_in(mapped_new))
    assert (orphans_old, orphans_new) == (0, 0)
    # Every mapping goes from the old era to the new one.
    wrong = session.execute(
        select(func.count()).select_from(UnitMapping)
        .join(old, UnitMapping.old_unit_id == old.id).join(new, UnitMapping.new_unit_id == new.id)
        .where((old.era != "pre2025") | (new.era != "2025"))
    ).scalar_one()
    assert wrong == 0


def test_each_old_province_maps_to_one_new_province(session):
    old = aliased(AdminUnit)
    new = aliased(AdminUnit)
    rows = session.execute(
        select(old.code, func.count(new.id))
        .join(UnitMapping, UnitMapping.old_unit_id == old.id).join(new, UnitMapping.new_unit_id == new.id)
        .where(old.level == "province", new.level == "province").group_by(old.code)
    ).all()
    assert len(rows) == 63 and all(n == 1 for _code, n in rows)
    quang_nam_to = session.execute(
        select(new.name).join(UnitMapping, UnitMapping.new_unit_id == new.id)
        .join(old, UnitMapping.old_unit_id == old.id).where(old.era == "pre2025", old.code == "49",
                                                            old.level == "province")
    ).scalar_one()
    assert quang_nam_to == "Đà Nẵng"


def test_seed_procedures_have_national_codes(session):
    procedures = session.execute(select(Procedure.code, Procedure.level, Procedure.name, Procedure.folded_name)).all()
    assert len(procedures) == len(reference_source().procedures) >= 15
    for code, level, name, folded in procedures:
        assert re.fullmatch(r"\d\.\d{6}", code), code
        assert level in {"xa", "huyen", "tinh", "trung_uong"}
        assert folded == fold(name)
    assert {"1.001193", "1.000656", "1.000894"} <= {p.code for p in procedures}


def test_loading_is_quick_and_a_second_run_inserts_nothing(loaded):
    url, first_load_seconds = loaded
    # Generous bounds: wall clock on a shared machine is no speed figure (the first load took 15 s on
    # a loaded 2-core machine, against a 10 s bound); they still catch a load gone pathological.
    assert first_load_seconds < 60, f"first upgrade took {first_load_seconds:.1f} s"
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            before = connection.execute(select(func.count()).select_from(AdminUnit)).scalar_one()
        started = time.perf_counter()
        upgrade_database(url)
        report = load_reference_data(engine)
        elapsed = time.perf_counter() - started
        with engine.connect() as connection:
            after = connection.execute(select(func.count()).select_from(AdminUnit)).scalar_one()
    finally:
        engine.dispose()
    assert (report.units, report.mappings, report.procedures) == (0, 0, 0)
    assert before == after
    assert elapsed < 5.0, f"re-running took {elapsed:.2f} s"


def test_a_partial_load_is_completed(loaded):
    """The quick 'already loaded' check must not hide a missing row."""
    engine = make_engine(loaded[0])
    try:
        with engine.begin() as connection:
            connection.execute(delete(Procedure).where(Procedure.code == "1.001193"))
            some_mapping = connection.execute(select(func.min(UnitMapping.id))).scalar_one()
            connection.execute(delete(UnitMapping).where(UnitMapping.id == some_mapping))
        report = load_reference_data(engine)
    finally:
        engine.dispose()
    assert (report.units, report.mappings, report.procedures) == (0, 1, 1)


def test_gazetteer_from_the_database_resolves_addresses(session):
    gazetteer = load_gazetteer(session)
    assert load_gazetteer(session) is gazetteer  # cached per process
    match = resolve_address("P. Phúc Xá, Q. Ba Đình, TP Hà Nội", gazetteer)
    assert match is not None
    assert (match.province_code, match.district_code, match.commune_code) == ("01", "001", "00001")
    assert match.new_province_code == "01" and match.new_commune_code is not None


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("Thị Trấn Ái Tử", ("Thị trấn", "Ái Tử")),
        ("Thành Phố Bắc Kạn", ("Thành phố", "Bắc Kạn")),
        ("Quận 1", ("Quận", "1")),
        ("Đặc khu Côn Đảo", ("Đặc khu", "Côn Đảo")),
    ],
)
def test_split_unit_type_trusts_the_printed_prefix(printed, expected):
    assert split_unit_type(printed, "Xã") == expected


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_processes_starting_together_upgrade_once(backend, tmp_path):
    """Two upgrades at the same time on an empty database: one migrates and loads, the other waits."""
    from concurrent.futures import ThreadPoolExecutor

    if backend == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'race.db'}", (lambda: None)
    else:
        url, drop = make_pg_database()
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            for future in [pool.submit(upgrade_database, url) for _ in range(2)]:
                future.result()
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                units = connection.execute(select(func.count()).select_from(AdminUnit)).scalar_one()
        finally:
            engine.dispose()
        assert units == len(reference_source().units)
    finally:
        drop()


def test_reference_counts_report_what_the_database_holds(session):
    from storage.refdata import reference_counts

    counts = reference_counts(session.connection())
    for (era, level), sql in EXPECTED.items():
        assert counts[f"{era}.{level}"] == _package_count(sql)
    assert counts["orphans"] == 0
    assert counts["mappings"] == _count(session, UnitMapping) > 10_000
    assert counts["procedures"] == _count(session, Procedure) > 0


def test_db_units_command_prints_the_counts(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from scripts.cli import cli

    monkeypatch.setenv("SOHOA_VAR_DIR", str(tmp_path))
    for variable in ("SOHOA_DATABASE_URL", "SOHOA_STORAGE_URL"):
        monkeypatch.delenv(variable, raising=False)
    runner = CliRunner()
    upgraded = runner.invoke(cli, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    result = runner.invoke(cli, ["db", "units"])
    assert result.exit_code == 0, result.output
    assert "63 provinces" in result.output and "34 provinces" in result.output
    assert "0 without a parent" in result.output


def test_a_migrated_and_loaded_database_is_ready_without_alembic(loaded, tmp_path):
    """``sohoa run``'s start-up check (storage.dbcheck) agrees with Alembic: the loaded database is
    ready at the code's head, an empty one is not (then the full upgrade runs)."""
    from storage.dbcheck import head_from_files, is_ready
    from storage.migrate import head_revision

    assert head_from_files() == head_revision()
    assert is_ready(loaded[0])
    assert not is_ready(f"sqlite:///{tmp_path / 'empty.db'}")
