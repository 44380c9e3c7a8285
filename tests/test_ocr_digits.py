"""ocr.digits: the page's unsure digit words read a second time; only an agreeing reading counts."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from ocr import digits
from ocr.decode import RawPage
from ocr.page import PageOptions, read_page
from ocr.synth import render_text_page
from ocr.tesseract import TesseractEngine
from schemas.pages import Word

has_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")

TEXT = "Sinh ngày: 14/06/1961\nSố CCCD: 011203703031\nĐiện thoại: 0352.142.432"


class Counting:
    """The real Tesseract's block reading behind the seam, counting the calls."""

    def __init__(self) -> None:
        self.engine = TesseractEngine()
        self.calls = 0

    def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
        return self.engine.recognize(image, dpi)

    def recognize_block(self, image: np.ndarray, dpi: int) -> list[Word]:
        self.calls += 1
        return self.engine.recognize_block(image, dpi)


@pytest.fixture(scope="module")
def typed():
    page = render_text_page(TEXT, dpi=300, font_pt=11)
    return page.image, TesseractEngine().recognize(page.image, 300)


def _word(words: list[Word], text: str) -> int:
    (index,) = [i for i, w in enumerate(words) if w.text == text]
    return index


@has_tesseract
def test_an_unsure_typed_number_a_second_reading_agrees_with_is_raised(typed):
    image, words = typed
    date, number = _word(words, "14/06/1961"), _word(words, "011203703031")
    # The page reading's confidence as the kltn forms show it for such words (0.3-0.8).
    unsure = list(words)
    unsure[date] = words[date].model_copy(update={"conf": 0.52})
    unsure[number] = words[number].model_copy(update={"conf": 0.43})
    engine = Counting()
    out, reread, confirmed = digits.confirm_unsure_words(image, 300, unsure, engine.recognize_block)
    phone = _word(words, "0352.142.432")
    # both words in one strip, the phone number read sure in a strip of its own: two calls
    assert engine.calls == 2 and reread == 3 and confirmed == 3
    for index in (date, number):
        assert out[index].text == words[index].text
        assert out[index].reread_conf is not None and out[index].reread_conf >= digits.MIN_SECOND_CONF
        assert out[index].conf == out[index].reread_conf and out[index].first_conf == unsure[index].conf
    # the sure number read alike again keeps its text and confidence: the second reading is its evidence
    assert (out[phone].text, out[phone].conf) == (words[phone].text, words[phone].conf) and out[phone].reread_conf
    # The words not re-read are untouched.
    assert [w for i, w in enumerate(out) if i not in (date, number, phone)] == [
        w for i, w in enumerate(unsure) if i not in (date, number, phone)]


@has_tesseract
def test_a_second_reading_that_differs_never_raises_the_confidence_and_is_kept_beside(typed):
    image, words = typed
    date = _word(words, "14/06/1961")
    misread = list(words)
    # The first reading took a 1 for a 7 (a handwritten 1): the ink says 1961, the second reading too.
    misread[date] = words[date].model_copy(update={"text": "14/06/7967", "conf": 0.52})
    out, reread, confirmed = digits.confirm_unsure_words(image, 300, misread, TesseractEngine().recognize_block)
    assert reread == 3 and confirmed == 2  # the page's sure ID and phone number are read alike beside it
    assert out[date].reread_conf is None and (out[date].text, out[date].conf) == ("14/06/7967", 0.52)
    # The second reading is kept beside the page's, for the analysis to weigh: never in its place.
    assert (out[date].second_reading, out[date].second_reading_of) == ("14/06/1961", "14/06/7967")
    assert out[date].second_conf >= digits.MIN_SECOND_CONF
    assert out[date].model_copy(update={"second_reading": None, "second_conf": None, "second_reading_of": None}) == misread[date]


@has_tesseract
def test_a_page_with_no_unsure_digit_words_costs_no_second_reading(typed):
    image, words = typed
    sure = [w.model_copy(update={"conf": max(w.conf, digits.MAX_CONF)}) for w in words]
    engine = Counting()
    out, reread, confirmed = digits.confirm_unsure_words(image, 300, sure, engine.recognize_block)
    assert engine.calls == 0 and (reread, confirmed) == (0, 0) and out == sure


@has_tesseract
def test_the_page_path_confirms_unsure_digit_words_only_with_an_engine_that_reads_blocks(typed):
    """read_page re-reads with an engine offering ``recognize_block`` (one call for the page's
    digit words) and, without one, leaves every confidence as the engine gave it."""

    class Unsure(Counting):
        def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
            return [w.model_copy(update={"conf": 0.5}) if sum(c.isdigit() for c in w.text) >= 2 else w
                    for w in self.engine.recognize(image, dpi)]

    class PageOnly:
        def __init__(self) -> None:
            self.inner = Unsure()

        def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
            return self.inner.recognize(image, dpi)

    image, _ = typed
    raw = RawPage(1, 300, image, None, image.shape[1], image.shape[0], [])
    options = PageOptions(orientation=False, deskew=False, postcorrect=False)
    engine = Unsure()
    page = read_page(raw, engine, options)
    assert engine.calls == 1
    confirmed = {w.text for w in page.words if w.reread_conf is not None}
    assert {"14/06/1961", "011203703031"} <= confirmed
    assert all(w.conf >= digits.MIN_SECOND_CONF for w in page.words if w.text in confirmed)
    plain = read_page(raw, PageOnly(), options)
    assert all(w.reread_conf is None for w in plain.words)
    assert all(w.conf == 0.5 for w in plain.words if sum(c.isdigit() for c in w.text) >= 2)
    off = read_page(raw, Unsure(), PageOptions(orientation=False, deskew=False, postcorrect=False, confirm_digits=False))
    assert off.words == plain.words


