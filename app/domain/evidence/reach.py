"""Reach: who has been heard in a period, by each "about you" dimension, against who should be.

What counts as one participation (each counted once, whatever it holds):
- one survey response (not one per answer, and not one per contribution made from its answers),
  online, on paper or at an event, in the language it was answered in;
- one piece of "Tell us" feedback (online, or a paper form entered by staff), with its optional
  "about you" answers;
- one consultation comment (online; commenters are not asked "about you", so only the channel
  and the language are known);
- one event place: a registration holding a place at an event that was not cancelled, not the
  waiting list and not a cancelled place, and not someone marked as not attending. Its
  relationship is the attendee type given when registering; its channel is "at an event"; the
  event's start is when the person was heard. Registrations are personal data and are deleted
  after the event by the retention job, so places at events older than the retention period
  are no longer counted.

A consultation's reach includes the responses to the survey it embeds and the places at its
events. Dates are whole days in the service's time zone.

Each group's share is its participants as a percentage of all participants in the period. Areas
of need take several answers, so one person may count in several groups and those shares may add
up to more than 100%. The representation ratio is the share divided by the baseline share (the
group's share of the population, kept in `baselines`); below UNDER_REPRESENTED it is
"under-represented".

Counts below the suppression threshold are withheld ("fewer than 5", `shared/suppression.py`),
and so are their share and ratio, which would give the count away. Such a group is still marked
under-represented when even the largest count it could have (one fewer than the threshold)
would be below half its baseline share: that says nothing the words "fewer than 5" do not.

Every figure is counted by the database: one aggregate query per page (a conditional count per
group), however many participations are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, case, cast, func, literal, null, or_, select

from ...extensions import db
from ...models import AboutYou as AboutYouAnswers
from ...models import (
    Channel,
    Comment,
    Consultation,
    Contribution,
    ContributionSource,
    Event,
    ReachBaseline,
    Registration,
    Survey,
    SurveyResponse,
)
from ..shared import charts, suppression
from ..shared.dates import day, local_day_bounds
from ..thread import about_you

UNDER_REPRESENTED = 0.5  # a ratio below this is "under-represented"
NOT_GIVEN = ""  # the code of the "Not given" row

# (key, label, the participation column it reads) in the order the page shows them.
DIMENSIONS = (
    ("relationship", _l("Relationship to the child or young person"), "relationship"),
    ("district", _l("District"), "district"),
    ("age_group", _l("Age group"), "age_group"),
    ("need", _l("Area of need"), "need"),
    ("setting", _l("Setting"), "setting"),
    ("ehc_plan", _l("EHC plan"), "ehc_plan"),
    ("channel", _l("Channel"), "channel"),
    ("language", _l("Language"), "language"),
)
MULTI_VALUED = {"need"}
ACTIVITY_KINDS = ("survey", "consultation", "event")

# "Tell us" feedback, online or entered from a paper form.
FEEDBACK_SOURCES = (ContributionSource.FEEDBACK.value, ContributionSource.PAPER.value)


def dimension_keys() -> list[str]:
    return [key for key, _label, _column in DIMENSIONS]


def dimension_label(key: str) -> str:
    return str({k: label for k, label, _c in DIMENSIONS}[key])


def groups(dimension: str) -> list[tuple[str, str]]:
    """The groups of a dimension as (code, label): the codes the "about you" questions store."""
    if dimension == "relationship":
        return [(code, str(label)) for code, label in about_you.RELATIONSHIPS]
    if dimension == "channel":
        return [(member.value, member.label) for member in Channel]
    if dimension == "language":
        return list(current_app.config["LANGUAGES"].items())
    return [(code, str(label)) for code, label in about_you.choices(dimension)]


# Activities ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """One survey, consultation or event to count the reach of."""

    kind: str  # "survey", "consultation" or "event"
    id: int
    title: str = ""

    @property
    def value(self) -> str:
        """How the activity is written in a link or a form: "survey:12"."""
        return f"{self.kind}:{self.id}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "title": self.title}


def activity_from_value(value: str | None) -> Activity | None:
    """The activity a "kind:id" value names, with its title; None when it names nothing stored
    (including a forged or removed one)."""
    if not value or ":" not in value:
        return None
    kind, _sep, number = value.partition(":")
    if kind not in ACTIVITY_KINDS or not number.isdigit() or len(number) > 12:
        return None
    model = {"survey": Survey, "consultation": Consultation, "event": Event}[kind]
    title = db.session.scalar(select(model.title).where(model.id == int(number)))
    return Activity(kind, int(number), title) if title is not None else None


def activity_choices() -> dict[str, list[tuple[str, str]]]:
    """Every survey, consultation and event that could have participants, newest first, grouped
    by kind (three queries)."""
    found = {}
    for kind, model, order, heading in (
        ("survey", Survey, Survey.created_at, _("Surveys")),
        ("consultation", Consultation, Consultation.created_at, _("Consultations")),
        ("event", Event, Event.starts_at, _("Events")),
    ):
        rows = db.session.execute(select(model.id, model.title).order_by(order.desc(), model.id))
        found[heading] = [(Activity(kind, id_, title).value, title) for id_, title in rows]
    return found


# Participations as one query -------------------------------------------------------------------


def _text(value: str | None):
    return cast(literal(value), String) if value is not None else cast(null(), String)


def _no_id():
    return cast(null(), Integer)


def participations(
    start: date | None,
    end: date | None,
    activity: Activity | None = None,
    *,
    per: str = "",
    activity_ids: list[int] | None = None,
):
    """Every participation in the period as rows of one common table expression, with the
    columns of each dimension. `per` ("survey" or "consultation") fills its `activity_id` column
    for counting many activities (`activity_ids`) in one query (a response to a survey embedded
    in a consultation then counts for that consultation)."""
    lower, upper = local_day_bounds(start, end)

    def within(column):
        conditions = []
        if lower is not None:
            conditions.append(column >= lower)
        if upper is not None:
            conditions.append(column < upper)
        return conditions

    kind = activity.kind if activity else None
    parts = []

    # Survey responses: the survey's own, or those of the survey a consultation embeds.
    if kind in (None, "survey", "consultation") and per in ("", "survey", "consultation"):
        query = select(
            (
                Consultation.id
                if per == "consultation"
                else SurveyResponse.survey_id
                if per == "survey"
                else _no_id()
            ).label("activity_id"),
            SurveyResponse.relationship_to_child.label("relationship"),
            SurveyResponse.district.label("district"),
            SurveyResponse.age_group.label("age_group"),
            SurveyResponse.need.label("need"),
            SurveyResponse.setting.label("setting"),
            SurveyResponse.ehc_plan.label("ehc_plan"),
            SurveyResponse.channel.label("channel"),
            SurveyResponse.language.label("language"),
        ).where(*within(SurveyResponse.submitted_at))
        if per == "consultation" or kind == "consultation":
            query = query.join(Consultation, Consultation.survey_id == SurveyResponse.survey_id)
        if kind == "consultation":
            query = query.where(Consultation.id == activity.id)
        elif kind == "survey":
            query = query.where(SurveyResponse.survey_id == activity.id)
        if per == "consultation" and activity_ids is not None:
            query = query.where(Consultation.id.in_(activity_ids))
        elif per == "survey" and activity_ids is not None:
            query = query.where(SurveyResponse.survey_id.in_(activity_ids))
        parts.append(query)

    # "Tell us" feedback belongs to no activity.
    if kind is None and not per:
        parts.append(
            select(
                _no_id().label("activity_id"),
                AboutYouAnswers.relationship_to_child.label("relationship"),
                AboutYouAnswers.district.label("district"),
                AboutYouAnswers.age_group.label("age_group"),
                AboutYouAnswers.need.label("need"),
                AboutYouAnswers.setting.label("setting"),
                AboutYouAnswers.ehc_plan.label("ehc_plan"),
                Contribution.channel.label("channel"),
                Contribution.language.label("language"),
            )
            .select_from(Contribution)
            .outerjoin(AboutYouAnswers, AboutYouAnswers.id == Contribution.about_you_id)
            .where(Contribution.source_type.in_(FEEDBACK_SOURCES), *within(Contribution.created_at))
        )

    # Consultation comments.
    if kind in (None, "consultation") and per in ("", "consultation"):
        query = select(
            (Comment.consultation_id if per else _no_id()).label("activity_id"),
            *(_text(None).label(name) for name in ("relationship", "district", "age_group")),
            *(_text(None).label(name) for name in ("need", "setting", "ehc_plan")),
            _text(Channel.ONLINE.value).label("channel"),
            Comment.language.label("language"),
        ).where(*within(Comment.created_at))
        if kind == "consultation":
            query = query.where(Comment.consultation_id == activity.id)
        if per and activity_ids is not None:
            query = query.where(Comment.consultation_id.in_(activity_ids))
        parts.append(query)

    # Event places.
    if kind in (None, "consultation", "event") and per in ("", "consultation"):
        query = (
            select(
                (Event.consultation_id if per else _no_id()).label("activity_id"),
                Registration.attendee_type.label("relationship"),
                *(_text(None).label(name) for name in ("district", "age_group", "need")),
                *(_text(None).label(name) for name in ("setting", "ehc_plan")),
                _text(Channel.EVENT.value).label("channel"),
                _text(None).label("language"),
            )
            .select_from(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(
                Registration.state == "registered",
                or_(Registration.attended.is_(None), Registration.attended.is_(True)),
                Event.cancelled_at.is_(None),
                *within(Event.starts_at),
            )
        )
        if kind == "consultation":
            query = query.where(Event.consultation_id == activity.id)
        elif kind == "event":
            query = query.where(Event.id == activity.id)
        elif per:
            query = query.where(
                Event.consultation_id.in_(activity_ids)
                if activity_ids is not None
                else Event.consultation_id.is_not(None)
            )
        parts.append(query)

    found = parts[0] if len(parts) == 1 else parts[0].union_all(*parts[1:])
    # Read once into a temporary table (SQLite 3.35+, PostgreSQL 12+), then grouped per dimension.
    return found.cte("participations").prefix_with("MATERIALIZED")


TOTAL = "__total__"


def _counting(rows, per_activity: bool = False):
    """One query: (activity id or None, dimension, group code, participants) rows, one per group
    of each dimension that has anyone, with NOT_GIVEN for no answer (or one no longer offered)
    and a TOTAL row. Each single-valued dimension is one GROUP BY; each area of need one count,
    because a person may give several."""
    activity = rows.c.activity_id if per_activity else cast(null(), Integer)
    parts = [
        select(
            activity.label("activity_id"),
            _text(TOTAL).label("dimension"),
            _text(NOT_GIVEN).label("code"),
            func.count().label("participants"),
        )
    ]
    for key, _label, column_name in DIMENSIONS:
        column = rows.c[column_name]
        codes = [code for code, _name in groups(key)]
        if key in MULTI_VALUED:
            for code in codes:
                parts.append(
                    select(
                        activity.label("activity_id"),
                        _text(key).label("dimension"),
                        _text(code).label("code"),
                        func.count().label("participants"),
                    ).where(about_you.need_matches(column, code))
                )
            # Only known codes are ever stored (`about_you.clean`): empty is "Not given".
            parts.append(
                select(
                    activity.label("activity_id"),
                    _text(key).label("dimension"),
                    _text(NOT_GIVEN).label("code"),
                    func.count().label("participants"),
                ).where(or_(column.is_(None), column == ""))
            )
            continue
        group = (
            case((column.in_(codes), column), else_=literal(NOT_GIVEN))
            if codes
            else _text(NOT_GIVEN)
        )
        parts.append(
            select(
                activity.label("activity_id"),
                _text(key).label("dimension"),
                group.label("code"),
                func.count().label("participants"),
            ).group_by(group)
        )
    if per_activity:
        parts = [part.group_by(rows.c.activity_id) for part in parts]
    parts = [part.select_from(rows) for part in parts]
    return parts[0].union_all(*parts[1:])


def _read_counts(found) -> dict:
    """{activity id: (total, {dimension: {code: participants}})} from `_counting`'s rows."""
    counted: dict = {}
    for activity_id, dimension, code, participants in found:
        total, counts = counted.setdefault(activity_id, [0, {key: {} for key in dimension_keys()}])
        if dimension == TOTAL:
            counted[activity_id][0] = int(participants or 0)
            continue
        kept = counts[dimension]
        code = code or NOT_GIVEN
        kept[code] = kept.get(code, 0) + int(participants or 0)
    return {
        activity_id: (total, _complete(counts)) for activity_id, (total, counts) in counted.items()
    }


