"""Searchable PDFs for archive teams: one per document, the page images with the text over them.

Each page of a document is its stored page image turned upright and straightened exactly as the
page path did before reading it, so the words' boxes (pixels of that straightened page) fall on
the letters; each word is written over its box in *invisible* text (PDF text render mode 3,
the way Tesseract's own PDFs work), stretched to the box's width, so text can be selected, copied
and searched. Pages read from a born-digital text layer have no image: their text is drawn
visibly at its place. The font is DejaVu Sans, embedded (a subset), which has every Vietnamese
letter. The PDF's metadata carries the dossier code, document type, number, date and units.

Not PDF/A: reportlab's open-source edition writes plain PDF 1.4 (no output intent, no XMP);
converting to PDF/A-2b would need Ghostscript or a commercial library.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.pages import PageText
from schemas.tables import Batch, Document, Dossier, FieldValue, Page, SourceFile
from storage.pageimages import PageImageRef, PageImages

FONT_NAME = "DejaVuSans"
FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# JPEG quality of the page images in the PDF: scans stay legible, a page weighs ~150-400 KB.
JPEG_QUALITY = 80


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, FONT_FILE))


def document_pdf(pages: list[tuple[np.ndarray | None, PageText]], metadata: dict[str, str]) -> bytes:
    """The PDF of one document: per page, its straightened image (or none) and its words."""
    from reportlab.pdfgen import canvas

    _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=1, invariant=1)
    pdf.setTitle(metadata.get("title", ""))
    pdf.setSubject(metadata.get("subject", ""))
    pdf.setKeywords(metadata.get("keywords", ""))
    pdf.setCreator("Sohoa")
    for image, text in pages:
        _page(pdf, image, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _page(pdf, image: np.ndarray | None, text: PageText) -> None:
    from reportlab.lib.utils import ImageReader

    dpi = text.dpi or 300
    width_px = image.shape[1] if image is not None else text.width
    height_px = image.shape[0] if image is not None else text.height
    scale = 72.0 / dpi
    page_w, page_h = width_px * scale, height_px * scale
    pdf.setPageSize((page_w, page_h))
    if image is not None:
        ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if ok:
            pdf.drawImage(ImageReader(io.BytesIO(jpeg.tobytes())), 0, 0, width=page_w, height=page_h)
    # Boxes are in pixels of the straightened page as read; the image may differ by a pixel or two.
    fx = width_px / text.width if text.width else 1.0
    fy = height_px / text.height if text.height else 1.0
    _words(pdf, text, scale * fx, scale * fy, page_w, page_h, visible=image is None)


def _words(pdf, text: PageText, sx: float, sy: float, page_w: float, page_h: float, *, visible: bool) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    limit_x, limit_y = page_w / sx, page_h / sy
    for line in _ordered_lines(text):
        for word in line:
            # A box reaching past the page (an engine's rounding) is drawn inside it: text off the
            # page could not be selected or found.
            x0, y0, x1, y1 = (min(max(v, 0), limit) for v, limit in zip(word.bbox, (limit_x, limit_y) * 2))
            x0, y0 = min(x0, x1 - 1), min(y0, y1 - 1)
            height = max((y1 - y0) * sy, 1.0)
            size = height * 0.85
            natural = stringWidth(word.text, FONT_NAME, size)
            target = max((x1 - x0) * sx, 0.5)
            obj = pdf.beginText()
            obj.setTextRenderMode(0 if visible else 3)
            obj.setFont(FONT_NAME, size)
            obj.setHorizScale(100.0 * target / natural if natural > 0 else 100.0)
            # Baseline a fifth of the box above its bottom (room for descenders and marks below).
            obj.setTextOrigin(x0 * sx, page_h - y1 * sy + height * 0.2)
            obj.textOut(word.text + " ")
            pdf.drawText(obj)


def _ordered_lines(text: PageText) -> list[list]:
    """Words by line in reading order (top to bottom, then left to right)."""
    lines = text.lines()
    lines.sort(key=lambda line: (line.bbox[1], line.bbox[0]))
    return [line.words for line in lines]


# -- from the database ---------------------------------------------------------------------------

def page_for_pdf(images: PageImages, page: Page) -> tuple[np.ndarray | None, PageText] | None:
    """The straightened page image and its words, as the page path had them; None if never read."""
    from ocr.deskew import straighten
    from ocr.orient import upright

    if not page.words_key:
        return None
    text = PageText.model_validate_json(images.store.get(page.words_key))
    image = None
    if text.text_source != "text_layer" and page.image_key:
        raw = images.load(PageImageRef.of(page))
        if raw.image is not None:
            image = straighten(upright(raw.image, text.rotation), text.skew)
    return image, text


def iter_document_pdfs(session: Session, images: PageImages, batch_name: str | None = None) -> Iterator[tuple[str, bytes]]:
    """(file name, PDF bytes) of every document with read pages, in export order (documents come by
    scan: ``images`` made with ``keep_last_scan`` fetches each scan once)."""
    stmt = (
        select(Document, SourceFile, Batch)
        .join(SourceFile, Document.source_file_id == SourceFile.id)
        .join(Batch, SourceFile.batch_id == Batch.id)
        .order_by(SourceFile.original_path, SourceFile.id, Document.seq)
    )
    if batch_name is not None:
        stmt = stmt.where(Batch.name == batch_name)
    for doc, source, _batch in session.execute(stmt).all():
        rows = {p.page_no: p for p in session.scalars(select(Page).where(Page.source_file_id == source.id))}
        pages = [page_for_pdf(images, rows[n]) for n in doc.pages or [] if n in rows]
        pages = [p for p in pages if p is not None]
        if not pages:
            continue  # a failed document: nothing was read, nothing to show
        yield pdf_name(source.original_path, doc), document_pdf(pages, _metadata(session, doc, source))


def _metadata(session: Session, doc: Document, source: SourceFile) -> dict[str, str]:
    fields = {f.key: f.value for f in session.scalars(
        select(FieldValue).where(FieldValue.document_id == doc.id, FieldValue.is_current)) if f.value}
    dossier = session.get(Dossier, doc.dossier_id) if doc.dossier_id else None
    code = dossier.dossier_code if dossier else fields.get("dossier_code") or (source.manifest or {}).get("dossier_code")
    units = doc.unit_codes or {}
    date = fields.get("signed_date") or fields.get("received_date")
    parts = {
        "dossier": code, "type": doc.doc_type, "number": fields.get("doc_number"), "date": date,
        "province": units.get("province"), "district": units.get("district"), "commune": units.get("commune"),
    }
    keywords = "; ".join(f"{k}: {v}" for k, v in parts.items() if v)
    title = " - ".join(v for v in (code, doc.doc_type, fields.get("doc_number")) if v)
    return {"title": title, "subject": f"{source.original_path} pages {doc.pages}", "keywords": keywords}


MAX_NAME_BYTES = 240
"""Longest file name written (disks take 255 bytes; the ``.part`` of the temporary file fits too)."""


def pdf_name(original_path: str, doc: Document) -> str:
    """``<source path with / as __>-<seq>-<doc type>.pdf``: unique per document, safe on any disk.

    A path too long for one file name (a deep archive folder, a long Vietnamese name: 2-3 bytes a
    letter) keeps its start and gets a short digest of the whole path, so names stay unique."""
    path = unicodedata.normalize("NFC", original_path)
    stem = path.rsplit(".", 1)[0].replace("/", "__")
    stem = re.sub(r"[^\w.\- ]+", "_", stem).strip(" .") or "document"
    tail = f"-{doc.seq:02d}-{doc.doc_type}.pdf"
    if len((stem + tail).encode()) > MAX_NAME_BYTES:
        digest = "~" + hashlib.sha256(path.encode()).hexdigest()[:10]
        room = MAX_NAME_BYTES - len((digest + tail).encode())
        stem = stem.encode()[:room].decode("utf-8", "ignore").rstrip(" .") + digest
    return stem + tail


def write_pdfs(session: Session, images: PageImages, out_dir: Path, batch_name: str | None = None) -> int:
    """Write every document's PDF into ``out_dir``; returns how many were written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, data in iter_document_pdfs(session, images, batch_name):
        target = out_dir / name
        tmp = target.with_suffix(".pdf.part")
        tmp.write_bytes(data)
        tmp.replace(target)
        count += 1
    return count
