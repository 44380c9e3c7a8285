"""``sohoa bench``: throughput and CER of the Sohoa page path against plain Tesseract (and OCRmyPDF).

On the same pages and the same number of processes it measures pages per minute of

(a) plain ``tesseract IMAGE - -l vie`` (one OpenMP thread per process, as the workers run it),
(b) the full Sohoa page path (decode + orientation + deskew + cleaning + OCR + post-correction),
(c) ``ocrmypdf -l vie --deskew --rotate-pages`` when OCRmyPDF is importable (never a dependency),

(with the CPU seconds per page, workers and their Tesseract children included: the fair figure
when the machine is shared) and the character error rate of each against ground truth where a page has one (``<stem>_gt.txt``
or ``<stem>.gt.txt`` next to the image). CER = Levenshtein distance / length of the ground truth,
both in NFC with whitespace collapsed to single spaces.

Every method runs in the same kind of warm pool (processes started and imported before the clock
runs, one thread per library as in a worker) and is timed from the file on disk to its text.
Plain Tesseract and Sohoa take turns over several rounds (``--rounds``; A B, B A, A B): a
machine whose speed drifts then slows both alike; the ratio is given per round too. (b) keeps one
engine per process, as a worker does: its Tesseract is loaded in process on the process's first
page, inside the measured time. (a) and (c) start their programs per file, as their users run them.

Without ``--pages`` it builds a small default set: the real Đà Nẵng page images with ground truth
(``vietadmin-ocr``), the born-digital Quảng Ngãi notice rendered to an image (its text layer is
exact ground truth), real 300 dpi Quảng Ngãi and Đà Nẵng scans (speed only), and generated pages - clean and
straight, and the same pages turned, tilted, noisy and stamped.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import click

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"}
_SPACES = re.compile(r"\s+")


@dataclass
class BenchPage:
    path: str
    truth: str | None
    kind: str  # "real", "clean", "degraded", "scan" - used to group the CER and CPU figures


# ------------------------------------------------------------------------------------------
# Page sets
# ------------------------------------------------------------------------------------------


def _realdata() -> Path:
    """The repository's real test files (tests/data), which the default page set is built from."""
    folder = Path(__file__).resolve().parents[1] / "tests" / "data"
    if not folder.is_dir():
        raise click.ClickException(f"no --pages given and the real test files are not in {folder}")
    return folder


def pages_from_folder(folder: Path) -> list[BenchPage]:
    """Every image in ``folder`` (sorted), with ``<stem>_gt.txt`` / ``<stem>.gt.txt`` as its truth."""
    pages = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        truth = None
        for name in (f"{path.stem}_gt.txt", f"{path.stem}.gt.txt"):
            if (folder / name).exists():
                truth = (folder / name).read_text(encoding="utf-8")
        kind = "degraded" if "degraded" in path.stem else "clean" if "clean" in path.stem else "real" if truth else "scan"
        pages.append(BenchPage(str(path), truth, kind))
    return pages


