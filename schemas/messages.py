"""Queue messages: ids and object keys only, never image bytes."""

from __future__ import annotations

from pydantic import BaseModel


class IngestFile(BaseModel):
    """Split a stored source file into pages."""

    source_file_id: int


class ReadPage(BaseModel):
    """Run the page path (orientation, deskew, clean, OCR) on one stored page image."""

    page_id: int


class AnalyseFile(BaseModel):
    """All pages of a file are read: split into documents, classify, extract, persist."""

    source_file_id: int
