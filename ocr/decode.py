"""Scan files -> pages: sniff the format, split into pages, rasterise or read the PDF text layer.

Every page comes out as a :class:`RawPage` at a normalised resolution (``dpi``, 300 by default):

* a born-digital PDF page whose text layer really covers it carries ``text_words`` (pixel
  coordinates at ``dpi``) and no image - rasterising it would only cost time;
* every other page (scans, PDFs whose only text is a signature stamp, scans under an old OCR
  layer, text without a Unicode mapping) carries an 8-bit ``image`` (grey or BGR) to be OCR'd.

Bad input raises a :class:`schemas.errors.PermanentError` subclass with a clear message; the pixel
budget is checked from headers *before* anything is decoded, so a decompression bomb (a 35000²
JBIG2) is refused without touching its pixels.
"""

from __future__ import annotations

import io
import json
import math
import re
import struct
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from ocr.blobs import label_blobs
from ocr.postcorrect import is_vietnamese_syllable
from ocr.tables import cells_of_rules
from schemas.errors import CorruptFile, EncryptedFile, ImageTooLarge, ImageTooSmall, UnsupportedFormat
from schemas.pages import BBox, Word

_PDFIUM_LOCK = threading.RLock()

PDF, TIFF, JPEG, PNG = "application/pdf", "image/tiff", "image/jpeg", "image/png"

# Resolutions outside this range in an image header are treated as "unknown" (72 is the usual
# placeholder of cameras and screenshots; values like 1 or 10000 are garbage).
_PLAUSIBLE_DPI = (90, 1300)
_A4_LONG_SIDE_INCHES = 11.69
# Median height of a letter-sized ink blob in 11-12 pt print (x-height letters, capitals and
# accented letters mixed), measured on 300 dpi scans of Quảng Ngãi letters: 26-28 px.
_LETTER_HEIGHT_INCHES = 27 / 300
# A page is a scan when images cover at least this share of it; its text is then an OCR layer or
# a stamp, never the page's own text.
_SCAN_IMAGE_COVERAGE = 0.5
# A text layer "covers" a page when it has at least this many visible letters and digits.
_MIN_TEXT_LAYER_CHARS = 10
# Share of text-layer characters that must be ordinary letters/digits/punctuation (not private-use
# glyphs, replacement characters or control codes) for the layer to be trusted.
_MIN_TEXT_LAYER_QUALITY = 0.9
# Share of a text layer's words that must be plain ASCII words or valid Vietnamese syllables.
# Text typed in the legacy TCVN3/VNI fonts maps to Latin-1 look-alikes ("Céng hoµ x· héi") that
# pass every Unicode test but almost never form a Vietnamese syllable.
_MIN_READABLE_WORDS = 0.6
_WORD = re.compile(r"[^\W\d_]+")
# Resolutions within this share of the normalised one count as equal (no resampling).
_SAME_DPI = 0.015
# Pages whose raster exceeds this many pixels are rendered in grey (memory bound).
_GREY_RENDER_PIXELS = 40_000_000
# A page raster narrower or lower than this (a 1x1 image) cannot hold a line of text; the page
# path's reduced working copies of it would be empty.
_MIN_PAGE_PX = 16


@dataclass
class RawPage:
    """One page of a scan file, ready for the page path (see module docstring)."""

    page_no: int
    dpi: int
    image: np.ndarray | None
    text_words: list[Word] | None
    width: int
    height: int
    notes: list[str] = field(default_factory=list)
    # Resolution the page was captured at (scanner/camera), when known; the page path reads
    # low-resolution captures at a scale close to it rather than at the full normalised one.
    source_dpi: float | None = None
    # A born-digital page's table cells, from the lines it draws (ocr/tables.py): its text words
    # are not read from pixels, so the page path cannot find them.
    text_cells: list[BBox] = field(default_factory=list)
    # Where the colour page carried a pen's blue ink, its ink map (``ocr.ink.ink_map``), measured
    # before the page was made grey for the hand-off; None on a page without blue ink.
    ink: np.ndarray | None = None


# --------------------------------------------------------------------------------------------
# Format sniffing
# --------------------------------------------------------------------------------------------


