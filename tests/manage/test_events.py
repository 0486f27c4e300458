"""Staff event pages: the list, creating and editing, cancelling, registrations (personal data),
attendance, the CSV export and notes that become contributions. Coordinators and admins only."""

import csv
import email
import io
import os
import secrets
from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import Area, AuditEntry, Contribution, Event, Registration
from app.models.base import utcnow

from ..helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    main_text,
    notification,
    page,
)


def make_event(**overrides) -> Event:
    start = utcnow().replace(microsecond=0, second=0) + timedelta(days=10)
    values = {
        "title": "Designing the SEND enquiries hub",
        "description": "Help us design it.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue": "Maidstone Hub",
        "address": "1 High Street\nMaidstone",
        "capacity": 3,
        "published": True,
    }
    values.update(overrides)
    event = Event(**values)
    db.session.add(event)
    db.session.commit()
    return event


def register(event: Event, name: str, state: str = "registered", **overrides) -> Registration:
    values = {
        "event": event,
        "name": name,
        "email": f"{name.lower().replace(' ', '.')}@example.org",
        "attendee_type": "parent_carer",
        "access_needs": "",
        "state": state,
        "cancel_token_hash": secrets.token_hex(32),
    }
    values.update(overrides)
    registration = Registration(**values)
    db.session.add(registration)
    db.session.commit()
    return registration


def audit_entries(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


GOOD_FORM = {
    "title": "Co-designing short breaks",
    "description": "A workshop.",
    "day-day": "15",
    "day-month": "7",
    "day-year": "2031",
    "start_time": "14:30",
    "end_time": "16:00",
    "venue": "Ashford Gateway",
    "address": "Church Road, Ashford",
    "online_link": "",
    "access": ["step_free", "quiet_room"],
    "access_notes": "Lift at the back.",
    "capacity": "25",
    "closes_day-day": "14",
    "closes_day-month": "7",
    "closes_day-year": "2031",
    "closes_time": "17:00",
    "published": "yes",
}


def form_with(**changes) -> dict:
    data = dict(GOOD_FORM)
    for key, value in changes.items():
        data[key.replace("__", "-")] = value
    return data


# Who may see what -----------------------------------------------------------------------------


def staff_urls(event_id: int) -> list[str]:
    return [
        "/manage/events",
        "/manage/events/new",
        f"/manage/events/{event_id}",
        f"/manage/events/{event_id}/edit",
        f"/manage/events/{event_id}/cancel",
        f"/manage/events/{event_id}/notes",
        f"/manage/events/{event_id}/registrations.csv",
    ]


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_see_every_page(client, signed_in, app_ctx, role):
    event = make_event()
    signed_in(role)
    for url in staff_urls(event.id):
        assert client.get(url).status_code == 200, url


def test_officers_are_refused_everywhere(client, signed_in, app_ctx):
    event = make_event()
    register(event, "Pat Parent")
    signed_in("officer")
    for url in staff_urls(event.id):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/manage/events/{event.id}/attendance",
        f"/manage/events/{event.id}/notes",
        f"/manage/events/{event.id}/cancel",
        "/manage/events/new",
    ):
        assert client.post(url, data={"text": "x", "reason": "x"}).status_code == 403, url
    assert not audit_entries("event.exported")


def test_anonymous_people_are_sent_to_sign_in(client, app_ctx):
    event = make_event()
    for url in staff_urls(event.id):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"], url


def test_unknown_event_is_not_found(client, signed_in, app_ctx):
    signed_in("coordinator")
    assert client.get("/manage/events/999999").status_code == 404
    assert client.get("/manage/events/999999/edit").status_code == 404


# The list ---------------------------------------------------------------------------------------


def table_rows(soup_section) -> dict[str, list[str]]:
    rows = {}
    for row in soup_section.select("tbody tr"):
        cells = [" ".join(c.get_text(" ").split()) for c in row.find_all(["th", "td"])]
        rows[cells[0]] = cells[1:]
    return rows


