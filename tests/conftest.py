"""Shared fixtures: embedded settings in a temporary folder, fresh PostgreSQL databases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from schemas.settings import Settings, load_settings

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one Tesseract thread per process, as in production
# Real test files (public scans and PDFs, sources and licences in tests/data/SOURCES.md): part of the
# repository, so that a fresh clone runs the same suite.
REALDATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def embedded_settings(tmp_path: Path) -> Settings:
    """Embedded-default settings (SQLite, local folder, stub broker) under a temporary folder."""
    return load_settings({}, var_dir=str(tmp_path / "var"), retry_min_backoff_ms=10, retry_max_backoff_ms=50)


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The real test files (tests/data); fail, not skip, when they are missing."""
    if not REALDATA.is_dir():
        pytest.fail(f"real test material missing: {REALDATA}", pytrace=False)
    return REALDATA
