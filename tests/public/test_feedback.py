""" "Tell us" (/feedback): the form, every bad input, robots, the rate limit, what is stored,
and the confirmation page (with who to contact now when a child may be at risk)."""

import re
import time

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.domain.thread.safeguarding import seed_default_phrases
from app.extensions import db
from app.forms import started_token
from app.models import AboutYou, Area, Contact, Contribution
from tests.helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    heading,
    main_text,
    page,
)

LONG_MESSAGE = "What happened must be 5,000 characters or fewer. You have entered 6,212 characters."


def started(app, seconds_ago: float = 10) -> str:
    """The signed "form shown at" value a person's browser would send back."""
    with app.test_request_context():
        return started_token(time.time() - seconds_ago)


def form_data(app, **overrides) -> dict:
    data = {
        "topic": "area-6",
        "text": "The annual review of my son's plan has been late for a year.",
        "rating": "none",
        "consent_to_quote": "no",
        "started": started(app),
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def contribution_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Contribution))


def latest() -> Contribution | None:
    return db.session.scalar(select(Contribution).order_by(Contribution.id.desc()).limit(1))


@pytest.fixture
def phrases(app_ctx):
    seed_default_phrases()
    db.session.commit()


# The form itself ------------------------------------------------------------------------------


def test_form_offers_every_area_and_something_else(client, app_ctx):
    response = client.get("/feedback")
    assert response.status_code == 200
    assert heading(response) == "Tell us about your experience"
    soup = page(response)
    topics = {
        radio["value"]: soup.find("label", attrs={"for": radio["id"]}).get_text(strip=True)
        for radio in soup.select('input[name="topic"]')
    }
    areas = db.session.scalars(select(Area).order_by(Area.number)).all()
    assert len(areas) == 9
    for area in areas:
        assert topics[f"area-{area.number}"] == area.title
    assert topics["other"] == "Something else"
    assert len(topics) == len(areas) + 1


def test_a_new_area_is_offered_and_can_be_chosen(client, app_ctx):
    db.session.add(
        Area(number=10, title="Short breaks for families", finding="Too few short breaks.")
    )
    db.session.commit()
    response = client.get("/feedback")
    assert page(response).find("input", attrs={"name": "topic", "value": "area-10"}) is not None
    response = client.post("/feedback", data=form_data(client.application, topic="area-10"))
    assert response.status_code == 302
    stored = latest()
    assert stored.topic == "area-10"
    assert [a.number for a in stored.areas] == [10]


def test_form_has_exit_this_page_and_defaults(client):
    soup = page(client.get("/feedback"))
    exit_link = soup.select_one(".govuk-exit-this-page a")
    assert exit_link["href"] == "https://www.bbc.co.uk/weather"
    assert " ".join(exit_link.get_text().split()) == "Emergency Exit this page"
    assert exit_link.select_one(".govuk-visually-hidden").get_text() == "Emergency"
    assert soup.find("input", attrs={"name": "rating", "value": "none"}).has_attr("checked")
    assert soup.find("input", attrs={"name": "consent_to_quote", "value": "no"}).has_attr("checked")
    assert not soup.find("input", attrs={"name": "consent_to_quote", "value": "yes"}).has_attr(
        "checked"
    )
    labels = [
        soup.find("label", attrs={"for": r["id"]}).get_text(strip=True)
        for r in soup.select('input[name="rating"]')
    ]
    assert labels == [
        "Very poor",
        "Poor",
        "Neither good nor poor",
        "Good",
        "Very good",
        "Prefer not to say",
    ]
    assert soup.select_one('[data-module="govuk-character-count"]')["data-maxlength"] == "5000"
    assert soup.find(id="text-info").get_text(strip=True) == "You can enter up to 5,000 characters"
    assert soup.find("input", attrs={"name": "started"})["value"]


def test_honeypot_is_hidden_from_people(client):
    soup = page(client.get("/feedback"))
    trap = soup.find("input", attrs={"name": "website"})
    assert trap["tabindex"] == "-1"
    assert trap["autocomplete"] == "off"
    assert "govuk-visually-hidden" in trap.find_parent("div")["class"]
    assert soup.find("label", attrs={"for": trap["id"]}).get_text(strip=True) == "Leave this empty"


