"""The one module that runs Tesseract.

Two ways to reach it:

* **in process** (the default, through ``tesserocr``): the worker keeps one loaded Tesseract per
  thread and hands it the page's pixels directly. Measured on this machine: a ``tesseract``
  process spends ~0.2 s CPU loading the ``vie`` model and writing/reading the page file before it
  reads a word - 15-20% of an A4 page's OCR, paid again on every page by the CLI; a warm worker
  pays it once. ``tesserocr``'s own Tesseract (5.5, no OpenMP) reads the installed program's
  models 16% faster than Debian's library (see :class:`_LoadedTesseract`). A deadline on
  Tesseract's progress monitor is the timeout.
* **the CLI** through pytesseract, given the name of an uncompressed PNM file (when ``tesserocr``
  is missing, or ``cmd`` names another binary). Measured: pytesseract's ``image_to_data`` handed an
  in-memory image round-trips it through PIL and a PNG temp file and cost ~2.9 s against 1.7 s for
  the program on the same page; handed a file name it passes it straight through.

Orientation detection (OSD) always runs the program: the library's OSD call takes no deadline,
the program can be killed at the timeout like any other call.

One Tesseract thread per process: the program runs with ``OMP_THREAD_LIMIT=1`` (its OpenMP
threading is ~5x slower per page on a loaded machine); the library in process has no OpenMP.
"""

from __future__ import annotations

import csv
import io
import os
import functools
import re
import subprocess
import tempfile
import threading
import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np

from schemas.errors import ConfigError, OcrFailed, OcrTimeout
from schemas.pages import Word

_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}

DEFAULT_CONFIG = {
    # Skipping the inverted-text retry saves ~10% on ordinary pages (no white-on-black text).
    "tessedit_do_invert": "0",
    # Paragraphs found from the page's layout instead of by a second pass over the recognised
    # text. Measured on the 24 bench pages (the images the page path hands Tesseract, one thread,
    # three pairs in turns): 6% less OCR CPU, the same words, boxes and lines; only the paragraph
    # numbers differ, and paragraphs serve nothing here but to tell lines apart (``line_key``).
    "paragraph_text_based": "0",
}
"""Tesseract settings of every reading, in process and by the program (an engine's ``extra_config``
adds to or overrides them)."""

SINGLE_BLOCK = 6
"""Tesseract's page segmentation mode for "a single uniform block of text"."""


@dataclass(frozen=True)
class Orientation:
    """Tesseract OSD's answer: how far the page is turned clockwise, and how sure it is."""

    rotation: int  # 0/90/180/270: the page lay turned this far clockwise from upright
    confidence: float  # Tesseract's orientation confidence (roughly > 2 is reliable)


