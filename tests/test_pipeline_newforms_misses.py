"""Misses of the extractors on the opt-in form families (scripts/samplegen/forms/extra/, Part 6's
unseen forms), each tested on the forms' own wording (realdata/forms-kltn)."""

import pytest

from pipeline.analyse import AnalysisContext, analyse_pages
from tests.pipeline_fixtures import page_from_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
ACCEPT_ALL = AnalysisContext(review_threshold=0.0, use_text_model=False)


def _doc(text: str, context: AnalysisContext = ACCEPT_ALL):
    (doc,) = analyse_pages([page_from_text(text)], context)
    return doc


@pytest.mark.parametrize("label", ["Nơi cưtrú: (2)", "Ngày, tháng, nămsinh:", "Giấy tờ tùythân: (3)", "Địa chỉthường trú"])
def test_a_label_alone_on_its_line_with_two_words_read_glued_does_not_crash(label):
    # 52_TK_dang_ky_CMC / 23_doi_ho_ten_cho_con: "Nơi cư trú: (2)" with the address on the line below;
    # OCR glued two of the label's words, so the line is shorter than the label (IndexError before)
    doc = _doc(MOTTO + "TỜ KHAI ĐĂNG KÝ NHẬN CHA, MẸ, CON\nHọ, chữ đệm, tên người yêu cầu: Nguyễn Văn An\n"
               + label + "\nXóm 1, Xã Tiến Đức, Huyện Hưng Hà, Tỉnh Thái Bình\n")
    assert doc.fields["full_name"].value == "Nguyễn Văn An"
    if label.startswith("Nơi"):
        assert doc.fields["address"].value == "Xóm 1, Xã Tiến Đức, Huyện Hưng Hà, Tỉnh Thái Bình"


COMPLAINT = MOTTO + """ĐƠN TỐ CÁO
Kính gửi: Công an Huyện Tiền Hải
Họ và tên tôi: Đoàn Kim Tuyết Sinh ngày: 14/12/1967
Chứng minh nhân dân số: 124213614
Ngày cấp: …./…/……. Nơi cấp: Công an tỉnh Sóc Trăng
Hộ khẩu thường trú: Ấp 8, Xã Mỹ Hương, Huyện Mỹ Tú, Tỉnh Sóc Trăng
Chỗ ở hiện tại: Ấp 8, Xã Mỹ Hương, Huyện Mỹ Tú, Tỉnh Sóc Trăng
Số điện thoại liên hệ: 0387073933
Tôi làm đơn này tố cáo và đề nghị Quý cơ quan tiến hành điều tra, xử lý đối với
hành vi vi phạm pháp luật của:
Anh: Huỳnh Văn Vinh ……… Sinh ngày: 04/10/1985
CMND/CCCD: 034185754939
Ngày cấp:…………Nơi cấp: ……………
Hộ khẩu thường trú: Xóm 7, Xã Ái Quốc, Huyện Tiền Hải, Tỉnh Thái Bình
Chỗ ở hiện tại: Xóm 7, Xã Ái Quốc, Huyện Tiền Hải, Tỉnh Thái Bình
Vì anh ……………….. đã có hành vi………
"""


def test_complaint_reads_the_complainant_not_the_person_accused():
    # 28_don_to_cao: the complainant's ID is labelled "Chứng minh nhân dân số:", the accused's
    # "CMND/CCCD:" after "… vi phạm pháp luật của:" / "Anh: …": the latter was taken (15 wrong
    # auto-accepted IDs on var/new-study), and the accused's birth date and address held the
    # complainant's as "several values"
    doc = _doc(COMPLAINT)
    fields = {k: f.value for k, f in doc.fields.items()}
    assert fields["full_name"] == "Đoàn Kim Tuyết"
    assert fields["id_number"] == "124213614"
    assert fields["date_of_birth"] == "1967-12-14"
    assert fields["address"] == "Ấp 8, Xã Mỹ Hương, Huyện Mỹ Tú, Tỉnh Sóc Trăng"
    assert fields["phone"] == "0387073933"
    for key in ("id_number", "date_of_birth", "address"):
        assert "several" not in (doc.fields[key].note or ""), doc.fields[key].note


