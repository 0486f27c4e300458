"""Every channel into one inbox: letters and in-person feedback, and the record of feedback staff
typed in (the day it reached us, who typed it in, the event, the person's agreement)

Revision ID: 0017_channels
Revises: 0009_datarights
Create Date: 2026-12-06 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017_channels"
down_revision = "0016_updates"
branch_labels = None
depends_on = None

OLD_CHANNELS = "'online', 'paper', 'event', 'phone', 'email'"
NEW_CHANNELS = "'online', 'paper', 'event', 'phone', 'email', 'letter', 'in_person'"
CHANNEL_TABLES = ("contributions", "survey_responses")


def _change_channels(old: str, new: str) -> None:
    """Widen (or narrow back) the channel check on both tables.

    On SQLite a check cannot be altered, and rebuilding `contributions` in batch mode would drop
    the table with foreign keys on, so its ON DELETE CASCADE would empty the coding links. The
    check's text is edited in the schema instead, as SQLite's documentation allows for changes
    that leave every stored row valid: widening the list does; narrowing it back is done only
    after the rows using the new values have been moved to the nearest old one.
    """
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
        bind.exec_driver_sql("PRAGMA writable_schema=ON")
        for table in CHANNEL_TABLES:
            bind.exec_driver_sql(
                "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' "
                "AND name = ?",
                (f"channel IN ({old})", f"channel IN ({new})", table),
            )
        bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
        bind.exec_driver_sql("PRAGMA writable_schema=OFF")
        return
    for table in CHANNEL_TABLES:
        op.drop_constraint(op.f(f"ck_{table}_channel"), table, type_="check")
        op.create_check_constraint(op.f(f"ck_{table}_channel"), table, f"channel IN ({new})")


def upgrade():
    _change_channels(OLD_CHANNELS, NEW_CHANNELS)
    op.create_table(
        "feedback_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("agreed_to_record", sa.Boolean(), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_feedback_entries_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_feedback_entries_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_feedback_entries_entered_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_entries")),
        sa.UniqueConstraint("contribution_id", name=op.f("uq_feedback_entries_contribution_id")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_feedback_entries_submission_key")),
    )
    with op.batch_alter_table("feedback_entries") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_entries_entered_by_id"), ["entered_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_entries_event_id"), ["event_id"], unique=False
        )


def downgrade():
    op.drop_table("feedback_entries")
    for table in CHANNEL_TABLES:
        op.execute(f"UPDATE {table} SET channel = 'paper' WHERE channel = 'letter'")
        op.execute(f"UPDATE {table} SET channel = 'event' WHERE channel = 'in_person'")
    _change_channels(NEW_CHANNELS, OLD_CHANNELS)