def default_page_set(folder: Path) -> list[BenchPage]:
    """Build the default page set in ``folder`` (see module docstring)."""
    import cv2
    import pypdfium2 as pdfium

    from ocr.synth import SAMPLE_TEXT, degrade, render_text_page, tilt, turn

    real = _realdata()
    pages: list[BenchPage] = []
    admin = real / "vietadmin-ocr"
    names = ["4_1.jpg", "4_2.jpg"] + [
        f"augmented/4_{n}_v{v}_{kind}.jpg" for n in (1, 2) for v, kind in ((1, "noisy"), (2, "blur"), (3, "dark"), (4, "rotated"))
    ]
    for name in names:
        truth = (admin / f"4_{name.split('4_')[1][0]}_gt.txt").read_text(encoding="utf-8")
        pages.append(BenchPage(str(admin / name), truth, "real"))

    notice = real / "quangngai-vbhc" / "05.signed_20250517_044750.pdf"
    truths = (real / "quangngai-vbhc" / "05.signed_20250517_044750.pdftotext.txt").read_text(encoding="utf-8").split("\f")
    document = pdfium.PdfDocument(str(notice))
    for index in range(len(document)):
        image = document[index].render(scale=300 / 72, grayscale=True).to_numpy()
        path = folder / f"notice_p{index + 1}.png"
        cv2.imwrite(str(path), image)
        pages.append(BenchPage(str(path), truths[index] if index < len(truths) else None, "real"))

    # Real 300 dpi archive scans (colour with red stamps, 1-bit CCITT), for speed only: no truth.
    scans = [("quangngai-vbhc/575 UB.signed_20250510_124908.pdf", 0),
             ("quangngai-vbhc/2352 ( 07-CT-UBND).signed_20250221_092046.pdf", 0),
             ("quangngai-vbhc/90 QĐ CT.signed_20250513_163443.pdf", 0),
             ("quangngai-vbhc/23BC.signed_20250510_124908.pdf", 1),
             ("vietadmin-ocr/2.pdf", 0),
             ("vietadmin-ocr/3.pdf", 1)]
    for number, (scan, index) in enumerate(scans):
        document = pdfium.PdfDocument(str(real / scan))
        path = folder / f"scan_{number}.png"
        cv2.imwrite(str(path), document[index].render(scale=300 / 72).to_numpy()[:, :, :3])
        pages.append(BenchPage(str(path), None, "scan"))

    paragraphs = SAMPLE_TEXT.splitlines()
    variants = [(90, 3.0), (180, -6.5), (270, 1.5), (0, 9.0)]
    for number in range(2):
        text = "\n".join(paragraphs[number * 3 :] + paragraphs[: number * 3])
        synth = render_text_page(text, dpi=300, width_in=8.27 / 1.4, height_in=11.69 / 1.4, font_pt=12)
        clean_path = folder / f"gen{number}_clean.png"
        cv2.imwrite(str(clean_path), synth.image)
        pages.append(BenchPage(str(clean_path), synth.text, "clean"))
        for variant, (rotation, skew) in enumerate(variants[number * 2 : number * 2 + 2]):
            damaged = degrade(tilt(turn(synth.image, rotation), skew), seed=number * 10 + variant)
            path = folder / f"gen{number}_degraded_{rotation}_{skew:g}.png"
            cv2.imwrite(str(path), damaged)
            pages.append(BenchPage(str(path), synth.text, "degraded"))
    return pages


# ------------------------------------------------------------------------------------------
# Runners (module-level so that multiprocessing can pickle them)
# ------------------------------------------------------------------------------------------

_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def run_plain(path: str) -> str:
    """(a) plain Tesseract on the file, as a user would run it."""
    done = subprocess.run(["tesseract", path, "-", "-l", "vie"], capture_output=True, env=_ENV, check=False)
    return done.stdout.decode("utf-8", "replace")


def run_sohoa(path: str) -> str:
    """(b) the full Sohoa page path on every page of the file."""
    from ocr.decode import split_pages
    from ocr.page import read_page

    data = Path(path).read_bytes()
    return "\n".join(read_page(raw, _engine()).text for raw in split_pages(data, path))


@functools.lru_cache(maxsize=1)
def _engine():
    """One engine per process, as a worker keeps one (its Tesseract model loads on the first page,
    inside the measured time)."""
    from ocr.tesseract import TesseractEngine

    return TesseractEngine()


def run_ocrmypdf(path: str, program: tuple[str, ...] = (sys.executable, "-m", "ocrmypdf")) -> str:
    """(c) OCRmyPDF with deskew and page rotation, text taken from its sidecar."""
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as folder:
        sidecar = os.path.join(folder, "out.txt")
        command = [*program, "-l", "vie", "--deskew", "--rotate-pages", "--jobs", "1",
                   "--sidecar", sidecar, "--output-type", "pdf", "--optimize", "0"]
        if not path.lower().endswith(".pdf"):
            command += ["--image-dpi", "300"]
        command += [path, os.path.join(folder, "out.pdf")]
        subprocess.run(command, capture_output=True, env=_ENV, check=False)
        return Path(sidecar).read_text(encoding="utf-8") if os.path.exists(sidecar) else ""


