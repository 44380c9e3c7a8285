"""One builder per document type: lays the document out and returns its pages and ground truth.

Field values in the ground truth are what a careful human would type from the page, normalised
as docs/architecture.md's export says (NFC, single spaces, ISO dates, digits-only ID and phone, ``123/QĐ-UBND``).
A value written by hand is still given, and its key is listed in ``handwritten``; a value left
blank on the page is ``None``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import fakedata as fk
from .fonts import Family
from .layout import Box, Page, Rule, Seg, Writer

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO2 = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Doc:
    """A laid-out document and its ground truth."""

    doc_type: str
    pages: list[Page]
    fields: dict[str, str | None]
    text: str
    title: str
    handwritten: list[str] = field(default_factory=list)
    boxes: dict[str, dict] = field(default_factory=dict)
    units: dict[str, str] | None = None
    family: str | None = None
    """Layout family (``kltn:<form>`` for official form wording); None = this template's own."""
    absent: list[str] = field(default_factory=list)
    """Fields of the type the document does not carry: any value read for them is wrong."""


@dataclass
class Case:
    """The shared facts of one dossier (or of a stand-alone document)."""

    person: fk.Person
    agency: fk.Agency
    procedure: tuple[str, str, str, str]
    received: dt.date
    due: dt.date
    dossier_code: str
    officer: str


@dataclass
class Style:
    """Per-document choices: page size, font family, handwriting and blank rates."""

    size: tuple[float, float]
    family: Family
    hand_rate: float = 0.25
    blank_rate: float = 0.05
    scanned: bool = True


def make_case(rng: random.Random, procedure: tuple | None = None) -> Case:
    """A dossier: applicant, receiving agency at the procedure's level, dates and codes."""
    procedure = procedure or rng.choice(fk.PROCEDURES)
    person = fk.make_person(rng)
    agency = fk.make_agency(rng, procedure[2], person.home if rng.random() < 0.8 else None)
    received = fk.random_date(rng, dt.date(2016, 1, 4), dt.date(2024, 12, 20))
    while received.weekday() >= 5:
        received += dt.timedelta(days=1)
    due = fk.add_working_days(received, rng.choice((1, 3, 5, 7, 10, 15)))
    officer = fk.person_name(rng, rng.choice(("Nam", "Nữ")))
    return Case(person, agency, procedure, received, due, fk.dossier_code(rng, agency, received), officer)


def _writer(style: Style, rng: random.Random) -> Writer:
    return Writer(style.size, style.family, rng)


def _hand(rng: random.Random, style: Style) -> bool:
    return style.scanned and rng.random() < style.hand_rate


def _blank(rng: random.Random, style: Style) -> bool:
    return style.scanned and rng.random() < style.blank_rate


def _lower_first(text: str) -> str:
    """"Đăng ký khai sinh" -> "đăng ký khai sinh" (proper names inside keep their capitals)."""
    return text[:1].lower() + text[1:]


def iso(day: dt.date | None) -> str | None:
    """ISO date or None."""
    return day.isoformat() if day else None


def _finish(w: Writer, doc_type: str, title: str, fields: dict, hand: list[str], units=None) -> Doc:
    return Doc(doc_type, w.pages, fields, "\n".join(w.lines), title, sorted(set(hand)), w.boxes, units)


# ------------------------------------------------------------------ headers

def _number_segs(number: int, symbol: str, hand: bool, blank: bool) -> list[Seg]:
    """``Số: 123/QĐ-UBND``, with the number handwritten or left blank as on real letters."""
    rest = symbol[len(str(number)):]
    if blank:
        return [Seg("Số:"), Seg(" " * 8), Seg(rest)]
    if hand:
        return [Seg("Số: "), Seg(str(number), hand=True, key="doc_number"), Seg(rest, key="doc_number")]
    return [Seg("Số: "), Seg(symbol, key="doc_number")]


def _date_segs(place: str, day: dt.date, hand: bool, blank: bool) -> list[Seg]:
    """``<place>, ngày 05 tháng 3 năm 2020`` with the day handwritten or blank."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    tail = f" tháng {month} năm {day.year}"
    if blank:
        return [Seg(f"{place}, ngày", "italic"), Seg(" " * 7), Seg(tail.strip(), "italic")]
    if hand:
        return [Seg(f"{place}, ngày ", "italic"), Seg(f"{day.day:02d}", hand=True, key="signed_date"),
                Seg(tail, "italic", key="signed_date")]
    return [Seg(f"{place}, ", "italic"), Seg(f"ngày {day.day:02d}{tail}", "italic", key="signed_date")]


def letter_header(w: Writer, agency: fk.Agency, number_segs: list[Seg], date_segs: list[Seg] | None,
                  vv: str | None = None) -> None:
    """Nghị định 30/2020 header: agency block and number left, motto and place/date right."""
    left: list[tuple] = []
    if agency.parent:
        left.append((agency.parent, 0.92, "regular", False))
    if agency.name.startswith("ỦY BAN NHÂN DÂN ") and len(agency.name) > 24:
        # as on real letters: "ỦY BAN NHÂN DÂN" / "HUYỆN TƯ NGHĨA" on two lines
        left.append(([Seg("ỦY BAN NHÂN DÂN", "bold", key="issuing_agency")], 0.92, "bold", False))
        left.append(([Seg(agency.name[16:], "bold", key="issuing_agency")], 0.92, "bold", True))
    else:
        left.append(([Seg(agency.name, "bold", key="issuing_agency")], 0.92, "bold", True))
    left.append((number_segs, 0.95, "regular", False))
    if vv:
        left.append(([Seg(vv, key="subject")], 0.85, "regular", False))
    right = [(MOTTO, 0.92, "bold", "fit"), (MOTTO2, 0.98, "bold", "full")]
    w.columns(left, right)
    if date_segs:
        w.space(0.2)
        w.line(date_segs, w.body * 0.95, "right")
    w.space(0.6)


def motto_header(w: Writer) -> None:
    """Centred national motto (citizens' forms)."""
    w.line(MOTTO, w.body * 0.95, "center", style="bold")
    w.line(MOTTO2, w.body, "center", style="bold", underline="full")
    w.space(0.8)


def title(w: Writer, text: str, sub: str | None = None, key: str | None = None) -> None:
    """Bold centred title with an optional centred subtitle (the trích yếu)."""
    w.line(text, w.body * 1.1, "center", style="bold")
    if sub:
        for line in w.wrap([Seg(sub, "bold", key=key)], w.body, (w.right - w.left) * 0.85):
            w.line(line, w.body, "center")
        w.page.ops.append(Rule((w.left + w.right) / 2 - 25 * w.mm, w.y + 1, (w.left + w.right) / 2 + 25 * w.mm, w.y + 1))
    w.space(0.6)


def closing(w: Writer, recipients: list[str], titles: list[str], signer: str, stamp: str | None,
            signer_key: str | None = None, note: str | None = None) -> None:
    """Nơi nhận (left, small) then the signer block (right) at the same height."""
    w.ensure(w.body * 10)
    top, page = w.y, w.page
    x_mid = w.left + (w.right - w.left) * 0.45
    small = w.body * 0.8
    w.line([Seg("Nơi nhận:", "bold_italic")], small * 1.1, "left", w.left, x_mid)
    for r in recipients:
        w.line(f"- {r}", small, "left", w.left, x_mid)
    left_bottom = w.y
    w.y = top
    w.sign_block(titles, signer, stamp, x_mid, w.right, key=signer_key, note=note)
    if w.page is page:
        w.y = max(w.y, left_bottom)


# ------------------------------------------------------------------ official letters

_SUBJECTS = {
    "quyet_dinh": ("Về việc phê duyệt Kế hoạch cải cách hành chính năm {y} của {unit}",
                   "Về việc thành lập Tổ công tác triển khai Đề án 06 trên địa bàn {unit}",
                   "Về việc hỗ trợ kinh phí mai táng cho đối tượng bảo trợ xã hội",
                   "Về việc công bố danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của {unit}",
                   "Về việc giao chỉ tiêu kế hoạch phát triển kinh tế - xã hội năm {y}"),
    "cong_van": ("V/v triển khai thực hiện dịch vụ công trực tuyến toàn trình",
                 "V/v báo cáo tình hình giải quyết thủ tục hành chính quý {q} năm {y}",
                 "V/v tăng cường công tác phòng, chống thiên tai năm {y}",
                 "V/v góp ý dự thảo Kế hoạch số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"),
    "chi_thi": ("Về việc tăng cường kỷ luật, kỷ cương hành chính trong giải quyết thủ tục hành chính",
                "Về việc đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính trên địa bàn {unit}",
                "Về việc triển khai thực hiện mở rộng nộp thuế điện tử đối với cá nhân kinh doanh"),
    "thong_bao": ("Kết luận của Chủ tịch Ủy ban nhân dân tại cuộc họp giao ban tháng {m} năm {y}",
                  "Về việc tuyển dụng công chức cấp xã năm {y}",
                  "Về lịch tiếp công dân định kỳ của lãnh đạo {unit} năm {y}"),
    "bao_cao": ("Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm {y}",
                "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội quý {q} năm {y}",
                "Kết quả giải quyết thủ tục hành chính trên Hệ thống thông tin một cửa điện tử năm {y}"),
    "to_trinh": ("Về việc đề nghị phê duyệt dự toán kinh phí số hóa hồ sơ năm {y}",
                 "Về việc đề nghị công nhận xã đạt chuẩn nông thôn mới năm {y}",
                 "Về việc đề nghị ban hành Quy chế phối hợp giải quyết thủ tục hành chính liên thông"),
    "ke_hoach": ("Triển khai thực hiện Đề án 06 trên địa bàn {unit} năm {y}",
                 "Kiểm tra công tác cải cách hành chính năm {y}",
                 "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính giai đoạn {y} - {y2}"),
}
_TITLES = {"quyet_dinh": "QUYẾT ĐỊNH", "chi_thi": "CHỈ THỊ", "thong_bao": "THÔNG BÁO", "bao_cao": "BÁO CÁO",
           "to_trinh": "TỜ TRÌNH", "ke_hoach": "KẾ HOẠCH", "giay_phep_xay_dung": "GIẤY PHÉP XÂY DỰNG",
           "phieu_ly_lich_tu_phap": "PHIẾU LÝ LỊCH TƯ PHÁP"}
_SENTENCES = (
    "Thực hiện chỉ đạo của cấp trên về việc đẩy mạnh cải cách thủ tục hành chính, nâng cao chất lượng "
    "phục vụ người dân và doanh nghiệp.",
    "Các cơ quan, đơn vị có trách nhiệm tổ chức triển khai thực hiện nghiêm túc, hiệu quả các nhiệm vụ được giao.",
    "Tiếp tục rà soát, đơn giản hóa thủ tục hành chính, công khai đầy đủ, kịp thời trên Cổng dịch vụ công.",
    "Định kỳ hằng quý báo cáo kết quả thực hiện về Văn phòng Ủy ban nhân dân để tổng hợp, theo dõi.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời phản ánh để xem xét, giải quyết.",
    "Tỷ lệ hồ sơ được giải quyết đúng hạn đạt trên 98%, không có hồ sơ quá hạn do lỗi của cán bộ, công chức.",
    "Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính được thực hiện đồng bộ tại Bộ phận Một cửa các cấp.",
    "Bố trí đủ nguồn lực, trang thiết bị phục vụ công tác tiếp nhận, giải quyết hồ sơ trên môi trường điện tử.",
    "Tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công trực tuyến và thanh toán trực tuyến.",
    "Kinh phí thực hiện từ nguồn ngân sách nhà nước được giao trong dự toán năm và các nguồn hợp pháp khác.",
)
_BASES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
    "phương ngày 22 tháng 11 năm 2019;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế một cửa, "
    "một cửa liên thông trong giải quyết thủ tục hành chính;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
)