def test_about_you_choices(client):
    soup = page(client.get("/feedback"))

    def options(name):
        return [
            soup.find("label", attrs={"for": r["id"]}).get_text(strip=True)
            for r in soup.select(f'input[name="{name}"]')
        ]

    assert options("relationship_to_child") == ["Parent or carer", "Young person", "Professional"]
    assert options("age_group") == ["0 to 4", "5 to 10", "11 to 15", "16 to 18", "19 to 25"]
    assert options("need") == [
        "Communication and interaction",
        "Cognition and learning",
        "Social, emotional and mental health",
        "Sensory and/or physical needs",
        "Not sure",
    ]
    assert options("setting") == [
        "Early years",
        "Mainstream school",
        "Special school",
        "College",
        "Not in education",
        "Other",
    ]
    assert options("ehc_plan") == ["Yes", "No", "Not sure"]
    districts = [
        o.get_text(strip=True) for o in soup.select('select[name="district"] option') if o["value"]
    ]
    assert len(districts) == 12
    assert (
        districts[0] == "Ashford"
        and "Folkestone and Hythe" in districts
        and districts[-1] == "Tunbridge Wells"
    )


def test_districts_come_from_configuration(client, app):
    original = app.config["DISTRICTS"]
    app.config["DISTRICTS"] = ["Northtown", "Southmoor"]
    try:
        soup = page(client.get("/feedback"))
        assert [
            o["value"] for o in soup.select('select[name="district"] option') if o["value"]
        ] == ["Northtown", "Southmoor"]
        response = client.post("/feedback", data=form_data(app, district="Ashford"))
        assert field_error(response, "district") == "Select a district from the list"
    finally:
        app.config["DISTRICTS"] = original


# Bad input ------------------------------------------------------------------------------------


def test_empty_form_shows_each_required_error_next_to_its_field(client, app_ctx):
    before = contribution_count()
    response = client.post("/feedback", data={"started": started(client.application)})
    assert response.status_code == 200
    assert error_summary(response) == ["Select what your feedback is about", "Enter what happened"]
    links = error_summary_links(response)
    assert links["Select what your feedback is about"] == "#topic"
    assert links["Enter what happened"] == "#text"
    assert field_error(response, "topic") == "Select what your feedback is about"
    assert field_error(response, "text") == "Enter what happened"
    assert page(response).title.get_text().startswith("Error:")
    assert contribution_count() == before


def test_only_spaces_is_not_what_happened(client, app_ctx):
    response = client.post("/feedback", data=form_data(client.application, text="   \r\n  "))
    assert field_error(response, "text") == "Enter what happened"


def test_text_over_the_limit_is_refused_with_its_length_and_kept(client, app_ctx):
    before = contribution_count()
    text = "a" * 6212
    response = client.post("/feedback", data=form_data(client.application, text=text))
    assert response.status_code == 200
    assert field_error(response, "text") == LONG_MESSAGE
    assert LONG_MESSAGE in error_summary(response)
    assert field_value(response, "text").strip("\n") == text  # all of it, not cut short
    assert contribution_count() == before


def test_fifty_thousand_characters_never_break_the_page(client, app_ctx):
    response = client.post("/feedback", data=form_data(client.application, text="é" * 50_000))
    assert response.status_code == 200
    assert field_error(response, "text") == (
        "What happened must be 5,000 characters or fewer. You have entered 50,000 characters."
    )


def test_exactly_the_limit_is_accepted(client, app_ctx):
    response = client.post("/feedback", data=form_data(client.application, text="b" * 5000))
    assert response.status_code == 302
    assert len(latest().text) == 5000