def sniff_media_type(data: bytes, filename: str) -> str:
    """The media type of ``data`` from its magic bytes (the file name is only used in messages).

    Raises UnsupportedFormat for anything that is not a PDF, TIFF, JPEG or PNG.
    """
    head = data[:1024]
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return TIFF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    # PDF readers accept the header anywhere in the first KiB (some scanners prepend junk).
    if b"%PDF-" in head:
        return PDF
    if not data:
        raise UnsupportedFormat(f"{filename}: the file is empty")
    raise UnsupportedFormat(f"{filename}: not a PDF, TIFF, JPEG or PNG file (starts with {data[:8]!r})")


def split_pages(
    data: bytes, filename: str, *, dpi: int = 300, max_pixels: int = 150_000_000
) -> list[RawPage]:
    """Every page of a PDF, (multi-page) TIFF, JPEG or PNG file as :class:`RawPage` objects.

    ``dpi`` is the normalised resolution of the rasters; ``max_pixels`` the budget of one page
    (also of any image embedded in a PDF page), checked before decoding.
    """
    return list(iter_pages(data, filename, dpi=dpi, max_pixels=max_pixels))


def iter_pages(
    data: bytes, filename: str, *, dpi: int = 300, max_pixels: int = 150_000_000
) -> Iterator[RawPage]:
    """Like :func:`split_pages` but one page at a time (keeps one page raster in memory)."""
    media_type = sniff_media_type(data, filename)
    if media_type == PDF:
        yield from _pdf_pages(data, filename, dpi, max_pixels)
    else:
        yield from _image_pages(data, filename, dpi, max_pixels)


def page_of(data: bytes, filename: str, page_no: int, *, dpi: int = 300, max_pixels: int = 150_000_000) -> RawPage:
    """Page ``page_no`` (from 1) of the file, as :func:`iter_pages` gives it, decoding no other page."""
    if page_no < 1:
        raise CorruptFile(f"{filename}: no page {page_no}")
    if sniff_media_type(data, filename) == PDF:
        with _PDFIUM_LOCK:
            document = _open_pdf(data, filename)
            try:
                if not 1 <= page_no <= len(document):
                    raise CorruptFile(f"{filename}: no page {page_no} (the PDF has {len(document)})")
                return _read_pdf_page(document, page_no - 1, dpi, max_pixels, filename)
            finally:
                document.close()
    page = next(_image_pages(data, filename, dpi, max_pixels, first=page_no), None)
    if page is None:
        raise CorruptFile(f"{filename}: no page {page_no}")
    return page


# --------------------------------------------------------------------------------------------
# Images (TIFF, JPEG, PNG)
# --------------------------------------------------------------------------------------------


def _image_pages(data: bytes, filename: str, dpi: int, max_pixels: int, first: int = 1) -> Iterator[RawPage]:
    """The frames of an image file from page ``first`` on (frames before it are skipped, not decoded)."""
    try:
        with warnings.catch_warnings():
            # We enforce our own budget below, before any pixel is decoded; PIL's own bomb check
            # (at twice its MAX_IMAGE_PIXELS) only fires for images far beyond it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            container = Image.open(io.BytesIO(data))
            for index, frame in enumerate(ImageSequence.Iterator(container)):
                if index + 1 < first:
                    continue  # a seek reads the frame's header only: its pixels are never decoded
                width, height = frame.size
                if width * height > max_pixels:
                    raise ImageTooLarge(
                        f"{filename}: page {index + 1} is {width}x{height} px, beyond the budget of"
                        f" {max_pixels:,} px"
                    )
                yield _image_frame_page(frame, index + 1, dpi, max_pixels, filename, data)
    except Image.DecompressionBombError as error:
        raise ImageTooLarge(f"{filename}: the image is far beyond the pixel budget ({error})") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as error:
        raise CorruptFile(f"{filename}: cannot decode the image ({error})") from error


