"""Zip archives handed to ``upload``/``run``: their members become files of the batch, safely.

Refused, each with its reason: the whole archive when it is not a readable zip, has more than
``zip_max_members`` members or adds up to more than ``zip_max_bytes`` once expanded; a member whose
name is absolute or climbs out with ``..``, that is a link, is encrypted, or expands more than
``zip_max_ratio`` times (a zip bomb). Sizes are checked from the central directory *before*
anything is expanded, and the expansion itself is capped at the declared size (a lying header
cannot make a member bigger than it said).
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from schemas.errors import PermanentError


class ArchiveRefused(PermanentError):
    code = "archive_refused"


@dataclass(frozen=True)
class Member:
    """One member of an archive: its name inside, its declared size, or why it is refused."""

    name: str
    size: int
    refused: str | None = None


@dataclass(frozen=True)
class ZipLimits:
    max_members: int
    max_ratio: int
    max_bytes: int


def list_members(archive: Path, limits: ZipLimits) -> list[Member]:
    """The file members of ``archive`` (directories left out); :class:`ArchiveRefused` for the whole."""
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveRefused(f"not a readable zip archive ({exc})") from None
    files = [info for info in infos if not info.is_dir()]
    if len(files) > limits.max_members:
        raise ArchiveRefused(f"{len(files)} members, more than the limit of {limits.max_members}")
    total = sum(info.file_size for info in files)
    if total > limits.max_bytes:
        raise ArchiveRefused(f"expands to {total:,} bytes, more than the limit of {limits.max_bytes:,}")
    return [Member(info.filename, info.file_size, _member_refusal(info, limits)) for info in files]


def _member_refusal(info: zipfile.ZipInfo, limits: ZipLimits) -> str | None:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "unsafe_path: an absolute path inside the archive"
    if ".." in parts:
        return "unsafe_path: the name climbs out of the archive with '..'"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "unsafe_path: a symbolic link inside the archive"
    if info.flag_bits & 0x1:
        return "encrypted: the member is protected by a password"
    if info.file_size > 0 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        return (f"zip_bomb: expands {ratio:,.0f} times ({info.compress_size:,} -> {info.file_size:,} bytes),"
                f" beyond the limit of {limits.max_ratio}")
    return None


def read_member(zf: zipfile.ZipFile, name: str, declared_size: int) -> bytes:
    """The member's bytes, never more than it declared (plus one byte to notice a lie)."""
    chunks, total = [], 0
    with zf.open(name) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            total += len(chunk)
            if total > declared_size:
                raise ArchiveRefused(f"{name}: expands beyond its declared {declared_size:,} bytes")
            chunks.append(chunk)
    return b"".join(chunks)
