"""``sohoa bench`` measures what it says: the same pages through each method, CER against the truth."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest
from click.testing import CliRunner

from ocr.synth import SAMPLE_TEXT, degrade, render_text_page, tilt
from scripts.bench import bench_command, cer, measure_born_digital
from tests.conftest import REALDATA as REAL


def test_cer_is_edit_distance_over_truth_length():
    assert cer("Quyết định", "Quyết định") == 0.0
    assert cer("Quyet định", "Quyết định") == pytest.approx(1 / len("Quyết định"))
    assert cer("", "abc") == 1.0


def test_bench_runs_every_method_on_the_same_pages_and_scores_them(tmp_path: Path):
    text = "\n".join(SAMPLE_TEXT.splitlines()[:6])
    page = render_text_page(text, dpi=200, width_in=5.0, height_in=3.0, font_pt=12)
    cv2.imwrite(str(tmp_path / "a_clean.png"), page.image)
    cv2.imwrite(str(tmp_path / "a_degraded.png"), degrade(tilt(page.image, 4.0), seed=1))
    for stem in ("a_clean", "a_degraded"):
        (tmp_path / f"{stem}_gt.txt").write_text(page.text, encoding="utf-8")

    result = CliRunner().invoke(
        bench_command, ["--pages", str(tmp_path), "--processes", "1", "--rounds", "2", "--json", "--no-ocrmypdf",
                        "--no-geometry"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["pages"] == 2 and figures["ocrmypdf"] is None
    for method in ("plain_tesseract", "sohoa"):
        assert figures[method]["pages_per_minute"] > 0
        assert set(figures[method]["cer_by_kind"]) == {"clean", "degraded"}
    # Tilted 4°, plain Tesseract garbles what the Sohoa page path straightens and reads.
    assert figures["sohoa"]["cer_by_kind"]["degraded"] < figures["plain_tesseract"]["cer_by_kind"]["degraded"]
    assert figures["sohoa"]["cer_by_kind"]["degraded"] < 0.05
    assert "speed_sohoa_vs_plain" in figures["ratios"]
    # Two rounds taking turns: a speed per round of each, a ratio per round, CER judged per page.
    for method in ("plain_tesseract", "sohoa"):
        assert len(figures[method]["pages_per_minute_by_round"]) == 2
    assert len(figures["ratios"]["speed_sohoa_vs_plain_by_round"]) == 2
    assert figures["ratios"]["pages_sohoa_cer_below_plain"] in ("1/2", "2/2")


def test_born_digital_figure_reads_text_layers_only():
    born = measure_born_digital(rounds=1)
    assert born["files"] == 5 and born["pages"] >= 5
    assert born["text_sources"] == ["text_layer"]
    assert born["pages_per_second_per_process"] > 0
