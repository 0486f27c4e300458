"""Loop-closure metrics and "what people told us", aggregated in the database.

Every function runs a fixed number of queries, however many contributions there are.
Published counts below the suppression threshold are never returned raw: they become "fewer than 5".
"""

from dataclasses import dataclass
from statistics import median

from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    ApprovalState,
    Contribution,
    ContributionState,
    FeedbackEntry,
    Theme,
    YouSaidWeDid,
    contribution_themes,
    response_areas,
    response_contributions,
)
from ..shared import suppression
from ..shared.dates import local_midnight_as_utc
from .contributions import linked_to, usable_as_evidence
from .publishing import response_linked_to

CODED_STATES = (
    ContributionState.CODED.value,
    ContributionState.USED.value,
    ContributionState.INDIVIDUAL_CASE.value,
)


def _scope(query, area_id: int | None, action_id: int | None):
    """Limit a query over contributions to those linked to an area and/or an action."""
    return query.where(*linked_to(area_id, action_id))


@dataclass
class LoopMetrics:
    contributions: int  # not hidden
    coded: int
    used: int  # used as evidence in a published response
    median_days: float | None  # from contribution to the first published response that used it
    responses_published: int

    @property
    def coded_share(self) -> float | None:
        return self.coded / self.contributions if self.contributions else None

    @property
    def used_share(self) -> float | None:
        return self.used / self.contributions if self.contributions else None

    @property
    def coded_percent(self) -> int | None:
        return None if self.coded_share is None else round(self.coded_share * 100)

    @property
    def used_percent(self) -> int | None:
        return None if self.used_share is None else round(self.used_share * 100)

    @property
    def median_days_display(self) -> int | None:
        return None if self.median_days is None else round(self.median_days)

    @property
    def contributions_display(self) -> str:
        return suppression.published_count(self.contributions)


def loop_metrics(area_id: int | None = None, action_id: int | None = None) -> LoopMetrics:
    """Three queries: contributions by state, (received, first published) pairs, responses
    published."""
    by_state = dict(
        db.session.execute(
            _scope(select(Contribution.state, func.count(Contribution.id)), area_id, action_id)
            .where(Contribution.state != ContributionState.HIDDEN.value)
            .group_by(Contribution.state)
        ).all()
    )
    pairs = db.session.execute(
        _scope(
            select(
                Contribution.created_at,
                FeedbackEntry.received_on,
                func.min(YouSaidWeDid.published_at),
            ),
            area_id,
            action_id,
        )
        .outerjoin(FeedbackEntry, FeedbackEntry.contribution_id == Contribution.id)
        .join(response_contributions, response_contributions.c.contribution_id == Contribution.id)
        .join(YouSaidWeDid, YouSaidWeDid.id == response_contributions.c.response_id)
        .where(
            YouSaidWeDid.state == ApprovalState.PUBLISHED.value,
            YouSaidWeDid.published_at.is_not(None),
            Contribution.state != ContributionState.HIDDEN.value,
        )
        .group_by(Contribution.id, Contribution.created_at, FeedbackEntry.received_on)
    ).all()
    responses = select(func.count(YouSaidWeDid.id)).where(
        YouSaidWeDid.state == ApprovalState.PUBLISHED.value
    )
    responses = responses.where(*response_linked_to(area_id, action_id))
    # The wait counts from when it reached us: for feedback staff typed in, the start of the day
    # they were told, not the day they typed it.
    days = [
        max((published - (local_midnight_as_utc(on) if on else created)).total_seconds(), 0) / 86400
        for created, on, published in pairs
    ]
    return LoopMetrics(
        contributions=sum(by_state.values()),
        coded=sum(count for state, count in by_state.items() if state in CODED_STATES),
        used=len(pairs),
        median_days=median(days) if days else None,
        responses_published=db.session.scalar(responses) or 0,
    )


@dataclass
class ThemeHeard:
    theme_id: int
    name: str
    display: str  # the count, or "fewer than 5"
    suppressed: bool


def themes_heard(area_id: int | None = None, action_id: int | None = None) -> list[ThemeHeard]:
    """Themes with how many contributions were coded to each, most heard first. Safeguarding-
    flagged and hidden contributions are left out; small counts are shown as "fewer than 5"."""
    count = func.count(Contribution.id)
    rows = db.session.execute(
        _scope(select(Theme.id, Theme.name, count), area_id, action_id)
        .join(contribution_themes, contribution_themes.c.theme_id == Theme.id)
        .join(Contribution, Contribution.id == contribution_themes.c.contribution_id)
        .where(usable_as_evidence())
        .group_by(Theme.id, Theme.name)
        .order_by(count.desc(), Theme.name)
    ).all()
    return [
        ThemeHeard(
            theme_id=theme_id,
            name=name,
            display=suppression.published_count(n),
            suppressed=suppression.suppressed(n),
        )
        for theme_id, name, n in rows
    ]


def responses_published_by_area() -> dict[int, int]:
    """{area id: responses published}, in one query, for the areas at a glance."""
    return dict(
        db.session.execute(
            select(response_areas.c.area_id, func.count(YouSaidWeDid.id))
            .join(YouSaidWeDid, YouSaidWeDid.id == response_areas.c.response_id)
            .where(YouSaidWeDid.state == ApprovalState.PUBLISHED.value)
            .group_by(response_areas.c.area_id)
        ).all()
    )
