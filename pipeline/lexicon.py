"""Fixed phrases of administrative Vietnamese, and what a reading of them can betray.

A phrase such as "sở giáo dục và đào tạo" or "an ninh chính trị nội bộ" has one spelling. When a
value holds the phrase's letters with other marks ("SƠ GIAO DỤC VÀ ĐAO TẠO", "ÚY BAN NHÂN DÂN"),
OCR slipped on the marks; when it holds the phrase with one inner word gone ("PHÒNG AN CHÍNH TRỊ
NỘI BỘ"), OCR dropped a word. Neither reading is guessed back: the value goes to a reviewer.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.text import fold

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def spelling(word: str) -> tuple[str, str]:
    """(letters with their vowel marks, tone): "uỷ" and "ủy" are one spelling, "sở" and "sơ" are not."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tone = "".join(ch for ch in decomposed if ch in _TONES)
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return base, tone

AGENCY_PHRASES: tuple[str, ...] = (
    "ủy ban nhân dân", "hội đồng nhân dân", "sở giáo dục và đào tạo", "sở tư pháp", "sở nội vụ", "sở tài chính",
    "sở xây dựng", "sở y tế", "sở kế hoạch và đầu tư", "sở tài nguyên và môi trường", "sở lao động thương binh và xã hội",
    "sở giao thông vận tải", "sở công thương", "sở văn hóa thể thao và du lịch", "sở thông tin và truyền thông",
    "sở nông nghiệp và phát triển nông thôn", "sở khoa học và công nghệ", "phòng an ninh chính trị nội bộ",
    "an ninh chính trị nội bộ", "phòng tư pháp", "phòng nội vụ", "phòng tài chính kế hoạch", "văn phòng",
    "công an", "bảo hiểm xã hội", "chi cục thuế", "cục thuế", "trung tâm phục vụ hành chính công",
    "bộ phận tiếp nhận và trả kết quả", "phòng quản lý đô thị", "phòng kinh tế hạ tầng", "phòng giáo dục và đào tạo",
    "ban quản lý", "thanh tra", "ban chỉ huy quân sự",
    # a company's legal form (39_hoi_dap_chi_cuc_thue: "CÔNG TY CỔ PHẦN …" read "CÔNG TY CỐ PHẦN …")
    "công ty cổ phần", "cổ phần", "trách nhiệm hữu hạn", "công ty tnhh",
    # schools that train and certify (04_cap_chung_chi_tham_tra_vien_ATGT_duong_bo: "TRƯỜNG CAO ĐẲNG
    # GIAO THÔNG VẬN TẢI …" read "CAO ĐĂNG")
    "trường cao đẳng", "trường đại học", "trường trung cấp",
)
LETTER_PHRASES: tuple[str, ...] = (
    "về việc", "thẩm tra", "thẩm định", "bổ nhiệm", "miễn nhiệm", "đối với", "tăng cường", "công tác", "quản lý nhà nước", "trên địa bàn",
    "thực hiện", "triển khai", "kinh phí", "hộ nghèo", "cận nghèo", "nhân dịp", "tết nguyên đán", "thanh tra viên",
    "xếp lương", "thi hành án", "cải cách", "hành chính", "thủ tục", "nhà đầu tư", "ngân sách", "dự án", "phòng, chống",
    "dịch bệnh", "tham gia ý kiến", "dự thảo", "chính phủ", "kết luận", "chủ tịch", "phó chủ tịch", "tình hình",
    "kết quả", "chức danh", "ủy viên", "khẩn trương", "biện pháp", "bảo đảm", "an toàn giao thông",
    "đạt chuẩn", "nông thôn mới", "công nhận", "giá trị gia tăng", "thu nhập cá nhân",
)
_CAN = ("giáp", "ất", "bính", "đinh", "mậu", "kỷ", "canh", "tân", "nhâm", "quý")
_CHI = ("tý", "sửu", "dần", "mão", "thìn", "tỵ", "ngọ", "mùi", "thân", "dậu", "tuất", "hợi")
YEAR_NAMES: tuple[str, ...] = tuple(f"{can} {chi}" for i, can in enumerate(_CAN) for j, chi in enumerate(_CHI)
                                    if i % 2 == j % 2)
