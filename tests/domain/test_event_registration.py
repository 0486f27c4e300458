"""Event rules: places, the waiting list (also under concurrency), cancel links, the .ics file
and the email attachment."""

import email
import email.policy
import threading
import uuid
from datetime import datetime, timedelta

import pytest
from flask import current_app

from app.domain.engagement import events as events_domain
from app.domain.engagement import ics
from app.domain.mail import outbox
from app.extensions import db
from app.models import Event, OutboxMessage, Registration
from app.models.base import utcnow


def make_event(**overrides) -> Event:
    """A published in-person event next week with 5 places (committed in the test's transaction)."""
    starts = (utcnow() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    values = {
        "title": "Designing the SEND enquiries hub",
        "description": "Help us design the new hub.\nBring your ideas.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2, minutes=30),
        "venue": "Maidstone Community Hub",
        "address": "12 High Street\nMaidstone\nME14 1AA",
        "step_free": True,
        "hearing_loop": True,
        "quiet_room": False,
        "parking": False,
        "access_notes": "Accessible toilet on the ground floor.",
        "capacity": 5,
        "published": True,
    }
    values.update(overrides)
    event = Event(**values)
    db.session.add(event)
    db.session.commit()
    return event


def unique_email(label: str = "person") -> str:
    return f"{label}.{uuid.uuid4().hex[:10]}@example.org"


def register(
    event, email_address=None, name="Sam Parent", attendee_type="parent_carer", access_needs=""
):
    with current_app.test_request_context("/"):
        return events_domain.register(
            event, name, email_address or unique_email(), attendee_type, access_needs
        )


def messages_to(address: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        )
    )


def cancel_token_in(body: str) -> str:
    import re

    found = re.search(r"/events/cancel/([A-Za-z0-9_\-]+)", body)
    assert found, f"no cancel link in:\n{body}"
    return found.group(1)


# --- registering ------------------------------------------------------------------------------


def test_registering_gives_a_place_and_queues_one_confirmation_with_the_ics(app_ctx):
    event = make_event(capacity=2)
    address = unique_email()
    registration = register(event, address, access_needs="I use a wheelchair")
    assert registration.state == "registered"
    assert registration.email == address
    assert registration.access_needs == "I use a wheelchair"
    assert len(registration.cancel_token_hash) == 64

    [message] = messages_to(address)
    assert message.kind == "event_registration"
    assert message.subject == "You are registered: Designing the SEND enquiries hub"
    body = message.body_text
    assert "Where: Maidstone Community Hub, 12 High Street, Maidstone, ME14 1AA" in body
    assert "- Step-free access: Yes" in body and "- Quiet room: No" in body
    assert "Accessible toilet on the ground floor." in body
    token = cancel_token_in(body)
    assert (
        events_domain.hash_token(token) == registration.cancel_token_hash
    )  # only the hash is stored
    assert f"/events/{event.id}/calendar.ics" in body
    [attachment] = message.headers["_attachments"]
    assert attachment["filename"] == f"event-{event.id}.ics"
    assert attachment["content_type"] == "text/calendar"
    assert f"UID:event-{event.id}@sendvoice" in attachment["content"]


def test_the_email_address_is_stored_lower_case_and_trimmed(app_ctx):
    event = make_event()
    registration = register(event, "  Sam.Parent@Example.ORG ")
    assert registration.email == "sam.parent@example.org"


def test_when_full_people_join_the_waiting_list_without_the_online_link(app_ctx):
    event = make_event(
        capacity=1, venue="", address="", online_link="https://meet.example.org/secret-room"
    )
    first = register(event)
    address = unique_email()
    second = register(event, address)
    assert (first.state, second.state) == ("registered", "waiting")
    [message] = messages_to(address)
    assert message.subject == "You are on the waiting list: Designing the SEND enquiries hub"
    assert (
        "You are on the waiting list; we will email you if a place comes up." in message.body_text
    )
    assert "secret-room" not in message.body_text
    assert "_attachments" not in message.headers
    # The person with a place is given the link.
    assert (
        "Join online: https://meet.example.org/secret-room" in messages_to(first.email)[0].body_text
    )


