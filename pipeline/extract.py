"""Field extraction: label-anchored search over OCR lines and word boxes, plus the official-letter
layout of Nghị định 30/2020 (left header agency, "Số: …", "<place>, ngày …", trích yếu, signer).

Extraction proposes :class:`Candidate` values with their evidence (words, label-match strength,
notes); validation and confidence scoring happen later. A value that cannot be read is never
guessed: the candidate keeps the raw text with ``value=None`` and a note.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from schemas import doctypes
from schemas.pages import PEN_INKS, BBox, Word
from pipeline import lexicon
from pipeline.address import COMMUNE_TYPE_WORDS, STREET_WORDS, UNIT_TYPE_WORDS, UNIT_TYPES_IN_TEXT
from pipeline.dates import day_lost_to_glyph, find_hand_glyph_date, first_date
from pipeline.layout import BRACKETED_NUMBER, RULE_MARKS, TextLine, row_overlap, union_bbox
from pipeline.labels import (DATE_KEYS, FOOTNOTE, GLUED_ITEM, ITEM_NUMBER, ITEM_NUMBER_ALONE, LABELS,
                             LABEL_FIRST_WORDS, LEADER, LOW_WORD_CONF, LabelHit, MULTILINE_KEYS, NAME_KEYS, NUMBER_KEYS,
                             PLACE_OPENERS, PRINTED_CONF, after_colon, bracket_depth_change, find_label_hits, keep_bare_hits,
                             is_gender_word, letters_or_digits, line_start, offers_alternative, strip_separators, word_keys)
from pipeline.names import (NAME_SYLLABLES, PERSON_NAME_FOLDS, opens_a_name, repair_surname, stray_inner_capital,
                           unrivalled_surname)
from pipeline.names import split_glued_words as split_glued_names
from pipeline.persons import (OTHER_PERSON_KEYS, PERSON_KEYS, SECTION, names_relative_of_role, of_first_persons_role,
                              offers_roles, organisation_item_at, other_party_at, relates_to_other_person,
                              repeats_first_persons_label, says_whose, turns_to_another)
from pipeline.syllables import cuts, is_syllable, syllable_share
from pipeline.text import clean, digits, fold
from pipeline.validate import (CCCD_DIGITS, CMND_DIGITS, DATE_WORDS, FREE_TEXT_KEYS, PLACE_KEYS, cccd_matches_birth,
                               cccd_matches_gender, is_cccd, is_phone, normalise_gender, validate_field)

_DOSSIER_CODE = re.compile(r"\b([0-9A-Z]{2,4}(?:\s?\.\s?[0-9A-Z]{2,4}){2,4}\s?-\s?\d{6}\s?-\s?\d{4,6})\b")
_PROCEDURE_CODE = re.compile(r"(?<![\d.])(\d\s?\.\s?\d{6})(?![\d])")


HONORIFICS = ("ông/bà", "ông (bà)", "bà/ông", "ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "cụ",
              "chủ đầu tư", "người đề nghị", "người yêu cầu", "người khai", "đại diện", "đại diện là")
"""Honorifics and roles printed before a person's name ("bà Lê Thị Hoa", "Chủ đầu tư: Ông Bá …"):
never part of the name. "Bá" and "Anh" as later syllables stay ("Ông Bá Thành" -> "Bá Thành")."""


_HONORIFIC = re.compile(r"^(?:" + "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True))
                        + r")\s*[:.]?\s+", re.IGNORECASE)


_ONG_MISMARKED = re.compile(r"^[OÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢoòóỏõọôồốổỗộơờớởỡợ]ng\s*[:.]?\s+")
""""Ông" read with other marks ("Òng", 37_giay_phep_xay_dung "Cấp cho: Òng Nguyễn Đức Dũng"): the same
honorific, no other word of a name."""


def strip_honorifics(name: str) -> str:
    """``name`` without the honorifics and roles before it, as long as a name of two words stays."""
    while True:
        match = _HONORIFIC.match(name) or _ONG_MISMARKED.match(name)
        if match is None or len(name[match.end():].split()) < 2:
            return name
        name = name[match.end():]


HANDWRITING_CONF = 0.80
"""Digits read below this word confidence in a header number or day are treated as handwritten."""
SURE_DIGITS_CONF = 0.90
"""A digit word of an ID or phone number read at least this sure stands on its own; one read less
sure needs the page path's second reading to agree (which must itself reach this: ocr/digits.py)."""
SURE_UNCHECKED_CONF = 0.93
"""A phone's digit word, or an address's house or hamlet number, needs this much to stand on its
own: nothing on a form checks them (an ID's province code and a CCCD's birth-year digits are checked
against the person; a phone's digits and a house number against nothing). A hand's 8 read as 9 came
at 0.926 (36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat, "0862.410.771" read "0962.410.771"), a
hamlet's 10 read 70 at 0.92 (13_DDN_gia_han_time_hoc_nuoc_ngoai, "Ấp 10," read "Ấp 70,")."""


@dataclass
class Candidate:
    """A proposed field value with the evidence behind it."""

    key: str
    value: str | None
    raw: str | None
    page: int | None = None
    bbox: BBox | None = None
    words: list[Word] = field(default_factory=list)
    label_score: float = 1.0
    note: str | None = None
    flags: dict[str, float] = field(default_factory=dict)
    focus_words: list[Word] | None = None
    """The words that may be handwritten (the day of a date); None = the value's digit words."""
    label: str | None = None
    """The registry label (folded) that found the value; None when the layout found it."""
    label_exact: bool = False
    """The label was read letter for letter (marks aside) as a strict registry wording."""
    confirmed_tail: int = 0
    """How many of the last words are unit names the units table confirmed as the one unit they
    can be (``pipeline.address.confirmed_unit_words``): their OCR confidence is no evidence about
    the value, which holds the table's spelling."""

    confirmed_head: int = 0
    """How many of the first words say nothing of the value by their confidence: 1 for a name's
    surname whose low confidence is its dot leader's (:func:`_sure_surname_after_leader`), or a
    place's type word so; 1 or 2 for a subject's opener read letter for letter ("V/v:", "Về việc")."""

    @property
    def ocr_conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0

    @property
    def judged_words(self) -> list[Word]:
        """The words whose reading the value rests on (all but a confirmed unit tail or surname)."""
        words = self.words[: len(self.words) - self.confirmed_tail] if self.confirmed_tail else self.words
        return words[self.confirmed_head :]

    @property
    def ocr_min_conf(self) -> float:
        return min((w.conf for w in self.judged_words), default=0.0)


SPLIT_DIGITS_NOTE = "digits of the date stand apart and were read together (a hand spaces them): unsure"
GENDER_GUESS_NOTE = "the gender word is misspelt ('Ngm', 'NÑam', 'NữỮ'): read as the one gender it can be, unsure"
SEVENS_NOTE = "a year read 7… taken for 1… (a handwritten 1 read as 7): unsure"
UNEVEN_DATE_NOTE = "the date's day and month have different numbers of digits (1/05): a digit may be lost"
LONG_YEAR_NOTE = "a fifth digit follows the year's four ('năm 19885'): which four make the year is a guess"
ONE_AS_MARK_NOTE = "the day or month opens with a mark read for a hand's 1 ('T6', '†8'): the 1 is a guess"
MARK_DROPPED_NOTE = "a letter read after the day's or month's digit ('5S') taken for a mark, not a digit: a guess"
HAND_GLYPHS_NOTE = "the date's digits were read as other glyphs ('ƒ' for 1, 'g' for 9): which digits they were is a guess"
LEADING_ZERO_NOTE = "one digit short, its leading 0 (a hand's 0 read as a mark: 'g399', '(3007') put back: unsure"
DIGIT_OVER_NOTE = ("one digit more than the number can have, the digits but the last a valid one: the last "
                   "(a hand's stroke after it read as a digit) dropped: unsure")
SECOND_READING_NOTE = ("the page's reading of the digits made no sound value, a second reading at a larger scale "
                       "did and was taken: unsure")
OTHER_DIGITS_NOTE = ("a sure second reading at a larger scale read other digits than the page's unsure one: "
                     "the second taken, unsure")
NOTE_FLAGS = {SPLIT_DIGITS_NOTE: "split_digits", GENDER_GUESS_NOTE: "misspelt", SEVENS_NOTE: "misspelt",
              LEADING_ZERO_NOTE: "misspelt", LONG_YEAR_NOTE: "misspelt", ONE_AS_MARK_NOTE: "misspelt",
              HAND_GLYPHS_NOTE: "misspelt", DIGIT_OVER_NOTE: "misspelt", MARK_DROPPED_NOTE: "misspelt",
              UNEVEN_DATE_NOTE: "uneven_date", SECOND_READING_NOTE: "second_reading", OTHER_DIGITS_NOTE: "second_reading"}
"""Notes of :func:`normalise_value` that make the value weak evidence (the flag they set)."""
HAND_NOTES = frozenset({LEADING_ZERO_NOTE, SEVENS_NOTE, HAND_GLYPHS_NOTE, ONE_AS_MARK_NOTE, DIGIT_OVER_NOTE})
"""Notes of :func:`normalise_value` whose guess reads a hand's glyphs (a 0 read as a mark, a 1 as a 7
or an "ƒ", a stroke after the last digit): the value was written by hand."""


_GENDER_SPELLINGS = (("Nam", "nam"), ("Nữ", "nu"))
"""Each gender as printed and folded."""
GENDER_GUESS_LETTERS = 4
"""Letters a gender word misread may have and still be guessed by its last letter ("Mqm")."""


def _gender_guess(word: str) -> str | None:
    """The gender a misspelt gender word can only be: a word starting "N" one letter from "Nam"
    and not from "Nu" ("Ngm", "Ndm": a hand's "a" read as another letter; "NÑam": a letter read
    twice) is "Nam"; one letter from "Nu" and not from "Nam" ("NữỮ") is "Nữ"; "Num" could be
    either. A short word opening otherwise is the gender whose last letter it ends with ("Mqm": Nam,
    "MữỮ": Nữ). None otherwise."""
    key = re.sub(r"[^a-z]", "", fold(word))
    guesses = {gender for gender, spelt in _GENDER_SPELLINGS if key[:1] == "n" and Levenshtein.distance(key, spelt) <= 1}
    if not guesses and 2 <= len(key) <= GENDER_GUESS_LETTERS:
        # a hand's N read as another capital ("Mqm", "\Wdm", "MữỮ"): the word's last letter, an m
        # or a u, is the one gender's that ends so
        guesses = {gender for gender, spelt in _GENDER_SPELLINGS if key[-1] == spelt[-1]}
    return guesses.pop() if len(guesses) == 1 else None


def _lost_leading_zero(key: str, number: str) -> bool:
    """Is ``number`` a phone or CCCD number whose leading 0 was lost: a mobile number of 9 digits
    opening with a mobile prefix ("399797803": 03x), an ID of 11 digits that with a 0 before it
    opens with a province's code? Both are written with a leading 0, the digit a hand's loop most
    often turns into a mark ("g399", "(3007", ").3292")."""
    if key == "phone":
        return len(number) == 9 and number[0] in "35789"
    return key == "id_number" and len(number) == 11 and is_cccd("0" + number)


def _digit_over(key: str, number: str) -> bool:
    """Is ``number`` a phone or CCCD number with one digit more than it can have, its digits but the
    last a valid one ("05884351666." for 0588435166, "0401714200245" for a CCCD: a hand's last digit
    read twice, or the stroke after it read as one)? Read at print confidence, too: the hand's digits
    were read, the stroke with them."""
    if key == "phone":
        return len(number) == 11 and is_phone(number[:10])
    return key == "id_number" and len(number) == 13 and is_cccd(number[:12])


_WORD_STOP_WORD = re.compile(r"([^\W\d_]+)[.:]( +)(?=([^\W\d_]+))")
_TYPE_WORD_DASH = re.compile(r"\b([^\W\d_]+)[-.:](?=[^\W\d_])")
_NUMBER_STOP_WORD = re.compile(r"(\d)\.( +)(?=([^\W\d_]+))")
_LOW_QUOTE_COMMA = re.compile(r"\s*[„‚]\s*(?=[^\W\d_])")
_SPLIT_HEAD = re.compile(r"(?<!\S)([^\W\d_])\s+([^\W\d_]{1,3})(?=\s+\d)")
_NUMBER_BEFORE_COMMUNE = re.compile(
    r"(\d)\s+(?=(?:" + "|".join(f"{kind.capitalize()}|{kind.upper()}" for kind in COMMUNE_TYPE_WORDS) + r")\s)")
_SLASH_BEFORE_UNIT = re.compile(
    r"(?<=[^\W\d_])/(?=(?:" + "|".join(kind.capitalize() for kind in UNIT_TYPES_IN_TEXT) + r")\s)")
_MARKS_BEFORE_WORD = re.compile(r"(^|[\s,])[:;.\-–]+(?=([^\W\d_]+))")
_MARKS_AFTER_WORD = re.compile(r"(?<![^\s,:;.\-–])([^\W\d_]+)[:;\-–]+(?=\s|$)")


def _drop_speck_stops(text: str) -> str:
    """A place's text without the specks OCR read as marks between its words: a stop or a colon
    between two words of a name ("đường Nguyễn. Huệ", "Lý Thường: Kiệt"), an underscore (a leader's
    remains, "Tổ dân phố _1"), a dash or a stop glued between a type word and its name ("đường-Trần
    Phú", "đường.Lê Duẩn"), marks glued to a type word ("Số 240, :đường- Trần Hưng Đạo"); no address
    writes them there. A stop after a number before a type word is its comma ("Số 57. đường Điện Biên
    Phủ"), so is a low quote before a word ("Số 182 „đường"); a number before a commune's type word
    lost its comma ("Xóm 6 Xã Mỹ Tân": no commune is named after a number), so is a slash glued before
    a unit's type word ("Sơn Tây/Thành phố Hà Nội"; a house number's slash stands between digits), and
    a comma read twice is one; a house's or hamlet's type word read in two pieces before its number is
    one ("S ố 121"). A stop after an abbreviation ("Tp. Hồ Chí Minh", "P. Bến Nghé": a short word, or
    capitals) or before a unit's type word ("Thôn Đông. Xã An Hòa": a comma read as a stop) stays."""
    def mend_stop(match: re.Match[str]) -> str:
        word, after = match.group(1), match.group(3)
        if len(word) < 3 or word.isupper() or not is_syllable(word) or fold(after) in UNIT_TYPE_WORDS:
            return match.group(0)
        return word + match.group(2)

    def mend_dash(match: re.Match[str]) -> str:
        return match.group(1) + " " if fold(match.group(1)) in STREET_WORDS else match.group(0)

    def mend_number_stop(match: re.Match[str]) -> str:
        return match.group(1) + "," + match.group(2) if fold(match.group(3)) in PLACE_OPENERS else match.group(0)

    def mend_marks_before(match: re.Match[str]) -> str:
        if fold(match.group(2)) not in PLACE_OPENERS:
            return match.group(0)
        return match.group(1) + (" " if match.group(1) == "," else "")

    def mend_marks_after(match: re.Match[str]) -> str:
        return match.group(1) if fold(match.group(1)) in PLACE_OPENERS else match.group(0)

    def mend_split_head(match: re.Match[str]) -> str:
        whole = match.group(1) + match.group(2)
        return whole if fold(whole) in STREET_WORDS else match.group(0)

    text = _LOW_QUOTE_COMMA.sub(", ", text)  # "Số 182 „đường": a comma read as a low quote
    text = _SPLIT_HEAD.sub(mend_split_head, text)  # "S ố 121": the house's type word read in two
    text = _NUMBER_BEFORE_COMMUNE.sub(r"\1, ", text)  # "Xóm 6 Xã Mỹ Tân": the comma after a number lost
    text = _SLASH_BEFORE_UNIT.sub(", ", text)  # "Thị xã Sơn Tây/Thành phố Hà Nội": a comma read as a slash
    text = _MARKS_BEFORE_WORD.sub(mend_marks_before, text)  # "Số 240, :đường- Trần Hưng Đạo"
    text = _MARKS_AFTER_WORD.sub(mend_marks_after, text)
    text = _WORD_STOP_WORD.sub(mend_stop, text)
    text = _TYPE_WORD_DASH.sub(mend_dash, text)
    text = _NUMBER_STOP_WORD.sub(mend_number_stop, text)
    text = re.sub(r",(?:\s*,)+", ",", text)  # "Khu phố 6, , Xã Bông Krang": a speck read as a second comma
    return clean(re.sub(r"_+", " ", text))


def normalise_value(key: str, raw: str) -> tuple[str | None, str | None]:
    """(normalised value, note) of ``raw`` for ``key``; value None when unreadable."""
    text = clean(raw).strip(" .,:;")
    kind = doctypes.FIELD_BY_KEY[key].kind if key in doctypes.FIELD_BY_KEY else None
    if kind == "name":
        text = strip_honorifics(text)
    if not text:
        return None, "empty"
    if key in DATE_KEYS:
        match = first_date(text)
        if match is None or match.iso is None:
            guess = find_hand_glyph_date(text)
            if guess is not None:
                return guess.iso, HAND_GLYPHS_NOTE
        if match is None:
            return None, "no date found"
        if match.iso is None:
            what = ", ".join(match.missing) if match.missing else "invalid date"
            return None, f"date incomplete ({what}): handwritten or unreadable"
        lost = day_lost_to_glyph(text, match)
        if lost is not None:
            return lost.iso, HAND_GLYPHS_NOTE
        # "1 8/04/1953": the day's digits set apart (a handwriting-like hand) - 18 is the likely
        # reading, 8 the other: proposed to a reviewer, never accepted (``split_digits``)
        return match.iso, (SPLIT_DIGITS_NOTE if match.split else SEVENS_NOTE if match.sevens
                           else UNEVEN_DATE_NOTE if match.uneven else LONG_YEAR_NOTE if match.long_year
                           else ONE_AS_MARK_NOTE if match.one_as_mark
                           else MARK_DROPPED_NOTE if match.mark_dropped
                           else HAND_GLYPHS_NOTE if match.hand_glyphs else None)
    if key in ("id_number", "phone"):
        value = digits(text)
        if _lost_leading_zero(key, value):
            return "0" + value, LEADING_ZERO_NOTE
        if _digit_over(key, value):
            return value[:-1], DIGIT_OVER_NOTE
        return (value or None), (None if value else "no digits")
    if key == "gender":
        first = re.sub(r"[^\w]|_", "", text.split()[0]) if text.split() else ""
        value = normalise_gender(first) if first else None
        if value is None and first:
            guess = _gender_guess(first)
            if guess is not None:
                return guess, GENDER_GUESS_NOTE
        return value, (None if value else "unreadable gender")
    if key == "dossier_code":
        return re.sub(r"\s+", "", text).upper(), None
    if key == "procedure_code":
        return re.sub(r"\s+", "", text), None
    if key == "registration_number":
        return re.sub(r"\s+", "", text), None
    if key in PLACE_KEYS:
        text = _drop_speck_stops(text)
    if kind == "name":
        # "NGUYỄN_ BẢO HẠNH", "Nguyễn Bảo Hoa-": a leader's underscore or dash is no part of a name
        name = clean(re.sub(r"[^\w\s\-]|_|(?<!\w)-|-(?!\w)", " ", text))
        return (name or None), (None if name else "empty")
    return repair_spacing(text), None


# Multi-word phrases of administrative Vietnamese whose tone marks OCR often slips on ("Tố dân phố",
# "chỉ phí", "Kiếm tra"). Folded, each has one spelling only, so restoring it cannot invent anything.
PHRASES: tuple[str, ...] = (
    "tổ dân phố", "khu phố", "tổ công tác", "chi phí", "kiểm tra", "tuyển dụng", "hỗ trợ", "thủ tục hành chính",
    "cải cách hành chính", "bảo trợ xã hội", "trợ cấp xã hội", "đăng ký", "cấp giấy phép", "giấy phép xây dựng",
    "lý lịch tư pháp", "triển khai", "kế hoạch", "phê duyệt", "công dân", "thành lập", "hộ kinh doanh",
    "trích lục", "hộ tịch", "khai sinh", "khai tử", "kết hôn", "chứng thực", "thị trấn", "thị xã", "thành phố",
    "thửa đất", "tờ bản đồ", "thẩm quyền", "phát triển", "đẩy mạnh", "giải quyết", "kinh tế", "xã hội",
    "danh mục", "công bố", "kinh phí", "mai táng", "số hóa", "hồ sơ", "dịch vụ công", "trực tuyến", "tiếp công dân", "định kỳ",
)
_PHRASE_KEYS = [(fold(p).split(), p) for p in PHRASES]
# OCR confusions that change the letters, not only the marks: the misreading is no phrase of the
# language, the right reading a common one ("thành lập Tự công tác" -> "Tổ công tác").
CONFUSIONS: dict[str, str] = {"tự công tác": "tổ công tác"}
_UNIT_TYPES = {"tinh": "Tỉnh", "huyen": "Huyện", "xa": "Xã", "phuong": "Phường", "quan": "Quận"}


def restore_phrases(text: str) -> str:
    """Put the marks back on known phrases and on unit types after a comma (", Tính Bắc Ninh")."""
    for wrong, right in CONFUSIONS.items():
        text = re.sub(wrong, lambda m: right.capitalize() if m.group(0)[0].isupper() else right, text,
                      flags=re.IGNORECASE)
    words = text.split(" ")
    keys = [fold(w).strip(",.;:") for w in words]
    for phrase_keys, phrase in _PHRASE_KEYS:
        n = len(phrase_keys)
        for i in range(len(words) - n + 1):
            if keys[i : i + n] == phrase_keys:
                for j, right in enumerate(phrase.split()):
                    word = words[i + j]
                    core = word.rstrip(",.;:")
                    fixed = right.capitalize() if core[:1].isupper() else right
                    if core.isupper() and len(core) > 1:
                        fixed = right.upper()
                    words[i + j] = fixed + word[len(core):]
    for i in range(1, len(words) - 1):
        unit = _UNIT_TYPES.get(keys[i])
        if unit and words[i - 1].endswith(",") and words[i + 1][:1].isupper() and words[i][:1].isupper():
            words[i] = unit if not words[i].isupper() or len(words[i]) == 1 else unit.upper()
    return " ".join(words)


_UNIT_WORDS = ("tinh", "huyen", "xa", "phuong", "quan", "thi xa", "thi tran", "thanh pho", "duong", "so", "ap",
               "thon", "xom", "to dan pho", "khu pho")


def repair_spacing(text: str) -> str:
    """Undo OCR spacing slips in running text: "Đạo,Xã" -> "Đạo, Xã", "TỉnhThanh" -> "Tỉnh Thanh",
    "Số163" -> "Số 163", "Bình , Tỉnh" -> "Bình, Tỉnh", stray "|"."""
    text = text.replace("|", " ")
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r"([,;])(?=[^\W\d_])", r"\1 ", text)
    out: list[str] = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        # lower->upper inside a word ("TỉnhThanh"): two words glued; letters->digit ("Số163", "phố7")
        if prev.islower() and ch.isupper():
            out.append(" ")
        elif ch.isdigit() and prev.isalpha() and i >= 2 and text[i - 2].isalpha():
            out.append(" ")
        out.append(ch)
    return restore_phrases(clean("".join(out)))


def _next_label_opens(words: list[Word], i: int) -> bool:
    """Does a capitalised word at ``i`` open the next item's label, not end a name? Its small-letter
    words reach the label's colon within two words ("Năm sinh:", 22_dk_xe1; "Sinh viên lớp:",
    62_xet_cap_hoc_bong_chinh_sach), or the words spell a registry label in full, its colon lost to a
    bracketed gloss ("Ngày tháng năm sinh (date of birth)", 06_cap_GPLX_quoc_te). A name's words are
    all capitalised; a middle name read small is followed by a capitalised one."""
    if not words[i].text[:1].isupper():
        return False
    rest = [word.text for word in words[i + 1 : i + 3]]
    for n, text in enumerate(rest):
        if not text[:1].islower():
            break
        if text.rstrip().endswith(":") and fold(text.strip(":.,;")) not in PERSON_NAME_FOLDS | {""} or (
                n == 0 and text.rstrip().endswith(":")):
            return True
    if _long_label_opens(words, i):
        return True
    return (_folded(words[i : i + 6]) + " ").startswith(_LINE_LABELS) or _label_wraps_from(words, i)


def _folded(words: list[Word]) -> str:
    """``words`` as a label's key: folded, the marks at their ends dropped."""
    return " ".join(fold(word.text.strip(",;:.")) for word in words)


WRAPPED_LABEL_WORDS = 3
"""How many words a label's start must run to, at a line's end, to be told from a name's last words."""


def _label_wraps_from(words: list[Word], i: int) -> bool:
    """Do the words from ``i`` to the line's end, three or more, begin a registry label that wraps
    onto the next line ("Tên tôi là: Nguyễn Xuân Cường Ngày, tháng, năm" / "sinh: …")?"""
    if len(words) - i < WRAPPED_LABEL_WORDS or not all(word.text[:1].islower() for word in words[i + 1 :]):
        return False
    key = _folded(words[i:]) + " "
    return any(label.startswith(key) for label in _LINE_LABELS)


LONG_LABEL_WORDS = 8
"""How many small-letter words a label opened by a word no name has may run to its colon ("Cơ quan
quản lý trực tiếp (nếu có):", 13_DDN_gia_han_time_hoc_nuoc_ngoai)."""


def _long_label_opens(words: list[Word], i: int) -> bool:
    """Does the capitalised word at ``i``, no name's word, open a label of small-letter words (a
    bracketed gloss among them) running to its colon? "Ngô Diệu Thảo Cơ quan quản lý trực tiếp (nếu
    có):": "Cơ" is the next item's. A name word stays the name's ("… Văn An hiện cư trú tại: …"). A
    word OCR could not make out among them is the label's too ("Lý Diệu Quỳnh Ngày Nà[0.00] năm sinh:",
    its "tháng" misread)."""
    if fold(words[i].text.strip(",;:.")) in PERSON_NAME_FOLDS:
        return False
    for word in words[i + 1 : i + 1 + LONG_LABEL_WORDS]:
        text = word.text.strip("()")
        if not text[:1].islower() and word.conf >= LOW_WORD_CONF:
            return False
        if text.rstrip().endswith(":"):
            return True
    return False


NAME_THEN_DIGITS = re.compile(r"([^\W\d_]{2,})\d{1,3}[.:,)\]]*")
"""A name's last word with an item's number glued after it ("HÙNG021.": "[02]" read into it)."""


GENDER_CHOICE_WORDS = 3
"""How many words (boxes and leaders aside) a gender's blank may print both genders in."""


def _offers_both_genders(words: list[Word]) -> bool:
    """Do the words after a gender's label print both genders, the choice a form offers ("Nam □ Nữ
    ☑", "Nam: …… x Nữ: ……"), not a value written in? Which one is ticked OCR does not read."""
    near = [word.text for word in words if letters_or_digits(word.text)][:GENDER_CHOICE_WORDS]
    return len({normalise_gender(text) for text in near if is_gender_word(text)}) == 2


def _value_words(key: str, words: list[Word]) -> list[Word]:
    """The words of the value itself, from the words after its label: a name ends at the first word
    no name has (a small-letter word: "… An sinh ngày …"); an ID or phone number at the first word
    that is no digit group ("… 1314 6. Dân tộc", "… 1109 cấp ngày …")."""
    kind = doctypes.FIELD_BY_KEY[key].kind if key in doctypes.FIELD_BY_KEY else None
    out: list[Word] = []
    if key == "id_number":
        words = _after_document_kind(words)
    if key == "gender":
        # "Nữ Dân tộc: Tày": one word; the rest is the next item's. A speck's mark before it is none
        # of it ("Giới tính: + Nữ"), nor a speck read as a letter OCR could not make out ("ệ[0.00] Nữ")
        words = [word for word in words if letters_or_digits(word.text)]
        if (len(words) >= 2 and words[0].conf < LOW_WORD_CONF and is_gender_word(words[1].text)
                and not is_gender_word(words[0].text)):
            words = words[1:]
        return words[:1]
    for i, word in enumerate(words):
        text = word.text.strip(",;")
        if kind == "name" and out and _opens_next_label(text, words[i + 1].text if i + 1 < len(words) else ""):
            break
        if kind == "name" and out and ITEM_NUMBER_ALONE.fullmatch(text):
            # "Lý Thị Vân 2. Họ, chữ đệm và tên gọi khác", "Trương Công Dũng 00)." (the footnote "(2).");
            # other digits ("Phạn Hồng 111/0": a name word garbled) leave the value whole to fail its checks
            break
        if kind == "name" and out and text[:1].isupper() and (glued := NAME_THEN_DIGITS.fullmatch(text)):
            # "HUỲNH ĐÌNH HÙNG021. Giới tính": the name's word, then the next item's number glued on
            out.append(word.model_copy(update={"text": glued.group(1), "glued_to": word.text}))
            break
        if kind == "name" and out and FOOTNOTE.fullmatch(text.rstrip(".")):
            break  # "Đại diện là ông (bà): Nguyễn Thị Anh (2).": the form's footnote mark, no name's word
        if kind == "name" and out and _abbreviation_after_mixed_case(text, out):
            break  # "Tôi tên: Phạm Quang Công Long MSSYV.": the next item's label, its colon read as a stop
        if kind == "name" and out and _labels_next_item(text):
            break  # "Tôi tên: Đỗ Minh Lộc MSSV: ……": the line's next item, its label ending in its colon
        if kind == "name" and out and text.casefold() == COPULA:
            break  # "Họ và tên: Lý Văn Lộc Là Cha/mẹ … của em: …": the next item, two set on one line
        if kind == "name" and out and _next_label_opens(words, i):
            break  # "Tên chủ xe: Đặng Văn Quân Năm sinh: 1960", "Tôi là Ngô Thị Dung Sinh viên lớp: …"
        if kind == "name" and out and text[:1].islower():
            following = words[i + 1].text[:1] if i + 1 < len(words) else ""
            if not (text.casefold() in _MIDDLE_NAMES and following.isupper()):
                break
            # "Đỗ văn Thịnh": a middle name between two capitalised words, its capital read small
            word = word.model_copy(update={"text": text[0].upper() + text[1:], "original": word.original or word.text})
        if (key in ("id_number", "phone") and (marked := _NUMBER_THEN_RULED_MARK.fullmatch(text))
                and _reads_item_mark(marked.group(2)) and _valid_number(key, _digits_of(out) + digits(marked.group(1)))):
            # "0345.368.301|(101": the whole number, its cell's rule, the next item's "[10]" misread, one word
            out.append(word.model_copy(update={"text": marked.group(1), "glued_to": word.text}))
            break
        if key in ("id_number", "phone") and out and (ruled := _RULE_IN_GROUP.fullmatch(text)):
            # "026 153 917 .|639": a cell's rule read between a number's groups; its digits go on past it
            out.append(word.model_copy(update={"text": ruled.group(1), "glued_to": word.text}))
            continue
        if key in ("id_number", "phone") and out and _speck_inside_number(key, words, i, out):
            continue
        if (key in ("id_number", "phone") and out and text.endswith(":") and _DIGIT_GROUP.fullmatch(text[:-1])
                and _valid_number(key, _digits_of(out) + digits(text))):
            # "0850 647 127:": a speck read as a colon after the number's last group, which makes it whole
            out.append(word.model_copy(update={"text": text[:-1], "glued_to": word.text}))
            break
        if key in ("id_number", "phone") and out and (not _DIGIT_GROUP.fullmatch(text) or ITEM_NUMBER.match(text)
                                                      or _whole_before_comma(out) or _numbers_next_item(key, words, i, out)):
            break
        out.append(word)
    return out


def _speck_inside_number(key: str, words: list[Word], i: int, out: list[Word]) -> bool:
    """Is the word at ``i``, marks only, a speck between a number's digit groups: the group after it
    makes the number a valid one with those before ("068 196 975 - 139", a CCCD wrapped in its cell
    with a speck after its ninth digit, 03_cap_chinh_sach_noi_tru_dang_hoc in a table)? Else a dash
    there opens the next bulleted item ("… 068196975139 - Nơi cấp: …") and ends the number."""
    following = words[i + 1].text.strip(",;") if i + 1 < len(words) else ""
    return (not letters_or_digits(words[i].text) and any(ch.isdigit() for ch in following)
            and bool(_DIGIT_GROUP.fullmatch(following))
            and _valid_number(key, _digits_of(out) + digits(following)))


def _numbers_next_item(key: str, words: list[Word], i: int, out: list[Word]) -> bool:
    """Is the short number at ``i`` the next item's number, its brackets lost at a cell's edge
    ("Điện thoại: 0828402115 10 Fax: 11 Email:", 59_to_khai_thue: "[10] Fax:")? The value before it
    is a whole phone or CCCD (a CMND's nine digits may be a CCCD's head) and a label's colon follows
    within three words. A number a hand spaced in pairs ("0912 34 56 78 Email:") is not whole before
    its last pair."""
    number = _digits_of(out)
    if (not _reads_item_mark(words[i].text) or not _valid_number(key, number)
            or (key == "id_number" and len(number) != CCCD_DIGITS)):
        return False
    return any(w.text.endswith(":") and any(ch.isalpha() for ch in w.text) for w in words[i + 1 : i + 4])


_RULE_IN_GROUP = re.compile(rf"[.,:;]*[{re.escape(RULE_MARKS)}][.,:;{re.escape(RULE_MARKS)}]*(\d{{2,}})")
"""A group of a number's digits behind a mark the engine read for a table's vertical rule
(:data:`pipeline.layout.RULE_MARKS`; ".|639",
47_thay_doi_thong_tin_nguoi_huong in a table: the number crossed its cell's rule)."""
_NUMBER_THEN_RULED_MARK = re.compile(rf"([\d.\-]*\d)[{re.escape(RULE_MARKS)}]+(\S+)")
"""A number's digits, a table's rule after them and what stands beyond it, read as one word (a
phone's last group, its cell's rule and the next item's misread "[10]": "0345.368.301|(101",
59_to_khai_thue_thu_nhap_ca_nhan in a table)."""
_DIGIT_GROUP = re.compile(r"[\d.\-]+(?:[,:][\d.\-]+)*")
"""A further group of a number's digits: dots or dashes between them, or a comma or a colon inside
("0345.1 19,819", "0395 063:232": a hand's spacing or dot read as a comma or a colon,
48_thong_tin_co_ban, 16_DDN_huong_che_do_benh_nghe_nghiep)."""
WHOLE_NUMBER_DIGITS = 9
"""The fewest digits of a whole ID or phone number (a CMND's nine)."""


def _whole_before_comma(words: list[Word]) -> bool:
    """Do ``words`` end in a comma after a whole number's digits? Then the comma ends the number
    ("0912345678, 0987654321": two phones); after a part of one it is a hand's spacing read as a comma
    ("0566.353, 184", 20_de_nghi_Nhan_che_do_BHXH_khi_nguoi_huong_tu_tran)."""
    return words[-1].text.endswith(",") and len(digits(" ".join(w.text for w in words))) >= WHOLE_NUMBER_DIGITS


COPULA = "là"
"""The verb "là" ("is") opens an item ("Là cha/mẹ … của em:", 24_don_de_nghi_ho_tro); no name has it
(the surname "La" carries no accent)."""
_MIDDLE_NAMES = frozenset(name.casefold() for name in NAME_SYLLABLES)


def _abbreviation_after_mixed_case(word: str, name: list[Word]) -> bool:
    """Is ``word`` a label's abbreviation in capitals, no syllable ("MSSV", "SĐT", read "MSSYV."),
    after a name written in small letters but its first? A name in capitals may hold a word OCR
    misread; one in mixed case is not written in capitals midway."""
    core = word.strip(".:;,…")
    return (len(core) >= 3 and core.isalpha() and core.isupper() and not is_syllable(core)
            and all(not w.text.isupper() for w in name))


def _labels_next_item(word: str) -> bool:
    """Is ``word`` the label of the line's next item rather than a name's word: a word ending in a
    colon that no name has ("MSSV:", 33_don_xin_thoi_hoc's "Tôi tên: …… MSSV: ……", two items on
    one line; "MSSYV:.", its blank's first dot glued on)? A name's own word with a speck read as a
    colon ("Lộc:") is a name word."""
    head = word.rstrip().rstrip(".…")
    return head.endswith(":") and fold(head.strip(":.,;")) not in PERSON_NAME_FOLDS and letters_or_digits(head)


def _opens_next_label(word: str, following: str) -> bool:
    """Does ``word`` open the form's next item rather than go on with a name: a word no name has
    that starts a registry label of two words or more, followed by the label's end (a colon) or a
    number ("Lý Thanh Thủy Sinh ngày: 13-08-1983", its "ngày" misread "lấy:")?"""
    key = fold(word.strip(",;:."))
    return (key in LABEL_FIRST_WORDS and key not in PERSON_NAME_FOLDS
            and (word.endswith(":") or following.rstrip(".").endswith(":") or following[:1].isdigit()
                 or NAME_THEN_DIGITS.fullmatch(following) is not None))  # "Sinh ngày21": the date glued on


