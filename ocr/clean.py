"""Cleaning: make a scanned page look like black text on white paper before Tesseract reads it.

* red/pink stamps and signatures' red ink are dropped by colour separation (black text under a
  stamp stays: it is dark in every channel, the stamp is bright in the red one);
* uneven light and grey/dark paper are flattened by dividing by an estimate of the background;
* border shadows (large dark blobs touching the page edge) and punch holes (round dark blobs in
  the margin) are whitened;
* speckle noise is removed with a small median filter when the page is noisy, and a blurred page
  is sharpened (unsharp mask);
* :func:`is_blank` and :func:`content_box` tell the page path when to skip OCR and where to crop;
  :func:`scan_fault` tells an all-black page (a scanner fault, to rescan) from a blank one.
"""

from __future__ import annotations

import threading
import weakref

import cv2
import numpy as np

from ocr.blobs import label_blobs


def drop_red(image: np.ndarray, notes: list[str] | None = None) -> np.ndarray:
    """Grey page from a grey or BGR image, with red/pink ink (stamps) removed."""
    if image.ndim == 2:
        return image
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    # Decide on a 1/4-size sample first: most colour scans carry no red at all.
    sample, _ = _red_mask(np.ascontiguousarray(image[::4, ::4]))
    if cv2.countNonZero(sample) < 0.0005 * sample.size:
        return gray
    reddish, red = _red_mask(image)
    share = cv2.countNonZero(reddish) / reddish.size
    # Where the ink is red, the red channel is the paper seen through the stamp's ink.
    cv2.copyTo(red, reddish, gray)
    if notes is not None:
        notes.append(f"red stamp ink removed ({share:.1%} of the page)")
    return gray


def _red_mask(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mask, 255 where the red channel outweighs the others by over 40; the red channel).

    The channels are taken one by one (``cv2.extractChannel``): on a 300 dpi A4 page that is a
    third of ``cv2.split``'s time, and the whole step ~15 ms against ~35 ms with numpy masks.
    """
    blue, green, red = (cv2.extractChannel(bgr, channel) for channel in range(3))
    return cv2.compare(cv2.subtract(red, cv2.max(green, blue)), 40, cv2.CMP_GT), red


def flatten_background(gray: np.ndarray, dpi: int, notes: list[str] | None = None) -> np.ndarray:
    """Divide by the paper's brightness (estimated on a reduced image) so paper becomes white."""
    scale = min(1.0, 50.0 / max(dpi, 1))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    # Closing with a kernel wider than a stroke erases the text and leaves the paper.
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    paper = cv2.medianBlur(paper, 5)
    paper_level = float(np.median(paper))
    if paper_level > 235 and float(np.percentile(paper, 5)) > 215:
        return gray  # already clean paper: leave the pixels alone
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(gray, np.maximum(paper, 1), scale=255)
    if notes is not None:
        notes.append(f"background flattened (paper level {paper_level:.0f})")
    return flat


class _LastReduction(threading.local):
    """This thread's last page image reduced to ~75 dpi, and its letter-sized marks once counted.

    The blank test, the shadow and punch-hole steps and the content box each look at a ~75 dpi copy
    of the page, and often of the very same image: a page that needs no turning, straightening or
    cleaning reaches the content box as the object the blank test saw. Its copy (3-5 ms at 300 dpi)
    and its marks are then made once. Keyed by the image object itself (held weakly): the page
    path never changes an image in place once made (its steps return new arrays), and what is
    kept here is read-only.
    """

    image: weakref.ref | None = None
    dpi: int = 0
    small: np.ndarray | None = None
    components: np.ndarray | None = None


_last = _LastReduction()


REDUCED_DPI = 75.0
"""The resolution of the reduced copy the page path's steps share (:func:`reduced_75`)."""


def reduced_75(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, float]:
    """(``gray`` reduced to ~75 dpi by area averaging, the scale), made once per image and thread
    and shared read-only by the steps that look at it (blank test, shadows, content box, tables)."""
    scale = min(1.0, REDUCED_DPI / max(dpi, 1))
    image = _last.image() if _last.image is not None else None
    if image is gray and _last.dpi == dpi:
        return _last.small, scale
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small.flags.writeable = False
    _last.image, _last.dpi, _last.small, _last.components = weakref.ref(gray), dpi, small, None
    return small, scale


DarkBlobs = tuple[np.ndarray, np.ndarray, np.ndarray, float]  # labels, stats, centroids, scale (~75 dpi)


def dark_blobs(gray: np.ndarray, dpi: int) -> DarkBlobs:
    """Dark marks of a ~75 dpi copy of ``gray``, labelled: what the shadow and punch-hole steps look at."""
    small, scale = reduced_75(gray, dpi)
    _, labels, stats, centroids = label_blobs((small < 110).astype(np.uint8))
    return labels, stats, centroids, scale


