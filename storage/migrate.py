"""Create or migrate the database to the newest revision, then load the reference data.

The Alembic scripts live next to this module (``storage/migrations``), so they are found the same
way from a source checkout and from an installed package. Alembic is configured in code; the
``storage/alembic.ini`` file only serves the ``alembic`` command line for developers.
"""

from __future__ import annotations

import functools

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from schemas.errors import ConfigError, DatabaseUnavailable
from storage.db import make_engine
from storage.dbcheck import MIGRATIONS_DIR
# The PostgreSQL advisory lock that serialises migrations: any constant, the same in every process.
_MIGRATION_LOCK_KEY = 7_640_462


def alembic_config(database_url: str | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations (and ``database_url`` if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url:
        # ConfigParser interpolation: a literal % in a password must be doubled.
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@functools.cache
def head_revision() -> str:
    """The newest revision id shipped with this code."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise ConfigError(f"no migrations found under {MIGRATIONS_DIR}")
    return head


def current_revision(database_url: str) -> str | None:
    """The revision the database is at, or None for an empty (never migrated) database."""
    engine = make_engine(database_url)
    try:
        with _connect(engine) as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade_database(database_url: str) -> None:
    """Migrate the database at ``database_url`` to head, then load the reference data.

    One transaction for both, taken by one process at a time (a PostgreSQL advisory lock, an
    immediate SQLite transaction), so workers that start together neither race nor leave half a
    schema. Safe to call at every start: an up-to-date database costs a revision check and one
    look at the reference tables (well under a second).
    """
    # Imported here: the reference data module is only needed by this entry point.
    from storage.refdata import load_reference_data

    engine = _migration_engine(database_url)
    try:
        with _connect(engine) as connection, connection.begin():
            _serialise(connection)
            _migrate(connection, "head")
            load_reference_data(connection)
    finally:
        engine.dispose()


def migrate_database(database_url: str, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` only (no reference data), in one transaction."""
    engine = _migration_engine(database_url)
    try:
        with _connect(engine) as connection, connection.begin():
            _serialise(connection)
            _migrate(connection, revision)
    finally:
        engine.dispose()


def _migrate(connection: Connection, revision: str) -> None:
    if revision == "head" and MigrationContext.configure(connection).get_current_revision() == head_revision():
        return
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _migration_engine(database_url: str) -> Engine:
    """The application engine, but SQLite transactions really begin (and lock) at BEGIN.

    The sqlite3 driver would otherwise run DDL outside any transaction and only start one before
    the first INSERT: a failed migration could leave half a schema behind.
    """
    engine = make_engine(database_url, pool_size=1)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_manual_transactions)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


def _sqlite_manual_transactions(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None


def _serialise(connection: Connection) -> None:
    """Let one process migrate at a time; the others wait, then find the work done."""
    if connection.dialect.name == "postgresql":
        # Transaction-scoped: released at commit or rollback, even if the process dies.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
    # SQLite: BEGIN IMMEDIATE (see _migration_engine) already holds the database's write lock.


def _connect(engine: Engine):
    try:
        return engine.connect()
    except OperationalError as exc:
        raise DatabaseUnavailable(f"database unreachable: {exc.orig}") from exc
