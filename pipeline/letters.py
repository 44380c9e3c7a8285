"""Official letters (Nghị định 30/2020 layout): number, issuing agency, date, subject, signer.

Layout facts used here:

* left header: parent body, then the issuing agency (``ỦY BAN NHÂN DÂN`` / ``TỈNH QUẢNG NGÃI``,
  or ``UBND THÀNH PHỐ ĐÀ NẴNG`` / ``SỞ GIÁO DỤC VÀ ĐÀO TẠO``), then ``Số: 05/CT-UBND``;
* right header: the national motto, then ``<place>, ngày 15 tháng 4 năm 2020``;
* the type title, then the subject (``Về việc …``); công văn have ``V/v …`` under the number;
* the signature block ends with the signer's name, bottom right of the last page.

On real scans the number and the day are often written by hand into blanks of the typed
template: OCR then reads garbage or wrong digits with a low word confidence. Such values are
returned as ``None`` (unreadable) or flagged ``handwritten`` so they are never auto-accepted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from schemas.pages import PEN_INKS, Word
from pipeline.address import UNIT_TYPES_IN_TEXT
from pipeline.classify import (MOTTO, NUMBER_GLUED_TO_SYMBOL, SLASH_READ_AS, VV_BRACKETED, VV_LINE, TypeEvidence,
                               is_motto, opens_subject)
from pipeline.dates import english_date_line, first_date, is_english_date_word, opens_english_date
from pipeline.extract import (HANDWRITING_CONF, OTHER_DIGITS_NOTE, Candidate, as_second_read, repair_spacing,
                              same_but_digits, weigh_second_reading)
from pipeline.labels import PRINTED_CONF
from pipeline.layout import TextLine, union_bbox
from pipeline.persons import is_signature_note
from pipeline.syllables import is_syllable, split_glued
from pipeline.text import clean, fold, upper_share

_STAMP_WORDS = ("ky boi", "co quan:", "thoi gian ky", "trung tam cong bao", "tin hoc", "@", "email", "+07:00")
_PARENT_START = ("uy ban nhan dan", "ubnd", "bo ", "hoi dong nhan dan", "tinh uy", "dang bo", "cong an tinh", "cong an thanh pho")
_PLACE_WORDS = ("tinh ", "thanh pho ", "huyen ", "quan ", "thi xa ", "xa ", "phuong ", "thi tran ")
_SUBJECT_STOP = re.compile(
    r"^(can cu|kinh gui|thuc hien|uy ban nhan dan|chu tich|hoi dong|giam doc|truong|so\s*[:\d]|noi nhan|theo de nghi|xet de nghi|"
    r"quyet dinh|dieu 1|[0-9]+\.)"
)
_LABELLED_ITEM = re.compile(r"^[-–•+*]?\s*(?:[^\W\d_]+\s+){0,4}[^\W\d_]+\s*:\s*\S")
"""A line that opens with a label and its colon ("Tên doanh nghiệp: CÔNG TY …", "- Số điện thoại liên
hệ: …"): an item of the letter's body, no wrapped line of its subject."""
_BODY_START = re.compile(r"^(can cu|kinh gui|noi nhan|theo de nghi|xet de nghi|dieu 1|[0-9]+\.)")
"""Lines that open a letter's body: the subject stops before them (centred mixed-case lines
starting "Thực hiện …" or "Ủy ban nhân dân …" can still be the subject's own wrapped lines)."""
_PLACE_DATE = re.compile(r"^[^,]{2,40},\s*(?:ng[a-zà]y|date\b)")
_UNREAD_PLACE_DATE = re.compile(r"^\W{0,2}\w?\W{0,2},\s*ng[a-zà]y")
"""A signing line whose place OCR read as a speck or a glyph ("1, ngày 26 tháng 5 năm 2016"): the
signing date all the same, held (the line says less that it is one)."""
_DATE_LINE = re.compile(r"ng[a-zà]y.{0,12}th[a-z]ng.{0,8}n[aă]m\s*\d(?: ?\d){3}")
"""A signing line's date, folded; the month's word with a letter misread ("ngày 31 thúng 8 năm 2016"),
the year's digits a hand spaced ("năm 201 7")."""
# "Đông Yên, date 23 month 08 year 2021": a bilingual form's signing line in English only
# (06_cap_GPLX_quoc_te); its day and month words are "date" and "month", as OCR may slip them
# (:func:`pipeline.dates.english_date_line`, :func:`pipeline.dates.is_english_date_word`)
# "ngày" with one letter misread ("Tân Long, ngùy 25 tháng 01 năm 2021", 12_DDN_cap_doi_GPLX): the
# signing line still says "tháng … năm <year>" after it
_DAY_WORD = re.compile(r"^ng[a-z]y(?![a-z])")
"""The day's word, folded, as OCR reads it ("ngày", "ngùy"); a whole word, so that a place named
"Nguyên" or "Nguyễn" before it ("Thái Nguyên, ngày 21 …") does not open the day there."""
_SIGN_TITLES = re.compile(r"^(kt\.?|tm\.?|tl\.?|q\.?\s)?\s*(chu tich|pho chu tich|giam doc|pho giam doc|truong|pho truong|chanh van phong|bo truong|thu truong|cuc truong|ubnd|uy ban)")


def _is_stamp(line: TextLine) -> bool:
    return any(word in line.key for word in _STAMP_WORDS)


def _is_motto(line: TextLine) -> bool:
    return is_motto(line.key)


TYPE_SYMBOLS = frozenset({"QĐ", "CT", "TB", "BC", "TTr", "KH", "GPXD", "LLTP", "CV", "TT", "NQ", "NĐ", "HD", "TTg"})


def fix_symbol(symbol: str) -> str:
    """Repair common OCR slips in a số ký hiệu: Icelandic Ð for Đ, doubled Đ, spaces around dashes, a
    dash read twice ("TTr--ĐHXDHN": no symbol has two together), a stray I/l/1 inside a type
    abbreviation ("TTIr" -> "TTr")."""
    text = symbol.replace("Ð", "Đ").replace("ĐĐ", "Đ")
    text = re.sub(r"\s*[-–]+\s*", "-", text)
    text = re.sub(r"\s+", "", text).strip(".,;:")
    head, dash, rest = text.partition("-")
    if dash and head not in TYPE_SYMBOLS:
        stripped = re.sub(r"[Il1|]", "", head)
        if stripped in TYPE_SYMBOLS:
            text = stripped + dash + rest
    return text


def misread_type_symbol(symbol: str) -> str | None:
    """The type abbreviation a số ký hiệu's head is, read with an I, l, 1 or | for one of its letters
    ("TIr-ĐHCNGTVT" for "TTr-…"), when exactly one fits; None when the head is one or no such slip.
    An agency's own abbreviation ("UBND-VX") is no type's and stays."""
    head, dash, _ = symbol.partition("-")
    if not dash or head in TYPE_SYMBOLS:
        return None
    fits = [known for known in TYPE_SYMBOLS if len(known) == len(head)
            and sum(a != b for a, b in zip(head, known)) == 1
            and all(a in "Il1|" for a, b in zip(head, known) if a != b)]
    return fits[0] if len(fits) == 1 else None


def doc_number(evidence: TypeEvidence) -> Candidate | None:
    """``Số: 05/CT-UBND`` -> ``05/CT-UBND``; the number part is None when missing, garbled or handwritten."""
    line = evidence.number_line
    if line is None:
        return None
    words = list(line.words)
    # drop the "Số:" label word(s)
    while words and re.match(r"^s[oốô0ỗổ]\s*[:.;]?$", fold(words[0].text)):
        words = words[1:]
    if words and re.match(r"^s[oô0]\s*[:.;]", fold(words[0].text)):
        first = words[0].model_copy(update={"text": re.sub(r"^\S*?[:.;]", "", words[0].text)})
        words = ([first] if first.text else []) + words[1:]
    slash_at = next((i for i, w in enumerate(words) if "/" in w.text), None)
    # the number glued to its symbol, its slash lost ("1146GPXD") or read as a letter ("2044JGPXD"): put
    # back, held below
    slash_lost = _SLASH_LOST.fullmatch(words[0].text) if slash_at is None and words else None
    if slash_lost:
        slash_at = 0
        symbol = _slash_read_as_letter(slash_lost.group(2)) or slash_lost.group(2)
        words = [words[0].model_copy(update={"text": f"{slash_lost.group(1)}/{symbol}"})] + words[1:]
    elif slash_at is None and len(words) >= 2 and re.fullmatch(r"\d{1,5}", words[0].text) and _slash_read_as_letter(words[1].text):
        # "Số: 2044 JGPXD": the slash read as a letter opening the symbol's word
        slash_at, slash_lost = 1, True
        words = [words[0], words[1].model_copy(update={"text": "/" + _slash_read_as_letter(words[1].text)})] + words[2:]
    if slash_at is None:
        return None
    # the symbol runs on until the next word that does not continue it (the date is a new column)
    symbol_words = [words[slash_at]]
    for word in words[slash_at + 1 :]:
        if word.text.startswith(("-", "–")) or symbol_words[-1].text.endswith(("-", "–")):
            symbol_words.append(word)
        else:
            break
    head, _, tail = words[slash_at].text.partition("/")
    tail = tail + "".join(w.text for w in symbol_words[1:])
    number_words = words[:slash_at]
    # a speck between the number and its slash is none of its digits ("Số: 2415 _ /QĐ-UBND")
    number_text = ("".join(w.text for w in number_words) + head).rstrip("_~'`·")
    all_words = number_words + symbol_words
    raw = clean(" ".join(w.text for w in all_words))
    symbol = fix_symbol(tail)
    candidate = Candidate("doc_number", None, raw, line.page_no, union_bbox(all_words), all_words, 1.0)
    candidate.flags["handwritten"] = 0.0
    # normative documents carry the year: 01/2023/TT-VPCP
    number_text = number_text.strip()
    if not number_text:
        candidate.note = "number missing (handwritten on the scan?): only the symbol was read"
        candidate.flags["handwritten"] = 1.0
        candidate.raw = raw
        return candidate
    # the page reading's own confidence: a handwritten number that a second reading agreed with is
    # still handwritten (ocr/digits.py)
    number_confs = [w.page_conf for w in number_words] + ([words[slash_at].page_conf] if head else [])
    if not re.fullmatch(r"\d{1,5}(/\d{4})?", number_text):
        candidate.note = f"number unreadable ({number_text!r}): handwritten?"
        candidate.flags["handwritten"] = 1.0
        return candidate
    misread = misread_type_symbol(symbol)
    if misread is not None:
        symbol = misread + symbol[symbol.index("-"):]
        candidate.flags["misspelt"] = 1.0  # "TIr" read for "TTr": the likely reading, not a sure one
    candidate.value = f"{number_text}/{symbol}"
    if slash_lost:
        candidate.flags["misspelt"] = 1.0  # the slash put back: the likely reading, not a sure one
    if number_confs and min(number_confs) < HANDWRITING_CONF:
        candidate.note = "number read with low confidence: probably handwritten"
        candidate.flags["handwritten"] = 1.0
    elif not head:
        # "Số: 28 /UBND-VX": the number stands apart from its symbol, as when it was written by hand
        # into the blank of a typed template (a typed number is set as "28/UBND-VX")
        candidate.note = "number written apart from its symbol: probably handwritten"
        candidate.flags["handwritten"] = 1.0
    other = _number_read_again(number_words, words[slash_at] if head else None, number_text)
    if other is not None:
        # two readings of other digits: a hand's number, whatever its confidence (its handwriting holds
        # the letter's other numbers and dates too: ``pipeline.analyse.flag_hand_filled_digits``)
        candidate.value = f"{other}/{symbol}"
        candidate.note = OTHER_DIGITS_NOTE
        candidate.flags["second_reading"] = 1.0
        candidate.flags["handwritten"] = 1.0
    return candidate


_SLASH_LOST = re.compile(NUMBER_GLUED_TO_SYMBOL)


def _slash_read_as_letter(symbol: str) -> str | None:
    """A symbol whose slash OCR read as a letter before it ("JGPXD", "IQĐ-UBND"), without it, or None:
    the letter, then a document type's symbol (:data:`TYPE_SYMBOLS`), which none of them opens with."""
    if len(symbol) > 2 and symbol[0] in SLASH_READ_AS and symbol[1:].split("-")[0] in TYPE_SYMBOLS:
        return symbol[1:]
    return None


def _number_read_again(number_words: list[Word], symbol_word: Word | None, number_text: str) -> str | None:
    """The document's number as the page path's second reading read it (ocr/digits.py: its words
    read again at a larger scale, sure), where that reading gives as many digits, other ones, and
    None otherwise: a hand's "91" read "97" at the page's scale makes a valid number too, and nothing
    else on the letter checks it."""
    again = "".join(as_second_read(w) for w in number_words)
    if symbol_word is not None:
        again += as_second_read(symbol_word).partition("/")[0]
    again = again.strip()
    return again if same_but_digits(number_text, again) else None  # number_text is digits: so is again


_NUMBER_LABEL = re.compile(r"^S(?:[ốoôõðồổỗộ0]\s*(?::|\d|[A-ZĐ]*[-/])|[ỐÔO0Ð]\s*(?::|\d))")
"""A left header's number line as OCR may read its "Số" ("Sõ 1 Ï 7KHTN-TCHC", "Số UBND-NC"): a colon, a
digit or, after a small "ố", a symbol; an agency's name in capitals opens otherwise ("SỞ Y TẾ", "SỞ
GD-ĐT")."""


def _header_lines(lines: list[TextLine], evidence: TypeEvidence) -> list[TextLine]:
    """Left-column header lines between the top of the motto and the number line (or the title, when
    the number is printed under it)."""
    first_page = [l for l in lines if l.page_no == lines[0].page_no]
    motto_tops = [l.bbox[1] for l in first_page if _is_motto(l) and l.rel_top < 0.3]
    number = evidence.number_line
    # the number's own row closes the header: an agency read on it, beside it, is the header's last line
    # ("CÔNG TY TNHH MAY MẶC THÀNH CÔNG" | "Số: 702CV-TT")
    bottom = number.bbox[3] if number is not None else first_page[0].page_height * 0.25
    title = evidence.title_line
    if title is not None and title.page_no == first_page[0].page_no:
        bottom = min(bottom, title.bbox[1])  # a permit's number under its title: the title closes the header
    top = min(motto_tops) - 0.01 * first_page[0].page_height if motto_tops else 0
    # a number line the number search passed over ("Số: VNLNTTCHC", its slash lost; "Sõ 1 Ï 7KHTN-TCHC")
    # still closes the header under it: its words are no words of the agency's name
    numbers = [l for l in first_page if l.rel_top < 0.3 and l.rel_center_x <= 0.5 and _NUMBER_LABEL.match(l.text)]
    bottom = min([bottom, *(l.bbox[3] for l in numbers)])
    out = []
    for line in first_page:
        x0 = line.bbox[0]
        if line.bbox[1] < top - 5 or line.bbox[1] >= bottom - 2 or _is_stamp(line) or _is_motto(line):
            continue
        if line is number or any(line is passed for passed in numbers):
            continue
        if line.rel_center_x > 0.5 or x0 > line.page_width * 0.4:
            continue
        if upper_share(line.text) < 0.6 or len(line.key) < 3:
            continue
        out.append(line)
    return out[-4:]


_AGENCY_START = ("uy ban nhan dan", "so ", "phong ", "cong an ", "chi cuc ", "cuc ", "ban ", "van phong ", "truong ",
                 "vien ", "hoc vien ", "trung tam ", "benh vien ", "tong cuc ", "cong ty ")
_NATIONAL_PARENT_START = ("bo ", "vien han lam ", "dai hoc quoc gia ", "tong cuc ", "tap doan ", "tong cong ty ")
"""A body complete without a place, over a body of its own (a ministry, the national academies and
universities, a general department, a state group): "BỘ GIAO THÔNG VẬN TẢI" / "TRƯỜNG ĐẠI HỌC GIAO
THÔNG VẬN TẢI", "VIỆN HÀN LÂM KHOA HỌC VÀ CÔNG NGHỆ VIỆT NAM" / "VIỆN VẬT LÝ"
(04_cap_chung_chi_tham_tra_vien_ATGT_duong_bo, 05_cap_giay_phep_chuyen_gia_KHCN_VN): the parent only
when a line under it opens a body's own name; alone, or wrapped ("BỘ LAO ĐỘNG - THƯƠNG BINH" / "VÀ XÃ
HỘI"), it is the issuer itself."""


def _is_parent_line(key: str) -> bool:
    """A complete parent body: "UBND TỈNH X", "UBND TP. X", "ỦY BAN NHÂN DÂN THÀNH PHỐ X", "BỘ …"."""
    if key.startswith("ubnd "):
        return True
    return key.startswith(_PARENT_START) and any(p in key + " " for p in _PLACE_WORDS)


def _over_own_body(header: list[TextLine]) -> bool:
    """Does the header open with a national parent (:data:`_NATIONAL_PARENT_START`) and a later line
    with a body's own name (:data:`_AGENCY_START`)?"""
    return header[0].key.startswith(_NATIONAL_PARENT_START) and any(_opens_agency(line) for line in header[1:])


def _opens_agency(line: TextLine) -> bool:
    """Does ``line`` open a body's own name (:data:`_AGENCY_START`), a speck OCR read before it aside
    ("'TRƯỜNG CAO ĐẲNG GIAO": the school under its ministry)?"""
    return line.key.lstrip("'\"`‘’“”.,:;~-_ ").startswith(_AGENCY_START)


def issuing_agency(lines: list[TextLine], evidence: TypeEvidence) -> Candidate | None:
    """The issuing agency from the left header.

    ``ỦY BAN NHÂN DÂN`` + ``TỈNH QUẢNG NGÃI`` are one name and are joined; when the first line is
    itself a complete parent body (``UBND THÀNH PHỐ ĐÀ NẴNG``) the agency is the line(s) under it.
    """
    header = [l for l in _header_lines(lines, evidence) if not re.fullmatch(r"[-_—–.\s]*", l.text)]
    if not header:
        return None
    header, set_apart = zip(*(_unglued(line) for line in header))
    # the agency starts at its own name ("ỦY BAN NHÂN DÂN", "SỞ …"); a long parent may wrap
    starts = [i for i, line in enumerate(header) if i >= 1 and _opens_agency(line)]
    begin = 0
    if len(header) >= 2 and (_is_parent_line(header[0].key) or _over_own_body(header)):
        begin = starts[0] if starts else 1
    elif starts and not _opens_agency(header[0]):
        # a parent's wrapped last words over the body's own name, its first line read into the motto's
        # or above the header: "PHỐ HỒ CHÍ MINH" / "TRƯỜNG ĐẠI HỌC KHOA HỌC TỰ NHIÊN"
        begin = starts[0]
    chosen = header[begin:]
    words = [w for l in chosen for w in l.words if _letter_count(w.text) or any(ch.isdigit() for ch in w.text)]  # no specks
    raw = clean(" ".join(l.text for l in chosen))
    value = repair_spacing(clean(re.sub(r"[^\w\s&,.\-()]|_", " ", " ".join(w.text for w in words))).strip(" -.,"))
    # the number line glued on: "SỞ TƯ PHÁP Số 1432…", or with its number left blank "… Số UBND-NC";
    # its words are no words of the name (a number's symbol read at 0.39 held the agency)
    glued = value
    value = re.sub(r"\s+S[ốoô0]\s*:?\s*(?:[\d/]|[A-ZĐ]+[-/][A-ZĐ]).*$", "", value)
    dropped = len(glued.split()) - len(value.split())
    if 0 < dropped < len(words):
        words = words[:-dropped]
    value = _without_stray_stops(value)
    value, cut = _without_parent(value)
    if cut:
        words = words[cut:] if len(words) > cut else words
    candidate = Candidate("issuing_agency", value or None, raw, chosen[0].page_no, union_bbox(words), words, 1.0)
    candidate.flags["parent_split"] = 1.0 if begin or cut else 0.0
    if _header_read_into_motto(lines):
        candidate.flags["header_in_motto"] = 1.0
    if any(set_apart[begin:]):
        candidate.flags["glued_words"] = 1.0
    return candidate


_MOTTO_OPENING = " ".join(MOTTO[0].split()[:4])  # "cong hoa xa hoi"
HEADER_BEFORE_MOTTO = 3
"""Letters before the motto's "CỘNG HÒA" on its line from which they are a header's words read into it."""


def _header_read_into_motto(lines: list[TextLine]) -> bool:
    """Did OCR read a line of the left header into the motto's line ("CÔNG TY CỔ PHẦN MAY SÔNG_CỘNG
    HÒA XÃ HỘI …", the two columns' words run together, 44_Quyet_dinh_viec_nghi_viec_huong_che_do_huu_tri)?
    The header then lacks that line, and the agency read from the rest may be its last word alone ("HỒNG")."""
    first_page = [l for l in lines if l.page_no == lines[0].page_no]
    for line in first_page:
        at = line.key.find(_MOTTO_OPENING)
        if at > 0 and line.rel_top < 0.3 and _letter_count(line.key[:at]) >= HEADER_BEFORE_MOTTO:
            return True
    return False


def _unglued(line: TextLine) -> tuple[TextLine, bool]:
    """``line`` with each capitals' word that is two syllables read as one set apart ("VIỆN VẬTLÝ",
    "VIỆN HÀN LÂMKHOA HỌC"), and whether one was: a parent's name must be known by its words."""
    words = [w.model_copy(update={"text": split}) if (split := w.text.isupper() and split_glued(w.text)) else w
             for w in line.words]
    changed = any(a is not b for a, b in zip(words, line.words))
    return (replace(line, words=words), True) if changed else (line, False)


_MARK_BEFORE_UNIT = re.compile(r"(?<=\w)\s*[,.;]\s+(?=(?:" + "|".join(kind.upper() for kind in UNIT_TYPES_IN_TEXT) + r")\s)")
"""A mark between a body and the unit its name goes on with ("ỦY BAN NHÂN DÂN, HUYỆN NHƠN TRẠCH": a speck
read as a comma at 0.00, 44_Quyet_dinh_viec_nghi_viec_huong_che_do_huu_tri): no agency's name breaks there
(its commas list fields of work: "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH")."""


def _without_stray_stops(value: str) -> str:
    """A name in capitals with a speck read as a stop after a word inside it ("CÔNG TY CỔ PHẦN CÔNG.
    NGHỆ MINH PHÁT", "TRƯỜNG ĐẠI HỌC KHOA. HỌC TỰ NHIÊN") without it, or as a mark before the unit its
    name goes on with (:data:`_MARK_BEFORE_UNIT`). An abbreviation keeps its stop ("TP. HỒ CHÍ MINH",
    "CTY CP. AN PHÚ"): only a word that is a syllable loses it."""
    value = _MARK_BEFORE_UNIT.sub(" ", value)
    words = value.split()
    return " ".join(word[:-1] if (i + 1 < len(words) and word.endswith(".") and len(word) > 2 and word[:-1].isalpha()
                                  and word.isupper() and is_syllable(word[:-1]) and words[i + 1][:1].isupper()) else word
                    for i, word in enumerate(words))


def _without_parent(value: str) -> tuple[str, int]:
    """Drop a parent body glued before the agency on one OCR line: "UBND HUYỆN CÀNG LONG ỦY BAN
    NHÂN DÂN XÃ TÂN AN" -> "ỦY BAN NHÂN DÂN XÃ TÂN AN". Returns (value, words dropped)."""
    words = value.split()
    keys = [fold(w) for w in words]
    if not keys or keys[0] not in ("ubnd", "uy"):
        return value, 0
    starts = [i for i in range(1, len(keys) - 4) if keys[i : i + 4] == ["uy", "ban", "nhan", "dan"]]
    if not starts:
        return value, 0
    return " ".join(words[starts[-1]:]), starts[-1]


def signed_date(lines: list[TextLine], max_top: float = 0.4, first_page_only: bool = True) -> tuple[Candidate | None, str | None]:
    """``<place>, ngày 15 tháng 4 năm 2020`` (right header of a letter, or above a form's
    signature with ``max_top=1``) -> (candidate, place)."""
    candidates = [l for l in lines if (l.page_no == lines[0].page_no or not first_page_only) and l.rel_top < max_top]
    for line in candidates:
        if not (_DATE_LINE.search(line.key) or english_date_line(line.key)):
            continue
        unread_place = False
        if max_top > 0.4 and not _PLACE_DATE.search(line.key) and _place_before_date(line) is None:
            if not _UNREAD_PLACE_DATE.search(line.key):
                continue  # in a form's body "ngày … tháng … năm" is some other date
            unread_place = True
        if max_top > 0.4 and _goes_on_after_year(line):
            continue  # "… tại UBND phường Tràng / Tiền ngày 10 tháng 05 năm 2006 số 94 quyển số": a body's date
        place = clean(line.text.split(",")[0]) if "," in line.text else _place_before_date(line)
        dm = first_date(line.text)
        keys = [fold(w.text) for w in line.words]
        start = _date_start(keys)  # once: on an English line it tries the line's words in turn
        day_words = _day_words(line.words, keys, start)
        words = line.words[start or 0:] or line.words  # from "ngày" to the year
        raw = clean(" ".join(w.text for w in words))
        candidate = Candidate("signed_date", None, raw, line.page_no, union_bbox(words), words, 1.0)
        candidate.focus_words = day_words
        candidate.flags["handwritten"] = 0.0
        if dm is None or dm.iso is None:
            if _take_date_read_again(candidate):
                return candidate, place
            missing = ", ".join(dm.missing) if dm and dm.missing else "invalid"
            candidate.note = f"date incomplete ({missing}): day handwritten or unreadable"
            candidate.flags["handwritten"] = 1.0
            return candidate, place
        candidate.value = dm.iso
        # a typed day is one word ("15"); a hand-written one is often read in pieces ("1 5")
        split_day = sum(any(ch.isdigit() for ch in w.text) for w in day_words) > 1
        if (dm.repaired or dm.split or dm.one_as_mark or split_day or any(_unsure_day_word(w) for w in day_words)
                or _room_for_unread_glyph(line.words, day_words) or _one_digit_in_two_digits_box(day_words)):
            candidate.note = "day read with low confidence: probably handwritten"
            candidate.flags["handwritten"] = 1.0
        elif dm.words_slipped:
            candidate.note = "the date's words were read with letters slipped: its digits may be misread too"
            candidate.flags["handwritten"] = 1.0
        elif unread_place:
            candidate.note = "the place before the date was not read: the line may be another date"
            candidate.flags["handwritten"] = 1.0
        return candidate, place
    return None, None


def _take_date_read_again(candidate: Candidate) -> bool:
    """Take the signing date as the page path's second reading read its day or month (ocr/digits.py:
    alone, at a larger scale) where the page's reading made no date of a hand's strokes ("ngày †† tháng
    12", read again "11"), as a birth date's is taken (``pipeline.extract.weigh_second_reading``). A
    likely reading, never a sure one: held as a hand's. Where the page's reading made a date, a reading
    of other digits is no such evidence here: "ngày † 7" (a hand's 17, the dagger its 1) read again "1"
    alone lost a glyph. Did it?"""
    _, value, note = weigh_second_reading("signed_date", candidate.words, candidate.raw, None, "no date found")
    if value is None:
        return False
    candidate.value, candidate.note = value, note
    candidate.flags["handwritten"] = 1.0
    candidate.flags["second_reading"] = 1.0
    return True


PLACE_WORDS = 5
"""How many words a place printed before the signing date may have ("Thị trấn Ngô Mây")."""

DATED_EVENTS = frozenset({"sinh", "cap", "chet", "mat", "han"})
"""Words (folded) that make the "ngày" after them the date of something else: "Sinh ngày 07 tháng 02
năm 1979" (a form's item whose number was dropped) is a birth, not a place and the signing date;
so are "Cấp ngày", "Chết ngày", "Mất ngày", "Hết hạn ngày"."""


def _goes_on_after_year(line: TextLine) -> bool:
    """The sentence goes on after the date's year ("… năm 2006 số 94 quyển số: 02/2006", 54_TK_DK_
    cham_dut_giam_ho's registration; "… năm 2015 của Thủ tướng", a decree cited): a date in a form's
    body, wrapped so that a word of the line above looks like a place. A signing date ends its line
    (or a column's heading in capitals follows it)."""
    keys = [fold(w.text) for w in line.words]
    for i in range(len(keys)):
        # the year after its word, or glued to it ("… tháng 04 năm2014 số 70 quyển số:")
        if (re.fullmatch(r"nam\d{4}\W*", keys[i])
                or (i and re.fullmatch(r"\d{4}\W*", keys[i]) and keys[i - 1].startswith(("nam", "năm")))):
            after = [w.text.strip(".,;:/()…") for w in line.words[i + 1:]]
            after = [w for w in after if w]
            return bool(after) and (after[0][:1].islower() or after[0][:1].isdigit())
    return False


def _place_before_date(line: TextLine) -> str | None:
    """The place opening ``line`` before "ngày" (or an English-only form's "date") when OCR lost its
    comma ("Ngô Mây ngày 15 tháng 9 năm 2021", "Đạ Lây date 26 month 01 year 2019"): one to
    :data:`PLACE_WORDS` words, each capitalised (a place's name; "Tôi sinh ngày" is a sentence), or None."""
    keys = [fold(w.text) for w in line.words]
    at = next((i for i, k in enumerate(keys) if k.startswith("ngay")), None)
    if at is None:
        at = _english_date_start(keys)
    if at is None or not 1 <= at <= PLACE_WORDS or keys[at - 1].strip(".:,") in DATED_EVENTS:
        return None
    before = [w.text for w in line.words[:at]]
    # "J2020/NĐ-CP ngày 08 tháng 12 năm 2020" (a decree's number, its "/" read "J", 62_xet_cap_hoc_
    # bong_chinh_sach): a word with digits names no place
    if not all(w[:1].isupper() and any(ch.isalpha() for ch in w) and not any(ch.isdigit() for ch in w)
               for w in before):
        return None
    return clean(" ".join(before))


def _english_date_start(keys: list[str]) -> int | None:
    """The index of the folded word ``keys`` that opens an English date ("date" as OCR may slip it,
    :func:`pipeline.dates.opens_english_date`), or None: a word a letter from "date" elsewhere
    ("Đạt", "Đất") opens none."""
    return next((i for i in range(len(keys)) if is_english_date_word(keys[i], "date")
                 and opens_english_date(" ".join(keys[i:]))), None)


def _date_start(keys: list[str]) -> int | None:
    """The index of the folded word ``keys`` that opens the date: "ngày" (a letter misread) or an
    English-only form's "date"."""
    start = next((i for i, k in enumerate(keys) if _DAY_WORD.match(k)), None)
    return start if start is not None else _english_date_start(keys)


def _unsure_day_word(word: Word) -> bool:
    """A word of the day read under :data:`HANDWRITING_CONF` by the page's reading, and not read again
    alike at print confidence (``reread_conf``, ``ocr/digits.py``: alone, at a larger scale): "07"
    read 0.39 beside a signature's stroke, then "07" at 0.90, is still a doubt; "19" at 0.61, then
    "19" at 0.96, two readings that agree, the second as sure as print, is not."""
    return word.page_conf < HANDWRITING_CONF and (word.reread_conf is None or word.reread_conf < PRINTED_CONF)


UNREAD_GAP_HEIGHTS = 0.6
"""A gap beside a day's digits of at least this many of their heights, and :data:`UNREAD_GAP_RATIO`
times the gap on their other side, leaves room for a glyph no reading read."""
UNREAD_GAP_RATIO = 2.0


def _one_digit_day(day_words: list[Word]) -> bool:
    """Was the day read as one word of one digit?"""
    return len(day_words) == 1 and sum(ch.isdigit() for ch in day_words[0].text) == 1


def _room_for_unread_glyph(words: list[Word], day_words: list[Word]) -> bool:
    """Does a day read as one digit stand far nearer one of its neighbours ("ngày", "tháng") than the
    other, with room for a glyph between it and that other ("ngày 3 ‸ tháng 01": a hand's 31 in blue, its
    thin 1 read by neither reading, p6-honest10 vb-0057)? A hand centres its day in the blank; typed, the
    spaces are even. Then the day may have lost a digit, however sure its reading: held."""
    if not _one_digit_day(day_words):
        return False  # two digits are a whole day: none is missing
    k = next((i for i, w in enumerate(words) if w is day_words[0]), None)
    if k is None or k == 0 or k + 1 >= len(words):
        return False
    day = day_words[0].bbox
    before, after = day[0] - words[k - 1].bbox[2], words[k + 1].bbox[0] - day[2]
    wide, narrow = max(before, after), max(min(before, after), 1)
    return wide >= UNREAD_GAP_HEIGHTS * (day[3] - day[1]) and wide >= UNREAD_GAP_RATIO * narrow


PEN_DIGIT_ASPECT = 0.8
"""A single digit a pen wrote is narrower than it is tall; a box this wide for its height holds two."""


def _one_digit_in_two_digits_box(day_words: list[Word]) -> bool:
    """Is the day one digit in a pen's ink whose box is as wide as two digits (:data:`PEN_DIGIT_ASPECT`):
    "ngày 2[0.95] tháng 01" for a hand's 22, both readings reading one 2 (p6-honest29 vb-0049)? A digit may
    be lost, however sure the reading: held."""
    if not _one_digit_day(day_words) or day_words[0].ink not in PEN_INKS:
        return False
    x0, y0, x1, y1 = day_words[0].bbox
    return x1 - x0 >= PEN_DIGIT_ASPECT * (y1 - y0)


def _day_words(words: list[Word], keys: list[str], start: int | None) -> list[Word]:
    """The words between "ngày" and "tháng" (the day, often handwritten): ``keys`` are the words
    folded, ``start`` the index of the date's opening word (:func:`_date_start`)."""
    english = start is not None and not _DAY_WORD.match(keys[start])
    end = next((i for i, k in enumerate(keys) if k.startswith("thang") or (english and is_english_date_word(k, "month"))), None)
    if start is None or end is None or end <= start + 1:
        return []
    return words[start + 1 : end]


def _closes_bracket(chosen: list[TextLine]) -> bool:
    """Do the subject's lines so far open with a bracket and close it ("(V/v: khai bổ sung hồ sơ khai
    thuế …)", 39_hoi_dap_chi_cuc_thue)? The subject ends there; the letter's items follow ("Tên doanh
    nghiệp: …"), set as close under it as the subject's own lines."""
    text = " ".join(line.text for line in chosen).strip()
    return text.startswith("(") and text.endswith(")") and text.count("(") == text.count(")")


def _opener_read_whole(words: list[Word]) -> int:
    """How many of the subject's first words are its opener read letter for letter ("V/v:", "(V/v:",
    "Về việc"): the subject's label, whose confidence says nothing of the subject's own words. The
    bracket, slash and small letters of "(V/v:" are read at 0.21-0.42 beside sure words (sealed7,
    39_hoi_dap_chi_cuc_thue); an opener read otherwise ("(V&:") is judged by ``vv_misread``."""
    if words and words[0].text.lstrip("(").rstrip(":").casefold() == "v/v":
        return 1
    if len(words) >= 2 and words[0].text.casefold() == "về" and words[1].text.rstrip(":").casefold() == "việc":
        return 2
    return 0


def subject(lines: list[TextLine], evidence: TypeEvidence) -> Candidate | None:
    """Trích yếu: the lines under the title (``Về việc …``), or ``V/v …`` under the number."""
    first_page = [l for l in lines if l.page_no == lines[0].page_no]
    start_index = None
    if evidence.title_line is not None and evidence.title_line in first_page:
        start_index = first_page.index(evidence.title_line) + 1
    else:
        for i, line in enumerate(first_page):
            if line.rel_top < 0.45 and opens_subject(line.key):
                start_index = i
                break
    if start_index is None:
        return None
    chosen: list[TextLine] = []
    # the subject is set tight under its title; the body starts after a wider gap
    ref_gap = None
    if evidence.title_line is not None and start_index < len(first_page):
        ref_gap = max(0.0, first_page[start_index].bbox[1] - evidence.title_line.bbox[3])
    for line in first_page[start_index:]:
        if chosen:
            gap_px = line.bbox[1] - chosen[-1].bbox[3]
            height = max(1, chosen[-1].bbox[3] - chosen[-1].bbox[1])
            if _SUBJECT_STOP.match(line.key) or _LABELLED_ITEM.match(line.key) or gap_px > 1.2 * height:
                break
            if ref_gap is not None and gap_px > max(1.6 * ref_gap, 0.35 * height):
                break
            ref_gap = max(ref_gap or 0.0, gap_px)
        if not chosen and (_is_motto(line) or _SUBJECT_STOP.match(line.key) or re.fullmatch(r"[-_—–.\s]*", line.text)):
            if len(chosen) == 0 and line.rel_top > 0.6:
                break
            continue
        if re.fullmatch(r"[-_—–.\s*]*", line.text):
            break
        if _is_stamp(line) or (_letter_count(line.text) < 2 and not re.fullmatch(r"[\d\s\-–/.]*\d{4}[\d\s\-–/.]*", line.text)):
            continue  # decoration under the title, stamp specks (a wrapped year stays)
        if _alpha_share(line.text) < 0.4 and not re.search(r"\d{4}", line.text):
            continue
        if evidence.title_line is not None and not 0.2 < line.rel_center_x < 0.8:
            continue  # a decision's subject is centred under its title
        if evidence.title_line is None and line.rel_center_x > 0.5 and first_page.index(line) != start_index:
            if chosen:
                break  # a công văn's "V/v …" stays in the left column, under the number
            continue
        chosen.append(line)
        if len(chosen) >= SUBJECT_LINES or _closes_bracket(chosen):
            break
    if not chosen:
        return None
    words = [w for l in chosen for w in l.words]
    keys = [fold(w.text) for w in words]
    for i in range(1, min(len(keys), 12) - 1):
        # stamp text glued before the subject: start at "Về việc" / "V/v"
        if (keys[i] == "ve" and keys[i + 1].startswith("viec")) or VV_LINE.match(keys[i]):
            words = words[i:]
            break
    while words and _letter_count(words[0].text) < 2 and not VV_LINE.match(fold(words[0].text)) \
            and not VV_BRACKETED.match(fold(words[0].text)):
        words = words[1:]  # specks before "Về việc"
    if not words:
        return None
    raw = clean(" ".join(w.text for w in words))
    value = repair_spacing(clean(_unit_names_as_read(words).lstrip(",.;:-_ ")))
    misread = False
    first, _, rest = value.partition(" ")
    bare = first.rstrip(":")
    if rest and bare != "V/v" and bare[:1].isalpha() and VV_LINE.match(fold(bare)) and len(bare) <= 4:
        # "Vív báo cáo …", "V/w: thuế …": the công văn's V/v as OCR read it (its colon kept; a
        # bracketed one is put right with its brackets, below)
        value = f"V/v{':' if first.endswith(':') else ''} {rest}"
    if value.count("“") + value.count("\"") + value.count("”") + value.count("'") == 1:
        value = value.strip("“”\"' ")  # a lone quote mark (a decoration or speck read as one)
    value = re.sub(r"\bn[aăâáắấàằầ]m(?= (?:19|20)\d\d\b)", "năm", value)  # "nắm 2021": the year's word
    if value.startswith("(") and value.count("(") == 1 and value.count(")") == int(value.endswith(")")):
        # "(V/v: xử lý hóa đơn …)": the brackets set the subject apart; "(V/w: thuế …" alone, its
        # closing bracket not read
        value = value[1:-1 if value.endswith(")") else None].strip()
        misread = bool(_VV_AS_READ.match(value)) and not value.startswith("V/v:")
        value = _VV_AS_READ.sub("V/v:", value, count=1)  # "V&:", "VA:": its slash and small v misread
    candidate = Candidate("subject", value or None, raw, chosen[0].page_no, union_bbox(words), words, 1.0)
    candidate.confirmed_head = _opener_read_whole(words)
    if misread:
        # OCR struggled with the line ("giá trị gia tăng" read "gia tắng" beside "(V&:"): the rest of
        # it may hold a slip that still makes words
        candidate.flags["vv_misread"] = 1.0
    last_height = max(1, chosen[-1].bbox[3] - chosen[-1].bbox[1])
    # a short last line ended the subject's wrapping: the line below goes on only if it is as close
    # as the subject's own lines are to each other (the gap rule that ended the subject above)
    max_gap = 2.0 * last_height
    if ref_gap is not None:
        max_gap = min(max_gap, max(1.6 * ref_gap, 0.35 * last_height))
    widths = [line.bbox[2] - line.bbox[0] for line in chosen]
    capped = len(chosen) >= SUBJECT_LINES and chosen[-1] is not first_page[-1]
    own_gaps = [lower.bbox[1] - upper.bbox[3] for upper, lower in zip(chosen, chosen[1:])]
    # a subject set apart in brackets ends where its bracket closes: the line below is the letter's
    if not _closes_bracket(chosen) and (capped or _goes_on(chosen[-1], first_page, max_gap,
                                                           max(widths[:-1], default=None),
                                                           max(own_gaps, default=None))):
        candidate.flags["cut"] = 1.0
        candidate.note = "the line below may carry on the subject"
    return candidate


_VV_AS_READ = re.compile(r"^V\S{0,2}:")

SUBJECT_LINES = 4
"""A subject is read up to this many lines; one that fills them may go on below."""

WIDER_THAN_SUBJECT = 1.05
"""A line this much wider than a subject's widest line is no wrap of it (print's width varies a little)."""

BODY_GAP_HEIGHTS = 0.5
"""The body's first line is set at least this many line heights below the subject's last line."""

PARAGRAPH_INDENT_HEIGHTS = 0.5
"""A paragraph's first line starts at least this many line heights right of the next line."""


def _goes_on(last: TextLine, page_lines: list[TextLine], max_gap: float, widest: int | None,
             own_gap: float | None) -> bool:
    """Does the line under the subject's last line look like more of it (in its column, close,
    centred, in running case, no heading or "Kính gửi"/"Căn cứ")? Then the subject may have been
    cut there.

    Close: no farther below than ``max_gap`` pixels when the last line is short (narrower than the
    subject's ``widest`` earlier line, or than the line below for a one-line subject): wrapping
    ended there. A full last line may wrap on after a larger gap (two line heights).

    Under a công văn's "V/v …" (left column) the next line read may be the right column's place
    and date: a line that does not overlap the subject's column is not its continuation.

    A line wider than every line of a subject of several lines (``widest`` and ``last``: the wrap of
    a centred subject is no wider than its widest line), set further below than those lines are from
    each other (``own_gap``) and indented from the line after it is the body's first paragraph
    opening (p6g-bao40, gen:bao_cao: "Tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công" under a
    two-line subject, 43 px below it, 8 px between its lines, 82 px right of the next line)."""
    index = page_lines.index(last)
    below = [l for l in page_lines[index + 1 :] if l.bbox[1] > last.bbox[1]
             and min(l.bbox[2], last.bbox[2]) > max(l.bbox[0], last.bbox[0])]
    if not below:
        return False
    nxt = below[0]
    height = max(1, last.bbox[3] - last.bbox[1])
    width = last.bbox[2] - last.bbox[0]
    full = width >= 0.9 * widest if widest else width >= 0.85 * (nxt.bbox[2] - nxt.bbox[0])
    gap = nxt.bbox[1] - last.bbox[3]
    if gap > (2.0 * height if full else max_gap):
        return False
    if (widest and own_gap is not None and nxt.bbox[2] - nxt.bbox[0] > WIDER_THAN_SUBJECT * max(widest, width)
            and gap > max(2.0 * own_gap, BODY_GAP_HEIGHTS * height) and _opens_paragraph(nxt, below[1:], height)):
        return False
    # an unread line's letters (their case, their share) say nothing of what it is
    if not _unreadable(nxt) and _reads_as_no_wrap(nxt):
        return False
    return 0.25 < nxt.rel_center_x < 0.75 and not last.text.rstrip().endswith((".", ";"))


def _reads_as_no_wrap(line: TextLine) -> bool:
    """The body's opening, a labelled item, a heading in capitals, a rule, specks or a stamp."""
    return bool(_BODY_START.match(line.key) or _LABELLED_ITEM.match(line.key) or upper_share(line.text) > 0.8
                or re.fullmatch(r"[-_—–.\s*]*", line.text) or _alpha_share(line.text) < 0.6 or _is_stamp(line))


UNREADABLE_LINE_CONF = 0.30
"""A line none of whose words OCR read above this confidence was not read: letters in it may be a
wrapped word run into the rule under it ("—__ÖẦ___S[0.02]" for a subject's last "bộ" over its rule)."""


def _unreadable(line: TextLine) -> bool:
    """Letters OCR could not read (every word under :data:`UNREADABLE_LINE_CONF`)."""
    return _letter_count(line.text) >= 2 and max(w.conf for w in line.words) < UNREADABLE_LINE_CONF


def _opens_paragraph(line: TextLine, lines_below: list[TextLine], height: int) -> bool:
    """Is ``line`` indented from the line under it (the first line of a body paragraph)? A centred
    subject's lines and a stamp's marks at a line's start do not make this shape."""
    return bool(lines_below) and lines_below[0].bbox[0] < line.bbox[0] - PARAGRAPH_INDENT_HEIGHTS * height


_UNIT_TYPE_WORDS = frozenset("xa huyen tinh phuong quan".split())


def _unit_names_as_read(words: list[Word]) -> str:
    """The text with OCR post-corrections undone in the two words after a unit type ("của Xã Hội
    Tân" was read "Hải Tân"): place names are no common phrases to correct towards."""
    out = []
    for i, word in enumerate(words):
        after_unit = any(fold(w.text).strip(",.") in _UNIT_TYPE_WORDS for w in words[max(0, i - 2) : i])
        out.append(word.original if after_unit and word.original else word.text)
    return clean(" ".join(out))


def _letter_count(text: str) -> int:
    """Real letters (not modifier marks that OCR makes of specks, like U+02C6)."""
    return sum(unicodedata.category(ch) in ("Lu", "Ll") for ch in text)


def _alpha_share(text: str) -> float:
    chars = [ch for ch in text if not ch.isspace()]
    return sum(ch.isalpha() for ch in chars) / len(chars) if chars else 0.0


def _gap(upper: TextLine, lower: TextLine) -> float:
    """Vertical gap between two lines in line heights."""
    height = max(1, upper.bbox[3] - upper.bbox[1])
    return (lower.bbox[1] - upper.bbox[3]) / height


_NAME_LINE_SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Trương Lương Đinh Tô Mai "
    "Cao Lâm Trịnh Hà Tạ Châu Thái Từ Lưu Quách Kiều Vương Tôn Nông Lò Triệu Chu Tăng Hứa Giang Phùng La Diệp "
    "Đàm Khúc Âu Văn Thân Lục Mạc Tiêu Ninh Hầu Lã Khổng Doãn Đồng Quan Công Trịnh Nghiêm Thạch Mẫn Huỳnh Bạch"
).split()
"""The surnames whose first word tells that a line or a signed name is a person's whole name. Not
``pipeline.names.SURNAME_LIST``, the table a misread surname is repaired from: that one also holds rare
surnames that are common middle or given names (Quang, Kim, Trang, Vi, Yên), and with them a signature
whose surname the stroke hid ("Quang Phúc" under "Lý Quang Phúc") looks whole (measured: one right name
lost, none gained, on the Part 6 sets)."""
SURNAMES = frozenset(fold(n) for n in _NAME_LINE_SURNAMES)
SURNAMES_MARKED = frozenset(n.casefold() for n in _NAME_LINE_SURNAMES)
MIDDLE_NAMES = frozenset(fold(n) for n in "Thị Văn Ngọc Hữu Đức Minh Quang Thanh Hoàng Công Xuân Thành Kim".split())


