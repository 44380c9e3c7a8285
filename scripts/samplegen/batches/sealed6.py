"""Rules of Part 6's "sealed6" forms (branch p6tmpl2): 30, 54, 59, 61 of ``forms/extra/``.

Their wording asks things no other form asks (a land plot, a tax period, an employer's payments),
and some of it reads otherwise on the other forms ("Địa chỉ" of the income payer, "ngày … tháng …
năm … số … quyển số" of a past registration, "Họ và tên" of a foreign employee), so these rules
apply to these four only (:class:`Sealed6`): every other family renders byte for byte as before.
Each rule is keyed by the form's stem.

- 30 (ĐƠN …, an application for land): the citizen writes what is asked into the title ("ĐƠN XIN
  GIAO ĐẤT" / "… THUÊ ĐẤT" / "… CHUYỂN MỤC ĐÍCH SỬ DỤNG ĐẤT"); item 1 names the applicant and, on
  the line of dots below it, the identity paper as the form's footnote asks ("CCCD số … cấp ngày
  …"); the addressee is the district's people's committee; the plot, area, use and term follow the
  title; "Địa chỉ liên hệ" is "Như trên" or the address again.
- 54 (TỜ KHAI ĐĂNG KÝ CHẤM DỨT GIÁM HỘ): the requester, then the guardian and the ward (other
  people; the ward is 18 when the reason is coming of age, a child otherwise); the guardianship's
  registration (office, date, number, book) is past, not the signing date.
- 59 (TỜ KHAI THUẾ THU NHẬP CÁ NHÂN): the bracketed codes are the form's ("[04]"), never
  renumbered; a month or a quarter of the year before signing; the taxpayer's name, tax code,
  address (all of it on [06], district and province again on [07], [08]) and phone; then the
  income payer's (an organisation: its tax code, address) and, on some, a tax agent's. No signing
  date is printed on this form.
- 61 (THƯ XÁC NHẬN THU NHẬP): an employer's letter; "1. Họ và tên" is the person confirmed (often
  a foreigner working in Việt Nam: a foreign name), the truth; income of the year before signing,
  in đồng, the part in Việt Nam and abroad adding up; the letter is signed by the employer's
  representative (another person) under the form's own signature heading.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from typing import TYPE_CHECKING

from .. import fakedata as fk
from .base import Batch, Blank, date_text

if TYPE_CHECKING:
    from ..formfamilies import Filler, FormFamily

FORMS = frozenset({"30_don_xin_giao_dat", "54_TK_DK_cham_dut_giam_ho", "59_to_khai_thue_thu_nhap_ca_nhan",
                   "61_xac_nhan_thu_nhap"})
# Form 30 prints its title as "ĐƠN …" for the applicant to complete.
TITLES = {"30_don_xin_giao_dat": "ĐƠN XIN GIAO ĐẤT"}
_LAND_TITLES = ("ĐƠN XIN GIAO ĐẤT", "ĐƠN XIN THUÊ ĐẤT", "ĐƠN XIN CHUYỂN MỤC ĐÍCH SỬ DỤNG ĐẤT")
_BLANK_LINE = re.compile(r"[.…_]{5,}")

# label words (lower case) -> role, per form, most specific first
_ROLES: dict[str, tuple[tuple[str, str], ...]] = {
    "30_don_xin_giao_dat": (
        ("kính gửi", "s6_district_committee"), ("người xin giao đất", "name"), ("địa chỉ liên hệ", "s6_contact"),
        ("địa chỉ/trụ sở", "address"), ("địa điểm khu đất", "s6_land_site"), ("diện tích", "s6_area"),
        ("mục đích", "s6_land_use"), ("thời hạn sử dụng", "s6_land_term"), ("cam kết khác", "s6_none"),
    ),
    "54_TK_DK_cham_dut_giam_ho": (
        ("kính gửi", "s6_commune_committee"), ("tên người yêu cầu", "name"), ("nơi cư trú", "s6_residence"),
        ("đã đăng ký giám hộ tại", "s6_registered_at"), ("quyển số", "s6_book"),
        ("lý do chấm dứt", "s6_end_reason"), ("giấy khai sinh/", "s6_birth_paper"),
    ),
    "59_to_khai_thue_thu_nhap_ca_nhan": (
        ("kỳ tính thuế", "s6_tax_month"), ("tên người nộp thuế", "name"), ("tên tổ chức trả thu nhập", "s6_payer"),
        ("tên đại lý thuế", "s6_agent"), ("mã số thuế", "s6_tax_code"), ("địa chỉ", "s6_address"),
        ("quận/huyện", "s6_district"), ("tỉnh/thành phố", "s6_province"), ("điện thoại", "phone"),
        ("fax", "s6_none"), ("email", "s6_email"), ("hợp đồng đại lý thuế", "s6_agent_contract"),
    ),
    "61_xac_nhan_thu_nhap": (
        ("thay mặt tổ chức", "s6_payer"), ("họ và tên", "s6_employee"), ("chức vụ", "s6_position"),
        ("ngày đến việt nam", "s6_arrival"), ("giai đoạn từ ngày", "s6_income_year"),
        ("đến ngày 31 tháng 12 năm", "s6_income_year"), ("trả, số tiền là", "s6_rent"), ("là do", "s6_rent_payer"),
        ("tiền thuê nhà cho ông/bà", "s6_same_name"), ("số tiền là", "s6_total"), ("tại việt nam", "s6_income_vn"),
        ("tại nước ngoài", "s6_income_abroad"), ("khấu trừ ngoài việt nam", "s6_none"),
        ("thuế thu nhập cá nhân", "s6_tax_abroad"), ("bảo hiểm xã hội", "s6_insurance_abroad"),
        ("khấu trừ khác", "s6_other_deduction"), ("hợp đồng lao động số", "s6_contract_no"),
    ),
}
# A blank whose label is empty or only a word or two takes its role from the blank before it on
# the same line ("… đất ………… / ………" of form 30, "Tháng … năm … /Quý … năm …" of form 59).
_NEXT = {"name": "s6_id_details", "s6_registered_at": "s6_registered_on", "s6_registered_on": "s6_reg_no",
         "s6_tax_month": "s6_tax_month_year", "s6_tax_month_year": "s6_quarter", "s6_quarter": "s6_quarter_year",
         "s6_quarter_year": "s6_from", "s6_from": "s6_to", "s6_agent_contract": "s6_agent_contract_date",
         "s6_contract_no": "s6_contract_date"}


def _role(stem: str, label: str, prev: str | None) -> str | None:
    """The blank's role on one of the four, or None for the common table's reading (``prev``: the
    role of the blank before it on the line)."""
    key = " ".join(label.casefold().split())
    bare = re.sub(r"^\s*(?:\[\d\d\]|\d{1,2}[.)]|[a-e][.)])\s*", "", key).strip().rstrip(":").strip()
    if stem == "61_xac_nhan_thu_nhap" and bare == "năm":
        return "s6_income_year"  # "Năm ……" under the title: the income's year
    follows = prev in _NEXT and (prev != "name" or stem == "30_don_xin_giao_dat")
    if follows and len(bare) <= 12 and not any(words in key for words, _ in _ROLES[stem]):
        return _NEXT[prev]
    return next((found for words, found in _ROLES[stem] if words in key), None)


# ---------------------------------------------------------------- values

def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _round(amount: float, unit: int = 100_000) -> int:
    return int(amount // unit * unit)


def _signed_year(f) -> int:
    return f.case.received.year


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


_COMPANIES = ("Công ty TNHH Điện tử Samsung Việt Nam", "Công ty TNHH Canon Việt Nam", "Công ty CP Tập đoàn Hòa Phát",
              "Công ty TNHH Phần mềm FPT", "Công ty TNHH Bosch Việt Nam", "Công ty TNHH Thương mại An Khang",
              "Công ty CP Xây dựng Hòa Bình", "Văn phòng đại diện Toyota Tsusho tại Hà Nội")
_FOREIGN = {"Nam": ("John Smith", "KIM MIN JUN", "TANAKA HIROSHI", "David Miller", "LEE SANG HOON", "WANG WEI",
                    "Michael Brown", "PARK JI HOON", "SATO KENJI", "Peter Schneider"),
            "Nữ": ("Emily Johnson", "KIM JI YEON", "SUZUKI YUKI", "LIU YANG", "Sarah Wilson", "CHOI SOO JIN",
                   "Anna Müller", "NGUYEN THI MAI ANH")}


def _land(f) -> dict:
    """Form 30's request, decided by the title the applicant wrote."""
    if "kind" not in f.notes:
        f.notes["kind"] = f.rng.choice(("giao", "thue", "chuyen"))
    return f.notes


