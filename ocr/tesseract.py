"""The one module that runs the Tesseract binary.

Why the CLI and not ``pytesseract.image_to_data``: measured here, handing Tesseract an
uncompressed PNM file costs the least (pytesseract round-trips the image through PIL and a PNG
temp file and parses the TSV in Python with more overhead). One Tesseract thread per process
(``OMP_THREAD_LIMIT=1``): its OpenMP threading is ~5x slower per page on a loaded machine.
"""

from __future__ import annotations

import csv
import io
import os
import functools
import re
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np

from schemas.errors import ConfigError, OcrFailed, OcrTimeout
from schemas.pages import Word

_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


@dataclass(frozen=True)
class Orientation:
    """Tesseract OSD's answer: how far the page is turned clockwise, and how sure it is."""

    rotation: int  # 0/90/180/270: the page lay turned this far clockwise from upright
    confidence: float  # Tesseract's orientation confidence (roughly > 2 is reliable)


class TesseractEngine:
    """:class:`ocr.engine.OcrEngine` backed by the ``tesseract`` command line program."""

    def __init__(
        self,
        lang: str = "vie",
        timeout: float = 120.0,
        cmd: str = "tesseract",
        psm: int = 3,
        extra_config: dict[str, str] | None = None,
    ) -> None:
        self.lang = lang
        self.timeout = timeout
        self.cmd = cmd
        self.psm = psm
        # Skipping the inverted-text retry saves ~10% on ordinary pages (no white-on-black text).
        self.config = {"tessedit_do_invert": "0", **(extra_config or {})}

    def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
        """Words of ``image`` (see :class:`ocr.engine.OcrEngine`)."""
        args = ["--psm", str(self.psm), "-l", self.lang]
        for key, value in self.config.items():
            args += ["-c", f"{key}={value}"]
        output = self._run(image, dpi, args + ["tsv"])
        return parse_tsv(output)

    def detect_orientation(self, image: np.ndarray, dpi: int) -> Orientation | None:
        """Tesseract OSD (``--psm 0``) on ``image``; None when it finds too little text to judge."""
        try:
            output = self._run(image, dpi, ["--psm", "0", "-l", "osd"])
        except OcrFailed:
            return None  # "Too few characters": not an error of the page, just no answer
        rotate = re.search(r"Rotate:\s*(\d+)", output)
        confidence = re.search(r"Orientation confidence:\s*([\d.]+)", output)
        if not rotate:
            return None
        # OSD's "Rotate" is how far to turn clockwise to make it upright; the page itself lay
        # turned the other way.
        rotation = (360 - int(rotate.group(1))) % 360
        return Orientation(rotation, float(confidence.group(1)) if confidence else 0.0)

    def _run(self, image: np.ndarray, dpi: int, args: list[str]) -> str:
        with tempfile.TemporaryDirectory(prefix="sohoa-tess-") as folder:
            path = os.path.join(folder, "page.pnm")
            if not cv2.imwrite(path, image):
                raise OcrFailed("cannot write the page image for Tesseract")
            command = [self.cmd, path, "stdout", "--dpi", str(max(int(dpi), 1)), *args]
            try:
                done = subprocess.run(
                    command, capture_output=True, timeout=self.timeout, env=_ENV, check=False
                )
            except FileNotFoundError as error:
                raise ConfigError(f"the Tesseract program {self.cmd!r} is not installed or not on PATH") from error
            except subprocess.TimeoutExpired as error:
                raise OcrTimeout(f"Tesseract did not finish within {self.timeout:g} s") from error
        stderr = done.stderr.decode("utf-8", "replace").strip()
        if done.returncode != 0:
            if "Failed loading language" in stderr or "Error opening data file" in stderr:
                raise ConfigError(f"Tesseract language data missing: {stderr.splitlines()[-1] if stderr else ''}")
            raise OcrFailed(f"Tesseract failed on the page (exit {done.returncode}): {stderr[-300:]}")
        return done.stdout.decode("utf-8", "replace")


def parse_tsv(output: str) -> list[Word]:
    """Tesseract TSV -> words (level-5 rows with text), confidences scaled to 0..1."""
    words: list[Word] = []
    reader = csv.reader(io.StringIO(output), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if not header:
        return words
    column = {name: index for index, name in enumerate(header)}
    for row in reader:
        if len(row) < len(header) or row[column["level"]] != "5":
            continue
        text = unicodedata.normalize("NFC", row[column["text"]].strip())
        conf = float(row[column["conf"]])
        if not text or conf < 0:
            continue
        left, top = int(row[column["left"]]), int(row[column["top"]])
        width, height = int(row[column["width"]]), int(row[column["height"]])
        words.append(
            Word(
                text=text,
                conf=min(max(conf / 100.0, 0.0), 1.0),
                bbox=(left, top, left + width, top + height),
                block=int(row[column["block_num"]]),
                par=int(row[column["par_num"]]),
                line=int(row[column["line_num"]]),
            )
        )
    return words


@functools.cache
def check_installation(cmd: str = "tesseract", lang: str = "vie") -> tuple[str, ...]:
    """Fail at start-up, naming the setting, when the program or a language of ``lang`` is missing.

    Returns the installed languages. Cached: a process checks once.
    """
    try:
        done = subprocess.run([cmd, "--list-langs"], capture_output=True, timeout=30, env=_ENV, check=False)
    except (FileNotFoundError, PermissionError) as error:
        raise ConfigError(f"SOHOA_TESSERACT_CMD: the Tesseract program {cmd!r} is not installed or not on PATH") from error
    except subprocess.TimeoutExpired as error:
        raise ConfigError(f"SOHOA_TESSERACT_CMD: {cmd!r} --list-langs did not answer within 30 s") from error
    if done.returncode != 0:
        raise ConfigError(f"SOHOA_TESSERACT_CMD: {cmd!r} --list-langs failed: {done.stderr.decode(errors='replace')[-200:]}")
    # The first line is a header ("List of available languages in ... (N):").
    installed = tuple(line.strip() for line in done.stdout.decode("utf-8", "replace").splitlines()[1:] if line.strip())
    missing = [code for code in lang.split("+") if code not in installed]
    if missing:
        raise ConfigError(
            f"SOHOA_OCR_LANG: Tesseract has no language data for {', '.join(missing)} "
            f"(installed: {', '.join(installed) or 'none'}; on Debian: apt-get install tesseract-ocr-<lang>)"
        )
    return installed
