"""Rules of Part 6's "sealed7" forms (branch p6tmpl3): 04, 05, 39, 44 of ``forms/extra/``.

Unlike the other forms these are no citizen's application but documents an office or a company
issues, in the Nghị định 30/2020 layout (issuer and number left, motto and place/date right), so
they are rendered here (:func:`_document`, the batch's :meth:`~.base.Batch.document`) and every other
family renders byte for byte as before. The form's wording is printed as it is,
its blanks filled with what the issuing office would write; its truth is the registry's type
(``schemas/doctypes.py``) and that type's fields, not an applicant's:

- 04 (TỜ TRÌNH cấp chứng chỉ thẩm tra viên ATGT đường bộ): ``to_trinh``. A training institution
  (1) under its ministry (2) asks the Cục Đường bộ to certify the learners who passed; the list
  of learners follows the form's last line. Truth: ``doc_number`` ("125/TTr-ĐHGTVT"),
  ``issuing_agency`` (the institution's own line), ``signed_date``, ``subject`` (the line under
  the title, as printed).
- 05 (công văn asking a work permit for a foreign science expert): ``cong_van``. Truth: the
  organisation's number ("245/ĐHBK-TCCB"), name, date, and ``subject`` = its "V/v …" line with
  "cấp" or "cấp lại" as asked (the printed "cấp/cấp lại" completed). The expert is no field.
- 39 (a company's công văn to the tax office): ``cong_van``. Truth: "Số: 15/CV-AK", the company's
  name as in the header, the date, ``subject`` = the "V/v: …" in its brackets as printed.
- 44 (QUYẾT ĐỊNH về việc nghỉ việc hưởng chế độ hưu trí): ``quyet_dinh``. Truth: number, issuing
  office, date, ``subject`` ("Về việc nghỉ việc hưởng chế độ hưu trí"), ``signer`` (the head who
  signs, named under the signature). The retiree (name, birth date, social insurance code …) is
  printed in Điều 1 but ``quyet_dinh`` asks no person's fields, so none is truth.

A number or a date left blank for the clerk (as templates.official_letter does at the style's
blank rate) is listed in ``absent``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import replace

from .. import fakedata as fk
from ..layout import PAGE_SIZES, Seg
from ..templates import (Doc, Style, _blank, _date_segs, _hand, _number_segs, _writer, closing, iso, letter_header,
                        title)
from .base import DrawnWhole

FORMS = frozenset({"04_cap_chung_chi_tham_tra_vien_ATGT_duong_bo", "05_cap_giay_phep_chuyen_gia_KHCN_VN",
                   "39_hoi_dap_chi_cuc_thue", "44_Quyet_dinh_viec_nghi_viec_huong_che_do_huu_tri"})
TITLES = {"04_cap_chung_chi_tham_tra_vien_ATGT_duong_bo": "TỜ TRÌNH",
          "05_cap_giay_phep_chuyen_gia_KHCN_VN": "CÔNG VĂN",  # no title printed: a công văn
          "39_hoi_dap_chi_cuc_thue": "CÔNG VĂN",
          "44_Quyet_dinh_viec_nghi_viec_huong_che_do_huu_tri": "QUYẾT ĐỊNH"}
TYPES = {"04_cap_chung_chi_tham_tra_vien_ATGT_duong_bo": "to_trinh", "05_cap_giay_phep_chuyen_gia_KHCN_VN": "cong_van",
         "39_hoi_dap_chi_cuc_thue": "cong_van", "44_Quyet_dinh_viec_nghi_viec_huong_che_do_huu_tri": "quyet_dinh"}
# a blank: dots or an ellipsis run, a footnote mark "(1)" inside it belongs to it
_BLANK = re.compile(r"[.…_]{2,}(?:\s*\(\d\)\s*[.…_]*)?")
_FOOTNOTE = re.compile(r"\s*\(\d\)")


def fields_of(doc_type: str) -> tuple[str, ...]:
    from schemas.doctypes import get
    return get(doc_type).all_fields


# ---------------------------------------------------------------- organisations (fake but plausible)

# (ministry over it, institution, symbol, place, address, phone area)
_TRAINERS = (
    ("BỘ GIAO THÔNG VẬN TẢI", "TRƯỜNG ĐẠI HỌC GIAO THÔNG VẬN TẢI", "ĐHGTVT", "Hà Nội",
     "Số 3 phố Cầu Giấy, phường Láng Thượng, quận Đống Đa, thành phố Hà Nội", "024"),
    ("BỘ GIAO THÔNG VẬN TẢI", "TRƯỜNG ĐẠI HỌC CÔNG NGHỆ GIAO THÔNG VẬN TẢI", "ĐHCNGTVT", "Hà Nội",
     "Số 54 Triều Khúc, phường Thanh Xuân Nam, quận Thanh Xuân, thành phố Hà Nội", "024"),
    ("BỘ GIAO THÔNG VẬN TẢI", "VIỆN KHOA HỌC VÀ CÔNG NGHỆ GIAO THÔNG VẬN TẢI", "VKHCN", "Hà Nội",
     "Số 1252 đường Láng, phường Láng Thượng, quận Đống Đa, thành phố Hà Nội", "024"),
    ("BỘ GIAO THÔNG VẬN TẢI", "TRƯỜNG ĐẠI HỌC GIAO THÔNG VẬN TẢI THÀNH PHỐ HỒ CHÍ MINH", "ĐHGTVT", "TP. Hồ Chí Minh",
     "Số 2 đường Võ Oanh, phường 25, quận Bình Thạnh, Thành phố Hồ Chí Minh", "028"),
    ("BỘ GIAO THÔNG VẬN TẢI", "TRƯỜNG CAO ĐẲNG GIAO THÔNG VẬN TẢI TRUNG ƯƠNG I", "CĐGTVTTWI", "Hà Nội",
     "Xã Thụy An, huyện Ba Vì, thành phố Hà Nội", "024"),
    ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỜNG ĐẠI HỌC XÂY DỰNG HÀ NỘI", "ĐHXDHN", "Hà Nội",
     "Số 55 đường Giải Phóng, phường Đồng Tâm, quận Hai Bà Trưng, thành phố Hà Nội", "024"),
)
# (parent, organisation, symbol, place, kind, address, founding paper, its issuer, field, head's title)
_ORGS = (
    ("VIỆN HÀN LÂM KHOA HỌC VÀ CÔNG NGHỆ VIỆT NAM", "VIỆN VẬT LÝ", "VVL", "Hà Nội", "Đơn vị sự nghiệp công lập",
     "Số 10 Đào Tấn, phường Ngọc Khánh, quận Ba Đình, thành phố Hà Nội", "QĐ", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
     "Nghiên cứu cơ bản và ứng dụng về vật lý", "VIỆN TRƯỞNG"),
    ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỜNG ĐẠI HỌC BÁCH KHOA HÀ NỘI", "ĐHBK", "Hà Nội", "Cơ sở giáo dục đại học công lập",
     "Số 1 Đại Cồ Việt, phường Bách Khoa, quận Hai Bà Trưng, thành phố Hà Nội", "QĐ", "Bộ Giáo dục và Đào tạo",
     "Đào tạo, nghiên cứu khoa học và chuyển giao công nghệ", "HIỆU TRƯỞNG"),
    ("ĐẠI HỌC QUỐC GIA THÀNH PHỐ HỒ CHÍ MINH", "TRƯỜNG ĐẠI HỌC KHOA HỌC TỰ NHIÊN", "KHTN", "TP. Hồ Chí Minh",
     "Cơ sở giáo dục đại học công lập", "Số 227 Nguyễn Văn Cừ, phường 4, quận 5, Thành phố Hồ Chí Minh", "QĐ",
     "Đại học Quốc gia Thành phố Hồ Chí Minh", "Đào tạo và nghiên cứu khoa học tự nhiên", "HIỆU TRƯỞNG"),
    ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "VIỆN NĂNG LƯỢNG NGUYÊN TỬ VIỆT NAM", "VNLNT", "Hà Nội",
     "Tổ chức khoa học và công nghệ công lập", "Số 59 Lý Thường Kiệt, phường Trần Hưng Đạo, quận Hoàn Kiếm, thành phố Hà Nội",
     "QĐ", "Bộ Khoa học và Công nghệ", "Nghiên cứu, ứng dụng năng lượng nguyên tử", "VIỆN TRƯỞNG"),
    ("", "CÔNG TY CỔ PHẦN CÔNG NGHỆ SINH HỌC AN PHÚ", "APB", "Bình Dương", "Doanh nghiệp khoa học và công nghệ",
     "Lô C5, Khu công nghiệp Mỹ Phước, thị xã Bến Cát, tỉnh Bình Dương", "GCN", "Sở Khoa học và Công nghệ tỉnh Bình Dương",
     "Nghiên cứu, sản xuất chế phẩm sinh học", "TỔNG GIÁM ĐỐC"),
    ("", "CÔNG TY TNHH GIẢI PHÁP PHẦN MỀM SAO VIỆT", "SV", "Đà Nẵng", "Doanh nghiệp khoa học và công nghệ",
     "Lô A2 Khu công nghệ cao Đà Nẵng, xã Hòa Liên, huyện Hòa Vang, thành phố Đà Nẵng", "GCN",
     "Sở Khoa học và Công nghệ thành phố Đà Nẵng", "Phát triển phần mềm và trí tuệ nhân tạo", "GIÁM ĐỐC"),
)
# (name as in the passport, gender, nationality, passport issuer)
_EXPERTS = (
    ("JOHN SMITH", "Nam", "Hoa Kỳ", "Bộ Ngoại giao Hoa Kỳ"), ("TANAKA HIROSHI", "Nam", "Nhật Bản", "Bộ Ngoại giao Nhật Bản"),
    ("KIM JI YEON", "Nữ", "Hàn Quốc", "Bộ Ngoại giao Hàn Quốc"), ("PETER SCHNEIDER", "Nam", "Đức", "Thành phố Munich, Đức"),
    ("SARAH WILSON", "Nữ", "Vương quốc Anh", "Văn phòng Hộ chiếu Vương quốc Anh"),
    ("WANG WEI", "Nam", "Trung Quốc", "Cục Quản lý xuất nhập cảnh Trung Quốc"), ("MARIE DUBOIS", "Nữ", "Pháp", "Tỉnh Rhône, Pháp"),
    ("LEE SANG HOON", "Nam", "Hàn Quốc", "Bộ Ngoại giao Hàn Quốc"), ("SUZUKI YUKI", "Nữ", "Nhật Bản", "Bộ Ngoại giao Nhật Bản"),
    ("DAVID MILLER", "Nam", "Úc", "Bộ Ngoại giao và Thương mại Úc"),
)
# (company name after "CÔNG TY", symbol, business line, e-mail domain)
_COMPANIES = (
    ("TNHH THƯƠNG MẠI AN KHANG", "AK", "Bán buôn thực phẩm", "ankhang.com.vn"),
    ("CỔ PHẦN XÂY DỰNG HÒA BÌNH MINH", "HBM", "Xây dựng công trình dân dụng", "hoabinhminh.vn"),
    ("TNHH MAY MẶC THÀNH CÔNG", "TC", "Sản xuất hàng may sẵn", "maythanhcong.vn"),
    ("CỔ PHẦN CÔNG NGHỆ MINH PHÁT", "MP", "Lập trình máy vi tính", "minhphat.com.vn"),
    ("TNHH VẬN TẢI PHƯƠNG NAM", "PN", "Vận tải hàng hóa bằng đường bộ", "vantaiphuongnam.vn"),
    ("TNHH SẢN XUẤT BAO BÌ TÂN TIẾN", "TT", "Sản xuất bao bì bằng giấy, bìa", "baobitantien.com"),
    ("CỔ PHẦN DƯỢC PHẨM HƯNG THỊNH", "HT", "Bán buôn dược phẩm và dụng cụ y tế", "duochungthinh.vn"),
)
# what a company asks the tax office (the "V/v"), and the situation it writes under "Nội dung"
_QUESTIONS = (
    ("hướng dẫn thủ tục hoàn thuế giá trị gia tăng",
     "Trong kỳ tính thuế vừa qua, Công ty phát sinh số thuế giá trị gia tăng đầu vào chưa được khấu trừ hết do đầu tư "
     "mở rộng sản xuất. Công ty kính đề nghị Chi cục Thuế hướng dẫn điều kiện, hồ sơ và thủ tục đề nghị hoàn thuế."),
    ("xử lý hóa đơn điện tử đã lập có sai sót",
     "Công ty đã lập và gửi cho khách hàng hóa đơn điện tử có sai sót về mã số thuế người mua. Công ty kính đề nghị "
     "Chi cục Thuế hướng dẫn việc lập hóa đơn điều chỉnh hay hóa đơn thay thế trong trường hợp này."),
    ("chính sách thuế thu nhập doanh nghiệp đối với chi phí đào tạo",
     "Công ty có chi trả chi phí đào tạo nâng cao tay nghề cho người lao động theo hợp đồng với cơ sở đào tạo. Công ty "
     "kính đề nghị Chi cục Thuế hướng dẫn khoản chi này có được tính vào chi phí được trừ khi xác định thu nhập chịu thuế không."),
    ("thuế thu nhập cá nhân đối với khoản phụ cấp của người lao động",
     "Công ty chi trả cho người lao động các khoản phụ cấp ăn ca, điện thoại và xăng xe hằng tháng. Công ty kính đề nghị "
     "Chi cục Thuế hướng dẫn các khoản phụ cấp nào phải tính vào thu nhập chịu thuế thu nhập cá nhân."),
    ("khai bổ sung hồ sơ khai thuế giá trị gia tăng",
     "Sau khi nộp tờ khai thuế giá trị gia tăng, Công ty phát hiện bỏ sót một số hóa đơn đầu vào hợp pháp. Công ty kính "
     "đề nghị Chi cục Thuế hướng dẫn việc khai bổ sung và thời hạn kê khai, khấu trừ các hóa đơn này."),
)


# how an organisation's name reads inside a sentence
_PROPER = {
    "TRƯỜNG ĐẠI HỌC GIAO THÔNG VẬN TẢI": "Trường Đại học Giao thông vận tải",
    "TRƯỜNG ĐẠI HỌC CÔNG NGHỆ GIAO THÔNG VẬN TẢI": "Trường Đại học Công nghệ Giao thông vận tải",
    "VIỆN KHOA HỌC VÀ CÔNG NGHỆ GIAO THÔNG VẬN TẢI": "Viện Khoa học và Công nghệ Giao thông vận tải",
    "TRƯỜNG ĐẠI HỌC GIAO THÔNG VẬN TẢI THÀNH PHỐ HỒ CHÍ MINH": "Trường Đại học Giao thông vận tải Thành phố Hồ Chí Minh",
    "TRƯỜNG CAO ĐẲNG GIAO THÔNG VẬN TẢI TRUNG ƯƠNG I": "Trường Cao đẳng Giao thông vận tải Trung ương I",
    "TRƯỜNG ĐẠI HỌC XÂY DỰNG HÀ NỘI": "Trường Đại học Xây dựng Hà Nội",
    "VIỆN VẬT LÝ": "Viện Vật lý", "TRƯỜNG ĐẠI HỌC BÁCH KHOA HÀ NỘI": "Trường Đại học Bách khoa Hà Nội",
    "TRƯỜNG ĐẠI HỌC KHOA HỌC TỰ NHIÊN": "Trường Đại học Khoa học Tự nhiên",
    "VIỆN NĂNG LƯỢNG NGUYÊN TỬ VIỆT NAM": "Viện Năng lượng nguyên tử Việt Nam",
    "CÔNG TY CỔ PHẦN CÔNG NGHỆ SINH HỌC AN PHÚ": "Công ty Cổ phần Công nghệ sinh học An Phú",
    "CÔNG TY TNHH GIẢI PHÁP PHẦN MỀM SAO VIỆT": "Công ty TNHH Giải pháp phần mềm Sao Việt",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO": "Sở Giáo dục và Đào tạo", "SỞ Y TẾ": "Sở Y tế", "SỞ NỘI VỤ": "Sở Nội vụ",
}


def _proper(name: str) -> str:
    return _PROPER.get(name, name[:1] + name[1:].lower())


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _agency(parent: str, name: str, short: str, place: str, unit: fk.Unit, title: str) -> fk.Agency:
    return fk.Agency(parent, name, short, place, unit, "tinh", "", title, ())


def _province_upper(unit: fk.Unit) -> str:
    return unit.province.replace("Thành phố", "THÀNH PHỐ").replace("Tỉnh", "TỈNH").upper()


# ---------------------------------------------------------------- filling a printed line

class _Line:
    """Fills a printed line's blanks in order; a None leaves the dots (nobody writes there)."""

    def __init__(self, rng: random.Random, footnotes: bool, leaders: bool):
        self.rng, self.footnotes, self.leaders = rng, footnotes, leaders

    def fill(self, line: str, *values: str | None, tail: str | None = None) -> str:
        out, pos, index = [], 0, 0
        for match in _BLANK.finditer(line):
            out.append(line[pos:match.start()])
            value = values[index] if index < len(values) else None
            index += 1
            if value is None:
                out.append(match.group(0) if self.footnotes else _FOOTNOTE.sub("", match.group(0)))
            else:
                before = line[match.start() - 1] if match.start() else ""
                after = line[match.end()] if match.end() < len(line) else ""
                text = value
                if before.isalpha() or before in ":)":
                    text = " " + text
                if after.isalnum():
                    text += " "
                rest = line[match.end():].strip()
                if self.leaders and self.rng.random() < 0.3 and (not rest or rest[0] in ";,."):
                    text += " " + "." * self.rng.randint(3, 9)
                out.append(text)
            pos = match.end()
        out.append(line[pos:])
        text = "".join(out)
        if tail is not None:
            text = text.rstrip() + " " + tail
        if not self.footnotes:
            text = _FOOTNOTE.sub("", text)
        return " ".join(text.split())


