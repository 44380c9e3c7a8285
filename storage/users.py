"""Users of the review station and the scope of what each may see.

A user has a role (``admin``, ``reviewer``, ``ops``, ``viewer``) and is bound to one
administrative unit. Passwords are stored as argon2id hashes (``argon2-cffi``), never in clear
and never logged.

Scope: a user sees the dossiers whose *receiving unit* (``source_files.receiving_unit_id``) lies
in :func:`scope_unit_ids` of their unit - the unit, every unit below it, and, across the 2025
reform, the units of the other era that ``unit_mappings`` ties to it: the pre-2025 units merged
into a 2025 unit (and everything below them), and a 2025 unit made only of units in scope. The
set comes from a recursive SQL query over the unit table (kept per unit for a few minutes, see
:func:`scope_ids`) and every document query filters on it in its WHERE clause. Admins also see
the documents no unit received ("no unit").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, case, delete, func, literal, select, union, union_all, update
from sqlalchemy.orm import Session

from schemas.errors import NotFound, PermanentError
from schemas.tables import UNIT_ERAS, USER_ROLES, AdminUnit, LoginFailure, UnitMapping, User

_HASHER = PasswordHasher()
NAME = re.compile(r"^[A-Za-z0-9._@-]{1,120}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
LEVEL_OF_CODE_LENGTH = {2: "province", 3: "district", 5: "commune"}


class BadUserInput(PermanentError):
    """A user name, role, unit or password that cannot be accepted."""

    code = "bad_user"


@dataclass(frozen=True)
class Principal:
    """Who is signed in: what the API and pages need to know, detached from any session."""

    id: int
    name: str
    role: str
    unit_id: int
    unit_label: str
    epoch: int = 0
    """The user's token epoch when read: tokens and sessions signed with another one are void."""

    @property
    def sees_unitless(self) -> bool:
        """Documents no unit received are for admins only."""
        return self.role == "admin"


# -- units ----------------------------------------------------------------------------------------

def find_unit(session: Session, code: str) -> AdminUnit:
    """The unit a ``--unit`` names: ``CODE`` or ``ERA:CODE`` (``2025:01``, ``pre2025:001``).

    The code's length gives the level (2 province, 3 district, 5 commune). A bare code that both
    eras use is taken as the 2025 unit (the units in force); districts exist only before 2025.
    """
    era, _, bare = code.strip().rpartition(":")
    if era and era not in UNIT_ERAS:
        raise BadUserInput(f"unit {code!r}: era must be one of {', '.join(UNIT_ERAS)}")
    level = LEVEL_OF_CODE_LENGTH.get(len(bare)) if bare.isdigit() else None
    if level is None:
        raise BadUserInput(f"unit {code!r}: a GSO code has 2 (province), 3 (district) or 5 (commune) digits")
    stmt = select(AdminUnit).where(AdminUnit.level == level, AdminUnit.code == bare)
    if era:
        stmt = stmt.where(AdminUnit.era == era)
    units = {u.era: u for u in session.scalars(stmt)}
    unit = units.get(era) if era else (units.get("2025") or units.get("pre2025"))
    if unit is None:
        raise BadUserInput(f"unit {code!r}: no such {level} in the unit table (is the reference data loaded?)")
    return unit


def unit_label(unit: AdminUnit | None) -> str:
    """``Xã Tân Lập (00001, pre2025)``: how a unit is shown."""
    if unit is None:
        return "no unit"
    return f"{unit.unit_type} {unit.name} ({unit.code}, {unit.era})"


def scope_unit_ids(unit_id: int) -> Select:
    """A SELECT of the ids of every unit in the scope of ``unit_id`` (see the module docstring)."""
    units, maps = AdminUnit.__table__, UnitMapping.__table__
    # Edges downwards: a unit contains its children, and a 2025 unit contains the old units merged into it.
    edges = union_all(
        select(units.c.parent_id.label("upper"), units.c.id.label("lower")).where(units.c.parent_id.is_not(None)),
        select(maps.c.new_unit_id.label("upper"), maps.c.old_unit_id.label("lower")),
    ).subquery("unit_edges")
    tree = select(literal(unit_id).label("id")).cte("unit_scope", recursive=True)
    tree = tree.union(select(edges.c.lower).join(tree, edges.c.upper == tree.c.id))
    # A 2025 unit every one of whose old units is in scope (a merger of communes of one district).
    inside = case((maps.c.old_unit_id.in_(select(tree.c.id)), 1), else_=0)
    made_of_scope = select(maps.c.new_unit_id).group_by(maps.c.new_unit_id).having(func.min(inside) == 1)
    return union(select(tree.c.id), made_of_scope)


