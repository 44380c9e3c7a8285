"""Reference data of the one-stop database: administrative units, old→new mapping, procedures.

Sources, all offline:

* units before the 2025 reform (63 provinces, ~700 districts, ~10,000 communes) and after it
  (34 provinces, 3,321 communes, no districts) from the ``vietnamadminunits`` package (MIT) data
  files, with GSO codes;
* the old→new mapping from the same package's converter table (a divided commune maps to several
  new communes; its default successor is inserted first, so it has the lowest mapping id);
* a *seed* list of procedures (``storage/data/procedures.csv``), not the national catalogue.

:func:`load_reference_data` inserts what is missing, in one transaction, with bulk executemany;
a second run inserts nothing. :func:`load_gazetteer` builds the pure address resolver's
gazetteer from the database, once per process.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import importlib.util
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.orm import Session

from units.gazetteer import ERA_2025, PRE2025, Gazetteer, UnitKey, UnitRow
from units.text import clean, fold
from schemas.errors import ConfigError
from schemas.tables import AdminUnit, Procedure, UnitMapping

PROCEDURES_CSV = Path(__file__).resolve().parent / "data" / "procedures.csv"

# The reform took effect on 1 July 2025 (Nghị quyết 202/2025/QH15 and the commune resolutions).
REFORM_DATE = dt.date(2025, 7, 1)

# Canonical spelling of the type words; the package's files mix 'Thị Trấn' and 'Thị trấn'.
UNIT_TYPES = ("Thành phố", "Tỉnh", "Quận", "Huyện", "Thị xã", "Thị trấn", "Phường", "Xã", "Đặc khu")
PARENT_LEVEL = {
    (PRE2025, "district"): "province",
    (PRE2025, "commune"): "district",
    (ERA_2025, "commune"): "province",
}


# --- reading the package's data files (pure, cached) ---------------------------------------------


@dataclass(frozen=True)
class ReferenceSource:
    """Everything the loader inserts, read from the package files."""

    units: tuple[UnitRow, ...]
    mappings: tuple[tuple[UnitKey, UnitKey], ...]  # (old unit, new unit), default successor first
    procedures: tuple[dict[str, str], ...] = field(default=())


def split_unit_type(full_name: str, fallback_type: str | None) -> tuple[str, str]:
    """'Thị Trấn Ái Tử' → ('Thị trấn', 'Ái Tử'): the printed prefix wins over the package's type column."""
    full_name = clean(full_name)
    lowered = full_name.lower()
    for unit_type in UNIT_TYPES:
        if lowered.startswith(unit_type.lower() + " "):
            return unit_type, full_name[len(unit_type) + 1 :].strip()
    return (fallback_type or ""), full_name


@functools.cache
def _package_data() -> Path:
    # find_spec locates the package without importing it (its __init__ loads ~4 MB of JSON).
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the vietnamadminunits package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _query(sql: str) -> list[sqlite3.Row]:
    # Read-only: the package's file lives in site-packages and must never be written.
    uri = f"file:{_package_data() / 'dataset.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(sql).fetchall()


def _unit(era: str, level: str, code: str, full_name: str, fallback_type: str | None, parent: str | None) -> UnitRow:
    unit_type, name = split_unit_type(full_name, fallback_type)
    return UnitRow(era, level, code, name, unit_type, parent, fold(name))