def test_registering_twice_changes_nothing_and_tells_the_address_owner_by_email(app_ctx):
    event = make_event()
    address = unique_email()
    first = register(event, address)
    with pytest.raises(events_domain.AlreadyRegistered) as refused:
        register(event, address.upper(), name="Someone else")
    # What the page shows is what a newcomer would get, not the person's own state.
    assert refused.value.state == "registered"
    registrations = list(
        db.session.scalars(db.select(Registration).where(Registration.event_id == event.id))
    )
    assert [(r.id, r.name) for r in registrations] == [(first.id, "Sam Parent")]
    confirmation, reminder = messages_to(address)
    assert reminder.subject == "You are already registered: Designing the SEND enquiries hub"
    assert "You are already registered, so nothing has changed." in reminder.body_text
    assert "If it was not you, you do not need to do anything." in reminder.body_text
    # The new cancel link works and the first one no longer does.
    new_token = cancel_token_in(reminder.body_text)
    assert events_domain.registration_for_cancel_token(new_token).id == first.id
    assert (
        events_domain.registration_for_cancel_token(cancel_token_in(confirmation.body_text)) is None
    )


@pytest.mark.parametrize(
    "change, error",
    [
        ({"cancelled_at": datetime(2025, 1, 1)}, events_domain.EventCancelled),
        ({"published": False}, events_domain.EventNotFound),
    ],
)
def test_cancelled_or_unpublished_events_refuse_registration(app_ctx, change, error):
    event = make_event(**change)
    with pytest.raises(error):
        register(event)
    assert not event.registrations


def test_registration_closes_at_its_closing_time_and_at_the_start(app_ctx):
    closed = make_event(registration_closes_at=utcnow() - timedelta(minutes=1))
    with pytest.raises(events_domain.RegistrationClosed):
        register(closed)
    started = utcnow() - timedelta(minutes=5)
    under_way = make_event(starts_at=started, ends_at=started + timedelta(hours=2))
    with pytest.raises(events_domain.RegistrationClosed):
        register(under_way)
    # A closing time after the start still closes at the start.
    late = make_event(registration_closes_at=utcnow() + timedelta(days=30))
    assert events_domain.registration_closes_at(late) == late.starts_at


def test_someone_who_cancelled_can_register_again_at_the_back_of_the_queue(app_ctx):
    event = make_event(capacity=1)
    address = unique_email()
    first = register(event, address)
    events_domain.cancel(first)
    other = register(event)
    again = register(event, address)
    assert again.id == first.id  # the same row: one registration per address and event
    assert (other.state, again.state) == ("registered", "waiting")
    assert again.cancelled_at is None


# --- cancelling and the waiting list ---------------------------------------------------------


def test_cancelling_a_place_offers_it_to_the_first_person_waiting(app_ctx):
    event = make_event(
        capacity=1, venue="", address="", online_link="https://meet.example.org/room-42"
    )
    holder = register(event)
    first_waiting = register(event, name="First Waiting")
    second_waiting = register(event, name="Second Waiting")
    old_hash = first_waiting.cancel_token_hash

    with current_app.test_request_context("/"):
        offered = events_domain.cancel(holder)

    assert [r.id for r in offered] == [first_waiting.id]
    db.session.expire_all()
    assert db.session.get(Registration, holder.id).state == "cancelled"
    assert db.session.get(Registration, holder.id).cancelled_at is not None
    promoted = db.session.get(Registration, first_waiting.id)
    assert promoted.state == "registered" and promoted.offered_at is not None
    assert promoted.cancel_token_hash != old_hash  # a new link; the old one stops working
    assert db.session.get(Registration, second_waiting.id).state == "waiting"

    offer = messages_to(first_waiting.email)[-1]
    assert offer.kind == "event_place_offered"
    assert offer.subject == "A place has come up for you: Designing the SEND enquiries hub"
    assert "Join online: https://meet.example.org/room-42" in offer.body_text
    assert events_domain.hash_token(cancel_token_in(offer.body_text)) == promoted.cancel_token_hash
    assert "https://meet.example.org/room-42" in offer.headers["_attachments"][0]["content"]
    assert not messages_to(second_waiting.email)[1:], "the second person waiting is not emailed"