def _district_committee(f, label, date_blank):
    return _lower_first(f.person.home.district), None


def _id_details(f, label, date_blank):
    p, rng = f.person, f.rng
    kind = "CCCD" if p.id_kind == "cccd" else "CMND"
    last = f.case.received - dt.timedelta(days=60)
    # a person who turned 14 within the last two months of the case had the card issued then
    issued = fk.random_date(rng, min(dt.date(max(p.date_of_birth.year + 14, 2008), 1, 1), last), last)
    issuer = "Cục Cảnh sát QLHC về TTXH" if kind == "CCCD" else f"Công an {p.birth_unit.province_short}"
    text = rng.choice((f"{kind} số {p.id_number} cấp ngày {fk.format_date(issued, rng)} tại {issuer}",
                       f"Số {kind}: {p.id_number}, ngày cấp {fk.format_date(issued, rng)}, nơi cấp {issuer}",
                       f"{kind} số {p.id_number} do {issuer} cấp ngày {fk.format_date(issued, rng)}"))
    return f._truth("id_number", text, p.id_number)


def _contact(f, label, date_blank):
    p = f.person
    return (f.rng.choice(("Như trên", p.address)), None)


def _land_site(f, label, date_blank):
    p, rng = f.person, f.rng
    village = rng.choice(("Tổ dân phố", "Khu phố") if p.home.ward_type == "Phường" else ("Thôn", "Xóm", "Ấp"))
    village += f" {rng.randint(1, 12)}"
    return (f"Thửa đất số {rng.randint(12, 980)}, tờ bản đồ số {rng.randint(1, 45)}, {village}, "
            f"{p.home.ward}, {p.home.district}, {p.home.province}"), None


