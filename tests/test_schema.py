"""Migrations and constraints of the one-stop database, on SQLite and on the machine's PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, func, insert, inspect, select, text, update, delete
from sqlalchemy.exc import IntegrityError

from schemas.tables import Base, Batch, Document, FieldValue, Page, ReviewAction, SourceFile
from storage.db import make_engine
from storage.migrate import current_revision, head_revision, migrate_database
from tests.pg import make_pg_database

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="module", params=BACKENDS)
def migrated_url(request, tmp_path_factory) -> Iterator[str]:
    """An empty database of each backend, migrated to head (no reference data: see test_refdata)."""
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('schema') / 'sohoa.db'}", (lambda: None)
    else:
        url, drop = make_pg_database()
    try:
        migrate_database(url)
        yield url
    finally:
        drop()


@pytest.fixture
def connection(migrated_url) -> Iterator[Connection]:
    """A connection whose work is rolled back after the test, keeping the module's database clean."""
    engine = make_engine(migrated_url)
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            yield conn
        finally:
            transaction.rollback()
    engine.dispose()


def test_upgrade_creates_every_table_at_head(migrated_url):
    assert current_revision(migrated_url) == head_revision()
    engine = make_engine(migrated_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_upgrade_again_is_a_no_op(migrated_url):
    migrate_database(migrated_url)
    assert current_revision(migrated_url) == head_revision()


def test_empty_database_has_no_revision(tmp_path):
    assert current_revision(f"sqlite:///{tmp_path / 'empty.db'}") is None


def test_migrations_match_the_table_definitions(migrated_url):
    """Autogenerate against head finds nothing to do: tables.py and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(migrated_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


# --- constraints ------------------------------------------------------------------------------------


def _source_file(conn: Connection, sha: str = "a" * 64) -> int:
    batch_id = conn.execute(insert(Batch).values(name=f"batch-{sha[:8]}").returning(Batch.id)).scalar_one()
    return conn.execute(
        insert(SourceFile)
        .values(batch_id=batch_id, sha256=sha, object_key=f"src/{sha}", original_path="hs-1.pdf", size=10,
                media_type="application/pdf", status="pending", pages_done=0, attempts=0)
        .returning(SourceFile.id)
    ).scalar_one()


def _document(conn: Connection) -> int:
    file_id = _source_file(conn)
    return conn.execute(
        insert(Document).values(source_file_id=file_id, seq=1, doc_type="khac", type_confidence=0.5,
                                pages=[1], status="needs_review").returning(Document.id)
    ).scalar_one()


def _field(conn: Connection, document_id: int, *, current: bool = True) -> int:
    return conn.execute(
        insert(FieldValue).values(document_id=document_id, key="full_name", value="Nguyễn Văn An", confidence=0.9,
                                  status="needs_review", is_current=current, origin="machine")
        .returning(FieldValue.id)
    ).scalar_one()


def _refused(conn: Connection, statement, match: str | None = None) -> None:
    """``statement`` fails with an integrity error; the savepoint keeps the connection usable."""
    with pytest.raises(IntegrityError, match=match):
        with conn.begin_nested():
            conn.execute(statement)


def test_duplicate_sha256_is_refused(connection):
    _source_file(connection, "b" * 64)
    with pytest.raises(IntegrityError):
        with connection.begin_nested():
            _source_file(connection, "b" * 64)


def test_duplicate_page_number_is_refused(connection):
    file_id = _source_file(connection)
    connection.execute(insert(Page).values(source_file_id=file_id, page_no=1, status="pending", attempts=0,
                                           rotation=0, skew=0.0))
    _refused(connection, insert(Page).values(source_file_id=file_id, page_no=1, status="pending", attempts=0,
                                             rotation=0, skew=0.0))


@pytest.mark.parametrize(
    "table, values",
    [
        (SourceFile, {"status": "bogus"}),
        (Page, {"status": "bogus"}),
        (Page, {"rotation": 45}),
        (Document, {"status": "bogus"}),
        (FieldValue, {"status": "bogus"}),
    ],
    ids=["file-status", "page-status", "page-rotation", "document-status", "field-status"],
)
def test_bad_values_are_refused(connection, table, values):
    document_id = _document(connection)
    file_id = connection.execute(select(Document.source_file_id).where(Document.id == document_id)).scalar_one()
    row_id = {
        SourceFile: file_id,
        Document: document_id,
        FieldValue: _field(connection, document_id),
        Page: connection.execute(
            insert(Page).values(source_file_id=file_id, page_no=1, status="pending", attempts=0, rotation=0, skew=0.0)
            .returning(Page.id)
        ).scalar_one(),
    }[table]
    _refused(connection, update(table).where(table.id == row_id).values(**values))


def test_second_current_value_of_a_field_is_refused(connection):
    document_id = _document(connection)
    _field(connection, document_id, current=False)
    first = _field(connection, document_id, current=True)
    with pytest.raises(IntegrityError):
        with connection.begin_nested():
            _field(connection, document_id, current=True)
    # Moving the flag (old row off, new row on) is how corrections work, and is allowed.
    connection.execute(update(FieldValue).where(FieldValue.id == first).values(is_current=False))
    _field(connection, document_id, current=True)
    current = connection.execute(
        select(func.count()).select_from(FieldValue).where(FieldValue.document_id == document_id,
                                                           FieldValue.is_current.is_(True))
    ).scalar_one()
    assert current == 1


def test_review_actions_are_append_only(connection):
    document_id = _document(connection)
    action_id = connection.execute(
        insert(ReviewAction).values(document_id=document_id, key="full_name", reviewer="can.bo@xa", action="correct",
                                    old_value="Nguyen Van An", new_value="Nguyễn Văn An").returning(ReviewAction.id)
    ).scalar_one()
    _refused(connection, update(ReviewAction).where(ReviewAction.id == action_id).values(new_value="x"),
             match="append-only")
    _refused(connection, delete(ReviewAction).where(ReviewAction.id == action_id), match="append-only")
    _refused(connection, text("DELETE FROM review_actions"), match="append-only")
    assert connection.execute(select(func.count()).select_from(ReviewAction)).scalar_one() == 1
    # The server default stamps the time when the caller does not.
    assert connection.execute(select(ReviewAction.at).where(ReviewAction.id == action_id)).scalar_one() is not None
