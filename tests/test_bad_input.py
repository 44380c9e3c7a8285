"""Bad input ends as a processed document or a failed one with a clear reason; the batch goes on.

Every file of the corpus (``tests/badfiles.py``: broken xref, no contents, 44-byte PDF, passwords,
permission-only encryption, JBIG2, CCITT, CMYK, palette, RGBA, 2400 dpi, a 35000² image, empty,
truncated PDF/JPEG/TIFF, HTML and a zip bomb renamed ``.pdf``, a 1x1 image, all-black and all-white
pages, JavaScript and an embedded file, a page tree that loops, a 300-page PDF, a 200-frame TIFF)
goes through ``sohoa run`` as one batch in a child process, under a time limit, with its peak
resident memory measured by the kernel (``wait4``'s ``ru_maxrss``). OCR is the scripted plugin
engine (``tests/engines.py``): every other stage - sniffing, decoding, splitting, orientation,
deskew, cleaning, blank and fault detection, analysis, persistence - is the real one.
"""

from __future__ import annotations

import csv

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from ocr.decode import iter_pages
from ocr.page import read_page
from schemas.errors import PermanentError
from schemas.tables import Page, SourceFile
from storage.db import session_factory, transaction
from storage.export import iter_records
from tests.badfiles import CORPUS, LONG_FILES, BadFile, write_corpus, zip_bomb
from tests.engines import ScriptedPageEngine

ROOT = Path(__file__).resolve().parents[1]
SOHOA = str(Path(sys.executable).with_name("sohoa"))
MEMORY_LIMIT = 1.5 * 1024**3  # bytes: a worker's peak resident memory must stay under this
CORPUS_TIME_LIMIT_S = 180  # the whole corpus batch (the machine is shared: generous)
LONG_TIME_LIMIT_S = 300


