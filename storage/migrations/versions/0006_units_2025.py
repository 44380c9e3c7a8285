"""Part 6: 2025 unit codes on records (filled by that work).

Revision ID: 0006_units_2025
Revises: 0005_intake
Create Date: 2026-12-03 08:00:00

"""
from typing import Sequence, Union

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision: str = '0006_units_2025'
down_revision: Union[str, Sequence[str], None] = '0005_intake'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
