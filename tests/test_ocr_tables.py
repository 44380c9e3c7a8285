"""Ruled tables' cells (ocr/tables.py): from a scan's rules, and from a born-digital page's drawn lines."""

import random

import cv2
import numpy as np

from ocr.decode import decode_raw_page, encode_raw_page, split_pages
from ocr.page import read_page
from ocr.tables import cells_of_rules, find_cells
from scripts.samplegen import formfamilies
from scripts.samplegen import templates as tp
from scripts.samplegen.fonts import available_families
from scripts.samplegen.layout import PAGE_SIZES
from scripts.samplegen.render import pdf_bytes, raster
from tests.fakes_ocr import FakeOcrEngine

DPI = 200
MM = DPI / 25.4


def _table_form(stem: str = "45_thay_doi_thong_tin_cu_tru", seed: int = 3):
    """A form of ``stem`` set in a ruled table (a ``bang:*`` family's document), typed."""
    rng = random.Random(seed)
    case = tp.make_case(rng)
    style = tp.Style(PAGE_SIZES["A4"], available_families()[0], hand_rate=0.0, scanned=False)
    return formfamilies.form_document(rng, style, case, formfamilies.all_families()[f"kltn:{stem}"], table=True)


def _grey(image) -> np.ndarray:
    return cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2GRAY)


def _inside(box, cells) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(c[0] <= x <= c[2] and c[1] <= y <= c[3] for c in cells)


def _grid(rows: int, cols: int, gap_mm: float = 0.0) -> np.ndarray:
    """A white A5-wide page with a rows x cols grid of 9 mm rows and 40 mm columns, its rules
    broken every 3 mm by gaps of ``gap_mm`` (a thin rule a bilevel scan cut into dashes)."""
    page = np.full((int(120 * MM), int(150 * MM)), 255, np.uint8)
    x0, y0 = int(10 * MM), int(10 * MM)
    xs = [x0 + int(c * 40 * MM) for c in range(cols + 1)]
    ys = [y0 + int(r * 9 * MM) for r in range(rows + 1)]
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), 0, 2)
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), 0, 2)
    if gap_mm:
        step, gap = int(3 * MM), max(1, int(gap_mm * MM))
        for start in range(0, page.shape[1], step):
            for y in ys:
                page[y - 2:y + 3, start:start + gap] = 255
    return page


def test_each_value_of_a_ruled_form_lies_in_a_cell_of_its_own():
    doc = _table_form()
    grey = _grey(raster(doc.pages[0], DPI))
    cells = find_cells(grey, DPI)
    assert len(cells) >= 10
    scale = DPI / 72
    boxes = [[v * scale for v in box["bbox"]] for box in doc.boxes.values() if box["page"] == 1]
    assert boxes and all(_inside(box, cells) for box in boxes)
    # no two cells overlap: each is a paper area its rules enclose
    for i, a in enumerate(cells):
        for b in cells[i + 1:]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])


def test_a_rule_broken_into_dashes_still_closes_its_cells():
    assert len(find_cells(_grid(3, 2), DPI)) == 6
    assert len(find_cells(_grid(3, 2, gap_mm=0.6), DPI)) == 6


def test_a_page_of_text_and_a_lone_frame_have_no_cells():
    rng = random.Random(7)
    style = tp.Style(PAGE_SIZES["A4"], available_families()[0], scanned=False)
    letter = tp.official_letter(rng, style, "quyet_dinh", tp.make_case(rng))
    assert find_cells(_grey(raster(letter.pages[0], DPI)), DPI) == []
    assert find_cells(_grid(1, 1), DPI) == []  # a photo's box, a bordered note


def test_a_born_digital_forms_cells_come_from_its_drawn_lines():
    doc = _table_form()
    (raw, *_) = split_pages(pdf_bytes(doc.pages), "form.pdf")
    assert raw.text_words and raw.image is None
    assert len(raw.text_cells) >= 10
    assert decode_raw_page(encode_raw_page(raw)).text_cells == raw.text_cells  # kept through the hand-off
    page = read_page(raw, FakeOcrEngine())
    assert page.text_source == "text_layer" and page.cells == raw.text_cells
    name = next(w for w in page.words if w.text == doc.fields["full_name"].split()[-1])
    assert _inside(name.bbox, page.cells)


def test_drawn_lines_too_short_for_rules_enclose_nothing():
    ticks = [(100, 100 + 20 * i, 130, 101 + 20 * i) for i in range(5)]  # underlines of short blanks
    assert cells_of_rules(ticks, 1654, 2339, DPI) == []
