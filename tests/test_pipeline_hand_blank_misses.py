"""A hand's values in a form's blanks, as OCR leaves them around the printed words (Part 6's studied
sets, 5 Dec 2026): a day's digits glued to the month's word, the month's word misread, a place's
type words set close, the semicolon after a blank read as a colon at a wrapped address's end.
Wording from realdata/forms-kltn 51_TK_cap_ho_chieu_tre_em ("2. Sinh ngày……tháng……năm……",
"5. Địa chỉ thường trú ……") and 36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat ("10.Địa chỉ giao
dịch:……;").
"""

import pytest

from pipeline.analyse import AnalysisContext
from pipeline.dates import find_dates
from tests.pipeline_fixtures import MOTTO, analyse_text

PASSPORT = (MOTTO + "TỜ KHAI\nĐề nghị cấp hộ chiếu phổ thông ở trong nước\n"
            "A. Thông tin người đại diện hợp pháp:\n1. Họ và tên: Lê Văn An\n"
            "2. Sinh ngày {birth} 3. Giới tính(Nam/Nữ): Nam\n4. Số CCCD/CMND: 086081739030\n"
            "5. Địa chỉ thường trú{address}\n6. Số điện thoại 0904645641\n")


@pytest.mark.parametrize("birth", [
    "17tháng 10 năm 1998",     # the day's digits written against the month's word
    "17 thúng 10 năm 1998",    # its a read as u beside a hand's digits
    "17 thán g10 năm 1998",    # its last letter read with the month's digits
])
def test_a_birth_date_in_a_blank_is_read_as_ocr_leaves_its_words(birth):
    doc = analyse_text(PASSPORT.format(birth=birth, address=": Xóm 4, Xã Vĩnh Hòa, Huyện Vĩnh Lộc, Tỉnh Thanh Hóa"))
    assert doc.fields["date_of_birth"].value == "1998-10-17"


def test_a_day_glued_to_the_month_word_needs_the_rest_of_the_date():
    assert find_dates("23tháng 10") == []           # no year: no date
    assert find_dates("Số 15 tháng") == []
    (match,) = find_dates("ngày 05 tháng 3 năm 2020")  # as printed: unchanged
    assert match.iso == "2020-03-05"


def test_a_colonless_label_alone_on_its_line_takes_a_place_whose_type_words_were_read_glued():
    doc = analyse_text(PASSPORT.format(birth="17 tháng 10 năm 1998",
                                       address="\nKhuphố 9, Xã Hựu Thành, Huyện Trà Ôn, Tỉnh Vĩnh Long"))
    assert doc.fields["address"].value.endswith("Xã Hựu Thành, Huyện Trà Ôn, Tỉnh Vĩnh Long")
    assert doc.fields["address"].value.casefold().startswith(("khuphố 9", "khu phố 9"))


def test_a_colonless_label_alone_on_its_line_is_still_a_heading_before_running_text():
    doc = analyse_text(PASSPORT.format(birth="17 tháng 10 năm 1998", address="\nkhu vực nông thôn của xã"))
    assert doc.fields["address"].value is None


POWER = (MOTTO + "GIẤY ĐỀ NGHỊ MUA ĐIỆN\nSỬ DỤNG MỤC ĐÍCH NGOÀI SINH HOẠT\nKính gửi: Công ty Điện lực Bến Tre\n"
         "1.Tên cơ quan hoặc cá nhân đăng ký mua điện: Nguyễn Văn An\n"
         "10.Địa chỉ giao dịch: Số 208, đường Quang Trung, Xã Minh Đức\n{rest}\n11.Mã số thuế: 8328949240\n")


def test_a_wrapped_address_goes_on_to_the_semicolon_after_its_blank_read_as_a_colon():
    doc = analyse_text(POWER.format(rest="Huyện Mỏ Cày Nam, Tỉnh Bến Tre:"))
    value = doc.fields["address"].value
    assert value.startswith("Số 208, đường Quang Trung, Xã Minh Đức") and value.endswith("Huyện Mỏ Cày Nam, Tỉnh Bến Tre")


def test_a_line_with_a_label_and_its_colon_still_ends_the_address():
    doc = analyse_text(POWER.format(rest="Email: an@example.com, Tỉnh Bến Tre:"))
    assert "Email" not in (doc.fields["address"].value or "")


