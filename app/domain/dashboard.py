"""What needs staff attention now, for the staff home page: one count per question, each a
single aggregate query, so the page costs the same however much is stored."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Action,
    Comment,
    CommentReport,
    CommentState,
    Consultation,
    Contribution,
    ContributionState,
    Survey,
    YouSaidWeDid,
)
from ..models.base import utcnow
from .engagement import open_now as engagement
from .engagement.consultations import is_open_clause as consultation_is_open
from .evidence import reach
from .plan import rules as plan_rules
from .shared.dates import local_day
from .surveys.structure import is_open_clause as survey_is_open
from .thread import cases, inbox, publishing


@dataclass
class Attention:
    new_contributions: int
    urgent: int
    awaiting_approval: int
    comments_waiting: int
    reports_open: int
    overdue_actions: int
    open_surveys: int
    open_consultations: int


def _count(query) -> int:
    return db.session.scalar(query) or 0


def attention(today: date | None = None) -> Attention:
    today = today or date.today()
    open_surveys, open_consultations = engagement.open_counts()
    return Attention(
        new_contributions=_count(
            select(func.count())
            .select_from(Contribution)
            .where(Contribution.state == ContributionState.NEW.value)
        ),
        urgent=inbox.urgent_unchecked(),
        awaiting_approval=_count(
            select(func.count())
            .select_from(YouSaidWeDid)
            .where(publishing.awaiting_approval_condition())
        ),
        comments_waiting=_count(
            select(func.count())
            .select_from(Comment)
            .where(Comment.state == CommentState.PENDING.value)
        ),
        reports_open=_count(
            select(func.count(func.distinct(CommentReport.comment_id))).where(
                CommentReport.resolved_at.is_(None)
            )
        ),
        overdue_actions=_count(
            select(func.count()).select_from(Action).where(plan_rules.overdue(today))
        ),
        open_surveys=open_surveys,
        open_consultations=open_consultations,
    )


def open_cases(today: date | None = None) -> list[cases.TeamCases]:
    """Open individual cases by team, with how many are past their target reply time: one
    query however many cases and teams there are."""
    return cases.open_by_team(today)


@dataclass
class ActivityGaps:
    """An open survey or consultation, how many took part up to `today`, and its largest reach
    gaps (see `evidence.reach.gaps_by_activity`)."""

    activity: reach.Activity
    today: date
    total: int
    gaps: list[reach.Gap]

    @property
    def total_text(self) -> str:
        return reach.suppression.published_count(self.total)


def reach_gaps(limit: int = 20) -> list[ActivityGaps]:
    """Each open survey and consultation (closing soonest first) with its three largest reach
    gaps: five queries, however many activities are open and however much is stored."""
    now = utcnow()
    today = local_day(now)
    found: list[reach.Activity] = []
    for kind, model in (("survey", Survey), ("consultation", Consultation)):
        is_open = survey_is_open(now) if kind == "survey" else consultation_is_open(now)
        rows = db.session.execute(
            select(model.id, model.title)
            .where(is_open)
            .order_by(model.closes_at, model.id)
            .limit(limit)
        )
        found.extend(reach.Activity(kind, id_, title) for id_, title in rows)
    gaps = reach.gaps_by_activity(found, end=today)
    return [ActivityGaps(activity, today, *gaps.get(activity, (0, []))) for activity in found]
