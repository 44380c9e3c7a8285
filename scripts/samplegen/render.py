"""Render the page model: to a PIL image at a DPI (for scans) or to a PDF with a real text layer."""

from __future__ import annotations

import io
import math
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from .fonts import pil_font
from .layout import Box, Page, Rule, Scribble, Stamp, Text


def raster(page: Page, dpi: int) -> Image.Image:
    """The clean, upright page as an RGB image at ``dpi``."""
    k = dpi / 72.0
    size = (round(page.width * k), round(page.height * k))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    stamps = Image.new("RGB", size, "white")
    for op in page.ops:
        if isinstance(op, Box):
            draw.rectangle([op.x0 * k, op.y0 * k, op.x1 * k, op.y1 * k], fill=op.fill)
    for op in page.ops:
        if isinstance(op, Text):
            if op.hand:
                _hand_text(draw, op, k)
            else:
                draw.text((op.x * k, op.y * k), op.text, font=pil_font(op.font, round(op.size * k)),
                          fill=op.color, anchor="ls")
        elif isinstance(op, Rule):
            draw.line([op.x0 * k, op.y0 * k, op.x1 * k, op.y1 * k], fill=op.color, width=max(1, round(op.width * k)))
        elif isinstance(op, Scribble):
            pts = [(x * k, y * k) for x, y in op.points]
            draw.line(pts, fill=op.color, width=max(1, round(op.width * k)), joint="curve")
        elif isinstance(op, Stamp):
            _stamp(stamps, op, k)
    # the seal is ink on top of the print: darken, so black text under it stays black
    return ImageChops.darker(image, stamps)


def _hand_text(draw: ImageDraw.ImageDraw, op: Text, k: float) -> None:
    """Letters with wobbling size and baseline, as if written with a ball pen."""
    rng = random.Random(op.seed)
    x = op.x * k
    for ch in op.text:
        size = round(op.size * k * rng.uniform(0.92, 1.12))
        font = pil_font(op.font, size)
        y = op.y * k + rng.uniform(-0.08, 0.08) * size
        draw.text((x, y), ch, font=font, fill=op.color, anchor="ls")
        x += font.getlength(ch) * rng.uniform(0.97, 1.08)


def _stamp(image: Image.Image, op: Stamp, k: float) -> None:
    """Rings, star and the agency name around the rim, each letter turned to follow the circle."""
    draw = ImageDraw.Draw(image)
    cx, cy, r = op.cx * k, op.cy * k, op.r * k
    width = max(2, round(r * 0.05))
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=op.color, width=width)
    inner = r * 0.68
    draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], outline=op.color, width=max(1, width // 2))
    star = []
    for i in range(10):
        rad = inner * (0.45 if i % 2 == 0 else 0.18)
        a = -math.pi / 2 + i * math.pi / 5
        star.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    draw.polygon(star, fill=op.color)
    text = op.ring_text
    size = max(6, round(r * 0.2))
    font = pil_font(op.font, size)
    radius = r * 0.84
    span = min(1.75 * math.pi, len(text) * size * 0.62 / radius)
    start = -math.pi / 2 - span / 2
    for i, ch in enumerate(text):
        if ch == " ":
            continue
        a = start + span * (i + 0.5) / len(text)
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size, size), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BILINEAR)
        gx, gy = cx + radius * math.cos(a) - size, cy + radius * math.sin(a) - size
        image.paste(Image.new("RGB", glyph.size, op.color), (round(gx), round(gy)), glyph)


def pdf_bytes(pages: list[Page], title: str = "") -> bytes:
    """A born-digital PDF: text drawn with the embedded TrueType fonts (a real, extractable text layer)."""
    from reportlab.lib.colors import Color
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(pages[0].width, pages[0].height), invariant=1, pageCompression=1)
    canvas.setTitle(title)
    for page in pages:
        canvas.setPageSize((page.width, page.height))
        h = page.height

        def rgb(c: tuple[int, int, int]) -> Color:
            return Color(c[0] / 255, c[1] / 255, c[2] / 255)

        for op in page.ops:
            if isinstance(op, Box):
                canvas.setFillColor(rgb(op.fill))
                canvas.rect(op.x0, h - op.y1, op.x1 - op.x0, op.y1 - op.y0, stroke=0, fill=1)
        for op in page.ops:
            if isinstance(op, Text):
                canvas.setFillColor(rgb(op.color))
                canvas.setFont(_register(op.font), op.size)
                canvas.drawString(op.x, h - op.y, op.text)
            elif isinstance(op, Rule):
                canvas.setStrokeColor(rgb(op.color))
                canvas.setLineWidth(op.width)
                canvas.line(op.x0, h - op.y0, op.x1, h - op.y1)
            elif isinstance(op, Scribble):
                canvas.setStrokeColor(rgb(op.color))
                canvas.setLineWidth(op.width)
                path = canvas.beginPath()
                path.moveTo(op.points[0][0], h - op.points[0][1])
                for x, y in op.points[1:]:
                    path.lineTo(x, h - y)
                canvas.drawPath(path, stroke=1, fill=0)
            elif isinstance(op, Stamp):
                _pdf_stamp(canvas, op, h, rgb(op.color))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _pdf_stamp(canvas, op: Stamp, h: float, color) -> None:
    """The seal as vector art: rings and star only, so the text layer holds just the document's text."""
    canvas.saveState()
    canvas.setStrokeColor(color)
    canvas.setFillColor(color)
    cx, cy = op.cx, h - op.cy
    canvas.setLineWidth(op.r * 0.05)
    canvas.circle(cx, cy, op.r, stroke=1, fill=0)
    canvas.setLineWidth(op.r * 0.025)
    canvas.circle(cx, cy, op.r * 0.68, stroke=1, fill=0)
    path = canvas.beginPath()
    for i in range(10):
        rad = op.r * 0.68 * (0.45 if i % 2 == 0 else 0.18)
        a = math.pi / 2 - i * math.pi / 5
        x, y = cx + rad * math.cos(a), cy + rad * math.sin(a)
        path.moveTo(x, y) if i == 0 else path.lineTo(x, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


_REGISTERED: dict[Path, str] = {}


def _register(path: Path) -> str:
    """Register a TTF with reportlab once; returns its name."""
    if path not in _REGISTERED:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        name = path.stem
        pdfmetrics.registerFont(TTFont(name, str(path)))
        _REGISTERED[path] = name
    return _REGISTERED[path]
