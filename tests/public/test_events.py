"""The public side of co-production events: the list, an event's page, registering, the
waiting list, cancelling with the emailed link and the calendar file."""

import email
import re
from datetime import datetime, timedelta
from email.policy import default as default_policy
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Event, OutboxMessage, Registration
from app.models.base import utcnow
from tests.domain.test_event_registration import make_event, unique_email
from tests.helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    heading,
    main_text,
    page,
)

CANCEL_LINK = re.compile(r"http://localhost/events/cancel/([A-Za-z0-9_\-]+)")
SUMMER = datetime(2030, 7, 1, 9, 0)  # 10:00 in London (BST)


def form_data(**overrides) -> dict:
    data = {
        "name": "Sam Parent",
        "email": unique_email(),
        "attendee_type": "parent_carer",
        "access_needs": "",
        "website": "",
    }
    data.update(overrides)
    return data


def registrations_for(event: Event) -> list[Registration]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(Registration)
            .where(Registration.event_id == event.id)
            .order_by(Registration.id)
        )
    )


def emails_to(address: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        )
    )


def eml_files_to(mail_dir: str, address: str) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted(Path(mail_dir).glob("*.eml")):
        parsed = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        if parsed["To"] == address:
            found.append(parsed)
    return found


def places_text(soup, title: str) -> str:
    card = next(li for li in soup.select("li.app-card") if title in li.get_text())
    return re.sub(r"\s+", " ", card.get_text(" ")).strip()


# --- the list ---------------------------------------------------------------------------------


def test_the_list_shows_upcoming_events_soonest_first_with_places_left(client, app_ctx):
    later = make_event(
        title="Later event",
        starts_at=SUMMER + timedelta(days=2),
        ends_at=SUMMER + timedelta(days=2, hours=2),
        capacity=5,
    )
    sooner = make_event(
        title="Sooner event",
        starts_at=SUMMER,
        ends_at=SUMMER + timedelta(hours=2),
        capacity=1,
        venue="",
        address="",
        online_link="https://meet.example.org/x",
    )
    db.session.add(
        Registration(
            event=sooner,
            name="A",
            email="a@example.org",
            attendee_type="professional",
            state="registered",
            cancel_token_hash="a" * 64,
        )
    )
    db.session.add(
        Registration(
            event=later,
            name="B",
            email="b@example.org",
            attendee_type="professional",
            state="waiting",
            cancel_token_hash="b" * 64,
        )
    )
    make_event(title="Cancelled event", cancelled_at=utcnow())
    make_event(title="Draft event", published=False)
    past_start = utcnow() - timedelta(days=20)
    make_event(
        title="Last month's event", starts_at=past_start, ends_at=past_start + timedelta(hours=2)
    )
    db.session.commit()

    response = client.get("/events")
    assert response.status_code == 200
    soup = page(response)
    assert heading(soup) == "Co-production events"
    titles = [a.get_text(strip=True) for a in soup.select("li.app-card h3 a")]
    assert titles.index("Sooner event") < titles.index("Later event")
    assert "Cancelled event" not in titles and "Draft event" not in titles
    assert "Last month's event" not in titles
    assert "Monday 1 July 2030, 10am to midday" in places_text(soup, "Sooner event")
    assert "Online" in places_text(soup, "Sooner event")
    assert "Full – join the waiting list" in places_text(soup, "Sooner event")
    assert "5 places left" in places_text(soup, "Later event")  # waiting people take no place
    assert "Maidstone Community Hub" in places_text(soup, "Later event")
    link = soup.find("a", string="Later event")["href"]
    assert link == f"/events/{later.id}"
    # Past events are listed separately, below.
    past = soup.find("h2", string="Past events").find_next("ul")
    assert "Last month's event" in past.get_text()
    assert "meet.example.org" not in response.get_data(as_text=True)


def test_the_list_says_when_there_are_no_events(client, app_ctx):
    db.session.execute(db.update(Event).values(published=False))
    response = client.get("/events")
    assert "There are no upcoming events at the moment." in main_text(response)


# --- an event's page --------------------------------------------------------------------------


