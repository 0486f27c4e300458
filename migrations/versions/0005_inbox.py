"""The inbox pages newest first by when a contribution was received

Revision ID: 0005_inbox
Revises: 0004
Create Date: 2026-12-06 13:10:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0005_inbox"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index("ix_contributions_inbox")
        batch_op.create_index(
            "ix_contributions_inbox", ["safeguarding", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_contributions_state_inbox",
            ["state", "safeguarding", "created_at", "id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index("ix_contributions_state_inbox")
        batch_op.drop_index("ix_contributions_inbox")
        batch_op.create_index("ix_contributions_inbox", ["safeguarding", "id"], unique=False)
