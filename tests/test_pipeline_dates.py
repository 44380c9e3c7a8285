"""Dates in the forms Vietnamese documents print them, and what OCR does to them."""

import pytest

from pipeline.dates import find_dates, first_date, parse_date


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Quảng Ngãi, ngày 15 tháng 4 năm 2020", "2020-04-15"),
        ("ngày 05 tháng 3 năm 2020", "2020-03-05"),
        ("05/03/2020", "2020-03-05"),
        ("5-3-2020", "2020-03-05"),
        ("05.03.2020", "2020-03-05"),
        ("2020-03-05", "2020-03-05"),
        ("NGÀY 5 THÁNG 12 NĂM 1990", "1990-12-05"),
        ("ngày O5 tháng 3 nãm 2020", "2020-03-05"),  # OCR: letter O for zero, ã for ă
        ("Đà Nẵng, ngày 26tháng 7 năm 2020", "2020-07-26"),
        ("sinh ngày 29/02/2000 tại", "2000-02-29"),
    ],
)
def test_parses_usual_forms(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["31/02/2020", "29/02/2021", "ngày 32 tháng 1 năm 2020", "00/01/2020", "05/13/2020"])
def test_rejects_impossible_calendar_dates(text):
    assert parse_date(text) is None
    match = first_date(text)
    assert match is not None and match.invalid


def test_missing_handwritten_day_is_reported_not_invented():
    match = first_date("Quảng Ngãi, ngày     tháng 4 năm 2020")
    assert match is not None and match.iso is None
    assert match.missing == ("day",)


def test_finds_several_dates_in_order():
    found = find_dates("Nhận lúc 10 giờ ngày 05/03/2021, hẹn trả ngày 12/03/2021")
    assert [m.iso for m in found] == ["2021-03-05", "2021-03-12"]


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Bến Cầu, ngày 20 tháng 5S năm 2022", "2022-05-20"),  # a typed italic 5 read "5S"
        ("ngày 3S tháng 4 năm 2020", "2020-04-03"),
    ],
)
def test_a_letter_after_one_digit_that_would_make_no_day_or_month_is_a_mark(text, iso):
    match = first_date(text)
    assert match is not None and match.iso == iso
    assert match.mark_dropped and match.repaired


def test_a_look_alike_letter_that_makes_a_valid_part_is_still_its_digit():
    match = first_date("ngày 1O tháng 4 năm 2020")
    assert match.iso == "2020-04-10" and match.repaired and not match.mark_dropped
    assert first_date("ngày 2S tháng 4 năm 2020").iso == "2020-04-25"


def test_a_dropped_mark_is_a_guess_never_a_sure_value():
    from pipeline.extract import MARK_DROPPED_NOTE, NOTE_FLAGS, normalise_value

    value, note = normalise_value("signed_date", "ngày 20 tháng 5S năm 2022")
    assert value == "2022-05-20" and note == MARK_DROPPED_NOTE
    assert NOTE_FLAGS[note] == "misspelt"


@pytest.mark.parametrize(
    "text, iso",
    [
        # 39_hoi_dap_chi_cuc_thue, 44_Quyet_dinh (sealed7): a hand's 9 glued to the month's word, read "Q"
        ("Nghệ An, ngày 2Qtháng 9 năm 2024", "2024-09-29"),
        ("Kon Tum, ngày 0Qtháng 4 năm 2022", "2022-04-09"),
    ],
)
def test_a_hands_nine_read_q_is_a_guess_of_nine(text, iso):
    match = first_date(text)
    assert match is not None and match.iso == iso and match.hand_glyphs


def test_a_hands_nine_read_q_is_never_a_sure_value():
    from pipeline.extract import HAND_GLYPHS_NOTE, NOTE_FLAGS, normalise_value

    value, note = normalise_value("date_of_birth", "ngày 2Qtháng 9 năm 1984")
    assert value == "1984-09-29" and note == HAND_GLYPHS_NOTE and NOTE_FLAGS[note] == "misspelt"
    assert not first_date("ngày 29 tháng 9 năm 2024").hand_glyphs
