"""The migrations and the models describe the same schema: the test database is built by running
the migrations, so any difference here means a model changed without a migration (or the
reverse)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from app.models.search import database_only


def test_the_migrated_schema_matches_the_models(app_ctx):
    with db.engine.connect() as connection:
        # The search index's full-text part is the database's own (PostgreSQL's generated
        # tsvector column and its GIN index, SQLite's FTS5 table and its shadow tables): left
        # out by name, and nothing else (see app/models/search.py).
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, parents: (
                    not database_only(name, type_, parents)
                ),
            },
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []
