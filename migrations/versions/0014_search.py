"""Search: one index of what the public site shows (and, for staff, contributions), with
PostgreSQL full-text search (a weighted tsvector and a GIN index) or SQLite's FTS5, filled from
the content already there

Revision ID: 0014_search
Revises: 0009_datarights
Create Date: 2026-12-06 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_search"
down_revision = "0013_cases"
branch_labels = None
depends_on = None

FTS_TRIGGERS = (
    """CREATE TRIGGER search_entries_fts_insert AFTER INSERT ON search_entries BEGIN
        INSERT INTO search_entries_fts(rowid, title, body, kind, language)
        VALUES (new.id, new.title, new.body, new.kind, new.language);
    END""",
    """CREATE TRIGGER search_entries_fts_delete AFTER DELETE ON search_entries BEGIN
        INSERT INTO search_entries_fts(search_entries_fts, rowid, title, body, kind, language)
        VALUES ('delete', old.id, old.title, old.body, old.kind, old.language);
    END""",
    """CREATE TRIGGER search_entries_fts_update AFTER UPDATE ON search_entries BEGIN
        INSERT INTO search_entries_fts(search_entries_fts, rowid, title, body, kind, language)
        VALUES ('delete', old.id, old.title, old.body, old.kind, old.language);
        INSERT INTO search_entries_fts(rowid, title, body, kind, language)
        VALUES (new.id, new.title, new.body, new.kind, new.language);
    END""",
)


def upgrade():
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
    )
    op.create_index(
        "uq_search_entries_object",
        "search_entries",
        ["kind", "object_id", "language"],
        unique=True,
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE search_entries ADD COLUMN document tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('simple', coalesce(body, '')), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_search_entries_document ON search_entries USING gin (document)")
    else:
        # Title and body, and the kind and language so the full-text index itself narrows a
        # search to them; diacritics folded so "Zespół" is found by "zespol" too.
        op.execute(
            "CREATE VIRTUAL TABLE search_entries_fts USING fts5(title, body, kind, language, "
            "content='search_entries', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        for trigger in FTS_TRIGGERS:
            op.execute(trigger)

    # The content already there becomes searchable now, not at its next change.
    from sqlalchemy.orm import Session

    from app.domain.search.indexing import rebuild

    with Session(bind=bind) as session:
        rebuild(session)
        session.flush()


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_entries_fts_{name}")
        op.execute("DROP TABLE IF EXISTS search_entries_fts")
    op.drop_index("uq_search_entries_object", table_name="search_entries")
    op.drop_table("search_entries")
