"""Text lines the engine's layout analysis dropped: found from the ink, read again on their own.

Tesseract's page segmentation (psm 3) sometimes leaves whole lines of a clean, level page out of
its answer: no word, no low-confidence junk, nothing (seen on the kltn forms straightened by the
deskew: the items "Ngày sinh", "Giới tính", "Số CCCD"… of a form all missing). The same lines come
back when read as one block of text (psm 6). This module finds, on the image the engine read, the
rows of letter-sized ink that no recognised word box covers, and has the engine read just those
bands (a little margin around them) as single blocks; the words found are mapped back to the
image's pixels and merged into the page's words: the rest of a line the first reading kept in part
joins that line, any other line is a line of its own, in reading order.

A ruled table's cell (``ocr/tables.py``) that holds ink of a letter's size and no word is read
on its own too, whatever few letters it holds: a short value alone in its cell ("Nữ" in the last
cell of a row) is the kind of text the page segmentation drops, and too short to make a row of
``MIN_LETTERS``.

What is not a dropped line is left alone: dust and dotted leaders (smaller than letters), rules,
frames and photos (larger than letters), what is left of a stamp (much lighter than the print), a
few isolated marks (fewer than ``MIN_LETTERS`` in the row), and a band whose reading is mostly
low-confidence junk. The work is capped per page (``MAX_BANDS`` bands, ``MAX_AREA_SHARE`` of
the image): a page the engine misread wholesale is not re-read line by line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.blobs import label_blobs
from schemas.pages import BBox, Word, centre_in, char_weighted_conf, line_key, same_line, union_bbox, words_by_line

MIN_LETTERS = 5
"""Uncovered letter-sized marks a row needs to be re-read (fewer: stray marks, a checkbox or two)."""

MIN_SPAN_IN_LETTERS = 4.0
"""...spread over at least this many letter heights (a blot of touching marks is no text line)."""

MAX_BANDS = 6
"""Bands re-read per page at most (the largest first): a pathological page costs little more."""

MAX_AREA_SHARE = 0.75
"""Share of the image's area re-read per page at most. Tesseract can drop a form's whole body under
its title (nine items, 45% of the cropped page, a clean scan): that band is read again; a page
with more than this left unread is not re-read line by line."""

MIN_BAND_CONF = 0.45
"""A band whose re-read words average less than this is noise read as letters: dropped."""

JOIN_GAP = 1.5
"""Dropped lines this many letter heights apart or closer (margins included) are read as one band."""

FAINT_SHARE = 0.25
"""A mark is faint when its mean grey lies this share of the way from the print's grey to white."""

GREY_SAMPLE = 200
"""The print's grey is measured on about this many of the page's read letters."""

COVER_PAD = 0.3
"""A mark counts as read when its centre lies within this many letter heights of a word's box."""


@dataclass(frozen=True)
class Band:
    """A rectangle of the image, in its pixels, holding uncovered letters (margin included)."""

    x0: int
    y0: int
    x1: int
    y1: int
    letters: int

    @property
    def area(self) -> int:
        return (self.x1 - self.x0) * (self.y1 - self.y0)


ReadBlock = Callable[[np.ndarray, int], list[Word]]
"""Reads one image as a single block of text (the engine's ``recognize_block``)."""


def recover_dropped_lines(image: np.ndarray, dpi: int, words: list[Word], read_block: ReadBlock,
                          cells: Sequence[BBox] = ()) -> tuple[list[Word], int]:
    """``words`` (the engine's reading of ``image``) with the lines it dropped read again and merged
    in; also how many bands were re-read (0 on a page where every line was read: no extra cost but
    the ink test). ``cells``: a ruled table's cells, in ``image``'s pixels."""
    bands = missed_bands(image, words, cells)
    merged, next_block = list(words), max((w.block for w in words), default=0) + 1
    for band in bands:
        found = _read_band(image, dpi, band, read_block)
        found = [w for w in found if not _overlaps_any(w, merged)]
        if not found or char_weighted_conf(found) < MIN_BAND_CONF:
            continue
        for line in _by_line(found):
            kept = _line_beside(line, merged)
            if kept is not None:  # the rest of a line the first reading kept in part
                merged = _append_to_line(merged, line, kept)
            else:
                renumbered = [w.model_copy(update={"block": next_block, "par": 1, "line": 1}) for w in line]
                merged, next_block = _insert_in_reading_order(merged, renumbered), next_block + 1
    return merged, len(bands)


