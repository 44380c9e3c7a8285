"""Post-correction and agreement evidence: names against Vietnamese name syllables, address and
agency units against the units table, two documents of one dossier reading the same value."""

from pipeline.address import Gazetteer, UnitRow, canonical_address, canonical_agency
from pipeline.analyse import AnalysisContext, analyse_pages, reading_agreement
from pipeline.names import repair_name
from pipeline.validate import validate_field
from tests.pipeline_fixtures import page_from_text
from tests.test_pipeline_forms import APPLICATION, ID_CARD

GAZETTEER = Gazetteer.from_rows([
    UnitRow("pre2025", "province", "64", "Gia Lai", "Tỉnh"),
    UnitRow("pre2025", "district", "631", "Đức Cơ", "Huyện", "64"),
    UnitRow("pre2025", "commune", "23869", "Ia Kla", "Xã", "631"),
    UnitRow("pre2025", "commune", "23870", "Ia Dom", "Xã", "631"),
    UnitRow("pre2025", "commune", "23871", "Ia Tô", "Xã", "631"),
    UnitRow("pre2025", "province", "40", "Nghệ An", "Tỉnh"),
    UnitRow("pre2025", "district", "423", "Tân Kỳ", "Huyện", "40"),
])


def test_names_are_repaired_only_when_one_name_fits():
    assert repair_name("ĐẶNG ĐIỆU MY").value == "ĐẶNG DIỆU MY"  # no name is spelled Điệu
    assert repair_name("frương Văn Trung").value == "Trương Văn Trung"  # one letter slipped in a surname
    assert repair_name("NGUYÊN HỒNG LAN").value == "NGUYỄN HỒNG LAN"
    assert repair_name("Phan Qu ốc Khánh").value == "Phan Quốc Khánh"
    assert repair_name("Lê ĐứcCông Lộc").value == "Lê Đức Công Lộc"
    thu = repair_name("Bùi Thụ Dung")  # Thu or Thư? not guessed, but reported
    assert thu.value == "Bùi Thụ Dung" and thu.unknown == 1
    right = repair_name("Nguyễn Thị Thu Hằng")
    assert right.value == "Nguyễn Thị Thu Hằng" and right.fixed == 0 and right.unknown == 0


def test_address_units_take_their_official_spelling():
    fitted = canonical_address("Xóm 13, Xã la Kla, Huyện Đức Cơ; Tỉnh Gia Lai", GAZETTEER)
    assert fitted.value == "Xóm 13, Xã Ia Kla, Huyện Đức Cơ, Tỉnh Gia Lai" and fitted.levels == 3
    assert fitted.head == "Xóm 13"
    facility = canonical_address("Trạm Y tế Xã Ia Kla, Huyện Đức Cơ, Tỉnh Gia Lai", GAZETTEER)
    assert facility.value == "Trạm Y tế Xã Ia Kla, Huyện Đức Cơ, Tỉnh Gia Lai" and facility.levels == 3
    lost_comma = canonical_address("Xóm 2, Xã Ia Dom Huyện Đức Cơ, Tỉnh Gia Lai", GAZETTEER)
    assert lost_comma.value == "Xóm 2, Xã Ia Dom, Huyện Đức Cơ, Tỉnh Gia Lai" and lost_comma.levels == 3
    # a name too short for fuzzy matching still matches through the l/I look-alike of OCR
    short = canonical_address("Tổ dân phố 2, Xã la Tô, Huyện Đức Cơ, Tỉnh Gia Lai", GAZETTEER)
    assert short.value == "Tổ dân phố 2, Xã Ia Tô, Huyện Đức Cơ, Tỉnh Gia Lai" and short.levels == 3
    # a commune that is none of the district's is left as read and not counted
    unknown = canonical_address("Âp 2, Xã Tân Hòa, Huyện Đức Cơ, Tỉnh Gia Lai", GAZETTEER)
    assert unknown.value.startswith("Ấp 2, Xã Tân Hòa,") and unknown.levels == 2