def _fake(text: str, conf: float, y: int) -> Word:
    return Word(text=text, conf=conf, bbox=(10, y, 10 + 12 * len(text), y + 20))


def test_a_second_reading_split_in_two_or_unsure_is_no_agreement():
    words = [_fake("12/03/1990", 0.5, 10), _fake("0912345678", 0.6, 60), _fake("123456789", 0.7, 110)]
    blank = np.full((200, 300), 255, dtype=np.uint8)

    def read_block(strip: np.ndarray, dpi: int) -> list[Word]:
        _, slots, _ = digits._stack(blank, 300, [w.bbox for w in words])
        middle = [(top + bottom) // 2 for top, bottom in slots]
        return [
            Word(text="12/08/", conf=0.97, bbox=(5, middle[0] - 5, 50, middle[0] + 5)),  # split in two, another month
            Word(text="1990", conf=0.97, bbox=(55, middle[0] - 5, 90, middle[0] + 5)),
            Word(text="0912345678", conf=0.80, bbox=(5, middle[1] - 5, 90, middle[1] + 5)),  # agrees, unsure
            Word(text="123456789", conf=0.96, bbox=(5, middle[2] - 5, 90, middle[2] + 5)),  # agrees, sure
        ]

    out, reread, confirmed = digits.confirm_unsure_words(blank, 300, words, read_block)
    assert (reread, confirmed) == (3, 1)
    assert out[:2] == words[:2]
    assert out[2].conf == 0.96 and out[2].reread_conf == 0.96


def test_at_most_max_words_are_re_read_the_least_sure_first():
    words = [_fake(f"{n:02d}/01/2000", 0.3 + 0.02 * n, 30 * n) for n in range(digits.MAX_WORDS + 5)]
    words += [_fake("Nguyễn", 0.4, 900), _fake("12", 0.1, 950), _fake("1.", 0.5, 980)]  # no number, read 0.1, an item
    numbers, letters = digits.chosen_groups(words)
    # a number read at 0.1 is re-read too (Tesseract gives a typed number glued to a leader 0.0), first;
    # the unsure name word is no number (it is read again with the letters)
    assert numbers == [*range(digits.MAX_WORDS - 1), len(words) - 2] and letters == [len(words) - 3]


def _rendered_glued(text: str, glued_words: tuple[str, ...]):
    """``text`` rendered at 300 dpi and read by Tesseract: the page, its words, the indices of
    ``glued_words`` among them (each must be read so) and the page in grey."""
    page = render_text_page(text, dpi=300, font_pt=11)
    words = TesseractEngine().recognize(page.image, 300)
    glued = [i for i, w in enumerate(words) if w.text in glued_words]
    assert len(glued) == len(glued_words), [w.text for w in words]
    gray = page.image if page.image.ndim == 2 else page.image[..., 0]
    return page, words, glued, gray


GLUED = "Số điện thoại liên hệ:......0826075380\nNgày, tháng, năm sinh: 22/02/1983.........\nSố CCCD: 011203703031"


@has_tesseract
def test_a_number_glued_to_a_dot_leader_is_read_again_without_the_leader():
    # 18_de_nghi_huong_tro_cap_that_nghiep, 14_DDN…: values typed onto the leader; Tesseract reads
    # "hệ:......0826075380" and "22/02/1983........." as one word each, unsure for the dots
    page, words, glued, gray = _rendered_glued(GLUED, ("hệ:......0826075380", "22/02/1983........."))
    spans = {words[i].text: digits.value_span(gray, words[i]) for i in glued}
    for text, (box, number) in spans.items():
        x0, y0, x1, y1 = words[_word(words, text)].bbox
        reach = digits.PAD * (y1 - y0) + 1  # past the word's own box where the value ends or opens it
        assert number in text and x0 - reach <= box[0] < box[2] <= x1 + reach and box[2] - box[0] < 0.8 * (x1 - x0)  # the leader is cut off
    unsure = [w.model_copy(update={"conf": 0.5}) if i in glued else w for i, w in enumerate(words)]
    out, reread, confirmed = digits.confirm_unsure_words(page.image, 300, unsure, TesseractEngine().recognize_block)
    assert confirmed == 3  # and the sure CCCD beside them
    for i in glued:
        assert out[i].text == words[i].text and out[i].first_conf == 0.5 and out[i].conf >= digits.MIN_SECOND_CONF


def test_only_a_number_beside_a_leader_is_cut_to_its_own_ink():
    blank = np.full((40, 400), 255, dtype=np.uint8)
    for text in ("0352.142.432", "…….0826075380…….", "14/06/1961", "hệ:0826075380", "0826075380abc", "(0826075380"):
        assert digits.value_span(blank, Word(text=text, conf=0.5, bbox=(0, 0, 400, 40))) is None
    # a leader written but no gap in the ink (the dots are tall strokes here): not cut
    inked = blank.copy()
    inked[5:35, 10:390] = 0
    assert digits.value_span(inked, Word(text="hệ:......0826075380", conf=0.5, bbox=(0, 0, 400, 40))) is None


def test_a_documents_number_with_its_symbol_is_read_again_whole():
    # "Số: 97/GPXD-UBND": an office's hand writes the number into a typed letter's blank; the word is
    # mostly letters, but its digits are what a second reading can check
    words = [_fake("97/GPXD-UBND", 0.92, 10), _fake("Số:", 0.5, 60), _fake("TTr-UBND", 0.4, 110),
             _fake("97/GPXD-UBND", 0.97, 160)]  # read sure already
    assert digits.chosen_groups(words) == ([0], [])


def _read_with_one_unsure(text: str, unsure_text: str, conf: float) -> tuple[list[Word], list[Word], int]:
    """``text`` rendered at 300 dpi and read by the real Tesseract, the word ``unsure_text`` given
    ``conf``, then read again: the page's words, the words read again, how many were re-read."""
    page = render_text_page(text, dpi=300, font_pt=12)
    words = TesseractEngine().recognize(page.image, 300)
    index = _word(words, unsure_text)
    unsure = [w.model_copy(update={"conf": conf}) if i == index else w for i, w in enumerate(words)]
    out, reread, _ = digits.confirm_unsure_words(page.image, 300, unsure, TesseractEngine().recognize_block)
    return words, out, reread


@has_tesseract
def test_a_typed_documents_number_read_again_is_confirmed():
    words, out, reread = _read_with_one_unsure("Số: 1189/LLTP-STP\nHà Nội, ngày 12 tháng 4 năm 2024", "1189/LLTP-STP", 0.84)
    index = _word(words, "1189/LLTP-STP")
    assert reread >= 1 and out[index].reread_conf is not None and out[index].text == "1189/LLTP-STP"


def test_a_documents_number_read_again_with_other_digits_before_the_same_symbol_is_kept_less_sure():
    words = [_fake("97/GPXD-UBND", 0.92, 10), _fake("98/GPXD-UBND", 0.92, 60), _fake("12/03/1990", 0.5, 110)]
    blank = np.full((200, 300), 255, dtype=np.uint8)

    def read_block(strip, dpi):
        middle = [(top + bottom) // 2 for top, bottom in digits._stack(blank, 300, [w.bbox for w in words])[1]]
        return [Word(text="91/GPXD-UBND", conf=0.79, bbox=(5, middle[0] - 5, 90, middle[0] + 5)),
                Word(text="98/GPXD-UBNĐ", conf=0.79, bbox=(5, middle[1] - 5, 90, middle[1] + 5)),  # another symbol
                Word(text="12/08/1990", conf=0.79, bbox=(5, middle[2] - 5, 90, middle[2] + 5))]  # a date: not so

    out, _, _ = digits.confirm_unsure_words(blank, 300, words, read_block)
    assert out[0].second_reading == "91/GPXD-UBND" and out[0].text == "97/GPXD-UBND" and out[0].conf == 0.92
    assert out[1].second_reading is None and out[2].second_reading is None


NAME_GLUED = "Họ và tên:.....Dương Kim Oanh\nNgày, tháng, năm sinh: 05/08/1975\nHọ và tên: TRẦN THỊ GIANG........."


@has_tesseract
def test_a_words_letters_glued_to_a_dot_leader_are_read_again_without_the_leader():
    # 21_de_nghi_xac_nhan_cap_ho_tro "Họ và tên:……", 48_thong_tin_co_ban: a name typed onto its blank;
    # Tesseract reads "tên:.....Dương" and "GIANG........." as one word each, unsure for the dots,
    # and nothing else on the page checks a name's marks
    page, words, glued, gray = _rendered_glued(NAME_GLUED, ("tên:.....Dương", "GIANG........."))
    for i in glued:
        box, letters = digits.value_span(gray, words[i])
        x0, y0, x1, y1 = words[i].bbox
        reach = digits.PAD * (y1 - y0) + 1
        assert letters in ("Dương", "GIANG") and x0 - reach <= box[0] < box[2] <= x1 + reach and box[2] - box[0] < 0.7 * (x1 - x0)
    unsure = [w.model_copy(update={"conf": 0.5}) if i in glued else w for i, w in enumerate(words)]
    out, reread, confirmed = digits.confirm_unsure_words(page.image, 300, unsure, TesseractEngine().recognize_block)
    assert (reread, confirmed) == (2, 2)
    for i in glued:
        assert out[i].text == words[i].text and out[i].first_conf == 0.5 and out[i].conf >= digits.MIN_SECOND_CONF


def test_letters_glued_to_a_leader_are_re_read_after_the_numbers_at_most_max_letter_words():
    numbers = [_fake(f"{n:02d}/01/2000", 0.3 + 0.01 * n, 30 * n) for n in range(digits.MAX_WORDS + 2)]
    glued = [_fake(f"tên:.....Dương{'x' * n}", 0.1 + 0.01 * n, 600 + 30 * n) for n in range(digits.MAX_LETTER_WORDS + 2)]
    others = [_fake("...GIANG...", 0.2, 1000), _fake("Nguyễn", 0.2, 1030), _fake("GIANG.........", 0.97, 1060)]
    words = numbers + glued + others
    # the least sure numbers fill theirs, the least sure glued words theirs; a leader on both sides, a
    # word with no leader and a sure one are not read again
    assert digits.chosen_groups(words) == (list(range(digits.MAX_WORDS)),
                                           list(range(len(numbers), len(numbers) + digits.MAX_LETTER_WORDS)))


def test_the_margin_beside_a_value_cut_from_its_leader_is_white():
    # ".Dương": the leader's nearest dot inside the crop's margin made Tesseract read the name at 0.24
    image = np.full((60, 300), 255, dtype=np.uint8)
    image[10:40, 100:200] = 0  # the value's ink
    image[35:40, 97:99] = 0  # the leader's last dot, within the crop's margin
    box = (100, 10, 200, 40)  # 30 px high: the strip keeps its scale
    kept, _, _ = digits._stack(image, 300, [box])
    cut, _, _ = digits._stack(image, 300, [box], cut=[True])
    assert (kept < 128).sum() == 30 * 100 + 5 * 2 and (cut < 128).sum() == 30 * 100


def test_letters_split_from_their_leader_by_the_recognition_are_read_again():
    # 49_TK1-TS "[01]. Họ và tên (viết chữ in hoa): ĐẶNG MỸ VÂN ......": Tesseract's layout saw one
    # word, its recognition two, "VÂN" 0.57 and "......." 0.57: the confidence is the leader's too
    words = [_fake("Họ", 0.9, 10), _fake("VÂN", 0.57, 60), _fake(".......", 0.57, 110),
             _fake("Nam", 0.21, 160), _fake("....", 0.22, 210),  # another confidence: read apart
             _fake("Lan", 0.2, 260), _fake(".....", 0.2, 310).model_copy(update={"line": 2}),  # another line
             _fake("....", 0.2, 360), _fake("Hà", 0.2, 410)]
    assert digits.chosen_groups(words) == ([], [1, 8])


def test_unsure_words_of_letters_alone_are_read_again_after_the_glued_ones_the_surest_first():
    # "Hương" at 0.48 in a name: nothing else on the page checks its marks, and the analysis holds the
    # value for it; ink read under 0.25 (a signature's strokes) and words with digits or marks are not
    # of this group
    glued = [_fake(f"tên:.....Dương{'x' * n}", 0.1, 30 * n) for n in range(digits.MAX_LETTER_WORDS)]
    unsure = [_fake(f"Hương{'x' * n}", 0.30 + 0.01 * n, 600 + 30 * n) for n in range(digits.MAX_UNSURE_WORDS + 2)]
    others = [_fake("Nguyễn", 0.2, 1000), _fake("Lan", 0.6, 1030), _fake("(Ký,", 0.4, 1060), _fake("Xóm8", 0.4, 1090)]
    words = glued + unsure + others
    first = len(glued)
    surest = list(range(first + 2, first + 2 + digits.MAX_UNSURE_WORDS))  # the two least sure left out
    assert digits.chosen_groups(words) == ([], list(range(first)) + surest)


@has_tesseract
def test_an_unsure_typed_name_word_a_second_reading_agrees_with_is_raised():
    page = render_text_page("Họ và tên: Nguyễn Thị Hương", dpi=300, font_pt=11)
    words = TesseractEngine().recognize(page.image, 300)
    given = _word(words, "Hương")
    unsure = list(words)
    unsure[given] = words[given].model_copy(update={"conf": 0.48})
    out, reread, confirmed = digits.confirm_unsure_words(page.image, 300, unsure, TesseractEngine().recognize_block)
    assert (reread, confirmed) == (1, 1)
    assert out[given].text == "Hương" and out[given].first_conf == 0.48 and out[given].conf >= digits.MIN_SECOND_CONF


def _ink(width: int, glyphs: list[int], marks: list[tuple[int, int, int]] = ()) -> np.ndarray:
    """A 40 px high word: glyphs 10 px wide at the given columns, marks (column, width, top row) 4 px high."""
    image = np.full((40, width), 255, dtype=np.uint8)
    for x in glyphs:
        image[6:34, x:x + 10] = 0
    for x, w, top in marks:
        image[top:top + 4, x:x + w] = 0
    return image


def test_a_value_is_its_letters_and_digits_beyond_the_leader_whatever_marks_stand_inside_it():
    # "sinh:..14-09-2000": the dates' hyphens split the tall ink as much as the leader did, and the
    # second reading read "2000" alone; a leader is two marks or more side by side, a hyphen one
    label, digits_at = [0, 12, 24], [80, 92, 110, 122, 140, 152, 164, 176]
    marks = [(36, 4, 12), (36, 4, 28), (50, 4, 30), (62, 4, 30), (103, 6, 18), (133, 6, 18)]
    word = Word(text="sinh:..14-09-2000", conf=0.5, bbox=(0, 0, 200, 40))
    box, number = digits.value_span(_ink(200, label + digits_at, marks), word)
    assert number == "14-09-2000" and (box[0], box[2]) == (80, 186)
    # "0832.365.842......": a phone's dots stand alone between its groups, the leader's come after
    phone = [0, 12, 24, 36, 56, 68, 80, 100, 112, 124]
    dots = [(50, 4, 30), (94, 4, 30), *[(140 + 10 * k, 4, 30) for k in range(5)]]
    box, number = digits.value_span(_ink(200, phone, dots), Word(text="0832.365.842......", conf=0.5, bbox=(0, 0, 200, 40)))
    assert number == "0832.365.842" and (box[0], box[2]) == (0, 134)


def test_an_underscore_line_is_a_leader_and_no_leader_in_the_ink_is_no_cut():
    word = Word(text="tên:______Dương", conf=0.5, bbox=(0, 0, 200, 40))
    box, letters = digits.value_span(_ink(200, [0, 12, 24, 120, 132, 144], [(40, 70, 30)]), word)
    assert letters == "Dương" and (box[0], box[2]) == (120, 154)
    # the label's letters and the value's with nothing between them: where the leader is, the ink does not say
    assert digits.value_span(_ink(200, [0, 12, 24, 40, 52, 64]), word) is None


def test_a_colon_and_its_leader_before_a_number_are_marks_not_a_label():
    # ":..0869": Tesseract gave the label's colon to the number's word
    digits_at = [40, 52, 64, 76]
    word = Word(text=":..0869", conf=0.5, bbox=(0, 0, 100, 40))
    box, number = digits.value_span(_ink(100, digits_at, [(2, 4, 12), (2, 4, 28), (14, 4, 30), (26, 4, 30)]), word)
    assert number == "0869" and (box[0], box[2]) == (40, 86)


def test_specks_between_a_hands_digits_are_no_leader():
    # "dân:....091304342407" in a handwriting font: two specks of the 1's stroke below the line had
    # cut "091" off the number, and its second reading read "304342407"
    label, number = [0, 12, 24], [80, 92, 104, 120, 132, 144]
    dots = [(40, 5, 30), (52, 5, 30), (64, 5, 30)]
    word = Word(text="dân:....091304342407", conf=0.5, bbox=(0, 0, 200, 40))
    ink = _ink(200, label + number, dots)
    ink[36:38, 115:117] = 0
    ink[38:39, 118:119] = 0
    box, found = digits.value_span(ink, word)
    assert found == "091304342407" and (box[0], box[2]) == (80, 154)


def test_a_glyph_the_words_box_cuts_is_kept_where_the_value_ends_the_word():
    # "ngày....08/06/1982": the engine's box ended through the 2, whose top and foot inside it are two
    # marks, no glyph; the value was cut to "08/06/198" and read so again. Nothing of the word lies
    # beyond its value: where its ink runs into the word's edge, the box reaches past it (by the strip's
    # margin); where it does not, the box ends at the last glyph (a close next word's letter lies beyond)
    label, number = [0, 12, 24], [80, 92, 104, 116, 128, 140, 152, 164, 176]
    dots = [(40, 4, 30), (52, 4, 30), (64, 4, 30)]
    ink = _ink(220, label + number, dots)
    ink[6:14, 194:212] = 0  # the 2's top, its foot, and its stroke between them past the word's box
    ink[26:34, 194:212] = 0
    ink[6:34, 206:212] = 0
    word = Word(text="ngày....08/06/1982", conf=0.5, bbox=(0, 0, 200, 40))
    box, found = digits.value_span(ink, word)
    assert found == "08/06/1982" and box[0] == 80 and box[2] == 200 + round(digits.PAD * 40)
    ink[:, 196:] = 255  # the whole 2 inside the box, clear of its edge
    ink[6:34, 186:196] = 0
    box, found = digits.value_span(ink, word)
    assert found == "08/06/1982" and box[2] == 196
    # a stop after the value is no part of it: there the box ends at the value's last glyph
    box, found = digits.value_span(_ink(200, label + number[:8], dots + [(180, 4, 30)]),
                                   Word(text="ngày....08/06/198.", conf=0.5, bbox=(0, 0, 200, 40)))
    assert found == "08/06/198" and box[2] == 174


def test_a_speck_above_a_phone_numbers_one_dot_is_no_leader():
    # "hệ:..0780.468.588": a speck of the scan half way up beside the dot after "0780" made two marks
    # between two digits, a leader, and the value was cut to "468.588" (read "168.588" again)
    label, number = [0, 12, 24], [70, 82, 94, 106, 128, 140, 152, 172, 184, 196]
    marks = [(40, 4, 30), (52, 4, 30), (117, 4, 30), (122, 4, 18), (164, 4, 30)]
    word = Word(text="hệ:..0780.468.588", conf=0.5, bbox=(0, 0, 210, 40))
    box, found = digits.value_span(_ink(210, label + number, marks), word)
    assert found == "0780.468.588" and box[0] == 70
    # dots side by side on one row are a leader wherever the row lies (a middle dot's "···")
    box, _ = digits.value_span(_ink(210, label + number, [(40, 4, 18), (52, 4, 18)]), word)
    assert box[0] == 70


def test_a_value_between_two_leaders_is_cut_from_both():
    # 27_don_khoi_kien "Số điện thoại (nếu có):......0830479841........": the label, the value and the
    # blank's rest of the leader are one word, read at 0.59; the whole word read again was as unsure
    label, number = [0, 12, 24], [80, 92, 104, 116, 128]
    dots = [(40, 5, 30), (52, 5, 30), (64, 5, 30), *[(150 + 10 * k, 5, 30) for k in range(5)]]
    word = Word(text="có):......08304........", conf=0.5, bbox=(0, 0, 200, 40))
    box, found = digits.value_span(_ink(200, label + number, dots), word)
    assert found == "08304" and (box[0], box[2]) == (80, 138)
    # "(2)...Nữ.........": letters too
    word = Word(text="(2)...Nữ.........", conf=0.5, bbox=(0, 0, 200, 40))
    assert digits.chosen_groups([word]) == ([], [0])
    box, found = digits.value_span(_ink(200, label + [80, 92], dots), word)
    assert found == "Nữ" and (box[0], box[2]) == (80, 102)


def test_a_numbers_stop_is_cut_from_it():
    # "22/01/1996." read at 0.36 as one word, and at 0.79 again whole: the stop is no part of the date
    word = Word(text="22/01/1996.", conf=0.36, bbox=(0, 0, 200, 40))
    box, found = digits.value_span(_ink(200, [0, 12, 30, 42, 60, 72, 84, 96], [(112, 5, 30)]), word)
    assert found == "22/01/1996" and (box[0], box[2]) == (0, 106)


def test_two_readings_of_a_number_agree_whatever_stands_between_its_digit_groups():
    # a hand's "0763.322.515" read "0763:322:515" on the page: the digits are the number
    assert digits.same_reading("0763.322.515", "0763:322:515")
    assert digits.same_reading("22-01-1996", "22/01/1996")
    assert not digits.same_reading("0763.322.515", "0768:322:515")
    assert not digits.same_reading("0763322515", "0763:322:515")  # grouped otherwise: not the same reading
    assert not digits.same_reading("Ngô", "NÑgô")


def test_a_tables_rule_read_as_a_bar_beside_a_cells_value_is_no_part_of_it():
    # p6-bang-study: "|19/04/1953" (0.82), "|0893527087" (0.91) read by the page with the cell's left rule;
    # the larger crop read "19/04/1953" and "0893527087" at 0.97: the same digits, read twice
    assert digits.same_reading("19/04/1953", "|19/04/1953") and digits.same_reading("0893527087|", "|0893527087")
    # a bar in place of a digit is no bar beside the value; a bar alone reads no value
    assert not digits.same_reading("19/04/1953", "|9/04/1953") and not digits.same_reading("|", "|")


def test_a_number_a_leader_cuts_from_a_long_label_is_read_again():
    # 13_DDN_gia_han "Điện thoại di động:.....0976 569 941": the label's letters outnumber the digits
    # of its word, read at 0.90; 36_giay_de_nghi "Số CMND/Hộ chiếu/CMCAND/CMQĐND:..030092824598"
    words = [_fake("động:.....0976", 0.90, 10), _fake("chiếu/CMCAND/CMQĐND:..030092824598.........", 0.64, 60),
             _fake("Email:......anhdo98@gmail.com....", 0.33, 110),  # "98" stands beside no leader
             _fake("động:.....", 0.5, 160)]
    assert digits.chosen_groups(words) == ([0, 1], [])


def test_a_value_is_cut_only_where_nothing_but_a_leader_stands_beside_it():
    spans = {text: digits._beside_leader(text) for text in
             ("Email:......anhdo98@gmail.com....", "0826075380......Ngày", "tháng.....()44/20")}
    text = "0826075380......Ngày"
    assert text[slice(*spans[text])] == "0826075380"  # the next label glued beyond the leader
    assert spans["Email:......anhdo98@gmail.com...."] is None and spans["tháng.....()44/20"] is None


def test_a_house_or_hamlet_number_before_its_comma_is_read_again_after_the_numbers():
    # "Xóm4," at 0.88, "8," at 0.72, "5,Xã" at 0.91: nothing on the page checks an address's house or
    # hamlet number, and its one digit made no number of MIN_DIGITS; an item's "1." is no such number
    numbers = [_fake(f"{n:02d}/01/2000", 0.5, 30 * n) for n in range(digits.MAX_WORDS - 2)]
    places = [_fake("Xóm4,", 0.88, 600), _fake("8,", 0.72, 630), _fake("5,Xã", 0.91, 660)]
    words = numbers + places + [_fake("1.", 0.5, 690), _fake("phố10,", 0.97, 720)]
    first = len(numbers)
    # the numbers first; the places where the strip has room, the least sure first
    assert digits.chosen_groups(words) == (list(range(first)) + [first, first + 1], [])


def test_a_second_reading_that_puts_a_space_in_the_word_agrees_with_it():
    # "Số121," read "Số" "121," at a larger scale: the same letters, each piece sure
    word = _fake("Số121,", 0.74, 10)
    blank = np.full((60, 200), 255, dtype=np.uint8)

    def read_block(strip: np.ndarray, dpi: int) -> list[Word]:
        middle = strip.shape[0] // 2
        return [Word(text="Số", conf=0.96, bbox=(5, middle - 10, 40, middle + 10)),
                Word(text="121,", conf=0.93, bbox=(50, middle - 10, 100, middle + 10))]

    out, reread, confirmed = digits.confirm_unsure_words(blank, 300, [word], read_block)
    assert (reread, confirmed) == (1, 1)
    assert out[0].text == "Số121," and out[0].reread_conf == 0.93 and out[0].first_conf == 0.74


def test_a_second_reading_in_pieces_with_other_letters_or_an_unsure_piece_is_no_agreement():
    word = _fake("Số121,", 0.74, 10)
    blank = np.full((60, 200), 255, dtype=np.uint8)
    for pieces in ([("Số", 0.96), ("127,", 0.95)], [("Số", 0.96), ("121,", 0.6)]):
        def read_block(strip: np.ndarray, dpi: int, pieces=pieces) -> list[Word]:
            middle = strip.shape[0] // 2
            return [Word(text=t, conf=c, bbox=(5 + 50 * k, middle - 10, 45 + 50 * k, middle + 10))
                    for k, (t, c) in enumerate(pieces)]
        out, _, confirmed = digits.confirm_unsure_words(blank, 300, [word], read_block)
        assert confirmed == 0 and out[0].reread_conf is None and out[0].conf == 0.74


def test_a_pages_sure_numbers_and_a_dates_day_and_month_are_chosen_in_page_order():
    # A hand's digits read sure are known to be read right only when two readings agree: a page's sure
    # numbers, and a date's day and month beside their label, are read again in a strip of their own
    words = [_fake("2020", 0.97, 10), _fake("ngày", 0.96, 40), _fake("05", 0.97, 40), _fake("tháng", 0.96, 40),
             _fake("3", 0.96, 40), _fake("1.", 0.97, 70), _fake("3", 0.97, 100), _fake("Nguyễn", 0.97, 130),
             _fake("12/03/1990", 0.5, 160), _fake("0912345678", 0.97, 190)]
    words[9] = words[9].model_copy(update={"ink": "blue"})  # a pen's: read with the unsure ones
    # an item's "1.", a lone "3", a word of letters and an unsure number are not among them
    assert digits.sure_numbers(words) == [0, 2, 4]
    assert digits.sure_numbers([_fake(f"{n:02d}/01/2000", 0.97, 30 * n) for n in range(20)]) == list(range(digits.MAX_SURE_WORDS))


def test_a_page_of_sure_numbers_alone_costs_no_strip():
    words = [_fake("0912345678", 0.97, 10), _fake("12/03/1990", 0.96, 40)]
    calls = []
    out, reread, confirmed = digits.confirm_unsure_words(np.full((100, 300), 255, np.uint8), 300, words,
                                                         lambda image, dpi: calls.append(1) or [])
    assert (calls, reread, confirmed, out) == ([], 0, 0, words)


@has_tesseract
def test_a_letters_typed_date_is_read_again_beside_its_hand_written_number():
    # bao_cao "Số: 175 /BC-UBND": an office's hand wrote the number (read unsure), and the analysis holds
    # the letter's other numbers and dates as the hand's unless two readings agree; the typed date, read
    # sure, is read again in the number's strip: its day, month and year agree
    words, out, _ = _read_with_one_unsure("Số: 175 /BC-UBND\nLương Can, ngày 16 tháng 3 năm 2020", "175", 0.6)
    for text in ("16", "3", "2020"):
        word = out[_word(words, text)]
        assert word.reread_conf is not None and word.second_reading is None and word.text == text


def test_a_sure_number_read_otherwise_keeps_the_pages_reading_unconfirmed():
    # p6-bang-study4 vb-0041: an ID's last group "874", read sure by the page, read "374" at 0.94 in the
    # sure numbers' strip: kept as a second reading, the analysis took it (the page's was right)
    words = [_fake("12/03/1990", 0.5, 10), _fake("874", 0.97, 60)]
    blank = np.full((200, 300), 255, dtype=np.uint8)

    def read_block(strip: np.ndarray, dpi: int) -> list[Word]:
        text = "12/03/1990" if strip.shape[1] > 150 else "374"  # the unsure strip holds the (wider) date alone
        return [Word(text=text, conf=0.94, bbox=(5, 5, strip.shape[1] - 5, strip.shape[0] - 5))]

    out, reread, confirmed = digits.confirm_unsure_words(blank, 300, words, read_block)
    assert (reread, confirmed) == (2, 1) and out[0].reread_conf == 0.94
    assert out[1] == words[1]  # no second reading kept beside it, no confirmation


def test_the_numbers_a_strip_has_no_room_for_are_read_in_the_sure_numbers_strip():
    # p6-kltn60 vb-0004: a form a hand filled in blue, more numbers than MAX_WORDS: the surest of them
    # ("054086354978" at 0.96, the signing day "28") were never read again, and stayed held as a pen's
    words = [_fake(f"{n:02d}/01/2000", 0.5 + 0.01 * n, 30 * n) for n in range(digits.MAX_WORDS + 3)]
    strips = []

    def read_block(strip: np.ndarray, dpi: int) -> list[Word]:
        strips.append(strip.shape)
        return []

    blank = np.full((30 * len(words) + 40, 300), 255, dtype=np.uint8)
    _, reread, _ = digits.confirm_unsure_words(blank, 300, words, read_block)
    assert digits.chosen_groups(words)[0] == list(range(digits.MAX_WORDS))  # the least sure first
    assert len(strips) == 2 and reread == len(words)  # the three surest in a strip of their own


def test_a_dates_day_or_month_a_hand_wrote_is_read_again_in_a_strip_of_its_own():
    # p6-mix40 vb-0008, a construction permit signed "Hớn Quản, ngày †† tháng 12 năm 2024": the hand's
    # day 11 read as two daggers at 0.24, no digit, so no number to read again; vb-0002's month "5S";
    # p6-study12 vb-0003's day read in two words, "ngày † † tháng 7"
    words = [_fake("ngày", 0.93, 10), _fake("††", 0.24, 10), _fake("tháng", 0.97, 10), _fake("5S", 0.65, 10),
             _fake("năm", 0.97, 10), _fake("2024", 0.97, 10),
             _fake("ngày", 0.96, 60), _fake("......", 0.40, 60), _fake("tháng", 0.96, 60),  # a blank's leader
             _fake("ngày", 0.96, 110), _fake("12", 0.97, 110), _fake("tháng", 0.96, 110),  # a typed day, sure
             _fake("ngày", 0.96, 160), _fake("17", 0.62, 160), _fake("tháng", 0.96, 160),  # a number already
             _fake("ngày", 0.96, 210), _fake("Nguyễn", 0.50, 210), _fake("tháng", 0.96, 210),  # no day
             _fake("ngày", 0.96, 260), _fake("†", 0.57, 260), _fake("†", 0.86, 260), _fake("tháng", 0.96, 260)]
    numbers, again, letters, days = digits.strips(words)
    assert days == [[1], [3], [19, 20]]
    assert 13 in numbers  # read once, with the numbers
    assert 16 in letters  # an unsure word of letters, read with the letters


def _read_days(words: list[Word], text: str, conf: float) -> tuple[list[Word], list, int, int]:
    strips = []

    def read_block(strip: np.ndarray, dpi: int) -> list[Word]:
        strips.append(strip.shape)
        return [Word(text=text, conf=conf, bbox=(5, 5, strip.shape[1] - 5, strip.shape[0] - 5))]

    out, reread, confirmed = digits.confirm_unsure_words(np.full((100, 300), 255, np.uint8), 300, words, read_block)
    return out, strips, reread, confirmed


def test_a_days_words_are_read_again_as_one_and_a_likely_reading_of_no_number_is_kept():
    # p6-study12 vb-0003: the hand's 11 read "† †" by the page, "11" at 0.81 alone: all there is to read
    words = [_fake("ngày", 0.93, 10), _fake("†", 0.57, 10), _fake("†", 0.86, 10), _fake("tháng", 0.97, 10)]
    out, strips, reread, confirmed = _read_days(words, "11", 0.81)
    assert len(strips) == 1 and (reread, confirmed) == (2, 0)
    assert [(w.second_reading, w.second_reading_of, w.second_conf) for w in out[1:3]] == [("11", "†", 0.81), ("", "†", 0.81)]
    out, _, _, _ = _read_days(words, "11", digits.MIN_SLOT_CONF - 0.01)
    assert out == words  # too unsure even for that


def test_a_day_the_page_read_as_a_number_keeps_only_a_sure_reading_of_other_digits():
    words = [_fake("ngày", 0.93, 10), _fake("5", 0.80, 10), _fake("tháng", 0.97, 10)]
    assert _read_days(words, "6", 0.85)[0] == words
    out, _, _, _ = _read_days(words, "6", 0.95)
    assert (out[1].second_reading, out[1].second_conf) == ("6", 0.95)
    out, _, reread, confirmed = _read_days(words, "5", 0.97)  # read alike, sure: confirmed
    assert (reread, confirmed, out[1].reread_conf, out[1].second_reading) == (1, 1, 0.97, None)


def test_a_digit_the_page_read_as_a_symbol_is_part_of_the_number_beside_the_leader():
    # p6-honest10 vb-0038: "Sinh ngày:...2@-08-1983" (0.69), a hand's 26-08-1983 with its 6 read "@": the
    # longest number was "08-1983", with "2@-" between it and the leader, and the date was never read
    # again (read again alone: "26-08-1983" at 0.97); an e-mail's "@" stands beside no leader still
    assert digits._number_beside_leader("ngày:...2@-08-1983")
    assert digits.ranked_groups([_fake("ngày:...2@-08-1983", 0.69, 10)]) == ([0], [])
    assert not digits._number_beside_leader("Email:......anhdo98@gmail.com")
