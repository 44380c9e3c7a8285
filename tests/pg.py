"""Throw-away PostgreSQL databases on the machine's server (127.0.0.1:5432, user postgres, trust).

Use :func:`make_pg_database` directly, or import the ``pg_url`` fixture into a test module
(``from tests.pg import pg_url  # noqa: F401``). PostgreSQL is part of the machine: when it is
down, tests FAIL with a clear message instead of being skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

PG_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432"


def _admin_engine() -> Engine:
    # AUTOCOMMIT: CREATE / DROP DATABASE cannot run inside a transaction.
    return create_engine(
        f"{PG_SERVER_URL}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )


def make_pg_database(prefix: str = "sohoa_test") -> tuple[str, Callable[[], None]]:
    """Create an empty, uniquely named database; return its URL and a function that drops it."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_SERVER_URL} (it must run on this machine): {exc.orig}",
            pytrace=False,
        )

    def drop() -> None:
        with admin.connect() as connection:
            # WITH (FORCE) ends connections a test may have leaked (PostgreSQL 13+).
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{PG_SERVER_URL}/{name}", drop


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    url, drop = make_pg_database()
    try:
        yield url
    finally:
        drop()


@pytest.fixture(scope="module")
def migrated_pg_url() -> Iterator[str]:
    """URL of a PostgreSQL database migrated to head with the reference data, shared by a module."""
    from storage.migrate import upgrade_database

    url, drop = make_pg_database()
    try:
        upgrade_database(url)
        yield url
    finally:
        drop()