def _name_shape(line: TextLine) -> float:
    """0..1: how much ``line`` looks like a person's printed name (Title Case, 2-5 words, surname)."""
    words = [w.strip("`'\".,:;|-_~") for w in line.text.split()]
    words = [w for w in words if w]
    if not 2 <= len(words) <= 5 or not all(re.fullmatch(r"[^\W\d_]+", w) for w in words):
        return 0.0
    # "TRƯỞNG PHÒNG" is a title, "Trương Diệu Loan" a name: folded both open "truong"
    title = _SIGN_TITLES.match(line.key) and words[0].casefold() not in SURNAMES_MARKED
    if title or line.key.startswith(("tm", "kt", "pho ", "chu tich")):
        return 0.0
    if line.key.startswith(("xa ", "phuong ", "huyen ", "quan ", "tinh ", "thi xa ", "thi tran ", "thanh pho ")):
        return 0.0  # a unit name ("Xã Thanh Tân") in the signature block, not a person
    if not all(w[0].isupper() for w in words):
        return 0.0
    if re.search(r"[:;]", line.text.rstrip(" .:;")):
        # a label and its value, or items of a list: the recipients under "Nơi nhận" ("- BHXH Thanh Hóa;",
        # "- Lưu: VT, TCCB.") read beside the signature, no name
        return 0.0
    keys = [fold(w) for w in words]
    if keys[0] in SURNAMES:
        return 1.0
    return 0.6 if any(k in MIDDLE_NAMES for k in keys[1:-1]) else 0.0


