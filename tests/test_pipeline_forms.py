"""Hand-made pages of one-stop forms: split, type and label-anchored fields with their boxes."""

from pipeline.analyse import AnalysisContext, analyse_pages
from tests.pipeline_fixtures import page_from_text

RECEIPT = """UBND HUYỆN NGHĨA HÀNH|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ|Độc lập - Tự do - Hạnh phúc
Mã hồ sơ: 000.00.15.H48-230512-0007|Nghĩa Hành, ngày 12 tháng 5 năm 2023
GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ
Bộ phận tiếp nhận và trả kết quả UBND huyện Nghĩa Hành
Tiếp nhận hồ sơ của: Ông/Bà: Nguyễn Văn An
Địa chỉ: Thôn 3, xã Hành Thiện, huyện Nghĩa Hành, tỉnh Quảng Ngãi
Số điện thoại: 0912 345 678
Nội dung yêu cầu giải quyết: Cấp giấy phép xây dựng nhà ở riêng lẻ
Ngày nhận hồ sơ: 12/05/2023
Ngày hẹn trả kết quả: 26/05/2023
"""

APPLICATION = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG
Kính gửi: Ủy ban nhân dân huyện Nghĩa Hành
Họ và tên: NGUYỄN VĂN AN
Ngày sinh: 05/03/1990
Số CCCD: 051090001234
Địa chỉ thường trú: Thôn 3, xã Hành Thiện, huyện Nghĩa Hành
Địa điểm xây dựng: Thửa đất số 120, tờ bản đồ số 5, xã Hành Thiện
|Nghĩa Hành, ngày 10 tháng 5 năm 2023
|Người làm đơn
|Nguyễn Văn An
"""

ID_CARD = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
CĂN CƯỚC CÔNG DÂN
Số: 051090001234
Họ và tên: NGUYỄN VĂN AN
Ngày sinh: 05/03/1990 Giới tính: Nam
Quê quán: Hành Thiện, Nghĩa Hành, Quảng Ngãi
Nơi thường trú: Thôn 3, Hành Thiện, Nghĩa Hành, Quảng Ngãi
"""

CONTINUATION = """Điều 2. Chủ đầu tư có trách nhiệm thực hiện đúng giấy phép.
Điều 3. Giấy phép có hiệu lực kể từ ngày ký.
|CHỦ TỊCH
|Trần Văn Bình
"""


def _pages(*texts, blank_at=()):
    pages = []
    for number, text in enumerate(texts, start=1):
        pages.append(page_from_text(text if number not in blank_at else "", page_no=number))
    return pages


def test_receipt_fields_are_found_normalised_and_boxed():
    (doc,) = analyse_pages(_pages(RECEIPT), AnalysisContext())
    assert doc.doc_type == "giay_tiep_nhan"
    values = {k: f.value for k, f in doc.fields.items()}
    assert values["dossier_code"] == "000.00.15.H48-230512-0007"
    assert values["full_name"] == "Nguyễn Văn An"
    assert values["phone"] == "0912345678"
    assert values["received_date"] == "2023-05-12"
    assert values["due_date"] == "2023-05-26"
    assert values["address"].startswith("Thôn 3, xã Hành Thiện")
    phone = doc.fields["phone"]
    assert phone.page == 1 and phone.bbox[1] == 60 + 40 * 7
    assert doc.fields["dossier_code"].checks["x_code_date_matches_received"] is True


def test_application_with_cccd_cross_checked_against_birth():
    (doc,) = analyse_pages(_pages(APPLICATION), AnalysisContext())
    assert doc.doc_type == "don_de_nghi"  # not the permit named in its title
    fields = doc.fields
    assert fields["id_number"].value == "051090001234"
    assert fields["date_of_birth"].value == "1990-03-05"
    assert fields["id_number"].checks == {"id_number_format": True, "x_cccd_matches_dob": True}
    assert fields["signed_date"].value == "2023-05-10"
    assert fields["full_name"].value == "NGUYỄN VĂN AN"


def test_inconsistent_cccd_lowers_confidence():
    good = analyse_pages(_pages(APPLICATION), AnalysisContext())[0].fields["id_number"]
    bad_text = APPLICATION.replace("Ngày sinh: 05/03/1990", "Ngày sinh: 05/03/1991")
    bad = analyse_pages(_pages(bad_text), AnalysisContext())[0].fields["id_number"]
    assert bad.checks["x_cccd_matches_dob"] is False
    assert bad.confidence < good.confidence


def test_id_card_gender_and_number():
    (doc,) = analyse_pages(_pages(ID_CARD), AnalysisContext())
    assert doc.doc_type == "can_cuoc"
    assert doc.fields["id_number"].value == "051090001234"
    assert doc.fields["gender"].value == "Nam"
    assert doc.fields["date_of_birth"].value == "1990-03-05"


def test_dossier_is_split_into_its_documents_and_blank_pages_dropped():
    pages = _pages(RECEIPT, APPLICATION, "", ID_CARD, CONTINUATION, blank_at=(3,))
    documents = analyse_pages(pages, AnalysisContext())
    assert [(d.doc_type, d.pages) for d in documents] == [
        ("giay_tiep_nhan", [1]),
        ("don_de_nghi", [2]),
        ("can_cuoc", [4, 5]),
    ]


ANNEX = """PHỤ LỤC
DANH MỤC HỒ SƠ KÈM THEO
(Kèm theo Quyết định số 125/QĐ-UBND ngày 12/5/2023 của UBND huyện Nghĩa Hành)
1. Bản vẽ thiết kế xây dựng
2. Giấy chứng nhận quyền sử dụng đất
"""


def test_every_page_has_a_role_and_an_annex_stays_with_its_document():
    pages = _pages(RECEIPT, APPLICATION, CONTINUATION, ANNEX, "", ID_CARD)
    documents = analyse_pages(pages, AnalysisContext())
    assert [(d.doc_type, d.pages, d.page_roles) for d in documents] == [
        ("giay_tiep_nhan", [1], ["title"]),
        ("don_de_nghi", [2, 3, 4], ["title", "continuation", "attachment"]),
        ("can_cuoc", [6], ["title"]),
    ]


def test_missing_field_goes_to_the_reviewer_not_invented():
    text = RECEIPT.replace("Số điện thoại: 0912 345 678\n", "")
    (doc,) = analyse_pages(_pages(text), AnalysisContext())
    phone = doc.fields["phone"]
    assert (phone.value, phone.confidence, phone.status) == (None, 0.0, "needs_review")
    assert phone.note == "not found on the document"
    assert doc.status == "needs_review"  # a document with a field missing is not complete


def test_address_resolves_to_unit_codes_when_a_gazetteer_is_given():
    from pipeline.address import Gazetteer, UnitRow

    gazetteer = Gazetteer.from_rows([
        UnitRow("pre2025", "province", "51", "Quảng Ngãi", "Tỉnh"),
        UnitRow("pre2025", "district", "529", "Nghĩa Hành", "Huyện", "51"),
        UnitRow("pre2025", "commune", "21400", "Hành Thiện", "Xã", "529"),
    ])
    (doc,) = analyse_pages(_pages(RECEIPT), AnalysisContext(gazetteer=gazetteer))
    # no 2025 units in this gazetteer: their codes are None
    assert doc.unit == {"province": "51", "district": "529", "commune": "21400",
                        "province_2025": None, "commune_2025": None}
    (doc,) = analyse_pages(_pages(RECEIPT), AnalysisContext())
    assert doc.unit == {}
