"""Ruled tables: the cells a form's grid of lines encloses.

Many offices print a form as a table, a label's cell beside its value's. Tesseract reads such a
table row by row, but a label and its value are set a column apart (the page's lines are cut at
wide gaps), a label wrapped in its narrow cell is read line by line with the value between its
lines, and the rules come back as "|" glued to the words beside them. The cells, found here from
the rules alone, tell the analysis which words sit together (:func:`pipeline.layout.page_lines`).

The rules are found on the page path's ~75 dpi copy of the page (``ocr.clean.reduced_75``): ink
runs longer than a cell's shortest side, horizontal and vertical, opened out of the page's ink; the
cells are the paper areas those rules enclose. A page without two long horizontal rules costs one
closing and one opening. A born-digital page's rules are its drawn lines (:func:`cells_of_rules`).
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.clean import REDUCED_DPI, reduced_75
from schemas.pages import BBox

INK_LEVEL = 200
"""A pixel of the reduced copy darker than this is ink: a thin rule averaged with the paper around it
is grey there, not black."""

RULE_MIN_MM = (20.0, 5.0)
"""The shortest ink run taken for a rule, (horizontal, vertical), in millimetres: a table's rules
between rows run across its width (a narrow label cell is ~25 mm wide), a row of one line is ~7 mm
high, while a letter's stroke is under 5 mm tall and few printed words form an unbroken run of 20 mm
(those that do are as tall as their letters: :func:`_thin`; an underlined heading encloses no cell)."""

RULE_MAX_MM = 0.8
"""The thickest a rule is (a form's border at 2 pt is 0.7 mm), and how far above and below it
:data:`RULE_NEIGHBOUR_INK` is measured."""

RULE_NEIGHBOUR_INK = 0.25
"""A run across with more ink than this share just above and below it is a word's letters joined (a
rule has paper there, but where the rules down cross it)."""

RULE_GAP_MM = 1.0
"""A gap this long in a rule is closed: a thin rule a bilevel scan or noise broke into dashes. (A
word's letters close up too, but no word is as long as :data:`RULE_MIN_MM`'s horizontal run, and
the spaces between words are wider.)"""

CELL_MIN_MM = (6.0, 4.0)
"""The smallest cell, (width, height) in millimetres: smaller paper areas between rules are the
gaps of a broken rule or a tick box."""

MIN_CELLS = 2
"""A page's cells count only when there are at least this many: a lone frame (a photo's box, a
bordered note) is no table."""


def find_cells(gray: np.ndarray, dpi: int) -> list[BBox]:
    """The cells of the ruled tables on a grey page at ``dpi``, as boxes in its pixels (inside the
    rules), top to bottom then left to right; empty when the page has no table."""
    small, scale = reduced_75(gray, dpi)  # the copy the blank test and the content box share
    px_per_mm = dpi * scale / 25.4
    _, ink = cv2.threshold(small, INK_LEVEL, 255, cv2.THRESH_BINARY_INV)
    bridge = max(2, round(RULE_GAP_MM * px_per_mm))
    across = _rules(ink, (max(3, int(RULE_MIN_MM[0] * px_per_mm)), 1), (bridge, 1))
    if _count_rules(across, axis=1) < 2:
        return []
    down = _rules(ink, (1, max(3, int(RULE_MIN_MM[1] * px_per_mm))), (1, bridge))
    if _count_rules(down, axis=0) < 2:
        return []  # rules across and none down: underlines, a letter's lines, no cell
    across = _thin(across, ink, px_per_mm)
    if _count_rules(across, axis=1) < 2:
        return []
    return _enclosed(across, down, scale, px_per_mm)


def cells_of_rules(rules: list[BBox], width: int, height: int, dpi: int) -> list[BBox]:
    """The cells a born-digital page's drawn lines enclose (``rules``: the boxes of its thin path
    objects, in the pixels of a ``width`` x ``height`` page at ``dpi``), as :func:`find_cells` gives."""
    scale = min(1.0, REDUCED_DPI / max(dpi, 1))  # the scale the scans' rules are found at
    px_per_mm = dpi * scale / 25.4
    shape = (max(1, round(height * scale)), max(1, round(width * scale)))
    across, down = np.zeros(shape, np.uint8), np.zeros(shape, np.uint8)
    for x0, y0, x1, y1 in rules:
        wide, tall = (x1 - x0) * scale, (y1 - y0) * scale
        if wide >= RULE_MIN_MM[0] * px_per_mm and tall < wide:
            mask = across
        elif tall >= RULE_MIN_MM[1] * px_per_mm:
            mask = down
        else:
            continue
        cv2.rectangle(mask, (int(x0 * scale), int(y0 * scale)), (int(x1 * scale), int(y1 * scale)), 255, -1)
    if _count_rules(across, axis=1) < 2:
        return []
    return _enclosed(across, down, scale, px_per_mm)


def _enclosed(across: np.ndarray, down: np.ndarray, scale: float, px_per_mm: float) -> list[BBox]:
    """The paper areas the rules enclose, of a cell's size, in the full page's pixels."""
    # a rule's pixels thickened a little: a junction the scan broke still closes its cell
    grid = cv2.dilate(cv2.bitwise_or(across, down), np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_not(grid), connectivity=4)
    height, width = grid.shape
    min_w, min_h = CELL_MIN_MM[0] * px_per_mm, CELL_MIN_MM[1] * px_per_mm
    cells: list[BBox] = []
    for x, y, w, h, area in stats[1:count]:
        if x == 0 or y == 0 or x + w >= width or y + h >= height:
            continue  # the paper around the table, not a cell
        if w < min_w or h < min_h or area < 0.8 * w * h or w * h > 0.5 * width * height:
            continue
        cells.append((int(x / scale), int(y / scale), int((x + w) / scale), int((y + h) / scale)))
    if len(cells) < MIN_CELLS:
        return []
    return sorted(cells, key=lambda box: (box[1], box[0]))


def _rules(ink: np.ndarray, kernel: tuple[int, int], bridge: tuple[int, int]) -> np.ndarray:
    """The ink runs at least as long as ``kernel`` (width, height) in its direction, once gaps up
    to ``bridge`` along it are closed."""
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))


def _thin(across: np.ndarray, ink: np.ndarray, px_per_mm: float) -> np.ndarray:
    """The runs across that lie as a rule does: thin (:data:`RULE_MAX_MM`) with paper above and below.
    A long word whose letters the closing joined ("Ngày/tháng/năm", 25 mm) has its letters' ink there."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(across, connectivity=8)
    reach = max(2, round(RULE_MAX_MM * px_per_mm))
    keep = np.zeros(count, np.uint8)
    for index in range(1, count):
        x, y, w, h, _ = stats[index]
        if h > reach:
            continue  # a band as tall as letters
        above, below = ink[max(0, y - reach):y, x:x + w], ink[y + h:y + h + reach, x:x + w]
        near = (np.count_nonzero(above) + np.count_nonzero(below)) / max(1, above.size + below.size)
        keep[index] = 255 if near < RULE_NEIGHBOUR_INK else 0
    return keep[labels]


def _count_rules(rules: np.ndarray, axis: int) -> int:
    """How many separate rules a mask of rules holds (runs of ruled rows, or columns)."""
    ruled = np.count_nonzero(rules, axis=axis) > 0
    return int(np.count_nonzero(ruled[1:] & ~ruled[:-1]) + (1 if ruled.size and ruled[0] else 0))
