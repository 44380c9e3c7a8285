"""Wrong values auto-accepted on the opt-in form families (``var/new-sealed2``: forms 51 and 52;
``var/new-sealed4``: form 29), each kind held or read right by a general rule, tested on the forms'
own wording (realdata/forms-kltn: 29_don_xin_chuyen_truong_tieu_hoc_trong_nuoc, 51_TK_cap_ho_chieu_tre_em,
52_TK_dang_ky_CMC, 55_TK_DK_giam_ho).

The review threshold is 0, so a value is held only by a weak-evidence rule.
"""

import pytest

from pipeline.analyse import AnalysisContext, analyse_pages
from tests.pipeline_fixtures import page_from_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
ACCEPT_ALL = AnalysisContext(review_threshold=0.0, use_text_model=False)


def _doc(text: str, conf: dict[str, float] | None = None, reread: dict[str, float] | None = None):
    page = page_from_text(text)
    if conf or reread:  # the words Tesseract read less sure than print; those a second reading confirmed
        conf, reread = conf or {}, reread or {}
        page = page.model_copy(update={"words": [
            w.model_copy(update={"conf": reread.get(w.text, conf.get(w.text, w.conf)), "reread_conf": reread.get(w.text)})
            for w in page.words]})
    (doc,) = analyse_pages([page], ACCEPT_ALL)
    return doc


# -- 29: the pupil's items after the parent's -------------------------------------------------

TRANSFER = MOTTO + """ĐƠN XIN CHUYỂN TRƯỜNG
(dành cho học sinh tiểu học chuyển trường trong nước)
Tôi tên là: Đỗ Thu Mai
Hiện trú tại: Thôn 7, Xã Tăng Thành, Huyện Yên Thành, Tỉnh Nghệ An
Số điện thoại: 0973.868.295 Địa chỉ email (nếu có):……
{introduction}
Học sinh: Phạm Công Việt Ngày tháng năm sinh: 25/11/2016
Là học sinh lớp: 3 Trường: Tiểu học Tăng Thành
"""


@pytest.mark.parametrize("introduction", ["Là phụ huynh/người giám hộ hợp pháp của: -",
                                          "Là phụ huynh/người giám hộ hợp pháp của: '",
                                          ""])
def test_the_pupils_birth_date_is_not_the_parents(introduction):
    # new-sealed4: the pupil's "Ngày tháng năm sinh" auto-accepted at 1.00 as the parent's (the form
    # asks none of the parent), twice: once the line "… của:" was read with a dash after its colon,
    # once it was not there at all (the bare "Học sinh:" label alone names the pupil)
    doc = _doc(TRANSFER.format(introduction=introduction))
    assert doc.fields["full_name"].value == "Đỗ Thu Mai"
    assert doc.fields["date_of_birth"].value is None
    assert doc.fields["phone"].value == "0973868295"
    assert doc.fields["address"].value == "Thôn 7, Xã Tăng Thành, Huyện Yên Thành, Tỉnh Nghệ An"


def test_a_bare_role_label_before_the_first_person_is_that_persons_own():
    # a student's own form opening with "Học sinh: …": the first person described, not another
    doc = _doc(MOTTO + "ĐƠN XIN CHUYỂN TRƯỜNG\nHọc sinh: Phạm Công Việt\nNgày tháng năm sinh: 25/11/2008\n")
    assert doc.fields["date_of_birth"].value == "2008-11-25"


GUARDIANSHIP = MOTTO + """TỜ KHAI ĐĂNG KÝ GIÁM HỘ
Họ, chữ đệm, tên người yêu cầu: Lương Công Việt
Ngày, tháng, năm sinh: 30/10/1980
Đề nghị cơ quan đăng ký việc giám hộ giữa:
Người được giám hộ:
Họ tên: Lê Diệu Thủy
Ngày, tháng, năm sinh: 26/08/2012
Số định danh cá nhân: 010212152874
"""


def test_the_ward_named_by_a_bare_role_label_is_another_person():
    # 55_TK_DK_giam_ho "Người được giám hộ:" then "Họ, chữ đệm, tên: …" read as another label wording
    doc = _doc(GUARDIANSHIP)
    assert doc.fields["date_of_birth"].value == "1980-10-30"
    assert doc.fields["id_number"].value is None


# -- 51: the child's section after the representative's ---------------------------------------