def _area(f, label, date_blank):
    area = f.rng.choice((f.rng.randint(8, 40) * 10, f.rng.randint(60, 400), f.rng.randint(10, 60) * 100))
    text = _money(area)
    return f.rng.choice((text, f"{text} m2", f"{text}m²")), None


def _land_use(f, label, date_blank):
    kind, rng = _land(f)["kind"], f.rng
    if kind == "thue":
        return rng.choice(("Sản xuất nông nghiệp", "Làm mặt bằng sản xuất, kinh doanh", "Nuôi trồng thủy sản")), None
    if kind == "chuyen":
        home = "Đất ở tại đô thị" if f.person.home.ward_type == "Phường" else "Đất ở tại nông thôn"
        return rng.choice((home, "Đất ở", f"Chuyển từ đất trồng cây lâu năm sang {_lower_first(home)}")), None
    return rng.choice(("Làm nhà ở", "Đất ở", "Sản xuất nông nghiệp")), None


def _land_term(f, label, date_blank):
    kind, rng = _land(f)["kind"], f.rng
    if kind == "thue":
        return rng.choice(("20 năm", "50 năm", "30 năm")), None
    return rng.choice(("Lâu dài", "Lâu dài", "50 năm")), None


def _commune_committee(f, label, date_blank):
    return "Ủy ban nhân dân " + _lower_first(f.case.person.home.ward), None


