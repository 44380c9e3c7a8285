"""MinIO / S3 object store through the ``minio`` SDK: the production backend of :mod:`storage.objects`.

Chosen by ``SOHOA_STORAGE_URL=s3://ACCESS:SECRET@host:port/bucket?secure=false&region=us-east-1``.
Optional query parameters: ``secure`` (default: true only on port 443 or without a port),
``region`` (default ``us-east-1``; given so the SDK never has to ask the server for it),
``connect_timeout`` and ``read_timeout`` in seconds (default 5 and 60), ``retries`` (default 3),
``pool_size`` (HTTP connections kept per host, default 16). Access key and secret may be
percent-encoded.

Behaviour, the same as :class:`~storage.objects.LocalObjectStore`:

* ``put`` is atomic by nature in S3 (an object, even a multipart one, appears whole or not at all);
* ``sources/...`` keys are content-addressed: ``get`` verifies the SHA-256 and raises
  :class:`~schemas.errors.CorruptFile` on a mismatch;
* the bucket is created if missing (on the first ``put`` or ``ping``, not at construction, so that
  building a store never touches the network);
* SDK and network errors are translated here, at the boundary: missing key or bucket ->
  :class:`~schemas.errors.NotFound`; unreachable, timed out, 5xx, refused credentials ->
  :class:`~schemas.errors.StoreUnavailable` (transient: retried with backoff, and a dead letter
  can be replayed once the store or its configuration is fixed).

Create the store after forking (one urllib3 pool per process).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

import urllib3
from minio import Minio
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError

from schemas.errors import ConfigError, CorruptFile, NotFound, StoreUnavailable
from storage.objects import Payload, payload_parts, sha256_hex

# Object keys of another bucket on the same server: ``s3://BUCKET/KEY``.
EXTERNAL = "s3://"
# S3 error codes meaning "the thing asked for is not there".
_MISSING_CODES = frozenset({"NoSuchKey", "NoSuchBucket", "NoSuchObject", "ResourceNotFound"})
# Codes raised when a bucket we wanted to create exists already (a concurrent worker made it).
_BUCKET_EXISTS_CODES = frozenset({"BucketAlreadyOwnedByYou", "BucketAlreadyExists"})
# urllib3 retries these statuses itself (idempotent methods and our fully buffered bodies).
_RETRY_STATUSES = (500, 502, 503, 504)


@dataclass(frozen=True)
class S3Config:
    """Everything in an ``s3://`` URL, parsed and checked."""

    endpoint: str  # host:port
    access_key: str
    secret_key: str = field(repr=False)  # never in logs
    bucket: str
    secure: bool = False
    region: str = "us-east-1"
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    retries: int = 3
    pool_size: int = 16

    @classmethod
    def from_url(cls, url: str) -> "S3Config":
        """Parse ``s3://ACCESS:SECRET@host:port/bucket?...``; :class:`ConfigError` if malformed."""
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.hostname:
            raise ConfigError(f"SOHOA_STORAGE_URL: expected s3://ACCESS:SECRET@host:port/bucket, got {_redact(url)!r}")
        bucket = parts.path.strip("/")
        if not bucket or "/" in bucket:
            raise ConfigError(f"SOHOA_STORAGE_URL: the path must be exactly one bucket name, got {parts.path!r}")
        if not parts.username or parts.password is None:
            raise ConfigError("SOHOA_STORAGE_URL: access key and secret are required (s3://ACCESS:SECRET@...)")
        query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        unknown = set(query) - _QUERY_PARAMETERS
        if unknown:
            raise ConfigError(f"SOHOA_STORAGE_URL: unknown query parameters {sorted(unknown)}")
        try:
            port = parts.port  # raises ValueError on a port that is not a number
            return cls(
                endpoint=parts.hostname if port is None else f"{parts.hostname}:{port}",
                access_key=unquote(parts.username),
                secret_key=unquote(parts.password),
                bucket=bucket,
                secure=_parse_bool(query.get("secure"), default=port in (None, 443)),
                region=query.get("region", cls.region),
                connect_timeout=float(query.get("connect_timeout", cls.connect_timeout)),
                read_timeout=float(query.get("read_timeout", cls.read_timeout)),
                retries=int(query.get("retries", cls.retries)),
                pool_size=int(query.get("pool_size", cls.pool_size)),
            )
        except ValueError as exc:
            raise ConfigError(f"SOHOA_STORAGE_URL: {exc}") from None