def test_agency_unit_names_are_checked_against_the_table():
    assert canonical_agency("ỦY BAN NHÂN DÂN HUYỆN TÂN KỶ", GAZETTEER) == ("ỦY BAN NHÂN DÂN HUYỆN TÂN KỲ", True)
    assert canonical_agency("ỦY BAN NHÂN DÂN HUYỆN TÂN KHÊ", GAZETTEER)[1] is False
    assert canonical_agency("SỞ TƯ PHÁP", GAZETTEER) == ("SỞ TƯ PHÁP", None)


def test_cut_values_fail_their_validators():
    assert validate_field("procedure_name", "Cấp Phiếu lý lịch tư pháp cho")["text_complete"] is False
    assert validate_field("address", "Số 201, đường Lý Thường Kiệt, Phường Nghĩa Đô, Quận")["text_complete"] is False
    assert validate_field("issuing_agency", "ỦY BAN NHÂN DÂN")["agency_named"] is False
    assert all(validate_field("subject", "Về việc hỗ trợ kinh phí mai táng").values())
    assert validate_field("signer", "Xã Thanh Tân")["known_surname"] is False


def test_documents_of_one_file_vouch_for_each_other():
    assert reading_agreement("051090001234", ["051 090 001 234"]) == 1.0
    assert reading_agreement("051090001234", ["051090007234"]) == 0.0  # one digit apart: a slip somewhere
    assert reading_agreement("2015-12-09", ["1989-05-21"]) == 0.5  # another person's date
    pages = [page_from_text(APPLICATION, page_no=1), page_from_text(ID_CARD.replace("051090001234", "051090007234"), page_no=2)]
    application, card = analyse_pages(pages, AnalysisContext())
    for document in (application, card):
        field = document.fields["id_number"]
        assert field.features["doc_agree"] == 0.0 and field.status == "needs_review"
    assert application.fields["date_of_birth"].features["doc_agree"] == 1.0


def test_copies_that_agree_on_an_unknown_name_syllable_do_not_vouch():
    # "Mỹ Chủ": Chủ is no given name (Chu is a surname). The same print misreads alike on every copy.
    misread = APPLICATION.replace("NGUYỄN VĂN AN", "NGUYỄN MỸ CHỦ")
    card = ID_CARD.replace("NGUYỄN VĂN AN", "NGUYỄN MỸ CHỦ")
    application, id_card = analyse_pages([page_from_text(misread, page_no=1), page_from_text(card, page_no=2)],
                                         AnalysisContext())
    for document in (application, id_card):
        name = document.fields["full_name"]
        assert name.features["name_unknown"] == 1.0 and name.features["doc_agree"] == 0.5  # no vouching
    assert application.fields["date_of_birth"].features["doc_agree"] == 1.0  # other fields still agree


def test_copies_that_agree_on_a_name_put_right_are_still_held():
    # "Mỹ Chỉ": an i's dot read as a hook on every copy, put back ("Chi"); Chí has its letters too
    misread = APPLICATION.replace("NGUYỄN VĂN AN", "NGUYỄN MỸ CHỈ")
    card = ID_CARD.replace("NGUYỄN VĂN AN", "NGUYỄN MỸ CHỈ")
    for document in analyse_pages([page_from_text(misread, page_no=1), page_from_text(card, page_no=2)],
                                  AnalysisContext()):
        name = document.fields["full_name"]
        assert name.value == "NGUYỄN MỸ CHI" and name.status == "needs_review"


def test_prose_with_a_foreign_word_or_a_capital_inside_a_word_is_held():
    from pipeline.analyse import _prose_slip

    assert _prose_slip("procedure_name", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nara") is not None
    assert _prose_slip("procedure_name", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam") is None
    assert _prose_slip("address", "Số 13, đườn GHai Bà Trưng, Phường Thiệu Dương") is not None
    assert _prose_slip("address", "Số 13, đường Hai Bà Trưng, Phường Thiệu Dương") is None
    # abbreviations are no slips; ethnic-minority place names are left to the units table
    assert _prose_slip("subject", "Về việc triển khai Đề án 06 của UBND, HĐND và TTr số 12") is None
    assert _prose_slip("address", "Buôn Ea H'leo, Xã Ea Kly, Huyện Krông Pắc") is None
    assert _prose_slip("doc_number", "05/CT-UBND") is None
