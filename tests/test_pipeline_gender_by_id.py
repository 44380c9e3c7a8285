"""A gender guessed from a misspelt word ("Ndm" is Nam) is settled by the person's CCCD: its fourth
digit gives the holder's gender and century, its year digits the birth year. Lines from
45_thay_doi_thong_tin_cu_tru ("2. Ngày, tháng, năm sinh … 3. Giới tính … 4. CCCD"), the form on which
most such guesses were held right (p6-study13/14, the seven shipped sets)."""

from __future__ import annotations

import pytest

from pipeline.analyse import AnalysisContext, analyse_pages
from tests.pipeline_fixtures import page_from_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
ACCEPT_ALL = AnalysisContext(review_threshold=0.0, use_text_model=False)
FORM = ("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ\n1. Họ, chữ đệm và tên: Trần Văn Bình\n"
        "2. Ngày, tháng, năm sinh: {birth} 3. Giới tính: {gender}\n4. CCCD: {id_number}\n")
MALE_1970 = "038070123456"  # Thanh Hóa; 0: a man born in the 1900s; 70: 1970
FEMALE_1970 = "038170123456"  # 1: a woman born in the 1900s


def _fields(birth: str, gender: str, id_number: str, id_conf: float = 0.95, gender_conf: float = 0.95):
    page = page_from_text(MOTTO + FORM.format(birth=birth, gender=gender, id_number=id_number))
    confs = {id_number: id_conf, gender: gender_conf}
    page = page.model_copy(update={"words": [w.model_copy(update={"conf": confs.get(w.text, w.conf)})
                                             for w in page.words]})
    (doc,) = analyse_pages([page], ACCEPT_ALL)
    return doc.fields


@pytest.mark.parametrize("gender, id_number, value, conf", [
    ("Ndm", MALE_1970, "Nam", 0.95),      # a hand's "a" read as another letter
    ("NữỮ", FEMALE_1970, "Nữ", 0.95),     # the last letter read twice
    ("Ngm", MALE_1970, "Nam", 0.41),      # and read unsure, as a hand's misspelt word mostly is
])
def test_a_gender_guess_the_persons_id_agrees_with_is_accepted(gender, id_number, value, conf):
    fields = _fields("29/04/1970", gender, id_number, gender_conf=conf)
    assert fields["id_number"].status == "auto_accepted"
    assert fields["gender"].value == value
    assert fields["gender"].status == "auto_accepted", fields["gender"].note


@pytest.mark.parametrize("conf", [0.95, 0.41])
def test_a_gender_guess_the_id_contradicts_stays_held(conf):
    fields = _fields("29/04/1970", "Ndm", FEMALE_1970, gender_conf=conf)
    assert fields["gender"].value == "Nam" and fields["gender"].status == "needs_review"
    assert "misspelt" in fields["gender"].note


def test_an_id_of_another_birth_year_settles_nothing():
    # the ID's year digits (70) are not the birth date's: another person's number, or a misread one
    fields = _fields("29/04/1971", "Ndm", MALE_1970)
    assert fields["gender"].status == "needs_review"


def test_an_id_read_unsure_settles_nothing():
    # a digit read unsure could be the gender digit itself (0 and 1, 2 and 3 give other genders)
    fields = _fields("29/04/1970", "Ndm", MALE_1970, id_conf=0.6)
    assert fields["id_number"].status == "needs_review"
    assert fields["gender"].status == "needs_review"


def test_a_gender_read_right_is_untouched_by_the_rule():
    fields = _fields("29/04/1970", "Nam", MALE_1970)
    assert fields["gender"].value == "Nam" and fields["gender"].status == "auto_accepted"
