"""Reading-order lines of a page, split where the engine glued two columns together.

Tesseract often returns the left header ("ỦY BAN NHÂN DÂN") and the right header ("CỘNG HÒA XÃ
HỘI…") as one line. Extraction needs them apart, so a line is cut at any horizontal gap wider
than a few character heights.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from statistics import median, median_high

from schemas.pages import BBox, PageText, Word, centre_in, union_bbox, words_by_line

from pipeline.text import clean, fold, letters_or_digits

GAP_IN_HEIGHTS = 2.5
"""A gap wider than this many word heights separates two columns."""


@dataclass
class TextLine:
    """A run of words on one text line, with the page it is on and its matching key."""

    words: list[Word]
    page_no: int
    page_width: int
    page_height: int
    text: str = field(init=False)
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = clean(" ".join(w.text for w in self.words))
        self.key = fold(self.text)

    @property
    def bbox(self) -> BBox:
        return union_bbox(self.words)

    @property
    def conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0

    @property
    def rel_top(self) -> float:
        """Top of the line as a share of the page height (0 = top edge)."""
        return self.bbox[1] / self.page_height if self.page_height else 0.0

    @property
    def rel_center_x(self) -> float:
        x0, _, x1, _ = self.bbox
        return (x0 + x1) / 2 / self.page_width if self.page_width else 0.5


_MOTTO_STARTS = ("cong", "doc")
_MOTTO_NEXT = ("hoa", "lap")


def _split_before_motto(run: list[Word]) -> list[list[Word]]:
    """Cut "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI…" (left and right header glued) before the motto, and
    "SỞ TƯ PHÁP Số: 12/LLTP-STP" (an agency line glued to the number line) before "Số:"."""
    keys = [fold(w.text) for w in run]
    for i in range(1, len(keys)):
        if _opens_motto(run[i : i + 2]):
            return [run[:i]] + _split_before_motto(run[i:])
        if keys[i] == "so:" and run[i - 1].text.isupper() and len(run[i - 1].text) > 1:
            return [run[:i]] + _split_before_motto(run[i:])
    return [run]


def _opens_motto(words: list[Word]) -> bool:
    """Does the line open with the national motto ("CỘNG HÒA …", "Độc lập …")?"""
    keys = [fold(w.text) for w in words[:2]]
    return len(keys) == 2 and keys[0] in _MOTTO_STARTS and keys[1] in _MOTTO_NEXT


def _split_at_gaps(words: list[Word]) -> list[list[Word]]:
    # the words' height measures the gap: a dot leader's dots ("Tên tôi là: . .Đỗ Văn Quân sinh
    # …… ……") are a few pixels high, and a line of many would be cut between its value's words
    lettered = [w for w in words if letters_or_digits(w.text)]
    heights = [max(1, w.bbox[3] - w.bbox[1]) for w in lettered or words]
    limit = GAP_IN_HEIGHTS * median(heights)
    runs: list[list[Word]] = [[words[0]]]
    for prev, word in zip(words, words[1:]):
        # "Số:  ____ /UBND-KTTH": the blank for a handwritten number is no column gap
        number_blank = word.text.startswith("/") and fold(prev.text).rstrip(":.;") in ("so", "s0")
        if word.bbox[0] - prev.bbox[2] > limit and not number_blank:
            runs.append([word])
        else:
            runs[-1].append(word)
    return runs


def _merge_punctuation(words: list[Word]) -> list[Word]:
    """Glue stray "," / "." / ";" / ":" tokens to the word before them ("Bình , Tỉnh" -> "Bình, Tỉnh")."""
    out: list[Word] = []
    for word in words:
        if out and word.text in (",", ".", ";", ":"):
            prev = out[-1]
            out[-1] = prev.model_copy(update={"text": prev.text + word.text, "bbox": union_bbox([prev, word])})
        else:
            out.append(word)
    return out


BRACKETED_NUMBER = r"(?:[\[({|I]?\d{1,2}(?:\.\d{1,2})?\]|[\[({|I]\d{1,2}I|\d{1,2}I(?=[.:]))"
"""An item's number in square brackets as OCR reads it: "[02]", "02]" (the opening bracket lost),
"(02]", "{02]" (misread), "I15I" (both read as a capital I), "13I." (the opening lost, the closing
read as an I, its stop after it)."""
_READ_AS_ONE = (re.compile(r"([^\W\d_]{2,}[:,])([^\W\d_]{2,}:)"),
                re.compile(rf"({BRACKETED_NUMBER}[.:]?)([^\W\d_]{{2,}}\S*)"),
                re.compile(rf"(\d{{1,2}}\.)({BRACKETED_NUMBER}[.:]?\S*)"))
"""Two words OCR read as one, a stop in the space between them: two words of a label ("sinh:ngày:",
"Họ,tên:"), an item's bracketed number and its label's first word ("02].Giới tính:", "(02].Giới",
"I15I.Tinh:"; a number with a stop only, "1.Tên …", is read glued as it is), a row's number and
the item's bracketed one ("2.[03].Ngày,": both then set apart)."""


