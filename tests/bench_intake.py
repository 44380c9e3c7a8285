"""Upload throughput for the README: ``python -m tests.bench_intake [N]`` (default 1,000 files).

Times ``sohoa upload``'s work (find, hash, store, record, enqueue on the in-process broker) for N
small distinct PNG files on the local object store and on the loopback S3 server (moto), and the
in-place registration of the same N objects with ``upload s3://BUCKET/PREFIX``. SQLite database.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw


def small_png(seed: int) -> bytes:
    image = Image.new("L", (200, 120), 255)
    ImageDraw.Draw(image).text((10, 50), f"scan {seed:05d}", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def timed_upload(settings, folder: Path, batch: str) -> float:
    from workers.app import build_app
    from workers.embedded import ensure_database
    from workers.intake import register_paths, send_all

    ensure_database(settings)
    runtime, _ = build_app(settings)
    start = time.perf_counter()
    report = register_paths(runtime, [folder], batch)
    send_all(runtime, report)
    seconds = time.perf_counter() - start
    assert len(report.new) == len(report.files), report.counts()
    return seconds


def main(count: int) -> None:
    from schemas.settings import load_settings
    from tests.s3server import start_s3_server

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scans"
        folder.mkdir()
        for index in range(count):
            (folder / f"{index:05d}.png").write_bytes(small_png(index))
        local = timed_upload(load_settings({}, var_dir=str(Path(tmp) / "local")), folder, "local")
        print(f"local store: {count} files in {local:.1f} s = {count / local:.0f} files/s")

        server, address = start_s3_server()
        try:
            url = address.storage_url("bench")
            s3 = timed_upload(load_settings({}, var_dir=str(Path(tmp) / "s3"), storage_url=url), folder, "s3")
            print(f"loopback S3 store: {count} files in {s3:.1f} s = {count / s3:.0f} files/s")
            print(f"in place (upload s3://): {count} objects in {_pull(address, url, folder, Path(tmp), count):.1f} s")
        finally:
            server.stop()


def _pull(address, url: str, folder: Path, tmp: Path, count: int) -> float:
    from minio import Minio

    from schemas.settings import load_settings
    from tests.s3server import ACCESS_KEY, SECRET_KEY
    from workers.app import build_app
    from workers.embedded import ensure_database
    from workers.intake import send_all
    from workers.pull import pull_objects

    client = Minio(address.endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, secure=False, region="us-east-1")
    client.make_bucket("scans")
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        client.put_object("scans", f"in/{path.name}", io.BytesIO(data), len(data))
    settings = load_settings({}, var_dir=str(tmp / "pull"), storage_url=url)
    ensure_database(settings)
    runtime, _ = build_app(settings)
    start = time.perf_counter()
    report = pull_objects(runtime, ["s3://scans/in/"], "pull")
    send_all(runtime, report)
    seconds = time.perf_counter() - start
    assert len(report.new) == count, report.counts()
    print(f"  = {count / seconds:.0f} objects/s")
    return seconds


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