def _residence(f, label, date_blank):
    if "guardian_address" in f.notes and f.rng.random() < 0.7:
        return f.notes["guardian_address"], None  # the ward's, not the requester's: no truth
    return f.value("address", label, date_blank)


def _registered_at(f, label, date_blank):
    return "Ủy ban nhân dân " + _lower_first(f.case.person.home.ward), None


def _registered_on(f, label, date_blank):
    received = f.case.received
    born = f.person.date_of_birth  # the ward's: the guardianship began after the birth
    start = max(received - dt.timedelta(days=12 * 365), born + dt.timedelta(days=60))
    day = fk.random_date(f.rng, start, max(start, received - dt.timedelta(days=400)))
    f.notes["registered_year"] = day.year
    return date_text(f, day, date_blank), None


def _reg_no(f, label, date_blank):
    return str(f.rng.randint(1, 120)), None


def _book(f, label, date_blank):
    return f"{f.rng.randint(1, 3):02d}/{f.notes.get('registered_year', f.case.received.year - 3)}", None


def _end_reason(f, label, date_blank):
    return f.notes.get("end_reason", "Người được giám hộ đã thành niên"), None


def _birth_paper(f, label, date_blank):
    p = f.person  # the ward
    if f.notes.get("minor"):
        number, book = f.rng.randint(1, 300), f.rng.randint(1, 3)
        return f"Giấy khai sinh số {number}, quyển số {book:02d}/{p.date_of_birth.year}", None
    return f"{'CCCD' if p.id_kind == 'cccd' else 'CMND'} số {p.id_number}", None


# form 59
def _period(f) -> dict:
    late = f.notes
    if "period" not in late:
        signed = f.case.received
        if f.rng.random() < 0.6:
            month = signed.replace(day=1) - dt.timedelta(days=1)
            late["period"] = ("month", month.month, month.year)
        else:
            quarter = (signed.month - 1) // 3  # the quarter before the signing's
            year = signed.year if quarter else signed.year - 1
            late["period"] = ("quarter", quarter or 4, year)
    return late["period"]


def _tax_part(part: str):
    def value(f, label, date_blank):
        kind, number, year = _period(f)
        if part == "month":
            return (f"{number:02d}" if kind == "month" else None), None
        if part == "quarter":
            return (str(number) if kind == "quarter" else None), None
        if part == "month_year":
            return (str(year) if kind == "month" else None), None
        if part == "quarter_year":
            return (str(year) if kind == "quarter" else None), None
        if kind != "quarter":
            return None, None
        first = 3 * (number - 1) + 1
        return (f"{first:02d}/{year}" if part == "from" else f"{first + 2:02d}/{year}"), None
    return value


def _section(f, name: str, unit: fk.Unit | None = None) -> None:
    f.notes["section"] = name
    if unit is not None:
        f.notes["unit"] = unit


def _payer(f, label, date_blank):
    name = f.rng.choice(_COMPANIES)
    f.notes["payer"] = name
    _section(f, "payer", fk.pick_unit(f.rng))
    return name, None


def _agent(f, label, date_blank):
    if f.rng.random() < 0.75:
        _section(f, "none")
        return None, None
    _section(f, "agent", fk.pick_unit(f.rng))
    return f.rng.choice(("Công ty TNHH Đại lý thuế Minh Tâm", "Công ty TNHH Tư vấn thuế An Phát",
                         "Đại lý thuế Hoàng Gia")), None


def _tax_code(f, label, date_blank):
    if f.notes.get("section") == "none":
        return None, None
    return str(f.rng.randrange(10 ** 9, 10 ** 10)), None


