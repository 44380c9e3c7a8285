"""Initial schema: every table of schemas/tables.py, the partial unique index on current field
values, and the triggers that keep review_actions append-only (SQLite and PostgreSQL).

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-23 18:52:23.406581

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001_initial'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('admin_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('era', sa.String(length=8), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('unit_type', sa.String(length=40), nullable=False),
    sa.Column('folded_name', sa.String(length=120), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.CheckConstraint("era IN ('pre2025', '2025')", name=op.f('ck_admin_units_era')),
    sa.CheckConstraint("level IN ('province', 'district', 'commune')", name=op.f('ck_admin_units_level')),
    sa.ForeignKeyConstraint(['parent_id'], ['admin_units.id'], name=op.f('fk_admin_units_parent_id_admin_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_units')),
    sa.UniqueConstraint('era', 'level', 'code', name=op.f('uq_admin_units_era_level_code'))
    )
    op.create_index('ix_admin_units_folded', 'admin_units', ['era', 'level', 'folded_name'], unique=False)
    op.create_index('ix_admin_units_parent', 'admin_units', ['parent_id'], unique=False)

    op.create_table('calibrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('model', sa.JSON(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibrations')),
    sa.UniqueConstraint('version', name=op.f('uq_calibrations_version'))
    )
    op.create_table('dead_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('queue', sa.String(length=60), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replayed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dead_letters')),
    sa.UniqueConstraint('message_id', name=op.f('uq_dead_letters_message_id'))
    )
    op.create_table('procedures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('folded_name', sa.Text(), nullable=False),
    sa.CheckConstraint("level IN ('tinh', 'huyen', 'xa', 'trung_uong')", name=op.f('ck_procedures_level')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedures')),
    sa.UniqueConstraint('code', name=op.f('uq_procedures_code'))
    )
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('e_id', sa.String(length=40), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("level IN ('tinh', 'huyen', 'xa', 'trung_uong')", name=op.f('ck_agencies_level')),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_units.id'], name=op.f('fk_agencies_unit_id_admin_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('e_id', name=op.f('uq_agencies_e_id')),
    sa.UniqueConstraint('name', 'unit_id', name=op.f('uq_agencies_name_unit_id'))
    )
    op.create_table('batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('manifest_key', sa.String(length=200), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_units.id'], name=op.f('fk_batches_unit_id_admin_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batches')),
    sa.UniqueConstraint('name', name=op.f('uq_batches_name'))
    )
    op.create_table('unit_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_unit_id', sa.Integer(), nullable=False),
    sa.Column('new_unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['new_unit_id'], ['admin_units.id'], name=op.f('fk_unit_mappings_new_unit_id_admin_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['old_unit_id'], ['admin_units.id'], name=op.f('fk_unit_mappings_old_unit_id_admin_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_mappings')),
    sa.UniqueConstraint('old_unit_id', 'new_unit_id', name=op.f('uq_unit_mappings_old_unit_id_new_unit_id'))
    )
    op.create_table('dossiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_code', sa.String(length=60), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('applicant_name', sa.String(length=200), nullable=True),
    sa.Column('received_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('timeliness', sa.String(length=10), nullable=True),
    sa.CheckConstraint("timeliness IS NULL OR timeliness IN ('truoc_han', 'dung_han', 'qua_han')", name=op.f('ck_dossiers_timeliness')),
    sa.CheckConstraint('status_code IS NULL OR (status_code BETWEEN 1 AND 10)', name=op.f('ck_dossiers_status_code')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_dossiers_agency_id_agencies')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_dossiers_procedure_id_procedures')),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_units.id'], name=op.f('fk_dossiers_unit_id_admin_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossiers')),
    sa.UniqueConstraint('dossier_code', name=op.f('uq_dossiers_dossier_code'))
    )
    op.create_table('source_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('object_key', sa.String(length=200), nullable=False),
    sa.Column('original_path', sa.Text(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('pages_done', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('manifest', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'ingested', 'reading', 'analysing', 'done', 'failed', 'duplicate')", name=op.f('ck_source_files_status')),
    sa.CheckConstraint('pages_done >= 0', name=op.f('ck_source_files_pages_done')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_source_files_batch_id_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_files')),
    sa.UniqueConstraint('sha256', name=op.f('uq_source_files_sha256'))
    )
    op.create_index('ix_source_files_batch_status', 'source_files', ['batch_id', 'status'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_file_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=True),
    sa.Column('doc_type', sa.String(length=40), nullable=False),
    sa.Column('type_confidence', sa.Float(), nullable=False),
    sa.Column('type_cues', sa.JSON(), nullable=True),
    sa.Column('page_from', sa.Integer(), nullable=True),
    sa.Column('page_to', sa.Integer(), nullable=True),
    sa.Column('pages', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=14), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('unit_codes', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'auto_accepted', 'needs_review', 'reviewed', 'failed')", name=op.f('ck_documents_status')),
    sa.CheckConstraint('type_confidence >= 0 AND type_confidence <= 1', name=op.f('ck_documents_type_confidence')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_documents_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['source_file_id'], ['source_files.id'], name=op.f('fk_documents_source_file_id_source_files'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['admin_units.id'], name=op.f('fk_documents_unit_id_admin_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('source_file_id', 'seq', name=op.f('uq_documents_source_file_id_seq'))
    )
    op.create_index('ix_documents_status', 'documents', ['status'], unique=False)

    op.create_table('pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_file_id', sa.Integer(), nullable=False),
    sa.Column('page_no', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('rotation', sa.Integer(), nullable=False),
    sa.Column('skew', sa.Float(), nullable=False),
    sa.Column('dpi', sa.Integer(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('text_source', sa.String(length=10), nullable=True),
    sa.Column('ocr_text', sa.Text(), nullable=True),
    sa.Column('mean_conf', sa.Float(), nullable=True),
    sa.Column('image_key', sa.String(length=200), nullable=True),
    sa.Column('words_key', sa.String(length=200), nullable=True),
    sa.Column('timings', sa.JSON(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'done', 'failed')", name=op.f('ck_pages_status')),
    sa.CheckConstraint("text_source IS NULL OR text_source IN ('ocr', 'text_layer', 'blank')", name=op.f('ck_pages_text_source')),
    sa.CheckConstraint('page_no >= 1', name=op.f('ck_pages_page_no')),
    sa.CheckConstraint('rotation IN (0, 90, 180, 270)', name=op.f('ck_pages_rotation')),
    sa.ForeignKeyConstraint(['source_file_id'], ['source_files.id'], name=op.f('fk_pages_source_file_id_source_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pages')),
    sa.UniqueConstraint('source_file_id', 'page_no', name=op.f('uq_pages_source_file_id_page_no'))
    )
    op.create_table('fields',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('raw_value', sa.Text(), nullable=True),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('bbox', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=14), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('checks', sa.JSON(), nullable=True),
    sa.Column('features', sa.JSON(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("origin IN ('machine', 'reviewer')", name=op.f('ck_fields_origin')),
    sa.CheckConstraint("status IN ('auto_accepted', 'needs_review', 'corrected', 'confirmed')", name=op.f('ck_fields_status')),
    sa.CheckConstraint('confidence >= 0 AND confidence <= 1', name=op.f('ck_fields_confidence')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_fields_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fields'))
    )
    op.create_index('uq_fields_current', 'fields', ['document_id', 'key'], unique=True, sqlite_where=sa.text('is_current = 1'), postgresql_where=sa.text('is_current'))

    op.create_table('review_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('field_id', sa.Integer(), nullable=True),
    sa.Column('key', sa.String(length=40), nullable=True),
    sa.Column('reviewer', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.CheckConstraint("action IN ('correct', 'confirm', 'set_type')", name=op.f('ck_review_actions_action')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_review_actions_document_id_documents')),
    sa.ForeignKeyConstraint(['field_id'], ['fields.id'], name=op.f('fk_review_actions_field_id_fields')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_actions'))
    )
    _create_append_only_triggers()


def downgrade() -> None:
    """Downgrade schema."""
    _drop_append_only_triggers()
    op.drop_table('review_actions')
    op.drop_index('uq_fields_current', table_name='fields', sqlite_where=sa.text('is_current = 1'), postgresql_where=sa.text('is_current'))

    op.drop_table('fields')
    op.drop_table('pages')
    op.drop_index('ix_documents_status', table_name='documents')

    op.drop_table('documents')
    op.drop_index('ix_source_files_batch_status', table_name='source_files')

    op.drop_table('source_files')
    op.drop_table('dossiers')
    op.drop_table('unit_mappings')
    op.drop_table('batches')
    op.drop_table('agencies')
    op.drop_table('procedures')
    op.drop_table('dead_letters')
    op.drop_table('calibrations')
    op.drop_index('ix_admin_units_parent', table_name='admin_units')
    op.drop_index('ix_admin_units_folded', table_name='admin_units')

    op.drop_table('admin_units')


# --- review_actions is an audit log: the database itself refuses UPDATE and DELETE. ---------------

APPEND_ONLY_MESSAGE = "review_actions is append-only"

_SQLITE_TRIGGER = """
CREATE TRIGGER review_actions_no_{verb} BEFORE {VERB} ON review_actions
BEGIN
    SELECT RAISE(ABORT, '{message}');
END
"""

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION review_actions_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation';
END
$$
"""

_PG_TRIGGER = """
CREATE TRIGGER review_actions_append_only BEFORE UPDATE OR DELETE ON review_actions
FOR EACH ROW EXECUTE FUNCTION review_actions_append_only()
"""


def _create_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("update", "delete"):
            op.execute(_SQLITE_TRIGGER.format(verb=verb, VERB=verb.upper(), message=APPEND_ONLY_MESSAGE))
    elif dialect == "postgresql":
        op.execute(_PG_FUNCTION.format(message=APPEND_ONLY_MESSAGE))
        op.execute(_PG_TRIGGER)
    else:  # pragma: no cover - only the two supported backends
        raise NotImplementedError(f"append-only trigger for {dialect}")


def _drop_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS review_actions_no_update")
        op.execute("DROP TRIGGER IF EXISTS review_actions_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS review_actions_append_only ON review_actions")
        op.execute("DROP FUNCTION IF EXISTS review_actions_append_only()")
