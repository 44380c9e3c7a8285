"""Intake: put scan files into the object store, record them, enqueue them.

Used by ``sohoa upload`` and ``sohoa run``. Files are deduplicated by SHA-256 (a file already
known is not stored or processed again), and an interrupted upload can simply be run again.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from schemas.errors import UnsupportedFormat
from storage import repo
from storage.db import transaction
from storage.objects import sha256_hex, source_key
from workers.runtime import Runtime

SCAN_SUFFIXES = {".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png"}


@dataclass
class IntakeReport:
    """What happened to every file given to :func:`register_paths`."""

    batch: str
    new: list[int] = field(default_factory=list)
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    resumed: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def to_process(self) -> list[int]:
        return self.new + self.resumed


def iter_scan_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """(file, path relative to the upload root) for every scan under ``paths``, in a stable order."""
    for root in paths:
        root = Path(root)
        if root.is_file():
            yield root, root.name
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if path.suffix.lower() in SCAN_SUFFIXES:
                yield path, path.relative_to(root).as_posix()


def read_manifest(path: Path | None) -> dict[str, dict]:
    """Rows of a CSV manifest keyed by its ``file`` (or ``path``) column."""
    if path is None:
        return {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    key = "file" if rows and "file" in rows[0] else "path"
    return {row[key]: row for row in rows if row.get(key)}


def sniff(data: bytes, name: str) -> str:
    from ocr.decode import sniff_media_type

    return sniff_media_type(data, name)


def register_paths(
    rt: Runtime,
    paths: Iterable[Path],
    batch_name: str,
    *,
    manifest: dict[str, dict] | None = None,
    on_file: Callable[[str], None] | None = None,
) -> IntakeReport:
    """Store and record every scan under ``paths`` in batch ``batch_name``; return what to enqueue."""
    report = IntakeReport(batch=batch_name)
    manifest = manifest or {}
    with transaction(rt.sessions) as s:
        repo.get_or_create_batch(s, batch_name)
    for path, relative in iter_scan_files(paths):
        data = path.read_bytes()
        try:
            media_type = sniff(data, relative)
        except UnsupportedFormat as exc:
            media_type = "application/octet-stream"
            report.skipped.append((relative, exc.reason))  # still recorded below: it will fail with the reason
        digest = sha256_hex(data)
        key = source_key(digest)
        if not rt.store.exists(key):
            rt.store.put(key, data, media_type)
        with transaction(rt.sessions) as s:
            batch = repo.get_or_create_batch(s, batch_name)
            source, created = repo.add_source_file(
                s, batch, sha256=digest, object_key=key, original_path=relative, size=len(data),
                media_type=media_type, manifest=manifest.get(relative),
            )
            file_id, status = source.id, source.status
        if created:
            report.new.append(file_id)
        elif status == "pending":
            report.resumed.append(file_id)  # recorded by an interrupted upload: enqueue again
        else:
            report.duplicates.append((relative, file_id))
        if on_file:
            on_file(relative)
    return report