def _split_stopped_words(words: list[Word]) -> list[Word]:
    """Set apart two words read as one word with a stop for their space (:data:`_READ_AS_ONE`; "Tên
    tôi là: Trịnh Thị Thảo sinh:ngày: 17/07/1966", 09_cham_dut_huong_tro_cap_that_nghiep; "ĐOÀN KIM
    TUYẾT 02].Giới tính: Nữ", 49_TK1-TS in a table): each is a word of its own, and a name before them
    ends there. The box is shared out by letters."""
    out: list[Word] = []
    pending = list(reversed(words))
    while pending:
        word = pending.pop()
        match = next((m for m in (rx.fullmatch(word.text) for rx in _READ_AS_ONE) if m), None)
        if match is None:
            out.append(word)
            continue
        x0, y0, x1, y1 = word.bbox
        cut = x0 + round((x1 - x0) * len(match.group(1)) / len(word.text))
        out.append(word.model_copy(update={"text": match.group(1), "bbox": (x0, y0, cut, y1)}))
        pending.append(word.model_copy(update={"text": match.group(2), "bbox": (cut, y0, x1, y1)}))  # it may hold two more
    return out


def _reading_order(words: list[Word], engine_order: dict[int, int]) -> list[Word]:
    """The words of one line left to right. The engine's own order is kept when it runs left to
    right: sorting by left edge misplaces a word whose box OCR drew too wide ("Họ và / tên",
    "XÃ TIẾN AN" for "XÃ AN TIẾN"); otherwise (or without engine order) by left edge."""
    if not all(id(w) in engine_order for w in words):
        return list(words)
    ordered = sorted(words, key=lambda w: engine_order[id(w)])
    if all((b.bbox[0] + b.bbox[2]) / 2 > a.bbox[0] for a, b in zip(ordered, ordered[1:])):
        return ordered
    return list(words)


ROW_OVERLAP = 0.5
"""Two lines of different blocks share a row when their heights overlap by at least this share of
the taller one's (a stamp's or a margin mark's tall remains share no row with the lines beside them)."""


COLUMN_OVERLAP = 0.5
"""Two blocks sharing this much of the narrower one's width stand in one column."""


def _blocks_top_down(lines: list[list[Word]]) -> list[list[Word]]:
    """The engine's lines with its blocks in an order in which no block comes before a block of its
    column wholly above it, the engine's order kept otherwise. The engine may put a block first
    that lies under others: "7. Họ, chữ đệm và tên chủ hộ: …" read before the form's motto and its
    items 1-6 (p6-honest43 vb-0011, 45_thay_doi_thong_tin_cu_tru), the household head's item taken
    to open that person's lines and the writer's birth date, ID and phone given to the head.
    Columns side by side (a letter's header, the signature's) keep the engine's order."""
    blocks: list[list[list[Word]]] = []
    for line in lines:
        if blocks and line and blocks[-1][-1] and line[0].block == blocks[-1][-1][0].block:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    if len(blocks) < 2:
        return lines
    boxes = [union_bbox([w for line in block for w in line]) for block in blocks]
    under: list[list[int]] = [[] for _ in blocks]  # the blocks each block must come before
    above_count = [0] * len(blocks)
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes):
            if i != j and _wholly_above(a, b):
                under[i].append(j)
                above_count[j] += 1
    if not any(j < i for i in range(len(blocks)) for j in under[i]):
        return lines  # the engine's order already reads every column top down
    ready = [i for i, n in enumerate(above_count) if n == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)  # the first in the engine's order of those free to come
        order.append(i)
        for j in under[i]:
            above_count[j] -= 1
            if above_count[j] == 0:
                heapq.heappush(ready, j)
    if len(order) < len(blocks):  # no order satisfies every block: the engine's for the rest
        placed = set(order)
        order += [i for i in range(len(blocks)) if i not in placed]
    return [line for i in order for line in blocks[i]]


