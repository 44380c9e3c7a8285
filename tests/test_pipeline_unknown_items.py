"""A form we do not know names two people, one of them by an item no label of ours reads: whose the
person fields below are is then unknown, and they are held, whatever their score.

Measured on forms nobody had studied (``sohoa samples --family kltn:15_DDN_ho_tro_hoc_tap --family
kltn:24_don_de_nghi_ho_tro …``): the child's birth date, under the parent's "Là cha/mẹ … của em:",
was auto-accepted as the parent's at 1.00. Wording from realdata/forms-kltn (15, 24, 07).

The review threshold is 0, so a value is held only by a weak-evidence rule.
"""

import pytest

from tests.pipeline_fixtures import MOTTO, analyse_text as _doc


SUPPORT = MOTTO + """ĐƠN ĐỀ NGHỊ HỖ TRỢ
(Dùng cho cha, mẹ học sinh tiểu học học bán trú tại các trường phổ thông)
Kính gửi Trường: Tiểu học Tam Gia
Họ và tên: Ngô Phương Linh
{child}
Sinh ngày 14 tháng 03 năm 2016
Dân tộc: Mường thuộc hộ nghèo(có/không): không
Thường trú tại thôn/bản: Số 7, đường Quang Trung, Xã Tam Gia, Huyện Lộc Bình, Tỉnh Lạng Sơn
"""


@pytest.mark.parametrize("child", [
    "Học sinh được hỗ trợ: Nguyễn Ngọc Hiếu",  # an item no rule of ours reads
    "Đề nghị hỗ trợ cho cháu:....NÑguyễn Ngọc Hiếu",  # the leader read as ink
    "Tên học sinh: Ngô\nXuân Bình",  # the name wraps
])
def test_person_fields_below_a_second_person_named_by_an_unknown_item_are_held(child):
    doc = _doc(SUPPORT.format(child=child))
    assert doc.fields["full_name"].value == "Ngô Phương Linh"
    assert doc.fields["full_name"].status == "auto_accepted"  # named above the unknown item: the applicant's
    assert doc.fields["date_of_birth"].value == "2016-03-14"
    for key in ("date_of_birth", "address"):
        field = doc.fields[key]
        assert field.value is not None and field.status == "needs_review" and "two people" in field.note


def test_the_forms_own_wording_is_read_as_another_person():
    # the item this rule was measured on is read since (tests/test_pipeline_p6s6_misses.py): the
    # child's birth date and residence are no field of the parent's
    doc = _doc(SUPPORT.format(child="Là Cha/mẹ (hoặc người giám hộ, nhận nuôi) của em: Nguyễn Ngọc Hiếu"))
    assert doc.fields["full_name"].value == "Ngô Phương Linh"
    assert doc.fields["date_of_birth"].value is None and doc.fields["address"].value is None


def test_one_person_named_by_an_unknown_item_holds_nothing():
    # 07_cap_lai_the_BHYT: the insured person's name under a label of its own, the only person named
    doc = _doc(MOTTO + """GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ
Tên đơn vị (nếu là đại diện cho đơn vị nộp hồ sơ): ......... Mã
Họ và tên người tham gia bảo hiểm y tế: Phan Quốc Hiếu
Địa chỉ: Tổ dân phố 9, Xã An Đức, Huyện Ba Tri, Tỉnh Bến Tre
Số điện thoại liên hệ: 0934 094 517
""")
    assert doc.fields["address"].value and doc.fields["phone"].value == "0934094517"
    assert all("two people" not in (field.note or "") for field in doc.fields.values())


def test_a_place_under_an_unknown_item_names_nobody():
    doc = _doc(SUPPORT.format(child="Quê quán: Huyện Phước Sơn, Tỉnh Quảng Nam"))
    assert doc.fields["date_of_birth"].status == doc.fields["address"].status == "auto_accepted"