_QUERY_PARAMETERS = frozenset({"secure", "region", "connect_timeout", "read_timeout", "retries", "pool_size"})


def _parse_bool(value: str | None, *, default: bool) -> bool:
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"secure={value!r} is not a boolean")


def _redact(url: str) -> str:
    """The URL without its secret, for error messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def _http_client(config: S3Config) -> urllib3.PoolManager:
    """A pool with short, bounded timeouts and retries (the SDK default waits 5 minutes)."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=config.connect_timeout, read=config.read_timeout),
        maxsize=config.pool_size,
        retries=urllib3.Retry(
            total=config.retries,
            backoff_factor=0.2,
            status_forcelist=_RETRY_STATUSES,
            # Give the final 5xx response back to the SDK (it becomes ServerError) instead of a
            # MaxRetryError without the status.
            raise_on_status=False,
        ),
    )


class S3ObjectStore:
    """Objects in one bucket of a MinIO / S3 server (see the module docstring)."""

    def __init__(self, config: S3Config) -> None:
        self.config = config
        self.bucket = config.bucket
        self._client = Minio(
            config.endpoint,
            access_key=config.access_key,
            secret_key=config.secret_key,
            secure=config.secure,
            region=config.region,
            http_client=_http_client(config),
        )
        self._bucket_ready = False
        self._bucket_lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str) -> "S3ObjectStore":
        """The store for a ``SOHOA_STORAGE_URL`` of the form ``s3://ACCESS:SECRET@host:port/bucket?...``."""
        return cls(S3Config.from_url(url))

    def __repr__(self) -> str:
        scheme = "https" if self.config.secure else "http"
        return f"S3ObjectStore({scheme}://{self.config.endpoint}/{self.bucket})"

    # -- the ObjectStore protocol ---------------------------------------------------------------

    def put(self, key: str, data: Payload, content_type: str = "application/octet-stream") -> None:
        """Store ``data`` under ``key``; large objects go up as a multipart upload, still atomic."""
        _check_key(key)
        self.ensure_bucket()
        body = b"".join(payload_parts(data))  # the SDK reads one stream; the network costs more than the join
        with self._translated(f"cannot write {key}"):
            self._client.put_object(self.bucket, key, io.BytesIO(body), len(body), content_type=content_type)

    def get(self, key: str) -> bytes:
        """Return the object; verify the checksum of content-addressed ``sources/`` keys.

        ``s3://BUCKET/KEY`` reads an object of another bucket on the same server (scans registered
        in place by ``sohoa upload s3://…``).
        """
        bucket, key = self._locate(key)
        with self._translated(f"cannot read {key}"):
            data = self._read_object(key, bucket)
        if key.startswith("sources/") and sha256_hex(data) != key.rsplit("/", 1)[-1]:
            raise CorruptFile(f"object {key} does not match its checksum")
        return data

    def get_view(self, key: str) -> memoryview:
        """The object as a read-only buffer (read whole over the network: nothing to map)."""
        return memoryview(self.get(key))

    def exists(self, key: str) -> bool:
        """True if ``key`` is stored (a missing bucket holds nothing)."""
        bucket, key = self._locate(key)
        try:
            with self._translated(f"cannot look up {key}"):
                self._client.stat_object(bucket, key)
        except NotFound:
            return False
        return True

    def delete(self, key: str) -> None:
        """Remove ``key``; no error if it (or the bucket) is absent."""
        _check_key(key)
        try:
            with self._translated(f"cannot delete {key}"):
                self._client.remove_object(self.bucket, key)
        except NotFound:
            pass

    def ping(self) -> None:
        """Raise :class:`StoreUnavailable` unless the server answers; create the bucket if missing."""
        self._bucket_ready = False  # a health check looks again, even if the bucket was seen before
        self.ensure_bucket()

    # -- beyond the protocol --------------------------------------------------------------------

    def ensure_bucket(self) -> None:
        """Create the bucket unless this process has already seen it."""
        if self._bucket_ready:
            return
        with self._bucket_lock, self._translated(f"cannot reach bucket {self.bucket}"):
            if not self._bucket_ready:
                self._create_bucket_if_missing()
                self._bucket_ready = True

    def _create_bucket_if_missing(self) -> None:
        if self._client.bucket_exists(self.bucket):
            return
        try:
            self._client.make_bucket(self.bucket, location=self.config.region)
        except S3Error as exc:
            if exc.code not in _BUCKET_EXISTS_CODES:  # another process won the race: fine
                raise

    def _locate(self, key: str) -> tuple[str, str]:
        """(bucket, key) of a key of this bucket or of an ``s3://BUCKET/KEY`` elsewhere on the server."""
        if key.startswith(EXTERNAL):
            bucket, _, key = key[len(EXTERNAL):].partition("/")
            _check_key(key)
            return bucket, key
        _check_key(key)
        return self.bucket, key

    # -- objects registered in place (``sohoa upload s3://BUCKET/PREFIX``) -------------------------

    def list_objects(self, bucket: str, prefix: str) -> Iterator[tuple[str, int, str]]:
        """(key, size, etag) of every object under ``prefix`` in ``bucket``, in key order."""
        with self._translated(f"cannot list s3://{bucket}/{prefix}"):
            for obj in self._client.list_objects(bucket, prefix=prefix, recursive=True):
                if not obj.is_dir:
                    yield obj.object_name, obj.size or 0, (obj.etag or "").strip('"')

    def hash_object(self, bucket: str, key: str, head_size: int = 1024) -> tuple[str, bytes, int]:
        """(SHA-256, first ``head_size`` bytes, size) of an object, streamed: never held whole.

        An ETag is not a content hash (multipart uploads have ``<md5 of md5s>-<parts>``), so the
        bytes are read once, in chunks.
        """
        import hashlib

        digest, head, size = hashlib.sha256(), b"", 0
        with self._translated(f"cannot read s3://{bucket}/{key}"):
            response = self._client.get_object(bucket, key)
            try:
                for chunk in response.stream(1 << 20):
                    digest.update(chunk)
                    if len(head) < head_size:
                        head += chunk[: head_size - len(head)]
                    size += len(chunk)
            finally:
                response.close()
                response.release_conn()
        return digest.hexdigest(), head, size

    def _read_object(self, key: str, bucket: str | None = None) -> bytes:
        response = self._client.get_object(bucket or self.bucket, key)
        try:
            # urllib3 2 enforces Content-Length: a body cut short raises instead of returning less.
            return response.read()
        finally:
            response.close()
            response.release_conn()

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        """Turn SDK and network errors into the Sohoa error hierarchy."""
        try:
            yield
        except S3Error as exc:
            if exc.code in _MISSING_CODES:
                raise NotFound(f"object store: {what}: {exc.code} in bucket {self.bucket}") from None
            raise StoreUnavailable(f"object store {self!r}: {what}: {exc.code}: {exc.message}") from exc
        except (ServerError, InvalidResponseError) as exc:
            raise StoreUnavailable(f"object store {self!r}: {what}: {exc}") from exc
        except (urllib3.exceptions.HTTPError, OSError, MinioException) as exc:
            # Connection refused, DNS failure, timeouts, truncated bodies (retries exhausted).
            raise StoreUnavailable(f"object store {self!r} unreachable: {what}: {_short(exc)}") from exc


def _short(exc: BaseException) -> str:
    """The innermost cause of a urllib3 MaxRetryError, which otherwise repeats the whole URL."""
    reason = getattr(exc, "reason", None)
    return f"{type(reason).__name__}: {reason}" if reason is not None else f"{type(exc).__name__}: {exc}"


def _check_key(key: str) -> None:
    # The same rule as LocalObjectStore, so that a key valid on one backend is valid on the other.
    if not key or key.startswith("/") or ".." in key.split("/"):
        raise ValueError(f"invalid object key {key!r}")
