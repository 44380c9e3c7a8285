"""Intake for archive teams (Part 8): manifest, per-file account, zips, resume, exit codes.

OCR goes through the plugin seam (``SOHOA_OCR_ENGINE=tests.engines:scripted``): these tests are
about what happens to every file, not about reading.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from schemas.settings import load_settings
from schemas.tables import Dossier, SourceFile
from scripts.cli import cli
from storage.db import transaction
from tests.engines import SLOW, render_page
from workers.app import build_app
from workers.embedded import ensure_database
from workers.intake import register_paths
from workers.manifest import ManifestError, read_manifest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = "tests.engines:scripted"


def _scan(path: Path, seed: int, code: int = 0, dpi: int = 100) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    render_page(seed, code, dpi=dpi).save(path, dpi=(dpi, dpi))
    return path


def _folder(root: Path, count: int, code: int = 0) -> Path:
    for index in range(count):
        _scan(root / f"s{index:02d}.png", seed=index, code=code)
    return root


def _env(var: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(SOHOA_VAR_DIR=str(var), SOHOA_OCR_ENGINE=ENGINE, SOHOA_LOG_LEVEL="WARNING", **extra)
    return env


def _invoke(var: Path, args: list[str], monkeypatch) -> object:
    for key in [k for k in os.environ if k.startswith("SOHOA_")]:
        monkeypatch.delenv(key)
    for key, value in _env(var).items():
        if key.startswith("SOHOA_"):
            monkeypatch.setenv(key, value)
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def _files(var: Path) -> list[tuple]:
    db = var / "sohoa.db"
    if not db.exists():
        return []
    with sqlite3.connect(db) as con:
        try:
            return con.execute("SELECT original_path, status, enqueued_at FROM source_files ORDER BY id").fetchall()
        except sqlite3.OperationalError:
            return []


def _stored_sources(var: Path) -> list[Path]:
    # A put killed mid-write leaves a ``.tmp-`` file (never a half object under its key).
    return sorted(p for p in (var / "objects" / "sources").rglob("*") if p.is_file()
                  and not p.name.startswith(".tmp-")) \
        if (var / "objects" / "sources").exists() else []


# -- the manifest --------------------------------------------------------------------------------

def test_manifest_with_errors_is_refused_with_line_numbers_and_nothing_is_uploaded(tmp_path, monkeypatch):
    scans = _folder(tmp_path / "scans", 2)
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "file;dossier_code;procedure_code;receiving_unit;received_date\n"
        "s00.png;000.00.15.H26-240115-0001;1.001193;01;2024-01-15\n"
        "s01.png;bad code!;1.1;99;31/02/2024\n"
        "missing.png;000.00.15.H26-240115-0002;;;\n",
        encoding="utf-8-sig",
    )
    result = _invoke(tmp_path / "var", ["upload", str(scans), "--batch", "b", "--manifest", str(manifest)], monkeypatch)
    assert result.exit_code == 4, result.output
    for expected in ("line 3, column dossier_code", "line 3, column procedure_code", "line 3, column receiving_unit",
                     "line 3, column received_date", "line 4, column file: 'missing.png' is not in the upload"):
        assert expected in result.output
    assert _files(tmp_path / "var") == [] and _stored_sources(tmp_path / "var") == []


def test_manifest_encodings_separators_and_columns(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("file,note\na.png,ok\nb.png,Quảng Ngãi\n".encode("utf-8").replace("ả".encode(), b"\xe1"))
    with pytest.raises(ManifestError, match=r"line 3: not UTF-8"):
        read_manifest(latin)
    nofile = tmp_path / "nofile.csv"
    nofile.write_text("path;dossier_code\na.png;X-1\n", encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        read_manifest(nofile)
    assert "line 1, column 1: unknown column 'path'" in str(caught.value)
    assert "required column 'file' is missing" in str(caught.value)
    nfd = unicodedata.normalize("NFD", "hồ sơ/Quyết định.png")
    good = tmp_path / "good.csv"
    good.write_text(f"\ufefffile;received_date;note\n{nfd};15/01/2024;x; y\n".replace("x; y", '"x; y"'),
                    encoding="utf-8")
    rows = read_manifest(good, known_files=["hồ sơ/Quyết định.png"])
    row = rows[unicodedata.normalize("NFC", nfd)]
    assert row.values == {"received_date": "2024-01-15", "note": "x; y"} and row.line == 2


def test_manifest_values_become_the_files_metadata_and_scope(tmp_path, monkeypatch):
    scans = _folder(tmp_path / "scans", 1)
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,dossier_code,receiving_unit,received_date\n"
                        "s00.png,000.00.15.H26-240115-0001,00004,2024-01-15\n", encoding="utf-8")
    var = tmp_path / "var"
    result = _invoke(var, ["run", str(scans), "--batch", "m", "--manifest", str(manifest)], monkeypatch)
    assert result.exit_code == 0, result.output
    settings = load_settings(_env(var))
    runtime, _ = build_app(settings)
    with transaction(runtime.sessions) as s:
        source = s.scalar(select(SourceFile))
        assert source.manifest["dossier_code"] == "000.00.15.H26-240115-0001"
        assert source.receiving_unit_id is not None  # 00004: a known commune
        dossier = s.scalar(select(Dossier))
        assert dossier.dossier_code == "000.00.15.H26-240115-0001"
        assert dossier.received_date.isoformat() == "2024-01-15" and dossier.unit_id == source.receiving_unit_id
    record = json.loads(_invoke(var, ["export", "--batch", "m"], monkeypatch).output.splitlines()[0])
    assert record["dossier_code"] == "000.00.15.H26-240115-0001"
    assert record["intake"]["receiving_unit"] == "00004" and record["intake"]["disagreements"] == {}


def test_a_document_that_disagrees_with_the_manifest_sends_the_field_to_review():
    from schemas.results import DocumentResult, FieldResult
    from schemas.manifest import check_against_manifest

    read = DocumentResult(doc_type="giay_tiep_nhan", pages=[1], status="auto_accepted", fields={
        "dossier_code": FieldResult(key="dossier_code", value="000.00.15.H26-240115-0009", confidence=0.99, status="auto_accepted"),
        "received_date": FieldResult(key="received_date", value="2024-01-15", confidence=0.99, status="auto_accepted")})
    manifest = {"dossier_code": "000.00.15.H26-240115-0001", "received_date": "2024-01-15"}
    [checked] = check_against_manifest([read], manifest)
    assert checked.status == "needs_review"
    assert checked.fields["dossier_code"].status == "needs_review"
    assert "000.00.15.H26-240115-0001" in checked.fields["dossier_code"].note
    assert checked.fields["received_date"].status == "auto_accepted"  # agrees


# -- every file accounted for ----------------------------------------------------------------------

def test_same_folder_uploaded_twice_stores_and_enqueues_nothing_the_second_time(tmp_path, monkeypatch):
    scans = _folder(tmp_path / "scans", 3)
    var = tmp_path / "var"
    first = _invoke(var, ["upload", str(scans), "--batch", "one"], monkeypatch)
    assert first.exit_code == 0, first.output
    assert "3 enqueued" in first.output and "3 new" in first.output
    stored = _stored_sources(var)
    second = _invoke(var, ["upload", str(scans), "--batch", "two", "--report", str(tmp_path / "r.csv")], monkeypatch)
    assert second.exit_code == 0, second.output
    assert "0 enqueued (0 messages)" in second.output and "3 duplicate" in second.output
    assert "queued and not finished yet" in second.output and "batch one" in second.output
    assert _stored_sources(var) == stored and len(_files(var)) == 3
    rows = list(csv.DictReader(open(tmp_path / "r.csv", encoding="utf-8-sig")))
    assert [r["outcome"] for r in rows] == ["duplicate"] * 3 and all("batch one" in r["duplicate_of"] for r in rows)


def test_folder_with_docx_empty_file_and_html_renamed_pdf_reports_each_and_processes_the_rest(tmp_path, monkeypatch):
    scans = _folder(tmp_path / "scans", 2)
    with zipfile.ZipFile(scans / "letter.docx", "w") as docx:
        docx.writestr("word/document.xml", "<w:document/>")
    (scans / "empty.pdf").write_bytes(b"")
    (scans / "page.pdf").write_text("<!DOCTYPE html><html><body>not a pdf</body></html>")
    _scan(scans / unicodedata.normalize("NFD", "Giấy khai sinh.png"), seed=7)
    var = tmp_path / "var"
    result = _invoke(var, ["run", str(scans), "--batch", "mixed", "--report", str(tmp_path / "r.csv")], monkeypatch)
    assert result.exit_code == 3, result.output
    rows = {r["file"]: r for r in csv.DictReader(open(tmp_path / "r.csv", encoding="utf-8-sig"))}
    assert rows["letter.docx"]["outcome"] == "unsupported" and "a Word document" in rows["letter.docx"]["reason"]
    assert rows["empty.pdf"]["outcome"] == "unsupported" and "empty" in rows["empty.pdf"]["reason"]
    assert rows["page.pdf"]["outcome"] == "unsupported" and "an HTML page" in rows["page.pdf"]["reason"]
    nfc = unicodedata.normalize("NFC", "Giấy khai sinh.png")
    for name in ("s00.png", "s01.png", nfc):
        assert rows[name]["outcome"] == "new" and rows[name]["status"] == "done", rows[name]
    assert sorted(p for p, _, _ in _files(var)) == sorted(["s00.png", "s01.png", nfc])


def test_zip_members_are_files_and_evil_paths_and_bombs_are_refused(tmp_path, monkeypatch):
    scans = tmp_path / "scans"
    scans.mkdir()
    page = _scan(tmp_path / "p.png", seed=3).read_bytes()
    with zipfile.ZipFile(scans / "box.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("folder/good.png", page)
        zf.writestr("../evil.pdf", b"%PDF-1.4 evil")
        zf.writestr("/etc/abs.pdf", b"%PDF-1.4 abs")
        link = zipfile.ZipInfo("link.pdf")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
        with zf.open("bomb.tif", "w") as bomb:
            for _ in range(64):
                bomb.write(b"\0" * (1 << 20))
    var = tmp_path / "var"
    result = _invoke(var, ["run", str(scans), "--batch", "z", "--report", str(tmp_path / "r.csv")], monkeypatch)
    assert result.exit_code == 3, result.output
    rows = {r["file"]: r for r in csv.DictReader(open(tmp_path / "r.csv", encoding="utf-8-sig"))}
    assert rows["box.zip/folder/good.png"]["outcome"] == "new" and rows["box.zip/folder/good.png"]["status"] == "done"
    assert "'..'" in rows["box.zip/../evil.pdf"]["reason"] and rows["box.zip/../evil.pdf"]["outcome"] == "failed"
    assert "absolute path" in rows["box.zip//etc/abs.pdf"]["reason"]
    assert "symbolic link" in rows["box.zip/link.pdf"]["reason"]
    assert rows["box.zip/bomb.tif"]["reason"].startswith("zip_bomb: expands")
    assert [p for p, _, _ in _files(var)] == ["box.zip/folder/good.png"]
    assert not (tmp_path / "evil.pdf").exists()


def test_zip_with_too_many_members_is_refused_whole(tmp_path):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for index in range(6):
            zf.writestr(f"{index}.png", b"x")
    settings = load_settings({}, var_dir=str(tmp_path / "var"), zip_max_members=5)
    ensure_database(settings)
    runtime, _ = build_app(settings)
    report = register_paths(runtime, [archive], "many")
    assert [(f.name, f.outcome) for f in report.files] == [("many.zip", "failed")]
    assert "6 members, more than the limit of 5" in report.files[0].reason


# -- resume ------------------------------------------------------------------------------------------

def _sources_count(var: Path) -> int:
    return len(_stored_sources(var))


def test_upload_killed_halfway_then_rerun_stores_and_enqueues_every_file_once(tmp_path):
    scans = _folder(tmp_path / "scans", 30)
    var = tmp_path / "var"
    command = [sys.executable, "-m", "scripts.cli", "upload", str(scans), "--batch", "up"]
    process = subprocess.Popen(command, cwd=ROOT, env=_env(var), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while _sources_count(var) < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    halfway = _files(var)
    # Stopped halfway: some scans stored, not all recorded (rows are written in chunks).
    assert _sources_count(var) >= 5 and len(halfway) < 30, "the upload was not stopped halfway"
    assert all(enqueued is None for _, _, enqueued in halfway)
    again = subprocess.run(command, cwd=ROOT, env=_env(var), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{len(halfway)} resumed" in again.stdout and f"{30 - len(halfway)} new" in again.stdout
    assert "30 enqueued (30 messages)" in again.stdout
    files = _files(var)
    assert len(files) == 30 and len({p for p, _, _ in files}) == 30 and all(e for _, _, e in files)
    assert _sources_count(var) == 30
    third = subprocess.run(command, cwd=ROOT, env=_env(var), capture_output=True, text=True, timeout=120)
    assert "0 enqueued" in third.stdout


def test_run_killed_halfway_then_rerun_processes_every_file_exactly_once(tmp_path):
    scans = _folder(tmp_path / "scans", 6, code=SLOW)
    var = tmp_path / "var"
    env = _env(var, SOHOA_WORKER_PROCESSES="2")
    process = subprocess.Popen([sys.executable, "-m", "scripts.cli", "run", str(scans), "--batch", "first"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while process.poll() is None and time.monotonic() < deadline:
        if any(status == "done" for _, status, _ in _files(var)):
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    statuses = [status for _, status, _ in _files(var)]
    assert "done" in statuses and set(statuses) != {"done"}, statuses
    again = subprocess.run([sys.executable, "-m", "scripts.cli", "run", str(scans), "--batch", "second",
                            "--report", str(tmp_path / "r.csv")], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    rows = list(csv.DictReader(open(tmp_path / "r.csv", encoding="utf-8-sig")))
    outcomes = {r["outcome"] for r in rows}
    assert outcomes <= {"duplicate", "resumed"} and "resumed" in outcomes
    assert all(r["status"] == "done" for r in rows)
    with sqlite3.connect(var / "sohoa.db") as con:
        assert con.execute("SELECT count(*), count(DISTINCT sha256) FROM source_files").fetchone() == (6, 6)
        assert con.execute("SELECT count(*) FROM pages WHERE status = 'done'").fetchone() == (6,)
        assert con.execute("SELECT count(*), count(DISTINCT source_file_id) FROM documents").fetchone() == (6, 6)
        assert con.execute("SELECT count(*) FROM fields WHERE NOT is_current").fetchone() == (0,)


def test_retry_failed_runs_failed_files_again(tmp_path, monkeypatch):
    scans = _folder(tmp_path / "scans", 1)
    var = tmp_path / "var"
    first = _invoke(var, ["run", str(scans), "--batch", "a"], monkeypatch)
    assert first.exit_code == 0
    with sqlite3.connect(var / "sohoa.db") as con:  # as if the file had failed (e.g. a store outage)
        con.execute("UPDATE source_files SET status = 'failed', error = 'store_unavailable: down'")
        con.execute("UPDATE pages SET status = 'failed', error = 'store_unavailable: down'")
    again = _invoke(var, ["run", str(scans), "--batch", "b"], monkeypatch)
    assert again.exit_code == 3 and "rerun with --retry-failed" in again.output
    retried = _invoke(var, ["run", str(scans), "--batch", "c", "--retry-failed"], monkeypatch)
    assert retried.exit_code == 0, retried.output
    assert [status for _, status, _ in _files(var)] == ["done"]


def test_too_many_pages_is_a_clear_error(tmp_path):
    from PIL import Image

    tif = tmp_path / "long.tif"
    frames = [render_page(i, dpi=50) for i in range(4)]
    frames[0].save(tif, save_all=True, append_images=frames[1:], dpi=(50, 50))
    settings = load_settings({}, var_dir=str(tmp_path / "var"), max_pages_per_file=3, ocr_engine=ENGINE)
    from workers.embedded import process_paths

    report = process_paths(settings, [tif], "long", threads=1)
    assert report.files[0].outcome == "failed"
    assert "4 pages, more than 3" in report.files[0].reason
    assert Image  # PIL used for the frames


# -- what archive teams get back ---------------------------------------------------------------------

def test_searchable_pdf_text_layer_matches_the_records_text(tmp_path, monkeypatch):
    import json

    # 200 dpi: the scripted engine's word boxes (laid out for 200 dpi pages) fall inside the page.
    scans = tmp_path / "scans"
    for seed in range(2):
        _scan(scans / f"s{seed}.png", seed, dpi=200)
    var = tmp_path / "var"
    assert _invoke(var, ["run", str(scans), "--batch", "p"], monkeypatch).exit_code == 0
    out = tmp_path / "pdf"
    result = _invoke(var, ["export", "--batch", "p", "--format", "pdf", "--out", str(out)], monkeypatch)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in _invoke(var, ["export", "--batch", "p"], monkeypatch).output.splitlines()
               if line.startswith("{")]
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(records) == 2
    for pdf, record in zip(pdfs, records):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert unicodedata.normalize("NFC", text).split() == record["text"].split()
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert record["doc_type"] in info
        images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout
        assert len(images.splitlines()) == 3  # header, rule, the page image


def test_retry_failed_after_a_failed_analysis_analyses_again_without_reading_again(tmp_path, monkeypatch):
    scans = _folder(tmp_path / "scans", 1)
    var = tmp_path / "var"
    assert _invoke(var, ["run", str(scans), "--batch", "a"], monkeypatch).exit_code == 0
    with sqlite3.connect(var / "sohoa.db") as con:  # pages read, the analysis failed
        con.execute("UPDATE source_files SET status = 'failed', error = 'too_many_attempts: analysis'")
    retried = _invoke(var, ["run", str(scans), "--batch", "b", "--retry-failed", "--report", str(tmp_path / "r.csv")],
                      monkeypatch)
    assert retried.exit_code == 0, retried.output
    [row] = list(csv.DictReader(open(tmp_path / "r.csv", encoding="utf-8-sig")))
    assert row["outcome"] == "resumed" and row["status"] == "done"


def test_the_same_content_twice_in_one_upload_is_stored_and_sent_once(tmp_path):
    scans = _folder(tmp_path / "scans", 1)
    (scans / "copy.png").write_bytes((scans / "s00.png").read_bytes())
    settings = load_settings({}, var_dir=str(tmp_path / "var"))
    ensure_database(settings)
    runtime, _ = build_app(settings)
    report = register_paths(runtime, [scans], "twice")
    assert sorted((f.name, f.outcome) for f in report.files) == [("copy.png", "new"), ("s00.png", "duplicate")]
    assert len(report.messages) == 1


def test_sohoa_run_sends_the_first_file_as_soon_as_it_is_recorded(tmp_path):
    """``sohoa run`` starts its worker first and streams the intake: the first file's message goes
    out while the others are still to be hashed and stored, every file's exactly once."""
    scans = _folder(tmp_path / "scans", 3)
    settings = load_settings({}, var_dir=str(tmp_path / "var"))
    ensure_database(settings)
    runtime, broker = build_app(settings)
    queued_when_reported: dict[str, int] = {}

    def queued() -> int:
        return sum(queue.qsize() for queue in broker.queues.values())

    report = register_paths(runtime, [scans], "stream", send_as_recorded=True,
                            on_file=lambda outcome: queued_when_reported.setdefault(outcome.name, queued()))
    assert [f.outcome for f in report.files] == ["new", "new", "new"]
    first, *rest = sorted(queued_when_reported)
    assert queued_when_reported[first] == 0  # reported as recorded, then sent
    assert all(queued_when_reported[name] >= 1 for name in rest)  # the first was out before them
    assert queued() == 3 and len(report.messages) == 3
    with transaction(runtime.sessions) as s:
        assert all(f.enqueued_at is not None for f in s.scalars(select(SourceFile)))


def test_waiting_for_a_long_run_adds_no_thread_per_progress_tick(tmp_path):
    """``sohoa run`` waits on its queues without leaving a thread behind at every tick (a run of
    some hours would otherwise pile up tens of thousands of them)."""
    import threading

    from workers.embedded import process_paths

    scans = _folder(tmp_path / "scans", 3, code=SLOW)  # 3 pages of 1.5 s each on one thread
    settings = load_settings({}, var_dir=str(tmp_path / "var"), ocr_engine=ENGINE)
    ticks: list[int] = []
    report = process_paths(settings, [scans], "slow", threads=1,
                           progress=lambda counts: ticks.append(threading.active_count()))
    assert [f.status for f in report.files] == ["done"] * 3
    assert len(ticks) >= 4  # one a second
    assert max(ticks) - min(ticks) <= 1, ticks


def test_a_run_whose_progress_is_not_drawn_reads_the_counts_once_at_the_end(tmp_path):
    """Output to a file or a pipe shows the bar once, as it stops: ``sohoa run`` reads the counts
    for it then, not every second (each reading is two queries over the batch)."""
    import io
    import math

    from rich.console import Console

    from scripts.intake_ui import RunProgress
    from workers.embedded import process_paths

    assert not RunProgress(Console(file=io.StringIO())).live
    assert RunProgress(Console(file=io.StringIO(), force_terminal=True)).live
    scans = _folder(tmp_path / "scans", 2, code=SLOW)  # 2 pages of 1.5 s each on one thread
    settings = load_settings({}, var_dir=str(tmp_path / "var"), ocr_engine=ENGINE)
    ticks: list[dict[str, int]] = []
    report = process_paths(settings, [scans], "quiet", threads=1, progress=ticks.append, progress_every_s=math.inf)
    assert [f.status for f in report.files] == ["done"] * 2
    assert len(ticks) == 1 and ticks[0]["files_done"] == ticks[0]["files_total"] == 2, ticks


