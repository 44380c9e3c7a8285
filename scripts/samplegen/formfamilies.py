"""Form families: official citizens' forms (``forms/*.txt``, wording as the state prints it) filled
with fake data, with the variation real scans have.

Each ``forms/<stem>.txt`` is one family, ``kltn:<stem>``. The forms of ``forms/extra/`` are families
too, but opt-in (:func:`all_families`): drawn only when asked by name (``sohoa samples --family
kltn:<stem>``), so the default output (:func:`families`, the first ten) stays as it was; they are
the extractors' unseen forms (Part 6's "new families"). The form's lines are read as printed:
text, and blanks (dot leaders, ``…/…/…``, ``ngày … tháng … năm …``) after their labels. A blank is
filled according to what its label asks (a generator-side table, :data:`ROLES`, written from the
forms and independent of the extractor's synonym table); blanks nobody would fill stay dots.

Ground truth: for each field of an application (``don_de_nghi``), the value of the first blank on
the form that asks for it *for the first person the form names* (the applicant, or on some forms
the person the request is about); the other people (the child, the deceased, the mother, the
person authorised) are not the document's fields. A field the form does not ask of that person is
listed in ``absent``: a value read for it is wrong by definition.

Variation per document: item numbers kept, dropped or added; footnote marks "(1)" kept or
dropped; dot leaders around the value or none; the value on the label's line or the next; two
short items set on one line; A4 or A5; the style's font; values typed or in a handwriting-like
font; a seal stamped over the body; a signature over the signer's name.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import fakedata as fk
from . import sealed6 as s6
from . import sealed7 as s7
from . import sealed8 as s8
from .layout import PAGE_SIZES, Seg, Stamp
from .templates import MOTTO, Case, Doc, Style, _date_segs, _writer, iso, motto_header

FORMS_DIR = Path(__file__).parent / "forms"
EXTRA_DIR = FORMS_DIR / "extra"
APPLICATION_FIELDS = ("full_name", "date_of_birth", "id_number", "address", "signed_date", "gender", "phone")

# Label wording (lower case, as printed on the forms of forms/) -> what the blank asks for. Most
# specific first: the first entry contained in the label decides.
ROLES: tuple[tuple[str, str], ...] = (
    ("điện thoại người thân", "kin_phone"), ("số điện thoại", "phone"), ("điện thoại", "phone"), ("email", "email"), ("mã số bhxh", "code"),
    ("số sổ bhxh", "code"), ("mã số học sinh", "code"), ("số tài khoản", "code"), ("quan hệ", "relation"),
    ("mối quan hệ", "relation"), ("ngày, tháng, năm sinh", "dob"), ("ngày/tháng/năm sinh", "dob"),
    ("ngày tháng năm sinh", "dob"), ("sinh ngày", "dob"), ("ngày sinh", "dob"), ("năm sinh", "year"), ("giới tính", "gender"),
    ("dân tộc", "ethnic"), ("quốc tịch", "nationality"), ("tôn giáo", "religion"), ("nhóm máu", "blood"),
    ("tình trạng hôn nhân", "marital"), ("nghề nghiệp", "job"), ("trình độ", "education"),
    ("số định danh", "id"), ("cmnd", "id"), ("cmtnd", "id"), ("cccd", "id"), ("căn cước", "id"),
    ("chứng minh nhân dân", "id"), ("giấy tờ tùy thân", "id_doc"),
    ("nơi cấp", "issuer"), ("ngày và nơi cấp", "issuer"), ("cấp ngày", "date"),
    ("nơi đăng ký khai sinh", "place"), ("quê quán", "place"), ("nơi sinh", "place"), ("nơi chết", "place"),
    ("nơi cư trú", "address"), ("thường trú", "address"), ("trú tại", "address"), ("nơi ở", "address"), ("chỗ ở", "address"),
    ("địa chỉ", "address"), ("họ, chữ đệm và tên gọi khác", "alias"), ("họ, chữ đệm", "name"),
    ("chữ đệm và tên", "given"),
    ("họ và tên", "name"), ("họ tên", "name"), ("tên tôi là", "name"), ("tôi tên", "name"), ("tôi là:", "name"),
    ("em là", "name"),
    ("của em", "name"), ("kính gửi", "agency"), ("nguyên nhân chết", "cause"), ("đã chết vào lúc", "time"),
    ("lý do", "reason"), ("nội dung", "reason"), ("hiện đang", "job"), ("thời hạn", "period"),
)
# A label that is only a person's form of address ("Anh:", "Bà:") starts another person (the one a
# complaint is about); a label that is only "Họ" asks the surname of another person.
# "Học sinh:" on a parent's application (form 29) names the pupil: another person too.
_PERSON_ONLY = {"anh", "chị", "ông", "bà", "ông/bà", "anh/chị", "học sinh"}
# The forms of the fourth batch (p6tmpl, "sealed4": 13, 20, 36, 57) print wording the other twenty-two
# share with other meanings ("Ngày cấp", "Kính gửi: Bảo hiểm xã hội", "cha/mẹ/con"), so their rules
# apply to these four only (:attr:`FormFamily.late`) and the others render byte for byte as before.
LATE_FORMS = frozenset({"13_DDN_gia_han_time_hoc_nuoc_ngoai", "20_de_nghi_Nhan_che_do_BHXH_khi_nguoi_huong_tu_tran",
                        "36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat", "57_TK_DK_nhan_CMC"})
# Their labels, read before :data:`ROLES` (most specific first, as there).
LATE_ROLES: tuple[tuple[str, str], ...] = (
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
# The forms of new-study6 (p6s9: 03, 27, 46, 49) print wording the others read otherwise (a bare
# "Số:" is a passport's number, "Xã:"/"Huyện:"/"Tỉnh:" are pieces of one address, "Người bị kiện:" is
# another person, "Xác nhận của …" opens the school's section), so their rules apply to these four
# only (:attr:`FormFamily.study6`) and every other family renders as before.
STUDY6_FORMS = frozenset({"03_cap_chinh_sach_noi_tru_dang_hoc", "27_don_khoi_kien",
                          "46_thay_doi_thong_tin_cu_tru_nuoc_ngoai", "49_TK1-TS"})
# Their labels, read before :data:`ROLES` (most specific first, as there).
STUDY6_ROLES: tuple[tuple[str, str], ...] = (
    ("thư điện tử", "email"), ("trong hộ chiếu", "passport_name"), ("quốc tịch nước ngoài", "foreign_nationality"),
    ("nơi cư trú ở nước ngoài", "foreign_address"), ("nơi làm việc ở nước ngoài", "foreign_job"),
    ("của cha, mẹ, vợ, chồng, con", "relatives"), ("có giá trị đến", "valid_until"), ("ngày cấp", "doc_date"),
    ("cơ quan cấp", "passport_issuer"), ("cha/mẹ/giám hộ", "guardian"), ("nhận kết quả", "delivery"),
    ("số nhà, đường/phố", "street"),
)
# "Người khởi kiện:" opens the lawsuit as its applicant; "Người bị kiện:" and "Người có quyền lợi,
# nghĩa vụ liên quan" are other people, with addresses and phones of their own.
_STUDY6_BARE = {"người khởi kiện": "name", "người bị kiện": "defendant",
                "người có quyền lợi, nghĩa vụ liên quan (nếu có)": "related_party", "số": "passport",
                "xã": "ward", "huyện": "district", "tỉnh": "province_part"}
# The forms of the fifth study set (p6s8: 06, 09, 22, 62) print bilingual labels ("Tôi là (Full
# name):", "ngày (date): … tháng (month) …"), a vehicle's and a second person's numbers and a school's
# confirmation under the student's pledge; their rules apply to these four only
# (:attr:`FormFamily.study5`), so every other family renders as before.
STUDY5_FORMS = frozenset({"06_cap_GPLX_quoc_te", "09_cham_dut_huong_tro_cap_that_nghiep", "22_dk_xe1",
                          "62_xet_cap_hoc_bong_chinh_sach"})
# Their labels, read before :data:`ROLES` (most specific first, as there).
STUDY5_ROLES: tuple[tuple[str, str], ...] = (
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
STUDY5_BARE = {"trường": "university", "tại (place of issue)": "issue_place", "tại": "issue_place",
               "cấp": "late_date", "ngày": "late_date", "tháng": "decree_month"}
# A school's confirmation under the student's pledge (form 62): the office's section; its address
# and phone are the school's, its name blank the student's again.
_OFFICE_STUDY5 = {"address": "school_address", "phone": "school_phone", "name": "student_named"}
# The forms of new-study7 (p6s10: 00, 01, 21, 41) print wording the others read otherwise (a
# passport's number and issue beside the identity card's, "Địa chỉ:" of the workplace after
# "Cơ quan công tác …", the landline beside the mobile, the companies a job seeker contacted), so
# their rules apply to these four only (:attr:`FormFamily.study7`) and every other family renders
# as before.
STUDY7_FORMS = frozenset({"00_bao_cao_tot_nghiep_du_hoc_sinh", "01_BCC_thuc_hien_trach_nhiem_du_hoc_sinh",
                          "21_de_nghi_xac_nhan_cap_ho_tro", "41_Mẫu số 16 - TT 28"})
# Their labels, read before :data:`ROLES` (most specific first, as there).
STUDY7_ROLES: tuple[tuple[str, str], ...] = (
    ("hộ chiếu số", "passport"), ("điện thoại cố định", "landline"), ("điện thoại di động", "phone"),
    ("cơ quan công tác sau khi", "employer"), ("cơ quan quản lý trực tiếp", "managing_office"),
    ("ngày tốt nghiệp", "graduated"), ("ngày về nước", "returned"), ("văn bằng", "diploma"),
    ("xếp loại", "grade"), ("thời gian học tập", "study_period"), ("ngày cấp", "doc_date"),
    ("hiện nay là", "occupation"), ("công tác tại", "workplace"), ("tháng hưởng trợ cấp", "count"),
    ("tình trạng việc làm", "job_status"), ("lớp", "class"), ("khóa", "intake"), ("khoa", "faculty"),
)
TRUTH_OF_ROLE = {"name": "full_name", "dob": "date_of_birth", "id": "id_number", "address": "address",
                 "phone": "phone", "gender": "gender"}
_BLANK = r"[.…_]{2,}"
_DATE_BLANK = re.compile(rf"ngày\s*{_BLANK}\s*tháng\s*{_BLANK}\s*năm\s*(?:20)?{_BLANK}", re.IGNORECASE)
_DATE_EN_BLANK = re.compile(rf"ngày\s*\(date\):?\s*{_BLANK}\s*tháng\s*\(month\)\s*{_BLANK}\s*năm\s*\(year\)\s*{_BLANK}",
                            re.IGNORECASE)
# "……, date…… month…… year……": form 06's signing date, printed in English only
_SIGNED_EN = re.compile(rf"^\s*(?:{_BLANK})?\s*,\s*date\s*{_BLANK}\s*month\s*{_BLANK}\s*year\s*{_BLANK}\s*$")
_SLASH_BLANK = re.compile(rf"{_BLANK}(?:\s*/\s*{_BLANK})+")
_PLAIN_BLANK = re.compile(_BLANK)
_FOOTNOTE = re.compile(r"\s*\(\d{1,2}\)")
_ITEM = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[a-e])[.)]\s*")
# "Họ tên cha/mẹ học sinh, sinh viên:" (form 64): one item naming the applicant's parent; the
# household address printed after it is the student's (an opt-in form's rule only).
_APPLICANTS_PARENT = re.compile(r"cha/mẹ (?:của )?(?:học sinh|sinh viên)", re.IGNORECASE)
_LATE_ITEM = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[a-e])[.),]\s*")  # form 36 prints "12,Mục đích …"


@dataclass(frozen=True)
class FormFamily:
    name: str
    stem: str
    title: str
    lines: tuple[str, ...]
    opt_in: bool = False
    """A form of ``forms/extra/``: drawn only when asked by name. Its blanks are also read with the
    rules the first ten do not use (a ``sinh ngày … tháng … năm …`` blank asks the birth date, a title
    printed over two lines stays the title), so that the ten render exactly as before."""
    study6: bool = False
    """One of :data:`STUDY6_FORMS`: read with :data:`STUDY6_ROLES` first, its school's section
    ("Xác nhận của …") left blank, a date blank nobody else reads a document's date."""
    late: bool = False
    """One of :data:`LATE_FORMS`: read with :data:`LATE_ROLES` and the rules of :func:`_late_lines`
    too (an unfilled ``ngày … tháng … năm …`` keeps its words, "Ông (Bà):" is another person, an
    office's section is left blank)."""
    study7: bool = False
    """One of :data:`STUDY7_FORMS`: read with :data:`STUDY7_ROLES` first, the companies a job seeker
    lists written on their dotted lines, a date blank nobody else reads a document's date."""
    sealed6: bool = False
    """One of Part 6's sealed6 forms (:data:`sealed6.FORMS`): read with the rules of :mod:`.sealed6`
    first (its roles, lines, signer), so that every other family renders as before."""
    sealed7: bool = False
    """One of Part 6's sealed7 forms (:data:`sealed7.FORMS`): documents an office or a company issues,
    rendered by :func:`sealed7.document` (its own layout and truth), so every other family renders as before."""
    sealed8: bool = False
    """One of Part 6's sealed8 forms (:data:`sealed8.FORMS`): rendered by :func:`sealed8.document` (its
    own layout and truth), so every other family renders as before."""
    study5: bool = False
    """One of :data:`STUDY5_FORMS`: read with :data:`STUDY5_ROLES` too, a title may carry its English
    gloss in brackets, an English motto stands for the motto, bilingual date blanks are dates."""


