"""Labels on a form's lines: where a field's printed label stands, how well it reads, and where its
value starts. The labels come from the registry (:mod:`schemas.doctypes`), folded; a line is tried
against every label of the fields asked, word by word and fuzzily (OCR glues, drops and doubles
letters), and a label counts only where its colon, a dot leader, a verb ("Tôi tên là …") or a
value that opens plainly follows it.

Pure: :func:`find_label_hits` reads one :class:`pipeline.layout.TextLine`; :mod:`pipeline.extract`
walks a document's lines with it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from schemas import doctypes
from schemas.pages import Word
from pipeline.address import STREET_WORDS, UNIT_TYPE_WORDS
from pipeline.dates import DAY_DIGITS, MONTH_WORD
from pipeline.layout import LOW_WORD_CONF, TextLine
from pipeline.names import PERSON_NAME_FOLDS, opens_a_name
from pipeline.persons import OTHER_PERSON, PERSON_HEADS
from pipeline.syllables import is_syllable
from pipeline.text import fold, letters_or_digits
from pipeline.validate import GENDERS


MIN_LABEL_SCORE = 82.0
"""A window of a line reads as a label from this fuzzy score (0-100) up."""
GLUED_MIN_SCORE = 95.0
"""Words glued by OCR read as a label of one word more from this score up, spaces left out."""
PRINTED_CONF = 0.95
"""Tesseract reads clean printed digits (and words) at this word confidence or above; digits read
lower (often handwritten) may hold a slip that still makes a valid number (a handwritten 1 read 7),
a name word a slip that still makes a name after repair."""
GENDER_WORDS = frozenset(value.casefold() for value in GENDERS.values())
"""The gender values as printed, in lower case ("nam", "nữ")."""


# Labels come from the registry (schemas/doctypes.py), folded. A label counts only when a colon,
# a dot leader or a verb ("Tôi tên là …") follows it within a few words ("Họ và tên / Full name: …");
# the value starts after it.
LABELS: dict[str, tuple[str, ...]] = {f.key: f.folded_labels for f in doctypes.FIELDS if f.labels}
LABEL_FIRST_WORDS = frozenset(label.split()[0] for labels in LABELS.values() for label in labels if len(label.split()) >= 2)
"""The first words of the registry's labels of two words or more, folded ("sinh" of "Sinh ngày")."""
LOOSE_LABELS: dict[str, tuple[str, ...]] = {f.key: f.folded_loose_labels for f in doctypes.FIELDS if f.loose_labels}
"""Labels that name a field only loosely ("Cấp cho:", "Ông/Bà:"): found values are held for review."""
TYPE_LABELS: dict[str, dict[str, tuple[str, ...]]] = {}
for _spec in doctypes.FIELDS:
    for _type, _labels in _spec.type_labels.items():
        TYPE_LABELS.setdefault(_type, {})[_spec.key] = tuple(fold(label) for label in _labels)

DATE_KEYS = doctypes.keys_where(kind="date")
NOT_BEFORE: dict[str, tuple[str, ...]] = {f.key: tuple(fold(w) for w in f.not_before) for f in doctypes.FIELDS if f.not_before}
NUMBER_KEYS = doctypes.keys_where(export="digits")
"""Numbers (ID, phone): a label that opens a line needs no colon when the digits follow it."""
MULTILINE_KEYS = doctypes.keys_where(multiline=True)
"""Values that wrap onto the next line when they reach the right margin."""
BARE_NUMBER_LABEL = ["so"]
"""A document's own number printed as "Số:" alone (a card's, a register's entry): the word is a label
only with its colon right after it. Words between ("Số chứng thực:", "Số quyển:") make it another
number's label: a certified copy's seal prints one on every page it certifies."""

COLON_REACH = 4
"""How many words after a label its colon may come ("Họ và tên / Full name:")."""
QUALIFIER_REACH = 8
"""A name label qualified by whose name it asks ("Họ và tên người tham gia bảo hiểm y tế:",
07_cap_lai_the_BHYT; "Họ và tên cha mẹ (hoặc người chăm sóc):", 15_DDN_ho_tro_hoc_tap) has its
colon up to this many words after the label."""
NAME_KEYS = doctypes.keys_where(kind="name")
VERB_LABEL_ENDS = ("la", "so")
"""A label of two words or more ending in a verb or in "số" needs no colon: "Tôi tên là Nguyễn Văn
An", "Giấy tờ tùy thân: CCCD số 0510…"."""

LABEL_TOKENS = {key: [(label.split(), False) for label in LABELS.get(key, ())] + [(label.split(), True) for label in LOOSE_LABELS.get(key, ())]
                 for key in set(LABELS) | set(LOOSE_LABELS)}


@dataclass
class LabelHit:
    key: str
    line: TextLine
    start: int
    end: int
    score: float
    value_start: int = 0
    """Index of the first value word (after the label's colon)."""
    other_person: bool = False
    """Words between label and colon name another person ("… của chủ hộ:")."""
    label: str = ""
    """The registry label that matched (folded): which wording found the field."""
    loose: bool = False
    """The label names the field only loosely ("Cấp cho", "Ông/Bà")."""
    bare: bool = False
    """The label ends its line with no colon or leader: its value, if any, opens the next line."""
    qualifier: str = ""
    """The words between the label and its colon, folded, their brackets and stops stripped ("nguoi
    tham gia bao hiem y te" of "Họ và tên người tham gia bảo hiểm y tế:"): whose value it asks."""


FOOTNOTE = re.compile(r"\(\d{1,2}\)|\*+$")
"""Footnote marks glued to a printed label: "tên(1):", "Nơi cư trú: (2)"."""
ITEM_NUMBER = re.compile(r"^(?:\d{1,2}|[a-zđ]|[ivx]{1,4})[.)]$|^\(\d{1,2}\)$|^[-+*•]$|^\[\d{1,2}(?:\.\d{1,2})?\][.:]?$")
"""Numbered or bulleted form items: "1.", "2)", "a)", "IV.", "(3)", "-"."""
ITEM_NUMBER_ALONE = re.compile(r"[(\[]?\d{1,2}[)\]]?[.:,]?")
"""An item's number or a footnote mark standing alone after a value ("2.", "(2).", read "00).")."""
_ITEM_NUMBER_COMMA = re.compile(r"^\d{1,2},$")
_DIGIT_ITEM = re.compile(r"^\d{1,2}\.$")
"""An item's number inside a line opens a second item there ("Cấp độ học: Đại học 6. Nhà ở: …")."""
LEADER = re.compile(r"^[.…_·]{2,}")
_BLANK_END = re.compile(r"[.…_·]{3,}$|(?:^|[.…_·])…$")
"""A word ending in a dot leader: a blank ends there, the next item may start ("THPT…… Em là: …";
"… … … Em là:": a born-digital form's ellipses, one character each)."""


GLUED_ITEM = re.compile(r"^[;,]?\d{1,2}[.)][,;]?(?=[^\W\d_])|^[;,](?=[^\W\d_])|^[(\[{]\d{2}[\])}1|]?(?=[^\W\d_])")
"""An item number glued to its label's first word ("4.CCCD:", "9.Số", a speck after its stop: "5.,Số"),
and the separator the item before ends with glued to it too (";4.Giớitính", "…/1975;Giới": "…: ……; 4.
Giới tính: ……"); a tax form's bracketed number, its close read as a 1 ("(021Giới" for "[02] Giới")."""