def test_the_accused_alone_is_never_taken_for_the_complainant():
    # the complainant's lines lost (cut scan): what follows "Anh:" is another person's, not the applicant's
    lines = COMPLAINT.splitlines()
    body = "\n".join(lines[:3] + ["Họ và tên tôi: Đoàn Kim Tuyết"] + lines[lines.index("hành vi vi phạm pháp luật của:"):])
    doc = _doc(body)
    assert doc.fields["id_number"].value != "034185754939"
    assert doc.fields["date_of_birth"].value != "1985-10-04"


@pytest.mark.parametrize("line", ["Là phụ huynh/người giám hộ hợp pháp của:", "Là con nuôi của:"])
def test_a_line_ending_in_cua_introduces_another_person(line):
    # 29_don_xin_chuyen_truong_tieu_hoc_trong_nuoc, 53_TK_DKLai_viec_nuoi_con_nuoi
    doc = _doc(MOTTO + "ĐƠN XIN CHUYỂN TRƯỜNG\nTôi tên là: Nguyễn Văn An\nĐịa chỉ: Ấp 8, Xã Mỹ Hương, Huyện Mỹ Tú, Tỉnh Sóc Trăng\n"
               + line + "\nHọ và tên: Nguyễn Thị Bích\nNgày sinh: 05/03/2015\n")
    assert doc.fields["full_name"].value == "Nguyễn Văn An"
    assert doc.fields["date_of_birth"].value is None


def test_toi_la_is_a_name_label_and_toi_lam_is_not():
    # 12_DDN_cap_doi_GPLX "Tôi là: …" (the name was taken from the signature and held before)
    doc = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ ĐỔI (CẤP LẠI) GIẤY PHÉP LÁI XE\nKính gửi: Sở Giao thông vận tải Tỉnh Sóc Trăng\n"
               "Tôi là: Đoàn Kim Tuyết\nNgày tháng năm sinh: 14/12/1967\n"
               "Số Căn cước công dân hoặc Số Chứng minh nhân dân: 124213614\n")
    assert doc.fields["full_name"].value == "Đoàn Kim Tuyết" and doc.fields["full_name"].label == "toi la"
    doc = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ\nTôi làm đơn này Kính đề nghị Quý cơ quan xem xét\n")
    assert doc.fields["full_name"].value is None or doc.fields["full_name"].label != "toi la"


def test_cmtnd_is_an_id_label_read_exactly():
    # 34_giay_cam_ket "Số CMTND:…… Ngày cấp: ……": fuzzily "Số CMND", a wording the calibration could not weigh
    doc = _doc(MOTTO + "GIẤY CAM KẾT\nTên tôi là: Đoàn Kim Tuyết\nSố CMTND: 124213614 Ngày cấp: 12/05/2015 Nơi cấp: CA Sóc Trăng\n")
    assert doc.fields["id_number"].value == "124213614" and doc.fields["id_number"].label == "so cmtnd"


def _doc_conf(text: str, conf: dict[str, float]):
    page = page_from_text(text)
    page = page.model_copy(update={"words": [w.model_copy(update={"conf": conf.get(w.text, w.conf)}) for w in page.words]})
    (doc,) = analyse_pages([page], ACCEPT_ALL)
    return doc


LICENCE = MOTTO + """ĐƠN ĐỀ NGHỊ ĐỔI (CẤP LẠI) GIẤY PHÉP LÁI XE
Kính gửi: Sở Giao thông vận tải Tỉnh Hà Nam
Tôi là: Bùi Thi Loan
Ngày tháng năm sinh: 18/09/1955
Lý do: Chuyển nơi ở mới
Thi Sơn, ngày 05 tháng 3 năm 2017
NGƯỜI LÀM ĐƠN
(Ký và ghi rõ họ, tên)
Bùi Thị Loan
"""