def test_line_breaks_count_once_as_the_browser_counts_them(client, app_ctx):
    text = ("x" * 98 + "\r\n") * 50  # 5,000 characters as sent, 4,950 as typed
    response = client.post("/feedback", data=form_data(client.application, text=text))
    assert response.status_code == 302
    stored = latest().text
    assert "\r" not in stored
    assert stored.count("\n") == 49  # the last one is trimmed


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("topic", "area-999", "Select what your feedback is about"),
        ("topic", "area-abc", "Select what your feedback is about"),
        ("topic", "<script>alert(1)</script>", "Select what your feedback is about"),
        ("rating", "9", "Select a rating from the list, or Prefer not to say"),
        ("rating", "0", "Select a rating from the list, or Prefer not to say"),
        ("relationship_to_child", "king", "Select who you are from the list"),
        ("district", "Narnia", "Select a district from the list"),
        ("age_group", "99-100", "Select an age group from the list"),
        ("need", "everything", "Select an area of need from the list"),
        ("setting", "moon", "Select where they learn from the list"),
        ("ehc_plan", "maybe", "Select whether they have an EHC plan from the list"),
        ("consent_to_quote", "perhaps", "Select yes if we can quote what you wrote"),
    ],
)
def test_forged_choices_get_a_message_next_to_the_field(client, app_ctx, field, value, message):
    before = contribution_count()
    response = client.post("/feedback", data=form_data(client.application, **{field: value}))
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert error_summary_links(response)[message] == f"#{field}"
    assert contribution_count() == before


def test_nul_characters_are_removed_not_a_server_error(client, app_ctx):
    response = client.post(
        "/feedback", data=form_data(client.application, text="Waited\x00 two years")
    )
    assert response.status_code == 302
    assert latest().text == "Waited two years"


def test_everything_typed_is_kept_when_there_is_an_error(client):
    data = form_data(
        client.application,
        topic=None,
        text="Nobody answered the phone.",
        rating="2",
        relationship_to_child="parent_carer",
        district="Thanet",
        age_group="11-15",
        need="sensory_physical",
        setting="special_school",
        ehc_plan="yes",
        email="parent@example.org",
        email_consent="y",
        consent_to_quote="yes",
    )
    response = client.post("/feedback", data=data)
    assert response.status_code == 200
    assert error_summary(response) == ["Select what your feedback is about"]
    soup = page(response)
    assert field_value(soup, "text").strip() == "Nobody answered the phone."
    assert field_value(soup, "email") == "parent@example.org"
    assert field_value(soup, "district") == "Thanet"
    for name, value in [
        ("rating", "2"),
        ("relationship_to_child", "parent_carer"),
        ("age_group", "11-15"),
        ("need", "sensory_physical"),
        ("setting", "special_school"),
        ("ehc_plan", "yes"),
        ("consent_to_quote", "yes"),
    ]:
        checked = soup.select(f'input[name="{name}"][checked]')
        assert [c["value"] for c in checked] == [value], name
    assert soup.find("input", attrs={"name": "email_consent"}).has_attr("checked")
    assert soup.select_one("details.govuk-details").has_attr(
        "open"
    )  # "About you" answers are visible


def test_email_without_consent(client, app_ctx):
    before = contribution_count()
    response = client.post(
        "/feedback", data=form_data(client.application, email="parent@example.org")
    )
    assert response.status_code == 200
    assert field_error(response, "email_consent") == (
        "Tick the box to agree to be emailed, or remove your email address"
    )
    assert field_error(response, "email") is None
    assert contribution_count() == before


def test_consent_without_email(client, app_ctx):
    response = client.post("/feedback", data=form_data(client.application, email_consent="y"))
    assert field_error(response, "email") == (
        "Enter your email address, or untick the box if you do not want to be emailed"
    )
    assert field_error(response, "email_consent") is None


@pytest.mark.parametrize("email", ["not-an-email", "parent@", "@example.org", "a b@example.org"])
def test_consent_with_an_invalid_email(client, app_ctx, email):
    before = contribution_count()
    response = client.post(
        "/feedback", data=form_data(client.application, email=email, email_consent="y")
    )
    assert response.status_code == 200
    assert (
        field_error(response, "email")
        == "Enter an email address in the correct format, like name@example.com"
    )
    assert field_value(response, "email") == email
    assert contribution_count() == before


