from datetime import timedelta

from sqlalchemy import select

from app.domain.people.retention import run_retention
from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import AuditEntry, Contact, Contribution, Event, Registration, Subscription
from app.models.base import utcnow


def _feedback(email: str) -> Contribution:
    contribution = record_contribution(
        "feedback", "The plan was late.", contact_email=email, wants_updates=True
    )
    db.session.commit()
    return contribution


def test_expired_contact_details_are_deleted_and_what_was_said_stays(app_ctx):
    old, recent = _feedback("old@example.org"), _feedback("recent@example.org")
    old.contact.delete_after = utcnow() - timedelta(days=1)
    db.session.commit()

    result = run_retention()

    assert result.contacts == 1
    db.session.expire_all()
    assert db.session.scalar(select(Contact).where(Contact.email == "old@example.org")) is None
    assert db.session.get(Contribution, old.id).text == "The plan was late."
    assert db.session.get(Contribution, old.id).contact_id is None
    assert db.session.get(Contribution, recent.id).contact.email == "recent@example.org"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.run"))
    assert entry.detail == {
        "contacts": 1,
        "subscriptions": 0,
        "registrations": 0,
        "survey_drafts": 0,
        "outbox_messages": 0,
        "audit_addresses": 0,
        "case_replies": 0,
        "exports": 0,
    }
    assert entry.actor_label == "retention job"


def test_ended_and_never_confirmed_subscriptions_are_deleted(app_ctx):
    now = utcnow()
    db.session.add_all(
        [
            Subscription(
                email="active@example.org",
                target_type="area",
                target_id=1,
                unsubscribe_token="a",
                confirmed_at=now,
            ),
            Subscription(
                email="ended@example.org",
                target_type="area",
                target_id=1,
                unsubscribe_token="b",
                confirmed_at=now - timedelta(days=9),
                unsubscribed_at=now,
            ),
            Subscription(
                email="stale@example.org",
                target_type="area",
                target_id=1,
                unsubscribe_token="c",
                created_at=now - timedelta(days=31),
            ),
            Subscription(
                email="waiting@example.org",
                target_type="area",
                target_id=1,
                unsubscribe_token="d",
                created_at=now - timedelta(days=2),
            ),
        ]
    )
    db.session.commit()

    assert run_retention().subscriptions == 2
    left = set(db.session.scalars(select(Subscription.email)))
    assert left == {"active@example.org", "waiting@example.org"}


def test_nothing_to_delete_writes_no_audit_entry(app_ctx):
    before = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    assert run_retention().contacts == 0
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == before


def test_the_command_reports_what_it_deleted(app, app_ctx):
    contribution = _feedback("cli@example.org")
    contribution.contact.delete_after = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0
    assert (
        "Deleted 1 contact detail(s), 0 subscription(s), 0 event registration(s) and 0 unsent "
        "survey draft(s)." in result.output
    )


def test_registrations_are_deleted_once_their_event_ended_long_enough_ago(app, app_ctx):
    days = app.config["EVENT_REGISTRATION_RETENTION_DAYS"]
    now = utcnow()

    def event_ending(ago: timedelta, title: str) -> Event:
        ends = now - ago
        event = Event(
            title=title,
            starts_at=ends - timedelta(hours=2),
            ends_at=ends,
            capacity=10,
            venue="Hall",
        )
        for n, state in enumerate(("registered", "waiting", "cancelled")):
            event.registrations.append(
                Registration(
                    name=f"{title} {n}",
                    email=f"{n}.{title}@example.org",
                    attendee_type="parent_carer",
                    access_needs="Ramp",
                    state=state,
                    cancel_token_hash=f"{title}-{n}",
                )
            )
        db.session.add(event)
        return event

    old = event_ending(timedelta(days=days, hours=1), "old")
    recent = event_ending(timedelta(days=days - 1), "recent")
    upcoming = event_ending(-timedelta(days=3), "upcoming")
    db.session.commit()

    result = run_retention()

    assert result.registrations == 3
    db.session.expire_all()
    left = {r.event_id for r in db.session.scalars(select(Registration))}
    assert old.id not in left and {recent.id, upcoming.id} <= left
    assert db.session.get(Event, old.id).title == "old"  # the event itself stays
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.run"))
    assert entry.detail == {
        "contacts": 0,
        "subscriptions": 0,
        "registrations": 3,
        "survey_drafts": 0,
        "outbox_messages": 0,
        "audit_addresses": 0,
        "case_replies": 0,
        "exports": 0,
    }


def test_sent_and_failed_emails_are_deleted_after_the_outbox_retention(app, app_ctx):
    from app.models import OutboxMessage

    days = app.config["OUTBOX_RETENTION_DAYS"]
    assert days == 14
    now = utcnow()

    def message(status: str, age: timedelta) -> OutboxMessage:
        row = OutboxMessage(
            kind="event_registration",
            to_address=f"{status}-{age.days}@example.org",
            subject="You are registered",
            body_text="Cancel: http://localhost/events/cancel/live-token",
            status=status,
            created_at=now - age,
        )
        db.session.add(row)
        return row

    old_sent = message("sent", timedelta(days=days, hours=1))
    old_failed = message("failed", timedelta(days=days + 5))
    old_pending = message("pending", timedelta(days=days + 5))  # the worker still owes it
    recent_sent = message("sent", timedelta(days=days - 1))
    db.session.commit()
    ids = {m.status + str(m.id): m.id for m in (old_sent, old_failed, old_pending, recent_sent)}

    result = run_retention()

    assert result.outbox_messages == 2
    db.session.expire_all()
    left = set(db.session.scalars(select(OutboxMessage.id)))
    assert old_sent.id not in left and old_failed.id not in left
    assert {old_pending.id, recent_sent.id} <= left
    assert len(ids) == 4


def test_client_addresses_in_the_audit_log_are_blanked_after_90_days(app, app_ctx):
    from app.domain.people import audit

    assert app.config["AUDIT_IP_RETENTION_DAYS"] == 90
    token = audit.client_address.set("203.0.113.9")
    try:
        old = audit.record("user.created", actor=None, summary="old")
        recent = audit.record("user.created", actor=None, summary="recent")
    finally:
        audit.client_address.reset(token)
    old.created_at = utcnow() - timedelta(days=91)
    db.session.commit()

    result = run_retention()

    assert result.audit_addresses == 1
    db.session.expire_all()
    kept_old = db.session.get(AuditEntry, old.id)
    assert kept_old.ip_address == "" and kept_old.summary == "old"  # the entry itself stays
    assert db.session.get(AuditEntry, recent.id).ip_address == "203.0.113.9"


def test_the_database_still_refuses_any_other_change_to_an_audit_entry(app_ctx):
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    from app.domain.people import audit

    entry = audit.record("user.created", actor=None, summary="kept")
    db.session.commit()
    for statement in (
        "UPDATE audit_entries SET summary = 'changed' WHERE id = :id",
        "UPDATE audit_entries SET ip_address = '198.51.100.1' WHERE id = :id",
        "DELETE FROM audit_entries WHERE id = :id",
    ):
        with pytest.raises(DatabaseError):
            db.session.execute(text(statement), {"id": entry.id})
        db.session.rollback()