def test_list_shows_upcoming_and_past_with_counts(client, signed_in, app_ctx):
    soon = make_event(title="Soon event", capacity=2)
    register(soon, "Ann One")
    register(soon, "Ben Two")
    register(soon, "Cal Three", state="waiting")
    register(soon, "Dee Four", state="cancelled")
    past_start = utcnow() - timedelta(days=5)
    make_event(title="Old event", starts_at=past_start, ends_at=past_start + timedelta(hours=1))
    make_event(title="Draft event", published=False)
    make_event(title="Called off event", cancelled_at=utcnow())
    signed_in("coordinator")

    response = client.get("/manage/events")
    tables = page(response).select("main table")
    upcoming, past = table_rows(tables[0]), table_rows(tables[1])
    assert upcoming["Soon event"][1:4] == ["2 of 2", "1", "Published"]
    assert upcoming["Draft event"][3] == "Draft"
    assert upcoming["Called off event"][3] == "Cancelled"
    assert "Old event" in past and "Old event" not in upcoming
    add = [
        a["href"]
        for a in page(response).select("main a")
        if a.get_text(strip=True) == "Add an event"
    ]
    assert add == ["/manage/events/new"]


def test_list_query_count_does_not_grow_with_events(client, signed_in, app_ctx, count_queries):
    signed_in("coordinator")
    make_event(title="First")
    with count_queries() as few:
        client.get("/manage/events")
    for n in range(6):
        register(make_event(title=f"More {n}"), f"Person {n}")
    with count_queries() as many:
        client.get("/manage/events")
    assert many.count == few.count


# Creating and editing -------------------------------------------------------------------------


def test_create_an_event_stores_uk_times_as_utc_and_is_audited(client, signed_in, app_ctx):
    signed_in("coordinator")
    response = client.post("/manage/events/new", data=GOOD_FORM)
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event).where(Event.title == "Co-designing short breaks"))
    # July is British Summer Time: 14:30 in the UK is 13:30 UTC.
    assert event.starts_at == datetime(2031, 7, 15, 13, 30)
    assert event.ends_at == datetime(2031, 7, 15, 15, 0)
    assert event.registration_closes_at == datetime(2031, 7, 14, 16, 0)
    assert (event.step_free, event.quiet_room, event.hearing_loop, event.parking) == (
        True,
        True,
        False,
        False,
    )
    assert event.capacity == 25 and event.published and event.venue == "Ashford Gateway"
    assert audit_entries("event.created")[-1].record_id == str(event.id)

    shown = client.get(response.headers["Location"])
    assert "Event “Co-designing short breaks” added" in notification(shown)
    assert "2:30pm to 4pm" in main_text(shown)

    edit = client.get(f"/manage/events/{event.id}/edit")
    assert field_value(edit, "start_time") == "14:30" and field_value(edit, "end_time") == "16:00"
    assert field_value(edit, "day-day") == "15" and field_value(edit, "closes_time") == "17:00"


def test_winter_times_are_gmt(client, signed_in, app_ctx):
    signed_in("admin")
    client.post("/manage/events/new", data=form_with(day__month="1", closes_day__month="1"))
    event = db.session.scalar(db.select(Event).where(Event.title == "Co-designing short breaks"))
    assert event.starts_at == datetime(2031, 1, 15, 14, 30)


def test_an_online_event_needs_no_venue(client, signed_in, app_ctx):
    signed_in("coordinator")
    response = client.post(
        "/manage/events/new",
        data=form_with(
            venue="",
            address="",
            online_link="https://meet.example.org/abc",
            access=[],
            closes_day__day="",
            closes_day__month="",
            closes_day__year="",
            closes_time="",
            published="no",
        ),
    )
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event).where(Event.title == "Co-designing short breaks"))
    assert event.is_online and not event.published and event.registration_closes_at is None


