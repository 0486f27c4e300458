"""Families' data requests: an administrator finds everything held against an email address
(feedback contact details, hear-back requests, individual cases, subscriptions, event
registrations, emails), downloads a copy for the person and erases it."""

import json

from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import (
    Area,
    AuditEntry,
    Contact,
    Contribution,
    OutboxMessage,
    Registration,
    Subscription,
    Theme,
)
from tests.domain.test_event_registration import make_event, unique_email

from ..helpers import error_summary, field_error, main_text, notification, page

ASKED = "Parent.Asking@Example.org"


def held_against(address: str) -> dict:
    """One of each kind of record held against `address`; returns their ids."""
    lowered = address.lower()
    heard = record_contribution(
        "feedback",
        "The EHCP review was three months late.",
        contact_email=lowered,
        contact_name="Pat Asking",
        wants_updates=True,
        topic="EHC plans",
    )
    case = record_contribution(
        "feedback", "My son has had no school place since March.", contact_email=lowered
    )
    case.state = "individual_case"
    theme = Theme(name=f"Delays {address}")
    db.session.add(theme)
    heard.themes = [theme]
    area = db.session.scalar(db.select(Area).order_by(Area.number)) or Area(
        number=99, title="Timeliness", finding="Late plans"
    )
    db.session.add(area)
    db.session.flush()
    subscription = Subscription(
        email=lowered, target_type="area", target_id=area.id, unsubscribe_token=f"u-{lowered}"
    )
    event = make_event(title="Designing the SEND enquiries hub")
    registration = Registration(
        event=event,
        name="Pat Asking",
        email=lowered,
        attendee_type="parent_carer",
        access_needs="British Sign Language interpreter",
        state="registered",
        cancel_token_hash=f"c-{lowered}",
    )
    message = OutboxMessage(
        kind="event_registration",
        to_address=lowered,
        subject="You are registered: Designing the SEND enquiries hub",
        body_text="Cancel: http://localhost/events/cancel/live",
    )
    db.session.add_all([subscription, registration, message])
    db.session.commit()
    return {
        "heard": heard.id,
        "case": case.id,
        "contacts": [heard.contact_id, case.contact_id],
        "subscription": subscription.id,
        "registration": registration.id,
        "message": message.id,
        "event": event.id,
    }


def find(client, address: str):
    return client.post("/manage/data-requests", data={"email": address})


def test_an_administrator_finds_every_kind_of_record_held_against_an_address(
    client, signed_in, app_ctx
):
    admin = signed_in("admin")
    held_against(ASKED)
    other = unique_email("other")
    held_against(other)

    response = find(client, "  parent.asking@EXAMPLE.org ")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = main_text(response)
    for expected in (
        "The EHCP review was three months late.",
        "My son has had no school place since March.",
        "Individual case",
        "Pat Asking",
        "British Sign Language interpreter",
        "Designing the SEND enquiries hub",
        "You are registered: Designing the SEND enquiries hub",
    ):
        assert expected in text, expected
    counts = {
        row.dt.get_text(strip=True): row.dd.get_text(strip=True)
        for row in page(response).select("main dl:first-of-type .govuk-summary-list__row")
    }
    assert counts == {
        "Feedback": "2",
        "Contact details": "2",
        "Requests to hear back": "1",
        "Individual cases": "1",
        "Replies to individual cases": "0",
        "Subscriptions to updates": "1",
        "Event registrations": "1",
        "Emails": "1",
    }
    assert other not in text
    # The look-up is audited, without the address.
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "data_request.searched")
    )
    assert entry.actor_id == admin.id and entry.detail["contributions"] == 2
    assert "asking" not in f"{entry.summary} {entry.detail}".lower()


def test_an_address_with_nothing_held_says_so_and_offers_no_erasing(client, signed_in, app_ctx):
    signed_in("admin")
    response = find(client, "nobody-here@example.org")
    assert "We hold nothing against this email address." in main_text(response)
    assert page(response).select_one("form[action='/manage/data-requests/erase']") is None


def test_a_missing_or_wrong_address_is_refused_next_to_the_field(client, signed_in, app_ctx):
    signed_in("admin")
    response = find(client, "")
    assert response.status_code == 400
    assert field_error(response, "email") == "Enter the email address"
    response = find(client, "not-an-address")
    assert response.status_code == 400
    assert field_error(response, "email") == (
        "Enter an email address in the correct format, like name@example.com"
    )


