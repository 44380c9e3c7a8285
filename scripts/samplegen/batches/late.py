"""The late forms (Part 6's fourth batch, p6tmpl, "sealed4"): 13, 20, 36, 57 of ``forms/extra/``.

They print wording the other forms share with other meanings ("Ngày cấp", "Kính gửi: Bảo hiểm xã
hội", "cha/mẹ/con"). They were measured before the newer opt-in rules (:attr:`Batch.newer_rules`)
and keep reading without them: a title may be the issuing office's line over the motto, an
unfilled date keeps its printed words, "Ông (Bà):" is another person, the office's section
("Xét duyệt của …") is left blank.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from .. import fakedata as fk
from ..templates import _lower_first
from .base import BLANK, Batch, Blank, bare_label, date_text, no_truth

if TYPE_CHECKING:
    from ..formfamilies import Filler, FormFamily

FORMS = frozenset({"13_DDN_gia_han_time_hoc_nuoc_ngoai", "20_de_nghi_Nhan_che_do_BHXH_khi_nguoi_huong_tu_tran",
                   "36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat", "57_TK_DK_nhan_CMC"})
# Their labels, read before the common table (most specific first, as there).
ROLES: tuple[tuple[str, str], ...] = (
    ("điện thoại cố định", "landline"),  # a mobile number is the "di động" blank's; most leave this one empty
    ("tên cơ quan hoặc cá nhân", "customer"), ("đại diện là", "name"), ("là ông (bà)", "other_name"),
    ("cơ quan cấp", "issuer"), ("tài khoản số", "code"), ("ngân hàng", "bank"), ("mã số thuế", "tax"),
    ("hình thức thanh toán", "payment"), ("mục đích sử dụng điện", "purpose"), ("địa điểm đăng ký", "site"),
    ("công suất", "power"), ("tình trạng sử dụng điện", "supply"), ("dùng chung", "shared"),
    ("quyết định cử đi học số", "decision"), ("tên trường", "school"), ("trình độ đào tạo", "degree"),
    ("ngành/nghề", "major"), ("ngày nhập học", "enrolled"), ("tổng thời gian đào tạo", "duration"),
    ("kinh phí", "funding"), ("thân nhân là", "count"), ("quan hệ với người từ trần", "kin_of_deceased"),
    ("nơi đang nhận lương hưu", "paid_at"), ("với người nhận cha/mẹ/con", "requester"), ("việc nhận", "recognised"),
)
_ITEM = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[a-e])[.),]\s*")  # form 36 prints "12,Mục đích …"


def _split_lines(lines: tuple[str, ...]) -> tuple[str, ...]:
    """A late form's lines as they read: two columns set on one line are two lines ("(Ký, ghi rõ họ
    tên và đóng dấu)<tab>…, ngày … tháng … năm …", form 20); a label run into the next one's date
    gets its blank back ("Số sổ BHXH: Chết ngày …", form 20)."""
    out = []
    for line in lines:
        two = re.match(rf"^(\([^)]*\))\s*((?:{BLANK})?\s*,\s*ngày\b.*)$", line)
        if two:
            out += [two.group(1), two.group(2)]
            continue
        out.append(re.sub(r":\s+(?=[A-ZĐ]\w* ngày\s*[.…])", ": …… ", line))
    return tuple(out)


def _addressee_or_date(role: str | None, kind: str, label: str, title: str) -> str | None:
    """A late form's addressee by what the form is about, and its dates nobody else reads."""
    if role == "agency":
        return ("insurer" if "bảo hiểm xã hội" in label.casefold() else "ministry" if "NƯỚC NGOÀI" in title
                else "power_company" if "ĐIỆN" in title else "agency")
    return "late_date" if kind == "date" else None


def late_date(f: Filler, label: str, date_blank: bool) -> str:
    """A late form's date blank nobody else reads: a death ("Chết ngày …", weeks before the
    application) or a document's date (a decision, an identity card's issue: years before)."""
    rng, received = f.rng, f.case.received
    if label.casefold().rstrip(" :").endswith("chết"):
        day = received - dt.timedelta(days=rng.randint(20, 200))
    else:
        day = fk.random_date(rng, received - dt.timedelta(days=6 * 365), received - dt.timedelta(days=400))
    return date_text(f, day, date_blank)


def _other_person(f: Filler, label: str, date_blank: bool) -> str:
    """"… đã từ trần là Ông (Bà): ……": the deceased, another person, whose details follow."""
    f.notes.pop("born", None)
    year = f.case.person.date_of_birth.year
    f.person = fk.make_person(f.rng, born_between=(year - 45, year - 20))
    f.people += 1
    return f.person.full_name


def _kin_of_deceased(f: Filler, label: str, date_blank: bool) -> str:
    """Form 20: the applicant and the relatives listed are the deceased's children, the next one
    born within ten years of the applicant."""
    year, last = f.case.person.date_of_birth.year, f.case.received.year - 18
    f.notes["born"] = (min(year - 10, last), min(year + 10, last))
    return "Con"


def _requester(f: Filler, label: str, date_blank: bool) -> str:
    """Form 57: the requester is the spouse of the parent recognising a child (who is named next)."""
    f.notes["gender"] = "Nữ" if f.person.gender == "Nam" else "Nam"
    year, last = f.person.date_of_birth.year, f.case.received.year - 21
    f.notes["born"] = (min(year - 8, last), min(year + 8, last))
    return "Chồng" if f.person.gender == "Nam" else "Vợ"


