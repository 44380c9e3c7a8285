"""Plugin OCR engines for worker *processes* in tests (``SOHOA_OCR_ENGINE=tests.engines:scripted``).

A worker process builds its engine from its settings (``workers.runtime.default_ocr_engine``), so a
test cannot hand it an object: it names a factory instead. :func:`scripted` returns a
:class:`ScriptedPageEngine`, fast and deterministic, whose behaviour on a page is chosen by a
*marker* printed on the page: a row of solid black squares in the top-left margin (see
:func:`draw_marker`). Squares survive the page path (cleaning keeps ink, the crop keeps the margin
blobs) and are told apart from letters cheaply: a letter is never a filled square that big.

=========  ==============================================================================
squares    behaviour
=========  ==============================================================================
0          read: words derived from the page's pixels (the same page reads the same anywhere)
1 (SLOW)   sleep :data:`SLOW_SECONDS` first (widens the window for killing a worker mid-OCR)
2 (POISON) SIGKILL the worker process itself (a page that crashes its worker every time)
3 (FLAKY)  raise :class:`~schemas.errors.OcrTimeout` (transient) while the file
           ``<var_dir>/engine/flaky`` exists; read normally once it is removed
=========  ==============================================================================

While ``recognize`` runs, the file ``<var_dir>/engine/busy/<pid>`` exists: a test that wants to kill
a worker *in the middle of OCR* picks its pid there. ``var_dir`` is the worker's ``SOHOA_VAR_DIR``.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from schemas.errors import OcrTimeout
from schemas.pages import Word

READ, SLOW, POISON, FLAKY = 0, 1, 2, 3
SLOW_SECONDS = 1.5

# Marker squares as printed at 200 dpi (the test pages' resolution) and as seen by the engine. Wider
# than a punch hole (9 mm): the page path whitens a lone filled blob of hole size near an edge.
SQUARE_INCHES = 0.45
GAP_INCHES = 0.15
MARGIN_INCHES = 0.35

NAMES = ("NGUYỄN VĂN AN", "TRẦN THỊ BÌNH", "LÊ HOÀNG CƯỜNG", "PHẠM THU DUNG", "HOÀNG MINH ĐỨC", "VŨ THỊ HẠNH")


def draw_marker(page: Image.Image, code: int, dpi: int) -> None:
    """Print ``code`` solid squares in the top-left margin of ``page`` (a PIL image, in place)."""
    draw = ImageDraw.Draw(page)
    side, gap, margin = (round(v * dpi) for v in (SQUARE_INCHES, GAP_INCHES, MARGIN_INCHES))
    for index in range(code):
        x0 = margin + index * (side + gap)
        draw.rectangle((x0, margin // 2, x0 + side, margin // 2 + side), fill=0)


def marker_code(image: np.ndarray, dpi: int) -> int:
    """How many marker squares ``image`` (grey, as the page path hands it to the engine) carries."""
    binary = (image < 128).astype(np.uint8)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    side = SQUARE_INCHES * dpi
    squares = 0
    for x, y, w, h, area in stats[1:count]:
        near_side = 0.7 * side <= w <= 1.3 * side and 0.7 * side <= h <= 1.3 * side
        if near_side and area >= 0.9 * w * h:  # filled: a glyph of that size never is
            squares += 1
    return squares


def page_words(image: np.ndarray) -> list[Word]:
    """A birth certificate whose name and date come from a digest of the pixels: deterministic per page."""
    digest = int.from_bytes(hashlib.blake2b(np.ascontiguousarray(image).tobytes(), digest_size=8).digest(), "big")
    name = NAMES[digest % len(NAMES)]
    day, month, year = 1 + digest % 28, 1 + (digest >> 8) % 12, 1960 + (digest >> 16) % 60
    lines = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY KHAI SINH",
        f"Họ, chữ đệm, tên: {name}",
        f"Ngày, tháng, năm sinh: {day:02d}/{month:02d}/{year}",
        "Giới tính: " + ("Nam" if digest % 2 else "Nữ"),
    ]
    words = []
    for line_no, line in enumerate(lines):
        x = 40
        for text in line.split():
            width = 22 * len(text)
            top = 60 + 50 * line_no
            words.append(Word(text=text, conf=0.96, bbox=(x, top, x + width, top + 36), block=1, par=1,
                              line=line_no + 1))
            x += width + 16
    return words


class ScriptedPageEngine:
    """Implements ``OcrEngine`` for worker processes; behaviour per page chosen by its marker."""

    def __init__(self, var_dir: Path) -> None:
        self.folder = Path(var_dir) / "engine"
        (self.folder / "busy").mkdir(parents=True, exist_ok=True)

    def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
        busy = self.folder / "busy" / str(os.getpid())
        busy.write_text(str(time.time()))
        try:
            code = marker_code(image, dpi)
            if code == SLOW:
                time.sleep(SLOW_SECONDS)
            elif code == POISON:
                os.kill(os.getpid(), signal.SIGKILL)
            elif code == FLAKY and (self.folder / "flaky").exists():
                raise OcrTimeout("scripted: the OCR engine timed out")
            return page_words(image)
        finally:
            busy.unlink(missing_ok=True)


def scripted(settings) -> ScriptedPageEngine:
    """Factory for ``SOHOA_OCR_ENGINE=tests.engines:scripted``."""
    return ScriptedPageEngine(settings.var_dir)


# -- test pages ----------------------------------------------------------------------------------

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PAGE_LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "GIẤY KHAI SINH",
    "Họ, chữ đệm, tên: {name}",
    "Ngày, tháng, năm sinh: {day:02d}/03/20{year:02d}",
    "Giới tính: Nam   Dân tộc: Kinh",
    "Nơi sinh: Trạm y tế xã Phúc Xá, quận Ba Đình",
)


def render_page(seed: int, code: int = READ, dpi: int = 200) -> Image.Image:
    """A small (A6) printed page, different for every ``seed``, with ``code`` marker squares."""
    from PIL import ImageFont

    page = Image.new("L", (round(4.1 * dpi), round(5.8 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, round(0.11 * dpi))
    values = {"name": NAMES[seed % len(NAMES)], "day": 1 + seed % 28, "year": seed % 24}
    for line_no, line in enumerate(PAGE_LINES):
        draw.text((round(0.35 * dpi), round((0.9 + 0.3 * line_no) * dpi)), line.format(**values), fill=0, font=font)
    draw.text((round(0.35 * dpi), round(5.2 * dpi)), f"Số: {seed:04d}/KS", fill=0, font=font)
    draw_marker(page, code, dpi)
    return page
