"""Plausible, mutually consistent fake data for Vietnamese administrative documents.

Every function takes a ``random.Random`` so that a seed fixes the whole sample set. Units come
from the ``vietnamadminunits`` package (the pre-2025 three-level list with GSO codes), so an
address on a generated page is a real commune / district / province triple.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache

SURNAMES = (
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",
    "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Đoàn", "Trịnh",
)
MIDDLE_MALE = ("Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Xuân", "Đình", "Ngọc", "Quang")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Diệu", "Phương", "Bảo")
GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam", "Phong",
    "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thịnh", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Hiếu", "Lộc",
)
GIVEN_FEMALE = (
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Loan", "Mai",
    "My", "Ngân", "Nhung", "Oanh", "Phượng", "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết", "Uyên", "Vân", "Yến",
)
STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt", "Phan Đình Phùng",
    "Nguyễn Trãi", "Hùng Vương", "Bà Triệu", "Điện Biên Phủ", "Trần Phú", "Lê Duẩn", "Nguyễn Du", "Võ Thị Sáu",
)
VILLAGE_WORDS = ("Thôn", "Xóm", "Tổ dân phố", "Khu phố", "Ấp")
PHONE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070", "076", "077",
                  "078", "079", "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093",
                  "094", "096", "097", "098")

# (mã TTHC, tên thủ tục, level word of the receiving agency, result doc type)
PROCEDURES = (
    ("1.001193", "Đăng ký khai sinh", "xa", "giay_khai_sinh"),
    ("1.000656", "Đăng ký khai tử", "xa", "trich_luc_khai_tu"),
    ("1.009994", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "huyen", "giay_phep_xay_dung"),
    ("2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
     "tinh", "phieu_ly_lich_tu_phap"),
    ("1.000894", "Đăng ký kết hôn", "xa", "quyet_dinh"),
    ("2.000635", "Cấp bản sao Trích lục hộ tịch", "xa", "quyet_dinh"),
    ("1.003003", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "huyen", "quyet_dinh"),
    ("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng", "huyen", "quyet_dinh"),
    ("2.001159", "Đăng ký thành lập hộ kinh doanh", "huyen", "quyet_dinh"),
)


@dataclass(frozen=True)
class Unit:
    """A real pre-2025 commune with its district and province (names and GSO codes)."""

    province: str
    province_short: str
    province_code: str
    district: str
    district_short: str
    district_code: str
    district_type: str
    ward: str
    ward_short: str
    ward_code: str
    ward_type: str

    @property
    def codes(self) -> dict[str, str]:
        """The GSO codes as in docs/architecture.md's export ``unit``."""
        return {"province": self.province_code, "district": self.district_code, "commune": self.ward_code}


@dataclass(frozen=True)
class Person:
    """A citizen: name, gender, birth date, place of birth and ID number consistent with each other."""

    full_name: str
    gender: str  # "Nam" / "Nữ"
    date_of_birth: dt.date
    birth_unit: Unit
    home: Unit
    address: str
    id_number: str
    id_kind: str  # "cccd" / "cmnd"
    phone: str


@lru_cache(maxsize=1)
def all_units() -> tuple[Unit, ...]:
    """Every pre-2025 commune of ``vietnamadminunits`` (about 10,000), sorted by code."""
    from vietnamadminunits.database.main import query

    rows = query(
        "SELECT DISTINCT province, provinceShort, provinceCode, district, districtShort, districtCode, "
        "districtType, ward, wardShort, wardCode, wardType FROM admin_units_legacy ORDER BY wardCode"
    )
    return tuple(
        Unit(r["province"], r["provinceShort"], r["provinceCode"], r["district"], r["districtShort"],
             r["districtCode"], r["districtType"], r["ward"], r["wardShort"], r["wardCode"], r["wardType"])
        for r in rows
        if r["wardCode"]
    )


def pick_unit(rng: random.Random, province_code: str | None = None) -> Unit:
    """A random real commune, optionally inside one province."""
    units = all_units()
    if province_code:
        units = tuple(u for u in units if u.province_code == province_code) or units
    return rng.choice(units)


