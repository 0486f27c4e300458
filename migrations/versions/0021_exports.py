"""Survey exports built in the background: each spreadsheet asked for, its state, and the
finished file until the retention job deletes it

Revision ID: 0021_exports
Revises: 0020_posts
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_exports"
down_revision = "0020_posts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("response_count", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "state IN ('queued', 'working', 'ready', 'failed')", name=op.f("ck_export_jobs_state")
        ),
        sa.CheckConstraint("format IN ('xlsx')", name=op.f("ck_export_jobs_format")),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_export_jobs_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_export_jobs_requested_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_jobs")),
    )
    with op.batch_alter_table("export_jobs") as batch_op:
        batch_op.create_index("ix_export_jobs_state_created", ["state", "created_at"], unique=False)
        batch_op.create_index("ix_export_jobs_survey_id", ["survey_id"], unique=False)
        batch_op.create_index("ix_export_jobs_requested_by_id", ["requested_by_id"], unique=False)


def downgrade():
    op.drop_table("export_jobs")
