"""What the analysis side produces: documents cut from a file, typed, with scored fields."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from schemas.pages import BBox

DocumentStatus = Literal["pending", "auto_accepted", "needs_review", "reviewed", "failed"]
FieldStatus = Literal["auto_accepted", "needs_review", "corrected", "confirmed"]

PageRole = Literal["title", "continuation", "attachment"]

DOCUMENT_STATUSES: tuple[str, ...] = ("pending", "auto_accepted", "needs_review", "reviewed", "failed")
FIELD_STATUSES: tuple[str, ...] = ("auto_accepted", "needs_review", "corrected", "confirmed")


class FieldResult(BaseModel):
    """One extracted field with its evidence and score."""

    key: str
    value: str | None = Field(None, description="Normalised value (docs/architecture.md rules); None if not found")
    raw: str | None = Field(None, description="Text as read from the page")
    confidence: float = Field(0.0, ge=0.0, le=1.0, description="Calibrated probability that value is right")
    status: FieldStatus = "needs_review"
    page: int | None = None
    bbox: BBox | None = None
    checks: dict[str, bool] = Field(default_factory=dict, description="Validator results, e.g. cccd_matches_dob")
    features: dict[str, float] = Field(default_factory=dict, description="Inputs of the confidence model")
    note: str | None = Field(None, description="Why a value is unsure, e.g. 'handwritten number'")
    label: str | None = Field(None, description="The printed label (folded) that found the value; None if the layout did")


class DocumentResult(BaseModel):
    """One document cut from a source file."""

    doc_type: str = "khac"
    type_confidence: float = Field(0.0, ge=0.0, le=1.0)
    type_cues: list[str] = Field(default_factory=list, description="Why this type: title, symbol, classifier")
    pages: list[int] = Field(default_factory=list, description="1-based pages of the source file")
    page_roles: list[PageRole] = Field(default_factory=list,
                                       description="Role of each page of ``pages``: title, continuation, attachment")
    fields: dict[str, FieldResult] = Field(default_factory=dict)
    status: DocumentStatus = "needs_review"
    text: str = ""
    unit: dict[str, str | None] = Field(default_factory=dict, description="province/district/commune GSO codes")
    error: str | None = None