def signer(lines: list[TextLine]) -> Candidate | None:
    """The signer's name: the lowest name-shaped line in the right half of the last page.

    The title line above it ("KT. CHỦ TỊCH") is often hidden under the red stamp, so it is not
    required; a name whose first word is no known surname gets a weaker shape score.
    """
    last_page = [l for l in lines if l.page_no == lines[-1].page_no]
    best: tuple[float, TextLine] | None = None
    for line in last_page:
        if line.rel_center_x < 0.5:
            continue
        shape = _name_shape(line)
        if shape and (best is None or line.bbox[1] >= best[1].bbox[1]):
            best = (shape, line)
    if best is None:
        return None
    shape, line = best
    return _signed_name("signer", line, shape)


def _signed_name(key: str, line: TextLine, score: float) -> Candidate:
    """A name line of a signature block as the candidate for ``key``: its words with letters, the
    marks a pen stroke or the stamp's edge left around them stripped."""
    words = [w for w in line.words if any(ch.isalpha() for ch in w.text)]
    value = clean(" ".join(w.text.strip("`'\".,:;|-_~") for w in words))
    return Candidate(key, value, line.text, line.page_no, union_bbox(words), words, score)


_SIGNER_HEADINGS = ("nguoi khai", "nguoi lam don", "nguoi de nghi", "nguoi yeu cau", "nguoi viet don",
                    "nguoi lam to khai", "nguoi uy quyen")
