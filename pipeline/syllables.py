"""Is a token a well-formed Vietnamese syllable? OCR slips often produce impossible ones
("Nøãi", "Vêviệc", "Quyêt" is fine but "Qưyết" is not); the share of well-formed syllables in a
value is a cheap, strong feature of the confidence model."""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
    r"(a|ă|â|e|ê|i|o|ô|ơ|u|ư|y|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    r"iêu|oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyê|yêu|uyu)"
    r"(ch|ng|nh|c|m|n|p|t)?$"
)


def _strip_tone(token: str) -> str:
    decomposed = unicodedata.normalize("NFD", token.lower())
    kept = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", kept)


def is_syllable(token: str) -> bool:
    """True if ``token`` (letters only) can be a Vietnamese syllable."""
    return bool(_SYLLABLE.match(_strip_tone(token)))


def syllable_share(text: str) -> float:
    """Share of the letter-only tokens of ``text`` that are well-formed syllables (1.0 if none).

    Unmarked tokens with inner capitals are abbreviations (UBND, TTr, HĐND) and count as well-formed,
    and so do short letters joined by slashes ("V/v", the công văn's "về việc").
    """
    good = total = 0
    for token in re.findall(r"[^\W\d_]+(?:/[^\W\d_]+)*", text):
        parts = token.split("/")
        if len(parts) > 1 and all(len(part) <= 3 and _is_plain(part) for part in parts):
            good, total = good + 1, total + 1  # "V/v" (về việc), "K/g": one slash abbreviation
            continue
        good += sum(is_syllable(part) or _is_abbreviation(part) for part in parts)
        total += len(parts)
    return good / total if total else 1.0


def _is_plain(token: str) -> bool:
    return all(ch.isascii() or ch in "Đđ" for ch in token)


def _is_abbreviation(token: str) -> bool:
    """UBND, HĐND, TTr, CTrTT, COVID: unmarked letters with capitals after the first one."""
    return _is_plain(token) and len(token) <= 6 and (token.isupper() or any(c.isupper() for c in token[1:]))


def cuts(word: str, is_part: Callable[[str], bool], most: int) -> list[list[str]]:
    """Every way to cut ``word`` into at most ``most`` pieces that ``is_part`` accepts, the word whole
    among them when it is one."""
    ways = [[word]] if is_part(word) else []
    if most >= 2:
        ways += [[word[:i], *rest] for i in range(1, len(word)) if is_part(word[:i])
                 for rest in cuts(word[i:], is_part, most - 1)]
    return ways


def split_glued(token: str) -> str | None:
    """Two syllables OCR read as one word, set apart ("VẬTLÝ" -> "VẬT LÝ", "LÂMKHOA" -> "LÂM KHOA"),
    or None: when ``token`` is a syllable or an abbreviation itself, when no cut makes two syllables,
    or when more than one does ("THANHOA": "THAN HOA" or "THANH OA"), since then the cut is a guess
    between readings."""
    if len(token) < 4 or not token.isalpha() or is_syllable(token) or _is_abbreviation(token):
        return None
    ways = cuts(token, is_syllable, 2)
    return " ".join(ways[0]) if len(ways) == 1 else None
