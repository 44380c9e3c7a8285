"""The forms of new-study7 (Part 6's p6s10): 00, 01, 21, 41 of ``forms/extra/``.

They print wording the others read otherwise: a passport's number and issue beside the identity
card's, "Địa chỉ:" of the workplace after "Cơ quan công tác …", the landline beside the mobile, the
companies a job seeker contacted (written on the form's dotted lines), a date blank nobody else
reads that is a document's date.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from .. import fakedata as fk
from .base import Batch, Blank, bare_label, date_text
from .study6 import document_date

if TYPE_CHECKING:
    from ..formfamilies import Filler

FORMS = frozenset({"00_bao_cao_tot_nghiep_du_hoc_sinh", "01_BCC_thuc_hien_trach_nhiem_du_hoc_sinh",
                   "21_de_nghi_xac_nhan_cap_ho_tro", "41_Mẫu số 16 - TT 28"})
# Their labels, read before the common table (most specific first, as there).
ROLES: tuple[tuple[str, str], ...] = (
    ("hộ chiếu số", "passport"), ("điện thoại cố định", "landline"), ("điện thoại di động", "phone"),
    ("cơ quan công tác sau khi", "employer"), ("cơ quan quản lý trực tiếp", "managing_office"),
    ("ngày tốt nghiệp", "graduated"), ("ngày về nước", "returned"), ("văn bằng", "diploma"),
    ("xếp loại", "grade"), ("thời gian học tập", "study_period"), ("ngày cấp", "doc_date"),
    ("hiện nay là", "occupation"), ("công tác tại", "workplace"), ("tháng hưởng trợ cấp", "count"),
    ("tình trạng việc làm", "job_status"), ("lớp", "class"), ("khóa", "intake"), ("khoa", "faculty"),
)


def _employer(f: Filler, label: str, date_blank: bool) -> tuple[str, None]:
    f.notes["employer"] = True
    return f.rng.choice(("Trường Đại học Bách khoa Hà Nội", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
                         "Công ty CP FPT", "Bệnh viện Bạch Mai")), None


def passport_number(f: Filler, label: str, date_blank: bool) -> tuple[str, None]:
    f.notes["passport"] = True
    return f"{f.rng.choice('BCN')}{f.rng.randrange(10 ** 7):07d}", None


def _company_contacted(f: Filler) -> str:
    """Form 41: a company the job seeker contacted, with its address, the person met and the result:
    none of it is the applicant's."""
    rng = f.rng
    contact = fk.make_person(rng)
    text = (f"{rng.choice(('Công ty TNHH Minh Phát', 'Công ty CP Xây dựng Hòa Bình', 'Công ty TNHH May Việt Tiến', 'Siêu thị Co.opmart'))}, "
            f"{fk.street_address(rng, fk.pick_unit(rng))}, {'ông' if contact.gender == 'Nam' else 'bà'} "
            f"{contact.full_name}")
    if rng.random() < 0.5:
        text += f", điện thoại {fk.format_phone(contact.phone, rng)}"
    return text + (f", {rng.choice(('nhân viên kho', 'bảo vệ', 'kế toán', 'công nhân may'))}, "
                   f"{rng.choice(('không đạt', 'chờ kết quả', 'không phù hợp'))}")


def _months_ago(f: Filler, label: str, date_blank: bool) -> tuple[str, None]:
    """The graduation and the return home: months before the report."""
    day = fk.random_date(f.rng, f.case.received - dt.timedelta(days=300), f.case.received - dt.timedelta(days=20))
    return date_text(f, day, date_blank), None


def school_class(f: Filler, label: str, date_blank: bool) -> tuple[str, None]:
    return f"CĐ{f.rng.randint(18, 24)}{f.rng.choice('ABC')}", None


def intake(f: Filler, label: str, date_blank: bool) -> tuple[str, None]:
    return str(f.rng.randint(18, 24)), None


def faculty(f: Filler, label: str, date_blank: bool) -> tuple[str, None]:
    return f.rng.choice(("Cơ khí", "Điện", "Công nghệ thông tin")), None


VALUES = {
    "passport": passport_number,
    "passport_office": lambda f, label, date_blank: ("Cục Quản lý xuất nhập cảnh", None),
    "landline": lambda f, label, date_blank: (None, None),  # the mobile is the "di động" blank's
    "employer": _employer,
    "work_address": lambda f, label, date_blank: (fk.street_address(f.rng, fk.pick_unit(f.rng)), None),
    "managing_office": lambda f, label, date_blank: (f.rng.choice(("Không", "Bộ Giáo dục và Đào tạo")), None),
    "doc_date": document_date,  # "cấp ngày …": the study6 forms' document date
    "graduated": _months_ago,
    "returned": _months_ago,
    "diploma": lambda f, label, date_blank: (f.rng.choice(("Bằng Thạc sĩ", "Bằng Tiến sĩ", "Bằng Cử nhân")), None),
    "grade": lambda f, label, date_blank: (f.rng.choice(("Giỏi", "Khá", "Xuất sắc")), None),
    "study_period": lambda f, label, date_blank: (f.rng.choice(("24 tháng", "36 tháng", "48 tháng")), None),
    "occupation": lambda f, label, date_blank: (f.rng.choice(("Sinh viên", "Học viên cao học")), None),
    "workplace": lambda f, label, date_blank: (f.rng.choice(("Công ty TNHH Minh Phát", "UBND xã", "Hưu trí")), None),
    "count": lambda f, label, date_blank: (str(f.rng.randint(1, 6)), None),
    "job_status": lambda f, label, date_blank: (f.rng.choice(("Chưa có việc làm", "Đang tìm việc")), None),
    "class": school_class,
    "intake": intake,
    "faculty": faculty,
    "ministry": lambda f, label, date_blank: ("Bộ Giáo dục và Đào tạo", None),
}


class Study7(Batch):
    name = "study7"
    forms = FORMS
    values = VALUES

    def label_role(self, key: str) -> str | None:
        bare = bare_label(key)
        # "Lớp: … Khóa: … Khoa: …" (form 21): the whole label only, "khoa" is in many words
        return next((role for words, role in ROLES
                     if (bare == words if words in ("lớp", "khóa", "khoa") else words in key)), None)

    def role(self, role: str | None, blank: Blank, f: Filler) -> str | None:
        """A blank by what was asked before it: the address of the workplace named just before ("14.
        Cơ quan công tác …: …" then "Địa chỉ:"), the passport's issuing office, the addressee by the
        form's office, a document's date."""
        label, kind = blank.label, blank.kind
        if role == "address" and f.notes.pop("employer", None):
            return "work_address"
        if role == "issuer" and f.notes.pop("passport", None):
            return "passport_office"
        if role == "agency":
            return "province" if "việc làm" in label.casefold() else "ministry"
        if role is None and (kind == "date" or (kind == "slash" and label.casefold().rstrip(" :").endswith("ngày"))):
            return "doc_date"  # "cấp ngày … tháng … năm …", "Quyết định số … ngày …/…/…"
        return role

    def writes_on_dots(self, previous: str, rng: random.Random) -> bool:
        # form 41: the companies contacted, on the dotted lines under "Tên đơn vị, địa chỉ …"; the
        # lines of a further contact ("… thứ (…)") filled on some documents only
        return "tên đơn vị, địa chỉ" in previous.casefold() and (" thứ (…)" not in previous or rng.random() < 0.4)

    def written_on_dots(self, f: Filler) -> str:
        return _company_contacted(f)


BATCH = Study7()
