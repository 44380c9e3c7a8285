"""Part 6's "sealed7" form families (04, 05, 39, 44 of scripts/samplegen/forms/extra/, branch
p6tmpl3): documents an office or a company issues (a tờ trình, two công văn, a quyết định), opt-in,
verbatim, rendered by scripts/samplegen/batches/sealed7.py with the truth of their registry type."""

from __future__ import annotations

import re

from scripts.samplegen import formfamilies
from scripts.samplegen.batches import sealed7
from scripts.samples import generate
from tests.samplegen_fixtures import flat_text as _text
from tests.samplegen_fixtures import form_doc as _doc

STEMS = ("04_cap_chung_chi_tham_tra_vien_ATGT_duong_bo", "05_cap_giay_phep_chuyen_gia_KHCN_VN",
         "39_hoi_dap_chi_cuc_thue", "44_Quyet_dinh_viec_nghi_viec_huong_che_do_huu_tri")


def _signed_in(doc, text: str) -> bool:
    import datetime as dt
    day = dt.date.fromisoformat(doc.fields["signed_date"])
    return bool(re.search(rf"ngày 0?{day.day} tháng 0?{day.month} năm {day.year}", text))


def test_sealed7_are_opt_in_and_their_own():
    assert sealed7.FORMS == set(STEMS)
    for stem in STEMS:
        family = formfamilies.all_families()[f"kltn:{stem}"]
        assert family.opt_in and family.batch is sealed7.BATCH and f"kltn:{stem}" not in formfamilies.families()
    assert not [f for f in formfamilies.all_families().values() if f.batch is sealed7.BATCH and f.stem not in STEMS]


def test_road_safety_submission_numbers_itself_and_lists_the_learners():
    agencies = set()
    for seed in range(8):
        case, doc = _doc(STEMS[0], seed)
        text = _text(doc)
        agencies.add(doc.fields["issuing_agency"])
        assert doc.doc_type == "to_trinh" and re.fullmatch(r"\d+/TTr-\w+", doc.fields["doc_number"])
        assert text.index("Số: " + doc.fields["doc_number"]) < text.index("TỜ TRÌNH") and _signed_in(doc, text)
        count = int(re.search(r"Số lượng chứng chỉ đề nghị cấp: (\d+) chứng chỉ", text).group(1))
        assert len(re.findall(r"\b(?:Đạt|Khá|Giỏi)\b", text[text.index("Kết quả thi ", text.index("Danh sách")):])) == count
        assert doc.fields["subject"] == "Cấp chứng chỉ thẩm tra viên an toàn giao thông đường bộ"
    assert len(agencies) > 2


def test_work_permit_letter_asks_cap_or_cap_lai_and_gives_a_reason_only_again():
    seen = set()
    for seed in range(12):
        _case, doc = _doc(STEMS[1], seed)
        text = _text(doc)
        again = "cấp lại giấy phép" in doc.fields["subject"]
        seen.add(again)
        assert doc.doc_type == "cong_van" and doc.fields["subject"] in text and _signed_in(doc, text)
        reason = re.search(r"trường hợp cấp lại giấy phép lao động\):[ .…]*(.*?)[ .…]*Nơi nhận", text).group(1)
        assert bool(reason.strip()) == again
        assert re.search(r"Họ và tên \(chữ in hoa\):[ .…]*[A-Z ]{5,}", text)
    assert seen == {True, False}


def test_tax_question_is_the_companys_signed_by_its_representative():
    for seed in range(8):
        _case, doc = _doc(STEMS[2], seed)
        text = _text(doc)
        assert doc.doc_type == "cong_van" and doc.fields["issuing_agency"].startswith("CÔNG TY ")
        assert re.fullmatch(r"\d+/CV-\w+", doc.fields["doc_number"])
        assert f"({doc.fields['subject']})" in text and re.search(r"Kính gửi: (Chi cục|Cục) Thuế", text)
        rep = re.search(r"Người đại diện theo pháp luật: ([^.…]+?)[ .…]*- Chức vụ", text).group(1)
        assert doc.text.rstrip().splitlines()[-1].strip() == rep and _signed_in(doc, text)


def test_retirement_decision_is_signed_by_the_head_and_names_another_person():
    import datetime as dt
    for seed in range(8):
        _case, doc = _doc(STEMS[3], seed)
        text = _text(doc)
        assert doc.doc_type == "quyet_dinh" and re.fullmatch(r"\d+/QĐ-\w+", doc.fields["doc_number"])
        retiree = re.search(r"Ông \(bà\) ([^.…]+?)[ .…]*Sinh ngày (\d\d)/(\d\d)/(\d{4})", text)
        assert retiree and retiree.group(1) != doc.fields["signer"]
        retire = re.search(r"hưu trí từ ngày (\d\d)/(\d\d)/(\d{4})", text)
        day = dt.date(int(retire.group(3)), int(retire.group(2)), int(retire.group(1)))
        assert day > dt.date.fromisoformat(doc.fields["signed_date"]) and 55 <= day.year - int(retiree.group(4)) <= 62
        assert doc.text.rstrip().splitlines()[-1].strip() == doc.fields["signer"]
        assert "full_name" not in doc.fields  # the type asks no person's fields


def test_samples_of_the_sealed7_only_when_asked(tmp_path):
    families = tuple(f"kltn:{stem}" for stem in STEMS)
    rows = generate(tmp_path / "a", n=4, seed=5, clean=True, born_digital_rate=0.0, dpi=72, families=families)
    assert {d["family"] for r in rows for d in r["documents"]} == set(families)
    assert {d["doc_type"] for r in rows for d in r["documents"]} == {"to_trinh", "cong_van", "quyet_dinh"}
