"""``sohoa upload s3://BUCKET/PREFIX`` against the loopback S3 server: objects registered in place
(not copied), then processed by the workers' steps reading them from their bucket."""

from __future__ import annotations

import io
import os

from minio import Minio
from sqlalchemy import select

from schemas.settings import load_settings
from schemas.tables import SourceFile
from scripts.cli import cli
from storage.db import transaction
from tests.engines import render_page
from tests.s3server import ACCESS_KEY, SECRET_KEY, s3_server, s3_url  # noqa: F401
from workers import tasks
from workers.app import build_app
from workers.pull import pull_objects

from click.testing import CliRunner


def _png(seed: int) -> bytes:
    buffer = io.BytesIO()
    render_page(seed, dpi=100).save(buffer, format="PNG", dpi=(100, 100))
    return buffer.getvalue()


def _client(server) -> Minio:
    return Minio(server.endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, secure=False, region="us-east-1")


def _put(client: Minio, bucket: str, key: str, data: bytes) -> None:
    client.put_object(bucket, key, io.BytesIO(data), len(data))


def _process(runtime, file_id: int) -> None:
    """The three worker steps, in order, on one file (what the actors do, without a broker)."""
    for page_id in tasks.ingest_file(runtime, file_id):
        ready = tasks.read_page(runtime, page_id)
        if ready is not None:
            tasks.analyse_file(runtime, ready)


def test_upload_s3_registers_existing_objects_in_place_and_they_are_processed(tmp_path, s3_server, s3_url,
                                                                             monkeypatch):
    client = _client(s3_server)
    client.make_bucket("scans")
    _put(client, "scans", "2024/quan-1/a.png", _png(1))
    _put(client, "scans", "2024/quan-1/b.png", _png(2))
    _put(client, "scans", "2024/notes.txt", b"not a scan")
    _put(client, "scans", "2023/c.png", _png(3))  # outside the prefix
    for key in [k for k in os.environ if k.startswith("SOHOA_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("SOHOA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SOHOA_STORAGE_URL", s3_url)
    monkeypatch.setenv("SOHOA_OCR_ENGINE", "tests.engines:scripted")
    result = CliRunner().invoke(cli, ["upload", "s3://scans/2024/", "--batch", "s3", "--report",
                                      str(tmp_path / "r.csv")], catch_exceptions=False)
    assert result.exit_code == 3, result.output  # notes.txt is not a scan
    assert "2 new" in result.output and "1 unsupported" in result.output
    settings = load_settings()
    runtime, _ = build_app(settings)
    with transaction(runtime.sessions) as s:
        files = {f.original_path: (f.id, f.object_key) for f in s.scalars(select(SourceFile))}
    assert files.keys() == {"quan-1/a.png", "quan-1/b.png"}
    assert files["quan-1/a.png"][1] == "s3://scans/2024/quan-1/a.png"
    store_bucket = s3_url.split("/")[3].split("?")[0]
    assert not client.bucket_exists(store_bucket) or not list(  # nothing copied
        client.list_objects(store_bucket, prefix="sources/", recursive=True))
    for file_id, _key in files.values():
        _process(runtime, file_id)
    with transaction(runtime.sessions) as s:
        assert {f.status for f in s.scalars(select(SourceFile))} == {"done"}
    again = CliRunner().invoke(cli, ["upload", "s3://scans/2024/", "--batch", "s3-again"], catch_exceptions=False)
    assert "2 duplicate" in again.output and "0 enqueued" in again.output


def test_watch_picks_up_new_objects(tmp_path, s3_server, s3_url):
    client = _client(s3_server)
    client.make_bucket("inbox")
    _put(client, "inbox", "in/a.png", _png(4))
    settings = load_settings({}, var_dir=str(tmp_path / "var"), storage_url=s3_url)
    from workers.embedded import ensure_database

    ensure_database(settings)
    runtime, _ = build_app(settings)
    first = pull_objects(runtime, ["s3://inbox/in/"], "w", watch=True, interval=0, max_polls=1)
    assert [(f.name, f.outcome) for f in first.files] == [("a.png", "new")]
    _put(client, "inbox", "in/b.png", _png(5))
    second = pull_objects(runtime, ["s3://inbox/in/"], "w", watch=True, interval=0.01, max_polls=2)
    assert sorted((f.name, f.outcome) for f in second.files) == [("a.png", "duplicate"), ("b.png", "new")]
