"""Misses on the four forms of Part 6's ``new-study2`` set (realdata/forms-kltn: 07_cap_lai_the_BHYT,
15_DDN_ho_tro_hoc_tap, 24_don_de_nghi_ho_tro, 53_TK_DKLai_viec_nuoi_con_nuoi), each kind read right or
held by a general rule, tested on the forms' own wording.

The review threshold is 0, so a value is held only by a weak-evidence rule.
"""

import pytest

from tests.pipeline_fixtures import MOTTO, analyse_text as _doc, field_value as _value


# -- 15, 24: a parent's application naming the child "… của em: <name>" ------------------------

SCHOOL_SUPPORT = MOTTO + """ĐƠN ĐỀ NGHỊ HỖ TRỢ
(Dùng cho cha, mẹ học sinh tiểu học học bán trú tại các trường phổ thông)
Kính gửi Trường : ……………
{parent}
Sinh ngày 22 tháng 08 năm 2015
Dân tộc: Mường thuộc hộ nghèo(có/không): Có
Thường trú tại thôn/bản Số 97, đường Trần Hưng Đạo, Phường Ngã Bảy, Thành phố Ngã Bảy, Tỉnh Hậu Giang
"""


@pytest.mark.parametrize("parent", [
    "Họ và tên: Lý Văn Lộc\nLà Cha/mẹ (hoặc người giám hộ, nhận nuôi) của em: Đỗ Đức Phúc",
    # two short items set on one line: the parent's name, then the child's
    "Họ và tên: Lý Văn Lộc Là Cha/mẹ (hoặc người giám hộ, nhận nuôi) của em: Đỗ Đức Phúc",
])
def test_the_childs_birth_date_and_residence_are_not_the_parents(parent):
    # new-study2: the child's "Sinh ngày …" auto-accepted as the parent's birth date on every form 15
    # and 24 (the forms ask none of the parent), and the child's "Thường trú tại thôn/bản" read as
    # the parent's address: "… của em: <name>" names another person, whose items follow
    doc = _doc(SCHOOL_SUPPORT.format(parent=parent))
    assert _value(doc, "date_of_birth") is None
    assert _value(doc, "address") is None


def test_the_parents_name_ends_before_the_childs_item():
    doc = _doc(SCHOOL_SUPPORT.format(parent="Họ và tên: Lý Văn Lộc Là Cha/mẹ (hoặc người giám hộ, nhận nuôi) "
                                            "của em: Đỗ Đức Phúc"))
    # new-study2: "Trương Hữu Dũng Là Cha mẹ hoặc" read as the name (held), three times
    assert doc.fields["full_name"].value == "Lý Văn Lộc"


def test_a_surname_la_is_still_a_name_word():
    doc = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ\nHọ và tên: La Văn Cầu\n")
    assert doc.fields["full_name"].value == "La Văn Cầu"


LEARNING_SUPPORT = MOTTO + """ĐƠN ĐỀ NGHỊ HỖ TRỢ HỌC TẬP
(Dùng cho cha mẹ trẻ mẫu giáo hoặc người chăm sóc trẻ mẫu giáo học tại các cơ sở giáo dục công lập)
Kính gửi: Trường Mầm non Tịnh Hiệp
Họ và tên cha mẹ (hoặc người chăm sóc): Nguyễn Thu Oanh
Hộ khẩu thường trú tại: Xóm 7, Xã Tịnh Hiệp, Huyện Sơn Tịnh, Tỉnh Quảng Ngãi
Là cha/mẹ (hoặc người chăm sóc) của em: Phạm Minh Công
Sinh ngày: 30/09/2019
Dân tộc: Kinh
"""


def test_a_name_label_offering_the_writers_roles_is_the_writers():
    # new-study2, form 15: "Họ và tên cha mẹ (hoặc người chăm sóc):" names whoever fills the form
    # (roles offered as alternatives), not one other person ("Họ, chữ đệm, tên người mẹ:")
    doc = _doc(LEARNING_SUPPORT)
    assert doc.fields["full_name"].value == "Nguyễn Thu Oanh"
    assert doc.fields["full_name"].status == "auto_accepted"
    assert doc.fields["address"].value == "Xóm 7, Xã Tịnh Hiệp, Huyện Sơn Tịnh, Tỉnh Quảng Ngãi"
    assert _value(doc, "date_of_birth") is None


def test_a_name_label_naming_one_other_person_stays_that_persons():
    doc = _doc(MOTTO + "TỜ KHAI\nHọ, chữ đệm, tên người mẹ: Trần Thị Lan\n")
    assert doc.fields["full_name"].value != "Trần Thị Lan"


# -- 07: a name label qualified by whose name it asks -----------------------------------------

