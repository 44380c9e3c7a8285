"""The batches of opt-in forms, one module each, and their registry.

Part 6 studied the forms of ``forms/extra/`` in batches; each batch's forms print wording the other
forms print with another meaning, so its rules (:class:`.base.Batch`) apply to its forms only and
every other family renders byte for byte as it did:

* :mod:`.late` - 13, 20, 36, 57 (p6tmpl, "sealed4"), read as they were measured, before the newer rules;
* :mod:`.study5` - 06, 09, 22, 62 (p6s8): bilingual labels, a vehicle's numbers, a school's confirmation;
* :mod:`.study6` - 03, 27, 46, 49 (p6s9): a passport, an address in pieces, a lawsuit's other people;
* :mod:`.study7` - 00, 01, 21, 41 (p6s10): a returning student's report, the companies a job seeker met;
* :mod:`.sealed6` - 30, 54, 59, 61 (p6tmpl2): land, a guardianship's end, a tax return, an income letter;
* :mod:`.sealed7` - 04, 05, 39, 44 (p6tmpl3): documents an office or a company issues, drawn whole;
* :mod:`.sealed8` - 37, 48 (sealed8): a building permit, a citizen's information sheet, drawn whole.

A new batch is a module with a :class:`.base.Batch` subclass and its ``BATCH``, listed here.
"""

from __future__ import annotations

from . import late, sealed6, sealed7, sealed8, study5, study6, study7
from .base import COMMON, Batch

BATCHES: tuple[Batch, ...] = (late.BATCH, study5.BATCH, study6.BATCH, study7.BATCH, sealed6.BATCH, sealed7.BATCH,
                              sealed8.BATCH)
_BY_STEM = {stem: batch for batch in BATCHES for stem in batch.forms}
assert len(_BY_STEM) == sum(len(batch.forms) for batch in BATCHES), "a form in two batches"


def batch_of(stem: str) -> Batch | None:
    """The batch a form of ``forms/extra/`` belongs to, None for one read with the common rules only."""
    return _BY_STEM.get(stem)


def named(name: str) -> Batch:
    """A batch by its name ("late", "study5", …)."""
    return next(batch for batch in BATCHES if batch.name == name)


__all__ = ["BATCHES", "COMMON", "Batch", "batch_of", "named"]
