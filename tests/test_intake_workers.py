"""``sohoa run`` with separate workers (RabbitMQ, PostgreSQL, loopback S3): it enqueues, waits for
exactly its files, gives the per-file account and exit status; a second run finds them done."""

from __future__ import annotations

import csv

import pytest

from tests.s3server import s3_server  # noqa: F401
from tests.test_scaleout import make_cluster, rabbitmq_url, save_scan  # noqa: F401

pytestmark = pytest.mark.services


def test_run_on_workers_accounts_for_every_file_and_exits_with_its_status(tmp_path, make_cluster, rabbitmq_url):  # noqa: F811
    folder = tmp_path / "scans"
    save_scan(folder / "a.png", [1])
    save_scan(folder / "b.pdf", [2, 3])
    (folder / "notes.txt").write_text("not a scan")
    cluster = make_cluster(rabbitmq_url)
    cluster.start_workers(processes=1, threads=2)
    first = cluster.sohoa("run", str(folder), "--batch", "w1", "--quiet", "--report", str(tmp_path / "r.csv"))
    assert first.returncode == 3, first.stdout + first.stderr  # notes.txt refused, the rest processed
    rows = {r["file"]: r for r in csv.DictReader(open(tmp_path / "r.csv", encoding="utf-8-sig"))}
    assert rows["notes.txt"]["outcome"] == "unsupported"
    assert {rows[n]["status"] for n in ("a.png", "b.pdf")} == {"done"} and rows["b.pdf"]["pages"] == "2"
    (folder / "notes.txt").unlink()
    second = cluster.sohoa("run", str(folder), "--batch", "w2", "--quiet")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "2 duplicate" in second.stdout