def _subject(rng: random.Random, doc_type: str, agency: fk.Agency, day: dt.date) -> str:
    unit = agency.unit.district if agency.level == "huyen" else (
        agency.unit.ward if agency.level == "xa" else agency.unit.province)
    return rng.choice(_SUBJECTS[doc_type]).format(y=day.year, y2=day.year + 2, q=rng.randint(1, 4),
                                                  m=day.month, unit=unit)


def _signer_titles(rng: random.Random, agency: fk.Agency) -> list[str]:
    org = "ỦY BAN NHÂN DÂN" if agency.short == "UBND" else agency.name
    if rng.random() < 0.5:
        return [f"TM. {org}", agency.signer_title]
    return [f"KT. {agency.signer_title}", f"PHÓ {agency.signer_title}"]


def official_letter(rng: random.Random, style: Style, doc_type: str, case: Case | None = None,
                    subject: str | None = None, body=None) -> Doc:
    """Any Nghị định 30/2020 letter: quyết định, công văn, chỉ thị, thông báo, báo cáo, tờ trình, kế hoạch.

    Permits and certificates reuse it with their own ``body(writer)`` and subtitle ``subject``."""
    from schemas.doctypes import get

    agency = case.agency if case else fk.make_agency(rng)
    signed = case.due if case else fk.random_date(rng, dt.date(2015, 1, 5), dt.date(2025, 6, 20))
    number, symbol = fk.doc_symbol(rng, agency, get(doc_type).symbol)
    hand_no, blank_no = _hand(rng, style), _blank(rng, style)
    hand_day, blank_day = _hand(rng, style), _blank(rng, style)
    subject = subject or _subject(rng, doc_type, agency, signed)
    w = _writer(style, rng)
    is_cv = doc_type == "cong_van"
    letter_header(w, agency, _number_segs(number, symbol, hand_no, blank_no),
                  _date_segs(agency.place, signed, hand_day, blank_day), subject if is_cv else None)
    if is_cv:
        w.line([Seg("Kính gửi: "), Seg(rng.choice(("Các sở, ban, ngành tỉnh;", "Ủy ban nhân dân các xã, thị trấn;",
                                                  "Văn phòng Ủy ban nhân dân tỉnh;")))], align="center")
        w.space(0.4)
    else:
        title(w, _TITLES[doc_type], subject, key="subject")
    if body:
        body(w)
    elif doc_type == "quyet_dinh":
        w.line(f"{'CHỦ TỊCH ' if rng.random() < 0.5 else ''}ỦY BAN NHÂN DÂN {agency.unit.province.upper()}"
               if agency.level == "tinh" else f"ỦY BAN NHÂN DÂN {agency.name.split('DÂN ', 1)[-1]}",
               align="center", style="bold")
        w.space(0.3)
        for base in rng.sample(_BASES, 3):
            w.paragraph(base, style="italic")
        w.paragraph(f"Theo đề nghị của Trưởng phòng {rng.choice(('Tư pháp', 'Nội vụ', 'Tài chính - Kế hoạch'))}.",
                    style="italic")
        w.line("QUYẾT ĐỊNH:", align="center", style="bold")
        for i, s in enumerate(rng.sample(_SENTENCES, 3), 1):
            w.paragraph([Seg(f"Điều {i}. ", "bold"), Seg(s)])
    else:
        long_text = doc_type in ("bao_cao", "ke_hoach") or rng.random() < 0.15
        for _ in range(rng.randint(6, 14) if long_text else rng.randint(2, 4)):
            w.paragraph(" ".join(rng.sample(_SENTENCES, rng.randint(1, 3))))
    signer = fk.person_name(rng, rng.choice(("Nam", "Nữ")))
    recipients = ["Như trên;", "Thường trực HĐND;", "CT, các PCT UBND;", f"Lưu: VT, {rng.choice(agency.departments)}."]
    if doc_type in ("bao_cao", "to_trinh"):
        recipients.insert(0, "Văn phòng UBND tỉnh;")
    closing(w, recipients, _signer_titles(rng, agency), signer, agency.name, "signer")
    fields = {
        "doc_number": None if blank_no else symbol,
        "issuing_agency": agency.name,
        "signed_date": None if blank_day else iso(signed),
        "subject": subject,
    }
    if doc_type == "quyet_dinh":
        fields["signer"] = signer
    hand = [k for k, flag in (("doc_number", hand_no and not blank_no), ("signed_date", hand_day and not blank_day))
            if flag]
    return _finish(w, doc_type, _TITLES.get(doc_type, "CÔNG VĂN"), fields, hand, agency.unit.codes)


# ------------------------------------------------------------------ one-stop forms

def _office_header(w: Writer, agency: fk.Agency, number: str | None, day: dt.date) -> None:
    """Header of one-stop forms: the agency's Bộ phận Một cửa, motto, place and date."""
    left = [(f"UBND {agency.name.split('DÂN ', 1)[-1]}" if agency.short == "UBND" else agency.name,
             0.85, "regular", False),
            ("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", 0.85, "bold", True)]
    if number:
        left.append((f"Số: {number}", 0.9, "regular", False))
    right = [(MOTTO, 0.85, "bold", "fit"), (MOTTO2, 0.92, "bold", "full")]
    w.columns(left, right)
    w.line([Seg(f"{agency.place}, ", "italic"), Seg(fk.date_words(day), "italic")], w.body * 0.9, "right")
    w.space(0.5)


_ATTACHMENTS = ("Tờ khai theo mẫu", "Bản sao Căn cước công dân", "Giấy tờ chứng minh nơi cư trú",
                "Giấy chứng sinh", "Bản chính Giấy khai sinh", "Giấy báo tử", "Bản vẽ thiết kế xây dựng",
                "Giấy chứng nhận quyền sử dụng đất")


