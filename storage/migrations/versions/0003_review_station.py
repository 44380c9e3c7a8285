"""Part 5: the review station - users, document versions, the queue's order and indexes, the
receiving unit (reviewers' scope), and review actions for moved pages and set units.

Revision ID: 0003_review_station
Revises: 0002_page_roles
Create Date: 2026-12-03 08:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003_review_station'
down_revision: Union[str, Sequence[str], None] = '0002_page_roles'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD_ACTIONS = "action IN ('correct', 'confirm', 'set_type')"
NEW_ACTIONS = "action IN ('correct', 'confirm', 'set_type', 'move_page', 'set_unit')"


def upgrade() -> None:
    """Add source_files.receiving_unit_id, documents.version and least_confidence, users, indexes."""
    with op.batch_alter_table('source_files') as batch:
        batch.add_column(sa.Column('receiving_unit_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_source_files_receiving_unit_id_admin_units', 'admin_units',
                                 ['receiving_unit_id'], ['id'])
    op.create_index('ix_source_files_receiving_unit', 'source_files', ['receiving_unit_id', 'batch_id'])
    with op.batch_alter_table('documents') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default=sa.text('1')))
        batch.add_column(sa.Column('least_confidence', sa.Float(), nullable=True))
    op.execute(
        "UPDATE documents SET least_confidence = (SELECT MIN(f.confidence) FROM fields f WHERE "
        "f.document_id = documents.id AND f.is_current AND f.status = 'needs_review')"
    )
    op.create_index('ix_documents_queue', 'documents', ['status', 'source_file_id', 'least_confidence'])
    op.create_table(
        'users',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('role', sa.String(length=10), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('disabled', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'reviewer', 'ops', 'viewer')", name=op.f('ck_users_role')),
        sa.ForeignKeyConstraint(['unit_id'], ['admin_units.id'], name=op.f('fk_users_unit_id_admin_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
        sa.UniqueConstraint('name', name=op.f('uq_users_name')),
    )
    _replace_action_check(NEW_ACTIONS)


def downgrade() -> None:
    """Drop what upgrade added."""
    _replace_action_check(OLD_ACTIONS)
    op.drop_table('users')
    op.drop_index('ix_documents_queue', table_name='documents')
    with op.batch_alter_table('documents') as batch:
        batch.drop_column('least_confidence')
        batch.drop_column('version')
    op.drop_index('ix_source_files_receiving_unit', table_name='source_files')
    with op.batch_alter_table('source_files') as batch:
        batch.drop_constraint('fk_source_files_receiving_unit_id_admin_units', type_='foreignkey')
        batch.drop_column('receiving_unit_id')


def _replace_action_check(condition: str) -> None:
    """review_actions' list of actions. SQLite rebuilds the table for this, which drops its
    append-only triggers: they are dropped first and made again after (PostgreSQL keeps its own)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS review_actions_no_update")
        op.execute("DROP TRIGGER IF EXISTS review_actions_no_delete")
    with op.batch_alter_table('review_actions') as batch:
        batch.drop_constraint(op.f('ck_review_actions_action'), type_='check')
        batch.create_check_constraint('action', condition)
    if sqlite:
        for verb in ("update", "delete"):
            op.execute(f"CREATE TRIGGER review_actions_no_{verb} BEFORE {verb.upper()} ON review_actions "
                       "BEGIN SELECT RAISE(ABORT, 'review_actions is append-only'); END")
