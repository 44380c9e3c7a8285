"""The export record of docs/architecture.md (``sohoa export --format jsonl``, one per document) as a model.

``storage.export`` validates every record it builds against :class:`ExportRecord`, so a record that
breaks the contract (a date not ISO, an ID number with letters, a unit code of the wrong length, an
unknown status) fails loudly where it is made instead of reaching an archive's files.

The record is the one docs/architecture.md shows, plus declared extensions (docs/architecture.md fixes the names it lists
and leaves the rest open): ``type_cues`` (why the document got its type) and, per page detail,
``blank`` (the page went the image route and was found empty, so nothing was read from it). The
models forbid any other key, so the shape cannot drift unnoticed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas import doctypes
from schemas.doctypes import DOC_TYPE_KEYS

RecordStatus = Literal["auto_accepted", "needs_review", "reviewed", "failed"]
"""Document status in the record (docs/architecture.md); ``failed`` comes with ``error``."""
FieldStatus = Literal["auto_accepted", "needs_review", "corrected", "confirmed"]
TextSource = Literal["ocr", "text_layer"]

DATE_KEYS = doctypes.keys_where(export="iso_date")
DIGIT_KEYS = doctypes.keys_where(export="digits")
DOC_NUMBER = doctypes.DOC_NUMBER

Confidence = Annotated[float, Field(ge=0.0, le=1.0)]
PageNo = Annotated[int, Field(ge=1)]


def _is_normal_text(value: str) -> bool:
    """NFC, single spaces, no leading or trailing space (docs/architecture.md: values are normalised)."""
    return unicodedata.is_normalized("NFC", value) and value == " ".join(value.split())


def check_field_value(key: str, value: str | None) -> None:
    """Raise ``ValueError`` when ``value`` is not in the normal form docs/architecture.md fixes for ``key``.

    Dates ISO ``YYYY-MM-DD`` (and real dates), ``id_number`` and ``phone`` digits only,
    ``doc_number`` like ``123/QĐ-UBND``, every value NFC with single spaces. ``None`` (not found)
    is always allowed. Used by the export and by the API before a reviewer's value is stored.
    """
    if value is None:
        return
    if not _is_normal_text(value) or not value:
        raise ValueError(f"{key}: value {value!r} is not normalised text (NFC, single spaces, not empty)")
    if key in DATE_KEYS:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(f"{key}: {value!r} is not an ISO date YYYY-MM-DD")
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{key}: {value!r} is not a real date") from None
    elif key in DIGIT_KEYS and not (value.isascii() and value.isdigit()):
        raise ValueError(f"{key}: {value!r} must be digits only")
    elif key == "doc_number" and not DOC_NUMBER.match(value):
        raise ValueError(f"{key}: {value!r} is not a số ký hiệu like 123/QĐ-UBND")


class _Closed(BaseModel):
    """No keys beyond the declared ones; no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class UnitCodes(_Closed):
    """GSO codes of the document's unit: 2-digit province, 3-digit district, 5-digit commune."""

    province: Annotated[str, Field(pattern=r"^\d{2}$")] | None
    district: Annotated[str, Field(pattern=r"^\d{3}$")] | None
    commune: Annotated[str, Field(pattern=r"^\d{5}$")] | None


class NamedUnit(_Closed):
    """One administrative unit: GSO code and name as printed ("Phường Phúc Xá")."""

    code: Annotated[str, Field(pattern=r"^\d{2,5}$")]
    name: str = Field(min_length=1)


class PreReformUnits(_Closed):
    province: NamedUnit | None
    district: NamedUnit | None
    commune: NamedUnit | None


class ReformUnits(_Closed):
    """After the 2025 reform: provinces and communes, no districts."""

    province: NamedUnit | None
    commune: NamedUnit | None


class BothEras(_Closed):
    """Extension: the document's unit before the 2025 reform and the one it became part of."""

    pre2025: PreReformUnits
    reform_2025: ReformUnits = Field(alias="2025")

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class FieldRecord(_Closed):
    """One field of the record: its normalised value, score, status and where it was read."""

    value: str | None
    confidence: Confidence
    status: FieldStatus
    page: PageNo | None
    bbox: Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=4, max_length=4)] | None

    @field_validator("bbox")
    @classmethod
    def _ordered(cls, bbox: list[int] | None) -> list[int] | None:
        if bbox is not None and (bbox[0] > bbox[2] or bbox[1] > bbox[3]):
            raise ValueError(f"bbox {bbox} is not [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1")
        return bbox


class PageDetail(_Closed):
    """How one page lay on the scan and how it was read."""

    page: PageNo
    rotation: Literal[0, 90, 180, 270]
    skew: float = Field(ge=-90.0, le=90.0)
    text_source: TextSource
    ocr_confidence: Confidence | None
    blank: bool = False
    """Extension: the page was found empty (nothing read; ``ocr_confidence`` is null)."""
    role: Literal["title", "continuation", "attachment"] | None = None
    """Extension: the page's part in its document - its title page, a further page, or an attached
    annex/list/table (null for a failed document, whose pages were not analysed)."""


class Disagreement(_Closed):
    """A value the document reads differently from the manifest (the field went to review)."""

    document: str
    manifest: str


class IntakeRecord(_Closed):
    """Extension: the file's row of the upload manifest, and where the document disagrees with it."""

    dossier_code: str | None = None
    procedure_code: str | None = None
    receiving_unit: str | None = None
    received_date: str | None = None
    note: str | None = None
    disagreements: dict[str, Disagreement] = Field(default_factory=dict)


class ExportRecord(_Closed):
    """One document as exported (docs/architecture.md, "Export record")."""

    source: str = Field(min_length=1)
    pages: list[PageNo]
    batch: str = Field(min_length=1)
    dossier_code: str | None
    doc_type: str
    doc_type_confidence: Confidence
    status: RecordStatus
    unit: UnitCodes
    fields: dict[str, FieldRecord]
    page_details: list[PageDetail]
    text: str
    error: str | None
    type_cues: list[str] = Field(default_factory=list)
    """Extension: the evidence for ``doc_type`` (printed title, number symbol, classifier)."""
    units: BothEras | None = None
    """Extension: codes and names of the unit in both eras (pre-2025 and 2025)."""
    intake: IntakeRecord | None = None
    """Extension: the manifest's values for the file (Part 8), null without a manifest row."""

    @field_validator("doc_type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in DOC_TYPE_KEYS:
            raise ValueError(f"unknown doc_type {value!r}")
        return value

    @field_validator("text")
    @classmethod
    def _nfc(cls, value: str) -> str:
        if not unicodedata.is_normalized("NFC", value):
            raise ValueError("text is not Unicode NFC")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ExportRecord:
        for key, field in self.fields.items():
            check_field_value(key, field.value)
        if self.status == "failed" and not self.error:
            raise ValueError("a failed document must say why (error)")
        if self.pages != sorted(set(self.pages)):
            raise ValueError(f"pages {self.pages} are not ascending and distinct")
        detailed = [d.page for d in self.page_details]
        if not set(detailed) <= set(self.pages):
            raise ValueError(f"page_details {detailed} name pages outside {self.pages}")
        return self


def validate_record(record: dict) -> ExportRecord:
    """The record as a model; ``pydantic.ValidationError`` names what breaks the contract."""
    return ExportRecord.model_validate(record)