DOCUMENT_KIND_WORDS = 3
"""How many words may name the identity document before its number ("CCCD số", "Hộ chiếu số")."""


def _after_document_kind(words: list[Word]) -> list[Word]:
    """The words from the number on, when a few words naming the document come first ("Giấy tờ tùy
    thân: CCCD số 0890…", OCR reading "CCCD" as "CŒŒD"): the number is the value."""
    for i, word in enumerate(words[: DOCUMENT_KIND_WORDS + 1]):
        if any(ch.isdigit() for ch in word.text):
            return words[i:]
    return words


def _split_name_end(words: list[Word], after: list[Word]) -> list[Word] | None:
    """The name's words with its last word made whole again, when the word after the name is a small
    piece no syllable is that completes it into one ("Hồ Ngọc Diệu Hạ nh." -> "Hạnh": a handwriting-like
    hand spaced the word apart); None when the name does not end so."""
    if not words or not after:
        return None
    piece = re.sub(r"[^\w]", "", after[0].text)
    last = words[-1].text.rstrip(",;.")
    # "Hạ nh." (the piece no syllable), "Th ủy" (the name's last word none): the two make one
    if not piece or not piece[0].islower() or (is_syllable(piece) and is_syllable(last)):
        return None
    whole = last + piece
    if not is_syllable(whole):
        return None
    joined = words[-1].model_copy(update={"text": whole, "bbox": union_bbox([words[-1], after[0]]),
                                          "conf": min(words[-1].conf, after[0].conf)})
    return words[:-1] + [joined]


def _trim_marks(words: list[Word]) -> list[Word]:
    """``words`` without the words of marks only at either end (",,", "---.", "$": a leader's
    remains, a speck read as a sign): no part of the value, and their low confidence says nothing
    of it. Marks between two words stay (they may stand for a lost letter)."""
    start, end = 0, len(words)
    while start < end and not letters_or_digits(words[start].text):
        start += 1
    while end > start and not letters_or_digits(words[end - 1].text):
        end -= 1
    return words[start:end]


def _moved_spaces(words: list[Word]) -> list[Word] | None:
    """A name's words with the space OCR moved put back ("Đoà nHồng" -> "Đoàn Hồng": one or two small
    letters opening a capitalised word end the word before), when both then read as syllables; None
    when no word needs it. No Vietnamese word has a capital after small letters."""
    out, moved = list(words), False
    for i in range(1, len(out)):
        text = out[i].text
        at = next((k for k, ch in enumerate(text) if ch.isupper()), None)
        if not text.isalpha() or at not in (1, 2) or not text[:at].islower():
            continue
        before, rest = out[i - 1].text + text[:at], text[at:]
        if out[i - 1].text.isalpha() and is_syllable(before) and is_syllable(rest):
            out[i - 1] = out[i - 1].model_copy(update={"text": before, "conf": min(out[i - 1].conf, out[i].conf)})
            out[i] = out[i].model_copy(update={"text": rest})
            moved = True
    joined = _lone_capital_joined(out) or out
    joined = _surname_end_joined(joined) or joined
    return joined if moved or len(joined) < len(words) else None


def _surname_end_joined(words: list[Word]) -> list[Word] | None:
    """A name's words with its first word joined to the small-letter piece after it where the two
    pieces spell one surname of the table and the first alone none ("Ngụ yễn Quang Bình" -> "Ngụyễn",
    repaired "Nguyễn" after: a hand's surname read in two); None when no word needs it."""
    if len(words) < 3 or not words[1].text[:1].islower() or not words[2].text[:1].isupper():
        return None
    first, piece = words[0].text, words[1].text
    if repair_surname(first) is not None or repair_surname(first + piece) is None:
        return None
    return [_joined(words[0], words[1])] + words[2:]


def _joined(first: Word, second: Word) -> Word:
    """One word of two pieces OCR read apart, as unsure as its less sure piece."""
    return first.model_copy(update={"text": first.text + second.text, "bbox": union_bbox([first, second]),
                                    "conf": min(first.conf, second.conf)})


def _lone_capital_joined(words: list[Word]) -> list[Word] | None:
    """A name's words with a lone capital letter joined to the small-letter piece after it when the
    two read as one syllable ("T rần Quốc Hùng" -> "Trần Quốc Hùng", 02_cap_chinh_sach_noi_tru: a
    hand spaced the surname's first letter off); None when no word needs it. No name word is one letter."""
    out: list[Word] = []
    for word in words:
        last = out[-1].text if out else ""
        if (len(last) == 1 and last.isupper() and word.text[:1].islower() and word.text.rstrip(",;.").isalpha()
                and is_syllable(last + word.text.rstrip(",;."))):
            out[-1] = _joined(out[-1], word)
            continue
        out.append(word)
    return out if len(out) < len(words) else None


def _candidate(key: str, words: list[Word], line: TextLine, label_score: float) -> Candidate | None:
    given = strip_separators(words)
    moved = _moved_spaces(given) if doctypes.spec(key).kind == "name" else None
    given = moved or given
    words = _trim_marks(_value_words(key, given))
    if not words:
        return None
    split = _split_name_end(words, given[len(words):]) if doctypes.spec(key).kind == "name" else None
    if split is None and moved is not None:
        split = words  # spaces OCR moved were put back: as unsure as a word read in pieces
    words = split or words
    raw = clean(" ".join(w.text for w in words))
    value, note = normalise_value(key, raw)
    if note == SPLIT_DIGITS_NOTE and read_together(words):
        note = _joined_note(key, words, value)
    if key in NUMBER_KEYS or key in DATE_KEYS:
        raw, value, note = weigh_second_reading(key, words, raw, value, note)
    elif key in PLACE_KEYS:
        raw, value, note = _place_numbers_read_again(key, words, raw, value, note)
    candidate = Candidate(key, value, raw, line.page_no, union_bbox(words), words, label_score / 100, note)
    if split is not None:
        candidate.flags["split_word"] = 1.0
    if doctypes.spec(key).kind == "name" and any(w.original and w.original != w.text and w.original.casefold() == w.text.casefold()
                                                 for w in words):
        candidate.flags["misspelt"] = 1.0  # a capital read small, put back: likely, not read
    if doctypes.spec(key).kind == "name" and value is not None and len(value.split()) == 1:
        candidate.flags["one_word_name"] = 1.0  # no Vietnamese full name is one word: the rest was cut or lost
    if note in NOTE_FLAGS:
        candidate.flags[NOTE_FLAGS[note]] = 1.0
    if any(w.glued_to and _RULE_IN_GROUP.fullmatch(w.glued_to) for w in words):
        candidate.flags["ends_in_rule"] = 1.0  # digits read across a rule: one touching it may be misread
    if key in ("id_number", "phone") and _misread_group_after(given[len(words):]) and _could_go_on(key, value):
        candidate.flags["group_after"] = 1.0
    flag_weak_words(candidate)
    return candidate


_MISREAD_GROUP = re.compile(r"^(?=(?:\D*\d){2})(?:[^\W_]{3,4}|\d{1,2}⁄\d{1,2})$")
"""A digit group with a letter or a fraction slash read in it ("s49" for 849, "53⁄4" for 534): three or four
letters, digits and at most one slash, two digits or more."""


def _could_go_on(key: str, number: str | None) -> bool:
    """Would digits after ``number`` still make a valid number of ``key`` (a CMND's nine digits, the
    first of a CCCD's twelve)? A whole CCCD or phone ends where it is."""
    return bool(number) and any(_valid_number(key, number + "0" * extra) for extra in range(1, 4))


def _misread_group_after(rest: list[Word]) -> bool:
    """Does a digit group with a glyph misread in it follow the number ("027 086 038 s49": a CCCD's
    last group, its 8 read "s", 62_xet_cap_hoc_bong_chinh_sach in a table), or one a speck's mark
    glued to, read unsure ("040 188 512 {990[0.08]", 49_TK1-TS in a table)? The number ended there as
    the first nine digits, valid as a CMND: it may go on."""
    if not rest:
        return False
    text = rest[0].text.strip(",;.")
    core = text.strip(_SPECK_MARKS)
    return bool(_MISREAD_GROUP.fullmatch(text)) or (
        core != text and core.isdigit() and 3 <= len(core) <= 4 and rest[0].conf < LOW_WORD_CONF)


_SPECK_MARKS = "{}()[]|!'\"`‘’“”"
"""Marks OCR makes of a speck at a word's end."""


def digit_words(words: list[Word]) -> list[Word]:
    """The words that hold a digit, in order."""
    return [w for w in words if any(ch.isdigit() for ch in w.text)]


def read_together(words: list[Word]) -> bool:
    """Were the digit words of a value, read by the page in pieces ("05/1" "2/1957"), read again as
    one word of their very characters (``Word.joined_reading``, ocr/digits.py: all of them in one run)?
    Then the gaps between them lie inside one number, not between a stray mark and a number."""
    pieces = digit_words(words)
    joined = {w.joined_reading for w in pieces}
    return len(pieces) >= 2 and len(joined) == 1 and None not in joined


def _joined_note(key: str, words: list[Word], value: str | None) -> str | None:
    """The note of a value whose spaced digit pieces were read again as one word of their very
    characters (:func:`read_together`): one number, so the pieces' gaps are no guess, but what else
    the one word shows still counts ("9/1 1/1992" read "9/11/1992": a day of one digit beside a
    month of two, :data:`UNEVEN_DATE_NOTE`)."""
    again, note = normalise_value(key, digit_words(words)[0].joined_reading or "")
    return note if again == value else None


def _sound_number(key: str, value: str | None, note: str | None) -> bool:
    """Is ``value`` an ID, phone or date that its field's checks pass, read as it stands (no guess
    of :func:`normalise_value` put a digit back or chose one)?"""
    return value is not None and note not in NOTE_FLAGS and _valid_number(key, value)


def weigh_second_reading(key: str, words: list[Word], raw: str, value: str | None,
                         note: str | None) -> tuple[str, str | None, str | None]:
    """(raw, value, note) of a number or date, its words as the page path's second reading read
    them (``Word.second_reading``, ocr/digits.py: the unsure digit words read again at a larger
    scale, sure) where that makes a sound value of ``key`` and the page's reading either makes none
    ("0720986909517", 13 digits, for the ID "012098690951"; "2/09/7998" for 27/09/1998) or reads
    other digits in the same places ("0874 605 287" for "0814 605 287"): a hand's 1 read as 7 at the
    page's scale is mostly read right at the larger one. A reading with fewer or more digits is no
    such evidence where the page's value is sound: the larger crop can lose a thin first stroke
    ("1997" read "997"). Taken as a likely reading, never a sure one (the notes flag it)."""
    second = [as_second_read(w) for w in words]
    if second == [w.text for w in words]:
        return raw, value, note
    other_raw = clean(" ".join(second))
    other, other_note = normalise_value(key, other_raw)
    if not _sound_number(key, other, other_note):
        return raw, value, note
    if not _sound_number(key, value, note):
        return other_raw, other, SECOND_READING_NOTE
    if other != value and len(digits(other_raw)) == len(digits(raw)):
        return other_raw, other, OTHER_DIGITS_NOTE
    return raw, value, note


def _place_numbers_read_again(key: str, words: list[Word], raw: str, value: str | None,
                              note: str | None) -> tuple[str, str | None, str | None]:
    """(raw, value, note) of a place, its house or hamlet numbers as the page path's second reading
    read them where it read as many digits, other ones ("Số 792," read "192," again, "Ấp 70," read
    "10,": a hand's 1 read as 7 at the page's scale); nothing checks a house number, so only the
    larger reading is evidence, and it is taken as a likely reading, never a sure one. A reading with
    more or fewer digits, or other letters, is no such evidence."""
    second = [as_second_read(w) for w in words]
    kept = [other if same_but_digits(w.text, other) else w.text for w, other in zip(words, second)]
    if kept == [w.text for w in words]:
        return raw, value, note
    other_raw = clean(" ".join(kept))
    other, _ = normalise_value(key, other_raw)
    if other is None:
        return raw, value, note
    return other_raw, other, OTHER_DIGITS_NOTE


def same_but_digits(text: str, other: str) -> bool:
    """Do ``text`` and ``other`` differ in digits only, as many of them, in the same places?"""
    return (text != other and len(text) == len(other)
            and all(a == b or (a.isdigit() and b.isdigit()) for a, b in zip(text, other)))


def as_second_read(word: Word) -> str:
    """``word``'s text with what the second reading read in place of the characters it read again
    (those may have lost a dot since: "2014." is read "2014" once the value's end is trimmed, or
    been put right by the post-correction since: "7o7", now "707", read "797" again)."""
    of, other = word.second_reading_of, word.second_reading
    if not of or other is None:
        return word.text
    if of in word.text:
        return word.text.replace(of, other, 1)
    original = word.original or ""
    if of in original and len(original) == len(word.text):  # letters for digits, one for one
        at = original.index(of)
        return word.text[:at] + other + word.text[at + len(of):]
    of, other = of.strip(".,;:…"), other.strip(".,;:…")
    return word.text.replace(of, other, 1) if of and of in word.text else word.text


_LEADER_MARKS = re.compile(r"[._…·\-–—]+")
"""A word of leader marks only (dots, underscores, dashes): the remains of a blank's leader."""
FREE_TEXT_SURE_CONF = 0.85
"""A word of free text (:attr:`schemas.doctypes.FieldSpec.free_text`) with a bracket glued to it,
read below this confidence: the value is held. A letter touching the bracket may be misread with
it into another real word ("sai sót)" read "sai sói)" at 0.80); free words read as unsure but
standing alone are right far more often than not, and are left to :data:`LOW_WORD_CONF`."""
_GLUED_BRACKET = re.compile(r"\w[)\]}]|[(\[{]\w")


def flag_weak_words(candidate: Candidate) -> None:
    """Flag weak evidence in the value's own words: ``low_conf_digits`` (a digit token of a date or
    code read below :data:`HANDWRITING_CONF`: often a handwritten day or number) and ``low_conf_word``
    (any word below :data:`LOW_WORD_CONF`; not the unit names of a confirmed tail, nor a gender word
    read letter for letter)."""
    words = candidate.focus_words if candidate.focus_words is not None else candidate.words
    kind = doctypes.FIELD_BY_KEY[candidate.key].kind if candidate.key in doctypes.FIELD_BY_KEY else None
    with_digits = digit_words(words)
    if kind in ("code", "date") and with_digits and min(w.conf for w in with_digits) < HANDWRITING_CONF:
        candidate.flags["low_conf_digits"] = 1.0
    # an ID or phone number has no check digit: a 1 read 7, a 3 read 4 at 0.85 still makes a valid
    # number; nor does a table check an address's house or hamlet number ("Số 10" read "Số 70," at
    # 0.78). Unless the page path's second reading gave the same digits (ocr/digits.py), a digit
    # word read less sure than that reading must be leaves the number unsure.
    numbers = (with_digits if candidate.key in NUMBER_KEYS
               else digit_words(candidate.judged_words) if candidate.key in PLACE_KEYS
               else [])
    sure = SURE_UNCHECKED_CONF if candidate.key == "phone" or candidate.key in PLACE_KEYS else SURE_DIGITS_CONF
    if any(w.reread_conf is None and w.conf < sure for w in numbers):
        candidate.flags["unconfirmed_digits"] = 1.0
    flag_unconfirmed_birth_date(candidate, words)
    # "Xómg," at 0.91 for "Xóm 8,": a handwritten number read as a letter glued to its hamlet's
    # word. No table checks the words before the units: a hamlet's or house's type word with letters
    # after it that make no syllable lost what followed it
    if candidate.key in PLACE_KEYS and any(_glued_to_place_word(w.text) for w in candidate.judged_words):
        candidate.flags["place_slip"] = 1.0
    # "Xó! 8" accepted at 1.00 for "Xóm 8" (32_don_xin_rut_ho_so): a mark no address writes stands
    # where OCR lost a letter
    if candidate.key in PLACE_KEYS and any(_ODD_MARK.search(w.text) for w in candidate.judged_words):
        candidate.flags["odd_mark"] = 1.0
    # "Ấp Í 3" accepted at 1.00 for "Ấp 13" (09_cham_dut_huong_tro_cap_that_nghiep): a digit read as
    # a letter with a mark, alone between the type word and the number; a block's letter has no mark
    if candidate.key in PLACE_KEYS and _marked_letter_before_number(candidate.judged_words):
        candidate.flags["lone_letter"] = 1.0
    # "Sø 261, đường Nguyễn Huệ, …" accepted at 1.00 for "Số 261" (22_dk_xe1): a letter no Vietnamese
    # word is written with stands where OCR misread one; no table checks the words before the units
    # (the units' own names it does check, and mends: "ChiêmHøa" read for "Chiêm Hóa")
    if candidate.key in PLACE_KEYS and any(_foreign_letter(w.text) for w in _before_units(candidate.judged_words)):
        candidate.flags["odd_mark"] = 1.0
    if candidate.key in PLACE_KEYS and _split_word(candidate.judged_words):
        candidate.flags["cut_word"] = 1.0
    # "đường Nđuyễn Trãi" accepted at 1.00 for "Nguyễn Trãi" (00_bao_cao_tot_nghiep_du_hoc_sinh): the
    # street's words read glued at 0.79, one of them no Vietnamese word once set apart
    if candidate.key in PLACE_KEYS and _unsure_odd_word_before_units(candidate):
        candidate.flags["odd_street_word"] = 1.0
    # "ThiThảo" at 0.84: OCR ran two name words together, and a reading that lost the space between
    # them is no sure reading of their marks ("Thị" read "Thi")
    if kind == "name" and any(((w.glued_to and not _INNER_LEADER.search(w.glued_to)) or _glued(w.text))
                              and w.page_conf < PRINTED_CONF for w in candidate.words):
        candidate.flags["glued_name"] = 1.0
    # a leader's remains between two words ("Nguyễn _ Xuân Đức": the blank's underscore) are no
    # letters of the value, whatever Tesseract thought of them
    if kind == "name" and candidate.words and not candidate.confirmed_head and _sure_surname_after_leader(candidate.words[0]):
        candidate.confirmed_head = 1
    if candidate.key in PLACE_KEYS and not candidate.confirmed_head and _sure_type_after_leader(candidate.words):
        candidate.confirmed_head = 1
    content = [w for w in candidate.judged_words if not _LEADER_MARKS.fullmatch(w.text)]
    if candidate.key == "gender":
        # "Nam" or "Nữ" read letter for letter, marks included: however unsure Tesseract was of the
        # ink, the two words share no letter shape it could turn one into the other by
        content = [w for w in content if not is_gender_word(w.text)]
    if kind == "date":
        # "ngày 09 tháng[0.43] 12 năm 2019": the date's own words read letter for letter say nothing of
        # its digits, which are judged on their own (low_conf_digits, unconfirmed_date, the hand's day)
        content = [w for w in content if w.text.strip(" .,:;").casefold() not in DATE_WORDS]
    if candidate.key == "issuing_agency":
        # "ỦY BAN NHÂN DÂN[0.42] HUYỆN TIỀN HẢI", "TRƯỜNG[0.48] ĐẠI HỌC …": a fixed phrase read letter for
        # letter says nothing of the name's own words, which are judged on their own (the unit's by
        # the units table)
        fixed = lexicon.fixed_phrase_positions([w.text for w in content])
        content = [w for i, w in enumerate(content) if i not in fixed]
    if content and min(w.conf for w in content) < LOW_WORD_CONF:
        candidate.flags["low_conf_word"] = 1.0
    elif candidate.key in FREE_TEXT_KEYS and any(w.conf < FREE_TEXT_SURE_CONF and _GLUED_BRACKET.search(w.text)
                                                 for w in content):
        candidate.flags["low_conf_word"] = 1.0
    elif candidate.confirmed_tail or candidate.key == "gender":
        candidate.flags.pop("low_conf_word", None)  # the unsure word was a unit the table confirmed, or a gender word


