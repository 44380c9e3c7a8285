"""Field validators and cross-field checks (docs/architecture.md domain facts).

Each validator takes a normalised value and returns ``True`` (passes), ``False`` (fails). The
check names are stored in ``FieldResult.checks`` and feed the confidence model, so they must stay
stable: renaming one invalidates the fitted calibration.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Callable

from schemas import doctypes
from pipeline.names import SURNAME_LIST
from pipeline.text import fold

_SURNAMES = frozenset(s.casefold() for s in SURNAME_LIST)

# GSO codes of the 63 pre-2025 provinces (the first three digits of a CCCD are "0" + these).
PROVINCE_CODES: frozenset[str] = frozenset(
    "01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 48 49 "
    "51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96".split()
)

DOSSIER_CODE = re.compile(r"^(?P<agency>[0-9A-Z]{2,4}(?:\.[0-9A-Z]{2,4}){2,4})-(?P<yymmdd>\d{6})-(?P<seq>\d{4,6})$")
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")
DOC_NUMBER = doctypes.DOC_NUMBER
PHONE = re.compile(r"^0\d{9}$")
GENDERS = {"nam": "Nam", "nu": "Nữ"}
CMND_DIGITS, CCCD_DIGITS = 9, 12
"""Digits of the old identity card (CMND) and of the citizen identity card (CCCD) number."""


def is_iso_date(value: str) -> bool:
    """A real calendar date written ``YYYY-MM-DD`` between 1900 and 2100."""
    try:
        date = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return 1900 <= date.year <= 2100


def is_past_date(value: str, today: dt.date | None = None) -> bool:
    """A valid date not in the future (birth, death)."""
    if not is_iso_date(value):
        return False
    return dt.date.fromisoformat(value) <= (today or dt.date.today())


def is_cccd(value: str, today: dt.date | None = None) -> bool:
    """12 digits starting with a real province-of-registration code, whose century digit and year
    (:func:`cccd_century_gender`) name a birth year already past: "060760569929" (a hand's 1 read 7
    in the century digit) would be a woman born in 2260."""
    if not (len(value) == CCCD_DIGITS and value.isdigit() and value[1:3] in PROVINCE_CODES and value[0] == "0"):
        return False
    return _century_of(value) + int(value[4:6]) <= (today or dt.date.today()).year


def _century_of(value: str) -> int:
    """The birth century a CCCD's fourth digit encodes (0-1: 1900, 2-3: 2000, 4-5: 2100, …)."""
    return 1900 + 100 * (int(value[3]) // 2)


def is_cmnd(value: str) -> bool:
    """The old 9-digit identity card number (12-digit CMND of 2012-2016 counts as CCCD form)."""
    return len(value) == CMND_DIGITS and value.isdigit()


def is_id_number(value: str) -> bool:
    """CCCD (12 digits) or CMND (9 digits)."""
    return is_cccd(value) or is_cmnd(value)


def cccd_century_gender(value: str) -> tuple[int, str] | None:
    """(birth century start year, gender) encoded by the 4th digit of a CCCD."""
    if not is_cccd(value):
        return None
    return _century_of(value), ("Nam" if int(value[3]) % 2 == 0 else "Nữ")


def cccd_matches_birth(value: str, date_of_birth: str) -> bool:
    """The CCCD's century digit and 2-digit year agree with the date of birth."""
    decoded = cccd_century_gender(value)
    if decoded is None or not is_iso_date(date_of_birth):
        return False
    year = int(date_of_birth[:4])
    return decoded[0] + int(value[4:6]) == year


def cccd_matches_gender(value: str, gender: str) -> bool:
    """The CCCD's gender digit agrees with the printed gender."""
    decoded = cccd_century_gender(value)
    return decoded is not None and decoded[1] == normalise_gender(gender)


def normalise_gender(value: str) -> str | None:
    """``Nam`` / ``Nữ`` from any casing or OCR folding; None if neither."""
    key = fold(value).strip(" .:")
    return GENDERS.get(key)


def is_dossier_code(value: str) -> bool:
    """``<agency e-ID>-<yymmdd>-<seq>`` with a real date in the middle."""
    match = DOSSIER_CODE.match(value)
    return bool(match) and yymmdd_to_iso(match.group("yymmdd")) is not None


def yymmdd_to_iso(yymmdd: str) -> str | None:
    """``210212`` -> ``2021-02-12`` (20xx), None if not a real date."""
    try:
        return dt.date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])).isoformat()
    except ValueError:
        return None


def dossier_code_matches_received(code: str, received_date: str) -> bool:
    """The yymmdd inside the dossier code is the received date."""
    match = DOSSIER_CODE.match(code)
    return bool(match) and yymmdd_to_iso(match.group("yymmdd")) == received_date


def is_procedure_code(value: str) -> bool:
    """mã TTHC ``d.dddddd``."""
    return bool(PROCEDURE_CODE.match(value))


