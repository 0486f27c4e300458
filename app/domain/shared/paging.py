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


def page_of(query: Select, page: int, per_page: int, *, rows: bool = False) -> Page:
    """Page `page` of what `query` finds, in the query's order: a number past the last page
    shows the last page and one below 1 shows the first. An empty list has one (empty) page.
    `rows=True` gives whole result rows rather than the first column."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-(total or 0) // per_page))
    page = min(max(1, page), pages)
    found = db.session.execute if rows else db.session.scalars
    items = list(found(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total or 0, page=page, pages=pages)
