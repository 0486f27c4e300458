"""Each "Tell us" form is stored once: the key made from the form's random token moves from staff
entries to the contribution itself, where public feedback keeps it too

Revision ID: 0020_posts
Revises: 0019_cache
Create Date: 2027-01-10 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_posts"
down_revision = "0019_cache"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN and a unique index: rebuilding `contributions` in batch mode on SQLite
    # would drop it with foreign keys on and cascade into its links (see 0017_channels).
    op.add_column("contributions", sa.Column("submission_key", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE contributions SET submission_key = (SELECT feedback_entries.submission_key "
        "FROM feedback_entries WHERE feedback_entries.contribution_id = contributions.id) "
        "WHERE id IN (SELECT contribution_id FROM feedback_entries "
        "WHERE submission_key IS NOT NULL)"
    )
    op.create_index(
        "uq_contributions_submission_key", "contributions", ["submission_key"], unique=True
    )
    with op.batch_alter_table("feedback_entries") as batch_op:
        batch_op.drop_constraint("uq_feedback_entries_submission_key", type_="unique")
        batch_op.drop_column("submission_key")


def downgrade():
    with op.batch_alter_table("feedback_entries") as batch_op:
        batch_op.add_column(sa.Column("submission_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_feedback_entries_submission_key", ["submission_key"])
    op.execute(
        "UPDATE feedback_entries SET submission_key = (SELECT contributions.submission_key "
        "FROM contributions WHERE contributions.id = feedback_entries.contribution_id)"
    )
    op.drop_index("uq_contributions_submission_key", table_name="contributions")
    op.drop_column("contributions", "submission_key")