def missed_bands(image: np.ndarray, words: list[Word], cells: Sequence[BBox] = ()) -> list[Band]:
    """The rows of letter-sized ink of ``image`` that no word of ``words`` covers, and the table
    cells (``cells``) holding such ink and no word, as bands to re-read (at most ``MAX_BANDS``, the
    fullest first, within ``MAX_AREA_SHARE`` of the image)."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    stats, labels = _marks(gray)
    if len(stats) == 0:
        return []
    letter = _letter_height(stats)
    if letter is None:
        return []
    letters = _letter_sized(stats, letter)
    covered = _covered(stats, words, letter, image.shape)
    uncovered = np.flatnonzero(letters & ~covered)
    empty_cells = _cells_without_words(cells, words)
    if not any(b.letters >= MIN_LETTERS for b in _rows(stats[uncovered], letter, image.shape)) and not any(
            b.letters for b in _cell_bands(stats[uncovered], empty_cells)):
        return []  # every line was read: the usual page costs no more than this
    reference = np.flatnonzero(letters & covered) if covered.any() else np.flatnonzero(letters)
    sample = reference[:: max(len(reference) // GREY_SAMPLE, 1)]
    faint = _faint(_mean_grey(gray, labels, stats, uncovered), _mean_grey(gray, labels, stats, sample))
    candidates = stats[uncovered[~faint]]
    bands = _join_neighbours([b for b in _rows(candidates, letter, image.shape) if b.letters >= MIN_LETTERS], letter)
    bands += [b for b in _cell_bands(candidates, empty_cells) if b.letters and not any(_inside(b, o) for o in bands)]
    bands.sort(key=lambda b: -b.letters)
    chosen: list[Band] = []
    budget = MAX_AREA_SHARE * image.shape[0] * image.shape[1]
    for band in bands[:MAX_BANDS]:
        if band.area <= budget:
            chosen.append(band)
            budget -= band.area
    return sorted(chosen, key=lambda b: b.y0)


def _marks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x, y, w, h, area) of each connected mark of ink (Otsu binary), and the label image (mark
    ``i`` of the stats is label ``i + 1``)."""
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, labels, stats, _ = label_blobs(ink)
    return stats[1:], labels


