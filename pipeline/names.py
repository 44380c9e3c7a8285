"""Person names after OCR: repair surnames and name syllables against what Vietnamese names are.

OCR slips in names are mostly one mark ("NGUYÊN" for "NGUYỄN", "Đỉnh" for "Đinh", "ĐIỆU" for
"DIỆU") or one letter at the start ("frương", "1rương", "Wgô" for "Trương", "Ngô"). Two facts
catch them:

* surnames are a short closed list: a first word that is no surname but is one edit (or only
  marks) away from exactly one surname is that surname;
* middle and given names come from a few hundred syllables: a word that is none of them but
  whose unmarked form belongs to exactly one of them is that one (``dieu`` → Diệu). When the
  unmarked form fits several ("thu": Thu, Thư), nothing is changed and the value is reported as
  holding an unknown name syllable, so the confidence model sends it to a reviewer.

Pure functions; the lists are common Vietnamese names, not taken from any sample set.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from pipeline.lexicon import spelling
from pipeline.syllables import cuts
from pipeline.text import fold

SURNAME_LIST: tuple[str, ...] = tuple(dict.fromkeys((
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Trương Lương Đinh Tô Mai "
    "Cao Lâm Trịnh Hà Tạ Châu Thái Từ Lưu Quách Kiều Vương Tôn Nông Lò Triệu Chu Tăng Hứa Giang Phùng La Diệp "
    "Đàm Khúc Âu Văn Thân Lục Mạc Tiêu Ninh Hầu Lã Khổng Doãn Đồng Quan Công Nghiêm Thạch Mẫn Bạch Lại Kim "
    "Tống Ông Phó Vi Mông Hoàng Hàn Lạc Lăng Liêu Ma Nhữ Quang Sầm Thiều Ứng Yên Âu Đường Trang Khương Giáp"
).split()))

# Middle and given names in common use (both genders), with their marks.
NAME_SYLLABLES: tuple[str, ...] = tuple(dict.fromkeys((
    "An Ái Ân Anh Ánh Bá Bạch Bảo Bắc Bằng Bích Biên Bình Bính Bổn Cảnh Cát Cẩm Cầm Chánh Châu Chi Chí Chiến "
    "Chinh Chính Chung Công Cúc Cung Cương Cường Danh Dân Diễm Diệp Diệu Dinh Doanh Du Dung Dũng Duy Duyên "
    "Dương Đại Đan Đạo Đạt Điềm Điệp Định Đình Đoan Đông Đồng Đức Gấm Gia Giang Giao Giáp Hà Hạ Hải Hân Hằng "
    "Hạnh Hào Hảo Hậu Hiền Hiển Hiếu Hiệp Hinh Hòa Hoà Hóa Hoá Hoài Hoan Hoàn Hoàng Hoa Học Hội Hồng Huân Huấn "
    "Huệ Hùng Hưng Hương Hường Hữu Huy Huyền Huỳnh Kha Khải Khang Khánh Khanh Khoa Khôi Khuê Khuyên Kiên Kiệt "
    "Kiều Kim Kỳ Lạc Lai Lam Lâm Lan Lành Lãm Lập Lễ Liên Liễu Linh Loan Lộc Lợi Long Luân Luận Lực Lương "
    "Ly Lý Mai Mạnh Mẫn Minh Mơ Mỹ My Nam Nga Ngà Ngân Nghĩa Nghị Ngọc Nguyên Nguyệt Nhã Nhàn Nhân Nhật Nhi "
    "Nhiên Như Nhung Ninh Oanh Phát Phong Phú Phúc Phụng Phước Phương Phượng Quân Quang Quế Quốc Quý Quyên "
    "Quyền Quyết Quỳnh Sang Sáng Sâm Sơn Song Sương Tài Tâm Tân Tấn Thạch Thái Tham Thắm Thân Thăng Thắng "
    "Thanh Thành Thạnh Thảo Thắng Thế Thi Thị Thiên Thiện Thịnh Thoa Thông Thu Thư Thuận Thục Thúy Thủy "
    "Thùy Thuỷ Thuý Thơ Thương Tiến Tiên Tín Tình Tính Toàn Toản Tôn Trà Trâm Trang Tráng Trí Triết Triều "
    "Trinh Trọng Trúc Trung Trường Tú Tuân Tuấn Tùng Tường Tuyền Tuyết Uyên Văn Vân Vi Việt Viên Vinh Vĩnh "
    "Võ Vũ Vượng Vy Xuân Yên Yến Ẩn Ngữ Nhạn Thuần Khiêm Hy Lệ Diễn Doãn Đào Đạm Đăng Điền Hiên Hợp Khiết"
).split()))

_SURNAMES_MARKED = {s.casefold(): s for s in SURNAME_LIST}
_NAMES_MARKED = {s.casefold(): s for s in NAME_SYLLABLES}


def _by_fold(words: tuple[str, ...]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for word in words:
        # "Hòa"/"Hoà" are one name (tone placement): keep the first spelling only
        out[fold(word)].add(word)
    return out


_SURNAMES_BY_FOLD = _by_fold(SURNAME_LIST)
_NAMES_BY_FOLD = _by_fold(NAME_SYLLABLES)
_SAME_NAME = {"Hoà": "Hòa", "Hoá": "Hóa", "Thuỷ": "Thủy", "Thuý": "Thúy"}


@dataclass
class NameRepair:
    """A repaired name and what was found on the way."""

    value: str
    fixed: int = 0
    """How many words were changed."""
    surname_known: bool = False
    unknown: int = 0
    """Words (after the surname) that are no known name syllable, even after repair."""
    words: int = 0
    guessed: int = 0
    """Middle or given names changed into a syllable that other name syllables lie one letter from
    ("Hàng" -> "Hằng", with "Hồng", "Hùng", "Hạnh" as near): right if only the marks slipped, but a
    misread letter would give the same reading. Surnames are a closed list; given names are not."""
    moved_letter: bool = False
    """A word's last letter was given back from the next word ("Quố CPhong" -> "Quốc Phong"): OCR
    spacing, as unsure as a word read in pieces."""
    stray_letter: bool = False
    """A letter OCR put inside the surname was dropped ("NWguyễn" -> "Nguyễn"): a guess at what
    was written."""
    case_slip: bool = False
    """A word read in another case than the name's ("NgỌC", "CHâu", "LỘC" in a name in Title case) was
    put in the name's style: a reading that slipped in case may have slipped in its letters too."""
    hook_as_dot: bool = False
    """A hook above an i was taken for its dot ("Chỉ" -> "Chi", :func:`_dot_read_as_hook`): the name
    its letters likely are, another name ("Chí") has them too."""