def test_very_long_email_is_refused(client, app_ctx):
    email = "a" * 250 + "@example.org"
    response = client.post(
        "/feedback", data=form_data(client.application, email=email, email_consent="y")
    )
    assert field_error(response, "email") == "Email address must be 254 characters or fewer"


# What is stored -------------------------------------------------------------------------------


def test_feedback_is_stored_with_everything_in_one_transaction(client, app_ctx):
    commits = []

    def count(session):
        commits.append(session)

    event.listen(Session, "after_commit", count)
    try:
        response = client.post(
            "/feedback",
            data=form_data(
                client.application,
                topic="area-6",
                text="The plan took 40 weeks.",
                rating="4",
                relationship_to_child="parent_carer",
                district="Swale",
                age_group="5-10",
                need="communication_interaction",
                setting="mainstream_school",
                ehc_plan="no",
                email="Parent@Example.org",
                email_consent="y",
                consent_to_quote="yes",
            ),
        )
    finally:
        event.remove(Session, "after_commit", count)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/feedback/confirmation")
    assert len(commits) == 1

    stored = latest()
    assert stored.source_type == "feedback"
    assert stored.channel == "online"
    assert stored.language == "en"
    assert stored.state == "new"
    assert stored.topic == "area-6"
    assert [a.number for a in stored.areas] == [6]
    assert stored.rating == 4
    assert stored.consent_to_quote is True
    assert stored.safeguarding is False
    assert stored.text == "The plan took 40 weeks."
    about = stored.about_you
    assert (
        about.relationship_to_child,
        about.district,
        about.age_group,
        about.need,
        about.setting,
        about.ehc_plan,
    ) == ("parent_carer", "Swale", "5-10", "communication_interaction", "mainstream_school", "no")
    contact = db.session.get(Contact, stored.contact_id)
    assert contact.email == "parent@example.org"
    assert contact.wants_updates is True
    assert contact.delete_after is not None
    assert "example.org" not in stored.text and "example.org" not in stored.note


def test_minimal_feedback_stores_no_rating_no_about_you_no_contact(client, app_ctx):
    contacts_before = db.session.scalar(select(func.count()).select_from(Contact))
    about_before = db.session.scalar(select(func.count()).select_from(AboutYou))
    response = client.post("/feedback", data=form_data(client.application, topic="other"))
    assert response.status_code == 302
    stored = latest()
    assert stored.topic == "other"
    assert stored.areas == []
    assert stored.rating is None
    assert stored.about_you_id is None
    assert stored.contact_id is None
    assert stored.consent_to_quote is False
    assert db.session.scalar(select(func.count()).select_from(Contact)) == contacts_before
    assert db.session.scalar(select(func.count()).select_from(AboutYou)) == about_before


def test_language_is_the_language_the_person_used(client, app_ctx):
    response = client.post(
        "/feedback",
        data=form_data(client.application, text="Bardzo długo czekaliśmy."),
        headers={"Accept-Language": "pl"},
    )
    assert response.status_code == 302
    assert latest().language == "pl"


def test_a_missing_rating_or_quote_answer_is_treated_as_not_given(client, app_ctx):
    data = form_data(client.application)
    del data["rating"], data["consent_to_quote"]
    response = client.post("/feedback", data=data)
    assert response.status_code == 302
    assert latest().rating is None
    assert latest().consent_to_quote is False


# Robots and the rate limit -------------------------------------------------------------------


