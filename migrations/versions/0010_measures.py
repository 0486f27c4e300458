"""Outcome measures on actions: measures, their values over time and corrections of values

Revision ID: 0010_measures
Revises: 0009_datarights
Create Date: 2026-12-06 15:18:37.540880

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_measures"
down_revision = "0009_datarights"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("better", sa.String(length=10), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("better IN ('higher', 'lower')", name=op.f("ck_measures_better")),
        sa.CheckConstraint(
            "unit IN ('percentage', 'number', 'days', 'weeks')", name=op.f("ck_measures_unit")
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_measures_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measures")),
        sa.UniqueConstraint("action_id", "name", name="uq_measures_action_name"),
    )
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measures_action_id"), ["action_id"], unique=False)

    op.create_table(
        "measure_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_measure_values_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_measure_values_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_values")),
        sa.UniqueConstraint("measure_id", "measured_on", name="uq_measure_values_measure_date"),
    )
    op.create_table(
        "measure_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_value_id", sa.Integer(), nullable=False),
        sa.Column("previous_value", sa.Float(), nullable=False),
        sa.Column("new_value", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_by_id", sa.Integer(), nullable=True),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["corrected_by_id"],
            ["users.id"],
            name=op.f("fk_measure_corrections_corrected_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["measure_value_id"],
            ["measure_values.id"],
            name=op.f("fk_measure_corrections_measure_value_id_measure_values"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_corrections")),
    )
    with op.batch_alter_table("measure_corrections", schema=None) as batch_op:
        batch_op.create_index("ix_measure_corrections_value_id", ["measure_value_id"], unique=False)


def downgrade():
    with op.batch_alter_table("measure_corrections", schema=None) as batch_op:
        batch_op.drop_index("ix_measure_corrections_value_id")

    op.drop_table("measure_corrections")
    op.drop_table("measure_values")
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measures_action_id"))

    op.drop_table("measures")