def giay_tiep_nhan(rng: random.Random, style: Style, case: Case) -> Doc:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01, Thông tư 01/2018/TT-VPCP)."""
    p, a = case.person, case.agency
    w = _writer(style, rng)
    _office_header(w, a, f"{rng.randrange(1, 999)}/TNHS", case.received)
    title(w, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    w.line([Seg("Mã hồ sơ: ", "bold"), Seg(case.dossier_code, "bold", key="dossier_code")], align="center")
    w.line("(Liên: Lưu/giao người nộp hồ sơ)", w.body * 0.85, "center", style="italic")
    w.space(0.3)
    w.paragraph(f"Bộ phận tiếp nhận và trả kết quả {a.name.title().replace('Ủy Ban Nhân Dân', 'UBND')} "
                f"đã tiếp nhận hồ sơ của:", indent=0)
    w.field("Ông/Bà", p.full_name, "full_name", bold_value=True)
    w.field("Địa chỉ", p.address, "address")
    w.field("Số điện thoại", fk.format_phone(p.phone, rng), "phone")
    w.field("Nội dung yêu cầu giải quyết", case.procedure[1], "procedure_name")
    w.field("Mã thủ tục", case.procedure[0], "procedure_code")
    w.line("1. Thành phần hồ sơ nộp gồm:")
    docs = rng.sample(_ATTACHMENTS, rng.randint(2, 4))
    w.table(["STT", "Tên giấy tờ", "Số lượng"],
            [[str(i), d, f"{rng.randint(1, 2):02d}"] for i, d in enumerate(docs, 1)], [0.1, 0.7, 0.2])
    w.line("2. Số lượng hồ sơ: 01 (bộ)")
    days = sum(1 for i in range(1, (case.due - case.received).days + 1)
               if (case.received + dt.timedelta(days=i)).weekday() < 5)
    w.line(f"3. Thời gian giải quyết hồ sơ theo quy định: {days:02d} ngày làm việc")
    hour = f"{rng.randint(7, 16):02d} giờ {rng.choice((0, 15, 30, 45)):02d} phút"
    w.paragraph([Seg(f"4. Thời gian nhận hồ sơ: {hour}, ngày "),
                 Seg(fk.format_date(case.received, rng), key="received_date")], indent=0, gap=0.1)
    w.paragraph([Seg(f"5. Thời gian trả kết quả giải quyết hồ sơ: {rng.randint(7, 16):02d} giờ 00 phút, ngày "),
                 Seg(fk.format_date(case.due, rng), key="due_date")], indent=0, gap=0.1)
    w.line("6. Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả.")
    w.space(0.5)
    _two_signers(w, ("NGƯỜI NỘP HỒ SƠ", p.full_name), ("NGƯỜI TIẾP NHẬN HỒ SƠ", case.officer))
    fields = {"dossier_code": case.dossier_code, "full_name": p.full_name, "address": p.address,
              "phone": p.phone, "procedure_name": case.procedure[1], "received_date": iso(case.received),
              "due_date": iso(case.due), "procedure_code": case.procedure[0]}
    return _finish(w, "giay_tiep_nhan", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", fields, [], a.unit.codes)


def _two_signers(w: Writer, left: tuple[str, str], right: tuple[str, str]) -> None:
    """Two signature blocks side by side (applicant and officer)."""
    w.ensure(w.body * 8)
    top, page = w.y, w.page
    mid = (w.left + w.right) / 2
    w.sign_block([left[0]], left[1], None, w.left, mid, note="(Ký và ghi rõ họ tên)")
    bottom = w.y
    if w.page is page:
        w.y = top
    w.sign_block([right[0]], right[1], None, mid, w.right, note="(Ký và ghi rõ họ tên)")
    w.y = max(w.y, bottom)


def don_de_nghi(rng: random.Random, style: Style, case: Case) -> Doc:
    """The applicant's form (Đơn đề nghị / Tờ khai), sometimes filled in by hand."""
    p, a = case.person, case.agency
    titles = {
        "giay_khai_sinh": "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        "trich_luc_khai_tu": "TỜ KHAI ĐĂNG KÝ KHAI TỬ",
        "giay_phep_xay_dung": "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
        "phieu_ly_lich_tu_phap": "TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP",
    }
    doc_title = titles.get(case.procedure[3], f"ĐƠN ĐỀ NGHỊ {case.procedure[1].upper()}")
    by_hand = _hand(rng, style)
    signed = case.received - dt.timedelta(days=rng.randint(0, 3))
    w = _writer(style, rng)
    motto_header(w)
    for line in w.wrap([Seg(doc_title, "bold")], w.body * 1.1, w.right - w.left):
        w.line(line, w.body * 1.1, "center")
    w.space(0.4)
    w.line(f"Kính gửi: {a.name.title().replace('Ủy Ban Nhân Dân', 'Ủy ban nhân dân')}", align="center")
    w.space(0.4)
    rows = [("Họ, chữ đệm, tên người yêu cầu", p.full_name, "full_name"),
            ("Ngày, tháng, năm sinh", fk.format_date(p.date_of_birth, rng), "date_of_birth"),
            ("Giới tính", p.gender, "gender"),
            ("Số định danh cá nhân/CCCD" if p.id_kind == "cccd" else "Số CMND", fk.format_id(p.id_number, rng),
             "id_number"),
            ("Nơi cư trú", p.address, "address"),
            ("Số điện thoại", fk.format_phone(p.phone, rng), "phone")]
    for label, value, key in rows:
        w.field(label, value, key, hand=by_hand)
    w.space(0.3)
    w.paragraph(f"Đề nghị cơ quan có thẩm quyền giải quyết thủ tục {_lower_first(case.procedure[1])} cho tôi theo "
                "quy định của pháp luật.")
    w.paragraph("Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật "
                "về cam đoan của mình.")
    w.space(0.3)
    x_mid = w.left + (w.right - w.left) * 0.4
    w.line(_date_segs(p.home.ward_short, signed, False, False), w.body * 0.95, "center", x_mid, w.right)
    w.sign_block(["NGƯỜI YÊU CẦU"], p.full_name, None, x_mid, w.right, note="(Ký, ghi rõ họ, chữ đệm, tên)")
    fields = {"full_name": p.full_name, "date_of_birth": iso(p.date_of_birth), "id_number": p.id_number,
              "address": p.address, "signed_date": iso(signed), "gender": p.gender, "phone": p.phone}
    hand = [k for _, _, k in rows] if by_hand else []
    return _finish(w, "don_de_nghi", doc_title, fields, hand, p.home.codes)


