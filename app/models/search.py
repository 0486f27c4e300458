"""The search index: one row per (kind, object, language) with the text a search matches.

The full-text part lives beside this table and is kept by the database itself, so a row and
its full-text entry are always written together:

- on PostgreSQL, `search_entries.document` is a generated `tsvector` column (the title weighted
  A, the body B, 'simple' configuration) with a GIN index;
- on SQLite, `search_entries_fts` is an FTS5 table over `search_entries` (external content),
  filled by triggers on insert, update and delete.

Neither is mapped here (one is a column of one dialect, the other a virtual table and its
shadow tables): `database_only` names them, so comparing the models with the migrated schema
(`tests/test_migrations.py`, `migrations/env.py`) leaves them out, and nothing else.
"""

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

FTS_TABLE = "search_entries_fts"
# FTS5 keeps its index in shadow tables named after the virtual table.
FTS_SHADOW_SUFFIXES = ("", "_data", "_idx", "_docsize", "_config", "_content")
DOCUMENT_COLUMN = "document"
DOCUMENT_INDEX = "ix_search_entries_document"


class SearchEntry(db.Model):
    """What one object says in one language: `kind` is a name in the search registry
    (`domain/search/registry.py`), `object_id` the object's id, `language` "en" or the code of a
    translation. Written only by the search domain's session hooks, never by hand."""

    __tablename__ = "search_entries"
    __table_args__ = (
        Index("uq_search_entries_object", "kind", "object_id", "language", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int]
    language: Mapped[str] = mapped_column(String(10), default="en")
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")


def database_only(name, type_, parent_names) -> bool:
    """True for the parts of the search index that only the database knows (see the module's
    docstring); an `include_name` hook for Alembic's comparison returns `not database_only(...)`."""
    if type_ == "table":
        return name in {FTS_TABLE + suffix for suffix in FTS_SHADOW_SUFFIXES}
    if type_ == "column":
        return parent_names.get("table_name") == "search_entries" and name == DOCUMENT_COLUMN
    if type_ == "index":
        return name == DOCUMENT_INDEX
    return False
