"""The one module that runs Tesseract.

Two ways to reach it, the same words either way:

* **in process** (the default when ``libtesseract.so.5`` is there): the worker keeps one loaded
  Tesseract per thread and hands it the page's pixels directly. Measured on this machine: a
  ``tesseract`` process spends ~0.2 s CPU loading the ``vie`` model and writing/reading the page
  file before it reads a word - 15-20% of an A4 page's OCR, paid again on every page by the CLI;
  a warm worker pays it once. A deadline on Tesseract's progress monitor is the timeout.
* **the CLI** through pytesseract, given the name of an uncompressed PNM file (when the library is
  missing, or ``cmd`` names another binary). Measured: pytesseract's ``image_to_data`` handed an
  in-memory image round-trips it through PIL and a PNG temp file and cost ~2.9 s against 1.7 s for
  the program on the same page; handed a file name it passes it straight through.

Orientation detection (OSD) always runs the program: the library's OSD call takes no deadline,
the program can be killed at the timeout like any other call.

One Tesseract thread per process (``OMP_THREAD_LIMIT=1``): its OpenMP threading is ~5x slower per
page on a loaded machine.
"""

from __future__ import annotations

import csv
import io
import os
import functools
import re
import ctypes
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


@dataclass(frozen=True)
class Orientation:
    """Tesseract OSD's answer: how far the page is turned clockwise, and how sure it is."""

    rotation: int  # 0/90/180/270: the page lay turned this far clockwise from upright
    confidence: float  # Tesseract's orientation confidence (roughly > 2 is reliable)


class TesseractEngine:
    """:class:`ocr.engine.OcrEngine` backed by Tesseract: the library in process, or the ``tesseract``
    command line program (``in_process=False``, a custom ``cmd``, or no ``libtesseract.so.5``)."""

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
        # Skipping the inverted-text retry saves ~10% on ordinary pages (no white-on-black text).
        self.config = {"tessedit_do_invert": "0", **(extra_config or {})}
        # In process only for the stock binary: a custom ``cmd`` is the user's choice of program.
        self.in_process = (cmd == "tesseract") if in_process is None else in_process

    def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
        """Words of ``image`` (see :class:`ocr.engine.OcrEngine`)."""
        if self.in_process:
            api = self._api()
            if api is not None:
                return api.recognize(image, dpi, self.timeout)
        options = ["--psm", str(self.psm)]
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
            library = _library()
            if library is None:
                self.in_process = False
                return None
            api = loaded[key] = _LoadedTesseract(library, self.lang, self.psm, self.config)
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


# The CLI's TSV renderer writes this header; the library's GetTsvText gives only the rows.
TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"

_LIBRARY: ctypes.CDLL | None = None
_LIBRARY_LOCK = threading.Lock()
# Loaded Tesseracts of this thread by settings (a TessBaseAPI must not be shared between threads).
_LOADED = threading.local()


def _library() -> ctypes.CDLL | None:
    """``libtesseract.so.5`` with the C API signatures we use, loaded once; None when missing."""
    global _LIBRARY
    with _LIBRARY_LOCK:
        if _LIBRARY is None:
            # OpenMP reads its limit when the library loads: it must be in the environment first.
            os.environ["OMP_THREAD_LIMIT"] = "1"
            try:
                library = ctypes.CDLL("libtesseract.so.5")
            except OSError:
                return None
            pointer, text, integer = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
            box = [pointer, integer] + [ctypes.POINTER(integer)] * 4
            for name, restype, argtypes in (
                ("TessBaseAPICreate", pointer, []),
                ("TessBaseAPIInit3", integer, [pointer, text, text]),
                ("TessBaseAPISetPageSegMode", None, [pointer, integer]),
                ("TessBaseAPISetVariable", integer, [pointer, text, text]),
                ("TessBaseAPISetImage", None, [pointer, pointer, integer, integer, integer, integer]),
                ("TessBaseAPISetSourceResolution", None, [pointer, integer]),
                ("TessBaseAPIRecognize", integer, [pointer, pointer]),
                ("TessBaseAPIGetIterator", pointer, [pointer]),
                ("TessResultIteratorGetPageIterator", pointer, [pointer]),
                ("TessResultIteratorNext", integer, [pointer, integer]),
                ("TessResultIteratorGetUTF8Text", pointer, [pointer, integer]),
                ("TessResultIteratorConfidence", ctypes.c_float, [pointer, integer]),
                ("TessResultIteratorDelete", None, [pointer]),
                ("TessPageIteratorIsAtBeginningOf", integer, [pointer, integer]),
                ("TessPageIteratorBoundingBox", integer, box),
                ("TessBaseAPIClear", None, [pointer]),
                ("TessBaseAPIDelete", None, [pointer]),
                ("TessDeleteText", None, [pointer]),
                ("TessMonitorCreate", pointer, []),
                ("TessMonitorDelete", None, [pointer]),
                ("TessMonitorSetDeadlineMSecs", None, [pointer, integer]),
            ):
                function = getattr(library, name)
                function.restype, function.argtypes = restype, argtypes
            _LIBRARY = library
    return _LIBRARY


