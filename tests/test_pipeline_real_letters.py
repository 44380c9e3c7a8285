"""The real official letters of tests/data (Quảng Ngãi, Đà Nẵng), as Tesseract read them.

Pinned (issue Part 3): the type, the issuing agency and the date line are found on every one; no
handwritten number or day is auto-accepted with a wrong value; each file is one document.
Pinned (issue Part 6): no field of any letter, handwritten or not, is auto-accepted with a wrong
value: every auto-accepted value must equal the value a person reads on the scan (``FIELD_TRUTH``);
a field whose true value is not written down here must not be auto-accepted at all.
"""

import pytest

from pipeline.analyse import AnalysisContext, analyse_pages
from pipeline.text import fold
from tests.pipeline_fixtures import load_real_letters

# name -> (type, agency (folded substring), true number or None if unknown, true date or None, year)
TRUTH = {
    "qn_05_thong_bao": ("thong_bao", "uy ban nhan dan", "11/TB-UBND", "2025-01-08", 2025),
    "qn_05ct_chi_thi": ("chi_thi", "uy ban nhan dan", "05/CT-UBND", "2020-04-15", 2020),
    "dn_1_cong_van": ("cong_van", "so giao duc va dao tao", None, None, 2019),
    "dn_2_cong_van": ("cong_van", "phong an chinh tri noi bo", "445/CV-PA03", "2018-04-26", 2018),
    "qn_07ct_chi_thi": ("chi_thi", "uy ban nhan dan", "07/CT-UBND", None, 2018),
    "qn_08ct_chi_thi": ("chi_thi", "uy ban nhan dan", "08/CT-UBND", "2018-04-23", 2018),
    "dn_3_cong_van": ("cong_van", "da n", None, None, 2023),
    "qn_47qd_quyet_dinh": ("quyet_dinh", "uy ban nhan dan", "47/QĐ-UBND", "2025-01-17", 2025),
    "qn_575_cong_van": ("cong_van", "uy ban nhan dan", "575/UBND-KTTH", "2025-02-04", 2025),
    "qn_23bc_bao_cao": ("bao_cao", "uy ban nhan dan", "23/BC-UBND", None, 2025),
    "qn_24ttr_to_trinh": ("to_trinh", "uy ban nhan dan", "24/TTr-UBND", None, 2025),
    "qn_90qd_quyet_dinh": ("quyet_dinh", "uy ban nhan dan", "90/QĐ-UBND", "2025-01-16", 2025),
    "dn_4_cong_van": ("cong_van", "so giao duc va dao tao", "1906/SGDĐT-CTrTT", "2020-07-26", 2020),
}


_UBND_QN = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
_SO_GD_DN = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
# name -> {field: value as printed on the scan}, for every field the pipeline may auto-accept
FIELD_TRUTH = {
    "qn_05_thong_bao": {"issuing_agency": _UBND_QN, "doc_number": "11/TB-UBND", "signed_date": "2025-01-08"},
    "qn_05ct_chi_thi": {"issuing_agency": _UBND_QN, "doc_number": "05/CT-UBND", "signed_date": "2020-04-15",
                        "subject": "Về việc triển khai thực hiện mở rộng nộp thuế điện tử đối với cá nhân kinh doanh "
                                   "trên địa bàn tỉnh Quảng Ngãi"},
    "dn_1_cong_van": {"issuing_agency": _SO_GD_DN},
    "dn_2_cong_van": {"issuing_agency": "PHÒNG AN NINH CHÍNH TRỊ NỘI BỘ", "doc_number": "445/CV-PA03",
                      "signed_date": "2018-04-26"},
    "qn_07ct_chi_thi": {"issuing_agency": _UBND_QN, "doc_number": "07/CT-UBND",
                        "subject": "Về việc tăng cường công tác thi hành án hành chính trên địa bàn tỉnh Quảng Ngãi"},
    "qn_08ct_chi_thi": {"issuing_agency": _UBND_QN, "doc_number": "08/CT-UBND", "signed_date": "2018-04-23"},
    "dn_3_cong_van": {"issuing_agency": "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG"},
    "qn_47qd_quyet_dinh": {"issuing_agency": _UBND_QN, "doc_number": "47/QĐ-UBND", "signed_date": "2025-01-17",
                           "signer": "Nguyễn Hoàng Giang",
                           "subject": "Về việc kinh phí thực hiện hỗ trợ quà Tết cho hộ nghèo, cận nghèo trên địa bàn "
                                      "tỉnh nhân dịp Tết nguyên đán Ất Tỵ - năm 2025"},
    "qn_575_cong_van": {"issuing_agency": _UBND_QN, "doc_number": "575/UBND-KTTH", "signed_date": "2025-02-04",
                        "subject": "V/v tham gia ý kiến các dự thảo Nghị định của Chính phủ"},
    "qn_23bc_bao_cao": {"issuing_agency": _UBND_QN, "doc_number": "23/BC-UBND",
                        "subject": "Tình hình, kết quả thực hiện công tác cải cách thủ tục hành chính tháng 01/2025 "
                                   "của tỉnh Quảng Ngãi"},
    "qn_24ttr_to_trinh": {"issuing_agency": _UBND_QN, "doc_number": "24/TTr-UBND"},
    "qn_90qd_quyet_dinh": {"issuing_agency": _UBND_QN, "doc_number": "90/QĐ-UBND", "signed_date": "2025-01-16",
                           "signer": "Nguyễn Hoàng Giang"},
    "dn_4_cong_van": {"issuing_agency": _SO_GD_DN, "doc_number": "1906/SGDĐT-CTrTT", "signed_date": "2020-07-26"},
}