def test_a_name_the_signature_spells_with_other_marks_is_held_when_read_unsure():
    # 12_DDN_cap_doi_GPLX (var/new-study): a handwritten "Thị" read "Thi" at 0.79, auto-accepted at 1.00
    doc = _doc_conf(LICENCE, {"Thi": 0.79})
    name = doc.fields["full_name"]
    # the surer of the two readings is the value held (the signed one: take_signed_reading)
    assert name.value == "Bùi Thị Loan" and name.status == "needs_review"
    assert "other marks" in (name.note or "")
    # read print-sure and signed print-sure too: two sure readings disagree, one slipped (p6-bang-honest4
    # vb-0156, 11_dang_ky_khai_sinh: "Thăng" at 0.963 by the label, "Thắng" at 0.960 signed, auto-accepted)
    sure_both = _doc_conf(LICENCE, {}).fields["full_name"]
    assert sure_both.status == "needs_review" and "other marks" in sure_both.note
    # read print-sure over a signature read unsure (a hand's), or signed by another name: no hold from it
    assert _doc_conf(LICENCE, {"Thị": 0.80}).fields["full_name"].status == "auto_accepted"
    # 62_xet_cap_hoc_bong_chinh_sach (new-study5): a handwritten "Vinh" read "Vĩnh" at 0.95, signed
    # "Vinh" at 0.96, had been accepted: the value's reading is the less sure of the two
    assert _doc_conf(LICENCE, {"Thi": 0.953, "Thị": 0.961}).fields["full_name"].status == "needs_review"
    assert _doc_conf(LICENCE, {"Thi": 0.961, "Thị": 0.953}).fields["full_name"].status == "needs_review"  # both sure
    other = LICENCE.replace("Bùi Thị Loan\n", "Trần Văn Hùng\n")
    assert _doc_conf(other, {"Thi": 0.79}).fields["full_name"].note is None or \
        "other marks" not in _doc_conf(other, {"Thi": 0.79}).fields["full_name"].note


def test_the_phrase_that_introduces_another_person_may_wrap_over_two_lines():
    # 23_doi_ho_ten_cho_con: "Đề nghị cơ quan đăng ký việc …… cho người có tên dưới" / "đây:" - the
    # person's birth date and gender below were read as the applicant's, who gives neither
    doc = _doc(MOTTO + "TỜ KHAI ĐĂNG KÝ VIỆC THAY ĐỔI, CẢI CHÍNH,\nBỔ SUNG THÔNG TIN HỘ TỊCH, XÁC ĐỊNH LẠI DÂN TỘC\n"
               "Họ, chữ đệm, tên người yêu cầu: Võ Đình Quân\n"
               "Nơi cư trú: Khu phố 10, Xã Trung Hòa, Huyện Chợ Gạo, Tỉnh Tiền Giang\n"
               "Giấy tờ tùy thân: CMND số 290461592\n"
               "Đề nghị cơ quan đăng ký việc … … … … … … …cho người có tên dưới\nđây:\n"
               "Họ, chữ đệm, tên: Đinh Quang Hải\nNgày, tháng, năm sinh: 06/09/1987 Giới tính: Nam Dân tộc: Kinh\n")
    assert doc.fields["full_name"].value == "Võ Đình Quân" and doc.fields["id_number"].value == "290461592"
    assert doc.fields["date_of_birth"].value is None
    assert "gender" not in doc.fields or doc.fields["gender"].value is None


def _gaz_context():
    from units.gazetteer import Gazetteer, UnitRow

    rows = [UnitRow("pre2025", "province", "25", "Phú Thọ", "Tỉnh"),
            UnitRow("pre2025", "district", "236", "Hạ Hòa", "Huyện", "25"),
            UnitRow("pre2025", "commune", "07942", "Hiền Lương", "Xã", "236")]
    return AnalysisContext(gazetteer=Gazetteer.from_rows(rows), review_threshold=0.0, use_text_model=False)


