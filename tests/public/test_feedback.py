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
from app.models import AboutYou, Contact, Contribution
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
        "topic": "ehc_plan",
        "text": "The annual review of my son's plan has been late for a year.",
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


def test_topics_are_plain_language_choices_with_hints(client, app_ctx):
    response = client.get("/feedback")
    assert response.status_code == 200
    assert heading(response) == "Tell us about your experience"
    soup = page(response)
    topics = [
        (radio["value"], soup.find("label", attrs={"for": radio["id"]}).get_text(strip=True))
        for radio in soup.select('input[name="topic"]')
    ]
    assert topics == [
        # EHC is spelled out: this is the first time the page uses it.
        ("ehc_plan", "Getting an education, health and care (EHC) plan"),
        ("health", "Health services and waiting times"),
        ("school", "School and support"),
        ("moving_on", "Moving on after school"),
        ("other", "Something else"),
    ]
    # No inspection headings ("Joint commissioning", "Governance") for parents to decode.
    text = main_text(soup)
    assert "Joint commissioning" not in text and "Governance" not in text
    hint = soup.find(id=soup.select('input[name="topic"]')[1]["aria-describedby"])
    assert "autism and attention deficit hyperactivity disorder (ADHD) assessments" in " ".join(
        hint.get_text().split()
    )


@pytest.mark.parametrize(
    ("topic", "numbers"),
    [("ehc_plan", [6]), ("health", [4, 8]), ("school", [2, 5]), ("moving_on", [4, 5])],
)
def test_each_topic_starts_coding_from_its_areas(client, app_ctx, topic, numbers):
    response = client.post("/feedback", data=form_data(client.application, topic=topic))
    assert response.status_code == 302
    stored = latest()
    assert stored.topic == topic
    assert sorted(a.number for a in stored.areas) == numbers


def test_the_areas_a_topic_starts_from_are_configuration(client, app, app_ctx):
    original = app.config["FEEDBACK_TOPIC_AREAS"]
    app.config["FEEDBACK_TOPIC_AREAS"] = {**original, "school": [9]}
    try:
        response = client.post("/feedback", data=form_data(app, topic="school"))
    finally:
        app.config["FEEDBACK_TOPIC_AREAS"] = original
    assert response.status_code == 302
    assert [a.number for a in latest().areas] == [9]


def test_form_has_exit_this_page_and_defaults(client):
    soup = page(client.get("/feedback"))
    exit_link = soup.select_one(".govuk-exit-this-page a")
    assert exit_link["href"] == "https://www.bbc.co.uk/weather"
    assert " ".join(exit_link.get_text().split()) == "Emergency Exit this page"
    assert exit_link.select_one(".govuk-visually-hidden").get_text() == "Emergency"
    # Nothing is ticked in advance: every choice is the person's own.
    assert soup.select("input[checked]") == []
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
        ("topic", "area-6", "Select what your feedback is about"),
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
    # The summary links to the field (where an acronym is spelled out, as the page's first use).
    assert list(error_summary_links(response).values()) == [f"#{field}"]
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
        need=["communication_interaction", "sensory_physical"],
        setting="special_school",
        ehc_plan="yes",
        email="parent@example.org",
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
        ("setting", "special_school"),
        ("ehc_plan", "yes"),
        ("consent_to_quote", "yes"),
    ]:
        checked = soup.select(f'input[name="{name}"][checked]')
        assert [c["value"] for c in checked] == [value], name
    ticked = [c["value"] for c in soup.select('input[name="need"][checked]')]
    assert ticked == ["communication_interaction", "sensory_physical"]
    assert soup.select_one("details.govuk-details").has_attr(
        "open"
    )  # "About you" answers are visible


def test_one_email_question_says_what_it_is_for(client):
    soup = page(client.get("/feedback"))
    label = soup.find("label", attrs={"for": "email"}).get_text(strip=True)
    assert label == "Email address, if you want a reply (optional)"
    hint = soup.find(id="email-hint").get_text(" ", strip=True)
    assert hint.startswith("We will use it only to tell you what happens with your feedback.")
    # No second box asking the same thing again.
    assert soup.select('input[type="checkbox"]:not([name="need"])') == []


def test_an_email_address_alone_is_the_request_for_a_reply(client, app_ctx):
    response = client.post(
        "/feedback", data=form_data(client.application, email="parent@example.org")
    )
    assert response.status_code == 302
    contact = db.session.get(Contact, latest().contact_id)
    assert contact.email == "parent@example.org"
    assert contact.wants_updates is True


@pytest.mark.parametrize("email", ["not-an-email", "parent@", "@example.org", "a b@example.org"])
def test_an_invalid_email(client, app_ctx, email):
    before = contribution_count()
    response = client.post("/feedback", data=form_data(client.application, email=email))
    assert response.status_code == 200
    assert (
        field_error(response, "email")
        == "Enter an email address in the correct format, like name@example.com"
    )
    assert field_value(response, "email") == email
    assert contribution_count() == before


def test_very_long_email_is_refused(client, app_ctx):
    email = "a" * 250 + "@example.org"
    response = client.post("/feedback", data=form_data(client.application, email=email))
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
                topic="ehc_plan",
                text="The plan took 40 weeks.",
                rating="4",
                relationship_to_child="parent_carer",
                district="Swale",
                age_group="5-10",
                need=["sensory_physical", "communication_interaction"],
                setting="mainstream_school",
                ehc_plan="no",
                email="Parent@Example.org",
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
    assert stored.topic == "ehc_plan"
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
    ) == (
        "parent_carer",
        "Swale",
        "5-10",
        "communication_interaction,sensory_physical",
        "mainstream_school",
        "no",
    )
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
    response = client.post("/feedback", data=form_data(client.application))
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


def test_confirmation_says_by_when_to_expect_a_reply(client, app, app_ctx):
    from app.domain.shared.dates import add_working_days, local_day
    from app.models.base import utcnow

    expected = add_working_days(local_day(utcnow()), 10)
    words = f"{expected:%A} {expected.day} {expected:%B %Y}"
    response = client.post(
        "/feedback",
        data=form_data(app, email="parent@example.org"),
        follow_redirects=True,
    )
    text = main_text(response)
    assert f"We will email you by {words} (within 10 working days)" in text

    app.config["REPLY_WORKING_DAYS"] = 3
    try:
        response = client.post("/feedback", data=form_data(app), follow_redirects=True)
    finally:
        app.config["REPLY_WORKING_DAYS"] = 10
    expected = add_working_days(local_day(utcnow()), 3)
    text = main_text(response)
    assert f"It will be read by {expected:%A} {expected.day} {expected:%B %Y}" in text
    assert "within 3 working days" in text
    assert "You did not leave an email address" in text


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


# Sent once, however often it is sent -----------------------------------------------------------


def form_token(response) -> str:
    return page(response).find("input", attrs={"name": "token"})["value"]


def confirmed_reference(response) -> str:
    return (
        page(response)
        .select_one(".govuk-panel__body strong, .govuk-panel__body")
        .get_text(" ", strip=True)
    )


def test_each_form_shown_has_its_own_random_token(client):
    tokens = {form_token(client.get("/feedback")) for _ in range(3)}
    assert len(tokens) == 3
    with client.session_transaction() as session:
        assert session.get("csrf_token") not in tokens


def test_the_same_form_sent_again_is_stored_once_and_confirms_the_same_reference(client, app_ctx):
    data = form_data(client.application, token=form_token(client.get("/feedback")))
    first = client.post("/feedback", data=data, follow_redirects=True)
    reference = latest().reference
    assert reference in confirmed_reference(first)
    # The answer never arrived: the person (a new session, their cookie lost too) sends again.
    again = client.application.test_client()
    second = again.post("/feedback", data=data, follow_redirects=True)
    assert second.status_code == 200
    assert reference in confirmed_reference(second)
    assert (
        db.session.scalar(
            select(func.count()).select_from(Contribution).where(Contribution.text == data["text"])
        )
        == 1
    )


def test_two_forms_with_the_same_words_are_two_contributions(client, app_ctx):
    for _ in range(2):
        data = form_data(client.application, token=form_token(client.get("/feedback")))
        assert client.post("/feedback", data=data).status_code == 302
    texts = db.session.scalars(
        select(Contribution.text).where(Contribution.text == form_data(client.application)["text"])
    ).all()
    assert len(texts) == 2


@pytest.mark.parametrize("token", [None, "", "short", "x" * 65, "<script>alert(1)</script>"])
def test_a_form_without_a_good_token_is_still_stored(client, app_ctx, token):
    before = contribution_count()
    response = client.post("/feedback", data=form_data(client.application, token=token))
    assert response.status_code == 302
    assert contribution_count() == before + 1


def test_a_reference_already_given_is_drawn_again(client, app_ctx, monkeypatch):
    from app.domain.thread import contributions

    client.post("/feedback", data=form_data(client.application))
    taken = latest().reference
    drawn = iter([taken, "2345-6789-ABCD"])
    monkeypatch.setattr(contributions, "new_reference", lambda: next(drawn))
    response = client.post(
        "/feedback",
        data=form_data(client.application, text="A second story."),
        follow_redirects=True,
    )
    assert "2345-6789-ABCD" in confirmed_reference(response)
    assert latest().text == "A second story."