_GLUED_CHOICES = re.compile(r"(?<=[a-z])\([a-z ]{1,12}(?:/[a-z ]{1,12})+(?:\)|(?=:))")
"""The choices a form prints glued to its label ("Giới tính(Nam/Nữ):", 51_TK_cap_ho_chieu_tre_em): no
part of the label's words; OCR often loses the bracket's close before the colon ("tính(Nam/Nữ:")."""


def word_keys(line: TextLine) -> list[str]:
    keys = []
    for word in line.words:
        key = fold(word.text)
        key = FOOTNOTE.sub("", _GLUED_CHOICES.sub("", key)) or key
        keys.append(GLUED_ITEM.sub("", key))
    return keys


WRITERS_OWN = ("cua toi", "cua minh")
"""A label's "của tôi" ("of mine": "Địa chỉ liên lạc của tôi:", 13_DDN_gia_han_time_hoc_nuoc_ngoai)
makes it the writer's own, not another person's the way "của chủ hộ" does."""


def _qualifier(tokens: list[str], end: int, value_start: int) -> str:
    """The words between a label ending at word ``end`` and its value (:attr:`LabelHit.qualifier`),
    and the word the value is glued to after its colon ("… của chủ xe:014 054 …", 22_dk_xe1)."""
    words = [t.strip(":.;,()") for t in tokens[end:value_start]]
    glued = tokens[value_start].partition(":")[0] if value_start < len(tokens) and ":" in tokens[value_start] else ""
    if any(ch.isalpha() for ch in glued):
        words.append(glued.strip(".;,()"))
    return " ".join(words)


def _names_other_person(qualifier: str) -> bool:
    between = f" {qualifier.strip()} "
    for own in WRITERS_OWN:
        between = between.replace(f" {own} ", " ")
    return bool(between.strip()) and any(f" {w} " in between for w in OTHER_PERSON)


def _colon_after(tokens: list[str], end: int, label: list[str] | None = None, reach: int = COLON_REACH) -> int | None:
    """Index just after the word holding the label's colon, searching the label's last word on.

    A dot leader right after the label stands for the colon ("Họ và tên…… Nguyễn An"), and a label
    ending in a verb needs none ("Tôi tên là Nguyễn An")."""
    if end < len(tokens) and LEADER.match(tokens[end]) and not (end > 0 and _value_before_leader(tokens[end - 1])):
        # (not after a colon with the value glued: "tính:.Nữ ……", the leader is the blank's rest)
        rest = tokens[end].lstrip(".…_·")
        return end if rest.strip(":") else end + 1
    if end < len(tokens) and tokens[end].startswith("(") and not tokens[end - 1].endswith(":"):
        closing = _colon_closing_bracket(tokens, end)
        if closing is not None:
            return closing  # "Địa chỉ cư trú (ghi đầy đủ theo thứ tự số nhà, …, tỉnh/thành phố):"
        # "Họ và tên (Viết chữ in hoa). NGUYỄN VĂN AN": a printed instruction between label and value
        for i in range(end, min(len(tokens), end + 8)):
            if ")" in tokens[i]:
                # a comma between the close and its colon is a speck ("(dafe of birth)),.:...27/08/1985")
                tail = tokens[i].rpartition(")")[2].lstrip(",;")
                if tail.startswith(":") and not tail.strip(" .:…"):
                    return i + 1  # "4. Giới tính (Nam/nữ):" - the value after it, or on the next line
                if tail.startswith(":") and letters_or_digits(tail):
                    return i  # "Số điện thoại (nếu có):0765 546 301": the value glued to the colon
                if tail.strip(" .:…") or i + 1 >= len(tokens):
                    return None
                mark_end = _footnote_mark_end(tokens, i + 1)
                if mark_end is not None:
                    return mark_end  # "… thường trú) ( 1): Số 105, …": the form's footnote mark, then its colon
                if tail[:1] in ".:…" or tokens[i + 1][:1] in ":.…":
                    return i + 1
                break
    if (label and len(label) >= 2 and label[-1] in VERB_LABEL_ENDS
            and not any(":" in t for t in tokens[max(0, end - 1) : end + 1])):
        return end
    for i in range(max(0, end - 1), min(len(tokens), end + reach)):
        if ":" in tokens[i] and _inside_instruction(tokens, end, i):
            return None  # "Địa chỉ nhận (ghi đầy đủ:xã/phường, …": the instruction's colon, not the label's
        gloss = end < len(tokens) and tokens[end].startswith("/")  # "Ngày sinh / Date of birth;"
        if (tokens[i].endswith(";") and ":" not in tokens[i] and (i <= end + 1 or gloss)
                and not (i >= end and _NUMBER_THEN_SEMICOLON.fullmatch(tokens[i]))):
            # "Giới tính / Sex; Nữ": OCR read the colon as a semicolon; not a number's ("Địa chỉ
            # thường trú Số 136; đường …", a table's label cell, the comma read as a semicolon)
            return i + 1
        if ":" in tokens[i]:
            # "sinh ngày:21/09/1995" glues the value to the colon: keep that word as value
            head, _, tail = tokens[i].partition(":")
            # the value glued to the label's last word or to a later colon word ("tính:Nữ")
            # ("hộ:." is the colon and a leader's first dot, no value)
            return i if tail.strip(" .…_·") and (i >= end or letters_or_digits(tail)) else i + 1
    return None


_NUMBER_THEN_SEMICOLON = re.compile(r"\d[\d./-]*;")
"""A number and a semicolon after it: a value's piece (a house number), never a label's colon."""


def _reach(key: str, tokens: list[str], start: int, end: int) -> int:
    """How far after a label its colon may be: further for a name label qualified by a person
    ("người …", "cha mẹ …", "cha/mẹ …": the first words of :data:`OTHER_PERSON`), and for any label
    followed by another wording of itself ("Số chứng minh thư hoặc thẻ căn cước công dân:",
    16_DDN_huong_che_do_benh_nghe_nghiep): the colon closes the alternative."""
    qualified = end < len(tokens) and tokens[end].split("/")[0] in PERSON_HEADS
    far = (key in NAME_KEYS and qualified) or offers_alternative(tokens, end) or _joins_another_use(tokens, start, end)
    return QUALIFIER_REACH if far else COLON_REACH


def _number_follows_directly(key: str, tokens: list[str], end: int) -> bool:
    """Does a number label with no colon of its own have its whole number right after it ("Số chứng
    minh nhân dân 072057624990 Ngày cấp: ……", 20_de_nghi_Nhan_che_do_BHXH_khi_nguoi_huong_tu_tran),
    whole or in groups a hand or OCR spaced ("345 732638")? Then the number is its value, and the
    colon a few words on is the next item's ("Ngày cấp:")."""
    if key not in NUMBER_KEYS or end >= len(tokens) or ":" in tokens[end - 1]:
        return False  # the label has its colon ("hệ:.0787 166 5836"): the value starts there
    groups = itertools.takewhile(_NUMBER_GROUP.match, tokens[end : end + NUMBER_GROUPS])
    return sum(ch.isdigit() for group in groups for ch in group) >= NUMBER_AFTER_LABEL_DIGITS