# Tesseract's page iterator levels (PageIteratorLevel).
_RIL_BLOCK, _RIL_PARA, _RIL_TEXTLINE, _RIL_WORD = 0, 1, 2, 3


class _LoadedTesseract:
    """One initialised Tesseract (model loaded once), used by one thread."""

    def __init__(self, library: ctypes.CDLL, lang: str, psm: int, config: dict[str, str]) -> None:
        self.library = library
        self.handle = library.TessBaseAPICreate()
        if library.TessBaseAPIInit3(self.handle, None, lang.encode()) != 0:
            library.TessBaseAPIDelete(self.handle)
            self.handle = None
            raise ConfigError(f"Tesseract language data missing: cannot load {lang!r}")
        library.TessBaseAPISetPageSegMode(self.handle, psm)
        # Tesseract's progress chatter ("Detected 281 diacritics") would fill the worker's log.
        for key, value in {"debug_file": os.devnull, **config}.items():
            if not library.TessBaseAPISetVariable(self.handle, key.encode(), value.encode()):
                raise ConfigError(f"unknown Tesseract setting {key!r}")

    def recognize(self, image: np.ndarray, dpi: int, timeout: float) -> list[Word]:
        """Words of the 8-bit grey or BGR ``image``; OcrTimeout past ``timeout``."""
        library, handle = self.library, self.handle
        monitor = library.TessMonitorCreate()
        try:
            pixels = self._set_image(image, dpi)  # noqa: F841 - kept alive while Tesseract reads it
            library.TessMonitorSetDeadlineMSecs(monitor, max(int(timeout * 1000), 1))
            if library.TessBaseAPIRecognize(handle, monitor) != 0:
                # The monitor's deadline is the only way recognition of a valid image stops short.
                raise OcrTimeout(f"Tesseract did not finish within {timeout:g} s")
            return self._words()
        finally:
            library.TessBaseAPIClear(handle)  # drop the page's image and results, keep the model
            library.TessMonitorDelete(monitor)

    def _words(self) -> list[Word]:
        """The recognised words, walked with Tesseract's result iterator: the words, boxes,
        confidences and block/paragraph/line numbers its TSV gives, at half the cost. Measured on an A4 page of 542 words: 56 ms against 115 ms for
        ``GetTsvText`` and 5 ms more to parse it (the TSV renderer assembles every word symbol by
        symbol and boxes every block, paragraph and line)."""
        library = self.library
        iterator = library.TessBaseAPIGetIterator(self.handle)
        if not iterator:
            return []  # nothing was found on the page
        page = library.TessResultIteratorGetPageIterator(iterator)
        left, top, right, bottom = (ctypes.c_int() for _ in range(4))
        words: list[Word] = []
        block = par = line = 0
        try:
            while True:
                if library.TessPageIteratorIsAtBeginningOf(page, _RIL_BLOCK):
                    block, par, line = block + 1, 0, 0
                if library.TessPageIteratorIsAtBeginningOf(page, _RIL_PARA):
                    par, line = par + 1, 0
                if library.TessPageIteratorIsAtBeginningOf(page, _RIL_TEXTLINE):
                    line += 1
                pointer = library.TessResultIteratorGetUTF8Text(iterator, _RIL_WORD)
                if pointer:
                    try:
                        text = unicodedata.normalize("NFC", ctypes.string_at(pointer).decode("utf-8", "replace").strip())
                    finally:
                        library.TessDeleteText(pointer)
                    # Six decimals, as the TSV prints it (std::to_string): the same words either way.
                    conf = float(f"{library.TessResultIteratorConfidence(iterator, _RIL_WORD):.6f}")
                    if text and conf >= 0:
                        library.TessPageIteratorBoundingBox(page, _RIL_WORD, left, top, right, bottom)
                        words.append(Word(text=text, conf=min(max(conf / 100.0, 0.0), 1.0),
                                          bbox=(left.value, top.value, right.value, bottom.value),
                                          block=block, par=par, line=line))
                if not library.TessResultIteratorNext(iterator, _RIL_WORD):
                    return words
        finally:
            library.TessResultIteratorDelete(iterator)

    def _set_image(self, image: np.ndarray, dpi: int) -> np.ndarray:
        """Hand the 8-bit grey (or BGR) ``image`` to Tesseract; returns the pixel buffer it reads,
        which the caller keeps alive until Tesseract is done with it."""
        if image.ndim == 3:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        pixels = np.ascontiguousarray(image, dtype=np.uint8)
        self.library.TessBaseAPISetImage(self.handle, pixels.ctypes.data, pixels.shape[1], pixels.shape[0], 1,
                                         pixels.strides[0])
        self.library.TessBaseAPISetSourceResolution(self.handle, max(int(dpi), 1))
        return pixels

    def __del__(self) -> None:
        if getattr(self, "handle", None):
            self.library.TessBaseAPIDelete(self.handle)


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