def _styled(word: str, like: str) -> str:
    """``word`` in the case style of ``like`` (CAPITALS or Title)."""
    return word.upper() if like.isupper() and len(like) > 1 else word


def _unique(candidates: set[str]) -> str | None:
    spellings = {_SAME_NAME.get(c, c) for c in candidates}
    return next(iter(spellings)) if len(spellings) == 1 else None


def surnames_ending(read: str) -> list[str]:
    """The surnames (case folded) a first word read as ``read`` can be the end of, a letter or two lost
    before it ("ỳnh": huỳnh alone; "ương": dương, khương, lương, trương, vương)."""
    ending = read.casefold()
    return sorted(s for s in _SURNAMES_MARKED if s.endswith(ending) and 0 < len(s) - len(ending) <= 2)


def repair_surname(word: str) -> str | None:
    """The surname ``word`` was misread from, if exactly one fits; None when none or several do."""
    if word.casefold() in _SURNAMES_MARKED:
        return word
    key = fold(word)
    same_letters = _SURNAMES_BY_FOLD.get(key, set())
    by_marks = _unique(same_letters)
    if by_marks is None and len(same_letters) > 1 and word[0] in "Đđ":
        # "Đoần": Đoàn and Doãn fold alike; the bar of the Đ was read (OCR loses a bar, it does not
        # add one), so only Đoàn is left - "Doần" stays unsure: Doãn, or Đoàn without its bar
        by_marks = _unique({s for s in same_letters if s[0] == "Đ"})
    if by_marks is not None:
        return _styled(by_marks, word)
    stray = _without_stray_capital(word)
    if stray is not None:
        return _styled(stray, word)
    if len(key) < 3:
        return None
    # one letter slipped ("frương", "1rương", "Wgô"): same length, one substitution, first letter only
    near = _first_letter_near(key)
    # the marks of the rest must already agree: only the first letter slipped ("poàn": Đoàn, not Doãn)
    found = _unique({s for s in near if s[1:].casefold() == word[1:].casefold()})
    if found is None:
        return None
    return _styled(found, word)


