"""The assurance board's report for a period: for the whole plan and for each area of weakness,
what people told us, what was done with it, where the actions stand, and how each figure changed
since the period of the same length before; and its publication, frozen.

Every figure is computed by the database (GROUP BY over all areas at once, window functions for
medians and top themes), in a fixed number of queries however much data or how many areas there
are. The figures are built once, as plain JSON-safe data with suppression already applied, and
that same data is what the staff page, the CSV, and the published page show: the board and the
public see the same numbers. A count of people below the threshold is None with `suppressed`
true; a percentage or median behind such a count is withheld (`suppression.publishable_percent`).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_date, format_decimal, format_number
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Area,
    Contribution,
    PublishedReport,
    Theme,
    User,
    action_areas,
    contribution_areas,
    contribution_themes,
)
from ...models.base import utcnow
from ..people import audit, roles
from ..plan import measures as plan_measures
from ..plan import rules as plan_rules
from ..shared import dates, suppression
from ..shared.dates import local_day, local_day_bounds
from ..shared.errors import NotAllowed, Problems, Refused
from ..thread import cases as case_domain
from ..thread.contributions import usable_as_evidence
from ..thread.metrics import LoopMetrics, loop_metrics_by_area_and_period
from ..thread.open_data import Column, Dataset, csv_cell
from . import reach as reach_domain

TOP_THEMES = 3
RECENT_QUARTERS = 8
QUARTER_SLUG = re.compile(r"^(\d{4})-Q([1-4])$")
DATES_SLUG = re.compile(r"^(\d{4}-\d{2}-\d{2})-to-(\d{4}-\d{2}-\d{2})$")
EARLIEST = date(2000, 1, 1)
LATEST = date(9998, 12, 31)  # the day after a period must still be a date
LONGEST_DAYS = 366 * 5


# Periods ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included: a calendar quarter ("2026-Q3") or any dates
    ("2026-07-01-to-2026-08-15"). The slug is the period's stable address."""

    start: date
    end: date
    quarter: int | None = None

    @property
    def slug(self) -> str:
        if self.quarter:
            return f"{self.start.year}-Q{self.quarter}"
        return f"{self.start.isoformat()}-to-{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """ "July to September 2026", or "1 July 2026 to 15 August 2026"."""
        if self.quarter:
            return _(
                "%(first)s to %(last)s",
                first=format_date(self.start, "MMMM"),
                last=format_date(self.end, "MMMM y"),
            )
        return _(
            "%(first)s to %(last)s",
            first=format_date(self.start, "d MMMM y"),
            last=format_date(self.end, "d MMMM y"),
        )

    def previous(self) -> "Period":
        """The period of the same length just before: the quarter before a quarter."""
        if self.quarter:
            return quarter_of(self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def bounds(self) -> tuple[datetime, datetime]:
        return local_day_bounds(self.start, self.end)

    def as_dict(self) -> dict:
        return {"slug": self.slug, "start": self.start.isoformat(), "end": self.end.isoformat()}


def quarter_of(day: date) -> Period:
    """The calendar quarter a day falls in."""
    number = (day.month - 1) // 3 + 1
    start = date(day.year, 3 * number - 2, 1)
    following = date(day.year + 1, 1, 1) if number == 4 else date(day.year, 3 * number + 1, 1)
    return Period(start, following - timedelta(days=1), number)


def last_complete_quarter(today: date) -> Period:
    return quarter_of(quarter_of(today).start - timedelta(days=1))


def recent_quarters(today: date, count: int = RECENT_QUARTERS) -> list[Period]:
    """This quarter and the ones before it, newest first, for the period choice."""
    found = [quarter_of(today)]
    while len(found) < count:
        found.append(found[-1].previous())
    return found


def period_from_slug(slug: str | None) -> Period | None:
    """The period an address names, or None when it names none (a bad quarter, impossible
    dates, the end before the start)."""
    slug = (slug or "").strip()
    if match := QUARTER_SLUG.match(slug):
        year, number = int(match[1]), int(match[2])
        if year < EARLIEST.year or year > 9998:
            return None
        return quarter_of(date(year, 3 * number - 2, 1))
    if match := DATES_SLUG.match(slug):
        try:
            start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        except ValueError:
            return None
        try:
            return period_between(start, end)
        except Refused:
            return None
    return None


def period_between(start: date, end: date) -> Period:
    """A period of any dates; a whole calendar quarter is given its quarter's name. Refused
    (next to the fields) when the dates cannot make a period."""
    problems = Problems()
    if start < EARLIEST:
        problems.add("date_from", _("The start date must be in or after 2000"))
    if end > LATEST:
        problems.add("date_to", _("The end date must be before the year 9999"))
    elif end < start:
        problems.add("date_to", _("The end date must be the same as or after the start date"))
    elif (end - start).days >= LONGEST_DAYS:
        problems.add("date_to", _("A report can cover at most 5 years"))
    problems.raise_if_any()
    whole = quarter_of(start)
    if whole.start == start and whole.end == end:
        return whole
    return Period(start, end)


# Figures ----------------------------------------------------------------------------------------
# Each figure is {"kind", "now", "before", "change"}: "now" and "before" are None when withheld
# (with "suppressed" true when a count of people is under the threshold); "change" is now minus
# before when both may be shown.

COUNT, PEOPLE, PERCENT, DAYS, MEASURE = "count", "people", "percent", "days", "measure"


def _figure(kind: str, now, before) -> dict:
    figure = {"kind": kind, "now": now, "before": before}
    if kind == PEOPLE:
        figure["now"] = None if suppression.suppressed(now or 0) else now
        figure["before"] = None if suppression.suppressed(before or 0) else before
        figure["suppressed"] = figure["now"] is None
        figure["before_suppressed"] = figure["before"] is None
    both = figure["now"] is not None and figure["before"] is not None
    figure["change"] = figure["now"] - figure["before"] if both else None
    return figure


def _loop_figures(now: LoopMetrics, before: LoopMetrics) -> dict:
    def median(metrics: LoopMetrics):
        return metrics.median_days_display

    return {
        "received": _figure(PEOPLE, now.contributions, before.contributions),
        "coded": _figure(PEOPLE, now.coded, before.coded),
        "coded_percent": _figure(PERCENT, now.coded_percent, before.coded_percent),
        "used_percent": _figure(PERCENT, now.used_percent, before.used_percent),
        "median_days": _figure(DAYS, median(now), median(before)),
        "responses_published": _figure(COUNT, now.responses_published, before.responses_published),
    }


def _status_at(end: datetime):
    """An action's status as it stood at `end`: its latest progress update before then; before
    its first update, the status that update moved it from; with no updates, its status now."""
    latest = (
        select(ActionUpdate.status)
        .where(ActionUpdate.action_id == Action.id, ActionUpdate.created_at < end)
        .order_by(ActionUpdate.created_at.desc(), ActionUpdate.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    first_before = (
        select(ActionUpdate.previous_status)
        .where(ActionUpdate.action_id == Action.id)
        .order_by(ActionUpdate.created_at, ActionUpdate.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, first_before, Action.status)


def _actions_at(period: Period) -> dict:
    """{area id or None (whole plan): {status: count, "overdue": count}} as things stood at the
    period's end (the plan's overdue rule, judged on the status at that time), in two queries."""
    _start, end = period.bounds()
    status = _status_at(end)
    per_action = select(
        Action.id.label("id"),
        status.label("status"),
        case((plan_rules.overdue(period.end + timedelta(days=1), status), 1), else_=0).label(
            "late"
        ),
    ).subquery()
    late = func.sum(per_action.c.late)
    found: dict = {}
    rows = [
        *db.session.execute(
            select(action_areas.c.area_id, per_action.c.status, func.count(), late)
            .join(per_action, per_action.c.id == action_areas.c.action_id)
            .group_by(action_areas.c.area_id, per_action.c.status)
        ),
        *db.session.execute(
            select(literal(None), per_action.c.status, func.count(), late).group_by(
                per_action.c.status
            )
        ),
    ]
    for area_id, state, count, overdue_count in rows:
        entry = found.setdefault(area_id, {"overdue": 0})
        entry[state] = count
        entry["overdue"] += overdue_count or 0
    return found


def _action_figures(now: dict, before: dict) -> dict:
    statuses = {
        status.value: _figure(COUNT, now.get(status.value, 0), before.get(status.value, 0))
        for status in ActionStatus
    }
    total_now = sum(now.get(status.value, 0) for status in ActionStatus)
    total_before = sum(before.get(status.value, 0) for status in ActionStatus)
    return {
        "total": _figure(COUNT, total_now, total_before),
        "by_status": statuses,
        "overdue": _figure(COUNT, now.get("overdue", 0), before.get("overdue", 0)),
    }


def _themes(period: Period, previous: Period) -> dict:
    """{area id or None: [top themes]}: the themes most heard in the period (contributions usable
    as evidence, received in it), with the count the period before; ranked by the database."""
    start, end = period.bounds()
    before_start, before_end = previous.bounds()
    in_now = and_(Contribution.created_at >= start, Contribution.created_at < end)
    in_before = and_(Contribution.created_at >= before_start, Contribution.created_at < before_end)
    now_count = func.sum(case((in_now, 1), else_=0))
    before_count = func.sum(case((in_before, 1), else_=0))
    found: dict = {}

    def ranked(area_column):
        keys = [area_column.label("area_id")] if area_column is not None else []
        query = (
            select(
                *keys,
                Theme.name.label("name"),
                now_count.label("now"),
                before_count.label("before"),
            )
            .select_from(Contribution)
            .join(contribution_themes, contribution_themes.c.contribution_id == Contribution.id)
            .join(Theme, Theme.id == contribution_themes.c.theme_id)
            .where(usable_as_evidence(), Contribution.created_at >= before_start)
            .where(Contribution.created_at < end)
        )
        if area_column is not None:
            query = query.join(
                contribution_areas, contribution_areas.c.contribution_id == Contribution.id
            )
        counted = query.group_by(*keys, Theme.id, Theme.name).subquery()
        partition = [counted.c.area_id] if area_column is not None else []
        rank = func.row_number().over(
            partition_by=partition, order_by=(counted.c.now.desc(), counted.c.name)
        )
        inner = select(
            *(partition or [literal(None).label("area_id")]),
            counted.c.name,
            counted.c.now,
            counted.c.before,
            rank.label("rank"),
        ).subquery()
        return db.session.execute(
            select(inner.c.area_id, inner.c.name, inner.c.now, inner.c.before)
            .where(inner.c.rank <= TOP_THEMES, inner.c.now > 0)
            .order_by(inner.c.area_id, inner.c.rank)
        ).all()

    for area_id, name, now, before in [
        *ranked(contribution_areas.c.area_id),
        *ranked(None),
    ]:
        found.setdefault(area_id, []).append({"name": name, **_figure(PEOPLE, now, before or 0)})
    return found


def _measures(period: Period, public_only: bool) -> dict:
    """{area id or None: [measures]}: each measure's latest value on or before the period's end
    against its target, its state then, and its latest value at the end of the period before
    (`plan.measures.measure_summaries`, six queries for both periods)."""
    before = {
        summary.measure_id: summary
        for summary in plan_measures.measure_summaries(
            period.previous().end, public_only=public_only
        )
    }
    found: dict = {None: []}
    for summary in plan_measures.measure_summaries(period.end, public_only=public_only):
        earlier = before.get(summary.measure_id)
        unit = summary.unit.value
        entry = {
            "name": summary.name,
            "action_reference": summary.action_reference,
            "action_title": summary.action_title,
            "unit": unit,
            "public": summary.public,
            "latest_text": summary.latest_text,
            "latest_date": summary.latest_date.isoformat() if summary.latest_date else None,
            "target_text": summary.target_text,
            "target_date": summary.target_date.isoformat(),
            "state": summary.state.value,
            "previous_state": earlier.state.value if earlier else None,
            **_figure(
                MEASURE,
                summary.latest_value,
                earlier.latest_value if earlier else None,
            ),
        }
        if entry["change"] is not None:
            entry["change"] = round(entry["change"], 2)
        found[None].append(entry)
        for area_id in summary.area_ids:
            found.setdefault(area_id, []).append(entry)
    return found


def _reach(period: Period) -> dict:
    """Who took part in the period, by dimension (`evidence.reach`, suppression applied), and
    the number of participants with its change since the period before."""
    now = reach_domain.reach(period.start, period.end)
    previous = period.previous()
    rows = reach_domain.participations(previous.start, previous.end)
    before = db.session.scalar(select(func.count()).select_from(rows))  # only the total
    return {
        "participants": _figure(PEOPLE, now.total, before),
        **{key: value for key, value in now.as_dict().items() if key not in ("total",)},
    }


def _cases(period: Period) -> dict:
    """{area id, or "plan" for every case once: CaseFigures} for individual cases first handed
    over in the period (`thread.cases.answer_figures`, two queries)."""
    found = dict(case_domain.answer_figures(period.start, period.end, as_of=period.end))
    found.pop(None, None)  # cases linked to no area count only across the plan
    totals = case_domain.answer_figures(period.start, period.end, period.end, by_area=False)
    found["plan"] = totals.get(None, case_domain.CaseFigures())
    return found


def _case_figures(now: "case_domain.CaseFigures", before: "case_domain.CaseFigures") -> dict:
    """Individual cases handed over in the period: how many, how many answered within their
    target reply time, and that as a share of those answered (withheld beside a small count)."""
    return {
        "cases_passed_on": _figure(PEOPLE, now.passed_on, before.passed_on),
        "cases_answered_within_target": _figure(
            PEOPLE, now.answered_within_target, before.answered_within_target
        ),
        "cases_within_target_percent": _figure(
            PERCENT,
            suppression.publishable_percent(now.answered_within_target, now.answered),
            suppression.publishable_percent(before.answered_within_target, before.answered),
        ),
    }


def _section(
    loop_now, loop_before, actions_now, actions_before, themes, measures, cases_now, cases_before
) -> dict:
    states = {state.value: 0 for state in plan_measures.MeasureState}
    for measure in measures:
        states[measure["state"]] += 1
    return {
        "loop": {
            **_loop_figures(loop_now, loop_before),
            **_case_figures(cases_now, cases_before),
        },
        "themes": themes,
        "actions": _action_figures(actions_now, actions_before),
        "measures": measures,
        "measure_states": states,
    }


EMPTY_LOOP = LoopMetrics(0, 0, 0, None, 0)


def figures(period: Period, public_only: bool = False) -> dict:
    """Every figure of the board report for a period and the period before it, as JSON-safe
    data with suppression applied: what the staff page, the CSV and the published page show.
    `public_only`: leave out the measures that are not public (a published report)."""
    previous = period.previous()
    loop_now, loop_before = loop_metrics_by_area_and_period([period.bounds(), previous.bounds()])
    actions_now, actions_before = _actions_at(period), _actions_at(previous)
    themes = _themes(period, previous)
    measures = _measures(period, public_only)
    cases_now, cases_before = _cases(period), _cases(previous)
    areas = db.session.execute(select(Area.id, Area.number, Area.title).order_by(Area.number))
    no_cases = case_domain.CaseFigures()

    def section(key) -> dict:
        return _section(
            loop_now.get(key, EMPTY_LOOP),
            loop_before.get(key, EMPTY_LOOP),
            actions_now.get(key, {}),
            actions_before.get(key, {}),
            themes.get(key, []),
            measures.get(key, []),
            cases_now.get("plan" if key is None else key, no_cases),
            cases_before.get("plan" if key is None else key, no_cases),
        )

    return {
        "period": period.as_dict(),
        "previous": previous.as_dict(),
        "threshold": suppression.threshold(),
        "generated_at": utcnow().replace(microsecond=0).isoformat() + "Z",
        "measures_public_only": public_only,
        "plan": section(None),
        "reach": _reach(period),
        "areas": [
            {"number": number, "title": title, **section(area_id)}
            for area_id, number, title in areas
        ],
    }


# Words for the figures --------------------------------------------------------------------------


def change_text(figure: dict) -> str:
    """The change since the previous period in words: "up 12", "down 3 percentage points",
    "no change"; "not comparable" when either side is withheld."""
    change = figure.get("change")
    if change is None:
        return _("not comparable")
    if change == 0:
        return _("no change")
    size = abs(change)
    kind = figure["kind"]
    if kind == PERCENT:
        text = (
            _("up %(num)d percentage points", num=size)
            if change > 0
            else _("down %(num)d percentage points", num=size)
        )
        if size == 1:
            text = _("up 1 percentage point") if change > 0 else _("down 1 percentage point")
        return text
    if kind == DAYS:
        if size == 1:
            return _("up 1 day") if change > 0 else _("down 1 day")
        return _("up %(num)d days", num=size) if change > 0 else _("down %(num)d days", num=size)
    if kind == MEASURE:
        if figure.get("unit") == "percentage":
            number = format_decimal(size, format="#,##0.##")
            return (
                _("up %(num)s percentage points", num=number)
                if change > 0
                else _("down %(num)s percentage points", num=number)
            )
        number = plan_measures.format_value(size, figure.get("unit", "number"))
        return _("up %(num)s", num=number) if change > 0 else _("down %(num)s", num=number)
    number = format_number(size)
    return _("up %(num)s", num=number) if change > 0 else _("down %(num)s", num=number)


def value_text(figure: dict, which: str = "now") -> str:
    """A figure as read: a number, "fewer than 5", "62%", "14 days", or "not shown"."""
    value = figure.get(which)
    suppressed_key = "suppressed" if which == "now" else "before_suppressed"
    if value is None:
        if figure.get(suppressed_key):
            return suppression.fewer_than()
        return _("not shown")
    kind = figure["kind"]
    if kind == MEASURE:
        return plan_measures.format_value(value, figure.get("unit", "number"))
    if kind == PERCENT:
        return _("%(percent)d%%", percent=value)
    if kind == DAYS:
        return _("1 day") if value == 1 else _("%(num)d days", num=value)
    return format_number(value)


def csv_rows(data: dict) -> list[list[str]]:
    """The report as one table: scope, figure, value now, the period before, the change.
    Suppressed counts read "fewer than 5" (in English, like the open data)."""
    rows = [
        [
            "area",
            "area_title",
            "figure",
            "period",
            "value",
            "previous_period",
            "previous_value",
            "change",
        ]
    ]
    labels = figure_labels()

    def add(scope_number, scope_title, name, figure):
        rows.append(
            [
                csv_cell(scope_number),
                csv_cell(scope_title),
                csv_cell(name),
                data["period"]["slug"],
                csv_cell(value_text(figure)),
                data["previous"]["slug"],
                csv_cell(value_text(figure, "before")),
                csv_cell(change_text(figure)),
            ]
        )

    for scope_number, scope_title, section in [
        ("", _("Whole plan"), data["plan"]),
        *[(area["number"], area["title"], area) for area in data["areas"]],
    ]:
        for key, label in labels.items():
            if key in section["loop"]:  # reports published before a figure existed lack it
                add(scope_number, scope_title, label, section["loop"][key])
        add(scope_number, scope_title, _("Actions"), section["actions"]["total"])
        for status in ActionStatus:
            add(
                scope_number,
                scope_title,
                _("Actions: %(status)s", status=status.label),
                section["actions"]["by_status"][status.value],
            )
        add(scope_number, scope_title, _("Actions overdue"), section["actions"]["overdue"])
        for theme in section["themes"]:
            add(scope_number, scope_title, _("Theme: %(name)s", name=theme["name"]), theme)
        for measure in section.get("measures", []):
            add(
                scope_number,
                scope_title,
                _(
                    "Measure: %(name)s (%(action)s), target %(target)s by %(day)s, %(state)s",
                    name=measure["name"],
                    action=measure["action_reference"],
                    target=measure["target_text"],
                    day=measure["target_date"],
                    state=state_label(measure["state"]),
                ),
                measure,
            )
    reach = data.get("reach")
    if reach:
        add("", _("Whole plan"), _("People who took part"), reach["participants"])
        for dimension in reach["dimensions"]:
            for group in dimension["rows"]:
                rows.append(
                    [
                        "",
                        csv_cell(_("Whole plan")),
                        csv_cell(
                            _(
                                "Took part: %(dimension)s: %(group)s",
                                dimension=dimension["label"],
                                group=group["label"],
                            )
                        ),
                        data["period"]["slug"],
                        csv_cell(group["count_text"]),
                        "",
                        "",
                        "",
                    ]
                )
    return rows


def day_text(iso: str | None) -> str:
    """A stored ISO date as people read it ("30 September 2026")."""
    return dates.day(date.fromisoformat(iso)) if iso else ""


def decimal_text(value) -> str:
    """A share or ratio with the reader's decimal mark, to two places at most."""
    return format_decimal(value, format="#,##0.##")


