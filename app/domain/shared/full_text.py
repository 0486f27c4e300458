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
# bm25 weights of the columns title, body, kind, language: a title word counts ten times.
_SQLITE_WEIGHTS = (10.0, 1.0, 0.0, 0.0)


def terms(typed: str | None) -> list[str]:
    """The words to look for in what someone typed, lower case, each once, in order."""
    found = _TERM.findall(unicodedata.normalize("NFKC", (typed or "")[:4000]).casefold())
    unique = dict.fromkeys(term[:MAX_TERM_LENGTH] for term in found)
    return list(unique)[:MAX_TERMS]


# A hyphen joined to a digit: "ABCD-2345", "ages 5-11".
_HYPHEN_BEFORE_DIGIT = re.compile(r"-(?=\d)")


def indexable(text: str) -> str:
    """Text as the index holds it: the words `terms` would find in it must be words of the
    index. PostgreSQL's parser reads a hyphen before a digit as a minus sign ("ABCD-2345-XYZ9"
    gives the word "-2345", which a search for 2345 never matches), so such a hyphen is stored
    as a space; everything else is kept as written."""
    return _HYPHEN_BEFORE_DIGIT.sub(" ", text)


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def fts5_query(words: list[str], kinds=(), languages=()) -> str:
    """Every term required, each as the start of a word, in the title or body; on SQLite the
    kinds and languages wanted are columns of the full-text table, so its own index narrows
    the search before anything is ranked. (Kind names and language codes are plain words.)"""
    query = "{title body} : (" + " ".join(f'"{word}"*' for word in words) + ")"
    if kinds:
        query += " AND kind : (" + " OR ".join(f'"{kind}"' for kind in kinds) + ")"
    if languages:
        query += " AND language : (" + " OR ".join(f'"{code}"' for code in languages) + ")"
    return query


def tsquery(words: list[str]) -> str:
    """The same for PostgreSQL's to_tsquery: quoted lexemes joined with &."""
    return " & ".join(f"'{word}':*" for word in words)


def _match(words: list[str], kinds=(), languages=()):
    """The WHERE condition of the full-text table itself."""
    return literal_column(FTS_TABLE).op("MATCH")(
        bindparam("search_query", fts5_query(words, kinds, languages), String)
    )


def _pg_query(words: list[str]):
    return func.to_tsquery(
        literal_column("'simple'::regconfig"), bindparam("search_query", tsquery(words), String)
    )


def matching_entries(words: list[str], kinds: list[str], languages: list[str]) -> Select:
    """SELECT the index rows of these kinds and languages that contain every term, with
    `score` (higher is better): `SearchEntry.id, kind, object_id, language, score`. `words`
    must come from `terms` and not be empty.

    On SQLite the full-text search runs first and once (a materialised CTE), then its hits are
    joined to their rows by primary key: otherwise the planner may walk the rows and ask the
    full-text index about each one."""
    if not words:
        raise ValueError("no terms to look for")
    columns = (SearchEntry.id, SearchEntry.kind, SearchEntry.object_id, SearchEntry.language)
    wanted = (SearchEntry.kind.in_(kinds), SearchEntry.language.in_(languages))
    if _is_postgresql():
        document = literal_column("search_entries.document")
        query = _pg_query(words)
        score = func.ts_rank(literal_column(_PG_WEIGHTS), document, query)
        return select(*columns, score.label("score")).where(document.op("@@")(query), *wanted)
    index = table(FTS_TABLE, column("rowid"))
    score = -func.bm25(
        literal_column(FTS_TABLE),
        *(literal_column(repr(weight)) for weight in _SQLITE_WEIGHTS),
    )
    hits = (
        select(index.c.rowid.label("entry_id"), score.label("score"))
        .where(_match(words, kinds, languages))
        .cte("full_text_hits")
        .prefix_with("MATERIALIZED")
    )
    return (
        select(*columns, hits.c.score)
        .select_from(hits)
        .join(SearchEntry, SearchEntry.id == hits.c.entry_id)
        .where(*wanted)
    )


# On SQLite, how many full-text matches are few enough to list before the rest of a query runs.
FEW_MATCHES = 1000


def matching(object_id, words: list[str], kind: str):
    """A condition that the object whose id is `object_id` has an index row of `kind` containing
    every term (the staff inbox's text search); no ranking. `words` must come from `terms` and
    not be empty.

    A query filtered by text and sorted by something else (the inbox's order) is cheap one of
    two ways: when few rows match, fetch them and sort them; when many do, walk the query's own
    order and check each row, stopping at the end of the page. PostgreSQL's planner chooses
    between the two from the statistics of the `document` column. SQLite's knows nothing of
    how many rows a MATCH finds, so it is asked first, in one query that reads at most
    `FEW_MATCHES` + 1 of them: up to that many, the condition is the list of their ids;
    beyond, each row's index entry is looked up (by kind and object) in the set FTS5 finds.
    """
    if not words:
        raise ValueError("no terms to look for")
    if _is_postgresql():
        return object_id.in_(
            select(SearchEntry.object_id).where(
                SearchEntry.kind == kind,
                literal_column("search_entries.document").op("@@")(_pg_query(words)),
            )
        )
    index = table(FTS_TABLE, column("rowid"))
    # The kind is in the MATCH, so the rows are found by primary key alone (a kind condition
    # here would make SQLite walk every row of the kind instead).
    few = list(
        db.session.scalars(
            select(SearchEntry.object_id).where(
                SearchEntry.id.in_(
                    select(index.c.rowid).where(_match(words, [kind])).limit(FEW_MATCHES + 1)
                )
            )
        )
    )
    if len(few) <= FEW_MATCHES:
        return object_id.in_(few)
    return (
        select(SearchEntry.id)
        .where(
            SearchEntry.kind == kind,
            SearchEntry.object_id == object_id,
            SearchEntry.id.in_(select(index.c.rowid).where(_match(words))),
        )
        .exists()
    )
