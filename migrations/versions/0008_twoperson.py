"""The two-person rule for "You said, we did": a version number that every change moves on,
who edited the version awaiting approval, a change to a published response held until it is
approved, and who approved each public update

Revision ID: 0008_twoperson
Revises: 0007_parent
Create Date: 2026-12-06 14:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_twoperson"
down_revision = "0007_parent"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("responses") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("editor_ids", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("pending_change", sa.JSON(), nullable=True))
    # A response not yet approved was written by its author.
    # PostgreSQL wants JSON text cast to json; SQLite stores it as text.
    as_json = "CAST({} AS JSON)" if op.get_bind().dialect.name == "postgresql" else "{}"
    op.execute(
        "UPDATE responses SET editor_ids = "
        + as_json.format("'[' || author_id || ']'")
        + " WHERE state IN ('draft', 'awaiting_approval')"
    )
    op.execute(
        "UPDATE responses SET editor_ids = " + as_json.format("'[]'") + " WHERE editor_ids IS NULL"
    )
    with op.batch_alter_table("responses") as batch_op:
        batch_op.alter_column("editor_ids", existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table("response_revisions") as batch_op:
        batch_op.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_response_revisions_approved_by_id_users", "users", ["approved_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("response_revisions") as batch_op:
        batch_op.drop_constraint("fk_response_revisions_approved_by_id_users", type_="foreignkey")
        batch_op.drop_column("approved_by_id")
    with op.batch_alter_table("responses") as batch_op:
        batch_op.drop_column("pending_change")
        batch_op.drop_column("editor_ids")
        batch_op.drop_column("version")
