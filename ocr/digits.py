"""Numbers, and words glued to a dot leader, read unsure, read a second time: the agreement of two
readings as evidence.

Tesseract reads some typed dates and ID numbers of a clean page at 0.3-0.8 word confidence
("17/10/1951" at 0.73, "083204670393" at 0.49: beside a dotted leader, at the page's reading
scale), and the analysis rightly holds a value whose digits were read that unsure. This stage
reads those words once more, from the page image at a larger scale and as one block of text
(Tesseract's psm 6, no page layout analysis): the crops of the page's unsure digit words, each
scaled to :data:`LETTER_PX` letters, are stacked into one strip, one engine call, at most
:data:`MAX_WORDS` words a page (the least sure first). A document's number with its symbol
("97/GPXD-UBND", a number an office writes by hand into a typed letter) is read again whole.

A number a pen wrote in blue ink (``Word.ink``, ``ocr/ink.py``) is read again however sure: Tesseract
reads a hand's 8 as 6 at 0.96, and the analysis accepts a hand's number only when two readings agree.
On a grey page the ink does not tell a hand: where a page has unsure numbers to read again, its
numbers read sure are read again too, in a strip of their own (:func:`sure_numbers`; with them the
surest of the numbers the first strip had no room for): the typed date of a letter whose number a hand
wrote, the values of a form a hand filled that the page read sure. Only
agreement counts there: of two sure readings that differ, nothing tells which slipped (a typed "874"
read "374" alone), and the page's stands, unconfirmed.

A number glued to its label's dot leader ("hệ:......0826075380") or followed by one
("22/02/1983.........") is one word to Tesseract, read unsure because of the dots; its crop is cut
to the number's own ink (its digits and letters beyond the leader's marks, :func:`value_span`) and
the second reading must give the number alone. A word's letters glued so ("tên:.....Dương",
"GIANG...", a value filled in on its blank) are read unsure for the dots too, and nothing else on
the page checks a name's marks: they are cut and read again the same way, as are letters the
recognition split from their leader with the leader's confidence ("VÂN" 0.57, "......." 0.57), and
words of letters alone read unsure (:data:`UNSURE_LETTERS`: a name's or a place's word, which the
analysis would hold its value for). They make a strip of their own (at most :data:`MAX_LETTER_WORDS`
+ :data:`MAX_UNSURE_WORDS` words, a second engine call on pages that have them): a strip is read at
its words' median scale, and the names' words must not change how the numbers are read.

A number whose digits a hand spaced is read by the page in pieces ("05/1" "2/1957", "28/08/1" "954",
"ngày:...1" "7-09-1985"), and which digits belong together is then a guess the analysis will not
accept. The pieces of such a run (:func:`spaced_runs`: words of one line, close, one ending and the
next opening a number) are read again as one crop, in a strip of their own; a sure reading of them
as one word with their very characters run together ("05/12/1957") tells the gaps lie inside one number
(``Word.joined_reading`` on each piece), and is a second reading alike of every piece's digits.

A word whose second reading gives the very same characters (or its number, when cut so; or the same
characters in pieces, each sure: "Số121," read "Số" "121,"), itself read at
:data:`MIN_SECOND_CONF` or more, keeps its text and gets the better of the two confidences
(``Word.conf``), both readings' confidences kept on it (``Word.first_conf``, ``Word.reread_conf``). A second
reading that splits the word otherwise, reads nothing or reads it unsure changes nothing (but a document's
number read with other digits before the very same symbol, :data:`MIN_SYMBOL_SECOND_CONF`). One that is sure
and gives other characters keeps the word's text and confidence and is kept beside them
(``Word.second_reading``, and ``Word.second_reading_of``: the characters it read again): disagreement
never raises a confidence, and which reading a field takes is the analysis's to weigh
(``pipeline.extract``), never this stage's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cv2
import numpy as np

from schemas.pages import PEN_INKS, Word, bounding_box, same_line

MIN_DIGITS = 2
"""A word needs this many digits to be re-read (dates, ID and document numbers, not "1." items)."""

MAX_CONF = 0.95
"""Words read at this confidence or more are sure already (``pipeline.analyse.PRINTED_DIGITS_CONF``)."""

MIN_FIRST_CONF = 0.0
"""Words read under this are not re-read. Tesseract gives typed numbers glued to a leader 0.0
("hệ:.....0386962493", "13/01/1967"), and junk ("2222227310074.") has no second reading that agrees."""

MAX_WORDS = 12
"""Digit words re-read per page at most (the least sure first): the strip's cost stays small."""

MAX_SURE_WORDS = 12
"""Numbers re-read per page at most beside the unsure ones' strip, on a page that has one: those it had no
room for, then the numbers read sure (:func:`sure_numbers`)."""

MAX_LETTER_WORDS = 8
"""Words of letters glued to a dot leader re-read per page at most, besides the digit words (the
least sure first): a filled form's names and places."""