def _complete(counts: dict) -> dict:
    """Every group of every dimension, with 0 where nobody was counted."""
    return {
        key: {
            **{code: counts[key].get(code, 0) for code, _name in groups(key)},
            NOT_GIVEN: counts[key].get(NOT_GIVEN, 0),
        }
        for key in dimension_keys()
    }


# What the page, the home page and the board report read ----------------------------------------


@dataclass
class GroupReach:
    code: str  # NOT_GIVEN for the "Not given" row
    label: str
    count: int
    share: float | None  # % of participants, one decimal; None when withheld or nobody took part
    baseline_share: float | None  # % of the population; None without a baseline
    ratio: float | None  # share / baseline share, two decimals; None when withheld or unknown
    under_represented: bool
    ratio_ceiling: float | None = None  # the largest ratio a withheld count could give
    # why it is withheld: SMALL (fewer than 5), or SECONDARY (hidden with a small one so that
    # it cannot be worked out from the total and the counts shown); None when shown
    withheld_as: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.withheld_as is not None

    @property
    def count_text(self) -> str:
        if self.withheld_as == suppression.SECONDARY:
            return _("not shown")
        if self.suppressed:
            return suppression.fewer_than()
        return format_number(self.count)  # shown: five or more, or nobody at all

    @property
    def ceiling_or_ratio(self) -> float | None:
        """The ratio used to rank gaps: the exact one, or a withheld group's ceiling."""
        return self.ratio_ceiling if self.suppressed else self.ratio

    def as_dict(self) -> dict:
        """JSON-safe, with withheld figures left out (None) and the count as people read it."""
        return {
            "code": self.code,
            "label": self.label,
            "count": None if self.suppressed else self.count,
            "count_text": self.count_text,
            "share": self.share,
            "baseline_share": self.baseline_share,
            "ratio": self.ratio,
            "under_represented": self.under_represented,
            "suppressed": self.suppressed,
        }


