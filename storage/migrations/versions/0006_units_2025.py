"""Part 6: documents carry their 2025 unit (the 2025 commune, else province, their pre-2025 unit became).

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
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("unit_2025_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_documents_unit_2025_id_admin_units", "admin_units", ["unit_2025_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_constraint("fk_documents_unit_2025_id_admin_units", type_="foreignkey")
        batch.drop_column("unit_2025_id")