def _wholly_above(a: BBox, b: BBox) -> bool:
    """Is ``a`` above ``b``, no height shared, in its column (:data:`COLUMN_OVERLAP`)?"""
    shared = min(a[2], b[2]) - max(a[0], b[0])
    return a[3] <= b[1] and shared >= COLUMN_OVERLAP * max(1, min(a[2] - a[0], b[2] - b[0]))


def row_overlap(a: BBox, b: BBox) -> float:
    """How much of the taller box's height the two boxes share."""
    shared = min(a[3], b[3]) - max(a[1], b[1])
    return shared / max(1, a[3] - a[1], b[3] - b[1])


def _rejoin_rows(lines: list[list[Word]], fixed: frozenset[int] = frozenset()) -> list[list[Word]]:
    """The engine's lines with each line of another block that goes on a line's row, close to its
    right end, appended to it: a value written in a taller hand after its label ("Họ và tên người
    tham gia bảo hiểm y tế" · "Huỳnh Đình Hiếu") is laid out by Tesseract as a block of its own, read
    after the labels below it. A line goes on the row it shares most of its height with
    (:data:`ROW_OVERLAP`), only as close as no column gap (:data:`GAP_IN_HEIGHTS`): a header's two
    columns stay apart. A line without a letter or digit joins nothing, and the national motto heads a
    column of its own. The row stands where the reading first meets it. The lines ``fixed`` (by
    index: a table's rows, already whole) join nothing and take nothing."""
    boxes = [union_bbox(line) for line in lines]
    heights = [median(max(1, w.bbox[3] - w.bbox[1]) for w in line) for line in lines]
    worded = [any(ch.isalnum() for w in line for ch in w.text) for line in lines]  # a speck's ")" is no row
    joining = [ok and not _opens_motto(line) and index not in fixed
               for index, (ok, line) in enumerate(zip(worded, lines))]
    worded = [ok and index not in fixed for index, ok in enumerate(worded)]
    joins_to: dict[int, int] = {}
    for right, box in enumerate(boxes):
        if not joining[right]:
            continue
        partners = [(row_overlap(boxes[left], box), left) for left in range(len(lines))
                    if worded[left] and lines[left][0].block != lines[right][0].block
                    and 0 <= box[0] - boxes[left][2] <= GAP_IN_HEIGHTS * heights[left]]
        overlap, left = max(partners, default=(0.0, -1))
        if overlap >= ROW_OVERLAP:
            joins_to[right] = left
    rows: dict[int, list[int]] = {}
    for index in range(len(lines)):
        head = index
        while head in joins_to:
            head = joins_to[head]
        rows.setdefault(head, []).append(index)
    # a row stands where the reading first meets it: its label's place, or its value's when the engine
    # read the value first ("0909331843" before the labels' block that holds "Điện thoại liên hệ")
    return [[w for k in sorted(members, key=lambda k: boxes[k][0]) for w in lines[k]]
            for members in sorted(rows.values(), key=min)]


def page_lines(page: PageText) -> list[TextLine]:
    """The page's lines in reading order, each cut at wide column gaps, empty words dropped; a ruled
    table's row is one line, its cells side by side (:func:`_with_table_rows`)."""
    width = page.width or max((w.bbox[2] for w in page.words), default=1)
    height = page.height or max((w.bbox[3] for w in page.words), default=1)
    lines: list[TextLine] = []
    engine_order = {id(w): i for i, w in enumerate(page.words)}
    engine_lines = _blocks_top_down([_reading_order(line.words, engine_order) for line in page.lines()])
    engine_lines, rows = _with_table_rows([line for line in engine_lines if line], page.cells)
    table_rows = {id(row[0]) for row in rows}
    fixed = frozenset(i for i, line in enumerate(engine_lines) if id(line[0]) in table_rows)
    for words in _rejoin_rows(engine_lines, fixed):
        whole_row = id(words[0]) in table_rows
        words = _split_stopped_words(_merge_punctuation([w for w in words if w.text.strip()]))
        if not words:
            continue
        if whole_row:  # its cells are its columns: no gap cuts it
            lines.append(TextLine(words, page.page_no, width, height))
            continue
        for run in _split_at_gaps(words):
            for part in _split_before_motto(run):
                lines.append(TextLine(part, page.page_no, width, height))
    return lines


