"""Part 7: worker heartbeats, the outbox (analyse hand-off sent after commit), ops counters.

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
    """Worker heartbeats, the outbox of messages sent after commit, the stages' counters."""
    op.create_table('worker_heartbeats',
    sa.Column('worker_id', sa.String(length=120), nullable=False),
    sa.Column('host', sa.String(length=100), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('parent_pid', sa.Integer(), nullable=True),
    sa.Column('queues', sa.JSON(), nullable=True),
    sa.Column('threads', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('worker_id', name=op.f('pk_worker_heartbeats'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    op.create_index('ix_outbox_actor_entity', 'outbox', ['actor', 'entity_id'], unique=False)
    op.create_index('ix_outbox_created_at', 'outbox', ['created_at'], unique=False)
    op.create_table('ops_counters',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('shard', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'label', 'shard', name=op.f('pk_ops_counters'))
    )


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table('ops_counters')
    op.drop_index('ix_outbox_created_at', table_name='outbox')
    op.drop_index('ix_outbox_actor_entity', table_name='outbox')
    op.drop_table('outbox')
    op.drop_table('worker_heartbeats')
