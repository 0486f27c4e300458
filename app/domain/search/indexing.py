"""Keeping the search index in step with the content, in the same transaction as the change.

Session hooks do it, so no code path can commit a change without its index rows:
`before_flush` notes every new, changed or deleted object of a registered kind, and
`after_flush` (ids known, same connection, same transaction) replaces its rows. A rollback
undoes both. Bulk `update()`/`delete()` statements on an indexed model (data rights erasure)
skip the flush, so `do_orm_execute` removes or rewrites those rows around the statement (and a
bulk insert, which only tests and benchmarks use, indexes what it added).

The database keeps the full-text part of each row itself (see `models/search.py`).
"""

import html
from types import SimpleNamespace

import bleach
from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from ...models import SearchEntry
from ..shared.full_text import indexable
from ..shared.wording import VARIANT_YOUNG_PERSON
from .registry import KINDS, Kind, kind_for_model, kind_of

_PENDING = "search_index_pending"


def languages(obj) -> list[str]:
    """ "en" and each plain language the object has a translation in ("pl", "ur"; not
    young-person wording)."""
    found = ["en"]
    for variant, texts in (getattr(obj, "translations", None) or {}).items():
        if not isinstance(variant, str) or variant == "en":
            continue
        if VARIANT_YOUNG_PERSON in variant.split("-") or not isinstance(texts, dict):
            continue
        if any(isinstance(text, str) and text.strip() for text in texts.values()):
            found.append(variant)
    return found


def field_text(kind: Kind, obj, field: str, language: str) -> tuple[str, str]:
    """One field as a reader of `language` sees it, as plain text, and the language it is in
    ("en" when it fell back to English). Empty when the field is not public yet."""
    condition = kind.shown_once.get(field)
    if condition and getattr(obj, condition, None) is None:
        return "", "en"
    text, in_language = getattr(obj, field, None) or "", "en"
    if language != "en":
        translated = ((getattr(obj, "translations", None) or {}).get(language) or {}).get(field)
        if isinstance(translated, str) and translated.strip():
            text, in_language = translated, language
    if field in kind.html_fields and text:
        text = html.unescape(bleach.clean(text.replace("<", " <"), tags=set(), strip=True))
    return " ".join(str(text).split()), in_language


def entries_for(kind: Kind, obj) -> list[dict]:
    """The index rows of one object: one per language it has."""
    rows = []
    for language in languages(obj):
        title = " ".join(
            filter(None, (field_text(kind, obj, f, language)[0] for f in kind.title_fields))
        )
        body = "\n".join(
            filter(None, (field_text(kind, obj, f, language)[0] for f in kind.body_fields))
        )
        rows.append(
            {
                "kind": kind.name,
                "object_id": obj.id,
                "language": language,
                "title": indexable(title),
                "body": indexable(body),
            }
        )
    return rows


def _write(
    session: Session, objects_by_kind: dict[str, dict[int, object]], removed, new=frozenset()
) -> None:
    """Replace the rows of what changed and remove those of what was deleted; an object added
    in this flush (`new`, by identity) has no rows yet, so none are deleted for it."""
    connection = session.connection()
    rows = []
    for name in set(objects_by_kind) | set(removed):
        ids = {
            object_id
            for object_id, obj in objects_by_kind.get(name, {}).items()
            if id(obj) not in new
        } | set(removed.get(name, ()))
        if ids:
            connection.execute(
                delete(SearchEntry).where(
                    SearchEntry.kind == name, SearchEntry.object_id.in_(sorted(ids))
                )
            )
        for obj in objects_by_kind.get(name, {}).values():
            rows += entries_for(KINDS[name], obj)
    if rows:
        connection.execute(insert(SearchEntry), rows)


def _changed(kind: Kind, obj) -> bool:
    state = inspect(obj)
    if kind.watched is None:
        return any(
            state.attrs[column.key].history.has_changes() for column in state.mapper.column_attrs
        )
    return any(state.attrs[name].history.has_changes() for name in kind.watched)


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _flush_context, _instances) -> None:
    indexed, removed, new = [], {}, set()
    for obj in session.new:
        if kind_of(obj) is not None:
            indexed.append(obj)
            new.add(id(obj))
    for obj in session.dirty:
        kind = kind_of(obj)
        if kind is not None and _changed(kind, obj):
            indexed.append(obj)
    for obj in session.deleted:
        kind = kind_of(obj)
        if kind is not None and obj.id is not None:
            removed.setdefault(kind.name, set()).add(obj.id)
    if indexed or removed:
        session.info[_PENDING] = (indexed, removed, new)


