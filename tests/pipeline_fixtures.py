"""Build PageText objects from Tesseract TSV (real pages) or from plain text (hand-made pages)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from schemas.pages import PageText, Word

FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"


def page_from_tsv(tsv: str, page_no: int = 1) -> PageText:
    """A PageText from Tesseract ``tsv`` output (level-5 rows are words)."""
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    words: list[Word] = []
    width = height = 0
    for row in reader:
        if row["level"] == "1":
            width, height = int(row["width"]), int(row["height"])
        if row["level"] != "5" or not (row.get("text") or "").strip():
            continue
        x, y, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
        words.append(
            Word(
                text=row["text"],
                conf=max(0.0, min(1.0, float(row["conf"]) / 100)),
                bbox=(x, y, x + w, y + h),
                block=int(row["block_num"]),
                par=int(row["par_num"]),
                line=int(row["line_num"]),
            )
        )
    mean = sum(w.conf for w in words) / len(words) if words else 0.0
    return PageText(page_no=page_no, width=width, height=height, words=words, mean_conf=mean,
                    text_source="ocr" if words else "blank")


def page_from_text(text: str, page_no: int = 1, conf: float = 0.95, width: int = 1240, height: int = 1754) -> PageText:
    """A PageText laid out from plain text: one line per text line, ``|`` separates columns.

    Left column starts at x=60, the right one at the page middle; lines are 40 px apart.
    """
    words: list[Word] = []
    for line_no, line in enumerate(text.splitlines()):
        y = 60 + 40 * line_no
        for col, part in enumerate(line.split("|")):
            x = 60 if col == 0 else width // 2
            for token in part.split():
                w = 14 * len(token)
                words.append(Word(text=token, conf=conf, bbox=(x, y, x + w, y + 28), block=line_no * 2 + col, par=1, line=1))
                x += w + 12
    return PageText(page_no=page_no, width=width, height=height, words=words, mean_conf=conf,
                    text_source="ocr" if words else "blank")


def load_real_letters(variant: str = "page_path") -> dict[str, list[PageText]]:
    """OCR'd pages of the real letters of tests/data, stored gzipped.

    ``variant``: ``page_path`` (Sohoa's own page path: orientation, deskew, cleaning, Tesseract,
    post-correction) or ``tesseract_tsv`` (plain ``tesseract -l vie`` on 300 dpi renders).
    """
    import gzip
    import json

    with gzip.open(FIXTURES / "real_letters.json.gz", "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    files = data["variants"][variant]
    return {name: [PageText.model_validate(p) for p in pages] for name, pages in files.items()}


MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
"""The national motto every citizen form opens with."""


def analyse_text(text: str, gazetteer=None):
    """The one document of a page typed as ``text``, analysed with review threshold 0 (a value is
    held only by a weak-evidence rule), without the text model; with ``gazetteer``, addresses are
    checked against the units table as in production."""
    from pipeline.analyse import AnalysisContext, analyse_pages

    context = AnalysisContext(review_threshold=0.0, use_text_model=False, gazetteer=gazetteer)
    (doc,) = analyse_pages([page_from_text(text)], context)
    return doc


def field_value(doc, key: str) -> str | None:
    field = doc.fields.get(key)
    return field.value if field else None


def units_context(rows: list[tuple]):
    """An analysis context whose units table holds ``rows`` (pre-2025 ``UnitRow`` fields after the
    era: level, code, name, type[, parent code]), held values by weak evidence only (threshold 0)."""
    from pipeline.analyse import AnalysisContext
    from units.gazetteer import Gazetteer, UnitRow

    units = [UnitRow("pre2025", *row) for row in rows]
    return AnalysisContext(gazetteer=Gazetteer.from_rows(units), review_threshold=0.0, use_text_model=False)