def test_honeypot_filled_shows_confirmation_but_stores_nothing(client, app_ctx):
    before = contribution_count()
    response = client.post(
        "/feedback",
        data=form_data(client.application, website="http://spam.example"),
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Feedback sent" in heading(response)
    assert re.search(r"Your reference [2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", main_text(response))
    assert contribution_count() == before


@pytest.mark.parametrize("started_value", ["now", "missing", "forged", "garbage"])
def test_too_fast_or_unsigned_is_treated_as_a_robot(client, app_ctx, started_value):
    app = client.application
    values = {
        "now": started(app, seconds_ago=0.5),
        "missing": None,
        "forged": started(app)[:-3] + "abc",
        "garbage": "x" * 500,
    }
    before = contribution_count()
    response = client.post(
        "/feedback", data=form_data(app, started=values[started_value]), follow_redirects=True
    )
    assert response.status_code == 200
    assert "Feedback sent" in heading(response)
    assert contribution_count() == before


def test_form_posted_straight_after_it_was_shown_is_not_stored(client, app_ctx):
    shown = page(client.get("/feedback"))
    token = shown.find("input", attrs={"name": "started"})["value"]
    before = contribution_count()
    client.post("/feedback", data=form_data(client.application, started=token))
    assert contribution_count() == before


def test_sending_is_rate_limited(client, app_ctx):
    for _ in range(10):
        assert client.post("/feedback", data=form_data(client.application)).status_code == 302
    before = contribution_count()
    response = client.post("/feedback", data=form_data(client.application))
    assert response.status_code == 429
    assert contribution_count() == before


def test_forms_returned_with_errors_do_not_use_up_the_limit(client):
    for _ in range(12):
        assert (
            client.post("/feedback", data={"started": started(client.application)}).status_code
            == 200
        )
    assert client.post("/feedback", data=form_data(client.application)).status_code == 302


def test_csrf_token_is_required_when_csrf_is_on(client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with app.app_context():
            before = contribution_count()
        response = client.post("/feedback", data=form_data(app))
        assert response.status_code == 400
        with app.app_context():
            assert contribution_count() == before
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# Confirmation ---------------------------------------------------------------------------------


def test_confirmation_shows_the_reference_and_what_happens_next(client, app_ctx):
    response = client.post("/feedback", data=form_data(client.application), follow_redirects=True)
    stored = latest()
    soup = page(response)
    assert soup.select_one(".govuk-panel__title").get_text(strip=True) == "Feedback sent"
    assert stored.reference in soup.select_one(".govuk-panel__body").get_text()
    text = main_text(soup)
    assert "What happens next" in text
    assert "A coordinator reads every piece of feedback" in text
    assert "You said, we did" in text
    assert soup.find("a", string="“You said, we did”")["href"] == "/you-said-we-did"
    track = soup.find("a", string=re.compile("track your feedback"))
    assert track["href"] == f"/track?reference={stored.reference}"
    assert soup.select_one(".govuk-exit-this-page a")["href"] == "https://www.bbc.co.uk/weather"
    assert soup.find(id="contact-now") is None
    assert "999" not in text and "Childline" not in text
    # Reloading is fine.
    again = client.get("/feedback/confirmation")
    assert stored.reference in main_text(again)


def test_confirmation_with_nothing_sent_goes_back_to_the_form(client):
    response = client.get("/feedback/confirmation")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/feedback")


def test_safeguarding_text_is_flagged_and_the_person_sees_who_to_contact_now(client, phrases):
    response = client.post(
        "/feedback",
        data=form_data(client.application, text="He said he wants to die."),
        follow_redirects=True,
    )
    stored = latest()
    assert stored.safeguarding is True
    soup = page(response)
    panel = soup.find(id="contact-now")
    assert panel is not None
    text = " ".join(panel.get_text(" ").split())
    assert "If a child is in immediate danger, call 999." in text
    assert "Kent Integrated Children's Services Front Door" in text
    assert "03000 41 11 11" in text and "03000 41 91 91" in text
    assert "0808 800 5000" in text  # NSPCC
    assert "Childline" in text and "0800 1111" in text
    assert soup.find("a", href="tel:08001111") is not None
    assert "flag" not in main_text(soup).lower()
    assert stored.reference in main_text(soup)


def test_ordinary_text_does_not_show_the_contact_now_panel(client, phrases):
    response = client.post(
        "/feedback",
        data=form_data(client.application, text="I was disabused of my hopes."),
        follow_redirects=True,
    )
    assert latest().safeguarding is False
    assert page(response).find(id="contact-now") is None
