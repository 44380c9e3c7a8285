"""Vietnamese dates in the forms they are printed and OCR'd: parse, validate, normalise to ISO.

Accepted forms (case, marks and OCR noise tolerated through :func:`pipeline.text.fold`):

* ``ngày 05 tháng 3 năm 2020`` (also ``ngày 05/3/2020``, ``05 tháng 03 năm 2020``),
* ``05/03/2020``, ``5-3-2020``, ``05.03.2020``,
* ``2020-03-05`` (ISO).

A date whose day or month is missing (handwritten on the scan, absent from OCR) is reported as a
:class:`DateMatch` with ``iso=None`` and ``missing`` naming the absent parts, so callers can say why
instead of inventing a value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from pipeline.text import fold

MIN_YEAR = 1900
MAX_YEAR = 2100

# OCR often reads digits as look-alike letters inside dates ("O5", "l2"), and a hand's 9 as a "Q"
# glued to the month's word ("ngày 2Qtháng 9": 29; ``DateMatch.hand_glyphs``, a guess).
_PRINT_LOOKALIKES = {"o": "0", "l": "1", "i": "1", "|": "1", "s": "5", "b": "6", "z": "2"}
_LOOKALIKE_LETTERS = re.escape("".join(_PRINT_LOOKALIKES))
_HAND_NINE = "q"
_DIGIT_LOOKALIKES = str.maketrans({**_PRINT_LOOKALIKES, _HAND_NINE: "9"})

# A hand's 1 opening a day or month, read as a mark no digit is ("ngày T6 tháng 3", "ngày †8 tháng 11",
# "ngày ] 9 tháng 3"): before another digit, in a day's or month's place, the 1 it was. A guess
# (``DateMatch.one_as_mark``): the stroke could have been another digit's.
_ONE_MARKS = "t]†!"
_ONE_AS_MARK = str.maketrans({mark: "1" for mark in _ONE_MARKS})
_ONE_AS_MARK_THEN_DIGIT = rf"[{re.escape(_ONE_MARKS)}] ?[0-9]"
_NUM = rf"([0-9{_LOOKALIKE_LETTERS}{_HAND_NINE}]{{1,2}}|[0-9{_LOOKALIKE_LETTERS}][ .,][0-9]|{_ONE_AS_MARK_THEN_DIGIT})"
DAY_DIGITS = rf"(?:[0-9]{{1,2}}|(?<![0-9a-z]){_ONE_AS_MARK_THEN_DIGIT})"
"""A day's (or month's) digits as a label's value opens with them, a hand's 1 read as a mark included."""
_YEAR = r"((?:1[89]|2[01])[0-9olis]{2}|[12](?: ?[0-9]){3})"
# A part whose two digits stand apart ("1 8/04/1953", "23/1 1/1999", "20/06/1 986", "ngày 2 8tháng",
# or with a speck read between them in a wordy date: "ngày 2.3 tháng"): a hand, or a handwriting-like
# font, spaces its digits; OCR keeps the gap. Read whole, but the match says so (``split``): which
# digits belong together is the reader's guess, never auto-accepted.
_DAY_MONTH = rf"[0-9]{{1,2}}|[0-9] [0-9]|(?<![0-9a-z]){_ONE_AS_MARK_THEN_DIGIT}"
"""A numeric date's day or month: its digits, apart or not, or a hand's 1 read as a mark before the
other ("18/†0/1987", "†8/05/1990"): the 1 it was, a guess (``one_as_mark``)."""
# The month's word as OCR leaves it beside a hand's digits: its a read u ("18 thúng 10"), or cut in
# two ("27 thán g02"); between a day's and a month's digits and before "năm", no other word it is
MONTH_WORD = r"th[aáu]n ?g(?![a-z])"
_AFTER_MONTH_WORD = r"\s*[:.,ˆ^`'’]?\s*"
"""Between the month's word and its digits: a colon, a stop, or a speck read as an accent alone
("29tháng ˆ 02 năm 1952")."""
_BEFORE_YEAR_WORD = r"\s*[,._]?\s*"
"""Between the month's digits and the year's word: a comma, a stop, or a speck read as a leader's
stroke ("16 tháng 05_ năm 1962")."""
_WORDY = re.compile(
    rf"ng[aà]y\s*[:.,]?\s*(?P<d>{_NUM[1:-1]})?\s*[,.]?\s*{MONTH_WORD}{_AFTER_MONTH_WORD}(?P<m>{_NUM[1:-1]})?{_BEFORE_YEAR_WORD}n[aă]m\s*[:.,]?\s*(?P<y>{_YEAR[1:-1]})"
)
# "05 tháng 3 năm 2020" without the leading "ngày" (a label "Sinh ngày" took it), the day's digits
# glued to the month's word as a hand writes them into the blank ("17tháng 10 năm 1998")
_WORDY_NO_DAY_WORD = re.compile(
    rf"(?<![0-9])(?<![0-9][.,])(?P<d>{DAY_DIGITS})\s*{MONTH_WORD}{_AFTER_MONTH_WORD}(?P<m>[0-9]{{1,2}}){_BEFORE_YEAR_WORD}nam\s*(?P<y>(?:1[89]|2[01])[0-9]{{2}})"
)
# "date 23 month 08 year 2021": a bilingual form's signing date printed in English only
# (06_cap_GPLX_quoc_te's "……, date…… month…… year……"). Its words as OCR may leave them, a letter or
# two slipped ("đate`23:month", "31nonth", "mofnith", "yedr", "y£qr"): any short word in each word's
# place, then :func:`_english_words_near` (the date's digits between them, its year's four after,
# nothing else)
_EN_SEP = r"[\s:.,`'’]*"
_WORDY_EN = re.compile(
    rf"\b(?P<dw>[a-z]{{2,5}}){_EN_SEP}(?P<d>{_NUM[1:-1]}){_EN_SEP}(?P<mw>[a-z]{{3,8}}){_EN_SEP}"
    rf"(?P<m>{_NUM[1:-1]}){_EN_SEP}(?P<yw>[a-z][^\s\d:.,`'’]{{1,5}}){_EN_SEP}(?P<y>{_YEAR[1:-1]})"
)
EN_DATE_WORDS = (("dw", "date", 1), ("mw", "month", 2), ("yw", "year", 1))
"""An English date's words: (group, word, letters OCR may have slipped in it)."""
_SEP = r"\s?(?:[/\-.⁄]|/⁄|⁄/)\s?"  # "⁄": the fraction slash OCR reads for a handwritten "/", or beside it ("01/⁄02")
# a year may run on into one more digit ("13/09/20006Giới": a hand's stroke read as a digit, the next
# word glued on): the first four are taken, a guess (``long_year``)
_NUMERIC = re.compile(rf"(?<![0-9])(?P<d>{_DAY_MONTH}){_SEP}(?P<m>{_DAY_MONTH}){_SEP}(?P<y>{_YEAR[1:-1]})(?![0-9]{{2}})")
# "78-70-7995", "79/04/1954": a hand whose 1 has a flag, read as 7 - a year, day or month that no 7 can open
_NUMERIC_SEVENS = re.compile(rf"(?<![0-9])(?P<d>[0-9]{{1,2}}){_SEP}(?P<m>[0-9]{{1,2}}){_SEP}(?P<y>[17][89][0-9]{{2}})(?![0-9])")
_ISO = re.compile(r"(?<![0-9])(?P<y>(?:1[89]|2[01])[0-9]{2})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?![0-9])")


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text: ``iso`` when complete and calendar-valid, else what is missing."""

    iso: str | None
    start: int
    end: int
    form: str
    missing: tuple[str, ...] = ()
    invalid: bool = False
    repaired: bool = False
    """True when look-alike letters were read as digits."""
    split: bool = False
    """True when the digits of a part stood apart ("1 8/04/1953") and were read together."""
    sevens: bool = False
    """True when a year read "7995" was taken for "1995", and a day or month that only a 1 makes
    valid with it ("78-70-7995" -> 18-10-1995): a handwritten 1 read as 7. A guess."""
    uneven: bool = False
    """True when a numeric date gives its day and month with different numbers of digits
    ("1/05/1964", "11/5/1964"): whoever writes dates pads both or neither, so a digit may have been
    lost ("11/05" read "1/05"), and the date read is still a valid one."""
    long_year: bool = False
    """True when a digit follows the year's four with nothing between ("năm 19885"): one of the five
    was misread or read twice, and which four make the year is a guess."""
    one_as_mark: bool = False
    """True when a day or month opens with a mark read for a hand's 1 ("T6", "†8"): a guess."""
    mark_dropped: bool = False
    """True when a look-alike letter read after a day's or month's digit was taken for a mark, not the
    digit it looks like, which would make the part no day or month ("tháng 5S năm" -> 5): a guess."""
    hand_glyphs: bool = False
    """True when glyphs no digit is were read as the hand's digits they stand for ("ƒ 9-02-1 96g",
    :func:`find_hand_glyph_date`; a Q for a 9 in a day or month, "ngày 2Qtháng 9"): a guess."""
    words_slipped: bool = False
    """True when an English date's words were read with letters slipped ("date 31nonth 10 yedr 2022"):
    whatever misread them may have misread its digits too."""


