"""The forms of new-study6 (Part 6's p6s9): 03, 27, 46, 49 of ``forms/extra/``.

They print wording the others read otherwise: a bare "Số:" is a passport's number, "Xã:"/"Huyện:"/
"Tỉnh:" are pieces of one address, "Người bị kiện:" is another person, "Xác nhận của …" opens the
school's section (left blank), a date blank nobody else reads is a document's date, and an unfilled
date keeps its printed words.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING

from .. import fakedata as fk
from .base import Batch, Blank, bare_label, date_text

if TYPE_CHECKING:
    from ..formfamilies import Filler

FORMS = frozenset({"03_cap_chinh_sach_noi_tru_dang_hoc", "27_don_khoi_kien",
                   "46_thay_doi_thong_tin_cu_tru_nuoc_ngoai", "49_TK1-TS"})
# Their labels, read before the common table (most specific first, as there).
ROLES: tuple[tuple[str, str], ...] = (
    ("thư điện tử", "email"), ("trong hộ chiếu", "passport_name"), ("quốc tịch nước ngoài", "foreign_nationality"),
    ("nơi cư trú ở nước ngoài", "foreign_address"), ("nơi làm việc ở nước ngoài", "foreign_job"),
    ("của cha, mẹ, vợ, chồng, con", "relatives"), ("có giá trị đến", "valid_until"), ("ngày cấp", "doc_date"),
    ("cơ quan cấp", "passport_issuer"), ("cha/mẹ/giám hộ", "guardian"), ("nhận kết quả", "delivery"),
    ("số nhà, đường/phố", "street"),
)
# "Người khởi kiện:" opens the lawsuit as its applicant; "Người bị kiện:" and "Người có quyền lợi,
# nghĩa vụ liên quan" are other people, with addresses and phones of their own.
BARE = {"người khởi kiện": "name", "người bị kiện": "defendant",
         "người có quyền lợi, nghĩa vụ liên quan (nếu có)": "related_party", "số": "passport",
         "xã": "ward", "huyện": "district", "tỉnh": "province_part"}


def _unaccented(name: str) -> str:
    """A Vietnamese name as a foreign passport prints it: upper case, no diacritics."""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).upper()


def _other_party(f: Filler, label: str, date_blank: bool) -> tuple[str, None]:
    """A lawsuit's defendant or related party: another person (an office, for some defendants),
    whose address and phone follow."""
    f.person = fk.make_person(f.rng)
    f.people += 1
    if label.casefold().strip().startswith("người bị kiện") and f.rng.random() < 0.4:
        return "Ủy ban nhân dân " + f.person.home.district, None
    return f.person.full_name, None


def _address_piece(f: Filler, label: str, date_blank: bool, part: str) -> tuple[str, None]:
    """Form 49's address in pieces: the birth registration's commune (item [09]) or the residence's
    (items [12]-[15], after the street)."""
    if "khai sinh" in label.casefold():
        f.notes["unit"] = "birth"  # "[09.2]. Huyện:" and "[09.3]. Tỉnh:" follow on the same item
    unit = f.person.birth_unit if f.notes.get("unit") == "birth" else f.person.home
    return getattr(unit, part), None


def _street(f: Filler, label: str, date_blank: bool) -> tuple[str, str | None]:
    """"[12]. Số nhà, đường/phố, thôn/xóm:": the house and street; the commune, district and
    province follow in their own blanks, and the address (the truth) is the four together."""
    p = f.person
    f.notes["unit"] = "home"
    head = p.address[: -len(f", {p.home.ward}, {p.home.district}, {p.home.province}")]
    return f._truth("address", head, p.address)


def document_date(f: Filler, label: str, date_blank: bool, future: bool = False) -> tuple[str, None]:
    """A document's date: an issue or a decision months to years before, a validity's end after."""
    rng, received = f.rng, f.case.received
    if future:
        day = fk.random_date(rng, received + dt.timedelta(days=200), received + dt.timedelta(days=9 * 365))
    else:
        day = fk.random_date(rng, received - dt.timedelta(days=8 * 365), received - dt.timedelta(days=200))
    return date_text(f, day, date_blank), None


_COUNTRIES = (("Hoa Kỳ", "San Jose, California"), ("Pháp", "Paris"), ("Úc", "Sydney"), ("Canada", "Toronto"),
              ("Đức", "Berlin"))


def _country(f: Filler) -> tuple[str, str]:
    if "country" not in f.notes:
        f.notes["country"] = f.rng.choice(_COUNTRIES)
    return f.notes["country"]


VALUES = {
    "passport_name": lambda f, label, date_blank: (_unaccented(f.person.full_name), None),
    "foreign_nationality": lambda f, label, date_blank: (_country(f)[0], None),
    "foreign_address": lambda f, label, date_blank: (
        f"{f.rng.randint(10, 9999)} {f.rng.choice(('Main Street', 'Rue Victor Hugo', 'King Street', 'Park Avenue'))}, "
        f"{_country(f)[1]}, {_country(f)[0]}", None),
    "foreign_job": lambda f, label, date_blank: (
        f"{f.rng.choice(('Kỹ sư', 'Nhân viên bán hàng', 'Đầu bếp', 'Kế toán'))}, {_country(f)[1]}", None),
    "relatives": lambda f, label, date_blank: (
        f"{fk.make_person(f.rng).full_name}, {f.rng.randint(1940, 1975)}, Việt Nam, Hưu trí, "
        f"{fk.pick_unit(f.rng).province}", None),
    "valid_until": lambda f, label, date_blank: document_date(f, label, date_blank, future=True),
    "doc_date": document_date,
    "passport_issuer": lambda f, label, date_blank: (f"Cơ quan xuất nhập cảnh {_country(f)[0]}", None),
    "passport": lambda f, label, date_blank: (f"{f.rng.choice('BCN')}{f.rng.randrange(10 ** 7):07d}", None),
    "guardian": lambda f, label, date_blank: (None, None),  # an adult applicant leaves it blank
    "delivery": lambda f, label, date_blank: (f.rng.choice(("Trực tiếp", "Qua dịch vụ bưu chính")), None),
    "defendant": _other_party,
    "related_party": _other_party,
    "street": _street,
    "ward": lambda f, label, date_blank: _address_piece(f, label, date_blank, "ward"),
    "district": lambda f, label, date_blank: _address_piece(f, label, date_blank, "district"),
    "province_part": lambda f, label, date_blank: _address_piece(f, label, date_blank, "province"),
}


class Study6(Batch):
    name = "study6"
    forms = FORMS
    values = VALUES
    office_headings = ("Xác nhận của",)
    keeps_date_words = True

    def label_role(self, key: str) -> str | None:
        # "[09]. Nơi đăng ký khai sinh: [09.1]. Xã:", "[14]<tab>Huyện:": the words after the last item
        bare = bare_label(re.split(r"\]\.?", key)[-1])
        return BARE.get(bare) or next((role for words, role in ROLES if words in key), None)

    def role(self, role: str | None, blank: Blank, f: Filler) -> str | None:
        if blank.office:
            return None
        if role is None and blank.kind == "date":
            return "doc_date"  # "cấp ngày …", "Quyết định … ngày …": a document's date
        return role


BATCH = Study6()
