"""Database engine and sessions.

One engine per process, created lazily *after* fork (workers fork; pools must not be shared).
SQLite gets WAL and a busy timeout so the in-process worker threads and the CLI can share the
file; PostgreSQL gets a small pool sized to the worker threads. Connection failures are
translated to :class:`~schemas.errors.DatabaseUnavailable` (transient) at this boundary.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from schemas.errors import DatabaseUnavailable

_ENGINES: dict[tuple[int, str], Engine] = {}


WAL_SWITCH_WAIT_S = 30.0
"""How long a new connection waits to switch a fresh SQLite file to WAL while another one writes."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    _use_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _use_wal(cursor) -> None:
    """Put the file in WAL mode (it stays so). SQLite answers "database is locked" at once, without
    its busy handler, when the switch meets another connection's write (two processes starting on
    a fresh file, one of them migrating): wait for it instead of failing the start."""
    deadline = time.monotonic() + WAL_SWITCH_WAIT_S
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def make_engine(url: str, *, pool_size: int = 2) -> Engine:
    """A new engine for ``url`` (SQLite folders are created)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=2,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"connect_timeout": 10},
    )


def get_engine(url: str, *, pool_size: int = 2) -> Engine:
    """The process's engine for ``url``; a forked child gets its own (keyed by pid)."""
    key = (os.getpid(), url)
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = make_engine(url, pool_size=pool_size)
    return engine


def session_factory(url: str, *, pool_size: int = 2) -> sessionmaker[Session]:
    """A sessionmaker bound to the process's engine for ``url``."""
    return sessionmaker(get_engine(url, pool_size=pool_size), expire_on_commit=False)


@contextlib.contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One short transaction: commit on success, roll back on error; outages become transient errors."""
    session = factory()
    try:
        yield session
        session.commit()
    except DBAPIError as exc:  # OperationalError mostly; InterfaceError when the connection is gone
        session.rollback()
        if _is_connection_problem(exc):
            raise DatabaseUnavailable(f"database unreachable: {exc.orig}") from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# SQLSTATE classes that mean "the server is not there for us right now", not "the query is wrong":
# 08 connection exception, 57P admin/crash shutdown and "cannot connect now", 53 out of resources
# (too many connections), 40001/40P01 serialisation failure and deadlock (run it again).
_TRANSIENT_SQLSTATES = ("08", "57P", "53", "40001", "40P01")
_CONNECTION_MARKERS = (
    "could not connect", "connection refused", "connection failed", "server closed", "database is locked",
    "terminating connection", "connection timed out", "unable to open database", "connection is closed",
    "not currently accepting connections", "the database system is", "consuming input failed",
    "ssl connection has been closed",
)


def _is_connection_problem(exc: DBAPIError) -> bool:
    """Is ``exc`` an outage (retry later) rather than a fault in the statement or the data?"""
    if exc.connection_invalidated:
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    if sqlstate.startswith(_TRANSIENT_SQLSTATES):
        return True
    text = str(exc.orig).lower()
    return any(marker in text for marker in _CONNECTION_MARKERS)


def upsert_insert(session: Session):
    """``insert`` of the session's dialect, the one with ``on_conflict_do_update`` (PostgreSQL, SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert
