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
TRUTH_OF_ROLE = {"name": "full_name", "dob": "date_of_birth", "id": "id_number", "address": "address",
                 "phone": "phone", "gender": "gender"}
_BLANK = r"[.…_]{2,}"
_DATE_BLANK = re.compile(rf"ngày\s*{_BLANK}\s*tháng\s*{_BLANK}\s*năm\s*(?:20)?{_BLANK}", re.IGNORECASE)
_SLASH_BLANK = re.compile(rf"{_BLANK}(?:\s*/\s*{_BLANK})+")
_PLAIN_BLANK = re.compile(_BLANK)
_FOOTNOTE = re.compile(r"\s*\(\d{1,2}\)")
_ITEM = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[a-e])[.)]\s*")


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


def _is_title(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return (len(letters) >= 6 and sum(ch.isupper() for ch in letters) / len(letters) > 0.9
            and not line.strip().startswith(("CỘNG HÒA", "CỘNG HOÀ", "SOCIALIST", "MẪU ")))


def _load(folder: Path, opt_in: bool) -> dict[str, FormFamily]:
    out = {}
    for path in sorted(folder.glob("*.txt")):
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        lines = [" ".join(line.replace("\t", " ").split()) for line in text.splitlines()]
        title = next(line for line in lines[_motto_index(lines) + 1 if opt_in else 0:] if _is_title(line))
        out[f"kltn:{path.stem}"] = FormFamily(f"kltn:{path.stem}", path.stem, title, tuple(lines), opt_in)
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


def role_of(label: str) -> str | None:
    key = label.casefold()
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

    def value(self, role: str | None, label: str, date_blank: bool) -> tuple[str | None, str | None]:
        """(text to print, truth key it is the first value of, or None) for one blank."""
        rng, p = self.rng, self.person
        if role == "surname":  # "Họ …… Chữ đệm và tên ……": another person, the surname in its own blank
            self.person = p = fk.make_person(rng)
            self.people += 1
            return p.full_name.split()[0], None
        if role == "given":
            return " ".join(p.full_name.split()[1:]), None
        if role == "kin_phone":  # "Số điện thoại người thân": a relative's number, not the applicant's
            return fk.format_phone(fk.make_person(rng).phone, rng), None
        if role == "yes_no":  # drawn only here, like "company"
            return rng.choice(("Có", "Không")), None
        if role == "company":  # drawn only here: the ten forms' random stream stays as it was
            return rng.choice(("TNHH Minh Phát", "CP Xây dựng Hòa Bình", "TNHH Thương mại An Khang")), None
        if role == "name":
            if self.people:
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


def _items(line: str) -> list[tuple[str, str | None]]:
    """(text before the blank, blank kind) pieces of a line; kind None for trailing text.
    Kinds: ``date`` (ngày … tháng … năm …), ``slash`` (…/…/…), ``plain``."""
    out, pos = [], 0
    pattern = re.compile(f"(?P<date>{_DATE_BLANK.pattern})|(?P<slash>{_SLASH_BLANK.pattern})|(?P<plain>{_BLANK})",
                         re.IGNORECASE)
    for match in pattern.finditer(line):
        out.append((line[pos:match.start()], match.lastgroup))
        pos = match.end()
    if line[pos:].strip():
        out.append((line[pos:], None))
    return out


def form_document(rng: random.Random, style: Style, case: Case, family: FormFamily) -> Doc:
    """One filled form of ``family``."""
    size = PAGE_SIZES[rng.choice(("A4", "A5"))] if rng.random() < 0.5 else style.size
    style = Style(size, style.family, style.hand_rate, style.blank_rate, style.scanned)
    w = _writer(style, rng)
    hand = style.scanned and rng.random() < style.hand_rate
    filler = _Filler(rng, case, hand)
    numbering = rng.choice(("keep", "keep", "drop", "add"))
    footnotes = rng.random() < 0.5
    leaders = rng.random() < 0.6
    signed = case.received - dt.timedelta(days=rng.randint(0, 3))
    item_no = 0
    started = False
    title_last = False  # the line before was the title (a title printed over two lines)
    pending: list[Seg] | None = None  # a short item waiting for a second one on the same line
    issuer_lines = _motto_index(family.lines) if family.opt_in else -1
    for index, raw in enumerate(family.lines):
        line = raw if footnotes else _FOOTNOTE.sub("", raw)
        if index < issuer_lines and line.strip() and not line.startswith("MẪU "):
            w.paragraph(line, indent=0.0)  # the issuing office's name over the motto, as printed
            started = True
            continue
        if family.opt_in:  # "năm 20 ……" and "Làm tại……, ngày …" are the signing date's blanks too
            line = re.sub(r"^-+\s*(?=CỘNG H(?:ÒA|OÀ))", "", line)  # the two-column header's dashes
            line = re.sub(rf"(năm\s*20)\s+(?={_BLANK})", r"\1", line)
            line = re.sub(rf"^(\s*Làm tại)\s*(?={_BLANK})", r"\1: ", line)
            if _blank_on_next_line(line, family.lines[index + 1:]):
                line += " ……"
        if not line.strip() or re.fullmatch(r"[-_.…\s]+", line):
            continue
        if line.startswith("MẪU ") and not started:
            continue  # a collection's caption over the form ("MẪU ĐƠN …"), not the form's own text
        if line.startswith(("CỘNG HÒA", "CỘNG HOÀ")) and (not started or index == issuer_lines):
            motto_header(w)
            continue
        if line.startswith("Độc lập") or line.startswith(("SOCIALIST", "Independent")):
            continue
        if line == family.title or (_is_title(line) and not started and index > issuer_lines) or (family.opt_in and title_last and _is_title(line)):
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
            place = case.person.home.ward_short
            segs = _date_segs(place, signed, hand, False)
            w.line(segs, w.body * 0.95, "center", x_mid, w.right)
            filler.truth.setdefault("signed_date", iso(signed))
            continue
        items = _items(line)
        if not any(kind for _, kind in items):
            _flush(w, pending)
            pending = None
            if len(line) < 90 and rng.random() < 0.1:
                continue  # forms are often trimmed of a printed note
            w.paragraph(line, indent=0.0 if len(line) < 60 else None)
            continue
        if numbering == "drop":
            line_items = [(_ITEM.sub("", items[0][0]), items[0][1])] + items[1:]
        elif numbering == "add" and not _ITEM.match(items[0][0]) and items[0][1] and len(items[0][0].strip()) > 3:
            item_no += 1
            line_items = [(f"{item_no}. {items[0][0].lstrip()}", items[0][1])] + items[1:]
        else:
            line_items = items
        segs: list[Seg] = []
        value_below: tuple[str, str | None] | None = None
        for label, kind in line_items:
            if kind is None:
                segs.append(Seg(label))
                continue
            role = role_of(label)
            if role is None and kind == "date" and family.opt_in and label.casefold().rstrip(" :").endswith("sinh"):
                role = "dob"  # "Sinh ngày …… tháng …… năm ……"
            if role == "agency" and family.opt_in and re.search(r"kính gửi:?\s*\w", label, re.IGNORECASE):
                role = _addressee(label)  # "Kính gửi: Sở Giao thông vận tải ……": the rest of its name
            if family.opt_in and "(có/không)" in label.casefold() and role in TRUTH_OF_ROLE:
                role = "yes_no"  # "Tiền nhà ở (… tự lo chỗ ở)(có/không)": a yes or no, no address
            text, key = filler.value(role, label, kind == "date")
            if text is None:
                segs.append(Seg(label + "…" * rng.randint(3, 8)))
                continue
            lead = "." * rng.randint(2, 6) if leaders and rng.random() < 0.5 else ""
            if family.opt_in and kind == "date":
                lead = ""  # "Sinh ngày 05 tháng 03 …": the blank's own words follow the label
            label_text = label.rstrip()
            if not label_text.endswith(":") and not lead and role_of(label) in TRUTH_OF_ROLE:
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
    w.sign_block(["NGƯỜI LÀM ĐƠN" if "ĐƠN" in family.title else "NGƯỜI KHAI"], case.person.full_name, None,
                 x_mid, w.right, note="(Ký, ghi rõ họ tên)")
    doc_type, fields = _type_of(family)
    truth = {key: filler.truth.get(key) for key in fields}
    absent = [key for key in fields if key not in filler.truth]
    hand_keys = [k for k in filler.truth if hand and k != "signed_date"]
    doc = Doc(doc_type, w.pages, truth, "\n".join(w.lines), family.title, sorted(hand_keys), w.boxes,
              case.person.home.codes if truth.get("address") == case.person.address else None)
    doc.family = family.name
    doc.absent = absent
    return doc


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
