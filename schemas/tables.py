"""Tables of the three-level one-stop database (SQLAlchemy 2 declarative).

The same definitions run on SQLite (embedded default) and PostgreSQL (production); Alembic
migrations under ``storage/migrations`` create them. Constraints keep the data honest: one row per
SHA-256, one row per page number of a file, status values checked, at most one *current* value
per field of a document, and review actions that are only ever appended.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from schemas.results import DOCUMENT_STATUSES, FIELD_STATUSES

# Stable constraint names so that migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

UNIT_LEVELS = ("province", "district", "commune")
UNIT_ERAS = ("pre2025", "2025")
FILE_STATUSES = ("pending", "ingested", "reading", "analysing", "done", "failed", "duplicate")
PAGE_STATUSES = ("pending", "done", "failed")
TEXT_SOURCES = ("ocr", "text_layer", "blank")
AGENCY_LEVELS = ("tinh", "huyen", "xa", "trung_uong")
REVIEW_ACTIONS = ("correct", "confirm", "set_type", "move_page", "set_unit")
USER_ROLES = ("admin", "reviewer", "ops", "viewer")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class AdminUnit(Base):
    """A tỉnh / huyện / xã with its GSO code, before (pre2025) or after (2025) the 2025 reform."""

    __tablename__ = "admin_units"
    __table_args__ = (
        UniqueConstraint("era", "level", "code"),
        CheckConstraint(_in("level", UNIT_LEVELS), name="level"),
        CheckConstraint(_in("era", UNIT_ERAS), name="era"),
        Index("ix_admin_units_parent", "parent_id"),
        Index("ix_admin_units_folded", "era", "level", "folded_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    era: Mapped[str] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(5), doc="GSO code: 2 digits province, 3 district, 5 commune")
    name: Mapped[str] = mapped_column(String(120), doc="Name without the type, e.g. 'Ba Đình'")
    unit_type: Mapped[str] = mapped_column(String(40), doc="Tỉnh, Thành phố, Quận, Huyện, Thị xã, Xã, Phường…")
    folded_name: Mapped[str] = mapped_column(String(120), doc="lower case, no marks, đ→d: for matching")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("admin_units.id"))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    parent: Mapped[AdminUnit | None] = relationship(remote_side="AdminUnit.id")


class UnitMapping(Base):
    """Old (pre-2025) unit → new (2025) unit, as published with the reform."""

    __tablename__ = "unit_mappings"
    __table_args__ = (UniqueConstraint("old_unit_id", "new_unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    old_unit_id: Mapped[int] = mapped_column(ForeignKey("admin_units.id", ondelete="CASCADE"))
    new_unit_id: Mapped[int] = mapped_column(ForeignKey("admin_units.id", ondelete="CASCADE"))


class Agency(Base):
    """A receiving or issuing body (UBND xã…, Sở…, bộ phận một cửa)."""

    __tablename__ = "agencies"
    __table_args__ = (
        UniqueConstraint("name", "unit_id"),
        CheckConstraint(_in("level", AGENCY_LEVELS), name="level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str] = mapped_column(String(12))
    e_id: Mapped[str | None] = mapped_column(String(40), unique=True, doc="Agency e-ID code, e.g. 000.00.15.H26")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("admin_units.id"))


class Procedure(Base):
    """An administrative procedure (thủ tục hành chính) with its national code d.dddddd."""

    __tablename__ = "procedures"
    __table_args__ = (CheckConstraint(_in("level", AGENCY_LEVELS), name="level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(12))
    folded_name: Mapped[str] = mapped_column(Text)


class Batch(Base):
    """One upload by an archive team."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    manifest_key: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("admin_units.id"), doc="Owning unit, if given")

    files: Mapped[list[SourceFile]] = relationship(back_populates="batch")


class SourceFile(Base):
    """One uploaded scan file (a dossier or a document), stored once per SHA-256."""

    __tablename__ = "source_files"
    __table_args__ = (
        CheckConstraint(_in("status", FILE_STATUSES), name="status"),
        CheckConstraint("pages_done >= 0", name="pages_done"),
        Index("ix_source_files_batch_status", "batch_id", "status"),
        Index("ix_source_files_receiving_unit", "receiving_unit_id", "batch_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    object_key: Mapped[str] = mapped_column(String(200))
    original_path: Mapped[str] = mapped_column(Text, doc="Path as given, relative to the upload root")
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    page_count: Mapped[int | None] = mapped_column(Integer)
    pages_done: Mapped[int] = mapped_column(Integer, default=0, doc="Fan-in counter of finished pages")
    attempts: Mapped[int] = mapped_column(Integer, default=0, doc="Deliveries of its ingest message, then of its analysis message (reset when its last page triggers analysis)")
    manifest: Mapped[dict[str, Any] | None] = mapped_column(JSON, doc="Its row of the upload manifest")
    receiving_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_units.id"),
        doc="The unit that received the dossier (manifest row, else the batch's --unit): the reviewers' scope",
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    # --- Part 8 ---
    enqueued_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), doc="When its first message was sent (None: an upload died before sending it)"
    )

    batch: Mapped[Batch] = relationship(back_populates="files")
    pages: Mapped[list[Page]] = relationship(back_populates="source_file", order_by="Page.page_no")
    documents: Mapped[list[Document]] = relationship(back_populates="source_file", order_by="Document.seq")


