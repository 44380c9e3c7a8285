"""ocr.lines: the lines Tesseract's layout analysis drops are found from the ink and read again.

The fixture ``form45_lines_dropped.png`` is a kltn form 45 page ("Tờ khai thay đổi thông tin cư
trú", generated: ``sohoa samples --n 60 --seed 6304 --family kltn:…``, file ``vb-0004.tif``) as the
page path handed it to Tesseract (straightened, cleaned, cropped, 200 dpi; binarised to keep it
small). Read with psm 3, items 2-6 (birth date, gender, CCCD, phone, email) are missing from
Tesseract's answer, with no junk in their place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from ocr import lines
from ocr.decode import RawPage
from ocr.engine import BlockReader, OcrEngine
from ocr.page import PageOptions, read_page
from ocr.synth import render_text_page
from ocr.tesseract import TesseractEngine
from pipeline.layout import page_lines
from schemas.pages import Word
from tests.fakes_ocr import FakeOcrEngine

has_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")

FIXTURE = Path(__file__).parent / "fixtures" / "ocr" / "form45_lines_dropped.png"
STILL = PageOptions(orientation=False, deskew=False)  # the fixture is upright and straight already


class CountingEngine:
    """The real Tesseract behind the seam, counting the block readings the page path asks for."""

    def __init__(self) -> None:
        self.engine = TesseractEngine()
        self.blocks: list[tuple[int, ...]] = []

    def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
        return self.engine.recognize(image, dpi)

    def recognize_block(self, image: np.ndarray, dpi: int) -> list[Word]:
        self.blocks.append(tuple(image.shape))
        return self.engine.recognize_block(image, dpi)


def _raw(image: np.ndarray, dpi: int) -> RawPage:
    return RawPage(1, dpi, image, None, image.shape[1], image.shape[0], [])


@pytest.fixture(scope="module")
def form45():
    return cv2.imread(str(FIXTURE), cv2.IMREAD_GRAYSCALE)


def test_engines_with_and_without_block_reading_are_engines():
    assert isinstance(TesseractEngine(), BlockReader) and isinstance(CountingEngine(), OcrEngine)
    assert not isinstance(FakeOcrEngine(["a"]), BlockReader)  # fakes stay as they were: no re-reading


@has_tesseract
def test_lines_the_layout_analysis_dropped_are_read_again_as_lines_of_their_own(form45):
    before = read_page(_raw(form45, 200), TesseractEngine(), PageOptions(reread_dropped_lines=False))
    assert "Giới" not in before.text and "CCCD" not in before.text  # psm 3 drops items 2-6

    engine = CountingEngine()
    page = read_page(_raw(form45, 200), engine, PageOptions(confirm_digits=False))  # ocr/digits.py: its own tests
    texts = [line.text for line in page_lines(page)]
    assert len(engine.blocks) == 1  # the five dropped lines, one under the other: one reading
    assert any(note.startswith("1 band(s)") for note in page.notes)
    # Each item its own line, in reading order between the lines the first reading kept.
    order = [next(i for i, t in enumerate(texts) if t.startswith(start)) for start in
             ("1. Họ, chữ đệm và tên:", "2. Ngày, tháng, năm sinh", "4.", "5. Số điện thoại", "7. Họ, chữ đệm")]
    assert order == sorted(order) and len(set(order)) == 5
    birth = texts[order[1]]
    assert "26/07/1989" in birth and "Giới tính" in birth and "Nam" in birth
    assert "049089440897" in texts[order[2]]
    # Nothing read twice: every word of the first reading is still there, once.
    assert len(page.words) == len({w.bbox for w in page.words})
    assert all(any(w.text == kept.text and w.bbox == kept.bbox for w in page.words) for kept in before.words)


@has_tesseract
def test_re_read_words_land_on_their_ink_in_page_pixels(form45):
    """The boxes of the re-read words are where a whole-page block reading (psm 6) puts the same
    words: mapped back from the band, the crop and the reading scale to the page's pixels."""
    page = read_page(_raw(form45, 200), TesseractEngine(), STILL)
    whole = TesseractEngine(psm=6).recognize(form45, 200)
    for text in ("049089440897", "26/07/1989", "Giới"):
        (ours,) = [w for w in page.words if text in w.text]
        (theirs,) = [w for w in whole if text in w.text]
        assert np.abs(np.subtract(ours.bbox, theirs.bbox)).max() <= 3, (text, ours.bbox, theirs.bbox)


