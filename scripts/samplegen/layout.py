"""A tiny page model and a writer that lays documents out on it.

Coordinates are PDF points (1/72 inch) from the top-left corner of the upright page; the raster
renderer scales them to the chosen DPI and the PDF renderer flips y. The writer keeps the text of
every line it sets, in reading order (left header column, then right, then top to bottom), which
becomes the document's ground-truth ``text``; it also records the box of every field value.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from .fonts import Family, HAND_FONTS, missing_glyphs, text_width

PAGE_SIZES = {"A4": (595.28, 841.89), "A5": (419.53, 595.28), "A6": (297.64, 419.53)}
BLACK = (0, 0, 0)
INK_BLUE = (20, 40, 150)
STAMP_RED = (210, 30, 35)


@dataclass
class Text:
    """A run of text; ``y`` is its baseline. ``hand`` draws it as jittered blue handwriting."""

    x: float
    y: float
    text: str
    font: Path
    size: float
    color: tuple[int, int, int] = BLACK
    hand: bool = False
    seed: int = 0


@dataclass
class Rule:
    """A straight line (underlines, table borders, card frames)."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.6
    color: tuple[int, int, int] = BLACK


@dataclass
class Box:
    """A filled rectangle (photo area, tinted card background)."""

    x0: float
    y0: float
    x1: float
    y1: float
    fill: tuple[int, int, int]


@dataclass
class Stamp:
    """A red round seal: two rings, the agency name around the rim, a star in the middle."""

    cx: float
    cy: float
    r: float
    ring_text: str
    font: Path
    color: tuple[int, int, int] = STAMP_RED


@dataclass
class Scribble:
    """A hand-drawn stroke (signature) as a polyline."""

    points: list[tuple[float, float]]
    width: float = 1.0
    color: tuple[int, int, int] = INK_BLUE


Op = Text | Rule | Box | Stamp | Scribble


@dataclass
class Page:
    """One upright page: its size in points and what is drawn on it."""

    width: float
    height: float
    ops: list[Op] = field(default_factory=list)


@dataclass
class Seg:
    """A piece of a line: ``hand`` marks handwriting, ``key`` names the field whose value it is."""

    text: str
    style: str = "regular"
    hand: bool = False
    key: str | None = None


