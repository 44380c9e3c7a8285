"""Fonts for generated pages: only families that carry every Vietnamese glyph, and a tofu check.

Liberation Serif 2 (the Times New Roman metric clone that Nghị định 30/2020 letters use), Noto
Serif / Sans and DejaVu Serif / Sans all cover Latin Extended Additional (ạ ả ấ ầ … ỹ) and đ/Đ.
``fonts-liberation`` 1.x does not, so it is never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

_ROOT = Path("/usr/share/fonts/truetype")


@dataclass(frozen=True)
class Family:
    """Regular / bold / italic / bold-italic files of one family."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def path(self, style: str) -> Path:
        """The file for ``style`` in {"regular", "bold", "italic", "bold_italic"}."""
        return getattr(self, style)


def _family(name: str, folder: str, stem: str, regular: str = "Regular", bold: str = "Bold",
            italic: str = "Italic", bold_italic: str = "BoldItalic") -> Family:
    base = _ROOT / folder
    return Family(name, base / f"{stem}-{regular}.ttf", base / f"{stem}-{bold}.ttf",
                  base / f"{stem}-{italic}.ttf", base / f"{stem}-{bold_italic}.ttf")


SERIF_FAMILIES = (
    _family("Liberation Serif", "liberation2", "LiberationSerif"),
    _family("Noto Serif", "noto", "NotoSerif"),
    Family("DejaVu Serif", _ROOT / "dejavu/DejaVuSerif.ttf", _ROOT / "dejavu/DejaVuSerif-Bold.ttf",
           _ROOT / "dejavu/DejaVuSerif-Italic.ttf", _ROOT / "dejavu/DejaVuSerif-BoldItalic.ttf"),
)
SANS_FAMILIES = (
    _family("Noto Sans", "noto", "NotoSans"),
    _family("Liberation Sans", "liberation2", "LiberationSans"),
    Family("DejaVu Sans", _ROOT / "dejavu/DejaVuSans.ttf", _ROOT / "dejavu/DejaVuSans-Bold.ttf",
           _ROOT / "dejavu/DejaVuSans-Oblique.ttf", _ROOT / "dejavu/DejaVuSans-BoldOblique.ttf"),
)
# "handwriting": an italic drawn with per-letter jitter in blue ink (no script font is installed)
HAND_FONTS = (
    _ROOT / "dejavu/DejaVuSerif-Italic.ttf",
    _ROOT / "noto/NotoSans-Italic.ttf",
    _ROOT / "liberation2/LiberationSerif-Italic.ttf",
)


def available_families() -> tuple[Family, ...]:
    """Families whose four files exist on this machine."""
    return tuple(f for f in SERIF_FAMILIES + SANS_FAMILIES
                 if all(f.path(s).exists() for s in ("regular", "bold", "italic", "bold_italic")))


@lru_cache(maxsize=64)
def cmap(path: Path) -> frozenset[int]:
    """Code points the font maps to a glyph."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str, path: Path) -> set[str]:
    """Characters of ``text`` (other than whitespace) that ``path`` has no glyph for."""
    have = cmap(path)
    return {ch for ch in text if not ch.isspace() and ord(ch) not in have}


@lru_cache(maxsize=256)
def pil_font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    """A cached PIL font at a pixel size."""
    return ImageFont.truetype(str(path), max(1, size_px))


_MEASURE_PX = 200


def text_width(text: str, path: Path, size_pt: float) -> float:
    """Advance width of ``text`` in points at ``size_pt``."""
    return pil_font(path, _MEASURE_PX).getlength(text) * size_pt / _MEASURE_PX
