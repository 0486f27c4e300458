"""What the demo seeds share: looking up the plan and the demo staff, approving a quote, and
publishing a "You said, we did" response."""

from datetime import datetime, timedelta

from ..extensions import db
from ..models import (
    Action,
    ApprovalState,
    Area,
    Contribution,
    ContributionState,
    User,
    YouSaidWeDid,
)


def plan_areas(*numbers: int) -> list[Area]:
    return list(
        db.session.scalars(db.select(Area).where(Area.number.in_(numbers)).order_by(Area.number))
    )


def plan_actions(*references: str) -> list[Action]:
    return list(
        db.session.scalars(
            db.select(Action).where(Action.reference.in_(references)).order_by(Action.reference)
        )
    )


def user_with_role(role: str) -> User | None:
    """The first demo staff account with this role, or None when the demo users were not added."""
    return db.session.scalar(db.select(User).where(User.role == role))


def approve_quote(contribution: Contribution, approver: User | None, at: datetime) -> None:
    """Approve the contribution's own words as the quote that may be published."""
    contribution.quote_text = contribution.text
    contribution.quote_approved_at = at
    contribution.quote_approved_by_id = approver.id if approver else None


def publish_response(
    *, published_at: datetime, contributions: list[Contribution], **values
) -> YouSaidWeDid:
    """A published "You said, we did" response, written 5 days and submitted 2 days before it was
    published; the contributions it answers are marked as used."""
    for contribution in contributions:
        contribution.state = ContributionState.USED.value
    response = YouSaidWeDid(
        state=ApprovalState.PUBLISHED.value,
        submitted_at=published_at - timedelta(days=2),
        published_at=published_at,
        created_at=published_at - timedelta(days=5),
        contributions=contributions,
        **values,
    )
    db.session.add(response)
    return response
