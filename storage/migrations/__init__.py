"""Alembic migrations of the one-stop database (see storage/migrate.py for how they are run)."""