UNSURE_LETTERS = (0.25, 0.60)
"""Words of letters alone read in this range are re-read too, in the letters' strip (at most
:data:`MAX_UNSURE_WORDS`, the surest first): a name's or a place's word the page reading doubts
("Hương" at 0.48) that nothing else on the page checks. The top is where the analysis starts to doubt
a value's word (``pipeline.extract.LOW_WORD_CONF``); under the bottom lies ink that is no word (a
signature's strokes, a seal's rim) whose second reading would only cost."""

MAX_UNSURE_WORDS = 8
"""Unsure words of letters alone re-read per page at most: on the sets of 5 Dec 2026 a page has 0.7
such words on average, two pages in three none."""

MAX_RUNS = 6
"""Runs of a number's spaced pieces re-read per page at most (a form's dates and numbers a hand filled)."""

MAX_RUN_WORDS = 6
"""Pieces of one run at most ("ngày:..1" "1" "/1" "1/1" "998......": a hand's 11/11/1998)."""

LETTER_PX = 30
"""Height, in pixels, the re-read words' boxes are scaled to (the page reading sees ~18-20)."""

MIN_SECOND_CONF = 0.90
"""The second reading must itself be this sure to count as agreement."""

MIN_SYMBOL_SECOND_CONF = 0.70
"""A document's number read again with other digits before the very same symbol ("97/GPXD-UBND" read
"91/GPXD-UBND" at 0.79) is kept from this confidence: the symbol's typed letters, read alike, pull
the word's confidence down less than they show the two readings are of the same word, and a
disagreement is kept only as evidence beside the page's reading (the analysis never accepts it)."""

PAD = 0.15
"""Margin kept around a word's box, as a share of its height (the box is tight on the ink)."""

GAP = 0.8
"""White space between the stacked words, as a share of :data:`LETTER_PX`."""

ReadBlock = Callable[[np.ndarray, int], list[Word]]
"""Reads one image as a single block of text (the engine's ``recognize_block``)."""


PLACE_NUMBER = re.compile(r"(?:[^\W\d_]{2,5})?\d{1,4},(?:[^\W\d_]{2,})?")
"""A house's, hamlet's or quarter's number before its address's comma, alone or glued to its type
word or the next unit's ("8,", "Xóm4,", "phố10,", "5,Xã"): nothing on the page checks it, and its
one digit makes no number of :data:`MIN_DIGITS`. Read again after the numbers, where the strip has room."""

DOCUMENT_NUMBER = re.compile(r"\d{1,5}/[A-ZĐ]")
"""A word opening a document's number and symbol ("97/GPXD-UBND"): an office writes the number by
hand into a typed letter's "Số: …/GPXD-UBND", and its 1 read as 7 makes another valid number."""


def chosen_groups(words: list[Word]) -> tuple[list[int], list[int]]:
    """The unsure words to re-read (:func:`strips`): the numbers cut to :data:`MAX_WORDS`, the letters."""
    numbers, _, letters, _ = strips(words)
    return numbers, letters


def strips(words: list[Word]) -> tuple[list[int], list[int], list[int], list[list[int]]]:
    """Indices of the words each strip reads again, in page order: the unsure numbers
    (:func:`ranked_groups`, the first :data:`MAX_WORDS`); beside them, on a page that has such numbers,
    the surest of those the strip had no room for (a form a hand filled has many: a pen's are read
    again however sure) and the numbers read sure (:func:`sure_numbers`), at most
    :data:`MAX_SURE_WORDS`; the words of letters; and, as runs of words, a date's days and months read
    unsure that are no such number alone (:func:`unsure_date_slots`: "ngày †† tháng 12", a hand's 11).

    The second group is a strip of its own: a strip is read as one block, and other crops beside the
    unsure words would change how those are read. One hand fills a form's values or a letter's number
    and day, and Tesseract reads a hand's 1 as 7 as sure as print: the analysis takes such digits only
    when two readings agree. In that strip a reading of other characters keeps nothing: which of two
    readings slipped, nothing tells there (a typed "874" read "374" alone), and the page's reading
    stands, unconfirmed."""
    ranked, letters = ranked_groups(words)
    numbers, beyond = sorted(ranked[:MAX_WORDS]), ranked[MAX_WORDS:]
    again = sorted((beyond + sure_numbers(words))[:MAX_SURE_WORDS]) if numbers else []
    days = [run for run in unsure_date_slots(words) if run[0] not in ranked or len(run) > 1][:MAX_WORDS]
    return numbers, again, letters, days


