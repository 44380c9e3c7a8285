"""Vietnamese text rules shared by every layer (docs/architecture.md, "Text").

* Everything is Unicode NFC with single spaces.
* "Hoà" and "Hòa" stay different after NFC (tone placement): :func:`fold` makes them match.
* "Đ" does not decompose: :func:`fold` maps đ→d explicitly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, single spaces, stripped: the normal form of every stored text value."""
    return _SPACES.sub(" ", nfc(text)).strip()


class _FoldTable(dict):
    """:meth:`str.translate` table of :func:`fold`: combining marks (category Mn) dropped, đ→d, every
    other character kept; filled in as characters are first met. (A page's analysis folds ~1,000
    texts; asking each character's category in a generator took ~1.5x the time per text.)"""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = kept
        return kept


_FOLD_TABLE = _FoldTable({ord("đ"): "d"})


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Matching key: lower case, no marks, đ→d, single spaces. Keep the original for display.

    Cached: the stages fold the same words over and over (a line's words once per field asked)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFD", text.lower()).translate(_FOLD_TABLE)).strip()


def digits(text: str) -> str:
    """Only the digits of ``text`` (ID numbers, phones)."""
    return "".join(ch for ch in text if ch.isdigit())


def letters_or_digits(text: str) -> bool:
    """Does ``text`` hold a letter or a digit (no speck's mark, rule or leader alone)?"""
    return any(ch.isalnum() for ch in text)


def upper_share(text: str) -> float:
    """The share of ``text``'s letters in capitals (0 when it has none): a title, a header line."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0
