"""Staff typing in "Tell us" feedback that came by phone, email, letter, in person or at an event
(/manage/feedback/new): the public form's questions and messages, plus the channel, the day it
reached us and the person's agreement; the reference to read back; audited; once per form."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.shared.dates import add_working_days, local_today
from app.domain.thread.safeguarding import seed_default_phrases
from app.extensions import db
from app.forms import started_token
from app.models import AuditEntry, Contribution, FeedbackEntry
from app.models.base import utcnow
from tests.domain.test_event_registration import make_event
from tests.helpers import error_summary, field_error, field_value, heading, main_text, page

URL = "/manage/feedback/new"
DONE = "/manage/feedback/entered"


def token_from(response) -> str:
    return page(response).find("input", attrs={"name": "token"})["value"]


def date_parts(day) -> dict:
    return {
        "received_on-day": str(day.day),
        "received_on-month": str(day.month),
        "received_on-year": str(day.year),
    }


def entry_data(token: str, received=None, **changes) -> dict:
    data = {
        "channel": "phone",
        **date_parts(received or local_today()),
        "language": "en",
        "topic": "ehc_plan",
        "text": "Mum rang: the annual review of her son's plan is a year late.",
        "wants_contact": "no",
        "agreed_to_record": "y",
        "token": token,
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def entered() -> list[Contribution]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Contribution)
            .join(FeedbackEntry, FeedbackEntry.contribution_id == Contribution.id)
            .order_by(Contribution.id)
        )
    )


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Contribution))


@pytest.fixture
def officer(client, app_ctx, signed_in):
    return signed_in("officer")


def past_event():
    starts = utcnow() - timedelta(days=2)
    return make_event(
        title="Short breaks workshop", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )


def post_entry(client, **changes):
    token = token_from(client.get(URL))
    return client.post(URL, data=entry_data(token, **changes))


# The page ------------------------------------------------------------------------------------


def test_the_page_asks_the_public_questions_and_how_and_when_it_reached_us(client, officer):
    response = client.get(URL)
    assert response.status_code == 200
    assert heading(response) == "Enter feedback from a call, email, letter or visit"
    text = main_text(response)
    for words in (
        "How did the feedback reach you?",
        "By phone",
        "By email",
        "By letter",
        "In person",
        "At an event",
        "Date received",
        "What is it about?",
        "Getting an EHC plan",
        "What happened?",
        "How did they rate their experience? (optional)",
        "Did they agree to be quoted, without their name or details?",
        "Did they agree to be contacted about their feedback?",
        "They agreed to their feedback being recorded here",
    ):
        assert words in text, words
    today = local_today()
    assert field_value(response, "received_on-day") == str(today.day)
    assert field_value(response, "received_on-year") == str(today.year)
    assert len(token_from(response)) >= 16
    # Nothing is chosen for them.
    soup = page(response)
    assert soup.select("input[name=channel][checked]") == []
    assert soup.select("input[name=agreed_to_record][checked]") == []


@pytest.mark.parametrize("role", ["coordinator", "officer", "admin"])
def test_coordinators_officers_and_admins_may_enter_feedback(client, app_ctx, signed_in, role):
    signed_in(role)
    assert client.get(URL).status_code == 200
    assert "Enter feedback from a call, email or letter" in main_text(client.get("/manage/inbox"))


def test_people_who_are_not_signed_in_are_sent_to_sign_in(client, app_ctx):
    response = client.get(URL)
    assert response.status_code == 302 and "/auth/sign-in" in response.location
    before = count()
    assert client.post(URL, data=entry_data("x" * 24)).status_code == 302
    assert count() == before


def test_the_csrf_token_is_required(client, app, officer):
    token = token_from(client.get(URL))
    before = count()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(URL, data=entry_data(token))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert count() == before


# What is stored ------------------------------------------------------------------------------


def test_a_phone_call_is_stored_with_its_channel_day_agreement_and_who_entered_it(client, officer):
    received = local_today() - timedelta(days=3)
    response = post_entry(client, received=received, rating="2", district="Thanet")
    assert response.status_code == 302 and response.location == DONE
    [stored] = entered()
    assert (stored.channel, stored.source_type, stored.topic, stored.rating) == (
        "phone",
        "feedback",
        "ehc_plan",
        2,
    )
    assert stored.text == "Mum rang: the annual review of her son's plan is a year late."
    assert stored.entry.received_on == received
    assert stored.entry.agreed_to_record is True
    assert stored.entry.entered_by_id == officer.id
    assert stored.entry.event_id is None
    assert stored.about_you.district == "Thanet"
    assert stored.contact is None and stored.consent_to_quote is False
    assert [area.number for area in stored.areas]  # the topic's starting areas, as online
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "feedback.entered"))
    assert audit.actor_id == officer.id and audit.record_id == str(stored.id)
    assert audit.detail["channel"] == "phone"
    assert audit.detail["received_on"] == received.isoformat()
    assert stored.reference in audit.summary


def test_the_confirmation_shows_the_reference_to_read_back_and_to_write_back(client, officer):
    received = local_today() - timedelta(days=1)
    done = client.get(post_entry(client, received=received).location)
    [stored] = entered()
    soup = page(done)
    assert soup.select_one(".govuk-panel__body strong").get_text(strip=True) == stored.reference
    spoken = ", ".join(" ".join(part) for part in stored.reference.split("-"))
    text = main_text(done)
    assert spoken in text
    reply_by = add_working_days(received, client.application.config["REPLY_WORKING_DAYS"])
    wording = " ".join(soup.find(id="reply-wording").get_text(" ").split())
    assert f"Your reference is {stored.reference}." in wording
    assert "http://localhost/track" in wording
    assert reply_by.strftime("%-d %B %Y") in wording
    assert received.strftime("%-d %B %Y") in wording
    another = next(a for a in soup.find_all("a") if a.get_text(strip=True) == "Enter another")
    assert another["href"] == URL


def test_the_confirmation_without_an_entry_goes_back_to_the_form(client, officer):
    response = client.get(DONE)
    assert response.status_code == 302 and response.location == URL


@pytest.mark.parametrize("channel", ["phone", "email", "letter", "in_person", "event"])
def test_every_channel_is_stored_and_found_by_the_inbox_channel_filter(client, officer, channel):
    assert post_entry(client, channel=channel).status_code == 302
    [stored] = entered()
    assert stored.channel == channel
    listing = client.get(f"/manage/inbox?channel={channel}&state=")
    assert stored.reference in main_text(listing)


def test_contact_details_and_agreement_to_be_quoted_are_kept_as_online(client, officer):
    response = post_entry(
        client,
        wants_contact="yes",
        email="Parent@Example.org",
        contact_name="Sam Parent",
        consent_to_quote="yes",
    )
    assert response.status_code == 302
    [stored] = entered()
    assert stored.contact.email == "parent@example.org"
    assert stored.contact.name == "Sam Parent"
    assert stored.contact.wants_updates is True
    assert stored.contact.delete_after is not None
    assert stored.consent_to_quote is True
    assert "we will email you by" in main_text(client.get(DONE)).lower()


def test_an_email_typed_without_agreement_to_be_contacted_is_not_kept(client, officer):
    post_entry(client, wants_contact="no", email="parent@example.org", contact_name="Sam")
    [stored] = entered()
    assert stored.contact is None


def test_feedback_given_at_an_event_names_the_event(client, officer):
    event = past_event()
    page_html = client.get(URL)
    assert event.title in main_text(page_html)
    post_entry(client, channel="event", event=str(event.id))
    [stored] = entered()
    assert stored.entry.event_id == event.id
    detail = client.get(f"/manage/inbox/{stored.id}")
    assert event.title in main_text(detail)


def test_an_event_is_only_kept_for_feedback_given_at_an_event(client, officer):
    event = past_event()
    post_entry(client, channel="phone", event=str(event.id))
    [stored] = entered()
    assert stored.entry.event_id is None


def test_posting_the_same_form_twice_stores_it_once(client, officer):
    token = token_from(client.get(URL))
    first = client.post(URL, data=entry_data(token))
    second = client.post(URL, data=entry_data(token))
    assert first.status_code == second.status_code == 302
    assert len(entered()) == 1
    post_entry(client)  # a new form is new feedback
    assert len(entered()) == 2


# Refused -------------------------------------------------------------------------------------


def test_what_staff_add_is_checked_and_what_was_typed_is_kept(client, officer):
    before = count()
    response = post_entry(client, channel=None, agreed_to_record=None, **{"received_on-day": ""})
    assert response.status_code == 200
    assert count() == before
    assert error_summary(response) == [
        "Select how the feedback reached you",
        "Date received must include a day",
        "Confirm that they agreed to their feedback being recorded",
    ]
    assert field_error(response, "channel") == "Select how the feedback reached you"
    assert field_error(response, "agreed_to_record") == (
        "Confirm that they agreed to their feedback being recorded"
    )
    assert field_value(response, "text") == (
        "Mum rang: the annual review of her son's plan is a year late."
    )
    assert field_value(response, "received_on-month") == str(local_today().month)


def test_the_day_received_is_not_in_the_future_nor_more_than_a_year_ago(client, officer):
    tomorrow = local_today() + timedelta(days=1)
    response = post_entry(client, received=tomorrow)
    assert error_summary(response) == ["Date received must be today or in the past"]
    old = local_today() - timedelta(days=400)
    response = post_entry(client, received=old)
    [message] = error_summary(response)
    assert message.startswith("Date received must be the same as or after ")
    response = post_entry(client, **{"received_on-month": "13"})
    assert error_summary(response) == ["Date received must be a real date"]
    response = post_entry(
        client, **{"received_on-day": "", "received_on-month": "", "received_on-year": ""}
    )
    assert error_summary(response) == ["Enter the date it was received"]
    assert entered() == []


def test_agreeing_to_be_contacted_needs_an_email_address(client, officer):
    response = post_entry(client, wants_contact="yes", email="")
    assert field_error(response, "email") == (
        "Enter their email address, or select no if they did not agree to be contacted"
    )
    response = post_entry(client, wants_contact=None)
    assert field_error(response, "wants_contact") == (
        "Select yes if they agreed to be contacted, or no if they did not"
    )
    assert entered() == []


def test_a_forged_channel_or_event_is_refused_not_a_500(client, officer):
    response = post_entry(client, channel="online")
    assert response.status_code == 200
    assert field_error(response, "channel") == "Select how the feedback reached you"
    response = post_entry(client, channel="event", event="999999")
    assert response.status_code == 200
    assert field_error(response, "event") == "Select the event from the list"
    assert entered() == []


def public_errors(client, data: dict) -> dict:
    with client.application.test_request_context():
        started = started_token(time.time() - 10)
    response = client.post("/feedback", data={**data, "started": started})
    return {name: field_error(response, name) for name in ("topic", "text", "rating", "email")}


def test_the_questions_are_refused_with_the_public_forms_messages(client, officer):
    bad = {
        "topic": "nonsense",
        "text": "x" * 5001,
        "rating": "9",
        "email": "not-an-email",
    }
    public = public_errors(client, bad)
    assert all(public.values()), public
    response = post_entry(client, wants_contact="yes", **bad)
    staff = {name: field_error(response, name) for name in public}
    assert staff == public
    empty = public_errors(client, {"topic": "", "text": "  "})
    response = post_entry(client, topic="", text="  ")
    assert field_error(response, "topic") == empty["topic"] == "Select what your feedback is about"
    assert field_error(response, "text") == empty["text"] == "Enter what happened"
    assert entered() == []


# Safeguarding, the inbox and tracking --------------------------------------------------------


def test_safeguarding_phrases_flag_it_urgent_as_online_and_staff_are_told(client, officer):
    seed_default_phrases()
    db.session.commit()
    response = post_entry(client, text="She told me he said he wants to die.")
    [stored] = entered()
    assert stored.safeguarding is True
    done = client.get(response.location)
    assert "marked urgent in the inbox" in main_text(done)
    assert page(done).find(id="contact-now") is not None
    post_entry(client, text="The review was late again.")
    assert entered()[-1].safeguarding is False


def test_the_inbox_shows_the_day_it_reached_us_and_the_track_page_counts_from_it(client, officer):
    received = local_today() - timedelta(days=20)
    post_entry(client, received=received)
    [stored] = entered()
    listing = page(client.get("/manage/inbox?state="))
    row = next(tr for tr in listing.select("tr") if stored.reference in tr.get_text())
    cells = " ".join(row.get_text(" ").split())
    assert received.strftime("%-d %b %Y") in cells
    assert "Entered " + local_today().strftime("%-d %b %Y") in cells
    detail = main_text(client.get(f"/manage/inbox/{stored.id}"))
    assert officer.name in detail and "Agreed to it being recorded Yes" in detail
    track = main_text(client.get(f"/track?reference={stored.reference}"))
    assert f"We received it on {received.strftime('%-d %B %Y')}" in track


def test_erasing_the_persons_data_removes_the_entry_with_what_they_said(client, officer):
    from app.domain.people import data_rights

    from ..conftest import user_for

    post_entry(client, wants_contact="yes", email="erase.me@example.org", contact_name="Sam")
    [stored] = entered()
    stored_id = stored.id
    data_rights.erase(
        "erase.me@example.org",
        what_they_said=data_rights.REMOVE,
        reason="Their request by phone on 1 December",
        actor=user_for("admin"),
    )
    db.session.expire_all()
    assert db.session.get(Contribution, stored_id) is None
    assert entered() == []


def test_erasing_but_keeping_what_they_said_keeps_the_entry_without_contact(client, officer):
    from app.domain.people import data_rights

    from ..conftest import user_for

    post_entry(client, wants_contact="yes", email="keep.words@example.org")
    data_rights.erase(
        "keep.words@example.org",
        what_they_said=data_rights.KEEP_ANONYMOUSLY,
        reason="Their request by letter",
        actor=user_for("admin"),
    )
    [stored] = entered()
    assert stored.contact is None and stored.entry.agreed_to_record is True