def ranked_groups(words: list[Word]) -> tuple[list[int], list[int]]:
    """Indices of the words to re-read, read at a confidence in [:data:`MIN_FIRST_CONF`,
    :data:`MAX_CONF`) (a number a pen wrote, ``schemas.pages.PEN_INKS``, however sure: the analysis
    holds a hand's digits unless two readings agree), in two groups, each read in its own strip:
    words of at least :data:`MIN_DIGITS` digits, digits at least half of the word (a dot leader aside) or all of what a leader cuts from it
    (:func:`_number_beside_leader`), or a document's number with its symbol (:data:`DOCUMENT_NUMBER`),
    the least sure first, then a house's or hamlet's number (:data:`PLACE_NUMBER`), in that order (a
    strip takes the first :data:`MAX_WORDS`); and words of letters glued to a dot leader
    (:data:`GLUED_LETTERS`), the least sure first, at most :data:`MAX_LETTER_WORDS`, with the words of
    letters alone read in :data:`UNSURE_LETTERS`, the surest first, at most :data:`MAX_UNSURE_WORDS`."""
    numbers, places, glued, unsure = [], [], [], []
    for index, word in enumerate(words):
        sure = word.conf >= MAX_CONF
        if word.conf < MIN_FIRST_CONF or (sure and word.ink not in PEN_INKS):
            continue
        if _mostly_digits(word.text) or DOCUMENT_NUMBER.match(word.text) or _number_beside_leader(word.text):
            numbers.append(index)
        elif PLACE_NUMBER.fullmatch(word.text):
            places.append(index)
        elif sure:
            continue  # a pen's letters read sure: only its numbers are read again
        elif _glued_letters(word.text) or _leader_twin(words, index):
            glued.append(index)
        elif UNSURE_LETTERS[0] <= word.conf < UNSURE_LETTERS[1] and _LETTERS_WORD.fullmatch(word.text):
            unsure.append(index)
    numbers.sort(key=lambda i: words[i].conf)
    places.sort(key=lambda i: words[i].conf)
    glued.sort(key=lambda i: words[i].conf)
    unsure.sort(key=lambda i: -words[i].conf)
    # a house's or hamlet's number where the strip has room
    return numbers + places, sorted(glued[:MAX_LETTER_WORDS] + unsure[:MAX_UNSURE_WORDS])


_SLOT_ENDS = {"ngày": "tháng", "tháng": "năm"}
"""A date's day stands between "ngày" and "tháng", its month between "tháng" and "năm"."""

SLOT_WORDS = 2
"""At most this many words make a day or a month: a hand's two digits may be read apart ("† †", "1 (")."""

DATE_SLOT_CHARS = 4
"""At most this many characters make a day or a month, with what a hand's strokes add ("(3", "5S")."""

MIN_SLOT_CONF = 0.60
"""A second reading of a day or month whose page reading is no number at all ("ngày † † tháng 7",
read again "11" at 0.81) is kept from this confidence: it is all there is to read, and the analysis
takes it as a likely reading, never a sure one. Where the page read a number, a reading of other
digits must be as sure as any (:data:`MIN_SECOND_CONF`)."""

_MARKS_ONLY = re.compile(r"[.…_·:;,\-–—]+")
_DAY_OR_MONTH = re.compile(r"\d{1,2}")


def unsure_date_slots(words: list[Word]) -> list[list[int]]:
    """Runs of word indices that are a date's day or month, read unsure or in a pen's ink, in page
    order: the one or :data:`SLOT_WORDS` words of a line between "ngày" and "tháng" or "tháng" and
    "năm" (:data:`_SLOT_ENDS`), of at most :data:`DATE_SLOT_CHARS` characters in all and not a blank's
    leader. A hand writes them into a typed letter's or form's date, and the page's reading makes of its
    strokes other marks ("ngày †† tháng 12", "ngày 3 † tháng", "tháng 5S năm") or too few digits for
    a number ("5" at 0.80). Each is read again as one crop (:func:`_read_date_slots`)."""
    runs = []
    for index, word in enumerate(words):
        closing = _SLOT_ENDS.get(word.text.lower())
        if closing is None:
            continue
        end = next((k for k in range(index + 1, min(index + SLOT_WORDS + 2, len(words)))
                    if words[k].text.lower() == closing), None)
        if end is None or end == index + 1:
            continue
        run = list(range(index + 1, end))
        text = "".join(words[k].text for k in run)
        if (len(text) <= DATE_SLOT_CHARS and not _MARKS_ONLY.fullmatch(text)
                and all(same_line(words[k], words[k + 1]) for k in range(index, end))
                and any(words[k].conf < MAX_CONF or words[k].ink in PEN_INKS for k in run)):
            runs.append(run)
    return runs


def _read_date_slots(gray: np.ndarray, dpi: int, words: list[Word], runs: list[list[int]], read_block: ReadBlock,
                     out: list[Word]) -> int:
    """Read each day's or month's words (:func:`unsure_date_slots`) again as one crop, in one strip,
    putting in ``out`` what the second reading says: a word read alike, sure, is confirmed; a reading of
    other characters with a digit is kept beside the page's (``Word.second_reading`` of the run's first
    word, the others read as nothing) where sure, or from :data:`MIN_SLOT_CONF` where the page's
    reading is no number. How many it confirmed."""
    boxes = [bounding_box([words[k].bbox for k in run]) for run in runs]
    expected = ["".join(words[k].text for k in run) for run in runs]
    readings = _one_reading_each(gray, dpi, boxes, expected, [True] * len(runs), read_block)
    confirmed = 0
    for run, text, second in zip(runs, expected, readings):
        if second is None or not any(ch.isdigit() for ch in second.text):
            continue
        if same_reading(second.text, text):
            if len(run) == 1 and second.conf >= MIN_SECOND_CONF:
                out[run[0]] = _confirmed(words[run[0]], second.conf)
                confirmed += 1
            continue
        if second.conf < (MIN_SLOT_CONF if not _DAY_OR_MONTH.fullmatch(text) else MIN_SECOND_CONF):
            continue
        for k, reading in zip(run, [second.text] + [""] * (len(run) - 1)):
            out[k] = _read_otherwise(words[k], reading, second.conf, words[k].text)
    return confirmed


