"""The bad-input corpus: malformed, encrypted, extreme and odd scan files, real and generated.

Real ones are copies of public test files in ``tests/data`` (see its SOURCES.md); the others are
made here, small and deterministic, from a page drawn with PIL. :data:`CORPUS` says, for every
file, what must become of it: processed (``done``) or ``failed`` with the error code stored as the
reason. ``tests/test_bad_input.py`` runs them all through ``sohoa run`` in one batch.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.conftest import REALDATA

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
A4_300 = (2480, 3508)


@dataclass(frozen=True)
class BadFile:
    """One file of the corpus: how to make it and what must become of it."""

    name: str
    make: Callable[[], bytes]
    outcome: str  # "done" (processed: documents, possibly a blank one) or "failed"
    code: str | None = None  # the error code the failed file's reason starts with
    pages: int | None = None  # page rows expected for a processed file
    what: str = ""


def real(relative: str) -> Callable[[], bytes]:
    return lambda: (REALDATA / relative).read_bytes()


# -- pages -----------------------------------------------------------------------------------------

def text_page(size: tuple[int, int] = A4_300, lines: int = 12, seed: int = 0) -> Image.Image:
    """A grey page of printed Vietnamese lines (enough ink to go the whole page path)."""
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, max(size[0] // 60, 8))
    step = max(size[1] // 30, 12)
    for line in range(lines):
        draw.text((size[0] // 10, size[1] // 10 + line * step),
                  f"Dòng {line + 1} của trang {seed}: Ủy ban nhân dân xã Phúc Xá, quận Ba Đình", fill=0, font=font)
    return page


def png(image: Image.Image, dpi: int = 300) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def pdf_of(pages: list[Image.Image], dpi: int = 300) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


def truncated(data: bytes, share: float = 0.5) -> bytes:
    return data[: int(len(data) * share)]


# -- generated files -------------------------------------------------------------------------------

def html_renamed() -> bytes:
    return "<!DOCTYPE html><html><head><title>Hồ sơ</title></head><body><p>Không phải PDF</p></body></html>".encode()


def one_pixel() -> bytes:
    return png(Image.new("L", (1, 1), 0))


def all_black() -> bytes:
    return png(Image.new("L", A4_300, 0))


def all_white() -> bytes:
    return png(Image.new("L", A4_300, 255))


def long_pdf(pages: int = 300) -> bytes:
    """A ``pages``-page A4 PDF: a scanned first page, then blank pages (each page is still rasterised at
    300 dpi, stored and judged, but the test stays quicker)."""
    from pypdf import PdfReader, PdfWriter

    first = PdfReader(io.BytesIO(pdf_of([text_page().convert("1")])))
    writer = PdfWriter()
    writer.add_page(first.pages[0])
    for _ in range(pages - 1):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def many_frame_tiff(frames: int = 200) -> bytes:
    """A ``frames``-page TIFF of A6 1-bit G4 pages at 300 dpi (a scanner's multi-page output): a printed
    first page, then blank sheets."""
    page = text_page((1240, 1748), lines=8).convert("1")
    blank = Image.new("1", page.size, 1)
    out = io.BytesIO()
    page.save(out, "TIFF", compression="group4", dpi=(300, 300), save_all=True, append_images=[blank] * (frames - 1))
    return out.getvalue()


def javascript_and_attachment() -> bytes:
    """A one-page scan PDF that runs JavaScript when opened and carries an embedded file."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of([text_page()]))))
    writer.add_js("app.alert('Sohoa must never run this');")
    writer.add_attachment("payload.exe", b"MZ" + b"\x00" * 512)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def permissions_only() -> bytes:
    """Encrypted with an owner password only (no printing, no copying): opens without a password."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of([text_page()]))))
    writer.encrypt(user_password="", owner_password="chủ sở hữu", permissions_flag=0, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_tree_loop() -> bytes:
    """A PDF whose page tree contains itself (/Kids of the root /Pages names the root again)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Loop) Tj ET 0 0 m S\nendstream",
    ]
    return raw_pdf(objects)


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def zip_bomb(expanded_mb: int = 200) -> bytes:
    """A 200 MB file of zeros deflated into ~200 KB (a ratio of ~1000:1), named like a scan inside."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("ho-so/scan.pdf", "w", force_zip64=True) as member:
            block = b"\x00" * (1 << 20)
            for _ in range(expanded_mb):
                member.write(block)
    return out.getvalue()


# -- the corpus ------------------------------------------------------------------------------------

CORPUS: tuple[BadFile, ...] = (
    # Real files (tests/data, see SOURCES.md)
    BadFile("broken_xref.pdf", real("pypdf/issue-297.pdf"), "done", pages=1, what="broken xref table (pypdf issue 297)"),
    BadFile("no_contents.pdf", real("ocrmypdf/no_contents.pdf"), "done", pages=1, what="a page without /Contents"),
    BadFile("invalid_44_bytes.pdf", real("ocrmypdf/invalid.pdf"), "failed", "corrupt_file", what="header and EOF only"),
    BadFile("password.pdf", real("pdfplumber/password-example.pdf"), "failed", "encrypted", what="user password"),
    BadFile("password_aes256.pdf", real("pypdf/crazyones-encrypted-256.pdf"), "failed", "encrypted", what="AES-256"),
    BadFile("permissions_rc4.pdf", real("pypdf/encryption/r2-empty-password.pdf"), "done", pages=1,
            what="RC4 encryption with an empty user password"),
    BadFile("jbig2.pdf", real("ocrmypdf/jbig2.pdf"), "done", pages=1, what="JBIG2 1-bit image"),
    BadFile("ccitt.pdf", real("ocrmypdf/ccitt.pdf"), "done", pages=1, what="CCITT G4 1-bit image"),
    BadFile("cmyk.jpg", real("ocrmypdf/baiona_cmyk.jpg"), "done", pages=1, what="CMYK JPEG"),
    BadFile("palette.pdf", real("ocrmypdf/palette.pdf"), "done", pages=1, what="palette image"),
    BadFile("rgba.png", real("ocrmypdf/baiona_alpha.png"), "done", pages=1, what="RGBA PNG"),
    BadFile("2400dpi.pdf", real("ocrmypdf/2400dpi.pdf"), "done", pages=1, what="a 2400 dpi image on a small page"),
    BadFile("hugemono_35000px.pdf", real("ocrmypdf/hugemono.pdf"), "failed", "image_too_large",
            what="a 35000x35000 px JBIG2 (decompression bomb)"),
    # Generated here
    BadFile("empty.pdf", lambda: b"", "failed", "unsupported_format", what="0 bytes"),
    BadFile("truncated.pdf", lambda: truncated(pdf_of([text_page(seed=1), text_page(seed=2)])), "failed",
            "corrupt_file", what="the first half of a 2-page PDF"),
    BadFile("truncated.jpg", lambda: truncated(real("ocrmypdf/baiona_cmyk.jpg")()), "failed", "corrupt_file",
            what="the first half of a JPEG"),
    BadFile("truncated.tif", lambda: truncated(real("tesseract-test/phototest.tif")(), 0.3), "failed",
            "corrupt_file", what="the first 30% of a TIFF"),
    BadFile("html_renamed.pdf", html_renamed, "failed", "unsupported_format", what="an HTML page named .pdf"),
    BadFile("zip_bomb_renamed.pdf", zip_bomb, "failed", "unsupported_format", what="a zip bomb named .pdf"),
    BadFile("one_pixel.png", one_pixel, "failed", "image_too_small", what="a 1x1 image"),
    BadFile("all_black.png", all_black, "failed", "scan_fault", what="an all-black page (lid open, exposure fault)"),
    BadFile("all_white.png", all_white, "done", pages=1, what="an all-white page (blank)"),
    BadFile("javascript_attachment.pdf", javascript_and_attachment, "done", pages=1,
            what="JavaScript on opening and an embedded .exe"),
    BadFile("permissions_only.pdf", permissions_only, "done", pages=1, what="owner password only (AES-128)"),
    BadFile("page_tree_loop.pdf", page_tree_loop, "failed", "corrupt_file", what="a page tree that contains itself"),
)

LONG_FILES: tuple[BadFile, ...] = (
    BadFile("pages_300.pdf", long_pdf, "done", pages=300, what="300 A4 pages at 300 dpi"),
    BadFile("frames_200.tif", many_frame_tiff, "done", pages=200, what="200 A6 frames at 300 dpi"),
)


def write_corpus(folder: Path, files: tuple[BadFile, ...]) -> dict[str, BadFile]:
    """Write ``files`` into ``folder``; returns them by name."""
    folder.mkdir(parents=True, exist_ok=True)
    for bad in files:
        (folder / bad.name).write_bytes(bad.make())
    return {bad.name: bad for bad in files}
