"""Part 5: sign-out and token revocation (users.token_epoch), the login limit shared by every
server process (login_failures).

Revision ID: 0008_sign_out
Revises: 0006_units_2025
Create Date: 2026-12-03 12:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008_sign_out'
# The revision before this one (re-chained by the lead if 0007 lands first: this line only).
down_revision: Union[str, Sequence[str], None] = '0006_units_2025'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('token_epoch', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.create_table(
        'login_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures')),
    )
    op.create_index('ix_login_failures_key_at', 'login_failures', ['key', 'failed_at'])


def downgrade() -> None:
    op.drop_index('ix_login_failures_key_at', table_name='login_failures')
    op.drop_table('login_failures')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('token_epoch')