def _image_frame_page(frame: Image.Image, page_no: int, dpi: int, max_pixels: int, filename: str,
                      data: bytes) -> RawPage:
    notes: list[str] = []
    array = _decode_plain(frame, data)
    if array is None:
        frame.load()
        if page_no == 1 and _exif_turned(frame):  # else no copy
            frame = ImageOps.exif_transpose(frame) or frame
        array = _to_uint8(frame, notes)
    if array.ndim == 3 and array.shape[0] * array.shape[1] > _GREY_RENDER_PIXELS:
        # As for very large PDF pages: three channels of a poster-sized scan would take the page
        # path past a worker's memory bound (12000 x 12000 px: 1.6 GB in colour, ~1 GB in grey).
        array = cv2.cvtColor(array, cv2.COLOR_BGR2GRAY)
        notes.append("very large page kept in grey (memory bound)")
    dpi_x, dpi_y = _header_dpi(frame, array, notes)
    scale_x, scale_y = dpi / dpi_x, dpi / dpi_y
    target_w, target_h = round(array.shape[1] * scale_x), round(array.shape[0] * scale_y)
    # E.g. an A4 guess of 300.2 dpi: resampling it would cost time and blur for nothing.
    same = max(abs(scale_x - 1), abs(scale_y - 1)) <= _SAME_DPI
    if target_w * target_h > max_pixels:
        # Normalising would exceed the budget: keep the page at the largest resolution that fits.
        shrink = math.sqrt(max_pixels / (target_w * target_h))
        target_w, target_h = int(target_w * shrink), int(target_h * shrink)
        dpi = int(dpi * shrink)
        notes.append(f"resolution limited to {dpi} dpi by the pixel budget")
        same = False
    if not same and (target_w, target_h) != (array.shape[1], array.shape[0]):
        array = _resize(array, target_w, target_h)
        notes.append(f"resampled from {dpi_x:g}x{dpi_y:g} dpi to {dpi} dpi")
    _check_not_tiny(array, filename, page_no)
    return RawPage(page_no, dpi, array, None, array.shape[1], array.shape[0], notes, source_dpi=min(dpi_x, dpi_y))


def _check_not_tiny(array: np.ndarray, filename: str, page_no: int) -> None:
    height, width = array.shape[:2]
    if min(height, width) < _MIN_PAGE_PX:
        raise ImageTooSmall(
            f"{filename}: page {page_no} is {width}x{height} px, too small to hold text"
            f" (at least {_MIN_PAGE_PX} px a side)"
        )


def _exif_turned(frame: Image.Image) -> bool:
    """The image carries an EXIF orientation other than "as stored" (a phone held sideways)."""
    return frame.getexif().get(0x0112, 1) != 1


def _decode_plain(frame: Image.Image, data: bytes) -> np.ndarray | None:
    """Pixels of a plain 8-bit grey or RGB PNG/JPEG without PIL's conversions and array copies; None
    for anything else.

    The common case of scanners and phones. JPEG goes through OpenCV (libjpeg-turbo); PNG through
    libspng (``pyspng``), whose inflate and unfiltering cost three quarters of OpenCV's libpng on
    the same pixels (measured on 22 colour and grey 300 dpi pages: 58 against 77 ms a page).
    Everything unusual - TIFF, alpha, palettes, 16 bits, CMYK, an EXIF orientation to apply - goes
    the general way.
    """
    if frame.format not in ("PNG", "JPEG") or frame.mode not in ("L", "RGB") or getattr(frame, "n_frames", 1) != 1:
        return None
    if frame.format == "JPEG" and _exif_turned(frame):
        return None
    if frame.format == "PNG" and "transparency" in frame.info:
        return None
    if frame.format == "PNG":
        array, order = _spng_decode(data), "rgb"
    else:
        flags = cv2.IMREAD_GRAYSCALE if frame.mode == "L" else cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION
        array, order = cv2.imdecode(np.frombuffer(data, np.uint8), flags), "bgr"
    if array is None or array.shape[:2] != (frame.size[1], frame.size[0]) or array.dtype != np.uint8:
        return None  # let PIL decode it and say what is wrong
    if array.ndim == 3 and array.shape[2] != 3:
        return None
    return array if array.ndim == 2 else _maybe_grey(array, order)


def _spng_decode(data: bytes) -> np.ndarray | None:
    """The PNG's 8-bit pixels as libspng gives them (grey, or RGB), None if it cannot read them."""
    import pyspng  # only PNG input needs it

    try:
        array = pyspng.load(data)
    except Exception:  # noqa: BLE001 - any failure: PIL decodes the file and names the fault
        return None
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    return np.ascontiguousarray(array)


