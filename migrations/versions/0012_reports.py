"""The board report: each published report, frozen with its period and figures

Revision ID: 0012_reports
Revises: 0011_reach
Create Date: 2026-12-06 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_reports"
down_revision = "0011_reach"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "published_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_published_reports_period_order")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_published_reports_published_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_reports")),
        sa.UniqueConstraint("slug", name=op.f("uq_published_reports_slug")),
    )
    with op.batch_alter_table("published_reports") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_published_reports_published_at"), ["published_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("published_reports") as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_reports_published_at"))
    op.drop_table("published_reports")
