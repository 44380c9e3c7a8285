"""No secret, no full ID number and no citizen's name in any log of a full run.

A full ``sohoa run`` (embedded worker, objects on the loopback S3 server so that a real secret is
configured, logging at DEBUG: the most a deployment can show) over generated dossiers whose ground
truth lists the citizens' names, ID numbers and phone numbers; everything the run wrote to its
log (stderr, where logging goes, and any log file under its var folder) is searched for every one
of them and for the store's secret key. (Its report on stdout - file names, document table - is
what the operator asked for, not a log.) The export must hold the same values, else the search
proves nothing.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from scripts.samples import generate
from tests.privacy import leaks, personal_values
from tests.s3server import SECRET_KEY, s3_server, s3_url  # noqa: F401  (fixtures)
from tests.test_bad_input import ROOT, SOHOA, run_env

def run_logs(tmp_path: Path, folder: Path, storage_url: str, batch: str) -> tuple[str, str]:
    """(everything the run logged, the JSONL export of the batch)."""
    var_dir = tmp_path / "var"
    env = {**run_env(var_dir), "SOHOA_STORAGE_URL": storage_url, "SOHOA_LOG_LEVEL": "DEBUG"}
    run = subprocess.run([SOHOA, "run", str(folder), "--batch", batch], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    logs = run.stderr
    logs += "".join(p.read_text(errors="replace") for p in var_dir.rglob("*.log"))
    export = subprocess.run([SOHOA, "export", "--batch", batch, "--format", "jsonl"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert export.returncode == 0, export.stderr[-2000:]
    return logs, export.stdout


def test_a_full_run_logs_no_secret_id_number_or_name(tmp_path: Path, s3_url: str):  # noqa: F811
    folder = tmp_path / "samples"
    rows = generate(folder, n=4, seed=7, born_digital_rate=1.0)  # text layers: the values reach the pipeline intact
    (folder / "ground_truth.jsonl").unlink()  # not a scan: it stays out of the run
    secrets = personal_values(rows)
    assert len(secrets) >= 6

    logs, export = run_logs(tmp_path, folder, s3_url, "privacy")

    exported = leaks(export, secrets)
    assert len(exported) >= len(secrets) // 2, f"the run did not extract the citizens' data: {exported}"
    assert leaks(logs, secrets) == [], "personal data in the logs"
    assert SECRET_KEY not in logs, "the object store's secret key in the logs"
    assert len(logs) > 0 and [json.loads(line) for line in export.splitlines()]


def test_a_file_named_after_a_citizen_does_not_put_the_name_in_the_logs(tmp_path: Path, s3_url: str):  # noqa: F811
    """Archives name scans after the citizen; a file that fails must not carry that name into a log."""
    folder = tmp_path / "scans"
    folder.mkdir()
    name, id_number = "Nguyễn Thị Hồng Nhung", "001203004567"
    (folder / f"{name} CCCD {id_number}.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")

    logs, export = run_logs(tmp_path, folder, s3_url, "named")

    assert leaks(export, {name}) == [name]  # the export keeps the file's name: it is the record's source
    assert leaks(logs, {name, id_number}) == [], "personal data in the logs"
