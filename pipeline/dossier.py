"""Dossier linking, a pure stage: from the field values of a file's documents, the dossier they
belong to (named by a receipt's mã hồ sơ) and what they say about it. ``storage.repo.link_dossier``
persists the result (upserts the dossier, finds the procedure and the receiving agency).
"""

from __future__ import annotations

import datetime as dt
import re

from schemas.dossier import DossierLink
from pipeline.text import clean, fold

AGENCY_KEYS = ("receiving_agency", "issuing_agency")
"""Field keys that name the body that received (or issued) a file's documents, best first."""
_E_ID = re.compile(r"^(?P<e_id>[0-9A-Z]{2,4}(?:\.[0-9A-Z]{2,4}){2,4})-\d{6}-\d{4,6}$")
# "ỦY BAN NHÂN DÂN XÃ …", "UBND HUYỆN …", folded; the last one named is the body itself.
_UBND_LEVEL = re.compile(r"\b(?:uy ban nhan dan|ubnd)\s+(thi tran|thi xa|xa|phuong|huyen|quan|tinh)\b")
_LEVEL_OF_WORD = {"xa": "xa", "phuong": "xa", "thi tran": "xa", "huyen": "huyen", "quan": "huyen",
                  "thi xa": "huyen", "tinh": "tinh"}


def link_documents(values: list[dict[str, str | None]]) -> DossierLink | None:
    """The dossier of a file whose documents carry ``values`` (field key -> current value, one dict
    per document, in file order); None when no document names a dossier code."""
    code = applicant = received = due = None
    receipt = None
    for index, fields in enumerate(values):
        if fields.get("dossier_code"):
            if code is None:
                code, receipt = fields["dossier_code"], index
            applicant = applicant or fields.get("full_name")
            received = received or _as_date(fields.get("received_date"))
            due = due or _as_date(fields.get("due_date"))
    if code is None or receipt is None:
        return None
    ordered = [values[receipt]] + [v for i, v in enumerate(values) if i != receipt]  # the receipt speaks first
    agency = _first_value(ordered, *AGENCY_KEYS)
    return DossierLink(
        dossier_code=code, receipt_index=receipt, applicant=clean(applicant) if applicant else None,
        received_date=received, due_date=due, procedure_code=_first_value(ordered, "procedure_code"),
        procedure_name=_first_value(ordered, "procedure_name"), agency_name=agency, agency_e_id=agency_e_id(code),
        agency_level=agency_level_named(agency) if agency else None,
    )


def agency_e_id(dossier_code: str) -> str | None:
    """The agency e-ID that heads a dossier code."""
    match = _E_ID.match(dossier_code)
    return match.group("e_id") if match else None


def agency_level_named(name: str) -> str | None:
    """The agency's level as its name says: a Sở is the province's, "UBND xã/huyện/tỉnh …" says it."""
    folded = fold(name)
    if re.search(r"(?:^| )so ", folded):
        return "tinh"  # a Sở is a department of the province
    named = _UBND_LEVEL.findall(folded)
    return _LEVEL_OF_WORD[named[-1]] if named else None


def _first_value(values: list[dict[str, str | None]], *keys: str) -> str | None:
    """The first non-empty value of any of ``keys`` (in key order, then document order)."""
    for key in keys:
        for fields in values:
            if fields.get(key):
                return fields[key]
    return None


def _as_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
