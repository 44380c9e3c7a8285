"""``sohoa users``: accounts of the review station (add, list, disable)."""

from __future__ import annotations

import sys

import click

from scripts.common import settings_from_env


@click.group()
def users() -> None:
    """Accounts of the review station: roles admin, reviewer, ops, viewer, each bound to a unit."""


def _sessions():
    from storage.db import session_factory
    from workers.embedded import ensure_database

    settings = settings_from_env()
    ensure_database(settings)
    return session_factory(settings.effective_database_url)


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "reviewer", "ops", "viewer"]))
@click.option("--unit", "unit_code", required=True,
              help="GSO code of the user's unit: 2 digits province, 3 district, 5 commune; ERA:CODE to pick "
                   "the era (2025:01, pre2025:01); a bare code both eras use means the 2025 unit")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from the first line of stdin")
def add(name: str, role: str, unit_code: str, password_stdin: bool) -> None:
    """Create user NAME (the password is read from stdin, never from the command line)."""
    from storage.db import transaction
    from storage.users import add_user, unit_label

    password = sys.stdin.readline().rstrip("\r\n")
    with transaction(_sessions()) as s:
        user = add_user(s, name, role=role, unit_code=unit_code, password=password)
        click.echo(f"user {user.name}: {user.role} of {unit_label(user.unit)}")


@users.command("list")
def list_() -> None:
    """Every user with role, unit and state."""
    from storage.db import transaction
    from storage.users import list_users, unit_label

    with transaction(_sessions()) as s:
        for user, unit in list_users(s):
            state = "disabled" if user.disabled else "active"
            click.echo(f"{user.name}\t{user.role}\t{unit_label(unit)}\t{state}")


@users.command("disable")
@click.argument("name")
def disable(name: str) -> None:
    """Disable user NAME: their tokens and sessions stop working at once."""
    from storage.db import transaction
    from storage.users import disable_user

    with transaction(_sessions()) as s:
        disable_user(s, name)
    click.echo(f"user {name} disabled")


def assign_batch_unit(settings, batch_name: str, unit_code: str | None) -> None:
    """``sohoa run/upload --unit CODE``: the batch's receiving unit, on the batch and on every file
    of it that has none yet. Called before intake (a wrong code stops before any work) and after."""
    if not unit_code:
        return
    from storage.db import session_factory, transaction
    from storage.review import set_batch_receiving_unit
    from workers.embedded import ensure_database

    ensure_database(settings)
    with transaction(session_factory(settings.effective_database_url)) as s:
        set_batch_receiving_unit(s, batch_name, unit_code)
