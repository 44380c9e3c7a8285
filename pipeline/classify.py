"""Document type: printed title and header cues, fused with a small text classifier.

Cues, each explainable in ``DocumentResult.type_cues``:

* ``title:<type>:<score>`` - an upper-case line near the top of the first page that fuzzily
  equals (or starts with) a printed title of the catalogue ("CHÍ THỊ" still reads as CHỈ THỊ);
* ``symbol:<type>:<abbr>`` - the số ký hiệu of an official letter ("Số: 05/CT-UBND" -> chỉ thị);
* ``letter_header`` - national motto plus a "Số: …/…" line: an official letter; without a title
  and a type symbol it is a công văn (ND30: công văn carry no type name);
* ``classifier:<type>:<p>`` - a bag-of-words logistic regression trained on generated text
  (:mod:`pipeline.textmodel`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import takewhile

from rapidfuzz import fuzz

from schemas import doctypes
from pipeline.labels import ITEM_NUMBER, find_label_hits, label_candidates
from pipeline.layout import ROW_OVERLAP, TextLine, row_overlap
from pipeline.text import fold, upper_share

TITLE_REGION = 0.55
"""Titles are looked for in the top part of the first page (share of the page height)."""
MIN_TITLE_SCORE = 80.0
MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc")

SYMBOL_TO_TYPE: dict[str, str] = {
    fold(t.symbol): t.key for t in doctypes.CATALOGUE if t.symbol
} | {"cv": "cong_van", "qd": "quyet_dinh"}

# "Số: 05/CT-UBND", "Số:445 /CV-PA03", "Số 12/GPXD": a colon or a digit right after "Số", then a slash
VV_LINE = re.compile(r"^\W*v\s*(?:[/íìil1|w]\s*[vw]\b|[/w](?=\s|$))")
""""V/v", also as OCR reads it ("Vív", "V1v"; an italic small v read as a w, "V/w"; the slash read as a
W too, "VWw"; its slash or its small v lost, "VW", "V/")."""
VV_BRACKETED = re.compile(r"^\(\s*v\S{0,2}\s*:")
"""A subject set apart in brackets, its "V/v:" however OCR read the slash and the small v ("(V&:",
"(VA:", "(V#w:", 39_hoi_dap_chi_cuc_thue): the bracket and the colon make it the subject's."""


def opens_subject(key: str) -> bool:
    """Does a line (its folded key) open a công văn's "V/v …" subject?"""
    return bool(VV_LINE.match(key) or VV_BRACKETED.match(key))


_NUMBER_LINE = re.compile(r"^\W{0,3}s[oốô0ỗổ]\s*(?:[:.;]|(?=\s*\d))\s*(?P<rest>[^/]{0,12}/\s*[a-z0-9].*)$")
NUMBER_GLUED_TO_SYMBOL = r"(\d{1,5})([A-ZĐ]{2,}(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*)"
"""A letter's number glued to its symbol, the slash between them not read ("1146GPXD" for "1146/GPXD")."""
_NUMBER_LINE_SLASH_LOST = re.compile(rf"^\W{{0,3}}S[ốô]\s*[:.;]?\s*{NUMBER_GLUED_TO_SYMBOL}$")
"""A letter's number line whose slash OCR lost ("Số: 1146GPXD"): ``letters.doc_number`` puts it back, held."""
SLASH_READ_AS = "JIl|"
"""Glyphs OCR reads a number's slash as, opening its symbol ("2044 JGPXD")."""
_NUMBER_LINE_SLASH_AS_LETTER = re.compile(rf"^\W{{0,3}}S[ốô]\s*[:.;]?\s*\d{{1,5}}\s+[{re.escape(SLASH_READ_AS)}][A-ZĐ]{{2,}}"
                                          r"(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*$")
"""A letter's number line whose slash OCR read as a letter opening the symbol ("Số: 2044 JGPXD"):
``letters.doc_number`` puts it back, held."""


def _number_line_slash_misread(text: str) -> bool:
    return bool(_NUMBER_LINE_SLASH_LOST.match(text) or _NUMBER_LINE_SLASH_AS_LETTER.match(text))