def _first_letter_near(key: str) -> set[str]:
    """The surnames whose folded letters are ``key``'s but for its first letter."""
    return {s for k, ss in _SURNAMES_BY_FOLD.items() if len(k) == len(key) and Levenshtein.distance(k, key) == 1
            and k[1:] == key[1:] for s in ss}


def _without_stray_capital(word: str) -> str | None:
    """The surname ``word`` is once one capital OCR put inside it is dropped ("NWguyễn": a
    handwritten N read as two letters), if that is exactly one surname with its marks; else None."""
    found = {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)
             if word[i].isupper() and word[i + 1].islower() and (word[:i] + word[i + 1 :]).casefold() in _SURNAMES_MARKED}
    return _SURNAMES_MARKED[found.pop().casefold()] if len(found) == 1 else None


def has_stray_capital(word: str) -> bool:
    """Was ``word`` a surname only once a stray capital inside it is dropped (see :func:`repair_surname`)?"""
    return word.casefold() not in _SURNAMES_MARKED and _without_stray_capital(word) is not None


def repair_syllable(word: str) -> tuple[str, bool]:
    """(repaired word, known?) for a middle or given name."""
    if word.casefold() in _NAMES_MARKED:
        return word, True
    found = _unique(_NAMES_BY_FOLD.get(fold(word), set())) or _dot_read_as_hook(word)
    if found is None:
        return word, False
    return _styled(found, word), True


_HOOKED_I = str.maketrans("ỉỈ", "iI")


def _dot_read_as_hook(word: str) -> str | None:
    """The name an i's dot read as the hook above (dấu hỏi) leaves: "Chỉ" is no name, "Chi" is
    (Tesseract reads the given name "Chi" so, typed or by hand; its unmarked letters fit "Chí" too,
    which that misreading does not explain). None when there is no such name."""
    bare = word.translate(_HOOKED_I)
    return _NAMES_MARKED.get(bare.casefold()) if bare != word else None


_NAME_FOLDS = frozenset(_NAMES_BY_FOLD)
SURNAME_FOLDS = frozenset(_SURNAMES_BY_FOLD)
"""Every surname, folded."""
PERSON_NAME_FOLDS = SURNAME_FOLDS | _NAME_FOLDS
"""Every surname and name word, folded."""


def opens_a_name(texts: list[str], after_leader: bool = False) -> bool:
    """Do the words open a person's name: a surname then a capitalised name word ("Lê Quốc Trung")?
    ``after_leader``: the surname may sit behind a letter or two of a blank's leader read as ink
    ("NÑguyễn Ngọc Hiếu"; a longer surname only, "Huyện" is no "Yên")."""
    if len(texts) < 2 or not texts[0][:1].isupper() or not texts[1][:1].isupper():
        return False
    first = fold(texts[0])
    surname = first in SURNAME_FOLDS or (after_leader and any(
        len(first) - cut >= 4 and first[cut:] in SURNAME_FOLDS for cut in (1, 2)))
    return surname and fold(texts[1]) in PERSON_NAME_FOLDS


def unrivalled_surname(word: str) -> bool:
    """Is ``word`` a surname with its marks that no other surname lies a letter or a mark from
    ("Nguyễn", "Phạm"; not "Võ": Vũ, nor "Lê": Lý)?"""
    if word.casefold() not in _SURNAMES_MARKED:
        return False
    key = fold(word)
    spellings = {_SAME_NAME.get(s, s) for s in _SURNAMES_BY_FOLD.get(key, ())}
    return len(spellings) == 1 and not any(other != key and Levenshtein.distance(other, key) <= 1
                                           for other in _SURNAMES_BY_FOLD)


def has_mark_rivals(word: str) -> bool:
    """Is another name spelt with ``word``'s letters and other marks ("MỸ": My; "THĂNG": Thắng)?
    Spellings of one name ("Hòa"/"Hoà") are no rivals."""
    spellings = {_SAME_NAME.get(name, name) for name in _NAMES_BY_FOLD.get(fold(word), ())}
    return len(spellings) > 1 and any(name.casefold() == word.casefold() for name in spellings)


