"""Alembic environment: runs the revisions under ``versions/`` on SQLite or PostgreSQL.

Normally driven by :func:`storage.migrate.upgrade_database`, which passes an open connection in
``config.attributes["connection"]``; the ``alembic -c storage/alembic.ini`` command line also
works and then connects to ``sqlalchemy.url``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from schemas.tables import Base

config = context.config
target_metadata = Base.metadata


def _database_url() -> str:
    """``-x url=…`` on the command line wins over ``sqlalchemy.url`` of the ini file."""
    return context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")


def _configure_and_run(connection: Connection) -> None:
    # SQLite cannot ALTER most things in place: batch mode rebuilds the table instead.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``alembic upgrade head --sql``)."""
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a live database: the caller's connection if given, else a fresh engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    engine = create_engine(_database_url(), poolclass=pool.NullPool)
    with engine.connect() as fresh:
        _configure_and_run(fresh)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
