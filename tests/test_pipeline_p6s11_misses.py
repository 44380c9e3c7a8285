"""Misses on the four forms of Part 6's ``sealed6`` set (realdata/forms-kltn: 30_don_xin_giao_dat,
54_TK_DK_cham_dut_giam_ho, 59_to_khai_thue_thu_nhap_ca_nhan, 61_xac_nhan_thu_nhap), each kind read
right or held by a general rule, tested on the forms' own wording.

The review threshold is 0, so a value is held only by a weak-evidence rule.
"""

from tests.pipeline_fixtures import MOTTO, analyse_text as _doc, field_value as _value

# -- 54: the guardianship's registration date, wrapped under a ward's name, is not the signing date --

GUARDIANSHIP_END = MOTTO + """TỜ KHAI ĐĂNG KÝ CHẤM DỨT GIÁM HỘ
Kính gửi: (1) Ủy ban nhân dân phường Tràng Tiền
Họ, chữ đệm, tên người yêu cầu: Lê Thị Uyên
Ngày, tháng, năm sinh: 30/10/1953
Giấy tờ tùy thân: (3) CCCD số 083153393159
Đề nghị cơ quan đăng ký chấm dứt việc giám hộ giữa:
Người giám hộ:
Họ, chữ đệm, tên: Đinh Quốc Công Sơn
Người được giám hộ:
Họ, chữ đệm, tên: Nguyễn Thu Nhung
Đã đăng ký giám hộ tại (4) Ủy ban nhân dân phường Tràng
Tiền ngày 10 tháng 05 năm 2006 số 94 quyển số: 02/2006
Lý do chấm dứt việc giám hộ: Người được giám hộ đã thành
niên
Tôi cam đoan những nội dung khai trên đây là đúng sự thật
{signing}
NGƯỜI YÊU CẦU
(Ký, ghi rõ họ, chữ đệm, tên)
Lê Thị Uyên
"""


def test_a_date_the_sentence_goes_on_after_is_no_signing_date():
    # sealed6: the unit's last word wrapped ("Tràng / Tiền ngày 10 tháng 05 năm 2006 số 94 …") read
    # as a place before the date, and the registration date was auto-accepted as the signing date
    doc = _doc(GUARDIANSHIP_END.format(signing="Tràng Tiền, ngày 31 tháng 3 năm 2018"))
    assert _value(doc, "signed_date") == "2018-03-31"
    # the signing line lost: the registration date is still not taken for it
    doc = _doc(GUARDIANSHIP_END.format(signing=""))
    assert _value(doc, "signed_date") in (None, "")


def test_a_signing_date_followed_by_a_heading_is_still_read():
    # two columns on one line: the signature's heading in capitals after the year
    doc = _doc(GUARDIANSHIP_END.format(signing="Tràng Tiền, ngày 31 tháng 3 năm 2018 NGƯỜI YÊU CẦU").replace(
        "\nNGƯỜI YÊU CẦU\n", "\n"))
    assert _value(doc, "signed_date") == "2018-03-31"


# -- 61: a payer's "THƯ XÁC NHẬN THU NHẬP" about an employee ------------------------------------

INCOME_CONFIRMATION = MOTTO + """THƯ XÁC NHẬN THU NHẬP
Năm 2017
Thay mặt tổ chức, cá nhân trả thu nhập: (Tên tổ chức/cá
nhân) Công ty TNHH Phần mềm FPT
Tôi xin xác nhận về việc ông/bà:
1. Họ và tên: SUZUKI YUKI
2. Chức vụ (nếu có): Trưởng phòng
Được bổ nhiệm tới công tác tại Việt Nam với các chi tiết sau:
3. Ngày đến Việt Nam: ngày 30 tháng 04 năm 2014
4. Thu nhập trong giai đoạn từ ngày 01 tháng 01 năm 2017
đến ngày 31 tháng 12 năm 2017
Số tiền là 720.000.000 đồng
Tôi cam đoan số liệu khai trên là đúng và chịu trách
nhiệm trước pháp luật về những số liệu đã khai./.
Gửi kèm:
Hợp đồng lao động số 077/2014/HĐLĐ ngày 25 tháng 03 năm
2014
Phụng Hiệp, ngày 29 tháng 7 năm 2018
ĐẠI DIỆN HỢP PHÁP
CỦA TỔ CHỨC, CÁ NHÂN TRẢ THU NHẬP
Ký, ghi rõ họ tên; chức vụ và đóng dấu (nếu có)
Lương Hữu Dũng
"""


def test_an_income_confirmation_letter_is_a_confirmation_form():
    # sealed6: "THƯ XÁC NHẬN" was no title of the catalogue (the form typed "khac", none of its
    # fields read); it is the "GIẤY XÁC NHẬN" of a payer, items about one person
    doc = _doc(INCOME_CONFIRMATION)
    assert doc.doc_type == "don_de_nghi"
    assert _value(doc, "full_name") == "SUZUKI YUKI"
    assert _value(doc, "signed_date") == "2018-07-29"