def _to_int(text: str | None, limit: int | None = None) -> tuple[int | None, bool, bool]:
    """The number a date's part was read as; whether look-alike letters were read as digits; whether
    one was taken for a mark instead. With ``limit`` (a day's 31, a month's 12), a look-alike letter
    after the part's one digit, that the repair would make a number past the limit, is a mark and
    dropped: "tháng 5S năm", a typed italic 5 read with an "S" after it, is a month 5, never 55. A
    guess (``DateMatch.mark_dropped``)."""
    if not text:
        return None, False, False
    together = re.sub(r"[ .,]", "", text).translate(_ONE_AS_MARK)
    repaired_text = together.translate(_DIGIT_LOOKALIKES)
    if not repaired_text.isdigit():
        return None, False, False
    if limit is not None and int(repaired_text) > limit and _TRAILING_LOOKALIKE.fullmatch(together):
        return int(together[0]), True, True
    return int(repaired_text), repaired_text != together, False


_TRAILING_LOOKALIKE = re.compile(rf"[1-9][{_LOOKALIKE_LETTERS}]")
"""A day's or month's one digit with a look-alike letter read after it ("5s", folded)."""


def _one_as_mark(part: str | None) -> bool:
    return bool(part) and part[0] in _ONE_MARKS


def make_iso(day: int | None, month: int | None, year: int | None) -> str | None:
    """ISO date string if the three parts form a real calendar date in the accepted years."""
    if day is None or month is None or year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _english_words_near(match: re.Match[str]) -> bool | None:
    """For a match of :data:`_WORDY_EN`: None when its words are not "date", "month", "year" within
    the slips :data:`EN_DATE_WORDS` allows; else whether any was slipped."""
    slipped = False
    for group, word, slips in EN_DATE_WORDS:
        distance = _letters_slipped(match.group(group), word, slips)
        if distance > slips:
            return None
        slipped = slipped or distance > 0
    return slipped


