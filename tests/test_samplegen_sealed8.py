"""Part 6's "sealed8" form families (37 and 48 of scripts/samplegen/forms/extra/, branch sealed8): a
building permit an office issues and a citizen's information sheet, opt-in, verbatim, rendered by
scripts/samplegen/batches/sealed8.py with the truth of their registry type."""

from __future__ import annotations

import datetime as dt
import io
import re

from schemas.doctypes import get
from scripts.samplegen import formfamilies
from scripts.samplegen.batches import sealed8
from scripts.samplegen.render import pdf_bytes
from scripts.samples import generate
from tests.samplegen_fixtures import flat_text as _text
from tests.samplegen_fixtures import form_doc as _doc

PERMIT, SHEET = "37_giay_phep_xay_dung", "48_thong_tin_co_ban"
STEMS = (PERMIT, SHEET)
SHEET_PRINTED = {"full_name", "phone", "address", "id_number"}


def _signed_in(doc, text: str) -> bool:
    day = dt.date.fromisoformat(doc.fields["signed_date"])
    return bool(re.search(rf"ngày 0?{day.day} tháng 0?{day.month} năm {day.year}", text))


def _between(text: str, start: str, end: str) -> str:
    head = text.index(start) + len(start)
    return text[head:text.index(end, head)]


def _pdf_text(doc) -> str:
    """The born-digital rendering's text layer, on one line."""
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf_bytes(doc.pages, doc.title)))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_sealed8_are_opt_in_and_their_own():
    assert sealed8.FORMS == set(STEMS)
    for stem in STEMS:
        family = formfamilies.all_families()[f"kltn:{stem}"]
        assert family.opt_in and family.batch is sealed8.BATCH
        assert f"kltn:{stem}" not in formfamilies.families()
        assert family.title == sealed8.TITLES[stem]
    assert not [f for f in formfamilies.all_families().values() if f.batch is sealed8.BATCH and f.stem not in STEMS]


def test_building_permit_prints_its_truth_where_the_form_asks():
    seen_whole, seen_pieces, agencies = set(), set(), set()
    for seed in range(12):
        case, doc = _doc(PERMIT, seed, hand_rate=0.5 if seed % 2 else 0.0)
        text, fields = _text(doc), doc.fields
        assert doc.doc_type == "giay_phep_xay_dung" and doc.family == f"kltn:{PERMIT}"
        assert set(fields) == set(get("giay_phep_xay_dung").all_fields)
        printed = {k for k, v in fields.items() if v is not None}
        assert set(doc.absent) == set(fields) - printed
        if seed % 2 == 0:  # not scanned: nothing left blank for the clerk
            assert printed == set(fields)
        # the form's wording, in its order
        order = ["GIẤY PHÉP XÂY DỰNG", "(Sử dụng cho công trình không theo tuyến)", "1. Cấp cho:", "Địa chỉ:",
                 "2. Được phép xây dựng công trình:", "- Chủ nhiệm, chủ trì thiết kế:", "+ Vị trí xây dựng",
                 "+ Cốt nền xây dựng công trình:", "+ Mật độ xây dựng:", "hệ số sử dụng đất:",
                 "Đối với công trình dân dụng và công trình có kết cấu dạng nhà, bổ sung các nội dung sau:",
                 "+ Tổng diện tích sàn (bao gồm cả tầng hầm và tầng lửng):", "3. Giấy tờ về đất đai:",
                 "4. Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp",
                 "Nơi nhận:", "- Chủ đầu tư;"]
        places = [text.index(words) for words in order]
        assert places == sorted(places), seed
        assert "CƠ QUAN CẤP GIẤY PHÉP" not in text and "THỦ TRƯỞNG CƠ QUAN" not in text  # filled in
        # the truth, where the form asks it
        if fields["doc_number"]:
            assert re.fullmatch(r"\d{1,4}/GPXD", fields["doc_number"]) and f"Số: {fields['doc_number']}" in text
        assert fields["full_name"] == case.person.full_name
        assert fields["full_name"] in _between(text, "1. Cấp cho:", "Địa chỉ:")
        assert fields["address"] == case.person.address
        address = _between(text, "Địa chỉ:", "2. Được phép")
        if "số nhà:" in address:
            seen_pieces.add(seed)
            number, street = re.match(r"Số (\d+), đường ([^,]+), ", fields["address"]).groups()
            assert re.search(rf"số nhà: {number} đường \(phố\) {street} phường \(xã\): ", address)
            assert all(part in address for part in fields["address"].split(", ")[-3:])
        else:
            seen_whole.add(seed)
            assert address.strip() == fields["address"]
        site = _between(text, "+ Vị trí xây dựng", "+ Cốt nền")
        assert site.split(":", 1)[1].strip() == fields["construction_site"]
        assert re.match(r"^(Thửa đất số|Lô|đường|Thôn|Xóm|Ấp)", fields["construction_site"])
        if fields["signed_date"]:
            assert _signed_in(doc, text)
            assert text.index("năm " + fields["signed_date"][:4]) < text.index("GIẤY PHÉP XÂY DỰNG")
        agencies.add(fields["issuing_agency"])
        assert text.index(fields["issuing_agency"].split()[-1]) < text.index("CỘNG HÒA")
        assert fields["issuing_agency"] in ("SỞ XÂY DỰNG",) or fields["issuing_agency"].startswith("ỦY BAN NHÂN DÂN ")
        # value boxes on the page for what is printed; handwriting only on the number and the day
        assert {"full_name", "address", "construction_site", "issuing_agency"} <= set(doc.boxes)
        assert set(doc.handwritten) <= {"doc_number", "signed_date"} & printed
        # the signer is the head of the issuing office, another person than the holder
        assert doc.text.rstrip().splitlines()[-1].strip() != fields["full_name"]
    assert seen_whole and seen_pieces and len(agencies) > 3


def test_building_permit_truth_is_on_the_born_digital_text_layer():
    for seed in (0, 2, 4):
        _case, doc = _doc(PERMIT, seed)
        layer = _pdf_text(doc)
        for key in ("doc_number", "full_name", "construction_site", "issuing_agency"):
            assert " ".join(doc.fields[key].split()[-3:]) in layer, (seed, key)
        assert "GIẤY PHÉP XÂY DỰNG" in layer


def test_information_sheet_prints_the_persons_details_after_the_forms_labels():
    capitals = hands = 0
    for seed in range(12):
        case, doc = _doc(SHEET, seed, hand_rate=0.5 if seed % 2 else 0.0)
        person, text, fields = case.person, _text(doc), doc.fields
        assert doc.doc_type == "don_de_nghi" and doc.family == f"kltn:{SHEET}"
        assert set(fields) == set(get("don_de_nghi").all_fields)
        assert {k for k, v in fields.items() if v is not None} == SHEET_PRINTED
        assert set(doc.absent) == {"date_of_birth", "gender", "signed_date"}
        # the form's wording: its heading first, its eleven labels in order, nothing it does not print
        assert text.startswith(("Thông tin cơ bản:", "THÔNG TIN CƠ BẢN"))
        labels = ["Họ và tên:", "Số điện thoại:", "Email:", "Bằng hiện tại:", "Cấp độ học:", "Nhà ở:",
                  "Nghề nghiệp:", "Trình độ học vấn:", "Quốc tịch:", "Số CMND:", "Ươc mơ:"]
        places = [text.index(label) for label in labels]
        assert places == sorted(places)
        assert "CỘNG HÒA" not in text and not re.search(r"ngày \d+ tháng", text)
        # the truth, after its label
        assert fields["full_name"] in (person.full_name, person.full_name.upper())
        capitals += fields["full_name"] != person.full_name
        assert fields["full_name"] in _between(text, "Họ và tên:", "Số điện thoại:")
        assert fields["phone"] == person.phone
        phone = re.sub(r"\s\d{1,2}\.\s*$", "", _between(text, "Số điện thoại:", "Email:"))  # the next item's number
        assert re.sub(r"\D", "", phone) == person.phone
        assert fields["address"] == person.address
        assert _between(text, "Nhà ở:", "Nghề nghiệp:").strip(" .…").startswith(person.address)
        assert fields["id_number"] == person.id_number
        assert re.sub(r"\D", "", _between(text, "Số CMND:", "Ươc mơ:")).startswith(person.id_number)
        assert "Việt Nam" in _between(text, "Quốc tịch:", "Số CMND:")
        assert {"full_name", "phone", "address", "id_number"} <= set(doc.boxes)
        assert set(doc.handwritten) in (set(), SHEET_PRINTED)
        hands += bool(doc.handwritten)
    assert capitals and hands


def test_information_sheet_truth_is_on_the_born_digital_text_layer():
    for seed in (0, 2, 4):
        _case, doc = _doc(SHEET, seed)
        layer = _pdf_text(doc)
        digits = re.sub(r"\D", "", layer)
        assert doc.fields["full_name"] in layer and " ".join(doc.fields["address"].split()[-2:]) in layer
        assert doc.fields["phone"] in digits and doc.fields["id_number"] in digits
        assert "Ươc mơ:" in layer


def test_samples_of_the_sealed8_only_when_asked(tmp_path):
    families = tuple(f"kltn:{stem}" for stem in STEMS)
    rows = generate(tmp_path / "a", n=4, seed=5, clean=True, born_digital_rate=0.0, dpi=72, families=families)
    docs = [d for r in rows for d in r["documents"]]
    assert {d["family"] for d in docs} == set(families)
    assert {d["doc_type"] for d in docs} == {"giay_phep_xay_dung", "don_de_nghi"}
    rows = generate(tmp_path / "b", n=9, seed=3, clean=True, born_digital_rate=0.0, dpi=72)
    assert not {d["family"] for r in rows for d in r["documents"]} & set(families)
