"""What the public sees of "You said, we did": published responses, filtered and paged, and one
response with its approved quotes. Drafts and responses awaiting approval never appear here;
a withdrawn response shows only its withdrawal notice."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import to_utc
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    Action,
    ApprovalState,
    Area,
    Contribution,
    WeDidStatus,
    YouSaidWeDid,
    response_actions,
    response_areas,
    response_contributions,
)
from ..shared.paging import page_of
from ..shared.text import distinct_texts
from .contributions import quotable
from .publishing import QUOTES_ON_PAGE, evidence_counts, response_linked_to

PUBLIC_PAGE_SIZE = 20


@dataclass
class PublicFilter:
    area_number: int | None = None
    action_reference: str | None = None
    organisation_id: int | None = None
    status: str | None = None
    published_from: date | None = None
    published_to: date | None = None


@dataclass
class PublicList:
    responses: list[YouSaidWeDid]
    evidence: dict[int, int]
    total: int
    page: int
    pages: int


def _public_query(query, f: PublicFilter):
    query = query.where(YouSaidWeDid.state == ApprovalState.PUBLISHED.value)
    if f.area_number is not None:
        query = query.where(
            exists().where(
                response_areas.c.response_id == YouSaidWeDid.id,
                response_areas.c.area_id == Area.id,
                Area.number == f.area_number,
            )
        )
    if f.action_reference:
        query = query.where(
            exists().where(
                response_actions.c.response_id == YouSaidWeDid.id,
                response_actions.c.action_id == Action.id,
                func.upper(Action.reference) == f.action_reference.upper(),
            )
        )
    if f.organisation_id is not None:
        query = query.where(YouSaidWeDid.organisation_id == f.organisation_id)
    if f.status in {s.value for s in WeDidStatus}:
        query = query.where(YouSaidWeDid.status == f.status)
    # Dates are days in the service's time zone; published_at is stored in UTC.
    if f.published_from:
        query = query.where(YouSaidWeDid.published_at >= _utc_start_of(f.published_from))
    if f.published_to:
        query = query.where(
            YouSaidWeDid.published_at < _utc_start_of(f.published_to + timedelta(days=1))
        )
    return query


def _utc_start_of(day: date) -> datetime:
    return to_utc(datetime.combine(day, time.min))


def published_responses(
    f: PublicFilter | None = None, page: int = 1, per_page: int = PUBLIC_PAGE_SIZE
) -> PublicList:
    """Published responses, newest first, paged; a fixed number of queries."""
    f = f or PublicFilter()
    found = page_of(
        _public_query(select(YouSaidWeDid), f)
        .options(selectinload(YouSaidWeDid.organisation))
        .order_by(YouSaidWeDid.published_at.desc(), YouSaidWeDid.id.desc()),
        page,
        per_page,
    )
    responses = found.items
    return PublicList(
        responses=responses,
        evidence=evidence_counts([r.id for r in responses]),
        total=found.total,
        page=found.page,
        pages=found.pages,
    )


def published_newest_first(*conditions, limit: int | None = None) -> PublicList:
    """Published responses that match, newest first, as one page with their evidence counts."""
    responses = list(
        db.session.scalars(
            select(YouSaidWeDid)
            .where(YouSaidWeDid.state == ApprovalState.PUBLISHED.value, *conditions)
            .options(selectinload(YouSaidWeDid.organisation))
            .order_by(YouSaidWeDid.published_at.desc(), YouSaidWeDid.id.desc())
            .limit(limit)
        )
    )
    return PublicList(
        responses=responses,
        evidence=evidence_counts([r.id for r in responses]),
        total=len(responses),
        page=1,
        pages=1,
    )


def latest_published(
    limit: int = 3, *, area_id: int | None = None, action_id: int | None = None
) -> PublicList:
    """The newest published responses (for the home, area and action pages)."""
    return published_newest_first(*response_linked_to(area_id, action_id), limit=limit)


QUOTES_SHOWN_FIRST = 3


@dataclass
class PublicResponse:
    response: YouSaidWeDid
    evidence_count: int
    quotes: list[str]  # different from each other, newest first

    @property
    def quotes_first(self) -> list[str]:
        """The quotes shown straight away; the rest are behind "Show more"."""
        return self.quotes[:QUOTES_SHOWN_FIRST]

    @property
    def quotes_more(self) -> list[str]:
        return self.quotes[QUOTES_SHOWN_FIRST:]


def public_response(response_id: int) -> PublicResponse | None:
    """A published or withdrawn response as the public sees it; None for anything else."""
    response = db.session.scalar(
        select(YouSaidWeDid)
        .where(
            YouSaidWeDid.id == response_id,
            YouSaidWeDid.state.in_((ApprovalState.PUBLISHED.value, ApprovalState.WITHDRAWN.value)),
        )
        .options(
            selectinload(YouSaidWeDid.organisation),
            selectinload(YouSaidWeDid.areas),
            selectinload(YouSaidWeDid.actions),
            selectinload(YouSaidWeDid.revisions),
        )
    )
    if response is None:
        return None
    if response.state == ApprovalState.WITHDRAWN.value:
        return PublicResponse(response=response, evidence_count=0, quotes=[])
    return _as_public(response)


def _as_public(response: YouSaidWeDid) -> PublicResponse:
    """What the public page shows of a response: its count of usable evidence and its quotes."""
    evidence = select(response_contributions.c.contribution_id).where(
        response_contributions.c.response_id == response.id
    )
    # Several people often say the same thing in the same words: each quote is shown once.
    quotes = distinct_texts(
        db.session.scalars(
            select(Contribution.quote_text)
            .where(Contribution.id.in_(evidence), quotable())
            .order_by(Contribution.created_at.desc(), Contribution.id.desc())
            .limit(QUOTES_ON_PAGE * 5)
        )
    )[:QUOTES_ON_PAGE]
    return PublicResponse(
        response=response,
        evidence_count=evidence_counts([response.id]).get(response.id, 0),
        quotes=quotes,
    )


def preview(response: YouSaidWeDid) -> PublicResponse:
    """A response not yet published, as its public page will show it (for staff only)."""
    return _as_public(response)
