"""A pen's blue ink (``ocr/ink.py``): measured on the colour page before it is made grey, carried
with the page's hand-off, turned and straightened with the page, and set on the words Tesseract
read in it (``Word.ink``); grey pages and black ink carry nothing."""

import random

import cv2
import numpy as np
import pytest

from ocr import ink
from ocr.decode import decode_raw_page, encode_raw_page, split_pages
from ocr.digits import chosen_groups
from ocr.page import read_page, separate_red_ink
from ocr.tesseract import TesseractEngine
from scripts.samplegen import formfamilies
from scripts.samplegen import templates as tp
from scripts.samplegen.fonts import available_families
from scripts.samplegen.layout import INK_BLUE, PAGE_SIZES, Text
from scripts.samplegen.render import raster
from schemas.pages import Word

BLACK_BGR, BLUE_BGR, RED_BGR = (30, 30, 30), (150, 40, 20), (40, 40, 200)  # the generator's pen: RGB 20, 40, 150


def _strokes(colours: dict[str, tuple[int, int, int]]) -> np.ndarray:
    """A white colour page, one thick stroke of each colour, left to right."""
    page = np.full((800, 600, 3), 255, np.uint8)
    for k, colour in enumerate(colours.values()):
        cv2.rectangle(page, (40 + 180 * k, 100), (160 + 180 * k, 140), colour, -1)
    return page