def _same_spelling(a: str, b: str) -> bool:
    """Equal words, case and tone placement aside ("UỶ" is "ỦY")."""
    from pipeline.lexicon import spelling

    return [spelling(w) for w in a.split()] == [spelling(w) for w in b.split()]


@pytest.fixture(scope="module", params=["page_path", "tesseract_tsv"])
def variant_results(request):
    letters = load_real_letters(request.param)
    return {name: analyse_pages(pages, AnalysisContext()) for name, pages in letters.items()}


@pytest.fixture(scope="module")
def results():
    letters = load_real_letters("tesseract_tsv")
    return {name: analyse_pages(pages, AnalysisContext()) for name, pages in letters.items()}


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_real_letter(variant_results, name):
    results = variant_results
    doc_type, agency, number, date, year = TRUTH[name]
    documents = results[name]
    assert len(documents) == 1, [d.pages for d in documents]
    doc = documents[0]
    assert doc.doc_type == doc_type, doc.type_cues
    assert doc.fields["issuing_agency"].value and agency in fold(doc.fields["issuing_agency"].value)
    signed = doc.fields["signed_date"]
    assert signed.raw and str(year) in signed.raw and signed.page == 1 and signed.bbox
    if signed.status == "auto_accepted":
        assert signed.value == date
    number_field = doc.fields["doc_number"]
    assert number_field.raw and "/" in number_field.raw
    if number_field.status == "auto_accepted":
        assert number_field.value == number
    if signed.value is None or number_field.value is None:
        assert doc.status == "needs_review"


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_no_wrong_value_is_auto_accepted(variant_results, name):
    truth = FIELD_TRUTH[name]
    for document in variant_results[name]:
        for key, result in document.fields.items():
            if result.status != "auto_accepted":
                continue
            assert key in truth, f"{name}: {key}={result.value!r} auto-accepted, but no true value is known"
            assert _same_spelling(result.value, truth[key]), f"{name}: {key}={result.value!r}, truth {truth[key]!r}"


def test_handwritten_number_is_never_a_confident_value(results):
    # 05/CT-UBND: the "05" is handwritten and reads "2 #": no value, a note, needs review
    number = results["qn_05ct_chi_thi"][0].fields["doc_number"]
    assert number.value is None and number.status == "needs_review" and "handwritten" in number.note
    # 24/TTr-UBND reads "84": a value may be proposed, but only for review
    number = results["qn_24ttr_to_trinh"][0].fields["doc_number"]
    assert number.status == "needs_review" and number.confidence <= 0.5 and "handwritten" in number.note


def test_typed_header_is_read_and_accepted(results):
    doc = results["dn_4_cong_van"][0]
    assert doc.fields["doc_number"].value == "1906/SGDĐT-CTrTT"
    assert doc.fields["signed_date"].value == "2020-07-26"
    assert doc.pages == [1, 2]


def test_subject_of_a_decision(results):
    subject = results["qn_47qd_quyet_dinh"][0].fields["subject"].value
    assert subject.startswith("Về việc kinh phí thực hiện hỗ trợ quà Tết")


def test_dossier_of_real_letters_is_split_with_the_right_page_ranges():
    letters = load_real_letters("page_path")
    order = ["qn_05ct_chi_thi", "qn_575_cong_van", "qn_47qd_quyet_dinh", "qn_07ct_chi_thi", "dn_4_cong_van"]
    pages, expected, number = [], [], 1
    for name in order:
        start = number
        for page in letters[name]:
            pages.append(page.model_copy(update={"page_no": number}))
            number += 1
        expected.append((TRUTH[name][0], list(range(start, number))))
    documents = analyse_pages(pages, AnalysisContext())
    assert [(d.doc_type, d.pages) for d in documents] == expected
