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
    """Add source_files.receiving_unit_id (the reviewers' scope)."""
    with op.batch_alter_table('source_files') as batch:
        batch.add_column(sa.Column('receiving_unit_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_source_files_receiving_unit_id_admin_units', 'admin_units',
                                 ['receiving_unit_id'], ['id'])


def downgrade() -> None:
    """Drop source_files.receiving_unit_id."""
    with op.batch_alter_table('source_files') as batch:
        batch.drop_constraint('fk_source_files_receiving_unit_id_admin_units', type_='foreignkey')
        batch.drop_column('receiving_unit_id')