@dataclass
class DimensionReach:
    key: str
    label: str
    rows: list[GroupReach] = field(default_factory=list)
    multi_valued: bool = False
    sources: list[str] = field(default_factory=list)  # "KCC SEN2 return (as of 1 January 2026)"

    @property
    def has_baseline(self) -> bool:
        return any(row.baseline_share is not None for row in self.rows)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "multi_valued": self.multi_valued,
            "sources": list(self.sources),
            "rows": [row.as_dict() for row in self.rows],
        }


@dataclass
class Reach:
    start: date | None
    end: date | None
    activity: Activity | None
    total: int
    dimensions: list[DimensionReach] = field(default_factory=list)

    @property
    def total_suppressed(self) -> bool:
        return suppression.suppressed(self.total)

    @property
    def total_text(self) -> str:
        return suppression.published_count(self.total)

    def dimension(self, key: str) -> DimensionReach:
        return next(d for d in self.dimensions if d.key == key)

    def as_dict(self) -> dict:
        """A plain, JSON-safe copy with suppression applied, for freezing in a published report."""
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "activity": self.activity.as_dict() if self.activity else None,
            "total": None if self.total_suppressed else self.total,
            "total_text": self.total_text,
            "total_suppressed": self.total_suppressed,
            "under_represented_below": UNDER_REPRESENTED,
            "dimensions": [d.as_dict() for d in self.dimensions],
        }