"""Lunar year names ("Tết Nguyên đán Ất Tỵ"): one spelling each."""
UNIT_PHRASES: tuple[str, ...] = ("nhân dân tỉnh", "nhân dân huyện", "nhân dân xã", "nhân dân phường",
                                 "nhân dân thành phố", "nhân dân quận", "nhân dân thị xã", "nhân dân thị trấn")
"""A unit type word after "ỦY BAN NHÂN DÂN" ("TINH" is "TỈNH" there)."""

STREET_NAMES: tuple[str, ...] = (
    # the names most Vietnamese towns give their streets (national heroes, dynasties, dates, places);
    # a street is printed with its name's marks, so a reading with other marks is an OCR slip
    "lê lợi", "lê lai", "lê duẩn", "lê thánh tông", "lê hồng phong", "lê quý đôn", "lê đại hành", "lê thái tổ",
    "lê văn lương", "lê trọng tấn", "trần hưng đạo", "trần phú", "trần quốc toản", "trần nhân tông",
    "trần khánh dư", "trần cao vân", "trần quang khải", "trần nhật duật", "trần bình trọng", "trần quốc tuấn",
    "trần duy hưng", "trần đại nghĩa", "nguyễn huệ", "nguyễn trãi", "nguyễn du", "nguyễn thái học",
    "nguyễn văn cừ", "nguyễn văn linh", "nguyễn thị minh khai", "nguyễn đình chiểu", "nguyễn bỉnh khiêm",
    "nguyễn chí thanh", "nguyễn tất thành", "nguyễn công trứ", "nguyễn khuyến", "nguyễn trường tộ",
    "nguyễn văn trỗi", "nguyễn lương bằng", "nguyễn tri phương", "nguyễn hữu thọ", "nguyễn thị định",
    "hai bà trưng", "bà triệu", "quang trung", "lý thường kiệt", "lý thái tổ", "lý tự trọng", "lý nam đế",
    "phan đình phùng", "phan bội châu", "phan chu trinh", "phan châu trinh", "phan đăng lưu", "hùng vương",
    "điện biên phủ", "võ thị sáu", "võ văn kiệt", "võ nguyên giáp", "võ văn tần", "ngô quyền", "ngô gia tự",
    "hoàng diệu", "hoàng hoa thám", "hoàng văn thụ", "hoàng quốc việt", "tôn đức thắng", "phạm văn đồng",
    "phạm ngũ lão", "phạm hùng", "trường chinh", "xuân thủy", "chu văn an", "tô hiến thành", "đinh tiên hoàng",
    "đinh bộ lĩnh", "đề thám", "mạc đĩnh chi", "yết kiêu", "hàm nghi", "hồ tùng mậu", "hồ xuân hương",
    "huỳnh thúc kháng", "kim mã", "giải phóng", "láng hạ", "cầu giấy", "bạch đằng", "chi lăng",
    "cách mạng tháng tám", "nam kỳ khởi nghĩa", "lạc long quân", "âu cơ", "an dương vương", "cao thắng",
    "cao bá quát", "đào duy từ", "đoàn thị điểm", "thái phiên", "văn cao", "xô viết nghệ tĩnh",
)
"""Street names of one spelling each (checked in place fields only: "đường Điện Biên Phù" is a slip)."""


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,;:.()\-]+", text) if w]


def _phrase_texts() -> list[str]:
    """Every known phrase once (the extractor's own among them)."""
    from pipeline.extract import PHRASES

    return list(dict.fromkeys(AGENCY_PHRASES + LETTER_PHRASES + YEAR_NAMES + UNIT_PHRASES + PHRASES))


def _phrases() -> list[tuple[list[str], list[str]]]:
    out = []
    for phrase in _phrase_texts():
        words = _words(phrase)
        out.append(([spelling(w) for w in words], [fold(w) for w in words]))
    return out


_PHRASE_TABLE: list[tuple[list, list[str]]] | None = None
_STREET_TABLE = [([spelling(w) for w in _words(name)], [fold(w) for w in _words(name)]) for name in STREET_NAMES]
_STREET_KEYS = frozenset(tuple(keys) for _, keys in _STREET_TABLE)
"""Every well-known street's folded words: read so, a street is no slip of another."""
_FIXED_PHRASE_TABLE = [([spelling(w) for w in _words(phrase)], [fold(w) for w in _words(phrase)])
                       for phrase in AGENCY_PHRASES + UNIT_PHRASES if len(_words(phrase)) >= 2]
"""(marked words, folded words) of the agencies' and units' fixed phrases of two words or more."""


def _table() -> list[tuple[list, list[str]]]:
    global _PHRASE_TABLE
    if _PHRASE_TABLE is None:
        _PHRASE_TABLE = _phrases()
    return _PHRASE_TABLE


def _ambiguous(folded: list[str]) -> bool:
    """Folded words that two phrases spell differently cannot betray a slip ("tinh" alone)."""
    spellings = {tuple(marked) for marked, keys in _table() if keys == folded}
    return len(spellings) > 1


_STREET_WORDS = ("duong", "pho")
_NOT_STREET_BEFORE_PHO = ("thanh", "khu", "dan")  # "Thành phố", "Khu phố", "Tổ dân phố" name no street


def street_slip(value: str) -> str | None:
    """The well-known street name that the street of an address ("…, đường Điện Biên Phù, …")
    holds with other marks, or None. Only the words right after "đường"/"phố" are compared: a
    unit's name may fold like a street ("Thị trấn Phú Thiện" holds "trấn Phú")."""
    for segment in value.split(","):
        words = _words(segment)
        keys = [fold(w) for w in words]
        for i, key in enumerate(keys[:-1]):
            if key not in _STREET_WORDS or (key == "pho" and i and keys[i - 1] in _NOT_STREET_BEFORE_PHO):
                continue
            marked = [spelling(w) for w in words[i + 1 :]]
            for phrase, phrase_keys in _STREET_TABLE:
                n = len(phrase_keys)
                if keys[i + 1 : i + 1 + n] == phrase_keys and marked[:n] != phrase:
                    return " ".join(phrase_keys)
            near = _near_street(keys[i + 1 :])
            if near:
                return near
    return None


def _near_street(keys: list[str]) -> str | None:
    """The well-known street name of three words or more that the folded words after "đường"
    open with one letter off ("đường Hơi Bà Trưng": a sure-looking misread of Hai Bà Trưng), unless
    those words are a well-known street themselves. Shorter names stand too close to each other
    (Lê Lai, Lê Lợi) for one letter to betray a slip."""
    from rapidfuzz.distance import Levenshtein

    for _phrase, phrase_keys in _STREET_TABLE:
        n = len(phrase_keys)
        read = keys[:n]
        if n < 3 or len(read) < n or tuple(read) in _STREET_KEYS:
            continue
        if Levenshtein.distance(" ".join(read), " ".join(phrase_keys)) == 1:
            return " ".join(phrase_keys)
    return None


def mark_slip(value: str) -> str | None:
    """The known phrase whose letters ``value`` holds with other marks, or None."""
    words = _words(value)
    marked = [spelling(w) for w in words]
    keys = [fold(w) for w in words]
    for phrase, phrase_keys in _table():
        n = len(phrase_keys)
        if n < 2:
            continue
        for i in range(len(keys) - n + 1):
            if keys[i : i + n] == phrase_keys and marked[i : i + n] != phrase and not _ambiguous(phrase_keys):
                return " ".join(phrase_keys)
    return None


def fixed_phrase_positions(words: list[str]) -> set[int]:
    """Indices of ``words`` that spell, letter for letter with their marks, an agency's or unit's
    fixed phrase of two words or more ("ỦY BAN NHÂN DÂN", "nhân dân thành phố", "TRƯỜNG ĐẠI HỌC"):
    words of one spelling, printed so in every header, whose reading nothing else could have made."""
    marked = [spelling(w.strip(",.;:()")) for w in words]
    keys = [fold(w.strip(",.;:()")) for w in words]
    positions: set[int] = set()
    for phrase_marked, phrase_keys in _FIXED_PHRASE_TABLE:
        n = len(phrase_keys)
        for i in range(len(keys) - n + 1):
            if keys[i : i + n] == phrase_keys and marked[i : i + n] == phrase_marked:
                positions.update(range(i, i + n))
    return positions


_TOKEN = re.compile(r"[^\s,;:.()\-]+")