def _legacy_units(keys: dict[tuple[str, ...], UnitKey]) -> list[UnitRow]:
    rows = _query(
        "SELECT DISTINCT provinceCode, province, provinceKey, districtCode, district, districtType, districtKey,"
        " wardCode, ward, wardType, wardKey FROM admin_units_legacy"
        " ORDER BY provinceCode, districtCode, wardCode"
    )
    units: dict[UnitKey, UnitRow] = {}
    for r in rows:
        province = (PRE2025, "province", r["provinceCode"])
        district = (PRE2025, "district", r["districtCode"])
        if province not in units:
            units[province] = _unit(*province, r["province"], None, None)
        if district not in units:
            units[district] = _unit(*district, r["district"], r["districtType"], r["provinceCode"])
        keys[("old", r["provinceKey"])] = province
        keys[("old", r["provinceKey"], r["districtKey"], "")] = district
        if r["wardCode"]:  # island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa…) have no communes
            commune = (PRE2025, "commune", r["wardCode"])
            units[commune] = _unit(*commune, r["ward"], r["wardType"], r["districtCode"])
            keys[("old", r["provinceKey"], r["districtKey"], r["wardKey"])] = commune
    return list(units.values())


def _units_2025(keys: dict[tuple[str, ...], UnitKey]) -> list[UnitRow]:
    rows = _query(
        "SELECT DISTINCT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey"
        " FROM admin_units ORDER BY provinceCode, wardCode"
    )
    units: dict[UnitKey, UnitRow] = {}
    for r in rows:
        province = (ERA_2025, "province", r["provinceCode"])
        commune = (ERA_2025, "commune", r["wardCode"])
        if province not in units:
            units[province] = _unit(*province, r["province"], None, None)
        units[commune] = _unit(*commune, r["ward"], r["wardType"], r["provinceCode"])
        keys[("new", r["provinceKey"])] = province
        keys[("new", r["provinceKey"], r["wardKey"])] = commune
    return list(units.values())


def _old_key(keys: dict[tuple[str, ...], UnitKey], joined: str) -> UnitKey:
    province_key, district_key, ward_key = joined.split("_")
    return keys[("old", province_key, district_key, ward_key)]


def _mappings(keys: dict[tuple[str, ...], UnitKey]) -> list[tuple[UnitKey, UnitKey]]:
    with (_package_data() / "converter_2025.json").open(encoding="utf-8") as handle:
        converter = json.load(handle)
    pairs: list[tuple[UnitKey, UnitKey]] = []
    for new_province, old_provinces in converter["DICT_PROVINCE"].items():
        pairs += [(keys[("old", old)], keys[("new", new_province)]) for old in old_provinces]
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_joined_keys in wards.items():
            new = keys[("new", new_province, new_ward)]
            pairs += [(_old_key(keys, old), new) for old in old_joined_keys]
    for new_province, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_joined, successors in divided.items():
            # The package's default successor first: it is the one used when nothing else decides.
            ordered = sorted(successors, key=lambda s: not s["isDefaultNewWard"])
            old = _old_key(keys, old_joined)
            pairs += [(old, keys[("new", new_province, s["newWardKey"])]) for s in ordered]
    return list(dict.fromkeys(pairs))  # drop repeats, keep order