def baseline_lookup() -> dict[str, dict[str, ReachBaseline]]:
    """Every baseline, by dimension and group code (one query)."""
    found: dict[str, dict[str, ReachBaseline]] = {}
    for baseline in db.session.scalars(select(ReachBaseline)):
        found.setdefault(baseline.dimension, {})[baseline.group_code] = baseline
    return found


def _group(code, label, count, total, baseline, withheld_as) -> GroupReach:
    hidden = withheld_as is not None
    share = round(100 * count / total, 1) if total else None
    baseline_share = round(float(baseline.share), 1) if baseline is not None else None
    ratio = None
    ceiling = None
    if baseline_share and total:
        ratio = round((100 * count / total) / baseline_share, 2)
        ceiling = round((100 * (suppression.threshold() - 1) / total) / baseline_share, 2)
    if withheld_as == suppression.SMALL:
        under = ceiling is not None and ceiling < UNDER_REPRESENTED
    else:
        under = ratio is not None and ratio < UNDER_REPRESENTED
    return GroupReach(
        code=code,
        label=label,
        count=count,
        share=None if hidden else share,
        baseline_share=baseline_share,
        ratio=None if hidden else ratio,
        under_represented=under,
        ratio_ceiling=ceiling if withheld_as == suppression.SMALL else ratio,
        withheld_as=withheld_as,
    )


def source_text(baseline: ReachBaseline) -> str:
    """Where a baseline comes from: "KCC SEN2 return (as of 18 January 2026)"."""
    if baseline.as_of:
        return _("%(source)s (as of %(date)s)", source=baseline.source, date=day(baseline.as_of))
    return baseline.source


