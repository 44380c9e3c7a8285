"""Vietnamese text rules shared by every layer (docs/architecture.md, "Text").

* Everything is Unicode NFC with single spaces.
* "Hoà" and "Hòa" stay different after NFC (tone placement): :func:`fold` makes them match.
* "Đ" does not decompose: :func:`fold` maps đ→d explicitly.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, single spaces, stripped: the normal form of every stored text value."""
    return _SPACES.sub(" ", nfc(text)).strip()


def fold(text: str) -> str:
    """Matching key: lower case, no marks, đ→d, single spaces. Keep the original for display."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.replace("đ", "d")).strip()


def digits(text: str) -> str:
    """Only the digits of ``text`` (ID numbers, phones)."""
    return "".join(ch for ch in text if ch.isdigit())
