"""Test doubles for the OCR seam (:class:`ocr.engine.OcrEngine`), for everyone's tests."""

from __future__ import annotations

import numpy as np

from schemas.pages import Word


class FakeOcrEngine:
    """Implements ``OcrEngine``: returns preset words, records what it was asked to read.

    ``words`` may be a list of :class:`Word` or of plain strings (laid out left to right on one
    line each, 0.95 confidence). Boxes are returned as given (in the pixels of the image passed).
    """

    def __init__(self, words: list[Word] | list[str] | None = None, conf: float = 0.95) -> None:
        self.calls: list[tuple[tuple[int, ...], int]] = []
        self._words = [self._as_word(item, index, conf) for index, item in enumerate(words or [])]

    def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
        self.calls.append((tuple(image.shape), dpi))
        return [word.model_copy() for word in self._words]

    @staticmethod
    def _as_word(item: Word | str, index: int, conf: float) -> Word:
        if isinstance(item, Word):
            return item
        x0 = 10 + 60 * index
        return Word(text=item, conf=conf, bbox=(x0, 10, x0 + 50, 40), block=1, par=1, line=1)
