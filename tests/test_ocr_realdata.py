"""Every real scan file in tests/data either decodes (and its pages get an orientation) or fails with
a clear PermanentError reason. Decode + orientation only, to stay fast; OCR is covered elsewhere."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from ocr.decode import iter_pages
from ocr.orient import detect_orientation
from schemas.errors import PermanentError
from tests.conftest import REALDATA as REAL

SCAN_SUFFIXES = {".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png"}
FILES = sorted(p for p in REAL.rglob("*") if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES)
EXPECTED_FAILURES = {
    "ocrmypdf/hugemono.pdf": "image_too_large",
    "ocrmypdf/invalid.pdf": "corrupt_file",
    "pdfplumber/password-example.pdf": "encrypted",
    "pypdf/crazyones-encrypted-256.pdf": "encrypted",
    "pypdf/encrypted-file.pdf": "encrypted",
    "pypdf/encryption/r4-aes-user-password.pdf": "encrypted",
    "pypdf/encryption/r6-user-password.pdf": "encrypted",
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REAL)))
def test_every_real_file_processes_or_fails_clearly(path: Path):
    name = str(path.relative_to(REAL))
    try:
        count = 0
        for page in iter_pages(path.read_bytes(), name, dpi=150):
            count += 1
            assert page.width > 0 and page.height > 0
            if page.image is not None:
                assert page.image.dtype.name == "uint8"
                gray = page.image if page.image.ndim == 2 else cv2.cvtColor(page.image, cv2.COLOR_BGR2GRAY)
                assert detect_orientation(gray, page.dpi).rotation in (0, 90, 180, 270)
            else:
                assert page.text_words
        assert count >= 1
        assert name not in EXPECTED_FAILURES
    except PermanentError as error:
        assert EXPECTED_FAILURES.get(name) == error.code, error.reason
        assert len(str(error)) > 10