def is_doc_number(value: str) -> bool:
    """số ký hiệu per Nghị định 30/2020 (``123/QĐ-UBND``, ``01/2023/TT-VPCP``)."""
    return bool(DOC_NUMBER.match(value))


def doc_number_symbol(value: str) -> str | None:
    """The type abbreviation of a số ký hiệu: ``QĐ`` in ``123/QĐ-UBND`` (None if no dash part)."""
    tail = value.rsplit("/", 1)[-1]
    return tail.split("-", 1)[0] if "-" in tail else None


def is_phone(value: str) -> bool:
    """Vietnamese phone: 10 digits with a leading 0."""
    return bool(PHONE.match(value))


def is_gender(value: str) -> bool:
    return normalise_gender(value) is not None


def is_person_name(value: str) -> bool:
    """2-7 alphabetic words in one case style (Title Case or CAPITALS): a plausible full name.

    OCR that mixes the two ("Ngô THÍ Nhung") has misread at least one letter.
    """
    words = value.split()
    if not 2 <= len(words) <= 7 or not all(w.replace("-", "").isalpha() for w in words):
        return False
    title = all(w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)
    return title or value.isupper()


def is_nonempty_text(value: str) -> bool:
    return len(value.strip()) >= 3 and any(ch.isalpha() for ch in value)


# Function words that cannot end a title, subject or address: a value ending in one was cut short
# (a wrapped line lost: "Cấp Phiếu lý lịch tư pháp cho"). Compared with their marks: "Đăng ký khai
# tử" and "… tại Việt Nam" end on words whose unmarked forms ("tu", "nam") are function words.
_OPEN_ENDINGS = frozenset("cho của và tại với về các đối trong theo để hoặc những từ đến là thì mà số".split())
# Date words end a value cut inside a date ("… ngày 05 tháng", "… kế hoạch năm"), unless they are
# a period of their own ("… trợ cấp hàng tháng", "hằng năm").
DATE_WORDS = frozenset("ngày tháng năm quý".split())
_PERIOD_WORDS = frozenset("hàng hằng mỗi cả".split())


def is_complete_text(value: str) -> bool:
    """Running text that does not stop on a function word, a date cut short or a comma."""
    text = value.strip()
    if not text or text[-1] in ",;:-(/":
        return False
    words = [word.strip(".").lower() for word in unicodedata.normalize("NFC", text).split()]
    last = words[-1]
    if last in DATE_WORDS:
        return len(words) > 1 and words[-2] in _PERIOD_WORDS
    return last not in _OPEN_ENDINGS


_UNIT_WORDS = frozenset("tinh thanh pho huyen quan thi xa phuong tran".split())
_UNIT_WORDS_MARKED = frozenset("tỉnh thành phố huyện quận thị xã phường trấn".split())


def _is_unit_word(word: str) -> bool:
    """A unit type word ("Tỉnh", "Huyện", "TINH" read without marks), not a name that folds like
    one ("Hà Tĩnh", "Cẩm Xuyên"): with marks, they must be the type word's marks."""
    word = unicodedata.normalize("NFC", word.strip(".").casefold())
    return word in _UNIT_WORDS_MARKED or (word == fold(word) and word in _UNIT_WORDS)


def is_complete_place(value: str) -> bool:
    """An address that does not stop on a unit type word ("…, Phường Nghĩa Đô, Quận": the name
    wrapped away), has no number read in pieces ("Số 11 1": 111? 11/1?) and no empty part between
    two commas ("Khu phố 10, , Xã …": something between them was lost or misread)."""
    split_number = re.search(r"(?<![\w/])\d+ \d+(?![\w/])", value) is not None
    empty_part = re.search(r",[\s.…_·;:-]*,", value) is not None
    return is_complete_text(value) and not _is_unit_word(value.split()[-1]) and not split_number and not empty_part


def names_its_units(value: str) -> bool:
    """A person's address reaches the administrative units: a unit type word ("Xã", "Phường",
    "Huyện", "Tỉnh", "TP" …) or at least three comma-separated parts ("Thôn 3, Hành Thiện, Nghĩa Hành,
    Quảng Ngãi"). "Số 149, đường Võ Thị Sáu" alone lost its unit lines."""
    key = fold(value)
    words = set(key.replace(",", " ").replace(".", " ").split())
    has_type_word = (bool(words & {"xa", "phuong", "huyen", "quan", "tinh", "tp", "tx", "tt"})
                     or "thanh pho" in key or "thi tran" in key)
    return has_type_word or len([part for part in value.split(",") if part.strip()]) >= 3


PLACE_KEYS = tuple(f.key for f in doctypes.FIELDS if f.place)
"""Fields printed as "<street or village>, <commune>, <district>, <province>"."""
FREE_TEXT_KEYS = doctypes.keys_where(free_text=True)
"""Fields of free text nothing reads against (:attr:`schemas.doctypes.FieldSpec.free_text`)."""

