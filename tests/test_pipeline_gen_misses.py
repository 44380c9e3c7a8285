"""Misses of our own document families (``gen:*``) held out in turn (issue 11, Part 6): right
values held for reasons that did not apply, and wrong values that were auto-accepted.

The review threshold is 0 in the routing tests, so a value is held only by a weak-evidence rule.
"""

import pytest

from pipeline.analyse import AnalysisContext, analyse_pages, reading_agreement
from pipeline.syllables import syllable_share
from schemas.pages import PageText, Word
from tests.pipeline_fixtures import page_from_text
from units.gazetteer import Gazetteer, UnitRow

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
ACCEPT_ALL = AnalysisContext(review_threshold=0.0, use_text_model=False)
UNITS = Gazetteer.from_rows([
    UnitRow("pre2025", "province", "31", "Hải Phòng", "Thành phố"),
    UnitRow("pre2025", "district", "313", "Kiến Thụy", "Huyện", "31"),
    UnitRow("pre2025", "commune", "11800", "Tú Sơn", "Xã", "313"),
    UnitRow("pre2025", "province", "15", "Yên Bái", "Tỉnh"),
    UnitRow("pre2025", "district", "141", "Trạm Tấu", "Huyện", "15"),
    UnitRow("pre2025", "commune", "04450", "Tà Si Láng", "Xã", "141"),
    UnitRow("pre2025", "province", "68", "Lâm Đồng", "Tỉnh"),
])
WITH_UNITS = AnalysisContext(gazetteer=UNITS, review_threshold=0.0, use_text_model=False)


def _doc(text: str, context: AnalysisContext = ACCEPT_ALL):
    (doc,) = analyse_pages([page_from_text(text)], context)
    return doc


def _page(rows: list[tuple[int, int, str]], width: int = 1240, height: int = 1754) -> PageText:
    """A page of rows (top y, left x, text): words 14 px a letter wide, 28 px high."""
    words = []
    for n, (y, x, text) in enumerate(rows):
        for token in text.split():
            w = 14 * len(token)
            words.append(Word(text=token, conf=0.96, bbox=(x, y, x + w, y + 28), block=n, par=1, line=1))
            x += w + 12
    return PageText(page_no=1, width=width, height=height, words=words, mean_conf=0.96, text_source="ocr")


