"""What dossier linking decides about a file's documents (``pipeline.dossier.link_documents``), as
plain data that ``storage.repo.link_dossier`` persists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DossierLink:
    """The dossier a file's documents belong to, and what its documents say about it."""

    dossier_code: str
    receipt_index: int
    """Index (in the file's documents) of the receipt that carries the code: it speaks first."""
    applicant: str | None = None
    received_date: dt.date | None = None
    due_date: dt.date | None = None
    procedure_code: str | None = None
    procedure_name: str | None = None
    agency_name: str | None = None
    agency_e_id: str | None = None
    """The agency e-ID that heads the dossier code (``000.00.15.H26`` of ``000.00.15.H26-230512-0001``)."""
    agency_level: str | None = None
    """The agency's level as its name says (``tinh``, ``huyen``, ``xa``), None if its name does not."""
