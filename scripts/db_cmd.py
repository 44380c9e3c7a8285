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
    _echo_counts(settings.effective_database_url)


@db.command()
def units() -> None:
    """Print how many administrative units, mappings and procedures the database holds."""
    _echo_counts(settings_from_env().effective_database_url)


def _echo_counts(database_url: str) -> None:
    from storage.db import get_engine
    from storage.refdata import reference_counts

    with get_engine(database_url).connect() as connection:
        counts = reference_counts(connection)
    get = lambda key: f"{counts.get(key, 0):,}"  # noqa: E731 - a formatting shorthand
    click.echo(
        f"units before 2025: {get('pre2025.province')} provinces, {get('pre2025.district')} districts, "
        f"{get('pre2025.commune')} communes; from 2025: {get('2025.province')} provinces, "
        f"{get('2025.commune')} communes; {get('orphans')} without a parent"
    )
    click.echo(f"old→new unit mappings: {get('mappings')}; procedures: {get('procedures')}")


@db.command()
def current() -> None:
    """Print the database's migration revision."""
    from storage.migrate import current_revision

    settings = settings_from_env()
    click.echo(current_revision(settings.effective_database_url) or "(empty database)")
