"""The upload manifest: a CSV that says, per scan file, which dossier it belongs to.

Schema (one row per file; the first line names the columns, in any order):

================  ========  ============================================================================
column            required  value
================  ========  ============================================================================
``file``          yes       path of the scan relative to the folder given to ``upload``/``run`` (``/``
                            or ``\\``; a zip member is ``archive.zip/inner/path.pdf``); each file once
``dossier_code``  no        mã hồ sơ, e.g. ``000.00.15.H26-240115-0001`` (letters, digits, ``. - _ /``)
``procedure_code`` no       mã thủ tục hành chính ``d.dddddd``, e.g. ``1.001193``
``receiving_unit`` no       GSO code of the unit that received the dossier: 2 digits (tỉnh), 3 (huyện)
                            or 5 (xã); it must be a known unit (pre-2025 codes first, then 2025 ones).
                            It is the reviewers' scope (``source_files.receiving_unit_id``)
``received_date`` no        ``YYYY-MM-DD`` or ``DD/MM/YYYY``; a real date, not in the future
``note``          no        free text kept with the file
================  ========  ============================================================================

Encoding UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8"); the separator is ``,`` or
``;`` (read from the header line). Other columns are refused - a misspelt column would otherwise
be ignored without a word.

The whole manifest is checked before anything is uploaded: :func:`read_manifest` collects every
problem, each naming its line and column, and raises :class:`ManifestError` with all of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from schemas.errors import PermanentError
from schemas.manifest import COLUMNS

REQUIRED = ("file",)
_DOSSIER_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/-]{2,59}$")
_PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")
_UNIT_CODE = re.compile(r"^(\d{2}|\d{3}|\d{5})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

# GSO code of a receiving unit -> its admin_units id, or None when unknown.
UnitLookup = Callable[[str], int | None]


class ManifestError(PermanentError):
    """The manifest is wrong; ``problems`` lists every one, each naming its line and column."""

    code = "manifest_invalid"

    def __init__(self, path: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems)
        super().__init__(f"manifest {path}: {len(problems)} problem(s), nothing was uploaded:\n  {shown}")


@dataclass
class ManifestRow:
    """One checked row: normalised values, and the id of its receiving unit when it names one."""

    line: int
    file: str
    values: dict[str, str] = field(default_factory=dict)
    receiving_unit_id: int | None = None


def normalise_name(name: str) -> str:
    """A file name as Sohoa stores it: NFC, ``/`` separators, no leading ``./``."""
    name = unicodedata.normalize("NFC", name.strip()).replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


def read_manifest(path: Path, *, known_files: Iterable[str] | None = None,
                  unit_lookup: UnitLookup | None = None, today: dt.date | None = None) -> dict[str, ManifestRow]:
    """Rows keyed by (normalised) file name; :class:`ManifestError` listing every problem.

    ``known_files``: the names found in the upload (a row naming another file is an error);
    ``unit_lookup``: GSO code -> unit id (an unknown code is an error).
    """
    label = Path(path).name
    raw = Path(path).read_bytes()
    text, problems = _decode(raw)
    if text is None:
        raise ManifestError(label, problems)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ManifestError(label, ["line 1: the manifest is empty (a header line naming the columns is needed)"])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [normalise_name(h).lower() for h in next(reader)]
    problems += _check_header(header)
    if problems:
        raise ManifestError(label, problems)
    known = None if known_files is None else {normalise_name(n) for n in known_files}
    today = today or dt.date.today()
    rows: dict[str, ManifestRow] = {}
    line_start = 2
    for cells in reader:
        line = line_start
        line_start = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue  # blank line
        if len(cells) != len(header):
            problems.append(f"line {line}: {len(cells)} cells, the header has {len(header)}"
                            f" (is a value with '{delimiter}' missing its quotes?)")
            continue
        row = _check_row(line, dict(zip(header, cells)), problems, known, unit_lookup, today)
        if row is None:
            continue
        if row.file in rows:
            problems.append(f"line {line}, column file: {row.file!r} is already named on line {rows[row.file].line}")
            continue
        rows[row.file] = row
    if problems:
        raise ManifestError(label, problems)
    return rows


def _decode(raw: bytes) -> tuple[str | None, list[str]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [f"line {line}: not UTF-8 text (byte {raw[exc.start]:#04x});"
                      " save the manifest as \"CSV UTF-8\" and try again"]


def _check_header(header: list[str]) -> list[str]:
    problems = []
    for index, name in enumerate(header, start=1):
        if name not in COLUMNS:
            problems.append(f"line 1, column {index}: unknown column {name!r} (known: {', '.join(COLUMNS)})")
        elif header.index(name) != index - 1:
            problems.append(f"line 1, column {index}: column {name!r} appears twice")
    for name in REQUIRED:
        if name not in header:
            problems.append(f"line 1: the required column {name!r} is missing"
                            " (the separator must be ',' or ';')")
    return problems


def _check_row(line: int, cells: dict[str, str], problems: list[str], known: set[str] | None,
               unit_lookup: UnitLookup | None, today: dt.date) -> ManifestRow | None:
    before = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(f"line {line}, column {column}: {message}")

    name = normalise_name(cells.get("file", ""))
    if not name:
        bad("file", "empty (every row names a file)")
    elif name.startswith("/") or ".." in name.split("/"):
        bad("file", f"{name!r} must be relative to the uploaded folder, without '..'")
    elif known is not None and name not in known:
        bad("file", f"{name!r} is not in the upload (missing file)")
    values = {k: " ".join(unicodedata.normalize("NFC", v).split()) for k, v in cells.items() if k != "file"}
    values = {k: v for k, v in values.items() if v}
    if "dossier_code" in values and not _DOSSIER_CODE.match(values["dossier_code"]):
        bad("dossier_code", f"{values['dossier_code']!r} is not a dossier code (letters, digits, . - _ /; 3-60)")
    if "procedure_code" in values and not _PROCEDURE_CODE.match(values["procedure_code"]):
        bad("procedure_code", f"{values['procedure_code']!r} is not a procedure code like 1.001193")
    unit_id = None
    if "receiving_unit" in values:
        code = values["receiving_unit"]
        if not _UNIT_CODE.match(code):
            bad("receiving_unit", f"{code!r} is not a GSO unit code (2, 3 or 5 digits)")
        elif unit_lookup is not None:
            unit_id = unit_lookup(code)
            if unit_id is None:
                bad("receiving_unit", f"{code!r} is not a known administrative unit")
    if "received_date" in values:
        parsed = _parse_date(values["received_date"])
        if parsed is None:
            bad("received_date", f"{values['received_date']!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")
        elif parsed > today:
            bad("received_date", f"{parsed.isoformat()} is in the future")
        else:
            values["received_date"] = parsed.isoformat()
    if len(problems) > before:
        return None
    return ManifestRow(line=line, file=name, values=values, receiving_unit_id=unit_id)


def _parse_date(value: str) -> dt.date | None:
    match = _DMY.match(value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
    except ValueError:
        return None
    return None


def unit_lookup_for(session) -> UnitLookup:
    """GSO code -> admin unit id, from the database (pre-2025 units first, then 2025 ones)."""
    from sqlalchemy import select

    from schemas.tables import AdminUnit

    level = {2: "province", 3: "district", 5: "commune"}

    def lookup(code: str) -> int | None:
        for era in ("pre2025", "2025"):
            unit_id = session.scalar(select(AdminUnit.id).where(
                AdminUnit.era == era, AdminUnit.level == level[len(code)], AdminUnit.code == code))
            if unit_id is not None:
                return unit_id
        return None

    return lookup
