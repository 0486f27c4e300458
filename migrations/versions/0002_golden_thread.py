"""The golden thread: contributions, coding, themes, responses, subscriptions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:24:40.193559

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("headers", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "about_you",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("relationship", sa.String(length=30), nullable=True),
        sa.Column("district", sa.String(length=60), nullable=True),
        sa.Column("age_group", sa.String(length=30), nullable=True),
        sa.Column("need", sa.String(length=40), nullable=True),
        sa.Column("setting", sa.String(length=40), nullable=True),
        sa.Column("ehc_plan", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_about_you")),
    )
    with op.batch_alter_table("about_you", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_about_you_district"), ["district"], unique=False)

    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("wants_updates", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delete_after", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contacts_delete_after"), ["delete_after"], unique=False
        )

    op.create_table(
        "safeguarding_phrases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_phrases")),
        sa.UniqueConstraint("phrase", name=op.f("uq_safeguarding_phrases_phrase")),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("confirm_token_hash", sa.String(length=64), nullable=True),
        sa.Column("unsubscribe_token", sa.String(length=64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "target_type IN ('area', 'action', 'consultation')",
            name=op.f("ck_subscriptions_target_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("confirm_token_hash", name=op.f("uq_subscriptions_confirm_token_hash")),
        sa.UniqueConstraint(
            "email", "target_type", "target_id", name="uq_subscriptions_email_target"
        ),
        sa.UniqueConstraint("unsubscribe_token", name=op.f("uq_subscriptions_unsubscribe_token")),
    )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.create_index("ix_subscriptions_target", ["target_type", "target_id"], unique=False)

    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
        sa.UniqueConstraint("name", name=op.f("uq_themes_name")),
    )
    op.create_table(
        "contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("sentiment", sa.String(length=10), nullable=True),
        sa.Column("safeguarding", sa.Boolean(), nullable=False),
        sa.Column("personal_details", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("consent_to_quote", sa.Boolean(), nullable=False),
        sa.Column("quote_text", sa.Text(), nullable=True),
        sa.Column("quote_approved_at", sa.DateTime(), nullable=True),
        sa.Column("quote_approved_by_id", sa.Integer(), nullable=True),
        sa.Column("about_you_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("coded_at", sa.DateTime(), nullable=True),
        sa.Column("coded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('online', 'paper', 'event', 'phone', 'email')",
            name=op.f("ck_contributions_channel"),
        ),
        sa.CheckConstraint(
            "sentiment IS NULL OR sentiment IN ('positive', 'mixed', 'negative', 'neutral')",
            name=op.f("ck_contributions_sentiment"),
        ),
        sa.CheckConstraint(
            "source_type IN ('feedback', 'survey_answer', 'survey_response', 'comment', "
            "'event_note', 'paper')",
            name=op.f("ck_contributions_source_type"),
        ),
        sa.CheckConstraint(
            "state IN ('new', 'coded', 'used', 'individual_case', 'hidden')",
            name=op.f("ck_contributions_state"),
        ),
        sa.CheckConstraint(
            "rating IS NULL OR (rating >= 1 AND rating <= 5)", name=op.f("ck_contributions_rating")
        ),
        sa.ForeignKeyConstraint(
            ["about_you_id"],
            ["about_you.id"],
            name=op.f("fk_contributions_about_you_id_about_you"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["coded_by_id"], ["users.id"], name=op.f("fk_contributions_coded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_contributions_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["quote_approved_by_id"],
            ["users.id"],
            name=op.f("fk_contributions_quote_approved_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributions")),
        sa.UniqueConstraint("reference", name=op.f("uq_contributions_reference")),
    )
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contributions_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index("ix_contributions_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_contributions_inbox", ["safeguarding", "id"], unique=False)
        batch_op.create_index("ix_contributions_source", ["source_type", "source_id"], unique=False)
        batch_op.create_index("ix_contributions_state_id", ["state", "id"], unique=False)

    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("you_said", sa.Text(), nullable=False),
        sa.Column("we_did", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'awaiting_approval', 'published', 'withdrawn')",
            name=op.f("ck_responses_state"),
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'not_possible')",
            name=op.f("ck_responses_status"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_responses_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_responses_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_responses_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
    )
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_responses_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            "ix_responses_state_published_at", ["state", "published_at"], unique=False
        )

    op.create_table(
        "contribution_actions",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_contribution_actions_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_contribution_actions_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "contribution_id", "action_id", name=op.f("pk_contribution_actions")
        ),
    )
    with op.batch_alter_table("contribution_actions", schema=None) as batch_op:
        batch_op.create_index("ix_contribution_actions_action_id", ["action_id"], unique=False)

    op.create_table(
        "contribution_areas",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_contribution_areas_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_contribution_areas_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contribution_id", "area_id", name=op.f("pk_contribution_areas")),
    )
    with op.batch_alter_table("contribution_areas", schema=None) as batch_op:
        batch_op.create_index("ix_contribution_areas_area_id", ["area_id"], unique=False)

    op.create_table(
        "contribution_themes",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_contribution_themes_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_contribution_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contribution_id", "theme_id", name=op.f("pk_contribution_themes")),
    )
    with op.batch_alter_table("contribution_themes", schema=None) as batch_op:
        batch_op.create_index("ix_contribution_themes_theme_id", ["theme_id"], unique=False)

    op.create_table(
        "response_actions",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_response_actions_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_response_actions_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "action_id", name=op.f("pk_response_actions")),
    )
    with op.batch_alter_table("response_actions", schema=None) as batch_op:
        batch_op.create_index("ix_response_actions_action_id", ["action_id"], unique=False)

    op.create_table(
        "response_areas",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_response_areas_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_response_areas_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "area_id", name=op.f("pk_response_areas")),
    )
    with op.batch_alter_table("response_areas", schema=None) as batch_op:
        batch_op.create_index("ix_response_areas_area_id", ["area_id"], unique=False)

    op.create_table(
        "response_contributions",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_response_contributions_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_response_contributions_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "response_id", "contribution_id", name=op.f("pk_response_contributions")
        ),
    )
    with op.batch_alter_table("response_contributions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_response_contributions_contribution_id", ["contribution_id"], unique=False
        )

    op.create_table(
        "response_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_response_revisions_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_response_revisions_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_revisions")),
    )
    with op.batch_alter_table("response_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_revisions_response_id"), ["response_id"], unique=False
        )

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("headers")
    with op.batch_alter_table("response_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_revisions_response_id"))

    op.drop_table("response_revisions")
    with op.batch_alter_table("response_contributions", schema=None) as batch_op:
        batch_op.drop_index("ix_response_contributions_contribution_id")

    op.drop_table("response_contributions")
    with op.batch_alter_table("response_areas", schema=None) as batch_op:
        batch_op.drop_index("ix_response_areas_area_id")

    op.drop_table("response_areas")
    with op.batch_alter_table("response_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_response_actions_action_id")

    op.drop_table("response_actions")
    with op.batch_alter_table("contribution_themes", schema=None) as batch_op:
        batch_op.drop_index("ix_contribution_themes_theme_id")

    op.drop_table("contribution_themes")
    with op.batch_alter_table("contribution_areas", schema=None) as batch_op:
        batch_op.drop_index("ix_contribution_areas_area_id")

    op.drop_table("contribution_areas")
    with op.batch_alter_table("contribution_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_contribution_actions_action_id")

    op.drop_table("contribution_actions")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_state_published_at")
        batch_op.drop_index(batch_op.f("ix_responses_organisation_id"))

    op.drop_table("responses")
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index("ix_contributions_state_id")
        batch_op.drop_index("ix_contributions_source")
        batch_op.drop_index("ix_contributions_inbox")
        batch_op.drop_index("ix_contributions_created_at")
        batch_op.drop_index(batch_op.f("ix_contributions_contact_id"))

    op.drop_table("contributions")
    op.drop_table("themes")
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_subscriptions_target")

    op.drop_table("subscriptions")
    op.drop_table("safeguarding_phrases")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_delete_after"))

    op.drop_table("contacts")
    with op.batch_alter_table("about_you", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_about_you_district"))

    op.drop_table("about_you")
    # ### end Alembic commands ###
