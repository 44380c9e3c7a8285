"""Misses on the four forms of Part 6's ``new-study7`` set (realdata/forms-kltn:
00_bao_cao_tot_nghiep_du_hoc_sinh, 01_BCC_thuc_hien_trach_nhiem_du_hoc_sinh,
21_de_nghi_xac_nhan_cap_ho_tro, 41_Mẫu số 16 - TT 28), each kind read right or held by a general
rule, tested on the forms' own wording.

The review threshold is 0, so a value is held only by a weak-evidence rule.
"""

from tests.pipeline_fixtures import MOTTO, analyse_text as _doc, field_value as _value

# -- 00: a returning student's report is the student's form, not an agency's report ---------------

REPORT = MOTTO + """BÁO CÁO TỐT NGHIỆP
Kính gửi: Bộ Giáo dục và Đào tạo
1. Họ và tên: Lê Văn Phong
2. Số định danh cá nhân: 020072398055
3. Cơ quan quản lý trực tiếp (nếu có): Không
5. Thời gian học tập ở nước ngoài: 48 tháng
7. Ngày tốt nghiệp: 16-08-2016 Ngày về nước: 13-09-2016
"""


def test_a_report_whose_items_ask_the_writers_name_is_a_citizens_form():
    # new-study7: every form 00 typed bao_cao (its fields never read): an agency's report has a
    # number line and asks nobody's name; "1. Họ và tên:" under the title makes it the student's
    doc = _doc(REPORT)
    assert doc.doc_type == "don_de_nghi" and any(c.startswith("citizen_form:bao_cao") for c in doc.type_cues)
    assert _value(doc, "full_name") == "Lê Văn Phong"
    assert _value(doc, "id_number") == "020072398055"
    # the name item set after the addressee on one line (two short items)
    joined = _doc(REPORT.replace("Đào tạo\n1. Họ và tên", "Đào tạo Họ và tên", 1))
    assert joined.doc_type == "don_de_nghi" and _value(joined, "full_name") == "Lê Văn Phong"


def test_an_agencys_report_stays_a_report():
    report = (MOTTO + "UBND HUYỆN BẮC SƠN\nSố: 12/BC-UBND\nBÁO CÁO\nKết quả tiếp nhận hồ sơ\n"
              "Họ và tên: Nguyễn Văn An\n")
    assert _doc(report).doc_type == "bao_cao"
    # no number line read, and only an officer's name item: still a report
    assert _doc(MOTTO + "BÁO CÁO\nKết quả tiếp nhận hồ sơ\nHọ và tên cán bộ tiếp nhận: Nguyễn Văn An\n").doc_type == "bao_cao"


# -- 01: the family's section names a parent whose address is not the student's ------------------

COMMITMENT = MOTTO + """BẢN CAM KẾT
THỰC HIỆN TRÁCH NHIỆM CỦA DU HỌC SINH
(dành cho người chưa có cơ quan công tác)
Kính gửi: Bộ Giáo dục và Đào tạo
Tên tôi là: Lê Văn Phong Sinh ngày 19/11/1972
Giấy CMND/Căn cước công dân số: 020072398055 Ngày cấp: 09/07/2010
Nơi cấp: Cục Cảnh sát QLHC về TTXH
Hộ chiếu số: C9207315 Ngày cấp: 13/05/2013
Nơi cấp: Cục Quản lý xuất nhập cảnh
Hiện nay là: Sinh viên
Vũ Lễ, ngày 24 tháng 02 năm 2017
Người cam kết
(ký và ghi rõ họ tên)
CAM KẾT CỦA GIA ĐÌNH
Họ và tên bố (mẹ) hoặc người đại diện hợp pháp: Vũ Đình Khánh
Công tác tại: Hưu trí
Địa chỉ: Ấp 12, Xã Gia Xuyên, Thành phố Hải Dương, Tỉnh Hải Dương
đại diện cho gia đình du học sinh có tên trên, chúng tôi cam kết:
"""


