"""An S3-compatible server on loopback for tests: moto's server in a thread of the test process.

No MinIO binary can be had here; moto speaks the same S3 API that the ``minio`` SDK uses. The
server binds 127.0.0.1 on a port the kernel picks (no clash between parallel runs), keeps its
objects in memory and lives as long as the test session. Worker *processes* started by a test can
use it too: it is an ordinary HTTP server on loopback.

Import the fixtures into a test module::

    from tests.s3server import s3_server, s3_url  # noqa: F401

``s3_url`` is a ``SOHOA_STORAGE_URL`` with a fresh bucket name (not created: the store creates it).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

ACCESS_KEY = "sohoa-test"
SECRET_KEY = "sohoa-test-secret"


@dataclass(frozen=True)
class S3Server:
    """Where the loopback server listens."""

    host: str
    port: int

    @property
    def endpoint(self) -> str:
        return f"{self.host}:{self.port}"

    def storage_url(self, bucket: str, **params: object) -> str:
        """An ``s3://`` ``SOHOA_STORAGE_URL`` for ``bucket`` on this server."""
        query = "&".join(f"{name}={value}" for name, value in {"secure": "false", **params}.items())
        return f"s3://{ACCESS_KEY}:{SECRET_KEY}@{self.endpoint}/{bucket}?{query}"


def start_s3_server():
    """Start moto's threaded server on 127.0.0.1 and a free port; return ``(server, S3Server)``.

    Call ``server.stop()`` when done. For scripts (e.g. a benchmark) that need S3 without pytest.
    """
    from moto.server import ThreadedMotoServer  # imported lazily: moto is a test dependency

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access-log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, S3Server(host, port)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """The loopback S3 server, started once per test session."""
    server, address = start_s3_server()
    try:
        yield address
    finally:
        server.stop()


@pytest.fixture
def s3_url(s3_server: S3Server) -> str:
    """A ``SOHOA_STORAGE_URL`` naming a bucket no other test uses."""
    return s3_server.storage_url(f"sohoa-test-{uuid.uuid4().hex[:12]}")