def _is_title(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return (len(letters) >= 6 and sum(ch.isupper() for ch in letters) / len(letters) > 0.9
            and not line.strip().startswith(("CỘNG HÒA", "CỘNG HOÀ", "SOCIALIST", "MẪU ")))


def _load(folder: Path, opt_in: bool) -> dict[str, FormFamily]:
    out = {}
    for path in sorted(folder.glob("*.txt")):
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        lines = [" ".join(line.replace("\t", " ").split()) for line in text.splitlines()]
        # a citizen form's issuing office over the motto is no title (p6s6's forms; the late ones
        # render as they were measured sealed)
        start = _motto_index(lines) + 1 if opt_in and path.stem not in LATE_FORMS else 0
        study5 = opt_in and path.stem in STUDY5_FORMS
        # "GIẤY KHAI ĐĂNG KÝ XE (Vehicle registation declaration)": the English gloss is no part of
        # the capitals that make a title (form 22)
        title = s6.TITLES.get(path.stem) or s7.TITLES.get(path.stem) or s8.TITLES.get(path.stem) or next(
            line for line in lines[start:] if _is_title(re.sub(r"\([^)]*\)", "", line) if study5 else line))
        out[f"kltn:{path.stem}"] = FormFamily(f"kltn:{path.stem}", path.stem, title, tuple(lines), opt_in,
                                              study6=path.stem in STUDY6_FORMS, late=path.stem in LATE_FORMS,
                                              study5=study5, study7=opt_in and path.stem in STUDY7_FORMS,
                                              sealed6=opt_in and path.stem in s6.FORMS,
                                              sealed7=opt_in and path.stem in s7.FORMS,
                                              sealed8=opt_in and path.stem in s8.FORMS)
    return out


def _motto_index(lines: list[str] | tuple[str, ...]) -> int:
    """Index of the national motto's line, -1 if the form has none. An office's form prints its
    own name above and left of the motto (form 07: "BẢO HIỂM XÃ HỘI TỈNH", the dashes of its
    two-column header before "CỘNG HÒA …"): those lines are the issuer, never the title."""
    return next((i for i, line in enumerate(lines) if re.match(r"^[-\s]*CỘNG H(?:ÒA|OÀ)", line)), -1)


@lru_cache(maxsize=1)
def families() -> dict[str, FormFamily]:
    """The forms of ``forms/`` (the ten of the default output) as families, by name (``kltn:<stem>``)."""
    return _load(FORMS_DIR, False)


@lru_cache(maxsize=1)
def all_families() -> dict[str, FormFamily]:
    """The ten and the opt-in forms of ``forms/extra/``, by name."""
    return {**families(), **_load(EXTRA_DIR, True)}


def role_of(label: str, late: bool = False, study6: bool = False, study5: bool = False,
            study7: bool = False) -> str | None:
    key = label.casefold()
    if study7:
        bare = _ITEM.sub("", key).strip().rstrip(":").strip()
        # "Lớp: … Khóa: … Khoa: …" (form 21): the whole label only, "khoa" is in many words
        found = next((role for words, role in STUDY7_ROLES
                      if (bare == words if words in ("lớp", "khóa", "khoa") else words in key)), None)
        if found:
            return found
    if study6:
        # "[09]. Nơi đăng ký khai sinh: [09.1]. Xã:", "[14]<tab>Huyện:": the words after the last item
        tail = re.split(r"\]\.?", key)[-1]
        bare = _ITEM.sub("", tail).strip().rstrip(":").strip()
        found = _STUDY6_BARE.get(bare) or next((role for words, role in STUDY6_ROLES if words in key), None)
        if found:
            return found
    if study5:
        bare = _ITEM.sub("", key).strip().rstrip(":").strip()
        found = STUDY5_BARE.get(bare) or next((role for words, role in STUDY5_ROLES if words in key), None)
        if found:
            return None if found == "none" else found
    if late:
        bare = _LATE_ITEM.sub("", key).strip().rstrip(":").strip()
        if bare == "ông (bà)":  # "1. Ông (Bà): …… Sinh ngày …": a relative, another person
            return "name"
        if bare == "là":  # "Là …… của người có tên dưới đây": the relation word
            return "parent_word"
        found = next((role for words, role in LATE_ROLES if words in key), None)
        if found:
            return found
    bare = _ITEM.sub("", key).strip().rstrip(":").strip()
    if bare in _PERSON_ONLY:
        return "name"
    if bare == "họ":
        return "surname"
    return next((role for words, role in ROLES if words in key), None)


@dataclass
class _Filler:
    """Fills blanks person by person: each name blank after the first starts another person."""

    rng: random.Random
    case: Case
    hand: bool
    people: int = 0
    truth: dict | None = None

    def __post_init__(self) -> None:
        self.person = self.case.person
        self.truth = {}
        self.late: dict = {}  # what a late form's blanks said before (the next person's gender, …)

    def value(self, role: str | None, label: str, date_blank: bool) -> tuple[str | None, str | None]:
        """(text to print, truth key it is the first value of, or None) for one blank."""
        rng, p = self.rng, self.person
        if role in s6.VALUES:  # only the sealed6 forms' roles (:func:`sealed6.role`)
            return s6.VALUES[role](self, label, date_blank)
        if role == "surname":  # "Họ …… Chữ đệm và tên ……": another person, the surname in its own blank
            self.person = p = fk.make_person(rng)
            self.people += 1
            return p.full_name.split()[0], None
        if role == "given":
            return " ".join(p.full_name.split()[1:]), None
        if role == "kin_phone":  # "Số điện thoại người thân": a relative's number, not the applicant's
            return fk.format_phone(fk.make_person(rng).phone, rng), None
        if role == "applicants_parent":  # "Họ tên cha/mẹ học sinh, sinh viên:": named, not described
            return fk.make_person(rng).full_name, None
        if role == "yes_no":  # drawn only here, like "company"
            return rng.choice(("Có", "Không")), None
        if role == "company":  # drawn only here: the ten forms' random stream stays as it was
            return rng.choice(("TNHH Minh Phát", "CP Xây dựng Hòa Bình", "TNHH Thương mại An Khang")), None
        if role in _STUDY7_VALUES:  # only the study7 forms' roles (:data:`STUDY7_ROLES`)
            return _STUDY7_VALUES[role](self, label, date_blank)
        if role in _STUDY6_VALUES:
            return _STUDY6_VALUES[role](self, label, date_blank)
        if role in _LATE_VALUES:
            return _LATE_VALUES[role](self, label, date_blank) or None, None
        if role in _STUDY5_VALUES:
            return _STUDY5_VALUES[role](self, label, date_blank) or None, None
        if role == "name":
            if self.people and {"born", "gender"} & set(self.late):  # a late form said who comes next
                self.person = p = fk.make_person(rng, born_between=self.late.pop("born", (1950, 2004)),
                                                 gender=self.late.pop("gender", None))
            elif self.people:
                lowered = label.casefold()
                bare = _ITEM.sub("", lowered).strip().rstrip(":").strip()
                gender = ("Nữ" if " mẹ" in lowered or bare in ("chị", "bà") else
                          "Nam" if " cha" in lowered or bare in ("anh", "ông") else None)
                self.person = p = fk.make_person(rng, gender=gender)
            self.people += 1
            text = p.full_name.upper() if "in hoa" in label.casefold() else p.full_name
            return self._truth("full_name", text, text)
        if role == "dob":
            if date_blank:
                return self._truth("date_of_birth", f"ngày {p.date_of_birth.day:02d} tháng {p.date_of_birth.month:02d} "
                                   f"năm {p.date_of_birth.year}", iso(p.date_of_birth))
            return self._truth("date_of_birth", fk.format_date(p.date_of_birth, rng), iso(p.date_of_birth))
        if role == "id":
            return self._truth("id_number", fk.format_id(p.id_number, rng), p.id_number)
        if role == "id_doc":
            kind = "CCCD" if p.id_kind == "cccd" else "CMND"
            return self._truth("id_number", f"{kind} số {p.id_number}", p.id_number)
        if role == "address":
            return self._truth("address", p.address, p.address)
        if role == "phone":
            return self._truth("phone", fk.format_phone(p.phone, rng), p.phone)
        if role == "gender":
            return self._truth("gender", p.gender, p.gender)
        simple = {
            "ethnic": rng.choice(("Kinh", "Kinh", "Tày", "Mường")), "nationality": "Việt Nam",
            "religion": "Không", "blood": rng.choice(("O", "A", "B")), "marital": rng.choice(("Đã kết hôn", "Độc thân")),
            "job": rng.choice(("Nông dân", "Công nhân", "Giáo viên", "Kinh doanh", "Lao động tự do")),
            "education": rng.choice(("12/12", "Đại học", "Cao đẳng")), "year": str(p.date_of_birth.year),
            "place": f"{p.birth_unit.ward}, {p.birth_unit.district}, {p.birth_unit.province}",
            "agency": self.case.agency.name.title().replace("Ủy Ban Nhân Dân", "Ủy ban nhân dân"),
            "relation": rng.choice(("Cha", "Mẹ", "Con", "Vợ", "Chồng")), "email": "",
            "code": str(rng.randrange(10 ** 9, 10 ** 10)), "issuer": "Cục Cảnh sát QLHC về TTXH",
            "date": fk.format_date(fk.random_date(rng, dt.date(2016, 1, 1), dt.date(2023, 12, 31)), rng),
            "reason": rng.choice(("Hoàn cảnh gia đình khó khăn", "Chuyển nơi ở mới", "Theo quy định")),
            "cause": "Bệnh già", "province": self.case.person.home.province, "period": "12 tháng", "time": "08", "alias": "",
        }
        text = simple.get(role or "", "")
        return (text or None), None

    def _truth(self, key: str, text: str, value: str | None) -> tuple[str, str | None]:
        if key in self.truth or self.people > 1:
            return text, None  # the applicant's fields only: later people are the child, the deceased …
        self.truth[key] = value
        return text, key


def _words(day: dt.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _late_date(f: _Filler, label: str, date_blank: bool) -> str:
    """A late form's date blank nobody else reads: a death ("Chết ngày …", weeks before the
    application) or a document's date (a decision, an identity card's issue: years before)."""
    rng, received = f.rng, f.case.received
    if label.casefold().rstrip(" :").endswith("chết"):
        day = received - dt.timedelta(days=rng.randint(20, 200))
    else:
        day = fk.random_date(rng, received - dt.timedelta(days=6 * 365), received - dt.timedelta(days=400))
    return _words(day) if date_blank else fk.format_date(day, rng)


def _other_person(f: _Filler, label: str, date_blank: bool) -> str:
    """"… đã từ trần là Ông (Bà): ……": the deceased, another person, whose details follow."""
    f.late.pop("born", None)
    year = f.case.person.date_of_birth.year
    f.person = fk.make_person(f.rng, born_between=(year - 45, year - 20))
    f.people += 1
    return f.person.full_name


def _kin_of_deceased(f: _Filler, label: str, date_blank: bool) -> str:
    """Form 20: the applicant and the relatives listed are the deceased's children, the next one
    born within ten years of the applicant."""
    year, last = f.case.person.date_of_birth.year, f.case.received.year - 18
    f.late["born"] = (min(year - 10, last), min(year + 10, last))
    return "Con"


def _requester(f: _Filler, label: str, date_blank: bool) -> str:
    """Form 57: the requester is the spouse of the parent recognising a child (who is named next)."""
    f.late["gender"] = "Nữ" if f.person.gender == "Nam" else "Nam"
    year, last = f.person.date_of_birth.year, f.case.received.year - 21
    f.late["born"] = (min(year - 8, last), min(year + 8, last))
    return "Chồng" if f.person.gender == "Nam" else "Vợ"


def _parent_word(f: _Filler, label: str, date_blank: bool) -> str:
    """Form 57 "Là …… của người có tên dưới đây": the parent just named is the father or mother of
    the child named next, born twenty to forty years later."""
    year = f.person.date_of_birth.year
    last = f.case.received.year - 1
    f.late["born"] = (min(year + 20, last), min(year + 40, last))
    f.late["word"] = "cha" if f.person.gender == "Nam" else "mẹ"
    return f.late["word"]


def _shared_meter(f: _Filler, label: str, date_blank: bool) -> str:
    """Form 36: whose meter is shared, only when item 15 said one is."""
    if f.late.get("supply") != "Đang dùng công tơ chung":
        return ""
    return f"{fk.make_person(f.rng).full_name}/PA{f.rng.randrange(10 ** 9, 10 ** 10)}"


def _supply(f: _Filler, label: str, date_blank: bool) -> str:
    f.late["supply"] = f.rng.choice(("Chưa có điện", "Chưa có điện", "Đang dùng công tơ chung"))
    return f.late["supply"]


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


_LATE_VALUES = {
    "landline": lambda f, label, date_blank: "",
    "customer": lambda f, label, date_blank: f.rng.choice(
        ("Công ty TNHH Minh Phát", "Hộ kinh doanh " + f.person.full_name, "Cơ sở may Thành Công")),
    "other_name": _other_person,
    "bank": lambda f, label, date_blank: f.rng.choice(("Vietcombank", "Agribank", "BIDV", "VietinBank"))
    + " chi nhánh " + f.person.home.province_short,
    "tax": lambda f, label, date_blank: str(f.rng.randrange(10 ** 9, 10 ** 10)),
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
    "enrolled": _late_date,
    "late_date": _late_date,
    "duration": lambda f, label, date_blank: f.rng.choice(("24 tháng", "36 tháng", "48 tháng")),
    "funding": lambda f, label, date_blank: f.rng.choice(("Tự túc", "Học bổng Chính phủ", "Ngân sách nhà nước")),
    "count": lambda f, label, date_blank: str(f.rng.randint(2, 3)),
    "kin_of_deceased": _kin_of_deceased,
    "paid_at": lambda f, label, date_blank: "Bưu điện " + _lower_first(f.case.person.home.district),
    "requester": _requester,
    "parent_word": _parent_word,
    "recognised": lambda f, label, date_blank: f"{f.late.get('word', 'cha')}, con",
    "insurer": lambda f, label, date_blank: _lower_first(f.case.person.home.district),
    "ministry": lambda f, label, date_blank: "Bộ Giáo dục và Đào tạo",
    "power_company": lambda f, label, date_blank: "Công ty Điện lực " + f.case.person.home.province_short,
}


def _unaccented(name: str) -> str:
    """A Vietnamese name as a foreign passport prints it: upper case, no diacritics."""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).upper()


def _other_party(f: _Filler, label: str, date_blank: bool) -> tuple[str, None]:
    """A lawsuit's defendant or related party: another person (an office, for some defendants),
    whose address and phone follow."""
    f.person = fk.make_person(f.rng)
    f.people += 1
    if label.casefold().strip().startswith("người bị kiện") and f.rng.random() < 0.4:
        return "Ủy ban nhân dân " + f.person.home.district, None
    return f.person.full_name, None


def _address_piece(f: _Filler, label: str, date_blank: bool, part: str) -> tuple[str, None]:
    """Form 49's address in pieces: the birth registration's commune (item [09]) or the residence's
    (items [12]-[15], after the street)."""
    if "khai sinh" in label.casefold():
        f.late["unit"] = "birth"  # "[09.2]. Huyện:" and "[09.3]. Tỉnh:" follow on the same item
    unit = f.person.birth_unit if f.late.get("unit") == "birth" else f.person.home
    return getattr(unit, part), None


def _street(f: _Filler, label: str, date_blank: bool) -> tuple[str, str | None]:
    """"[12]. Số nhà, đường/phố, thôn/xóm:": the house and street; the commune, district and
    province follow in their own blanks, and the address (the truth) is the four together."""
    p = f.person
    f.late["unit"] = "home"
    head = p.address[: -len(f", {p.home.ward}, {p.home.district}, {p.home.province}")]
    return f._truth("address", head, p.address)


def _study6_date(f: _Filler, label: str, date_blank: bool, future: bool = False) -> tuple[str, None]:
    rng, received = f.rng, f.case.received
    if future:
        day = fk.random_date(rng, received + dt.timedelta(days=200), received + dt.timedelta(days=9 * 365))
    else:
        day = fk.random_date(rng, received - dt.timedelta(days=8 * 365), received - dt.timedelta(days=200))
    return (_words(day) if date_blank else fk.format_date(day, rng)), None


_COUNTRIES = (("Hoa Kỳ", "San Jose, California"), ("Pháp", "Paris"), ("Úc", "Sydney"), ("Canada", "Toronto"),
              ("Đức", "Berlin"))


def _country(f: _Filler) -> tuple[str, str]:
    if "country" not in f.late:
        f.late["country"] = f.rng.choice(_COUNTRIES)
    return f.late["country"]


_STUDY6_VALUES = {
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
    "valid_until": lambda f, label, date_blank: _study6_date(f, label, date_blank, future=True),
    "doc_date": _study6_date,
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


def _study5_other(f: _Filler, what: str) -> str:
    """Form 22: the person doing the procedure for the owner, when it is somebody else (most often),
    has an identity number and a phone of their own; when the owner comes in person they stay blank."""
    if "other" not in f.late:
        f.late["other"] = fk.make_person(f.rng) if f.rng.random() < 0.7 else None
    other = f.late["other"]
    if other is None:
        return ""
    return fk.format_id(other.id_number, f.rng) if what == "id" else fk.format_phone(other.phone, f.rng)


def _school(f: _Filler) -> str:
    if "school" not in f.late:
        f.late["school"] = f.rng.choice(("Đại học Tây Bắc", "Đại học Cần Thơ", "Đại học Tây Nguyên",
                                         "Cao đẳng Sư phạm Hà Giang"))
    return f.late["school"]


def _school_address(f: _Filler, label: str, date_blank: bool) -> str:
    f.late.setdefault("school_address", fk.street_address(f.rng, fk.make_person(f.rng).home))
    return f.late["school_address"]


_STUDY5_VALUES = {
    "other_id": lambda f, label, date_blank: _study5_other(f, "id"),
    "other_phone": lambda f, label, date_blank: _study5_other(f, "phone"),
    "transport_dept": lambda f, label, date_blank: "Sở Giao thông vận tải " + f.case.person.home.province_short,
    "passport": lambda f, label, date_blank: f"C{f.rng.randrange(10 ** 6, 10 ** 7)}" if f.rng.random() < 0.5 else "",
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
    "class": lambda f, label, date_blank: f.rng.choice(("K45A", "SP Toán K12", "CNTT2", "KT44B")),
    # the school confirms the intake and faculty the student wrote
    "intake": lambda f, label, date_blank: f.late.setdefault("intake", str(f.rng.choice((44, 45, 46, 47)))),
    "faculty": lambda f, label, date_blank: f.late.setdefault(
        "faculty", f.rng.choice(("Sư phạm", "Nông học", "Kinh tế", "Công nghệ thông tin"))),
    "study_year": lambda f, label, date_blank: str(f.rng.randint(1, 4)),
    "university": lambda f, label, date_blank: _school(f),
    "school_address": _school_address,
    "school_phone": lambda f, label, date_blank: f"0{f.rng.choice((214, 219, 292, 262))} {f.rng.randrange(10 ** 6, 10 ** 7)}",
    "student_named": lambda f, label, date_blank: f.case.person.full_name.upper(),
}


def _study7_role(role: str | None, kind: str, label: str, f: _Filler) -> str | None:
    """A study7 form's blank by what was asked before it: the address of the workplace named just
    before ("14. Cơ quan công tác …: …" then "Địa chỉ:"), the passport's issuing office, the
    addressee by the form's office, a document's date."""
    if role == "address" and f.late.pop("employer", None):
        return "work_address"
    if role == "issuer" and f.late.pop("passport", None):
        return "passport_office"
    if role == "agency":
        return "province" if "việc làm" in label.casefold() else "ministry"
    if role is None and (kind == "date" or (kind == "slash" and label.casefold().rstrip(" :").endswith("ngày"))):
        return "doc_date"  # "cấp ngày … tháng … năm …", "Quyết định số … ngày …/…/…"
    return role


def _employer(f: _Filler, label: str, date_blank: bool) -> tuple[str, None]:
    f.late["employer"] = True
    return f.rng.choice(("Trường Đại học Bách khoa Hà Nội", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
                         "Công ty CP FPT", "Bệnh viện Bạch Mai")), None


def _passport_number(f: _Filler, label: str, date_blank: bool) -> tuple[str, None]:
    f.late["passport"] = True
    return f"{f.rng.choice('BCN')}{f.rng.randrange(10 ** 7):07d}", None


def _contacted(f: _Filler) -> str:
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


def _study7_past(f: _Filler, label: str, date_blank: bool) -> tuple[str, None]:
    """The graduation and the return home: months before the report."""
    day = fk.random_date(f.rng, f.case.received - dt.timedelta(days=300), f.case.received - dt.timedelta(days=20))
    return (_words(day) if date_blank else fk.format_date(day, f.rng)), None


_STUDY7_VALUES = {
    "passport": _passport_number,
    "passport_office": lambda f, label, date_blank: ("Cục Quản lý xuất nhập cảnh", None),
    "landline": lambda f, label, date_blank: (None, None),  # the mobile is the "di động" blank's
    "employer": _employer,
    "work_address": lambda f, label, date_blank: (fk.street_address(f.rng, fk.pick_unit(f.rng)), None),
    "managing_office": lambda f, label, date_blank: (f.rng.choice(("Không", "Bộ Giáo dục và Đào tạo")), None),
    "graduated": _study7_past,
    "returned": _study7_past,
    "diploma": lambda f, label, date_blank: (f.rng.choice(("Bằng Thạc sĩ", "Bằng Tiến sĩ", "Bằng Cử nhân")), None),
    "grade": lambda f, label, date_blank: (f.rng.choice(("Giỏi", "Khá", "Xuất sắc")), None),
    "study_period": lambda f, label, date_blank: (f.rng.choice(("24 tháng", "36 tháng", "48 tháng")), None),
    "occupation": lambda f, label, date_blank: (f.rng.choice(("Sinh viên", "Học viên cao học")), None),
    "workplace": lambda f, label, date_blank: (f.rng.choice(("Công ty TNHH Minh Phát", "UBND xã", "Hưu trí")), None),
    "count": lambda f, label, date_blank: (str(f.rng.randint(1, 6)), None),
    "job_status": lambda f, label, date_blank: (f.rng.choice(("Chưa có việc làm", "Đang tìm việc")), None),
    "class": lambda f, label, date_blank: (f"CĐ{f.rng.randint(18, 24)}{f.rng.choice('ABC')}", None),
    "intake": lambda f, label, date_blank: (str(f.rng.randint(18, 24)), None),
    "faculty": lambda f, label, date_blank: (f.rng.choice(("Cơ khí", "Điện", "Công nghệ thông tin")), None),
    "ministry": lambda f, label, date_blank: ("Bộ Giáo dục và Đào tạo", None),
}


def _items(line: str, study5: bool = False) -> list[tuple[str, str | None]]:
    """(text before the blank, blank kind) pieces of a line; kind None for trailing text.
    Kinds: ``date`` (ngày … tháng … năm …), ``slash`` (…/…/…), ``plain``."""
    out, pos = [], 0
    pattern = re.compile(f"(?P<date>{_DATE_BLANK.pattern})|(?P<slash>{_SLASH_BLANK.pattern})|(?P<plain>{_BLANK})",
                         re.IGNORECASE)
    if study5:  # "ngày (date): …… tháng (month) …… năm (year) ……" (form 06) is a date blank too
        pattern = re.compile(f"(?P<date_en>{_DATE_EN_BLANK.pattern})|" + pattern.pattern, re.IGNORECASE)
    for match in pattern.finditer(line):
        out.append((line[pos:match.start()], match.lastgroup))
        pos = match.end()
    if line[pos:].strip():
        out.append((line[pos:], None))
    return out


def form_document(rng: random.Random, style: Style, case: Case, family: FormFamily) -> Doc:
    """One filled form of ``family``."""
    if family.sealed7:  # an office's or a company's document: its own layout and truth
        return s7.document(rng, style, case, family)
    if family.sealed8:  # a building permit, a citizen's information sheet: their own layouts and truth
        return s8.document(rng, style, case, family)
    size = PAGE_SIZES[rng.choice(("A4", "A5"))] if rng.random() < 0.5 else style.size
    style = Style(size, style.family, style.hand_rate, style.blank_rate, style.scanned)
    w = _writer(style, rng)
    hand = style.scanned and rng.random() < style.hand_rate
    filler = _Filler(rng, case, hand)
    numbering = rng.choice(("keep", "keep", "drop", "add"))
    if family.sealed6:
        numbering = s6.numbering(family.stem, numbering)
    footnotes = rng.random() < 0.5
    leaders = rng.random() < 0.6
    signed = case.received - dt.timedelta(days=rng.randint(0, 3))
    item_no = 0
    started = False
    title_last = False  # the line before was the title (a title printed over two lines)
    pending: list[Seg] | None = None  # a short item waiting for a second one on the same line
    office = False  # a late form's section for the office ("Xét duyệt của cơ quan BHXH"): left blank
    lines = _late_lines(family.lines) if family.late else family.lines
    title = family.title  # a sealed6 form's title as this applicant completed it (form 30's "ĐƠN …")
    if family.sealed6:
        lines, title = s6.lines(family.stem, family.lines, family.title, filler)
    item = _LATE_ITEM if family.late else _ITEM
    issuer_lines = _motto_index(family.lines) if family.opt_in and not family.late else -1
    for index, raw in enumerate(lines):
        line = raw if footnotes else _FOOTNOTE.sub("", raw)
        if index < issuer_lines and line.strip() and not line.startswith("MẪU "):
            w.paragraph(line, indent=0.0)  # the issuing office's name over the motto, as printed
            started = True
            continue
        if family.opt_in:  # "năm 20 ……" and "Làm tại……, ngày …" are the signing date's blanks too
            if not family.late:
                line = re.sub(r"^-+\s*(?=CỘNG H(?:ÒA|OÀ))", "", line)  # the two-column header's dashes
            line = re.sub(rf"(năm\s*20)\s+(?={_BLANK})", r"\1", line)
            line = re.sub(rf"^(\s*Làm tại)\s*(?={_BLANK})", r"\1: ", line)
            if _blank_on_next_line(line, lines[index + 1:]):
                line += " ……"
            elif family.late and not re.search(_BLANK, line) and line.rstrip().endswith(":") \
                    and role_of(line, True) in TRUTH_OF_ROLE:
                line += " ……"  # "Số điện thoại liên hệ:<tab>": the tab was the blank (form 20)
        if family.study5:  # "……, ngày … tháng … năm ……" (form 09): one "…" is a blank too
            line = re.sub(r"(?<![.…_])…(?![.…_])", "……", line)
        if (family.late and line.startswith("Xét duyệt")) or (family.study6 and line.startswith("Xác nhận của")):
            office = True
        if family.study5 and line.startswith("GIẤY XÁC NHẬN CỦA"):
            office = True  # form 62: the school confirms under the student's pledge
        if family.study7 and line.strip() and re.fullmatch(r"[-_.…\s]+", line) and index \
                and "tên đơn vị, địa chỉ" in lines[index - 1].casefold() and (" thứ (…)" not in lines[index - 1]
                                                                         or rng.random() < 0.4):
            _flush(w, pending)
            pending = None
            w.paragraph(_contacted(filler), indent=0.0)  # a company the job seeker applied to
            continue
        if not line.strip() or re.fullmatch(r"[-_.…\s]+", line):
            continue
        if line.startswith("MẪU ") and not started:
            continue  # a collection's caption over the form ("MẪU ĐƠN …"), not the form's own text
        if line.startswith(("CỘNG HÒA", "CỘNG HOÀ")) and (not started or index == issuer_lines):
            motto_header(w)
            continue
        if family.study5 and line.startswith("SOCIALIST") and not started:
            motto_header(w)  # form 06 kept only the motto's English line: the form prints both
            continue
        if line.startswith("Độc lập") or line.startswith(("SOCIALIST", "Independent")):
            continue
        if family.study5 and _SIGNED_EN.match(line):
            _flush(w, pending)
            pending = None
            x_mid = w.left + (w.right - w.left) * 0.4
            w.line([Seg(f"{case.person.home.ward_short}, date ", "italic"),
                    Seg(f"{signed.day:02d} month {signed.month:02d} year {signed.year}", "italic", hand=hand,
                        key="signed_date")], w.body * 0.95, "center", x_mid, w.right)
            filler.truth.setdefault("signed_date", iso(signed))
            continue
        if line in (family.title, title) or (_is_title(line) and not started and index > issuer_lines) or (family.opt_in and title_last and _is_title(line)):
            title_last = True
            for wrapped in w.wrap([Seg(line, "bold")], w.body * 1.1, w.right - w.left):
                w.line(wrapped, w.body * 1.1, "center")
            w.space(0.4)
            started = True
            continue
        started = True
        title_last = False
        if _DATE_BLANK.search(line) and re.match(rf"^\s*(?:Làm tại:\s*)?(?:{_BLANK})?\s*,?\s*ngày", line, re.IGNORECASE):
            _flush(w, pending)
            pending = None
            x_mid = w.left + (w.right - w.left) * 0.4
            if office:  # the office signs after the application is filed: its date stays blank
                w.line([Seg(line)], w.body * 0.95, "center", x_mid, w.right)
                continue
            place = case.person.home.ward_short
            segs = _date_segs(place, signed, hand, False)
            w.line(segs, w.body * 0.95, "center", x_mid, w.right)
            filler.truth.setdefault("signed_date", iso(signed))
            continue
        items = _items(line, family.study5)
        if not any(kind for _, kind in items):
            _flush(w, pending)
            pending = None
            if family.sealed6:
                s6.text_line(family.stem, line, filler)
            if len(line) < 90 and rng.random() < 0.1 and not (family.sealed6 and line.rstrip().endswith(":")):
                continue  # forms are often trimmed of a printed note (a sealed6 form's headings stay)
            w.paragraph(line, indent=0.0 if len(line) < 60 else None)
            continue
        if numbering == "drop":
            line_items = [(item.sub("", items[0][0]), items[0][1])] + items[1:]
        elif numbering == "add" and not item.match(items[0][0]) and items[0][1] and len(items[0][0].strip()) > 3:
            item_no += 1
            line_items = [(f"{item_no}. {items[0][0].lstrip()}", items[0][1])] + items[1:]
        else:
            line_items = items
        segs: list[Seg] = []
        value_below: tuple[str, str | None] | None = None
        prev_role = None  # the line's blank before (a sealed6 form's "Tháng … năm …")
        for label, kind in line_items:
            if kind is None:
                segs.append(Seg(label))
                continue
            bilingual = kind == "date_en"
            kind = "date" if bilingual else kind
            role = role_of(label, family.late, family.study6, study5=family.study5, study7=family.study7)
            if family.study5 and office:
                role = _OFFICE_STUDY5.get(role or "", role)
            if family.sealed6:
                role = prev_role = s6.role(family.stem, label, kind, prev_role) or role
            if role is None and kind == "date" and family.opt_in and label.casefold().rstrip(" :").endswith("sinh"):
                role = "dob"  # "Sinh ngày …… tháng …… năm ……"
            if family.study7:
                role = _study7_role(role, kind, label, filler)
            if family.study6 and (office or (role is None and kind == "date")):
                role = None if office else "doc_date"  # "cấp ngày …", "Quyết định … ngày …": a document's date
            if family.late and (office or role in ("agency", None)):
                role = None if office else _late_role(role, kind, label, family.title)
            elif role == "agency" and family.opt_in and re.search(r"kính gửi:?\s*\w", label, re.IGNORECASE):
                role = _addressee(label)  # "Kính gửi: Sở Giao thông vận tải ……": the rest of its name
            if family.opt_in and not family.late and "(có/không)" in label.casefold() and role in TRUTH_OF_ROLE:
                role = "yes_no"  # "Tiền nhà ở (… tự lo chỗ ở)(có/không)": a yes or no, no address
            if family.opt_in and not family.late and role == "name" and _APPLICANTS_PARENT.search(label):
                role = "applicants_parent"  # form 64: the items after it are still the student's own
            text, key = filler.value(role, label, kind == "date")
            if bilingual and text:
                text = re.sub(r"^ngày (\S+) tháng (\S+) năm ", r"ngày (date): \1 tháng (month) \2 năm (year) ", text)
            if text is None:
                if (family.late or family.study6) and kind == "date":  # an unfilled date keeps its printed words
                    segs.append(Seg(label + "ngày …… tháng …… năm ……"))
                    continue
                segs.append(Seg(label + "…" * rng.randint(3, 8)))
                continue
            lead = "." * rng.randint(2, 6) if leaders and rng.random() < 0.5 else ""
            if family.opt_in and kind == "date":
                lead = ""  # "Sinh ngày 05 tháng 03 …": the blank's own words follow the label
            label_text = label.rstrip()
            if not label_text.endswith(":") and not lead and role_of(
                    label, family.late, family.study6, study5=family.study5, study7=family.study7) in TRUTH_OF_ROLE:
                label_text += rng.choice((":", "", " "))
            if len(line_items) == 1 and key in ("address",) and rng.random() < 0.2:
                segs.append(Seg(label_text))
                value_below = (text, key)
                continue
            segs += [Seg(label_text + (" " if not lead else "") + lead), Seg(text, hand=hand, key=key)]
            if leaders and rng.random() < 0.5:
                segs.append(Seg(" " + "." * rng.randint(4, 12)))
            segs.append(Seg(" "))
        short = len(line_items) == 1 and sum(len(s.text) for s in segs) < 38 and value_below is None
        if short and pending is None and rng.random() < 0.25:
            pending = segs
            continue
        if pending is not None:
            segs = pending + [Seg("   ")] + segs
            pending = None
        w.paragraph(_tidy(segs), indent=0.0, gap=0.1)
        if value_below is not None:
            text, key = value_below
            w.paragraph([Seg(text, hand=hand, key=key)], indent=6 * w.mm, gap=0.1)
    _flush(w, pending)
    x_mid = w.left + (w.right - w.left) * 0.4
    if rng.random() < 0.3:  # a seal stamped over the body text (certified copy, receiving office)
        body_page = w.pages[0]
        body_page.ops.append(Stamp(w.left + (w.right - w.left) * rng.uniform(0.3, 0.8), w.height * rng.uniform(0.3, 0.6),
                                   16 * w.mm, case.agency.name, w.font("bold")))
    signer = (["NGƯỜI LÀM ĐƠN" if "ĐƠN" in family.title else "NGƯỜI KHAI"], case.person.full_name,
              "(Ký, ghi rõ họ tên)", None)
    if family.sealed6:
        signer = s6.signer(family.stem, filler, signer[0])
    w.sign_block(signer[0], signer[1], signer[3], x_mid, w.right, note=signer[2])
    doc_type, fields = _type_of(family)
    truth = {key: filler.truth.get(key) for key in fields}
    absent = [key for key in fields if key not in filler.truth]
    hand_keys = [k for k in filler.truth if hand and k != "signed_date"]
    doc = Doc(doc_type, w.pages, truth, "\n".join(w.lines), title, sorted(hand_keys), w.boxes,
              case.person.home.codes if truth.get("address") == case.person.address else None)
    doc.family = family.name
    doc.absent = absent
    return doc


def _late_lines(lines: tuple[str, ...]) -> tuple[str, ...]:
    """A late form's lines as they read: two columns set on one line are two lines ("(Ký, ghi rõ họ
    tên và đóng dấu)<tab>…, ngày … tháng … năm …", form 20); a label run into the next one's date
    gets its blank back ("Số sổ BHXH: Chết ngày …", form 20)."""
    out = []
    for line in lines:
        two = re.match(rf"^(\([^)]*\))\s*((?:{_BLANK})?\s*,\s*ngày\b.*)$", line)
        if two:
            out += [two.group(1), two.group(2)]
            continue
        out.append(re.sub(r":\s+(?=[A-ZĐ]\w* ngày\s*[.…])", ": …… ", line))
    return tuple(out)


def _late_role(role: str | None, kind: str, label: str, title: str) -> str | None:
    """A late form's addressee by what the form is about, and its dates nobody else reads."""
    if role == "agency":
        return ("insurer" if "bảo hiểm xã hội" in label.casefold() else "ministry" if "NƯỚC NGOÀI" in title
                else "power_company" if "ĐIỆN" in title else "agency")
    return "late_date" if kind == "date" else None
# An opt-in form that is not a citizen's application: its type by its title, and the fields its
# blanks ask of the person (form 07, the social insurance office's receipt, "GIẤY TIẾP NHẬN HỒ SƠ VÀ
# HẸN TRẢ KẾT QUẢ …": its "Nội dung yêu cầu giải quyết" is a free request, not scored; its dates are
# left blank, so reading one is wrong).
_OTHER_TYPES = (("GIẤY TIẾP NHẬN HỒ SƠ", "giay_tiep_nhan",
                 ("dossier_code", "full_name", "address", "phone", "received_date", "due_date")),)


def _type_of(family: FormFamily) -> tuple[str, tuple[str, ...]]:
    """(document type, fields scored) of a filled form: an application unless its title says otherwise."""
    if family.opt_in:
        for title, doc_type, fields in _OTHER_TYPES:
            if family.title.startswith(title):
                return doc_type, fields
    return "don_de_nghi", APPLICATION_FIELDS


def _blank_on_next_line(line: str, rest: tuple[str, ...]) -> bool:
    """A person's item whose blank is the next line, all dots ("Địa chỉ cư trú (ghi đầy đủ …):" then
    "………", form 47): the value is written for that label."""
    if re.search(_BLANK, line) or not line.rstrip().endswith(":") or role_of(line) not in TRUTH_OF_ROLE:
        return False
    following = next((other for other in rest if other.strip()), "")
    return bool(re.fullmatch(r"[-_.…\s]+", following))


def _addressee(label: str) -> str | None:
    """The role of a "Kính gửi" blank whose label already names the kind of addressee."""
    key = label.casefold()
    return "province" if "sở " in key else "company" if "công ty" in key else None


def _flush(w, pending: list[Seg] | None) -> None:
    if pending:
        w.paragraph(_tidy(pending), indent=0.0, gap=0.1)


def _tidy(segs: list[Seg]) -> list[Seg]:
    """Drop a trailing space segment and merge nothing else (keys stay on their segments)."""
    while segs and not segs[-1].text.strip():
        segs = segs[:-1]
    return segs
