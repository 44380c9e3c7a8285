"""The opt-in form families of scripts/samplegen/forms/extra/ (Part 6's unseen forms): drawn only
when asked by name, filled from the forms' own wording, ground truth = what is printed for the
applicant, ``absent`` = what the form does not ask of the applicant."""

from __future__ import annotations

import random
import re

import pytest

from scripts.samplegen import formfamilies
from scripts.samplegen import templates as tp
from scripts.samplegen.files import Options, family_builders
from scripts.samplegen.fonts import available_families
from scripts.samplegen.layout import PAGE_SIZES
from scripts.samples import generate

# What each new form asks of its applicant (read from the form's lines; signed_date where the
# form prints a "…, ngày … tháng … năm …" line).
ASKED = {
    "12_DDN_cap_doi_GPLX": {"full_name", "date_of_birth", "id_number", "signed_date"},
    "23_doi_ho_ten_cho_con": {"full_name", "address", "id_number", "signed_date"},
    "28_don_to_cao": {"full_name", "date_of_birth", "id_number", "address", "phone"},
    "34_giay_cam_ket": {"full_name", "date_of_birth", "gender", "address", "id_number", "phone", "signed_date"},
    "33_don_xin_thoi_hoc": {"full_name", "date_of_birth", "address", "phone"},
    "35_giay_de_nghi_kham_giam_dinh": {"full_name", "date_of_birth", "address", "id_number", "phone"},
    "51_TK_cap_ho_chieu_tre_em": set(formfamilies.APPLICATION_FIELDS),
    "52_TK_dang_ky_CMC": {"full_name", "date_of_birth", "address", "id_number", "signed_date"},
    # the second sealed four (p6seal): a parent's application naming the pupil, a student's, a
    # pensioner's change of details, a guardianship declaration naming two more people
    "29_don_xin_chuyen_truong_tieu_hoc_trong_nuoc": {"full_name", "address", "phone", "signed_date"},
    "31_don_xin_mien_giam_hoc_phi": {"full_name", "date_of_birth", "signed_date"},
    "47_thay_doi_thong_tin_nguoi_huong": set(formfamilies.APPLICATION_FIELDS),
    "55_TK_DK_giam_ho": {"full_name", "date_of_birth", "address", "id_number", "signed_date"},
    # new-study2 (p6s6): two parents' applications for a child's school support (the child's birth
    # date and residence follow the parent's name; form 15 prints its date line after the commune's
    # seal box, not filled), a re-registration of an adoption naming the child and both parents
    "15_DDN_ho_tro_hoc_tap": {"full_name", "address"},
    "24_don_de_nghi_ho_tro": {"full_name", "signed_date"},
    "53_TK_DKLai_viec_nuoi_con_nuoi": {"full_name", "address", "id_number", "signed_date"},
}
# Opt-in forms that are no application: the social insurance office's receipt (new-study2, form 07)
RECEIPTS = {"07_cap_lai_the_BHYT"}
TEN = {"08_cccd", "11_dang_ky_khai_sinh", "14_DDN_ho_tro_chi_phi_mai_tang", "18_de_nghi_huong_tro_cap_that_nghiep",
       "26_don_khieu_nai", "32_don_xin_rut_ho_so", "38_giay_uy_quyen", "45_thay_doi_thong_tin_cu_tru",
       "56_TK_DK_khai_tu", "63_xinviec"}


def _doc(stem: str, seed: int, hand_rate: float = 0.0):
    rng = random.Random(seed)
    case = tp.make_case(rng)
    style = tp.Style(PAGE_SIZES["A4"], available_families()[seed % len(available_families())],
                     hand_rate=hand_rate, scanned=hand_rate > 0)
    return case, formfamilies.form_document(rng, style, case, formfamilies.all_families()[f"kltn:{stem}"])