BAD_INPUT = [
    ({"title": ""}, "title", "Enter a title"),
    ({"title": "x" * 10000}, "title", "Title must be 300 characters or fewer"),
    ({"start_time": ""}, "start_time", "Enter a start time, like 14:30"),
    (
        {"start_time": "25:00"},
        "start_time",
        "Enter a start time as hours and minutes on the 24-hour clock, like 14:30",
    ),
    (
        {"start_time": "noon"},
        "start_time",
        "Enter a start time as hours and minutes on the 24-hour clock, like 14:30",
    ),
    ({"end_time": "13:00"}, "end_time", "End time must be after the start time"),
    ({"end_time": "14:30"}, "end_time", "End time must be after the start time"),
    ({"capacity": "ten"}, "capacity", "Number of places must be a whole number, like 30"),
    ({"capacity": "0"}, "capacity", "Number of places must be between 1 and 10,000"),
    ({"capacity": "-1"}, "capacity", "Number of places must be between 1 and 10,000"),
    ({"capacity": "10001"}, "capacity", "Number of places must be between 1 and 10,000"),
    ({"capacity": ""}, "capacity", "Enter the number of places"),
    ({"closes_day__day": "16"}, "closes_time", "Registration must close before the event starts"),
    (
        {"closes_day__day": "15", "closes_time": "14:30"},
        "closes_time",
        "Registration must close before the event starts",
    ),
    ({"closes_time": ""}, "closes_time", "Enter the time registration closes, like 17:00"),
    ({"venue": "", "online_link": ""}, "venue", "Enter a venue or an online link"),
    (
        {"online_link": "http://meet.example.org/abc"},
        "online_link",
        "Enter an online link that starts with https://, like https://meet.example.org/send-forum",
    ),
    (
        {"online_link": "javascript:alert(1)"},
        "online_link",
        "Enter an online link that starts with https://, like https://meet.example.org/send-forum",
    ),
    ({"day__day": "", "day__month": "", "day__year": ""}, "day", "Enter the date of the event"),
    ({"day__day": "31", "day__month": "2"}, "day", "Date must be a real date"),
    ({"description": "d" * 5001}, "description", "Description must be 5,000 characters or fewer"),
    ({"access": ["teleporter"]}, "access", "Select access features from the list"),
]


@pytest.mark.parametrize("changes, field, message", BAD_INPUT)
def test_bad_input_is_explained_next_to_the_field_and_kept(
    client, signed_in, app_ctx, changes, field, message
):
    signed_in("coordinator")
    before = db.session.scalar(db.select(db.func.count()).select_from(Event))
    data = form_with(**changes)
    response = client.post("/manage/events/new", data=data)
    assert response.status_code == 200
    assert message in error_summary(response)
    assert field_error(response, field) == message
    assert page(response).title.get_text().startswith("Error:")
    assert field_value(response, "title") == data["title"]
    assert field_value(response, "start_time") == data["start_time"]
    assert field_value(response, "capacity") == data["capacity"]
    assert field_value(response, "day-day") == data["day-day"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == before


def test_errors_link_to_their_fields(client, signed_in, app_ctx):
    signed_in("coordinator")
    response = client.post(
        "/manage/events/new",
        data=form_with(title="", day__day="", day__month="", day__year="", start_time="noon"),
    )
    links = error_summary_links(response)
    assert links["Enter a title"] == "#title"
    assert links["Enter the date of the event"] == "#day-day"
    soup = page(response)
    assert soup.find(id="title") and soup.find(id="day-day") and soup.find(id="start_time")


def test_edit_saves_changes_and_audits_them(client, signed_in, app_ctx):
    event = make_event(capacity=5)
    signed_in("coordinator")
    response = client.post(
        f"/manage/events/{event.id}/edit", data=form_with(title="Renamed", capacity="8")
    )
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.title == "Renamed" and event.capacity == 8
    entry = audit_entries("event.updated")[-1]
    assert entry.detail["capacity"] == {"from": 5, "to": 8} and entry.record_id == str(event.id)


def test_capacity_below_the_number_registered_is_refused(client, signed_in, app_ctx):
    event = make_event(capacity=3)
    for name in ("Ann One", "Ben Two", "Cal Three"):
        register(event, name)
    register(event, "Dee Waiting", state="waiting")
    signed_in("coordinator")
    response = client.post(
        f"/manage/events/{event.id}/edit", data=form_with(title="Changed", capacity="2")
    )
    assert response.status_code == 200
    message = "3 people are already registered, so the number of places cannot be fewer than 3"
    assert field_error(response, "capacity") == message
    assert message in error_summary(response)
    assert field_value(response, "title") == "Changed"
    db.session.refresh(event)
    assert event.capacity == 3 and event.title == "Designing the SEND enquiries hub"
    assert not audit_entries("event.updated")
    assert (
        client.post(f"/manage/events/{event.id}/edit", data=form_with(capacity="3")).status_code
        == 302
    )


# Cancelling -----------------------------------------------------------------------------------


def clear_mail(mail_dir):
    os.makedirs(mail_dir, exist_ok=True)
    for name in os.listdir(mail_dir):
        os.remove(os.path.join(mail_dir, name))


def mail_to(mail_dir) -> dict[str, email.message.Message]:
    found = {}
    for name in sorted(os.listdir(mail_dir)):
        with open(os.path.join(mail_dir, name), "rb") as handle:
            message = email.message_from_binary_file(handle)
        found[message["To"]] = message
    return found


def body_of(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def test_cancel_asks_first_then_emails_everyone_registered_or_waiting(
    client, signed_in, app_ctx, mail_dir
):
    event = make_event()
    register(event, "Ann One")
    register(event, "Wes Waiting", state="waiting")
    register(event, "Carl Cancelled", state="cancelled")
    signed_in("coordinator")
    clear_mail(mail_dir)

    confirm = client.get(f"/manage/events/{event.id}/cancel")
    assert "Are you sure you want to cancel this event?" in main_text(confirm)
    assert "1 person with a place and 1 on the waiting list will be emailed" in main_text(confirm)

    refused = client.post(f"/manage/events/{event.id}/cancel", data={"reason": "  "})
    assert refused.status_code == 200
    assert field_error(refused, "reason") == "Enter why the event is cancelled"
    db.session.refresh(event)
    assert event.cancelled_at is None

    response = client.post(
        f"/manage/events/{event.id}/cancel", data={"reason": "The venue flooded."}
    )
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.cancelled_at is not None
    mails = mail_to(mail_dir)
    assert set(mails) == {"ann.one@example.org", "wes.waiting@example.org"}
    message = mails["wes.waiting@example.org"]
    assert message["Subject"] == "Cancelled: Designing the SEND enquiries hub"
    assert "The venue flooded." in body_of(message) and "Wes Waiting" in body_of(message)
    entry = audit_entries("event.cancelled")[-1]
    assert entry.detail == {"reason": "The venue flooded.", "emailed": 2}
    assert "Event cancelled. 2 people have been emailed." in notification(
        client.get(response.headers["Location"])
    )

    # A second cancellation sends nothing more.
    clear_mail(mail_dir)
    again = client.post(f"/manage/events/{event.id}/cancel", data={"reason": "Again"})
    assert again.status_code == 302 and os.listdir(mail_dir) == []
    assert len(audit_entries("event.cancelled")) == 1


# The event page, attendance, export ----------------------------------------------------------


def test_event_page_lists_registered_first_then_waiting_in_order(client, signed_in, app_ctx):
    event = make_event()
    now = utcnow()
    register(event, "Wyn Waiting Second", state="waiting", created_at=now - timedelta(hours=1))
    register(event, "Will Waiting First", state="waiting", created_at=now - timedelta(hours=2))
    register(
        event,
        "Rae Registered",
        access_needs="Wheelchair user",
        attendee_type="young_person",
        created_at=now,
    )
    signed_in("coordinator")
    response = client.get(f"/manage/events/{event.id}")
    rows = [
        [" ".join(c.get_text(" ").split()) for c in row.find_all("td")]
        for row in page(response).select("#registrations tbody tr")
    ]
    assert [row[0] for row in rows] == [
        "Rae Registered",
        "Will Waiting First",
        "Wyn Waiting Second",
    ]
    assert rows[0][1:5] == [
        "rae.registered@example.org",
        "Young person",
        "Wheelchair user",
        "Has a place",
    ]
    assert rows[1][4] == "Waiting list, number 1" and rows[2][4] == "Waiting list, number 2"
    assert "1 of 3 taken, 2 waiting" in main_text(response)


def test_registrations_are_not_shown_on_the_list_page(client, signed_in, app_ctx):
    event = make_event()
    register(event, "Private Person", access_needs="Private need")
    signed_in("coordinator")
    text = main_text(client.get("/manage/events"))
    assert "Private Person" not in text and "private.person@example.org" not in text


def test_attendance_is_saved_and_audited(client, signed_in, app_ctx):
    event = make_event()
    came, missed = register(event, "Ann Came"), register(event, "Ben Missed")
    waiting = register(event, "Wes Waiting", state="waiting")
    signed_in("coordinator")
    page_html = page(client.get(f"/manage/events/{event.id}"))
    labels = [
        " ".join(label.get_text().split()) for label in page_html.select("#attendance ~ div label")
    ]
    assert labels == ["Ann Came", "Ben Missed"]

    response = client.post(
        f"/manage/events/{event.id}/attendance", data={"attended": [str(came.id), str(waiting.id)]}
    )
    assert response.status_code == 200  # a waiting person cannot be marked
    assert "Select people from the list" in error_summary(response)

    response = client.post(
        f"/manage/events/{event.id}/attendance", data={"attended": [str(came.id)]}
    )
    assert response.status_code == 302
    for registration in (came, missed, waiting):
        db.session.refresh(registration)
    assert (came.attended, missed.attended, waiting.attended) == (True, False, None)
    assert audit_entries("event.attendance")[-1].detail == {"attended": 1, "registered": 2}
    shown = client.get(f"/manage/events/{event.id}")
    assert page(shown).find("input", attrs={"value": str(came.id)}).has_attr("checked")
    assert not page(shown).find("input", attrs={"value": str(missed.id)}).has_attr("checked")

    assert (
        client.post(f"/manage/events/{event.id}/attendance", data={"attended": ["abc"]}).status_code
        == 200
    )


def test_csv_export_is_complete_injection_safe_and_audited(client, signed_in, app_ctx):
    event = make_event()
    register(event, '=HYPERLINK("http://evil")', email="a@example.org", access_needs="+1 ramp")
    register(event, "Wes Waiting", state="waiting", access_needs="@home -quiet")
    signed_in("admin")
    response = client.get(f"/manage/events/{event.id}/registrations.csv")
    assert response.status_code == 200
    assert response.content_type.startswith("text/csv")
    assert f"event-{event.id}-registrations.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [
        "name",
        "email",
        "attendee_type",
        "access_needs",
        "state",
        "waiting_list_position",
        "registered_at",
        "attended",
    ]
    assert rows[1][:6] == [
        '\'=HYPERLINK("http://evil")',
        "a@example.org",
        "parent_carer",
        "'+1 ramp",
        "registered",
        "",
    ]
    assert (
        rows[2][0] == "Wes Waiting"
        and rows[2][3] == "'@home -quiet"
        and rows[2][4:6] == ["waiting", "1"]
    )
    entry = audit_entries("event.exported")[-1]
    assert entry.record_id == str(event.id) and entry.detail == {"rows": 2}


# Notes ----------------------------------------------------------------------------------------


def test_notes_become_event_contributions_and_appear_in_the_inbox(client, signed_in, app_ctx):
    event = make_event()
    areas = list(
        db.session.scalars(db.select(Area).where(Area.number.in_([2, 6])).order_by(Area.number))
    )
    signed_in("coordinator")
    response = client.post(
        f"/manage/events/{event.id}/notes",
        data={
            "text": "Parents said the EHCP letters arrive late.",
            "areas": [str(a.id) for a in areas],
        },
    )
    assert response.status_code == 302
    note = db.session.scalar(
        db.select(Contribution).where(
            Contribution.source_type == "event_note", Contribution.source_id == event.id
        )
    )
    assert note.text == "Parents said the EHCP letters arrive late."
    assert (note.state, note.channel) == ("new", "event")
    assert sorted(a.number for a in note.areas) == [2, 6]
    assert audit_entries("event.note_added")[-1].detail == {"contribution": note.reference}

    listed = client.get(f"/manage/events/{event.id}/notes")
    link = page(listed).find("a", string=note.reference)
    assert link["href"] == f"/manage/inbox/{note.id}"
    assert f"Note added to the inbox with reference {note.reference}" in notification(listed)
    assert note.reference in main_text(client.get(f"/manage/events/{event.id}"))
    assert "EHCP letters arrive late" in main_text(client.get(link["href"]))
    assert note.reference in main_text(client.get("/manage/inbox?channel=event"))


def test_bad_notes_are_refused_and_kept(client, signed_in, app_ctx):
    event = make_event()
    signed_in("coordinator")
    empty = client.post(f"/manage/events/{event.id}/notes", data={"text": "   "})
    assert empty.status_code == 200 and field_error(empty, "text") == "Enter what was said"
    long_text = "a" * 10001
    too_long = client.post(f"/manage/events/{event.id}/notes", data={"text": long_text})
    assert field_error(too_long, "text") == "The note must be 10,000 characters or fewer"
    assert field_value(too_long, "text") == long_text
    bad_area = client.post(
        f"/manage/events/{event.id}/notes", data={"text": "Fine", "areas": ["x"]}
    )
    assert field_error(bad_area, "areas") == "Select areas of weakness from the list"
    unknown_area = client.post(
        f"/manage/events/{event.id}/notes", data={"text": "Fine", "areas": ["999999"]}
    )
    assert field_error(unknown_area, "areas") == "Select areas of weakness from the list"
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(Contribution)
            .where(Contribution.source_type == "event_note")
        )
        == 0
    )