def _letters_slipped(text: str, word: str, cutoff: int) -> int:
    """Letters ``text`` has slipped from ``word``; a mark read in a letter's place ("y£qr" for "year",
    its e) is no slip of a letter into another: that word is the only one that can stand there."""
    distance = Levenshtein.distance(text, word, score_cutoff=cutoff + 1)
    if len(text) == len(word):
        distance = min(distance, sum(a != b and a.isalpha() for a, b in zip(text, word)))
    return distance


def english_date_line(folded: str) -> bool:
    """Does ``folded`` (a line's :func:`pipeline.text.fold`) hold an English date, its words read
    right or slipped as :data:`EN_DATE_WORDS` allows ("Vũ An, date 22 month 05 yedr 2017")?"""
    return any(_english_words_near(match) is not None for match in _WORDY_EN.finditer(folded))


def opens_english_date(folded: str) -> bool:
    """Does ``folded`` open with an English date (its words as :func:`english_date_line` allows)?"""
    match = _WORDY_EN.match(folded)
    return match is not None and _english_words_near(match) is not None


def is_english_date_word(key: str, word: str) -> bool:
    """Is ``key`` (a folded word) the English date's ``word`` ("date", "month", "year", see
    :data:`EN_DATE_WORDS`) as OCR may read it, its leading letters slipped at most as allowed there
    ("dae", "đate`23" for "date"; "31nonth" is no word that opens with its letters)?"""
    letters = re.match(r"[a-z]+", key)
    slips = next(slips for _, name, slips in EN_DATE_WORDS if name == word)
    return bool(letters) and Levenshtein.distance(letters.group(), word, score_cutoff=slips) <= slips