PERSON_DATE_KEYS = ("date_of_birth",)
"""Dates of a person that nothing on the page checks: any day and month that parse make a valid date."""


def flag_unconfirmed_birth_date(candidate: Candidate, words: list[Word]) -> None:
    """Hold a birth date with a digit word read under :data:`SURE_DIGITS_CONF` that the page path's
    second reading did not confirm (``unconfirmed_date``). A hand's 1 read as 7 ("01/04/1951" read
    "07/04/1951" at 0.86, 52_TK_dang_ky_CMC "Ngày, tháng, năm sinh:") still makes a valid date, and no
    other value of the form checks a birth date, as none checks an ID's digits
    (``unconfirmed_digits``). Typed dates are read at 0.95 or more, or confirmed by the second reading."""
    if candidate.key not in PERSON_DATE_KEYS or candidate.value is None:
        return
    if any(w.reread_conf is None and w.conf < SURE_DIGITS_CONF for w in digit_words(words)):
        candidate.flags["unconfirmed_date"] = 1.0


def _sure_surname_after_leader(word: Word) -> bool:
    """Is ``word`` a name's first word cut from one token with its label and the blank's dot leader
    ("tên(1):.....Nguyễn" at 0.52: the token's confidence is mostly the dots'), spelt letter for letter
    as a surname that no other surname lies a letter or a mark from ("Nguyễn", not "Võ": Vũ)? Then
    its low confidence says nothing of its letters."""
    return bool(word.glued_to and _INNER_LEADER.search(word.glued_to)) and unrivalled_surname(word.text.strip(",;."))


_HEAD_TYPE_WORDS = frozenset({"số", "xóm", "thôn", "tổ", "ấp", "khu", "bản", "khóm"})
"""Words that open an address's numbered part ("Số 12", "Xóm 3", "Tổ dân phố 2"), with their marks."""


def _sure_type_after_leader(words: list[Word]) -> bool:
    """Is an address's first word cut from one token with its label and dot leader
    ("trú:.....Xóm" at 0.34), spelt letter for letter as the type word of its numbered part, with
    the number or the rest of the type after it ("Xóm 5,", "Tổ dân phố 9")? Its low confidence is
    the dots', and a house or hamlet number has its own check (``unconfirmed_digits``)."""
    if len(words) < 2 or not (words[0].glued_to and _INNER_LEADER.search(words[0].glued_to)):
        return False
    after = words[1].text.strip(",;.")
    return (words[0].text.strip(",;.:").casefold() in _HEAD_TYPE_WORDS
            and (after[:1].isdigit() or fold(after) in ("dan", "pho")))


_PLACE_HEAD_WORDS = ("xom", "thon", "to", "ap", "ban", "khu", "so", "pho", "buon", "lang")
"""Type words of the part of an address before its units (hamlet, quarter, house number), folded."""


_VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY" for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
) | frozenset("bcdfghjklmnpqrstvwxzđBCDFGHJKLMNPQRSTVWXZĐ")
"""The letters Vietnamese is written with (the Latin consonants, đ, the vowels with their tone marks)."""


def _before_units(words: list[Word]) -> list[Word]:
    """An address's words up to its first comma: the house, street or hamlet before the units."""
    end = next((k + 1 for k, word in enumerate(words) if word.text.endswith(",")), len(words))
    return words[:end]


def _unsure_odd_word_before_units(candidate: Candidate) -> bool:
    """Does a place's value, before its first unit's type word, hold a word of two letters or more
    that is no Vietnamese syllable, its words there read less sure than print (:data:`PRINTED_CONF`)?
    No table checks a street's or hamlet's words; a name no syllable spells ("Pasteur") is read sure
    where printed, and an unsure reading of one is a slip as often as not ("Nđuyễn")."""
    words = _until_unit_type(candidate.judged_words, lambda w: w.text)
    if candidate.value is None or not words or min(w.conf for w in words) >= PRINTED_CONF:
        return False
    tokens = _until_unit_type(candidate.value.replace(",", " ").split(), lambda t: t)
    return any(len(token) >= 2 and token.isalpha() and not is_syllable(token) and not _type_words_glued(token)
               for token in tokens)


def _type_words_glued(token: str) -> bool:
    """Is ``token`` a place's two type words OCR ran together ("Khuphố", "Tổdân": mended later)? Two
    syllables of a street's name run together stay so ("Hùngvương" at 0.77 accepted for "Hùng Vương")."""
    return any(len(pieces) == 2 and fold(pieces[0]) in PLACE_OPENERS for pieces in cuts(token, is_syllable, 2))


def _until_unit_type(items: list, text_of: Callable) -> list:
    """``items`` up to the first whose text is a unit's type word ("Xã", "Phường", "Thị", "Huyện")."""
    end = next((k for k, item in enumerate(items) if fold(text_of(item)).strip(",;.:") in UNIT_TYPE_WORDS), len(items))
    return items[:end]


def _foreign_letter(text: str) -> bool:
    """Does ``text`` hold a letter Vietnamese is never written with ("Sø", "Xöm")?"""
    return any(ch.isalpha() and ch not in _VIETNAMESE_LETTERS for ch in unicodedata.normalize("NFC", text))


_ODD_MARK = re.compile(r"[!?|@#$%^&*~<>{}\[\]\\=+]")
"""Marks no address is written with ("Xó!", "Th|ôn"): a letter OCR could not read."""


def _marked_letter_before_number(words: list[Word]) -> bool:
    """A hamlet's or house's type word, a lone letter with a mark, then a number ("Ấp Í 3")."""
    texts = [w.text.strip(",;.:") for w in words]
    return any(fold(a) in _PLACE_HEAD_WORDS and len(b) == 1 and b.isalpha() and fold(b) != b.casefold()
               and c[:1].isdigit() for a, b, c in zip(texts, texts[1:], texts[2:]))


def _glued_to_place_word(text: str) -> bool:
    """A word that is a hamlet's or house's type word with one or two letters glued after it and no
    syllable as a whole ("Xómg": "Xóm 8" whose 8 was read "g")."""
    word = text.strip(",;.:")
    key = fold(word)
    return (word.isalpha() and not is_syllable(word)
            and any(key.startswith(head) and 1 <= len(key) - len(head) <= 2 for head in _PLACE_HEAD_WORDS))


def _split_word(words: list[Word]) -> bool:
    """A word OCR cut before its last letter: a word in small letters, then a capital (glued to it or
    alone) with which it spells one syllable ("đườnG", shown "đườn G", for a handwritten "đường",
    33_don_xin_thoi_hoc, accepted at 1.00). A block's or lane's letter follows a capitalised type word ("Khu A", "Lô B") or makes no
    syllable with its word ("ngõ B"). What else the hand wrote there was read as surely, and as
    wrongly, as the cut."""
    texts = [w.text.strip(",;.:") for w in words]
    glued = [(t[:-1], t[-1]) for t in texts if len(t) >= 3 and t[-2].islower()]  # "đườnG": one token
    apart = [(head, letter) for head, letter in zip(texts, texts[1:]) if len(letter) == 1]  # "đườn", "G"
    return any(letter.isupper() and head.isalpha() and head[:1].islower() and is_syllable(head + letter.lower())
               for head, letter in glued + apart)


def _glued(token: str) -> bool:
    """A small letter followed by a capital inside the token, or a word in capitals that is two name
    syllables (``names.split_glued_words``): two words OCR read as one ("ThiThảo", "ĐÌNHTUẤN")."""
    return (any(a.islower() and b.isupper() for a, b in zip(token, token[1:]))
            or len(split_glued_names([token.strip(",;.")])) > 1)


def _right_margin(lines: list[TextLine]) -> dict[int, float]:
    """Per page, the x where full text lines end (90th percentile of line ends)."""
    ends: dict[int, list[int]] = {}
    for line in lines:
        ends.setdefault(line.page_no, []).append(line.bbox[2])
    margins = {}
    for page, xs in ends.items():
        xs.sort()
        margins[page] = xs[int(0.9 * (len(xs) - 1))]
    return margins


_LINE_LABELS = tuple(sorted({f"{label} " for labels in LABELS.values() for label in labels if len(label.split()) >= 2},
                            key=len, reverse=True))
"""Registry labels of two words or more (a value's wrapped part may start "Số 12", never "Số CMND")."""


def _opens_with_label(line: TextLine) -> bool:
    """Does ``line`` begin with a registry label, colon or not?"""
    key = " ".join(word_keys(line)).replace(":", " ")
    return f"{' '.join(key.split())} ".startswith(_LINE_LABELS)


def _continues(value_line: TextLine, nxt: TextLine, value_text: str, margin: float,
               row_rest: list[Word] | None = None) -> bool:
    """Does ``nxt`` carry on the value that ends ``value_line`` (wrapped at the margin)?

    ``row_rest``: the words printed on ``nxt``'s row to its right that the layout cut away at a
    wide gap (up to the next label): "Hiện em đang là học sinh lớp." | ".. trường ……" is one
    printed line, a blank inside it."""
    if nxt.page_no != value_line.page_no or (":" in nxt.text and not _closing_colon(nxt)) or \
            len(nxt.words) > (20 if _address_rest(nxt) or _place_pieces(nxt) else 12):
        return False  # a long line is a sentence, unless it is the rest of an address
    if nxt.conf < NOISE_CONF and syllable_share(nxt.text) < 1.0:
        return False  # "uy ecesoessezatee chết": a line OCR could not read (under a seal) carries nothing on
    height = max(1, value_line.bbox[3] - value_line.bbox[1])
    if nxt.bbox[1] - value_line.bbox[3] > 1.2 * height or nxt.bbox[0] > value_line.bbox[2]:
        return False
    if re.match(r"^ng[aà]y\s*[\d.…_]", nxt.key) or first_date(nxt.text) is not None:
        return False  # "Ngày 18/11/2024, Bộ phận …", "Ngày ……, tôi đã …" opens the next paragraph
    tokens = [w.text for w in nxt.words]
    row_tokens = tokens + [w.text for w in row_rest or []]
    if _opens_with_label(nxt):
        return False  # "Số CMND/CCCD 0740…": the next item, printed without its colon
    if ITEM_NUMBER.match(tokens[0]) or GLUED_ITEM.match(fold(tokens[0])) or SECTION.match(nxt.text):
        return False  # "3. Ngày … chết", "b) Hộ khẩu …": the form's next item
    if _blank_inside(row_tokens):
        return False  # "Hiện em đang là học sinh lớp …… trường ……": a form line with blanks, no value's end
    if value_text.rstrip().endswith((",", "-")) or nxt.text[:1].islower():
        return True
    if fold(value_text).rstrip(" .").endswith(tuple(f" {w}" for w in _UNIT_WORDS)):
        return True  # "…, Huyện" / "Bá Thước, …": a unit type word wants its name
    if _UNIT_AFTER_COMMA.search(nxt.key) and (len(nxt.words) <= 10 or _address_rest(nxt)):
        return True  # "Thạnh, Thị xã Tân Châu, Tỉnh An Giang": the rest of an address
    if _province_wanted(value_text, nxt):
        return True
    if nxt.text.split()[0].isupper() and len(nxt.text.split()[0]) > 1:
        return False  # a new heading, not a wrapped value
    return value_line.bbox[2] >= margin - WORD_WRAP_SLACK * value_line.page_width and not value_text.rstrip().endswith(".")


def _closing_colon(line: TextLine) -> bool:
    """Is the one colon of ``line`` its last mark, after units of an address ("Huyện Mỏ Cày Nam, Tỉnh
    Bến Tre:")? The semicolon a form prints after a blank ("10.Địa chỉ giao dịch:……;",
    36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat) read as a colon: it ends the value, it opens no
    label."""
    text = line.text.rstrip()
    return text.count(":") == 1 and text.endswith(":") and bool(_UNIT_AFTER_COMMA.search(line.key))


WRAPPING_KEYS = doctypes.keys_where(kind="name") | doctypes.keys_where(export="digits")
"""Short values a form's blank lets wrap at the margin ("… tên người yêu cầu: Trịnh" / "Văn Dũng",
"Số điện thoại:....0945 124" / "938……"): their rest opens the next line."""
WRAP_NAME_WORDS = 4


def _whole_number(key: str, words: list[Word]) -> bool:
    """Is the number of ``words`` already a valid one of ``key`` (a whole ID or phone at the margin)?"""
    return doctypes.spec(key).export == "digits" and _valid_number(key, _number(key, words))


def _cut_number(key: str, words: list[Word], line: TextLine, margin: float) -> bool:
    """Does the number of ``words`` reach the margin, valid as it is and still valid with more
    digits after it? A 9-digit CMND at the margin may be the first nine digits of a 12-digit CCCD
    whose rest OCR lost below."""
    if doctypes.spec(key).export != "digits":
        return False
    value = _value_words(key, strip_separators(words))
    number = _digits_of(value)
    return _valid_number(key, number) and _could_go_on(key, number) and _reaches_margin(line, value, margin)


def _number(key: str, words: list[Word]) -> str:
    return _digits_of(_value_words(key, strip_separators(words)))


def _digits_of(words: list[Word]) -> str:
    return digits(" ".join(w.text for w in words))


def _valid_number(key: str, number: str) -> bool:
    checks = validate_field(key, number)
    return bool(checks) and all(checks.values())


def _wrapped_head(key: str, line: TextLine, hits: list[LabelHit]) -> list[Word]:
    """The words opening ``line`` that carry on a name or number cut at the margin above: capitalised
    name words ("Văn Dũng", "Thu Hương" before "Sinh ngày:"), at most :data:`WRAP_NAME_WORDS`, or digit
    groups ("938"), up to the line's first label or blank. None (an empty list) when the line opens
    otherwise: a sentence, a small word, another item."""
    head = list(line.words[: hits[0].start]) if hits else list(line.words)
    out: list[Word] = []
    for word in head:
        text = word.text.strip(",;")
        if _INNER_LEADER.search(word.text) and out:
            core = _INNER_LEADER.split(word.text)[0]  # "Dũng….." : the leader after the value
            if core:
                out.append(word.model_copy(update={"text": core}))
            break
        if doctypes.spec(key).kind == "name":
            if not (text.isalpha() and text[:1].isupper()) or len(out) >= WRAP_NAME_WORDS:
                break
        elif not re.fullmatch(r"\d[\d.\-]*", text):
            break
        out.append(word)
    if doctypes.spec(key).kind == "name" and len(out) < len([w for w in _until_leader(head) if _is_content(w.text)]):
        return []  # a name's rest stands alone before the line's first label or blank: more words are a sentence
    if doctypes.spec(key).kind == "name" and _opens_label_phrase(out, hits):
        return []
    return out


def _ends_with_label_word(words: list[Word]) -> bool:
    """Does a name followed on its line by the next item's label end with a word the name syllables
    do not hold ("Tôi tên là: Trương Thu Mỹ Phượng Hiện trú tại: …", 29_don_xin_chuyen_truong_tieu_hoc_
    trong_nuoc: "Hiện" opens "Hiện trú tại:", the registry's label being "Trú tại")? That word may be
    the label's or a rare name's: which one, the line does not say, so the name is held as read."""
    named = [w for w in words if letters_or_digits(w.text)]
    return (len(named) >= 3 and named[-1] is words[-1]
            and words[-1].text.strip(",;.:").casefold() not in _MIDDLE_NAMES)


def _opens_label_phrase(words: list[Word], hits: list[LabelHit]) -> bool:
    """Do ``words`` run straight into the line's first label, one of them no name syllable ("Hiện" of
    "Hiện trú tại:", 29_don_xin_chuyen_truong_tieu_hoc_trong_nuoc, under "Tôi tên là: Đinh Quốc
    Thịnh")? Then they open that label's phrase, not the rest of a name above ("Văn Dũng Sinh ngày:")."""
    return (bool(words) and bool(hits) and len(words) == hits[0].start
            and any(w.text.strip(",;").casefold() not in _MIDDLE_NAMES for w in words))


def _completes_number(key: str, head: list[Word], rest: list[Word]) -> bool:
    """Do the digit groups opening the next line (``rest``) complete a number that ``head``, at the
    margin, is no valid one without ("Số điện thoại: 0816" / "311 971", "Số CCCD: 084 065" / "638
    455")? An ID or phone no shorter number is valid as: the join is the only reading that makes one."""
    return (doctypes.spec(key).export == "digits" and all(re.fullmatch(r"\d+[,.;]?", w.text) for w in rest)
            and not _valid_number(key, _number(key, head)) and _valid_number(key, _number(key, head + rest)))


def _rest_of_cccd(key: str, head: list[Word], rest: list[Word]) -> bool:
    """Is ``rest`` (the digits opening the next line) one group of exactly the three digits a CCCD
    has past a CMND-long ``head`` at the margin ("Số CCCD: 001090012" / "345 ……")? Only that shape
    reads as the number's rest; a longer or split continuation stays held as a join across lines."""
    return (doctypes.spec(key).export == "digits" and len(rest) == 1
            and len(_number(key, head)) == CMND_DIGITS
            and len(digits(rest[0].text)) == CCCD_DIGITS - CMND_DIGITS)


