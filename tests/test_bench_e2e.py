"""``sohoa bench --end-to-end`` and the stored page-image format it made cheap.

The bench's own runs use a plugin engine in the Sohoa processes (``tests.engines:scripted``: fast,
deterministic) and the real ``tesseract`` program for plain Tesseract on one small page, so the
test checks the plumbing (processes, stage accounts, texts, ratios) in seconds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from ocr.decode import RawPage, decode_raw_page, encode_raw_page
from schemas.errors import CorruptFile
from schemas.pages import Word
from scripts.bench import bench_command
from scripts.bench_e2e import STAGES_SHOWN, PageSet, RunFigure, stage_cpu, summarise
from tests.engines import draw_marker

ROOT = Path(__file__).resolve().parents[1]


# -- the page-image hand-off ---------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(37, 53), (41, 29, 3)])
def test_stored_page_image_round_trips_exactly(shape):
    image = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    page = RawPage(2, 300, image, None, shape[1], shape[0], ["a note"], source_dpi=82.5)
    data = encode_raw_page(page)
    back = decode_raw_page(data)
    assert back.image.shape == image.shape and back.image.dtype == np.uint8
    assert np.array_equal(back.image, image)
    assert (back.page_no, back.dpi, back.width, back.height, back.notes, back.source_dpi) == (
        2, 300, shape[1], shape[0], ["a note"], 82.5)
    # A view of the stored bytes, not a copy: the page path never writes into its input
    # (tests/test_ocr_page.py::test_the_page_path_never_writes_into_its_input).
    assert not back.image.flags.writeable
    # Raw pixels: no compression on either end, so the size is the pixels plus a small header.
    assert image.nbytes < len(data) < image.nbytes + 400


def test_non_contiguous_page_image_is_stored_as_seen():
    image = np.arange(60 * 80, dtype=np.uint8).reshape(60, 80)[::2, ::3]
    back = decode_raw_page(encode_raw_page(RawPage(1, 300, image, None, image.shape[1], image.shape[0])))
    assert np.array_equal(back.image, image)


def test_pages_stored_as_png_by_earlier_versions_still_read():
    import json as json_module
    import struct

    image = np.random.default_rng(2).integers(0, 256, (30, 20, 3), dtype=np.uint8)
    head = json_module.dumps({"page_no": 1, "dpi": 300, "width": 20, "height": 30, "notes": [], "text_words": None,
                              "has_image": True, "source_dpi": None}).encode()
    legacy = b"SRP1" + struct.pack(">I", len(head)) + head + cv2.imencode(".png", image)[1].tobytes()
    assert np.array_equal(decode_raw_page(legacy).image, image)


def test_text_layer_page_round_trips_without_image():
    word = Word(text="Quyết", conf=1.0, bbox=(1, 2, 30, 12), block=1, par=1, line=2)
    back = decode_raw_page(encode_raw_page(RawPage(1, 300, None, [word], 10, 10, [])))
    assert back.image is None and back.text_words == [word]


def test_truncated_or_foreign_page_objects_are_corrupt_files():
    data = encode_raw_page(RawPage(1, 300, np.zeros((10, 10), np.uint8), None, 10, 10))
    for bad in (data[:-7], b"garbage", b"SRP2", b"SRP2\x00\x00\x00\x05{bad}"):
        with pytest.raises(CorruptFile):
            decode_raw_page(bad)


# -- the account and the summary -----------------------------------------------------------------

def test_other_is_the_cpu_no_stage_accounts_for():
    accounts = [{"stages": {"ocr": {"cpu_s": 3.0}, "decode": {"cpu_s": 0.5}}},
                {"stages": {"ocr": {"cpu_s": 2.0}, "save": {"cpu_s": 0.25}}}]
    stages = stage_cpu(accounts, total_cpu=6.5)
    assert stages["ocr"] == 5.0 and stages["decode"] == 0.5 and stages["save"] == 0.25
    assert stages["other"] == pytest.approx(0.75)
    assert set(stages) == set(STAGES_SHOWN)


def test_summary_gives_ratios_per_round_and_cpu_outside_ocr():
    pages = PageSet(Path("."), ["a.png", "b.png"], [(["a.png"], "xin chào"), (["b.png"], "hồ sơ")], "test")
    plain = [RunFigure("plain", 10.0, 4.0, 2, {"a.png": "xin chao", "b.png": "ho so"}),
             RunFigure("plain", 12.0, 4.0, 2, {})]
    run_stages = {name: 0.0 for name in STAGES_SHOWN} | {"ocr": 2.0, "clean": 0.2, "other": 0.2}
    run = [RunFigure("sohoa run", 5.0, 2.4, 2, {"a.png": "xin chào", "b.png": "hồ sơ"}, run_stages),
           RunFigure("sohoa run", 6.0, 2.4, 2, {}, run_stages)]
    results = summarise(pages, {"plain": plain, "run": run}, processes=2, rounds=2)
    entry = results["methods"]["run"]
    assert entry["speed_vs_plain_by_round"] == [2.0, 2.0]
    assert entry["cpu_speed_vs_plain"] == pytest.approx(2 / 1.2, abs=0.001)
    assert entry["stage_cpu_seconds_per_page"]["ocr"] == 1.0
    assert entry["cpu_seconds_per_page_outside_ocr"] == pytest.approx(0.2)
    assert entry["cer"] == 0.0 and results["methods"]["plain"]["cer"] > 0


# -- the command, for real processes ---------------------------------------------------------------

def _one_page(folder: Path) -> Path:
    from PIL import Image

    from ocr.synth import render_text_page

    folder.mkdir()
    page = render_text_page("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", dpi=200,
                            width_in=4.0, height_in=1.5, font_pt=12)
    image = Image.fromarray(cv2.cvtColor(page.image, cv2.COLOR_BGR2RGB) if page.image.ndim == 3 else page.image)
    draw_marker(image, 0, 200)
    image.save(folder / "page_clean.png", dpi=(200, 200))
    (folder / "page_clean_gt.txt").write_text(page.text, encoding="utf-8")
    return folder


def _bench(tmp_path: Path, monkeypatch, *extra: str) -> dict:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the plugin engine lives in tests/
    monkeypatch.setenv("SOHOA_OCR_ENGINE", "tests.engines:scripted")
    pages = _one_page(tmp_path / "pages")
    result = CliRunner().invoke(
        bench_command, ["--end-to-end", "--pages", str(pages), "--rounds", "1", "--processes", "1", "--json", *extra])
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return json.loads(result.stdout)


def _assert_staged(entry: dict) -> None:
    stages = entry["stage_cpu_seconds_per_page"]
    assert set(stages) == set(STAGES_SHOWN)
    # Every stage of the page's way ran in the measured processes and was accounted for.
    for stage in ("decode", "store", "clean", "ocr", "save"):
        assert stages[stage] > 0, stage
    assert entry["cpu_seconds_per_page"] >= sum(stages.values()) - 0.01
    assert entry["cer"] is not None and entry["pages_per_minute"] > 0


def test_end_to_end_bench_times_sohoa_run_against_plain_tesseract(tmp_path, monkeypatch):
    results = _bench(tmp_path, monkeypatch, "--no-workers")
    assert results["pages"] == 1 and set(results["methods"]) == {"plain", "run"}
    plain, run = results["methods"]["plain"], results["methods"]["run"]
    assert plain["cer"] < 0.2  # the real program read the page
    _assert_staged(run)
    assert "speed_vs_plain" in run and len(run["load_by_round"]) == 1


@pytest.mark.services
def test_end_to_end_bench_times_worker_processes_on_rabbitmq_and_postgresql(tmp_path, monkeypatch):
    from tests.test_scaleout import RABBITMQ_SERVER, require

    require(f"{RABBITMQ_SERVER}/%2F")
    results = _bench(tmp_path, monkeypatch)
    workers = results["methods"]["workers"]
    _assert_staged(workers)
    assert workers["extra_by_round"][0]["worker_cpu_s"] > 0


def test_samples_page_set_writes_every_scanned_page_at_300_dpi_with_its_files_truth(tmp_path):
    from PIL import Image

    from scripts.bench_e2e import samples_page_set
    from scripts.samples import load_ground_truth

    pages = samples_page_set(tmp_path, files=2, seed=5)
    rows = {Path(row["file"]).stem: row for row in load_ground_truth(tmp_path / "samples")}
    assert pages.names and sorted(p.name for p in pages.folder.iterdir()) == sorted(pages.names)
    for names, truth in pages.truths:
        row = rows[names[0].rsplit("-p", 1)[0]]
        assert not row["born_digital"] and len(names) == len(row["pages"])
        assert all(document["text"] in truth for document in row["documents"])
    with Image.open(pages.folder / pages.names[0]) as image:
        assert round(image.info["dpi"][0]) == 300


@pytest.mark.skipif(not os.path.exists("/proc/self/autogroup"), reason="the kernel has no scheduler autogroups")
def test_workers_in_their_own_session_get_the_bench_autogroups_weight():
    """A process in a new session is in a new autogroup; the bench gives it its own nice value, so the
    workers are timed under the weight ``sohoa run`` is timed under."""
    import subprocess

    from scripts.bench_e2e import share_bench_autogroup

    child = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        own = open("/proc/self/autogroup").read().split()
        theirs = open(f"/proc/{child.pid}/autogroup").read().split()
        if not own:  # the kernel shows nothing for a task in no autogroup (autogroups off): nothing to share
            assert share_bench_autogroup(child.pid) is False
        if not own or not theirs:
            pytest.skip("autogroups are switched off on this kernel (the file reads empty)")
        assert theirs[0] != own[0], "a new session should be a new autogroup"
        try:
            with open(f"/proc/{child.pid}/autogroup", "w") as weight:  # make it differ from ours first
                weight.write("7" if own[-1] != "7" else "6")
        except PermissionError:
            pytest.skip("no permission to set an autogroup's weight here")
        assert open(f"/proc/{child.pid}/autogroup").read().split()[-1] != own[-1]
        assert share_bench_autogroup(child.pid)
        assert open(f"/proc/{child.pid}/autogroup").read().split()[-1] == own[-1]
    finally:
        child.kill()
        child.wait()
