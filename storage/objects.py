"""Object store: where scans, page images and word boxes live.

Keys are content-addressed where the content is the identity (``sources/<sha256>``), and
derived from database ids otherwise (``pages/<file sha>/<page no>.png``). Two backends behind one
interface: :class:`LocalObjectStore` (a folder; the embedded default) and the MinIO/S3 backend in
``storage/s3.py`` (production). Backends translate their own errors into
:class:`~schemas.errors.StoreUnavailable` (transient) and :class:`~schemas.errors.NotFound`.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, Union
from urllib.parse import urlparse

from schemas.errors import ConfigError, CorruptFile, NotFound, StoreUnavailable


# What ``put`` takes: one bytes-like object, or its parts in order (written one after the other,
# never joined in memory: the page hand-off's pixels are tens of MB).
Payload = Union[bytes, memoryview, Sequence[Union[bytes, memoryview]]]


def payload_parts(data: Payload) -> list:
    """``data`` as a list of parts, each a bytes-like object."""
    return [data] if isinstance(data, (bytes, bytearray, memoryview)) else list(data)


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def source_key(sha256: str) -> str:
    """Content-addressed key of an uploaded scan."""
    return f"sources/{sha256[:2]}/{sha256}"


class ObjectStore(Protocol):
    """What every backend offers."""

    def put(self, key: str, data: Payload, content_type: str = "application/octet-stream") -> None:
        """Store ``data`` under ``key`` (atomically: readers never see half an object)."""

    def get(self, key: str) -> bytes:
        """Return the object; :class:`NotFound` if absent, :class:`StoreUnavailable` if unreachable."""

    def get_view(self, key: str) -> memoryview:
        """The object as a read-only buffer, for large objects read once (the page hand-off).

        The local store maps the file instead of copying it into memory; errors as :meth:`get`.
        """

    def exists(self, key: str) -> bool:
        """True if ``key`` is stored."""

    def delete(self, key: str) -> None:
        """Remove ``key`` (no error if absent)."""

    def ping(self) -> None:
        """Raise :class:`StoreUnavailable` unless the store answers."""


class LocalObjectStore:
    """Objects as files under one folder; writes go through a temp file and ``os.replace``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        if not key or key.startswith("/") or ".." in Path(key).parts:
            raise ValueError(f"invalid object key {key!r}")
        return self.root / key

    def put(self, key: str, data: Payload, content_type: str = "application/octet-stream") -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:  # large parts bypass the buffer, no copy
                for part in payload_parts(data):
                    handle.write(part)
            os.replace(tmp, path)
        except OSError as exc:
            raise StoreUnavailable(f"cannot write {key}: {exc}") from exc

    def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFound(f"object {key} is not in the store") from None
        except OSError as exc:
            raise StoreUnavailable(f"cannot read {key}: {exc}") from exc
        if key.startswith("sources/") and sha256_hex(data) != key.rsplit("/", 1)[-1]:
            raise CorruptFile(f"object {key} does not match its checksum")
        return data

    def get_view(self, key: str) -> memoryview:
        path = self._path(key)
        try:
            with path.open("rb") as handle:
                if os.fstat(handle.fileno()).st_size == 0:  # an empty file cannot be mapped
                    return memoryview(b"")
                # The map outlives the file handle and stays valid if the file is replaced or
                # removed meanwhile (the old contents stay until the last view is released).
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except FileNotFoundError:
            raise NotFound(f"object {key} is not in the store") from None
        except OSError as exc:
            raise StoreUnavailable(f"cannot read {key}: {exc}") from exc
        return memoryview(mapped)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def ping(self) -> None:
        if not self.root.is_dir():
            raise StoreUnavailable(f"object folder {self.root} is missing")


def open_store(url: str) -> ObjectStore:
    """The backend for a ``SOHOA_STORAGE_URL``: a folder (``file://…`` or a path) or ``s3://…``."""
    if url.startswith("s3://"):
        from storage.s3 import S3ObjectStore  # imported lazily: the embedded default needs no minio

        return S3ObjectStore.from_url(url)
    if url.startswith("file://"):
        return LocalObjectStore(Path(urlparse(url).path))
    if url.startswith(("/", ".")):
        return LocalObjectStore(Path(url))
    raise ConfigError(f"SOHOA_STORAGE_URL: unsupported object store {url!r}")
