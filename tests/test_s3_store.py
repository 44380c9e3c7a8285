"""The MinIO/S3 object store against an S3-compatible server on loopback (moto, see tests/s3server.py)."""

from __future__ import annotations

import io
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import socket
import time
from collections.abc import Iterator

import pytest
from minio import Minio

from schemas.errors import ConfigError, CorruptFile, NotFound, StoreUnavailable
from storage.objects import open_store, sha256_hex, source_key
from storage.s3 import S3Config, S3ObjectStore
from tests.s3server import ACCESS_KEY, SECRET_KEY, S3Server, s3_server, s3_url  # noqa: F401


@pytest.fixture
def store(s3_url: str) -> S3ObjectStore:
    return S3ObjectStore.from_url(s3_url)


def raw_client(server: S3Server) -> Minio:
    """A plain SDK client, to look at the server behind the store's back."""
    return Minio(server.endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, secure=False, region="us-east-1")


def test_put_get_exists_delete_round_trip(store: S3ObjectStore) -> None:
    assert not store.exists("pages/ab/x.raw")
    store.put("pages/ab/x.raw", b"page bytes", content_type="image/png")
    assert store.exists("pages/ab/x.raw")
    assert store.get("pages/ab/x.raw") == b"page bytes"
    store.put("pages/ab/x.raw", b"replaced")  # overwrite is allowed for derived keys
    assert store.get("pages/ab/x.raw") == b"replaced"
    store.delete("pages/ab/x.raw")
    store.delete("pages/ab/x.raw")  # deleting an absent key is no error
    assert not store.exists("pages/ab/x.raw")


def test_a_page_hand_off_goes_up_in_parts_and_comes_back_as_one_read_only_view(store: S3ObjectStore) -> None:
    import numpy as np

    from ocr.decode import RawPage, decode_raw_page, raw_page_parts

    image = np.arange(60 * 40 * 3, dtype=np.uint8).reshape(60, 40, 3)
    store.put("pages/ab/p.raw", raw_page_parts(RawPage(1, 300, image, None, 40, 60, ["n"])))
    back = decode_raw_page(store.get_view("pages/ab/p.raw"))
    assert np.array_equal(back.image, image) and back.notes == ["n"]
    assert not back.image.flags.writeable
    with pytest.raises(NotFound):
        store.get_view("pages/ab/none.raw")


