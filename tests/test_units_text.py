"""units.text: the text rules every layer shares."""

from __future__ import annotations

import random
import re
import unicodedata

from units.text import fold


def _fold_by_category(text: str) -> str:
    """fold's rule spelled out: lower, NFD, no combining marks (Mn), đ→d, single spaces, stripped."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _spaces(stripped.replace("đ", "d"))


def _spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_fold_matches_vietnamese_spellings():
    assert fold("  Hoà   Bình ") == fold("Hòa Bình") == "hoa binh"
    assert fold("ĐẠI HỌC\tQuốc gia") == "dai hoc quoc gia"
    assert fold("Đ đ") == "d d"


def test_fold_keeps_to_its_rule_on_any_character():
    """The translation table fold fills as it meets characters gives the rule's result on every
    kind of text: Vietnamese, other scripts' marks, ligatures, astral characters, odd spaces."""
    rng = random.Random(20261203)
    texts = ["Ủy ban nhân dân xã Đồng Tâm", "ǅ ß İ ﬁ ᾏ\u0345 e\u0301\u0323 \u00a0\u2003x", "ก่ ि ु"]
    texts += ["".join(chr(rng.randrange(0, 0x30000)) for _ in range(30)) for _ in range(3000)]
    for text in texts:
        assert fold(text) == _fold_by_category(text), repr(text)
