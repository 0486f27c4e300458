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
    Contribution,
    ContributionState,
    YouSaidWeDid,
)
from .engagement import open_now as engagement
from .plan import rules as plan_rules
from .thread import inbox, publishing


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
