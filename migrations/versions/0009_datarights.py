"""Families' data rights: organisations can be retired, and the retention job may blank the
client address of old audit entries (nothing else in an entry can ever change)

Revision ID: 0009_datarights
Revises: 0008_twoperson
Create Date: 2026-12-06 14:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009_datarights"
down_revision = "0008_twoperson"
branch_labels = None
depends_on = None

# Every column of audit_entries except ip_address: an UPDATE that sets any of them is refused.
FIXED_COLUMNS = (
    "id, created_at, actor_id, actor_label, action, record_type, record_id, summary, detail"
)


def upgrade():
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute(
            f"CREATE TRIGGER audit_entries_no_update BEFORE UPDATE OF {FIXED_COLUMNS} "
            "ON audit_entries "
            "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_entries_address_only_blanked BEFORE UPDATE OF ip_address "
            "ON audit_entries WHEN NEW.ip_address <> '' "
            "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
        )
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
        op.execute(
            "CREATE TRIGGER audit_entries_append_only BEFORE DELETE OR UPDATE OF "
            f"{FIXED_COLUMNS} ON audit_entries "
            "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_entries_address_only_blanked BEFORE UPDATE OF ip_address "
            "ON audit_entries FOR EACH ROW WHEN (NEW.ip_address <> '') "
            "EXECUTE FUNCTION audit_entries_append_only()"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_address_only_blanked")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute(
            "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
            "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
        )
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_address_only_blanked ON audit_entries")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
        op.execute(
            "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
            "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()"
        )
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.drop_column("retired_at")