def test_cancelling_a_waiting_place_offers_nothing(app_ctx):
    event = make_event(capacity=1)
    register(event)
    waiting = register(event)
    also_waiting = register(event)
    with current_app.test_request_context("/"):
        assert events_domain.cancel(waiting) == []
    db.session.expire_all()
    assert db.session.get(Registration, also_waiting.id).state == "waiting"


def test_cancelling_twice_changes_nothing_and_the_link_then_stops_working(app_ctx):
    event = make_event(capacity=1)
    holder = register(event)
    token = cancel_token_in(messages_to(holder.email)[0].body_text)
    waiting = register(event)
    assert events_domain.registration_for_cancel_token(token).id == holder.id
    with current_app.test_request_context("/"):
        events_domain.cancel(holder)
        assert events_domain.cancel(holder) == []
    assert events_domain.registration_for_cancel_token(token) is None
    db.session.expire_all()
    assert db.session.get(Registration, waiting.id).state == "registered"
    assert events_domain.registration_for_cancel_token("x" * 500) is None
    assert events_domain.registration_for_cancel_token("") is None


def test_no_place_is_offered_once_the_event_has_started(app_ctx):
    event = make_event(capacity=1)
    holder = register(event)
    waiting = register(event)
    event.starts_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with current_app.test_request_context("/"):
        assert events_domain.cancel(holder) == []
    db.session.expire_all()
    assert db.session.get(Registration, waiting.id).state == "waiting"


# --- never over capacity: two people take the last place at once -----------------------------


@pytest.mark.committing
def test_two_people_taking_the_last_place_at_once_one_gets_it_the_other_waits(app):
    """Two threads, each with its own app context, session and connection, register at the same
    moment for an event with one place left: exactly one gets the place."""
    run = uuid.uuid4().hex[:10]
    with app.app_context():
        event = make_event(title=f"Race {run}", capacity=2)
        event_id = event.id
        with app.test_request_context("/"):
            events_domain.register(
                event, "Already Coming", f"first.{run}@example.org", "professional", ""
            )
    results: dict[str, str] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def attempt(name: str) -> None:
        try:
            with app.app_context(), app.test_request_context("/"):
                mine = db.session.get(Event, event_id)  # each reads the event first, as a view does
                assert events_domain.public_event(event_id).places_left == 1
                barrier.wait(timeout=10)
                registration = events_domain.register(
                    mine, name, f"{name}.{run}@example.org", "parent_carer", ""
                )
                results[name] = registration.state
        except BaseException as error:  # reported below, with the thread's name
            errors.append(error)

    try:
        threads = [threading.Thread(target=attempt, args=(name,)) for name in ("one", "two")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads), "a registration did not finish"
        assert not errors, errors
        assert sorted(results.values()) == ["registered", "waiting"], results
        with app.app_context():
            states = db.session.scalars(
                db.select(Registration.state).where(Registration.event_id == event_id)
            ).all()
            assert sorted(states) == ["registered", "registered", "waiting"]
            assert events_domain.public_event(event_id).places_left == 0
    finally:
        with app.app_context():
            db.session.execute(
                db.delete(OutboxMessage).where(
                    OutboxMessage.to_address.like(f"%.{run}@example.org")
                )
            )
            db.session.execute(db.delete(Registration).where(Registration.event_id == event_id))
            db.session.execute(db.delete(Event).where(Event.id == event_id))
            db.session.commit()


# --- the .ics file ----------------------------------------------------------------------------


def _ics_event(**overrides) -> Event:
    values = {
        "id": 42,
        "title": "Hub design, part 2; bring ideas",
        "description": "Line one\nLine two, with a comma",
        "starts_at": datetime(2026, 7, 1, 9, 0),
        "ends_at": datetime(2026, 7, 1, 11, 30),
        "venue": "Maidstone Hub",
        "address": "12 High Street\nMaidstone",
        "online_link": "",
        "capacity": 5,
    }
    values.update(overrides)
    return Event(**values)