def sure_numbers(words: list[Word]) -> list[int]:
    """Indices of the numbers read sure (at :data:`MAX_CONF` or more, in no pen's ink: those are
    re-read with the unsure ones), at most :data:`MAX_SURE_WORDS` in page order: words of
    :data:`MIN_DIGITS` digits or more, digits at least half of the word (a dot leader aside), and a
    date's day or month after its "ngày" or "tháng" on the same line (:data:`DATE_PART`)."""
    chosen = [index for index, word in enumerate(words)
              if word.conf >= MAX_CONF and word.ink not in PEN_INKS and _sure_number(words, index)]
    return chosen[:MAX_SURE_WORDS]


DATE_PART = re.compile(r"\d{1,2}[,.]?")
"""A date's day or month as a word of its own ("ngày 05 tháng 3 năm 2020"): one digit is enough."""

_DATE_LABELS = ("ngày", "tháng")


def _sure_number(words: list[Word], index: int) -> bool:
    """Is ``words[index]`` a number (:func:`sure_numbers`)?"""
    text = words[index].text
    if _mostly_digits(text):
        return True
    if not DATE_PART.fullmatch(text) or index == 0:
        return False
    before = words[index - 1]
    return before.text.lower() in _DATE_LABELS and same_line(before, words[index])


def _mostly_digits(text: str) -> bool:
    """Has ``text`` :data:`MIN_DIGITS` digits or more, at least half of it, a dot leader aside
    ("22/02/1983.........": the leader is no part of it)?"""
    digits = sum(ch.isdigit() for ch in text)
    return digits >= MIN_DIGITS and 2 * digits >= len(_LEADERS.sub("", text))


GLUED_LETTERS = (re.compile(r"(?:.*?[.…_·]{2,})([^\W\d_]{2,})(?:[.…_·]{2,})?"), re.compile(r"([^\W\d_]{2,})[.…_·]{2,}"))
"""A word's letters with a dot leader before ("tên:.....Dương", ".....TRẦN"), after ("GIANG...") or
on both sides of them ("(2)...Nữ........."), as one word (``fullmatch``): the letters are group 1."""


def _number_beside_leader(text: str) -> bool:
    """Is the value a leader cuts from ``text`` a number of :data:`MIN_DIGITS` digits or more, whatever
    the label before the leader ("động:.....0976", "chiếu/CMCAND/CMQĐND:..030092824598")?"""
    span = _beside_leader(text)
    return span is not None and sum(ch.isdigit() for ch in text[span[0]:span[1]]) >= MIN_DIGITS


def _glued_letters(text: str) -> re.Match | None:
    """The match of :data:`GLUED_LETTERS` on ``text``, if any."""
    return next((m for m in (p.fullmatch(text) for p in GLUED_LETTERS) if m), None)


_LETTERS_WORD = re.compile(r"[^\W\d_]{2,}[,;]?")


def _leader_twin(words: list[Word], index: int) -> bool:
    """Is ``words[index]`` letters beside a dot leader of the same line that Tesseract gave the very
    same confidence ("VÂN" 0.57, "......." 0.57)? The two were one word of its layout, split by its
    recognition: the word's confidence is the leader's as much as the letters'."""
    word = words[index]
    if not _LETTERS_WORD.fullmatch(word.text):
        return False
    neighbours = [words[k] for k in (index - 1, index + 1) if 0 <= k < len(words)]
    for other in neighbours:
        if (_LEADERS.fullmatch(other.text) and other.conf == word.conf
                and same_line(other, word)):
            return True
    return False


def confirm_unsure_words(image: np.ndarray, dpi: int, words: list[Word], read_block: ReadBlock) -> tuple[list[Word], int, int]:
    """``words`` (boxes in ``image``'s pixels, ``image`` at ``dpi``) with each unsure word of
    :func:`strips` that a second reading agrees with raised to the second reading's
    confidence, and each that a sure second reading reads otherwise holding that reading beside its
    own (and, on a page that has such words, its numbers read sure: :func:`sure_numbers`); then each
    run of a number's spaced pieces (:func:`spaced_runs`) read again as one word; also how many words
    were re-read and how many the second reading confirmed. Each group is one strip and one engine
    call (a strip is read as one block, at its words' scale: the names' words and the sure numbers do
    not change how the unsure numbers are read)."""
    numbers, again, letters, days = strips(words)
    groups = [(group, keep_other) for group, keep_other in ((numbers, True), (again, False), (letters, True)) if group]
    runs = spaced_runs(words)
    if not groups and not runs and not days:
        return words, 0, 0
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    out, reread, confirmed = list(words), 0, 0
    for chosen, keep_other in groups:
        confirmed += _read_again(gray, dpi, words, chosen, read_block, out, keep_other=keep_other)
        reread += len(chosen)
    if days:
        confirmed += _read_date_slots(gray, dpi, words, days, read_block, out)
        reread += sum(len(run) for run in days)
    if runs:
        joined = _read_runs_together(gray, dpi, out, runs, read_block)
        reread += sum(len(run) for run in runs)
        confirmed += joined
    return out, reread, confirmed


