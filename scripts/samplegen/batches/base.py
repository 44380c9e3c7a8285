"""What a batch of opt-in forms may read or draw its own way (:class:`Batch`), and the reading of a
printed line it shares with the common code (blanks, item numbers, a date in words).

A batch's forms print wording the other forms print with another meaning, so its rules apply to its
own forms only: every other family renders byte for byte as it did. The common code
(:mod:`..formfamilies`) asks a family's batch at each point where one may differ, never which batch
it is; every default here is the common reading.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping

from .. import fakedata as fk

if TYPE_CHECKING:
    from ..formfamilies import Filler, FormFamily
    from ..layout import Seg
    from ..templates import Case, Doc, Style

BLANK = r"[.…_]{2,}"
DATE_BLANK = re.compile(rf"ngày\s*{BLANK}\s*tháng\s*{BLANK}\s*năm\s*(?:20)?{BLANK}", re.IGNORECASE)
SLASH_BLANK = re.compile(rf"{BLANK}(?:\s*/\s*{BLANK})+")
# a line's blanks by kind: ``date`` (ngày … tháng … năm …), ``slash`` (…/…/…), ``plain``
BLANKS = re.compile(f"(?P<date>{DATE_BLANK.pattern})|(?P<slash>{SLASH_BLANK.pattern})|(?P<plain>{BLANK})",
                    re.IGNORECASE)
ITEM = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[a-e])[.)]\s*")
NO_ROLE = "none"
"""A batch's reading of a label that asks nothing: the blank stays dots, the common table unasked."""

Value = Callable[["Filler", str, bool], "tuple[str | None, str | None]"]
"""A blank's value: (filler, label, whether the blank is a date in words) -> (text, truth key or None)."""


def bare_label(key: str, item: re.Pattern = ITEM) -> str:
    """A lower-case label without its item number and colon ("3. Khoa:" -> "khoa")."""
    return item.sub("", key).strip().rstrip(":").strip()


def in_words(day: dt.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def date_text(f: Filler, day: dt.date, date_blank: bool) -> str:
    """A date as written into its blank: in words on a "ngày … tháng … năm …" blank, else as a
    person writes it."""
    return in_words(day) if date_blank else fk.format_date(day, f.rng)


def no_truth(value: Callable[[Filler, str, bool], str]) -> Value:
    """A value that is none of the document's fields; an empty text leaves the blank's dots."""
    return lambda f, label, date_blank: (value(f, label, date_blank) or None, None)


@dataclass(frozen=True)
class Blank:
    """One blank of a line, as the common code knows it when it asks a batch for the blank's role."""

    label: str
    kind: str  # "date", "slash", "plain" (:data:`BLANKS`), or a batch's own kind
    family: FormFamily
    office: bool  # in an office's section of the form: the office fills it, after the filing
    previous: str | None  # the role of the blank before it on the same line


class Batch:
    """A batch of opt-in forms: its stems and what it reads or draws otherwise than the common code.

    A batch module subclasses this and overrides only what its forms need; the registry
    (:data:`scripts.samplegen.batches.BATCHES`) lists one instance per batch.
    """

    name = "common"
    forms: frozenset[str] = frozenset()
    titles: Mapping[str, str] = {}
    """A form's title as its documents print it, where the form prints none or a blank ("ĐƠN …")."""
    values: Mapping[str, Value] = {}
    """The values of the roles only this batch's forms ask, asked before the common ones."""
    blanks: re.Pattern = BLANKS
    item_number: re.Pattern = ITEM
    motto_openings: tuple[str, ...] = ("CỘNG HÒA", "CỘNG HOÀ")
    office_headings: tuple[str, ...] = ()
    """A line opening the office's section ("Xét duyệt của …"): its blanks and its date stay empty."""
    newer_rules = True
    """Read with the opt-in rules added after the first batches were measured (an issuing office
    over the motto, the header's dashes, a "(có/không)" answer, the applicant's parent named, the
    addressee's kind in "Kính gửi: Sở …"); a batch measured before them keeps reading without."""
    tabs_were_blanks = False
    """A person's label ending with ":" and no blank printed: the transcription's tab was the blank."""
    keeps_date_words = False
    """An unfilled date blank keeps its printed words ("ngày …… tháng …… năm ……")."""

    def document(self, rng: random.Random, style: Style, case: Case, family: FormFamily) -> Doc | None:
        """The whole document, for a batch with its own layout and truth; None: the common one."""
        return None

    def title_words(self, line: str) -> str:
        """The part of a printed line whose capitals make it the form's title."""
        return line

    def label_role(self, key: str) -> str | None:
        """The role of a lower-case label by this batch's wording (:data:`NO_ROLE`: asks nothing),
        read before the common table; None: the common table's."""
        return None

    def role(self, role: str | None, blank: Blank, f: Filler) -> str | None:
        """The blank's role after the label's reading, by what the batch knows of its place."""
        return role

    def numbering(self, family: FormFamily, drawn: str) -> str:
        """How this document numbers its items ("keep", "drop", "add"), given the common draw."""
        return drawn

    def lines(self, family: FormFamily, f: Filler) -> tuple[tuple[str, ...], str]:
        """The form's lines as this document prints them, and its title."""
        return family.lines, family.title

    def reads_line(self, line: str) -> str:
        """A printed line as the batch reads its blanks."""
        return line

    def writes_on_dots(self, previous: str, rng: random.Random) -> bool:
        """Whether the applicant writes on a printed line of dots (after ``previous``)."""
        return False

    def written_on_dots(self, f: Filler) -> str:
        """What is written there (asked only after :meth:`writes_on_dots`)."""
        raise NotImplementedError

    def signing_date(self, line: str, place: str, signed: dt.date, hand: bool) -> list[Seg] | None:
        """The signing date drawn for a printed line the common reading does not see as one."""
        return None

    def text_line(self, family: FormFamily, line: str, f: Filler) -> None:
        """Take note of a printed line without blanks (one may say who the next blanks are about)."""

    def keeps_printed_note(self, line: str) -> bool:
        """A line without blanks never trimmed from this batch's forms (a heading of items)."""
        return False

    def signer(self, family: FormFamily, f: Filler, titles: list[str]) -> tuple[list[str], str, str, str | None]:
        """(titles, name, note, seal text) of the signature block; ``titles`` the common ones."""
        return titles, f.case.person.full_name, "(Ký, ghi rõ họ tên)", None


class DrawnWhole(Batch):
    """A batch of documents that are no applicant's form (an office's, a company's, a sheet of its
    own layout): ``draw`` renders each whole, with its truth; nothing else is read the common way."""

    def __init__(self, name: str, forms: frozenset[str], titles: Mapping[str, str],
                 draw: Callable[[random.Random, Style, Case, FormFamily], Doc]):
        self.name, self.forms, self.titles, self.draw = name, forms, titles, draw

    def document(self, rng: random.Random, style: Style, case: Case, family: FormFamily) -> Doc:
        return self.draw(rng, style, case, family)


COMMON = Batch()
"""The common reading: the rules of every form outside a batch."""