def test_an_address_of_its_province_and_no_confirmed_district_or_commune_is_held():
    # 28_don_to_cao (var/new-study2): "Hộ khẩu thường trú:……" with the address below over two lines,
    # the first read after the second: "Hạ Hòa, Tỉnh Phú Thọ" auto-accepted at 1.00
    head = MOTTO + "ĐƠN TỐ CÁO\nHọ và tên tôi: Hồ Ngọc Hoa Sinh ngày: 12-08-1958\nHộ khẩu thường trú:......\n"
    (doc,) = analyse_pages([page_from_text(head + "Hạ Hòa, Tỉnh Phú Thọ\nSố điện thoại liên hệ: 0980473820\n")], _gaz_context())
    assert doc.fields["address"].value == "Hạ Hòa, Tỉnh Phú Thọ" and doc.fields["address"].status == "needs_review"
    assert "no district or commune" in doc.fields["address"].note
    (doc,) = analyse_pages([page_from_text(head + "Khu phố 14, Xã Hiền Lương, Huyện Hạ Hòa, Tỉnh Phú Thọ\n")], _gaz_context())
    assert doc.fields["address"].status == "auto_accepted"


def test_an_item_number_read_with_a_colon_before_the_next_label_is_no_part_of_the_value():
    # 12_DDN_cap_doi_GPLX (var/new-study2): two short items on one line, "3." read "3:" -> "Vũ Hồng My 3"
    doc = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ ĐỔI (CẤP LẠI) GIẤY PHÉP LÁI XE\n"
               "2. Tôi là:..Vũ Hồng My 3: Ngày tháng năm sinh:..10-11-1952 ......\n")
    assert doc.fields["full_name"].value == "Vũ Hồng My"
    assert doc.fields["date_of_birth"].value == "1952-11-10"


def test_a_signing_date_whose_ngay_was_misread_by_a_letter_is_read_with_its_day_checked():
    # 12_DDN_cap_doi_GPLX (var/new-study2): "Tân Long, ngùy 25 tháng 01 năm 2021" was not found
    body = (MOTTO + "ĐƠN ĐỀ NGHỊ ĐỔI (CẤP LẠI) GIẤY PHÉP LÁI XE\nTôi là: Vũ Hồng My\n"
            "Lý do: Chuyển nơi ở mới\nTân Long, ngùy 25 tháng 01 năm 2021\nNGƯỜI LÀM ĐƠN\n(Ký và ghi rõ họ, tên)\nVũ Hồng My\n")
    assert _doc(body).fields["signed_date"].value == "2021-01-25"
    # the day is still judged as a hand's: read unsure, it is held
    held = _doc_conf(body, {"25": 0.41}).fields["signed_date"]
    assert held.value == "2021-01-25" and held.status == "needs_review"


def test_a_line_ending_in_cua_before_anyone_is_described_names_the_first_person():
    # a receipt: "Tiếp nhận hồ sơ của:" / "Ông/Bà: …" is the applicant (gen:giay_tiep_nhan lost its
    # name to the rule above before it waited for a first person)
    doc = _doc(MOTTO + "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\nTiếp nhận hồ sơ của:\nHọ và tên: Nguyễn Văn An\n"
               "Địa chỉ: Ấp 8, Xã Mỹ Hương, Huyện Mỹ Tú, Tỉnh Sóc Trăng\nSố điện thoại: 0387073933\n")
    assert doc.fields["full_name"].value == "Nguyễn Văn An"
    assert doc.fields["phone"].value == "0387073933"


def test_a_signature_read_less_sure_than_the_value_does_not_hold_it():
    # the name under the signature is often the one misread (main's kltn sets: 4 right names held)
    body = LICENCE.replace("Bùi Thị Loan\n", "Bùi Thị Loan\n").replace("Thi Sơn", "Vân Sơn")
    doc = _doc_conf(body, {"Thi": 0.90, "Thị": 0.60})
    assert "other marks" not in (doc.fields["full_name"].note or "")


