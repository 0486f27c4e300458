"""Full-text matching over the search index (`models.SearchEntry`): the one place where what
someone typed becomes a database full-text query.

Nothing typed reaches MATCH or to_tsquery as it was typed. It is cut into terms (runs of
letters and digits, in any script), at most `MAX_TERMS` of at most `MAX_TERM_LENGTH`
characters, and each term is written back quoted, as a prefix ("ehc" finds "EHCP"), all of
them required. So quotes, `%`, `_`, backslashes, SQL, FTS operators (AND OR NOT NEAR * ^ : - ( )),
emoji and right-to-left text can only ever be words to look for, or nothing (punctuation
alone finds nothing: the index holds words).

PostgreSQL matches the generated `document` tsvector (GIN index, 'simple' configuration) and
ranks with `ts_rank`, a title word (weight A) counting ten times a body word (weight B); SQLite
matches the FTS5 table and ranks with `bm25`, the title column weighted ten times the body.
"""

import re
import unicodedata

from sqlalchemy import Select, String, bindparam, column, func, literal_column, select, table

from ...extensions import db
from ...models import SearchEntry
from ...models.search import FTS_TABLE

MAX_TERMS = 12
MAX_TERM_LENGTH = 60
_TERM = re.compile(r"[^\W_]+")

# Weights for D, C, B, A: a title (A) word counts ten times a body (B) word.
_PG_WEIGHTS = "'{0, 0, 0.1, 1.0}'::float4[]"
_SQLITE_TITLE_WEIGHT, _SQLITE_BODY_WEIGHT = 10.0, 1.0


def terms(typed: str | None) -> list[str]:
    """The words to look for in what someone typed, lower case, each once, in order."""
    found = _TERM.findall(unicodedata.normalize("NFKC", (typed or "")[:4000]).casefold())
    unique = dict.fromkeys(term[:MAX_TERM_LENGTH] for term in found)
    return list(unique)[:MAX_TERMS]


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def fts5_query(words: list[str]) -> str:
    """Every term required, each as the start of a word."""
    return " ".join(f'"{word}"*' for word in words)


def tsquery(words: list[str]) -> str:
    """The same for PostgreSQL's to_tsquery: quoted lexemes joined with &."""
    return " & ".join(f"'{word}':*" for word in words)


def matching_entries(words: list[str]) -> Select:
    """SELECT the index rows that contain every term, best first by `score` (higher is better):
    `SearchEntry.id, kind, object_id, language, score`. Callers add their own WHERE (kinds,
    languages). `words` must come from `terms` and not be empty."""
    if not words:
        raise ValueError("no terms to look for")
    columns = (SearchEntry.id, SearchEntry.kind, SearchEntry.object_id, SearchEntry.language)
    if _is_postgresql():
        document = literal_column("search_entries.document")
        query = func.to_tsquery(
            literal_column("'simple'::regconfig"), bindparam("search_query", tsquery(words), String)
        )
        score = func.ts_rank(literal_column(_PG_WEIGHTS), document, query)
        return select(*columns, score.label("score")).where(document.op("@@")(query))
    index = table(FTS_TABLE, column("rowid"))
    match = literal_column(FTS_TABLE).op("MATCH")(
        bindparam("search_query", fts5_query(words), String)
    )
    score = -func.bm25(
        literal_column(FTS_TABLE),
        literal_column(repr(_SQLITE_TITLE_WEIGHT)),
        literal_column(repr(_SQLITE_BODY_WEIGHT)),
    )
    return (
        select(*columns, score.label("score"))
        .select_from(index)
        .join(SearchEntry, SearchEntry.id == index.c.rowid)
        .where(match)
    )


def matching_ids(words: list[str], kind: str) -> Select:
    """SELECT the ids of the objects of one kind whose index rows contain every term (for an
    `IN`, as the staff inbox's text search does)."""
    found = matching_entries(words).where(SearchEntry.kind == kind).subquery()
    return select(found.c.object_id)
