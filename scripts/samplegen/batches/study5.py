"""The forms of the fifth study set (Part 6's p6s8, new-study5): 06, 09, 22, 62 of ``forms/extra/``.

They print bilingual labels ("Tôi là (Full name):", "ngày (date): … tháng (month) …", a title with
its English gloss in brackets, the motto's English line), a vehicle's and a second person's numbers,
and a school's confirmation under the student's pledge (form 62: the office's section, whose address
and phone are the school's).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from .. import fakedata as fk
from ..layout import Seg
from .base import BLANK, BLANKS, Batch, Blank, bare_label, no_truth
from .late import late_date, tax_code
from .study7 import faculty, intake, passport_number, school_class

if TYPE_CHECKING:
    from ..formfamilies import Filler

FORMS = frozenset({"06_cap_GPLX_quoc_te", "09_cham_dut_huong_tro_cap_that_nghiep", "22_dk_xe1",
                   "62_xet_cap_hoc_bong_chinh_sach"})
# Their labels, read before the common table (most specific first, as there).
ROLES: tuple[tuple[str, str], ...] = (
    ("điện thoại của người làm thủ tục", "other_phone"), ("của người làm thủ tục", "other_id"),
    ("tên chủ xe", "name"), ("tôi là", "name"), ("kính gửi (to)", "transport_dept"),
    ("số hộ chiếu", "passport"), ("giấy phép lái xe cơ giới", "licence"), ("lệ phí trước bạ", "fee_code"),
    ("hải quan", "none"), ("phiếu ktclxx", "inspection"), ("kinh doanh vận tải", "none"),
    ("hóa đơn điện tử", "tax"), ("số máy 1", "engine"), ("số máy 2", "none"), ("số khung", "chassis"),
    ("cơ quan cấp", "licence_office"), ("cấp ngày", "late_date"), ("ngày cấp", "late_date"),
    ("về việc", "subject"), ("trung tâm dịch vụ việc làm", "province_short"), ("quyết định số", "benefit_decision"),
    ("tỉnh/thành phố", "province_short"), ("tổng số tháng", "months"), ("lý do", "stop_reason"),
    ("nghị định số", "decree"), ("/nđ-cp ngày", "decree_day"), ("sinh viên lớp", "class"),
    ("năm thứ", "study_year"), ("khóa", "intake"), ("khoá", "intake"), ("khoa", "faculty"),
    ("xác nhận anh/chị", "student_named"),
)
# A bare label of theirs: "Trường:" (the school), "Tại (Place of issue):" / "tại" (an issue's
# place), "cấp" / "ngày" before a date blank (an identity card's, a decision's), "tháng" (a decree's).
BARE = {"trường": "university", "tại (place of issue)": "issue_place", "tại": "issue_place",
        "cấp": "late_date", "ngày": "late_date", "tháng": "decree_month"}
# A school's confirmation under the student's pledge (form 62): the office's section; its address
# and phone are the school's, its name blank the student's again.
_IN_OFFICE = {"address": "school_address", "phone": "school_phone", "name": "student_named"}
# "ngày (date): …… tháng (month) …… năm (year) ……" (form 06): a date blank too, written bilingual
_DATE_EN_BLANK = re.compile(rf"ngày\s*\(date\):?\s*{BLANK}\s*tháng\s*\(month\)\s*{BLANK}\s*năm\s*\(year\)\s*{BLANK}",
                            re.IGNORECASE)
_BLANKS = re.compile(f"(?P<date_en>{_DATE_EN_BLANK.pattern})|" + BLANKS.pattern, re.IGNORECASE)
# "……, date…… month…… year……": form 06's signing date, printed in English only
_SIGNED_EN = re.compile(rf"^\s*(?:{BLANK})?\s*,\s*date\s*{BLANK}\s*month\s*{BLANK}\s*year\s*{BLANK}\s*$")


def _other_person(f: Filler, what: str) -> str:
    """Form 22: the person doing the procedure for the owner, when it is somebody else (most often),
    has an identity number and a phone of their own; when the owner comes in person they stay blank."""
    if "other" not in f.notes:
        f.notes["other"] = fk.make_person(f.rng) if f.rng.random() < 0.7 else None
    other = f.notes["other"]
    if other is None:
        return ""
    return fk.format_id(other.id_number, f.rng) if what == "id" else fk.format_phone(other.phone, f.rng)


def _school(f: Filler) -> str:
    if "school" not in f.notes:
        f.notes["school"] = f.rng.choice(("Đại học Tây Bắc", "Đại học Cần Thơ", "Đại học Tây Nguyên",
                                         "Cao đẳng Sư phạm Hà Giang"))
    return f.notes["school"]


def _school_address(f: Filler, label: str, date_blank: bool) -> str:
    f.notes.setdefault("school_address", fk.street_address(f.rng, fk.make_person(f.rng).home))
    return f.notes["school_address"]


VALUES = {role: no_truth(value) for role, value in {
    "other_id": lambda f, label, date_blank: _other_person(f, "id"),
    "other_phone": lambda f, label, date_blank: _other_person(f, "phone"),
    "transport_dept": lambda f, label, date_blank: "Sở Giao thông vận tải " + f.case.person.home.province_short,
    "licence": lambda f, label, date_blank: str(f.rng.randrange(10 ** 11, 10 ** 12)),
    "licence_office": lambda f, label, date_blank: "Sở GTVT " + f.case.person.home.province_short,
    "issue_place": lambda f, label, date_blank: f.case.person.home.province_short,
    "fee_code": lambda f, label, date_blank: f"LPTB{f.rng.randrange(10 ** 9, 10 ** 10)}",
    "inspection": lambda f, label, date_blank: f"KD{f.rng.randrange(10 ** 6, 10 ** 7)}",
    "engine": lambda f, label, date_blank: f"JF{f.rng.randint(10, 99)}E-{f.rng.randrange(10 ** 6, 10 ** 7)}",
    "chassis": lambda f, label, date_blank: f"RLHJF{f.rng.randint(100, 999)}K{f.rng.randrange(10 ** 6, 10 ** 7)}",
    "subject": lambda f, label, date_blank: "Chấm dứt hưởng trợ cấp thất nghiệp",
    "province_short": lambda f, label, date_blank: f.case.person.home.province_short,
    "benefit_decision": lambda f, label, date_blank: f"{f.rng.randint(100, 4999)}/QĐ-SLĐTBXH",
    "months": lambda f, label, date_blank: str(f.rng.randint(1, 11)),
    "stop_reason": lambda f, label, date_blank: f.rng.choice(
        ("Đã tìm được việc làm", "Thực hiện nghĩa vụ quân sự", "Đi học tập có thời hạn trên 12 tháng")),
    "decree": lambda f, label, date_blank: "141",
    "decree_day": lambda f, label, date_blank: "08",
    "decree_month": lambda f, label, date_blank: "12",
    "study_year": lambda f, label, date_blank: str(f.rng.randint(1, 4)),
    "university": lambda f, label, date_blank: _school(f),
    "school_address": _school_address,
    "school_phone": lambda f, label, date_blank: f"0{f.rng.choice((214, 219, 292, 262))} {f.rng.randrange(10 ** 6, 10 ** 7)}",
    "student_named": lambda f, label, date_blank: f.case.person.full_name.upper(),
}.items()} | {
    # as these forms were measured: the late forms' document dates and tax codes, the study7 forms'
    # passport numbers and class, intake and faculty (their values were one chain, study7's first)
    "late_date": no_truth(late_date), "tax": no_truth(tax_code), "passport": passport_number,
    "class": school_class, "intake": intake, "faculty": faculty,
}


class Study5(Batch):
    name = "study5"
    forms = FORMS
    values = VALUES
    blanks = _BLANKS
    motto_openings = Batch.motto_openings + ("SOCIALIST",)  # form 06 kept only the motto's English line
    office_headings = ("GIẤY XÁC NHẬN CỦA",)  # form 62: the school confirms under the student's pledge

    def title_words(self, line: str) -> str:
        # "GIẤY KHAI ĐĂNG KÝ XE (Vehicle registation declaration)": the English gloss is no part of
        # the capitals that make a title (form 22)
        return re.sub(r"\([^)]*\)", "", line)

    def label_role(self, key: str) -> str | None:
        return BARE.get(bare_label(key)) or next((role for words, role in ROLES if words in key), None)

    def role(self, role: str | None, blank: Blank, f: Filler) -> str | None:
        return _IN_OFFICE.get(role or "", role) if blank.office else role

    def reads_line(self, line: str) -> str:
        # "……, ngày … tháng … năm ……" (form 09): one "…" is a blank too
        return re.sub(r"(?<![.…_])…(?![.…_])", "……", line)

    def signing_date(self, line: str, place: str, signed: dt.date, hand: bool) -> list[Seg] | None:
        if not _SIGNED_EN.match(line):
            return None
        return [Seg(f"{place}, date ", "italic"),
                Seg(f"{signed.day:02d} month {signed.month:02d} year {signed.year}", "italic", hand=hand,
                    key="signed_date")]


BATCH = Study5()