class TesseractEngine:
    """:class:`ocr.engine.OcrEngine` backed by Tesseract: the library in process, or the ``tesseract``
    command line program (``in_process=False``, a custom ``cmd``, or no ``tesserocr``)."""

    def __init__(
        self,
        lang: str = "vie",
        timeout: float = 120.0,
        cmd: str = "tesseract",
        psm: int = 3,
        extra_config: dict[str, str] | None = None,
        in_process: bool | None = None,
    ) -> None:
        self.lang = lang
        self.timeout = timeout
        self.cmd = cmd
        self.psm = psm
        self.config = {**DEFAULT_CONFIG, **(extra_config or {})}
        # In process only for the stock binary: a custom ``cmd`` is the user's choice of program.
        self.in_process = (cmd == "tesseract") if in_process is None else in_process

    def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
        """Words of ``image`` (see :class:`ocr.engine.OcrEngine`)."""
        if self.in_process:
            api = self._api()
            if api is not None:
                return api.recognize(image, dpi, self.timeout)
        return self._run_tsv(image, dpi, self.psm)

    def recognize_block(self, image: np.ndarray, dpi: int) -> list[Word]:
        """Words of ``image`` read as one block of text lines (psm 6: no page layout analysis; see
        :class:`ocr.engine.BlockReader`). In process it is the same loaded model, switched for the call."""
        if self.in_process:
            api = self._api()
            if api is not None:
                return api.recognize(image, dpi, self.timeout, psm=SINGLE_BLOCK)
        return self._run_tsv(image, dpi, SINGLE_BLOCK)

    def _run_tsv(self, image: np.ndarray, dpi: int, psm: int) -> list[Word]:
        options = ["--psm", str(psm)]
        for key, value in self.config.items():
            options += ["-c", f"{key}={value}"]
        return parse_tsv(self._run(image, dpi, self.lang, options, "tsv"))

    def detect_orientation(self, image: np.ndarray, dpi: int) -> Orientation | None:
        """Tesseract OSD (``--psm 0``) on ``image``; None when it finds too little text to judge.

        Always the program, under the engine's timeout: the library's OSD call takes no deadline
        (no progress monitor), and a call that cannot be stopped has no place in a worker. OSD only
        settles the pages the line heuristic is unsure of (~1 in 10), so the program's start-up
        (~0.2 s) costs ~0.02 s per page on average.
        """
        try:
            output = self._run(image, dpi, "osd", ["--psm", "0"], "osd")
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

    def _api(self) -> _LoadedTesseract | None:
        """This thread's loaded Tesseract, or None when the library cannot be loaded (use the CLI).

        Shared by every engine of the same settings in the thread: callers that build an engine
        per file (``sohoa eval``) still load the model once.
        """
        key = (self.lang, self.psm, tuple(sorted(self.config.items())))
        loaded = getattr(_LOADED, "apis", None)
        if loaded is None:
            loaded = _LOADED.apis = {}
        api = loaded.get(key)
        if api is None:
            module = _tesserocr()
            if module is None:
                self.in_process = False
                return None
            api = loaded[key] = _LoadedTesseract(module, self.lang, self.psm, self.config, tessdata_dir(self.cmd))
        return api

    def _run(self, image: np.ndarray, dpi: int, lang: str, options: list[str], kind: str) -> str:
        """The ``tesseract`` program's ``kind`` output (``tsv`` or ``osd``) for ``image``, via pytesseract.

        pytesseract is handed the name of an uncompressed PNM file, so it passes the file straight
        to the program (no PIL round trip); its errors are translated here into Sohoa's.
        """
        import pytesseract
        from pytesseract import pytesseract as runner

        with tempfile.TemporaryDirectory(prefix="sohoa-tess-") as folder:
            path = os.path.join(folder, "page.pnm")
            if not cv2.imwrite(path, image):
                raise OcrFailed("cannot write the page image for Tesseract")
            runner.tesseract_cmd = self.cmd  # one program per process: the settings' SOHOA_TESSERACT_CMD
            os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # pytesseract's child inherits the environment
            config = " ".join(["--dpi", str(max(int(dpi), 1)), *options])
            try:
                if kind == "tsv":
                    return pytesseract.image_to_data(path, lang=lang, config=config, timeout=self.timeout)
                return pytesseract.image_to_osd(path, lang=lang, config=config, timeout=self.timeout)
            except pytesseract.TesseractNotFoundError as error:
                raise ConfigError(f"the Tesseract program {self.cmd!r} is not installed or not on PATH") from error
            except subprocess.CalledProcessError as error:
                # pytesseract's version check failed: the program does not run as a Tesseract. Start-up
                # (check_installation) stops on that; reaching it here, the page fails with the reason.
                raise OcrFailed(f"the Tesseract program {self.cmd!r} does not run: {error}") from error
            except pytesseract.TesseractError as error:
                message = str(error.message).strip()
                if "Failed loading language" in message or "Error opening data file" in message:
                    raise ConfigError(f"Tesseract language data missing: {message.splitlines()[-1]}") from error
                raise OcrFailed(f"Tesseract failed on the page (exit {error.status}): {message[-300:]}") from error
            except RuntimeError as error:  # pytesseract's "Tesseract process timeout" (it killed the program)
                if "timeout" in str(error).lower():
                    raise OcrTimeout(f"Tesseract did not finish within {self.timeout:g} s") from error
                raise


# Loaded Tesseracts of this thread by settings (a TessBaseAPI must not be shared between threads).
_LOADED = threading.local()


@functools.cache
def _tesserocr():
    """The ``tesserocr`` module, or None when it is not installed (then the program is used)."""
    try:
        import tesserocr
    except ImportError:
        return None
    return tesserocr