def _build(match: re.Match[str], form: str) -> DateMatch:
    day, rep_d, drop_d = _to_int(match.group("d"), limit=31)
    month, rep_m, drop_m = _to_int(match.group("m"), limit=12)
    year, rep_y, _ = _to_int(match.group("y"))
    missing = tuple(name for name, value in (("day", day), ("month", month), ("year", year)) if value is None)
    iso = make_iso(day, month, year)
    return DateMatch(
        iso=iso,
        start=match.start(),
        end=match.end(),
        form=form,
        missing=missing,
        invalid=not missing and iso is None,
        repaired=rep_d or rep_m or rep_y,
        split=any(re.search(r"[ .,]", match.group(part) or "") for part in ("d", "m", "y")),
        uneven=form == "numeric" and _digit_count(match.group("d")) != _digit_count(match.group("m")),
        long_year=match.string[match.end("y"):match.end("y") + 1].isdigit(),
        one_as_mark=_one_as_mark(match.group("d")) or _one_as_mark(match.group("m")),
        mark_dropped=drop_d or drop_m,
        hand_glyphs=any(_HAND_NINE in (match.group(part) or "") for part in ("d", "m")),
    )


def _digit_count(part: str | None) -> int:
    return sum(ch.isdigit() or ch in _ONE_MARKS for ch in part or "")  # "†0": a hand's 1 and a 0


def _ones(text: str, limit: int) -> str:
    """``text`` with a leading 7 read as the 1 it must be for a number up to ``limit``."""
    return "1" + text[1:] if text.startswith("7") and int(text) > limit >= int("1" + text[1:]) else text


def _build_sevens(match: re.Match[str]) -> DateMatch:
    day, month = int(_ones(match.group("d"), 31)), int(_ones(match.group("m"), 12))
    iso = make_iso(day, month, int("1" + match.group("y")[1:]))
    return DateMatch(iso=iso, start=match.start(), end=match.end(), form="numeric", invalid=iso is None,
                     repaired=True, sevens=True)


def _sevens_fix(found: DateMatch, match: re.Match[str] | None) -> DateMatch:
    """``found`` read again with its 7s taken for 1s (:func:`_build_sevens`) when it is no date as
    read ("79/04/1954", "05/70/1997") and that makes it one; else ``found``."""
    if found.iso is not None or not found.invalid or match is None:
        return found
    again = _build_sevens(match)
    return again if again.iso is not None else found


def find_dates(text: str) -> list[DateMatch]:
    """Every date-like span of ``text`` in order of position (complete or not).

    Positions refer to ``fold(text)``, which keeps the length of NFC Vietnamese text except for
    collapsed spaces; callers that need the exact raw span should fold their text first.
    """
    folded = fold(text)
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for form, pattern in (("wordy", _WORDY), ("wordy", _WORDY_NO_DAY_WORD), ("wordy", _WORDY_EN), ("numeric", _NUMERIC), ("iso", _ISO)):
        for match in pattern.finditer(folded):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            slipped = _english_words_near(match) if pattern is _WORDY_EN else False
            if slipped is None:
                continue
            taken.append((match.start(), match.end()))
            built = replace(_build(match, form), words_slipped=True) if slipped else _build(match, form)
            if pattern is _NUMERIC and " " not in match.group(0):
                built = _sevens_fix(built, _NUMERIC_SEVENS.fullmatch(match.group(0)))
                built = replace(built, start=match.start(), end=match.end())
            found.append(built)
    for match in _NUMERIC_SEVENS.finditer(folded):
        if not any(match.start() < end and start < match.end() for start, end in taken):
            found.append(_build_sevens(match))
    return sorted(found, key=lambda m: m.start)


