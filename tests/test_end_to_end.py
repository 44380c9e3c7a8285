"""End to end on the embedded default with real Tesseract: generated dossiers in, records out,
compared with the ground truth the generator wrote (types, page ranges, key fields)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from schemas.export import ExportRecord
from scripts.samples import generate
from storage.db import transaction
from storage.export import iter_records
from workers.embedded import process_paths

KEY_FIELDS = ("dossier_code", "full_name", "id_number", "date_of_birth", "doc_number", "signed_date",
              "received_date")


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("samples")
    generate(folder, n=5, seed=20261123, dpi=200, page_size="A5", max_skew=4.0, turn="some")
    return folder


def _gt_documents(folder: Path) -> dict[tuple[str, tuple[int, ...]], dict]:
    rows = [json.loads(line) for line in (folder / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines()]
    return {(row["file"], tuple(doc["pages"])): doc for row in rows for doc in row["documents"]}


@pytest.mark.slow
def test_generated_dossiers_come_back_as_their_documents(embedded_settings, sample_dir):
    from workers.runtime import current

    process_paths(embedded_settings, [sample_dir], "e2e", threads=2)
    with transaction(current().sessions) as session:
        records = list(iter_records(session, "e2e"))
    truth = _gt_documents(sample_dir)

    got = {(r["source"], tuple(r["pages"])): r for r in records}
    assert not [r for r in records if r["status"] == "failed"], "no generated file should fail"
    # Every ground-truth document is found with its exact page range and type.
    split_right = [k for k in truth if k in got]
    assert len(split_right) >= 0.9 * len(truth), f"page ranges: {sorted(set(truth) - set(got))}"
    typed_right = [k for k in split_right if got[k]["doc_type"] == truth[k]["doc_type"]]
    assert len(typed_right) >= 0.9 * len(truth)

    compared = matched = 0
    for key in typed_right:
        for name in KEY_FIELDS:
            expected = truth[key]["fields"].get(name)
            if expected is None or name in truth[key].get("handwritten", []):
                continue
            compared += 1
            field = got[key]["fields"].get(name)
            matched += bool(field and (field["value"] or "").casefold() == expected.casefold())
    assert compared >= 10
    assert matched >= 0.85 * compared, f"key fields right: {matched}/{compared}"

    for record in records:  # the export record of docs/architecture.md: names, types, formats, statuses
        model = ExportRecord.model_validate(record)
        assert all(f.status in ("auto_accepted", "needs_review") for f in model.fields.values())
        assert [d.page for d in model.page_details] == model.pages  # every page of a good file was read
        assert {d.role for d in model.page_details} <= {"title", "continuation", "attachment"}
    # Each generated document opens with its title page; later pages continue it.
    first_roles = [record["page_details"][0]["role"] for record in records if record["page_details"]]
    assert first_roles.count("title") >= 0.9 * len(first_roles)


@pytest.mark.slow
def test_the_command_line_runs_and_exports(tmp_path, sample_dir):
    """`sohoa run` then `sohoa export --format jsonl|csv`, as the README's quick start does."""
    env = {"SOHOA_VAR_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin", "OMP_THREAD_LIMIT": "1"}
    one_file = tmp_path / "one"
    one_file.mkdir()
    rows = [json.loads(line) for line in (sample_dir / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines()]
    first = sample_dir / sorted(row["file"] for row in rows if len(row["documents"]) == 1)[0]  # one record back
    (one_file / first.name).write_bytes(first.read_bytes())
    run = subprocess.run([sys.executable, "-m", "scripts.cli", "run", str(one_file), "--batch", "cli"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Batch cli" in run.stdout and first.name in run.stdout
    out = tmp_path / "records.jsonl"
    export = subprocess.run([sys.executable, "-m", "scripts.cli", "export", "--format", "jsonl", "--out", str(out)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert export.returncode == 0, export.stderr
    [record] = [ExportRecord.model_validate(json.loads(line)) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record.source == first.name
    csv_out = subprocess.run([sys.executable, "-m", "scripts.cli", "export", "--format", "csv"],
                             env=env, capture_output=True, text=True, timeout=120)
    assert csv_out.returncode == 0 and csv_out.stdout.startswith("source,pages,batch")