def _tax_address(f, label, date_blank):
    section = f.notes.get("section", "person")
    if section == "person":
        return f.value("address", label, date_blank)
    if section == "none":
        return None, None
    return fk.street_address(f.rng, f.notes["unit"]), None


def _unit(f) -> fk.Unit | None:
    section = f.notes.get("section", "person")
    return f.person.home if section == "person" else None if section == "none" else f.notes["unit"]


def _tax_district(f, label, date_blank):
    unit = _unit(f)
    return (unit.district_short if unit and f.rng.random() < 0.5 else unit.district if unit else None), None


def _tax_province(f, label, date_blank):
    unit = _unit(f)
    return (unit.province_short if unit and f.rng.random() < 0.5 else unit.province if unit else None), None


def _email(f, label, date_blank):
    if f.rng.random() < 0.6:
        return None, None
    words = _ascii(f.person.full_name).lower().split()
    return f"{words[-1]}{words[0]}{f.rng.randint(70, 99)}@gmail.com", None


def _ascii(text: str) -> str:
    import unicodedata
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _agent_contract(f, label, date_blank):
    if f.notes.get("section") != "agent":
        return None, None
    return f"{f.rng.randint(1, 99):02d}/{_signed_year(f) - 1}/HĐĐLT", None


def _agent_contract_date(f, label, date_blank):
    if f.notes.get("section") != "agent":
        return None, None
    day = fk.random_date(f.rng, dt.date(_signed_year(f) - 1, 1, 2), dt.date(_signed_year(f) - 1, 12, 28))
    return date_text(f, day, date_blank), None


# form 61
def _employee(f, label, date_blank):
    if f.rng.random() < 0.5:  # an expatriate: the letter is for a foreigner's tax finalisation
        f.person = dataclasses.replace(f.person, full_name=f.rng.choice(_FOREIGN[f.person.gender]))
    return f.value("name", label, date_blank)


def _income(f) -> dict:
    late = f.notes
    if "total" not in late:
        rng = f.rng
        monthly = rng.choice((35, 45, 60, 80, 120, 150, 210)) * 1_000_000
        months = rng.choice((12, 12, 12, 9, 10, 11))
        total = monthly * months
        abroad = 0 if rng.random() < 0.4 else _round(total * rng.uniform(0.1, 0.5), 1_000_000)
        late.update(total=total, abroad=abroad, vn=total - abroad)
    return late


def _income_year(f, label, date_blank):
    return str(_signed_year(f) - 1), None


def _position(f, label, date_blank):
    return f.rng.choice(("Giám đốc", "Phó Giám đốc", "Chuyên gia kỹ thuật", "Trưởng phòng", "Kỹ sư trưởng")), None


def _arrival(f, label, date_blank):
    year = _signed_year(f) - 1
    day = fk.random_date(f.rng, dt.date(year - 5, 1, 1), dt.date(year - 1, 12, 31))
    f.notes["arrival"] = day
    return date_text(f, day, date_blank), None


def _amount(key: str):
    def value(f, label, date_blank):
        return _money(_income(f)[key]), None
    return value


def _tax_abroad(f, label, date_blank):
    abroad = _income(f)["abroad"]
    return (_money(_round(abroad * f.rng.uniform(0.1, 0.25), 1000)) if abroad else "0"), None


def _insurance_abroad(f, label, date_blank):
    abroad = _income(f)["abroad"]
    return (_money(_round(abroad * 0.08, 1000)) if abroad and f.rng.random() < 0.6 else None), None


def _rent_decided(f) -> bool:
    if "rent" not in f.notes:
        f.notes["rent"] = f.rng.random() < 0.6
    return f.notes["rent"]


def _same_name(f, label, date_blank):
    return (f.person.full_name if _rent_decided(f) else None), None


def _rent_payer(f, label, date_blank):
    return (f.notes.get("payer") if _rent_decided(f) else None), None


