"""ocr.page.read_page and ocr.tesseract: the page path end to end (fake engine and real Tesseract)."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata

import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein

from ocr.decode import RawPage, split_pages
from ocr.engine import OcrEngine
from ocr.page import PageOptions, read_page
from ocr.synth import degrade, render_text_page, tilt, turn
from ocr.tesseract import TesseractEngine, parse_tsv
from schemas.errors import ConfigError, OcrFailed, OcrTimeout
from schemas.pages import Word
from tests.conftest import REALDATA as REAL
from tests.fakes_ocr import FakeOcrEngine

has_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def _cer(hypothesis: str, truth: str) -> float:
    norm = lambda text: " ".join(unicodedata.normalize("NFC", text).split())  # noqa: E731
    return Levenshtein.distance(norm(hypothesis), norm(truth)) / len(norm(truth))


@pytest.fixture(scope="module")
def small_page():
    return render_text_page(dpi=300)  # A6 landscape


def test_fake_engine_is_an_ocr_engine():
    assert isinstance(FakeOcrEngine(["a"]), OcrEngine)
    assert isinstance(TesseractEngine(), OcrEngine)


def test_text_layer_page_skips_ocr():
    words = [Word(text="Số:", conf=1.0, bbox=(10, 10, 50, 30))]
    engine = FakeOcrEngine(["never"])
    page = read_page(RawPage(2, 300, None, words, 2480, 3508, []), engine)
    assert page.text_source == "text_layer" and page.mean_conf == 1.0 and page.words == words
    assert engine.calls == [] and (page.width, page.height, page.page_no) == (2480, 3508, 2)


def test_blank_page_costs_no_ocr():
    image = np.full((1200, 900), 250, dtype=np.uint8)
    image[100:103, 100:103] = 0  # a speck of dust
    engine = FakeOcrEngine(["never"])
    page = read_page(RawPage(1, 300, image, None, 900, 1200, []), engine)
    assert page.blank and page.words == [] and engine.calls == []


def test_turned_tilted_page_is_measured_and_boxes_mapped_to_the_page(small_page):
    image = tilt(turn(small_page.image, 90), 4.0)
    word = Word(text="Quyết", conf=0.9, bbox=(20, 40, 120, 80), block=1, par=1, line=1)
    engine = FakeOcrEngine([word])
    page = read_page(RawPage(1, 300, image, None, image.shape[1], image.shape[0], []), engine)
    assert page.rotation == 90 and abs(page.skew - 4.0) < 0.1
    assert page.width > page.height  # upright A6 landscape again
    (shape, dpi), = engine.calls
    assert 150 <= dpi <= 200  # 12 pt print: read at about the default OCR resolution
    x0, y0, x1, y1 = page.words[0].bbox  # the engine's box, scaled back to the page's 300 dpi
    assert x1 - x0 == pytest.approx(100 * 300 / dpi, abs=2) and y1 - y0 == pytest.approx(40 * 300 / dpi, abs=2)
    assert set(page.timings_ms) >= {"orient", "deskew", "clean", "ocr"}


def test_parse_tsv_keeps_words_with_text_and_scales_confidence():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.5\tNghi\u0323\n"
        "5\t1\t1\t1\t1\t2\t45\t20\t30\t12\t95\t \n"
    )
    (word,) = parse_tsv(tsv)
    assert word.text == "Nghị" and word.conf == pytest.approx(0.965) and word.bbox == (10, 20, 40, 32)


def test_missing_binary_is_a_config_error(small_page):
    with pytest.raises(ConfigError):
        TesseractEngine(cmd="no-such-tesseract-binary").recognize(small_page.image, 300)


@has_tesseract
def test_tesseract_errors_are_classified(small_page, tmp_path):
    with pytest.raises(OcrTimeout):
        TesseractEngine(timeout=0.01).recognize(small_page.image, 300)
    with pytest.raises(OcrTimeout):
        TesseractEngine(timeout=0.01, in_process=False).recognize(small_page.image, 300)
    with pytest.raises(OcrTimeout):  # orientation detection has its deadline too
        TesseractEngine(timeout=0.01).detect_orientation(small_page.image, 300)
    # A program that is a Tesseract but fails on this page: the page fails, not the settings.
    failing = tmp_path / "tesseract-that-fails"
    failing.write_text('#!/bin/sh\n[ "$1" = --version ] && { echo "tesseract 5.3.0"; exit 0; }\necho "page broke" >&2; exit 3\n')
    failing.chmod(0o755)
    with pytest.raises(OcrFailed, match="page broke"):
        TesseractEngine(cmd=str(failing)).recognize(small_page.image, 300)
    with pytest.raises(OcrFailed):  # a program that fails without a word (start-up checks catch it first)
        TesseractEngine(cmd="false").recognize(small_page.image, 300)
    with pytest.raises(ConfigError):
        TesseractEngine(lang="xx_no_such_lang").recognize(small_page.image, 300)
    with pytest.raises(ConfigError):
        TesseractEngine(lang="xx_no_such_lang", in_process=False).recognize(small_page.image, 300)


@has_tesseract
def test_real_ocr_of_a_damaged_page_reads_like_the_clean_one(small_page):
    engine = TesseractEngine()
    damaged = degrade(tilt(turn(small_page.image, 180), -5.0), seed=3)
    page = read_page(RawPage(1, 300, damaged, None, damaged.shape[1], damaged.shape[0], []), engine)
    assert page.rotation == 180 and abs(page.skew + 5.0) < 0.15
    assert page.text_source == "ocr" and 0.5 < page.mean_conf <= 1.0
    assert _cer(page.text, small_page.text) < 0.03
    assert any("red stamp" in note for note in page.notes)
    for word in page.words:  # boxes on the upright page
        assert 0 <= word.bbox[0] < word.bbox[2] <= page.width and 0 <= word.bbox[1] < word.bbox[3] <= page.height


@has_tesseract
def test_options_can_switch_stages_off(small_page):
    options = PageOptions(orientation=False, deskew=False, clean=False, crop_margins=False, ocr_dpi=300)
    raw = RawPage(1, 300, small_page.image, None, small_page.image.shape[1], small_page.image.shape[0], [])
    page = read_page(raw, TesseractEngine(), options)
    assert page.rotation == 0 and page.skew == 0.0 and _cer(page.text, small_page.text) < 0.03


@has_tesseract
def test_real_tilted_page_reads_better_than_plain_tesseract():
    """4_2_v4_rotated.jpg is a real Đà Nẵng letter turned by 1°: straightened, it reads better."""
    folder = REAL / "vietadmin-ocr"
    image_path = folder / "augmented" / "4_2_v4_rotated.jpg"
    truth = (folder / "4_2_gt.txt").read_text(encoding="utf-8")
    plain = subprocess.run(
        ["tesseract", str(image_path), "-", "-l", "vie"], capture_output=True, check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    ).stdout.decode("utf-8")
    raw = split_pages(image_path.read_bytes(), image_path.name)[0]
    page = read_page(raw, TesseractEngine())
    assert abs(page.skew - 1.0) < 0.1
    assert _cer(page.text, truth) < 0.8 * _cer(plain, truth)


def test_reading_scale_follows_the_measured_letter_size():
    from ocr.clean import letter_height
    from ocr.page import choose_ocr_dpi

    heights = {}
    body = "\n".join(["các cơ sở giáo dục thực hiện những nội dung sau đây"] * 6)  # same letters at both sizes
    for points in (12, 24):
        page = render_text_page(body, dpi=300, font_pt=points, width_in=10.0, height_in=6.0)
        heights[points] = letter_height(page.image, 300)
    assert 1.7 < heights[24] / heights[12] < 2.3
    options = PageOptions()
    scan = RawPage(1, 300, None, [], 2480, 3508, [], source_dpi=300)
    # Large print is read at a lower resolution, normal print at most at the configured one.
    assert choose_ocr_dpi(scan, options, heights[24]) < choose_ocr_dpi(scan, options, heights[12]) <= options.ocr_dpi
    assert choose_ocr_dpi(scan, options, None) == options.ocr_dpi
    # A low-resolution photo is read near its capture resolution: its (blurred) letters are no guide.
    photo = RawPage(1, 300, None, [], 2104, 3507, [], source_dpi=82)
    assert choose_ocr_dpi(photo, options, heights[24]) == choose_ocr_dpi(photo, options, None) < options.ocr_dpi


@has_tesseract
def test_in_process_tesseract_reads_like_the_command_line_and_from_several_threads(small_page):
    import threading

    gray = small_page.image if small_page.image.ndim == 2 else small_page.image.mean(axis=2).astype(np.uint8)
    from scripts.bench import cer

    loaded, command_line = TesseractEngine(in_process=True), TesseractEngine(in_process=False)
    words = loaded.recognize(gray, 300)
    assert loaded.in_process, "tesserocr could not be loaded: the engine fell back to the CLI"
    # tesserocr's Tesseract (5.5) and the Debian program (5.3) read the same models: the same words
    # in the same places, but for a rare one.
    program = command_line.recognize(gray, 300)
    assert words and abs(len(words) - len(program)) <= max(1, len(program) // 50)
    assert cer(" ".join(w.text for w in words), " ".join(w.text for w in program)) < 0.02
    same_place = {(w.text, w.bbox, w.block, w.par, w.line) for w in words} & {(w.text, w.bbox, w.block, w.par, w.line)
                                                                              for w in program}
    assert len(same_place) >= 0.95 * len(program)
    results: list[list[Word]] = []
    threads = [threading.Thread(target=lambda: results.append(loaded.recognize(gray, 300))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [words, words]


@has_tesseract
def test_paragraphs_from_the_layout_keep_every_word_box_and_line_of_the_text_based_pass():
    """``paragraph_text_based`` 0 (ocr.tesseract.DEFAULT_CONFIG) spares Tesseract a pass over the
    recognised text; it may number paragraphs otherwise, but must not change a word, a box, or which
    words share a line (the only use of paragraph numbers: ``line_key``)."""
    from schemas.pages import words_by_line

    page = render_text_page(dpi=200, width_in=5.8, height_in=8.3, font_pt=11)
    assert TesseractEngine().config["paragraph_text_based"] == "0"
    layout = TesseractEngine().recognize(page.image, 200)
    text_based = TesseractEngine(extra_config={"paragraph_text_based": "1"}).recognize(page.image, 200)
    assert len(layout) > 100
    assert [(w.text, w.bbox, w.conf) for w in layout] == [(w.text, w.bbox, w.conf) for w in text_based]
    lines = lambda words: [[w.bbox for w in line] for line in words_by_line(words).values()]  # noqa: E731
    assert lines(layout) == lines(text_based)


@pytest.mark.parametrize("code", [0, 1, 2, 3])
def test_scripted_engines_markers_survive_the_page_path(code):
    """The test engine's behaviour markers must reach it: a single square once read as a punch hole,
    whitened by the cleaning, and every "slow" page in the fault tests read at full speed."""
    from tests import engines

    seen: list[int] = []

    class MarkerReader:
        def recognize(self, image, dpi):
            seen.append(engines.marker_code(image, dpi))
            return []

    image = np.array(engines.render_page(7, code).convert("RGB"))
    raw = RawPage(page_no=1, image=image, dpi=200, text_words=None, width=image.shape[1], height=image.shape[0])
    read_page(raw, MarkerReader())
    assert seen == [code]


@pytest.mark.parametrize("damaged", [False, True], ids=["grey clean page", "colour page, stamp, noise, turned, tilted"])
def test_the_page_path_never_writes_into_its_input(small_page, damaged):
    """The page hand-off gives the page path a read-only view of the stored bytes (no copy), so a
    stage that wrote into its input would raise here instead of corrupting a stored page."""
    from ocr.decode import decode_raw_page, encode_raw_page

    image = tilt(turn(degrade(small_page.image, seed=3), 90), 2.0) if damaged else small_page.image
    stored = encode_raw_page(RawPage(1, 300, image, None, image.shape[1], image.shape[0]))
    raw = decode_raw_page(stored)
    assert not raw.image.flags.writeable
    before = raw.image.copy()
    text = read_page(raw, FakeOcrEngine(["Họ và tên"]))
    assert text.text_source == "ocr" and np.array_equal(raw.image, before)


class _RecordingEngine:
    """An OCR engine that keeps a copy of every image it is given (and reads no words)."""

    def __init__(self) -> None:
        self.images: list[np.ndarray] = []

    def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
        self.images.append((image.copy(), dpi))
        return []


def test_the_grey_hand_off_gives_the_page_path_the_same_pixels_and_notes(small_page):
    """The ingest step stores a colour page with its red ink already separated
    (:func:`ocr.page.separate_red_ink`): the OCR must see the very pixels the colour page gives."""
    from ocr.decode import decode_raw_page, encode_raw_page
    from ocr.page import separate_red_ink

    image = tilt(turn(degrade(small_page.image, seed=3), 90), 2.0)
    assert image.ndim == 3
    raw = RawPage(1, 300, image, None, image.shape[1], image.shape[0], ["a decoder's note"])
    grey = separate_red_ink(raw)
    assert grey.image.ndim == 2 and raw.image.ndim == 3  # the input is left as it was
    assert any("red stamp" in note for note in grey.notes)
    stored = decode_raw_page(encode_raw_page(grey))
    direct, handed_off = _RecordingEngine(), _RecordingEngine()
    from_colour, from_grey = read_page(raw, direct), read_page(stored, handed_off)
    (seen_colour, dpi_colour), (seen_grey, dpi_grey) = direct.images[0], handed_off.images[0]
    assert np.array_equal(seen_colour, seen_grey) and dpi_colour == dpi_grey
    assert from_grey.notes == from_colour.notes and from_grey.rotation == from_colour.rotation
    assert from_grey.skew == from_colour.skew
    assert separate_red_ink(grey) is grey  # a grey page passes through