def _opens_item(line: TextLine, hits: list[LabelHit]) -> bool:
    """Does ``line`` open the form's next item (a label at its start, an item number, a section)?
    Then the value above it, at the margin or not, ended there: nothing of it is cut."""
    tokens = word_keys(line)
    return bool(tokens) and (bool(hits and line_start(tokens, hits[0].start)) or bool(ITEM_NUMBER.match(tokens[0]))
                             or bool(GLUED_ITEM.match(tokens[0])) or bool(SECTION.match(line.text)))


PRINTED_LABEL_WORDS = 8


def _opens_printed_label(line: TextLine) -> bool:
    """Does ``line`` open with a label the registry does not know, printed as forms print labels:
    a capitalised word, small-letter words, a colon ("Mã thẻ bảo hiểm y tế: ……", 07_cap_lai_the_BHYT)?
    A name's rest is capitalised words ("An Giới tính:" is no label's start), so a name at the
    margin above such a line ended there. (Not said of an address: its end is its province, and
    one cut short, "…, Thành phố", stays cut whatever follows.)"""
    words = line.text.split()[:PRINTED_LABEL_WORDS]
    for i, word in enumerate(words):
        if ":" in word:
            return i >= 1 and words[0][:1].isupper() and all(w[:1].islower() for w in words[1 : i + 1])
    return False


def _is_content(text: str) -> bool:
    """A value word, not a separator or a footnote mark ("(2)")."""
    return bool(FOOTNOTE.sub("", fold(text)).strip(".…_·:;-"))


def _until_leader(words: list[Word]) -> list[Word]:
    """The value's words up to a dot leader that follows them: on a filled form the leader after a
    value runs to the next blank ("Nguyễn Văn An …… sinh ngày ……")."""
    for i, word in enumerate(words):
        if i > 0 and _INNER_LEADER.fullmatch(word.text) and any(_is_content(w.text) for w in words[:i]):
            return words[:i]
    return words


NOISE_CONF = 0.40
"""A line read below this mean word confidence, with words no Vietnamese syllable spells, is noise
(a seal, a signature), no value's words."""
CUT_NOTE = "the value reaches the line's end: it may go on below"
CUT_SLACK = 0.04
"""A value line ending this close to the page's right margin (share of the page width) may go on."""


WORD_WRAP_SLACK = 0.1
"""Word wrap leaves up to a long word of slack before the margin (share of the page width): a line
ending this close to it may have wrapped."""


def _reaches_margin(line: TextLine, words: list[Word], margin: float, slack: float = CUT_SLACK) -> bool:
    """Does the value end where the text column ends (so it may have been cut there)?"""
    return bool(words) and words[-1].bbox[2] >= margin - slack * line.page_width


_INNER_LEADER = re.compile(r"[.…_·]{2,}")


_DATE_THEN_ITEM = re.compile(r"^(\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d)\d{1,2}[.)]$")
_DIGITS_THEN_WORD = re.compile(r"^[\d/.,-]*\d(?=[^\W\d_])")


_NUMBER_WORD_THEN_DIGITS = re.compile(r"^[Ss][ốoô](?=\d{6,}[.,;]?$)")
"""A number glued to the "số" before it ("CCCD số052058377777", 30_don_xin_giao_dat)."""
_LABEL_ABBREVIATIONS = frozenset(word for labels in LABELS.values() for label in labels for word in label.split()
                                 if len(word) >= 3 and word.isalpha() and not any(ch in "aeiouy" for ch in word))
"""Words of labels without a vowel: abbreviations ("CCCD", "CMND", "SĐT"), printed in capitals."""


def _glued_at(text: str) -> int | None:
    """Where two words OCR read without their space meet, the second capitalised ("TrangSinh",
    "HuyệnNam" -> 5; "9546Giới" -> 4: a value's digits glued to the next label) or a label's small
    first word ("Khánhsinh" -> 5), or None: a small letter or a digit before the capital, small
    letters after."""
    dated = _DATE_THEN_ITEM.match(text)
    if dated is not None:
        return dated.end(1)  # "05/08/20003.": a date's year glued to the next item's number ("3. Giới tính")
    if _NUMBER_WORD_THEN_DIGITS.match(text):
        return 2  # "CCCD số052058377777": the number glued to its "số"
    core = text.rstrip(":.,;")
    # "SốCCCD:": a small-lettered word glued to a label's abbreviation in capitals
    for i in range(2, len(core) - 2):
        if core[i - 1].islower() and core[i:].isupper() and fold(core[i:]) in _LABEL_ABBREVIATIONS and is_syllable(core[:i]):
            return i
    digits_end = _DIGITS_THEN_WORD.match(text)
    if digits_end is not None:
        rest = text[digits_end.end():]
        return digits_end.end() if len(rest) >= 2 and rest[0].isupper() and rest[1:].isalpha() and rest[1:].islower() else None
    if not core.isalpha():
        return None
    for i in range(2, len(core) - 1):
        # "CườngNgày,": the next label's first word keeps its comma ("Ngày, tháng, năm sinh")
        if core[i - 1].islower() and core[i].isupper() and core[i + 1 :].islower():
            # "ViỆt": one name syllable, a capital misread inside it, not two words
            return None if stray_inner_capital(text) is not None else i
    # "Khánhsinh ngày": a capitalised word glued to the small first word of the label after it
    # ("sinh" of "sinh ngày"), when the whole is no syllable and the word before it is one
    if text[:1].isupper() and not is_syllable(text):
        for i in range(2, len(text) - 2):
            if text[i:].islower() and fold(text[i:]) in LABEL_FIRST_WORDS and is_syllable(text[:i]):
                return i
    return None


def split_glued_words(line: TextLine) -> TextLine:
    """``line`` with words cut where a small letter or a digit meets a capital that opens a word of
    its own ("Dương Thị TrangSinh ngày:" -> "Trang", "Sinh"; "22/05/1954Giới tính:" -> "22/05/1954",
    "Giới"): no Vietnamese word has a capital inside it, and the glued label would be lost with it."""
    words: list[Word] = []
    for word in line.words:
        at = _glued_at(word.text) if word.original is None else None  # a post-corrected word stays whole
        if at is None:
            words.append(word)
            continue
        x0, y0, x1, y1 = word.bbox
        cut = x0 + round((x1 - x0) * at / len(word.text))
        words += [word.model_copy(update={"text": word.text[:at], "bbox": (x0, y0, max(x0 + 1, cut), y1), "glued_to": word.text}),
                  word.model_copy(update={"text": word.text[at:], "bbox": (min(cut, x1 - 1), y0, x1, y1), "glued_to": word.text})]
    return TextLine(words, line.page_no, line.page_width, line.page_height) if len(words) != len(line.words) else line


def split_at_leaders(line: TextLine) -> TextLine:
    """``line`` with words cut where a dot leader runs inside them ("An…..sinh" -> "An", "…..",
    "sinh"): a filled form glues the value to the leader and to the next label."""
    words: list[Word] = []
    changed = False
    for word in line.words:
        pieces = [p for p in re.split(r"([.…_·]{2,})", word.text) if p]
        if len(pieces) <= 1 or not any(_INNER_LEADER.fullmatch(p) for p in pieces):
            words.append(word)
            continue
        changed = True
        x0, y0, x1, y1 = word.bbox
        per_char = (x1 - x0) / max(1, len(word.text))
        start = 0
        for piece in pieces:
            left = x0 + round(start * per_char)
            right = max(left + 1, x0 + round((start + len(piece)) * per_char))
            # each piece keeps the token it was cut from: its confidence is the whole token's
            words.append(word.model_copy(update={"text": piece, "bbox": (left, y0, right, y1),
                                                 "glued_to": word.glued_to or word.text}))
            start += len(piece)
    return TextLine(words, line.page_no, line.page_width, line.page_height) if changed else line


WRAP_TAIL = 12
"""How many words at a line's end may start a label that wraps onto the next line (with a printed
instruction in brackets: "Chỗ ở hiện nay (trường hợp khác nơi" / "đăng ký thường trú): …")."""
WRAP_HEAD = 5
"""How many words at the next line's start may end it (its colon among them)."""


def _head_reach(nxt: TextLine) -> int:
    """:data:`WRAP_HEAD`, plus the words of a bracketed gloss that opens within it ("hoặc Số" /
    "định danh cá nhân (personal indentification No.): 0220…", 06_cap_GPLX_quoc_te): the gloss
    explains the label, its colon comes after it."""
    texts = [word.text for word in nxt.words]
    opening = next((k for k, text in enumerate(texts[:WRAP_HEAD]) if text.startswith("(")), None)
    if opening is None:
        return WRAP_HEAD
    closing = next((k for k in range(opening, min(len(texts), opening + WRAP_HEAD)) if ")" in texts[k]), None)
    return WRAP_HEAD if closing is None else max(WRAP_HEAD, closing + 1)


LONG_LABEL = 10
"""Words from which a label is long enough to be read by its letters alone, across a line break and
without its colon: "Người xin giao đất/cho thuê đất/cho phép chuyển mục đích sử dụng đất ……"
(30_don_xin_giao_dat) prints no colon, wraps anywhere in its words and OCR glues them ("đấtcho")."""


def _folded_letters(text: str) -> str:
    """``text``'s letters alone, folded: a long label is compared letter for letter, whatever OCR
    made of its spaces and marks."""
    return "".join(ch for ch in fold(text) if ch.isalpha())


def close_long_labels(lines: list[TextLine], keys: tuple[str, ...]) -> list[TextLine]:
    """``lines`` with each long label (:data:`LONG_LABEL` words or more) of ``keys`` that opens a line
    closed by a colon, and its value brought onto its line: the words after it, or (the label
    ending its line) the next line, or (the label wrapped) the label moved onto the next line.
    Read by its letters, the label needs no colon: so many words are no chance reading."""
    long_labels = [(key, _folded_letters(label)) for key in keys for label in LABELS.get(key, ())
                   if len(label.split()) >= LONG_LABEL]
    if not long_labels:
        return lines
    out = list(lines)
    i = 0
    while i < len(out):
        line = out[i]
        nxt = out[i + 1] if i + 1 < len(out) and out[i + 1].page_no == line.page_no else None
        words = line.words + (nxt.words if nxt is not None else [])
        start = 1 if line.words and ITEM_NUMBER.match(fold(line.words[0].text)) else 0
        end = None
        for key, target in long_labels:
            read = ""
            for j in range(start, len(words)):
                read += _folded_letters(words[j].text)
                if not target.startswith(read[: len(target) - 3]) or len(read) > len(target) + 2:
                    break
                if len(read) >= len(target) - 2 and fuzz.ratio(read, target) >= 92:
                    end = j
                    break
            if end is not None:
                break
        if end is None or words[end].text.rstrip().endswith(":") or (end + 1 < len(words) and words[end + 1].text.startswith(":")):
            i += 1
            continue
        closed = words[end].model_copy(update={"text": words[end].text + ":"})
        n = len(line.words)
        if end < n - 1 and any(letters_or_digits(w.text) for w in line.words[end + 1 :]):
            out[i] = TextLine(line.words[:end] + [closed] + line.words[end + 1 :], line.page_no, line.page_width, line.page_height)
        elif end < n:
            # the label ends its line: its value is the next line, unless that line is an item of its own
            if nxt is not None and not any(h.start <= 1 for h in find_label_hits(nxt, keys)):
                out[i] = TextLine(line.words[:end] + [closed] + nxt.words, line.page_no, line.page_width, line.page_height)
                del out[i + 1]
            else:
                out[i] = TextLine(line.words[:end] + [closed] + line.words[end + 1 :], line.page_no, line.page_width, line.page_height)
        else:
            # wrapped: the label moves onto the line its last words and its value are on
            k = end - n
            out[i] = TextLine(line.words[:start], line.page_no, line.page_width, line.page_height)
            out[i + 1] = TextLine(line.words[start:] + nxt.words[:k] + [closed] + nxt.words[k + 1 :], nxt.page_no,
                                  nxt.page_width, nxt.page_height)
        i += 1
    return [line for line in out if line.words]


def join_wrapped_labels(lines: list[TextLine], keys: tuple[str, ...], doc_type: str | None = None) -> list[TextLine]:
    """``lines`` with a label printed across two lines moved whole onto the second ("5. Số điện
    thoại liên" / "hệ: 0912 345 678" -> "… hệ: 0912 345 678" on one line; "hệ:....0912…": the
    colon and the blank's leader).

    A wrapped label is one whose words run from the end of a line into the next one, up to a colon
    or a dot leader at the start of that next line; only then can its value be read after it."""
    out = list(lines)
    for i in range(len(out) - 1):
        line, nxt = out[i], out[i + 1]
        if nxt.page_no not in (line.page_no, line.page_no + 1) or not line.words:
            continue  # a page's last line and the next page's first are consecutive: "Điện thoại di" / "động: 0373…"
        reach = _head_reach(nxt)
        head = word_keys(TextLine(nxt.words[:reach], nxt.page_no, nxt.page_width, nxt.page_height))
        if not any(":" in t or LEADER.search(t) for t in head):
            continue
        body = _without_trailing_leaders(line.words)  # "2. Ngày tháng năm..." / "sinh:....08/10/1969"
        tail = body[-WRAP_TAIL:]
        joined = TextLine(tail + nxt.words, line.page_no, line.page_width, line.page_height)
        # the label starts on the first line, its colon (right after it, or after a printed
        # instruction in brackets) and its value on the second
        # read exactly: a fuzzy match across a line break is too easily a chance ("… Hà Nội" /
        # "Số điện thoại:" reads like "Nơi ở hiện tại")
        spanning = [h for h in find_label_hits(joined, keys, doc_type)
                    if h.start < len(tail) and h.score >= 100
                    and (len(tail) < h.value_start <= len(tail) + reach
                         # "[02]. Giới" / "tính:.Nữ……" (49_TK1-TS): the value glued to the colon that
                         # opens the next line
                         or h.value_start == h.end - 1 == len(tail))
                    and (h.value_start in (h.end, h.end - 1) or joined.words[h.end].text.startswith("(")
                         or all(LEADER.match(w.text) for w in joined.words[h.end : h.value_start])
                         # "5. Giấy Chứng minh nhân dân/Thẻ căn cước/Hộ chiếu" / "số:…… 0681…"
                         # (35_giay_de_nghi_kham_giam_dinh): the label's other wordings fill its
                         # first line, its last word and colon open the next
                         or h.value_start == len(tail) + 1
                         # "5. Số chứng minh thư hoặc thẻ căn cước" / "công dân: 0753…" (16_DDN_huong_
                         # che_do_benh_nghe_nghiep): the other wording wraps, its colon is the label's
                         or offers_alternative(word_keys(joined), h.end)
                         # "15. Điện thoại cố định: …… Điện thoại" / "di động:...0393…" (13_DDN_gia_han_
                         # time_hoc_nuoc_ngoai): the label's words end the line, its qualifier and
                         # colon open the next
                         or h.end == len(tail))]
        if not spanning or any(own.start < spanning[0].value_start - len(tail)
                               for own in find_label_hits(nxt, keys, doc_type)):
            continue  # the next line's own label owns that colon
        cut = len(body) - len(tail) + spanning[0].start
        moved = body[cut:]
        out[i] = TextLine(body[:cut], line.page_no, line.page_width, line.page_height)
        out[i + 1] = TextLine(moved + nxt.words, nxt.page_no, nxt.page_width, nxt.page_height)
    return [line for line in out if line.words]


def _without_trailing_leaders(words: list[Word]) -> list[Word]:
    """``words`` without the dot leaders that end them: a label's first line filled out with dots
    before it wraps says nothing of where the label goes on."""
    end = len(words)
    while end > 1 and _INNER_LEADER.fullmatch(words[end - 1].text):
        end -= 1
    return words[:end]


INSTRUCTION_LINES = 4
"""How many lines a printed instruction in brackets after a label may run over, its colon closing it
(47_thay_doi_thong_tin_nguoi_huong's 30 words of "(ghi đầy đủ theo thứ tự số nhà, ngõ, …)" take four
on an A5 page)."""


def _open_brackets(tokens: list[str]) -> int:
    return sum(bracket_depth_change(t) for t in tokens)


_STREET_ITEM = re.compile(r"(?:^|[\].)]\s*)so nha,? duong(?:/| )pho\b[^:]{0,25}:")
"""A residence asked in pieces, its first the house and street ("[12]. Số nhà, đường/phố, thôn/xóm:",
49_TK1-TS, the social insurance declarations): the commune, district and province are items of
their own after it ("[13]. Xã: … [14] Huyện: … [15]. Tỉnh: …"). An item of its own, not an
instruction inside another ("Nơi cư trú (ghi rõ: số nhà, đường phố, tổ/xã/phường):", form 20)."""
_UNIT_ITEM = re.compile(r"^(?:\S{0,4}\[?\d{1,2}(?:\.\d{1,2})?\][.:]?\s*)?(?:xa|phuong|thi tran|huyen|quan|thi xa|tinh|thanh pho)"
                        r"(?:\s*/\s*(?:xa|phuong|thi tran|huyen|quan|thi xa|tinh|thanh pho|tp))*\s*:")
_ITEM_TOKEN = re.compile(r"^\S{0,4}\[?\d{1,2}(?:\.\d{1,2})?\][.:]?$|^\d{1,2}[.)]$")
UNIT_ITEM_LINES = 2
"""How many lines the unit items after a house-and-street item may take (the province may wrap)."""