def state_label(value: str | None) -> str:
    """A measure's state in words ("On track"), from its stored value."""
    return plan_measures.MeasureState(value).label if value else _("No value yet")


def figure_labels() -> dict[str, str]:
    return {
        "received": _("Contributions received"),
        "coded": _("Contributions linked to the plan (coded)"),
        "coded_percent": _("Share linked to the plan"),
        "used_percent": _("Share used in a published response"),
        "median_days": _("Typical days from contribution to published response (median)"),
        "responses_published": _("“You said, we did” responses published"),
        "cases_passed_on": _("Individual cases passed to a team"),
        "cases_answered_within_target": _("Individual cases answered within the target time"),
        "cases_within_target_percent": _("Share of answered cases answered within the target time"),
    }


# Publishing -------------------------------------------------------------------------------------


def published(slug: str) -> PublishedReport | None:
    return db.session.scalar(select(PublishedReport).where(PublishedReport.slug == slug))


def published_reports() -> list[PublishedReport]:
    """Every published report, newest first."""
    return list(
        db.session.scalars(
            select(PublishedReport).order_by(
                PublishedReport.published_at.desc(), PublishedReport.id.desc()
            )
        )
    )


def publish(actor: User, period: Period, today: date | None = None) -> PublishedReport:
    """Freeze the report for a period and publish it. Only administrators publish; a period must
    have ended; a period is published once (a second try is refused: the board and the public
    must be able to rely on what a published report said, so it is never replaced)."""
    if not actor.has_role(*roles.REPORT_PUBLISHERS):
        raise NotAllowed()
    today = today or local_day(utcnow())
    if period.end >= today:
        raise Refused({"period": _("You can only publish a report for a period that has ended")})
    if published(period.slug) is not None:
        raise Refused(
            _(
                "The report for %(period)s has already been published. A published report is "
                "never changed",
                period=period.label,
            ),
            field="period",
        )
    report = PublishedReport(
        slug=period.slug,
        period_start=period.start,
        period_end=period.end,
        figures=figures(period, public_only=True),
        published_by_id=actor.id,
    )
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError as error:  # published at the same moment by someone else
        db.session.rollback()
        raise Refused(
            _("The report for %(period)s has already been published", period=period.label),
            field="period",
        ) from error
    audit.record(
        "report.published",
        report,
        actor=actor,
        summary=f"Published the board report for {period.slug}",
        detail={"period": period.slug},
    )
    db.session.commit()
    return report


