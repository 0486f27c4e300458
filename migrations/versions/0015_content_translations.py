"""Content in every language: areas, actions, progress updates, "You said, we did" responses
and events keep their texts in other languages in `translations`, shaped as for surveys
(`{variant: {field: text}}`; see models.surveys)

Revision ID: 0015_content_translations
Revises: 0009_datarights
Create Date: 2026-12-06 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_content_translations"
down_revision = "0014_search"
branch_labels = None
depends_on = None

TABLES = ("areas", "actions", "action_updates", "responses", "events")


def upgrade():
    # PostgreSQL wants JSON text cast to json; SQLite stores it as text.
    empty = "CAST('{}' AS JSON)" if op.get_bind().dialect.name == "postgresql" else "'{}'"
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=True))
        op.execute(f"UPDATE {table} SET translations = {empty}")
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("translations", existing_type=sa.JSON(), nullable=False)


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("translations")
