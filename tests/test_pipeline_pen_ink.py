"""Digits a pen wrote in blue ink (``Word.ink``, measured by ``ocr/ink.py``) are a hand's, however sure
Tesseract read them, and are never auto-accepted: ``p6-bang-study`` (``sohoa samples --n 120 --seed
8201``, the ten default forms as tables) auto-accepted a hand's birth date read "06-01-1965" for
"08-01-1965" at 0.96 on 08_cccd; nothing on the grey page told it from a typed date, the colour did
(and a second reading, at a larger scale, read "08-01-1965"). A pen's digits that two readings read
alike are released, as on any form a hand filled; a blue name shows a hand filled the form, and on
a page whose colours were measured a black number is print, a number glued to its label's print held
unless read twice alike.

The review threshold is 0, so a value is held only by a weak-evidence rule.
"""

import pytest

from pipeline.analyse import PEN_INK_NOTE, AnalysisContext, analyse_pages
from tests.pipeline_fixtures import page_from_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
ACCEPT_ALL = AnalysisContext(review_threshold=0.0, use_text_model=False)

# 08_cccd as the state prints it, the hand's values read as sure as print
CCCD = (MOTTO + "TỜ KHAI CĂN CƯỚC CÔNG DÂN\n1. Họ, chữ đệm và tên: Vũ Bảo Diệu Hằng\n"
        "3. Ngày, tháng, năm sinh: 06-01-1965; 4. Giới tính (Nam/nữ): Nữ\n5. Số CMND/CCCD: 049165389276\n")


def _analysed(text: str, blue: set[str] = frozenset(), reread: set[str] = frozenset(), mixed: set[str] = frozenset()):
    """The page read at 0.97 a word, the words ``blue`` in a pen's blue ink, ``mixed`` in both inks,
    the others black (on a page without blue, unknown), those ``reread`` read twice alike by the page
    path's second reading."""
    page = page_from_text(text, conf=0.97)
    measured = bool(blue or mixed)
    words = []
    for w in page.words:
        ink = "blue" if w.text in blue else "mixed" if w.text in mixed else "black" if measured else None
        update = {"ink": ink}
        if w.text in reread:
            update.update(reread_conf=0.97, first_conf=0.96)
        words.append(w.model_copy(update=update))
    (doc,) = analyse_pages([page.model_copy(update={"words": words})], ACCEPT_ALL)
    return doc


@pytest.mark.parametrize("key, word", [("date_of_birth", "06-01-1965;"), ("id_number", "049165389276")])
def test_digits_in_a_pens_blue_ink_are_held_however_sure_they_were_read(key, word):
    held = _analysed(CCCD, blue={word}).fields[key]
    assert held.status == "needs_review" and held.note == PEN_INK_NOTE
    typed = _analysed(CCCD).fields[key]
    assert typed.value == held.value and typed.status == "auto_accepted"


@pytest.mark.parametrize("key, word", [("date_of_birth", "06-01-1965;"), ("id_number", "049165389276")])
def test_digits_in_blue_ink_the_second_reading_read_alike_are_not_held_for_the_pen(key, word):
    # the page path reads a pen's numbers a second time at a larger scale (ocr/digits.py): the two agreeing
    field = _analysed(CCCD, blue={word}, reread={word}).fields[key]
    assert field.status == "auto_accepted"


def test_on_a_page_a_pen_wrote_blue_on_black_digits_are_print_not_the_hands():
    # a form the pen filled (its name blue), an ID and a signing date typed black: the office's print
    doc = _analysed(CCCD + "Thanh Lân, ngày 16 tháng 3 năm 2023\nNgười khai\n",
                    blue={"Vũ", "Bảo", "Diệu", "Hằng", "06-01-1965;"}, reread={"06-01-1965;"})
    assert doc.fields["full_name"].status == "auto_accepted"  # letters: the pen is no doubt on them
    assert doc.fields["id_number"].status == "auto_accepted"
    assert doc.fields["signed_date"].value == "2023-03-16" and doc.fields["signed_date"].status == "auto_accepted"