def can_cuoc(rng: random.Random, style: Style, case: Case) -> Doc:
    """A photocopy of a CCCD (or old CMND) card, front and back, sometimes certified."""
    p = case.person
    w = _writer(style, rng)
    width = w.right - w.left
    height = width * 54 / 85.6
    x0, y0 = w.left, w.y + 4 * w.mm
    card = w.page
    card.ops.append(Box(x0, y0, x0 + width, y0 + height, (238, 242, 236)))
    for a, b, c, d in ((x0, y0, x0 + width, y0), (x0, y0 + height, x0 + width, y0 + height),
                       (x0, y0, x0, y0 + height), (x0 + width, y0, x0 + width, y0 + height)):
        card.ops.append(Rule(a, b, c, d, 1.0))
    photo_w = width * 0.24
    card.ops.append(Box(x0 + 4 * w.mm, y0 + height * 0.35, x0 + 4 * w.mm + photo_w, y0 + height * 0.35 + photo_w * 4 / 3,
                        (160, 165, 170)))
    small = w.body * 0.72
    w.y = y0 + 2 * w.mm
    w.line(MOTTO, small, "center", x0 + photo_w * 0.5, x0 + width, style="bold")
    w.line(MOTTO2, small, "center", x0 + photo_w * 0.5, x0 + width, style="bold")
    cccd = p.id_kind == "cccd"
    w.line("CĂN CƯỚC CÔNG DÂN" if cccd else "GIẤY CHỨNG MINH NHÂN DÂN", w.body * 0.95, "center",
           x0 + photo_w * 0.5, x0 + width, style="bold")
    fx = x0 + photo_w + 7 * w.mm
    w.line([Seg("Số / No.: " if cccd else "Số: "), Seg(p.id_number, "bold", key="id_number")], w.body * 0.9, "left", fx)
    name = p.full_name.upper()
    w.field("Họ và tên / Full name" if cccd else "Họ tên", name, "full_name", small, x0=fx, x1=x0 + width,
            bold_value=True)
    w.field("Ngày sinh / Date of birth" if cccd else "Sinh ngày", p.date_of_birth.strftime("%d/%m/%Y"),
            "date_of_birth", small, x0=fx, x1=x0 + width)
    if cccd:
        w.field("Giới tính / Sex", p.gender, "gender", small, x0=fx, x1=x0 + width)
        w.field("Quốc tịch / Nationality", "Việt Nam", None, small, x0=fx, x1=x0 + width)
    origin = f"{p.birth_unit.ward}, {p.birth_unit.district}, {p.birth_unit.province}"
    w.field("Quê quán / Place of origin" if cccd else "Nguyên quán", origin, None, small, x0=fx, x1=x0 + width)
    w.field("Nơi thường trú / Place of residence" if cccd else "Nơi ĐKHK thường trú", p.address, "address", small,
            x0=fx, x1=x0 + width)
    w.y = max(w.y, y0 + height) + 8 * w.mm
    issued = fk.random_date(rng, max(p.date_of_birth + dt.timedelta(days=14 * 365), dt.date(2016, 1, 1)),
                            dt.date(2024, 6, 30))
    back_top = w.y
    card.ops.append(Box(x0, back_top, x0 + width, back_top + height * 0.8, (238, 242, 236)))
    w.y = back_top + 3 * w.mm
    w.line("Đặc điểm nhân dạng / Personal identification: Nốt ruồi cách 2cm dưới đuôi mắt trái", small * 0.9,
           "left", x0 + 3 * w.mm, x0 + width)
    w.line(f"Ngày, tháng, năm / Date, month, year: {issued:%d/%m/%Y}", small * 0.9, "left", x0 + 3 * w.mm)
    w.line("CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", small * 0.8, "center",
           x0 + width * 0.3, x0 + width, style="bold")
    w.sign_block([], fk.person_name(rng, "Nam"), "BỘ CÔNG AN", x0 + width * 0.35, x0 + width)
    w.y = max(w.y, back_top + height * 0.8) + 6 * w.mm
    if style.scanned and rng.random() < 0.5:
        w.line("CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH", w.body * 0.85, "left", style="bold")
        w.line(f"Số chứng thực: {rng.randint(1, 900)} Quyển số: {rng.randint(1, 5):02d}/{issued.year}-SCT/BS",
               w.body * 0.8)
    fields = {"id_number": p.id_number, "full_name": name, "date_of_birth": iso(p.date_of_birth),
              "gender": p.gender if cccd else None, "address": p.address}
    return _finish(w, "can_cuoc", "CĂN CƯỚC CÔNG DÂN" if cccd else "CHỨNG MINH NHÂN DÂN", fields, [], p.home.codes)


