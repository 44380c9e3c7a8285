"""General layout kinds of miss on the official forms (realdata/forms-kltn), each read right or held by
a layout rule, tested on the forms' own wording laid out as the OCR gives it:

* a value on the line below a label that ends its line (with a colon, or printed bare:
  51_TK_cap_ho_chieu_tre_em "5. Địa chỉ thường trú" / the address);
* a date split over two lines ("2. Sinh ngày 18 tháng 10" / "năm 1977 3. Giới tính …");
* a 12-digit CCCD wrapped after its 9th digit (joined when the birth date confirms it, else held);
* an address under a bracketed instruction over three lines (47_thay_doi_thong_tin_nguoi_huong);
* an address whose commune lost its type word and first name at the line's end: held.

The review threshold is 0, so a value is held only by a weak-evidence rule.
"""

import pytest

from scripts.evalcore import reference_gazetteer
from tests.pipeline_fixtures import MOTTO, analyse_text

PASSPORT = MOTTO + "TỜ KHAI\nĐề nghị cấp hộ chiếu phổ thông ở trong nước\ndành cho người chưa đủ 14 tuổi\n"
CERTIFY = "Tôi xin cam đoan những thông tin trên là đúng sự thật, nếu sai tôi xin chịu trách nhiệm trước pháp luật.\n"
"""A full-width line: the page's right margin the wrapped values reach."""


def _doc(text: str, gazetteer=None):
    return analyse_text(text, gazetteer)


def _held(field) -> bool:
    return field.status != "auto_accepted" and bool(field.note)


# -- a value on the line below its label ---------------------------------------------------------

def test_a_bare_label_ending_its_line_takes_the_plain_address_below():
    # 51_TK_cap_ho_chieu_tre_em prints "5. Địa chỉ thường trú ……" with no colon; filled, the leader
    # gone, the value stands on the next line
    doc = _doc(PASSPORT + "A. Thông tin người đại diện hợp pháp:\n1. Họ và tên Phan Bảo Diệu Hương\n"
               "5. Địa chỉ thường trú\nTổ dân phố 7, Xã Hiệp Hòa, Thị xã Quảng Yên, Tỉnh Quảng Ninh\n"
               "6. Số điện thoại: 0379.558.692\n")
    assert doc.fields["address"].value == "Tổ dân phố 7, Xã Hiệp Hòa, Thị xã Quảng Yên, Tỉnh Quảng Ninh"
    assert doc.fields["phone"].value == "0379558692"


def test_a_colon_label_ending_its_line_takes_the_value_below():
    # 33_don_xin_thoi_hoc "Địa chỉ hộ khẩu thường trú:" at its line's end, the address below
    doc = _doc(MOTTO + "ĐƠN XIN THÔI HỌC\nTôi tên là: Võ Công Phong\nĐịa chỉ hộ khẩu thường trú:\n"
               "Xóm 2, Thị trấn Cao Lộc, Huyện Cao Lộc, Tỉnh Lạng Sơn\nĐiện thoại: 0347931329\n")
    assert doc.fields["address"].value == "Xóm 2, Thị trấn Cao Lộc, Huyện Cao Lộc, Tỉnh Lạng Sơn"


# -- a date split over two lines -----------------------------------------------------------------

@pytest.mark.parametrize("lines, birth", [
    # "2. Sinh ngày……tháng……năm……3. Giới tính(Nam/Nữ)" wrapped after the month: its year opens the
    # next line before item 3
    ("1. Họ và tên Nguyễn Bảo Hà\n2. Sinh ngày 18 tháng 10\nnăm 1977 3. Giới tính(Nam/Nữ): Nữ\n", "1977-10-18"),
    # the year alone wrapped, the blank's leader after it
    ("1. Họ và tên .... Nguyễn Bảo Hà 2. Sinh ngày 18 tháng 10 năm\n1977 .... 3. Giới tính(Nam/Nữ): Nữ\n", "1977-10-18"),
    # a date in digits cut after the day (45_thay_doi_thong_tin_cu_tru "2. Ngày, tháng, năm sinh:")
    ("1. Họ và tên Nguyễn Bảo Hà\n2. Ngày, tháng, năm sinh: 18\n/10/1977 3. Giới tính(Nam/Nữ): Nữ\n", "1977-10-18"),
])
def test_a_date_split_over_two_lines_is_joined_up_to_the_next_label(lines, birth):
    doc = _doc(PASSPORT + lines)
    assert doc.fields["date_of_birth"].value == birth
    assert doc.fields["full_name"].value == "Nguyễn Bảo Hà"
    assert doc.fields["gender"].value == "Nữ"


# -- a CCCD wrapped after nine digits ------------------------------------------------------------

