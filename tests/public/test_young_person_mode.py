"""The young person's version (?young_person=1) of "Tell us" and of events: the same switch as
surveys, their own wording, the faces scale for the rating, and the mode kept through errors
and confirmations; the standard version unchanged."""

import time

from sqlalchemy import select

from app.extensions import db
from app.forms import started_token
from app.models import Contribution
from tests.domain.test_event_registration import make_event, unique_email
from tests.helpers import error_summary, heading, main_text, page


def started(app) -> str:
    with app.test_request_context():
        return started_token(time.time() - 10)


def link(response, text: str):
    soup = page(response)
    return next((a for a in soup.find_all("a") if a.get_text(strip=True) == text), None)


# "Tell us" -----------------------------------------------------------------------------------


def test_tell_us_has_the_switch_both_ways(client, app_ctx):
    standard = client.get("/feedback")
    assert heading(standard) == "Tell us about your experience"
    switch = link(standard, "Use the young person's version")
    assert switch is not None and switch["href"] == "/feedback?young_person=1"
    young = client.get(switch["href"])
    assert heading(young) == "Tell us what it is like for you"
    back = link(young, "Use the standard version")
    assert back is not None and back["href"] == "/feedback"
    assert heading(client.get(back["href"])) == "Tell us about your experience"


def test_tell_us_asks_every_question_in_the_young_persons_words(client, app_ctx):
    response = client.get("/feedback?young_person=1")
    soup = page(response)
    assert soup.select_one(".app-young-person") is not None
    text = main_text(response)
    for words in (
        "Health services and waiting",
        "Getting one, what it says, and its reviews",
        "Pick the one that fits best.",
        "Tell us what happened and what difference it made to you.",
        "How was it for you? (optional)",
        "Really bad",
        "Really good",
        "I would rather not say",
        "Who is answering?",
        "How old are you?",
        "Your email address, if you want us to reply (optional)",
        "Can we use your words, without your name or anything about you?",
        "If you or someone else is in danger now, call 999.",
    ):
        assert words in text, words
    assert "If a child is in immediate danger" not in text
    assert "Asking for an assessment, the plan itself, annual reviews" not in text
    # The faces scale: five faces, each beside its words, and the radios are real radios.
    rating = soup.select_one(".app-face-scale")
    assert rating is not None
    assert len(rating.select("svg.app-face")) == 5
    assert len(rating.select("input[type=radio][name=rating]")) == 6


def test_the_standard_version_has_no_faces_and_the_parents_words(client, app_ctx):
    response = client.get("/feedback")
    soup = page(response)
    assert soup.select_one(".app-young-person") is None
    assert soup.select("svg.app-face") == []
    text = main_text(response)
    assert "Asking for an assessment, the plan itself, annual reviews" in text
    assert "How would you rate your experience?" in text


def test_errors_keep_the_young_persons_version_and_the_same_messages(client, app_ctx):
    response = client.post(
        "/feedback?young_person=1",
        data={"topic": "", "text": "", "started": started(client.application)},
    )
    assert response.status_code == 200
    assert error_summary(response) == ["Select what your feedback is about", "Enter what happened"]
    assert heading(response) == "Tell us what it is like for you"
    assert page(response).select_one(".app-face-scale") is not None


def test_the_confirmation_keeps_the_young_persons_version(client, app_ctx):
    response = client.post(
        "/feedback?young_person=1",
        data={
            "topic": "school",
            "text": "My college does not give me the help in my plan.",
            "rating": "1",
            "relationship_to_child": "young_person",
            "started": started(client.application),
        },
    )
    assert response.status_code == 302
    assert response.location == "/feedback/confirmation?young_person=1"
    stored = db.session.scalar(select(Contribution).order_by(Contribution.id.desc()).limit(1))
    assert (stored.rating, stored.about_you.relationship_to_child) == (1, "young_person")
    done = client.get(response.location)
    soup = page(done)
    assert soup.select_one(".govuk-panel__title").get_text(strip=True) == "Thank you – we got it"
    assert stored.reference in main_text(done)
    again = link(done, "Tell us about something else")
    assert again["href"] == "/feedback?young_person=1"


def test_the_standard_confirmation_is_unchanged(client, app_ctx):
    response = client.post(
        "/feedback",
        data={"topic": "school", "text": "No place yet.", "started": started(client.application)},
    )
    assert response.location == "/feedback/confirmation"
    done = client.get(response.location)
    assert page(done).select_one(".govuk-panel__title").get_text(strip=True) == "Feedback sent"
    assert link(done, "Tell us about something else")["href"] == "/feedback"


# Events --------------------------------------------------------------------------------------


def test_the_events_list_has_the_switch_and_keeps_the_mode_in_its_links(client, app_ctx):
    event = make_event()
    standard = client.get("/events")
    assert heading(standard) == "Co-production events"
    switch = link(standard, "Use the young person's version")
    assert switch["href"] == "/events?young_person=1"
    young = client.get(switch["href"])
    assert heading(young) == "Events you can come to"
    assert page(young).select_one(".app-young-person") is not None
    assert link(young, event.title)["href"] == f"/events/{event.id}?young_person=1"
    assert link(young, "Use the standard version")["href"] == "/events"
    assert link(standard, event.title)["href"] == f"/events/{event.id}"


def test_an_event_page_in_the_young_persons_words_with_the_switch_both_ways(client, app_ctx):
    event = make_event()
    standard = client.get(f"/events/{event.id}")
    assert "Register for this event" in main_text(standard)
    switch = link(standard, "Use the young person's version")
    assert switch["href"] == f"/events/{event.id}?young_person=1"
    young = client.get(switch["href"])
    text = main_text(young)
    for words in (
        "Help to take part",
        "Sign up for this event",
        "Who are you?",
        "Anything you need so you can take part (optional)",
        "For example breaks, a quiet space, or someone coming with you.",
        "Sign me up",
    ):
        assert words in text, words
    assert "Register for this event" not in text
    form = page(young).find("main").find("form", action=True)
    assert form["action"] == f"/events/{event.id}/register?young_person=1"
    assert link(young, "Use the standard version")["href"] == f"/events/{event.id}"
    assert link(young, "All events")["href"] == "/events?young_person=1"


def test_signing_up_keeps_the_young_persons_version_through_errors_and_confirmation(
    client, app_ctx
):
    event = make_event()
    url = f"/events/{event.id}/register?young_person=1"
    refused = client.post(url, data={"name": "", "email": "", "attendee_type": ""})
    assert refused.status_code == 200
    assert error_summary(refused)[0] == "Enter your name"
    assert "Sign me up" in main_text(refused)
    response = client.post(
        url,
        data={
            "name": "Ali",
            "email": unique_email("ali"),
            "attendee_type": "young_person",
            "access_needs": "",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert response.location == f"/events/{event.id}/registered?young_person=1"
    done = client.get(response.location)
    assert page(done).select_one(".govuk-panel__title").get_text(strip=True) == "You have a place"
    assert page(done).select_one(".app-young-person") is not None
    assert link(done, "Back to the event")["href"] == f"/events/{event.id}?young_person=1"
