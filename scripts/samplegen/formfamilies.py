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

Opt-in forms studied in a batch (:mod:`.batches`: one module per batch) print wording the other
forms print with another meaning; a family holds its batch (:attr:`FormFamily.batch`) and the code
here asks it (:class:`.batches.base.Batch`) wherever a batch may read or draw otherwise, so its
rules never reach another family.
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
from .batches import COMMON, Batch, batch_of
from .batches.base import BLANK, DATE_BLANK, NO_ROLE, Blank, bare_label, in_words
from .layout import PAGE_SIZES, Seg, Stamp
from .templates import Case, Doc, Style, _date_segs, _writer, iso, motto_header

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
_FOOTNOTE = re.compile(r"\s*\(\d{1,2}\)")
# "Họ tên cha/mẹ học sinh, sinh viên:" (form 64): one item naming the applicant's parent; the
# household address printed after it is the student's (an opt-in form's rule only).
_APPLICANTS_PARENT = re.compile(r"cha/mẹ (?:của )?(?:học sinh|sinh viên)", re.IGNORECASE)


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
    batch: Batch | None = None
    """The batch of opt-in forms it belongs to (:mod:`.batches`), whose rules it is read with first."""

    @property
    def rules(self) -> Batch:
        """Its batch, or the common reading for a form outside any batch."""
        return self.batch or COMMON