@dataclass
class TypeEvidence:
    """What the page header says about the type."""

    title_type: str | None = None
    title_score: float = 0.0
    title_line: TextLine | None = None
    symbol_type: str | None = None
    symbol: str | None = None
    motto: bool = False
    number_line: TextLine | None = None
    subject_line: TextLine | None = None
    """A "V/v …" line in the header: the trích yếu of a công văn (the only type that has one there)."""
    first_person: bool = False
    """A line under the title where the writer names themself ("Tên tôi là: …"): a citizen's form."""
    name_item: bool = False
    """A line under the title that is a bare "Họ và tên:" item (numbered or not): a form asking
    someone's details, which no letter of a type without a person's fields prints."""
    cues: list[str] = field(default_factory=list)

    @property
    def letter_header(self) -> bool:
        return self.number_line is not None and (self.motto or self.symbol_type is not None)


def is_motto(key: str) -> bool:
    """A folded line that is (mostly) one of the two motto lines, however OCR garbled it."""
    return any(len(key) >= 0.7 * len(m) and len(key) < 1.6 * len(m) and fuzz.partial_ratio(m, key) >= 85 for m in MOTTO)


_GLOSS = re.compile(r"\([^()]*(?:\)|$)")
"""A bracketed gloss, perhaps cut by the line's end: a bilingual form's title prints its English
in sentence case after the capitals ("GIẤY KHAI ĐĂNG KÝ XE (Vehicle registation", 22_dk_xe1)."""


TITLES = [(fold(title), t.key) for t in doctypes.CATALOGUE for title in t.titles]
NOT_TITLES = ("don vi",)
"""Header lines that begin like a title and are none ("ĐƠN VỊ: …" is not an "ĐƠN")."""


TITLE_SPECKS = " '\"‘’“”`´.,:;-_|~*•"
"""Characters OCR reads out of specks and stray marks before a title line."""


def match_title(line: TextLine) -> tuple[str, float] | None:
    """(type, 0..100 score) if ``line`` is a printed title of a type, else None.

    The line must be mostly upper case (titles are printed in capitals; body text that mentions
    "Quyết định số …" is not) and start with the title; the longest matching title wins, so
    "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG" is an application, not a permit.
    """
    # a speck OCR read before the title ("'TỜ KHAI …": a mark's hook, dust) is no part of it; a
    # capital read apart from its word ("GIẤY Ð Ề NGHỊ") is glued back
    text = fold(_without_specks(_glue_lone_capitals(line.text))).lstrip(TITLE_SPECKS)
    if upper_share(_GLOSS.sub(" ", line.text)) < 0.7 or len(text) < 3 or text.startswith(NOT_TITLES):
        return None
    best: tuple[str, float, int] | None = None
    for title, key in TITLES:
        head = text[: len(title)]
        after = text[len(title) : len(title) + 1]
        if after.isalpha():  # "cong an" must not read as "cong van": titles end at a word boundary
            continue
        score = fuzz.ratio(head, title)
        # short titles need a near-exact reading: one slip in 8 letters is another word
        needed = 90.0 if len(title) <= 10 else MIN_TITLE_SCORE
        # a title is the whole line or its start, never a word in the middle
        if score >= needed and (best is None or (len(title), score) > (best[2], best[1])):
            best = (key, score, len(title))
    return (best[0], best[1]) if best else None


_SPECK_MARKS = "'\"‘’“”`´‹›«»"


def _without_specks(text: str) -> str:
    """``text`` without the specks OCR read inside a title: a word of marks alone ("BẠN ‹ CAM KẾT") and
    a quote mark opening a word ("CAM “KẾT", p6-honest40 vb-0005, 62_xet_cap_hoc_bong_chinh_sach's "BẢN
    CAM KẾT" typed ``khac``). Marks inside or ending a word stay (a gloss's brackets, "V/v")."""
    words = (word.lstrip(_SPECK_MARKS) for word in text.split())
    return " ".join(word for word in words if any(ch.isalnum() for ch in word) or word in ("-", "–"))


def _glue_lone_capitals(text: str) -> str:
    """``text`` with each one-letter capital word glued to the capital word after it: in a title, a
    word's first letter read apart ("GIẤY Ð Ề NGHỊ")."""
    words = text.split()
    out: list[str] = []
    for word in words:
        if out and len(out[-1]) == 1 and out[-1].isupper() and out[-1].isalpha() and word[:1].isupper():
            out[-1] += word
        else:
            out.append(word)
    return " ".join(out)