def _cpu_timed(runner, path: str) -> tuple[str, float]:
    """``runner(path)`` and the CPU seconds it cost, its subprocesses included."""
    before = os.times()
    text = runner(path)
    after = os.times()
    used = sum(getattr(after, field) - getattr(before, field)
               for field in ("user", "system", "children_user", "children_system"))
    return text, used


def _warm_up() -> None:
    # As a worker process: one thread per library (set before OpenCV and Tesseract load), then
    # numpy, OpenCV and pydantic imported once.
    from scripts.common import one_thread_per_library

    one_thread_per_library()
    import ocr.page  # noqa: F401
    import ocr.tesseract  # noqa: F401


def _no_op(_: int) -> None:
    time.sleep(0.05)


def normalise(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def cer(hypothesis: str, truth: str) -> float:
    """Character error rate after NFC and whitespace normalisation."""
    from rapidfuzz.distance import Levenshtein

    reference = normalise(truth)
    return Levenshtein.distance(normalise(hypothesis), reference) / max(len(reference), 1)


@contextmanager
def _warm_pool(processes: int):
    """A pool of started, imported worker processes (workers are long-lived in production)."""
    with get_context("spawn").Pool(processes, initializer=_warm_up) as pool:
        pool.map(_no_op, range(processes * 4), chunksize=1)
        yield pool


def _one_round(pool, runner, pages: list[BenchPage]) -> tuple[float, list[tuple[str, float]]]:
    """Wall seconds and (text, CPU seconds) per page of one pass of ``runner`` over ``pages``."""
    start = time.perf_counter()
    outcomes = pool.map(functools.partial(_cpu_timed, runner), [page.path for page in pages], chunksize=1)
    return time.perf_counter() - start, outcomes


def measure_interleaved(runners: dict, pages: list[BenchPage], processes: int, rounds: int) -> dict[str, dict]:
    """Every runner over all pages ``rounds`` times, the runners taking turns (A B, B A, A B ...).

    The machine's speed drifts (other jobs, a shared host): measuring one method after the other
    would charge the drift to one of them; alternating the order charges it to both alike.
    Each runner keeps its warm pool across rounds, as a worker keeps its loaded engine.
    """
    names = list(runners)
    passes: dict[str, list] = {name: [] for name in names}
    with ExitStack() as stack:
        pools = {name: stack.enter_context(_warm_pool(processes)) for name in names}
        for number in range(rounds):
            for name in names if number % 2 == 0 else reversed(names):
                passes[name].append(_one_round(pools[name], runners[name], pages))
    return {name: _summarise(passes[name], pages) for name in names}


def measure(runner, pages: list[BenchPage], processes: int) -> dict:
    """Wall time, pages per minute and CER by kind of one runner over all pages (one round)."""
    return measure_interleaved({"runner": runner}, pages, processes, rounds=1)["runner"]


def _summarise(passes: list, pages: list[BenchPage]) -> dict:
    """Figures of one runner: speed over all its rounds, CPU per page, CER of its first round."""
    seconds = sum(wall for wall, _ in passes)
    outcomes = passes[0][1]  # the texts are the same every round; the CPU times are averaged
    cpu_per_page = [sum(round_[1][index][1] for round_ in passes) / len(passes) for index in range(len(pages))]
    cpu_by_kind: dict[str, list[float]] = {}
    by_kind: dict[str, list[float]] = {}
    for page, (text, _), cpu in zip(pages, outcomes, cpu_per_page):
        cpu_by_kind.setdefault(page.kind, []).append(cpu)
        if page.truth:
            by_kind.setdefault(page.kind, []).append(cer(text, page.truth))
    all_cers = [value for values in by_kind.values() for value in values]
    return {
        "seconds": round(seconds, 2),
        "rounds": len(passes),
        "pages_per_minute": round(len(pages) * len(passes) / seconds * 60, 1),
        "pages_per_minute_by_round": [round(len(pages) / wall * 60, 1) for wall, _ in passes],
        # CPU time (worker + its Tesseract children) per page: the fair figure on a shared machine.
        "cpu_seconds_per_page": round(sum(cpu_per_page) / len(pages), 3),
        "cpu_seconds_by_kind": {kind: round(sum(v) / len(v), 3) for kind, v in sorted(cpu_by_kind.items())},
        "cer": round(sum(all_cers) / len(all_cers), 4) if all_cers else None,
        "cer_by_kind": {kind: round(sum(v) / len(v), 4) for kind, v in sorted(by_kind.items())},
        "cer_by_page": [round(cer(text, page.truth), 4) if page.truth else None
                        for page, (text, _) in zip(pages, outcomes)],
    }


# ------------------------------------------------------------------------------------------
# Command
# ------------------------------------------------------------------------------------------


@click.command("bench")
@click.option("--pages", "pages_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Folder of page images (and <stem>_gt.txt truths). Default: a built-in set.")
@click.option("--processes", type=int, default=None,
              help="Worker processes for every method [default: 2; --end-to-end: one per core].")
@click.option("--rounds", default=3, show_default=True,
              help="Passes of plain Tesseract and Sohoa over the pages, taking turns (OCRmyPDF: one pass).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--no-ocrmypdf", is_flag=True, help="Skip OCRmyPDF even when it is installed.")
@click.option("--geometry/--no-geometry", default=True, show_default=True,
              help="Also measure orientation and deskew on generated turned and tilted pages.")
@click.option("--ocrmypdf", "ocrmypdf_program", default=None,
              help="OCRmyPDF executable (e.g. from a separate venv). Default: this Python's module, if importable.")
@click.option("--end-to-end", "end_to_end", is_flag=True,
              help="Time what users run: `sohoa run` (embedded) and `sohoa worker` processes (RabbitMQ + "
                   "PostgreSQL) against plain Tesseract, with CPU seconds per page per stage (scripts/bench_e2e.py).")
@click.option("--samples", type=int, default=None,
              help="--end-to-end: read N freshly generated `sohoa samples` files instead of the bench set.")
@click.option("--seed", default=20261203, show_default=True, help="--end-to-end --samples: their seed.")
@click.option("--workers/--no-workers", default=True, show_default=True,
              help="--end-to-end: also time `sohoa worker` processes on RabbitMQ + PostgreSQL.")
@click.option("--pg-server", default="postgresql+psycopg://postgres@127.0.0.1:5432", show_default=True,
              help="--end-to-end: PostgreSQL server for the workers (a fresh database per round).")
@click.option("--rabbitmq-server", default="amqp://guest:guest@127.0.0.1:5672", show_default=True,
              help="--end-to-end: RabbitMQ server for the workers (a fresh vhost per round).")
@click.option("--nice", "niceness", default=0, show_default=True,
              help="--end-to-end: niceness of the Sohoa processes (plain Tesseract runs at the bench's own).")
def bench_command(pages_dir: Path | None, processes: int | None, rounds: int, as_json: bool, no_ocrmypdf: bool,
                  geometry: bool, ocrmypdf_program: str | None, end_to_end: bool, samples: int | None, seed: int,
                  workers: bool, pg_server: str, rabbitmq_server: str, niceness: int) -> None:
    """Pages per minute and CER: plain Tesseract vs the Sohoa page path (vs OCRmyPDF), or, with
    --end-to-end, vs `sohoa run` and `sohoa worker`."""
    if end_to_end:
        from scripts.bench_e2e import end_to_end as run_end_to_end

        run_end_to_end(pages_dir, samples, seed, processes or os.cpu_count() or 1, rounds, workers, pg_server,
                       rabbitmq_server, niceness, as_json)
        return
    processes = processes or 2
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as folder:
        pages = pages_from_folder(pages_dir) if pages_dir else default_page_set(Path(folder))
        if not pages:
            raise click.ClickException("no page images found")
        results = {"pages": len(pages), "processes": processes, "rounds": rounds,
                   "page_names": [Path(page.path).name for page in pages],
                   **measure_interleaved({"plain_tesseract": run_plain, "sohoa": run_sohoa}, pages, processes, rounds)}
        program = _ocrmypdf_program(ocrmypdf_program)
        if not no_ocrmypdf and program is not None:
            results["ocrmypdf"] = measure(functools.partial(run_ocrmypdf, program=program), pages, processes)
        else:
            results["ocrmypdf"] = None
    results["ratios"] = _ratios(results)
    results["geometry"] = measure_geometry() if geometry else None
    results["born_digital"] = measure_born_digital()
    if as_json:
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
        return
    _print(results)


BORN_DIGITAL = ("quangngai-vbhc/05.signed_20250517_044750.pdf", "pypdf/crazyones.pdf", "pypdf/issue-297.pdf",
                "pdfplumber/nics-background-checks-2015-11-rotated.pdf", "pdfplumber/issue-987-test.pdf")


def measure_born_digital(rounds: int = 5) -> dict:
    """Pages per second of one process on born-digital PDFs: split into pages, the text layer judged
    and kept (no OCR), each page through the page path. CPU time, so other load does not count."""
    from ocr.decode import split_pages
    from ocr.page import read_page

    real = _realdata()
    files = [(name, (real / name).read_bytes()) for name in BORN_DIGITAL if (real / name).is_file()]
    pages, sources = 0, set()
    started = time.process_time()
    for _ in range(rounds):
        for name, data in files:
            for raw in split_pages(data, name):
                if raw.text_words is None:
                    raise click.ClickException(f"{name} page {raw.page_no} has no usable text layer: not a born-digital page")
                page = read_page(raw, engine=None)
                pages += 1
                sources.add(page.text_source)
    seconds = time.process_time() - started
    return {"files": len(files), "pages": pages, "text_sources": sorted(sources),
            "pages_per_second_per_process": round(pages / seconds, 1) if seconds else None}


def measure_geometry(cases: int = 48, seed: int = 11) -> dict:
    """Orientation accuracy and deskew error on generated pages with a known turn and tilt (±12°).

    Pages vary in size (A6 to A4), font size (9-16 pt), amount of text, noise and red stamps.
    Orientation times are wall times (including Tesseract OSD on the pages where the line
    heuristic is unsure), deskew times CPU times of one process.
    """
    import random

    import numpy as np

    from ocr.clean import drop_red
    from ocr.deskew import measure_skew
    from ocr.orient import detect_orientation, upright
    from ocr.synth import SAMPLE_TEXT, degrade, render_text_page, tilt, turn
    from ocr.tesseract import TesseractEngine

    osd = TesseractEngine().detect_orientation
    rng = random.Random(seed)
    right, osd_used, orient_ms, skew_errors, skew_ms = 0, 0, [], [], []
    for case in range(cases):
        lines = SAMPLE_TEXT.splitlines()
        rng.shuffle(lines)
        width, height = rng.choice([(5.8, 4.1), (5.8, 8.3), (8.27, 11.69)])
        synth = render_text_page("\n".join(lines[: rng.randint(4, 15)]), dpi=300, width_in=width,
                                 height_in=height, font_pt=rng.choice([9, 10, 11, 12, 14, 16]))
        rotation, angle = rng.choice([0, 90, 180, 270]), rng.uniform(-12, 12)
        image = tilt(turn(synth.image, rotation), angle)
        if rng.random() < 0.6:
            image = degrade(image, seed=case, noise=rng.choice([5, 12, 20]), stamp=rng.random() < 0.5)
        gray = drop_red(image)
        start = time.perf_counter()  # wall time: OSD, when asked, runs in a subprocess
        found = detect_orientation(gray, 300, osd)
        orient_ms.append((time.perf_counter() - start) * 1000)
        right += found.rotation == rotation
        osd_used += found.method == "osd"
        level = upright(gray, rotation)
        start = time.process_time()
        skew_errors.append(abs(measure_skew(level, 300) - angle))
        skew_ms.append((time.process_time() - start) * 1000)
    errors = np.array(skew_errors)
    return {
        "pages": cases,
        "orientation_right": f"{right}/{cases}",
        "orientation_osd_fallbacks": osd_used,
        "orientation_ms_median": round(float(np.median(orient_ms)), 1),
        "orientation_ms_mean": round(float(np.mean(orient_ms)), 1),
        "orientation_ms_max": round(float(np.max(orient_ms)), 1),
        "deskew_error_median": round(float(np.median(errors)), 3),
        "deskew_error_p95": round(float(np.percentile(errors, 95)), 3),
        "deskew_error_max": round(float(errors.max()), 3),
        "deskew_ms_median": round(float(np.median(skew_ms)), 1),
    }


def _ocrmypdf_program(explicit: str | None) -> tuple[str, ...] | None:
    if explicit:
        return (explicit,)
    if importlib.util.find_spec("ocrmypdf") is not None:
        return (sys.executable, "-m", "ocrmypdf")
    found = shutil.which("ocrmypdf")
    return (found,) if found else None


def _ratios(results: dict) -> dict:
    plain, sohoa, other = results["plain_tesseract"], results["sohoa"], results["ocrmypdf"]
    ratios = {
        "speed_sohoa_vs_plain": round(sohoa["pages_per_minute"] / plain["pages_per_minute"], 3),
        "cpu_speed_sohoa_vs_plain": round(plain["cpu_seconds_per_page"] / sohoa["cpu_seconds_per_page"], 3),
        # Round i of one against round i of the other (they ran back to back): the spread says how
        # much the machine drifted.
        "speed_sohoa_vs_plain_by_round": [round(b / a, 3) for a, b in zip(plain["pages_per_minute_by_round"],
                                                                        sohoa["pages_per_minute_by_round"])],
    }
    pairs = [(a, b) for a, b in zip(plain["cer_by_page"], sohoa["cer_by_page"]) if a is not None]
    if pairs:
        # Lower CER than plain Tesseract on each page with a truth, not just on average.
        ratios["pages_sohoa_cer_below_plain"] = f"{sum(b < a for a, b in pairs)}/{len(pairs)}"
    if plain["cer"] and sohoa["cer"] is not None:
        ratios["cer_sohoa_vs_plain"] = round(sohoa["cer"] / plain["cer"], 3)
    clean_plain = plain["cer_by_kind"].get("clean")
    degraded_sohoa = sohoa["cer_by_kind"].get("degraded")
    if clean_plain and degraded_sohoa is not None:
        # The target: Sohoa on damaged pages within 1.1x of plain Tesseract on the clean originals.
        ratios["cer_sohoa_degraded_vs_plain_clean"] = round(degraded_sohoa / clean_plain, 3)
    if other:
        ratios["speed_sohoa_vs_ocrmypdf"] = round(sohoa["pages_per_minute"] / other["pages_per_minute"], 3)
        ratios["cpu_speed_sohoa_vs_ocrmypdf"] = round(other["cpu_seconds_per_page"] / sohoa["cpu_seconds_per_page"], 3)
        if other["cer"]:
            ratios["cer_sohoa_vs_ocrmypdf"] = round(sohoa["cer"] / other["cer"], 3)
    return ratios


def _print(results: dict) -> None:
    click.echo(f"{results['pages']} pages, {results['processes']} processes, {results.get('rounds', 1)} rounds taking turns")
    for name in ("plain_tesseract", "sohoa", "ocrmypdf"):
        figures = results[name]
        if figures is None:
            click.echo(f"  {name:16s} not installed (pip install ocrmypdf in the bench environment)")
            continue
        kinds = ", ".join(f"{kind} {value:.3f}" for kind, value in figures["cer_by_kind"].items())
        cpu = ", ".join(f"{kind} {value:.2f}" for kind, value in figures["cpu_seconds_by_kind"].items())
        by_round = " / ".join(f"{value:.1f}" for value in figures["pages_per_minute_by_round"])
        click.echo(f"  {name:16s} {figures['pages_per_minute']:7.1f} pages/min (rounds {by_round})  CER {figures['cer']}  ({kinds})")
        click.echo(f"  {'':16s} {figures['cpu_seconds_per_page']:7.2f} CPU s/page ({cpu})")
    for name, value in results["ratios"].items():
        click.echo(f"  {name:36s} {value}")
    if results.get("born_digital"):
        born = results["born_digital"]
        click.echo(f"born-digital PDFs ({born['files']} files, {born['pages']} pages, {born['text_sources']}): "
                   f"{born['pages_per_second_per_process']} pages/s per process")
    if results.get("geometry"):
        click.echo("orientation and deskew on generated turned/tilted pages:")
        for name, value in results["geometry"].items():
            click.echo(f"  {name:36s} {value}")