class Page(Base):
    """One page of a source file, with what the page path measured and read."""

    __tablename__ = "pages"
    __table_args__ = (
        UniqueConstraint("source_file_id", "page_no"),
        CheckConstraint("page_no >= 1", name="page_no"),
        CheckConstraint("rotation IN (0, 90, 180, 270)", name="rotation"),
        CheckConstraint(_in("status", PAGE_STATUSES), name="status"),
        CheckConstraint(f"text_source IS NULL OR {_in('text_source', TEXT_SOURCES)}", name="text_source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id", ondelete="CASCADE"))
    page_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    skew: Mapped[float] = mapped_column(Float, default=0.0)
    dpi: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    text_source: Mapped[str | None] = mapped_column(String(10))
    ocr_text: Mapped[str | None] = mapped_column(Text)
    mean_conf: Mapped[float | None] = mapped_column(Float)
    image_key: Mapped[str | None] = mapped_column(String(200), doc="Page image as split from the file")
    words_key: Mapped[str | None] = mapped_column(String(200), doc="PageText JSON: words with boxes")
    timings: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    source_file: Mapped[SourceFile] = relationship(back_populates="pages")


class Dossier(Base):
    """A hồ sơ TTHC as known to the one-stop system."""

    __tablename__ = "dossiers"
    __table_args__ = (
        CheckConstraint("status_code IS NULL OR (status_code BETWEEN 1 AND 10)", name="status_code"),
        CheckConstraint(
            "timeliness IS NULL OR timeliness IN ('truoc_han', 'dung_han', 'qua_han')", name="timeliness"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_code: Mapped[str] = mapped_column(String(60), unique=True, doc="mã hồ sơ")
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedures.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("admin_units.id"), doc="Receiving unit")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), doc="Receiving agency")
    applicant_name: Mapped[str | None] = mapped_column(String(200))
    received_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status_code: Mapped[int | None] = mapped_column(Integer, doc="National status 1..10")
    timeliness: Mapped[str | None] = mapped_column(String(10))


