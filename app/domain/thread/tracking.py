"""Following a piece of feedback by its reference, without showing anything private.

`journey` returns plain data: dates, the areas and actions it was linked to and the published
responses that used it. Never the text, the contact details, "About you" or staff notes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import ApprovalState, Contribution, ContributionState, YouSaidWeDid
from ...models.responses import response_contributions
from ..shared.dates import reply_due
from . import cases
from .contributions import received
from .references import normalise_reference

READ_STATES = {
    ContributionState.CODED.value,
    ContributionState.USED.value,
    ContributionState.INDIVIDUAL_CASE.value,
}


@dataclass(frozen=True)
class LinkedArea:
    number: int
    title: str


@dataclass(frozen=True)
class LinkedAction:
    reference: str
    title: str


@dataclass(frozen=True)
class PublishedResponse:
    id: int
    title: str
    published_at: datetime | None


@dataclass
class Journey:
    reference: str
    received_at: datetime | date  # the day, for feedback staff typed in
    hidden: bool = False  # only "Received" is shown
    read: bool = False
    read_at: datetime | None = None
    individual_case: bool = False
    areas: list[LinkedArea] = field(default_factory=list)
    actions: list[LinkedAction] = field(default_factory=list)
    responses: list[PublishedResponse] = field(default_factory=list)
    reply_by: date | None = None  # REPLY_WORKING_DAYS working days after it was received
    # An individual case's steps in words and days ("Passed to <team> on <date>"): never the
    # reply's text, notes, or any member of staff.
    case_steps: list[cases.TrackedStep] = field(default_factory=list)

    @property
    def linked(self) -> bool:
        return bool(self.areas or self.actions)


def journey(reference: str) -> Journey | None:
    """The journey of the contribution with this reference, or None (for any reason)."""
    normalised = normalise_reference(reference)
    if normalised is None:
        return None
    contribution = db.session.scalar(
        select(Contribution)
        .where(Contribution.reference == normalised)
        .options(selectinload(Contribution.areas), selectinload(Contribution.actions))
    )
    if contribution is None:
        return None
    result = Journey(
        reference=contribution.reference,
        received_at=received(contribution),
        reply_by=reply_due(received(contribution)),
    )
    if contribution.state == ContributionState.HIDDEN.value:
        result.hidden = True
        return result
    result.read = contribution.state in READ_STATES
    result.read_at = contribution.coded_at if result.read else None
    result.individual_case = contribution.state == ContributionState.INDIVIDUAL_CASE.value
    if result.individual_case:
        result.case_steps = cases.tracked_steps(contribution.id)
        return result
    if result.read:
        result.areas = [LinkedArea(a.number, a.title) for a in contribution.areas]
        result.actions = [LinkedAction(a.reference, a.title) for a in contribution.actions]
    rows = db.session.execute(
        select(YouSaidWeDid.id, YouSaidWeDid.title, YouSaidWeDid.published_at)
        .join(response_contributions, response_contributions.c.response_id == YouSaidWeDid.id)
        .where(
            response_contributions.c.contribution_id == contribution.id,
            YouSaidWeDid.state == ApprovalState.PUBLISHED.value,
        )
        .order_by(YouSaidWeDid.published_at, YouSaidWeDid.id)
    ).all()
    result.responses = [
        PublishedResponse(id=row.id, title=row.title, published_at=row.published_at) for row in rows
    ]
    return result
