"""The page path: one :class:`ocr.decode.RawPage` in, one :class:`schemas.pages.PageText` out.

text layer -> done (no OCR). Otherwise: red ink separation (and a pen's blue ink mapped,
``ocr/ink.py``) -> blank detection (no OCR) -> orientation -> deskew -> cleaning -> crop to the ink
and scale to the OCR resolution -> OCR -> Vietnamese post-correction. Word boxes are given in pixels
of the upright, deskewed page at the raw page's resolution (``PageText.dpi``), whatever scale the
OCR ran at.
"""

from __future__ import annotations

import resource
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from ocr import clean, ink
from ocr.decode import RawPage
from ocr.deskew import measure_skew, straighten
from ocr.digits import confirm_unsure_words
from ocr.engine import BlockReader, OcrEngine
from ocr.lines import recover_dropped_lines
from ocr.orient import detect_orientation, upright
from ocr.postcorrect import correct_words
from ocr.tables import find_cells
from schemas.errors import ScanFault
from schemas.pages import BBox, PageText, Word, char_weighted_conf
from schemas.stagetimes import record, timed


# Median letter height (pixels) at which Tesseract reads: ~13 pt print at 200 dpi (see choose_ocr_dpi).
LETTER_PX = 18.0
MIN_OCR_DPI = 120


@dataclass
class PageOptions:
    """Knobs of the page path (built from settings by the caller; no environment reads here).

    ``dpi`` and ``lang`` are informational: the page's resolution travels on the RawPage (set by
    ``split_pages(dpi=...)``) and the language on the engine (``TesseractEngine(lang=...)``).
    """

    dpi: int = 300
    lang: str = "vie"
    # Highest resolution the OCR engine sees (less for large print and low-resolution captures:
    # see choose_ocr_dpi). Measured on the bench pages: Tesseract vie reads 10-14 pt text as well
    # at 200 dpi as at 300 (CER 0.113 vs 0.115 on the Đà Nẵng pages) ~30% faster.
    ocr_dpi: int = 200
    orientation: bool = True
    deskew: bool = True
    clean: bool = True
    crop_margins: bool = True
    postcorrect: bool = True
    # Re-read the lines of text the engine's layout analysis left out (ocr/lines.py).
    reread_dropped_lines: bool = True
    # Read the page's unsure digit words (dates, ID numbers), and letters glued to a dot leader, a
    # second time (ocr/digits.py).
    confirm_digits: bool = True
    vocabulary: tuple[str, ...] = field(default_factory=tuple)