_PIECE_END = re.compile(r"\d[/.\-⁄]?$")
"""How a piece of a spaced number ends (``search``): a digit, or a digit and its separator ("05/"); a
leader after it ends the value ("998........." "3. Giới tính")."""
_PIECE_START = re.compile(r"[/.\-⁄]?\d")
"""How the next piece opens (``match``): a digit, or a separator and a digit ("-1", "/1")."""


def spaced_runs(words: list[Word]) -> list[list[int]]:
    """Runs of word indices that may be one number a hand spaced: two to :data:`MAX_RUN_WORDS` words
    of one line, each but the last ending a number's piece and each but the first opening one
    (:data:`_PIECE_END`, :data:`_PIECE_START`), each no further from the one before than the taller
    of the two is high, with :data:`MIN_DIGITS` digits in all; at most :data:`MAX_RUNS` a page, the
    longest first. A number typed whole is one word and makes no run."""
    runs, current = [], [0] if words else []
    for index in range(1, len(words)):
        if _continues(words[index - 1], words[index]) and len(current) < MAX_RUN_WORDS:
            current.append(index)
            continue
        runs.append(current)
        current = [index]
    runs.append(current)
    runs = [run for run in runs if len(run) >= 2 and sum(ch.isdigit() for i in run for ch in words[i].text) >= MIN_DIGITS]
    return sorted(sorted(runs, key=len, reverse=True)[:MAX_RUNS])


def _continues(before: Word, after: Word) -> bool:
    """Does ``after`` go on the number ``before`` ends, on the same line and close beside it?"""
    if not same_line(before, after):
        return False
    gap = after.bbox[0] - before.bbox[2]
    tallest = max(before.bbox[3] - before.bbox[1], after.bbox[3] - after.bbox[1])
    return (0 <= gap <= tallest and bool(_PIECE_END.search(before.text))
            and bool(_PIECE_START.match(after.text)))


def _read_runs_together(gray: np.ndarray, dpi: int, words: list[Word], runs: list[list[int]],
                        read_block: ReadBlock) -> int:
    """Read each run's pieces again as one crop, in one strip; where a sure reading gives one word of
    their very characters run together, mark every piece of ``words`` with it, in place
    (``Word.joined_reading``), and count it a second reading alike of each piece not read alike
    already. How many runs were read so. (Runs share no word, and every piece is cut before any is
    marked.)"""
    pieces = [[_piece(gray, words[i]) for i in run] for run in runs]
    boxes = [bounding_box([box for box, _ in run]) for run in pieces]
    expected = ["".join(text for _, text in run) for run in pieces]
    strip, slots, strip_dpi = _stack(gray, dpi, boxes, cut=[True] * len(runs))
    readings = _by_slot(read_block(strip, strip_dpi), slots)
    joined = 0
    for slot, run in enumerate(runs):
        read = readings.get(slot, [])
        if len(read) != 1 or read[0].conf < MIN_SECOND_CONF or not same_reading(read[0].text, expected[slot]):
            continue
        for index in run:
            words[index] = _read_with_neighbours(words[index], read[0])
        joined += 1
    return joined


def _piece(gray: np.ndarray, word: Word) -> tuple[tuple[int, int, int, int], str]:
    """The box and text of a run's piece: the number cut from a leader glued to it ("ngày:...1" -> "1",
    :func:`value_span`), else the whole word."""
    return value_span(gray, word) or (word.bbox, word.text)


def _read_with_neighbours(word: Word, reading: Word) -> Word:
    """``word`` as a piece of a number read whole again (``reading``): the joined reading kept, and its
    confidence taken as a second reading alike where no other second reading was."""
    update: dict = {"joined_reading": reading.text}
    if word.reread_conf is None and word.second_reading is None:
        update.update(conf=max(word.conf, reading.conf), reread_conf=reading.conf, first_conf=word.conf)
    return word.model_copy(update=update)