def period_of(report: PublishedReport) -> Period:
    return period_from_slug(report.slug) or Period(report.period_start, report.period_end)


# Open data --------------------------------------------------------------------------------------


def reach_dataset() -> Dataset:
    """Open data: who took part in each published report's period, by dimension and group, read
    from the frozen figures (one query): exactly what each published report showed."""
    rows = []
    for found in published_reports():
        frozen = (found.figures or {}).get("reach") or {}
        for dimension in frozen.get("dimensions", []):
            for group in dimension.get("rows", []):
                rows.append(
                    {
                        "report": found.slug,
                        "period_start": found.period_start.isoformat(),
                        "period_end": found.period_end.isoformat(),
                        "dimension": dimension["key"],
                        "group": group["code"] or "not_given",
                        "group_label": group["label"],
                        "participants": group["count"],
                        "participants_suppressed": group["suppressed"],
                        "share_percent": group["share"],
                        "share_percent_suppressed": group["suppressed"],
                        "baseline_share_percent": group["baseline_share"],
                        "representation_ratio": group["ratio"],
                        "representation_ratio_suppressed": group["suppressed"],
                        "under_represented": group["under_represented"],
                    }
                )
    columns = [
        Column("report"),
        Column("period_start"),
        Column("period_end"),
        Column("dimension"),
        Column("group"),
        Column("group_label"),
        Column("participants", "count"),
        Column("share_percent", "share"),
        Column("baseline_share_percent"),
        Column("representation_ratio", "share"),
        Column("under_represented"),
    ]
    return Dataset("reach", columns, rows)


OPEN_DATASETS = {"reach": reach_dataset}