def _rent(f, label, date_blank):
    return (_money(f.rng.choice((12, 15, 18, 24, 30)) * 12 * 1_000_000) if _rent_decided(f) else None), None


def _contract_no(f, label, date_blank):
    day = f.notes.get("arrival") or f.case.received - dt.timedelta(days=700)
    return f"{f.rng.randint(1, 250):03d}/{day.year}/HĐLĐ", None


def _contract_date(f, label, date_blank):
    day = (f.notes.get("arrival") or f.case.received - dt.timedelta(days=700)) - dt.timedelta(days=f.rng.randint(10, 60))
    return date_text(f, day, date_blank), None


VALUES = {
    "s6_none": lambda f, label, date_blank: (None, None),
    "s6_district_committee": _district_committee, "s6_id_details": _id_details, "s6_contact": _contact,
    "s6_land_site": _land_site, "s6_area": _area, "s6_land_use": _land_use, "s6_land_term": _land_term,
    "s6_commune_committee": _commune_committee, "s6_residence": _residence,
    "s6_registered_at": _registered_at, "s6_registered_on": _registered_on, "s6_reg_no": _reg_no, "s6_book": _book,
    "s6_end_reason": _end_reason, "s6_birth_paper": _birth_paper,
    "s6_tax_month": _tax_part("month"), "s6_tax_month_year": _tax_part("month_year"),
    "s6_quarter": _tax_part("quarter"),
    "s6_quarter_year": _tax_part("quarter_year"), "s6_from": _tax_part("from"), "s6_to": _tax_part("to"),
    "s6_payer": _payer, "s6_agent": _agent, "s6_tax_code": _tax_code, "s6_address": _tax_address,
    "s6_district": _tax_district, "s6_province": _tax_province, "s6_email": _email,
    "s6_agent_contract": _agent_contract, "s6_agent_contract_date": _agent_contract_date,
    "s6_employee": _employee, "s6_income_year": _income_year, "s6_position": _position, "s6_arrival": _arrival,
    "s6_total": _amount("total"), "s6_income_vn": _amount("vn"), "s6_income_abroad": _amount("abroad"),
    "s6_tax_abroad": _tax_abroad, "s6_insurance_abroad": _insurance_abroad,
    "s6_other_deduction": lambda f, label, date_blank: (None, None),
    "s6_same_name": _same_name, "s6_rent_payer": _rent_payer, "s6_rent": _rent,
    "s6_contract_no": _contract_no, "s6_contract_date": _contract_date,
}