def _title_across_gap(line: TextLine, following: list[TextLine]) -> tuple[str, float] | None:
    """The title of ``line`` read with the rest of its printed line, which the layout set apart at a
    gap inside a word: "GIẤY Ð" | "Ề NGHỊ MUA ĐIỆN" (36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat,
    the Đ of "ĐỀ" read apart; :func:`match_title` glues the lone capital back)."""
    if not following or not line.words or len(line.words[-1].text) != 1 or not line.words[-1].text.isupper():
        return None
    nxt = following[0]
    if (nxt.page_no != line.page_no or nxt.bbox[0] < line.bbox[2] or not nxt.words
            or row_overlap(line.bbox, nxt.bbox) < ROW_OVERLAP):
        return None  # not the rest of the same printed line
    return match_title(TextLine(line.words + nxt.words, line.page_no, line.page_width, line.page_height))


def parse_symbol(text: str) -> str | None:
    """Type abbreviation of a số ký hiệu line: ``CT`` in ``Số: 05/CT-UBND``; None if none."""
    match = re.search(r"/\s*(?:\d{4}\s*/\s*)?([A-Za-zĐđ]{1,6})\s*[-–]\s*[A-Za-zĐđ]", text)
    return match.group(1) if match else None


_NAME_ITEM = re.compile(r"(?:^|\s)(?:\S{1,4}[.)] ?)?ho (?:va )?ten\s*:")
"""A bare name item on a line ("1. Họ và tên: …", 00_bao_cao_tot_nghiep_du_hoc_sinh; also set after
a short item: "Kính gửi: Bộ Giáo dục và Đào tạo Họ và tên: …"): the label alone, never "Họ và tên
cán bộ tiếp nhận:" (the agency's own officer)."""
_FIRST_PERSON = re.compile(r"^(?:\S{0,4}[.)] ?)?(?:ten[.,]? ?toi[.,]? ?la|toi[.,]? ?ten[.,]? ?la|ho va ten toi|ho ten toi|toi ?la\s*:)")
"""A line opening with the writer's own name label: officials sign letters, citizens introduce
themselves in forms ("Tên tôi là: …", 47_thay_doi_thong_tin_nguoi_huong), also behind an item
number OCR read as a lone stop (". Tên tôi là: …", 41_Mẫu số 16 - TT 28), or its words run together
("Tên tôilà: |Đinh Thành Sơn", 09_cham_dut_huong_tro_cap_that_nghiep in a table's cell), or with a speck
read as a stop after a word ("3. Tên tôi. là: …", 41_Mẫu số 16 in a table)."""


def citizens_form_titled_as_letter(evidence: TypeEvidence) -> bool:
    """A title of an official letter's type over a citizen's form: "THÔNG BÁO THAY ĐỔI THÔNG TIN
    NGƯỜI HƯỞNG" (47_thay_doi_thong_tin_nguoi_huong) is filed by a pensioner, not issued by an agency.
    An agency's letter carries its number ("Số: …/TB-…") and no writer introducing themself; this
    page has no number line, no type symbol, and a line where the writer gives their own name."""
    if evidence.title_type is None or evidence.number_line is not None or evidence.symbol_type is not None:
        return False
    title = doctypes.get(evidence.title_type)
    # "BÁO CÁO TỐT NGHIỆP" (00_bao_cao_tot_nghiep_du_hoc_sinh) is a returning student's, its items
    # "1. Họ và tên:", "2. Số định danh cá nhân:": a name item on a letter type that asks nobody's
    # name (a report, a notice) is a citizen's form; a criminal record or a permit names its person
    return title.in_letter_layout and (evidence.first_person
                                       or (evidence.name_item and "full_name" not in title.fields + title.extra_fields))


SUBTITLE_SCORE = 60.0
"""The title score a citizen's form gets from its subtitle alone: a weaker cue than a printed title."""
_APPLICATION_SUBTITLE = re.compile(r"^(?:de nghi|xin) (?:cap|cho|duoc|thay doi|dang ky|xac nhan|huong|ho tro)\b")
"""A form's subtitle naming what the citizen applies for ("Đề nghị cấp hộ chiếu phổ thông ở trong
nước", 51_TK_cap_ho_chieu_tre_em, under "TỜ KHAI")."""


