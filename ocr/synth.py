"""Synthetic scanned pages with known text, turn and tilt - for tests and ``sohoa bench``.

A page is typeset with PIL in a Liberation/DejaVu font (Vietnamese capable), then optionally
turned by a multiple of 90°, tilted by a known angle (counter-clockwise positive, the convention
of ``PageText.skew``) and degraded with noise, uneven light and a red stamp.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)

SAMPLE_TEXT = (
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Số: 123/QĐ-UBND Quảng Ngãi, ngày 05 tháng 3 năm 2020\n"
    "QUYẾT ĐỊNH\n"
    "Về việc phê duyệt kế hoạch cải cách thủ tục hành chính năm 2020\n"
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;\n"
    "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 45/TTr-SNV.\n"
    "Điều 1. Phê duyệt kế hoạch cải cách thủ tục hành chính của tỉnh năm 2020.\n"
    "Điều 2. Giao Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành tổ chức thực hiện.\n"
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, Chủ tịch Ủy ban nhân dân\n"
    "các huyện, thành phố chịu trách nhiệm thi hành Quyết định này kể từ ngày ký.\n"
    "Nơi nhận: Như Điều 3; Lưu: VT, NC.\n"
    "TM. ỦY BAN NHÂN DÂN, CHỦ TỊCH Nguyễn Văn An\n"
)


@dataclass
class SynthPage:
    """A generated page image and what is known about it."""

    image: np.ndarray
    text: str
    dpi: int
    rotation: int = 0
    skew: float = 0.0


def font(size_px: int) -> ImageFont.FreeTypeFont:
    """The first installed Vietnamese-capable font at ``size_px`` pixels."""
    for path in FONT_CANDIDATES:
        try:
            return ImageFont.truetype(path, size_px)
        except OSError:
            continue
    raise RuntimeError("no Vietnamese-capable TrueType font installed")


def render_text_page(
    text: str = SAMPLE_TEXT,
    *,
    dpi: int = 300,
    width_in: float = 5.8,
    height_in: float = 4.1,
    font_pt: float = 12.0,
    margin_in: float = 0.4,
) -> SynthPage:
    """Typeset ``text`` (one output line per input line, wrapped to the width) on a white page.

    Defaults make an A6-landscape page: small enough for fast tests, large enough for OCR.
    """
    width, height = round(width_in * dpi), round(height_in * dpi)
    size_px = round(font_pt * dpi / 72)
    face = font(size_px)
    canvas = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(canvas)
    margin = round(margin_in * dpi)
    y = margin
    printed: list[str] = []
    for line in _wrap(text, face, width - 2 * margin):
        if y + size_px * 1.4 > height - margin:
            break
        draw.text((margin, y), line, font=face, fill=0)
        printed.append(line)
        y += round(size_px * 1.45)
    return SynthPage(np.asarray(canvas, dtype=np.uint8).copy(), "\n".join(printed), dpi)


def _wrap(text: str, face: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines():
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if face.getlength(candidate) <= max_width or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
        if current:
            lines.append(current)
    return lines


def turn(image: np.ndarray, rotation: int) -> np.ndarray:
    """The page as it would lie turned ``rotation`` degrees clockwise (0/90/180/270)."""
    turns = {0: 0, 90: 3, 180: 2, 270: 1}[rotation % 360]
    return np.ascontiguousarray(np.rot90(image, turns))


def tilt(image: np.ndarray, angle: float, border: int = 255) -> np.ndarray:
    """The page tilted ``angle`` degrees counter-clockwise, on an enlarged white canvas."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(height * sin + width * cos + 0.5), int(height * cos + width * sin + 0.5)
    matrix[0, 2] += new_w / 2 - width / 2
    matrix[1, 2] += new_h / 2 - height / 2
    value = (border,) * (image.shape[2] if image.ndim == 3 else 1)
    return cv2.warpAffine(
        image, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=value
    )


def degrade(image: np.ndarray, *, seed: int = 0, noise: float = 12.0, uneven: bool = True, stamp: bool = True) -> np.ndarray:
    """A scanner's and a clerk's damage: uneven light, Gaussian noise, a red round stamp (BGR out)."""
    rng = np.random.default_rng(seed)
    page = image.astype(np.float32)
    height, width = page.shape[:2]
    if uneven:
        gradient = np.linspace(0.75, 1.0, width, dtype=np.float32)[None, :]
        page = page * gradient
    page = page + rng.normal(0, noise, page.shape).astype(np.float32)
    grey = np.clip(page, 0, 255).astype(np.uint8)
    bgr = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    if stamp:
        rand = random.Random(seed)
        radius = min(height, width) // 6
        centre = (rand.randint(radius, width - radius), rand.randint(radius, height - radius))
        overlay = bgr.copy()
        cv2.circle(overlay, centre, radius, (40, 40, 220), thickness=max(radius // 12, 3))
        cv2.circle(overlay, centre, int(radius * 0.7), (40, 40, 220), thickness=max(radius // 20, 2))
        cv2.putText(overlay, "UBND", (centre[0] - radius // 2, centre[1]), cv2.FONT_HERSHEY_SIMPLEX,
                    radius / 60, (40, 40, 220), max(radius // 25, 2))
        # Stamp ink is translucent: black text under it stays dark.
        bgr = np.minimum(bgr, overlay)
    return bgr
