"""Page images for the review page: the stored page turned upright and straightened as the page
path did it, so the stored word and field boxes fall on it, encoded for the browser."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import cv2
import numpy as np

from ocr.decode import RawPage
from ocr.deskew import straighten
from ocr.orient import upright
from schemas.errors import NotFound

FORMATS = {"png": ("image/png", ".png", []), "jpeg": ("image/jpeg", ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 85]),
           "webp": ("image/webp", ".webp", [cv2.IMWRITE_WEBP_QUALITY, 80])}


def choose_format(requested: str | None, accept: str) -> str:
    """The asked-for format, else WebP when the browser takes it, else JPEG."""
    if requested:
        return requested
    return "webp" if "image/webp" in accept else "jpeg"


def page_etag(sha256: str, page_no: int, rotation: int, skew: float, fmt: str) -> str:
    digest = hashlib.blake2b(f"{sha256}|{page_no}|{rotation}|{skew}|{fmt}".encode(), digest_size=12).hexdigest()
    return f'"{digest}"'


def render_page(raw: RawPage, rotation: int, skew: float, fmt: str,
                source: Callable[[], bytes] | None = None) -> tuple[bytes, str]:
    """(encoded image, media type) of a page as the page path read it, upright and straightened.
    A page read from a PDF's text layer has no image: it is rendered from the PDF (``source()``)
    at the resolution its word boxes were measured in."""
    image = raw.image
    if image is None:
        if source is None:
            raise NotFound("the page came from a PDF text layer and has no stored image")
        image = _render_pdf_page(source(), raw.page_no, raw.dpi)
        if (image.shape[1], image.shape[0]) != (raw.width, raw.height):  # PDFium rounds a pixel apart
            image = cv2.resize(image, (raw.width, raw.height), interpolation=cv2.INTER_AREA)
    if image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    image = straighten(upright(image, rotation), skew)
    if image.dtype != np.uint8:
        image = cv2.convertScaleAbs(image, alpha=255.0 / max(float(image.max()), 1.0))
    media_type, suffix, params = FORMATS[fmt]
    ok, encoded = cv2.imencode(suffix, image, params)
    if not ok:
        raise ValueError(f"cannot encode the page as {fmt}")
    return encoded.tobytes(), media_type


def _render_pdf_page(pdf: bytes, page_no: int, dpi: int) -> np.ndarray:
    # PDFium is not thread-safe: the decoder's lock serialises every call into it in this process.
    from ocr.decode import _PDFIUM_LOCK, _open_pdf, _render

    with _PDFIUM_LOCK:
        document = _open_pdf(pdf, "source")
        try:
            page = document[page_no - 1]
            try:
                return _render(page, dpi, "source", page_no)
            finally:
                page.close()
        finally:
            document.close()