# A hand's digits in a numeric date's blank as Tesseract reads them (folded): a 1 as "ƒ", "Í", "?",
# "!", a 9 as "g", an 8 as "ø" ("ƒ 9-02-1 96g", "2Ø- Í 0-1 963", "Í 3⁄0 7⁄1 g89", "03⁄1 1/199ø").
_HAND_GLYPH_DIGITS = {"ƒ": "1", "i": "1", "?": "1", "!": "1", "†": "1", "]": "1", "l": "1", "|": "1", "g": "9", "ø": "8"}
_HAND_GLYPHS = str.maketrans(_HAND_GLYPH_DIGITS)
_HAND_ONES = "".join(glyph for glyph, digit in _HAND_GLYPH_DIGITS.items() if digit == "1")
_BEFORE_A_LONE_GLYPH = " ._…:-"
"""What may stand before a glyph read apart from a date's day: a space or the blank's leader."""
HAND_GLYPH_MIN_DIGITS = 5
"""Digits a numeric date read with glyphs for some of them must still have as digits: most of it."""


def find_hand_glyph_date(text: str) -> DateMatch | None:
    """The first numeric date of ``text`` that only reading a hand's glyphs as the digits they stand
    for (:data:`_HAND_GLYPHS`) makes complete and valid, at least :data:`HAND_GLYPH_MIN_DIGITS` of
    its digits read as digits; None if there is none. For a date's blank where :func:`find_dates`
    found no complete date: which digit a glyph was is a guess (``hand_glyphs``)."""
    folded = fold(text)
    for match in _NUMERIC.finditer(folded.translate(_HAND_GLYPHS)):
        as_read = folded[match.start() : match.end()]
        if as_read == match.group(0) or sum(ch.isdigit() for ch in as_read) < HAND_GLYPH_MIN_DIGITS:
            continue
        built = _build(match, "numeric")
        if built.iso is not None:
            return replace(built, hand_glyphs=True)
    return None


def day_lost_to_glyph(text: str, found: DateMatch) -> DateMatch | None:
    """``found`` with a 1 put back at the head of its day, where the day has one digit beside a
    month of two and a glyph a hand's 1 is read as stands alone just before it ("ƒ 9/11/1992" for
    19/11/1992, "......ƒ 3/1 0/1971" for 13/10/1971: a slanted 1 read apart as "ƒ"); None where
    that makes no complete date with day and month alike long. Which digit the glyph was is a guess
    (``hand_glyphs``): the uneven date it leaves is no evidence either."""
    if not found.uneven or found.form != "numeric":
        return None
    folded = fold(text)
    head = folded[: found.start].rstrip()
    if not head or head[-1] not in _HAND_ONES or (len(head) > 1 and head[-2] not in _BEFORE_A_LONE_GLYPH):
        return None
    again = find_dates(head[:-1] + "1" + folded[found.start :])
    first = again[0] if again else None
    if first is None or first.iso is None or first.uneven or first.start != len(head) - 1:
        return None
    return replace(first, hand_glyphs=True)


def parse_date(text: str) -> str | None:
    """The first complete, calendar-valid date in ``text`` as ISO ``YYYY-MM-DD``; None if none."""
    for match in find_dates(text):
        if match.iso:
            return match.iso
    return None


def first_date(text: str) -> DateMatch | None:
    """The first date-like span of ``text`` (complete or with missing parts)."""
    matches = find_dates(text)
    return matches[0] if matches else None