@contextmanager
def _timed(timings: dict[str, float], stage: str):
    """The page's own wall-clock milliseconds per step (kept with the page as ``timings_ms``)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round((time.perf_counter() - start) * 1000, 1)


@contextmanager
def _timed_with_children(stage: str):
    """Like :func:`schemas.stagetimes.timed`, plus the CPU of programs run meanwhile (Tesseract OSD
    runs the ``tesseract`` program: its CPU is this stage's too)."""
    wall, cpu = time.perf_counter(), time.thread_time()
    children = _children_cpu()
    try:
        yield
    finally:
        record(stage, time.perf_counter() - wall, time.thread_time() - cpu + _children_cpu() - children)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def read_page(raw: RawPage, engine: OcrEngine, options: PageOptions | None = None) -> PageText:
    """Read one page (see module docstring)."""
    options = options or PageOptions()
    if raw.text_words is not None:
        return _text_layer_page(raw)
    if raw.image is None:
        raise ValueError("a RawPage needs an image or text words")
    timings: dict[str, float] = {}
    notes = list(raw.notes)
    # The stages work at the raw resolution; only the OCR reads a rescaled copy. (Measured: doing
    # the stages at the OCR resolution saves ~10% of the time but costs CER on the Đà Nẵng photos:
    # 0.079 -> 0.111, the blurred ones worst, their sharpening needs the finer grid.)
    dpi = raw.dpi

    # Stage account (schemas.stagetimes): red ink separation, blank test, cleaning, cropping and
    # scaling count as "clean"; Tesseract alone as "ocr"; post-correction (language) as "analyse".
    with _timed(timings, "separate"), timed("clean"):
        kinds = raw.ink if raw.ink is not None else ink.ink_map(raw.image)
        gray = clean.drop_red(raw.image, notes) if options.clean else _gray(raw.image)
    fault = clean.scan_fault(gray)
    if fault:
        raise ScanFault(f"page {raw.page_no}: {fault}")
    with _timed(timings, "blank"), timed("clean"):
        blank = clean.is_blank(gray, dpi)
    if blank:
        notes.append("blank page: not read")
        return PageText(
            page_no=raw.page_no, width=gray.shape[1], height=gray.shape[0], dpi=dpi, text_source="blank",
            timings_ms=timings, notes=notes,
        )
    rotation, skew, found = 0, 0.0, None
    if options.orientation:
        with _timed(timings, "orient"), _timed_with_children("orientation"):
            found = detect_orientation(gray, dpi, getattr(engine, "detect_orientation", None))
            gray, rotation = upright(gray, found.rotation), found.rotation
            if rotation:
                notes.append(f"page turned back from {rotation}° ({found.method}, confidence {found.confidence:.2f})")
    if options.deskew:
        with _timed(timings, "deskew"), timed("deskew"):
            hints = {"binary": found.upright_binary, "coarse": found.line_angle} if found else {}
            skew = measure_skew(gray, dpi, **hints)
            gray = straighten(gray, skew)
    if options.clean:
        with _timed(timings, "clean"), timed("clean"):
            gray = _clean(gray, dpi, notes)
    with _timed(timings, "tables"), timed("clean"):
        cells = find_cells(gray, dpi)
    with _timed(timings, "ink"), timed("clean"):
        kinds = ink.follow(kinds, rotation, skew)
    with _timed(timings, "ocr"):
        words, reread = _recognize(gray, raw, engine, options, cells, kinds)
    if reread:
        notes.append(f"{reread} band(s) of text the engine's layout analysis left out read again")
    if options.postcorrect:
        with _timed(timings, "postcorrect"), timed("analyse"):
            words = correct_words(words, extra_vocabulary=options.vocabulary)
    return PageText(
        page_no=raw.page_no, width=gray.shape[1], height=gray.shape[0], dpi=dpi, rotation=rotation,
        skew=skew, text_source="ocr", words=words, cells=cells, mean_conf=_mean_conf(words), timings_ms=timings,
        notes=notes,
    )


def separate_red_ink(raw: RawPage) -> RawPage:
    """``raw`` as the page path's first step leaves it: grey, red stamp ink separated (its note added).

    The ingest step stores the page's hand-off this way: a colour A4 page at 300 dpi is then 8.7 MB
    to write and map instead of 26, and :func:`read_page` finds a grey page, on which its own red
    separation is a pass-through. The page path reads the same pixels either way.
    """
    if raw.image is None or raw.image.ndim == 2:
        return raw
    notes = list(raw.notes)
    kinds = ink.ink_map(raw.image)
    gray = clean.drop_red(raw.image, notes)
    return replace(raw, image=gray, notes=notes, ink=kinds)


def _clean(gray: np.ndarray, dpi: int, notes: list[str]) -> np.ndarray:
    return clean.clean_page(gray, dpi, notes)  # red ink is gone already: its step passes grey through


def choose_ocr_dpi(raw: RawPage, options: PageOptions, letter_px: float | None = None) -> int:
    """The resolution to read at, chosen from the text's measured size where it can be trusted.

    * Low-resolution captures (``raw.source_dpi`` under ``LOW_CAPTURE_DPI``): ``CAPTURE_UPSCALE``
      times the capture resolution; their letters (blurred together) are no guide.
    * Otherwise at the scale that brings the median letter (``letter_px``, in the page's pixels)
      to ``LETTER_PX`` - ~13 pt print at 200 dpi - never above ``options.ocr_dpi`` nor below
      ``MIN_OCR_DPI``: large print (pages of 14 pt and more, pages whose resolution was guessed
      too high) is read smaller and a little faster (Tesseract's recognition costs per character,
      its layout analysis per pixel). Measured on ``sohoa samples --n 30 --seed 4242``: with 16 px
      (12 pt at 200 dpi) one more field went wrong; 18 px keeps every field of the 200 dpi reading.
    """
    target = options.ocr_dpi
    if _capture_limited(raw, options):
        target = min(target, max(int(CAPTURE_UPSCALE * raw.source_dpi // 10) * 10, 100))
    elif letter_px:
        target = min(target, max(int(raw.dpi * LETTER_PX / letter_px), MIN_OCR_DPI))
    return min(target, raw.dpi) if raw.dpi >= 100 else target


CAPTURE_UPSCALE = 1.4
"""Low-resolution captures are read at this multiple of their resolution. Measured on the ten Đà Nẵng
page photos (~82 dpi): CER 0.141 at 1.0x, 0.098 at 1.2x, 0.085 at 1.4x, 0.080 at 1.6x, 0.11 at 1.8x
and beyond (interpolating far past the captured detail only adds blur); 1.4x costs ~13% less OCR
time than 1.6x and keeps every file below plain Tesseract's CER on the same file."""

LOW_CAPTURE_DPI = 150
"""Captures below this resolution (phone photos, 100 dpi scans) are read by the capture rule; from it
up the letters are sharp enough to choose the scale. (Comparing with the OCR resolution alone put a
200 dpi scan whose header says 199.9996 dpi on the capture rule by a hair.)"""


def _capture_limited(raw: RawPage, options: PageOptions) -> bool:
    """A capture of lower resolution than we read at (a phone photo, a 100 dpi scan)."""
    return bool(raw.source_dpi and raw.source_dpi < min(options.ocr_dpi, LOW_CAPTURE_DPI))


def _recognize(gray: np.ndarray, raw: RawPage, engine: OcrEngine, options: PageOptions,
               cells: list[BBox] | None = None, kinds: np.ndarray | None = None) -> tuple[list[Word], int]:
    """OCR the ink area of ``gray`` (at ``raw.dpi``) at the chosen scale; boxes in ``gray``'s pixels.
    Also how many bands of text the engine left out were read again (``ocr/lines.py``, a ruled
    table's ``cells`` among them; only with an engine that reads blocks, :class:`ocr.engine.BlockReader`).
    The words a pen wrote in blue (``kinds``, the page's ink map as turned and straightened, see
    ``ocr/ink.py``) are marked before the second reading, which reads a hand's numbers again."""
    dpi = raw.dpi
    with timed("clean"):
        x0, y0, x1, y1 = clean.content_box(gray, dpi) if options.crop_margins else (0, 0, gray.shape[1], gray.shape[0])
        crop = gray[y0:y1, x0:x1]
        # The letters are measured only where they choose the scale (not on low-resolution captures).
        letters = None if _capture_limited(raw, options) else clean.letter_height(crop, dpi)
        ocr_dpi = choose_ocr_dpi(raw, options, letters)
        scale = ocr_dpi / max(dpi, 1)
        if abs(scale - 1.0) > 0.02:
            interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=interpolation)
        else:
            scale, ocr_dpi = 1.0, dpi
        crop = np.ascontiguousarray(crop)
    with timed("ocr"):
        words = engine.recognize(crop, ocr_dpi)
    reread = 0
    if options.reread_dropped_lines and isinstance(engine, BlockReader):
        # Timed as OCR: the ink test is small beside the re-reading it decides on.
        with timed("ocr"):
            in_crop = [_to_crop(cell, scale, x0, y0) for cell in cells or []]
            words, reread = recover_dropped_lines(crop, ocr_dpi, words, engine.recognize_block, in_crop)
    words = [_to_page(word, scale, x0 * scale, y0 * scale) for word in words]
    words = ink.mark_ink(words, kinds, gray.shape[:2])
    if options.confirm_digits and isinstance(engine, BlockReader):
        # From the page at its own resolution (finer than the OCR's), words scaled up: see ocr/digits.py.
        with timed("ocr"):
            words, _, _ = confirm_unsure_words(gray, dpi, words, engine.recognize_block)
    return words, reread


def _to_crop(box: BBox, scale: float, x0: int, y0: int) -> BBox:
    """A box of the page's pixels in the pixels of its crop from (``x0``, ``y0``) scaled by ``scale``."""
    return (round((box[0] - x0) * scale), round((box[1] - y0) * scale),
            round((box[2] - x0) * scale), round((box[3] - y0) * scale))


def _to_page(word: Word, scale: float, x0: int, y0: int) -> Word:
    """``word`` with its box shifted by (x0, y0) and divided by ``scale``."""
    bx0, by0, bx1, by1 = word.bbox
    box = (
        int((bx0 + x0) / scale),
        int((by0 + y0) / scale),
        int(round((bx1 + x0) / scale)),
        int(round((by1 + y0) / scale)),
    )
    return word.model_copy(update={"bbox": box})


def _text_layer_page(raw: RawPage) -> PageText:
    words = list(raw.text_words or [])
    return PageText(
        page_no=raw.page_no, width=raw.width, height=raw.height, dpi=raw.dpi, text_source="text_layer",
        words=words, cells=list(raw.text_cells), mean_conf=1.0 if words else 0.0, notes=list(raw.notes), timings_ms={},
    )


def _gray(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _mean_conf(words: list[Word]) -> float:
    return round(char_weighted_conf(words), 4)