RULE_MARKS = "|[]!"
"""What the engine reads a table's vertical rule as, glued to a word beside it or alone."""


def _with_table_rows(lines: list[list[Word]], cells: list[BBox]) -> tuple[list[list[Word]], list[list[Word]]]:
    """The engine's lines with the words of a ruled table's cells taken out and each row of the
    table put in as one line where the reading first meets it, and those rows. The rows keep their
    order down the table: a row the reading meets before a row above it waits and follows that row
    (the engine may read a tall cell's words early: "7. Quan hệ với người dưới 14 tuổi …: Mẹ" before
    item 1, 51_TK_cap_ho_chieu_tre_em); the lines outside the table stay where the reading put them.

    A row is the cells that share most of their height (:data:`ROW_OVERLAP`), left to right; a
    cell's words are its lines top to bottom: a label wrapped in a narrow cell ("Ngày, tháng, năm" /
    "sinh:") is whole again and its value follows it. Marks the engine read for a vertical rule
    (:data:`RULE_MARKS`) are dropped from the words' ends; a word inside the table and in no cell
    (on a rule) is dropped when nothing else is left of it."""
    if not cells or not any(lines):
        return lines, []
    words = [w for line in lines for w in line]
    cells = _value_cells_in_holes(_across_holes(cells, words), words)
    cell_of, on_rule = _cells_of_words(lines, cells)
    if not cell_of:
        return lines, []
    row_of_cell, rows = _table_rows(cell_of, lines, cells)
    out: list[list[Word]] = []
    met: set[int] = set()
    order = [r for r, row in enumerate(rows) if row]  # down the table
    next_at = 0  # the first row of ``order`` not put in yet
    for line in lines:
        free: list[Word] = []
        for word in line:
            if id(word) in cell_of:
                met.add(row_of_cell[cell_of[id(word)]])
                due = []
                while next_at < len(order) and order[next_at] in met:
                    due.append(rows[order[next_at]])
                    next_at += 1
                if due:
                    out += ([free] if free else []) + due
                    free = []
            elif id(word) not in on_rule:
                free.append(word)
            elif _off_rule(word).text:
                free.append(_off_rule(word))
        if free:
            out.append(free)
    return out + [rows[r] for r in order[next_at:]], [row for row in rows if row]


def _cells_of_words(lines: list[list[Word]], cells: list[BBox]) -> tuple[dict[int, int], set[int]]:
    """The cell each word of the table lies in (by the word's id), and the words inside the table
    that lie in none (on its rules). A word in no cell found joins the cell its run of text on the
    engine's line reaches (:func:`_run_mate`), else the cell beside it (:func:`_row_mate`)."""
    table = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    cell_of: dict[int, int] = {}
    on_rule: set[int] = set()
    strays: list[tuple[Word, list[Word]]] = []
    for line in lines:
        for word in line:
            index = _cell_holding(word.bbox, cells)
            if index is not None:
                cell_of[id(word)] = index
            elif in_cell(word.bbox, [table]):
                strays.append((word, line))
    found = dict(cell_of)
    run_mated: list[tuple[Word, int]] = []
    for word, line in strays:
        mate = _run_mate(word, line, found) if _off_rule(word).text else None
        if mate is not None:
            cell_of[id(word)] = mate
            run_mated.append((word, mate))
    for word, _ in strays:
        if id(word) in cell_of:
            continue
        mate = None
        if _off_rule(word).text:
            mate = _column_mate(word, run_mated, cells)
            mate = mate if mate is not None else _row_mate(word.bbox, cells)
        if mate is not None:
            cell_of[id(word)] = mate
        else:
            on_rule.add(id(word))
    return cell_of, on_rule


