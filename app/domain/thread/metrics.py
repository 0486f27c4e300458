"""Loop-closure metrics and "what people told us", aggregated in the database.

Every function runs a fixed number of queries, however many contributions there are.
Published counts below the suppression threshold are never returned raw: they become "fewer than 5".
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Float, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from ...extensions import db
from ...models import (
    ApprovalState,
    Contribution,
    ContributionState,
    Theme,
    YouSaidWeDid,
    contribution_areas,
    contribution_themes,
    response_areas,
    response_contributions,
)
from ..shared import suppression
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


def received_between(start: datetime | None, end: datetime | None) -> list:
    """Conditions on contributions: received at or after `start` and before `end` (stored UTC
    times, as `shared.dates.local_day_bounds` gives them); None is no bound."""
    conditions = []
    if start is not None:
        conditions.append(Contribution.created_at >= start)
    if end is not None:
        conditions.append(Contribution.created_at < end)
    return conditions


class days_between(FunctionElement):
    """Days (with fractions) from `earlier` to `later`, two stored times, in SQL."""

    type = Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"


def _first_response_days(*keys, where=()):
    """The loop's time rule, as a subquery: for each contribution (not hidden) used as evidence
    in a published response, the days from its receipt to the FIRST published response that
    used it (never below 0); `keys` are extra columns to group by (an area, say)."""
    first = func.min(YouSaidWeDid.published_at)
    days = days_between(first, Contribution.created_at)
    query = (
        select(*keys, case((days < 0, 0.0), else_=days).label("days"))
        .select_from(Contribution)
        .join(response_contributions, response_contributions.c.contribution_id == Contribution.id)
        .join(YouSaidWeDid, YouSaidWeDid.id == response_contributions.c.response_id)
        .where(
            YouSaidWeDid.state == ApprovalState.PUBLISHED.value,
            YouSaidWeDid.published_at.is_not(None),
            Contribution.state != ContributionState.HIDDEN.value,
            *where,
        )
        .group_by(*keys, Contribution.id, Contribution.created_at)
    )
    return query


def _used_and_median(pairs, key=None) -> dict:
    """One query over `_first_response_days`: how many contributions were used, and the median
    of their days (the middle one, or the mean of the middle two), computed by the database with
    window functions. {key value: (used, median days)}; without a key, the one entry is None."""
    pairs = pairs.subquery()
    partition = [pairs.c[key]] if key else []
    ranked = select(
        *partition,
        pairs.c.days,
        func.row_number().over(partition_by=partition, order_by=pairs.c.days).label("rank"),
        func.count().over(partition_by=partition).label("used"),
    ).subquery()
    middle = or_(
        ranked.c.rank == (ranked.c.used + 1) // 2, ranked.c.rank == (ranked.c.used + 2) // 2
    )
    group = [ranked.c[key]] if key else [literal(None).label("key")]
    rows = db.session.execute(
        select(group[0], func.max(ranked.c.used), func.avg(ranked.c.days))
        .where(middle)
        .group_by(*(group if key else []))
    ).all()
    return {row[0]: (row[1], float(row[2])) for row in rows if row[1]}


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
        """The published share coded: withheld when either count behind it is suppressed."""
        return suppression.publishable_percent(self.coded, self.contributions)

    @property
    def used_percent(self) -> int | None:
        return suppression.publishable_percent(self.used, self.contributions)

    @property
    def median_days_display(self) -> int | None:
        """Withheld when fewer than the threshold's contributions were used: a median of one or
        two people's waits is about those people."""
        if self.median_days is None:
            return None
        return suppression.publishable_figure(self.used, round(self.median_days))

    @property
    def contributions_display(self) -> str:
        return suppression.published_count(self.contributions)


def loop_metrics(area_id: int | None = None, action_id: int | None = None) -> LoopMetrics:
    """Three queries: contributions by state, (created, first published) pairs, responses
    published."""
    by_state = dict(
        db.session.execute(
            _scope(select(Contribution.state, func.count(Contribution.id)), area_id, action_id)
            .where(Contribution.state != ContributionState.HIDDEN.value)
            .group_by(Contribution.state)
        ).all()
    )
    used, median_days = _used_and_median(
        _first_response_days(where=linked_to(area_id, action_id))
    ).get(None, (0, None))
    responses = select(func.count(YouSaidWeDid.id)).where(
        YouSaidWeDid.state == ApprovalState.PUBLISHED.value
    )
    responses = responses.where(*response_linked_to(area_id, action_id))
    return LoopMetrics(
        contributions=sum(by_state.values()),
        coded=sum(count for state, count in by_state.items() if state in CODED_STATES),
        used=used,
        median_days=median_days,
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


def loop_metrics_by_area(
    start: datetime | None = None, end: datetime | None = None
) -> dict[int | None, LoopMetrics]:
    """The loop metrics of every area at once, and of the whole plan (key None), for the
    contributions received between `start` and `end` (responses: published between them).
    The same rules as `loop_metrics`, grouped: six queries, whatever the number of areas."""
    received = received_between(start, end)
    visible = Contribution.state != ContributionState.HIDDEN.value
    coded = func.sum(case((Contribution.state.in_(CODED_STATES), 1), else_=0))
    area = contribution_areas.c.area_id
    counts = {
        row[0]: (row[1], row[2] or 0)
        for row in db.session.execute(
            select(area, func.count(Contribution.id), coded)
            .join(Contribution, Contribution.id == contribution_areas.c.contribution_id)
            .where(visible, *received)
            .group_by(area)
        )
    }
    total, total_coded = db.session.execute(
        select(func.count(Contribution.id), coded).where(visible, *received)
    ).one()
    counts[None] = (total, total_coded or 0)
    used = _used_and_median(
        _first_response_days(area.label("area_id"), where=received).join(
            contribution_areas, contribution_areas.c.contribution_id == Contribution.id
        ),
        "area_id",
    )
    used.update(_used_and_median(_first_response_days(where=received)))
    published = [YouSaidWeDid.state == ApprovalState.PUBLISHED.value]
    if start is not None:
        published.append(YouSaidWeDid.published_at >= start)
    if end is not None:
        published.append(YouSaidWeDid.published_at < end)
    responses = dict(
        db.session.execute(
            select(response_areas.c.area_id, func.count(YouSaidWeDid.id))
            .join(YouSaidWeDid, YouSaidWeDid.id == response_areas.c.response_id)
            .where(*published)
            .group_by(response_areas.c.area_id)
        ).all()
    )
    responses[None] = db.session.scalar(select(func.count(YouSaidWeDid.id)).where(*published))
    keys = set(counts) | set(used) | set(responses)
    return {
        key: LoopMetrics(
            contributions=counts.get(key, (0, 0))[0],
            coded=counts.get(key, (0, 0))[1],
            used=used.get(key, (0, None))[0],
            median_days=used.get(key, (0, None))[1],
            responses_published=responses.get(key) or 0,
        )
        for key in keys
    }
