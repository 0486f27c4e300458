"""The version of the public content, bumped by every change a public page shows, so rendered
pages can be kept and served again until it changes

Revision ID: 0019_cache
Revises: 0018_results
Create Date: 2026-12-06 18:00:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019_cache"
down_revision = "0018_results"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "content_versions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_content_versions_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_versions")),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(table, [{"id": 1, "version": 1, "changed_at": now}])


def downgrade():
    op.drop_table("content_versions")