def _read_again(gray: np.ndarray, dpi: int, words: list[Word], chosen: list[int], read_block: ReadBlock,
                out: list[Word], *, keep_other: bool = True) -> int:
    """Read the ``chosen`` words again in one strip, putting in ``out`` what the second reading
    says of each (a sure reading of other characters only where ``keep_other``); how many it confirmed."""
    spans = [value_span(gray, words[i]) for i in chosen]
    boxes = [span[0] if span else words[i].bbox for span, i in zip(spans, chosen)]
    expected = [span[1] if span else words[i].text for span, i in zip(spans, chosen)]
    cut = [span is not None or _leader_twin(words, i) for span, i in zip(spans, chosen)]
    confirmed = 0
    for index, text, second in zip(chosen, expected, _one_reading_each(gray, dpi, boxes, expected, cut, read_block)):
        if second is None:
            continue  # split, merged with a neighbour's remains, or not read: no agreement
        if second.conf < MIN_SECOND_CONF and not _other_number_same_symbol(words[index].text, second):
            continue
        if same_reading(second.text, text):
            out[index] = _confirmed(words[index], second.conf)
            confirmed += 1
        elif keep_other:
            out[index] = _read_otherwise(words[index], second.text, second.conf, text)
    return confirmed


def _one_reading_each(gray: np.ndarray, dpi: int, boxes: list[tuple[int, int, int, int]], expected: list[str],
                      cut: list[bool], read_block: ReadBlock) -> list[Word | None]:
    """The crops of ``boxes`` stacked in one strip and read in one engine call: each crop's reading as
    one word, or None where it was not read as one (pieces each sure whose letters are the ``expected``
    text's are one word: "Số121," read "Số 121,", the second reading put a space in)."""
    strip, slots, strip_dpi = _stack(gray, dpi, boxes, cut=cut)
    readings = _by_slot(read_block(strip, strip_dpi), slots)
    out: list[Word | None] = []
    for slot, text in enumerate(expected):
        read = readings.get(slot, [])
        if len(read) > 1 and _same_split(read, text):
            read = [_joined(read)]
        out.append(read[0] if len(read) == 1 else None)
    return out


def _confirmed(word: Word, second_conf: float) -> Word:
    """``word`` read alike by a sure second reading: as sure as the surer of the two readings, both kept."""
    return word.model_copy(update={"conf": max(word.conf, second_conf), "reread_conf": second_conf,
                                   "first_conf": word.conf})


def _read_otherwise(word: Word, reading: str, second_conf: float, of: str) -> Word:
    """``word`` with a second reading of other characters kept beside the page's (``of``: the part of
    its text read again)."""
    return word.model_copy(update={"second_reading": reading, "second_conf": second_conf, "second_reading_of": of})


def _same_split(read: list[Word], expected: str) -> bool:
    """Did the second reading split the word into pieces, each sure, whose letters are the word's
    ("Số121," as "Số" "121,")? The page reading ran them together; the letters are what agree."""
    return (all(w.conf >= MIN_SECOND_CONF for w in read)
            and "".join(w.text for w in read) == expected.replace(" ", ""))


def _joined(read: list[Word]) -> Word:
    """One word of the pieces of a split second reading, as sure as the least sure of them."""
    text, conf = "".join(w.text for w in read), min(w.conf for w in read)
    return read[0].model_copy(update={"text": text, "conf": conf})


_SEPARATORS = re.compile(r"[/.:\-]")


RULE_BAR = "|"
"""A table's rule read as a bar glued to its cell's word ("|19/04/1953", a page reading of a cell's
date; "19/04/1953" read again from the larger crop): no part of the value, as the analysis reads it
(``pipeline.extract.clean``)."""


def same_reading(second: str, first: str) -> bool:
    """Do two readings of a word say the same: the same text, a rule's bar (:data:`RULE_BAR`) at
    either end aside, or the same digit groups between other separators ("0763.322.515" for a hand's
    "0763:322:515": the number is the digits)?"""
    second, first = second.strip(RULE_BAR), first.strip(RULE_BAR)
    if second == first:
        return bool(second)
    return (bool(_NUMBER.fullmatch(second)) and bool(_NUMBER.fullmatch(first))
            and _SEPARATORS.split(second) == _SEPARATORS.split(first))


def _other_number_same_symbol(text: str, second: Word) -> bool:
    """Does ``second`` read the document's number ``text`` with other digits of the same count before
    the same symbol, at :data:`MIN_SYMBOL_SECOND_CONF` or more?"""
    number, slash, symbol = text.partition("/")
    other, other_slash, other_symbol = second.text.partition("/")
    return (bool(DOCUMENT_NUMBER.match(text)) and slash == other_slash and symbol == other_symbol and other.isdigit()
            and len(other) == len(number) and other != number and second.conf >= MIN_SYMBOL_SECOND_CONF)


