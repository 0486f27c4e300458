"""Loop-closure metrics and "what people told us", aggregated in the database.

Every function runs a fixed number of queries, however many contributions there are.
Published counts below the suppression threshold are never returned raw: they become "fewer than 5".
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, Float, and_, case, func, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from ...extensions import db
from ...models import (
    ApprovalState,
    Contribution,
    ContributionState,
    FeedbackEntry,
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
    # The wait counts from when it reached us: for feedback staff typed in, the start of the day
    # they were told (midnight UTC, within an hour of London's), not the moment it was typed.
    received = func.coalesce(FeedbackEntry.received_on, Contribution.created_at, type_=DateTime)
    days = days_between(first, func.max(received))
    query = (
        select(*keys, case((days < 0, 0.0), else_=days).label("days"))
        .select_from(Contribution)
        .outerjoin(FeedbackEntry, FeedbackEntry.contribution_id == Contribution.id)
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


def _used_and_median(pairs, keys: tuple[str, ...] = ()) -> dict:
    """One query over `_first_response_days`: how many contributions were used, and the median
    of their days (the middle one, or the mean of the middle two), computed by the database with
    window functions, for each value of the `keys` columns.
    {key values (a tuple; () without keys): (used, median days)}."""
    pairs = pairs.subquery()
    partition = [pairs.c[key] for key in keys]
    ranked = select(
        *partition,
        pairs.c.days,
        func.row_number().over(partition_by=partition, order_by=pairs.c.days).label("rank"),
        func.count().over(partition_by=partition).label("used"),
    ).subquery()
    middle = or_(
        ranked.c.rank == (ranked.c.used + 1) // 2, ranked.c.rank == (ranked.c.used + 2) // 2
    )
    group = [ranked.c[key] for key in keys]
    rows = db.session.execute(
        select(*group, func.max(ranked.c.used), func.avg(ranked.c.days))
        .where(middle)
        .group_by(*group)
    ).all()
    return {tuple(row[:-2]): (row[-2], float(row[-1])) for row in rows if row[-2]}


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
    """Three queries: contributions by state, (received, first published) pairs, responses
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
    ).get((), (0, None))
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
    contributions received between `start` and `end` (responses: published between them)."""
    return loop_metrics_by_area_and_period([(start, end)])[0]


def _in_period(column, start: datetime | None, end: datetime | None):
    conditions = [true()]
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column < end)
    return and_(*conditions)


def loop_metrics_by_area_and_period(
    periods: list[tuple[datetime | None, datetime | None]],
) -> list[dict[int | None, LoopMetrics]]:
    """`loop_metrics_by_area` for several periods that do not overlap (a report's period and the
    one before), in one pass: the same rules as `loop_metrics`, grouped by area and period, in six
    queries whatever the number of areas or periods."""

    def bucket(column):
        return case(
            *[(_in_period(column, start, end), n) for n, (start, end) in enumerate(periods)],
            else_=None,
        )

    starts, ends = [start for start, _end in periods], [end for _start, end in periods]
    earliest = None if None in starts else min(starts)
    latest = None if None in ends else max(ends)

    def anywhere(column):
        """From the first period's start to the last one's end, so an index on the time can be
        used; rows between periods that do not meet fall in no period and are left out."""
        return _in_period(column, earliest, latest)

    received = bucket(Contribution.created_at).label("period")
    visible = Contribution.state != ContributionState.HIDDEN.value
    coded = func.sum(case((Contribution.state.in_(CODED_STATES), 1), else_=0))
    area = contribution_areas.c.area_id
    counts: dict = {}
    for row in db.session.execute(
        select(area, received, func.count(Contribution.id), coded)
        .join(Contribution, Contribution.id == contribution_areas.c.contribution_id)
        .where(visible, anywhere(Contribution.created_at))
        .group_by(area, received)
    ):
        counts[(row[0], row[1])] = (row[2], row[3] or 0)
    for row in db.session.execute(
        select(received, func.count(Contribution.id), coded)
        .where(visible, anywhere(Contribution.created_at))
        .group_by(received)
    ):
        counts[(None, row[0])] = (row[1], row[2] or 0)
    used = _used_and_median(
        _first_response_days(
            area.label("area_id"), received, where=[anywhere(Contribution.created_at)]
        ).join(contribution_areas, contribution_areas.c.contribution_id == Contribution.id),
        ("area_id", "period"),
    )
    for (period,), figures in _used_and_median(
        _first_response_days(received, where=[anywhere(Contribution.created_at)]), ("period",)
    ).items():
        used[(None, period)] = figures
    published = bucket(YouSaidWeDid.published_at).label("period")
    is_published = [
        YouSaidWeDid.state == ApprovalState.PUBLISHED.value,
        anywhere(YouSaidWeDid.published_at),
    ]
    responses = {
        (area_id, period): count
        for area_id, period, count in db.session.execute(
            select(response_areas.c.area_id, published, func.count(YouSaidWeDid.id))
            .join(YouSaidWeDid, YouSaidWeDid.id == response_areas.c.response_id)
            .where(*is_published)
            .group_by(response_areas.c.area_id, published)
        )
    }
    for period, count in db.session.execute(
        select(published, func.count(YouSaidWeDid.id)).where(*is_published).group_by(published)
    ):
        responses[(None, period)] = count
    found: list[dict] = [{} for _period in periods]
    for key in set(counts) | set(used) | set(responses):
        area_id, period = key
        if period is None:
            continue
        found[period][area_id] = LoopMetrics(
            contributions=counts.get(key, (0, 0))[0],
            coded=counts.get(key, (0, 0))[1],
            used=used.get(key, (0, None))[0],
            median_days=used.get(key, (0, None))[1],
            responses_published=responses.get(key) or 0,
        )
    for by_area in found:
        by_area.setdefault(None, LoopMetrics(0, 0, 0, None, 0))
    return found