def join_unit_items(lines: list[TextLine]) -> list[TextLine]:
    """``lines`` with a residence asked in pieces (:data:`_STREET_ITEM`) made one line: the house and
    street (on the item's line or alone on the next), then each unit item's value, comma-separated,
    their labels and item numbers dropped; the label is the house-and-street item's. Unchanged when
    no unit item follows."""
    out: list[TextLine] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not _STREET_ITEM.search(line.key):
            out.append(line)
            i += 1
            continue
        words, j = list(line.words), i + 1
        colon = max((k for k, w in enumerate(words) if ":" in w.text), default=None)
        # the house and street written below the item, or wrapped there ("Số 7, đường Nguyễn" / "Trãi")
        while (j < len(lines) and j - i <= 2 and lines[j].page_no == line.page_no
               and not any(":" in w.text for w in lines[j].words)):
            words, j = words + list(lines[j].words), j + 1
        pieces: list[list[Word]] = []
        while j < len(lines) and lines[j].page_no == line.page_no and j - i <= UNIT_ITEM_LINES + 2:
            lead, found = _unit_item_values(lines[j])
            if not pieces and len(lead) == 1 and _reads_item_mark(lead[0].text):
                lead = []  # the first unit item's number, its brackets lost or read as 1s or Is ("13 Xã:")
            if not found or (lead and not pieces):
                break
            if lead:  # a unit's name wrapped: "[14] Huyện: Huyện Đầm" / "Dơi [15]. Tỉnh: …"
                pieces[-1] = pieces[-1] + lead
            pieces += found
            j += 1
        if not pieces:
            out.append(line)
            i += 1
            continue
        value = strip_separators(_until_leader(after_colon(words[colon:]) if colon is not None else words))
        # a leader printed as spaced dots (". . . .") is no word of the value
        value = [w for w in value if letters_or_digits(w.text)]
        pieces = [[w for w in piece if letters_or_digits(w.text)] for piece in pieces]
        pieces = [[piece[0].model_copy(update={"text": piece[0].text.lstrip(".…_·:;, ")})] + piece[1:]
                  for piece in pieces if piece]  # ". . . .Thị trấn": the leader's last dot glued on
        if not value or not pieces:
            out.append(line)
            i += 1
            continue
        for piece in pieces:
            value[-1] = value[-1].model_copy(update={"text": value[-1].text.rstrip(",.;…_· ") + ","})
            value += piece
        label = list(line.words[: colon + 1]) if colon is not None else []
        if label:
            label[-1] = label[-1].model_copy(update={"text": label[-1].text.partition(":")[0] + ":"})
        out.append(TextLine(label + value, line.page_no, line.page_width, line.page_height))
        i = j
    return out


_UNITS = r"(?:phuong|xa|thi tran|quan|huyen|thi xa|tinh|thanh pho|tp)"
_ADDRESS_PART = re.compile(
    r"^(?:(?P<house>so nha)|(?P<street>duong\s*(?:\(\s*pho\s*\)|/\s*pho))"
    rf"|(?P<unit>{_UNITS}(?:\s*(?:\(\s*{_UNITS}\s*\)|/\s*{_UNITS}))+))\s*:?(?=\s|$)")
"""A part of an address a form asks on one line, printed with its alternatives: "số nhà:", "đường
(phố)", "phường (xã):", "quận (huyện)", "tỉnh/thành phố" (37_giay_phep_xay_dung's "Địa chỉ: số nhà:
…… đường (phố) …… phường (xã): …… quận (huyện) …… tỉnh/thành phố ……")."""
_PART_WORDS = {"house": "Số", "street": "đường", "unit": None}


def unlabel_address_parts(lines: list[TextLine]) -> list[TextLine]:
    """``lines`` with each address asked in parts made the address (:func:`address_parts_unlabelled`),
    its parts wrapped onto the next line taken with it ("… phường (xã): Xã Hưng Thành" / "quận
    (huyện) Huyện Vĩnh Lợi tỉnh/thành phố Tỉnh Bạc Liêu"; "… phường (xã): Xã" / "Cẩm Ngọc quận
    (huyện) …": a unit's name wrapped before them)."""
    starts = [_address_part_starts(line) for line in lines]  # each line's part labels, found once
    out: list[TextLine] = []
    i = 0
    while i < len(lines):
        line, here, joined = lines[i], starts[i], 0
        while (i + 1 < len(lines) and lines[i + 1].page_no == line.page_no and _from_house_or_street(here)
               and joined < PART_LINES - 1 and _parts_go_on(line, here, lines[i + 1], starts[i + 1])):
            nxt = lines[i + 1]
            line, i, joined = TextLine(line.words + nxt.words, line.page_no, line.page_width, line.page_height), i + 1, joined + 1
            here = _address_part_starts(line)
        out.append(_unlabelled(line, here))
        i += 1
    return out


PART_LINES = 3
"""The most lines an address asked in parts runs over ("… phường (xã):" / "Phường Tân Thuận Đông quận
(huyện) Quận 7 tỉnh/thành phố" / "Thành phố Hồ Chí Minh", 37_giay_phep_xay_dung)."""
_PART_LABEL_HEADS = ("tinh/thanh", "tinh", "thanh", "quan", "phuong", "duong", "so")


def _parts_go_on(line: TextLine, here: list[tuple[int, int, str]], nxt: TextLine,
                 nxt_starts: list[tuple[int, int, str]]) -> bool:
    """Does the address asked in parts on ``line`` go on onto ``nxt``: a part label opens it (after a
    unit's name wrapped before it), or ``line`` ends on a part's label (its value below: "tỉnh/thành
    phố" / "Thành phố Hồ Chí Minh") or on a label's first word ("tỉnh/thành" / "phố Tỉnh Cà Mau")?"""
    if nxt_starts and nxt_starts[0][0] <= WRAP_NAME_WORDS:
        return True
    label_ends_line = here[-1][0] + here[-1][1] == len(line.words)
    head_ends_line = fold(line.words[-1].text).rstrip(":") in _PART_LABEL_HEADS
    return (label_ends_line or head_ends_line) and ":" not in nxt.text and len(nxt.words) <= WRAP_NAME_WORDS + 2


def _from_house_or_street(starts: list[tuple[int, int, str]]) -> bool:
    return any(kind in ("house", "street") for _, _, kind in starts)


def address_parts_unlabelled(line: TextLine) -> TextLine:
    """``line`` with the printed labels of an address asked in parts (:data:`_ADDRESS_PART`: the house
    or the street, and two of street and units at least) turned into the address they frame: "Số
    263, đường Võ Thị Sáu, Xã Phúc Trạch, Huyện Bố Trạch, Tỉnh Quảng Bình". Parts left blank are left
    out."""
    return _unlabelled(line, _address_part_starts(line))


def _unlabelled(line: TextLine, starts: list[tuple[int, int, str]]) -> TextLine:
    # from the house or street down: unit items alone ("[07] Quận/huyện: … [08] Tỉnh/thành phố: …",
    # 59_to_khai_thue_thu_nhap_ca_nhan) are items of their own (join_unit_items)
    if not _from_house_or_street(starts) or sum(kind != "house" for _, _, kind in starts) < 2:
        return line
    words, parts = list(line.words[: starts[0][0]]), 0
    for n, (k, width, kind) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(line.words)
        value = strip_separators([w for w in line.words[k + width : end] if letters_or_digits(w.text)])
        if not value:
            continue
        if parts:
            words[-1] = words[-1].model_copy(update={"text": words[-1].text.rstrip(",.;…_· ") + ","})
        parts += 1
        lead = _PART_WORDS[kind]
        if lead:
            label = line.words[k : k + width]
            words.append(label[0].model_copy(update={"text": lead, "bbox": union_bbox(label)}))
        words += value
    return TextLine(words, line.page_no, line.page_width, line.page_height) if words else line


def _address_part_starts(line: TextLine) -> list[tuple[int, int, str]]:
    """(word index, words of the label, kind) of each part label of :data:`_ADDRESS_PART` on ``line``."""
    tokens = [fold(w.text) for w in line.words]
    starts, k = [], 0
    while k < len(tokens):
        window = " ".join(tokens[k : k + 4])
        match = _ADDRESS_PART.match(window)
        if match is None:
            k += 1
            continue
        width, _ = _words_matched(tokens, k, match.end())
        starts.append((k, width, match.lastgroup))
        k += width
    return starts


def _words_matched(tokens: list[str], k: int, length: int) -> tuple[int, bool]:
    """How many of the words from ``tokens[k]`` a match of ``length`` characters over their joined
    window reaches into (at most the window's four), and whether it ends inside the last of them
    (a label glued to its value: "Xã:Đại")."""
    covered, width = "", 0
    while width < 4 and k + width < len(tokens) and len(covered) < length:
        covered = (covered + " " + tokens[k + width]).strip()
        width += 1
    return width, length < len(covered)


def _unit_item_values(line: TextLine) -> tuple[list[Word], list[list[Word]]]:
    """The values of a line of unit items ("[13]. Xã: Xã Đại Dực [14] Huyện: Huyện Tiên Yên [15].
    Tỉnh: Tiền"), in order, after the words before the first item (the end of a unit's name that
    wrapped); no values when the line holds no unit item."""
    tokens = [fold(w.text) for w in line.words]
    starts = []
    for k in range(len(tokens)):
        window = " ".join(tokens[k : k + 4])
        match = _UNIT_ITEM.match(window)
        if match and (k == 0 or not _UNIT_ITEM.match(" ".join(tokens[k - 1 : k + 3]))):
            starts.append((k, *_words_matched(tokens, k, match.end())))
    if not starts:
        return [], []
    lead = [w for w in line.words[: starts[0][0]] if not _ITEM_TOKEN.match(fold(w.text))]
    if len(lead) > WRAP_NAME_WORDS:
        return [], []
    values = []
    for n, (k, width, glued) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(tokens)
        words = list(line.words[k + width - 1 : end]) if glued else list(line.words[k + width : end])
        if n + 1 < len(starts):
            words = _without_next_item_mark(words, _unit_item_number(line, k))
        if glued:
            words[0] = words[0].model_copy(update={"text": words[0].text.partition(":")[2]})
        words = [w for w in words if not _ITEM_TOKEN.match(fold(w.text))]
        words = strip_separators(_until_leader(words))
        if words:
            values.append(words)
    return strip_separators(_until_leader(lead)), values


def _unit_item_number(line: TextLine, k: int) -> int | None:
    """The number of the unit item found at word ``k``: that word's ("13]." the item matched from) or
    the one before its label ("14 Huyện:", the brackets lost)."""
    number = _mark_number(line.words[k].text)
    return number if number is not None or k == 0 else _mark_number(line.words[k - 1].text)


def _without_next_item_mark(words: list[Word], item: int | None) -> list[Word]:
    """``words`` (a value before the next item's label) without their last word when it is the next
    item's number, read without its brackets or with them read as a 1 ("Xã Yên Lâm 114" before
    "Huyện:", "[14]" read so)."""
    if item is not None and words and _reads_item_mark(words[-1].text, item + 1):
        return words[:-1]
    return words


def join_bracketed_labels(lines: list[TextLine], keys: tuple[str, ...], doc_type: str | None = None) -> list[TextLine]:
    """``lines`` with a label whose printed instruction in brackets runs over the next lines moved
    onto one line, up to the colon closing the bracket ("Địa chỉ cư trú (ghi đầy đủ theo thứ tự số
    nhà, ngõ, …" / "tổ/thôn/xóm/ấp, xã/phường/thị trấn, …" / "tỉnh/thành phố):", 47_thay_doi_thong_tin_
    nguoi_huong): the value is on the line after that colon or follows it. Joined only when the
    joined line reads as a label whose colon is that bracket's."""
    out: list[TextLine] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        joined = _join_instruction(lines, i, keys, doc_type)
        if joined is None:
            out.append(line)
            i += 1
            continue
        merged, used = joined
        out.append(merged)
        i += used
    return out


def _join_instruction(lines: list[TextLine], index: int, keys: tuple[str, ...],
                      doc_type: str | None) -> tuple[TextLine, int] | None:
    """The line ``index`` joined with the lines its bracket runs over, and how many lines that is;
    None when its bracket does not run over lines, or the joined line holds no label closed by it."""
    line = lines[index]
    tokens = [w.text for w in line.words]
    if "(" not in line.text or _open_brackets(tokens) <= 0:
        return None
    words = list(line.words)
    for j in range(index + 1, min(len(lines), index + INSTRUCTION_LINES)):
        if lines[j].page_no != line.page_no:
            return None
        words += lines[j].words
        if _open_brackets([w.text for w in words]) > 0:
            continue
        merged = TextLine(words, line.page_no, line.page_width, line.page_height)
        closing = len(words) - len(lines[j].words) + next(
            (k + 1 for k, w in enumerate(lines[j].words) if ")" in w.text), 0)
        hits = find_label_hits(merged, keys, doc_type)
        if any(h.start < len(line.words) and h.value_start == closing for h in hits):
            return merged, j - index + 1
        return None
    return _join_instruction_close_lost(lines, index, keys, doc_type)


def _join_instruction_close_lost(lines: list[TextLine], index: int, keys: tuple[str, ...],
                                 doc_type: str | None) -> tuple[TextLine, int] | None:
    """The line ``index`` joined with the lines its bracket runs over when OCR lost the bracket's
    close: the bracket never closes, a line of it ends in the label's colon and the value is below
    ("… xã/thành phố, tỉnh/thành phối:" / "Xóm 3, Xã Yên Cư, …", the ")" of "phố):" read as an "i",
    47_thay_doi_thong_tin_nguoi_huong). None unless a label of the first line takes its value there."""
    line = lines[index]
    words = list(line.words)
    for j in range(index + 1, min(len(lines), index + INSTRUCTION_LINES)):
        if lines[j].page_no != line.page_no or not lines[j].words:
            return None
        words += lines[j].words
        if not words[-1].text.endswith(":"):
            continue
        merged = TextLine(words, line.page_no, line.page_width, line.page_height)
        if any(h.start < len(line.words) and h.value_start == len(words) for h in find_label_hits(merged, keys, doc_type)):
            return merged, j - index + 1
        return None
    return None


_UNIT_AFTER_COMMA = re.compile(r",\s*(tinh|huyen|thi xa|thanh pho|quan|xa|phuong|thi tran)\b")


_RECIPIENTS = re.compile(r"^noi nhan\b")
_RECIPIENT = re.compile(r"^(?:[-+•*~–—]|luu\b)")  # "~ Chủ đầu tư;": a dash read as a tilde


def without_recipients(lines: list[TextLine]) -> list[TextLine]:
    """``lines`` without an issued document's list of recipients: after "Nơi nhận:" in its page's left
    column, the lines opening with a dash or "Lưu" ("- Chủ đầu tư;" / "- Lưu: VT, QLXD.",
    37_giay_phep_xay_dung) name who gets a copy, never a field's label or value. The signer's column
    beside them is kept, also where OCR read the two columns as one line ("~ Chủ đầu tư; PHÓ CHỦ
    TỊCH": its right half)."""
    out, listing = [], None  # the page whose recipients are being listed
    for line in lines:
        if line.page_no != listing:
            listing = None
        middle = line.page_width / 2
        opens = line.bbox[0] < middle and bool(_RECIPIENTS.match(line.key))
        if opens:
            listing = line.page_no
        elif not (line.bbox[0] < middle and listing is not None and _RECIPIENT.match(line.key)):
            out.append(line)
            continue
        beside = [w for w in line.words if w.bbox[0] >= middle]
        if beside:
            out.append(TextLine(beside, line.page_no, line.page_width, line.page_height))
    return out


def _speck(line: TextLine) -> bool:
    """A line of one mark or letter read below :data:`NOISE_CONF` ("Ẻ" at 0.00 between "13. Nơi
    thường trú:" and the address below it): a speck of the scan, no value (none is one letter)."""
    return len(line.words) == 1 and len(line.text.strip(" .,:;'`-_")) <= 1 and line.conf < NOISE_CONF


def _address_rest(line: TextLine) -> bool:
    """Does ``line`` read as the units of an address ("Hai Bà Trưng, Thị trấn Phú Thiện, Huyện Phú
    Thiện, Tỉnh Gia Lai"): two unit types or more after commas?"""
    return len(_UNIT_AFTER_COMMA.findall(line.key)) >= 2


_PROVINCE_OPENS = re.compile(r"^(?:tinh|thanh pho)\s+\w")
_DISTRICT_IN = re.compile(r"\b(?:huyen|quan|thi xa)\s+\w")


def _province_wanted(value_text: str, nxt: TextLine) -> bool:
    """Does ``value_text`` name a district and no province, and ``nxt`` open with a province ("…, Huyện
    Lạng Giang." / "Tỉnh Bắc Giang", 52_TK_dang_ky_CMC: the comma a hand wrote read as a stop)? The
    province is the address's end, on the next line whatever mark OCR read before it."""
    value = fold(value_text)
    return (len(nxt.words) <= 6 and bool(_PROVINCE_OPENS.match(nxt.key)) and bool(_DISTRICT_IN.search(value))
            and not re.search(r"\btinh\s", value))


def _place_pieces(line: TextLine) -> bool:
    """Does ``line`` read as a place's pieces listed between commas, one of them a unit ("bản đồ số 57,
    Lô D14, Khu đô thị mới Thành Đạt, Phường 2, Thị", 37_giay_phep_xay_dung: a construction site's
    parcel, block and ward, the town's name wrapped again)? Prose runs on in clauses, not four pieces."""
    return len(_UNIT_AFTER_COMMA.findall(line.key)) >= 1 and line.key.count(",") >= 3


def _blank_inside(tokens: list[str]) -> bool:
    """Is there a blank (dot leader) between two words of ``tokens``? A value's wrapped end is
    followed by its leader ("Giang……"), not by more words after one."""
    content = [i for i, t in enumerate(tokens) if letters_or_digits(t)]
    return bool(content) and any(_INNER_LEADER.fullmatch(t) for t in tokens[content[0] + 1 : content[-1]])


BELOW_HEAD = 6
"""How many words before the next line's first label may be the value of a label ending the line above."""


_MISREAD_ITEM = re.compile(r"^\d{1,2}[:;,]$")


_BRACKETED_ITEM = re.compile(rf"[\[({{]\d{{1,2}}(?:\.\d{{1,2}})?\]|^{BRACKETED_NUMBER}[.:]?$")
"""An item number in brackets ("[02].", "[09.2].", its opening bracket lost or misread: "13].", "(02].")."""


def _until_bracketed_item(words: list[Word]) -> list[Word]:
    """The value's words up to a bracketed item number (:data:`_BRACKETED_ITEM`), wherever it stands:
    the next item's label, wrapped or misread, follows it ("VŨ BẢO UYÊN: [02]. Giới" / "tính: Nữ",
    49_TK1-TS); glued to a word ("Gia Phúc[09.2]."), the word is cut there."""
    for i, word in enumerate(words):
        match = _BRACKETED_ITEM.search(word.text)
        if match:
            head = word.text[: match.start()].rstrip(":;,. ")
            return words[:i] + ([word.model_copy(update={"text": head})] if head else [])
    return words