def test_a_heading_over_another_partys_section_ends_the_students_items():
    # new-study7: form 01's parent's address read as the student's (two auto-accepted, the rest held
    # as "whose?"): the student's form asks no address; the parent's section is headed in capitals
    doc = _doc(COMMITMENT)
    assert _value(doc, "address") is None
    assert _value(doc, "full_name") == "Lê Văn Phong" and _value(doc, "id_number") == "020072398055"
    assert _value(doc, "date_of_birth") == "1972-11-19"
    # the form's own title with "CỦA" comes before the student is described: no effect there
    assert _value(_doc(COMMITMENT.replace("Tên tôi là", "THỰC HIỆN CỦA TÔI\nTên tôi là", 1)), "full_name") == "Lê Văn Phong"


# -- 41: the companies a job seeker contacted -----------------------------------------------------

NOTICE = MOTTO + """THÔNG BÁO VỀ VIỆC TÌM KIẾM VIỆC LÀM
Tháng hưởng trợ cấp thất nghiệp thứ: 5
Kính gửi: Trung tâm Dịch vụ việc làm Tỉnh Đồng Nai
Tên tôi là: Huỳnh Mỹ Hằng sinh ngày 19-08-1953
Số chứng minh nhân dân: 037153821872
Ngày cấp: 16/08/2016 nơi cấp: Cục Cảnh sát QLHC về TTXH
Chỗ ở hiện nay: Số 259, đường Nguyễn Huệ, Phường Tân Hiệp, Thành phố Biên Hòa, Tỉnh Đồng Nai
Số điện thoại : 0582344545
Tôi thông báo kết quả tìm kiếm việc làm theo quy định, cụ thể như sau:
(1) Đơn vị thứ nhất (Tên đơn vị, địa chỉ, người trực tiếp liên hệ, vị trí công việc dự
tuyển, kết quả).
Công ty TNHH May Việt Tiến, Số 155, đường Lý Thường Kiệt, Xã Huổi Luông, Huyện
Phong Thổ, Tỉnh Lai Châu, ông Lương Văn Vinh, điện thoại 0781702891, công nhân
may, không đạt
Tình trạng việc làm hiện nay: Đang tìm việc
"""


def test_the_companies_a_job_seeker_lists_are_not_the_applicants_details():
    # new-study7: a contacted company's phone made the applicant's phone "several values", held
    doc = _doc(NOTICE)
    phone = doc.fields["phone"]
    assert phone.value == "0582344545" and not phone.note
    assert _value(doc, "address") == "Số 259, đường Nguyễn Huệ, Phường Tân Hiệp, Thành phố Biên Hòa, Tỉnh Đồng Nai"
    assert _value(doc, "full_name") == "Huỳnh Mỹ Hằng"


# -- 00: the workplace's address before the student's contact address -----------------------------

WORKPLACE = REPORT + """14. Cơ quan công tác sau khi tốt nghiệp về Việt Nam:..Công ty CP FPT ..........
{address_line}
15. Địa chỉ liên hệ : Thôn 12, Xã Vũ Lễ, Huyện Bắc Sơn, Tỉnh Lạng Sơn
Điện thoại cố định: ………… , Điện thoại di động:..0794468285
Vũ Lễ, ngày 24 tháng 02 năm 2017
"""