class Sealed6(Batch):
    name = "sealed6"
    forms = FORMS
    titles = TITLES
    values = VALUES

    def role(self, role: str | None, blank: Blank, f: Filler) -> str | None:
        """The blank's role on one of the four, or the common table's reading."""
        return _role(blank.family.stem, blank.label, blank.previous) or role

    def numbering(self, family: FormFamily, drawn: str) -> str:
        """Form 59's bracketed codes are printed as they are; a letter (61) gets no numbers added."""
        stem = family.stem
        if stem == "59_to_khai_thue_thu_nhap_ca_nhan" or (stem == "61_xac_nhan_thu_nhap" and drawn == "add"):
            return "keep"
        return drawn

    def lines(self, family: FormFamily, f: Filler) -> tuple[tuple[str, ...], str]:
        """The form's lines as this applicant fills them, and the title as printed on this document."""
        stem, printed, title = family.stem, family.lines, family.title
        out: list[str] = []
        if stem == "30_don_xin_giao_dat":  # what is asked decides the plot's use and term
            title = f.rng.choice(_LAND_TITLES)
            f.notes["kind"] = {"ĐƠN XIN GIAO ĐẤT": "giao", "ĐƠN XIN THUÊ ĐẤT": "thue"}.get(title, "chuyen")
        skip = False
        for index, line in enumerate(printed):
            if skip:
                skip = False
                continue
            following = printed[index + 1] if index + 1 < len(printed) else ""
            if stem == "30_don_xin_giao_dat" and re.fullmatch(r"ĐƠN\s*[.…]+", line):
                line = title
            if stem == "59_to_khai_thue_thu_nhap_ca_nhan" and line.startswith("[01]"):
                line = line.replace("/…", "/...")  # "(Từ tháng .../… đến …)": month/year, one blank each
            if stem == "54_TK_DK_cham_dut_giam_ho" and line.startswith("Người giám hộ:"):
                line = "Người giám hộ:"  # a heading: the blank after it is the transcription's tab
            if stem == "61_xac_nhan_thu_nhap" and line.startswith(
                    ("ĐẠI DIỆN HỢP PHÁP", "CỦA TỔ CHỨC, CÁ NHÂN", "Ký, ghi rõ họ tên; chức vụ")):
                continue  # the signature heading: set over the representative's signature (:meth:`signer`)
            if re.fullmatch(r"[.…_\s]+", following) and _BLANK_LINE.search(following) and line.strip():
                line, skip = f"{line} {following.strip()}", True  # a label's value on the line of dots below
            elif stem == "54_TK_DK_cham_dut_giam_ho" and line.startswith("Đã đăng ký giám hộ tại"):
                line, skip = f"{line} {following.strip()}", True  # "… tại …" then "ngày … số … quyển số: …"
            out.append(line)
        return tuple(out), title

    def text_line(self, family: FormFamily, line: str, f: Filler) -> None:
        """A line without blanks that says who comes next (form 54's guardian, an adult, and ward)."""
        stem = family.stem
        if stem == "54_TK_DK_cham_dut_giam_ho" and line.startswith("Người giám hộ"):
            f.notes["born"] = (1950, f.case.received.year - 32)
        if stem == "54_TK_DK_cham_dut_giam_ho" and line.startswith("Người được giám hộ"):
            year = f.case.received.year
            f.notes["guardian_address"] = f.person.address  # a ward mostly lives with the guardian
            adult = f.rng.random() < 0.6
            f.notes["end_reason"] = ("Người được giám hộ đã thành niên" if adult else
                                     f.rng.choice(("Cha, mẹ của người được giám hộ đã có đủ điều kiện thực hiện "
                                                   "quyền, nghĩa vụ của mình",
                                                   "Người được giám hộ được nhận làm con nuôi")))
            f.notes["born"] = (year - 19, year - 18) if adult else (year - 15, year - 6)
            f.notes["minor"] = not adult

    def keeps_printed_note(self, line: str) -> bool:
        return line.rstrip().endswith(":")  # a heading of the items under it

    def signer(self, family: FormFamily, f: Filler, titles: list[str]) -> tuple[list[str], str, str, str | None]:
        stem = family.stem
        if stem == "61_xac_nhan_thu_nhap":
            payer = f.notes.get("payer", "")
            seal = payer.upper() if payer.startswith("Công ty") and f.rng.random() < 0.7 else None
            return (["ĐẠI DIỆN HỢP PHÁP", "CỦA TỔ CHỨC, CÁ NHÂN TRẢ THU NHẬP"], fk.make_person(f.rng).full_name,
                    "Ký, ghi rõ họ tên; chức vụ và đóng dấu (nếu có)", seal)
        if stem == "59_to_khai_thue_thu_nhap_ca_nhan":
            return (["NGƯỜI NỘP THUẾ hoặc", "ĐẠI DIỆN HỢP PHÁP CỦA NGƯỜI NỘP THUẾ"], f.case.person.full_name,
                    "(Ký, ghi rõ họ tên)", None)
        if stem == "54_TK_DK_cham_dut_giam_ho":
            return ["NGƯỜI YÊU CẦU"], f.case.person.full_name, "(Ký, ghi rõ họ, chữ đệm, tên)", None
        return super().signer(family, f, titles)


BATCH = Sealed6()