def test_the_ink_map_tells_a_pens_blue_from_black_print_and_red_stamp_ink():
    page = _strokes({"black": BLACK_BGR, "blue": BLUE_BGR, "red": RED_BGR})
    kinds = ink.ink_map(page)
    assert kinds is not None and kinds.shape == (200, 150)
    row = kinds[120 // ink.STEP]
    assert set(row[60 // ink.STEP:150 // ink.STEP]) == {ink.BLACK}
    assert set(row[240 // ink.STEP:330 // ink.STEP]) == {ink.BLUE}
    assert set(row[420 // ink.STEP:510 // ink.STEP]) == {ink.PAPER}  # the stamp is separated, not ink of a hand
    assert set(kinds[400 // ink.STEP]) == {ink.PAPER}


@pytest.mark.parametrize("page", [
    _strokes({"black": BLACK_BGR, "red": RED_BGR}),                 # colour, no pen
    cv2.cvtColor(_strokes({"blue": BLUE_BGR}), cv2.COLOR_BGR2GRAY),  # a grey scan: no colour to tell
    _strokes({"light blue tint": (255, 215, 190)}),                  # a form's tinted box is paper
])
def test_a_page_without_a_pens_blue_ink_has_no_map(page):
    assert ink.ink_map(page) is None


def _hand_filled_form(seed: int = 5):
    """08_cccd filled by a hand (the generator's blue pen), rendered at 200 dpi as a colour PNG."""
    rng = random.Random(seed)
    case = tp.make_case(rng)
    style = tp.Style(PAGE_SIZES["A4"], available_families()[0], hand_rate=1.0, blank_rate=0.0, scanned=True)
    doc = formfamilies.form_document(rng, style, case, formfamilies.all_families()["kltn:08_cccd"])
    image = cv2.cvtColor(np.asarray(raster(doc.pages[0], 200).convert("RGB")), cv2.COLOR_RGB2BGR)
    return doc, image


def _png(image: np.ndarray) -> bytes:
    ok, png = cv2.imencode(".png", image)
    assert ok
    return png.tobytes()


def _written(doc) -> tuple[set[str], set[str]]:
    """(the words the generator's pen wrote on the page, the words it printed), each only one of them."""
    words: dict[bool, set[str]] = {True: set(), False: set()}
    for op in doc.pages[0].ops:
        if isinstance(op, Text):
            words[op.hand and op.color == INK_BLUE].update(op.text.split())
    return words[True] - words[False], words[False] - words[True]


def _read_inks(page, doc) -> tuple[list, list]:
    """(the inks of the words read as the pen wrote them, the inks of those read as printed)."""
    by_pen, printed = _written(doc)
    return ([w.ink for w in page.words if w.text in by_pen and len(w.text) > 1],
            [w.ink for w in page.words if w.text in printed and len(w.text) > 1])


def _assert_the_pens_words_blue(page, doc):
    pen, printed = _read_inks(page, doc)
    assert len(pen) >= 5 and len(printed) >= 20
    # a word whose box Tesseract drew over its label and the hand's first letters ("sinh:" reaching
    # over "Xã") is as much the one ink as the other: a few either way
    assert pen.count("blue") >= 0.9 * len(pen)
    assert printed.count("black") >= 0.95 * len(printed)


@pytest.fixture(scope="module")
def hand_form():
    return _hand_filled_form()


def test_a_hands_values_are_read_in_blue_ink_and_the_printed_labels_in_black(hand_form):
    doc, image = hand_form
    (raw,) = split_pages(_png(image), "form.png")
    _assert_the_pens_words_blue(read_page(raw, TesseractEngine()), doc)


def test_the_hand_off_carries_the_ink_map_the_page_worker_reads(hand_form):
    _, image = hand_form
    (raw,) = split_pages(_png(image), "form.png")
    handed = separate_red_ink(raw)
    assert handed.image.ndim == 2 and handed.ink is not None
    back = decode_raw_page(encode_raw_page(handed))
    assert np.array_equal(back.ink, handed.ink) and np.array_equal(back.image, handed.image)
    engine = TesseractEngine()
    assert [w.ink for w in read_page(back, engine).words] == [w.ink for w in read_page(raw, engine).words]


def test_a_word_of_both_inks_is_mixed_and_one_with_too_little_ink_unknown():
    kinds = np.zeros((100, 100), np.uint8)
    kinds[10:20, 10:20] = ink.BLACK  # a label's print, then a hand's digits
    kinds[10:20, 20:25] = ink.BLUE  # a third of the word's ink
    kinds[50, 50] = ink.BLUE
    words = [Word(text="CCCD:0491", conf=0.9, bbox=(40, 40, 120, 80)), Word(text=".", conf=0.9, bbox=(196, 196, 204, 204))]
    marked = ink.mark_ink(words, kinds, (400, 400))
    assert [w.ink for w in marked] == ["mixed", None]


def test_a_hand_off_without_ink_decodes_without_a_map():
    (raw,) = split_pages(_png(_strokes({"black": BLACK_BGR})), "page.png")
    back = decode_raw_page(encode_raw_page(separate_red_ink(raw)))
    assert back.ink is None and back.image.shape == raw.image.shape[:2]


def test_the_ink_map_turns_and_straightens_with_the_page(hand_form):
    doc, image = hand_form
    # the page scanned lying on its side and tilted 2 degrees: read_page turns it back and straightens it
    turned = cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    height, width = turned.shape[:2]
    tilt = cv2.getRotationMatrix2D((width / 2, height / 2), 2.0, 1.0)
    tilted = cv2.warpAffine(turned, tilt, (width, height), borderValue=(255, 255, 255))
    (raw,) = split_pages(_png(tilted), "form.png")
    page = read_page(raw, TesseractEngine())
    assert page.rotation == 90 and abs(abs(page.skew) - 2.0) < 0.3
    _assert_the_pens_words_blue(page, doc)


def test_a_number_a_pen_wrote_is_read_again_however_sure_and_printed_ones_are_not():
    # Tesseract read a hand's "08-01-1965" as "06-01-1965" at 0.96; read again at a larger scale, "08-01-1965"
    words = [Word(text="06-01-1965", conf=0.96, bbox=(600, 100, 900, 150), ink="blue"),
             Word(text="12/03/1984", conf=0.97, bbox=(600, 200, 900, 250), ink="black"),
             Word(text="Hằng", conf=0.97, bbox=(600, 300, 700, 350), ink="blue"),
             Word(text="CCCD:049165389276", conf=0.97, bbox=(600, 400, 1000, 450), ink="mixed"),
             Word(text="0912345678", conf=0.97, bbox=(600, 500, 900, 550))]
    numbers, letters = chosen_groups(words)
    assert numbers == [0, 3] and letters == []