class Document(Base):
    """One document cut from a source file: its type, pages, status and text."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("source_file_id", "seq"),
        CheckConstraint(_in("status", DOCUMENT_STATUSES), name="status"),
        CheckConstraint("type_confidence >= 0 AND type_confidence <= 1", name="type_confidence"),
        Index("ix_documents_status", "status"),
        Index("ix_documents_queue", "status", "source_file_id", "least_confidence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer, doc="Order of the document within its file, from 1")
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    doc_type: Mapped[str] = mapped_column(String(40), default="khac")
    type_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    type_cues: Mapped[list[Any] | None] = mapped_column(JSON)
    page_from: Mapped[int | None] = mapped_column(Integer)
    page_to: Mapped[int | None] = mapped_column(Integer)
    pages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    page_roles: Mapped[list[Any] | None] = mapped_column(JSON, doc="title/continuation/attachment per page of pages")
    status: Mapped[str] = mapped_column(String(14), default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("admin_units.id"))
    unit_codes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # --- Part 6 (migration 0006_units_2025) ---
    unit_2025_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_units.id"), doc="The 2025 commune (else province) the document's pre-2025 unit became part of")
    version: Mapped[int] = mapped_column(
        Integer, default=1, server_default="1",
        doc="Raised by every reviewer change: a save carrying an older version is refused (409)",
    )
    least_confidence: Mapped[float | None] = mapped_column(
        Float, doc="Lowest confidence of its fields needing review (the queue's order); null when none",
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)

    source_file: Mapped[SourceFile] = relationship(back_populates="documents")
    fields: Mapped[list[FieldValue]] = relationship(back_populates="document", order_by="FieldValue.id")
    unit: Mapped[AdminUnit | None] = relationship(foreign_keys=[unit_id], viewonly=True)
    unit_2025: Mapped[AdminUnit | None] = relationship(foreign_keys=[unit_2025_id], viewonly=True)


class FieldValue(Base):
    """One value of one field of a document. Corrections add a row and move the current flag."""

    __tablename__ = "fields"
    __table_args__ = (
        CheckConstraint(_in("status", FIELD_STATUSES), name="status"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
        CheckConstraint("origin IN ('machine', 'reviewer')", name="origin"),
        # At most one current value per (document, key): the invariant reprocessing must keep.
        Index(
            "uq_fields_current",
            "document_id",
            "key",
            unique=True,
            sqlite_where=text("is_current = 1"),
            postgresql_where=text("is_current"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    raw_value: Mapped[str | None] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    page: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list[Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(14))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    origin: Mapped[str] = mapped_column(String(10), default="machine")
    checks: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    features: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)

    document: Mapped[Document] = relationship(back_populates="fields")


class ReviewAction(Base):
    """Append-only log of what reviewers did (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "review_actions"
    __table_args__ = (CheckConstraint(_in("action", REVIEW_ACTIONS), name="action"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    field_id: Mapped[int | None] = mapped_column(ForeignKey("fields.id"))
    key: Mapped[str | None] = mapped_column(String(40))
    reviewer: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(10))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())


class Calibration(Base):
    """A fitted confidence calibration, versioned."""

    __tablename__ = "calibrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    source: Mapped[str] = mapped_column(String(20), doc="samples or reviews")
    threshold: Mapped[float] = mapped_column(Float)
    model: Mapped[dict[str, Any]] = mapped_column(JSON)
    metrics: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class DeadLetter(Base):
    """A message that failed for good: kept for listing and replay."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor: Mapped[str] = mapped_column(String(60))
    queue: Mapped[str] = mapped_column(String(60))
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    replayed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# --- Part 7 ---

class WorkerHeartbeat(Base):
    """One live ``sohoa worker`` process, as it last reported itself (every few seconds).

    A process that stops cleanly deletes its row; one that is killed leaves it behind, growing
    older: a row not refreshed for the live window (60 s) is a worker that is not live.
    """

    __tablename__ = "worker_heartbeats"

    worker_id: Mapped[str] = mapped_column(String(120), primary_key=True, doc="host:pid")
    host: Mapped[str] = mapped_column(String(100))
    pid: Mapped[int] = mapped_column(Integer)
    parent_pid: Mapped[int | None] = mapped_column(Integer)
    queues: Mapped[list[Any] | None] = mapped_column(JSON, doc="Queues it consumes; null = all")
    threads: Mapped[int] = mapped_column(Integer, default=1)
    processed: Mapped[int] = mapped_column(Integer, default=0, doc="Messages it finished since it started")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class OutboxMessage(Base):
    """A message decided in a transaction and sent after its commit (the transactional outbox).

    The row is written in the transaction that makes the decision (e.g. the fan-in's claim of a
    file's analysis) and deleted once the broker took the message; a row still here after a short
    bound (the broker was down at the send) is sent again by the relay. Sending twice is harmless:
    every actor is safe to run twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_actor_entity", "actor", "entity_id"), Index("ix_outbox_created_at", "created_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int] = mapped_column(Integer, doc="The message's one argument: a file or page id")
    attempts: Mapped[int] = mapped_column(Integer, default=0, doc="Sends tried")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), doc="When a sender last took it; null = not yet"
    )


class OpsCounter(Base):
    """Monotonic counters kept by the stages in their own transactions (pages read, failures by
    reason…), so that ``/metrics`` reads a few dozen rows instead of counting a million.

    Each counter is spread over a few ``shard`` rows (picked by process id) so that concurrent
    workers do not queue on one hot row; readers sum the shards.
    """

    __tablename__ = "ops_counters"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    label: Mapped[str] = mapped_column(String(120), primary_key=True, default="")
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    value: Mapped[int] = mapped_column(Integer, default=0)


# --- Part 5 ---

class User(Base):
    """A person who signs in to the review station, bound to one administrative unit (their scope)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", USER_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_units.id"), doc="Sees dossiers received at this unit or below")
    password_hash: Mapped[str] = mapped_column(String(255), doc="argon2id")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    token_epoch: Mapped[int] = mapped_column(
        Integer, default=0, server_default=text("0"),
        doc="Signed into every token and session; a sign-out or revoke bumps it, ending them all")

    unit: Mapped[AdminUnit] = relationship()


class LoginFailure(Base):
    """A failed login, kept a minute: the login limit shared by every server process.

    ``key`` is a keyed hash of the user name and client address (what was typed as a name may be a
    password, so it is not stored as such)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "failed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