_LEADERS = re.compile(r"[.…_·]{2,}")
_NUMBER = re.compile(r"\d(?:[\d/.:\-]*\d)?")  # "0763:322:515": a hand's dots between digit groups read as colons
_NUMBER_UNREAD = re.compile(r"\d(?:[\d/.:\-@#$%&?§]*\d)?")
"""A number as the page's reading may leave it beside a leader: a digit it could not make out read as
a symbol between the others ("ngày:...2@-08-1983"). The symbol is part of the number to read again,
not its end: the longest number would otherwise be "08-1983", with "2@-" between it and the leader."""
_LEADER_BEFORE = re.compile(r".*[.…_·]{2,}")
"""What may stand before a value and be cut from it (``fullmatch``): anything that ends in a leader
("hệ:......", ":..", "(2)...")."""
_MARKS_AFTER = re.compile(r"[,;:\-–]?[.…_·]+")
"""What may follow a value and be cut from it (``fullmatch``): a leader, or one stop ("22/01/1996."
read at 0.36 whole, "22/01/1996" at 0.79 alone), after a comma or a dash at most."""
_LEADER_AFTER = re.compile(r"[,;:\-–]?[.…_·]{2,}.*")
"""What may follow a value with nothing before it (``fullmatch``): a leader and whatever is glued
beyond it ("0826075380......Ngày"); the value is then the word's first letters or digits."""
MARK_HEIGHT = 0.3
"""An ink blob lower than this share of the word's box is a mark (a leader's dot, a hyphen, a colon's
dot, a tone mark); a letter or a digit is taller, even a small one beside a capital ("a" of "Cha")."""

MIN_MARK = 0.08
"""A mark narrower or lower than this share of the word's box is a speck (of a hand's stroke, of the
scan), not a leader's dot ("091304342407" in a handwriting font: two specks of the 1's stroke between
it and the 3 had cut the number in two)."""

LEADER_MARKS = 2
"""Marks side by side between two letters or digits, at least this many, are a leader: a date's
hyphens and a phone number's dots stand alone between digit groups; a leader's dots, after a colon
or not, come two or more."""

LEADER_ROW = 0.12
"""Marks whose middles lie within this share of the word's box height of each other lie on one row."""


def value_span(gray: np.ndarray, word: Word) -> tuple[tuple[int, int, int, int], str] | None:
    """The box of the number (or the letters, :data:`GLUED_LETTERS`) inside a word that glues it to a
    dot leader, and its text: "hệ:......0826075380" -> (box of the letters and digits after the
    leader, "0826075380"); "22/02/1983........." -> (box of those before it, "22/02/1983");
    "tên:.....Dương" -> (box after it, "Dương"); "có):......0830479841........" -> (box between the
    two, "0830479841"). None for a word that is a number alone, has other text than a leader beside
    the value, or whose ink does not show the leader (:func:`_value_columns`)."""
    text = word.text
    span = _beside_leader(text)
    if span is None:
        return None
    value_at, value_end = span
    before = text[:value_at]
    x0, y0, x1, y1 = word.bbox
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0:
        return None
    # a label's letters before the leader must show in the ink; a colon alone (":..0869") is marks
    columns = _value_columns(crop, after_leader=bool(before), label=any(ch.isalnum() for ch in before))
    if columns is None:
        return None
    left, right = columns
    rows = np.flatnonzero((crop[:, left:right + 1] < 128).any(axis=1))  # the value's own height, not the label's marks
    # Where the value ends (or opens) the word and its ink runs into the word's edge, the engine's box cut
    # its last (first) glyph ("ngày....08/06/1982" boxed through the 2, whose parts inside make no glyph:
    # read "08/06/198" alone): the box reaches past the word's own, by the strip's margin. Only then: a
    # close neighbour's first letter lies there too ("tên:.....Đỉnh" "Kim")
    pad = max(int(round(PAD * (y1 - y0))), 1)
    left = max(x0 - pad, 0) if value_at == 0 and _inked(crop[:, 0]) else x0 + left
    right = min(x1 + pad, gray.shape[1]) if value_end == len(text) and _inked(crop[:, -1]) else x0 + right + 1
    return (left, y0 + int(rows[0]), right, y0 + int(rows[-1]) + 1), text[value_at:value_end]


def _inked(column: np.ndarray) -> bool:
    return bool((column < 128).any())


def _beside_leader(text: str) -> tuple[int, int] | None:
    """Where in ``text`` the value stands that a leader lies beside, with nothing else between
    (:data:`_LEADER_BEFORE`, :data:`_MARKS_AFTER`, :data:`_LEADER_AFTER`): its longest number, else
    its letters (:data:`GLUED_LETTERS`: the "2" of "(2)...Nữ....." is a footnote's mark; the "98" of
    "Email:......anhdo98@gmail.com" stands beside no leader)."""
    numbers = list(_NUMBER_UNREAD.finditer(text))
    spans = [max(numbers, key=lambda m: sum(ch.isdigit() for ch in m.group())).span()] if numbers else []
    if glued := _glued_letters(text):
        spans.append(glued.span(1))
    for value_at, value_end in spans:
        before, after = text[:value_at], text[value_end:]
        leader_before = bool(_LEADER_BEFORE.fullmatch(before))
        leader_after = bool(_MARKS_AFTER.fullmatch(after) or (not before and _LEADER_AFTER.fullmatch(after)))
        if (before or after) and (leader_before or not before) and (leader_after or not after):
            return value_at, value_end
    return None