def _application_subtitle_alone(evidence: TypeEvidence, lines: list[TextLine]) -> bool:
    """Does the first line under the motto read as a citizen's form's subtitle, in sentence case,
    on a page with no title, no number line and no type symbol (an agency's letter has those)?"""
    if evidence.title_type or evidence.number_line is not None or evidence.symbol_type or not evidence.motto:
        return False
    after_motto = [line for line in lines if line.rel_top <= TITLE_REGION and not is_motto(line.key)]
    motto_bottom = max((line.bbox[3] for line in lines if line.rel_top <= TITLE_REGION and is_motto(line.key)), default=0)
    below = [line for line in after_motto if line.bbox[1] >= motto_bottom]
    return bool(below) and bool(_APPLICATION_SUBTITLE.match(below[0].key))


def _take_number_line(evidence: TypeEvidence, line: TextLine) -> None:
    evidence.number_line = line
    symbol = parse_symbol(line.text)
    if symbol and fold(symbol) in SYMBOL_TO_TYPE:
        evidence.symbol = symbol
        evidence.symbol_type = SYMBOL_TO_TYPE[fold(symbol)]


_BARE_NUMBER = re.compile(r"^\W{0,3}s[oốô0ỗổ]\s*[:.;]\s*[\w.]{0,8}\s*/\s*[a-z0-9.\-]{1,20}\W*$")
"""A number line and nothing else: "Số: 1931/GPXD", "Số:    /GPXD" (the number left for the clerk)."""


def _opens_number_line(line: TextLine) -> bool:
    """Does ``line`` read as a letter's number line ("Số: 05/CT-UBND"), its slash read or lost?"""
    return bool(_NUMBER_LINE.match(line.key) or _number_line_slash_misread(line.text))


def numbers_the_title(evidence: TypeEvidence, line: TextLine) -> bool:
    """Is ``line`` the document's number printed right under its title, as a permit or a certificate
    prints it ("GIẤY PHÉP XÂY DỰNG" / "Số: 1931/GPXD", 37_giay_phep_xay_dung)? Only for a type that
    carries a number, and only a bare number line: under a citizen's form's title a line opening
    "số" is the body's ("số....2994/QĐ-SLĐTBXH ngày …", 09_cham_dut_huong_tro_cap_that_nghiep)."""
    title = evidence.title_line
    if evidence.number_line is not None or title is None or line.page_no != title.page_no:
        return False
    if "doc_number" not in doctypes.get(evidence.title_type).all_fields:
        return False
    height = max(1, title.bbox[3] - title.bbox[1])
    return (0 <= line.bbox[1] - title.bbox[3] <= 2 * height
            and bool(_BARE_NUMBER.match(line.key) or _number_line_slash_misread(line.text)))


ITEMS_SCORE = 50.0
"""The title score a page of a person's items gets with no title at all: weaker than a subtitle."""
PERSONAL_ITEM_KEYS = ("full_name", "date_of_birth", "id_number", "phone")
PERSONAL_ITEMS = 3
"""Distinct items of :data:`PERSONAL_ITEM_KEYS` that make an untitled page a citizen's sheet."""


def personal_items_alone(evidence: TypeEvidence, lines: list[TextLine]) -> bool:
    """Is the page, with no title, number line, type symbol or subject, a sheet of one person's
    items ("Thông tin cơ bản:" / "1. Họ và tên: …" / "2. Số điện thoại: …" / "10. Số CMND: …",
    48_thong_tin_co_ban)? Items opening their lines in the page's upper part (or set after such an
    item on its line), each by a label the registry prints for that field: a citizen's declaration,
    typed as the application forms are, with a weak score (:data:`ITEMS_SCORE`) since no title says so."""
    if evidence.title_type or evidence.number_line is not None or evidence.symbol_type or evidence.subject_line:
        return False
    region = list(takewhile(lambda line: line.rel_top <= TITLE_REGION, lines))
    if len(set().union(*(_possible_item_keys(line) for line in region))) < PERSONAL_ITEMS:
        return False  # too few even before overlapping labels are weighed: the cheap test
    found = set().union(*(_item_keys(line, find_label_hits(line, PERSONAL_ITEM_KEYS)) for line in region))
    return len(found) >= PERSONAL_ITEMS