def test_ics_has_exact_content_with_crlf_utc_times_and_escaping(app_ctx):
    text = ics.event_ics(_ics_event(), now=datetime(2026, 6, 1, 12, 0, 5))
    assert text == (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//SEND Voice//Events//EN\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:event-42@sendvoice\r\n"
        "DTSTAMP:20260601T120005Z\r\n"
        "DTSTART:20260701T090000Z\r\n"
        "DTEND:20260701T113000Z\r\n"
        "SUMMARY:Hub design\\, part 2\\; bring ideas\r\n"
        "DESCRIPTION:Line one\\nLine two\\, with a comma\r\n"
        "LOCATION:Maidstone Hub\\, 12 High Street\\, Maidstone\r\n"
        "STATUS:CONFIRMED\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


def test_ics_folds_long_lines_at_75_octets_without_splitting_characters(app_ctx):
    title = "Co-production workshop: " + "é" * 60 + " and more words to make it long"
    text = ics.event_ics(
        _ics_event(title=title, description="x" * 200),
        url="https://example.org/events/42",
        now=datetime(2026, 6, 1, 12, 0),
    )
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)
    # Unfolding (remove CRLF + space) gives back the original content lines.
    unfolded = text.replace("\r\n ", "").split("\r\n")
    assert f"SUMMARY:{title}" in unfolded
    assert "DESCRIPTION:" + "x" * 200 + "\\n\\nhttps://example.org/events/42" in unfolded
    assert "URL:https://example.org/events/42" in unfolded
    summary_lines = [line for line in lines if line.startswith("SUMMARY:")]
    assert len(summary_lines[0].encode("utf-8")) in (74, 75)  # a 2-octet é is never split


def test_ics_leaves_out_the_online_link_unless_asked(app_ctx):
    online = _ics_event(venue="", address="", online_link="https://meet.example.org/abc")
    public = ics.event_ics(online)
    assert "meet.example.org" not in public
    assert "LOCATION:Online\r\n" in public
    private = ics.event_ics(online, include_online_link=True).replace("\r\n ", "")
    assert "LOCATION:https://meet.example.org/abc" in private
    assert "Join online: https://meet.example.org/abc" in private


def test_ics_uses_the_server_name_for_the_uid_and_marks_cancelled_events(app_ctx, monkeypatch):
    monkeypatch.setitem(current_app.config, "SERVER_NAME", "sendvoice.kent.example:8443")
    text = ics.event_ics(_ics_event(cancelled_at=datetime(2026, 6, 2)))
    assert "UID:event-42@sendvoice.kent.example\r\n" in text
    assert "STATUS:CANCELLED\r\n" in text


def test_fold_counts_octets_and_the_leading_space():
    assert ics.fold("a" * 75) == "a" * 75
    assert ics.fold("a" * 76) == "a" * 75 + "\r\n a"
    assert ics.fold("a" * 149) == "a" * 75 + "\r\n " + "a" * 74
    assert ics.fold("a" * 74 + "é") == "a" * 74 + "\r\n é"
    assert ics.escape_text("a\\b;c,d\r\ne") == "a\\\\b\\;c\\,d\\ne"


# --- attachments in the outbox ----------------------------------------------------------------


def test_outbox_attachments_become_real_mime_attachments_and_are_not_headers(app_ctx, tmp_path):
    db.session.execute(
        db.update(OutboxMessage).where(OutboxMessage.status == "pending").values(status="sent")
    )
    content = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Caf\u00e9\r\nEND:VCALENDAR\r\n"
    outbox.enqueue(
        "test",
        "parent@example.org",
        "With a file",
        "See the attachment.",
        headers={"X-Test": "yes"},
        attachments=[outbox.Attachment("event.ics", "text/calendar", content)],
    )
    db.session.commit()
    assert outbox.deliver_due(sender=outbox.FileSender(str(tmp_path))) == 1
    [path] = tmp_path.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["X-Test"] == "yes"
    assert message["_attachments"] is None
    assert message.get_body(("plain",)).get_content().strip() == "See the attachment."
    [attached] = list(message.iter_attachments())
    assert attached.get_filename() == "event.ics"
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_content() == content  # CRLFs and UTF-8 kept exactly
