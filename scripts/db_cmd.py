"""``sohoa db upgrade|current``."""

from __future__ import annotations

import click

from scripts.common import settings_from_env


@click.group()
def db() -> None:
    """Create, migrate and inspect the one-stop database."""


@db.command()
def upgrade() -> None:
    """Migrate the database to the newest revision and load the reference data."""
    from storage.migrate import current_revision, upgrade_database

    settings = settings_from_env()
    upgrade_database(settings.effective_database_url)
    click.echo(f"database at revision {current_revision(settings.effective_database_url)}")


@db.command()
def current() -> None:
    """Print the database's migration revision."""
    from storage.migrate import current_revision

    settings = settings_from_env()
    click.echo(current_revision(settings.effective_database_url) or "(empty database)")