def _wrapped_id(birth: str) -> str:
    return (MOTTO + "GIẤY ĐỀ NGHỊ KHÁM GIÁM ĐỊNH\n" + CERTIFY + "Tên tôi là: Lương Minh Khánh\n"
            f"Ngày, tháng, năm sinh: {birth}\n"
            + "Giấy Chứng minh nhân dân/Thẻ căn cước/Hộ chiếu số: ........ 089201167\n867 .......\n"
            + "Điện thoại liên hệ: 0565.792.920\n")


def test_a_cccd_wrapped_after_nine_digits_is_joined_when_the_birth_date_confirms_it():
    # 35_giay_de_nghi_kham_giam_dinh: the blank after the long label wraps the number at the margin;
    # digits 4-6 (2, 01: born 2001) agree with the birth date: the nine are a CCCD's head
    doc = _doc(_wrapped_id("15-04-2001"))
    assert doc.fields["id_number"].value == "089201167867"
    assert doc.fields["id_number"].status == "auto_accepted"


def test_a_cccd_wrapped_after_nine_digits_is_held_when_the_birth_date_disagrees():
    doc = _doc(_wrapped_id("15-04-1985"))
    assert doc.fields["id_number"].value == "089201167867"
    assert _held(doc.fields["id_number"])
    assert "line's end" in doc.fields["id_number"].note


# -- an address under a bracketed instruction ----------------------------------------------------

INSTRUCTION = ("Địa chỉ cư trú (ghi đầy đủ theo thứ tự số nhà, ngõ, ngách/hẻm, đường phố,\n"
               "tổ/thôn/xóm/ấp, xã/phường/thị trấn, huyện/quận/thị xã/thành phố,\ntỉnh/thành phố):\n")


@pytest.mark.parametrize("instruction", [
    INSTRUCTION, INSTRUCTION.replace(",\n", ", "),
    # on an A5 page the instruction takes four lines
    "Địa chỉ cư trú (ghi đầy đủ theo thứ tự số nhà, ngõ,\nngách/hẻm, đường phố, tổ/thôn/xóm/ấp,\n"
    "xã/phường/thị trấn, huyện/quận/thị xã/thành\nphố, tỉnh/thành phố):\n",
    # new-sealed3: OCR read a slash as a bracket inside a word ("xã/phường/(thị", "phường(thị")
    INSTRUCTION.replace("xã/phường/thị", "xã/phường/(thị"), INSTRUCTION.replace("xã/phường/thị", "xã/phường(thị"),
])
def test_an_address_under_an_instruction_closed_by_its_colon_is_read_below_it(instruction):
    # 47_thay_doi_thong_tin_nguoi_huong: the instruction wraps over up to four lines (or fits one), the
    # colon after its closing bracket is the label's
    doc = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ\nHọ và tên: Nguyễn Văn An\n" + instruction
               + "Số 12, Thôn 3, Xã Tân Lập, Huyện Đan Phượng, Thành phố Hà Nội\nSố điện thoại: 0912345678\n")
    assert doc.fields["address"].value == "Số 12, Thôn 3, Xã Tân Lập, Huyện Đan Phượng, Thành phố Hà Nội"
    assert doc.fields["phone"].value == "0912345678"


@pytest.mark.parametrize("lines", [
    # "Địa chỉ thường trú" alone, then running text: a heading, no address read from the sentence
    "5. Địa chỉ thường trú\nđược ghi theo sổ hộ khẩu của gia đình\nSố 12, Thôn 3, Xã Tân Lập\n",
    # a bracket that no colon closes is running text, whatever follows it
    "Địa chỉ cư trú (ghi đầy đủ theo thứ tự số nhà,\nngõ, đường phố) và nơi ở hiện nay của gia đình tôi\n"
    "Số 12, Thôn 3, Xã Tân Lập\n",
])
def test_a_label_with_no_colon_and_no_plain_value_below_takes_nothing(lines):
    doc = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ\nHọ và tên: Nguyễn Văn An\n" + lines)
    assert doc.fields["address"].value is None


# -- a commune read short ------------------------------------------------------------------------

def test_an_address_whose_commune_lost_its_type_word_is_held():
    # new-sealed5 form 51: "…, đường Hùng Vương, Xã Hoài" cut at the line's end by OCR, "Châu Bắc, Thị
    # xã Hoài Nhơn, Tỉnh Bình Định" below: the district and province are confirmed, the commune is not
    doc = _doc(PASSPORT + "1. Họ và tên(2) Đinh Quang Nam\n5. Địa chỉ thường trú: Số 215, đường Hùng Vương,\n"
               "Châu Bắc, Thị xã Hoài Nhơn, Tỉnh Bình Định\n6. Số điện thoại: 0978.975.591\n", reference_gazetteer())
    address = doc.fields["address"]
    assert address.value == "Số 215, đường Hùng Vương, Châu Bắc, Thị xã Hoài Nhơn, Tỉnh Bình Định"
    assert _held(address) and "commune" in address.note


