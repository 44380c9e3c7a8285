"""What the OCR side hands to the analysis side: one page's words with boxes and confidences.

These are plain data, serialised as JSON into the object store (``pages/<page id>/words.json``)
so that a page is read once and analysed as often as needed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

TextSource = Literal["ocr", "text_layer", "blank"]
BBox = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the upright, deskewed page


class Word(BaseModel):
    """One recognised word."""

    text: str
    conf: float = Field(ge=0.0, le=1.0, description="Recognition confidence, 0..1")
    bbox: BBox
    block: int = 0
    par: int = 0
    line: int = 0
    original: str | None = Field(None, description="The engine's reading when post-correction changed it")
    reread_conf: float | None = Field(
        None, ge=0.0, le=1.0,
        description="Confidence of a second reading of the word (larger scale, ocr/digits.py) that gave the "
                    "very same text; ``conf`` is then the better of the two. None: not re-read, or the readings differed",
    )
    first_conf: float | None = Field(
        None, ge=0.0, le=1.0, description="The page reading's own confidence when a second reading raised ``conf``",
    )
    second_reading: str | None = Field(
        None, description="What a sure second reading of the word (larger scale, ocr/digits.py) gave for "
                          "``second_reading_of`` when it gave other characters: the page reading is kept, the "
                          "analysis weighs the other (a hand's 1 read as 7 at the page's scale is often read right "
                          "at the larger one). A date's day or month the page read as no number is kept from "
                          "0.60 (``ocr.digits.MIN_SLOT_CONF``); read in two words and again as one crop, the "
                          "reading stands on the first word and the second reads \"\"",
    )
    second_conf: float | None = Field(
        None, ge=0.0, le=1.0, description="The confidence of ``second_reading``",
    )
    second_reading_of: str | None = Field(
        None, description="The characters of ``text`` the second reading read again: the whole word, or the number "
                          "cut from the dot leader glued to it",
    )
    ink: Literal["blue", "black", "mixed"] | None = Field(
        None, description="The word's ink on a page a pen wrote blue on (``ocr/ink.py``): \"blue\" (a hand filled it "
                          "in), \"black\" (print, or a black pen), \"mixed\" (both: a label's print read as one word "
                          "with a hand's value). None: not known (a grey page, a page without blue ink, a speck)",
    )
    joined_reading: str | None = Field(
        None, description="What a sure second reading of this word together with its neighbours of the same line "
                          "read as one word, when that is their very characters run together (a number whose digits a "
                          "hand spaced, read in pieces: \"05/1\" \"2/1957\" read \"05/12/1957\" whole, ocr/digits.py): "
                          "the gaps between them lie inside one number. Every word of the run holds it",
    )
    glued_to: str | None = Field(
        None, description="The engine's one word this word was cut from (\"ThiThảo\" -> \"Thi\", \"Thảo\"): "
                          "it read two words as one, and its reading of their letters is the less sure for it",
    )

    @property
    def page_conf(self) -> float:
        """The confidence of the page reading alone (what the glyphs' look, not the agreement, says)."""
        return self.conf if self.first_conf is None else self.first_conf


PEN_INKS = frozenset({"blue", "mixed"})
"""The inks of a word (``Word.ink``) that show a pen wrote it: blue, or blue beside a label's black print."""


def centre_in(box: BBox, cell: BBox) -> bool:
    """Does ``box``'s centre lie in ``cell`` (edges included)? Which table cell a word belongs to, for
    the page path and the analysis alike."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]


def union_bbox(words: list[Word]) -> BBox:
    """The smallest box holding every word."""
    return bounding_box([w.bbox for w in words])


def bounding_box(boxes: list[BBox]) -> BBox:
    """The smallest box holding every box."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def char_weighted_conf(words: list[Word]) -> float:
    """Confidence weighted by characters (a long misread word matters more than a stray mark)."""
    total = sum(len(w.text) for w in words)
    return sum(w.conf * len(w.text) for w in words) / total if total else 0.0


def line_key(word: Word) -> tuple[int, int, int]:
    """The (block, paragraph, line) the engine gave ``word``: which line it belongs to."""
    return (word.block, word.par, word.line)


def same_line(a: Word, b: Word) -> bool:
    """Did the engine put ``a`` and ``b`` on one line (:func:`line_key`)?"""
    return line_key(a) == line_key(b)


def words_by_line(words: list[Word]) -> dict[tuple[int, int, int], list[Word]]:
    """Words grouped by :func:`line_key`, in their order."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        groups.setdefault(line_key(word), []).append(word)
    return groups


class Line(BaseModel):
    """Words on one text line, left to right."""

    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> BBox:
        return union_bbox(self.words)

    @property
    def conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0


class PageText(BaseModel):
    """A page after the page path: upright, deskewed, read."""

    page_no: int = Field(ge=1, description="1-based page number within the source file")
    width: int = Field(ge=0, description="Pixels of the upright, deskewed page at the OCR resolution")
    height: int = Field(ge=0)
    dpi: int = 300
    rotation: int = Field(0, description="How the page lay on the scan: 0/90/180/270 clockwise from upright")
    skew: float = Field(0.0, description="Further tilt of the text lines as scanned, degrees, CCW positive")
    text_source: TextSource = "ocr"
    words: list[Word] = Field(default_factory=list)
    cells: list[BBox] = Field(default_factory=list, description="The cells of ruled tables on the page (inside "
                                                                "their rules, in the page's pixels): ocr/tables.py")
    mean_conf: float = Field(0.0, ge=0.0, le=1.0)
    timings_ms: dict[str, float] = Field(default_factory=dict, description="Time spent per page stage")
    notes: list[str] = Field(default_factory=list, description="What the page path noticed (stamp removed, upsampled…)")

    @property
    def blank(self) -> bool:
        return self.text_source == "blank"

    def lines(self) -> list[Line]:
        """Group words into lines in reading order (block, paragraph, line as the engine gave them)."""
        return [Line(words=sorted(ws, key=lambda w: w.bbox[0])) for ws in words_by_line(self.words).values()]

    @property
    def text(self) -> str:
        """The page's text in reading order, one line per line."""
        return "\n".join(line.text for line in self.lines())