def _dimensions(total: int, counts: dict, baselines: dict) -> list[DimensionReach]:
    found = []
    for key, label, _column in DIMENSIONS:
        kept = baselines.get(key, {})
        named = [(code, name, kept.get(code)) for code, name in groups(key)]
        named.append((NOT_GIVEN, _("Not given"), None))
        # the rule survey results use: a small count, and whatever could give it away
        _all_hidden, marks = suppression.suppress(
            [counts[key][code] for code, _name, _baseline in named],
            total,
            additive=key not in MULTI_VALUED,
        )
        rows = [
            _group(code, name, counts[key][code], total, baseline, mark)
            for (code, name, baseline), mark in zip(named, marks, strict=True)
        ]
        sources = list(dict.fromkeys(source_text(b) for b in kept.values() if b.source))
        found.append(DimensionReach(key, str(label), rows, key in MULTI_VALUED, sources))
    return found


def reach(start: date | None, end: date | None, activity: Activity | None = None) -> Reach:
    """Who took part from `start` to `end` (local days, both included) in `activity`, or in
    everything: two queries (the counts, the baselines), however much is stored."""
    rows = participations(start, end, activity)
    counted = _read_counts(db.session.execute(_counting(rows)).all())
    total, counts = counted.get(None, (0, _complete({key: {} for key in dimension_keys()})))
    return Reach(start, end, activity, total, _dimensions(total, counts, baseline_lookup()))


# The staff home's gaps -------------------------------------------------------------------------


@dataclass
class Gap:
    dimension: str
    dimension_label: str
    group: GroupReach


def gaps_by_activity(
    activities: list[Activity], *, end: date | None = None, limit: int = 3
) -> dict[Activity, tuple[int, list[Gap]]]:
    """For each open survey or consultation: how many took part up to `end` (a local day,
    included; None for everything) and its `limit` largest
    gaps (lowest ratios below 1, among groups with a baseline; a withheld group is ranked by the
    largest ratio its count could give). Three queries for any number of activities."""
    baselines = baseline_lookup()
    found: dict[Activity, tuple[int, list[Gap]]] = {}
    for kind in ("survey", "consultation"):
        ids = [a.id for a in activities if a.kind == kind]
        if not ids:
            continue
        rows = participations(None, end, per=kind, activity_ids=ids)
        counted = _read_counts(db.session.execute(_counting(rows, per_activity=True)).all())
        for activity in activities:
            if activity.kind != kind:
                continue
            total, counts = counted.get(activity.id, (0, None))
            gaps = []
            if counts is not None:
                for dimension in _dimensions(total, counts, baselines):
                    for group in dimension.rows:
                        ratio = group.ceiling_or_ratio
                        if group.baseline_share and ratio is not None and ratio < 1:
                            gaps.append(Gap(dimension.key, dimension.label, group))
            gaps.sort(key=lambda gap: (gap.group.ceiling_or_ratio, -gap.group.baseline_share))
            found[activity] = (total, gaps[:limit])
    return found


# Periods ---------------------------------------------------------------------------------------


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def last_complete_quarter(today: date) -> tuple[date, date]:
    """The last whole quarter (January to March, April to June, ...) before `today`'s."""
    end = quarter_start(today) - timedelta(days=1)
    return quarter_start(end), end


def this_quarter(today: date) -> tuple[date, date]:
    return quarter_start(today), today


def last_twelve_months(today: date) -> tuple[date, date]:
    try:
        start = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        start = date(today.year - 1, 3, 1)
    return start, today


# The chart beside each table -------------------------------------------------------------------


def chart(dimension: DimensionReach, *, rtl: bool = False) -> charts.BarChart:
    """Each group's share of participants as a bar; withheld groups have no bar."""
    bars = []
    for row in dimension.rows:
        if row.suppressed:
            text = row.count_text
        else:
            text = _("%(count)s (%(share)s%%)", count=row.count_text, share=row.share or 0)
        bars.append(
            charts.Bar(
                label=row.label,
                value=None if row.suppressed else row.count,
                value_text=text,
                count_text=row.count_text,
                percent_text="" if row.share is None else f"{row.share}%",
            )
        )
    description = _(
        "Bar chart of participants by %(dimension)s. %(groups)s",
        dimension=dimension.label.lower(),
        groups="; ".join(f"{bar.label}: {bar.value_text}" for bar in bars),
    )
    return charts.bar_chart(
        dimension.label,
        description,
        bars,
        rtl=rtl,
        chart_id=f"chart-reach-{dimension.key}",
        label_heading=_("Group"),
        count_heading=_("Participants"),
        percent_heading=_("Share of participants"),
    )