def test_an_address_word_holding_a_mark_no_address_is_written_with_is_held():
    # p6-honest10 form 32: "Hộ khẩu thường trú: Xó! 8, Xã An Lập, …" accepted at 1.00 for "Xóm 8"
    doc = _doc(MOTTO + "ĐƠN XIN RÚT HỒ SƠ\nEm là: Trịnh Thu Mỹ Hạnh Sinh ngày: 02/07/2003\n"
               "Hộ khẩu thường trú: Xó! 8, Xã An Lập, Huyện Dầu Tiếng, Tỉnh Bình Dương\n")
    address = doc.fields["address"]
    assert address.value.endswith("Xã An Lập, Huyện Dầu Tiếng, Tỉnh Bình Dương")
    assert _held(address) and "mark" in address.note
    plain = _doc(MOTTO + "ĐƠN XIN RÚT HỒ SƠ\nEm là: Trịnh Thu Mỹ Hạnh Sinh ngày: 02/07/2003\n"
                 "Hộ khẩu thường trú: Xóm 8, Xã An Lập, Huyện Dầu Tiếng, Tỉnh Bình Dương\n")
    assert plain.fields["address"].status == "auto_accepted"


# -- a form whose title OCR lost -----------------------------------------------------------------

def test_a_form_whose_title_was_lost_is_an_application_by_its_subtitle():
    # new-sealed5 form 51: "TỜ KHAI" not read; "Đề nghị cấp hộ chiếu phổ thông ở trong nước" stands
    # under the motto, no number line: a citizen's application, not "khac"
    doc = _doc(MOTTO + "Đề nghị cấp hộ chiếu phổ thông ở trong nước\ndành cho người chưa đủ 14 tuổi\n"
               "A. Thông tin người đại diện hợp pháp:\n4. Số CCCD/CMND: 040198403970\n")
    assert doc.doc_type == "don_de_nghi"
    assert doc.fields["id_number"].value == "040198403970"


def test_a_letter_with_its_number_line_is_not_read_as_a_form_by_a_subtitle():
    doc = _doc("ỦY BAN NHÂN DÂN|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ ĐẠI LỊCH|Độc lập - Tự do - Hạnh phúc\n"
               "Số: 152/UBND|Đại Lịch, ngày 12 tháng 5 năm 2024\nĐề nghị cấp kinh phí sửa chữa trường học\n")
    assert doc.doc_type != "don_de_nghi"


# -- a name before the next item's label -----------------------------------------------------------

TRANSFER = MOTTO + "ĐƠN XIN CHUYỂN TRƯỜNG\n(dành cho học sinh tiểu học chuyển trường trong nước)\n"


def test_a_name_ending_in_a_word_that_may_open_the_next_label_is_held():
    # 29_don_xin_chuyen_truong_tieu_hoc_trong_nuoc: "Tôi tên là: …" and "Hiện trú tại: …" on one
    # line. The registry reads "Hiện trú tại" whole; a wording it lacks ("Nay trú tại:", the registry
    # knowing "Trú tại") leaves its first word at the name's end: never accepted
    address = "Số 64, đường Lý Thường Kiệt, Xã Trung Yên, Huyện Sơn Dương, Tỉnh Tuyên Quang\n"
    doc = _doc(TRANSFER + "Tôi tên là: Trương Thu Mỹ Phượng Hiện trú tại: " + address)
    assert doc.fields["full_name"].value == "Trương Thu Mỹ Phượng"
    assert doc.fields["full_name"].status == "auto_accepted"
    name = _doc(TRANSFER + "Tôi tên là: Trương Thu Mỹ Phượng Nay trú tại: " + address).fields["full_name"]
    assert name.value == "Trương Thu Mỹ Phượng Nay"
    assert _held(name) and "label" in name.note
    # a name syllable ends the name, a speck read as a colon after it or not (63_xinviec "2. Tôi tên
    # là: Nguyễn. Quốc Hùng: 3. Sinh ngày: …")
    for line in ("Tôi tên là: Trương Thu Mỹ Phượng Số điện thoại: 0880.270.942\n",
                 "2. Tôi tên là: Nguyễn Quốc Hùng: 3. Sinh ngày: 24/08/1990\n"):
        assert _doc(TRANSFER + line).fields["full_name"].status == "auto_accepted"


def test_a_word_opening_the_next_label_below_a_name_at_the_margin_is_no_rest_of_it():
    # the same form, "Nay trú tại:" (a wording the registry lacks, it knows "Trú tại") opening the line
    # below a name that reaches the margin: the name is not joined with "Nay"
    doc = _doc(TRANSFER + CERTIFY + "- Hiệu trưởng trường Tiểu học Tăng Thành ....... Tôi tên là: Đinh Quốc Thịnh\n"
               "Nay trú tại: Khu phố 4, Xã Tân Kiều, Huyện Tháp Mười, Tỉnh Đồng Tháp\n")
    name = doc.fields["full_name"]
    assert name.value == "Đinh Quốc Thịnh"