def read_procedures(path: Path = PROCEDURES_CSV) -> list[dict[str, str]]:
    """The seed procedures: dicts with code, level, name, folded_name."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(line for line in handle if not line.startswith("#"))]
    return [
        {"code": row["code"].strip(), "level": row["level"].strip(), "name": clean(row["name"]),
         "folded_name": fold(row["name"])}
        for row in rows
    ]


@functools.cache
def reference_source() -> ReferenceSource:
    """All reference data as read from the package and the seed files (cached per process)."""
    keys: dict[tuple[str, ...], UnitKey] = {}
    units = _legacy_units(keys) + _units_2025(keys)
    return ReferenceSource(tuple(units), tuple(_mappings(keys)), tuple(read_procedures()))


# --- loading into the database (I/O) ------------------------------------------------------------


@dataclass
class LoadReport:
    """How many rows one load inserted (all zero when the data was already there)."""

    units: int = 0
    mappings: int = 0
    procedures: int = 0


def load_reference_data(bind: Engine | Connection) -> LoadReport:
    """Insert the missing reference rows; idempotent, and quick (< 1 s) when all are there.

    Given an engine, runs in a transaction of its own; given a connection, in the caller's
    (``upgrade_database`` loads in the same transaction as the migrations).
    """
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            return load_reference_data(connection)
    if _already_loaded(bind):
        return LoadReport()  # the usual case at start-up: three COUNT queries, no source parsing
    source = reference_source()
    report = LoadReport()
    unit_ids = _unit_ids(bind)
    report.units = _insert_units(bind, source.units, unit_ids)
    report.mappings = _insert_mappings(bind, source.mappings, unit_ids)
    report.procedures = _insert_procedures(bind, source.procedures)
    return report


def reference_counts(connection: Connection) -> dict[str, int]:
    """What the database holds: units per era and level, units without a parent where one is
    expected, old→new mappings and procedures (printed by ``sohoa db upgrade`` and ``db units``)."""
    counts: dict[str, int] = {}
    rows = connection.execute(
        select(AdminUnit.era, AdminUnit.level, func.count()).group_by(AdminUnit.era, AdminUnit.level)
    )
    for era, level, count in rows:
        counts[f"{era}.{level}"] = count
    counts["orphans"] = connection.execute(
        select(func.count()).select_from(AdminUnit).where(AdminUnit.level != "province", AdminUnit.parent_id.is_(None))
    ).scalar_one()
    counts["mappings"] = connection.execute(select(func.count()).select_from(UnitMapping)).scalar_one()
    counts["procedures"] = connection.execute(select(func.count()).select_from(Procedure)).scalar_one()
    return counts


def _already_loaded(connection: Connection) -> bool:
    """Row counts equal the sources' own counts (cheap to get) and every seed procedure is there."""
    expected_units, expected_mappings = _source_counts()
    seed_codes = [p["code"] for p in read_procedures()]
    units = connection.execute(select(func.count()).select_from(AdminUnit)).scalar_one()
    mappings = connection.execute(select(func.count()).select_from(UnitMapping)).scalar_one()
    procedures = connection.execute(
        select(func.count()).select_from(Procedure).where(Procedure.code.in_(seed_codes))
    ).scalar_one()
    return (units, mappings, procedures) == (expected_units, expected_mappings, len(seed_codes))


@functools.cache
def _source_counts() -> tuple[int, int]:
    """(units, mappings) the full load would hold, counted without building the rows."""
    units = sum(
        _query(sql)[0][0]
        for sql in (
            "SELECT COUNT(DISTINCT provinceCode) + COUNT(DISTINCT districtCode) + COUNT(DISTINCT wardCode)"
            " FROM admin_units_legacy",
            "SELECT COUNT(DISTINCT provinceCode) + COUNT(DISTINCT wardCode) FROM admin_units",
        )
    )
    with (_package_data() / "converter_2025.json").open(encoding="utf-8") as handle:
        converter = json.load(handle)
    mappings = (
        sum(len(old) for old in converter["DICT_PROVINCE"].values())
        + sum(len(old) for wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].values() for old in wards.values())
        + sum(len(new) for divided in converter["DICT_PROVINCE_WARD_DIVIDED"].values() for new in divided.values())
    )
    return units, mappings


def _unit_ids(connection: Connection, era: str | None = None, level: str | None = None) -> dict[UnitKey, int]:
    query = select(AdminUnit.era, AdminUnit.level, AdminUnit.code, AdminUnit.id)
    if era is not None:
        query = query.where(AdminUnit.era == era, AdminUnit.level == level)
    return {(e, lv, c): i for e, lv, c, i in connection.execute(query)}


def _insert_units(connection: Connection, units: Iterable[UnitRow], unit_ids: dict[UnitKey, int]) -> int:
    inserted = 0
    # Parents before children: each level needs the ids of the level above.
    for era, level in ((PRE2025, "province"), (PRE2025, "district"), (PRE2025, "commune"),
                       (ERA_2025, "province"), (ERA_2025, "commune")):
        missing = [u for u in units if u.era == era and u.level == level and (era, level, u.code) not in unit_ids]
        if not missing:
            continue
        parent_level = PARENT_LEVEL.get((era, level))
        connection.execute(insert(AdminUnit), [_unit_values(u, parent_level, unit_ids) for u in missing])
        unit_ids.update(_unit_ids(connection, era, level))
        inserted += len(missing)
    return inserted