@has_tesseract
def test_re_read_boxes_are_scaled_back_when_the_page_is_read_at_another_resolution(form45):
    """The same page given at 300 dpi is read at 200: the re-read words' boxes come back in the
    page's 300 dpi pixels."""
    big = cv2.resize(form45, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
    page = read_page(_raw(big, 300), TesseractEngine(), STILL)
    whole = TesseractEngine(psm=6).recognize(form45, 200)
    (ours,) = [w for w in page.words if "049089440897" in w.text]
    (theirs,) = [w for w in whole if "049089440897" in w.text]
    assert np.abs(np.subtract(ours.bbox, np.multiply(theirs.bbox, 1.5))).max() <= 6, (ours.bbox, theirs.bbox)


@has_tesseract
def test_a_page_read_whole_is_not_read_again():
    synth = render_text_page(dpi=300)
    engine = CountingEngine()
    page = read_page(_raw(synth.image, 300), engine, PageOptions(confirm_digits=False))
    plain = read_page(_raw(synth.image, 300), TesseractEngine(), PageOptions(reread_dropped_lines=False, confirm_digits=False))
    assert engine.blocks == [] and page.words == plain.words
    assert not any("read again" in note for note in page.notes)


LINE = "Ho va ten: Nguyen Van An"


def _ink_page() -> np.ndarray:
    """A white 200 dpi page: two lines of print, a rule, a dotted leader, a photo-sized block."""
    image = np.full((900, 1200), 255, dtype=np.uint8)
    for y in (100, 200):
        cv2.putText(image, LINE, (60, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    image[300:303, 60:1100] = 0  # a rule
    for x in range(60, 1100, 12):  # a dotted leader
        image[400:403, x:x + 3] = 0
    image[500:800, 800:1050] = 40  # a photo
    return image


def test_only_rows_of_letters_no_word_covers_are_bands():
    image = _ink_page()
    covered = Word(text="line1", conf=0.9, bbox=(55, 70, 520, 110), block=1, par=1, line=1)
    (band,) = lines.missed_bands(image, [covered])
    assert band.y0 < 200 < band.y1 and band.y1 < 300  # the second line only: not the rule, dots, photo
    (width, _), _ = cv2.getTextSize(LINE, cv2.FONT_HERSHEY_SIMPLEX, 1.0, 2)
    assert band.x0 < 60 and band.x1 > 60 + width  # the whole line, with a margin


def test_band_words_are_mapped_to_the_page_and_merged_in_reading_order():
    image = _ink_page()
    first = Word(text="first", conf=0.9, bbox=(55, 70, 520, 110), block=1, par=1, line=1)
    last = Word(text="last", conf=0.9, bbox=(55, 830, 200, 860), block=2, par=1, line=1)
    seen: list[tuple[int, ...]] = []

    def read_block(crop: np.ndarray, dpi: int) -> list[Word]:
        seen.append(crop.shape)
        return [Word(text="second", conf=0.9, bbox=(5, 4, 50, 20), block=1, par=1, line=1)]

    merged, reread = lines.recover_dropped_lines(image, 200, [first, last], read_block)
    (band,) = lines.missed_bands(image, [first, last])
    assert reread == 1 and seen == [(band.y1 - band.y0, band.x1 - band.x0)]
    assert [w.text for w in merged] == ["first", "second", "last"]
    assert merged[1].bbox == (band.x0 + 5, band.y0 + 4, band.x0 + 50, band.y0 + 20)
    assert merged[1].block == 3  # a block of its own after the page's


def test_noise_read_as_letters_is_dropped_and_words_already_read_are_not_doubled():
    image = _ink_page()
    first = Word(text="first", conf=0.9, bbox=(55, 70, 520, 110), block=1, par=1, line=1)
    (band,) = lines.missed_bands(image, [first])
    junk = lambda crop, dpi: [Word(text="~:.", conf=0.2, bbox=(5, 4, 50, 20))]  # noqa: E731
    assert lines.recover_dropped_lines(image, 200, [first], junk)[0] == [first]
    again = lambda crop, dpi: [Word(text="first", conf=0.9, bbox=(60 - band.x0, 72 - band.y0, 500 - band.x0, 108 - band.y0))]  # noqa: E731
    assert lines.recover_dropped_lines(image, 200, [first], again)[0] == [first]
    # A block reading draws a word's box taller than the page reading did: still the same word.
    taller = lambda crop, dpi: [Word(text="first", conf=0.9, bbox=(60 - band.x0, 40 - band.y0, 500 - band.x0, 140 - band.y0))]  # noqa: E731
    assert lines.recover_dropped_lines(image, 200, [first], taller)[0] == [first]


@has_tesseract
def test_a_forms_whole_body_the_layout_analysis_dropped_is_read_again():
    """``form45_body_dropped.png``: a form 45 page (``sohoa samples --n 96 --seed 6931`` with families
    32 and 45, ``vb-0037.jpg``) as the page path hands it to Tesseract (straightened by 3.1°, cleaned,
    cropped, 200 dpi; binarised). Read with psm 3, only the title, the motto and the signature are
    left: the nine items between, 45% of the image, were once more than the re-reading's cap."""
    image = cv2.imread(str(FIXTURE.with_name("form45_body_dropped.png")), cv2.IMREAD_GRAYSCALE)
    before = read_page(_raw(image, 200), TesseractEngine(), PageOptions(reread_dropped_lines=False, confirm_digits=False))
    assert "CCCD" not in before.text and "Nguyễn Thị Hoa" in before.text
    bands = lines.missed_bands(image, before.words)
    assert len(bands) == 1 and bands[0].area > 0.4 * image.size
    page = read_page(_raw(image, 200), TesseractEngine(), PageOptions(confirm_digits=False))
    texts = [line.text for line in page_lines(page)]
    assert any("045150161908" in t for t in texts) and any(t.startswith("1. Họ, chữ đệm và tên") for t in texts)
    title = next(i for i, t in enumerate(texts) if t.startswith("TỜ KHAI"))
    item = next(i for i, t in enumerate(texts) if t.startswith("4. CCCD"))
    signer = next(i for i, t in enumerate(texts) if t.startswith("NGƯỜI KHAI"))
    assert title < item < signer  # read in its place, between the title and the signature


def test_what_a_stamp_leaves_after_the_red_ink_step_is_not_a_dropped_line():
    """A seal's letters come out of the red-ink step a mid grey: much lighter than the print."""
    image = np.full((400, 1200), 255, dtype=np.uint8)
    cv2.putText(image, LINE, (60, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    cv2.putText(image, LINE, (60, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 140, 2)
    stats, labels = lines._marks(image)
    grey = lines._mean_grey(image, labels, stats, np.arange(len(stats)))
    assert len(stats) == 40 and np.count_nonzero(grey > 120) == 20  # the grey letters are ink too
    covered = Word(text="line1", conf=0.9, bbox=(55, 70, 520, 110), block=1, par=1, line=1)
    assert lines.missed_bands(image, [covered]) == []
    image[170:215] = np.where(image[170:215] < 255, 0, 255)  # the same line as dark as the print
    assert len(lines.missed_bands(image, [covered])) == 1


def test_the_re_reading_of_a_page_is_capped():
    """A page of 30 lines no word covers (the engine read nothing): a few bands, a bounded area."""
    image = np.full((2400, 1200), 255, dtype=np.uint8)
    for y in range(80, 2380, 78):
        cv2.putText(image, "Ho va ten: Nguyen Van An, so 12", (60, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    bands = lines.missed_bands(image, [])
    assert 1 <= len(bands) <= lines.MAX_BANDS
    assert sum(b.area for b in bands) <= lines.MAX_AREA_SHARE * image.size


@has_tesseract
def test_block_reading_in_process_and_by_the_program_and_the_page_mode_restored(form45):
    band = np.ascontiguousarray(form45[270:400, 0:800])  # items 2-4 of the fixture
    engine = TesseractEngine()
    before = engine.recognize(form45, 200)
    for reader in (engine, TesseractEngine(in_process=False)):
        text = " ".join(w.text for w in reader.recognize_block(band, 200))
        assert "26/07/1989" in text and "Giới" in text and "049089440897" in text
    assert engine.recognize(form45, 200) == before  # back to the page's own segmentation (psm 3)


def test_a_re_read_line_joins_the_line_it_continues_but_never_interleaves_with_one():
    image = _ink_page()
    first = Word(text="first", conf=0.9, bbox=(55, 70, 520, 110), block=1, par=1, line=1)
    left = Word(text="Ho", conf=0.9, bbox=(55, 170, 120, 210), block=2, par=1, line=1)
    (b,) = lines.missed_bands(image, [first, left])
    right_of_it = lambda crop, dpi: [Word(text="rest", conf=0.9, bbox=(300 - b.x0, 172 - b.y0, 400 - b.x0, 208 - b.y0))]  # noqa: E731
    merged, _ = lines.recover_dropped_lines(image, 200, [first, left], right_of_it)
    assert [(w.text, w.block) for w in merged] == [("first", 1), ("Ho", 2), ("rest", 2)]  # one line
    across = lambda crop, dpi: [Word(text="over", conf=0.9, bbox=(100 - b.x0, 175 - b.y0, 400 - b.x0, 205 - b.y0))]  # noqa: E731
    merged, _ = lines.recover_dropped_lines(image, 200, [first, left], across)
    assert sorted((w.text, w.block) for w in merged) == [("Ho", 2), ("first", 1), ("over", 3)]  # a line of its own


def _table_row_page() -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """A white 200 dpi page: a ruled row of two cells, "Gioi tinh" and "Nu" (a short value alone in
    its cell), and a line of print above the table."""
    image = np.full((600, 1200), 255, dtype=np.uint8)
    cv2.putText(image, LINE, (60, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    xs, (top, bottom) = (60, 600, 1100), (200, 280)
    for y in (top, bottom):
        image[y:y + 3, xs[0]:xs[-1] + 3] = 0
    for x in xs:
        image[top:bottom + 3, x:x + 3] = 0
    cv2.putText(image, "Gioi tinh", (80, 255), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    cv2.putText(image, "Nu", (620, 255), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    cells = [(xs[0] + 3, top + 3, xs[1], bottom), (xs[1] + 3, top + 3, xs[2], bottom)]
    return image, cells


def test_a_cell_holding_letters_and_no_word_is_read_again_however_few_its_letters():
    image, cells = _table_row_page()
    read = [Word(text="line", conf=0.9, bbox=(55, 70, 520, 110), block=1, par=1, line=1),
            Word(text="Gioi", conf=0.9, bbox=(78, 230, 160, 262), block=2, par=1, line=1),
            Word(text="tinh", conf=0.9, bbox=(175, 230, 240, 262), block=2, par=1, line=1)]
    assert lines.missed_bands(image, read) == []  # two letters make no row to read again
    (band,) = lines.missed_bands(image, read, cells)
    assert (band.x0, band.y0, band.x1, band.y1) == cells[1]
    assert lines.missed_bands(image, read + [Word(text="Nu", conf=0.9, bbox=(618, 230, 680, 262), block=3, par=1,
                                                    line=1)], cells) == []  # read the first time: not again


@has_tesseract
def test_a_short_value_alone_in_its_cell_is_read_by_the_engine():
    image, cells = _table_row_page()
    engine = TesseractEngine()
    # as if the layout analysis dropped the value's cell
    read = [w for w in engine.recognize(image, 200) if not cells[1][0] <= (w.bbox[0] + w.bbox[2]) / 2 <= cells[1][2]]
    merged, reread = lines.recover_dropped_lines(image, 200, read, engine.recognize_block, cells)
    assert reread == 1
    (value,) = [w for w in merged if w not in read]
    assert value.text == "Nu" and cells[1][0] <= value.bbox[0] < value.bbox[2] <= cells[1][2]