def has_near_names(word: str) -> bool:
    """Is another name syllable one letter edit from ``word`` (folded)?"""
    key = fold(word)
    return any(other != key and Levenshtein.distance(other, key) == 1 for other in _NAME_FOLDS)


def _rival_keeping_tone(read: str, repaired: str) -> bool:
    """Is there, where the surname repair changed the tone read (``read`` -> ``repaired``), another
    surname of the same first letter and length, one letter off when folded, with the tone as read
    ("Vĩ" -> "Vi", but "Vũ" keeps the tilde)? Letters are misread as often as marks."""
    tone = spelling(read)[1]
    if tone == spelling(repaired)[1]:
        return False
    key = fold(read)
    return any(len(other) == len(key) and other[0] == key[0] and Levenshtein.distance(other, key) == 1
               and any(spelling(s)[1] == tone for s in _SURNAMES_BY_FOLD[other]) for other in _SURNAMES_BY_FOLD)


def _known(word: str) -> bool:
    return word.casefold() in _NAMES_MARKED or word.casefold() in _SURNAMES_MARKED


def join_split_words(words: list[str]) -> list[str]:
    """Glue a word OCR cut in two ("Qu ốc" → "Quốc") when neither piece is a name but both together are."""
    out: list[str] = []
    for word in words:
        if out and not _known(out[-1]) and not _known(word) and _known(out[-1] + word):
            out[-1] = out[-1] + word
        else:
            out.append(word)
    return out


def split_glued_words(words: list[str]) -> list[str]:
    """Cut words OCR glued together ("ĐứcCông" → "Đức Công"): a capital after a small letter; in a
    name in capitals, where the word, no name syllable itself, is two or three name syllables one way
    only ("THÀNHCÔNG" → "THÀNH CÔNG", "ĐOÀNTHANHDIỆU" → "ĐOÀN THANH DIỆU"). A capital OCR read
    inside one name syllable ("ViỆt") is made small again, not cut (:func:`stray_inner_capital`)."""
    out: list[str] = []
    for word in words:
        whole = stray_inner_capital(word)
        if whole is not None:
            out.append(whole)
            continue
        cut = "".join(f" {ch}" if i and ch.isupper() and word[i - 1].islower() else ch for i, ch in enumerate(word))
        for piece in cut.split():
            out += _split_capitals(piece)
    return out


GLUED_SYLLABLES = 3
"""The most name syllables one glued word in capitals is cut into (a four-word name read as two)."""


def _split_capitals(word: str) -> list[str]:
    if not (word.isalpha() and word.isupper() and len(word) >= 4) or _known(word):
        return [word]
    ways = cuts(word, _known, GLUED_SYLLABLES)
    return ways[0] if len(ways) == 1 and len(ways[0]) > 1 else [word]


def stray_inner_capital(word: str) -> str | None:
    """The name syllable ``word`` is once the one capital OCR read inside it is made small ("ViỆt":
    Việt), when what follows that capital is no name syllable of its own (not "ĐứcViệt", two names
    glued); None otherwise."""
    core = word.rstrip(",;.:")
    inner = [i for i in range(1, len(core)) if core[i].isupper() and core[i - 1].islower()]
    if len(inner) != 1 or not core.isalpha() or not core[:1].isupper():
        return None
    at = inner[0]
    lowered = core[:at] + core[at:].lower()
    if not _known(lowered) or _known(core[at:]) or (core[at + 1 :] and not core[at + 1 :].islower()):
        return None
    return lowered + word[len(core):]


def move_capitals_back(words: list[str]) -> list[str]:
    """Give a word's last letter back when OCR opened the next word with it ("Quố CPhong", read from
    "QuốCPhong", is "Quốc Phong"): the word alone is no name syllable, with the letter it is one, and
    the next word without it is one too."""
    out = list(words)
    for i in range(1, len(out)):
        before, text = out[i - 1], out[i]
        if (len(text) > 2 and text.isalpha() and text[0].isupper() and text[1].isupper() and text[2:].islower()
                and before.isalpha() and before[:1].isupper() and before[1:].islower() and not _known(before)
                and _known(before + text[0].lower()) and _known(text[1:])):
            out[i - 1], out[i] = before + text[0].lower(), text[1:]
    return out


