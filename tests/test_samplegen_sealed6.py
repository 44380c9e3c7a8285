"""Part 6's "sealed6" form families (30, 54, 59, 61 of scripts/samplegen/forms/extra/, branch
p6tmpl2): opt-in, verbatim, read with their own rules (scripts/samplegen/batches/sealed6.py) and filled
with the values a citizen (or, on 61, an employer) would write in each blank."""

from __future__ import annotations

import re

from scripts.samplegen import formfamilies
from scripts.samplegen.batches import sealed6
from scripts.samples import generate
from tests.samplegen_fixtures import flat_text as _text
from tests.samplegen_fixtures import form_doc as _doc

STEMS = ("30_don_xin_giao_dat", "54_TK_DK_cham_dut_giam_ho", "59_to_khai_thue_thu_nhap_ca_nhan", "61_xac_nhan_thu_nhap")


def test_sealed6_are_opt_in_and_their_own():
    assert sealed6.FORMS == set(STEMS)
    for stem in STEMS:
        family = formfamilies.all_families()[f"kltn:{stem}"]
        assert family.opt_in and family.batch is sealed6.BATCH and f"kltn:{stem}" not in formfamilies.families()
    assert not [f for f in formfamilies.all_families().values() if f.batch is sealed6.BATCH and f.stem not in STEMS]
    titles = {formfamilies.all_families()[f"kltn:{stem}"].title for stem in STEMS}
    assert titles == {"ĐƠN XIN GIAO ĐẤT", "TỜ KHAI ĐĂNG KÝ CHẤM DỨT GIÁM HỘ", "TỜ KHAI THUẾ THU NHẬP CÁ NHÂN",
                      "THƯ XÁC NHẬN THU NHẬP"}


def test_land_application_completes_its_title_and_writes_the_identity_paper_under_item_1():
    titles = set()
    for seed in range(8):
        case, doc = _doc("30_don_xin_giao_dat", seed, 0.5 if seed % 2 else 0.0)
        text, person = _text(doc), case.person
        titles.add(doc.title)
        assert doc.title in text and "ĐƠN …" not in text and doc.doc_type == "don_de_nghi"
        assert re.search(r"(CCCD|CMND)( số|:)", text) and doc.fields["id_number"] == person.id_number
        assert text.index(person.full_name) < text.index(person.id_number) < text.index("Địa chỉ/trụ sở")
        assert re.search(r"Kính gửi: Ủy ban nhân dân[ .…]*(huyện|quận|thị xã|thành phố) ", text)
        assert re.search(r"Địa điểm khu đất:[ .…]*Thửa đất số \d+, tờ bản đồ số \d+", text)
        assert re.search(r"Diện tích \(m2\):[ .…]*[\d.]+", text)
        if doc.title == "ĐƠN XIN THUÊ ĐẤT":
            assert re.search(r"Thời hạn sử dụng:[ .…]*\d+ năm", text)
        assert set(doc.absent) == {"date_of_birth", "gender", "phone"}
    assert len(titles) > 1


def test_guardianship_end_names_the_requester_then_an_adult_guardian_and_the_ward():
    for seed in range(8):
        case, doc = _doc("54_TK_DK_cham_dut_giam_ho", seed)
        text, person = _text(doc), case.person
        names = re.findall(r"Họ, chữ đệm, tên:[ .…]*([^.…\d]+?)[ .…]*(?:\d+\. )?Ngày, tháng, năm sinh", text)
        assert len(names) == 2 and person.full_name not in names
        born = [int(y) for y in re.findall(r"năm sinh:[ .…]*\d\d[/-]\d\d[/-](\d{4})", text)]
        assert len(born) == 3 and born[0] == person.date_of_birth.year
        assert born[1] <= case.received.year - 32 and born[2] >= case.received.year - 19
        registered = re.search(r"giám hộ tại.*?ngày (\d\d) tháng (\d\d) năm (\d{4})[ .…]*số[ .…]*\d+[ .…]*quyển số:", text)
        assert registered and born[2] <= int(registered.group(3)) < case.received.year
        assert doc.fields["signed_date"] == min(doc.fields["signed_date"], case.received.isoformat())
        assert f"Ủy ban nhân dân {person.home.ward[:1].lower()}{person.home.ward[1:]}" in text
        assert doc.fields["address"] == person.address and text.index(person.address) < text.index("Người giám hộ")


def test_income_tax_declaration_keeps_its_codes_and_the_payers_details_apart():
    for seed in range(8):
        case, doc = _doc("59_to_khai_thue_thu_nhap_ca_nhan", seed, 0.5 if seed % 2 else 0.0)
        text, person = _text(doc), case.person
        for code in ("[01]", "[04]", "[05]", "[06]", "[09]", "[12]", "[14]", "[19]"):
            assert code in text
        assert not re.search(r"\d+\. \[\d\d\]", text)  # never renumbered
        month = re.search(r"Kỳ tính thuế: Tháng[ .…]*(\d\d)?[ .…]*năm[ .…]*(\d{4})?[ .…]*/Quý[ .…]*(\d)?", text)
        assert month and bool(month.group(1)) != bool(month.group(3))  # a month or a quarter
        assert re.search(rf"\[04\] Tên người nộp thuế:[ .…]*{re.escape(person.full_name)}", text)
        assert re.search(r"\[05\] Mã số thuế:[ .…]*\d{10}", text)
        own = text[text.index("[06]"):text.index("[12]")]
        assert person.address in own and person.home.province_short in own
        payer = text[text.index("[12]"):text.index("[17]")]
        assert person.address not in payer and re.search(r"\[13\] Mã số thuế:[ .…]*\d{10}", payer)
        assert doc.fields["phone"] == person.phone and "signed_date" in doc.absent


def test_income_confirmation_is_about_the_employee_and_signed_by_the_employer():
    foreign = 0
    for seed in range(10):
        case, doc = _doc("61_xac_nhan_thu_nhap", seed)
        text = _text(doc)
        name = doc.fields["full_name"]
        assert re.search(rf"Họ và tên:[ .…]*{re.escape(name)}", text)
        foreign += name != case.person.full_name
        year = int(doc.fields["signed_date"][:4]) - 1
        assert re.search(rf"Năm[ .…]*{year}", text)
        amounts = [int(a.rstrip(".").replace(".", "")) for a in
                   re.findall(r"(?:Số tiền là|Tại Việt nam:|Tại nước ngoài:)[ .…]*(\d[\d.]*)", text)]
        assert len(amounts) == 3 and amounts[0] == amounts[1] + amounts[2]
        signer = doc.text.splitlines()[-1].strip()
        assert "CỦA TỔ CHỨC, CÁ NHÂN TRẢ THU NHẬP" in doc.text and signer != name
        assert set(doc.absent) == {"date_of_birth", "id_number", "address", "gender", "phone"}
    assert 0 < foreign < 10


def test_samples_of_the_sealed6_only_when_asked(tmp_path):
    families = tuple(f"kltn:{stem}" for stem in STEMS)
    rows = generate(tmp_path / "a", n=4, seed=5, clean=True, born_digital_rate=0.0, dpi=72, families=families)
    assert {d["family"] for r in rows for d in r["documents"]} == set(families)
    assert {d["doc_type"] for r in rows for d in r["documents"]} == {"don_de_nghi"}