SCOPE_TTL = 300.0
"""Seconds a user's set of units in scope is reused (units change with a reform, not by the minute)."""
_SCOPES: dict[tuple[str, int], tuple[float, tuple[int, ...]]] = {}
_SCOPES_LOCK = threading.Lock()


def scope_ids(session: Session, unit_id: int) -> tuple[int, ...]:
    """The ids :func:`scope_unit_ids` selects, computed once per unit and process for ``SCOPE_TTL``
    seconds (the recursive query costs tens of milliseconds; every document query needs the set)."""
    key = (session.get_bind().url.render_as_string(hide_password=True), unit_id)
    now = time.monotonic()
    with _SCOPES_LOCK:
        cached = _SCOPES.get(key)
    if cached is not None and now - cached[0] < SCOPE_TTL:
        return cached[1]
    ids = tuple(sorted(session.scalars(scope_unit_ids(unit_id))))
    with _SCOPES_LOCK:
        _SCOPES[key] = (now, ids)
    return ids


# -- users ----------------------------------------------------------------------------------------

def check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise BadUserInput(f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters")


def add_user(session: Session, name: str, *, role: str, unit_code: str, password: str) -> User:
    """Create a user (names are unique; an existing name is an error, not an update)."""
    if not NAME.match(name):
        raise BadUserInput("a user name is 1-120 letters, digits or . _ @ -")
    if role not in USER_ROLES:
        raise BadUserInput(f"role must be one of {', '.join(USER_ROLES)}")
    check_password(password)
    unit = find_unit(session, unit_code)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise BadUserInput(f"user {name!r} exists already")
    user = User(name=name, role=role, unit_id=unit.id, password_hash=_HASHER.hash(password), disabled=False)
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[tuple[User, AdminUnit]]:
    return list(session.execute(select(User, AdminUnit).join(AdminUnit, User.unit_id == AdminUnit.id)
                                .order_by(User.name)).tuples())


def disable_user(session: Session, name: str) -> None:
    """Disable a user; their tokens and sessions end with it (see :func:`revoke_tokens`)."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"user {name!r} does not exist")
    user.disabled = True
    user.token_epoch += 1


def revoke_tokens(session: Session, user_id: int) -> None:
    """End every token and page session of the user (sign-out): they carry the old epoch."""
    session.execute(update(User).where(User.id == user_id).values(token_epoch=User.token_epoch + 1))


def principal(session: Session, user_id: int, epoch: int | None = None) -> Principal | None:
    """The enabled user ``user_id`` as a :class:`Principal`, or None (gone, disabled, or - with
    ``epoch`` - signed out since the token was issued)."""
    stmt = (select(User, AdminUnit).join(AdminUnit, User.unit_id == AdminUnit.id)
            .where(User.id == user_id, User.disabled.is_(False)))
    if epoch is not None:
        stmt = stmt.where(User.token_epoch == epoch)
    row = session.execute(stmt).first()
    if row is None:
        return None
    user, unit = row
    return Principal(id=user.id, name=user.name, role=user.role, unit_id=user.unit_id, unit_label=unit_label(unit),
                     epoch=user.token_epoch)


# -- failed logins (the limit every server process shares) -----------------------------------------

def recent_login_failures(session: Session, key: str, window: float) -> int:
    """Failed logins under ``key`` in the last ``window`` seconds."""
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=window)
    return session.scalar(select(func.count()).select_from(LoginFailure)
                          .where(LoginFailure.key == key, LoginFailure.failed_at > since)) or 0


def record_login_failure(session: Session, key: str, window: float) -> None:
    """Count one failed login under ``key``; failures older than ``window`` are dropped meanwhile
    (the table holds about a minute of failures)."""
    now = dt.datetime.now(dt.timezone.utc)
    session.execute(delete(LoginFailure).where(LoginFailure.failed_at < now - dt.timedelta(seconds=window)))
    session.add(LoginFailure(key=key, failed_at=now))


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the name is unknown, so that a wrong name takes as long as a
    wrong password (no user-name probing by timing). Made on first use: hashing costs ~0.3 CPU s,
    and every process that imports this module (``sohoa run``, each worker) would pay it at start."""
    return _HASHER.hash("not a password of anyone")


def authenticate(session: Session, name: str, password: str) -> Principal | None:
    """The user if ``password`` is theirs and they are enabled, else None."""
    if len(password) > MAX_PASSWORD or len(name) > 120:
        return None
    user = session.scalar(select(User).where(User.name == name))
    try:
        _HASHER.verify(user.password_hash if user is not None else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled:
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    return principal(session, user.id)