def test_forms_need_a_csrf_token(client, signed_in, app, app_ctx):
    event = make_event()
    signed_in("coordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert (
            client.post(f"/manage/events/{event.id}/notes", data={"text": "x"}).status_code == 400
        )
        assert (
            client.post(f"/manage/events/{event.id}/cancel", data={"reason": "x"}).status_code
            == 400
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.refresh(event)
    assert event.cancelled_at is None


def test_more_places_go_to_the_waiting_list_in_order(client, signed_in, app_ctx):
    event = make_event(capacity=1)
    register(event, "Ann One")
    first = register(event, "Wes First", state="waiting", created_at=utcnow() - timedelta(hours=2))
    second = register(
        event, "Wyn Second", state="waiting", created_at=utcnow() - timedelta(hours=1)
    )
    signed_in("coordinator")
    day = event.starts_at  # keep the same date and times (UTC in the test; the form takes UK time)
    from flask_babel import to_user_timezone

    local = to_user_timezone(day)
    data = form_with(
        capacity="2",
        day__day=str(local.day),
        day__month=str(local.month),
        day__year=str(local.year),
        start_time=local.strftime("%H:%M"),
        end_time=(local + timedelta(hours=2)).strftime("%H:%M") if local.hour < 22 else "23:59",
        closes_day__day="",
        closes_day__month="",
        closes_day__year="",
        closes_time="",
    )
    assert client.post(f"/manage/events/{event.id}/edit", data=data).status_code == 302
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.state, second.state) == ("registered", "waiting")
    assert audit_entries("event.updated")[-1].detail["places_offered"] == 1