def test_threads_share_one_store(store: S3ObjectStore) -> None:
    """Worker threads of one process use one store (one connection pool)."""
    blobs = {f"pages/t/{n:03d}.raw": os.urandom(2048) for n in range(40)}
    errors: list[BaseException] = []

    def round_trip(items: list[tuple[str, bytes]]) -> None:
        try:
            for key, data in items:
                store.put(key, data)
                assert store.get(key) == data
        except BaseException as exc:  # collected: an assert in a thread would be lost
            errors.append(exc)

    items = list(blobs.items())
    threads = [threading.Thread(target=round_trip, args=(items[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(store.exists(key) for key in blobs)


def test_missing_key_is_not_found(store: S3ObjectStore) -> None:
    store.put("other", b"x")
    with pytest.raises(NotFound):
        store.get("pages/none.raw")


def test_reads_from_a_bucket_that_does_not_exist_are_not_found(store: S3ObjectStore) -> None:
    assert not store.exists("pages/a.raw")
    with pytest.raises(NotFound):
        store.get("pages/a.raw")
    store.delete("pages/a.raw")


def test_bucket_is_created_on_first_write_and_by_ping(s3_server: S3Server, s3_url: str) -> None:
    client = raw_client(s3_server)
    bucket = S3Config.from_url(s3_url).bucket
    store = S3ObjectStore.from_url(s3_url)
    assert not client.bucket_exists(bucket), "building a store must not touch the server"
    store.ping()
    assert client.bucket_exists(bucket)

    second = s3_server.storage_url(bucket + "-w")
    S3ObjectStore.from_url(second).put("k", b"v")
    assert client.bucket_exists(bucket + "-w")


def test_an_existing_bucket_is_reused(s3_server: S3Server, s3_url: str) -> None:
    S3ObjectStore.from_url(s3_url).put("kept", b"1")
    again = S3ObjectStore.from_url(s3_url)  # a second process finding the bucket there
    again.ping()
    again.put("new", b"2")
    assert again.get("kept") == b"1"


def test_source_keys_are_checked_against_their_sha256(s3_server: S3Server, store: S3ObjectStore) -> None:
    data = b"%PDF-1.4 scanned dossier"
    key = source_key(sha256_hex(data))
    store.put(key, data)
    assert store.get(key) == data

    # Corrupt it behind the store's back: what a bit flip or a bad copy would do.
    tampered = b"%PDF-1.4 scanned dossieR"
    raw_client(s3_server).put_object(store.bucket, key, io.BytesIO(tampered), len(tampered))
    with pytest.raises(CorruptFile):
        store.get(key)


def test_large_object_goes_through_multipart_intact(store: S3ObjectStore) -> None:
    data = os.urandom(12 * 1024 * 1024)  # > the SDK's 5 MiB part size: a multipart upload
    key = source_key(sha256_hex(data))
    store.put(key, data)
    assert store.get(key) == data


def test_unreachable_endpoint_is_store_unavailable_quickly() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = S3ObjectStore.from_url(f"s3://a:b@127.0.0.1:{port}/bkt?secure=false&retries=1&connect_timeout=0.5")
    started = time.monotonic()
    for operation in (store.ping, lambda: store.get("k"), lambda: store.put("k", b"v"), lambda: store.exists("k")):
        with pytest.raises(StoreUnavailable, match="unreachable"):
            operation()
    assert time.monotonic() - started < 5


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers: a hung server."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # the kernel completes the handshakes; nobody ever reads
        yield listener.getsockname()[1]


def test_a_server_that_never_answers_times_out(silent_server: int) -> None:
    url = f"s3://a:b@127.0.0.1:{silent_server}/bkt?secure=false&retries=0&read_timeout=0.5"
    store = S3ObjectStore.from_url(url)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        store.get("pages/x.raw")
    assert time.monotonic() - started < 3


class _Unavailable(BaseHTTPRequestHandler):
    """Answers every request with 503, like an overloaded or restarting MinIO."""

    requests: list[str] = []

    def _answer(self) -> None:
        self.requests.append(self.command)
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = do_PUT = do_DELETE = do_POST = _answer

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def unavailable_server() -> Iterator[tuple[int, list[str]]]:
    """A server answering 503 to everything; yields its port and the methods it received."""
    _Unavailable.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], _Unavailable.requests
    finally:
        server.shutdown()
        server.server_close()


def test_server_errors_are_retried_a_bounded_number_of_times_then_transient(
    unavailable_server: tuple[int, list[str]],
) -> None:
    port, requests = unavailable_server
    store = S3ObjectStore.from_url(f"s3://a:b@127.0.0.1:{port}/bkt?secure=false&retries=2")
    with pytest.raises(StoreUnavailable) as caught:
        store.get("pages/x.raw")
    assert not isinstance(caught.value, NotFound)
    assert requests == ["GET"] * 3  # the first try and two retries
    with pytest.raises(StoreUnavailable):
        store.ping()


def test_open_store_picks_the_s3_backend(s3_url: str) -> None:
    store = open_store(s3_url)
    assert isinstance(store, S3ObjectStore)
    store.put("k", b"v")
    assert open_store(s3_url).get("k") == b"v"


def test_url_parsing() -> None:
    config = S3Config.from_url("s3://AK:se%2Fcret@minio:9000/sohoa?secure=false&region=ap-southeast-1&read_timeout=30")
    assert config.endpoint == "minio:9000"
    assert config.secret_key == "se/cret"
    assert config.bucket == "sohoa"
    assert config.secure is False
    assert config.region == "ap-southeast-1"
    assert config.read_timeout == 30.0
    assert "se/cret" not in repr(config)
    assert S3Config.from_url("s3://AK:SK@s3.example.com/b").secure is True  # no port: https by default


@pytest.mark.parametrize(
    "url",
    [
        "s3://AK:SK@minio:9000/",  # no bucket
        "s3://AK:SK@minio:9000/a/b",  # a path, not a bucket
        "s3://minio:9000/sohoa",  # no credentials
        "s3://AK:SK@minio:9000/sohoa?secure=maybe",
        "s3://AK:SK@minio:port/sohoa",
        "s3://AK:SK@minio:9000/sohoa?read_timeout=soon",
        "s3://AK:SK@minio:9000/sohoa?timeout=3",  # unknown parameter: a typo must not pass silently
    ],
)
def test_bad_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        S3ObjectStore.from_url(url)


def test_invalid_keys_are_refused(store: S3ObjectStore) -> None:
    for key in ("", "/abs", "a/../b"):
        with pytest.raises(ValueError):
            store.put(key, b"x")