def _column_mate(word: Word, run_mated: list[tuple[Word, int]], cells: list[BBox]) -> int | None:
    """For a word in no cell found, no run of its line reaching one: the cell that words above or below
    it in the same stretch of the row went to by their runs. A cell found only in part (its left rule
    not found) leaves its lines' heads outside it; a line all of whose words lie there ("Hưng Yên",
    an address's last line, p6-bang-honest24 vb-0003) is that cell's, like the heads above it, not
    the nearer label cell's."""
    y = (word.bbox[1] + word.bbox[3]) / 2
    for other, mate in run_mated:
        cell = cells[mate]
        if cell[1] <= y <= cell[3] and min(other.bbox[2], word.bbox[2]) > max(other.bbox[0], word.bbox[0]):
            return mate
    return None


WORD_SPACE_IN_HEIGHTS = 0.6
"""Two words of an engine line closer than this many word heights are one run of text; the
padding on both sides of a table's rule leaves more between two cells' words."""


def _run_mate(word: Word, line: list[Word], cell_of: dict[int, int]) -> int | None:
    """For a word in no cell found: the cell of the nearest word of its run of text (the words of
    its engine line each within a word space of the next) that lies in a cell found. A seal over a
    value's cell breaks its rules, and the cell is found only past the seal: the value's first
    words lie between the label's cell and that piece, on the lines whose rest is in the piece
    ("Số 253, đường Hùng | Vương, Phường Vĩnh" over "Hưng, Quận | Hoàng Mai", 59_to_khai_thue_thu_
    nhap_ca_nhan); joined to the nearest cell, each line's first words would go to the label's cell
    and the value's lines would interleave."""
    run = sorted(line, key=lambda w: w.bbox[0])
    at = next(i for i, w in enumerate(run) if w is word)
    best: tuple[int, int] | None = None
    for step in (1, -1):
        i = at
        while 0 <= i + step < len(run) and _one_run(run[i], run[i + step]):
            i += step
            if id(run[i]) in cell_of:
                if best is None or abs(i - at) < best[0]:
                    best = (abs(i - at), cell_of[id(run[i])])
                break
    return best[1] if best else None


SAME_SIZE = 1.5
"""Two words of one run of text are no more than this many times as tall as each other: a seal's
or a pen stroke's mark the engine read as a letter ("Ậ" at 0.0, three lines tall) runs with no text."""


def _one_run(a: Word, b: Word) -> bool:
    """Are two neighbouring words of an engine line one run of text: alike in height, a word space
    apart? A comma or a stop the text layer gives a word of its own is as short as it is, and runs
    on with its words (the text's height then decides the space: "Số 289 , đường", born digital)."""
    shorter, taller = sorted((a, b), key=lambda w: w.bbox[3] - w.bbox[1])
    height = taller.bbox[3] - taller.bbox[1] if _mark_only(shorter) else shorter.bbox[3] - shorter.bbox[1]
    gap = max(a.bbox[0], b.bbox[0]) - min(a.bbox[2], b.bbox[2])
    return taller.bbox[3] - taller.bbox[1] <= SAME_SIZE * height and gap <= WORD_SPACE_IN_HEIGHTS * height


def _mark_only(word: Word) -> bool:
    """A word of marks only (a comma, a stop, a speck), not empty."""
    return bool(word.text) and not letters_or_digits(word.text)


HOLE_IN_HEIGHTS = 2.0
"""Two cells of a row farther apart than this many word heights, with words between them, are one cell."""


def _across_holes(cells: list[BBox], words: list[Word]) -> list[BBox]:
    """``cells`` with each two of a row that leave a hole between them holding words made one.

    A table's cells meet at a rule; a seal printed over a cell cuts its paper into pieces, and the
    pieces around the seal are no cells: the cell is found as two, far apart, the value's words in
    the hole between ("Khu phố 6, Xã Phước | Hiệp, Huyện Mỏ Cày" over "Nam, Tỉnh Bến Tre"). Read as two
    cells, each cell's lines top to bottom, the value's lines would interleave. Only past the row's
    first cell (:func:`_cell_before`)."""
    kept: list[BBox] = []
    for cell in sorted(cells, key=lambda c: c[0]):  # left to right: a cell's left neighbours are kept already
        left = _nearest_left(cell, kept)
        if left is not None and _cell_before(kept[left], kept) and (_hole_holds_words(kept[left], cell, words)
                                                                   or _text_runs_across(kept[left], cell, words)):
            a = kept[left]
            kept[left] = (a[0], min(a[1], cell[1]), cell[2], max(a[3], cell[3]))
        else:
            kept.append(cell)
    return sorted(kept, key=lambda c: (c[1], c[0]))