def _item_keys(line: TextLine, hits: list) -> set[str]:
    """The keys of the person's own items (strict labels, of no other person) that ``hits`` open on
    ``line``: an item opening the line or after its number, and every item set after one such on the
    same line ("Họ và tên: Trịnh Hồng Mai Số điện thoại: …", unnumbered)."""
    keys: set[str] = set()
    opened = _other_item_opens(line)
    for hit in sorted(hits, key=lambda hit: hit.start):
        if _own_strict(hit) and (keys or _opens_item(line, hit.start) or (opened is not None and hit.start > opened)):
            keys.add(hit.key)
    return keys


ITEM_LABEL_WORDS = 4
"""How many words an item's label may hold before its colon."""


def _other_item_opens(line: TextLine) -> int | None:
    """The index of the colon word of an item the line opens with, of a field we do not read ("Quốc
    tịch: Việt Nam Số CMND: 201 986 284", 48_thong_tin_co_ban), or None: a person's item set after
    it on the line is an item all the same. Its number opens nothing of itself ("9. Quốc tịch: ViệtNam10.
    Số CMND: …", the next item's number glued to the value): its first word after the number is."""
    first = 1 if len(line.words) > 1 and ITEM_NUMBER.match(fold(line.words[0].text)) else 0
    for i, word in enumerate(line.words[first : first + ITEM_LABEL_WORDS], start=first):
        if word.text.endswith(":"):
            return i if line.words[first].text[:1].isupper() else None
    return None


def _own_strict(hit) -> bool:
    """Is ``hit`` a strict label of the person's own (not loose, naming no other person)?"""
    return not hit.loose and not hit.other_person


def _possible_item_keys(line: TextLine) -> set[str]:
    """A superset of :func:`_item_keys` of the line's label hits, from :func:`label_candidates`
    tried where an item may open and, once one does, after it: a word or two a line on most pages."""
    opening = [hit for hit in label_candidates(line, PERSONAL_ITEM_KEYS, starts=_item_starts(line))
               if _own_strict(hit) and _opens_item(line, hit.start)]
    opened = _other_item_opens(line)
    if not opening and opened is None:
        return set()
    first = min(hit.start for hit in opening) if opening else opened
    after = label_candidates(line, PERSONAL_ITEM_KEYS, starts=range(first + 1, len(line.words)))
    return {hit.key for hit in opening} | {hit.key for hit in after if _own_strict(hit)}


def _item_starts(line: TextLine) -> list[int]:
    """The words where an item may open (:func:`_opens_item`)."""
    return [0] + [i for i in range(1, len(line.words)) if _opens_item(line, i)]


_LOST_ITEM_NUMBER = re.compile(r"\S{0,3}[.)]|\d{1,2}[:,]")
"""An item number OCR read short or its stop as a colon or a comma: ".", "0.", "1)", "10:", "1,"."""


def _opens_item(line: TextLine, start: int) -> bool:
    """Does the label at word ``start`` open an item: the line's first word, or after an item number
    (". Họ và tên:", its digit lost; "… 10. Số CMND: …", two items on one line)?"""
    if start == 0:
        return True
    before = fold(line.words[start - 1].text)
    return bool(ITEM_NUMBER.match(before) or _LOST_ITEM_NUMBER.fullmatch(before))