def _mean_grey(gray: np.ndarray, labels: np.ndarray, stats: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """Mean grey of the pixels of each of ``marks`` (indices into ``stats``), mark by mark: only the
    few marks that need it (a weighted count over the whole label image costs more than the rest
    of this module's test together)."""
    out = np.empty(len(marks))
    for n, i in enumerate(marks):
        x, y, w, h = stats[i, :4]
        own = labels[y:y + h, x:x + w] == i + 1
        out[n] = gray[y:y + h, x:x + w][own].mean()
    return out


def _faint(grey: np.ndarray, text_grey: np.ndarray) -> np.ndarray:
    """Marks much lighter than the page's print: what the red-ink step left of a stamp (a seal's
    letters, on a photo of a page, come out a mid grey) - not a line of text the engine missed.
    Measured on the bench's Đà Nẵng photo: print 104 (90th percentile 117), the seal's letters
    154-169; on the kltn form pages, the dropped lines' letters are as dark as the print."""
    if len(text_grey) == 0:
        return np.zeros(len(grey), dtype=bool)
    print_grey = float(np.median(text_grey))
    return grey > print_grey + FAINT_SHARE * (255 - print_grey)


def _letter_height(stats: np.ndarray) -> float | None:
    """Median height of the page's letter-like marks (not dust, not rules or pictures)."""
    w, h = stats[:, 2], stats[:, 3]
    like = (h >= 5) & (w <= 3 * h) & (w >= 2)
    if np.count_nonzero(like) < 20:
        return None
    return float(np.median(h[like]))


def _letter_sized(stats: np.ndarray, letter: float) -> np.ndarray:
    """Marks of a letter's height; wide enough for a letter, no wider than a few joined ones
    (handwriting joins a word's letters). Dots, accents, leaders, rules and pictures fail."""
    w, h = stats[:, 2], stats[:, 3]
    return (h >= 0.5 * letter) & (h <= 2.2 * letter) & (w >= 0.2 * letter) & (w <= 8 * letter)


def _covered(stats: np.ndarray, words: list[Word], letter: float, shape: tuple[int, ...]) -> np.ndarray:
    """Which marks have their centre inside (or just beside) a recognised word's box."""
    mask = np.zeros(shape[:2], dtype=np.uint8)
    pad = int(round(COVER_PAD * letter))
    for word in words:
        x0, y0, x1, y1 = word.bbox
        mask[max(y0 - pad, 0):max(y1 + pad, 0), max(x0 - pad, 0):max(x1 + pad, 0)] = 1
    cx = np.clip(stats[:, 0] + stats[:, 2] // 2, 0, shape[1] - 1)
    cy = np.clip(stats[:, 1] + stats[:, 3] // 2, 0, shape[0] - 1)
    return mask[cy, cx].astype(bool)


def _rows(marks: np.ndarray, letter: float, shape: tuple[int, ...]) -> list[Band]:
    """Group marks into horizontal bands: runs of image rows that some mark's centre half spans."""
    if len(marks) == 0:
        return []
    profile = np.zeros(shape[0] + 1, dtype=np.int32)
    # The middle half of each mark: touching lines (a descender on the next line's accent) stay apart.
    tops = marks[:, 1] + marks[:, 3] // 4
    bottoms = marks[:, 1] + (3 * marks[:, 3]) // 4 + 1
    np.add.at(profile, tops, 1)
    np.add.at(profile, bottoms, -1)
    occupied = np.cumsum(profile)[: shape[0]] > 0
    bands: list[Band] = []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], occupied.astype(np.int8), [0]))))
    centre = marks[:, 1] + marks[:, 3] // 2
    for start, stop in zip(edges[::2], edges[1::2]):
        inside = marks[(centre >= start) & (centre < stop)]
        if len(inside) == 0:
            continue
        x0, x1 = int(inside[:, 0].min()), int((inside[:, 0] + inside[:, 2]).max())
        if x1 - x0 < MIN_SPAN_IN_LETTERS * letter:
            continue
        y0, y1 = int(inside[:, 1].min()), int((inside[:, 1] + inside[:, 3]).max())
        margin_x, margin_y = int(letter), int(0.5 * letter)
        bands.append(Band(
            max(x0 - margin_x, 0), max(y0 - margin_y, 0),
            min(x1 + margin_x, shape[1]), min(y1 + margin_y, shape[0]), len(inside),
        ))
    return bands


def _cells_without_words(cells: Sequence[BBox], words: list[Word]) -> list[BBox]:
    """The cells no word's centre lies in."""
    return [c for c in cells if not any(centre_in(w.bbox, c) for w in words)]


def _cell_bands(marks: np.ndarray, cells: list[BBox]) -> list[Band]:
    """Each cell as a band, with the count of ``marks`` whose centre lies in it."""
    if len(marks) == 0 or not cells:
        return []
    cx, cy = marks[:, 0] + marks[:, 2] / 2, marks[:, 1] + marks[:, 3] / 2
    return [Band(int(x0), int(y0), int(x1), int(y1),
                 int(np.count_nonzero((cx >= x0) & (cx <= x1) & (cy >= y0) & (cy <= y1))))
            for x0, y0, x1, y1 in cells]


def _inside(band: Band, other: Band) -> bool:
    """Does ``other`` (a dropped row, read anyway) hold ``band``'s middle?"""
    x, y = (band.x0 + band.x1) / 2, (band.y0 + band.y1) / 2
    return other.x0 <= x <= other.x1 and other.y0 <= y <= other.y1