def _before_item_number(line: TextLine, start: int, stop: int, item: int | None = None) -> int:
    """``stop`` moved before the next label's item number ("Huỳnh Hữu Nam 2. Ngày, tháng, năm sinh:";
    its dot read as a colon or comma: "Vũ Hồng My 3: Ngày tháng năm sinh:", 12_DDN_cap_doi_GPLX; the
    number after ``item``, the value's own, however its brackets were read: "[13]. Xã: Xã Yên Lâm 114
    Huyện:", "[09] Điện thoại: 0978 841 070 110 Fax:", 49_TK1-TS and 59_to_khai_thue_thu_nhap_ca_nhan)."""
    if stop - 1 >= start and stop < len(line.words):
        before = line.words[stop - 1].text
        if (ITEM_NUMBER.match(fold(before)) or _MISREAD_ITEM.match(before)
                or (item is not None and _reads_item_mark(before, item + 1))):
            return stop - 1
    return stop


_STOPS = ".:;,"


def _item_number(line: TextLine, label_start: int) -> int | None:
    """The number of the item whose label opens at word ``label_start`` ("13]." or "[09]" before it),
    None when no whole number stands there."""
    return _mark_number(line.words[label_start - 1].text) if label_start > 0 else None


def _mark_number(text: str) -> int | None:
    """The number an item's mark gives ("13].", "[09]", "14", "13I." its bracket read as an I), None
    when it is no whole number of an item."""
    core = _without_brackets(text).strip("Il")
    return int(core) if core.isdigit() and len(core) <= 2 else None


def _reads_item_mark(text: str, number: int | None = None) -> bool:
    """Is ``text`` an item's number (item ``number``'s, if given), its brackets kept, lost or read as
    a 1 or an I ("14", "114", "141", "I15I.", "{15]1.")? Asked of the number the items run to next, a
    value's own digits seldom are it."""
    digits = rf"0?{number}" if number is not None else r"\d{1,2}"
    return re.fullmatch(rf"[1Il]?{digits}[1Il]?", _without_brackets(text)) is not None


def _without_brackets(text: str) -> str:
    """An item mark's text without its stop and its brackets, wherever OCR set them."""
    return re.sub(r"[][(){}|]", "", text.rstrip(_STOPS))


def _head_before_label(line: TextLine, hits: list[LabelHit]) -> list[Word]:
    """The words of ``line`` before its first label (all of them without one; none when they are
    more than :data:`BELOW_HEAD`: a sentence, not a value). Before a label, :func:`extract_labelled`
    takes only a date or a number from there: their shape tells a value from the tail of something else."""
    if not hits:
        return list(line.words)
    head = list(line.words[: _before_item_number(line, 0, hits[0].start)])
    return head if len(head) <= BELOW_HEAD else []


def _rest_of_row(lines: list[TextLine], hits_per_line: list[list[LabelHit]], index: int) -> list[Word]:
    """The words of the lines after ``lines[index]`` that stand on its row, to its right (the layout
    cut the printed line at a wide gap), up to the first label among them."""
    line, rest = lines[index], []
    _, top, right, bottom = line.bbox
    for j in range(index + 1, len(lines)):
        other = lines[j]
        x0, y0, _, y1 = other.bbox
        middle = (y0 + y1) / 2
        if other.page_no != line.page_no or not top <= middle <= bottom or x0 < right:
            break
        if hits_per_line[j]:
            return rest + list(other.words[: hits_per_line[j][0].start])
        rest += other.words
        right = other.bbox[2]
    return rest


def _join_continuations(lines: list[TextLine], hits_per_line: list[list[LabelHit]], index: int, words: list[Word],
                        margin: float, whole: Callable[[str], bool] | None = None) -> tuple[TextLine, int]:
    """Add to ``words`` (the value ending line ``index``) the lines that carry it on; returns the
    last line of the value and how many lines were joined. A next line that holds another label
    carries the value on only up to that label ("Lai ……… Giấy tờ tùy thân: …": the province's
    last word before the next item), and the value ends there. ``whole``: says a value is
    complete as it is (an address that ends with its province): nothing is joined to it."""
    value_line, joined = lines[index], 0
    following = index
    while following + 1 < len(lines):
        following += 1
        if whole is not None and words and whole(" ".join(w.text for w in words)):
            break
        nxt, nxt_hits = lines[following], hits_per_line[following]
        if nxt_hits:
            if nxt_hits[0].start == 0:
                break
            nxt = TextLine(nxt.words[: nxt_hits[0].start], nxt.page_no, nxt.page_width, nxt.page_height)
        part = strip_separators(_until_leader(list(nxt.words)))
        row_rest = [] if nxt_hits else _rest_of_row(lines, hits_per_line, following)
        if not words or not part or not _continues(value_line, nxt, " ".join(w.text for w in words), margin, row_rest):
            break
        words += part
        value_line, joined = nxt, joined + 1
        if nxt_hits:
            break
        # "Kiều," | "Thành phố Cần Thơ": the layout cut the printed line at a gap; its pieces to the
        # right (whole lines, no label among them) carry the value on too
        while (row_rest and following + 1 < len(lines) and not hits_per_line[following + 1]
               and lines[following + 1].words and lines[following + 1].words[0] in row_rest):
            following += 1
            words += lines[following].words
            value_line, joined = lines[following], joined + 1
    return value_line, joined


def _person_key(words: list[str]) -> str:
    """A person's name as "surname given-name" (folded): enough to tell two people of a form apart."""
    return " ".join(fold(word.strip(",.;:…")) for word in words[:2])


_ADDRESSEE = re.compile(r"^(?:\S{1,4}[.)] ?)?kinh gui\b")
"""The addressee's line ("Kính gửi: Trường Cao đẳng …", "1. Kính gửi: …"): an office, whose name may
open like a person's ("Trường" reads as the surname Trương), names nobody."""


_RELATIONS_LISTED = re.compile(r"\b(?:cha|me|vo|chong|con|anh|chi|em)\s*,")
"""Relations listed one after another in an item's label ("13. Họ, chữ đệm và tên, năm sinh, quốc
tịch, nghề nghiệp, nơi làm việc, chỗ ở" / "hiện nay của cha, mẹ, vợ, chồng, con: Đặng Kim Tuyết, 1955,
Việt Nam, Hưu trí, …", 46_thay_doi_thong_tin_cu_tru_nuoc_ngoai): the item gives each relative's details
in its own words, so the person items after it are still the applicant's. (Roles offered as
alternatives, "Là cha/mẹ/người giám hộ của em: …", name one person: not a list.)"""


_OWN_OTHER_NAME = re.compile(r"\bten\b.*\b(?:trong|tren|theo) ho chieu\b|\bten goi khac\b")
"""An item asking the name of the person just described as another paper writes it ("2. Họ, chữ
đệm và tên trong hộ chiếu/giấy tờ do nước ngoài cấp: NGUYEN", 46_thay_doi_thong_tin_cu_tru_nuoc_ngoai;
"Tên gọi khác:"): the same person, not a second one, even when the two spellings differ past what
tells two people apart (a mark misread on one: "NÑguyễn Quang" / "NGUYEN QUANG")."""


_ANSWER_WORDS = frozenset({"khong", "co"})
"""An item answered "Không" or "Có" (no, yes; 00_bao_cao_tot_nghiep_du_hoc_sinh "Cơ quan quản lý trực
tiếp (nếu có): Không"): "Không" folds as the surname Khổng, the next line's first word as a name."""


def _name_in_unknown_item(line: TextLine, hits: list[LabelHit], next_line: TextLine | None) -> str | None:
    """The person named by an item of ``line`` that no label of ours reads ("Là cha/mẹ (hoặc người
    chăm sóc) của em: Lê Văn An", 15_DDN_ho_tro_hoc_tap), as :func:`_person_key`, or None. Once a
    form has named two people so, one of them by an item we do not know, the person fields below
    may be either's, and nothing we know tells which."""
    tokens = [word.text for word in line.words]
    colon = next((i for i, token in enumerate(tokens) if ":" in token), None)
    if colon is None or any(hit.start <= colon for hit in hits) or _ADDRESSEE.match(line.key):
        return None
    head, _, glued = tokens[colon].partition(":")
    if not letters_or_digits(head) and colon == 0:
        return None
    asked = " ".join(fold(t) for t in tokens[:colon] + [head])
    if len(_RELATIONS_LISTED.findall(asked)) >= 2:
        return None  # several relatives' details in one item: nobody whose own items follow
    if _OWN_OTHER_NAME.search(asked):
        return None  # the same person's name as another paper writes it: nobody new
    value = ([line.words[colon].model_copy(update={"text": glued})] if glued.strip() else []) + list(line.words[colon + 1 :])
    texts = [t for t in (word.text.strip(",.;…_·") for word in value) if t]
    if len(texts) == 1 and fold(texts[0]) in _ANSWER_WORDS:
        return None  # "Cơ quan quản lý trực tiếp (nếu có): Không": an answer, no name wrapping below
    if (len(texts) == 1 and next_line is not None and next_line.page_no == line.page_no
            and not any(":" in word.text for word in next_line.words)):
        texts += [word.text for word in next_line.words[:1]]  # the name wraps: "… của em: Ngô" / "Xuân Bình"
    if not opens_a_name(texts, after_leader=True):
        return None
    return _person_key(texts)


_AS_ABOVE = re.compile(r"^[\W_]*nhu tren\b")
"""A value that refers to the one above ("3. Địa chỉ liên hệ: Như trên", 30_don_xin_giao_dat): the
same value, not a second one (another person's)."""


def extract_labelled(lines: list[TextLine], keys: tuple[str, ...], doc_type: str | None = None,
                     place_whole: Callable[[str], bool] | None = None) -> dict[str, Candidate]:
    """Label-anchored values: the words after a label up to the next label, or the next line.

    ``place_whole``: says whether a place value is complete as read (it ends with a province the
    units table knows); then no line is joined to it.

    The value's continuation lines are joined (multi-line fields); a value that still ends at the
    right margin, or at the next label's column with no room, is flagged ``cut`` (never accepted
    alone); one found by a loosely matching label is flagged ``loose_label``."""
    lines = _prepared_lines(lines, keys, doc_type)
    hits_per_line = [find_label_hits(line, keys, doc_type) for line in lines]
    keep_bare_hits(lines, hits_per_line)
    page = _Page(lines, hits_per_line, _right_margin(lines), place_whole)
    found: dict[str, Candidate] = {}
    values: dict[str, set[str]] = {}  # every value read per field, folded: more than one is "several"
    whose = _Whose()
    for index, (line, hits) in enumerate(zip(lines, hits_per_line)):
        org_at, party_at = whose.enter_line(page, index)
        for n, hit in enumerate(hits):
            if not whose.judge_hit(hit, found, org_at, party_at):
                continue
            first = found.get(hit.key)
            keep_first = first is not None and first.value is not None and (not first.flags.get("loose_label") or hit.loose)
            reading = _read_value(page, index, n)
            candidate = reading.candidate
            if candidate is None:
                continue
            if candidate.raw and _AS_ABOVE.match(fold(candidate.raw)):
                continue  # "3. Địa chỉ liên hệ: Như trên": the value above again, no other one
            if hit.key == "full_name" and candidate.value:
                whose.named.add(_person_key(candidate.value.split()))
            if hit.other_person:
                if hit.key == "full_name":
                    whose.other_person_below = True  # another person's name opens that person's lines
                continue  # another person's value ("… của chủ hộ:"): not this field's
            if keep_first:  # the first value stays; another only says the field is not unique
                if candidate.value is not None:
                    values.setdefault(hit.key, set()).add(candidate.value.casefold())
                continue
            _take(candidate, hit, whose)
            _flag_cut_at_margin(candidate, page, index, n, reading)
            _flag_mark_read_as_letters(candidate)
            if candidate.value is not None:
                values.setdefault(hit.key, set()).add(candidate.value.casefold())
            if candidate.value is not None or hit.key not in found:
                found[hit.key] = candidate
        whose.leave_line(line, party_at)
    _flag_several(found, values)
    return found


def _prepared_lines(lines: list[TextLine], keys: tuple[str, ...], doc_type: str | None) -> list[TextLine]:
    """``lines`` as the label search reads them: specks dropped, glued words and leaders split, labels
    printed over two lines, in brackets or long enough to be read by their letters made whole, a
    residence asked in unit items joined."""
    lines = [line for line in without_recipients(lines) if not _speck(line)]
    lines = join_wrapped_labels([split_glued_words(split_at_leaders(line)) for line in lines], keys, doc_type)
    lines = join_bracketed_labels(lines, keys, doc_type)
    lines = close_long_labels(lines, keys)
    if "address" in keys:
        lines = join_unit_items(unlabel_address_parts(lines))
    return lines


@dataclass
class _Page:
    """A document's lines as :func:`extract_labelled` walks them, with their label hits and each
    page's right margin."""

    lines: list[TextLine]
    hits_per_line: list[list[LabelHit]]
    margins: dict[int, float]
    place_whole: Callable[[str], bool] | None


@dataclass
class _Whose:
    """Whose items the walk down a form is in: the first person's until a line turns to another
    person (:mod:`pipeline.persons`) or names a workplace or school; which people it has named."""

    other_person_below: bool = False
    person_described: bool = False  # one of the first person's own items was read
    named: set[str] = field(default_factory=set)  # the people named above, as "surname given"
    named_by_unknown_item: bool = False
    organisation_named: bool = False  # an item naming a workplace or school was read, no other item since
    org_after_last_item: bool = False

    def enter_line(self, page: _Page, index: int) -> tuple[int | None, int | None]:
        """Read what line ``index`` says of whose items follow before its hits are; returns where on
        it an organisation's item and another party's label begin (word indexes, or None)."""
        lines, line, hits = page.lines, page.lines[index], page.hits_per_line[index]
        # "Cơ quan công tác …: …" then "Địa chỉ:" (its name may wrap over lines): the
        # organisation's address, up to the next item the table knows
        org_at = organisation_item_at(line, lines[index - 1] if index else None)
        if self.org_after_last_item:  # the line above ended with it
            self.organisation_named = True
        self.org_after_last_item = org_at is not None and all(h.start < org_at for h in hits)
        unknown_name = _name_in_unknown_item(line, hits, lines[index + 1] if index + 1 < len(lines) else None)
        if unknown_name is not None and (org_at is not None or self.organisation_named):
            unknown_name = None  # a workplace's or school's name ("Trường Đại học …"), nobody's
        if unknown_name is not None:
            self.named.add(unknown_name)
            self.named_by_unknown_item = True
        if turns_to_another(line, lines[index - 1] if index else None, self.person_described):
            self.other_person_below = True
        return org_at, other_party_at(line)

    def judge_hit(self, hit: LabelHit, found: dict[str, Candidate], org_at: int | None, party_at: int | None) -> bool:
        """Set whether ``hit`` asks another person's (or an organisation's) value; False when it asks
        none of ours at all."""
        if party_at is not None and hit.start >= party_at:
            self.other_person_below = True  # the items after "Người bị kiện:" are that party's
        if hit.key == "full_name" and names_relative_of_role(hit):
            return False  # a parent named among the student's own items: neither their name nor their lines
        if hit.key == "full_name" and repeats_first_persons_label(hit, found):
            self.other_person_below = True  # the form's items again, for its next person
        if hit.other_person and of_first_persons_role(hit, found):
            hit.other_person = False  # "Điện thoại của chủ xe:" after "Tên chủ xe:": the owner's own
        if self.other_person_below and hit.key in OTHER_PERSON_KEYS:
            hit.other_person = True
        elif hit.other_person and not self.person_described and offers_roles(hit):
            hit.other_person = False  # the writer, in whichever role they fill the form
        if org_at is not None and hit.start > org_at:
            self.organisation_named = True
        if self.organisation_named and hit.key == "address" and hit.label == "dia chi":
            hit.other_person = True  # the workplace's or school's address, read as nobody's
        self.organisation_named = False
        return True

    def leave_line(self, line: TextLine, party_at: int | None) -> None:
        if (relates_to_other_person(line) or (self.person_described and says_whose(line))
                or party_at is not None):
            self.other_person_below = True  # (also when the first person's name began this line: two items on one line)


def _unsure_mark_opens(words: list[Word]) -> bool:
    """Does the value open with a mark read unsure, no letter or digit in it, words after it ("/" at
    0.47 before "Văn Dũng", 15_DDN_ho_tro_hoc_tap: the surname "Vũ" read as that mark)? The
    name's first word may be lost under it."""
    return len(words) > 1 and not letters_or_digits(words[0].text) and words[0].conf < LOW_WORD_CONF


@dataclass
class _Reading:
    """A hit's value as read, and where it ended: the line it ended on (its index) and how many
    lines were joined to it."""

    candidate: Candidate | None
    value_line: TextLine
    value_index: int
    joined: int