def test_the_representative_an_organisation_names_is_the_forms_person_and_no_loose_label():
    doc = analyse_text(POWER.format(rest="Huyện Mỏ Cày Nam, Tỉnh Bến Tre;").replace(
        "1.Tên cơ quan hoặc cá nhân đăng ký mua điện: Nguyễn Văn An\n",
        "1.Tên cơ quan hoặc cá nhân đăng ký mua điện: Công ty TNHH Minh Long (1).\n"
        "2.Đại diện là ông (bà): Nguyễn Văn An (2).\n"))
    name = doc.fields["full_name"]
    assert name.value == "Nguyễn Văn An"
    assert name.status == "auto_accepted"  # "Ông (bà):" alone would hold it: it may name anyone


def test_ong_ba_alone_still_names_a_person_only_loosely():
    doc = analyse_text(POWER.format(rest="Huyện Mỏ Cày Nam, Tỉnh Bến Tre;").replace(
        "1.Tên cơ quan hoặc cá nhân đăng ký mua điện: Nguyễn Văn An\n", "Ông (bà): Nguyễn Văn An\n"))
    assert doc.fields["full_name"].value == "Nguyễn Văn An"
    assert doc.fields["full_name"].status == "needs_review"


@pytest.mark.parametrize("day, iso", [("T6", "2023-03-16"), ("†8", "2023-03-18"), ("] 9", "2023-03-19"), ("!2", "2023-03-12")])
def test_a_hands_1_opening_the_signing_day_read_as_a_mark_is_the_1_it_was_held(day, iso):
    # the signing line every form ends with ("…, ngày … tháng … năm …", 31_don_xin_mien_giam_hoc_phi):
    # the day "16" read "T6" was taken for the 6 alone
    doc = analyse_text(MOTTO + "ĐƠN XIN MIỄN, GIẢM HỌC PHÍ\nKính gửi: Trường Tiểu học Thanh Lân\n"
                       f"Họ và tên: Lê Văn An\nThanh Lân, ngày {day} tháng 3 năm 2023\nNgười làm đơn\nLê Văn An\n")
    assert doc.fields["signed_date"].value == iso
    assert doc.fields["signed_date"].status == "needs_review"


def test_a_mark_before_a_birth_dates_day_is_a_guess_held():
    doc = analyse_text(PASSPORT.format(birth="T7 tháng 10 năm 1998", address=": Xóm 4, Xã Vĩnh Hòa, Huyện Vĩnh Lộc, Tỉnh Thanh Hóa"))
    field = doc.fields["date_of_birth"]
    assert field.value == "1998-10-17" and field.status == "needs_review"


def test_a_mark_alone_is_no_day():
    assert find_dates("ngày t tháng 4 năm 2024") == []
    assert find_dates("ngày ! tháng 4 năm 2024") == []


def test_a_numeric_birth_date_whose_year_runs_on_into_a_digit_takes_its_first_four_held():
    # 16_DDN_huong_che_do_benh_nghe_nghiep "2. Ngày tháng năm sinh: …… Giới tính: ……" filled by hand:
    # "13/09/20006Giới" (a stroke read as a fifth digit, the next label glued on) had made no date
    doc = analyse_text(MOTTO + "ĐƠN ĐỀ NGHỊ\nHưởng chế độ bệnh nghề nghiệp\nKính gửi: Bảo hiểm xã hội tỉnh Thái Bình\n"
                       "1. Họ và tên: Trần Văn Bình\n2. Ngày tháng năm sinh: 13/09/20006Giới tính: Nữ\n")
    field = doc.fields["date_of_birth"]
    assert field.value == "2000-09-13" and field.status == "needs_review"
    assert find_dates("13/09/200067") == []  # two digits more: no year of four


@pytest.mark.parametrize("birth, iso", [("18/†0/1987", "1987-10-18"), ("†8/05/1990", "1990-05-18"), ("T7/10/1998", "1998-10-17")])
def test_a_hands_1_read_as_a_mark_in_a_numeric_birth_date_is_the_1_it_was_held(birth, iso):
    # p6-study12, 14_DDN_ho_tro_chi_phi_mai_tang: "Ngày/tháng/năm sinh: 18/†0/1987", a hand's month 10,
    # not found at all (the wordy dates read such a mark, the numeric ones did not)
    doc = analyse_text(MOTTO + "TỜ KHAI ĐỀ NGHỊ HỖ TRỢ CHI PHÍ MAI TÁNG\n1. Họ và tên: Lê Văn An\n"
                       f"2. Ngày/tháng/năm sinh: {birth} Giới tính: Nam Dân tộc: Kinh\n"
                       "3. Hộ khẩu thường trú: Xóm 4, Xã Vĩnh Hòa, Huyện Vĩnh Lộc, Tỉnh Thanh Hóa\n")
    field = doc.fields["date_of_birth"]
    assert field.value == iso and field.status == "needs_review"