def _value_cells_in_holes(cells: list[BBox], words: list[Word]) -> list[BBox]:
    """``cells`` with a cell added in each hole between a row's first cell and the next that holds
    words, one at least read sure, none of which runs on into the next cell: the value's cell, its
    rules not found. Joined to the nearest cell found, the value would go into its label's cell and
    be read inside the label's wrapped lines ("Ngày tháng 04/11/1982 năm sinh:", p6-bang-honest31
    vb-0063). A value whose run does reach the next cell is a value cell cut by a seal
    (:func:`_run_mate` joins it)."""
    added: list[BBox] = []
    for cell in cells:
        if _cell_before(cell, cells):
            continue
        right = _nearest_right(cell, cells)
        if right is None:
            continue
        hole = (cell[2], max(cell[1], right[1]), right[0], min(cell[3], right[3]))
        if (_hole_holds_words(cell, right, words) and _read_sure_in(hole, words)
                and not _text_runs_across(hole, right, words)):
            added.append(hole)
    return sorted(cells + added, key=lambda c: (c[1], c[0])) if added else cells


LOW_WORD_CONF = 0.60
"""A word Tesseract read below this confidence inside a value: the value is held for review. Alone
between a label and its value, such a word is a speck OCR read as a letter ("Giới tính ệ[0.00] Nữ");
in the hole between two cells, a seal's or a stroke's mark, no text."""


def _read_sure_in(box: BBox, words: list[Word]) -> bool:
    """Does a word of letters or digits read sure lie in ``box``? A seal's marks in the hole between two
    cells ("$[0.00] 3[0.55] ơnAƑjnh[0.00]", p6-bang-honest33 vb-0087) make no value's cell."""
    return any(centre_in(w.bbox, box) and w.conf >= LOW_WORD_CONF and letters_or_digits(w.text) for w in words)


def _nearest_right(cell: BBox, cells: list[BBox]) -> BBox | None:
    """The cell of ``cell``'s row that begins nearest after it, if any."""
    after = [c for c in cells if c[0] >= cell[2] and row_overlap(c, cell) >= ROW_OVERLAP]
    return min(after) if after else None


def _text_runs_across(left: BBox, right: BBox, words: list[Word]) -> bool:
    """Does a run of text (:func:`_one_run`) cross from one cell into the next, a word in each a word
    space apart? The padding on both sides of a rule leaves more: the line found between them is no
    rule but a stroke through one cell ("Xã Liên Sang, | Huyện", 20 px apart, the cell's last
    word read with the next cell's, p6-bang-honest24 vb-0139)."""
    for line in words_by_line(words).values():
        run = sorted(line, key=lambda w: w.bbox[0])
        for a, b in zip(run, run[1:]):
            if (centre_in(a.bbox, left) and centre_in(b.bbox, right) and _one_run(a, b)
                    and not _mark_only(a) and not _mark_only(b)):
                return True
    return False


def _nearest_left(cell: BBox, cells: list[BBox]) -> int | None:
    """The index of the cell of ``cell``'s row that ends nearest before it, if any."""
    before = [(c[2], i) for i, c in enumerate(cells) if c[2] <= cell[0] and row_overlap(c, cell) >= ROW_OVERLAP]
    return max(before)[1] if before else None


def _hole_holds_words(left: BBox, right: BBox, words: list[Word]) -> bool:
    """Do words lie between two cells of a row, the gap wider than :data:`HOLE_IN_HEIGHTS` of their height?"""
    top, bottom = max(left[1], right[1]), min(left[3], right[3])
    between = [w for w in words if left[2] < (w.bbox[0] + w.bbox[2]) / 2 < right[0]
               and top <= (w.bbox[1] + w.bbox[3]) / 2 <= bottom]
    return bool(between) and right[0] - left[2] > HOLE_IN_HEIGHTS * median_high(w.bbox[3] - w.bbox[1] for w in between)