PASSPORT = MOTTO + """TỜ KHAI
Đề nghị cấp hộ chiếu phổ thông ở trong nước
dành cho người chưa đủ 14 tuổi
A. Thông tin người đại diện hợp pháp:
1. Họ và tên(2): Lê Thị Hằng
2. Sinh ngày 02 tháng 05 năm 1960 3. Giới tính(Nam/Nữ): Nữ
5. Địa chỉ thường trú
Ấp 14, Thị trấn Đồng Lê, Huyện Tuyên Hóa, Tỉnh Quảng Bình
6. Số điện thoại 0375.361.997 {relation}
{section}
1. Họ Nguyễn Chữ đệm và tên Hồng Quỳnh (2) 2. Giới tính(Nam/Nữ): Nữ
4. Số định danh cá nhân: 087 151 164 926
9. Địa chỉ đăng ký tạm trú: Khu phố 12, Xã Hội An Đông, Huyện Lấp Vò, Tỉnh Đồng Tháp
"""


@pytest.mark.parametrize("relation, section", [
    ("7. Quan hệ với người dưới 14 tuổi đề nghị cấp hộ chiếu: Mẹ", "B. Thông tin về người chưa đủ 14 tuổi đề nghị cấp hộ chiếu:"),
    ("7. Quan hệ với người dưới 14 tuổi đề nghị cấp hộ chiếu: Mẹ", ""),
    ("", "B. Thông tin về người chưa đủ 14 tuổi đề nghị cấp hộ chiếu:"),
])
def test_the_childs_address_is_not_the_representatives(relation, section):
    # new-sealed2: the representative's "5. Địa chỉ thường trú" (no colon) was not read, and the
    # child's "9. Địa chỉ đăng ký tạm trú:" auto-accepted at 1.00 in its place, twice: the relation
    # item was read after the phone on one line, and the lettered section "B." opened no other person
    doc = _doc(PASSPORT.format(relation=relation, section=section))
    assert doc.fields["full_name"].value == "Lê Thị Hằng"
    assert doc.fields["phone"].value == "0375361997"
    assert doc.fields["address"].value != "Khu phố 12, Xã Hội An Đông, Huyện Lấp Vò, Tỉnh Đồng Tháp"
    assert doc.fields["id_number"].value != "087151164926"


def test_a_lettered_section_opening_the_form_is_the_first_persons():
    doc = _doc(MOTTO + "TỜ KHAI\nA. Thông tin người đại diện hợp pháp:\n1. Họ và tên: Lê Thị Hằng\n"
               "4. Số CCCD/CMND: 044160628171\n")
    assert doc.fields["id_number"].value == "044160628171"


# -- 52: a hand's 1 read as 7 in a birth date ---------------------------------------------------

CMC = MOTTO + """TỜ KHAI ĐĂNG KÝ NHẬN CHA, MẸ, CON
Kính gửi: (1) Ủy ban nhân dân Thành Phố Bạc Liêu
Họ, chữ đệm, tên người yêu cầu: Đoàn Mỹ Yến
Ngày, tháng, năm sinh: 07/04/1951
"""


def test_a_birth_date_read_unsure_and_not_confirmed_is_held():
    # new-sealed2: a handwritten "01/04/1951" read "07/04/1951" at 0.86, auto-accepted at 1.00
    dob = _doc(CMC, conf={"07/04/1951": 0.86}).fields["date_of_birth"]
    assert dob.value == "1951-04-07" and dob.status == "needs_review" and "second reading" in dob.note


def test_a_birth_date_read_sure_or_confirmed_by_the_second_reading_stands():
    assert _doc(CMC).fields["date_of_birth"].status == "auto_accepted"
    assert _doc(CMC, reread={"07/04/1951": 0.96}).fields["date_of_birth"].status == "auto_accepted"


# -- 47: a citizen's form titled "THÔNG BÁO" --------------------------------------------------

PENSION = MOTTO + """THÔNG BÁO THAY ĐỔI THÔNG TIN NGƯỜI HƯỞNG
Kính gửi: Bảo hiểm xã hội quận/huyện/thị xã............
Tên tôi là: Lý Mỹ Thị Thủy Ngày, tháng, năm sinh: 20/08/2000
Số sổ BHXH/Số định danh: 1737401038
Số chứng minh nhân dân: 024 300 139 538 ngày cấp:.........
Giới tính: Nữ
Số điện thoại: 0852488800
"""


