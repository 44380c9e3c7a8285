"""``sohoa upload s3://BUCKET/PREFIX``: register scans already in object storage, without copying.

The bucket must be on the server of ``SOHOA_STORAGE_URL`` (same credentials). Each object under
the prefix is read once, streaming, for its SHA-256 (an ETag is not a content hash) and its first
bytes (the format check); it is recorded with the key ``s3://BUCKET/KEY``, which the workers read
in place. Names are the keys relative to the prefix, in NFC. Every object gets an outcome, as in
:mod:`workers.intake`; an object registered before is recognised by its key without being read
again, so ``--watch`` (a poll every ``interval`` seconds) only reads what is new.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from schemas.errors import ConfigError, UnsupportedFormat
from schemas.tables import SourceFile
from storage import repo
from storage.db import transaction
from workers.intake import FileOutcome, IntakeReport, _known_file, _record, check_manifest, send_all, sniff
from workers.manifest import normalise_name
from workers.runtime import Runtime

# source_files.object_key is 200 characters.
MAX_KEY = 200


def parse_source(source: str) -> tuple[str, str]:
    """(bucket, prefix) of ``s3://BUCKET/PREFIX`` (the prefix may be empty)."""
    bucket, _, prefix = source[len("s3://"):].partition("/")
    if not bucket:
        raise ConfigError(f"{source}: expected s3://BUCKET/PREFIX")
    return bucket, prefix


def _store(rt: Runtime):
    from storage.s3 import S3ObjectStore

    if not isinstance(rt.store, S3ObjectStore):
        raise ConfigError("s3:// sources are registered in place: set SOHOA_STORAGE_URL=s3://… to the server "
                          "that holds the bucket (its credentials are used to read it)")
    return rt.store


def pull_objects(rt: Runtime, sources: list[str], batch_name: str, *, manifest: Path | None = None,
                 retry_failed: bool = False, watch: bool = False, interval: float = 30.0,
                 console=None, max_polls: int | None = None) -> IntakeReport:
    """Register the objects under every ``s3://BUCKET/PREFIX``; with ``watch``, keep polling.

    In watch mode each poll's messages are sent at once (the returned report's messages are then
    empty); ``max_polls`` ends the watch (tests), else it runs until interrupted.
    """
    store = _store(rt)
    report = IntakeReport(batch=batch_name)
    with transaction(rt.sessions) as s:
        repo.get_or_create_batch(s, batch_name)
    listing = [(bucket, prefix, key, size) for bucket, prefix in map(parse_source, sources)
               for key, size, _etag in store.list_objects(bucket, prefix)]
    rows = check_manifest(rt, manifest, [_name(prefix, key) for _b, prefix, key, _s in listing])
    polls = 0
    while True:
        seen = len(report.files)
        for bucket, prefix, key, size in listing:
            outcome = _register_object(rt, store, report, bucket, prefix, key, size, batch_name, rows,
                                       retry_failed=retry_failed)
            if outcome is not None:
                report.add(outcome)
        polls += 1
        if not watch:
            return report
        send_all(rt, report)
        report.messages.clear()
        if console is not None:
            for f in report.files[seen:]:
                console.print(f"{f.outcome:<11} {f.name}{': ' + f.reason if f.reason else ''}", highlight=False,
                              soft_wrap=True)
        if max_polls is not None and polls >= max_polls:
            return report
        try:
            time.sleep(interval)
        except KeyboardInterrupt:
            return report
        known = {(f.name) for f in report.files}
        listing = [(bucket, prefix, key, size) for bucket, prefix in map(parse_source, sources)
                   for key, size, _etag in store.list_objects(bucket, prefix) if _name(prefix, key) not in known]


def _name(prefix: str, key: str) -> str:
    return normalise_name(key[len(prefix):].lstrip("/") or key.rsplit("/", 1)[-1])


def _register_object(rt: Runtime, store, report: IntakeReport, bucket: str, prefix: str, key: str, size: int,
                     batch_name: str, rows: dict, *, retry_failed: bool) -> FileOutcome | None:
    name = _name(prefix, key)
    object_key = f"s3://{bucket}/{key}"
    if len(object_key) > MAX_KEY:
        return FileOutcome(name, "failed", f"key_too_long: {len(object_key)} characters, at most {MAX_KEY}",
                           size=size)
    if key.lower().endswith(".zip"):
        return FileOutcome(name, "unsupported", "unsupported_format: zip archives in object storage are not "
                           "opened; unpack them under the prefix", size=size)
    with transaction(rt.sessions) as s:
        known = s.scalar(select(SourceFile).where(SourceFile.object_key == object_key))
        if known is not None:  # registered by an earlier pull: not read again
            return _known_file(rt, s, report, known, name, size, retry_failed=retry_failed, resume_queued=False)
    digest, head, size = store.hash_object(bucket, key)
    try:
        media_type = sniff(head, name) if size else sniff(b"", name)
    except UnsupportedFormat as exc:
        return FileOutcome(name, "unsupported", exc.reason, size=size)
    with transaction(rt.sessions) as s:
        known = repo.find_file_by_sha(s, digest)
        if known is not None:
            return _known_file(rt, s, report, known, name, size, retry_failed=retry_failed, resume_queued=False)
    return _record(rt, report, name, digest, object_key, size, media_type, batch_name, rows.get(name),
                   retry_failed=retry_failed, resume_queued=False)