@pytest.mark.parametrize("reread, held", [(frozenset(), True), (frozenset({"CMND/CCCD:049165389276"}), False)])
def test_a_number_glued_to_its_labels_print_on_a_form_a_pen_filled_is_held_unless_read_twice_alike(reread, held):
    # the hand's digits read as one word with the label's black letters: the word's ink is the label's
    doc = _analysed(CCCD.replace("CMND/CCCD: 049165389276", "CMND/CCCD:049165389276"),
                    blue={"Vũ", "Bảo", "Diệu", "Hằng"}, mixed={"CMND/CCCD:049165389276"}, reread=reread)
    number = doc.fields["id_number"]
    assert number.value == "049165389276"
    assert (number.status == "needs_review" and "by hand" in number.note) if held else number.status == "auto_accepted"


@pytest.mark.parametrize("blue, held", [(frozenset(), False), (frozenset({"16"}), True)])
def test_a_signing_day_written_in_blue_is_held(blue, held):
    # a typed form dated by hand at signing: "Thanh Lân, ngày 16 tháng 3 năm 2023", the 16 in pen
    doc = _analysed(MOTTO + "ĐƠN XIN MIỄN, GIẢM HỌC PHÍ\nKính gửi: Trường Tiểu học Thanh Lân\nHọ và tên: Lê Văn An\n"
                    "Thanh Lân, ngày 16 tháng 3 năm 2023\nNgười làm đơn\nLê Văn An\n", blue=blue)
    date = doc.fields["signed_date"]
    assert date.value == "2023-03-16"
    assert (date.status == "needs_review" and date.note == PEN_INK_NOTE) if held else date.status == "auto_accepted"


def test_a_signing_day_the_pen_wrote_read_twice_alike_beside_a_typed_month_and_year_is_accepted():
    # "Hòa Thọ Đông, ngày 20 tháng 7 năm 2024": the day in pen (read alike twice), month and year typed
    doc = _analysed(CCCD + "Thanh Lân, ngày 16 tháng 3 năm 2023\nNgười khai\n",
                    blue={"Vũ", "Bảo", "Diệu", "Hằng", "16"}, reread={"16"})
    date = doc.fields["signed_date"]
    assert date.value == "2023-03-16" and date.status == "auto_accepted"


@pytest.mark.parametrize("ink, reread, held", [
    ("blue", True, False),   # the pen's day, read alike twice: its height tells nothing more
    ("blue", False, True),   # the pen's day read once: held for the pen
    (None, True, True),      # a grey page: a day taller than the typed digits is a hand's, read alike or not
])
def test_a_signing_day_set_taller_than_the_typed_digits_in_a_pens_ink_read_twice_alike_is_accepted(ink, reread, held):
    # 38_giay_uy_quyen: "Đức Long, ngày 28 tháng 01 năm 2020", the 28 a clerk's, in blue, 41 px against 29
    page = page_from_text(MOTTO + "GIẤY ỦY QUYỀN\nSố CCCD: 040068437754 cấp ngày 12/03/2015\nHọ và tên: Hồ Ngọc Hải\n"
                          "Đức Long, ngày 28 tháng 01 năm 2020\nNgười ủy quyền\n", conf=0.97)
    measured = ink is not None
    words = []
    for w in page.words:
        update = {"ink": ("blue" if w.text == "28" else "black") if measured else None}
        if w.text == "28":
            x0, y0, x1, _ = w.bbox
            update["bbox"] = (x0, y0 - 12, x1, y0 + 41)  # the typed digits stand 28 px
            if reread:
                update.update(reread_conf=0.96, first_conf=0.96)
        words.append(w.model_copy(update=update))
    (doc,) = analyse_pages([page.model_copy(update={"words": words})], ACCEPT_ALL)
    date = doc.fields["signed_date"]
    assert date.value == "2020-01-28"
    assert (date.status == "needs_review") if held else date.status == "auto_accepted"
