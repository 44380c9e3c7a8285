"""ocr.postcorrect: Vietnamese syllable lexicon and conservative corrections."""

from __future__ import annotations

import pytest

from ocr.postcorrect import correct_words, is_vietnamese_syllable
from schemas.pages import Word


def _words(text: str, conf: float = 0.9) -> list[Word]:
    return [Word(text=t, conf=conf, bbox=(10 * i, 0, 10 * i + 8, 10), block=1, par=1, line=1) for i, t in enumerate(text.split())]


@pytest.mark.parametrize("syllable", ["nghị", "định", "Nguyễn", "QUYẾT", "giấy", "khuya", "huyện", "thuở", "Đà", "Nẵng", "ngoặc"])
def test_valid_syllables(syllable):
    assert is_vietnamese_syllable(syllable)


@pytest.mark.parametrize("token", ["Hcok", "CHiJ", "kà", "ngi", "cé", "hoạtt", "áp̀", "mát̀", "x1"])
def test_invalid_syllables(token):
    assert not is_vietnamese_syllable(token)


def test_known_misreadings_are_fixed_and_marked():
    fixed = correct_words(_words("Căn cứ Nghị lịnh số 30/2020/NĐ-CP Điều l. Số: O5 ngày l5"))
    changed = {w.original: w for w in fixed if w.original}
    assert {k: w.text for k, w in changed.items()} == {"lịnh": "định", "l.": "1.", "O5": "05", "l5": "15"}
    assert all(w.conf == pytest.approx(0.72) for w in changed.values())


def test_correct_text_and_case_are_left_alone():
    words = _words("QUYẾT ĐỊNH Về việc phê duyệt kế hoạch năm 2020 Lưu: VT")
    assert correct_words(words) == words
    assert correct_words(_words("NGHỊ LỊNH"))[1].text == "ĐỊNH"


def test_extra_vocabulary_drives_corrections():
    words = _words("huyện Bình Sơm")
    assert correct_words(words)[2].text == "Sơm"
    fixed = correct_words(words, extra_vocabulary=("Bình Sơn",))
    assert fixed[2].text == "Sơn" and fixed[2].original == "Sơm"


def test_a_frequent_word_is_not_turned_into_a_neighbour_of_a_phrase():
    # "về công tác" is common: no pair of the vocabulary may turn "về" into "vụ" before "công".
    words = [Word(text=t, conf=0.9, bbox=(i * 40, 0, i * 40 + 30, 20), block=1, par=1, line=1)
             for i, t in enumerate("Về công tác tăng cường ký luật trên địa bản".split())]
    assert " ".join(w.text for w in correct_words(words)) == "Về công tác tăng cường kỷ luật trên địa bàn"