class Writer:
    """Sets lines, paragraphs, labelled fields, tables, headers and signature blocks on pages.

    ``scale`` is the page width relative to A4, so an A5 page holds the same layout smaller.
    """

    def __init__(self, size: tuple[float, float], family: Family, rng: random.Random, body_pt: float = 13.0):
        self.width, self.height = size
        self.family = family
        self.rng = rng
        self.scale = self.width / PAGE_SIZES["A4"][0]
        # small pages are reduced copies, but not below ~10 pt, so that OCR at 200 dpi stays reliable
        self.body = body_pt * max(self.scale, 0.8)
        mm = 72 / 25.4 * self.scale
        self.mm = mm
        self.left, self.right = 30 * mm, self.width - 15 * mm
        self.top, self.bottom = 20 * mm, self.height - 20 * mm
        self.pages: list[Page] = []
        self.lines: list[str] = []
        self.boxes: dict[str, dict] = {}
        self.y = 0.0
        self.new_page()

    # ---------------------------------------------------------------- pages
    @property
    def page(self) -> Page:
        """The page being written."""
        return self.pages[-1]

    @property
    def page_no(self) -> int:
        """1-based number of the page being written (within this document)."""
        return len(self.pages)

    def new_page(self) -> None:
        """Start a fresh page at the top margin."""
        self.pages.append(Page(self.width, self.height))
        self.y = self.top

    def ensure(self, height: float) -> None:
        """Break the page when ``height`` more points do not fit."""
        if self.y + height > self.bottom:
            self.new_page()

    def space(self, lines: float = 0.5) -> None:
        """Vertical gap of ``lines`` body lines."""
        self.y += lines * self.body * 1.3

    # ---------------------------------------------------------------- text primitives
    def font(self, style: str) -> Path:
        """The family's file for a style."""
        return self.family.path(style)

    def _check(self, text: str, font: Path) -> None:
        missing = missing_glyphs(text, font)
        if missing:  # never draw tofu: the ground truth would not match the page
            raise ValueError(f"font {font.name} lacks {sorted(missing)}")

    def seg_width(self, seg: Seg, size: float) -> float:
        """Width of a segment in points."""
        font = HAND_FONTS[0] if seg.hand else self.font(seg.style)
        return text_width(seg.text, font, size * (1.15 if seg.hand else 1.0))

    def put(self, segs: list[Seg], size: float, x: float, baseline: float, page: Page | None = None) -> float:
        """Draw segments side by side from ``x``; returns the end x. Records field boxes."""
        page = page or self.page
        for seg in segs:
            width = self.seg_width(seg, size)
            if seg.hand:
                font = self.rng.choice(HAND_FONTS)
                self._check(seg.text, font)
                page.ops.append(Text(x, baseline + size * 0.1, seg.text, font, size * 1.15, INK_BLUE, True,
                                     self.rng.randrange(1 << 30)))
            elif seg.text.strip():
                self._check(seg.text, self.font(seg.style))
                page.ops.append(Text(x, baseline, seg.text, self.font(seg.style), size))
            if seg.key and seg.text.strip():
                self._record_box(seg.key, x, baseline - size * 0.8, x + width, baseline + size * 0.25, page)
            x += width
        return x

    def _record_box(self, key: str, x0: float, y0: float, x1: float, y1: float, page: Page) -> None:
        page_no = self.pages.index(page) + 1
        box = self.boxes.get(key)
        if box and box["page"] == page_no:  # a value wrapped over lines: grow its box
            b = box["bbox"]
            box["bbox"] = [min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)]
        elif not box:
            self.boxes[key] = {"page": page_no, "bbox": [x0, y0, x1, y1]}

    def line(self, segs: list[Seg] | str, size: float | None = None, align: str = "left",
             x0: float | None = None, x1: float | None = None, style: str = "regular",
             underline: bool | str = False, record: bool = True) -> None:
        """One line (no wrapping) aligned within [x0, x1]; advances the cursor."""
        if isinstance(segs, str):
            segs = [Seg(segs, style)]
        size = size or self.body
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        self.ensure(size * 1.35)
        width = sum(self.seg_width(s, size) for s in segs)
        x = {"left": x0, "center": (x0 + x1 - width) / 2, "right": x1 - width}[align]
        baseline = self.y + size
        self.put(segs, size, x, baseline)
        if underline:  # the motto is underlined in full, an agency name with a short rule
            inset = 0.0 if underline == "full" else width / 3
            self.page.ops.append(Rule(x + inset, baseline + size * 0.3, x + width - inset, baseline + size * 0.3))
        self.y += size * 1.35
        if record:
            self.record_text("".join(s.text for s in segs))

    def record_text(self, text: str) -> None:
        """Append a line to the reading-order text (blank runs collapse to one space)."""
        text = " ".join(text.split())
        if text:
            self.lines.append(text)

    def wrap(self, segs: list[Seg], size: float, width: float, first_indent: float = 0.0) -> list[list[Seg]]:
        """Break segments into lines at spaces so that joining lines with one space gives the text back."""
        # words as groups of pieces: "47" (handwritten) + "/QĐ-UBND" (printed) stay one word
        words: list[list[Seg]] = []
        glued = False
        for seg in segs:
            for i, piece in enumerate(seg.text.split(" ")):
                if i > 0:
                    glued = False
                if not piece:
                    continue
                part = Seg(piece, seg.style, seg.hand, seg.key)
                if glued and words:
                    words[-1].append(part)
                else:
                    words.append([part])
                glued = True
        lines: list[list[Seg]] = [[]]
        used = first_indent
        space = text_width(" ", self.font("regular"), size)
        for word in words:
            w = sum(self.seg_width(p, size) for p in word)
            if lines[-1] and used + space + w > width:
                lines.append([])
                used = 0.0
            if lines[-1]:
                same = lines[-1][-1].key == word[0].key
                lines[-1].append(Seg(" ", word[0].style, False, word[0].key if same else None))
                used += space
            lines[-1].extend(word)
            used += w
        return [line for line in lines if line]

    def paragraph(self, segs: list[Seg] | str, size: float | None = None, indent: float | None = None,
                  x0: float | None = None, x1: float | None = None, align: str = "left",
                  style: str = "regular", gap: float = 0.25) -> None:
        """A wrapped paragraph, first line indented; its lines go to the text one by one."""
        if isinstance(segs, str):
            segs = [Seg(segs, style)]
        size = size or self.body
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        indent = 10 * self.mm if indent is None else indent
        for i, line in enumerate(self.wrap(segs, size, x1 - x0, indent)):
            start = x0 + (indent if i == 0 else 0.0)
            self.line(line, size, align, start if align == "left" else x0, x1)
        self.y += size * gap

    def field(self, label: str, value: str, key: str | None, size: float | None = None,
              hand: bool = False, x0: float | None = None, x1: float | None = None, bold_value: bool = False) -> None:
        """``Label: value`` on one or more lines; the value's box is recorded under ``key``."""
        segs = [Seg(f"{label}: ")] + [Seg(value, "bold" if bold_value else "regular", hand, key)]
        self.paragraph(segs, size, indent=0.0, x0=x0, x1=x1, gap=0.1)

    # ---------------------------------------------------------------- blocks
    def columns(self, left: list[tuple], right: list[tuple], split: float = 0.42) -> None:
        """Two centred header columns side by side; each item is (segs|str, size_factor, style, underline).

        ``underline``: False, True (short rule), "full" (whole line, shrunk to fit) or "fit" (shrunk
        to fit, no rule) - the national motto never wraps.

        The text goes left column first, then right (Tesseract's reading order for such headers)."""
        top = self.y
        mid = self.left + (self.right - self.left) * split
        bottoms = []
        for items, x0, x1 in ((left, self.left - 12 * self.mm, mid), (right, mid, self.right + 5 * self.mm)):
            self.y = top
            for segs, factor, style, underline in items:
                if isinstance(segs, str):
                    segs = [Seg(segs, style)]
                size = self.body * factor
                room = x1 - x0 - 2 * self.mm
                if underline in ("full", "fit"):  # the motto never wraps: shrink it to fit
                    size = min(size, 0.98 * size * room / sum(self.seg_width(s, size) for s in segs))
                    underline = underline == "full" and "full"
                wrapped = self.wrap(segs, size, room)
                for i, line in enumerate(wrapped):
                    self.line(line, size, "center", x0, x1, style, underline if i == len(wrapped) - 1 else False)
            bottoms.append(self.y)
        self.y = max(bottoms)

    def table(self, headers: list[str], rows: list[list[str]], fractions: list[float],
              size: float | None = None) -> None:
        """A ruled table with wrapped cells; its text is one line per row, cells joined by spaces."""
        size = size or self.body * 0.9
        xs = [self.left]
        for f in fractions:
            xs.append(xs[-1] + f * (self.right - self.left))
        pad = size * 0.3
        for r, row in enumerate([headers] + rows):
            style = "bold" if r == 0 else "regular"
            cells = [self.wrap([Seg(c, style)], size, xs[i + 1] - xs[i] - 2 * pad) for i, c in enumerate(row)]
            height = max(len(c) for c in cells) * size * 1.3 + 2 * pad
            self.ensure(height)
            top = self.y
            for i, cell in enumerate(cells):
                for j, line in enumerate(cell):
                    width = sum(self.seg_width(s, size) for s in line)
                    x = (xs[i] + xs[i + 1] - width) / 2 if r == 0 or len(row[i]) < 6 else xs[i] + pad
                    self.put(line, size, x, top + pad + size + j * size * 1.3)
            self._rule_row(xs, top, height)
            self.record_text(" ".join(c for c in row))
        self.y += size * 0.5

    def grid(self, rows: list[list[list[Seg]]], size: float | None = None) -> None:
        """A ruled table of labelled items, no header: each row its cells (a label's, its value's,
        a second item's label and value) side by side, a label's cell narrower than its value's;
        a cell's text wraps inside it, a value keeps its segments' hand and key. Its text is one
        line per row, cells joined by spaces."""
        size = size or self.body * 0.95
        pad = size * 0.35
        span = self.right - self.left
        for row in (part for whole in rows for part in self._rows_that_fit(whole, size, pad, span)):
            xs = [self.left]
            for part in self._cell_widths(row, size, pad, span):
                xs.append(xs[-1] + part)
            wrapped = [self.wrap(cell, size, xs[i + 1] - xs[i] - 2 * pad) if cell else []
                       for i, cell in enumerate(row)]
            height = max(1, *(len(lines) for lines in wrapped)) * size * 1.3 + 2 * pad
            self.ensure(height)
            top = self.y
            for i, lines in enumerate(wrapped):
                for j, line in enumerate(lines):
                    self.put(line, size, xs[i] + pad, top + pad + size + j * size * 1.3)
            self._rule_row(xs, top, height)
            self.record_text(" ".join("".join(seg.text for seg in cell) for cell in row))
        self.y += size * 0.5

    def _rule_row(self, xs: list[float], top: float, height: float) -> None:
        """A table row's rules: one down at each column edge ``xs``, one across above and below;
        the cursor moves under the row."""
        for x in xs:
            self.page.ops.append(Rule(x, top, x, top + height))
        self.page.ops.append(Rule(xs[0], top, xs[-1], top))
        self.page.ops.append(Rule(xs[0], top + height, xs[-1], top + height))
        self.y = top + height

    def _least_widths(self, row: list[list[Seg]], size: float, pad: float) -> list[float]:
        """Each cell's narrowest width: its longest word ("Ngày/tháng/năm") and its padding."""
        return [max((self.seg_width(Seg(word, seg.style, seg.hand), size) for seg in cell
                     for word in seg.text.split()), default=0.0) + 2 * pad for cell in row]

    def _rows_that_fit(self, row: list[list[Seg]], size: float, pad: float,
                       span: float) -> list[list[list[Seg]]]:
        """A row of items too many for one line of the table split, item by item (a label's cell
        with its value's), into rows whose cells, each no narrower than its longest word, fit across
        the page: a printed form sets such a line over two rows rather than print its words over
        each other (form 06's passport line: ten cells)."""
        least = self._least_widths(row, size, pad)
        rows, start, used = [], 0, 0.0
        for i in range(0, len(row), 2):
            need = sum(least[i:i + 2])
            if i > start and used + need > span:
                rows.append(row[start:i])
                start, used = i, 0.0
            used += need
        rows.append(row[start:])
        return rows

    def _cell_widths(self, row: list[list[Seg]], size: float, pad: float, span: float) -> list[float]:
        """The widths of a row's cells: a label's narrower than its value's, and none narrower than
        its longest word - a printed form's text never crosses its rules; the room a cell takes is
        given up by the value cells (a value written by hand may then cross its cell's rule)."""
        share = [0.8 if i % 2 == 0 else 1.2 for i in range(len(row))]
        widths = [span * part / sum(share) for part in share]
        least = self._least_widths(row, size, pad)
        grown = [max(width, need) for width, need in zip(widths, least)]
        excess = sum(grown) - span
        values = [i for i in range(len(row)) if i % 2 == 1 and grown[i] > least[i]]
        room = sum(grown[i] - least[i] for i in values)
        if excess > 0 and room > 0:
            for i in values:
                grown[i] -= excess * (grown[i] - least[i]) / room
        return grown

    def signature(self, x0: float, x1: float, height: float) -> None:
        """A scribbled signature centred in [x0, x1] below the cursor."""
        rng = self.rng
        cx, cy = (x0 + x1) / 2 + rng.uniform(-10, 10) * self.scale, self.y + height / 2
        w, h = (x1 - x0) * rng.uniform(0.3, 0.45), height * 0.35
        points = []
        loops = rng.randint(3, 6)
        phase = rng.uniform(0, math.pi)
        for i in range(80):
            t = i / 79
            x = cx - w / 2 + w * t + math.sin(t * loops * 2 * math.pi + phase) * w * 0.06
            y = cy + math.sin(t * loops * math.pi * 1.7 + phase) * h * (1 - 0.6 * t) - h * 0.3 * t
            points.append((x, y))
        points.append((cx + w * 0.45, cy - h * 0.1))
        points.append((cx - w * 0.3, cy + h * 0.5))
        self.page.ops.append(Scribble(points, max(0.8, 1.4 * self.scale)))

    def sign_block(self, titles: list[str], name: str, stamp_text: str | None, x0: float | None = None,
                   x1: float | None = None, key: str | None = None, note: str | None = None) -> None:
        """Right-hand signer block: titles (bold caps), signature, optional red seal, the name."""
        x0 = self.left + (self.right - self.left) * 0.45 if x0 is None else x0
        x1 = self.right if x1 is None else x1
        self.ensure(self.body * (len(titles) + 6))
        top = self.y
        for t in titles:
            self.line(t, self.body, "center", x0, x1, "bold")
        if note:
            self.line(note, self.body * 0.85, "center", x0, x1, "italic")
        gap = self.body * 4.2
        self.signature(x0, x1, gap)
        if stamp_text:  # the seal sits left of centre over the signature, touching the title
            r = 19 * self.mm * self.rng.uniform(0.9, 1.05)
            cx = (x0 + x1) / 2 - r * self.rng.uniform(0.3, 0.7)
            cy = self.y + gap * self.rng.uniform(0.4, 0.6)
            self.page.ops.append(Stamp(cx, cy, r, stamp_text, self.font("bold")))
        self.y += gap
        self.line([Seg(name, "bold", key=key)], self.body, "center", x0, x1)