def remove_border_shadows(gray: np.ndarray, dpi: int, notes: list[str] | None = None,
                          blobs: DarkBlobs | None = None) -> np.ndarray:
    """Whiten large dark regions touching the page edge (scanner lid shadows, dark margins).

    ``blobs``: :func:`dark_blobs` of ``gray``, when the caller has them already.
    """
    labels, stats, _, _ = blobs or dark_blobs(gray, dpi)
    height, width = labels.shape
    x, y, w, h, area = (stats[1:, column] for column in range(5))
    touches = (x == 0) | (y == 0) | (x + w >= width) | (y + h >= height)
    # A shadow is long along the edge and filled; a text line touching the edge is neither.
    big = ((h > 0.25 * height) | (w > 0.25 * width)) & (area > 0.4 * w * h)
    shadows = np.nonzero(touches & big)[0] + 1
    if shadows.size == 0:
        return gray
    mask = cv2.dilate(np.isin(labels, shadows).astype(np.uint8), np.ones((3, 3), np.uint8))
    mask = cv2.resize(mask, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST).astype(bool)
    cleaned = gray.copy()
    cleaned[mask] = 255
    if notes is not None:
        notes.append("border shadow removed")
    return cleaned


def remove_punch_holes(gray: np.ndarray, dpi: int, notes: list[str] | None = None,
                       blobs: DarkBlobs | None = None) -> np.ndarray:
    """Whiten punch holes: isolated, filled, round dark blobs 4.5-9 mm wide within 20 mm of an edge.

    Isolation tells a hole from a bullet or a bold letter: nothing else is inked within 8 mm of it.
    ``blobs``: :func:`dark_blobs` of ``gray``, when the caller has them already.
    """
    labels, stats, centroids, scale = blobs or dark_blobs(gray, dpi)
    px_per_mm = dpi * scale / 25.4
    height, width = labels.shape
    x, y, w, h, area = (stats[1:, column] for column in range(5))
    cx, cy = centroids[1:, 0], centroids[1:, 1]
    round_and_filled = (w >= 0.75 * h) & (w <= 1.33 * h) & (area >= 0.6 * w * h)
    hole_sized = (np.maximum(w, h) >= 4.5 * px_per_mm) & (np.maximum(w, h) <= 9 * px_per_mm)
    near_edge = np.minimum(np.minimum(cx, cy), np.minimum(width - cx, height - cy)) <= 20 * px_per_mm
    candidates = np.nonzero(round_and_filled & hole_sized & near_edge)[0] + 1
    holes = [int(i) for i in candidates if _isolated(labels, int(i), stats[i], 8 * px_per_mm)]
    if not holes:
        return gray
    mask = cv2.dilate(np.isin(labels, holes).astype(np.uint8), np.ones((3, 3), np.uint8))
    mask = cv2.resize(mask, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST).astype(bool)
    cleaned = gray.copy()
    cleaned[mask] = 255
    if notes is not None:
        notes.append(f"{len(holes)} punch hole(s) removed")
    return cleaned


def _isolated(labels: np.ndarray, index: int, stat: np.ndarray, reach: float) -> bool:
    x, y, w, h, _ = stat
    reach = int(reach)
    window = labels[max(y - reach, 0) : y + h + reach, max(x - reach, 0) : x + w + reach]
    return not np.any((window != 0) & (window != index))


def denoise(gray: np.ndarray, notes: list[str] | None = None) -> np.ndarray:
    """A 3x3 median filter when the paper is speckled (noise level measured on the paper)."""
    sample = np.ascontiguousarray(gray[::3, ::3])  # a third of the rows and columns is plenty for a noise level
    paper = cv2.compare(sample, 160, cv2.CMP_GT)
    if not cv2.countNonZero(paper):
        return gray
    noise = float(cv2.meanStdDev(sample, mask=paper)[1][0, 0])  # numpy's std of a masked copy: 4x the time
    if noise < 12:
        return gray
    if notes is not None:
        notes.append(f"speckle noise filtered (paper noise {noise:.0f})")
    return cv2.medianBlur(gray, 3)