def _value_columns(crop: np.ndarray, *, after_leader: bool, label: bool) -> tuple[int, int] | None:
    """The first and last column of the value's letters or digits in a word's ``crop``: those after the
    last leader (``after_leader``; a ``label`` before it must show as letters, a leader between), or
    before the first one. Blobs at least :data:`MARK_HEIGHT` of the box high are letters or digits;
    a stretch between two of them holding :data:`LEADER_MARKS` or more marks side by side, or a mark as
    wide as the box is high (an underscore's line), is a leader."""
    count, _, stats, _ = cv2.connectedComponentsWithStats((crop < 128).astype(np.uint8), connectivity=8)
    height = crop.shape[0]
    glyphs, marks = [], []
    for x, y, w, h, _ in stats[1:count]:
        if h >= MARK_HEIGHT * height:
            glyphs.append((int(x), int(x + w - 1)))
        elif min(w, h) >= MIN_MARK * height:  # specks of a hand's stroke or of the scan are no leader's dots
            marks.append((int(x), int(x + w - 1), y + h / 2))
    if not glyphs:
        return None
    spans = _merged(glyphs)
    groups, current = [], [spans[0]]
    for previous, span in zip(spans, spans[1:]):
        between = [m for m in marks if m[0] > previous[1] and m[1] < span[0]]
        if _leader_between(between, height):
            groups.append(current)
            current = []
        current.append(span)
    groups.append(current)
    if label and len(groups) < 2:
        return None  # "hệ:......0826075380" whose ink shows no leader between label and value
    group = groups[-1] if after_leader else groups[0]
    return group[0][0], group[-1][1]


def _leader_between(marks: list[tuple[int, int, float]], height: int) -> bool:
    """Do ``marks`` (first and last column, middle row) between two glyphs make a leader: a mark as wide
    as the box is high (an underscore's line), or :data:`LEADER_MARKS` or more side by side in one row
    (:data:`LEADER_ROW`)? A leader's dots sit on one line; a speck of the scan above a phone number's
    one dot ("0780.468.588", the speck half way up) is no second dot."""
    if any(end - start >= height for start, end, _ in marks):
        return True
    rows = [[(start, end) for start, end, middle in marks if abs(middle - row) <= LEADER_ROW * height]
            for _, _, row in marks]
    return any(len(_merged(side_by_side)) >= LEADER_MARKS for side_by_side in rows)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Column spans, overlapping ones merged (a letter and its tone mark, a colon's two dots), left to right."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _stack(gray: np.ndarray, dpi: int, boxes: list[tuple[int, int, int, int]],
           cut: list[bool] | None = None) -> tuple[np.ndarray, list[tuple[int, int]], int]:
    """The boxes' crops, each scaled to :data:`LETTER_PX` high, one under the other on white, left
    aligned; the rows (top, bottom) of each slot in the strip, and the strip's resolution (the
    page's, scaled like its median crop). The margin beside a box ``cut`` from its word (``cut[k]``)
    is white: there lies the leader's nearest dot, which a reading of the value alone must not see
    (".Dương" is read at 0.24, "Dương" at 0.95)."""
    crops, scales = [], []
    height, width = gray.shape[:2]
    for k, box in enumerate(boxes):
        x0, y0, x1, y1 = box
        pad = max(int(round(PAD * (y1 - y0))), 1)
        left, right = max(x0 - pad, 0), min(x1 + pad, width)
        crop = gray[max(y0 - pad, 0):min(y1 + pad, height), left:right]
        if cut and cut[k] and crop.size:
            crop = crop.copy()
            crop[:, :x0 - left] = 255
            crop[:, crop.shape[1] - (right - x1):] = 255
        if crop.size == 0:
            crop = np.full((LETTER_PX, LETTER_PX), 255, dtype=np.uint8)
        scale = LETTER_PX / max(y1 - y0, 1)
        if abs(scale - 1.0) > 0.02:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
        crops.append(crop)
        scales.append(scale)
    gap = int(round(GAP * LETTER_PX))
    strip_w = max(c.shape[1] for c in crops) + 2 * gap
    strip_h = sum(c.shape[0] for c in crops) + gap * (len(crops) + 1)
    strip = np.full((strip_h, strip_w), 255, dtype=np.uint8)
    slots, y = [], gap
    for crop in crops:
        strip[y:y + crop.shape[0], gap:gap + crop.shape[1]] = crop
        slots.append((y, y + crop.shape[0]))
        y += crop.shape[0] + gap
    strip_dpi = int(round(dpi * float(np.median(scales))))
    return np.ascontiguousarray(strip), slots, max(strip_dpi, 1)


def _by_slot(found: list[Word], slots: list[tuple[int, int]]) -> dict[int, list[Word]]:
    """The strip's words by the slot their box's middle row falls in (words between slots: none)."""
    out: dict[int, list[Word]] = {}
    for word in found:
        middle = (word.bbox[1] + word.bbox[3]) / 2
        for slot, (top, bottom) in enumerate(slots):
            if top <= middle < bottom:
                out.setdefault(slot, []).append(word)
                break
    return out