def test_a_citizens_form_titled_as_a_notice_is_an_application():
    # new-sealed3/4: every form 47 typed thong_bao at 0.9955 (type 0%, its fields never read): the
    # title names what the form is about; the writer introducing themself makes it a citizen's form
    doc = _doc(PENSION)
    assert doc.doc_type == "don_de_nghi" and any(c.startswith("citizen_form:") for c in doc.type_cues)
    assert doc.fields["full_name"].value == "Lý Mỹ Thị Thủy"
    assert doc.fields["id_number"].value == "024300139538"


@pytest.mark.parametrize("intro", ["Tên tôilà:", "Têntôi là:", "Tôilà:"])
def test_a_writer_introducing_themself_in_words_run_together_is_still_a_citizen(intro):
    # p6-bang-study4 vb-0023 (09_cham_dut_huong_tro_cap_that_nghiep set in a table): "THÔNG BÁO" over
    # "Tên tôilà: |Đinh Thành Sơn", OCR's space lost: typed thong_bao, none of its fields read
    doc = _doc(PENSION.replace("Tên tôi là:", intro))
    assert doc.doc_type == "don_de_nghi" and doc.fields["full_name"].value == "Lý Mỹ Thị Thủy"


def test_an_agencys_notice_stays_a_notice():
    notice = (MOTTO + "UBND HUYỆN THAN UYÊN\nSố: 12/TB-UBND\nTHÔNG BÁO\nVề việc tiếp nhận hồ sơ\n"
              "Ủy ban nhân dân huyện thông báo lịch tiếp công dân như sau:\n")
    assert _doc(notice).doc_type == "thong_bao"
    # no number line read, and no writer introducing themself: still the title's type
    assert _doc(MOTTO + "THÔNG BÁO\nVề việc tiếp nhận hồ sơ\nHọ và tên cán bộ tiếp nhận: Nguyễn Văn An\n").doc_type == "thong_bao"


def test_toi_la_inside_a_phrase_is_no_second_name():
    # form 47's closing "Tôi xin cam đoan các thông tin sửa đổi, bổ sung của tôi là" / "đúng, nếu sai …"
    # gave the name a second value, and every person field of the form was held as "several values"
    doc = _doc(PENSION + "Tôi xin cam đoan các thông tin sửa đổi, bổ sung của tôi là\n"
               "đúng, nếu sai tôi xin chịu trách nhiệm trước pháp luật.\n")
    for key in ("full_name", "date_of_birth", "id_number", "phone"):
        assert doc.fields[key].status == "auto_accepted", (key, doc.fields[key].note)
    assert _doc(MOTTO + "ĐƠN XIN CHUYỂN TRƯỜNG\nTôi là: Đoàn Kim Tuyết\n").fields["full_name"].value == "Đoàn Kim Tuyết"


def test_a_colon_inside_a_printed_instruction_is_not_the_labels():
    # 47: "Địa chỉ nhận (ghi đầy đủ:xã/phường, tổ dân phố/tổ chi trả, …):" gave the address the
    # instruction's words "xã/phường, tổ dân phố/tổ chi trả" (held only because it reached the margin)
    doc = _doc(PENSION + "Địa chỉ nhận (ghi đầy đủ:xã/phường, tổ dân phố/tổ chi trả,\n"
               "quận/huyện/thị xã, tỉnh/ thành phố): Khu phố 9, Xã Xương Lâm, Huyện Lạng Giang, Tỉnh Bắc Giang\n")
    assert "phường, tổ dân phố" not in (doc.fields["address"].value or "")
    # an instruction closed before the colon still leads to the value ("4. Giới tính (Nam/nữ): Nữ")
    doc = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ\nHọ và tên: Lý Mỹ Thị Thủy\nĐịa chỉ (ghi rõ): Khu phố 9, Xã Xương Lâm, Huyện Lạng Giang, Tỉnh Bắc Giang\n")
    assert doc.fields["address"].value == "Khu phố 9, Xã Xương Lâm, Huyện Lạng Giang, Tỉnh Bắc Giang"


def test_choices_in_a_bracket_whose_close_ocr_lost_are_no_instruction():
    # 08_cccd: "3. Ngày, tháng, năm sinh: …; 4. Giới tính (Nam/nữ:" with the value on the next line;
    # the bracket's colon is the label's (choices, not an instruction): the gender was lost
    doc = _doc(MOTTO + "TỜ KHAI CĂN CƯỚC CÔNG DÂN\n1. Họ, chữ đệm và tên: Trần Bảo Anh\n"
               "3. Ngày, tháng, năm sinh: 16-07-1965 ; 4. Giới tính (Nam/nữ:\nNữ\n")
    assert doc.fields["gender"].value == "Nữ"
