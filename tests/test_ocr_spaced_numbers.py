"""ocr.digits: a number a hand spaced is read by the page in pieces ("05/1" "2/1957"); the pieces are
read again as one crop, and only a sure reading of them as one word of their very characters marks
them as one number (``Word.joined_reading``)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from ocr import digits
from ocr.synth import render_text_page
from ocr.tesseract import TesseractEngine
from schemas.pages import Word

has_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


class Counting:
    """The real Tesseract's block reading behind the seam, counting the calls."""

    def __init__(self) -> None:
        self.engine = TesseractEngine()
        self.calls = 0

    def recognize_block(self, image: np.ndarray, dpi: int) -> list[Word]:
        self.calls += 1
        return self.engine.recognize_block(image, dpi)


def _w(text: str, x0: int, x1: int, conf: float = 0.96, line: int = 1) -> Word:
    return Word(text=text, conf=conf, bbox=(x0, 100, x1, 140), block=1, par=1, line=line)


def _pieces(word: Word, at: int, of: int) -> list[Word]:
    """``word`` cut in two where its ``at``-th of ``of`` characters ends: the page reading's two pieces."""
    x0, y0, x1, y1 = word.bbox
    cut = x0 + (x1 - x0) * at // of
    return [word.model_copy(update={"text": word.text[:at], "bbox": (x0, y0, cut, y1), "conf": 0.93}),
            word.model_copy(update={"text": word.text[at:], "bbox": (cut, y0, x1, y1), "conf": 0.93})]


def test_a_run_is_the_pieces_of_one_line_that_close_and_open_a_number():
    words = [_w("Sinh", 0, 80), _w("ngày:..1", 90, 250), _w("7-09-1985", 270, 500),   # "ngày:...1" "7-09-1985"
             _w("Mã", 560, 600), _w("28/08/1", 620, 780), _w("954", 790, 870),
             _w("998.........", 950, 1100), _w("3.", 1110, 1140)]                          # a leader ends a value
    assert digits.spaced_runs(words) == [[1, 2], [4, 5]]


def test_pieces_far_apart_or_on_two_lines_are_no_run():
    far = [_w("12", 0, 60), _w("1957", 200, 320)]             # a gap wider than the words are high
    lines = [_w("05/1", 0, 100), _w("2/1957", 110, 250, line=2)]
    words_only = [_w("Số", 0, 60), _w("nhà", 70, 140)]
    assert digits.spaced_runs(far) == digits.spaced_runs(lines) == digits.spaced_runs(words_only) == []


@has_tesseract
def test_a_numbers_pieces_read_again_as_one_word_are_marked_one_number():
    page = render_text_page("Sinh ngày: 05/12/1957", dpi=300, font_pt=11)
    words = TesseractEngine().recognize(page.image, 300)
    (index,) = [i for i, w in enumerate(words) if w.text == "05/12/1957"]
    pieces = words[:index] + _pieces(words[index], 4, 10) + words[index + 1:]   # "05/1" "2/1957"
    engine = Counting()
    out, _, _ = digits.confirm_unsure_words(page.image, 300, pieces, engine.recognize_block)
    first, second = out[index], out[index + 1]
    assert (first.text, second.text) == ("05/1", "2/1957")                  # the page's reading is kept
    assert first.joined_reading == second.joined_reading == "05/12/1957"
    assert first.reread_conf is not None and first.conf >= digits.MIN_SECOND_CONF  # its digits read alike twice
    assert engine.calls == 2  # the unsure numbers' strip, then the run's


@has_tesseract
def test_pieces_read_again_as_several_words_are_not_marked():
    # a typed phone number in groups: read again, still three words - no evidence the gaps lie inside one word
    page = render_text_page("Điện thoại: 0912 345 678", dpi=300, font_pt=11)
    words = TesseractEngine().recognize(page.image, 300)
    assert [w.text for w in words][-3:] == ["0912", "345", "678"]
    assert digits.spaced_runs(words) == [[len(words) - 3, len(words) - 2, len(words) - 1]]
    out, _, joined = digits.confirm_unsure_words(page.image, 300, words, Counting().recognize_block)
    assert joined == 0 and all(w.joined_reading is None for w in out)


def test_a_joined_reading_of_other_characters_or_unsure_marks_nothing():
    words = [_w("05/1", 100, 200), _w("2/1957", 210, 360)]
    image = np.full((300, 600), 255, dtype=np.uint8)
    for text, conf in (("05/12/1951", 0.97), ("05/12/1957", 0.80)):
        def read(strip: np.ndarray, dpi: int, text=text, conf=conf) -> list[Word]:
            return [Word(text=text, conf=conf, bbox=(10, 10, strip.shape[1] - 10, strip.shape[0] - 10))]
        out, _, joined = digits.confirm_unsure_words(image, 300, words, read)
        assert joined == 0 and all(w.joined_reading is None and w.reread_conf is None for w in out)
