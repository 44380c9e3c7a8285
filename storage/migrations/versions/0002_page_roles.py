"""Documents record the role of each of their pages (title, continuation, attachment).

Revision ID: 0002_page_roles
Revises: 0001_initial
Create Date: 2026-11-29 12:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002_page_roles'
down_revision: Union[str, Sequence[str], None] = '0001_initial'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add documents.page_roles (null for documents analysed before it existed)."""
    with op.batch_alter_table('documents') as batch:
        batch.add_column(sa.Column('page_roles', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop documents.page_roles."""
    with op.batch_alter_table('documents') as batch:
        batch.drop_column('page_roles')