def _report(next_row: tuple[int, int, str]):
    """A báo cáo whose two-line subject is set 12 px apart under its title, then ``next_row``."""
    rows = [
        (60, 80, "ỦY BAN NHÂN DÂN"), (60, 640, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (100, 90, "HUYỆN KIẾN THỤY"), (100, 700, "Độc lập - Tự do - Hạnh phúc"),
        (140, 90, "Số: 549/BC-UBND"), (200, 640, "Kiến Thụy, ngày 17 tháng 7 năm 2018"),
        (280, 560, "BÁO CÁO"),
        (330, 280, "Kết quả thực hiện công tác cải cách"), (370, 400, "hành chính năm 2018"),
        next_row,
    ]
    (doc,) = analyse_pages([_page(rows)], ACCEPT_ALL)
    return doc.fields["subject"]


def test_a_subject_is_not_cut_where_the_body_starts_after_a_paragraph_gap():
    # every báo cáo, tờ trình, kế hoạch, thông báo, chỉ thị had its subject held as "cut": the
    # body's first line (indented, as wide as the text) sat 40-60 px under it, its lines 10-18 apart
    subject = _report((450, 160, "Bố trí đủ nguồn lực, trang thiết bị phục vụ công tác tiếp"))
    assert subject.value == "Kết quả thực hiện công tác cải cách hành chính năm 2018"
    assert subject.status == "auto_accepted"


def test_a_subject_whose_next_line_is_set_as_close_as_its_own_lines_may_go_on():
    subject = _report((410, 330, "thực hiện trên địa bàn huyện"))  # "Thực hiện …" stops a subject
    assert subject.status == "needs_review" and "carry on" in subject.note


def _report_with_full_last_line(body: list[tuple[int, int, str]]):
    """A báo cáo whose two-line subject wraps at full width (its last line as wide as its first:
    wrapping alone does not say it ended), then the ``body`` rows."""
    rows = [
        (60, 80, "ỦY BAN NHÂN DÂN"), (60, 640, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (100, 90, "HUYỆN QUAN SƠN"), (100, 700, "Độc lập - Tự do - Hạnh phúc"),
        (140, 90, "Số: 2667/BC-UBND"), (200, 640, "Quan Sơn, ngày 01 tháng 01 năm 2024"),
        (280, 560, "BÁO CÁO"),
        (330, 300, "Kết quả giải quyết thủ tục hành chính trên Hệ"),
        (370, 310, "thống thông tin một cửa điện tử của huyện năm 2024"),
        *body,
    ]
    (doc,) = analyse_pages([_page(rows)], ACCEPT_ALL)
    return doc.fields["subject"]


def test_a_body_paragraph_opening_under_a_full_width_subject_does_not_carry_it_on():
    # p6g-bao40, gen:bao_cao: the body's first line, indented from the next and wider than any line
    # of the subject, 42 px under it (the subject's lines 12 px apart): the subject ended
    subject = _report_with_full_last_line([
        (440, 160, "Tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công trực tuyến và thanh"),
        (480, 100, "toán trực tuyến. Thực hiện chỉ đạo của cấp trên về việc đẩy mạnh cải cách"),
    ])
    assert subject.value == "Kết quả giải quyết thủ tục hành chính trên Hệ thống thông tin một cửa điện tử của huyện năm 2024"
    assert subject.status == "auto_accepted", subject.note


def test_a_wide_line_under_a_full_width_subject_that_opens_no_paragraph_may_carry_it_on():
    # a real chỉ thị (qn_08ct_chi_thi, plain Tesseract): the line under the subject starts with a
    # stamp's marks, as far left as the line after it: nothing shows a paragraph opening there
    subject = _report_with_full_last_line([
        (440, 100, "| Số:-ø221-1k.... Phời- gan qua, các cấp, các ngành đã có nhiều cố gắng trong"),
        (480, 100, "lãnh đạo, chỉ đạo thực hiện công tác cải cách thủ tục hành chính, thu hút"),
    ])
    assert subject.status == "needs_review" and "carry on" in subject.note


def test_the_v_v_of_a_cong_van_is_an_abbreviation_not_an_ocr_slip():
    assert syllable_share("V/v tăng cường công tác phòng, chống thiên tai") == 1.0
    assert syllable_share("Việt Nara") < 1.0


def test_cap_cho_names_a_building_permits_holder():
    # forms-kltn 37_giay_phep_xay_dung: "1. Cấp cho: ……" is the one holder of the permit
    doc = _doc("ỦY BAN NHÂN DÂN | " + MOTTO.splitlines()[0] + "\nHUYỆN KIẾN THỤY\nSố: 68/GPXD-UBND\n"
               "GIẤY PHÉP XÂY DỰNG\n1. Cấp cho: Ông/Bà Nguyễn Văn An\n")
    name = doc.fields["full_name"]
    assert doc.doc_type == "giay_phep_xay_dung"
    assert name.value == "Nguyễn Văn An" and name.status == "auto_accepted"
    # on an application the same words still name the field only loosely
    loose = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ\n1. Cấp cho: Ông Nguyễn Văn An\n").fields["full_name"]
    assert loose.status == "needs_review" and "loosely" in loose.note


def test_a_place_named_after_its_commune_is_no_lost_comma():
    doc = _doc(MOTTO + "GIẤY KHAI SINH\nHọ, chữ đệm, tên: NGUYỄN VĂN AN\n"
               "Nơi sinh: Trạm Y tế Xã Tú Sơn, Huyện Kiến Thụy, Thành phố Hải Phòng\n", WITH_UNITS)
    place = doc.fields["place_of_birth"]
    assert place.value == "Trạm Y tế Xã Tú Sơn, Huyện Kiến Thụy, Thành phố Hải Phòng"
    assert place.status == "auto_accepted"


def test_two_genders_are_two_values_not_a_slip():
    # a birth certificate's child and the applicant: "Nam" and "Nữ" are two edits apart
    assert reading_agreement("Nam", ["Nữ"]) == 0.5
    assert reading_agreement("Nguyễn Văn An", ["Nguyễn Vân An"]) == 0.0
    assert reading_agreement("Nam", ["Nam"]) == 1.0


def test_a_blank_numbers_symbol_is_not_part_of_the_agency():
    # "Số:" with its number left blank: the header's last line "Số UBND-NC" had been glued on
    doc = _doc("ỦY BAN NHÂN DÂN | " + MOTTO.splitlines()[0] + "\nHUYỆN KIẾN THỤY | Độc lập - Tự do - Hạnh phúc\n"
               "Số UBND-NC | Kiến Thụy, ngày 05 tháng 3 năm 2020\nV/v tăng cường công tác phòng chống thiên tai\n"
               "Kính gửi: Các sở, ban, ngành tỉnh;\n", WITH_UNITS)
    assert doc.fields["issuing_agency"].value == "ỦY BAN NHÂN DÂN HUYỆN KIẾN THỤY"


@pytest.mark.parametrize("read, held", [("Tà Sĩ Láng", True), ("Tà Si Láng", False)])
def test_a_unit_in_the_subject_read_with_other_marks_is_never_auto_accepted(read, held):
    doc = _doc("UBND HUYỆN TRẠM TẤU | " + MOTTO.splitlines()[0] + "\nỦY BAN NHÂN DÂN XÃ TÀ SI LÁNG\n"
               "Số: 60/QĐ-UBND\nQUYẾT ĐỊNH\n"
               f"Về việc phê duyệt Kế hoạch cải cách hành chính năm 2016 của Xã {read}\n", WITH_UNITS)
    subject = doc.fields["subject"]
    assert subject.value.endswith(read)
    assert (subject.status == "needs_review") == held
    if held:
        assert "other marks" in subject.note


def test_an_address_line_the_layout_cut_at_a_gap_is_joined_whole():
    # "Quận Ninh" | "Kiều," … "Thành phố Cần Thơ": the wrapped line's rest stood apart and was lost
    doc = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ\nHọ và tên: Hồ Hồng Lan\n"
               "Địa chỉ: Số 28, đường Nguyễn Huệ, Phường Hưng Lợi, Quận Ninh Kiều,\n"
               "Huyện Kiến | Thụy, Thành phố Hải Phòng\nSố điện thoại: 0966528702\n")
    assert doc.fields["address"].value.endswith("Huyện Kiến Thụy, Thành phố Hải Phòng")


def test_a_value_read_up_to_a_comma_is_never_auto_accepted():
    doc = _doc(MOTTO + "ĐƠN ĐỀ NGHỊ\nHọ và tên: Hồ Hồng Lan\nĐịa chỉ: Số 28, đường Nguyễn Huệ,\n"
               "Số điện thoại: 0966528702\n")
    address = doc.fields["address"]
    assert address.status == "needs_review" and "line's end" in address.note


def test_a_units_ethnic_minority_name_in_the_subject_is_no_ocr_slip():
    units = Gazetteer.from_rows([UnitRow("pre2025", "province", "66", "Đắk Lắk", "Tỉnh"),
                                 UnitRow("pre2025", "district", "653", "Ea Kar", "Huyện", "66"),
                                 UnitRow("pre2025", "commune", "24610", "Ea Knốp", "Thị trấn", "653")])
    context = AnalysisContext(gazetteer=units, review_threshold=0.0, use_text_model=False)
    text = ("UBND HUYỆN EA KAR | " + MOTTO.splitlines()[0] + "\nỦY BAN NHÂN DÂN THỊ TRẤN EA KNỐP\nSố: 60/QĐ-UBND\n"
            "QUYẾT ĐỊNH\nVề việc thành lập Tổ công tác trên địa bàn Thị trấn {}\n")
    assert _doc(text.format("Ea Knốp"), context).fields["subject"].status == "auto_accepted"
    # a word no syllable outside a unit's name is still a slip
    slip = _doc(text.format("Ea Knốp Nara"), context).fields["subject"]
    assert slip.status == "needs_review" and "no Vietnamese word" in slip.note


def test_a_comma_after_the_province_cuts_nothing():
    # a speck read as a comma after the province: a place that ends with its province is whole
    doc = _doc(MOTTO + "TRÍCH LỤC KHAI TỬ\nHọ, chữ đệm, tên: NGUYỄN THỊ HƯƠNG\n"
               "Nơi chết: Bệnh viện Đa khoa Tỉnh Lâm Đồng,\nNguyên nhân chết: Già yếu\n"
               "Nơi đăng ký khai tử: Ủy ban nhân dân Phường 1, Thành phố Đà Lạt, Tỉnh Lâm Đồng\n"
               "Ngày, tháng, năm đăng ký: 12/07/2023 theo Sổ đăng ký khai tử quyển số 01\n", WITH_UNITS)
    place = doc.fields["place_of_death"]
    assert place.value == "Bệnh viện Đa khoa Tỉnh Lâm Đồng" and place.status == "auto_accepted"


def test_an_application_signed_months_before_its_receipt_is_never_auto_accepted():
    # "ngày 22 tháng 11 năm 2019" read "tháng 1" on the application of a file received in November
    receipt = page_from_text(MOTTO + "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\nMã hồ sơ: 023.34.07.H92-191125-0330\n"
                             "Ông/Bà: Hồ Hồng Lan\nThời gian nhận hồ sơ: 07 giờ 00 phút, ngày 25/11/2019\n"
                             "Thời gian trả kết quả: 11 giờ 00 phút, ngày 28/11/2019\n", page_no=1)

    def application(month: int):
        page = page_from_text(MOTTO + "ĐƠN ĐỀ NGHỊ\nHọ và tên: Hồ Hồng Lan\nNgày, tháng, năm sinh: 25/12/1986\n"
                              f"Xuân Phong, ngày 22 tháng {month} năm 2019\nNGƯỜI LÀM ĐƠN\n", page_no=2)
        documents = analyse_pages([receipt, page], ACCEPT_ALL)
        return next(d for d in documents if d.doc_type == "don_de_nghi").fields["signed_date"]

    far = application(1)
    assert far.value == "2019-01-22" and far.status == "needs_review" and "receipt" in far.note
    near = application(11)
    assert near.value == "2019-11-22" and near.status == "auto_accepted"


def test_a_certified_copys_number_is_not_the_cards_number():
    # a citizen's card copied into a dossier carries the commune's "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN
    # CHÍNH / Số chứng thực: 592": the card's bare "Số" label read it as a second ID, and the ID was
    # held as "several values" on every certified card (p6g-study11 hs-0001)
    doc = _doc(MOTTO + "CĂN CƯỚC CÔNG DÂN\n"
               "Số / No.: 082165603406\n"
               "Họ và tên / Full name: NGUYỄN BẢO ANH\n"
               "Ngày sinh / Date of birth: 01/11/1965\n"
               "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH\n"
               "Số chứng thực: 592 Quyển số: 04/2022-SCT/BS\n")
    assert doc.doc_type == "can_cuoc"
    field = doc.fields["id_number"]
    assert field.value == "082165603406"
    assert "several" not in field.features and field.status == "auto_accepted"


def test_a_cards_bare_number_label_still_reads_its_number():
    doc = _doc(MOTTO + "CĂN CƯỚC CÔNG DÂN\nSố: 082165603406\nHọ và tên: NGUYỄN BẢO ANH\n")
    assert doc.fields["id_number"].value == "082165603406"


def _card_after_application(application_name: str, card_name: str):
    """A dossier: an application naming ``application_name``, then a copy of the citizen's card whose
    given name (in capitals: ``card_name``) was read at 0.80."""
    application = page_from_text(MOTTO + "ĐƠN ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH\n"
                                 "Kính gửi: Ủy ban nhân dân Xã Tân Thới\n"
                                 f"Họ, chữ đệm, tên người yêu cầu: {application_name}\n"
                                 "Giới tính: Nữ\nSố định danh cá nhân/CCCD: 064183753024\n", page_no=1)
    card = page_from_text(MOTTO + "CĂN CƯỚC CÔNG DÂN\nSố / No.: 064183753024\n"
                          f"Họ và tên / Full name: {card_name}\n", page_no=2)
    given = card_name.split()[-1]
    card.words = [w.model_copy(update={"conf": 0.80}) if w.text == given else w for w in card.words]
    documents = analyse_pages([application, card], ACCEPT_ALL)
    return {d.doc_type: d for d in documents}


def test_a_name_in_capitals_is_released_by_a_copy_in_small_letters_that_reads_it_alike():
    # "LÝ DIỆU TRANG" on a card copy, its given name read unsure: TRANG or TRÁNG? The application of
    # the same dossier prints "Lý Diệu Trang", marks large and read sure (p6g-study11 hs-0004)
    docs = _card_after_application("Lý Diệu Trang", "LÝ DIỆU TRANG")
    name = docs["can_cuoc"].fields["full_name"]
    assert name.value == "LÝ DIỆU TRANG" and name.status == "auto_accepted" and name.note is None


def test_a_name_in_capitals_stays_held_when_the_copy_reads_other_marks():
    docs = _card_after_application("Lý Diệu Tráng", "LÝ DIỆU TRANG")
    name = docs["can_cuoc"].fields["full_name"]
    assert name.status == "needs_review"


def test_a_name_in_capitals_alone_in_its_file_stays_held_for_its_marks():
    card = page_from_text(MOTTO + "CĂN CƯỚC CÔNG DÂN\nSố / No.: 064183753024\nHọ và tên / Full name: LÝ DIỆU TRANG\n")
    card.words = [w.model_copy(update={"conf": 0.80}) if w.text == "TRANG" else w for w in card.words]
    (doc,) = analyse_pages([card], ACCEPT_ALL)
    assert doc.fields["full_name"].status == "needs_review" and "marks" in doc.fields["full_name"].note


def _receipt_after_application(application_name: str, receipt_name: str):
    application = page_from_text(MOTTO + "ĐƠN ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH\n"
                                 "Kính gửi: Ủy ban nhân dân Xã Tân Thới\n"
                                 f"Họ, chữ đệm, tên người yêu cầu: {application_name}\n"
                                 "Giới tính: Nữ\n", page_no=1)
    receipt = page_from_text("UBND XÃ TÂN THỚI|" + MOTTO.splitlines()[0] + "\n"
                             "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ|Độc lập - Tự do - Hạnh phúc\n"
                             "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\n"
                             "Mã hồ sơ: 004.28.28.H82-201204-7323\n"
                             "Bộ phận tiếp nhận và trả kết quả UBND Xã Tân Thới đã tiếp nhận hồ sơ của:\n"
                             f"Ông/Bà: {receipt_name}\n", page_no=2)
    return {d.doc_type: d for d in analyse_pages([application, receipt], ACCEPT_ALL)}


def test_a_receipts_loose_name_is_released_by_the_application_that_names_the_person_alike():
    # "Ông/Bà: Lý Diệu Trang" on the receipt: a loose label (whose name?) that the dossier's own
    # application settles when it names the same person, marks and all (p6g-study11, every receipt)
    docs = _receipt_after_application("Lý Diệu Trang", "Lý Diệu Trang")
    name = docs["giay_tiep_nhan"].fields["full_name"]
    assert name.value == "Lý Diệu Trang" and name.status == "auto_accepted"


def test_a_receipts_loose_name_stays_held_when_the_dossier_names_another_person():
    docs = _receipt_after_application("Lý Diệu Trang", "Lý Diệu Tráng")
    assert docs["giay_tiep_nhan"].fields["full_name"].status == "needs_review"
    docs = _receipt_after_application("Lê Văn Nam", "Lý Diệu Trang")
    assert docs["giay_tiep_nhan"].fields["full_name"].status == "needs_review"


@pytest.mark.parametrize("flags, settled", [
    ({"loose_label": 1.0}, ["held_for_copy"]),
    ({"loose_label": 1.0, "unseen_label": 1.0}, ["held_for_copy"]),  # "Ông/Bà:" on a receipt held out
    ({"capital_marks": 1.0}, ["held_for_copy", "held_for_marks"]),
    ({"loose_label": 1.0, "cut": 1.0}, []),  # a value cut at the margin: a copy does not say where it ends
    ({"low_conf_word": 1.0, "unconfirmed_digits": 1.0}, ["held_for_copy"]),  # an unsure reading
    ({"several": 1.0}, []),  # which of several people: a copy names one of them
    ({"wrapped": 1.0}, []),
    ({}, []),
])
def test_the_doubts_a_copy_in_the_file_settles_are_whose_value_and_how_it_was_read(flags, settled):
    from pipeline.analyse import _settled_by_copy
    from pipeline.extract import Candidate

    candidate = Candidate("full_name", "Lý Diệu Trang", "Lý Diệu Trang", flags=dict(flags))
    candidate.label = "ong/ba"
    assert _settled_by_copy(candidate, novelty=0.1) == settled
    assert _settled_by_copy(candidate, novelty=0.9) == []  # a layout new to the calibration stands


def test_an_unsure_phone_is_released_by_the_receipt_that_reads_it_alike():
    # the application's phone read unsure (a hand's, or a blurred print) and the office's receipt,
    # typed, giving the same digits: two readings in other print agree
    application = page_from_text(MOTTO + "ĐƠN ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH\n"
                                 "Kính gửi: Ủy ban nhân dân Xã Tân Thới\n"
                                 "Họ, chữ đệm, tên người yêu cầu: Lý Diệu Trang\n"
                                 "Số điện thoại: 0398193318\n", page_no=1)
    application.words = [w.model_copy(update={"conf": 0.80}) if w.text == "0398193318" else w
                         for w in application.words]
    receipt = page_from_text("UBND XÃ TÂN THỚI|" + MOTTO.splitlines()[0] + "\n"
                             "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ|Độc lập - Tự do - Hạnh phúc\n"
                             "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\n"
                             "Mã hồ sơ: 004.28.28.H82-201204-7323\n"
                             "Ông/Bà: Lý Diệu Trang\nSố điện thoại: 0398193318\n", page_no=2)
    docs = {d.doc_type: d for d in analyse_pages([application, receipt], ACCEPT_ALL)}
    assert docs["don_de_nghi"].fields["phone"].status == "auto_accepted"
    alone = {d.doc_type: d for d in analyse_pages([application], ACCEPT_ALL)}
    assert alone["don_de_nghi"].fields["phone"].status == "needs_review"