# ---------------------------------------------------------------- the document

def _document(rng: random.Random, style: Style, case, family) -> Doc:
    """One filled document of a sealed7 form."""
    size = PAGE_SIZES[rng.choice(("A4", "A5"))] if rng.random() < 0.5 else style.size
    style = Style(size, style.family, style.hand_rate, style.blank_rate, style.scanned)
    w = _writer(style, rng)
    filler = _Line(rng, rng.random() < 0.5, rng.random() < 0.6)
    signed = case.received - dt.timedelta(days=rng.randint(0, 3))
    doc_type = TYPES[family.stem]
    hand_no, blank_no = _hand(rng, style), _blank(rng, style)
    hand_day, blank_day = _hand(rng, style), _blank(rng, style)
    state = {"signed": signed, "hand_no": hand_no, "blank_no": blank_no, "hand_day": hand_day, "blank_day": blank_day}
    render = {"04_cap_chung_chi_tham_tra_vien_ATGT_duong_bo": _form04, "05_cap_giay_phep_chuyen_gia_KHCN_VN": _form05,
              "39_hoi_dap_chi_cuc_thue": _form39,
              "44_Quyet_dinh_viec_nghi_viec_huong_che_do_huu_tri": _form44}[family.stem]
    truth, doc_title, units = render(rng, w, case, family.lines, filler, state)
    truth["doc_number"] = None if blank_no else truth["doc_number"]
    truth["signed_date"] = None if blank_day else iso(signed)
    fields = fields_of(doc_type)
    values = {key: truth.get(key) for key in fields}
    absent = [key for key in fields if values[key] is None]
    hand = [k for k, flag in (("doc_number", hand_no and not blank_no), ("signed_date", hand_day and not blank_day))
            if flag]
    doc = Doc(doc_type, w.pages, values, "\n".join(w.lines), doc_title, sorted(hand), w.boxes, units)
    doc.family = family.name
    doc.absent = absent
    return doc