COMPLETE_TEXT_KEYS = doctypes.keys_where(complete_text=True)


def is_named_agency(value: str) -> bool:
    """An agency with its own name: "ỦY BAN NHÂN DÂN" or "UBND" alone lost its unit line."""
    key = fold(value).strip(" .")
    unit_words = (" tinh", " huyen", " xa", " quan", " phuong", " thanh pho", " thi xa", " thi tran")
    return key not in ("uy ban nhan dan", "ubnd", "hoi dong nhan dan") and not key.endswith(unit_words)


def is_registration_number(value: str) -> bool:
    """Sổ hộ tịch numbers: digits, optionally with a /year or book suffix."""
    return bool(re.match(r"^\d{1,6}(?:/\d{4})?(?:/[A-Za-zĐđ0-9.\-]+)*$", value))


CHECKS: dict[str, tuple[str, Callable[[str], bool]]] = {
    "dossier_code_format": ("dossier_code_format", is_dossier_code),
    "procedure_code_format": ("procedure_code_format", is_procedure_code),
    "doc_number_nd30": ("doc_number_nd30", is_doc_number),
    "phone_format": ("phone_format", is_phone),
    "id_number_format": ("id_number_format", is_id_number),
    "gender_value": ("gender_value", is_gender),
    "name_shape": ("name_shape", is_person_name),
    "registration_format": ("registration_format", is_registration_number),
    "date_past": ("date_valid", is_past_date),
    "date_valid": ("date_valid", is_iso_date),
}
"""The registry's validator names -> (check name stored in ``FieldResult.checks``, check)."""

FIELD_VALIDATORS: dict[str, tuple[str, Callable[[str], bool]]] = {
    f.key: CHECKS[f.validator] for f in doctypes.FIELDS if f.validator is not None
}


def validate_field(key: str, value: str | None) -> dict[str, bool]:
    """The single-field checks of ``key`` on ``value`` (empty dict when the key has none)."""
    if value is None:
        return {}
    entry = FIELD_VALIDATORS.get(key)
    if entry is None:
        checks = {"text_shape": is_nonempty_text(value)}
        if key in COMPLETE_TEXT_KEYS:
            checks["text_complete"] = is_complete_place(value) if key in PLACE_KEYS else is_complete_text(value)
        if key == "issuing_agency":
            checks["agency_named"] = is_named_agency(value)
        if key == "address":
            checks["address_units"] = names_its_units(value)
        return checks
    name, check = entry
    checks = {name: check(value)}
    if doctypes.spec(key).kind == "name":
        # a first word that is no surname: a rare surname, or not a name at all ("Xã Thanh Tân")
        checks["known_surname"] = is_known_surname(value)
    return checks


def is_known_surname(value: str) -> bool:
    """The first word of a person's name is a Vietnamese surname, marks included."""
    words = value.split()
    return bool(words) and words[0].casefold() in _SURNAMES


def cross_checks(values: dict[str, str | None], doc_type: str, symbol: str | None = None) -> dict[str, dict[str, bool]]:
    """Checks that involve two fields (or a field and the type): ``{field key: {check: ok}}``.

    Each check is attached to every field it involves, so that an inconsistency lowers the
    confidence of both sides.
    """
    out: dict[str, dict[str, bool]] = {}

    def put(keys: tuple[str, ...], name: str, ok: bool) -> None:
        for key in keys:
            out.setdefault(key, {})[name] = ok

    received, due = values.get("received_date"), values.get("due_date")
    if received and due and is_iso_date(received) and is_iso_date(due):
        put(("received_date", "due_date"), "due_after_received", due >= received)
    code = values.get("dossier_code")
    if code and received and is_dossier_code(code):
        put(("dossier_code", "received_date"), "code_date_matches_received", dossier_code_matches_received(code, received))
    id_number, birth, gender = values.get("id_number"), values.get("date_of_birth"), values.get("gender")
    if id_number and is_cccd(id_number):
        if birth and is_iso_date(birth):
            put(("id_number", "date_of_birth"), "cccd_matches_dob", cccd_matches_birth(id_number, birth))
        if gender and is_gender(gender):
            put(("id_number", "gender"), "cccd_matches_gender", cccd_matches_gender(id_number, gender))
    number = values.get("doc_number")
    if number and symbol and is_doc_number(number):
        put(("doc_number",), "symbol_matches_type", fold(doc_number_symbol(number) or "") == fold(symbol))
    signed = values.get("signed_date")
    if signed and birth and is_iso_date(signed) and is_iso_date(birth):
        put(("date_of_birth",), "born_before_signed", birth < signed)
    return out


def place_matches_agency(place: str, agency: str) -> bool:
    """The place in "<place>, ngày …" appears in the issuing agency's name (folded)."""
    key = fold(place).strip(" ,.")
    return bool(key) and key in fold(agency)