def _read_value(page: _Page, index: int, n: int) -> _Reading:
    """The value of hit ``n`` of line ``index``: its words up to the next item, or the next line's
    head when the label ends its line; continuation lines joined, a number or name that wraps
    followed, what may go on unread flagged ``cut``."""
    lines, hits_per_line, margins = page.lines, page.hits_per_line, page.margins
    line, hits = lines[index], hits_per_line[index]
    hit = hits[n]
    stop = _before_item_number(line, hit.value_start, hits[n + 1].start if n + 1 < len(hits) else len(line.words),
                               _item_number(line, hit.start))
    words = strip_separators(_until_leader(_until_bracketed_item(after_colon(list(line.words[hit.value_start : stop])))))
    value_line, value_index, score = line, index, hit.score
    label_word_before = n + 1 < len(hits) and doctypes.spec(hit.key).kind == "name" and _ends_with_label_word(words)
    head_mark = doctypes.spec(hit.key).kind == "name" and _unsure_mark_opens(words)
    over_page = not words and n + 1 == len(hits) and _number_opens_next_page(hit.key, lines, index)
    below = (not words and n + 1 == len(hits) and index + 1 < len(lines)
             and (lines[index + 1].page_no == line.page_no or over_page)
             and (not hits_per_line[index + 1] or doctypes.spec(hit.key).kind in ("date", "code"))
             and bool(_head_before_label(lines[index + 1], hits_per_line[index + 1])))
    if below:
        # label alone at its line's end: the value starts the next line (up to that line's
        # first label: "2. Ngày, tháng, năm sinh:" / "20-12-1985 3. Giới tính: Nam"), if it parses
        value_index, score = index + 1, hit.score * 0.9
        value_line = lines[value_index]
        words = strip_separators(_until_leader(_head_before_label(value_line, hits_per_line[value_index])))
    joined = 0
    if hit.key in MULTILINE_KEYS and n + 1 == len(hits):
        value_line, joined = _join_continuations(lines, hits_per_line, value_index, words, margins[line.page_no],
                                                 page.place_whole if hit.key in PLACE_KEYS else None)
    wrapped: list[Word] = []
    number_cut = name_goes_on = False
    if hit.key in WRAPPING_KEYS and n + 1 == len(hits) and words and value_index + 1 < len(lines):
        nxt = lines[value_index + 1]
        # a name wraps a whole word on ("Em là: Đoàn Thu" / "Diệu Lan Sinh ngày: …"): a word's width
        # of slack; a number is cut where the column ends
        slack = WORD_WRAP_SLACK if doctypes.spec(hit.key).kind == "name" else CUT_SLACK
        at_end = (nxt.page_no == value_line.page_no and _reaches_margin(value_line, words, margins[line.page_no], slack)
                  and not _opens_item(nxt, hits_per_line[value_index + 1])
                  and not (hit.key in NAME_KEYS and _opens_printed_label(nxt)))
        if at_end and not _whole_number(hit.key, words):
            wrapped = _wrapped_head(hit.key, nxt, hits_per_line[value_index + 1])
        elif at_end and _cut_number(hit.key, words, value_line, margins[line.page_no]):
            # a valid 9-digit CMND at the margin whose line below opens with digits ("635 cấp
            # ngày …"): the rest of a 12-digit CCCD, if the digits together make one
            wrapped = _wrapped_head(hit.key, nxt, hits_per_line[value_index + 1])
            if wrapped and not _valid_number(hit.key, _number(hit.key, words + wrapped)):
                wrapped = []
        # a whole number that could be longer, ending the line, which goes on below in no
        # digits we can read
        number_cut = at_end and not wrapped and _cut_number(hit.key, words, value_line, margins[line.page_no])
        # a name ending its line short of the margin, the line below opening with name words
        # before a blank ("Em là: Vũ Thành Công" / "Long …… Sinh ngày:"): the name may go on there
        name_goes_on = (not at_end and not wrapped and doctypes.spec(hit.key).kind == "name"
                        and nxt.page_no == value_line.page_no and value_line.words[-1] is words[-1]
                        and bool(_wrapped_head(hit.key, nxt, hits_per_line[value_index + 1]))
                        and bool(_INNER_LEADER.search(" ".join(w.text for w in nxt.words[:WRAP_NAME_WORDS + 1]))))
        if wrapped:
            words = words + wrapped
            value_line, joined = nxt, 1
    candidate = _candidate(hit.key, words, line if not below else value_line, score)
    if hit.key == "gender" and not below and _offers_both_genders(line.words[hit.value_start : stop]):
        candidate = None
    if candidate is not None and label_word_before:
        candidate.flags["label_word_before"] = 1.0
    if candidate is not None and head_mark:
        candidate.flags["head_mark"] = 1.0
    if candidate is not None and wrapped:
        # a CMND-long head and a lone group of the rest below may be one CCCD: the document's
        # birth date decides (:func:`pipeline.analyse.confirm_id_rest_below`)
        head = words[: len(words) - len(wrapped)]
        if _rest_of_cccd(hit.key, head, wrapped):
            candidate.flags["id_rest_below"] = 1.0
        elif not _completes_number(hit.key, head, wrapped):
            candidate.flags["wrapped"] = 1.0
    if candidate is not None and (number_cut or name_goes_on):
        candidate.flags["cut"] = 1.0
        candidate.note = candidate.note or CUT_NOTE
    if (hit.key in DATE_KEYS and candidate is not None and candidate.value is None and n + 1 == len(hits)
            and value_index + 1 < len(lines) and lines[value_index + 1].page_no == line.page_no):
        # "… 11 giờ 00 phút, ngày" / "28/10/2021": the date wrapped onto the next line; "2. Sinh
        # ngày 18 tháng 10" / "năm 1977 3. Giới tính: Nữ": its rest is the next line's words
        # before that line's first label
        rest = _head_before_label(lines[value_index + 1], hits_per_line[value_index + 1])
        longer = _candidate(hit.key, words + rest, line, score) if rest else None
        if longer is not None and longer.value is not None:
            candidate = longer
    if below and candidate is not None and candidate.value is None:
        candidate = None
    if below and over_page and candidate is not None:
        candidate.flags["over_page"] = 1.0
    return _Reading(candidate, value_line, value_index, joined)


def _number_opens_next_page(key: str, lines: list[TextLine], index: int) -> bool:
    """Does the page after line ``index`` (its page's last) open with a number of ``key``'s, an ID or
    phone the page break cut from its label ("5. … Điện thoại di động:" ending the page, "0837613319"
    opening the next, 00_bao_cao_tot_nghiep_du_hoc_sinh)?"""
    if doctypes.spec(key).export != "digits" or index + 1 >= len(lines):
        return False
    nxt = lines[index + 1]
    if nxt.page_no != lines[index].page_no + 1:
        return False
    words = strip_separators(list(nxt.words))
    return bool(words) and _valid_number(key, _number(key, _value_words(key, words)))


def _take(candidate: Candidate, hit: LabelHit, whose: _Whose) -> None:
    """``candidate`` as the field's value by ``hit``: its label's evidence, and the holds of whose
    value it is."""
    candidate.label = hit.label
    candidate.label_exact = hit.score >= 100 and not hit.loose
    if whose.named_by_unknown_item and len(whose.named) >= 2 and hit.key in OTHER_PERSON_KEYS:
        # two people named above, one by an item we cannot read: whose value this is, unknown
        candidate.flags["whose_unsure"] = 1.0
    whose.person_described = whose.person_described or (hit.key in PERSON_KEYS and candidate.value is not None)
    if hit.loose:
        candidate.flags["loose_label"] = 1.0


def _flag_cut_at_margin(candidate: Candidate, page: _Page, index: int, n: int, reading: _Reading) -> None:
    """Flag ``cut`` a name or text that ends at the right margin with the next line no item of its
    own, and a multi-line value read up to a comma: it may go on where it was not read; flag
    ``line_lost`` a value a line of which ends at the margin over a line the engine did not read."""
    lines, hits = page.lines, page.hits_per_line[index]
    hit, line = hits[n], lines[index]
    after = reading.value_index + reading.joined + 1
    margin = page.margins[line.page_no]
    if (doctypes.spec(hit.key).kind in ("name", "text") and n + 1 == len(hits)
            and _reaches_margin(reading.value_line, candidate.words, margin)
            and after < len(lines) and lines[after].page_no == line.page_no
            and not _opens_item(lines[after], page.hits_per_line[after])
            and not (hit.key in NAME_KEYS and _opens_printed_label(lines[after]))):
        candidate.flags["cut"] = 1.0
        candidate.note = candidate.note or CUT_NOTE
    if ((hit.key in MULTILINE_KEYS or doctypes.spec(hit.key).kind in ("name", "text"))
            and _line_lost_inside(candidate.words, margin, line.page_width)):
        # "8. [12]. Số nhà, đường/phố, thôn/xóm: Số 260, đường Hai Bà" / (its "Trưng ……" not read) /
        # "9. [13]. Xã: Xã Vũ Oai …" (49_TK1-TS): the street cut where a line went unread, wherever
        # the value ends (its province read or not)
        candidate.flags["line_lost"] = 1.0
    if (hit.key in MULTILINE_KEYS and candidate.words and candidate.words[-1].text.endswith(",")
            and not (hit.key in PLACE_KEYS and page.place_whole is not None and candidate.value
                     and page.place_whole(candidate.value))):
        # "…, Quận Ninh Kiều,": read up to a comma, the value goes on where it was not read
        # (a place that ends with its province is whole: the comma was a speck)
        candidate.flags["cut"] = 1.0
        candidate.note = candidate.note or CUT_NOTE


SURE_CONF = 0.9
"""A word read at this confidence or more is taken as read; under it, the engine had doubts."""
TALL_MARK = 1.75
"""A word of a name this many times as tall as its words read sure is no letters of its line. A word's
box is as tall as its marks and strokes reach: a hand's "Ngô Thị" beside "Lan" stands 1.53 times as
tall, "Lương Xuân" beside "Sơn" 1.64 times; a seal's mark read "Tiến" beside "Hoàng", 1.84."""


def _flag_mark_read_as_letters(candidate: Candidate) -> None:
    """Flag a name one of whose words, read unsure, is far taller than its words read sure
    (:data:`TALL_MARK`): a seal's or a stroke's mark the engine read as a word of the name ("Hoàng
    Tiến[0.78]" 94 px tall beside "Hoàng" 51 px, over "Thành Bình" under a seal, p6-bang-honest36
    vb-0046). The name may hold none of its real words there. (Its own words, not its line's: a
    hand's name stands taller than the printed label before it.)"""
    if candidate.key not in NAME_KEYS or candidate.value is None:
        return
    sure = [w.bbox[3] - w.bbox[1] for w in candidate.words if w.conf >= SURE_CONF and any(ch.isalpha() for ch in w.text)]
    if not sure:
        return
    height = statistics.median(sure)
    if any(w.conf < SURE_CONF and w.bbox[3] - w.bbox[1] > TALL_MARK * height for w in candidate.words):
        candidate.flags["tall_mark"] = 1.0


LOST_LINE_GAP = 1.2
"""Blank space between two lines of a value of this many times a line's height: a whole line of text
fits there, and the engine read none."""


def _line_lost_inside(words: list[Word], margin: float, page_width: int) -> bool:
    """Does a line of the value end at the right margin with a line's height of blank under it before
    the value goes on? Its rest was on a line the engine did not read. (Blank under the value's last
    line says nothing: forms leave room between items, and an address read to its province is whole.)"""
    rows = _word_rows(words)
    for upper, lower in zip(rows, rows[1:]):
        height = statistics.median(w.bbox[3] - w.bbox[1] for w in upper)
        bottom = max(w.bbox[3] for w in upper)
        top = min(w.bbox[1] for w in lower)
        if upper[-1].bbox[2] >= margin - CUT_SLACK * page_width and top - bottom > LOST_LINE_GAP * height:
            return True
    return False


def _word_rows(words: list[Word]) -> list[list[Word]]:
    """``words`` in rows, each row those that share height with the row's first word; a word above the
    row before it (a value gone on to the next column) starts a row of its own, no blank under that one."""
    rows: list[list[Word]] = []
    for word in words:
        if rows and row_overlap(word.bbox, rows[-1][0].bbox) > 0:
            rows[-1].append(word)
        else:
            rows.append([word])
    return rows


def _flag_several(found: dict[str, Candidate], values: dict[str, set[str]]) -> None:
    for key, candidate in found.items():
        if _distinct_values(key, values.get(key, set())) > 1:
            candidate.flags["several"] = 1.0  # another label on the page gives another value (another person?)
    if len(values.get("full_name", ())) > 1:
        # several people named: which one a birth date, ID or phone belongs to is not sure either
        for key in PERSON_KEYS:
            if key in found:
                found[key].flags["several"] = 1.0


PLACE_SLIP_EDITS = 2
"""Letters two readings of one place may differ by and still be one place read twice: "Tỉnh Sơn ta" and
"Tỉnh Sơn La", "Xã Hồng? “hi" and "Xã Hồng Thái" (08_cccd, its residence asked twice and filled alike)."""


def _distinct_values(key: str, values: set[str]) -> int:
    """How many values the page gives ``key``: a place read twice with a slip of OCR in one reading is
    one place (:func:`one_place_read_twice`), not another person's."""
    if key not in PLACE_KEYS:
        return len(values)
    kept: list[str] = []
    for value in sorted(values):
        if not any(one_place_read_twice(value, other) for other in kept):
            kept.append(value)
    return len(kept)


def one_place_read_twice(one: str, other: str) -> bool:
    """Are ``one`` and ``other`` one place read twice: the same numbers in the same order (a house
    number one digit apart is a neighbour's house), their letters, marks, spaces and stops aside, at
    most :data:`PLACE_SLIP_EDITS` apart?"""
    if re.findall(r"\d+", one) != re.findall(r"\d+", other):
        return False
    letters = ["".join(ch for ch in fold(text) if ch.isalpha()) for text in (one, other)]
    return Levenshtein.distance(*letters) <= PLACE_SLIP_EDITS


def find_pattern(lines: list[TextLine], key: str) -> Candidate | None:
    """A dossier code or procedure code anywhere in the text (they are unmistakable)."""
    pattern = _DOSSIER_CODE if key == "dossier_code" else _PROCEDURE_CODE
    for line in lines:
        match = pattern.search(line.text)
        if match:
            words = _words_of_span(line, match.start(1), match.end(1))
            value = re.sub(r"\s+", "", match.group(1)).upper()
            return Candidate(key, value, match.group(1), line.page_no, union_bbox(words), words, 0.7)
    return None


_ID_ALONE = re.compile(r"[.…_·:]*(\d{12})[.…_·:]*")
"""A word that is a 12-digit number, with at most a leader's dots or a colon glued on."""


def find_id_by_shape(lines: list[TextLine], date_of_birth: str | None, gender: str | None) -> Candidate | None:
    """The person's CCCD found by its own shape when its label was not read ("Tre 035077008548…" for
    "4. CCCD: …", a hand's ink over the label): the one 12-digit number of the document whose century
    and year digits are the person's birth year, and whose gender digit is the person's gender when
    it was read. Another person's number (a household head's, a child's) is another year. Held for
    review (``id_by_shape``): no label says whose it is."""
    if not date_of_birth:
        return None
    found = []
    for line in lines:
        for word in line.words:
            match = _ID_ALONE.fullmatch(word.text)
            if (match and is_cccd(match.group(1)) and cccd_matches_birth(match.group(1), date_of_birth)
                    and (not gender or cccd_matches_gender(match.group(1), gender))):
                found.append((line, word, match.group(1)))
    if len({number for _, _, number in found}) != 1:
        return None
    line, word, number = found[0]
    candidate = Candidate("id_number", number, word.text, line.page_no, word.bbox, [word], 0.5)
    candidate.flags["id_by_shape"] = 1.0
    return candidate


def _words_of_span(line: TextLine, start: int, end: int) -> list[Word]:
    """The words of ``line`` overlapping the character span [start, end) of ``line.text``."""
    out, pos = [], 0
    for word in line.words:
        w_start = line.text.find(word.text, pos)
        if w_start < 0:
            w_start = pos
        w_end = w_start + len(word.text)
        pos = w_end
        if w_start < end and start < w_end:
            out.append(word)
    return out or list(line.words)


HAND_HEIGHT_RATIO = 1.25
"""Handwritten digits stand taller than the typed digits of the same page (measured on samples:
typed values reach ~1.27 of the page's typed digit height, hand-filled ones 0.9-1.5)."""
HAND_HEIGHT_RATIO_BY_KEY = {"registration_number": 1.05}
"""Register numbers are printed small (typed <= 0.94 of the page's digits): a tall one is handwritten."""
HAND_NUMBERED = frozenset({"signed_date", "doc_number", "registration_number"})
"""Values that offices fill in by hand on typed documents (number and day at registration); the
height test only applies to them (form dates are often set larger than the body's digits)."""


def typed_digit_height(words: list[Word]) -> float | None:
    """Median height of confidently read, digit-only words of a page (typed numbers and dates): read
    so by the page reading itself (a second reading that agreed, ``ocr/digits.py``, says the digits
    are what was read, not that they are typed)."""
    return _median_sure_height(
        words, lambda text: sum(ch.isdigit() for ch in text) >= 2 and bool(re.fullmatch(r"[\d/.,:-]+", text)))


_SYMBOL_NUMBER = re.compile(r"\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z]*(?:[-–][A-ZĐ]+)*[,.;]?")
"""A typed reference to a document, number and symbol ("138/2020/NĐ-CP", "22/2015/QH13"-like): the
same glyphs as a letter's own number, slash and capitals included."""


def typed_symbol_height(words: list[Word]) -> float | None:
    """Median height of confidently read document references on a page (:data:`_SYMBOL_NUMBER`: "Căn cứ
    Nghị định số 138/2020/NĐ-CP …"), or None under three. A number with its symbol stands taller than
    bare digits ("2206/QĐ-UBND" 36 px over digits of 28: the Q's tail, the slash below the line): a
    letter's number is measured against its like."""
    return _median_sure_height(words, lambda text: bool(_SYMBOL_NUMBER.fullmatch(text)))


def _median_sure_height(words: list[Word], typed: Callable[[str], bool]) -> float | None:
    """Median box height of the words the page reading itself read at 0.85 or more whose text is
    ``typed``'s kind, or None under three such words."""
    heights = sorted(w.bbox[3] - w.bbox[1] for w in words if w.page_conf >= 0.85 and typed(w.text))
    return float(heights[len(heights) // 2]) if len(heights) >= 3 else None


def in_pen_ink(candidate: Candidate) -> bool:
    """True when a digit word of the candidate (of its day, for a signing date) was written in a pen's
    blue ink (``Word.ink``, ``ocr/ink.py``; or read as one word with a label's black print) and the
    second reading did not read it alike: a hand filled it in, and Tesseract reads a hand's 8 as 6 as
    sure as print. Two readings at two scales agreeing (``Word.reread_conf``; the page path reads a
    pen's numbers again however sure) is the evidence the first one's confidence is not, as for a form
    a hand filled (``pipeline.analyse.flag_hand_filled_digits``)."""
    return any(w.ink in PEN_INKS and w.reread_conf is None for w in _digit_focus(candidate))


def _digit_focus(candidate: Candidate) -> list[Word]:
    if candidate.focus_words is not None:
        return candidate.focus_words
    return digit_words(candidate.words)


def looks_handwritten(candidate: Candidate, digit_height: float | None) -> bool:
    """True when the candidate's digits look written by hand: taller than the page's typed digits,
    or mixed with glyphs no printed number has ("†2", "4‡")."""
    focus = _digit_focus(candidate)
    if not focus:
        return False
    if any(re.search(r"[^\w/.,:;()\-]", w.text) for w in focus):
        return True
    if digit_height is None or candidate.key not in HAND_NUMBERED:
        return False
    # a pen's digits two readings read alike are known to be a hand's and settled (:func:`in_pen_ink`):
    # their height tells nothing more (a clerk's blue day "28" set taller than the typed month)
    focus = [w for w in focus if not (w.ink in PEN_INKS and w.reread_conf is not None)]
    if not focus:
        return False
    heights = sorted(w.bbox[3] - w.bbox[1] for w in focus)
    ratio = HAND_HEIGHT_RATIO_BY_KEY.get(candidate.key, HAND_HEIGHT_RATIO)
    return heights[len(heights) // 2] > ratio * digit_height