NUMBER_AFTER_LABEL_DIGITS = 6
"""Digits a number right after its label must have, in one group or several, to be its value with no
colon between."""
NUMBER_GROUPS = 4
"""Groups a number spaced apart may be read in ("345 732638", "0123 456 789")."""
_NUMBER_GROUP = re.compile(r"^[.…_]*\d+[.,;…_)|\]]*$")
"""One group of a number's digits, the blank's leader maybe left on either side ("Số chứng minh nhân dân.
.0040……"), or a cell's rule or a stroke read as a bracket after it ("080079864704)")."""


def offers_alternative(tokens: list[str], end: int) -> bool:
    """Does another wording of the label follow it, joined by "hoặc" ("Số chứng minh thư hoặc thẻ
    căn cước công dân:")? Then the label's colon comes after that wording, on its line or the next."""
    return (end < len(tokens) and tokens[end] == "hoac") or (0 < end <= len(tokens) and _alternative_glued(tokens[end - 1]))


def _alternative_glued(token: str) -> bool:
    """Is ``token`` a label's last word with the "hoặc" of its other wording read glued to it ("Số
    chứng minh thưhoặc thẻ căn cước công dân:", folded "thuhoac")?"""
    return token.endswith("hoac") and len(token) > 4 and is_syllable(token[:-4])


_JOINED_WITHIN = 3
"""How many words after a label a "và" may join another use of its item ("Số điện thoại liên hệ và
nhận nhắn tin (SMS):", "liên hệ" being the label's own longer wording, read "liên họ")."""


def _joins_another_use(tokens: list[str], start: int, end: int) -> bool:
    """Does a label that opens its line or item go on, joined by "và", to another use of the same item
    ("5.Số điện thoại liên hệ và nhận nhắn tin (SMS):", 36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat)?
    Then its colon comes after that use. Only at an item's start: mid-line, "điện thoại và …" is prose."""
    joined_by = tokens[end : end + _JOINED_WITHIN]
    if not line_start(tokens, start) or "va" not in joined_by:
        return False
    # the words up to "và" are the label's own ("liên hệ"), never a value ("Số CMND 0740… Ngày và nơi cấp")
    return not any(ch.isdigit() for token in joined_by[: joined_by.index("va")] for ch in token)


_FOOTNOTE_MARK = re.compile(r"\(\s?\d{1,2}\)[:.]?")
"""A form's footnote mark after a label's instruction, as OCR may split it: "(1):", "( 1):"."""


_GARBLED_MARK = re.compile(r"\(?[^\s()]{1,2}\):")
"""A footnote mark whose number OCR garbled, its close and the colon read ("Œ):" for "(1):")."""


def _footnote_mark_end(tokens: list[str], start: int) -> int | None:
    """Index just after a footnote mark (:data:`_FOOTNOTE_MARK`) opening at word ``start``, read as one
    word or two, or None. A garbled mark (:data:`_GARBLED_MARK`) may follow a speck ("_ Œ):")."""
    for width in (1, 2):
        if start + width <= len(tokens) and _FOOTNOTE_MARK.fullmatch(" ".join(tokens[start : start + width])):
            return start + width
        if (start + width <= len(tokens) and _GARBLED_MARK.fullmatch(tokens[start + width - 1])
                and not any(letters_or_digits(t) for t in tokens[start : start + width - 1])):
            return start + width
    return None


def _colon_closing_bracket(tokens: list[str], end: int) -> int | None:
    """Index just after the word that closes the bracket opened at word ``end``, if a colon follows the
    bracket there and nothing else ("(ghi đầy đủ theo thứ tự số nhà, …, tỉnh/thành phố):", however many
    words the instruction holds): that colon is the label's. None when the bracket stays open, or
    closes without a colon (then the bracket may be part of running text)."""
    depth = 0
    for i in range(end, len(tokens)):
        depth += bracket_depth_change(tokens[i])
        if depth <= 0:
            tail = tokens[i].rpartition(")")[2]
            return i + 1 if tail.startswith(":") and not tail.strip(" .:…") else None
    return None


def _bracket_close_lost(words: list[Word], end: int) -> int | None:
    """Index of the value after a printed instruction opened at word ``end`` whose close OCR lost: the
    bracket left open to the line's end, a word in it ending in a colon and a capital or a digit after
    it ("(ghi đầy đủ …, tỉnh/thành phố: Số 207, đường …", the ")" of "phố):" not read), or the line's
    end when its last word ends in the colon (the value below). None otherwise."""
    texts = [w.text for w in words]
    if sum(bracket_depth_change(t) for t in texts[end:]) <= 0:
        return None
    for i in range(end + 1, len(texts) - 1):
        if texts[i].endswith(":") and (texts[i + 1][:1].isupper() or texts[i + 1][:1].isdigit()):
            return i + 1
    if len(texts) - 1 > end and texts[-1].endswith(":"):
        return len(texts)  # the instruction's last line ends in the colon: the value is below
    return None


def bracket_depth_change(token: str) -> int:
    """How far ``token`` opens (+) or closes (-) brackets. A printed bracket opens at a word's start;
    one inside a word is OCR's reading of a slash or speck ("xã/phường/(thị trấn", "phường(thị",
    47_thay_doi_thong_tin_nguoi_huong) and would leave the instruction open for good. Closing
    brackets are counted wherever they are ("tỉnh/thành phố):")."""
    return (1 if opens_bracket(token) else 0) - token.count(")")


_DIGITS_AFTER_BRACKET = re.compile(r"^\(\d[\d/.,\-⁄]*(?:\][.:]?)?$")


def opens_bracket(token: str) -> bool:
    """Does ``token`` open a printed bracket: "(" at its start, not before digits alone ("(9/01/1986":
    a hand's 1 read as a bracket, which nothing closes; a footnote's number whose close was lost; an
    item's number in square brackets, its opening one misread: "(02].")?"""
    return token.startswith("(") and not _DIGITS_AFTER_BRACKET.match(token)


def _inside_instruction(tokens: list[str], end: int, i: int) -> bool:
    """Is the colon of word ``i`` inside a printed instruction in brackets opened after the label
    (words ``end`` on) and not yet closed? "Địa chỉ nhận (ghi đầy đủ:xã/phường, tổ dân phố/tổ chi trả,
    quận/huyện/thị xã, tỉnh/ thành phố):" (47_thay_doi_thong_tin_nguoi_huong): what follows that colon
    is the instruction's text, and the label's own colon comes after the bracket closes. Choices in
    the bracket ("4. Giới tính (Nam/nữ:", 08_cccd, its closing bracket lost) are no instruction:
    that colon is the label's."""
    text = " ".join(tokens[end:i] + [tokens[i].partition(":")[0]])
    depth = 0
    for char in text:
        depth = depth + 1 if char == "(" else max(0, depth - 1) if char == ")" else depth
    return depth > 0 and "/" not in text[text.rfind("(") :]