def sharpness(gray: np.ndarray, dpi: int) -> float:
    """Steepness of the strongest edges relative to the ink/paper contrast (middle of the page, ~130 dpi).

    Sharp scans and photos score 4-7 or more; a blurred capture (a 5x5 blur of a low-resolution
    photo) ~2.7.
    """
    scale = min(1.0, 130.0 / max(dpi, 1))
    height, width = gray.shape[:2]
    middle = gray[height // 5 : height - height // 5, width // 5 : width - width // 5]  # the text, not margins
    if scale <= 0.5:
        # Halved first on OpenCV's fast path for whole factors, the rest on a quarter of the pixels:
        # 2-3x faster at 300 dpi; scores move by under 5% (bench pages: blurred 2.5-2.8, sharp 4.2+).
        middle = cv2.resize(middle, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        scale *= 2
    small = cv2.resize(middle, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA).astype(np.float32)
    magnitude = cv2.magnitude(cv2.Sobel(small, cv2.CV_32F, 1, 0), cv2.Sobel(small, cv2.CV_32F, 0, 1))
    low, high = np.percentile(small[::3, ::3], (5, 95))  # a ninth of the pixels is plenty here
    return float(np.percentile(magnitude[::2, ::2], 99.5)) / max(float(high - low), 1.0)


def sharpen_if_blurred(gray: np.ndarray, dpi: int, notes: list[str] | None = None) -> np.ndarray:
    """Unsharp-mask a blurred page; sharp pages are left alone.

    Strong and wide (sigma 3 px at 300 dpi, amount 2): measured on the Đà Nẵng blur variants read at
    1.4x their capture resolution, CER 0.138/0.103 with sigma 2 and amount 1 -> 0.095/0.058 (plain
    Tesseract: 0.135/0.345); the gentler masks left the first one no better than plain.
    """
    score = sharpness(gray, dpi)
    if score >= 3.4:  # measured: sharp scans and photos 4.0-7.2, the blurred captures 2.6-2.8
        return gray
    blurred = cv2.GaussianBlur(gray, (0, 0), 3.0 * dpi / 300)
    if notes is not None:
        notes.append(f"blurred page sharpened (sharpness {score:.1f})")
    return cv2.addWeighted(gray, 3.0, blurred, -2.0, 0)


def clean_page(image: np.ndarray, dpi: int, notes: list[str] | None = None) -> np.ndarray:
    """All cleaning steps for an upright page (red ink first, then paper, shadows, noise)."""
    gray = drop_red(image, notes)
    gray = flatten_background(gray, dpi, notes)
    blobs = dark_blobs(gray, dpi)
    unshadowed = remove_border_shadows(gray, dpi, notes, blobs)
    # The same dark marks serve the punch holes unless a shadow was whitened (then label again).
    gray = remove_punch_holes(unshadowed, dpi, notes, blobs if unshadowed is gray else None)
    gray = denoise(gray, notes)
    return sharpen_if_blurred(gray, dpi, notes)


def ink_components(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Stats (x, y, w, h, area; at ~75 dpi) of letter-sized marks - the evidence of text.

    A local (adaptive) threshold makes this independent of the paper's shade, so it works before
    the background is flattened; marks under ~1 mm (dust, noise) and large ones
    (pictures, frames, shadows: over 3 cm tall or 6 cm wide) do not count.
    """
    small, scale = reduced_75(gray, dpi)
    if _last.components is not None:  # counted already on this very image (see _LastReduction)
        return _last.components
    ink = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 20)
    _, _, stats, _ = label_blobs(ink)
    stats = stats[1:]
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    px_per_mm = dpi * scale / 25.4
    letters = (area >= 3) & (h >= max(1.0 * px_per_mm, 2)) & (h <= 30 * px_per_mm) & (w <= 60 * px_per_mm)
    components = stats[letters]
    components.flags.writeable = False
    _last.components = components
    return components


def scan_fault(gray: np.ndarray) -> str | None:
    """Why the page is not a picture of paper, or None: an all-black page (scanner lid open, lamp or
    exposure fault) has lost whatever was on the sheet. It is no blank page: it must be rescanned."""
    sample = gray[::4, ::4]  # a sixteenth of the pixels is plenty for a share
    if sample.size and float(np.count_nonzero(sample < 64)) >= 0.99 * sample.size:
        return "the page is entirely black (scanner lid open, lamp or exposure fault): rescan the sheet"
    return None


def is_blank(gray: np.ndarray, dpi: int) -> bool:
    """True when the page holds too few letter-sized marks to be worth reading (< 3)."""
    return len(ink_components(gray, dpi)) < 3


def content_box(gray: np.ndarray, dpi: int, pad_inches: float = 0.15) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) around the page's ink, padded; the whole page when unsure."""
    height, width = gray.shape[:2]
    components = ink_components(gray, dpi)
    if len(components) < 3:
        return 0, 0, width, height
    scale = min(1.0, REDUCED_DPI / max(dpi, 1))
    pad = pad_inches * dpi
    x0 = max(int(components[:, 0].min() / scale - pad), 0)
    y0 = max(int(components[:, 1].min() / scale - pad), 0)
    x1 = min(int((components[:, 0] + components[:, 2]).max() / scale + pad), width)
    y1 = min(int((components[:, 1] + components[:, 3]).max() / scale + pad), height)
    return x0, y0, x1, y1


def letter_height(gray: np.ndarray, dpi: int) -> float | None:
    """Median height in ``gray``'s pixels of the letter-sized marks (~x-height plus some ascenders).

    Measured on a ~150 dpi Otsu binary (a pixel there is 2 at 300 dpi: fine enough to choose a
    reading scale). None when there are too few marks to judge.
    """
    scale = min(1.0, 150.0 / max(dpi, 1))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = label_blobs(ink)
    w, h, area = stats[1:, 2], stats[1:, 3], stats[1:, 4]
    # Letters: not dust or accents (< 3 px at 150 dpi), not rules, frames or pictures.
    letters = (h >= 3) & (h <= 0.1 * small.shape[0]) & (w >= 2) & (w <= 3 * h) & (area >= 6)
    if np.count_nonzero(letters) < 20:
        return None
    return float(np.median(h[letters])) / scale
