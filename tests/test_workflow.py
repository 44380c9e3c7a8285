"""The processing spine on the embedded default: intake, fan-out, fan-in, persistence, export.

OCR is replaced through the seam (an engine object passed in), so these tests are about the
workflow guarantees: every file accounted for, failures isolated with a reason, every step safe
to run twice, reviewer work never overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import func, select

from schemas.errors import OcrFailed
from schemas.pages import Word
from schemas.tables import Document, FieldValue, Page, ReviewAction, SourceFile
from storage import repo
from storage.db import transaction
from storage.export import iter_records
from workers import tasks
from workers.embedded import process_paths

LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "GIẤY KHAI SINH",
    "Họ, chữ đệm, tên: NGUYỄN VĂN AN",
    "Ngày, tháng, năm sinh: 05/03/2020",
    "Giới tính: Nam",
]


class ScriptedEngine:
    """A fake OCR engine: every page reads as the same scripted lines; can fail on chosen calls."""

    def __init__(self, fail_on: set[int] | None = None) -> None:
        self.calls = 0
        self.fail_on = fail_on or set()

    def recognize(self, image: np.ndarray, dpi: int) -> list[Word]:
        self.calls += 1
        if self.calls in self.fail_on:
            raise OcrFailed("scripted failure")
        words = []
        for line_no, line in enumerate(LINES):
            x = 100
            for text in line.split():
                width = 30 * len(text)
                words.append(Word(text=text, conf=0.97, bbox=(x, 100 + 60 * line_no, x + width, 140 + 60 * line_no),
                                  block=1, par=1, line=line_no + 1))
                x += width + 20
        return words


FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _page_png(path: Path, seed: int) -> None:
    """A small A5 page at 200 dpi with the scripted lines printed on it (so it is not blank)."""
    from PIL import ImageDraw, ImageFont

    page = Image.new("L", (1169, 1654), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 34)
    for line_no, line in enumerate(LINES):
        draw.text((100 + 7 * seed, 150 + 70 * line_no), line, fill=0, font=font)
    page.save(path, dpi=(200, 200))


@pytest.fixture
def scans(tmp_path: Path) -> Path:
    folder = tmp_path / "scans"
    (folder / "sub").mkdir(parents=True)
    _page_png(folder / "a.png", 1)
    _page_png(folder / "sub" / "b.png", 2)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return folder


def _records(runtime_sessions, batch):
    with transaction(runtime_sessions) as s:
        return list(iter_records(s, batch))


def test_every_file_is_accounted_for_and_a_bad_file_fails_alone(embedded_settings, scans):
    from workers.runtime import current

    report = process_paths(embedded_settings, [scans], "b1", ocr_engine=ScriptedEngine(), threads=2)
    assert len(report.new) == 3
    records = _records(current().sessions, "b1")
    by_source = {r["source"]: r for r in records}
    assert set(by_source) == {"a.png", "sub/b.png", "broken.pdf"}
    broken = by_source["broken.pdf"]
    assert broken["status"] == "failed"
    assert broken["error"].startswith("corrupt_file") or "pdf" in broken["error"].lower()
    good = by_source["a.png"]
    assert good["status"] in ("auto_accepted", "needs_review")
    assert good["pages"] == [1]
    assert good["page_details"][0]["text_source"] == "ocr"
    assert "GIẤY KHAI SINH" in good["text"]
    json.dumps(records, ensure_ascii=False)  # serialisable as the export record


def test_same_content_is_not_processed_twice(embedded_settings, scans, tmp_path):
    from workers.runtime import current

    process_paths(embedded_settings, [scans], "b1", ocr_engine=ScriptedEngine(), threads=1)
    again = tmp_path / "again"
    again.mkdir()
    (again / "copy.png").write_bytes((scans / "a.png").read_bytes())
    report = process_paths(embedded_settings, [again], "b2", ocr_engine=ScriptedEngine(), threads=1)
    assert report.new == [] and [name for name, _ in report.duplicates] == ["copy.png"]
    with transaction(current().sessions) as s:
        assert s.scalar(select(func.count()).select_from(SourceFile)) == 3


def test_steps_are_safe_to_run_twice(embedded_settings, scans):
    from workers.runtime import current

    process_paths(embedded_settings, [scans], "b1", ocr_engine=ScriptedEngine(), threads=1)
    rt = current()
    with transaction(rt.sessions) as s:
        source = s.scalar(select(SourceFile).where(SourceFile.original_path == "a.png"))
        file_id, page_id = source.id, source.pages[0].id
        fields_before = s.scalar(select(func.count()).select_from(FieldValue))
        pages_done = source.pages_done
    # A redelivered ingest, page and analysis message change nothing.
    assert tasks.ingest_file(rt, file_id) == []
    assert tasks.read_page(rt, page_id) is None
    tasks.analyse_file(rt, file_id)
    with transaction(rt.sessions) as s:
        assert s.scalar(select(func.count()).select_from(FieldValue)) == fields_before
        assert s.get(SourceFile, file_id).pages_done == pages_done == 1
        current_per_key = s.execute(
            select(FieldValue.document_id, FieldValue.key, func.count())
            .where(FieldValue.is_current).group_by(FieldValue.document_id, FieldValue.key)
        ).all()
        assert all(count == 1 for *_, count in current_per_key)


def test_reviewer_corrections_survive_reprocessing(embedded_settings, scans):
    from workers.runtime import current

    process_paths(embedded_settings, [scans], "b1", ocr_engine=ScriptedEngine(), threads=1)
    rt = current()
    with transaction(rt.sessions) as s:
        doc = s.scalar(select(Document).join(SourceFile).where(SourceFile.original_path == "a.png"))
        doc_id, file_id = doc.id, doc.source_file_id
        repo.correct_field(s, doc_id, "full_name", "Nguyễn Văn Ân", "reviewer@xa-phuc-xa")
    tasks.analyse_file(rt, file_id)
    with transaction(rt.sessions) as s:
        current_name = s.scalar(
            select(FieldValue).where(FieldValue.document_id == doc_id, FieldValue.key == "full_name",
                                     FieldValue.is_current)
        )
        assert current_name.value == "Nguyễn Văn Ân" and current_name.status == "corrected"
        assert s.scalar(select(func.count()).select_from(ReviewAction)) == 1


def test_a_page_that_fails_permanently_fails_its_document_with_the_reason(embedded_settings, scans):
    from workers.runtime import current

    process_paths(embedded_settings, [scans / "a.png"], "b1", ocr_engine=ScriptedEngine(fail_on={1}), threads=1)
    [record] = _records(current().sessions, "b1")
    assert record["status"] == "failed"
    assert "ocr_failed" in record["error"]


def test_a_message_delivered_too_often_is_failed_not_looped(embedded_settings, scans):
    from workers.runtime import current

    process_paths(embedded_settings, [scans / "a.png"], "b1", ocr_engine=ScriptedEngine(), threads=1)
    rt = current()
    with transaction(rt.sessions) as s:
        page = s.scalar(select(Page))
        page.status, page.attempts = "pending", embedded_settings.max_attempts  # as if it killed N workers
        page.source_file.status, page.source_file.pages_done = "reading", 0
        page_id = page.id
    assert tasks.read_page(rt, page_id) is not None  # the fan-in still fires
    with transaction(rt.sessions) as s:
        page = s.get(Page, page_id)
        assert page.status == "failed" and "too_many_attempts" in page.error