@functools.cache
def tessdata_dir(cmd: str = "tesseract") -> str | None:
    """Where the installed ``tesseract`` program finds its language data (the folder its
    ``--list-langs`` names), so the library reads the very same models; None if it does not say."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    try:
        done = subprocess.run([cmd, "--list-langs"], capture_output=True, timeout=30, env=_ENV, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'"([^"]+)"', (done.stdout or done.stderr).decode("utf-8", "replace"))
    return found.group(1) if found else None


class _LoadedTesseract:
    """One initialised Tesseract (model loaded once), used by one thread, through ``tesserocr``.

    ``tesserocr``'s wheel carries its own Tesseract (5.5) built without OpenMP. Measured on three
    bench pages (A4 300 dpi read at 200 dpi, 187-542 words), interleaved, CPU time: 4.90 s against
    5.86 s through ``ctypes`` on Debian's ``libtesseract.so.5`` (5.3, built with OpenMP: even kept to
    one thread, its parallel regions cost time on every step of the recognizer) - 16% less, with
    the same models (the folder the ``tesseract`` program reads) and an installation by ``pip``
    alone (no compiler, no -dev packages). The words are the same but for a few (see the tests).
    """

    def __init__(self, module, lang: str, psm: int, config: dict[str, str], tessdata: str | None) -> None:
        self.module = module
        try:
            self.api = module.PyTessBaseAPI(path=tessdata or "", lang=lang, psm=psm)
        except RuntimeError as error:
            raise ConfigError(f"Tesseract language data missing: cannot load {lang!r} from {tessdata}") from error
        # Tesseract's progress chatter ("Detected 281 diacritics") would fill the worker's log.
        for key, value in {"debug_file": os.devnull, **config}.items():
            if not self.api.SetVariable(key, value):
                raise ConfigError(f"unknown Tesseract setting {key!r}")

    def recognize(self, image: np.ndarray, dpi: int, timeout: float, psm: int | None = None) -> list[Word]:
        """Words of the 8-bit grey or BGR ``image``; OcrTimeout past ``timeout``. ``psm``: another
        page segmentation mode for this call only (the model is the same: no second load)."""
        if image.ndim == 3:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        pixels = np.ascontiguousarray(image, dtype=np.uint8)
        api = self.api
        own_psm = api.GetPageSegMode()
        if psm is not None:
            api.SetPageSegMode(psm)
        try:
            api.SetImageBytes(pixels.tobytes(), pixels.shape[1], pixels.shape[0], 1, pixels.strides[0])
            api.SetSourceResolution(max(int(dpi), 1))
            # The deadline is the only way recognition of a valid image stops short.
            if not api.Recognize(timeout=max(int(timeout * 1000), 1)):
                raise OcrTimeout(f"Tesseract did not finish within {timeout:g} s")
            return self._words()
        finally:
            api.Clear()  # drop the page's image and results, keep the model
            if psm is not None:
                api.SetPageSegMode(own_psm)

    def _words(self) -> list[Word]:
        """The recognised words with the words, boxes, confidences and block/paragraph/line
        numbers the program's TSV gives, walked with the result iterator (measured on an A4 page
        of 542 words: 56 ms, against 120 ms to have the TSV written and parsed)."""
        level = self.module.RIL
        iterator = self.api.GetIterator()
        if iterator is None:
            return []  # nothing was found on the page
        words: list[Word] = []
        block = par = line = 0
        while True:
            # A block begins with a paragraph and a paragraph with a line: most words begin neither,
            # so the line is asked first (the three questions were most of the walk's time).
            if iterator.IsAtBeginningOf(level.TEXTLINE):
                if iterator.IsAtBeginningOf(level.PARA):
                    if iterator.IsAtBeginningOf(level.BLOCK):
                        block, par = block + 1, 0
                    par, line = par + 1, 0
                line += 1
            try:
                text = unicodedata.normalize("NFC", iterator.GetUTF8Text(level.WORD).strip())
            except RuntimeError:  # tesserocr's "No text returned": an empty element
                text = ""
            # Six decimals, as the TSV prints it (std::to_string).
            conf = float(f"{iterator.Confidence(level.WORD):.6f}") if text else -1.0
            if text and conf >= 0:
                box = iterator.BoundingBox(level.WORD)
                if box:
                    words.append(Word(text=text, conf=min(max(conf / 100.0, 0.0), 1.0), bbox=tuple(box),
                                      block=block, par=par, line=line))
            if not iterator.Next(level.WORD):
                return words


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


@functools.cache
def tesseract_version(cmd: str = "tesseract") -> str:
    """The first line of ``tesseract --version`` ("tesseract 5.3.0"); "unknown" when it does not run."""
    try:
        done = subprocess.run([cmd, "--version"], capture_output=True, timeout=30, env=_ENV, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (done.stdout or done.stderr).decode("utf-8", "replace").splitlines()
    return lines[0].strip() if lines else "unknown"
