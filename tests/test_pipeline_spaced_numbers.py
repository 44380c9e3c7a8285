"""A number a hand spaced, read by the page in pieces: held as a guess of which digits go together,
unless the page path read the pieces again as one word of their very digits (``Word.joined_reading``,
ocr/digits.py) - p6-study13/14, 32_don_xin_rut_ho_so in a handwriting-like hand."""

from __future__ import annotations

import pytest

from pipeline.analyse import AnalysisContext, analyse_pages
from tests.pipeline_fixtures import page_from_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
ACCEPT_ALL = AnalysisContext(review_threshold=0.0, use_text_model=False)


def _field(text: str, key: str, joined: dict[str, str], context: AnalysisContext = ACCEPT_ALL):
    page = page_from_text(MOTTO + text)
    page = page.model_copy(update={"words": [
        w.model_copy(update={"joined_reading": joined[w.text], "reread_conf": 0.96}) if w.text in joined else w
        for w in page.words]})
    (doc,) = analyse_pages([page], context)
    return doc.fields[key]


WITHDRAWAL = "ĐƠN XIN RÚT HỒ SƠ\nEm là: Vũ Thành Khánh Sinh ngày: {date}\n"


@pytest.mark.parametrize("date, pieces, iso", [
    ("05/1 2/1957", ("05/1", "2/1957"), "1957-12-05"),          # p6-study13 vb-0064: the month's digits apart
    ("28/08/1 954", ("28/08/1", "954"), "1954-08-28"),          # p6-study14 vb-0020: the year's
    ("26-01 -1 998", ("26-01", "-1", "998"), "1998-01-26"),     # p6-study14 vb-0031: three pieces
])
def test_a_spaced_date_read_again_whole_is_one_date(date, pieces, iso):
    whole = "".join(pieces)
    held = _field(WITHDRAWAL.format(date=date), "date_of_birth", {})
    read_whole = _field(WITHDRAWAL.format(date=date), "date_of_birth", {piece: whole for piece in pieces})
    assert held.value == read_whole.value == iso
    assert held.status == "needs_review" and "stand apart" in (held.note or "")
    assert read_whole.status == "auto_accepted"


def test_pieces_read_again_in_two_runs_are_still_a_guess():
    # "05/1" read again with a neighbour on its left, "2/1957" alone: nothing read the two as one word
    field = _field(WITHDRAWAL.format(date="05/1 2/1957"), "date_of_birth", {"05/1": "105/1", "2/1957": "2/1957"})
    assert field.value == "1957-12-05" and field.status == "needs_review"


def test_a_house_numbers_spaced_digits_read_again_whole_are_one_number():
    from scripts.evalcore import reference_gazetteer

    context = AnalysisContext(review_threshold=0.0, use_text_model=False, gazetteer=reference_gazetteer())
    text = ("ĐƠN XIN RÚT HỒ SƠ\nEm là: Lê Văn An\n"
            "Hộ khẩu thường trú: Số 1 7, đường Hùng Vương, Xã Đông Dương, Huyện Đông Hưng, Tỉnh Thái Bình\n")
    held = _field(text, "address", {}, context)
    read_whole = _field(text, "address", {"1": "17,", "7,": "17,"}, context)
    assert held.value == read_whole.value == "Số 17, đường Hùng Vương, Xã Đông Dương, Huyện Đông Hưng, Tỉnh Thái Bình"
    assert held.status == "needs_review"
    assert read_whole.status == "auto_accepted", read_whole.note
