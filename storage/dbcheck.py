"""Is the database already migrated and loaded? Answered without importing Alembic.

``sohoa run`` checks its database at every start; Alembic's import alone (it pulls in Mako and
Pygments) costs more than the check, so the usual case - nothing to do - is settled here from the
revision files and one look at the tables, and :func:`storage.migrate.upgrade_database` runs only
when something is missing or unclear.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storage.db import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_REVISION = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=\n]*=\s*(.+)$", re.MULTILINE)


@functools.cache
def head_from_files() -> str | None:
    """The one revision no other revision builds on, read from the migration files; None when the
    files are not a plain chain (branches, merges, revisions written otherwise): ask Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None:
            continue
        if down is None:
            return None
        revisions.add(revision.group(1))
        parent = down.group(1).strip()
        if parent != "None":
            quoted = re.fullmatch(r"['\"]([^'\"]+)['\"]", parent)
            if quoted is None:
                return None  # a merge (a tuple of parents): not a plain chain
            parents.add(quoted.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_ready(database_url: str) -> bool:
    """True when the database is at the code's head revision with its reference data loaded;
    False whenever that is not certain (the caller then migrates, which is safe to repeat)."""
    head = head_from_files()
    if head is None:
        return False
    from storage.refdata import _already_loaded

    engine = make_engine(database_url, pool_size=1)
    try:
        with engine.connect() as connection:
            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            return current == [head] and _already_loaded(connection)
    except SQLAlchemyError:
        return False  # no such table yet, or unreachable: the full path says which
    finally:
        engine.dispose()