def with_phrase_marks(value: str, streets: bool = False) -> str:
    """``value`` with each known phrase it holds with other marks spelt as the phrase is ("CÔNG TY CỐ
    PHẦN" -> "CÔNG TY CỔ PHẦN", "VIÊN VẬT LÝ" stays: one word is no phrase), the case of each word
    kept; with ``streets``, a well-known street after "đường"/"phố" too ("đường Điện Biên Phù" ->
    "Phủ"). The phrase has one spelling, so the reading is put right; the value is still held for a
    reviewer (:func:`mark_slip` notes it), who now confirms instead of retyping."""
    tokens = list(_TOKEN.finditer(value))
    keys = [fold(t.group()) for t in tokens]
    spelt: dict[int, str] = {}
    for phrase_words, phrase_keys in _marked_phrases(streets):
        n = len(phrase_keys)
        for i in range(len(keys) - n + 1):
            if keys[i : i + n] != phrase_keys or any(j in spelt for j in range(i, i + n)):
                continue
            if streets and phrase_keys in _STREET_KEY_LISTS and not _after_street_word(keys, i):
                continue  # a street's name only after "đường"/"phố" (see street_slip)
            for j, word in enumerate(phrase_words):
                read = tokens[i + j].group()
                if spelling(read) != spelling(word):
                    spelt[i + j] = _styled_like(word, read)
    out, at = [], 0
    for index, token in enumerate(tokens):
        if index in spelt:
            out += [value[at : token.start()], spelt[index]]
            at = token.end()
    return "".join(out) + value[at:]


def _after_street_word(keys: list[str], i: int) -> bool:
    return i > 0 and keys[i - 1] in _STREET_WORDS and not (
        keys[i - 1] == "pho" and i > 1 and keys[i - 2] in _NOT_STREET_BEFORE_PHO)


def _styled_like(word: str, read: str) -> str:
    if read.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if read[:1].isupper() else word


def _marked_phrases(streets: bool) -> list[tuple[list[str], list[str]]]:
    """(marked words, folded words) of the unambiguous known phrases of two words or more."""
    global _MARKED_PHRASES
    if _MARKED_PHRASES is None:
        table = [(_words(p), [fold(w) for w in _words(p)]) for p in _phrase_texts()]
        _MARKED_PHRASES = [(words, keys) for words, keys in table if len(keys) >= 2 and not _ambiguous(keys)]
    if not streets:
        return _MARKED_PHRASES
    return _MARKED_PHRASES + [(_words(name), keys) for name, (_, keys) in zip(STREET_NAMES, _STREET_TABLE)]


_MARKED_PHRASES: list[tuple[list[str], list[str]]] | None = None
_STREET_KEY_LISTS = [keys for _, keys in _STREET_TABLE]


def dropped_word(value: str) -> str | None:
    """The known phrase of four words or more that ``value`` holds with one inner word gone, or None.

    Words that another known phrase spells whole are that phrase, not one with a word gone:
    "ỦY BAN NHÂN DÂN XÃ …" is "nhân dân xã", not "nhân dân thị xã" without "thị"; "đối tượng bảo
    trợ xã hội" is "bảo trợ xã hội", not "trợ cấp xã hội" without "cấp"."""
    keys = [fold(w) for w in _words(value)]
    joined = f" {' '.join(keys)} "
    for _, phrase_keys in _table():
        n = len(phrase_keys)
        if n < 4 or f" {' '.join(phrase_keys)} " in joined:
            continue
        for gap in range(1, n - 1):
            shorter = phrase_keys[:gap] + phrase_keys[gap + 1 :]
            for start in _occurrences(keys, shorter):
                if not _spelt_by_other_phrase(keys, start, start + len(shorter), phrase_keys):
                    return " ".join(phrase_keys)
    return None


def _occurrences(keys: list[str], words: list[str]) -> list[int]:
    n = len(words)
    return [i for i in range(len(keys) - n + 1) if keys[i : i + n] == words]


def _spelt_by_other_phrase(keys: list[str], start: int, end: int, phrase_keys: list[str]) -> bool:
    """Do ``keys[start:end]`` lie inside an occurrence of a known phrase other than ``phrase_keys``?"""
    for _, other in _table():
        if other == phrase_keys or len(other) < end - start:
            continue
        for i in _occurrences(keys, other):
            if i <= start and i + len(other) >= end:
                return True
    return False