NUMBER_HEAD = re.compile(r"\d{3,}(?:[.\-]\d+)*")
"""A number's first digit group (three digits or more: no item's number), before a colon a hand's
dot was read as."""


def after_colon(words: list[Word]) -> list[Word]:
    """Drop the label part of a first value word that holds the colon ("tính:Nữ" -> "Nữ")."""
    if words and ":" in words[0].text:
        head, _, tail = words[0].text.partition(":")
        if NUMBER_HEAD.fullmatch(head) and tail[:1].isdigit():
            return list(words)  # "0763:322:515": a hand's dots between digit groups read as colons, no label
        if not tail.strip() and (any(ch.isdigit() for ch in head) or is_gender_word(head)):
            # "3. Sinh ngày: 29/10/1997:", "Giới tính: Nam:": a colon (or a speck read as one) after
            # the value, no label
            return [words[0].model_copy(update={"text": head})] + list(words[1:])
        return ([words[0].model_copy(update={"text": tail})] if tail.strip() else []) + list(words[1:])
    return words


def label_score(window_tokens: list[str], label: list[str], short: bool) -> float | None:
    """0..100 if the words fuzzily read as ``label``, else None.

    Same word count: every word must resemble its label word ("va tra ket qua" is not "hen tra
    ket qua"). One word fewer: OCR glued two words ("Ngày,tháng, năm sinh"), compare without spaces.
    """
    target = " ".join(label)
    window = " ".join(window_tokens).rstrip(":.;…/")  # "… số hộ chiếu/:" as the form prints it
    if abs(len(window) - len(target)) > max(2, len(target) // 4):
        return None
    if short:
        return 100.0 if window == target else None
    if len(window_tokens) == len(label):
        if any(fuzz.ratio(tok.strip(":.;,…"), want) < 60 for tok, want in zip(window_tokens, label)):
            return None
        score = fuzz.ratio(window, target)
    else:
        score = fuzz.ratio(window.replace(" ", ""), target.replace(" ", ""))
        if score < GLUED_MIN_SCORE:
            return None
    return score if score >= MIN_LABEL_SCORE else None


def first_alternative_score(window_tokens: list[str], label: list[str], short: bool, score: float | None) -> float | None:
    """The label's score when its last word is the first of alternatives the form prints joined by
    slashes ("Giấy Chứng minh nhân dân/Thẻ căn cước/Hộ chiếu số:", 35_giay_de_nghi_kham_giam_dinh:
    "… nhân dân" is read as the label itself), if better than ``score`` (the words as read)."""
    if (score is not None and score >= 100) or not window_tokens or "/" not in window_tokens[-1] or "/" in label[-1]:
        return score
    head = window_tokens[-1].split("/")[0]
    if not head:
        return score
    alternative = label_score(window_tokens[:-1] + [head], label, short)
    return alternative if alternative is not None and (score is None or alternative > score) else score


def _slash_put_back(window_tokens: list[str], last_text: str, label: list[str]) -> list[str]:
    """``window_tokens`` with the slash put back where the label's last word is read glued to the
    alternative a form prints after it ("Địa chỉtrụ sở chính:" for "Địa chỉ/trụ sở chính:",
    30_don_xin_giao_dat), so that :func:`first_alternative_score` reads the label. Only before a
    small letter that spells a syllable: a capital there opens the value ("tênNguyễn")."""
    want, token = label[-1], window_tokens[-1] if window_tokens else ""
    rest = last_text[len(want):] if len(last_text) == len(token) else ""
    if ("/" in token or len(label) < 2 or not token.startswith(want) or len(token) < len(want) + 2
            or not rest[:1].islower() or not is_syllable(rest.rstrip(":.;,…"))):
        return window_tokens
    return window_tokens[:-1] + [f"{want}/{token[len(want):]}"]


def _opens_value(text: str) -> bool:
    """Can a value start with this word: a capital or a digit ("Nguyễn", "Số", "05/03/1990"), not a
    small word that goes on the label ("Địa chỉ email", "(nếu có)")?"""
    first = text.lstrip(".…_·")[:1]
    return first.isdigit() or first.isupper()


def _name_word_for(word: Word, label_word: str) -> bool:
    """Is ``word`` a capitalised name word, read as sure as print, in place of a label's first word it
    is not ("Ngân" for "ngày")? Then, unless the words end with the label's colon, they are a name's
    end followed by running text, not that label ("Ninh ngày:", "Sinh" read unsure, is the label)."""
    text = word.text.strip(",;:.")
    return (text[:1].isupper() and word.conf >= PRINTED_CONF and fold(text) != label_word
            and fold(text) in PERSON_NAME_FOLDS)


def line_start(tokens: list[str], i: int) -> bool:
    """Is word ``i`` the first of its line, bar an item number or bullet ("1. Họ tên:", "- ĐT:"; "4,
    CCCD:": the number's dot read as a comma; "5 .Số điện thoại": its dot read apart, glued to the
    label, 36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat)?"""
    return i == 0 or (i == 1 and bool(ITEM_NUMBER.match(tokens[0]) or _ITEM_NUMBER_COMMA.match(tokens[0])
                                      or _NUMBER_LOST.match(tokens[0])
                                      or (tokens[0].isdigit() and len(tokens[0]) <= 2 and tokens[1].startswith("."))))


_NUMBER_LOST = re.compile(r"^[.,·]$")
"""A first word that is a dot or comma alone: an item's number whose digit OCR lost (". Nhà ở: …" for
"6. Nhà ở:", 48_thong_tin_co_ban); no line opens with punctuation otherwise."""


PLACE_OPENERS = STREET_WORDS | UNIT_TYPE_WORDS
"""First words of an address (folded): a house number, a hamlet's or street's type, a unit's type."""


def _value_opens_plainly(key: str, words: list[Word]) -> bool:
    """Do ``words``, right after a label printed at its line's start with no colon, unmistakably open
    that field's value? A person's name: a surname then a capitalised name word ("1. Họ và tên Lê
    Quốc Trung", 51_TK_cap_ho_chieu_tre_em prints "1. Họ và tên(2)……" and the blank's leader
    was filled); a place: a capitalised house number's or unit's type word ("5. Địa chỉ thường trú
    Số 21, …"); a number: a group of its digits ("8. Điện thoại của chủ xe 0766563014", 22_dk_xe1).
    Anything else after a colon-less label is running text ("Họ và tên cha, mẹ")."""
    spec = doctypes.FIELD_BY_KEY.get(key)
    # a leader's remains before the value ("Địa chỉ thường trú. .Khu phố 11") are no part of it
    texts = [t for t in (w.text.strip(",.;…_·") for w in words) if t]
    if key in NUMBER_KEYS and texts:
        return bool(NUMBER_HEAD.fullmatch(texts[0]))
    if spec is not None and spec.place and len(texts) > 1 and fold(texts[0]) == "so" and texts[1][:1].isdigit():
        return True  # "4. Địa chỉ thường trú số 14, đường …": a house's number written small
    if spec is None or not texts or not texts[0][:1].isupper():
        return False
    first = fold(texts[0])
    if spec.kind == "name":
        return opens_a_name(texts)
    return spec.place and (first in PLACE_OPENERS or _glued_openers(first) or _opener_glued_to_number(first))


def _glued_openers(token: str) -> bool:
    """A place's two-word type read as one word ("Khuphố", "Xómthôn"): a hand's words set close."""
    return any(token.startswith(head) and token[len(head):] in PLACE_OPENERS for head in PLACE_OPENERS)


def _opener_glued_to_number(token: str) -> bool:
    """A place's type word read glued to its number ("Số132,đường HùngVương", folded): a hand's words set close."""
    glued = re.match(r"([^\W\d_]+)\d", token)
    return bool(glued) and glued.group(1) in PLACE_OPENERS


def _inside_relation_label(tokens: list[str], start: int) -> bool:
    """Does word ``start`` lie inside the label of an item giving the applicant's relation to another
    person, before that label's colon ("7. Quan hệ với người dưới 14 tuổi đề nghị cấp hộ chiếu: Con",
    51_TK_cap_ho_chieu_tre_em)? Its words describe that person ("… đề nghị …" is no "Người đề
    nghị:"), and its value is a relation ("Con", "Mẹ"), no field of ours."""
    words = [t.strip(":.;,") for t in tokens]
    for j in range(max(0, start - 2)):
        if words[j : j + 3] == ["quan", "he", "voi"]:
            return not any(":" in t for t in tokens[j:start])
    return False


_PHRASE_HEADS = frozenset({"cua", "voi", "cho", "ve"})
"""Words that make what follows part of a phrase: "các thông tin sửa đổi, bổ sung của tôi là đúng"
(47_thay_doi_thong_tin_nguoi_huong) holds "tôi là" as prose, never the writer's name label."""


def _in_a_phrase(tokens: list[str], i: int) -> bool:
    """Is the label starting at word ``i`` inside a phrase (:data:`_PHRASE_HEADS` right before it)?"""
    return i > 0 and tokens[i - 1].strip(",.;:") in _PHRASE_HEADS


_CUTOFF_SLACK = 0.5
"""Below the scores a label needs, so that a batch comparison stored in single precision keeps every
window that could reach them."""


def _label_targets() -> dict[int, list[str]]:
    """Every label longer than five letters (the fuzzily read ones), joined, by its number of words:
    the labels :class:`LabelStarts` scores together."""
    labels = {" ".join(label) for pairs in LABEL_TOKENS.values() for label, _loose in pairs}
    labels |= {label for by_key in TYPE_LABELS.values() for wordings in by_key.values() for label in wordings}
    targets: dict[int, list[str]] = {}
    for label in sorted(labels):
        if len(label) > 5:
            targets.setdefault(len(label.split()), []).append(label)
    return targets


_LABEL_TARGETS = _label_targets()


@dataclass
class _Width:
    """A line's windows of one width: their texts as :func:`label_score` joins them, the starts of
    those whose last word holds a slash, and the starts by text."""

    texts: list[str]
    slashed: list[int]
    by_text: dict[str, list[int]]


class LabelStarts:
    """Where on a line each label may start: the words whose window reads close enough to it for
    :func:`label_score` to accept it, found for all labels of a word count at once (rapidfuzz's
    ``cdist``, in C) instead of a label and a window at a time. A necessary condition only: the
    label search still scores every start it is given; the others it would have rejected."""

    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.widths: dict[int, _Width] = {}
        self.passing: dict[tuple[int, bool], dict[str, list[int]]] = {}

    def starts(self, label: list[str], widths: tuple[int, ...]) -> list[int]:
        """The words ``label`` may start at, read ``widths`` words wide, in order."""
        n = len(label)
        if len(self.tokens) < n:
            return [0]  # a line shorter than the label: tried at its first word only
        target = " ".join(label)
        found: list[int] = []
        for width in widths:
            windows = self._width(width)
            found += windows.slashed  # a label's alternatives joined by slashes: scored on the first of them
            if len(target) <= 5:
                found += windows.by_text.get(target, ())  # a short label is read letter for letter
            else:
                found += self._passing(width, target, glued=width != n)
        last = len(self.tokens) - n
        return sorted({i for i in found if i <= last})

    def _width(self, width: int) -> _Width:
        known = self.widths.get(width)
        if known is None:
            starts = range(len(self.tokens) - width + 1)
            texts = [" ".join(self.tokens[i : i + width]).rstrip(":.;…/") for i in starts]
            by_text: dict[str, list[int]] = {}
            for i, text in enumerate(texts):
                by_text.setdefault(text, []).append(i)
            known = self.widths[width] = _Width(texts, [i for i in starts if "/" in self.tokens[i + width - 1]], by_text)
        return known

    def _passing(self, width: int, target: str, glued: bool) -> list[int]:
        """The windows of ``width`` words that read as ``target`` at :data:`MIN_LABEL_SCORE` (word for
        word) or :data:`GLUED_MIN_SCORE` (``glued``: one word fewer, spaces left out), scored with
        every label of its word count on first asking."""
        by_target = self.passing.setdefault((width, glued), {})
        if target not in by_target:
            group = _LABEL_TARGETS.get(width + 1 if glued else width, [])
            by_target.update(self._scored(width, group if target in group else [target], glued))
        return by_target[target]

    def _scored(self, width: int, targets: list[str], glued: bool) -> dict[str, list[int]]:
        windows = self._width(width).texts
        if glued:
            windows = [window.replace(" ", "") for window in windows]
            targets_read = [target.replace(" ", "") for target in targets]
        else:
            targets_read = targets
        cutoff = (GLUED_MIN_SCORE if glued else MIN_LABEL_SCORE) - _CUTOFF_SLACK
        scores = cdist(windows, targets_read, scorer=fuzz.ratio, score_cutoff=cutoff)
        passing: dict[str, list[int]] = {target: [] for target in targets}
        for i, j in zip(*(scores >= cutoff).nonzero()):
            passing[targets[j]].append(int(i))
        return passing


MENTION_BEFORE = frozenset({"cho", "voi", "cua", "va"})
"""Words before a loose label in lower case ("ông/bà") that make it a mention in a sentence, not an
item: "6. Tiền thuê nhà cho ông/bà … tại Việt Nam là do …" (61_xac_nhan_thu_nhap), "Chế độ hưu trí đối
với ông (bà) … do …" (44_Quyet_dinh_viec_nghi_viec_huong_che_do_huu_tri). With its colon ("về việc
ông/bà:") it still labels the person whose items follow."""


def find_label_hits(line: TextLine, keys: tuple[str, ...], doc_type: str | None = None) -> list[LabelHit]:
    """Labels of ``keys`` on ``line``, fuzzily matched word by word, best non-overlapping first."""
    tokens = word_keys(line)
    hits = label_candidates(line, keys, doc_type)
    return _best_hits([hit for hit in hits if not _inside_relation_label(tokens, hit.start)])


def label_candidates(line: TextLine, keys: tuple[str, ...], doc_type: str | None = None,
                     starts: Iterable[int] | None = None) -> list[LabelHit]:
    """Every label of ``keys`` read on ``line`` (starting at one of the words ``starts``, if given),
    overlaps not yet resolved: :func:`find_label_hits` keeps the best of them, so a key none
    of them has is on the line nowhere. A speck read as a mark of its own between two words
    ("Điện - thoại:", "Họ và _ tên") is no word of a label: the labels are read as if it were not
    there, and the hits point at the line's own words."""
    specks = _specks_between_words(line)
    if not specks:
        return _label_candidates(line, keys, doc_type, starts)
    kept = [i for i in range(len(line.words)) if i not in specks]
    position = {i: n for n, i in enumerate(kept)}
    reduced = TextLine([line.words[i] for i in kept], line.page_no, line.page_width, line.page_height)
    reduced_starts = None if starts is None else [position[i] for i in starts if i in position]
    return [dataclasses.replace(hit, line=line, start=kept[hit.start], end=kept[hit.end - 1] + 1,
                                value_start=kept[hit.value_start] if hit.value_start < len(kept) else len(line.words))
            for hit in _label_candidates(reduced, keys, doc_type, reduced_starts)]


_SPECK = re.compile(r"[-_~'`·—–]")
"""A mark OCR reads off a speck of dirt, standing as a word of its own."""


def _specks_between_words(line: TextLine) -> set[int]:
    """The words of ``line`` that are a speck's mark (:data:`_SPECK`) between a word ending in a
    letter (or a letter and its comma: "Ngày, _ tháng, năm sinh:") and one opening in a small letter:
    inside a phrase, where no printed dash or bullet stands ("Hà Nội - Việt Nam", "- Họ tên:" keep
    theirs)."""
    words = line.words
    return {i for i in range(1, len(words) - 1)
            if _speck_mark(words[i]) and words[i - 1].text.rstrip(",")[-1:].isalpha()
            and words[i + 1].text[:1].islower()}


def _speck_mark(word: Word) -> bool:
    """A speck's mark (:data:`_SPECK`), or dots read unsure ("Số điện ..[0.08] thoại liên hệ:")."""
    return bool(_SPECK.fullmatch(word.text)) or (word.conf < LOW_WORD_CONF and bool(re.fullmatch(r"[.…]{1,3}", word.text)))


def _label_candidates(line: TextLine, keys: tuple[str, ...], doc_type: str | None,
                      starts: Iterable[int] | None) -> list[LabelHit]:
    tokens = word_keys(line)
    label_tokens = _label_parts(tokens)
    hits: list[LabelHit] = []
    extra = TYPE_LABELS.get(doc_type or "", {})
    bracketed = _in_brackets(tokens)
    label_starts = LabelStarts(label_tokens)
    for key in keys:
        for label, loose in LABEL_TOKENS.get(key, []) + [(lab.split(), False) for lab in extra.get(key, ())]:
            n = len(label)
            target = " ".join(label)
            short = len(target) <= 5
            last = max(0, len(tokens) - n)
            # one word fewer: two words OCR read glued ("Giớitính:", "Ngày,tháng, năm sinh")
            widths = (n, n - 1) if n >= 2 else (n,)
            for i in label_starts.starts(label, widths) if starts is None else [i for i in starts if i <= last]:
                if bracketed[i]:
                    continue
                if (short and not line_start(tokens, i) and tokens[i - 1] not in ("-", "+", "*")
                        and not _BLANK_END.search(tokens[i - 1]) and not _DIGIT_ITEM.match(tokens[i - 1])):
                    continue  # "Số:", "ĐT:" are labels only at the start of a line, an item or after a blank
                for width in widths:
                    # a line shorter than the label: "Nơi cưtrú:" alone on its line, two words read glued
                    width = min(width, len(tokens) - i)
                    score = label_score(label_tokens[i : i + width], label, short)
                    if width == n:
                        window = _slash_put_back(label_tokens[i : i + width], line.words[i + width - 1].text, label)
                        score = first_alternative_score(window, label, short, score)
                    if score is None:
                        continue
                    if (key in DATE_KEYS and score < 100 and width == n and label_tokens[i].endswith(",")
                            and not label[0].endswith(",") and not _stop_for_space(label_tokens[i : i + width], label)):
                        continue  # "Xuân Định, ngày 12 tháng 6 năm 2024": a place and its signing date, not "Sinh ngày"
                    if width == n and label[-1] == "la" and label_tokens[i + width - 1].strip(":.…") != "la":
                        continue  # "Tôi làm đơn này …" is no "Tôi là": a label's verb is read as itself
                    if (label[-1] == "la" and score < 100
                            and not any(":" in t for t in tokens[i + width - 1 : i + width + 1])):
                        continue  # "… thông tin trên là đúng sự thật" is no "Tôi tên là": without its colon a verb label is read letter for letter
                    if label[-1] == "la" and _in_a_phrase(tokens, i):
                        break  # "… bổ sung của tôi là đúng": prose, not the writer naming themself
                    if (not line_start(tokens, i) and _name_word_for(line.words[i], label[0])
                            and not line.words[i + width - 1].text.endswith(":")):
                        break  # "Vũ Thị Ngân sinh ……": a name's last word, not "ngày sinh" misread
                    if i + width < len(tokens) and tokens[i + width].strip(":.;,…") in NOT_BEFORE.get(key, ()):
                        break  # "Địa chỉ email (nếu có):" labels another thing
                    value_start, bare = _value_start(key, label, loose, line, tokens, bracketed, i, width, score)
                    if value_start is None:
                        continue  # a label is followed by its colon; without one it is running text
                    if (loose and i > 0 and tokens[i - 1] in MENTION_BEFORE and line.words[i].text[:1].islower()
                            and ":" not in " ".join(tokens[i + width - 1 : value_start])):
                        continue  # "Tiền thuê nhà cho ông/bà … tại Việt Nam": the person mentioned in a sentence
                    qualifier = _qualifier(tokens, i + width, value_start)
                    if label == BARE_NUMBER_LABEL and qualifier.strip():
                        continue  # "Số chứng thực: 592" under a copy's seal numbers the copy, not the card
                    hits.append(LabelHit(key, line, i, i + width, score, value_start, _names_other_person(qualifier),
                                         target, loose, bare, qualifier))
                    break
    return hits


def _stop_for_space(words: list[str], label: list[str]) -> bool:
    """Are ``words`` the label's own, a comma read for the space after its first and its colon after
    its last ("sinh, ngày:")? A place named like the label's first word ends a signing line's place,
    and no colon follows that date's word ("Chiềng Sinh, ngày 13 tháng 6 năm 2022")."""
    return words[0].rstrip(",") == label[0] and words[-1].endswith(":")


def _label_parts(tokens: list[str]) -> list[str]:
    """The words as a label is matched against them: a value glued to the label's colon ("tính:nữ"),
    a whole date glued to its last word ("ngày-14/07/1988"), a dot leader glued to it ("tên……") and
    the "hoặc" of the label's other wording glued to it ("thưhoặc") cut off."""
    parts = [t.partition(":")[0] + ":" if ":" in t and letters_or_digits(t.partition(":")[2]) else t for t in tokens]
    parts = [_glued_date_off(t) for t in parts]
    parts = [t[:-4] if _alternative_glued(t) else t for t in parts]
    return [re.sub(r"[.…_·]{2,}.*$", "", t) or t for t in parts]


def _glued_date_off(token: str) -> str:
    """``token`` without a whole date glued to its letters ("ngay-14/07/1988……" -> "ngay")."""
    for at in range(1, len(token)):
        if token[at - 1].isalpha() and not token[at].isalpha() and _GLUED_WHOLE_DATE.fullmatch(token[at:]):
            return token[:at]
    return token


def _in_brackets(tokens: list[str]) -> list[bool]:
    """Which words stand inside a printed instruction in brackets ("Chỗ ở hiện nay (trường hợp khác
    nơi đăng ký thường trú):"): they explain a label and are none themselves. A bracket inside a word
    opens nothing (:func:`bracket_depth_change`). Instructions do not nest: a bracket opened inside an
    open one means OCR lost the first one's close ("nơi cấp (Plac of Cục Cảnh sát hoặc Số định danh cá
    nhân (personal indentification No.):", 06_cap_GPLX_quoc_te), and where it closed is not known, so
    only its opening word stays an instruction's: a label after it may be read."""
    depth, bracketed, opened = 0, [], 0
    for i, token in enumerate(tokens):
        if depth > 0 and opens_bracket(token):
            bracketed[opened + 1 :] = [False] * (i - opened - 1)
            depth = 0
        if depth == 0 and opens_bracket(token):
            opened = i
        bracketed.append(depth > 0 or (opens_bracket(token) and ")" not in token))
        depth = max(0, depth + bracket_depth_change(token))
    return bracketed


def _value_start(key: str, label: list[str], loose: bool, line: TextLine, tokens: list[str], bracketed: list[bool],
                 i: int, width: int, score: float) -> tuple[int | None, bool]:
    """(where the value of the label read at words ``i .. i + width`` starts, or None when nothing
    says it is a label: no colon, leader, date, number or plain value after it; whether it is a bare
    label alone at its line's end, its value below)."""
    n = len(label)
    glued_leader = bool(re.search(r"[.…_·]{2,}", tokens[i + width - 1])) and not _value_before_leader(tokens[i + width - 1])
    value_start = (i + width if glued_leader or _number_follows_directly(key, tokens, i + width)
                   else _colon_after(tokens, i + width, label, _reach(key, tokens, i, i + width)))
    if key in DATE_KEYS and _day_glued_to_label(tokens, i + width, label):
        # "Sinh ngày18 tháng 03 năm 1989", "Sinh ngày-14/07/1988……": the date opens inside the
        # label's last word (a hand's day set against it, or a speck between), whatever follows
        value_start = i + width - 1
    if (value_start is None and i > 0 and LEADER.fullmatch(tokens[i - 1]) and i + width < len(tokens)
            and _opens_value(line.words[i + width].text)):
        value_start = i + width  # "…An……sinh ngày 05/03/1990": a blank's label between leaders
    if value_start is None and i + width < len(tokens) and opens_bracket(tokens[i + width]):
        value_start = _bracket_close_lost(line.words, i + width)
    if value_start is None and key in DATE_KEYS and i + width < len(tokens):
        # "…, sinh ngày 05/03/1990" ("22 -10 -1982"), "Sinh ngày 07 tháng 02 năm 1979": a
        # date needs no colon; nor a speck read as a dash before it ("sinh ngày - 07/02/1951")
        start = i + width + _speck_before_date(line.words[i + width])
        # (a hand's day may stand apart: "sinh ngày 1 7/05/1 969")
        if re.match(rf"^[.…]*{DAY_DIGITS}(?: \d)?\s*(?:[/.⁄-]|{MONTH_WORD})", " ".join(tokens[start : start + 3])):
            value_start = start
    if (value_start is None and key == "gender" and score >= 100 and i + width < len(tokens)
            and _after_speck(line.words, i + width, _gender_word)):
        # "… 30/06/1962 Giới tính Nam": one of two words needs no colon; nor does the label read
        # glued, its letters exact ("Giớitính Nữ", a table's narrow cell)
        value_start = i + width
    if value_start is None and key in DATE_KEYS and i + width == len(tokens):
        # "Họ và tên: Bùi Ngọc Quang Hiếu……, sinh ngày" / "01/06/2003": the date wrapped
        # onto the next line (taken from there only if it starts with a date)
        value_start = i + width
    if (value_start is None and key in NUMBER_KEYS and i + width < len(tokens) and line_start(tokens, i)
            and _after_speck(line.words, i + width, _opens_digits)):
        # "Số CMND/CCCD 0740…": the blank's leader filled, no colon printed (a speck before the digits,
        # "Z°[0.01] 040158888567", none of them: the value's words start at its first digits)
        value_start = i + width
    opens_item = line_start(tokens, i) or _opens_second_item(line, tokens, i, n)
    if (value_start is None and width == n and score >= 100 and not loose and opens_item
            and _value_opens_plainly(key, line.words[i + width : i + width + 3])):
        value_start = i + width  # "1. Họ và tên Lê Quốc Trung": the blank filled, no colon printed
    if value_start is None and width == n and score >= 100 and not loose and opens_item:
        # "Họ và tên người tham gia bảo hiểm y tế Huỳnh Đình Hiếu": the colon after the label's
        # words of whom lost under a hand's ink; those words are the qualifier, as before a colon
        after = _after_small_words(line, i + width)
        if after is not None and _value_opens_plainly(key, line.words[after : after + 3]):
            value_start = after
    bare = (value_start is None and width == n and score >= 100 and not loose and opens_item
            and (_nothing_after(tokens, i + width, bracketed) or _only_whose(line, tokens, i + width)))
    if bare:
        value_start = len(tokens)  # "5. Địa chỉ thường trú" alone: see keep_bare_hits
    return value_start, bare


_SPECK_DASH = re.compile(r"[-–—~]")
"""A lone dash between a label and its date: a speck, or the hand's stroke, nothing the date holds."""


def _speck_before_date(word: Word) -> bool:
    """Is ``word``, between a date's label and the date, a speck: a dash (:data:`_SPECK_DASH`), or a
    mark read unsure ("Sinh ngày '[0.46] 05-05-1966")?"""
    return bool(_SPECK_DASH.fullmatch(word.text)) or (word.conf < LOW_WORD_CONF and not letters_or_digits(word.text))


def _after_speck(words: list[Word], start: int, opens: Callable[[Word], bool]) -> bool:
    """Does word ``start`` open the value (``opens``), or a speck OCR read as a letter or a mark
    (:data:`LOW_WORD_CONF`) stand before the word that does ("Giới tính ệ[0.00] Nữ")?"""
    return opens(words[start]) or (words[start].conf < LOW_WORD_CONF and start + 1 < len(words)
                                   and opens(words[start + 1]))


def is_gender_word(text: str) -> bool:
    """Is ``text`` "Nam" or "Nữ" as printed, marks and leaders around it aside?"""
    return text.strip(" .,:;_…").casefold() in GENDER_WORDS


def _gender_word(word: Word) -> bool:
    return is_gender_word(word.text)


def _opens_digits(word: Word) -> bool:
    """Does ``word`` open a number's digits (:data:`_NUMBER_OPENS`)?"""
    return _NUMBER_OPENS.match(word.text) is not None


_GLUED_WHOLE_DATE = re.compile(r"[-.]?\d{1,2}[/.⁄-]\d{1,2}[/.⁄-]\d{4}[.…_]*")
"""A whole date glued to its label's last word, a speck or dash between ("ngày-14/07/1988……")."""


def _value_before_leader(token: str) -> bool:
    """Does a label's last word hold its colon and a value glued after it, before a dot leader
    ("tính:.Nữ........", 49_TK1-TS: the leader is the blank's rest, after the value)?"""
    head, colon, tail = token.partition(":")
    return bool(colon) and bool(letters_or_digits(re.split(r"[.…_·]{2,}", tail)[0]))


def _day_glued_to_label(tokens: list[str], end: int, label: list[str]) -> bool:
    """Is the label's last word read with the date's day glued on ("ngay18"), the month's word after
    it ("… thang 03 nam 1989", or its month glued on too: "ngay24 thang11"), or with the whole date
    (:data:`_GLUED_WHOLE_DATE`)? The date then opens inside that word."""
    last = tokens[end - 1]
    head = label[-1]
    if not last.startswith(head):
        return False
    glued = last[len(head):]
    return ((bool(re.fullmatch(r"\d{1,2}", glued)) and end < len(tokens)
             and bool(re.match(rf"^{MONTH_WORD}(?:\d{{1,2}})?$", tokens[end]))) or bool(_GLUED_WHOLE_DATE.fullmatch(glued)))


def _after_small_words(line: TextLine, end: int) -> int | None:
    """Index of the first word after ``end`` that is not a plain word in small letters, when one to
    :data:`QUALIFIER_REACH` such words follow ``end`` and a word follows them: where a value could
    open after a label's words of whom ("người tham gia bảo hiểm y tế") whose colon was not read."""
    k = end
    while k < len(line.words) and k - end <= QUALIFIER_REACH and _small_word(line.words[k].text):
        k += 1
    return k if end < k < len(line.words) and k - end <= QUALIFIER_REACH else None


def _small_word(text: str) -> bool:
    return text.isalpha() and text.islower()


def _best_hits(hits: list[LabelHit]) -> list[LabelHit]:
    """The hits that do not overlap, longer labels first and a strict label before a loose one of the
    same length, in their order on the line."""
    hits = sorted(hits, key=lambda h: (-(h.end - h.start), h.loose, -h.score))
    chosen: list[LabelHit] = []
    for hit in hits:
        if all(hit.value_start <= c.start or hit.start >= c.value_start for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def _nothing_after(tokens: list[str], end: int, bracketed: list[bool] | None = None) -> bool:
    """Do the words from ``end`` on hold no value: none, or only footnote marks ("(2)"), or only a
    bracketed gloss ("Ngày tháng năm sinh (date of birth)", 06_cap_GPLX_quoc_te: the date below)?"""
    if bracketed is not None and end < len(tokens) and tokens[end].startswith("(") and tokens[-1].endswith(")"):
        return all(bracketed[k] or k == end for k in range(end, len(tokens)))
    return all(not letters_or_digits(FOOTNOTE.sub("", t)) for t in tokens[end:])


WHOSE_WORDS = 5
"""How many words a bare label's "của …" may have ("của người làm thủ tục")."""


def _only_whose(line: TextLine, tokens: list[str], end: int) -> bool:
    """Do the words from ``end`` on only say whose value the label asks, in small letters and with
    no colon ("Điện thoại của chủ xe" / "0839604043", 22_dk_xe1, its colon not printed)? Then the
    label is bare: its value opens the next line, and the qualifier says whose it is."""
    rest = [word.text for word in line.words[end:]]
    return (1 < len(rest) <= WHOSE_WORDS and tokens[end] == "cua"
            and all(_small_word(text) for text in rest))


LONG_LABEL_WORDS = 3


def _opens_second_item(line: TextLine, tokens: list[str], i: int, n: int) -> bool:
    """Does a label of :data:`LONG_LABEL_WORDS` words or more, capitalised, open the second of two
    items set on one line ("Trường: Đại học Cần Thơ Địa chỉ thường trú Số 231, …",
    62_xet_cap_hoc_bong_chinh_sach)? Prose names such a label in small letters ("… có địa chỉ
    thường trú tại …"); a capital opens an item."""
    return (n >= LONG_LABEL_WORDS and i > 0 and line.words[i].text[:1].isupper()
            and not tokens[i - 1].endswith((",", "(")) and not _in_a_phrase(tokens, i))


_DATE_OPENS = re.compile(rf"^[.…_]*{DAY_DIGITS}\s*(?:[/.⁄-]\s*\d{{1,2}}\s*[/.⁄-]{{1,2}}\s*\d{{4}}|{MONTH_WORD})")
_NUMBER_OPENS = re.compile(r"^[.…_]*\d{3}")


def _opens_plainly_below(key: str, line: TextLine) -> bool:
    """Does ``line`` unmistakably open the value of ``key``, the label above it printed alone with no
    colon ("5. Địa chỉ thường trú" / "Tổ dân phố 7, Xã Hiệp Hòa, …", 51_TK_cap_ho_chieu_tre_em)? A
    name or place as :func:`_value_opens_plainly` reads one, a whole date, a number's digits."""
    kind, words = doctypes.spec(key).kind, strip_separators(list(line.words))
    if kind == "date":
        return bool(_DATE_OPENS.match(" ".join(word_keys(TextLine(words, line.page_no, line.page_width, line.page_height)))))
    if doctypes.spec(key).export == "digits":
        return bool(words) and bool(_NUMBER_OPENS.match(words[0].text))
    return _value_opens_plainly(key, words[:3])


def keep_bare_hits(lines: list[TextLine], hits_per_line: list[list[LabelHit]]) -> None:
    """Drop each bare label (:attr:`LabelHit.bare`) the next line of its page does not answer with a
    plain value of its field: without a colon, a label alone on its line is a heading otherwise."""
    for index, hits in enumerate(hits_per_line):
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        hits[:] = [hit for hit in hits if not hit.bare or (
            nxt is not None and nxt.page_no == lines[index].page_no and not hits_per_line[index + 1]
            and _opens_plainly_below(hit.key, nxt))]


def strip_separators(words: list[Word]) -> list[Word]:
    """Drop leading ':' / '.' tokens, footnote marks ("(2)") and dot leaders around a value; a dot
    leader glued to a value word ("……Nguyễn", "An……") is cut off the word."""
    out = list(words)
    while out and (not fold(out[0].text).strip(":.;-_…·") or re.fullmatch(r"[:.…]*\(\d{1,2}\)[:.…]*", out[0].text)):
        out.pop(0)
    if out and (out[0].text[:1] in ":;" or (out[0].text[:1] == "." and out[0].text[1:2].isalpha())):
        # "tính:.Nữ": the stop of a leader's start left on the value's first letter
        first = out[0].model_copy(update={"text": out[0].text.lstrip(":;. ")})
        out[0] = first
    kept = []
    for word in out:
        text = re.sub(r"^[.…_·]{2,}|[.…_·]{2,}$", "", word.text)
        if fold(text).strip(".…_·"):
            kept.append(word if text == word.text else word.model_copy(update={"text": text}))
    return kept


