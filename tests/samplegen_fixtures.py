"""One document of a form family, drawn as ``sohoa samples`` draws it, for the generator's tests."""

from __future__ import annotations

import random

from scripts.samplegen import formfamilies
from scripts.samplegen import templates as tp
from scripts.samplegen.fonts import available_families
from scripts.samplegen.layout import PAGE_SIZES


def form_doc(stem: str, seed: int, hand_rate: float = 0.0, table: bool = False):
    """(case, document) of family ``kltn:<stem>`` for ``seed``: A4, a font by seed, scanned when
    anything is handwritten; ``table``: set in a ruled table (the ``bang:<stem>`` family)."""
    rng = random.Random(seed)
    case = tp.make_case(rng)
    style = tp.Style(PAGE_SIZES["A4"], available_families()[seed % len(available_families())],
                     hand_rate=hand_rate, scanned=hand_rate > 0)
    family = formfamilies.all_families()[f"kltn:{stem}"]
    return case, formfamilies.form_document(rng, style, case, family, table=table)


def flat_text(doc) -> str:
    """The document's text on one line (wrapped lines joined)."""
    return " ".join(doc.text.split())
