"""Numbered pages of a list: page N of a query, and how many pages there are."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from ...extensions import db


@dataclass
class Page:
    items: list
    total: int
    page: int
    pages: int


def page_of(query: Select, page: int, per_page: int) -> Page:
    """Page `page` of what `query` finds, in the query's order: a number past the last page
    shows the last page and one below 1 shows the first. An empty list has one (empty) page."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-(total or 0) // per_page))
    page = min(max(1, page), pages)
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total or 0, page=page, pages=pages)


def page_counted_in_the_query(query: Select, page: int, per_page: int) -> Page:
    """`page_of` for a query that is costly to run twice (a full-text search): the page's rows
    (whole rows, not the first column) carry the total as a window count, so one query answers
    both; only a page number past the end costs a second query, for the last page."""
    page = max(1, page)
    counted = query.add_columns(func.count().over().label("_total"))
    rows = list(db.session.execute(counted.limit(per_page).offset((page - 1) * per_page)))
    if not rows and page > 1:
        return page_counted_in_the_query(query, _last_page(query, per_page), per_page)
    total = rows[0]._total if rows else 0
    pages = max(1, -(-total // per_page))
    return Page(items=rows, total=total, page=page, pages=pages)


def _last_page(query: Select, per_page: int) -> int:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return max(1, -(-(total or 0) // per_page))