def _cell_before(cell: BBox, cells: list[BBox]) -> bool:
    """Has ``cell`` another cell of its row to its left (its label's)? A row's first cell is a label:
    a hole after it may be where the value's cell begins, not the middle of one cell."""
    return _nearest_left(cell, cells) is not None


def _row_mate(box: BBox, cells: list[BBox]) -> int | None:
    """For a word inside the table but in none of the cells found: the nearest cell across whose
    height holds the word's centre. The rules that bound a cell are not always found whole: a
    seal's ring over a rule moved a cell's edge past the value's first word ("Ngô" left out of "Ngô
    Thành Huy"), a row's last cell was not closed (its "Nữ" left out of the row); the word belongs
    to its row all the same, beside the cells it was read between."""
    y = (box[1] + box[3]) / 2
    beside = [(max(0, c[0] - box[2], box[0] - c[2]), i) for i, c in enumerate(cells) if c[1] <= y <= c[3]]
    return min(beside)[1] if beside else None


def _table_rows(cell_of: dict[int, int], lines: list[list[Word]],
                cells: list[BBox]) -> tuple[dict[int, int], list[list[Word]]]:
    """The row of each cell that holds words, and each row's words: its cells left to right, a
    cell's lines top to bottom, the rule's marks off their ends."""
    cell_words: dict[int, list[Word]] = {}
    for word in (w for line in lines for w in line):
        if id(word) in cell_of:
            cell_words.setdefault(cell_of[id(word)], []).append(word)
    row_of_cell: dict[int, int] = {}
    row_cells: list[list[int]] = []
    for index in sorted(cell_words, key=lambda i: (cells[i][1], cells[i][0])):
        row = next((r for r, members in enumerate(row_cells)
                    if row_overlap(cells[members[0]], cells[index]) >= ROW_OVERLAP), None)
        if row is None:
            row = len(row_cells)
            row_cells.append([])
        row_cells[row].append(index)
        row_of_cell[index] = row
    rows = [[_off_rule(w) for index in sorted(members, key=lambda i: cells[i][0])
             for w in _cell_reading(cell_words[index], cells[index])] for members in row_cells]
    return row_of_cell, [[w for w in row if w.text] for row in rows]


LINE_LAYOUT, TABLE_LAYOUT = "line", "table"
"""How a value was laid out: on the page's lines, or in a ruled table's cell (:func:`in_cell`)."""


def in_cell(box: BBox, cells: list[BBox]) -> bool:
    """Does a word's centre lie in one of a table's cells?"""
    return _cell_holding(box, cells) is not None


def ends_in_rule(word: Word, cells: list[BBox]) -> bool:
    """Does a word whose centre lies in a cell end inside the rule beside it (its box past the cell's
    paper by no more than half its height) with a letter or digit? A cell is the paper between its
    rules, so a word's box ends there only when a glyph touches the rule, and the engine then read the
    two as one shape: "082300886572|" read "082300886574", the 2 and the rule a 4 (p6-bang-study4
    vb-0033). A rule read as a mark of its own ends the word with it ("Hiếu," "Nam,"), the letters
    apart."""
    index = _cell_holding(word.bbox, cells)
    text = word.text
    if index is None or not text:
        return False
    (x0, top, x1, bottom), cell = word.bbox, cells[index]
    reach = (bottom - top) / 2
    return ((0 < cell[0] - x0 <= reach and text[0].isalnum())
            or (0 < x1 - cell[2] <= reach and text[-1].isalnum()))


def across_right_rule(word: Word, words: list[Word], cells: list[BBox]) -> list[Word]:
    """The words on ``word``'s line that begin in its cell, right of it, and end past the cell's right
    rule, their middle beyond it: what the engine read across the rule, the cell's last characters
    with the next cell's ("017 066 394|3[NghỆ_", a CCCD's third group run into the rule and the next
    cell's "Ngày", 20_de_nghi_Nhan_che_do_BHXH_khi_nguoi_huong_tu_tran in a table)."""
    index = _cell_holding(word.bbox, cells)
    if index is None:
        return []
    cell, middle = cells[index], (word.bbox[1] + word.bbox[3]) / 2
    return [other for other in words if other is not word and word.bbox[2] <= other.bbox[0] < cell[2]
            and (other.bbox[0] + other.bbox[2]) / 2 > cell[2] and other.bbox[1] <= middle <= other.bbox[3]]


