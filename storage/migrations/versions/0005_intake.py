"""Part 8: manifest metadata, intake accounting (filled by that work).

Revision ID: 0005_intake
Revises: 0004_ops
Create Date: 2026-12-03 08:00:00

"""
from typing import Sequence, Union

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision: str = '0005_intake'
down_revision: Union[str, Sequence[str], None] = '0004_ops'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """source_files.enqueued_at: when the file's first message was sent (an upload that died before
    sending it is resumed; one that sent it enqueues nothing again)."""
    with op.batch_alter_table("source_files") as batch:
        batch.add_column(sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("source_files") as batch:
        batch.drop_column("enqueued_at")
