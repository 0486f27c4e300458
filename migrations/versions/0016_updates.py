"""Updates that reach people: each subscriber's frequency ("as it happens" or weekly) and
language, updates waiting for a weekly summary, the summaries sent (one per subscriber per ISO
week), and which surveys, consultations and events have had their opening announced

Revision ID: 0016_updates
Revises: 0009_datarights
Create Date: 2026-12-06 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_updates"
down_revision = "0015_content_translations"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("subscriptions") as batch_op:
        batch_op.add_column(
            sa.Column("frequency", sa.String(length=10), nullable=False, server_default="immediate")
        )
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))
        batch_op.create_check_constraint("frequency", "frequency IN ('immediate', 'weekly')")

    op.create_table(
        "subscription_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_subscription_digests_subscription_id_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription_digests")),
        sa.UniqueConstraint("subscription_id", "week", name="uq_subscription_digests_week"),
    )
    op.create_table(
        "subscription_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('action_update', 'response_published', 'survey_opened', "
            "'consultation_opened', 'event_opened')",
            name=op.f("ck_subscription_updates_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_subscription_updates_subscription_id_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["digest_id"],
            ["subscription_digests.id"],
            name=op.f("fk_subscription_updates_digest_id_subscription_digests"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription_updates")),
    )
    with op.batch_alter_table("subscription_updates") as batch_op:
        batch_op.create_index(
            "ix_subscription_updates_waiting", ["subscription_id", "digest_id"], unique=False
        )
        batch_op.create_index(
            op.f("ix_subscription_updates_digest_id"), ["digest_id"], unique=False
        )
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_type", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("announced_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "item_type IN ('survey', 'consultation', 'event')",
            name=op.f("ck_announcements_item_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
        sa.UniqueConstraint("item_type", "item_id", name="uq_announcements_item"),
    )
    # What is already published and open (or past opening) was there before these emails
    # existed: count it as announced, so the first run of `flask notifications send` does not
    # announce the whole back catalogue.
    op.execute(
        "INSERT INTO announcements (item_type, item_id, announced_at) "
        "SELECT 'survey', id, CURRENT_TIMESTAMP FROM surveys "
        "WHERE status = 'published' AND opens_at <= CURRENT_TIMESTAMP"
    )
    op.execute(
        "INSERT INTO announcements (item_type, item_id, announced_at) "
        "SELECT 'consultation', id, CURRENT_TIMESTAMP FROM consultations "
        "WHERE published AND opens_at <= CURRENT_TIMESTAMP"
    )
    op.execute(
        "INSERT INTO announcements (item_type, item_id, announced_at) "
        "SELECT 'event', id, CURRENT_TIMESTAMP FROM events WHERE published"
    )


def downgrade():
    op.drop_table("announcements")
    with op.batch_alter_table("subscription_updates") as batch_op:
        batch_op.drop_index(op.f("ix_subscription_updates_digest_id"))
        batch_op.drop_index("ix_subscription_updates_waiting")
    op.drop_table("subscription_updates")
    op.drop_table("subscription_digests")
    with op.batch_alter_table("subscriptions") as batch_op:
        batch_op.drop_constraint("ck_subscriptions_frequency", type_="check")
        batch_op.drop_column("language")
        batch_op.drop_column("frequency")