def test_new_families_are_opt_in_and_the_default_mix_keeps_the_ten():
    assert {f.stem for f in formfamilies.families().values()} == TEN
    extra = {name for name, f in formfamilies.all_families().items() if f.opt_in}
    assert extra == {f"kltn:{stem}" for stem in set(ASKED) | RECEIPTS}
    default = family_builders(Options(form_families=True))
    assert not extra & set(default) and {f"kltn:{s}" for s in TEN} <= set(default)
    assert set(family_builders(Options(only_families=("kltn:28_don_to_cao",)))) == {"kltn:28_don_to_cao"}
    assert extra <= set(family_builders())  # known to `sohoa samples --family`


@pytest.mark.parametrize("stem", sorted(ASKED))
def test_new_family_truth_is_the_applicants_printed_values(stem):
    for seed in range(6):
        case, doc = _doc(stem, seed, hand_rate=0.5 if seed % 2 else 0.0)
        person = case.person
        text = " ".join(doc.text.split())  # wrapped lines joined
        digits = re.sub(r"\D", "", doc.text)
        asked = {k for k, v in doc.fields.items() if v is not None}
        assert asked == ASKED[stem], (stem, seed)
        assert set(doc.absent) == set(formfamilies.APPLICATION_FIELDS) - ASKED[stem]
        assert doc.doc_type == "don_de_nghi" and doc.family == f"kltn:{stem}"
        assert doc.fields["full_name"] == person.full_name
        # the applicant's name is printed before any other person's (the child, the accused …)
        assert text.find(person.full_name) < text.find("Ký") or "Ký" not in text
        if "date_of_birth" in asked:
            assert doc.fields["date_of_birth"] == person.date_of_birth.isoformat()
            assert str(person.date_of_birth.year) in text
        if "id_number" in asked:
            assert doc.fields["id_number"] == person.id_number and person.id_number in digits
        if "address" in asked:
            assert doc.fields["address"] == person.address and person.address in text
        if "phone" in asked:
            assert doc.fields["phone"] == person.phone and person.phone in digits
        if "gender" in asked:
            assert doc.fields["gender"] == person.gender
        if "signed_date" in asked:
            signed = dt_of(doc.fields["signed_date"])
            assert re.search(rf"ngày 0?{signed.day} tháng 0?{signed.month} năm {signed.year}", text)


def dt_of(iso: str):
    import datetime as dt
    return dt.date.fromisoformat(iso)


def test_form_wording_of_the_new_forms_is_read_for_what_it_asks():
    role = formfamilies.role_of
    # 28_don_to_cao, 34_giay_cam_ket, 12_DDN_cap_doi_GPLX, 33_don_xin_thoi_hoc, 51_TK_cap_ho_chieu_tre_em
    assert role("Chứng minh nhân dân số: ") == "id"
    assert role("Số CMTND:") == "id"
    assert role("Số Căn cước công dân hoặc Số Chứng minh nhân dân: ") == "id"
    assert role("Ngày tháng năm sinh: ") == "dob"
    assert role("Tôi là:") == "name" and role("Tôi tên: ") == "name"
    assert role("Anh: ") == "name"  # the person a complaint is about: another person
    assert role("1. Họ") == "surname" and role("Chữ đệm và tên") == "given"
    assert role("Họ và tên tôi: ") == "name" and role("Hộ khẩu thường trú: ") == "address"


def test_complaint_about_another_person_keeps_the_applicant_as_truth():
    case, doc = _doc("28_don_to_cao", 4)
    text = " ".join(doc.text.split())
    accused = re.search(r"Anh:[ .…]*([^.…]+?)[ .…]*Sinh ngày", text)
    assert accused and accused.group(1).strip() != case.person.full_name
    assert doc.fields["full_name"] == case.person.full_name


def test_child_passport_form_splits_the_childs_surname_and_keeps_the_representative():
    case, doc = _doc("51_TK_cap_ho_chieu_tre_em", 2)
    text = " ".join(doc.text.split())
    part_b = text[text.index("B. Thông tin"):]
    assert case.person.full_name not in part_b.split("Cha:")[0]
    assert f"Sinh ngày {case.person.date_of_birth.day:02d} tháng" in text
    assert doc.fields["gender"] == case.person.gender and doc.fields["phone"] == case.person.phone


