"""Loading the records a person chose, by their ids."""

from sqlalchemy import Select, exists, func, intersect, select, update
from sqlalchemy.orm.util import identity_key

from ...extensions import db


def by_ids(model, ids, *, order_by=None, options=()) -> list:
    """The records of `model` with these ids, in one query: in the order of `ids` (each once),
    or sorted by `order_by` when given. Empty ids and ids with no record are left out."""
    wanted = list(dict.fromkeys(i for i in ids or () if i))
    if not wanted:
        return []
    if order_by is None and not options:
        # Records this request has already loaded are not loaded again.
        known = [db.session.identity_map.get(identity_key(model, i)) for i in wanted]
        if all(record is not None for record in known):
            return known
    query = db.select(model).where(model.id.in_(wanted)).options(*options)
    if order_by is not None:
        return list(db.session.scalars(query.order_by(order_by)))
    found = {record.id: record for record in db.session.scalars(query)}
    return [found[i] for i in wanted if i in found]


def linked(record_id, *links) -> list:
    """Conditions that a record is linked to each id wanted. Each link is (the link table's
    column naming the record, its column naming the other side, the id wanted or None for any);
    `record_id` is the record's own id column."""
    return [
        exists().where(record_column == record_id, other_column == wanted)
        for record_column, other_column, wanted in links
        if wanted is not None
    ]


def linked_ids(*links) -> Select | None:
    """SELECT the ids of the records linked to every id wanted (links as for `linked`), or None
    when no id is wanted."""
    wanted = [
        select(record_column).where(other_column == other_id)
        for record_column, other_column, other_id in links
        if other_id is not None
    ]
    if not wanted:
        return None
    return wanted[0] if len(wanted) == 1 else select(intersect(*wanted).subquery().c[0])


def among(record_id, ids: Select):
    """A condition that the record's id is one of `ids`, which the database works out once,
    before anything else (on PostgreSQL an `ARRAY(...)`: the planner then fetches those records
    by primary key rather than walking an index and asking about each row)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return record_id == func.any(func.array(ids.scalar_subquery()))
    return record_id.in_(ids)


def claim_next(model, due, order_by: tuple, values: dict, returning: tuple):
    """Claim the first row that is `due`, for this worker, in one statement, and commit: the
    row is chosen and changed at once (PostgreSQL skips rows another worker holds; SQLite has
    one writer at a time) and `due` is checked again on the row itself, so two workers never
    claim the same row. The claimed row's `returning` columns, or None when nothing is due."""
    next_due = (
        select(model.id)
        .where(due)
        .order_by(*order_by)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    row = db.session.execute(
        update(model)
        .where(model.id == next_due)
        .where(due)
        .values(**values)
        .returning(*returning)
        .execution_options(synchronize_session=False)
    ).first()
    db.session.commit()
    return row