def in_one_case_style(words: list[str]) -> list[str]:
    """A name's words in the case style most of them share: "ĐỖ Văn Hùng", "Lê Thị THu", "Ngô phan
    Anh" are Title case; "NGUYỄN THỊ Lan" in capitals. OCR reads a capital's marks as a capital letter
    ("NgỌC") or a hand's capital small; a written name keeps one style. Nothing changes unless at
    least two words, and more than half, share the style."""
    # a word in small letters that is no name ("ương Diệu Loan") lost its first letters: no capital for it
    styles = [None if w.islower() and fold(w) not in PERSON_NAME_FOLDS else _case_style(w) for w in words]
    for style, restyle in (("title", lambda w: w[:1].upper() + w[1:].lower()), ("caps", str.upper)):
        count = styles.count(style)
        if count >= 2 and count * 2 > len(words):
            return [restyle(w) if s not in (style, None) else w for w, s in zip(words, styles)]
    return words


def _case_style(word: str) -> str | None:
    """"title", "caps" or "odd" for a word of letters; None for anything else ("1e", "A", "Thị,")."""
    if not word.isalpha() or len(word) < 2:
        return None
    if word.isupper():
        return "caps"
    return "title" if word[0].isupper() and word[1:].islower() else "odd"


_ETH_AS_DJ = str.maketrans("Ðð", "Đđ")
"""The Icelandic eth (Ð, ð), which Tesseract reads for a Vietnamese Đ/đ ("ÐĐỗ Mỹ Thủy", "Ðoàn"): no
Vietnamese name has it. Put back, the name is a likely reading, not a sure one (``stray_letter``)."""


def repair_name(value: str) -> NameRepair:
    """Repair the surname and name syllables of a person's name (see the module docstring)."""
    lookalike = any(ord(ch) in _ETH_AS_DJ for ch in value)
    glued = split_glued_words(value.translate(_ETH_AS_DJ).split())
    moved = move_capitals_back(glued)
    words = join_split_words(moved)
    if len(words) < 2:
        return NameRepair(value, words=len(words))
    out = list(words)
    fixed = unknown = guessed = 0
    surname = repair_surname(words[0])
    # a name printed without a mark on any word ("NGUYEN THI MAI ANH", as a passport writes it) is kept
    # as printed: marks put on one word of it ("NGUYỄN THI …") would spell neither way of writing it
    unmarked = all(ch.isascii() for ch in value)
    if surname is not None and surname != words[0] and not unmarked:
        out[0], fixed = surname, fixed + 1
        # a first letter slipped where several surnames differ from the word in it ("poàn": Đoàn or
        # Doãn, the marks chose): the likely surname, not a sure one
        guessed += fold(surname) != fold(words[0]) and len(_first_letter_near(fold(words[0]))) > 1
        # marks no surname has, put right by changing its tone ("Vĩ" -> "Vi"), where a surname keeps the
        # tone read with one other vowel ("Vũ"): the slip may have been in a letter, not in the tone
        guessed += fold(surname) == fold(words[0]) and _rival_keeping_tone(words[0], surname)
    for i, word in enumerate(words[1:], start=1):
        new, known = repair_syllable(word)
        if new != word and not unmarked:
            out[i], fixed = new, fixed + 1
            guessed += new.casefold() != _SAME_NAME.get(word, word).casefold() and has_near_names(new)
        unknown += not known
    fixed += abs(len(value.split()) - len(words))
    fixed += sum(stray_inner_capital(word) is not None for word in value.split())  # "ViỆt": a slip put right
    styled = in_one_case_style(out)
    fixed += sum(a != b for a, b in zip(styled, out))
    case_slip = styled != out
    out = styled
    return NameRepair(" ".join(out), fixed, surname is not None, unknown, len(words), guessed,
                      stray_letter=has_stray_capital(words[0]) or lookalike, moved_letter=moved != glued,
                      case_slip=case_slip, hook_as_dot=any(_dot_read_as_hook(w) for w in words[1:]))
