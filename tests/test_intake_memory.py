"""Bounded memory (Part 8): a worker splitting a big file keeps one page raster at a time.

The worker's ingest step runs in a subprocess whose peak resident size (``VmHWM``, the process's
own ``ru_maxrss`` high-water mark) is read at the end. A 300-page colour PDF held as a list of
rasters needs ~870 MB at 100 dpi (~8 GB at 300 dpi); page by page the split adds about one page.
The test reads at 100 dpi to stay quick; the README's figure is the same run at 300 dpi
(``python tests/test_intake_memory.py 300``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIMIT_BYTES = 1.5 * 2**30

# Runs in a fresh interpreter: register one file and split it as the ingest actor does.
_CHILD = r"""
import json, resource, sys
from pathlib import Path
from schemas.settings import load_settings
from workers.app import build_app
from workers.embedded import ensure_database
from workers.intake import register_paths
from workers import tasks
from storage.db import transaction
from schemas.tables import SourceFile

path, var, dpi, read = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "read"
settings = load_settings({}, var_dir=var, ocr_dpi=dpi, ocr_engine="tests.engines:scripted")
ensure_database(settings)
runtime, _ = build_app(settings)
report = register_paths(runtime, [path], "mem")
def hwm():
    # VmHWM: this process's own peak resident size. ru_maxrss would also count the parent's
    # resident size at fork time (Linux keeps it across exec), e.g. pytest's test images.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
before = hwm()
pages = tasks.ingest_file(runtime, report.new[0])
with transaction(runtime.sessions) as s:
    source = s.get(SourceFile, report.new[0])
    status, error = source.status, source.error
split_peak = hwm()
for page_id in pages if read else []:  # the page path too (scripted OCR): the whole worker's peak
    tasks.read_page(runtime, page_id)
print(json.dumps({"pages": len(pages), "status": status, "error": error, "peak_bytes": split_peak,
                  "read_peak_bytes": hwm() if read else None,
                  "before_bytes": before,
                  "ru_maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def colour_pdf(path: Path, pages: int = 300) -> Path:
    """A ``pages``-page A4 PDF of one colour scan (150 dpi JPEG) drawn on every page."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    scan = Image.new("RGB", (1240, 1754), (250, 246, 235))
    draw = ImageDraw.Draw(scan)
    for row in range(40):
        draw.rectangle((100, 120 + 38 * row, 1100, 140 + 38 * row), fill=(20, 20, 20))
    draw.ellipse((800, 1400, 1100, 1700), outline=(200, 20, 20), width=12)  # a red seal: stays colour
    jpeg = path.with_suffix(".jpg")
    scan.save(jpeg, quality=85)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        pdf.drawImage(str(jpeg), 0, 0, width=A4[0], height=A4[1])  # one image object, drawn on every page
        pdf.showPage()
    pdf.save()
    return path


def huge_image(path: Path, side: int = 12000) -> Path:
    """A ``side`` × ``side`` colour JPEG (144 Mpx: under the default pixel budget)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (side, side), (250, 246, 235))
    draw = ImageDraw.Draw(image)
    for row in range(0, side, 300):
        draw.rectangle((200, row + 100, side - 200, row + 160), fill=(20, 20, 20))
    draw.ellipse((side - 3000, side - 3000, side - 500, side - 500), outline=(200, 20, 20), width=60)
    image.save(path, quality=80, dpi=(300, 300))
    return path


def peak_of_ingest(path: Path, var: Path, dpi: int, *, read: bool = False) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(var), str(dpi), "read" if read else "split"],
                         cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_300_page_colour_pdf_is_split_within_bounded_memory(tmp_path):
    result = peak_of_ingest(colour_pdf(tmp_path / "big.pdf"), tmp_path / "var", dpi=100)
    assert result["status"] == "reading" and result["pages"] == 300, result
    assert result["peak_bytes"] < LIMIT_BYTES, result
    # At 100 dpi (to stay quick) all 300 rasters at once would be ~870 MB more: page by page the
    # split adds about one page's worth.
    assert result["peak_bytes"] - result["before_bytes"] < 200 * 2**20, result


@pytest.mark.slow
def test_12000_pixel_square_image_is_split_within_bounded_memory(tmp_path):
    result = peak_of_ingest(huge_image(tmp_path / "huge.jpg"), tmp_path / "var", dpi=300)
    assert result["status"] == "reading" and result["pages"] == 1, result
    assert result["peak_bytes"] < LIMIT_BYTES, result


if __name__ == "__main__":  # the README figure: python tests/test_intake_memory.py 300
    import tempfile

    dpi = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as folder:
        pdf = colour_pdf(Path(folder) / "big.pdf")
        print("300-page colour PDF", dpi, "dpi:", peak_of_ingest(pdf, Path(folder) / "var", dpi))
        image = huge_image(Path(folder) / "huge.jpg")
        print("12000x12000 colour JPEG:", peak_of_ingest(image, Path(folder) / "var2", 300, read=True))
