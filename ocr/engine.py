"""The seam between the page path and an OCR engine.

The page path only needs "image in, words out"; tests pass a fake (``tests/fakes_ocr.py``), the
workers pass :class:`ocr.tesseract.TesseractEngine`. An engine may also offer what
:class:`BlockReader` describes (reading a strip of the page as one block of text): the page path
then re-reads the lines its layout analysis dropped (``ocr/lines.py``); without it, it does not.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from schemas.pages import Word


@runtime_checkable
class OcrEngine(Protocol):
    """Reads the words of one upright, straight, cleaned page image."""

    def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
        """Words with ``conf`` in 0..1, ``bbox`` (x0, y0, x1, y1) in ``image``'s pixels and
        ``block``/``par``/``line`` numbers in reading order. ``dpi`` is the image's resolution."""
        ...


@runtime_checkable
class BlockReader(Protocol):
    """Optional for an engine: read an image as one uniform block of text, no layout analysis."""

    def recognize_block(self, image: np.ndarray, dpi: int) -> list[Word]:
        """Like :meth:`OcrEngine.recognize`, the image taken as a single block of text lines
        (Tesseract's psm 6)."""
        ...