RECEIPT = """BẢO HIỂM XÃ HỘI TỈNH
PHÒNG..../BHXH HUYỆN....
""" + MOTTO + """Số: ……/TNHS ……, ……
GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ CẤP, CẤP LẠI
VÀ ĐỔI THẺ BẢO HIỂM Y TẾ
Người nộp hồ sơ: ……………………
Tên đơn vị (nếu là đại diện cho đơn vị nộp hồ sơ): ………… Mã đơn vị:………
Họ và tên người tham gia bảo hiểm y tế: Phan Quốc Hiếu
Mã thẻ bảo hiểm y tế: ………………
Địa chỉ: Tổ dân phố 9, Xã An Đức, Huyện Ba Tri, Tỉnh Bến Tre
Số điện thoại liên hệ: 0934094517
"""


def test_the_receipt_is_a_receipt_and_names_the_insured():
    # new-study2, form 07: the name label "Họ và tên người tham gia bảo hiểm y tế:" has its colon
    # seven words after "Họ và tên"; the name was never read
    doc = _doc(RECEIPT)
    assert doc.doc_type == "giay_tiep_nhan"
    assert doc.fields["full_name"].value == "Phan Quốc Hiếu"
    assert doc.fields["phone"].value == "0934094517"


@pytest.mark.parametrize("body, name", [
    # a long qualifier naming another person keeps the value that person's
    ("Họ và tên: Lê Văn Hùng\nHọ và tên người được ủy quyền làm thủ tục: Trần Văn Nam", "Lê Văn Hùng"),
    # the long reach is for a label's own qualifier, not for prose that happens to hold a colon
    ("Họ và tên người làm đơn có trách nhiệm nộp lại giấy tờ sau: bản sao", None),
])
def test_the_long_reach_of_a_qualified_name_label_stays_a_labels(body, name):
    assert _doc(MOTTO + "TỜ KHAI\n" + body + "\n").fields["full_name"].value == name


# -- 53: the adopted child's items when the line introducing them is lost -----------------------

ADOPTION = MOTTO + """TỜ KHAI ĐĂNG KÝ LẠI VIỆC NUÔI CON NUÔI
Kính gửi : Ủy ban nhân dân Huyện Nghi Lộc
Họ, chữ đệm, tên người yêu cầu: Trần Văn Sơn
Nơi cư trú: Thôn 5, Xã Nghi Thạch, Huyện Nghi Lộc, Tỉnh Nghệ An
Giấy tờ tùy thân : CCCD số 042080442677
{introduction}
Họ, chữ đệm, tên: Trịnh Xuân Hải Giới tính: Nam
Ngày, tháng, năm sinh: 25/04/1978 Quốc tịch: Việt Nam
"""


@pytest.mark.parametrize("introduction", [
    "Đề nghị đăng ký lại việc nuôi con nuôi cho người có tên dưới đây:", ""])
def test_the_bare_name_label_after_the_requesters_opens_the_next_person(introduction):
    # new-study2: with the introducing line trimmed, the child's gender and birth date were read as
    # the requester's (the form asks neither of the requester)
    doc = _doc(ADOPTION.format(introduction=introduction))
    assert doc.fields["full_name"].value == "Trần Văn Sơn"
    assert doc.fields["id_number"].value == "042080442677"
    assert _value(doc, "date_of_birth") is None
    assert _value(doc, "gender") is None


INSURED = MOTTO + """GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ
Người nộp hồ sơ: ……
Họ và tên người tham gia bảo hiểm y tế: Đỗ Thành Hữu Thắng
{below}
Địa chỉ: Xóm 4, Thị trấn Quỳnh Côi, Huyện Quỳnh Phụ
"""


def test_a_name_at_the_margin_above_a_printed_label_is_whole():
    # new-study2, form 07: the insured's name reaching the line's end was held as cut, though the
    # line below opens the form's next item with a label the registry does not know
    doc = _doc(INSURED.format(below="Mã thẻ bảo hiểm y tế: ………………"))
    assert doc.fields["full_name"].value == "Đỗ Thành Hữu Thắng"
    assert doc.fields["full_name"].status == "auto_accepted"


def test_a_name_at_the_margin_above_its_own_rest_is_still_cut():
    doc = _doc(INSURED.format(below="Long Giới tính: Nam"))
    assert doc.fields["full_name"].status != "auto_accepted"


def test_a_name_at_the_margin_does_not_take_the_next_items_label_as_its_rest():
    # the wrapped-name join: "… Đỗ Thành Hữu Thắng" at the margin, "Hiện đang học tại lớp: 3" below
    # opens the form's next item (15_DDN_ho_tro_hoc_tap's wording), no part of the name
    doc = _doc(INSURED.format(below="Hiện đang học tại lớp: 3"))
    assert doc.fields["full_name"].value == "Đỗ Thành Hữu Thắng"
    assert doc.fields["full_name"].status == "auto_accepted"
