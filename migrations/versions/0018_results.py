"""Survey results counted once: each survey's counts kept as responses are recorded, and
published results stored when they are published; filled from the responses already there

Revision ID: 0018_results
Revises: 0017_channels
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_results"
down_revision = "0017_channels"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_result_counts",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("filter_key", sa.String(length=100), nullable=False),
        sa.Column("question_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("bucket", sa.String(length=30), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_result_counts_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "survey_id",
            "filter_key",
            "question_id",
            "bucket",
            name=op.f("pk_survey_result_counts"),
        ),
    )
    op.create_table(
        "published_survey_results",
        sa.Column("survey_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_published_survey_results_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("survey_id", name=op.f("pk_published_survey_results")),
    )

    # Count the responses already recorded, and store the results already published, with the
    # service's own functions (as 0014_search fills the search index).
    from sqlalchemy.orm import Session

    from app.domain.surveys.tallies import recount, store_published

    bind = op.get_bind()
    with Session(bind=bind) as session:
        for (survey_id,) in session.execute(
            sa.text("SELECT DISTINCT survey_id FROM survey_responses")
        ):
            recount(survey_id, session)
        published = session.scalars(
            sa.text("SELECT id FROM surveys WHERE results_published_at IS NOT NULL")
        )
        store_published(session, set(published))
        session.info.clear()
        session.flush()


def downgrade():
    op.drop_table("published_survey_results")
    op.drop_table("survey_result_counts")
