"""Reach: the baseline share of the population for each group of each reach dimension

Revision ID: 0011_reach
Revises: 0010_measures
Create Date: 2026-12-06 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_reach"
down_revision = "0010_measures"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reach_baselines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=30), nullable=False),
        sa.Column("group_code", sa.String(length=60), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("share >= 0 AND share <= 100", name=op.f("ck_reach_baselines_share")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_reach_baselines_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reach_baselines")),
        sa.UniqueConstraint("dimension", "group_code", name="uq_reach_baselines_dimension_group"),
    )


def downgrade():
    op.drop_table("reach_baselines")
