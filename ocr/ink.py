"""A pen's blue ink: which words of a page a hand filled in.

Forms are printed black and filled in with a ballpoint pen, nearly always blue; a typed value is
black. The page path reads a grey page (red stamp ink separated at intake, ``ocr.page``), so the
colour is measured once, on the colour page, as a small map carried with the page: every fourth
pixel of every fourth row is paper, black ink or blue ink. The map is turned and straightened as
the page is (:func:`follow`), and after the reading each word learns whether its ink is blue, black or both
(:func:`mark_ink`). The analysis takes blue digits as a hand's (``pipeline.analyse``):
a hand's 8 read 6 at 0.96 looks as sure to Tesseract as a typed one.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.deskew import straighten
from ocr.orient import upright
from schemas.pages import Word

STEP = 4
"""The map keeps every STEP-th pixel of every STEP-th row: at 300 dpi a pen's stroke (~0.4 mm, 5 px)
leaves a sample in most of its letters, and a word of digits tens of samples."""
PAPER, BLACK, BLUE = 0, 1, 2
INK_BELOW = 160
"""A sample darker than this (grey level) is ink: the generator's pen (RGB 20, 40, 150) is ~47, a
scanned ballpoint 60-120; a light blue tint printed behind a form's box (~200) is paper."""
BLUE_EXCESS = 20
"""Blue ink: the blue channel over the larger of green and red by more than this. A scanned pen's
stroke reads 15-60 over (its dark core the least blue; 30-60 on clean pages), black print under 15
(a real letter's, tinted by its scan: 0-15; our scans': under 5)."""
RED_EXCESS = 40
"""Red stamp ink is neither: the page path separates it, and a seal over a value says nothing of
the pen under it."""
MIN_BLUE_SAMPLES = 30
"""Fewer blue samples on a whole page than this is no pen's writing (a few tinted specks)."""
BLUE_WORD_SHARE = 0.5
BLACK_WORD_SHARE = 0.15
MIN_WORD_SAMPLES = 4
"""A word of four ink samples or more is in blue ink when at least half of them are blue, in black
when at most 15% are, and of both inks between ("CMND/CCCD:049165389276": a label's print and a
hand's digits read as one word); a word with fewer samples is left unknown."""


def ink_map(bgr: np.ndarray) -> np.ndarray | None:
    """The page's ink map (:data:`PAPER`, :data:`BLACK`, :data:`BLUE` every :data:`STEP` pixels), or
    None when the page is grey or carries no blue ink (most pages: nothing is kept for them)."""
    if bgr.ndim != 3:
        return None
    sample = np.ascontiguousarray(bgr[::STEP, ::STEP])
    blue, green, red = (cv2.extractChannel(sample, channel).astype(np.int16) for channel in range(3))
    gray = cv2.cvtColor(sample, cv2.COLOR_BGR2GRAY)
    ink = gray < INK_BELOW
    is_blue = ink & (blue - np.maximum(green, red) > BLUE_EXCESS)
    if int(np.count_nonzero(is_blue)) < MIN_BLUE_SAMPLES:
        return None
    is_red = red - np.maximum(green, blue) > RED_EXCESS
    kinds = np.where(ink & ~is_red, BLACK, PAPER).astype(np.uint8)
    kinds[is_blue] = BLUE
    return kinds


def follow(kinds: np.ndarray | None, rotation: int, skew: float) -> np.ndarray | None:
    """The map turned and straightened as the page was (``ocr.orient.upright``,
    ``ocr.deskew.straighten``): nearest samples, the enlarged canvas's corners paper."""
    if kinds is None:
        return None
    turned = upright(kinds, rotation)
    return straighten(turned, skew, interpolation=cv2.INTER_NEAREST, background=PAPER)


def mark_ink(words: list[Word], kinds: np.ndarray | None, page_shape: tuple[int, int]) -> list[Word]:
    """``words`` with their ink (``Word.ink``: "blue", "black" or "mixed", see :data:`MIN_WORD_SAMPLES`)
    on a page that has an ink map; ``page_shape``: the (height, width) of the upright, straightened
    page the boxes are in. On a page without one nothing is known of any word's ink."""
    if kinds is None or not words:
        return words
    fy, fx = kinds.shape[0] / max(page_shape[0], 1), kinds.shape[1] / max(page_shape[1], 1)
    return [_with_ink(word, kinds[int(word.bbox[1] * fy):int(np.ceil(word.bbox[3] * fy)),
                                  int(word.bbox[0] * fx):int(np.ceil(word.bbox[2] * fx))]) for word in words]


def _with_ink(word: Word, box: np.ndarray) -> Word:
    blue = int(np.count_nonzero(box == BLUE))
    ink = blue + int(np.count_nonzero(box == BLACK))
    if ink < MIN_WORD_SAMPLES:
        return word
    share = blue / ink
    colour = "blue" if share >= BLUE_WORD_SHARE else "black" if share <= BLACK_WORD_SHARE else "mixed"
    return word.model_copy(update={"ink": colour})