def _is_title(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return (len(letters) >= 6 and sum(ch.isupper() for ch in letters) / len(letters) > 0.9
            and not line.strip().startswith(("CỘNG HÒA", "CỘNG HOÀ", "SOCIALIST", "MẪU ")))


def _load(folder: Path, opt_in: bool) -> dict[str, FormFamily]:
    out = {}
    for path in sorted(folder.glob("*.txt")):
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        lines = [" ".join(line.replace("\t", " ").split()) for line in text.splitlines()]
        batch = batch_of(path.stem) if opt_in else None
        rules = batch or COMMON
        # a citizen form's issuing office over the motto is no title (p6s6's forms; a batch measured
        # before that rule renders as it was measured)
        start = _motto_index(lines) + 1 if opt_in and rules.newer_rules else 0
        title = rules.titles.get(path.stem) or next(line for line in lines[start:]
                                                    if _is_title(rules.title_words(line)))
        out[f"kltn:{path.stem}"] = FormFamily(f"kltn:{path.stem}", path.stem, title, tuple(lines), opt_in, batch)
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


def role_of(label: str, batch: Batch | None = None) -> str | None:
    """What the blank after ``label`` asks: by the batch's own wording first, then the common table."""
    key = label.casefold()
    found = batch.label_role(key) if batch else None
    if found:
        return None if found == NO_ROLE else found
    bare = bare_label(key)
    if bare in _PERSON_ONLY:
        return "name"
    if bare == "họ":
        return "surname"
    return next((role for words, role in ROLES if words in key), None)


@dataclass
class Filler:
    """Fills blanks person by person: each name blank after the first starts another person."""

    rng: random.Random
    case: Case
    hand: bool
    batch: Batch = COMMON
    people: int = 0
    truth: dict | None = None

    def __post_init__(self) -> None:
        self.person = self.case.person
        self.truth = {}
        self.notes: dict = {}  # what a batch's blanks said before (the next person's gender, the payer, …)

    def value(self, role: str | None, label: str, date_blank: bool) -> tuple[str | None, str | None]:
        """(text to print, truth key it is the first value of, or None) for one blank."""
        rng, p = self.rng, self.person
        if role in self.batch.values:  # the roles only the batch's forms ask
            return self.batch.values[role](self, label, date_blank)
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
        if role == "name":
            if self.people and {"born", "gender"} & set(self.notes):  # a batch's form said who comes next
                self.person = p = fk.make_person(rng, born_between=self.notes.pop("born", (1950, 2004)),
                                                 gender=self.notes.pop("gender", None))
            elif self.people:
                lowered = label.casefold()
                bare = bare_label(lowered)
                gender = ("Nữ" if " mẹ" in lowered or bare in ("chị", "bà") else
                          "Nam" if " cha" in lowered or bare in ("anh", "ông") else None)
                self.person = p = fk.make_person(rng, gender=gender)
            self.people += 1
            text = p.full_name.upper() if "in hoa" in label.casefold() else p.full_name
            return self._truth("full_name", text, text)
        if role == "dob":
            if date_blank:
                return self._truth("date_of_birth", in_words(p.date_of_birth), iso(p.date_of_birth))
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


def _items(line: str, blanks: re.Pattern) -> list[tuple[str, str | None]]:
    """(text before the blank, blank kind) pieces of a line; kind None for trailing text. Kinds:
    the names of ``blanks``' groups (:data:`.batches.base.BLANKS`: ``date``, ``slash``, ``plain``)."""
    out, pos = [], 0
    for match in blanks.finditer(line):
        out.append((line[pos:match.start()], match.lastgroup))
        pos = match.end()
    if line[pos:].strip():
        out.append((line[pos:], None))
    return out


def form_document(rng: random.Random, style: Style, case: Case, family: FormFamily,
                  table: bool = False) -> Doc:
    """One filled form of ``family``; ``table`` sets its items in a ruled table, a label's cell
    beside its value's (the ``bang:*`` families), as many offices print their forms."""
    rules = family.rules
    own = rules.document(rng, style, case, family)
    if own is not None:  # an office's or a company's document: its own layout and truth
        return own
    size = PAGE_SIZES[rng.choice(("A4", "A5"))] if rng.random() < 0.5 else style.size
    style = Style(size, style.family, style.hand_rate, style.blank_rate, style.scanned)
    w = _writer(style, rng)
    hand = style.scanned and rng.random() < style.hand_rate
    filler = Filler(rng, case, hand, rules)
    numbering = rules.numbering(family, rng.choice(("keep", "keep", "drop", "add")))
    footnotes = rng.random() < 0.5
    leaders = rng.random() < 0.6
    signed = case.received - dt.timedelta(days=rng.randint(0, 3))
    item_no = 0
    started = False
    title_last = False  # the line before was the title (a title printed over two lines)
    pending: list[Seg] | None = None  # a short item waiting for a second one on the same line
    grid: list[list[list[Seg]]] = []  # the table's rows not yet drawn (``table`` only)
    office = False  # in the office's section ("Xét duyệt của cơ quan BHXH"): left blank
    lines, title = rules.lines(family, filler)  # the title as completed (form 30's "ĐƠN …")
    newer = family.opt_in and rules.newer_rules
    issuer_lines = _motto_index(family.lines) if newer else -1
    for index, raw in enumerate(lines):
        line = raw if footnotes else _FOOTNOTE.sub("", raw)
        if index < issuer_lines and line.strip() and not line.startswith("MẪU "):
            w.paragraph(line, indent=0.0)  # the issuing office's name over the motto, as printed
            started = True
            continue
        if family.opt_in:
            line = _opt_in_line(line, lines[index + 1:], family)
        line = rules.reads_line(line)
        if line.startswith(rules.office_headings):
            office = True
        if index and line.strip() and re.fullmatch(r"[-_.…\s]+", line) and rules.writes_on_dots(lines[index - 1], rng):
            _flush(w, pending, grid)
            pending = None
            w.paragraph(rules.written_on_dots(filler), indent=0.0)
            continue
        if not line.strip() or re.fullmatch(r"[-_.…\s]+", line):
            continue
        if line.startswith("MẪU ") and not started:
            continue  # a collection's caption over the form ("MẪU ĐƠN …"), not the form's own text
        if line.startswith(rules.motto_openings) and (not started or index == issuer_lines):
            motto_header(w)
            continue
        if line.startswith("Độc lập") or line.startswith(("SOCIALIST", "Independent")):
            continue
        signing = rules.signing_date(line, case.person.home.ward_short, signed, hand)
        if signing:
            _flush(w, pending, grid)
            pending = None
            x_mid = w.left + (w.right - w.left) * 0.4
            w.line(signing, w.body * 0.95, "center", x_mid, w.right)
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
        if DATE_BLANK.search(line) and re.match(rf"^\s*(?:Làm tại:\s*)?(?:{BLANK})?\s*,?\s*ngày", line, re.IGNORECASE):
            _flush(w, pending, grid)
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
        items = _items(line, rules.blanks)
        if not any(kind for _, kind in items):
            _flush(w, pending, grid)
            pending = None
            rules.text_line(family, line, filler)
            if len(line) < 90 and rng.random() < 0.1 and not rules.keeps_printed_note(line):
                continue  # forms are often trimmed of a printed note
            w.paragraph(line, indent=0.0 if len(line) < 60 else None)
            continue
        line_items, item_no = _numbered(items, numbering, rules.item_number, item_no)
        if table:
            cells: list[list[Seg]] = []
            _filled(line_items, family, office, filler, False, cells)
            if cells:
                grid.append(cells)
            continue
        segs, value_below = _filled(line_items, family, office, filler, leaders)
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
    _flush(w, pending, grid)
    x_mid = w.left + (w.right - w.left) * 0.4
    if rng.random() < 0.3:  # a seal stamped over the body text (certified copy, receiving office)
        body_page = w.pages[0]
        body_page.ops.append(Stamp(w.left + (w.right - w.left) * rng.uniform(0.3, 0.8), w.height * rng.uniform(0.3, 0.6),
                                   16 * w.mm, case.agency.name, w.font("bold")))
    titles, name, note, seal = rules.signer(family, filler, ["NGƯỜI LÀM ĐƠN" if "ĐƠN" in family.title else "NGƯỜI KHAI"])
    w.sign_block(titles, name, seal, x_mid, w.right, note=note)
    doc_type, fields = _type_of(family)
    truth = {key: filler.truth.get(key) for key in fields}
    absent = [key for key in fields if key not in filler.truth]
    hand_keys = [k for k in filler.truth if hand and k != "signed_date"]
    doc = Doc(doc_type, w.pages, truth, "\n".join(w.lines), title, sorted(hand_keys), w.boxes,
              case.person.home.codes if truth.get("address") == case.person.address else None)
    doc.family = family.name
    doc.absent = absent
    return doc


def _opt_in_line(line: str, rest: tuple[str, ...], family: FormFamily) -> str:
    """An opt-in form's line as its blanks read: "năm 20 ……" and "Làm tại……, ngày …" are the
    signing date's blanks too, a person's label with its blank on the next line or (on some
    batches' forms) in a tab gets one."""
    rules = family.rules
    if rules.newer_rules:
        line = re.sub(r"^-+\s*(?=CỘNG H(?:ÒA|OÀ))", "", line)  # the two-column header's dashes
    line = re.sub(rf"(năm\s*20)\s+(?={BLANK})", r"\1", line)
    line = re.sub(rf"^(\s*Làm tại)\s*(?={BLANK})", r"\1: ", line)
    if _blank_on_next_line(line, rest):
        return line + " ……"
    if rules.tabs_were_blanks and not re.search(BLANK, line) and line.rstrip().endswith(":") \
            and role_of(line, family.batch) in TRUTH_OF_ROLE:
        return line + " ……"  # "Số điện thoại liên hệ:<tab>" (form 20)
    return line


def _numbered(items: list[tuple[str, str | None]], numbering: str, item: re.Pattern,
              item_no: int) -> tuple[list[tuple[str, str | None]], int]:
    """A line's items with the first one's number dropped, or one added ("keep": as printed), and
    the count of numbers added so far."""
    first, kind = items[0]
    if numbering == "drop":
        return [(item.sub("", first), kind)] + items[1:], item_no
    if numbering == "add" and not item.match(first) and kind and len(first.strip()) > 3:
        return [(f"{item_no + 1}. {first.lstrip()}", kind)] + items[1:], item_no + 1
    return items, item_no


def _filled(line_items: list[tuple[str, str | None]], family: FormFamily, office: bool, filler: Filler,
            leaders: bool, cells: list[list[Seg]] | None = None) -> tuple[list[Seg], tuple[str, str | None] | None]:
    """A line's segments with its blanks filled, and a value written on the line below its label.

    ``cells``, when given, also receives the line as table cells: each item's label, then its value
    (empty when the blank stays unfilled)."""
    rng, hand, rules = filler.rng, filler.hand, family.rules
    newer = family.opt_in and rules.newer_rules
    segs: list[Seg] = []
    value_below: tuple[str, str | None] | None = None
    prev_role = None  # the line's blank before ("Tháng … năm …")
    for label, kind in line_items:
        if kind is None:
            segs.append(Seg(label))
            if cells is not None and label.strip(" .…"):
                cells.append([Seg(label.strip())])
            continue
        bilingual = kind == "date_en"
        kind = "date" if bilingual else kind
        role = prev_role = _read_role(Blank(label, kind, family, office, prev_role), filler)
        if newer:
            role = _newer_role(label, role)
        text, key = filler.value(role, label, kind == "date")
        if bilingual and text:
            text = re.sub(r"^ngày (\S+) tháng (\S+) năm ", r"ngày (date): \1 tháng (month) \2 năm (year) ", text)
        if text is None:
            if rules.keeps_date_words and kind == "date":  # an unfilled date keeps its printed words
                segs.append(Seg(label + "ngày …… tháng …… năm ……"))
                continue
            segs.append(Seg(label + "…" * rng.randint(3, 8)))
            if cells is not None:
                cells += [[Seg(label.strip())], []]
            continue
        lead = "." * rng.randint(2, 6) if leaders and rng.random() < 0.5 else ""
        if family.opt_in and kind == "date":
            lead = ""  # "Sinh ngày 05 tháng 03 …": the blank's own words follow the label
        label_text = label.rstrip()
        if not label_text.endswith(":") and not lead and role_of(label, family.batch) in TRUTH_OF_ROLE:
            label_text += rng.choice((":", "", " "))
        if cells is not None:
            cells += [[Seg(label_text)], [Seg(text, hand=hand, key=key)]]
        if len(line_items) == 1 and key in ("address",) and rng.random() < 0.2:
            segs.append(Seg(label_text))
            value_below = (text, key)
            continue
        segs += [Seg(label_text + (" " if not lead else "") + lead), Seg(text, hand=hand, key=key)]
        if leaders and rng.random() < 0.5:
            segs.append(Seg(" " + "." * rng.randint(4, 12)))
        segs.append(Seg(" "))
    return segs, value_below


def _read_role(blank: Blank, filler: Filler) -> str | None:
    """What a blank asks by its label (the batch's wording first), then by what the batch knows of
    its place on the form."""
    role = role_of(blank.label, blank.family.batch)
    if role is None and blank.kind == "date" and blank.family.opt_in and \
            blank.label.casefold().rstrip(" :").endswith("sinh"):
        role = "dob"  # "Sinh ngày …… tháng …… năm ……"
    return blank.family.rules.role(role, blank, filler)


def _newer_role(label: str, role: str | None) -> str | None:
    """A blank's role by the newer opt-in rules (:attr:`Batch.newer_rules`)."""
    if role == "agency" and re.search(r"kính gửi:?\s*\w", label, re.IGNORECASE):
        return _addressee(label)  # "Kính gửi: Sở Giao thông vận tải ……": the rest of its name
    if "(có/không)" in label.casefold() and role in TRUTH_OF_ROLE:
        return "yes_no"  # "Tiền nhà ở (… tự lo chỗ ở)(có/không)": a yes or no, no address
    if role == "name" and _APPLICANTS_PARENT.search(label):
        return "applicants_parent"  # form 64: the items after it are still the student's own
    return role


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
    if re.search(BLANK, line) or not line.rstrip().endswith(":") or role_of(line) not in TRUTH_OF_ROLE:
        return False
    following = next((other for other in rest if other.strip()), "")
    return bool(re.fullmatch(r"[-_.…\s]+", following))


def _addressee(label: str) -> str | None:
    """The role of a "Kính gửi" blank whose label already names the kind of addressee."""
    key = label.casefold()
    return "province" if "sở " in key else "company" if "công ty" in key else None


def _flush(w, pending: list[Seg] | None, grid: list[list[list[Seg]]]) -> None:
    """Draw what waits: a short item kept for a second one, the table's rows so far."""
    if pending:
        w.paragraph(_tidy(pending), indent=0.0, gap=0.1)
    if grid:
        w.grid(grid)
        grid.clear()


def _tidy(segs: list[Seg]) -> list[Seg]:
    """Drop a trailing space segment and merge nothing else (keys stay on their segments)."""
    while segs and not segs[-1].text.strip():
        segs = segs[:-1]
    return segs