def header_evidence(lines: list[TextLine]) -> TypeEvidence:
    """Title, motto and symbol cues from the lines of a document's first page."""
    evidence = TypeEvidence()
    for index, line in enumerate(lines):
        if line.rel_top > TITLE_REGION:
            break
        if is_motto(line.key):
            evidence.motto = True
            continue
        # a letter's "Số: …/…" stands in its header, above the title; under a citizen's form's title a
        # line opening "số" is the body's ("Quyết định" / "số....2994/QĐ-SLĐTBXH ngày …",
        # 09_cham_dut_huong_tro_cap_that_nghiep, wrapped)
        if (evidence.number_line is None and evidence.title_type is None and _opens_number_line(line)
                and line.rel_top < 0.35) or numbers_the_title(evidence, line):
            _take_number_line(evidence, line)
            continue
        if evidence.subject_line is None and line.rel_top < 0.45 and opens_subject(line.key):
            evidence.subject_line = line
            continue
        if evidence.title_type is None:
            matched = match_title(line) or _title_across_gap(line, lines[index + 1 : index + 2])
            if matched:
                evidence.title_type, evidence.title_score = matched
                evidence.title_line = line
        elif _FIRST_PERSON.match(line.key):
            evidence.first_person = True
        elif _NAME_ITEM.search(line.key):
            evidence.name_item = True
    if personal_items_alone(evidence, lines):
        evidence.title_type, evidence.title_score = "don_de_nghi", ITEMS_SCORE
        evidence.cues.append("personal_items")
    if _application_subtitle_alone(evidence, lines):
        # "TỜ KHAI" lost (a fold, a speck), its subtitle "Đề nghị cấp hộ chiếu …" stands under the motto
        evidence.title_type, evidence.title_score = "don_de_nghi", SUBTITLE_SCORE
        evidence.cues.append("application_subtitle")
    if citizens_form_titled_as_letter(evidence):
        evidence.cues.append(f"citizen_form:{evidence.title_type}")
        evidence.title_type = "don_de_nghi"  # the form's title names what it is about, not who wrote it
    if evidence.title_type:
        evidence.cues.append(f"title:{evidence.title_type}:{evidence.title_score / 100:.2f}")
    if evidence.symbol_type:
        evidence.cues.append(f"symbol:{evidence.symbol_type}:{evidence.symbol}")
    if evidence.motto:
        evidence.cues.append("motto")
    if evidence.letter_header:
        evidence.cues.append("letter_header")
    if evidence.subject_line is not None:
        evidence.cues.append("v/v")
    return evidence


@dataclass
class TypeDecision:
    """The chosen type, a raw (uncalibrated) score and the cues behind it."""

    doc_type: str
    score: float
    cues: list[str]
    evidence: TypeEvidence
    features: dict[str, float] = field(default_factory=dict)


def decide_type(evidence: TypeEvidence, probs: dict[str, float] | None) -> TypeDecision:
    """Fuse header cues and classifier probabilities into one type and a raw score in 0..1."""
    cues = list(evidence.cues)
    probs = probs or {}
    if probs:
        top = max(probs, key=probs.get)
        cues.append(f"classifier:{top}:{probs[top]:.2f}")
    votes: dict[str, float] = {}

    def vote(key: str | None, weight: float) -> None:
        if key:
            votes[key] = votes.get(key, 0.0) + weight

    vote(evidence.title_type, 2.0 * evidence.title_score / 100)
    vote(evidence.symbol_type, 1.5)
    if (evidence.letter_header or evidence.subject_line is not None) and not evidence.title_type and not evidence.symbol_type:
        vote("cong_van", 1.2)
    for key, p in probs.items():
        vote(key, 1.5 * p)
    if not votes:
        return TypeDecision("khac", 0.3, cues + ["no_cue"], evidence, {"votes": 0.0})
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    best, best_votes = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    total_possible = 2.0 + 1.5 + (1.5 if probs else 0.0)
    features = {
        "title": evidence.title_score / 100 if evidence.title_type == best else 0.0,
        "title_conflict": 1.0 if evidence.title_type and evidence.title_type != best else 0.0,
        "symbol": 1.0 if evidence.symbol_type == best else 0.0,
        "symbol_conflict": 1.0 if evidence.symbol_type and evidence.symbol_type != best else 0.0,
        "classifier": probs.get(best, 0.0),
        "margin": (best_votes - runner) / total_possible,
    }
    if best_votes < 0.9 and not evidence.title_type:
        return TypeDecision("khac", 0.4, cues + ["weak_cues"], evidence, features)
    score = min(1.0, 0.35 + 0.65 * (best_votes - 0.5 * runner) / (2.0 + (1.5 if probs else 0.0)))
    if evidence.title_type == best and evidence.title_score >= 90:
        score = max(score, 0.9 if evidence.symbol_type in (None, best) else 0.6)
    return TypeDecision(best, round(score, 4), cues, evidence, features)