def _join_neighbours(bands: list[Band], letter: float) -> list[Band]:
    """Consecutive dropped lines, one under the other, as one band (one reading of several lines
    costs less than one per line, and the block reading sees them in their context)."""
    joined: list[Band] = []
    for band in sorted(bands, key=lambda b: b.y0):
        last = joined[-1] if joined else None
        if last and band.y0 - last.y1 <= JOIN_GAP * letter and band.x0 < last.x1 and band.x1 > last.x0:
            joined[-1] = Band(min(last.x0, band.x0), last.y0, max(last.x1, band.x1), max(last.y1, band.y1),
                              last.letters + band.letters)
        else:
            joined.append(band)
    return joined


def _read_band(image: np.ndarray, dpi: int, band: Band, read_block: ReadBlock) -> list[Word]:
    """The words of ``band`` read as one block, their boxes in ``image``'s pixels."""
    crop = np.ascontiguousarray(image[band.y0:band.y1, band.x0:band.x1])
    words = read_block(crop, dpi)
    return [_shifted(w, band.x0, band.y0) for w in words]


def _shifted(word: Word, dx: int, dy: int) -> Word:
    x0, y0, x1, y1 = word.bbox
    return word.model_copy(update={"bbox": (x0 + dx, y0 + dy, x1 + dx, y1 + dy)})


def _overlaps_any(word: Word, words: list[Word]) -> bool:
    """Whether ``word`` and a word already read share over half the smaller of their boxes (a
    block reading draws boxes taller than the page reading does: the same word, read twice)."""
    x0, y0, x1, y1 = word.bbox
    area = (x1 - x0) * (y1 - y0)
    for other in words:
        ox0, oy0, ox1, oy1 = other.bbox
        w, h = min(x1, ox1) - max(x0, ox0), min(y1, oy1) - max(y0, oy0)
        if w > 0 and h > 0 and w * h > 0.5 * max(min(area, (ox1 - ox0) * (oy1 - oy0)), 1):
            return True
    return False


def _by_line(words: list[Word]) -> list[list[Word]]:
    """The band's words line by line, in the engine's order."""
    return list(words_by_line(words).values())


def _line_beside(line: list[Word], words: list[Word]) -> tuple[int, int, int] | None:
    """The (block, par, line) of the line of ``words`` that ``line`` continues on the same row
    (their heights overlap by over half the smaller one, and one ends where the other starts), if
    any. Lines whose widths overlap stay apart: joined, their words would interleave."""
    left, top, right, bottom = union_bbox(line)
    best, best_overlap = None, 0.0
    for key, kept in words_by_line(words).items():
        kleft, ktop, kright, kbottom = union_bbox(kept)
        if right > kleft and left < kright:
            continue
        overlap = (min(bottom, kbottom) - max(top, ktop)) / max(min(bottom - top, kbottom - ktop), 1)
        if overlap > 0.5 and overlap > best_overlap:
            best, best_overlap = key, overlap
    return best


def _append_to_line(words: list[Word], line: list[Word], key: tuple[int, int, int]) -> list[Word]:
    """``line`` numbered as the kept line ``key`` and placed after its last word (downstream sorts
    a line's words left to right)."""
    joined = [w.model_copy(update={"block": key[0], "par": key[1], "line": key[2]}) for w in line]
    last = max(i for i, w in enumerate(words) if line_key(w) == key)
    return words[: last + 1] + joined + words[last + 1:]


def _insert_in_reading_order(words: list[Word], found: list[Word]) -> list[Word]:
    """``found`` placed after the last line of ``words`` that lies above it and shares some of its
    width (before everything when none does): downstream takes lines in list order."""
    fx0, fy0, fx1, fy1 = union_bbox(found)
    middle = (fy0 + fy1) / 2
    position = 0
    for index, word in enumerate(words):
        x0, y0, x1, y1 = word.bbox
        if (y0 + y1) / 2 < middle and x0 < fx1 and x1 > fx0:
            position = index + 1
    # Never inside a line: move on to the end of the line the position falls in.
    while 0 < position < len(words) and same_line(words[position - 1], words[position]):
        position += 1
    return words[:position] + found + words[position:]
