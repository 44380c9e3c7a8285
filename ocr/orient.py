"""Orientation: how the page lay on the scan (0/90/180/270 degrees clockwise from upright).

Full-page Tesseract OSD costs as much as the OCR itself, so a cheap measurement on a reduced
binary image decides first:

1. *Horizontal or vertical text lines?* Letters smeared along the line direction make long thin
   blobs; the direction with far more of them wins (0/180 against 90/270).
2. *Up or down?* In Latin script - and even more in Vietnamese, whose tone marks sit on top - the
   ink above a line's x-height band (ascenders, capitals, diacritics) clearly outweighs the ink
   below it (descenders). The sign of that balance tells upright from upside down.

Only when that evidence is thin (few lines, balance near zero) is OSD asked, on a reduced image.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from ocr.blobs import label_blobs

WORK_DPI = 150
OSD_DPI = 150
# Up/down balance (ascender - descender ink over their sum) above which we trust the heuristic.
SURE_BALANCE = 0.15
MIN_LINES = 5


@dataclass(frozen=True)
class OrientationResult:
    """``rotation``: degrees the page lay turned clockwise; ``method``: 'lines' or 'osd' or 'none'.

    When the line heuristic decided, ``upright_binary`` (the reduced ink image, turned upright) and
    ``line_angle`` (the coarse tilt of its lines) are handed on so that the deskew step need not
    measure them again (see :func:`ocr.deskew.measure_skew`).
    """

    rotation: int
    confidence: float
    method: str
    upright_binary: np.ndarray | None = field(default=None, repr=False, compare=False)
    line_angle: float | None = None


# An OSD callable: (image, dpi) -> object with .rotation and .confidence, or None.
OsdFunction = Callable[[np.ndarray, int], object | None]


def detect_orientation(gray: np.ndarray, dpi: int, osd: OsdFunction | None = None) -> OrientationResult:
    """How ``gray`` lies (see module docstring). ``osd`` is consulted only when unsure."""
    binary = _reduced_binary(gray, dpi)
    # Line direction is plain at half that resolution (a quarter of the pixels to label).
    coarse = (cv2.resize(binary, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA) > 60).astype(np.uint8) * 255
    horizontal = _line_evidence(coarse)
    vertical = _line_evidence(np.ascontiguousarray(coarse.T))
    if max(horizontal, vertical) == 0:
        return _ask_osd(gray, dpi, osd, fallback=OrientationResult(0, 0.0, "none"))
    if vertical > horizontal:
        # Text runs top-to-bottom: the page lies turned by 90 or 270. Turn it by 90 CW (i.e. assume
        # it lay at 270) and judge up/down on that.
        candidate = 270
        lines = np.ascontiguousarray(np.rot90(binary, -1))
    else:
        candidate = 0
        lines = binary
    levelled, line_angle = _level(lines)
    balance, line_count = _up_down_balance(levelled)
    rotation = candidate if balance >= 0 else (candidate + 180) % 360
    # A half turn keeps the tilt of the lines: the measured angle holds for the upright page.
    upright_binary = lines if rotation == candidate else np.ascontiguousarray(np.rot90(lines, 2))
    direction_share = max(horizontal, vertical) / (horizontal + vertical)
    confidence = min(abs(balance) / SURE_BALANCE, 1.0) * min(line_count / MIN_LINES, 1.0)
    confidence *= min(max((direction_share - 0.5) * 4, 0.0), 1.0)
    result = OrientationResult(rotation, round(float(confidence), 3), "lines", upright_binary, line_angle)
    if confidence >= 1.0:
        return result
    return _ask_osd(gray, dpi, osd, fallback=result)


def upright(image: np.ndarray, rotation: int) -> np.ndarray:
    """``image`` turned back to upright, given it lay turned ``rotation`` degrees clockwise."""
    # The same pixels as np.rot90 (counter-clockwise turns) made contiguous, in a quarter of the time.
    code = {0: None, 90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}[rotation % 360]
    return image if code is None else cv2.rotate(image, code)


def _ask_osd(gray: np.ndarray, dpi: int, osd: OsdFunction | None, fallback: OrientationResult) -> OrientationResult:
    if osd is None:
        return _prefer_upright(fallback)
    scale = min(1.0, OSD_DPI / max(dpi, 1))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    answer = osd(small, max(int(dpi * scale), 1))
    if answer is None:
        return _prefer_upright(fallback)
    confidence = float(getattr(answer, "confidence", 0.0))
    rotation = int(getattr(answer, "rotation", 0))
    if confidence < 1.0 and fallback.method == "lines":
        return _prefer_upright(fallback)  # neither is sure
    if rotation == fallback.rotation:
        return replace(fallback, confidence=round(min(confidence / 5.0, 1.0), 3), method="osd")
    return OrientationResult(rotation, round(min(confidence / 5.0, 1.0), 3), "osd")


QUARTER_TURN_MIN_CONF = 0.15
"""The lines' evidence for a quarter turn that OSD did not confirm must reach this confidence. Below it
the page's lines run about as much one way as the other (a last page with a few lines, a signature,
a seal), and such a turn was mostly wrong, most often on an upright page (docs/part6-figures.md,
7 Dec 2026)."""


def _prefer_upright(result: OrientationResult) -> OrientationResult:
    """Weak evidence for a turn is not enough: most pages of an archive lie upright. Upside down
    needs :data:`SURE_UPSIDE_DOWN`, a quarter turn :data:`QUARTER_TURN_MIN_CONF`."""
    if ((result.rotation == 180 and result.confidence < SURE_UPSIDE_DOWN)
            or (result.rotation in (90, 270) and result.confidence < QUARTER_TURN_MIN_CONF)):
        return OrientationResult(0, result.confidence, result.method)  # the hints were for the turn
    return result


SURE_UPSIDE_DOWN = 0.5
"""The evidence for upside down that OSD did not confirm must reach this confidence."""


def _reduced_binary(gray: np.ndarray, dpi: int) -> np.ndarray:
    scale = min(1.0, WORK_DPI / max(dpi, 1))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    # Speckle noise would bridge neighbouring lines in the smear below: drop it first.
    small = cv2.medianBlur(small, 3)
    block = max(15, int(WORK_DPI / 6) | 1)
    return cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def _level(binary: np.ndarray) -> tuple[np.ndarray, float | None]:
    """The binary page with its lines levelled (the zones of a tilted line would blur into each
    other), and the coarse tilt that was removed."""
    from ocr.deskew import _coarse_angle  # the same line-blob measure the deskew step uses

    angle = _coarse_angle(binary)
    if angle is None or abs(angle) < 0.5:
        return binary, angle
    height, width = binary.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    return cv2.warpAffine(binary, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0), angle


def _line_evidence(binary: np.ndarray) -> float:
    """Total length of long thin near-horizontal blobs after a horizontal smear (~75 dpi binary)."""
    smear = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (8, 2)))
    _, _, stats, _ = label_blobs(smear)
    widths = stats[1:, cv2.CC_STAT_WIDTH].astype(np.float64)
    heights = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    # At up to 15° tilt a line blob is still far wider than tall; vertical text smeared
    # horizontally stays in letter-sized bits.
    keep = (widths >= 20) & (widths >= 4 * heights) & (heights >= 2)
    return float(widths[keep].sum())


def _up_down_balance(binary: np.ndarray) -> tuple[float, int]:
    """(ascender ink - descender ink) / their sum over the text lines, and the number of lines."""
    smear = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 1)))
    count, labels, stats, _ = label_blobs(smear)
    above = below = 0.0
    lines = 0
    for index in range(1, count):
        x, y, w, h, _ = stats[index]
        if w < 60 or w < 5 * h or h < 6:
            continue
        # Strips of a tilted page are slanted: judge each line in narrow vertical slices.
        line_above, line_below = _line_zones(binary[y : y + h, x : x + w], labels[y : y + h, x : x + w] == index)
        if line_above + line_below == 0:
            continue
        above += line_above
        below += line_below
        lines += 1
    if above + below == 0:
        return 0.0, lines
    return (above - below) / (above + below), lines


def _line_zones(ink: np.ndarray, mask: np.ndarray) -> tuple[float, float]:
    """Ink above and below the x-height band of one line, measured in slices ~3 x-heights wide."""
    height, width = ink.shape
    slice_width = max(3 * height, 20)
    slices = -(-width // slice_width)
    # All slices at once: the line's ink, padded to whole slices, as (rows, slice, column).
    line = np.zeros((height, slices * slice_width), np.uint8)
    np.logical_and(ink, mask, out=line[:, :width], casting="unsafe")
    profiles = line.reshape(height, slices, slice_width).sum(axis=2, dtype=np.int64).astype(np.float64)
    profiles = profiles[:, profiles.sum(axis=0) >= 10]  # (rows, kept slices)
    if profiles.shape[1] == 0:
        return 0.0, 0.0
    core = profiles >= 0.5 * profiles.max(axis=0)
    top = core.argmax(axis=0)
    bottom = height - 1 - core[::-1].argmax(axis=0)
    rows = np.arange(height)[:, None]
    above = float(profiles[rows < top].sum())
    below = float(profiles[rows > bottom].sum())
    return above, below