@event.listens_for(Session, "after_flush")
def _index_changes(session: Session, _flush_context) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    indexed, removed, new = pending
    by_kind: dict[str, dict[int, object]] = {}
    for obj in indexed:
        if obj in session.deleted or inspect(obj).deleted or obj.id is None:
            continue
        by_kind.setdefault(kind_of(obj).name, {})[obj.id] = obj
    _write(session, by_kind, removed, new)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statements(state):
    """A bulk delete removes the rows of what it deletes; a bulk update rewrites them; a bulk
    insert indexes every object of its kind that has no row yet."""
    if not (state.is_delete or state.is_update or state.is_insert) or state.bind_mapper is None:
        return None
    kind = kind_for_model(state.bind_mapper.class_)
    if kind is None:
        return None
    if state.is_insert:
        result = state.invoke_statement()
        _index_missing(state.session, kind)
        return result
    if state.is_update:
        values = getattr(state.statement, "_values", None) or {}
        names = {getattr(column, "key", str(column)) for column in values}
        if values and not names & set(kind.watched or kind.columns + ("translations",)):
            return None  # nothing the index holds changes (a contact id set to NULL)
    model = kind.model
    where = state.statement.whereclause
    ids_query = select(model.id) if where is None else select(model.id).where(where)
    session = state.session
    ids = list(session.execute(ids_query).scalars())
    if not ids:
        return None
    result = state.invoke_statement()
    if state.is_delete:
        _write(session, {}, {kind.name: ids})
    else:
        _reindex_ids(session, kind, ids)
    return result


def _index_missing(session: Session, kind: Kind) -> None:
    indexed = select(SearchEntry.object_id).where(SearchEntry.kind == kind.name)
    ids = list(
        session.connection().scalars(select(kind.model.id).where(kind.model.id.not_in(indexed)))
    )
    if ids:
        _reindex_ids(session, kind, ids)


def _reindex_ids(session: Session, kind: Kind, ids: list[int]) -> None:
    table = kind.model.__table__
    objects = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in session.connection().execute(
            select(*(table.c[name] for name in _columns(kind, table))).where(table.c.id.in_(chunk))
        ):
            objects[row.id] = SimpleNamespace(**row._mapping)
    _write(session, {kind.name: objects}, {kind.name: ids})


def _columns(kind: Kind, table, present: set[str] | None = None) -> list[str]:
    wanted = list(kind.columns) + (["translations"] if "translations" in table.c else [])
    return [name for name in wanted if name in table.c and (present is None or name in present)]


def rebuild(session: Session) -> int:
    """Index everything again from the tables (the migration that created the index runs it;
    so does `flask search rebuild`). Reads only the columns that exist in the database, so it
    also runs from a migration before a later one adds a column. Returns the rows written."""
    connection = session.connection()
    database = inspect(connection)
    tables = set(database.get_table_names())
    written = 0
    connection.execute(delete(SearchEntry))
    for kind in KINDS.values():
        table = kind.model.__table__
        if table.name not in tables:
            continue
        present = {column["name"] for column in database.get_columns(table.name)}
        names = _columns(kind, table, present)
        batch = []
        for row in connection.execute(select(*(table.c[name] for name in names))):
            values = dict.fromkeys(kind.columns)
            values.update(row._mapping)
            batch += entries_for(kind, SimpleNamespace(**values))
            if len(batch) >= 1000:
                connection.execute(insert(SearchEntry), batch)
                written, batch = written + len(batch), []
        if batch:
            connection.execute(insert(SearchEntry), batch)
            written += len(batch)
    return written


def rebuild_and_commit() -> int:
    """`flask search rebuild`: the whole index written again, in one transaction (the migration
    fills it already; this is for a measure kind added later, or a restored database)."""
    from ...extensions import db

    written = rebuild(db.session)
    db.session.commit()
    return written