def _header(w, rng, agency: fk.Agency, symbol: str, state, vv: str | None = None) -> None:
    number = int(symbol.split("/", 1)[0])
    letter_header(w, agency, _number_segs(number, symbol, state["hand_no"], state["blank_no"]),
                  _date_segs(agency.place, state["signed"], state["hand_day"], state["blank_day"]), vv)


def _date_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return fk.random_date(rng, start, max(start, end))


def _dmy(day: dt.date) -> tuple[str, str, str]:
    return f"{day.day:02d}", f"{day.month:02d}", str(day.year)


def _form04(rng, w, case, lines, filler: _Line, state):
    """TỜ TRÌNH: a training institution asks the Cục Đường bộ to certify its passed learners."""
    parent, name, short, place, address, area = rng.choice(_TRAINERS)
    signed = state["signed"]
    agency = _agency(parent, name, short, place, case.person.home, "HIỆU TRƯỞNG")
    symbol = f"{rng.randint(5, 480)}/TTr-{short}"
    _header(w, rng, agency, symbol, state)
    subtitle = lines[10]
    title(w, "TỜ TRÌNH", subtitle, key="subject")
    w.line(lines[11], w.body, "center")
    w.space(0.3)
    own = _proper(name)
    plan_day = _date_in(rng, signed - dt.timedelta(days=200), signed - dt.timedelta(days=90))
    exam_day = _date_in(rng, signed - dt.timedelta(days=45), signed - dt.timedelta(days=7))
    plan_no, decision_no = rng.randint(10, 300), rng.randint(20, 900)
    course, klass = rng.randint(1, 12), rng.choice(("01", "02", "03", "TTV01", "TTV02"))
    count = rng.randint(3, 7)
    decree = rng.choice(("44", "53"))
    for index in range(12, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        if line.startswith("Căn cứ Nghị định"):
            text = filler.fill(line, decree, "09", "05")
        elif line.startswith("Thực hiện Kế hoạch"):
            text = filler.fill(line, str(plan_no), f"KH-{short}", *_dmy(plan_day), own)
        elif line.startswith("Căn cứ Quyết định"):
            text = filler.fill(line, str(decision_no), short, *_dmy(exam_day), own, klass, str(course), own)
        elif line.startswith("1. Tên cơ sở"):
            text = filler.fill(line, own)
        elif line.startswith("Địa chỉ"):
            text = filler.fill(line, address)
        elif line.startswith("Số điện thoại"):
            fax = None if rng.random() < 0.4 else f"{area} {rng.randint(3500, 3899)} {rng.randint(1000, 9999)}"
            mail = rng.choice(("daotao", "tuyensinh", "phongdaotao")) + "@" + short.lower().replace("đ", "d") + ".edu.vn"
            text = filler.fill(line, f"{area} {rng.randint(3500, 3899)} {rng.randint(1000, 9999)}", fax, mail)
        elif line.startswith("3. Số lượng"):
            text = filler.fill(line, f"{count:02d}")
        elif line.startswith("Danh sách học viên"):
            text = filler.fill(line, str(decision_no), short, f"{exam_day.day:02d}", f"{exam_day.month:02d}",
                               str(exam_day.year)[2:])
        else:
            text = filler.fill(line)
        w.paragraph(text, indent=None if len(text) > 60 else 0.0)
    rows = []
    for number in range(1, count + 1):
        learner = fk.make_person(rng, born_between=(1970, 1996))
        rows.append([str(number), learner.full_name, fk.format_date(learner.date_of_birth, rng),
                     rng.choice(("Đạt", "Đạt", "Khá", "Giỏi"))])
    w.space(0.3)
    w.table(["STT", "Họ và tên", "Ngày sinh", "Kết quả thi"], rows, [0.1, 0.45, 0.25, 0.2])
    head = rng.choice((["HIỆU TRƯỞNG"], ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"])) if "TRƯỜNG" in name else \
        rng.choice((["VIỆN TRƯỞNG"], ["KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"]))
    signer = fk.person_name(rng, rng.choice(("Nam", "Nữ")))
    closing(w, ["Như trên;", f"Lưu: VT, {rng.choice(('ĐT', 'P.ĐT', 'TCHC'))}."], head, signer,
             name if rng.random() < 0.8 else None)
    truth = {"doc_number": symbol, "issuing_agency": name, "subject": subtitle}
    return truth, "TỜ TRÌNH", None


def _form05(rng, w, case, lines, filler: _Line, state):
    """A công văn: an organisation asks the Cục Việc làm for a foreign expert's work permit."""
    parent, name, short, place, kind, address, paper, paper_issuer, field, head = rng.choice(_ORGS)
    signed = state["signed"]
    agency = _agency(parent, name, short, place, case.person.home, head)
    symbol = f"{rng.randint(10, 2400)}/{short}-{rng.choice(('TCCB', 'TCHC', 'HTQT', 'KHCN'))}"
    again = rng.random() < 0.3
    asked = "cấp lại" if again else "cấp"
    subject = f"V/v đề nghị {asked} giấy phép lao động cho chuyên gia khoa học công nghệ"
    _header(w, rng, agency, symbol, state, subject)
    expert, gender, nationality, passport_issuer = rng.choice(_EXPERTS)
    born = _date_in(rng, dt.date(signed.year - 62, 1, 1), dt.date(signed.year - 30, 12, 31))
    passport = f"{rng.choice('ABCEKMPT')}{rng.randrange(10 ** 7, 10 ** 8)}"
    valid = _date_in(rng, signed + dt.timedelta(days=400), signed + dt.timedelta(days=3000))
    start = _date_in(rng, signed + dt.timedelta(days=20), signed + dt.timedelta(days=60))
    end = start + dt.timedelta(days=rng.choice((364, 729)))
    founded = _date_in(rng, dt.date(1995, 1, 1), signed - dt.timedelta(days=800))
    founder = {"Viện Hàn lâm Khoa học và Công nghệ Việt Nam": "VHL", "Bộ Giáo dục và Đào tạo": "BGDĐT",
               "Đại học Quốc gia Thành phố Hồ Chí Minh": "ĐHQG", "Bộ Khoa học và Công nghệ": "BKHCN"}.get(paper_issuer)
    founding = (f"{rng.randint(100, 4500)}/QĐ-{founder}" if paper == "QĐ" else
                f"{rng.randint(10, 99)}/DNKHCN")
    phone = f"{'024' if place == 'Hà Nội' else '028' if 'Hồ Chí Minh' in place else '0236' if place == 'Đà Nẵng' else '0274'}" \
            f" {rng.randint(3500, 3899)} {rng.randint(1000, 9999)}"
    mail = (f"{rng.choice(('tccb', 'hoptacquocte', 'vanphong', 'info'))}@{short.lower().replace('đ', 'd')}"
            f"{'.com.vn' if name.startswith('CÔNG TY') else '.edu.vn' if 'TRƯỜNG' in name else '.ac.vn'}")
    degree = rng.choice(("Tiến sĩ Vật lý", "Tiến sĩ Khoa học máy tính", "Thạc sĩ Công nghệ sinh học", "Tiến sĩ Hóa học",
                         "Tiến sĩ Kỹ thuật điện"))
    position = rng.choice(("Chuyên gia nghiên cứu", "Chuyên gia tư vấn kỹ thuật", "Trưởng nhóm nghiên cứu",
                           "Giảng viên, chuyên gia khoa học"))
    body_from = next(i for i, line in enumerate(lines) if line.startswith("Kính gửi"))
    w.line(lines[body_from], w.body, "center")
    w.space(0.3)
    numbers = rng.random() < 0.85
    for index in range(body_from + 1, len(lines)):
        line = lines[index]
        if not line.strip() or re.fullmatch(r"[.…_\s]+", line):
            continue
        bare = re.sub(r"^\s*\d{1,2}\.\s*", "", line)
        key = line if numbers else bare
        if bare.startswith("Tên cơ quan"):
            text = filler.fill(key, _proper(name) if rng.random() < 0.5 else name)
        elif bare.startswith("Loại hình"):
            text = filler.fill(key, kind)
        elif bare.startswith("Địa chỉ") and index < body_from + 6:
            text = filler.fill(key, address)
        elif bare.startswith("Điện thoại"):
            text = filler.fill(key, phone, mail)
        elif bare.startswith("Quyết định thành lập"):
            text = filler.fill(key, founding)
        elif bare.startswith("Cơ quan cấp") and "Ngày cấp" in line:
            text = filler.fill(key, paper_issuer, tail=fk.format_date(founded, rng))
        elif bare.startswith("Lĩnh vực"):
            text = filler.fill(key, field)
        elif bare.startswith("Đề nghị Cục"):
            text = line
        elif bare.startswith("Họ và tên"):
            text = filler.fill(key, expert)
        elif bare.startswith("Ngày, tháng, năm sinh"):
            text = filler.fill(key, fk.format_date(born, rng), gender)
        elif bare.startswith("Quốc tịch"):
            text = filler.fill(key, nationality)
        elif bare.startswith("Hộ chiếu"):
            text = filler.fill(key, passport)
        elif bare.startswith("Cơ quan cấp"):
            text = filler.fill(key, passport_issuer, fk.format_date(valid, rng))
        elif bare.startswith("Trình độ"):
            text = filler.fill(key, degree)
        elif bare.startswith("Làm việc tại"):
            text = filler.fill(key, _proper(name))
        elif bare.startswith("Địa chỉ"):
            text = filler.fill(key, address)
        elif bare.startswith("Vị trí"):
            text = filler.fill(key, position)
        elif bare.startswith("Thời hạn"):
            text = filler.fill(key, *_dmy(start), *_dmy(end))
        elif bare.startswith("Nơi đăng ký"):
            text = filler.fill(key, rng.choice(("Cục Việc làm - Bộ Lao động - Thương binh và Xã hội",
                                                "Nhận qua dịch vụ bưu chính công ích tại địa chỉ của cơ quan")))
        elif bare.startswith("Lý do"):
            reason = rng.choice(("Giấy phép lao động bị hỏng", "Giấy phép lao động bị mất",
                                 "Thay đổi số hộ chiếu ghi trên giấy phép lao động"))
            text = filler.fill(key, reason if again else None)
        else:
            text = filler.fill(key)
        w.paragraph(text, indent=0.0 if re.match(r"^\d", text) or len(text) < 60 else None, gap=0.1)
    w.space(0.4)
    signer = fk.person_name(rng, rng.choice(("Nam", "Nữ")))
    titles = [head] if rng.random() < 0.6 else [f"KT. {head}", f"PHÓ {head}"]
    closing(w, ["Như trên;", "Lưu: VT, TCCB."], titles, signer, name if rng.random() < 0.8 else None)
    truth = {"doc_number": symbol, "issuing_agency": name, "subject": subject}
    return truth, "CÔNG VĂN", None


def _form39(rng, w, case, lines, filler: _Line, state):
    """A company's công văn asking the tax office (a question on a tax matter)."""
    company, short, business, domain = rng.choice(_COMPANIES)
    unit = fk.pick_unit(rng)
    name = f"CÔNG TY {company}"
    agency = _agency("", name, short, unit.province_short, unit, "GIÁM ĐỐC")
    symbol = f"{rng.randint(1, 260):02d}/CV-{short}"
    _header(w, rng, agency, symbol, state)
    office = (f"Chi cục Thuế {_lower_first(unit.district)}" if rng.random() < 0.75 else
              f"Cục Thuế {_lower_first(unit.province)}")
    question, content = rng.choice(_QUESTIONS)
    subject = f"V/v: {question}"
    rep = fk.make_person(rng, born_between=(1962, 1992))
    issued = _date_in(rng, dt.date(max(rep.date_of_birth.year + 18, 2016), 1, 1), state["signed"] - dt.timedelta(days=90))
    issuer = "Cục Cảnh sát QLHC về TTXH" if rep.id_kind == "cccd" else f"Công an {rep.birth_unit.province_short}"
    title_word = rng.choice(("Giám đốc", "Giám đốc", "Tổng Giám đốc"))
    for index, line in enumerate(lines):
        if index < 9 or not line.strip() or line.startswith(("CỘNG", "Độc lập")) or re.search(r"ngày\s*[.…]", line):
            continue
        if line.startswith("Nơi nhận"):
            break
        if line.startswith("Kính gửi"):
            w.line(filler.fill(line, office), w.body, "center")
            continue
        if line.startswith("(V/v"):
            w.line([Seg("("), Seg(subject, key="subject"), Seg(")")], w.body, "center", style="italic")
            w.space(0.3)
            continue
        if line.startswith("Tên doanh nghiệp"):
            text = filler.fill(line, company)
        elif "Số điện thoại" in line:
            fax = None if rng.random() < 0.5 else f"0{rng.randint(20, 29)} {rng.randint(3500, 3899)} {rng.randint(1000, 9999)}"
            text = filler.fill(line, fk.format_phone(fk.phone_number(rng), rng), fax)
        elif "Email" in line:
            text = filler.fill(line, f"{rng.choice(('ketoan', 'info', 'contact'))}@{domain}")
        elif "Mã số thuế" in line:
            text = filler.fill(line, str(rng.randrange(10 ** 9, 10 ** 10)))
        elif "Ngành nghề" in line:
            text = filler.fill(line, business)
        elif "Địa chỉ trụ sở" in line:
            text = filler.fill(line, fk.street_address(rng, unit))
        elif line.startswith("Người đại diện"):
            text = filler.fill(line, rep.full_name)
        elif "Chức vụ" in line:
            text = filler.fill(line, title_word)
        elif "CMND/CCCD" in line:
            text = filler.fill(line, rep.id_number, issuer, *_dmy(issued))
        elif "Nội dung" in line:
            text = "- Nội dung:" if rng.random() < 0.7 else line
            w.paragraph(text, indent=0.0, gap=0.1)
            w.paragraph(content)
            continue
        else:
            text = filler.fill(line)
        w.paragraph(text, indent=0.0 if text.startswith("-") or len(text) < 60 else None, gap=0.1)
    w.space(0.4)
    closing(w, ["Như trên;", "Lưu."], ["Đại diện Doanh nghiệp".upper() if rng.random() < 0.5 else "Đại diện Doanh nghiệp",
                                       title_word], rep.full_name, name if rng.random() < 0.85 else None,
             note="(Ký tên và đóng dấu)" if rng.random() < 0.3 else None)
    truth = {"doc_number": symbol, "issuing_agency": name, "subject": subject}
    return truth, "CÔNG VĂN", None


_OFFICES44 = (  # (kind, name pattern, symbol, the head (2), proposer, basis (3))
    ("so", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SGDĐT", "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Trưởng phòng Tổ chức cán bộ"),
    ("so", "SỞ Y TẾ", "SYT", "GIÁM ĐỐC SỞ Y TẾ", "Trưởng phòng Tổ chức cán bộ"),
    ("so", "SỞ NỘI VỤ", "SNV", "GIÁM ĐỐC SỞ NỘI VỤ", "Chánh Văn phòng Sở"),
    ("huyen", "ỦY BAN NHÂN DÂN", "UBND", "CHỦ TỊCH ỦY BAN NHÂN DÂN", "Trưởng phòng Nội vụ"),
    ("cty", "CÔNG TY CỔ PHẦN MAY SÔNG HỒNG", "MSH", "TỔNG GIÁM ĐỐC CÔNG TY CỔ PHẦN MAY SÔNG HỒNG",
     "Trưởng phòng Tổ chức - Hành chính"),
    ("cty", "CÔNG TY TNHH MỘT THÀNH VIÊN CẤP NƯỚC", "CN", "GIÁM ĐỐC CÔNG TY TNHH MỘT THÀNH VIÊN CẤP NƯỚC",
     "Trưởng phòng Tổ chức - Hành chính"),
)
_JOBS44 = {"so": ("Chuyên viên chính", "Chuyên viên", "Phó Trưởng phòng", "Kế toán viên chính", "Nhân viên văn thư"),
           "huyen": ("Chuyên viên chính", "Chuyên viên", "Phó Trưởng phòng", "Kế toán viên", "Nhân viên văn thư"),
           "cty": ("Công nhân bậc 6/7", "Kỹ sư chính", "Tổ trưởng sản xuất", "Kế toán viên", "Phó Quản đốc")}


def _form44(rng, w, case, lines, filler: _Line, state):
    """QUYẾT ĐỊNH về việc nghỉ việc hưởng chế độ hưu trí: the head of an office or company decides."""
    unit = case.person.home
    kind, base, short, head, proposer = rng.choice(_OFFICES44)
    province = _province_upper(unit)
    if kind == "so":
        parent, name, authority, place = f"UBND {province}", base, f"{head} {province}", unit.province_short
    elif kind == "huyen":
        parent, name = f"UBND {province}", f"ỦY BAN NHÂN DÂN {unit.district.upper()}"
        authority, place, short = f"{head} {unit.district.upper()}", unit.district_short, "UBND"
    else:
        suffix = f" {unit.province_short.upper()}" if "CẤP NƯỚC" in base else ""
        parent, name, authority, place = "", base + suffix, head + suffix, unit.province_short
    agency = _agency(parent, name, short, place, unit, head)
    symbol = f"{rng.randint(3, 2900)}/QĐ-{short}"
    _header(w, rng, agency, symbol, state)
    subtitle = lines[9]
    title(w, "QUYẾT ĐỊNH", subtitle, key="subject")
    w.line(authority, w.body, "center", style="bold")
    w.space(0.2)
    signed = state["signed"]
    gender = rng.choice(("Nam", "Nữ"))
    age = rng.choice((60, 61, 62)) if gender == "Nam" else rng.choice((55, 56, 57))
    retire = (signed.replace(day=1) + dt.timedelta(days=32 * rng.randint(1, 3))).replace(day=1)
    born_month = (retire.replace(day=1) - dt.timedelta(days=1))
    retiree = fk.make_person(rng, born_between=(born_month.year - age, born_month.year - age), gender=gender)
    dob = dt.date(born_month.year - age, born_month.month, rng.randint(1, 28))
    retiree = replace(retiree, date_of_birth=dob, home=unit,
                      address=fk.street_address(rng, unit))
    workplace = {"so": f"{rng.choice(('Phòng Kế hoạch - Tài chính', 'Văn phòng Sở', 'Phòng Tổ chức cán bộ'))}, "
                       f"{_proper(name)} {_lower_first(unit.province)}",
                 "huyen": f"{rng.choice(('Phòng Tài chính - Kế hoạch', 'Phòng Nội vụ', 'Văn phòng HĐND và UBND'))} "
                          f"{_lower_first(unit.district)}",
                 "cty": rng.choice(("Phân xưởng sản xuất số 2", "Phòng Kế toán", "Phòng Kỹ thuật", "Xí nghiệp số 1"))}[kind]
    if kind == "so":
        basis = (f"Quyết định số {rng.randint(10, 60)}/{signed.year - rng.randint(1, 5)}/QĐ-UBND của Ủy ban nhân dân "
                 f"{_lower_first(unit.province)} quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {_proper(name)}")
    elif kind == "huyen":
        basis = "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
    else:
        basis = "Điều lệ tổ chức và hoạt động của Công ty; Bộ luật Lao động ngày 20 tháng 11 năm 2019"
    bank = rng.random() < 0.6
    how = (f"Qua tài khoản cá nhân số {rng.randrange(10 ** 9, 10 ** 13)} tại {rng.choice(('Vietcombank', 'Agribank', 'BIDV', 'VietinBank'))}"
           if bank else f"Nhận tiền mặt tại Bưu điện {_lower_first(unit.district)}")
    clinic = rng.choice((f"Bệnh viện Đa khoa {_lower_first(unit.province)}", f"Trung tâm Y tế {_lower_first(unit.district)}"))
    code = f"{int(unit.province_code):02d}{rng.randrange(10 ** 8):08d}"
    executors = rng.choice(("Chánh Văn phòng, Trưởng phòng Tổ chức cán bộ, Thủ trưởng các đơn vị có liên quan",
                            "Trưởng các phòng, ban chức năng", "Thủ trưởng các đơn vị liên quan"))
    for index in range(10, len(lines)):
        line = lines[index]
        if not line.strip() or line.startswith(("QUYẾT ĐỊNH", "(Ký")):
            if line.startswith("QUYẾT ĐỊNH"):
                w.line("QUYẾT ĐỊNH:", w.body, "center", style="bold")
            continue
        if re.fullmatch(r"[.…_\s]*\(2\)[.…_\s]*", line):
            continue  # the authority's heading (printed above) and its signature title (below)
        label = line.split(":", 1)[0]
        if line.startswith("Căn cứ Luật"):
            text = filler.fill(line, "58/2014/QH13 ngày 20 tháng 11 năm 2014")
        elif line.startswith("Căn cứ (3)") or line.startswith("Căn cứ"):
            text = filler.fill(line, basis)
        elif line.startswith("Xét đề nghị"):
            text = filler.fill(line, proposer)
        elif line.startswith("Điều 1"):
            text = filler.fill(line, retiree.full_name, *_dmy(dob))
        elif label == "Mã số BHXH":
            text = filler.fill(line, tail=code)
        elif label.startswith("Số điện thoại"):
            text = filler.fill(line, tail=fk.format_phone(retiree.phone, rng))
        elif label.startswith("Chức danh"):
            text = filler.fill(line, tail=rng.choice(_JOBS44[kind]))
        elif label.startswith("Đơn vị công tác"):
            text = filler.fill(line, tail=workplace)
        elif line.startswith("Được nghỉ việc"):
            text = filler.fill(line, *_dmy(retire))
        elif label.startswith("Nơi cư trú"):
            text = filler.fill(line, tail=retiree.address)
        elif label.startswith("Hình thức"):
            text = filler.fill(line, tail=how)
        elif label.startswith("Nơi khám"):
            text = filler.fill(line, tail=clinic)
        elif line.startswith("Điều 2"):
            text = filler.fill(line, retiree.full_name, unit.province_short)
        elif line.startswith("Điều 3"):
            text = filler.fill(line, executors, retiree.full_name)
        else:
            text = filler.fill(line)
        head_words = re.match(r"^(Điều \d+\.)\s*(.*)$", text)
        if head_words:
            w.paragraph([Seg(head_words.group(1) + " ", "bold"), Seg(head_words.group(2))], gap=0.1)
        else:
            w.paragraph(text, style="italic" if text.startswith(("Căn cứ", "Xét")) else "regular",
                        indent=None if text.startswith(("Căn cứ", "Xét")) else 0.0, gap=0.1)
    w.space(0.4)
    top_word = head.split(" ỦY BAN")[0].split(" SỞ")[0].split(" CÔNG TY")[0]
    titles = [top_word] if rng.random() < 0.6 else [f"KT. {top_word}", f"PHÓ {top_word}"]
    if kind == "huyen" and len(titles) == 1 and rng.random() < 0.5:
        titles = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    signer = fk.person_name(rng, rng.choice(("Nam", "Nữ")))
    closing(w, ["Như Điều 3;", f"BHXH {unit.province_short};", "Lưu: VT, TCCB."], titles, signer,
             name if rng.random() < 0.85 else None, note="(Ký, ghi rõ họ tên, đóng dấu)" if rng.random() < 0.3 else None,
             signer_key="signer")
    truth = {"doc_number": symbol, "issuing_agency": name, "subject": subtitle, "signer": signer}
    return truth, "QUYẾT ĐỊNH", unit.codes


BATCH = DrawnWhole("sealed7", FORMS, TITLES, _document)