@dataclass
class Run:
    """A finished ``sohoa`` child: exit status, output, peak memory (bytes) and wall time (s)."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss: int
    seconds: float


def run_measured(args: list[str], env: dict[str, str], out_dir: Path, timeout_s: float) -> Run:
    """Run ``sohoa ARGS`` and measure its peak resident memory; kill it (and fail) past ``timeout_s``."""
    stdout, stderr = out_dir / "stdout.txt", out_dir / "stderr.txt"
    started = time.monotonic()
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        process = subprocess.Popen([SOHOA, *args], env=env, cwd=ROOT, stdout=out, stderr=err, start_new_session=True)
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > timeout_s:
            os.killpg(process.pid, signal.SIGKILL)
            os.wait4(process.pid, 0)
            pytest.fail(f"sohoa {' '.join(args[:1])} did not finish within {timeout_s} s (hung):\n"
                        f"{stderr.read_text(errors='replace')[-2000:]}")
        time.sleep(0.1)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
    return Run(process.returncode, stdout.read_text(errors="replace"), stderr.read_text(errors="replace"),
               usage.ru_maxrss * 1024, round(time.monotonic() - started, 1))


def run_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    return {
        **env,
        "PYTHONPATH": str(ROOT),  # the plugin engine lives in tests/
        "OMP_THREAD_LIMIT": "1",
        "SOHOA_VAR_DIR": str(var_dir),
        "SOHOA_OCR_ENGINE": "tests.engines:scripted",
        "SOHOA_WORKER_PROCESSES": "2",  # threads of the embedded worker
        "SOHOA_RETRY_MIN_BACKOFF_MS": "20",
        "SOHOA_RETRY_MAX_BACKOFF_MS": "100",
        "SOHOA_LOG_LEVEL": "WARNING",
    }


def outcomes(var_dir: Path, batch: str) -> dict[str, dict]:
    """Per file of the batch: its status and error, page rows, and its export records."""
    sessions = session_factory(f"sqlite:///{var_dir / 'sohoa.db'}")
    found: dict[str, dict] = {}
    with transaction(sessions) as s:
        for source in s.scalars(select(SourceFile)):
            pages = s.scalars(select(Page).where(Page.source_file_id == source.id)).all()
            found[source.original_path] = {"status": source.status, "error": source.error, "records": [],
                                           "pages": sorted(p.page_no for p in pages),
                                           "page_states": {p.status for p in pages}}
        for record in iter_records(s, batch):
            found[record["source"]]["records"].append(record)
    sessions.kw["bind"].dispose()
    return found


def assert_outcome(bad: BadFile, got: dict) -> None:
    """The file ended as the corpus says: processed with every page, or failed with a clear reason."""
    records = got["records"]
    assert records, f"{bad.name}: no record at all (silently dropped)"
    assert "pending" not in got["page_states"] and got["status"] in ("done", "failed"), (bad.name, got["status"])
    if bad.outcome == "done":
        assert got["status"] == "done", (bad.name, got["error"])
        assert all(r["status"] != "failed" for r in records), (bad.name, [r["error"] for r in records])
        assert got["pages"] == list(range(1, bad.pages + 1)), (bad.name, len(got["pages"]))
        assert got["page_states"] == {"done"}, (bad.name, got["page_states"])
        # Pages are in one document at most (blank sheets between documents belong to none).
        in_documents = [p for r in records for p in r["pages"]]
        assert len(in_documents) == len(set(in_documents)) and set(in_documents) <= set(got["pages"]), bad.name
    else:
        assert all(r["status"] == "failed" for r in records), (bad.name, [r["status"] for r in records])
        for record in records:
            code, _, explanation = (record["error"] or "").partition(": ")
            assert code == bad.code, (bad.name, record["error"])
            assert len(explanation) >= 20, f"{bad.name}: the reason does not explain: {record['error']!r}"


# -- decode and page path, in process: each file alone -------------------------------------------

@pytest.mark.parametrize("bad", CORPUS, ids=lambda bad: bad.name)
def test_each_bad_file_is_read_or_refused_with_its_reason_quickly(bad: BadFile, tmp_path: Path):
    engine = ScriptedPageEngine(tmp_path)
    data = bad.make()
    started = time.process_time()
    try:
        pages = [read_page(raw, engine) for raw in iter_pages(data, bad.name)]
    except PermanentError as error:
        assert bad.outcome == "failed" and error.code == bad.code, (bad.name, error.reason)
        assert len(str(error)) >= 20
    else:
        assert bad.outcome == "done", f"{bad.name} was read, expected {bad.code}"
        assert len(pages) == bad.pages
    assert time.process_time() - started < 5.0, f"{bad.name}: too slow for one small file"


def test_an_all_black_page_is_a_scan_fault_not_a_blank_page(tmp_path: Path):
    from tests.badfiles import all_black, all_white

    engine = ScriptedPageEngine(tmp_path)
    [white] = [read_page(raw, engine) for raw in iter_pages(all_white(), "white.png")]
    assert white.text_source == "blank"
    with pytest.raises(PermanentError) as caught:
        [read_page(raw, engine) for raw in iter_pages(all_black(), "black.png")]
    assert caught.value.code == "scan_fault" and "black" in str(caught.value) and "rescan" in str(caught.value)


# -- the whole corpus as one batch, in a child process --------------------------------------------

def test_a_batch_of_bad_files_ends_with_every_file_accounted_for_within_memory(tmp_path: Path):
    scans = tmp_path / "scans"
    corpus = write_corpus(scans, CORPUS)
    var_dir = tmp_path / "var"
    report_path = tmp_path / "report.csv"
    run = run_measured(["run", str(scans), "--batch", "bad", "--quiet", "--report", str(report_path)],
                       run_env(var_dir), tmp_path, CORPUS_TIME_LIMIT_S)

    assert run.returncode == 3 and "Traceback" not in run.stderr, run.stderr[-3000:]  # 3: files refused/failed
    found = outcomes(var_dir, "bad")
    # What intake already knows is not a scan (empty, HTML, a zip named .pdf) is refused before it is
    # stored, with its reason in the per-file account; every other file is in the batch.
    with open(report_path, encoding="utf-8-sig", newline="") as handle:
        account = {row["file"]: row for row in csv.DictReader(handle)}
    assert set(account) == set(corpus), f"files missing from the account: {set(corpus) - set(account)}"
    refused = {name for name in corpus if name not in found}
    assert set(found) | refused == set(corpus)
    for name, bad in corpus.items():
        if name in refused:
            assert bad.outcome == "failed", f"{name} should have been processed: {account[name]}"
            assert account[name]["outcome"] in ("unsupported", "failed") and len(account[name]["reason"]) >= 20, \
                account[name]
        else:
            assert_outcome(bad, found[name])
    assert run.peak_rss < MEMORY_LIMIT, f"peak memory {run.peak_rss / 2**20:.0f} MiB"
    print(f"\ncorpus: {len(corpus)} files in {run.seconds} s, peak RSS {run.peak_rss / 2**20:.0f} MiB, "
          f"failed with a reason {sum(b.outcome == 'failed' for b in corpus.values())}")


@pytest.mark.slow
def test_a_300_page_pdf_and_a_200_frame_tiff_are_processed_within_memory(tmp_path: Path):
    scans = tmp_path / "scans"
    corpus = write_corpus(scans, LONG_FILES)
    var_dir = tmp_path / "var"
    run = run_measured(["run", str(scans), "--batch", "long", "--quiet"], run_env(var_dir), tmp_path,
                       LONG_TIME_LIMIT_S)
    print(f"\nlong files: {run.seconds} s, peak RSS {run.peak_rss / 2**20:.0f} MiB")

    assert run.returncode >= 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
    found = outcomes(var_dir, "long")
    for name, bad in corpus.items():
        assert_outcome(bad, found[name])
    assert run.peak_rss < MEMORY_LIMIT, f"peak memory {run.peak_rss / 2**20:.0f} MiB"


# -- zip archives ---------------------------------------------------------------------------------

def test_a_zip_bomb_is_never_expanded_by_the_decoder():
    data = zip_bomb()
    started = time.process_time()
    with pytest.raises(PermanentError) as caught:
        list(iter_pages(data, "bomb.pdf"))
    assert caught.value.code == "unsupported_format" and time.process_time() - started < 0.5


def test_a_zip_bomb_in_the_intake_folder_is_refused_with_its_reason(tmp_path: Path):
    scans = tmp_path / "scans"
    write_corpus(scans, CORPUS[:1])
    (scans / "bomb.zip").write_bytes(zip_bomb())
    var_dir = tmp_path / "var"
    run = run_measured(["run", str(scans), "--batch", "zip"], run_env(var_dir), tmp_path, CORPUS_TIME_LIMIT_S)

    assert "bomb.zip" in run.stdout + run.stderr, "the bomb is not named in the report"
    assert run.returncode != 0, "a refused file must make the exit status non-zero"
    assert run.peak_rss < MEMORY_LIMIT
    assert set(outcomes(var_dir, "zip")) == {CORPUS[0].name}  # nothing of the bomb was stored
