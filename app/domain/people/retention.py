"""The retention job: personal data is kept only as long as the privacy notice says.

Contact details people leave with feedback are deleted after CONTACT_RETENTION_DAYS (what they
said stays, anonymous). Subscriptions never confirmed within SUBSCRIPTION_UNCONFIRMED_DAYS, and
subscriptions someone has ended, are deleted with their email address. Event registrations
(names, emails, access needs) are deleted EVENT_REGISTRATION_RETENTION_DAYS after their event
ended; the event itself stays. Survey answers in progress that nobody sent (drafts) are deleted
SURVEY_DRAFT_RETENTION_DAYS after they were last changed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, update

from ...extensions import db
from ...models import Contact, Contribution, Event, Registration, Subscription, SurveyDraft
from ...models.base import utcnow
from . import audit


@dataclass
class RetentionResult:
    contacts: int
    subscriptions: int
    registrations: int = 0
    survey_drafts: int = 0


def run_retention(now: datetime | None = None) -> RetentionResult:
    now = now or utcnow()
    expired = db.select(Contact.id).where(
        Contact.delete_after.is_not(None), Contact.delete_after <= now
    )
    # Unlink first, so the contributions stay (anonymous) whatever the database does on delete.
    db.session.execute(
        update(Contribution).where(Contribution.contact_id.in_(expired)).values(contact_id=None)
    )
    contacts = db.session.execute(delete(Contact).where(Contact.id.in_(expired))).rowcount or 0
    unconfirmed_before = now - timedelta(
        days=current_app.config.get("SUBSCRIPTION_UNCONFIRMED_DAYS", 30)
    )
    subscriptions = (
        db.session.execute(
            delete(Subscription).where(
                or_(
                    Subscription.unsubscribed_at.is_not(None),
                    Subscription.confirmed_at.is_(None)
                    & (Subscription.created_at < unconfirmed_before),
                )
            )
        ).rowcount
        or 0
    )
    ended_before = now - timedelta(
        days=current_app.config.get("EVENT_REGISTRATION_RETENTION_DAYS", 30)
    )
    registrations = (
        db.session.execute(
            delete(Registration).where(
                Registration.event_id.in_(db.select(Event.id).where(Event.ends_at < ended_before))
            )
        ).rowcount
        or 0
    )
    survey_drafts = _delete_stale_drafts(
        now - timedelta(days=current_app.config.get("SURVEY_DRAFT_RETENTION_DAYS", 7))
    )
    if contacts or subscriptions or registrations or survey_drafts:
        audit.record(
            "retention.run",
            actor=None,
            actor_label="retention job",
            summary=(
                f"Deleted {contacts} contact detail(s), {subscriptions} subscription(s), "
                f"{registrations} event registration(s) and {survey_drafts} unsent survey draft(s)"
            ),
            detail={
                "contacts": contacts,
                "subscriptions": subscriptions,
                "registrations": registrations,
                "survey_drafts": survey_drafts,
            },
        )
    db.session.commit()
    return RetentionResult(
        contacts=contacts,
        subscriptions=subscriptions,
        registrations=registrations,
        survey_drafts=survey_drafts,
    )


def _delete_stale_drafts(updated_before: datetime) -> int:
    """Survey answers in progress that nobody has touched since then (the caller commits)."""
    return (
        db.session.execute(
            delete(SurveyDraft).where(SurveyDraft.updated_at < updated_before)
        ).rowcount
        or 0
    )