@pytest.mark.parametrize("max_pixels", [150_000_000, 2_000_000], ids=["default-budget", "pages-shrunk-by-budget"])
def test_page_hand_offs_are_deleted_once_the_file_is_analysed_and_pages_decode_again_from_the_scan(tmp_path, max_pixels):
    """The store keeps the scans as they came, not their raw pages (8-26 MB each): once a file is
    analysed its read pages' hand-offs are gone, a page that failed keeps its own (for
    --retry-failed), and a page shown or exported is decoded again from the scan, the same pixels,
    also when the configured pixel budget made ingest store the pages shrunk."""
    import numpy as np
    from PIL import Image

    from ocr.decode import iter_pages
    from schemas.tables import Page
    from storage.pageimages import PageImageRef, PageImages
    from workers.embedded import process_paths

    tif = tmp_path / "scans" / "two.tif"
    tif.parent.mkdir()
    black = Image.new("L", render_page(1).size, 0)  # a scanner fault: fails its page
    render_page(1).save(tif, save_all=True, append_images=[black, render_page(2)], dpi=(100, 100))
    settings = load_settings({}, var_dir=str(tmp_path / "var"), ocr_engine=ENGINE, max_pixels=max_pixels)
    report = process_paths(settings, [tif.parent], "handoff", threads=1)
    assert report.files[0].status == "done"

    runtime, _ = build_app(settings)
    with transaction(runtime.sessions) as s:
        pages = {p.page_no: (p.status, PageImageRef.of(p)) for p in s.scalars(select(Page))}
    assert [status for status, _ref in pages.values()] == ["done", "failed", "done"]
    assert not runtime.store.exists(pages[1][1].image_key) and not runtime.store.exists(pages[3][1].image_key)
    assert runtime.store.exists(pages[2][1].image_key)
    scanned = {raw.page_no: raw.image for raw in iter_pages(tif.read_bytes(), "two.tif", dpi=settings.ocr_dpi,
                                                            max_pixels=max_pixels)}
    assert all(image.size <= max_pixels for image in scanned.values())
    images = PageImages(runtime.store, settings.max_pixels)
    for page_no in (1, 2, 3):
        assert np.array_equal(images.load(pages[page_no][1]).image, scanned[page_no])