def test_the_copy_for_the_person_as_json_holds_every_kind_of_record(client, signed_in, app_ctx):
    signed_in("admin")
    held_against(ASKED)
    response = client.post("/manage/data-requests/download/json", data={"email": ASKED})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="your-data-')
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["email_address"] == ASKED.lower()
    said = {item["what_you_said"]: item for item in data["feedback"]}
    assert said["The EHCP review was three months late."]["asked_to_hear_back"] is True
    assert said["The EHCP review was three months late."]["name_given"] == "Pat Asking"
    assert said["My son has had no school place since March."]["individual_case"] is True
    assert len(data["subscriptions"]) == 1 and data["subscriptions"][0]["updates_on"]
    assert data["event_registrations"][0]["access_needs"] == "British Sign Language interpreter"
    assert data["emails"][0]["subject"].startswith("You are registered")
    assert (
        db.session.scalar(
            db.select(AuditEntry).where(AuditEntry.action == "data_request.exported")
        ).detail["format"]
        == "json"
    )


def test_the_copy_for_the_person_as_a_readable_page(client, signed_in, app_ctx):
    signed_in("admin")
    held_against(ASKED)
    response = client.post("/manage/data-requests/download/html", data={"email": ASKED})
    assert response.status_code == 200
    assert response.content_type.startswith("text/html")
    assert response.headers["Content-Disposition"].endswith('.html"')
    soup = page(response)
    assert soup.h1.get_text(strip=True).startswith("What ")
    text = " ".join(soup.get_text(" ").split())
    assert "The EHCP review was three months late." in text
    assert "British Sign Language interpreter" in text
    assert soup.html["lang"] == "en"


def test_erasing_and_keeping_what_they_said_anonymously(client, signed_in, app_ctx):
    admin = signed_in("admin")
    ids = held_against(ASKED)
    other = unique_email("other")
    others = held_against(other)

    response = client.post(
        "/manage/data-requests/erase",
        data={"email": ASKED, "what_they_said": "keep", "reason": "Email request of 1 Dec 2026"},
    )

    assert response.status_code == 302
    after = client.get("/manage/data-requests")
    assert "What they said is kept without anything that identifies them." in notification(after)
    db.session.expire_all()
    for contact_id in ids["contacts"]:
        assert db.session.get(Contact, contact_id) is None
    heard = db.session.get(Contribution, ids["heard"])
    assert heard.text == "The EHCP review was three months late." and heard.contact_id is None
    assert [t.name for t in heard.themes] == [f"Delays {ASKED}"]
    assert db.session.get(Subscription, ids["subscription"]) is None
    assert db.session.get(Registration, ids["registration"]) is None
    assert db.session.get(OutboxMessage, ids["message"]) is None
    # Nobody else's data is touched.
    assert db.session.get(Contribution, others["heard"]).contact.email == other
    assert db.session.get(Registration, others["registration"]) is not None
    assert db.session.get(OutboxMessage, others["message"]) is not None
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "data_request.erased")
    )
    assert entry.actor_id == admin.id
    assert entry.detail["reason"] == "Email request of 1 Dec 2026"
    assert entry.detail["what_they_said"] == "keep"
    assert entry.detail["registrations"] == 1 and entry.detail["emails"] == 1
    assert "asking" not in f"{entry.summary} {entry.detail}".lower()
    # Looking again finds nothing.
    assert "We hold nothing against this email address." in main_text(find(client, ASKED))


def test_erasing_and_removing_what_they_said(client, signed_in, app_ctx):
    signed_in("admin")
    ids = held_against(ASKED)
    response = client.post(
        "/manage/data-requests/erase",
        data={"email": ASKED, "what_they_said": "remove", "reason": "Asked to remove everything"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, ids["heard"]) is None
    assert db.session.get(Contribution, ids["case"]) is None
    assert db.session.get(Registration, ids["registration"]) is None
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "data_request.erased")
    )
    assert entry.detail["what_they_said"] == "remove" and entry.detail["contributions"] == 2


def test_erasing_needs_a_choice_and_a_reason_and_keeps_what_was_typed(client, signed_in, app_ctx):
    signed_in("admin")
    ids = held_against(ASKED)
    response = client.post(
        "/manage/data-requests/erase", data={"email": ASKED, "reason": "Asked by phone"}
    )
    assert response.status_code == 400
    assert field_error(response, "what_they_said") == (
        "Select whether to keep what they said anonymously or remove it"
    )
    assert page(response).select_one("textarea#reason").get_text().strip() == "Asked by phone"
    response = client.post(
        "/manage/data-requests/erase", data={"email": ASKED, "what_they_said": "keep"}
    )
    assert error_summary(response) == [
        "Enter the reason, for example the person’s request and its date"
    ]
    db.session.expire_all()
    assert db.session.get(Registration, ids["registration"]) is not None


def test_only_administrators_handle_data_requests(client, signed_in, app_ctx):
    signed_in("officer")
    assert client.get("/manage/data-requests").status_code == 403
    assert find(client, ASKED).status_code == 403


def test_only_json_and_a_readable_page_are_offered(client, signed_in, app_ctx):
    signed_in("admin")
    assert (
        client.post("/manage/data-requests/download/csv", data={"email": ASKED}).status_code == 404
    )