PASSPORT_CHILD = MOTTO + """TỜ KHAI
Đề nghị cấp hộ chiếu phổ thông ở trong nước
dành cho người chưa đủ 14 tuổi
A. Thông tin người đại diện hợp pháp:
Họ và tên: Trần Thị Hoa
Sinh ngày 07 tháng 02 năm 1979 Giới tính(Nam/Nữ): Nữ
Số CCCD/CMND: 034179012345
Địa chỉ thường trú: Số 245, đường Nguyễn Trãi, Xã Sơn Giang, Huyện Hương Sơn, Tỉnh Hà Tĩnh
Tôi xin cam đoan những thông tin trên là đúng sự thật.
"""


@pytest.mark.parametrize("signing", ["Hương Sơn, ngày 11 tháng 10 năm 2024", None])
def test_a_birth_date_whose_item_number_was_dropped_is_not_the_signing_date(signing):
    # 51_TK_cap_ho_chieu_tre_em: "2. Sinh ngày …… tháng …… năm ……" printed without its number reads
    # "Sinh ngày 07 tháng 02 năm 1979": "Sinh" was taken for the place of a signing line, and the
    # representative's birth date accepted as the form's signing date at 1.00 (5 of 24 forms)
    doc = _doc(PASSPORT_CHILD + (signing + "\n" if signing else "") + "NGƯỜI ĐỀ NGHỊ\nTrần Thị Hoa\n")
    assert doc.doc_type == "don_de_nghi" and doc.fields["full_name"].value == "Trần Thị Hoa"
    signed = doc.fields.get("signed_date")
    if signing:
        assert signed.value == "2024-10-11"
    else:
        assert signed is None or signed.value != "1979-02-07"


@pytest.mark.parametrize("line", ["2. Sinh ngày 07 tháng 02 năm 1979 3. Giới tính(Nam/Nữ): Nữ",
                                  "Sinh ngày 07 tháng 02 năm 1979    Giới tính(Nam/Nữ): Nữ"])
def test_a_birth_date_in_words_needs_no_colon_and_choices_glued_to_a_label_are_no_part_of_it(line):
    # 51_TK_cap_ho_chieu_tre_em: "2. Sinh ngày……tháng……năm…… 3. Giới tính(Nam/Nữ): ……" filled: the
    # birth date in words after "Sinh ngày" (no colon printed) and the gender after the choices
    # printed glued to the label were not read (18 and 19 of 24 forms missed them)
    doc = _doc(MOTTO + "TỜ KHAI\nĐề nghị cấp hộ chiếu phổ thông ở trong nước\nA. Thông tin người đại diện hợp pháp:\n"
               "1. Họ và tên: Trần Thị Hoa\n" + line + "\n4. Số CCCD/CMND: 034179012345\n")
    assert doc.fields["date_of_birth"].value == "1979-02-07"
    assert doc.fields["gender"].value == "Nữ"


def test_an_address_word_cut_before_its_last_letter_is_held():
    # 33_don_xin_thoi_hoc (var/new-sealed): a handwritten "đường" read "đườn G" at 1.00 and the address
    # auto-accepted; a word that is no syllable, then a lone letter that makes it one, is a cut word
    form = (MOTTO + "ĐƠN XIN THÔI HỌC\nKính gửi: Ban Giám hiệu Trường Đại học Phan Thiết\nEm tên là: Võ Thị Hạnh\n"
            "Địa chỉ thường trú: Số 144, {} Nguyễn Huệ, Xã Tân Phúc, Huyện Hàm Tân, Tỉnh Bình Thuận\n")
    for read in ("đườn G", "đườnG"):
        cut = _doc(form.format(read)).fields["address"]
        assert cut.value.startswith("Số 144, đườn G Nguyễn Huệ")
        assert cut.status == "needs_review" and "cut before its last letter" in cut.note
    whole = _doc(form.format("đường")).fields["address"]
    assert whole.status == "auto_accepted"
    lettered = _doc(form.replace("Số 144, {} Nguyễn Huệ", "Khu A, {}").format("Lô B")).fields["address"]
    assert lettered.status == "auto_accepted"  # a block's letter after a capitalised type word
