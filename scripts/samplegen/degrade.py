"""Scanner effects on a clean upright page, each recorded by name in the ground truth.

Conventions (docs/architecture.md): ``rotation`` is how the page lay on the scan, 0/90/180/270 degrees
clockwise from upright; ``skew`` is the further tilt of its text lines, degrees counter-clockwise
positive. Turning the scan back by ``skew`` clockwise and ``rotation`` counter-clockwise gives
the upright page again.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageFilter


@dataclass
class ScanOptions:
    """What the scanner may do to pages (the eval set uses rotations and a wide skew)."""

    rotations: tuple[int, ...] = (0,) * 12 + (90, 180, 270)
    max_skew: float = 4.0
    degrade: bool = True
    bilevel_rate: float = 0.12
    jpeg_rate: float = 0.3


@dataclass
class Scan:
    """The scanned image and what was done to it."""

    image: Image.Image
    rotation: int
    skew: float
    degradations: list[str] = field(default_factory=list)


def scan(page: Image.Image, rng: random.Random, options: ScanOptions) -> Scan:
    """Turn, tilt and degrade ``page`` as a flatbed scanner or a phone camera would."""
    rotation = rng.choice(options.rotations) if options.rotations else 0
    skew = round(rng.uniform(-options.max_skew, options.max_skew), 1) if options.max_skew > 0 else 0.0
    done: list[str] = []
    image = page
    if options.degrade and rng.random() < 0.5:
        image, name = _light(image, rng)
        done.append(name)
    if rotation:
        # clockwise turn of the paper = PIL's counter-clockwise transpose by 360 - rotation
        image = image.transpose({90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                                 270: Image.Transpose.ROTATE_90}[rotation])
    if skew:
        image = _tilt(image, skew)
    if options.degrade:
        image, more = _noise_blur(image, rng)
        done += more
        if rng.random() < options.bilevel_rate:
            image = _bilevel(image)
            done.append("bilevel")
        elif rng.random() < options.jpeg_rate:
            image = _jpeg(image, rng)
            done.append("jpeg")
    return Scan(image, rotation, skew, done)


def _tilt(image: Image.Image, degrees: float) -> Image.Image:
    """Rotate counter-clockwise by ``degrees`` on a canvas grown to hold the corners (paper-coloured)."""
    arr = np.asarray(image.convert("RGB"))
    h, w = arr.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    fill = tuple(int(c) for c in arr[2, 2])
    out = cv2.warpAffine(arr, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=fill)
    return Image.fromarray(out)


def _light(image: Image.Image, rng: random.Random) -> tuple[Image.Image, str]:
    """Grey paper or a light gradient across the page (a lid not closed, a phone photo)."""
    arr = np.asarray(image, dtype=np.float32)
    h, w = arr.shape[:2]
    if rng.random() < 0.5:
        tone = rng.uniform(0.82, 0.93)
        return Image.fromarray(np.clip(arr * tone + rng.uniform(0, 8), 0, 255).astype(np.uint8)), "grey_background"
    gx = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    gy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    a, b = rng.uniform(-1, 1), rng.uniform(-1, 1)
    field_ = 1.0 - rng.uniform(0.15, 0.35) * np.clip(a * gx + b * gy + rng.uniform(-0.3, 0.3), 0, 1)
    return Image.fromarray(np.clip(arr * field_[..., None], 0, 255).astype(np.uint8)), "uneven_light"


def _noise_blur(image: Image.Image, rng: random.Random) -> tuple[Image.Image, list[str]]:
    done = []
    if rng.random() < 0.4:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.0)))
        done.append("blur")
    if rng.random() < 0.6:
        nrng = np.random.default_rng(rng.randrange(1 << 31))
        arr = np.asarray(image, dtype=np.float32)
        sigma = np.float32(rng.uniform(4, 12))
        arr = arr + (nrng.standard_normal(arr.shape[:2], dtype=np.float32) * sigma)[..., None]
        specks = nrng.random(arr.shape[:2]) < rng.uniform(0.0002, 0.001)
        arr[specks] = 40
        image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        done.append("noise")
    return image, done


def _bilevel(image: Image.Image) -> Image.Image:
    """A 1-bit fax-like page (global threshold, as cheap scanners do)."""
    grey = image.convert("L")
    return grey.point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.Dither.NONE)


def _jpeg(image: Image.Image, rng: random.Random) -> Image.Image:
    """Blocky JPEG artefacts from a low quality setting."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=rng.randint(25, 55))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