def person_name(rng: random.Random, gender: str) -> str:
    """Họ + đệm + tên with full diacritics."""
    middle = MIDDLE_MALE if gender == "Nam" else MIDDLE_FEMALE
    given = GIVEN_MALE if gender == "Nam" else GIVEN_FEMALE
    parts = [rng.choice(SURNAMES), rng.choice(middle)]
    if rng.random() < 0.25:
        parts.append(rng.choice(middle))
    parts.append(rng.choice(given))
    return " ".join(dict.fromkeys(parts))  # no doubled middle name


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A uniform date in [start, end]."""
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def cccd_number(rng: random.Random, province_code: str, gender: str, born: dt.date) -> str:
    """12-digit CCCD: 3-digit province of birth registration, gender/century digit, 2-digit year, 6 digits."""
    century_base = {19: 0, 20: 2, 21: 4, 22: 6, 23: 8}[born.year // 100]
    gender_digit = century_base + (0 if gender == "Nam" else 1)
    return f"{int(province_code):03d}{gender_digit}{born.year % 100:02d}{rng.randrange(10**6):06d}"


def cmnd_number(rng: random.Random) -> str:
    """9-digit CMND (old identity card)."""
    return f"{rng.randrange(10, 40):02d}{rng.randrange(10**7):07d}"


def phone_number(rng: random.Random) -> str:
    """10 digits starting with a real mobile prefix."""
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"


def format_phone(phone: str, rng: random.Random) -> str:
    """How a phone is printed: grouped or not."""
    return rng.choice((phone, f"{phone[:4]} {phone[4:7]} {phone[7:]}", f"{phone[:4]}.{phone[4:7]}.{phone[7:]}"))


def street_address(rng: random.Random, unit: Unit) -> str:
    """House / village part + the real commune, district, province (as printed, full unit names)."""
    if unit.ward_type == "Phường" or rng.random() < 0.3:
        head = f"Số {rng.randrange(1, 300)}, đường {rng.choice(STREETS)}"
    else:
        head = f"{rng.choice(VILLAGE_WORDS)} {rng.randrange(1, 15)}"
    return f"{head}, {unit.ward}, {unit.district}, {unit.province}"


def make_person(rng: random.Random, born_between: tuple[int, int] = (1950, 2004),
                gender: str | None = None, cmnd_rate: float = 0.15) -> Person:
    """A citizen whose CCCD agrees with the date of birth, gender and province of birth."""
    gender = gender or rng.choice(("Nam", "Nữ"))
    born = random_date(rng, dt.date(born_between[0], 1, 1), dt.date(born_between[1], 12, 31))
    birth_unit = pick_unit(rng)
    home = pick_unit(rng, birth_unit.province_code) if rng.random() < 0.7 else pick_unit(rng)
    if rng.random() < cmnd_rate:
        id_number, kind = cmnd_number(rng), "cmnd"
    else:
        id_number, kind = cccd_number(rng, birth_unit.province_code, gender, born), "cccd"
    return Person(person_name(rng, gender), gender, born, birth_unit, home, street_address(rng, home),
                  id_number, kind, phone_number(rng))


def format_id(id_number: str, rng: random.Random) -> str:
    """ID numbers are mostly printed plain, sometimes in groups of three."""
    if rng.random() < 0.8:
        return id_number
    return " ".join(id_number[i:i + 3] for i in range(0, len(id_number), 3))


# ------------------------------------------------------------------ dates

def date_words(day: dt.date, blank_day: bool = False) -> str:
    """``ngày 05 tháng 3 năm 2020`` as in Nghị định 30/2020 (day 01-09 and month 01-02 zero-padded)."""
    day_text = " " * 6 if blank_day else f"{day.day:02d}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day_text} tháng {month} năm {day.year}"


def format_date(day: dt.date, rng: random.Random) -> str:
    """A date field as printed on forms: 05/03/2020 mostly, sometimes 05-03-2020."""
    return day.strftime(rng.choice(("%d/%m/%Y", "%d/%m/%Y", "%d/%m/%Y", "%d-%m-%Y")))


def add_working_days(day: dt.date, n: int) -> dt.date:
    """``day`` plus ``n`` working days (Saturday and Sunday skipped)."""
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


# ------------------------------------------------------------------ agencies and codes

@dataclass(frozen=True)
class Agency:
    """An issuing / receiving agency: the two lines of the left header and its codes."""

    parent: str  # upper header line ("" when none), e.g. "UBND HUYỆN ĐỨC PHỔ"
    name: str  # the agency itself, e.g. "ỦY BAN NHÂN DÂN XÃ PHỔ AN"
    short: str  # symbol in số ký hiệu, e.g. "UBND"
    place: str  # place name for "<place>, ngày ..."
    unit: Unit
    level: str  # "tinh" / "huyen" / "xa"
    e_id: str  # agency code in mã hồ sơ, e.g. "000.00.15.H26"
    signer_title: str  # "CHỦ TỊCH"
    departments: tuple[str, ...]

    @property
    def issuing_name(self) -> str:
        """The value of ``issuing_agency``: the agency's own line as printed."""
        return self.name