def test_the_event_page_shows_when_where_access_and_places(client, app_ctx):
    event = make_event(
        starts_at=SUMMER,
        ends_at=SUMMER + timedelta(hours=2, minutes=30),
        capacity=3,
        registration_closes_at=SUMMER - timedelta(days=1),
        description="<b>Bold?</b>\nSecond line",
    )
    db.session.add(
        Registration(
            event=event,
            name="A",
            email="a@example.org",
            attendee_type="professional",
            state="registered",
            cancel_token_hash="c" * 64,
        )
    )
    db.session.commit()

    response = client.get(f"/events/{event.id}")
    assert response.status_code == 200
    soup = page(response)
    assert heading(soup) == "Designing the SEND enquiries hub"
    description = soup.select_one("main p.app-pre-wrap")
    assert description.get_text() == "<b>Bold?</b>\nSecond line"  # shown as text, line breaks kept
    assert "<b>Bold?</b>" not in response.get_data(as_text=True)
    text = main_text(soup)
    assert "Monday 1 July 2030, 10am to 12:30pm" in text
    assert "Maidstone Community Hub 12 High Street Maidstone ME14 1AA" in text
    assert "3 places in total 2 places left" in text
    assert "Registration closes 10am on Sunday 30 June 2030" in text
    access = [
        li.get_text(strip=True)
        for li in soup.find("h2", string="Access information").find_next("ul")("li")
    ]
    assert access == ["Step-free access: Yes", "Hearing loop: Yes", "Quiet room: No", "Parking: No"]
    assert "Accessible toilet on the ground floor." in text
    calendar = next(a for a in soup.find_all("a") if "Add to calendar" in a.get_text())
    assert calendar["href"] == f"/events/{event.id}/calendar.ics"
    # The registration form, with the honeypot hidden from people.
    form = soup.find("form", action=f"/events/{event.id}/register")
    assert form is not None
    assert {"name", "email", "attendee_type", "access_needs", "website"} <= {
        i.get("name") for i in form.find_all(["input", "textarea"])
    }
    assert "Only the event organisers see this" in text
    assert "We delete them 30 days after the event." in text


def test_an_online_event_never_shows_its_link_publicly(client, app_ctx):
    event = make_event(venue="", address="", online_link="https://meet.example.org/secret-room-99")
    response = client.get(f"/events/{event.id}")
    assert "Online – the link is sent to people who register" in main_text(response)
    assert "secret-room-99" not in response.get_data(as_text=True)
    calendar = client.get(f"/events/{event.id}/calendar.ics")
    assert "secret-room-99" not in calendar.get_data(as_text=True)
    assert "LOCATION:Online\r\n" in calendar.get_data(as_text=True)


def test_the_calendar_file_downloads_as_ics(client, app_ctx):
    event = make_event(starts_at=SUMMER, ends_at=SUMMER + timedelta(hours=2))
    response = client.get(f"/events/{event.id}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == f'attachment; filename="event-{event.id}.ics"'
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20300701T090000Z\r\n" in body
    assert f"UID:event-{event.id}@sendvoice\r\n" in body


@pytest.mark.parametrize("path", ["/events/{id}", "/events/{id}/calendar.ics"])
def test_unpublished_and_unknown_events_are_not_found(client, app_ctx, path):
    draft = make_event(published=False)
    assert client.get(path.format(id=draft.id)).status_code == 404
    assert client.get(path.format(id=99999999)).status_code == 404
    assert client.post(f"/events/{draft.id}/register", data=form_data()).status_code == 404


def test_a_cancelled_event_says_so_with_no_form_and_refuses_registration(client, app_ctx):
    event = make_event(cancelled_at=utcnow())
    response = client.get(f"/events/{event.id}")
    assert response.status_code == 200
    assert heading(response) == "This event has been cancelled"
    assert page(response).find("form", action=f"/events/{event.id}/register") is None
    refused = client.post(f"/events/{event.id}/register", data=form_data())
    assert refused.status_code == 200
    assert heading(refused) == "This event has been cancelled"
    assert registrations_for(event) == []


def test_after_registration_closes_the_page_says_so_and_nothing_is_stored(client, app_ctx):
    event = make_event(registration_closes_at=utcnow() - timedelta(hours=1))
    response = client.get(f"/events/{event.id}")
    assert "Registration has closed" in main_text(response)
    assert page(response).find("form", action=f"/events/{event.id}/register") is None
    refused = client.post(f"/events/{event.id}/register", data=form_data())
    assert refused.status_code == 200
    assert "Registration for this event closed on" in main_text(refused)
    assert registrations_for(event) == []


# --- registering ------------------------------------------------------------------------------


def test_registering_confirms_on_the_page_and_by_email_with_the_calendar_file(
    client, app_ctx, mail_dir
):
    event = make_event(capacity=2)
    data = form_data(
        access_needs="I need step-free access and a quiet space.", attendee_type="young_person"
    )
    response = client.post(f"/events/{event.id}/register", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}/registered"

    confirmation = client.get(f"/events/{event.id}/registered")
    assert confirmation.status_code == 200
    assert (
        page(confirmation).select_one(".govuk-panel__title").get_text(strip=True)
        == "You are registered"
    )

    [registration] = registrations_for(event)
    assert (
        registration.name,
        registration.email,
        registration.attendee_type,
        registration.state,
    ) == ("Sam Parent", data["email"], "young_person", "registered")
    assert registration.access_needs == "I need step-free access and a quiet space."

    [eml] = eml_files_to(mail_dir, data["email"])
    assert eml["Subject"] == "You are registered: Designing the SEND enquiries hub"
    body = eml.get_body(("plain",)).get_content()
    assert CANCEL_LINK.search(body)
    [ics_file] = list(eml.iter_attachments())
    assert ics_file.get_content_type() == "text/calendar"
    assert "SUMMARY:Designing the SEND enquiries hub\r\n" in ics_file.get_content()


def test_the_confirmation_page_needs_the_session_that_registered(client, app_ctx):
    event = make_event()
    response = client.get(f"/events/{event.id}/registered")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}"