def _to_uint8(frame: Image.Image, notes: list[str]) -> np.ndarray:
    """8-bit grey or BGR pixels of any PIL mode (1-bit, 16-bit, palette, CMYK, alpha...)."""
    mode = frame.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # Integer shifts, not floats: a 150 Mpx 16-bit page must not cost a gigabyte on the way.
        values = np.asarray(frame)
        notes.append(f"{mode} image reduced to 8 bits")
        if values.size and values.max() > 255:
            values = np.right_shift(np.clip(values, 0, 65535), 8)
        return values.astype(np.uint8)
    if mode == "F":
        values = np.asarray(frame, dtype=np.float64)
        return np.clip(values * (255.0 if values.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
    if mode in ("1", "L"):
        return np.asarray(frame.convert("L"), dtype=np.uint8)
    if mode in ("LA", "RGBA", "PA", "La", "RGBa") or (mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        notes.append("transparency flattened onto white")
        frame = Image.alpha_composite(white, rgba)
    rgb = np.array(frame.convert("RGB"), dtype=np.uint8)  # a writable copy: turned to BGR in place
    return _maybe_grey(rgb, "rgb")


def _maybe_grey(colour: np.ndarray, order: str = "bgr") -> np.ndarray:
    """A colour page (channels in ``order``, "bgr" or "rgb") as one grey channel if it is really grey
    (a third of the memory and work), else as BGR, the page path's colour order."""
    # The channels' spread on every 8th pixel, by OpenCV: numpy's max and min along the 3-long
    # colour axis took ~5 ms on a colour A4 page, this ~0.5 ms. The spread is the same in either order.
    small = np.ascontiguousarray(colour[::8, ::8])
    first, second, third = (cv2.extractChannel(small, channel) for channel in range(3))
    spread = cv2.subtract(cv2.max(cv2.max(first, second), third), cv2.min(cv2.min(first, second), third))
    if cv2.countNonZero(cv2.compare(spread, 40, cv2.CMP_GT)) < 0.0005 * spread.size:
        return cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY if order == "bgr" else cv2.COLOR_RGB2GRAY)
    if order == "rgb":
        return cv2.cvtColor(colour, cv2.COLOR_RGB2BGR, dst=colour)  # in place: ~10x a reversed-axis copy
    return colour


def _header_dpi(frame: Image.Image, array: np.ndarray, notes: list[str]) -> tuple[float, float]:
    """The image's resolution from its header, else guessed from an A4 page size."""
    height, width = array.shape[:2]
    raw = frame.info.get("dpi")
    if raw and len(raw) == 2:
        dpi_x, dpi_y = float(raw[0]), float(raw[1])
        if all(_PLAUSIBLE_DPI[0] <= v <= _PLAUSIBLE_DPI[1] for v in (dpi_x, dpi_y)):
            if abs(dpi_x - dpi_y) > 0.5:
                notes.append(f"non-square resolution {dpi_x:g}x{dpi_y:g} dpi")
            return dpi_x, dpi_y
    guess = min(max(max(width, height) / _A4_LONG_SIDE_INCHES, 50.0), 600.0)
    from_text = _dpi_from_letter_height(array)
    # The page-size guess is the steadier one for whole pages (letter heights of a blurred or
    # low-resolution capture are coarse); the letters decide when the image is clearly not a
    # page (a crop of a word, a strip).
    if from_text is not None and not (0.5 <= from_text / guess <= 2.0):
        notes.append(f"no usable resolution in the header; {from_text:.0f} dpi estimated from the letter height")
        return from_text, from_text
    notes.append(f"no usable resolution in the header; assumed an A4 page ({guess:.0f} dpi)")
    return guess, guess


def _dpi_from_letter_height(array: np.ndarray) -> float | None:
    """The resolution at which the image's median letter is as tall as in 11-12 pt print.

    Captures without a resolution (phone photos, screenshots, crops) are scaled so that their text
    reaches Tesseract at the size it reads best, whatever the capture's pixel count.
    """
    # Grey first, then reduced by a whole factor given as the factor (OpenCV's fast path for area
    # averaging; a target size that is not exactly 1/factor of an odd side takes the general path,
    # ~3x slower): ~7 ms on a 300 dpi colour A4 page.
    gray = cv2.cvtColor(array, cv2.COLOR_BGR2GRAY) if array.ndim == 3 else array
    factor = math.ceil(max(gray.shape[:2]) / 1500)
    scale = 1.0 / factor
    if factor > 1:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        scale = gray.shape[0] / array.shape[0]
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = label_blobs(ink)
    w, h, area = stats[1:, 2], stats[1:, 3], stats[1:, 4]
    letters = (h >= 4) & (h <= 0.25 * gray.shape[0]) & (w <= 3 * h) & (area >= 8)
    if np.count_nonzero(letters) < 5:
        return None
    median_height = float(np.median(h[letters])) / scale
    return min(max(median_height / _LETTER_HEIGHT_INCHES, 50.0), 1200.0)


def _resize(array: np.ndarray, width: int, height: int) -> np.ndarray:
    upsampling = width * height > array.shape[0] * array.shape[1]
    interpolation = cv2.INTER_CUBIC if upsampling else cv2.INTER_AREA
    return cv2.resize(array, (max(width, 1), max(height, 1)), interpolation=interpolation)


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def _pdf_pages(data: bytes, filename: str, dpi: int, max_pixels: int) -> Iterator[RawPage]:
    # PDFium is not thread-safe: every call into it holds the lock, released between pages so
    # that a consumer of this generator never waits on it.
    with _PDFIUM_LOCK:
        document = _open_pdf(data, filename)
        page_count = len(document)
    try:
        if page_count == 0:
            raise CorruptFile(f"{filename}: the PDF has no pages")
        for index in range(page_count):
            with _PDFIUM_LOCK:
                raw = _read_pdf_page(document, index, dpi, max_pixels, filename)
            yield raw
    finally:
        with _PDFIUM_LOCK:
            document.close()


def _read_pdf_page(document, index: int, dpi: int, max_pixels: int, filename: str) -> RawPage:
    import pypdfium2 as pdfium

    try:
        page = document[index]
    except pdfium.PdfiumError as error:
        raise CorruptFile(f"{filename}: page {index + 1} cannot be read ({error})") from error
    try:
        return _pdf_page(page, index + 1, dpi, max_pixels, filename)
    finally:
        page.close()


def _open_pdf(data: bytes, filename: str):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise EncryptedFile(
                f"{filename}: the PDF is protected by a password; remove the password and upload it again"
            ) from error
        raise CorruptFile(f"{filename}: not a readable PDF ({error})") from error


def _pdf_page(page, page_no: int, dpi: int, max_pixels: int, filename: str) -> RawPage:
    notes: list[str] = []
    images = _page_images(page)
    for px_w, px_h, _ in images:
        if px_w * px_h > max_pixels:
            raise ImageTooLarge(
                f"{filename}: page {page_no} holds a {px_w}x{px_h} px image, beyond the budget of"
                f" {max_pixels:,} px"
            )
    width_pt, height_pt = page.get_size()  # pdfium's size already has /Rotate applied
    page_area = max(width_pt * height_pt, 1.0)
    image_coverage = min(sum(area for _, _, area in images) / page_area, 1.0)
    render_dpi = _render_dpi(width_pt, height_pt, dpi, images, max_pixels, notes)

    if image_coverage < _SCAN_IMAGE_COVERAGE:
        words = _text_layer_words(page, render_dpi / 72.0, notes)
        if words is not None:
            width, height = round(width_pt * render_dpi / 72), round(height_pt * render_dpi / 72)
            cells = cells_of_rules(_drawn_lines(page, render_dpi / 72.0), width, height, render_dpi)
            return RawPage(page_no, render_dpi, None, words, width, height, notes, text_cells=cells)
    elif page.get_textpage().count_chars() > 0:
        notes.append("scanned page: its text layer (old OCR or a stamp) is ignored and the page re-read")

    source_dpi = None
    if images and image_coverage >= _SCAN_IMAGE_COVERAGE:
        px_w, px_h, area = max(images, key=lambda item: item[2])
        source_dpi = round(math.sqrt(px_w * px_h / max(area / 72 / 72, 1e-6)), 1)
    image = _render(page, render_dpi, filename, page_no)
    _check_not_tiny(image, filename, page_no)
    return RawPage(page_no, render_dpi, image, None, image.shape[1], image.shape[0], notes, source_dpi=source_dpi)


def _drawn_lines(page, scale: float) -> list[BBox]:
    """The pixel boxes of the page's path objects (a table's rules among them) at ``scale`` px/pt."""
    convert = _page_to_pixels(page, scale)
    boxes = []
    for obj in page.get_objects(max_depth=3):
        if obj.type != 2:  # FPDF_PAGEOBJ_PATH
            continue
        try:
            boxes.append(convert(obj.get_bounds()))
        except Exception:  # a path the library cannot describe draws no rule we can use
            continue
    return boxes


def _page_images(page) -> list[tuple[int, int, float]]:
    """(pixel width, pixel height, area on the page in pt²) of every image drawn on the page."""
    found = []
    for obj in page.get_objects(max_depth=3):
        if obj.type != 3:  # FPDF_PAGEOBJ_IMAGE
            continue
        try:
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # an image the library cannot describe: let rendering decide
            continue
        found.append((int(px_w), int(px_h), max(right - left, 0) * max(top - bottom, 0)))
    return found


def _render_dpi(
    width_pt: float, height_pt: float, dpi: int, images: list, max_pixels: int, notes: list[str]
) -> int:
    """The raster resolution: ``dpi``, raised for tiny pages holding a fine image, capped by the budget."""
    render_dpi = float(dpi)
    long_side_px = max(width_pt, height_pt) / 72 * dpi
    if images and long_side_px < 1500:
        # A tiny page with a high-resolution image (e.g. 2400 dpi): keep the image's own pixels.
        px_long = max(max(w, h) for w, h, _ in images)
        if px_long > long_side_px:
            render_dpi = min(dpi * px_long / long_side_px, dpi * 3508 / long_side_px)
            notes.append(f"small page rendered at {render_dpi:.0f} dpi to keep its image's detail")
    pixels = (width_pt / 72 * render_dpi) * (height_pt / 72 * render_dpi)
    if pixels > max_pixels:
        render_dpi *= math.sqrt(max_pixels / pixels)
        notes.append(f"large page rendered at {render_dpi:.0f} dpi to stay within the pixel budget")
    return max(int(render_dpi), 1)


def _render(page, render_dpi: int, filename: str, page_no: int) -> np.ndarray:
    import pypdfium2 as pdfium

    width_pt, height_pt = page.get_size()
    pixels = (width_pt / 72 * render_dpi) * (height_pt / 72 * render_dpi)
    # Very large pages are rendered in grey straight away: a colour raster of an A0 sheet at
    # 300 dpi would need ~1 GB just to be thrown away by the colour check.
    grayscale = pixels > _GREY_RENDER_PIXELS
    try:
        bitmap = page.render(scale=render_dpi / 72.0, may_draw_forms=True, grayscale=grayscale)
        array = bitmap.to_numpy()
    except MemoryError as error:
        raise ImageTooLarge(f"{filename}: page {page_no} is too large to render in memory") from error
    except (pdfium.PdfiumError, ValueError) as error:
        raise CorruptFile(f"{filename}: page {page_no} cannot be rendered ({error})") from error
    if array.ndim == 3 and array.shape[2] == 4:
        array = array[:, :, :3]
    if array.ndim == 3:
        return _maybe_grey(np.ascontiguousarray(array))
    return np.ascontiguousarray(array)


def _text_layer_words(page, scale: float, notes: list[str]) -> list[Word] | None:
    """The page's own words in pixels at ``scale`` px/pt, or None when the layer does not cover it."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count == 0:
            return None
        text = textpage.get_text_range()
        if not _text_layer_usable(text, notes):
            return None
        words = _group_chars(textpage, count, page, scale)
    finally:
        textpage.close()
    return words


def _text_layer_usable(text: str, notes: list[str]) -> bool:
    visible = [ch for ch in text if not ch.isspace()]
    alnum = sum(1 for ch in visible if ch.isalnum())
    if alnum < _MIN_TEXT_LAYER_CHARS:
        if visible:
            notes.append(f"text layer too small to cover the page ({alnum} letters): page OCR'd")
        return False
    ordinary = sum(1 for ch in visible if unicodedata.category(ch)[0] in "LNPS" and ch != "\ufffd")
    garbage_letters = sum(1 for ch in visible if unicodedata.category(ch) in ("Co", "Cn", "Cc"))
    quality = (ordinary - garbage_letters) / len(visible)
    if quality < _MIN_TEXT_LAYER_QUALITY:
        notes.append(f"text layer unreadable (quality {quality:.2f}, e.g. no Unicode mapping): page OCR'd")
        return False
    words = _WORD.findall(text)
    if len(words) >= 10:
        readable = sum(1 for word in words if word.isascii() or is_vietnamese_syllable(word)) / len(words)
        if readable < _MIN_READABLE_WORDS:
            notes.append(
                f"text layer garbled (only {readable:.0%} readable words, e.g. a TCVN3/VNI legacy font): page OCR'd"
            )
            return False
    return True


def _group_chars(textpage, count: int, page, scale: float) -> list[Word]:
    """pdfium characters -> words (split on spaces, line breaks and wide gaps), boxes in pixels."""
    import pypdfium2.raw as raw

    to_pixels = _page_to_pixels(page, scale)
    words: list[Word] = []
    current: list[tuple[str, tuple[float, float, float, float]]] = []
    line_no = 0
    last_box = None

    def flush() -> None:
        if not current:
            return
        text = unicodedata.normalize("NFC", "".join(ch for ch, _ in current))
        boxes = [to_pixels(box) for _, box in current]
        x0 = min(b[0] for b in boxes)
        y0 = min(b[1] for b in boxes)
        x1 = max(b[2] for b in boxes)
        y1 = max(b[3] for b in boxes)
        words.append(Word(text=text, conf=1.0, bbox=(x0, y0, x1, y1), block=0, par=0, line=line_no))
        current.clear()

    for index in range(count):
        code = raw.FPDFText_GetUnicode(textpage, index)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if not ch or ch.isspace() or code in (0xFFFE, 0xFFFF, 0x2):
            flush()
            if ch in ("\r", "\n"):
                line_no += 1
                last_box = None
            continue
        box = textpage.get_charbox(index)
        if last_box is not None and _starts_new_line(last_box, box):
            flush()
            line_no += 1
        elif last_box is not None and box[0] - last_box[2] > 0.6 * max(box[3] - box[1], 1.0):
            flush()
        current.append((ch, box))
        last_box = box
    flush()
    return words


def _starts_new_line(previous: tuple, box: tuple) -> bool:
    height = max(previous[3] - previous[1], box[3] - box[1], 1.0)
    return abs((previous[1] + previous[3]) / 2 - (box[1] + box[3]) / 2) > 0.7 * height or box[0] < previous[0] - height


def _page_to_pixels(page, scale: float):
    """A function mapping a pdfium box (pt, y up, unrotated) to a pixel box of the rendered page."""
    left, bottom, right, top = page.get_cropbox()
    width_px, height_px = (right - left) * scale, (top - bottom) * scale
    rotation = page.get_rotation()

    def convert(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        bx0, by0, bx1, by1 = box
        x0, x1 = (bx0 - left) * scale, (bx1 - left) * scale
        y0, y1 = (top - by1) * scale, (top - by0) * scale
        if rotation == 90:
            x0, y0, x1, y1 = height_px - y1, x0, height_px - y0, x1
        elif rotation == 180:
            x0, y0, x1, y1 = width_px - x1, height_px - y1, width_px - x0, height_px - y0
        elif rotation == 270:
            x0, y0, x1, y1 = y0, width_px - x1, y1, width_px - x0
        return (max(int(x0), 0), max(int(y0), 0), max(int(math.ceil(x1)), 0), max(int(math.ceil(y1)), 0))

    return convert


# --------------------------------------------------------------------------------------------
# Serialisation between the ingest worker and the page worker
# --------------------------------------------------------------------------------------------

_MAGIC = b"SRP2"
_MAGIC_PNG = b"SRP1"  # pages stored before the raw format: the image as a PNG


def raw_page_parts(page: RawPage) -> list[memoryview]:
    """The hand-off from the ingest worker to the page worker: magic, header length, JSON header,
    then the image's pixels as they are in memory (8-bit, row by row; shape in the header).

    Returned as the object's parts, in order, for the store to write one after the other: joining
    them would copy the pixels once more (26 MB for a colour A4 page at 300 dpi) only to write them.
    Uncompressed on purpose: the page is written once and read once, and any compression costs
    CPU on both ends. Measured on the bench's 300 dpi pages: PNG (level 1) cost 80-630 ms to write
    and 20-260 ms to read per page (0.5 s per colour page). The price is size (an A4 page at
    300 dpi: 8.7 MB grey, 26 MB colour), paid in the object store.
    """
    image = None if page.image is None else np.ascontiguousarray(page.image, dtype=np.uint8)
    header = {
        "page_no": page.page_no,
        "dpi": page.dpi,
        "width": page.width,
        "height": page.height,
        "notes": page.notes,
        "text_words": None if page.text_words is None else [w.model_dump() for w in page.text_words],
        "has_image": image is not None,
        "shape": None if image is None else list(image.shape),
        "source_dpi": page.source_dpi,
        "text_cells": page.text_cells,
        "ink_shape": None if page.ink is None else list(page.ink.shape),
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    parts = [_MAGIC + struct.pack(">I", len(head)) + head]
    if image is not None:
        parts.append(image.data.cast("B"))
    if page.ink is not None:
        parts.append(np.ascontiguousarray(page.ink, dtype=np.uint8).data.cast("B"))
    return [memoryview(part) for part in parts]


def encode_raw_page(page: RawPage) -> bytes:
    """:func:`raw_page_parts` as one object."""
    return b"".join(raw_page_parts(page))


def decode_raw_page(data) -> RawPage:
    """The inverse of :func:`encode_raw_page` (also reads pages stored as PNG by earlier versions).

    ``data``: any bytes-like object, e.g. the store's read-only map of the stored file.
    """
    view = memoryview(data).cast("B")
    magic = bytes(view[:4])
    if magic not in (_MAGIC, _MAGIC_PNG) or len(view) < 8:
        raise CorruptFile("not a serialised page (bad magic)")
    (length,) = struct.unpack(">I", view[4:8])
    try:
        header = json.loads(bytes(view[8 : 8 + length]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CorruptFile("serialised page header cannot be read") from error
    body = view[8 + length :]
    ink = None
    if header.get("ink_shape"):
        ink_shape = tuple(int(n) for n in header["ink_shape"])
        ink_size = math.prod(ink_shape)
        if len(body) < ink_size:
            raise CorruptFile(f"serialised page has {len(body)} bytes, fewer than its ink map's {ink_shape}")
        ink = np.frombuffer(body[len(body) - ink_size:], dtype=np.uint8).reshape(ink_shape)
        body = body[: len(body) - ink_size]
    image = None
    if header["has_image"] and magic == _MAGIC_PNG:
        image = cv2.imdecode(np.frombuffer(body, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
        if image is None:
            raise CorruptFile("serialised page image cannot be decoded")
    elif header["has_image"]:
        shape = tuple(int(n) for n in header["shape"])
        if len(body) != math.prod(shape):
            raise CorruptFile(f"serialised page image has {len(body)} bytes, its header says {shape}")
        # A read-only view of the stored bytes, not a copy: the page path never writes into its
        # input (its stages return new arrays; a write would raise, not corrupt), and copying a
        # colour A4 page costs 12-60 ms, most of it first touches of fresh memory.
        image = np.frombuffer(body, dtype=np.uint8).reshape(shape)
    words = header["text_words"]
    return RawPage(
        page_no=header["page_no"],
        dpi=header["dpi"],
        image=image,
        text_words=None if words is None else [Word.model_validate(w) for w in words],
        width=header["width"],
        height=header["height"],
        notes=list(header["notes"]),
        source_dpi=header.get("source_dpi"),
        text_cells=[tuple(cell) for cell in header.get("text_cells") or []],
        ink=ink,
    )


def count_pages(data: bytes, filename: str) -> int | None:
    """How many pages the file has, read from its structure without decoding any (None: unknown)."""
    try:
        media_type = sniff_media_type(data, filename)
        if media_type == PDF:
            with _PDFIUM_LOCK:
                document = _open_pdf(data, filename)
                try:
                    return len(document)
                finally:
                    document.close()
        with Image.open(io.BytesIO(data)) as image:
            return getattr(image, "n_frames", 1)
    except Exception:  # the split itself says what is wrong with the file
        return None
