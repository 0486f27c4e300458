"""The retention job: personal data is kept only as long as the privacy notice says.

Contact details people leave with feedback are deleted after CONTACT_RETENTION_DAYS (what they
said stays, anonymous). Subscriptions never confirmed within SUBSCRIPTION_UNCONFIRMED_DAYS, and
subscriptions someone has ended, are deleted with their email address. Event registrations
(names, emails, access needs) are deleted EVENT_REGISTRATION_RETENTION_DAYS after their event
ended; the event itself stays. Survey answers in progress that nobody sent (drafts) are deleted
SURVEY_DRAFT_RETENTION_DAYS after they were last changed. Emails that were sent, or that failed
for good, are deleted OUTBOX_RETENTION_DAYS after they were written: they hold addresses, names
and live links (cancel, unsubscribe, password reset) that nobody needs once delivery is over.
The text of a reply to an individual case (it may hold personal details) is blanked when the
contact details it was sent to would be deleted (`CaseReply.delete_after`); who replied, how and
when stay, so the case still shows it was answered.
The client address kept with each audit entry is blanked AUDIT_IP_RETENTION_DAYS after the
entry; the entry itself stays (the log is append-only, and only this job may clear that field).
Updates that went out in a weekly summary are deleted; the note of each summary sent (which
stops a second one that week) is deleted after SUMMARY_RECORD_DAYS.
Survey spreadsheets built in the background (every answer in them) are deleted, with their job,
EXPORT_RETENTION_DAYS after they were finished (ready or failed); queued ones wait for a worker.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, update

from ...extensions import db
from ...models import (
    AuditEntry,
    CaseReply,
    Contact,
    Contribution,
    Digest,
    Event,
    ExportJob,
    ExportState,
    OutboxMessage,
    PendingUpdate,
    Registration,
    Subscription,
    SurveyDraft,
)
from ...models.base import utcnow
from . import audit


@dataclass
class RetentionResult:
    contacts: int
    subscriptions: int
    registrations: int = 0
    survey_drafts: int = 0
    outbox_messages: int = 0
    audit_addresses: int = 0
    case_replies: int = 0
    exports: int = 0


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
    outbox_messages = _delete_finished_emails(
        now - timedelta(days=current_app.config.get("OUTBOX_RETENTION_DAYS", 14))
    )
    case_replies = _blank_case_replies(now)
    exports = _delete_finished_exports(
        now - timedelta(days=current_app.config.get("EXPORT_RETENTION_DAYS", 7))
    )
    _forget_sent_summaries(now - timedelta(days=current_app.config.get("SUMMARY_RECORD_DAYS", 56)))
    audit_addresses = _forget_audit_addresses(
        now - timedelta(days=current_app.config.get("AUDIT_IP_RETENTION_DAYS", 90))
    )
    if (
        contacts
        or subscriptions
        or registrations
        or survey_drafts
        or outbox_messages
        or audit_addresses
        or case_replies
        or exports
    ):
        audit.record(
            "retention.run",
            actor=None,
            actor_label="retention job",
            summary=(
                f"Deleted {contacts} contact detail(s), {subscriptions} subscription(s), "
                f"{registrations} event registration(s), {survey_drafts} unsent survey draft(s), "
                f"{outbox_messages} sent or failed email(s) and {exports} survey export "
                f"file(s); blanked {case_replies} case reply text(s)"
            ),
            detail={
                "contacts": contacts,
                "subscriptions": subscriptions,
                "registrations": registrations,
                "survey_drafts": survey_drafts,
                "outbox_messages": outbox_messages,
                "audit_addresses": audit_addresses,
                "case_replies": case_replies,
                "exports": exports,
            },
        )
    db.session.commit()
    return RetentionResult(
        contacts=contacts,
        subscriptions=subscriptions,
        registrations=registrations,
        survey_drafts=survey_drafts,
        outbox_messages=outbox_messages,
        audit_addresses=audit_addresses,
        case_replies=case_replies,
        exports=exports,
    )


def _forget_sent_summaries(sent_before: datetime) -> None:
    """Updates already sent in a summary go first, so that no waiting update ever points at a
    deleted summary (its link would be cleared and it would be sent again)."""
    db.session.execute(delete(PendingUpdate).where(PendingUpdate.digest_id.is_not(None)))
    db.session.execute(delete(Digest).where(Digest.sent_at < sent_before))


def _delete_stale_drafts(updated_before: datetime) -> int:
    """Survey answers in progress that nobody has touched since then (the caller commits)."""
    return (
        db.session.execute(
            delete(SurveyDraft).where(SurveyDraft.updated_at < updated_before)
        ).rowcount
        or 0
    )


def _delete_finished_emails(written_before: datetime) -> int:
    """Sent and failed emails written before then; pending ones wait for the worker."""
    return (
        db.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status.in_(("sent", "failed")),
                OutboxMessage.created_at < written_before,
            )
        ).rowcount
        or 0
    )


def _delete_finished_exports(finished_before: datetime) -> int:
    """Ready and failed survey exports, file and all, finished before then."""
    return (
        db.session.execute(
            delete(ExportJob).where(
                ExportJob.state.in_((ExportState.READY.value, ExportState.FAILED.value)),
                ExportJob.finished_at < finished_before,
            )
        ).rowcount
        or 0
    )


def _forget_audit_addresses(recorded_before: datetime) -> int:
    """Blank the client address of audit entries recorded before then. A bulk UPDATE: the
    append-only guard on AuditEntry objects is for the application, not for this job."""
    return (
        db.session.execute(
            update(AuditEntry)
            .where(AuditEntry.created_at < recorded_before, AuditEntry.ip_address != "")
            .values(ip_address="")
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )


def _blank_case_replies(now: datetime) -> int:
    """Blank the text of case replies kept as long as their contact details, once that time has
    come; the reply's method, author and time stay."""
    return (
        db.session.execute(
            update(CaseReply)
            .where(
                CaseReply.delete_after.is_not(None),
                CaseReply.delete_after <= now,
                CaseReply.text_removed_at.is_(None),
            )
            .values(text="", text_removed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