def test_when_full_people_join_the_waiting_list(client, app_ctx):
    event = make_event(capacity=1)
    assert client.post(f"/events/{event.id}/register", data=form_data()).status_code == 302
    full = client.get(f"/events/{event.id}")
    assert "Full – join the waiting list" in main_text(full)
    assert page(full).find("h2", string="Join the waiting list") is not None
    second = form_data()
    assert client.post(f"/events/{event.id}/register", data=second).status_code == 302
    confirmation = client.get(f"/events/{event.id}/registered")
    assert (
        page(confirmation).select_one(".govuk-panel__title").get_text(strip=True)
        == "You are on the waiting list"
    )
    assert [r.state for r in registrations_for(event)] == ["registered", "waiting"]
    assert (
        "You are on the waiting list; we will email you if a place comes up."
        in emails_to(second["email"])[0].body_text
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": ""}, "name", "Enter your name"),
        ({"name": "n" * 121}, "name", "Name must be 120 characters or fewer"),
        ({"email": ""}, "email", "Enter your email address"),
        (
            {"email": "not-an-email"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {"email": "a" * 250 + "@example.org"},
            "email",
            "Email address must be 254 characters or fewer",
        ),
        (
            {"attendee_type": ""},
            "attendee_type",
            "Select whether you are a parent or carer, a young person or a professional",
        ),
        (
            {"attendee_type": "councillor"},
            "attendee_type",
            "Select whether you are a parent or carer, a young person or a professional",
        ),
        (
            {"access_needs": "x" * 2001},
            "access_needs",
            "Access needs and support must be 2,000 characters or fewer. You have entered 2,001 "
            "characters.",
        ),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_what_was_typed_is_kept(
    client, app_ctx, changes, field, message
):
    event = make_event()
    data = form_data(**{"access_needs": "A hearing loop, please", **changes})
    response = client.post(f"/events/{event.id}/register", data=data)
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert error_summary(response) == [message]
    assert error_summary_links(response)[message].startswith(f"#{field}")
    assert page(response).title.get_text().startswith("Error:")
    for name in ("name", "email", "access_needs"):
        assert field_value(response, name) == data[name]
    if data["attendee_type"] == "parent_carer":
        assert (
            page(response)
            .find("input", attrs={"name": "attendee_type", "value": "parent_carer"})
            .has_attr("checked")
        )
    assert registrations_for(event) == []


def test_html_in_a_name_is_shown_as_text(client, app_ctx):
    event = make_event()
    script = '<script>alert("hi")</script>'
    response = client.post(
        f"/events/{event.id}/register", data=form_data(name=script, email="nope")
    )
    html = response.get_data(as_text=True)
    assert script not in html
    assert field_value(response, "name") == script
    # Stored as typed, and it only ever goes into plain-text email.
    ok = form_data(name=script)
    assert client.post(f"/events/{event.id}/register", data=ok).status_code == 302
    assert registrations_for(event)[0].name == script
    assert script not in client.get(f"/events/{event.id}/registered").get_data(as_text=True)


def test_registering_an_address_already_registered_shows_the_same_page_as_a_newcomer(
    client, app_ctx
):
    event = make_event()
    first = form_data(access_needs="Step-free access")
    assert client.post(f"/events/{event.id}/register", data=first).status_code == 302
    newcomer_page = main_text(client.get(f"/events/{event.id}/registered"))

    stranger = client.application.test_client()
    again = stranger.post(
        f"/events/{event.id}/register",
        data=form_data(
            email=first["email"].upper(), name="Another Name", access_needs="Step-free access"
        ),
    )
    # Nothing says the address is registered: the same redirect and the same page.
    assert again.status_code == 302
    assert again.headers["Location"] == f"/events/{event.id}/registered"
    stranger_page = main_text(stranger.get(f"/events/{event.id}/registered"))
    assert stranger_page == newcomer_page
    assert "already registered" not in stranger_page
    assert len(registrations_for(event)) == 1
    assert registrations_for(event)[0].name == "Sam Parent"
    # The owner of the address is told by email.
    reminder = emails_to(first["email"])[-1]
    assert reminder.subject.startswith("You are already registered:")


def test_the_honeypot_stores_nothing_but_looks_the_same(client, app_ctx):
    event = make_event()
    data = form_data(website="https://spam.example")
    response = client.post(f"/events/{event.id}/register", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}/registered"
    assert registrations_for(event) == []
    assert emails_to(data["email"]) == []


def test_registering_is_rate_limited(client, app_ctx):
    event = make_event(capacity=50)
    for _ in range(10):
        assert client.post(f"/events/{event.id}/register", data=form_data()).status_code == 302
    refused = client.post(f"/events/{event.id}/register", data=form_data())
    assert refused.status_code == 429
    assert heading(refused) == "Too many attempts – please wait"
    assert len(registrations_for(event)) == 10
    assert client.get(f"/events/{event.id}").status_code == 200  # reading is not limited


# --- cancelling ---------------------------------------------------------------------------------


def test_cancelling_offers_the_place_to_the_first_person_waiting_and_emails_them(
    client, app_ctx, mail_dir
):
    event = make_event(
        capacity=1, venue="", address="", online_link="https://meet.example.org/room-7"
    )
    holder, first_waiting, second_waiting = (
        form_data(),
        form_data(name="First Waiting"),
        form_data(),
    )
    for data in (holder, first_waiting, second_waiting):
        assert client.post(f"/events/{event.id}/register", data=data).status_code == 302
    waiting_email = (
        eml_files_to(mail_dir, first_waiting["email"])[0].get_body(("plain",)).get_content()
    )
    assert "room-7" not in waiting_email  # no place yet, no link
    token = CANCEL_LINK.search(emails_to(holder["email"])[0].body_text).group(1)

    shown = client.get(f"/events/cancel/{token}")
    assert shown.status_code == 200
    assert heading(shown) == "Cancel your place"
    # SEND is spelled out: its first use on the page.
    assert (
        "Designing the special educational needs and disabilities (SEND) enquiries hub"
        in main_text(shown)
    )
    assert page(shown).find("button", string=re.compile("Cancel my place")) is not None

    done = client.post(f"/events/cancel/{token}")
    assert done.status_code == 200
    assert (
        page(done).select_one(".govuk-panel__title").get_text(strip=True)
        == "Your place has been cancelled"
    )
    assert [r.state for r in registrations_for(event)] == ["cancelled", "registered", "waiting"]
    assert registrations_for(event)[1].offered_at is not None

    offer = eml_files_to(mail_dir, first_waiting["email"])[-1]
    assert offer["Subject"] == "A place has come up for you: Designing the SEND enquiries hub"
    body = offer.get_body(("plain",)).get_content()
    assert "Join online: https://meet.example.org/room-7" in body
    assert "You did not tell us about any access needs" in body
    new_token = CANCEL_LINK.search(body).group(1)
    [calendar] = list(offer.iter_attachments())
    assert calendar.get_filename() == f"event-{event.id}.ics"
    assert "https://meet.example.org/room-7" in calendar.get_content().replace("\r\n ", "")
    assert (
        len(eml_files_to(mail_dir, second_waiting["email"])) == 1
    )  # still waiting, not emailed again

    # The used link no longer works; the promoted person's new link does, their old one does not.
    used = client.get(f"/events/cancel/{token}")
    assert used.status_code == 404
    assert heading(used) == "This cancel link does not work"
    old_token = CANCEL_LINK.search(emails_to(first_waiting["email"])[0].body_text).group(1)
    assert client.get(f"/events/cancel/{old_token}").status_code == 404
    assert client.get(f"/events/cancel/{new_token}").status_code == 200


def test_cancelling_needs_the_csrf_token(client, app, app_ctx):
    event = make_event()
    data = form_data()
    client.post(f"/events/{event.id}/register", data=data)
    token = CANCEL_LINK.search(emails_to(data["email"])[0].body_text).group(1)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        forged = client.post(f"/events/cancel/{token}")
        assert forged.status_code == 400
        assert registrations_for(event)[0].state == "registered"
        shown = client.get(f"/events/cancel/{token}")
        csrf_token = page(shown).find("input", attrs={"name": "csrf_token"})["value"]
        assert (
            client.post(f"/events/cancel/{token}", data={"csrf_token": csrf_token}).status_code
            == 200
        )
        assert registrations_for(event)[0].state == "cancelled"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 300])
