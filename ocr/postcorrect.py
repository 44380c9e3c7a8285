"""Vietnamese post-correction of OCR words.

Tesseract ``vie`` garbles a few things again and again on administrative documents: "Nghị định"
read as "Nghị lịnh", "Điều 1" as "Điều l", "Số: 05" as "Số: O5". The corrections here are
deliberately conservative (a wrong "correction" costs more than a missed one):

* a word is replaced only by a vocabulary word one substituted letter away (case kept), and only
  when the neighbouring word makes a known administrative phrase with the replacement and not
  with the reading (``Nghị lịnh`` -> ``Nghị định``);
* digit look-alikes (l, I, |, O, o) become digits inside numbers and after "Điều", "Khoản",
  "Số", "ngày", "tháng", "năm";
* every changed word keeps the engine's reading in ``Word.original`` and loses confidence.

:func:`is_vietnamese_syllable` is the lexicon of valid Vietnamese syllables: generated from the
spelling rules (onset + rhyme + tone, stop-final rhymes take only sắc or nặng) rather than listed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from schemas.pages import Word, same_line

CHANGED_CONF_FACTOR = 0.8

_ONSETS = (
    "ngh ng gh gi kh nh ph th tr ch qu b c d đ g h k l m n p r s t v x".split()
)
_RHYMES = set(
    """a ai ao au ay am an ang anh ap at ac ach
    ă ăm ăn ăng ăp ăt ăc â âu ây âm ân âng âp ât âc
    e eo em en eng ep et ec ê êu êm ên ênh êp êt êch
    i ia iu im in inh ip it ich iêu iêm iên iêng iêp iêt iêc
    o oa oai oao oay oam oan oang oanh oap oat oac oach oă oăm oăn oăng oăt oăc oe oeo oen oet
    oi om on ong op ot oc ô ôi ôm ôn ông ôp ôt ôc ơ ơi ơm ơn ơp ơt
    u ua uân uâng uât uây uê uêch uênh uy uya uyên uyêt uyt uynh uych uyu ui um un ung up ut uc
    uôi uôm uôn uông uôt uôc ư ưa ưi ưu ưm ưn ưng ưt ưc ươi ươu ươm ươn ương ươp ươt ươc
    y yêu yên yêm yêt uơ uôp oong ooc""".split()
)
_STOP_FINALS = ("p", "t", "c", "ch")
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng

# Two-syllable administrative phrases (lower case). Extended at call time with the caller's
# vocabulary (e.g. unit names), split into neighbouring pairs.
# Every neighbouring pair of a longer phrase becomes a phrase of its own: add a longer one only when
# each of its pairs is one ("dịch vụ công" would make "vụ công" one, turning "về công tác" into
# "vụ công tác").
ADMIN_PHRASES = """
nghị định; nghị quyết; quyết định; thông tư; chỉ thị; công văn; tờ trình; báo cáo; kế hoạch;
thông báo; giấy phép; giấy khai sinh; trích lục; khai tử; hộ tịch; căn cước; công dân; chứng minh;
ủy ban; ủy ban nhân dân; hội đồng nhân dân; cộng hòa xã hội chủ nghĩa việt nam;
độc lập tự do hạnh phúc; căn cứ; luật tổ chức chính quyền địa phương; chính phủ; thủ tướng;
chủ tịch; phó chủ tịch; giám đốc; phó giám đốc; trưởng phòng; chánh văn phòng; văn phòng;
sở nội vụ; sở tư pháp; sở tài chính; sở xây dựng; sở giáo dục và đào tạo; sở y tế;
nơi nhận; lưu vt; như điều; kính gửi; đề nghị; tiếp nhận; hồ sơ; thủ tục hành chính; trả kết quả;
bổ sung; hoàn thiện; giải quyết; thành phố; thị xã; thị trấn; huyện; tỉnh; phường; xã;
tổ chức; thực hiện; trách nhiệm; thi hành; kể từ ngày ký; có hiệu lực; ban hành; quy định;
họ và tên; ngày sinh; giới tính; quốc tịch; dân tộc; nơi cư trú; địa chỉ; số điện thoại;
khẩn trương; triển khai; kiểm tra; phòng chống; phòng, chống dịch; dịch bệnh; học sinh; sinh viên;
giáo dục; đào tạo; tất cả; điều kiện; số lượng; đơn vị; cơ quan; cán bộ; công chức; viên chức;
chỉ đạo; hướng dẫn; phối hợp; báo cáo kết quả; theo dõi; đôn đốc; đảm bảo; bảo đảm; an toàn;
nhân dân; người dân; doanh nghiệp; tài chính; ngân sách; đầu tư; xây dựng; đất đai; tài nguyên;
môi trường; giao thông; vận tải; nông nghiệp; y tế; văn hóa; thể thao; du lịch; lao động; xã hội;
kỷ luật; kỷ cương; địa bàn; địa phương; địa điểm; trật tự; an ninh; quốc phòng; cải cách;
chuyển đổi; dịch vụ; liên thông; khiếu nại; tố cáo; thanh tra; phổ biến; tuyên truyền; tăng cường;
nâng cao; hiệu quả; chất lượng; công tác; nhiệm vụ; giải pháp
"""
_DIGIT_CONTEXT = {"điều", "khoản", "số", "số:", "ngày", "tháng", "năm", "mục", "chương"}
_DIGIT_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0", "o": "0"})
_NUMBERISH = re.compile(r"^[0-9lI|Oo]*[0-9][0-9lI|Oo]*$|^[lI|]$")
_WORD_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)


def is_vietnamese_syllable(token: str) -> bool:
    """True when ``token`` (letters only, any case) is a well-formed Vietnamese syllable."""
    return _is_syllable(unicodedata.normalize("NFC", token.lower()))


@lru_cache(maxsize=50_000)
def _is_syllable(token: str) -> bool:
    if not token or not token.isalpha():
        return False
    decomposed = unicodedata.normalize("NFD", token)
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    for onset in _ONSETS + [""]:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset) :]
        if onset == "gi" and (rhyme == "" or rhyme in _RHYMES or ("i" + rhyme) in _RHYMES):
            return _tone_fits(rhyme or "i", tones)
        if onset == "qu" and (("u" + rhyme) in _RHYMES or rhyme in _RHYMES):
            return _tone_fits(rhyme, tones)
        if rhyme in _RHYMES and _spelling_fits(onset, rhyme):
            return _tone_fits(rhyme, tones)
    return False


def _spelling_fits(onset: str, rhyme: str) -> bool:
    front = rhyme[:1] in ("i", "e", "ê", "y")
    if onset in ("k", "gh", "ngh"):
        return front
    if onset in ("c", "g", "ng") and rhyme[:1] in ("i", "e", "ê"):
        return False
    return True


def _tone_fits(rhyme: str, tones: list[str]) -> bool:
    if rhyme.endswith(_STOP_FINALS):
        return not tones or tones[0] in ("\u0301", "\u0323")
    return True


def correct_words(words: list[Word], extra_vocabulary: Iterable[str] = ()) -> list[Word]:
    """Words with misreadings corrected; changed words keep ``original`` and get a lower ``conf``."""
    pairs = _phrase_pairs(tuple(extra_vocabulary))
    result = list(words)
    for index, word in enumerate(result):
        previous = result[index - 1] if index > 0 and same_line(result[index - 1], word) else None
        following = words[index + 1] if index + 1 < len(words) and same_line(word, words[index + 1]) else None
        replacement = _digit_fix(word, previous) or _phrase_fix(word, previous, following, pairs)
        if replacement and replacement != word.text:
            result[index] = word.model_copy(
                update={"text": replacement, "original": word.text, "conf": round(word.conf * CHANGED_CONF_FACTOR, 4)}
            )
    return result


def _digit_fix(word: Word, previous: Word | None) -> str | None:
    lead, core, trail = _WORD_EDGES.match(word.text).groups()
    if not core or core.isdigit() or not _NUMBERISH.match(core):
        return None
    has_digit = any(ch.isdigit() for ch in core)
    after_keyword = previous is not None and previous.text.lower().rstrip(".,") in _DIGIT_CONTEXT
    if not (has_digit or after_keyword):
        return None
    return lead + core.translate(_DIGIT_LOOKALIKES) + trail


def _phrase_fix(word: Word, previous: Word | None, following: Word | None, pairs: frozenset) -> str | None:
    lead, core, trail = _WORD_EDGES.match(word.text).groups()
    if not core or not core.isalpha():
        return None
    reading = core.lower()
    before = _bare(previous.text) if previous else None
    after = _bare(following.text) if following else None
    if (before, reading) in pairs or (reading, after) in pairs:
        return None  # already part of a known phrase
    followers, leaders = _partners(pairs)
    # Only syllables that would complete a phrase with a neighbour are worth comparing.
    possible = followers.get(before, set()) | leaders.get(after, set())
    for candidate in sorted(possible):
        # One substituted letter only (lost or wrong mark, l/đ...): dropping or adding a letter
        # turns valid words into other valid words too easily ("học và" -> "họ và").
        if len(candidate) == len(reading) and candidate != reading and _distance_one(reading, candidate):
            return lead + _same_case(core, candidate) + trail
    return None


def _bare(text: str) -> str:
    return _WORD_EDGES.match(text).group(2).lower()


def _distance_one(a: str, b: str) -> bool:
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    for index in range(len(b)):
        if b[:index] + b[index + 1 :] == a:
            return True
    return False


def _same_case(original: str, candidate: str) -> str:
    if original.isupper() and len(original) > 1:
        return candidate.upper()
    if original[:1].isupper():
        return candidate[:1].upper() + candidate[1:]
    return candidate


@lru_cache(maxsize=32)
def _phrase_pairs(extra: tuple[str, ...]) -> frozenset:
    pairs = set()
    for phrase in ADMIN_PHRASES.replace("\n", " ").split(";") + list(extra):
        syllables = [s for s in re.split(r"[\s\-]+", unicodedata.normalize("NFC", phrase.lower())) if s]
        pairs.update(zip(syllables, syllables[1:]))
    return frozenset(pairs)


@lru_cache(maxsize=32)
def _partners(pairs: frozenset) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(syllable -> syllables that may follow it, syllable -> syllables that may precede it)."""
    followers: dict[str, set[str]] = {}
    leaders: dict[str, set[str]] = {}
    for first, second in pairs:
        followers.setdefault(first, set()).add(second)
        leaders.setdefault(second, set()).add(first)
    return followers, leaders
