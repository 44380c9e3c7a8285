"""Part 7: worker heartbeats, analyse outbox (filled by that work).

Revision ID: 0004_ops
Revises: 0003_review_station
Create Date: 2026-12-03 08:00:00

"""
from typing import Sequence, Union

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision: str = '0004_ops'
down_revision: Union[str, Sequence[str], None] = '0003_review_station'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