def test_samples_of_a_new_family_only_when_asked(tmp_path):
    rows = generate(tmp_path / "a", n=2, seed=3, clean=True, born_digital_rate=0.0, dpi=72,
                    families=("kltn:34_giay_cam_ket",))
    assert {d["family"] for r in rows for d in r["documents"]} == {"kltn:34_giay_cam_ket"}
    rows = generate(tmp_path / "b", n=9, seed=3, clean=True, born_digital_rate=0.0, dpi=72)
    assert not {d["family"] for r in rows for d in r["documents"]} & {f"kltn:{s}" for s in ASKED}


def test_form_wording_of_the_second_sealed_forms_is_read_for_what_it_asks():
    role = formfamilies.role_of
    # 29_don_xin_chuyen_truong_tieu_hoc_trong_nuoc, 47_thay_doi_thong_tin_nguoi_huong
    assert role("Hiện trú tại:") == "address"
    assert role("Học sinh: ") == "name"  # the pupil a parent applies for: another person
    assert role("Số điện thoại người thân khi cần liên lạc: ") == "kin_phone"
    assert role("Số điện thoại: ") == "phone" and role("Tên tôi là: ") == "name"
    assert role("Số chứng minh nhân dân:") == "id"


def test_parents_application_keeps_the_parent_and_not_the_pupils_birth_date():
    for seed in range(4):
        case, doc = _doc("29_don_xin_chuyen_truong_tieu_hoc_trong_nuoc", seed)
        text = " ".join(doc.text.split())
        pupil = re.search(r"Học sinh:[ .…]*(.+?)[ .…]*Ngày tháng năm sinh", text)
        assert pupil and pupil.group(1).strip() != case.person.full_name
        assert "date_of_birth" in doc.absent and doc.fields["address"] == case.person.address


def test_address_written_on_the_line_below_its_label_is_the_applicants():
    # form 47: "Địa chỉ cư trú (ghi đầy đủ theo thứ tự …):" then a line of dots for the value
    for seed in range(4):
        case, doc = _doc("47_thay_doi_thong_tin_nguoi_huong", seed)
        text = " ".join(doc.text.split())
        residence = text.index("Địa chỉ cư trú")
        assert residence < text.find(case.person.address, residence) < text.index("Địa chỉ nhận")
        assert doc.fields["address"] == case.person.address
        kin = re.search(r"người thân khi cần liên lạc:[ .…]*([\d .]+)", text)
        assert kin and re.sub(r"\D", "", kin.group(1)) != case.person.phone


def test_the_receipt_form_is_a_receipt_titled_under_its_office():
    # 07_cap_lai_the_BHYT: "BẢO HIỂM XÃ HỘI TỈNH" (the issuing office, over the motto) is no title;
    # the form is a giay_tiep_nhan, its insured person's name, address and phone the truth
    for seed in range(4):
        case, doc = _doc("07_cap_lai_the_BHYT", seed)
        assert doc.doc_type == "giay_tiep_nhan" and doc.title.startswith("GIẤY TIẾP NHẬN HỒ SƠ")
        assert doc.fields["full_name"] == case.person.full_name and doc.fields["address"] == case.person.address
        assert doc.fields["phone"] == case.person.phone
        assert set(doc.absent) == {"dossier_code", "received_date", "due_date"}
        lines = doc.text.splitlines()
        assert lines[0] == "BẢO HIỂM XÃ HỘI TỈNH" and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines[:4]


def test_a_yes_or_no_question_is_answered_yes_or_no():
    # 24_don_de_nghi_ho_tro "2. Tiền nhà ở (… tự lo chỗ ở)(có/không):": "chỗ ở" is no address blank
    for seed in range(4):
        _case, doc = _doc("24_don_de_nghi_ho_tro", seed)
        text = " ".join(doc.text.split())
        answer = re.search(r"chỗ ở\)\(có/không\):[ .…]*(\S+)", text)
        assert answer and answer.group(1) in ("Có", "Không"), text
