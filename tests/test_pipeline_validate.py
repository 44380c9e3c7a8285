"""Validators and cross-field checks of docs/architecture.md's domain facts."""

import pytest

from pipeline import validate as v


def test_cccd_structure_and_cross_checks():
    # 001 Hà Nội, 0 = male born 19xx, 90 = 1990
    assert v.is_cccd("001090123456")
    assert v.cccd_matches_birth("001090123456", "1990-05-01")
    assert not v.cccd_matches_birth("001090123456", "1991-05-01")
    assert v.cccd_matches_gender("001090123456", "Nam")
    assert v.cccd_matches_gender("079305001234", "NỮ")  # 3 = female born 20xx
    assert v.cccd_matches_birth("079305001234", "2005-01-01")
    assert not v.is_cccd("099090123456")  # 099 is no province
    assert not v.is_cccd("00109012345")


def test_cmnd_and_id_number():
    assert v.is_cmnd("212345678") and v.is_id_number("212345678")
    assert not v.is_id_number("2123456789")


@pytest.mark.parametrize(
    "value, ok",
    [("000.A0.01.H26-210212-9090", True), ("000.00.15.H26-230512-0001", True),
     ("000.00.15.H26-231312-0001", False), ("H26-230512-0001", False)],
)
def test_dossier_code(value, ok):
    assert v.is_dossier_code(value) is ok


def test_dossier_code_date_must_be_received_date():
    assert v.dossier_code_matches_received("000.00.15.H26-230512-0001", "2023-05-12")
    assert not v.dossier_code_matches_received("000.00.15.H26-230512-0001", "2023-05-13")


@pytest.mark.parametrize(
    "value, ok",
    [("123/QĐ-UBND", True), ("01/2023/TT-VPCP", True), ("1906/SGDĐT-CTrTT", True), ("445/CV-PA03", True),
     ("/UBND-KTTH", False), ("12 QĐ UBND", False), ("QĐ-UBND", False)],
)
def test_doc_number_nd30(value, ok):
    assert v.is_doc_number(value) is ok


def test_symbol_of_doc_number():
    assert v.doc_number_symbol("05/CT-UBND") == "CT"
    assert v.doc_number_symbol("01/2023/TT-VPCP") == "TT"


def test_procedure_code_and_phone():
    assert v.is_procedure_code("2.000635") and not v.is_procedure_code("2.00063")
    assert v.is_phone("0912345678") and not v.is_phone("912345678") and not v.is_phone("09123456789")


def test_cross_checks_flag_both_sides():
    checks = v.cross_checks(
        {"received_date": "2023-05-12", "due_date": "2023-05-10", "dossier_code": "000.00.15.H26-230512-0001",
         "id_number": "001090123456", "date_of_birth": "1991-01-01", "gender": "Nam"},
        "giay_tiep_nhan",
    )
    assert checks["due_date"]["due_after_received"] is False
    assert checks["received_date"]["due_after_received"] is False
    assert checks["dossier_code"]["code_date_matches_received"] is True
    assert checks["id_number"]["cccd_matches_dob"] is False
    assert checks["id_number"]["cccd_matches_gender"] is True


def test_symbol_must_match_type():
    checks = v.cross_checks({"doc_number": "05/CT-UBND"}, "quyet_dinh", "QĐ")
    assert checks["doc_number"]["symbol_matches_type"] is False


def test_signer_place_matches_agency():
    assert v.place_matches_agency("Quảng Ngãi", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
    assert not v.place_matches_agency("Đà Nẵng", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")


def test_an_address_must_reach_its_administrative_units():
    from pipeline.validate import validate_field

    assert validate_field("address", "Số 149. đường Võ Thị Sáu")["address_units"] is False  # unit lines lost
    assert validate_field("address", "Thôn 3, Hành Thiện, Nghĩa Hành, Quảng Ngãi")["address_units"] is True
    assert validate_field("address", "Số 5 Lê Lợi, Phường 3, Quận 5, TP.HCM")["address_units"] is True
    assert "address_units" not in validate_field("place_of_birth", "Quảng Ngãi")


def test_text_cut_on_a_function_word_is_incomplete_but_words_that_only_fold_alike_are_not():
    from pipeline.validate import is_complete_text

    assert not is_complete_text("Cấp Phiếu lý lịch tư pháp cho")  # the wrapped line was lost
    assert not is_complete_text("Về việc tổ chức kỳ thi ngày 05 tháng")
    assert not is_complete_text("Về việc ban hành kế hoạch năm")
    assert is_complete_text("Đăng ký khai tử")  # tử, not từ
    assert is_complete_text("Cấp Phiếu lý lịch tư pháp cho công dân đang cư trú tại Việt Nam")  # Nam, not năm
    assert is_complete_text("Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng")


def test_a_cccd_whose_century_digit_names_a_birth_year_to_come_is_no_cccd():
    # p6-honest17 vb-0015 (46_thay_doi_thong_tin_cu_tru_nuoc_ngoai): a hand's 1 read 7 in the century
    # digit of "060160569929", accepted as "060760569929": a woman born in 2260
    import datetime as dt

    from pipeline.validate import is_cccd
    today = dt.date(2026, 12, 7)
    assert is_cccd("060160569929", today)
    assert is_cccd("001203012345", today)  # born 2003
    assert not is_cccd("060760569929", today)
    assert not is_cccd("001230012345", today)  # 2030: not yet