"""Headings of a form's signature block: the signer's name is written below them."""


SIGNED_OVER_PAGE_TOP = 0.25
"""A name signed over a page break stands in this top share of the next page."""


def form_signer(lines: list[TextLine]) -> Candidate | None:
    """The name signed under a form's signature heading ("NGƯỜI KHAI" / "(Ký, ghi rõ họ tên)" /
    signature / "Trần Phương Vân"): the name-shaped line closest below the heading, or None. A
    heading that ends its page signs at the top of the next one (27_don_khoi_kien: "NGƯỜI LÀM ĐƠN" /
    "(Ký, ghi rõ họ tên)" last on page 1, "Đinh Thị Phượng" first on page 2). The note "(Ký, ghi rõ họ
    tên)" heads the name as well, under a heading of other words ("NGƯỜI NỘP THUẾ hoặc ĐẠI DIỆN HỢP
    PHÁP CỦA NGƯỜI NỘP THUẾ", 59_to_khai_thue_thu_nhap_ca_nhan)."""
    for index, line in enumerate(lines):
        if line.key.strip(" .:") not in _SIGNER_HEADINGS and not is_signature_note(line):
            continue
        for below in lines[index + 1 : index + 6]:
            same_page = below.page_no == line.page_no
            next_page_top = below.page_no == line.page_no + 1 and below.rel_top < SIGNED_OVER_PAGE_TOP
            if not (same_page or next_page_top) or abs(below.rel_center_x - line.rel_center_x) > 0.2:
                continue
            if _name_shape(below):
                return _signed_name("full_name", below, 0.5)
    return None