def phieu_yeu_cau_bo_sung(rng: random.Random, style: Style, case: Case) -> Doc:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)."""
    p, a = case.person, case.agency
    signed = fk.add_working_days(case.received, rng.randint(0, 2))
    w = _writer(style, rng)
    _office_header(w, a, f"{rng.randrange(1, 500)}/PBS", signed)
    title(w, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    w.field("Hồ sơ của", p.full_name, "full_name", bold_value=True)
    w.field("Mã hồ sơ", case.dossier_code, "dossier_code")
    w.field("Nội dung yêu cầu giải quyết", case.procedure[1], "procedure_name")
    w.paragraph(f"Ngày {fk.format_date(case.received, rng)}, Bộ phận tiếp nhận và trả kết quả đã tiếp nhận hồ sơ "
                "của ông/bà. Sau khi xem xét, đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
    for i, item in enumerate(rng.sample(_ATTACHMENTS, 2), 1):
        w.line(f"{i}. {item} (bản sao có chứng thực).")
    w.field("Lý do", rng.choice(("Thành phần hồ sơ chưa đầy đủ theo quy định.",
                                 "Thông tin trên tờ khai không khớp với giấy tờ tùy thân.")), None)
    w.paragraph("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ số điện thoại "
                f"{fk.format_phone(fk.phone_number(rng), rng)} để được hướng dẫn.")
    w.space(0.5)
    w.sign_block(["NGƯỜI TIẾP NHẬN HỒ SƠ"], case.officer, None, note="(Ký và ghi rõ họ tên)")
    fields = {"dossier_code": case.dossier_code, "full_name": p.full_name, "signed_date": iso(signed),
              "procedure_name": case.procedure[1]}
    return _finish(w, "phieu_yeu_cau_bo_sung", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", fields, [],
                   a.unit.codes)


def phieu_kiem_soat(rng: random.Random, style: Style, case: Case) -> Doc:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 03) with its hand-over table."""
    p, a = case.person, case.agency
    w = _writer(style, rng)
    _office_header(w, a, None, case.received)
    title(w, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")
    w.line([Seg("Mã hồ sơ: ", "bold"), Seg(case.dossier_code, "bold", key="dossier_code")], align="center")
    w.line("(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)", w.body * 0.85, "center", style="italic")
    w.space(0.3)
    w.field("Tên người nộp hồ sơ", p.full_name, "full_name")
    w.field("Cơ quan (bộ phận) giải quyết hồ sơ", rng.choice(("Phòng Tư pháp", "Công chức Tư pháp - Hộ tịch",
                                                              "Phòng Quản lý đô thị", "Phòng Lao động - TB&XH")),
            None)
    w.field("Ngày nhận hồ sơ", fk.format_date(case.received, rng), "received_date")
    w.field("Ngày hẹn trả kết quả", fk.format_date(case.due, rng), "due_date")
    mid = fk.add_working_days(case.received, 1) if case.due > case.received else case.received
    rows = [["1. Giao: Bộ phận TN&TKQ\n2. Nhận: Phòng chuyên môn",
             f"08 giờ 00 phút, ngày {mid:%d/%m/%Y}", "Đúng hạn", ""],
            ["1. Giao: Phòng chuyên môn\n2. Nhận: Lãnh đạo UBND", f"14 giờ 30 phút, ngày {case.due:%d/%m/%Y}",
             rng.choice(("Đúng hạn", "Trước hạn")), ""]]
    rows = [[c.replace("\n", " ") for c in r] for r in rows]
    w.table(["TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ", "KẾT QUẢ GIẢI QUYẾT", "GHI CHÚ"], rows,
            [0.34, 0.3, 0.22, 0.14], w.body * 0.8)
    fields = {"dossier_code": case.dossier_code, "full_name": p.full_name, "received_date": iso(case.received),
              "due_date": iso(case.due)}
    return _finish(w, "phieu_kiem_soat", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", fields, [], a.unit.codes)


def _civil_header(w: Writer, agency: fk.Agency, reg_no: str, book: str, hand: bool) -> None:
    """Hộ tịch header: the commune committee and Số / Quyển số left, motto right."""
    district = agency.unit.district
    left = [(agency.name, 0.85, "bold", True),
            (f"{district}, {agency.unit.province}", 0.8, "regular", False),
            ([Seg("Số: "), Seg(reg_no, hand=hand, key="registration_number")], 0.9, "regular", False),
            (f"Quyển số: {book}", 0.85, "regular", False)]
    right = [(MOTTO, 0.85, "bold", "fit"), (MOTTO2, 0.92, "bold", "full")]
    w.columns(left, right)
    w.space(0.6)


def giay_khai_sinh(rng: random.Random, style: Style, case: Case) -> Doc:
    """Giấy khai sinh (bản chính) of the applicant's child, registered by the commune."""
    parent, a = case.person, case.agency
    gender = rng.choice(("Nam", "Nữ"))
    born = case.received - dt.timedelta(days=rng.randint(3, 55))
    child = fk.make_person(rng, (born.year, born.year), gender, cmnd_rate=0.0)
    surname = parent.full_name.split()[0]
    name = " ".join([surname] + child.full_name.split()[1:])
    id_number = fk.cccd_number(rng, parent.home.province_code, gender, born)
    reg_no = str(rng.randint(1, 400))
    hand = _hand(rng, style)
    w = _writer(style, rng)
    _civil_header(w, a, reg_no, f"{rng.randint(1, 3):02d}/{case.received.year}", hand)
    title(w, "GIẤY KHAI SINH")
    w.line("(Bản chính)", w.body * 0.85, "center", style="italic")
    w.field("Họ, chữ đệm, tên", name.upper(), "full_name", bold_value=True)
    w.field("Ngày, tháng, năm sinh", f"{born:%d/%m/%Y}", "date_of_birth")
    w.line([Seg("Giới tính: "), Seg(gender, key="gender"), Seg("   Dân tộc: Kinh   Quốc tịch: Việt Nam")])
    place = rng.choice((f"Trạm Y tế {a.unit.ward}, {a.unit.district}, {a.unit.province}",
                        f"Bệnh viện Đa khoa {a.unit.province}"))
    w.field("Nơi sinh", place, "place_of_birth")
    w.field("Quê quán", f"{parent.birth_unit.district}, {parent.birth_unit.province}", None)
    w.field("Số định danh cá nhân", id_number, "id_number")
    other = fk.person_name(rng, "Nữ" if parent.gender == "Nam" else "Nam")
    mother, father = (other, parent.full_name) if parent.gender == "Nam" else (parent.full_name, other)
    w.field("Họ, chữ đệm, tên người mẹ", mother, None)
    w.field("Năm sinh", str(rng.randint(1980, 2000)), None)
    w.field("Nơi cư trú", parent.address, None)
    w.field("Họ, chữ đệm, tên người cha", father, None)
    w.field("Năm sinh", str(rng.randint(1978, 1998)), None)
    w.field("Nơi đăng ký khai sinh", a.name.title().replace("Ủy Ban Nhân Dân", "Ủy ban nhân dân"), None)
    w.field("Ngày, tháng, năm đăng ký", f"{case.due:%d/%m/%Y}", None)
    w.space(0.4)
    w.sign_block(["NGƯỜI KÝ GIẤY KHAI SINH"], fk.person_name(rng, rng.choice(("Nam", "Nữ"))), a.name,
                 note="(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)")
    fields = {"full_name": name.upper(), "date_of_birth": iso(born), "gender": gender, "place_of_birth": place,
              "registration_number": reg_no, "id_number": id_number}
    return _finish(w, "giay_khai_sinh", "GIẤY KHAI SINH", fields, ["registration_number"] if hand else [],
                   a.unit.codes)


def trich_luc_khai_tu(rng: random.Random, style: Style, case: Case) -> Doc:
    """Trích lục khai tử of the applicant's relative."""
    a = case.agency
    dead = fk.make_person(rng, (1925, 1965))
    died = case.received - dt.timedelta(days=rng.randint(1, 25))
    reg_no = str(rng.randint(1, 300))
    hand = _hand(rng, style)
    w = _writer(style, rng)
    _civil_header(w, a, reg_no, f"{rng.randint(1, 3):02d}/{died.year}", hand)
    title(w, "TRÍCH LỤC KHAI TỬ")
    w.line("(Bản chính)", w.body * 0.85, "center", style="italic")
    w.field("Họ, chữ đệm, tên", dead.full_name.upper(), "full_name", bold_value=True)
    w.field("Ngày, tháng, năm sinh", f"{dead.date_of_birth:%d/%m/%Y}", None)
    w.line(f"Giới tính: {dead.gender}   Dân tộc: Kinh   Quốc tịch: Việt Nam")
    w.field("Giấy tờ tùy thân", f"{'CCCD' if dead.id_kind == 'cccd' else 'CMND'} số {dead.id_number}", None)
    w.field("Nơi cư trú cuối cùng", dead.address, None)
    hour = f"{rng.randint(0, 23):02d} giờ {rng.randint(0, 59):02d} phút"
    w.line([Seg(f"Đã chết vào lúc: {hour}, ngày "), Seg(f"{died:%d/%m/%Y}", key="date_of_death")])
    place = rng.choice((f"Tại nhà, {dead.address}", f"Bệnh viện Đa khoa {dead.home.province}"))
    w.field("Nơi chết", place, "place_of_death")
    w.field("Nguyên nhân chết", rng.choice(("Bệnh", "Già yếu", "Tai nạn")), None)
    w.field("Nơi đăng ký khai tử", a.name.title().replace("Ủy Ban Nhân Dân", "Ủy ban nhân dân"), None)
    w.field("Ngày, tháng, năm đăng ký", f"{case.due:%d/%m/%Y}", None)
    w.space(0.4)
    w.sign_block(["NGƯỜI KÝ TRÍCH LỤC"], fk.person_name(rng, rng.choice(("Nam", "Nữ"))), a.name,
                 note="(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)")
    fields = {"full_name": dead.full_name.upper(), "date_of_death": iso(died), "place_of_death": place,
              "registration_number": reg_no}
    return _finish(w, "trich_luc_khai_tu", "TRÍCH LỤC KHAI TỬ", fields, ["registration_number"] if hand else [],
                   a.unit.codes)


def _permit_body(rng: random.Random, case: Case, site: str):
    def body(w: Writer) -> None:
        p = case.person
        w.field("1. Cấp cho", f"Ông/Bà {p.full_name}", None)
        w.field("- Địa chỉ", p.address, "address")
        w.line("2. Được phép xây dựng công trình: Nhà ở riêng lẻ.")
        w.field("- Vị trí xây dựng", site, "construction_site")
        w.line(f"- Cốt nền xây dựng công trình: +{rng.randint(20, 60) / 100:.2f} m".replace(".", ","))
        w.line(f"- Mật độ xây dựng: {rng.randint(60, 90)}%; hệ số sử dụng đất: {rng.randint(20, 45) / 10}")
        w.line(f"- Chiều cao công trình: {rng.randint(70, 160) / 10} m; số tầng: {rng.randint(1, 5)}")
        w.paragraph("3. Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp; "
                    "quá thời hạn trên thì phải đề nghị gia hạn giấy phép xây dựng.")
    return body


def giay_phep_xay_dung(rng: random.Random, style: Style, case: Case) -> Doc:
    """Giấy phép xây dựng nhà ở riêng lẻ, issued by the district committee."""
    p = case.person
    site_unit = fk.pick_unit(rng, case.agency.unit.province_code)
    site = (f"Thửa đất số {rng.randint(1, 900)}, tờ bản đồ số {rng.randint(1, 80)}, {site_unit.ward}, "
            f"{site_unit.district}, {site_unit.province}")
    doc = official_letter(rng, style, "giay_phep_xay_dung", case, "(Sử dụng cho nhà ở riêng lẻ)",
                          _permit_body(rng, case, site))
    fields = {"doc_number": doc.fields["doc_number"], "full_name": p.full_name, "address": p.address,
              "construction_site": site, "signed_date": doc.fields["signed_date"],
              "issuing_agency": doc.fields["issuing_agency"]}
    return Doc("giay_phep_xay_dung", doc.pages, fields, doc.text, "GIẤY PHÉP XÂY DỰNG", doc.handwritten,
               {k: v for k, v in doc.boxes.items() if k != "subject"}, doc.units)


def _lltp_body(rng: random.Random, case: Case):
    def body(w: Writer) -> None:
        p = case.person
        w.field("Họ và tên", p.full_name, "full_name", bold_value=True)
        w.field("Giới tính", p.gender, "gender")
        w.field("Ngày, tháng, năm sinh", f"{p.date_of_birth:%d/%m/%Y}", "date_of_birth")
        w.field("Nơi sinh", p.birth_unit.province, None)
        w.line("Quốc tịch: Việt Nam   Dân tộc: Kinh")
        w.field("Nơi cư trú", p.address, "address")
        w.line([Seg("Giấy CCCD/CMND: Số " if p.id_kind == "cccd" else "Giấy CMND: Số "),
                Seg(p.id_number, key="id_number")])
        w.line("TÌNH TRẠNG ÁN TÍCH: Không có án tích.", style="bold")
        w.paragraph("THÔNG TIN VỀ VIỆC CẤM ĐẢM NHIỆM CHỨC VỤ, THÀNH LẬP, QUẢN LÝ DOANH NGHIỆP, HỢP TÁC XÃ: "
                    "Không bị cấm đảm nhiệm chức vụ, thành lập, quản lý doanh nghiệp, hợp tác xã.", indent=0)
    return body


def phieu_ly_lich_tu_phap(rng: random.Random, style: Style, case: Case) -> Doc:
    """Phiếu lý lịch tư pháp số 1, issued by the provincial Department of Justice."""
    p = case.person
    unit = case.agency.unit
    agency = fk.Agency(f"UBND {unit.province.upper()}", "SỞ TƯ PHÁP", "STP", unit.province_short, unit, "tinh",
                       case.agency.e_id, "GIÁM ĐỐC", ("HCTP", "LLTP"))
    doc = official_letter(rng, style, "phieu_ly_lich_tu_phap", tp_case(case, agency), "SỐ 1",
                          _lltp_body(rng, case))
    fields = {"doc_number": doc.fields["doc_number"], "full_name": p.full_name,
              "date_of_birth": iso(p.date_of_birth), "id_number": p.id_number,
              "issuing_agency": doc.fields["issuing_agency"], "signed_date": doc.fields["signed_date"]}
    return Doc("phieu_ly_lich_tu_phap", doc.pages, fields, doc.text, "PHIẾU LÝ LỊCH TƯ PHÁP", doc.handwritten,
               {k: v for k, v in doc.boxes.items() if k != "subject"}, doc.units)


def tp_case(case: Case, agency: fk.Agency) -> Case:
    """The same dossier handled by another agency."""
    return Case(case.person, agency, case.procedure, case.received, case.due, case.dossier_code, case.officer)


def khac(rng: random.Random, style: Style, case: Case) -> Doc:
    """Something that is none of the catalogue's types: a fee receipt or a house lease. (Not a letter
    of authorisation: the catalogue counts "GIẤY ỦY QUYỀN" among citizens' applications, as the form
    family ``kltn:38_giay_uy_quyen`` does; a ``khac`` document under that title contradicted it.)"""
    p, a = case.person, case.agency
    w = _writer(style, rng)
    if rng.random() < 0.5:
        w.line(a.name, w.body * 0.85, "left", style="bold")
        w.line(f"Mẫu số: 01BLP2-001   Ký hiệu: AA/{case.received:%y}P   Số: {rng.randint(1, 99999):07d}",
               w.body * 0.8)
        w.space(0.5)
        w.line("BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ", w.body * 1.1, "center", style="bold")
        w.line("Liên 2: Giao cho người nộp tiền", w.body * 0.85, "center", style="italic")
        w.space(0.4)
        w.field("Tên đơn vị hoặc người nộp tiền", p.full_name, None)
        w.field("Địa chỉ", p.address, None)
        w.field("Nội dung thu", f"Lệ phí {_lower_first(case.procedure[1])}", None)
        amount = rng.choice((8000, 10000, 50000, 75000, 100000, 200000))
        w.field("Số tiền", f"{amount:,} đồng".replace(",", "."), None)
        w.space(0.5)
        w.sign_block(["NGƯỜI THU TIỀN"], case.officer, None, note="(Ký, ghi rõ họ tên)")
        doc_title = "BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ"
    else:
        motto_header(w)
        w.line("HỢP ĐỒNG THUÊ NHÀ Ở", w.body * 1.1, "center", style="bold")
        w.space(0.4)
        other = fk.make_person(rng)
        w.paragraph(f"Bên cho thuê (Bên A): {p.full_name}, sinh ngày {p.date_of_birth:%d/%m/%Y}, cư trú tại {p.address}.")
        w.paragraph(f"Bên thuê (Bên B): {other.full_name}, sinh ngày {other.date_of_birth:%d/%m/%Y}; "
                    f"nộp kèm hồ sơ thủ tục {_lower_first(case.procedure[1])}.")
        w.paragraph("Hai bên thỏa thuận thời hạn thuê 12 tháng, giá thuê và phương thức thanh toán như đã thống nhất.")
        w.space(0.5)
        mid = (w.left + w.right) / 2
        w.ensure(w.body * 8)
        top = w.y
        w.sign_block(["BÊN CHO THUÊ"], p.full_name, None, w.left, mid)
        w.y = top
        w.sign_block(["BÊN THUÊ"], other.full_name, None, mid, w.right)
        doc_title = "HỢP ĐỒNG THUÊ NHÀ Ở"
    return _finish(w, "khac", doc_title, {}, [], a.unit.codes)
