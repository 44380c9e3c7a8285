"""Part 5: users, document versions, receiving units (filled by that work).

Revision ID: 0003_review_station
Revises: 0002_page_roles
Create Date: 2026-12-03 08:00:00

"""
from typing import Sequence, Union

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision: str = '0003_review_station'
down_revision: Union[str, Sequence[str], None] = '0002_page_roles'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