def _province_title(unit: Unit) -> str:
    return unit.province.replace("Thành phố", "THÀNH PHỐ").replace("Tỉnh", "TỈNH").upper()


def _district_title(unit: Unit) -> str:
    return unit.district.upper()


def make_agency(rng: random.Random, level: str | None = None, unit: Unit | None = None) -> Agency:
    """A people's committee (or one of its offices) of a real unit at ``level``."""
    unit = unit or pick_unit(rng)
    level = level or rng.choice(("tinh", "huyen", "xa"))
    province_index = int(unit.province_code)
    if level == "tinh":
        name = f"ỦY BAN NHÂN DÂN {_province_title(unit)}"
        place = unit.province_short
        e_id = f"000.00.{rng.randrange(1, 30):02d}.H{province_index:02d}"
        variants = [("", name, "UBND")]
        variants.append((f"UBND {_province_title(unit)}", f"SỞ TƯ PHÁP", "STP"))
        variants.append((f"UBND {_province_title(unit)}", "SỞ XÂY DỰNG", "SXD"))
        parent, name, short = variants[0] if rng.random() < 0.6 else rng.choice(variants[1:])
    elif level == "huyen":
        parent = f"UBND {_province_title(unit)}"
        name = f"ỦY BAN NHÂN DÂN {_district_title(unit)}"
        short = "UBND"
        place = unit.district_short
        e_id = f"000.{rng.randrange(1, 40):02d}.{rng.randrange(1, 30):02d}.H{province_index:02d}"
    else:
        parent = f"UBND {_district_title(unit)}".replace("UBND THÀNH PHỐ", "UBND TP.")
        name = f"ỦY BAN NHÂN DÂN {unit.ward.upper()}"
        short = "UBND"
        place = unit.ward_short
        e_id = f"{rng.randrange(1, 60):03d}.{rng.randrange(1, 40):02d}.{rng.randrange(1, 30):02d}.H{province_index:02d}"
    title = "CHỦ TỊCH" if short == "UBND" else "GIÁM ĐỐC"
    departments = ("KTTH", "VX", "NC", "TH", "KT", "XD", "NNTN")
    return Agency(parent, name, short, place, unit, level, e_id, title, departments)


def dossier_code(rng: random.Random, agency: Agency, received: dt.date) -> str:
    """Mã hồ sơ ``<agency e-ID>-<yymmdd received>-<sequence>``."""
    return f"{agency.e_id}-{received:%y%m%d}-{rng.randrange(1, 10000):04d}"


def doc_symbol(rng: random.Random, agency: Agency, type_symbol: str | None, normative: bool = False,
               year: int | None = None) -> tuple[int, str]:
    """(number, số ký hiệu) per Nghị định 30/2020: ``123/QĐ-UBND``; công văn: ``45/UBND-KTTH``."""
    number = rng.randrange(1, 3000) if rng.random() < 0.7 else rng.randrange(1, 100)
    if type_symbol is None:  # công văn: agency symbol + drafting unit, no type word
        return number, f"{number}/{agency.short}-{rng.choice(agency.departments)}"
    if normative and year:
        return number, f"{number:02d}/{year}/{type_symbol}-{agency.short}"
    return number, f"{number}/{type_symbol}-{agency.short}"
