"""Numbers read unsure, read a second time: the agreement of two readings as evidence.

Tesseract reads some typed dates and ID numbers of a clean page at 0.3-0.8 word confidence
("17/10/1951" at 0.73, "083204670393" at 0.49: beside a dotted leader, at the page's reading
scale), and the analysis rightly holds a value whose digits were read that unsure. This stage
reads those words once more, from the page image at a larger scale and as one block of text
(Tesseract's psm 6, no page layout analysis): the crops of the page's unsure digit words, each
scaled to :data:`LETTER_PX` letters, are stacked into one strip, one engine call per page, at
most :data:`MAX_WORDS` words (the least sure first).

A word whose second reading gives the very same characters, itself read at
:data:`MIN_SECOND_CONF` or more, keeps its text and gets the better of the two confidences
(``Word.conf``), both readings' confidences kept on it (``Word.first_conf``, ``Word.reread_conf``). A second
reading that differs by a character, splits the word, reads nothing or reads it unsure changes
nothing: disagreement never raises a confidence (nor lowers it: the first reading is what the
page path's other stages measured).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from schemas.pages import Word

MIN_DIGITS = 2
"""A word needs this many digits to be re-read (dates, ID and document numbers, not "1." items)."""

MAX_CONF = 0.95
"""Words read at this confidence or more are sure already (``pipeline.analyse.PRINTED_DIGITS_CONF``)."""

MIN_FIRST_CONF = 0.20
"""Words read under this are junk (a stamp's remains, a scribble): not worth a second reading."""

MAX_WORDS = 12
"""Words re-read per page at most (the least sure first): the strip's cost stays small."""

LETTER_PX = 30
"""Height, in pixels, the re-read words' boxes are scaled to (the page reading sees ~18-20)."""

MIN_SECOND_CONF = 0.90
"""The second reading must itself be this sure to count as agreement."""

PAD = 0.15
"""Margin kept around a word's box, as a share of its height (the box is tight on the ink)."""

GAP = 0.8
"""White space between the stacked words, as a share of :data:`LETTER_PX`."""

ReadBlock = Callable[[np.ndarray, int], list[Word]]
"""Reads one image as a single block of text (the engine's ``recognize_block``)."""


def candidates(words: list[Word]) -> list[int]:
    """Indices of the words to re-read: at least :data:`MIN_DIGITS` digits, digits at least half
    of the word, confidence in [:data:`MIN_FIRST_CONF`, :data:`MAX_CONF`); the least sure first,
    at most :data:`MAX_WORDS`."""
    chosen = []
    for index, word in enumerate(words):
        digits = sum(ch.isdigit() for ch in word.text)
        if digits >= MIN_DIGITS and 2 * digits >= len(word.text) and MIN_FIRST_CONF <= word.conf < MAX_CONF:
            chosen.append(index)
    chosen.sort(key=lambda i: words[i].conf)
    return sorted(chosen[:MAX_WORDS])


def confirm_digit_words(image: np.ndarray, dpi: int, words: list[Word], read_block: ReadBlock) -> tuple[list[Word], int, int]:
    """``words`` (boxes in ``image``'s pixels, ``image`` at ``dpi``) with each unsure digit word that
    a second reading agrees with raised to the second reading's confidence; also how many words
    were re-read and how many the second reading confirmed."""
    chosen = candidates(words)
    if not chosen:
        return words, 0, 0
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    strip, slots, strip_dpi = _stack(gray, dpi, [words[i] for i in chosen])
    found = read_block(strip, strip_dpi)
    readings = _by_slot(found, slots)
    out, confirmed = list(words), 0
    for slot, index in enumerate(chosen):
        read = readings.get(slot, [])
        if len(read) != 1:
            continue  # split, merged with a neighbour's remains, or not read: no agreement
        second = read[0]
        if second.text == words[index].text and second.conf >= MIN_SECOND_CONF:
            out[index] = words[index].model_copy(update={
                "conf": max(words[index].conf, second.conf), "reread_conf": second.conf, "first_conf": words[index].conf,
            })
            confirmed += 1
    return out, len(chosen), confirmed


def _stack(gray: np.ndarray, dpi: int, words: list[Word]) -> tuple[np.ndarray, list[tuple[int, int]], int]:
    """The words' crops, each scaled to :data:`LETTER_PX` high, one under the other on white, left
    aligned; the rows (top, bottom) of each slot in the strip, and the strip's resolution (the
    page's, scaled like its median crop)."""
    crops, scales = [], []
    height, width = gray.shape[:2]
    for word in words:
        x0, y0, x1, y1 = word.bbox
        pad = max(int(round(PAD * (y1 - y0))), 1)
        crop = gray[max(y0 - pad, 0):min(y1 + pad, height), max(x0 - pad, 0):min(x1 + pad, width)]
        if crop.size == 0:
            crop = np.full((LETTER_PX, LETTER_PX), 255, dtype=np.uint8)
        scale = LETTER_PX / max(y1 - y0, 1)
        if abs(scale - 1.0) > 0.02:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
        crops.append(crop)
        scales.append(scale)
    gap = int(round(GAP * LETTER_PX))
    strip_w = max(c.shape[1] for c in crops) + 2 * gap
    strip_h = sum(c.shape[0] for c in crops) + gap * (len(crops) + 1)
    strip = np.full((strip_h, strip_w), 255, dtype=np.uint8)
    slots, y = [], gap
    for crop in crops:
        strip[y:y + crop.shape[0], gap:gap + crop.shape[1]] = crop
        slots.append((y, y + crop.shape[0]))
        y += crop.shape[0] + gap
    strip_dpi = int(round(dpi * float(np.median(scales))))
    return np.ascontiguousarray(strip), slots, max(strip_dpi, 1)


def _by_slot(found: list[Word], slots: list[tuple[int, int]]) -> dict[int, list[Word]]:
    """The strip's words by the slot their box's middle row falls in (words between slots: none)."""
    out: dict[int, list[Word]] = {}
    for word in found:
        middle = (word.bbox[1] + word.bbox[3]) / 2
        for slot, (top, bottom) in enumerate(slots):
            if top <= middle < bottom:
                out.setdefault(slot, []).append(word)
                break
    return out