def test_an_unknown_cancel_link_is_not_found_with_a_clear_message(client, token):
    for response in (client.get(f"/events/cancel/{token}"), client.post(f"/events/cancel/{token}")):
        assert response.status_code == 404
        assert heading(response) == "This cancel link does not work"


def test_a_cancel_link_for_a_cancelled_event_says_the_event_is_cancelled(client, app_ctx):
    event = make_event()
    data = form_data()
    client.post(f"/events/{event.id}/register", data=data)
    token = CANCEL_LINK.search(emails_to(data["email"])[0].body_text).group(1)
    event.cancelled_at = utcnow()
    db.session.commit()
    for response in (client.get(f"/events/cancel/{token}"), client.post(f"/events/cancel/{token}")):
        assert response.status_code == 200
        assert heading(response) == "This event has been cancelled"
        assert "Cancel my place" not in main_text(response)


# --- the confirmation says where to go and what the person told us ------------------------------


def test_the_confirmation_has_the_address_and_repeats_the_access_needs(client, app_ctx, mail_dir):
    event = make_event()
    data = form_data(access_needs="I use a wheelchair and need a quiet space.")
    client.post(f"/events/{event.id}/register", data=data)
    confirmation = client.get(f"/events/{event.id}/registered")
    soup = page(confirmation)
    text = main_text(soup)
    assert "Where" in [h.get_text(strip=True) for h in soup.select("main h2")]
    assert "Maidstone Community Hub 12 High Street Maidstone ME14 1AA" in text
    assert "Your access needs" in text
    assert "I use a wheelchair and need a quiet space." in text
    assert "The event organisers will read this before the event" in text
    assert confirmation.headers["Cache-Control"] == "no-store"

    [eml] = eml_files_to(mail_dir, data["email"])
    body = eml.get_body(("plain",)).get_content()
    assert "Maidstone Community Hub, 12 High Street, Maidstone, ME14 1AA" in body
    assert "You told us about these access needs:\nI use a wheelchair and need a quiet space." in (
        body
    )
    assert "The event organisers will read them before the event" in body


