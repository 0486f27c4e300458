"""Loading the records a person chose, by their ids."""

from ...extensions import db


def by_ids(model, ids, *, order_by=None, options=()) -> list:
    """The records of `model` with these ids, in one query: in the order of `ids` (each once),
    or sorted by `order_by` when given. Empty ids and ids with no record are left out."""
    wanted = list(dict.fromkeys(i for i in ids or () if i))
    if not wanted:
        return []
    query = db.select(model).where(model.id.in_(wanted)).options(*options)
    if order_by is not None:
        return list(db.session.scalars(query.order_by(order_by)))
    found = {record.id: record for record in db.session.scalars(query)}
    return [found[i] for i in wanted if i in found]