def _cell_holding(box: BBox, cells: list[BBox]) -> int | None:
    """The cell a word's centre lies in."""
    return next((i for i, c in enumerate(cells) if centre_in(box, c)), None)


def _cell_reading(words: list[Word], cell: BBox | None = None) -> list[Word]:
    """A cell's words in reading order: its lines (as the engine grouped them) top to bottom.

    Lines wholly left of ``cell`` and of its own words (its row's first cell not found, those words
    joined to it by :func:`_row_mate`) are that missed cell's and are read before it: "Họ và tên
    người tham gia bảo hiểm" / "y tế:" beside "Đặng Diệu Phương Lan" (07_cap_lai_the_BHYT) is the
    label, then its value, not the label's first line, the value and the label's last words. Lines
    wholly right of ``cell`` (the row's next cell not found) are read after it, for the same reason
    ("6. Chỗ ở hiện nay (trường hợp khác" / "nơi đăng ký thường trú):" beside a wrapped address)."""
    ordered = _rows_top_down(list(words_by_line(words).values()))
    if cell is not None:
        right = [max(w.bbox[2] for w in group) for group in ordered]
        # left of the cell and of every word of the lines that reach into it: not the cell's own
        # lines begun left of a rule found too far right ("Số 179, đường …" / "Nội")
        edge = min([cell[0]] + [w.bbox[0] for group, end in zip(ordered, right) if end > cell[0] for w in group])
        # the missed cell left first, the cell's own lines, the missed cell right last; top to bottom in each
        rank = {id(group): 0 if end <= edge else 2 if min(w.bbox[0] for w in group) >= cell[2] else 1
                for group, end in zip(ordered, right)}
        ordered.sort(key=lambda group: rank[id(group)])
    return [w for group in ordered for w in sorted(group, key=lambda w: w.bbox[0])]


def _rows_top_down(groups: list[list[Word]]) -> list[list[Word]]:
    """The engine's lines top to bottom, two that make one line (their words' middles within half a
    word's height, a word's gap or less between them) made one, its words left to right. The engine
    may cut a cell's line in two blocks, the right one a pixel higher ("Vũ Thị" · "Uyên" read "Uyên
    Vũ Thị", 59_to_khai_thue), or read a word of it as a block of its own ("đường Hai." inside "Số 184,
    … Bù Trưng, Phường", 28_don_to_cao). Medians, as a stroke or a seal's mark may make one word of a
    line tall ("AI" 87 px high among words of 40). Lines further apart are two columns of text (a
    cell found across a missed rule): read top to bottom."""
    middles = {id(group): median((w.bbox[1] + w.bbox[3]) / 2 for w in group) for group in groups}
    heights = {id(group): median(w.bbox[3] - w.bbox[1] for w in group) for group in groups}
    spans = {id(group): (min(w.bbox[0] for w in group), max(w.bbox[2] for w in group)) for group in groups}

    def one_line(a: list[Word], b: list[Word]) -> bool:
        height = min(heights[id(a)], heights[id(b)])
        (a0, a1), (b0, b1) = spans[id(a)], spans[id(b)]
        return abs(middles[id(a)] - middles[id(b)]) < height / 2 and max(b0 - a1, a0 - b1) < height

    rows: list[list[Word]] = []
    above = None
    for group in sorted(groups, key=lambda group: min(w.bbox[1] for w in group)):
        if above is not None and one_line(above, group):
            rows[-1] = rows[-1] + group  # one line: its words interleave left to right
        else:
            rows.append(list(group))
        above = group
    return rows


def _off_rule(word: Word) -> Word:
    """``word`` without the rule marks at its ends ("|Nữ" -> "Nữ")."""
    text = word.text.strip(RULE_MARKS)
    return word if text == word.text else word.model_copy(update={"text": text})


def page_text(page: PageText) -> str:
    """The page text in reading order, one line per line (columns split)."""
    return "\n".join(line.text for line in page_lines(page))