def test_with_no_access_needs_the_confirmation_says_how_to_ask(client, app_ctx, mail_dir):
    event = make_event()
    data = form_data()
    client.post(f"/events/{event.id}/register", data=data)
    text = main_text(client.get(f"/events/{event.id}/registered"))
    assert "You did not tell us about any access needs" in text
    body = eml_files_to(mail_dir, data["email"])[0].get_body(("plain",)).get_content()
    assert "You did not tell us about any access needs" in body


def test_an_online_event_confirmation_gives_the_joining_link_to_people_with_a_place(
    client, app_ctx
):
    event = make_event(venue="", address="", online_link="https://meet.example.org/hub-123")
    client.post(f"/events/{event.id}/register", data=form_data())
    soup = page(client.get(f"/events/{event.id}/registered"))
    assert "How to join" in [h.get_text(strip=True) for h in soup.select("main h2")]
    assert soup.select_one("main a[href='https://meet.example.org/hub-123']") is not None


def test_the_waiting_list_confirmation_does_not_give_the_joining_link(client, app_ctx):
    event = make_event(
        venue="", address="", online_link="https://meet.example.org/hub-123", capacity=1
    )
    client.post(f"/events/{event.id}/register", data=form_data())
    with client.session_transaction() as session:
        session.clear()
    client.post(f"/events/{event.id}/register", data=form_data())
    confirmation = client.get(f"/events/{event.id}/registered")
    assert "https://meet.example.org/hub-123" not in confirmation.get_data(as_text=True)
    assert "If a place comes up, we will email you the link to join online." in main_text(
        confirmation
    )