def test_a_run_reads_the_pages_of_started_files_before_splitting_more_files(tmp_path):
    """Work already started comes first (analysis, then pages, then the next file): the store never
    holds the page hand-offs (8-26 MB each) of a whole batch at once. Before, a run split every file
    before reading the second page: all 12 hand-offs at once here, ~87 GB for 10,000 A4 pages."""
    from tests.fakes_ocr import FakeOcrEngine
    from workers.embedded import process_paths

    pages = tmp_path / "var" / "objects" / "pages"

    class CountingHandOffs(FakeOcrEngine):
        def __init__(self):
            super().__init__(["ĐƠN", "ĐỀ", "NGHỊ"])
            self.seen: list[int] = []

        def recognize(self, image, dpi):
            self.seen.append(sum(1 for _ in pages.rglob("*.raw")))
            return super().recognize(image, dpi)

    engine = CountingHandOffs()
    scans = _folder(tmp_path / "scans", 12)
    settings = load_settings({}, var_dir=str(tmp_path / "var"))
    report = process_paths(settings, [scans], "order", ocr_engine=engine, threads=2)
    assert [f.status for f in report.files] == ["done"] * 12
    assert len(engine.seen) == 12
    assert max(engine.seen) <= 4, engine.seen  # the pages in hand and those split just ahead of them


def test_a_run_on_workers_polls_its_last_files_ten_times_as_often():
    """``sohoa run`` on separate workers ends at its first poll after the last file: the last few
    files are polled every 0.1 s, not every second (half a second saved on average per run)."""
    from workers.embedded import _next_poll_s

    def counts(total, done, failed=0):
        return {"files_total": total, "files_done": done, "files_failed": failed}

    assert _next_poll_s(counts(100, 50), 1.0) == 1.0
    assert _next_poll_s(counts(100, 95), 1.0) == 1.0  # five left: the usual pace
    assert _next_poll_s(counts(100, 90, failed=6), 1.0) == 0.1  # failed files are finished too
    assert _next_poll_s(counts(3, 0), 1.0) == 0.1  # a small run is all endgame
    assert _next_poll_s(counts(3, 0), 0.05) == 0.05  # a faster caller's pace is kept
