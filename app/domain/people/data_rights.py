"""Families' data rights: everything held against an email address, a copy of it for the
person (right of access), and erasing it (right to erasure).

What is held against an address: the contact details left with feedback (and whether the person
asked to hear back), what they said with them (including anything routed to casework as an
individual case, and the replies staff made to it), subscriptions to updates, event
registrations (name, access needs) and the emails queued or sent to them. Consultation comments
and survey answers carry no address, so nothing ties them to a person.

Erasing deletes every contact detail. What the person said is either kept anonymously (the
contact link is cut, as the retention job does, and the text of every reply to their cases is
blanked; who replied and when stay) or removed with everything coded to it and its cases, as
the administrator chooses. The audit entry keeps the reason and the counts, never the address.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from ...extensions import db
from ...models import (
    AboutYou,
    Action,
    Area,
    Case,
    CaseReply,
    Comment,
    Consultation,
    Contact,
    Contribution,
    FeedbackEntry,
    OutboxMessage,
    Registration,
    Subscription,
    User,
)
from ...models.base import utcnow
from ...models.contributions import contribution_actions, contribution_areas, contribution_themes
from ...models.responses import response_contributions
from ..shared.errors import Refused
from . import audit

KEEP_ANONYMOUSLY = "keep"
REMOVE = "remove"
WHAT_THEY_SAID = (
    (KEEP_ANONYMOUSLY, _l("Keep what they said, without anything that identifies them")),
    (REMOVE, _l("Remove what they said as well")),
)
REASON_LIMIT = 2000


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


@dataclass
class HeldData:
    """Everything held against one email address."""

    email: str
    contacts: list[Contact] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    emails: list[OutboxMessage] = field(default_factory=list)
    subscription_targets: dict[int, str] = field(default_factory=dict)
    case_replies: list[CaseReply] = field(default_factory=list)

    @property
    def hear_back_requests(self) -> list[Contact]:
        return [contact for contact in self.contacts if contact.wants_updates]

    @property
    def cases(self) -> list[Contribution]:
        return [c for c in self.contributions if c.state == "individual_case"]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "contact_details": len(self.contacts),
            "contributions": len(self.contributions),
            "hear_back_requests": len(self.hear_back_requests),
            "cases": len(self.cases),
            "case_replies": len(self.case_replies),
            "subscriptions": len(self.subscriptions),
            "registrations": len(self.registrations),
            "emails": len(self.emails),
        }

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.subscriptions or self.registrations or self.emails)

    def as_dict(self, produced_at: datetime) -> dict:
        """The copy for the person, as plain data (the JSON download)."""
        contact_of = {contact.id: contact for contact in self.contacts}
        return {
            "email_address": self.email,
            "produced_at": _when(produced_at),
            "feedback": [
                {
                    "reference": c.reference,
                    "given_at": _when(c.created_at),
                    "topic": c.topic,
                    "what_you_said": c.text,
                    "status": c.state_enum.label,
                    "individual_case": c.state == "individual_case",
                    "name_given": contact_of[c.contact_id].name if c.contact_id else "",
                    "asked_to_hear_back": bool(
                        c.contact_id and contact_of[c.contact_id].wants_updates
                    ),
                    "agreed_to_be_quoted": c.consent_to_quote,
                    "contact_details_delete_after": _when(contact_of[c.contact_id].delete_after)
                    if c.contact_id
                    else None,
                }
                for c in self.contributions
            ],
            "replies_to_your_feedback": [
                {
                    "reference": reply.case.contribution.reference,
                    "replied_at": _when(reply.at),
                    "how": reply.method_enum.label,
                    "text": reply.text,
                    "text_deleted_at": _when(reply.text_removed_at),
                }
                for reply in self.case_replies
            ],
            "subscriptions": [
                {
                    "updates_on": self.subscription_targets.get(s.id, ""),
                    "started_at": _when(s.created_at),
                    "confirmed_at": _when(s.confirmed_at),
                    "ended_at": _when(s.unsubscribed_at),
                    "how_often": s.frequency,
                    "language": s.language or "",
                }
                for s in self.subscriptions
            ],
            "event_registrations": [
                {
                    "event": r.event.title,
                    "event_starts_at": _when(r.event.starts_at),
                    "name": r.name,
                    "attending_as": r.attendee_type,
                    "access_needs": r.access_needs,
                    "status": r.state,
                    "registered_at": _when(r.created_at),
                }
                for r in self.registrations
            ],
            "emails": [
                {
                    "subject": m.subject,
                    "written_at": _when(m.created_at),
                    "status": m.status,
                    "sent_at": _when(m.sent_at),
                    "text": m.body_text,
                }
                for m in self.emails
            ],
        }


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="minutes") if value else None


def _check_email(email: str) -> str:
    email = normalise_email(email)
    if not email or "@" not in email or len(email) > 254:
        raise Refused(
            _l("Enter an email address in the correct format, like name@example.com"),
            field="email",
        )
    return email


def _gather(email: str) -> HeldData:
    held = HeldData(email=email)
    held.contacts = list(
        db.session.scalars(
            select(Contact).where(func.lower(Contact.email) == email).order_by(Contact.id)
        )
    )
    if held.contacts:
        held.contributions = list(
            db.session.scalars(
                select(Contribution)
                .where(Contribution.contact_id.in_([c.id for c in held.contacts]))
                .order_by(Contribution.created_at, Contribution.id)
            )
        )
        held.case_replies = list(
            db.session.scalars(
                select(CaseReply)
                .join(Case, Case.id == CaseReply.case_id)
                .where(Case.contribution_id.in_([c.id for c in held.contributions]))
                .order_by(CaseReply.at, CaseReply.id)
            )
        )
    held.subscriptions = list(
        db.session.scalars(
            select(Subscription)
            .where(func.lower(Subscription.email) == email)
            .order_by(Subscription.created_at, Subscription.id)
        )
    )
    held.subscription_targets = {s.id: _target_name(s) for s in held.subscriptions}
    held.registrations = list(
        db.session.scalars(
            select(Registration)
            .where(func.lower(Registration.email) == email)
            .order_by(Registration.created_at, Registration.id)
        )
    )
    held.emails = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(func.lower(OutboxMessage.to_address) == email)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )
    return held


def _target_name(subscription: Subscription) -> str:
    model = {"area": Area, "action": Action, "consultation": Consultation}.get(
        subscription.target_type
    )
    target = db.session.get(model, subscription.target_id) if model else None
    if target is None:
        return ""
    if isinstance(target, Area):
        return _("Area of weakness %(number)d: %(title)s", number=target.number, title=target.title)
    if isinstance(target, Action):
        return f"{target.reference}: {target.title}"
    return target.title


def find(email: str, *, actor: User) -> HeldData:
    """Everything held against the address (an administrator looking, audited without the
    address). Raises Refused for an address that cannot be one."""
    email = _check_email(email)
    held = _gather(email)
    audit.record(
        "data_request.searched",
        actor=actor,
        summary="Looked up what is held against an email address",
        detail=held.counts,
    )
    db.session.commit()
    return held


def copy_for_person(email: str, *, actor: User, file_format: str) -> HeldData:
    """The copy of everything held, for the person who asked (audited as an export)."""
    email = _check_email(email)
    held = _gather(email)
    audit.record(
        "data_request.exported",
        actor=actor,
        summary=f"Downloaded a copy of what is held against an email address ({file_format})",
        detail={"format": file_format, **held.counts},
    )
    db.session.commit()
    return held


@dataclass
class Erased:
    counts: dict[str, int]
    what_they_said: str


def erase(email: str, *, what_they_said: str, reason: str, actor: User) -> Erased:
    """Delete every contact detail, subscription, registration and email held against the
    address; keep what the person said anonymously or remove it. One transaction, audited with
    the reason (never the address)."""
    problems = []
    try:
        email = _check_email(email)
    except Refused as refused:
        problems.extend(refused.problems)
    if what_they_said not in {value for value, _label in WHAT_THEY_SAID}:
        problems.append(
            (
                "what_they_said",
                _l("Select whether to keep what they said anonymously or remove it"),
            )
        )
    reason = (reason or "").strip()
    if not reason:
        problems.append(
            ("reason", _l("Enter the reason, for example the person’s request and its date"))
        )
    elif len(reason) > REASON_LIMIT:
        problems.append(
            (
                "reason",
                _l("The reason must be %(limit)d characters or fewer", limit=REASON_LIMIT),
            )
        )
    if problems:
        raise Refused(*problems)

    held = _gather(email)
    counts = held.counts
    contact_ids = [contact.id for contact in held.contacts]
    contribution_ids = [c.id for c in held.contributions]
    if contribution_ids:
        case_ids = select(Case.id).where(Case.contribution_id.in_(contribution_ids))
        if what_they_said == REMOVE:
            # Their cases go with what they said (timeline and replies by cascade).
            db.session.execute(
                delete(Case)
                .where(Case.contribution_id.in_(contribution_ids))
                .execution_options(synchronize_session=False)
            )
        else:
            db.session.execute(
                update(CaseReply)
                .where(CaseReply.case_id.in_(case_ids), CaseReply.text_removed_at.is_(None))
                .values(text="", text_removed_at=utcnow())
                .execution_options(synchronize_session=False)
            )
    if contribution_ids and what_they_said == REMOVE:
        about_you_ids = [c.about_you_id for c in held.contributions if c.about_you_id]
        # The coding links (areas, actions, themes, responses) go with it; a consultation
        # comment it came from stays (it carries no address) but no longer points at it.
        for table in (
            contribution_areas,
            contribution_actions,
            contribution_themes,
            response_contributions,
        ):
            db.session.execute(delete(table).where(table.c.contribution_id.in_(contribution_ids)))
        # So does the record of staff typing it in (the day received, who entered it).
        db.session.execute(
            delete(FeedbackEntry)
            .where(FeedbackEntry.contribution_id.in_(contribution_ids))
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(Comment)
            .where(Comment.contribution_id.in_(contribution_ids))
            .values(contribution_id=None)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            delete(Contribution)
            .where(Contribution.id.in_(contribution_ids))
            .execution_options(synchronize_session=False)
        )
        if about_you_ids:
            db.session.execute(
                delete(AboutYou)
                .where(AboutYou.id.in_(about_you_ids))
                .execution_options(synchronize_session=False)
            )
    elif contribution_ids:
        db.session.execute(
            update(Contribution)
            .where(Contribution.id.in_(contribution_ids))
            .values(contact_id=None)
            .execution_options(synchronize_session=False)
        )
    for model, column, ids in (
        (Contact, Contact.id, contact_ids),
        (Subscription, Subscription.id, [s.id for s in held.subscriptions]),
        (Registration, Registration.id, [r.id for r in held.registrations]),
        (OutboxMessage, OutboxMessage.id, [m.id for m in held.emails]),
    ):
        if ids:
            db.session.execute(
                delete(model).where(column.in_(ids)).execution_options(synchronize_session=False)
            )
    audit.record(
        "data_request.erased",
        actor=actor,
        summary=(
            "Erased what is held against an email address; what they said was "
            + ("removed" if what_they_said == REMOVE else "kept anonymously")
        ),
        detail={"reason": reason, "what_they_said": what_they_said, **counts},
    )
    db.session.commit()
    db.session.expire_all()
    return Erased(counts=counts, what_they_said=what_they_said)