def test_the_address_under_a_workplace_item_is_the_workplaces():
    # new-study7: form 00's workplace address and the contact address made the address "several
    # values", held; the "Địa chỉ:" right under "Cơ quan công tác …" is the workplace's
    for address_line in ("Địa chỉ:......Xóm 5, Xã Vạn Trạch, Huyện Bố Trạch, Tỉnh Quảng Bình",
                         "4. Địa chỉ: Xóm 5, Xã Vạn Trạch, Huyện Bố Trạch, Tỉnh Quảng Bình"):
        doc = _doc(WORKPLACE.format(address_line=address_line))
        address = doc.fields["address"]
        assert address.value == "Thôn 12, Xã Vũ Lễ, Huyện Bắc Sơn, Tỉnh Lạng Sơn" and not address.note
    # the workplace's name wrapped, its item set after another on the line (as OCR reads form 00)
    wrapped = REPORT + """Nguyện vọng, đề nghị 3: … … … … … Cơ quan công tác sau khi tốt
nghiệp về Việt Nam: Viện Hàn lâm Khoa học và Công nghệ Việt
Nam
Địa chỉ: Tổ dân phố 5, Xã Thạnh Bình, Huyện Tân Biên, Tỉnh Tây Ninh
Địa chỉ liên hệ: Thôn 12, Xã Vũ Lễ, Huyện Bắc Sơn, Tỉnh Lạng Sơn
Điện thoại cố định: … … … … … …, Điện thoại di động: 0794468285
"""
    # its label wrapped after "công" ("14. Cơ quan công" / "tác sau khi tốt nghiệp …")
    label_wrapped = REPORT + """Nguyện vọng, đề nghị: … … … 14. Cơ quan công
tác sau khi tốt nghiệp về Việt Nam: Viện Hàn lâm Khoa học và
Công nghệ Việt Nam
Địa chỉ: Tổ dân phố 6, Xã Minh Lộc, Huyện Hậu Lộc, Tỉnh Thanh Hóa
15. Địa chỉ liên hệ: Thôn 12, Xã Vũ Lễ, Huyện Bắc Sơn, Tỉnh Lạng Sơn
Điện thoại cố định: … … …, Điện thoại di động: 0794468285
"""
    for text in (wrapped, label_wrapped, WORKPLACE.format(address_line="Địa chỉ: Xóm 5, Xã Vạn Trạch, Huyện Bố Trạch, Tỉnh Quảng Bình")):
        doc = _doc(text)
        address = doc.fields["address"]
        assert address.value == "Thôn 12, Xã Vũ Lễ, Huyện Bắc Sơn, Tỉnh Lạng Sơn" and not address.note
        assert _value(doc, "phone") == "0794468285"
    # a person's own "Địa chỉ:" under their name stays theirs
    own = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ\nHọ và tên: Lê Văn Phong\nĐịa chỉ: Thôn 12, Xã Vũ Lễ, Huyện Bắc Sơn, Tỉnh Lạng Sơn\n")
    assert _value(own, "address") == "Thôn 12, Xã Vũ Lễ, Huyện Bắc Sơn, Tỉnh Lạng Sơn"


def test_a_workplaces_name_and_a_no_answer_name_nobody():
    # new-study7: "Trường Đại học …" (folds as the surname Trương) and "Không" with "Quyết" below
    # (folds as Khổng) were taken for people named by unknown items; the student's items held as "whose?"
    text = MOTTO + """BÁO CÁO TỐT NGHIỆP
Kính gửi: Bộ Giáo dục và Đào tạo
1. Họ và tên: Lê Văn Phong
2. Số định danh cá nhân: 020072398055
Cơ quan quản lý trực tiếp (nếu có): Không
Quyết định cử đi học số … … … ngày 10 tháng 06 năm 2019
14. Cơ quan công tác sau khi tốt nghiệp về Việt Nam: Trường Đại học
Bách khoa Hà Nội
Địa chỉ: Số 1, đường Đại Cồ Việt, Phường Bách Khoa, Quận Hai Bà Trưng, Thành phố Hà Nội
15. Địa chỉ liên hệ: Thôn 12, Xã Vũ Lễ, Huyện Bắc Sơn, Tỉnh Lạng Sơn
Điện thoại cố định: … … …, Điện thoại di động: 0794468285
"""
    doc = _doc(text)
    for key in ("address", "phone"):
        assert not doc.fields[key].note, (key, doc.fields[key].note)
    assert _value(doc, "address") == "Thôn 12, Xã Vũ Lễ, Huyện Bắc Sơn, Tỉnh Lạng Sơn"


def test_a_notice_whose_writer_introduces_themself_behind_a_lone_stop_is_an_application():
    # new-study7: form 41's item number read as "." before "Tên tôi là:": typed a notice, nothing read
    doc = _doc(NOTICE.replace("Tên tôi là:", ". Tên tôi là:", 1))
    assert doc.doc_type == "don_de_nghi" and _value(doc, "full_name") == "Huỳnh Mỹ Hằng"