def _unit_values(unit: UnitRow, parent_level: str | None, unit_ids: dict[UnitKey, int]) -> dict[str, object]:
    parent_id = unit_ids[(unit.era, parent_level, unit.parent_code)] if parent_level else None
    pre = unit.era == PRE2025
    return {
        "era": unit.era, "level": unit.level, "code": unit.code, "name": unit.name,
        "unit_type": unit.unit_type, "folded_name": unit.folded_name, "parent_id": parent_id,
        "valid_from": None if pre else REFORM_DATE,
        "valid_to": REFORM_DATE - dt.timedelta(days=1) if pre else None,
    }


def _insert_mappings(connection: Connection, mappings: Iterable[tuple[UnitKey, UnitKey]],
                     unit_ids: dict[UnitKey, int]) -> int:
    existing = set(connection.execute(select(UnitMapping.old_unit_id, UnitMapping.new_unit_id)).tuples())
    pairs = ((unit_ids[old], unit_ids[new]) for old, new in mappings)
    missing = [{"old_unit_id": o, "new_unit_id": n} for o, n in pairs if (o, n) not in existing]
    if missing:
        connection.execute(insert(UnitMapping), missing)
    return len(missing)


def _insert_procedures(connection: Connection, procedures: Iterable[dict[str, str]]) -> int:
    existing = set(connection.execute(select(Procedure.code)).scalars())
    missing = [dict(p) for p in procedures if p["code"] not in existing]
    if missing:
        connection.execute(insert(Procedure), missing)
    return len(missing)


# --- the gazetteer of the address resolver ------------------------------------------------------

_GAZETTEERS: dict[tuple[int, str], Gazetteer] = {}


def load_gazetteer(session: Session | Connection) -> Gazetteer:
    """The gazetteer of every unit and mapping in the database, built once per process and database."""
    bind = session.get_bind() if isinstance(session, Session) else session.engine
    key = (os.getpid(), bind.url.render_as_string(hide_password=True))
    gazetteer = _GAZETTEERS.get(key)
    if gazetteer is None:
        gazetteer = Gazetteer.from_rows(_unit_rows(session), _mapping_keys(session))
        if len(gazetteer):  # an empty one means the data is not loaded yet: look again next time
            _GAZETTEERS[key] = gazetteer
    return gazetteer


def _unit_rows(session: Session | Connection) -> Iterator[UnitRow]:
    parent = AdminUnit.__table__.alias("parent")
    unit = AdminUnit.__table__
    query = select(unit.c.era, unit.c.level, unit.c.code, unit.c.name, unit.c.unit_type, parent.c.code,
                   unit.c.folded_name).outerjoin(parent, unit.c.parent_id == parent.c.id)
    for era, level, code, name, unit_type, parent_code, folded in session.execute(query):
        yield UnitRow(era, level, code, name, unit_type, parent_code, folded)


def _mapping_keys(session: Session | Connection) -> list[tuple[UnitKey, UnitKey]]:
    old = AdminUnit.__table__.alias("old")
    new = AdminUnit.__table__.alias("new")
    query = (
        select(old.c.era, old.c.level, old.c.code, new.c.era, new.c.level, new.c.code)
        .join_from(UnitMapping.__table__, old, UnitMapping.old_unit_id == old.c.id)
        .join(new, UnitMapping.new_unit_id == new.c.id)
        .order_by(UnitMapping.id)  # the default successor was inserted first
    )
    return [((oe, ol, oc), (ne, nl, nc)) for oe, ol, oc, ne, nl, nc in session.execute(query)]
