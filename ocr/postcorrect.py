"""Vietnamese post-correction of OCR words (placeholder: returns words unchanged)."""

from __future__ import annotations

from collections.abc import Iterable

from schemas.pages import Word


def correct_words(words: list[Word], extra_vocabulary: Iterable[str] = ()) -> list[Word]:
    """Words with misreadings corrected; changed words keep ``original`` and get a lower ``conf``."""
    return list(words)