def _parent_word(f: Filler, label: str, date_blank: bool) -> str:
    """Form 57 "Là …… của người có tên dưới đây": the parent just named is the father or mother of
    the child named next, born twenty to forty years later."""
    year = f.person.date_of_birth.year
    last = f.case.received.year - 1
    f.notes["born"] = (min(year + 20, last), min(year + 40, last))
    f.notes["word"] = "cha" if f.person.gender == "Nam" else "mẹ"
    return f.notes["word"]


def _shared_meter(f: Filler, label: str, date_blank: bool) -> str:
    """Form 36: whose meter is shared, only when item 15 said one is."""
    if f.notes.get("supply") != "Đang dùng công tơ chung":
        return ""
    return f"{fk.make_person(f.rng).full_name}/PA{f.rng.randrange(10 ** 9, 10 ** 10)}"


def _supply(f: Filler, label: str, date_blank: bool) -> str:
    f.notes["supply"] = f.rng.choice(("Chưa có điện", "Chưa có điện", "Đang dùng công tơ chung"))
    return f.notes["supply"]


def tax_code(f: Filler, label: str, date_blank: bool) -> str:
    return str(f.rng.randrange(10 ** 9, 10 ** 10))


VALUES = {role: no_truth(value) for role, value in {
    "landline": lambda f, label, date_blank: "",
    "customer": lambda f, label, date_blank: f.rng.choice(
        ("Công ty TNHH Minh Phát", "Hộ kinh doanh " + f.person.full_name, "Cơ sở may Thành Công")),
    "other_name": _other_person,
    "bank": lambda f, label, date_blank: f.rng.choice(("Vietcombank", "Agribank", "BIDV", "VietinBank"))
    + " chi nhánh " + f.person.home.province_short,
    "tax": tax_code,
    "payment": lambda f, label, date_blank: f.rng.choice(("Chuyển khoản", "Tiền mặt")),
    "purpose": lambda f, label, date_blank: f.rng.choice(("Kinh doanh dịch vụ", "Sản xuất", "Kinh doanh ăn uống")),
    "site": lambda f, label, date_blank: fk.street_address(f.rng, f.person.home),
    "power": lambda f, label, date_blank: str(f.rng.choice((5, 10, 15, 20, 30, 50))),
    "supply": _supply,
    "shared": _shared_meter,
    "decision": lambda f, label, date_blank: f"{f.rng.randint(100, 4999)}/QĐ-BGDĐT",
    "school": lambda f, label, date_blank: f.rng.choice(
        ("Đại học Tokyo, Nhật Bản", "Đại học Melbourne, Úc", "Đại học Paris-Saclay, Pháp", "Đại học Seoul, Hàn Quốc")),
    "degree": lambda f, label, date_blank: f.rng.choice(("Đại học", "Thạc sĩ", "Tiến sĩ")),
    "major": lambda f, label, date_blank: f.rng.choice(("Kỹ thuật điện", "Kinh tế", "Công nghệ thông tin", "Y khoa")),
    "enrolled": late_date,
    "late_date": late_date,
    "duration": lambda f, label, date_blank: f.rng.choice(("24 tháng", "36 tháng", "48 tháng")),
    "funding": lambda f, label, date_blank: f.rng.choice(("Tự túc", "Học bổng Chính phủ", "Ngân sách nhà nước")),
    # "Số thân nhân là …" (form 20): 1 to 6, the reading these forms were measured with (the study7
    # forms' "count" answered it, looked up first while each batch's values were one chain)
    "count": lambda f, label, date_blank: str(f.rng.randint(1, 6)),
    "kin_of_deceased": _kin_of_deceased,
    "paid_at": lambda f, label, date_blank: "Bưu điện " + _lower_first(f.case.person.home.district),
    "requester": _requester,
    "parent_word": _parent_word,
    "recognised": lambda f, label, date_blank: f"{f.notes.get('word', 'cha')}, con",
    "insurer": lambda f, label, date_blank: _lower_first(f.case.person.home.district),
    "ministry": lambda f, label, date_blank: "Bộ Giáo dục và Đào tạo",
    "power_company": lambda f, label, date_blank: "Công ty Điện lực " + f.case.person.home.province_short,
}.items()}


class Late(Batch):
    name = "late"
    forms = FORMS
    values = VALUES
    item_number = _ITEM
    office_headings = ("Xét duyệt",)
    newer_rules = False
    tabs_were_blanks = True  # "Số điện thoại liên hệ:<tab>" (form 20)
    keeps_date_words = True

    def label_role(self, key: str) -> str | None:
        bare = bare_label(key, _ITEM)
        if bare == "ông (bà)":  # "1. Ông (Bà): …… Sinh ngày …": a relative, another person
            return "name"
        if bare == "là":  # "Là …… của người có tên dưới đây": the relation word
            return "parent_word"
        return next((role for words, role in ROLES if words in key), None)

    def role(self, role: str | None, blank: Blank, f: Filler) -> str | None:
        if blank.office:
            return None
        if role in ("agency", None):
            return _addressee_or_date(role, blank.kind, blank.label, blank.family.title)
        return role

    def lines(self, family: FormFamily, f: Filler) -> tuple[tuple[str, ...], str]:
        return _split_lines(family.lines), family.title


BATCH = Late()
