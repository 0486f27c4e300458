"""About you: several areas of need (codes joined by commas), so the column is wider

Existing answers (one code each) are already in the new form: a list of one.

Revision ID: 0007_parent
Revises: 0006_signin
Create Date: 2026-12-06 13:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_parent"
down_revision = "0006_signin"
branch_labels = None
depends_on = None

TABLES = ("about_you", "survey_responses")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                "need",
                existing_type=sa.String(length=40),
                type_=sa.String(length=200),
                existing_nullable=True,
            )


def downgrade():
    # Keep the first area of need of each answer, which fits the old column.
    for table in TABLES:
        op.execute(
            sa.text(
                f"UPDATE {table} SET need = substr(need, 1, instr(need, ',') - 1) "
                "WHERE need LIKE '%,%'"
            )
            if op.get_bind().dialect.name == "sqlite"
            else sa.text(
                f"UPDATE {table} SET need = split_part(need, ',', 1) WHERE need LIKE '%,%'"
            )
        )
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                "need",
                existing_type=sa.String(length=200),
                type_=sa.String(length=40),
                existing_nullable=True,
            )
