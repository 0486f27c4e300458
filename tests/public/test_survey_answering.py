"""Answering a survey (/surveys, /surveys/<slug>/...): the list and start page, every question
type, conditions, check answers and its change links, drafts kept on the server, the young
person's version, languages, closed surveys, every bad input, robots, rate limits, preview."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.demo.surveys import create_short_breaks_survey, generate_responses
from app.extensions import db
from app.models import (
    Contribution,
    ContributionSource,
    Survey,
    SurveyAnswer,
    SurveyDraft,
    SurveyResponse,
    SurveyStatus,
)
from app.models.base import utcnow
from tests.helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    heading,
    main_text,
    page,
)
from tests.survey_helpers import Demo, answer_to_check, draft_for, started


@pytest.fixture
def demo(app_ctx) -> Demo:
    return Demo.create()


def response_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def only_response() -> SurveyResponse:
    responses = db.session.scalars(select(SurveyResponse)).all()
    assert len(responses) == 1
    return responses[0]


def send(client, demo: Demo, follow: bool = True):
    return client.post(f"{demo.base}/check-answers", data={}, follow_redirects=follow)


def find_link(response_or_soup, words: str):
    """The first link whose text contains these words."""
    soup = response_or_soup if not hasattr(response_or_soup, "get_data") else page(response_or_soup)
    return next((a for a in soup.find_all("a") if words in a.get_text(" ", strip=True)), None)


def checked(soup, name: str) -> list[str]:
    return [i["value"] for i in soup.select(f'input[name="{name}"]') if i.has_attr("checked")]


# The list and the start page ------------------------------------------------------------------


def test_list_shows_open_forthcoming_and_closed_surveys_but_never_drafts(client, demo):
    create_short_breaks_survey()
    forthcoming = Demo.create(
        slug="coming-up",
        opens_at=utcnow() + timedelta(days=5),
        closes_at=utcnow() + timedelta(days=30),
    ).survey
    forthcoming.title = "A survey coming soon"
    draft = Demo.create(slug="not-ready").survey
    draft.title, draft.status = "A draft nobody may see", SurveyStatus.DRAFT.value
    db.session.commit()
    response = client.get("/surveys")
    assert response.status_code == 200
    text = main_text(response)
    assert (
        text.index("Open surveys")
        < text.index("Your experience of the EHC plan process")
        < text.index("Coming soon")
    )
    assert (
        text.index("Coming soon")
        < text.index("A survey coming soon")
        < text.index("Closed surveys")
    )
    assert text.index("Closed surveys") < text.index("Short breaks and holiday activities 2026")
    assert "A draft nobody may see" not in text
    assert page(response).find("a", href="/surveys/ehc-plan-experience") is not None


def test_list_says_when_nothing_is_open(client, app_ctx):
    assert "There are no open surveys at the moment." in main_text(client.get("/surveys"))


def test_start_page_says_what_it_is_who_for_how_long_and_what_happens(client, demo):
    response = client.get(demo.base)
    assert response.status_code == 200
    assert heading(response) == "Your experience of the EHC plan process"
    text = main_text(response)
    for words in (
        "Who it is for",
        "Parents and carers of children",
        "How long it takes",
        "about 10 minutes",
        "What happens with your answers",
        # Acronyms are spelled out the first time a page uses them.
        "The SEND team and Parents and Carers Together (PACT) read every answer",
        "Your privacy",
        "we delete them after 7 days",
        "Use the young person's version",
    ):
        assert words in text
    start = find_link(response, "Start now")
    assert start["href"].startswith(f"{demo.base}/page/1")
    assert page(response).find("a", href="/privacy") is not None


def test_a_draft_survey_is_not_found_by_the_public(client, demo):
    demo.survey.status = SurveyStatus.DRAFT.value
    db.session.commit()
    for path in ("", "/page/1", "/about-you", "/check-answers"):
        assert client.get(demo.base + path).status_code == 404
    assert client.post(f"{demo.base}/page/1", data=demo.page1()).status_code == 404
    assert client.get("/surveys/no-such-survey").status_code == 404


# The whole journey: every question type ------------------------------------------------------


def test_answering_every_question_type_stores_one_response(client, demo):
    answer_to_check(
        client,
        demo,
        about_you={
            "relationship_to_child": "parent_carer",
            "district": "Dover",
            "need": "cognition_learning",
            "consent_to_quote": "yes",
        },
    )
    response = send(client, demo)
    assert "Your answers have been sent" in main_text(response)
    stored = only_response()
    reference = page(response).select_one(".govuk-panel__body strong").get_text(strip=True)
    assert reference == stored.reference and re.fullmatch(
        r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", reference
    )
    assert stored.channel == "online" and stored.language == "en" and stored.young_person is False
    assert stored.consent_to_quote is True
    assert (stored.relationship_to_child, stored.district, stored.need) == (
        "parent_carer",
        "Dover",
        "cognition_learning",
    )
    assert stored.age_group is None

    def values(starts):
        question = demo.q(starts)
        return [
            (a.option.label if a.option else None, a.text, a.number, a.date_value)
            for a in stored.answers
            if a.question_id == question.id
        ]

    assert values("Who asked") == [("I did (parent or carer)", None, None, None)]  # single choice
    assert values("When was")[0][3].isoformat() == "2025-04-03"  # date
    assert values("Were you told") == [("No", None, None, None)]  # yes/no
    assert values("How well were you kept") == [("Poor", None, None, None)]  # rating
    assert values("How did the SEND") == [
        ("Email", None, None, None),
        (None, "Text messages", None, None),
    ]  # multiple
    assert values("How many times") == [(None, None, 4, None)]  # number
    assert values("What would have") == [
        (None, "Less jargon, and the right diagnosis.", None, None)
    ]  # long text
    assert values("If we could") == [
        (None, "Tell families what is happening without them chasing.", None, None)
    ]
    # The draft is gone; the reference is what /track follows.
    assert db.session.scalar(select(func.count()).select_from(SurveyDraft)) == 0
    track = find_link(response, "track your answers")
    assert track["href"] == f"/track?reference={reference}"
    assert "received" in main_text(client.get(track["href"])).lower()


def test_free_text_answers_and_the_whole_response_become_contributions_with_their_links(
    client, demo
):
    answer_to_check(client, demo)
    send(client, demo)
    stored = only_response()
    whole = db.session.scalar(
        select(Contribution).where(
            Contribution.source_type == ContributionSource.SURVEY_RESPONSE.value,
            Contribution.source_id == stored.id,
        )
    )
    assert whole.reference == stored.reference
    assert [a.number for a in whole.areas] == [1, 6]  # the survey's areas
    assert "How well were you kept informed while you waited?\nPoor" in whole.text
    answer_ids = [a.id for a in stored.answers if a.text]
    texts = db.session.scalars(
        select(Contribution).where(
            Contribution.source_type == ContributionSource.SURVEY_ANSWER.value,
            Contribution.source_id.in_(answer_ids),
        )
    ).all()
    by_text = {c.text: c for c in texts}
    assert set(by_text) == {
        "Text messages",
        "Less jargon, and the right diagnosis.",
        "They came to the meeting with me.",
        "Tell families what is happening without them chasing.",
    }
    assert [a.number for a in by_text["Less jargon, and the right diagnosis."].areas] == [1, 6]
    assert [a.reference for a in by_text["Less jargon, and the right diagnosis."].actions] == [
        "APP-1.2",
        "APP-6.1",
    ]
    assert all(c.consent_to_quote for c in texts)


def test_each_page_says_where_the_person_is(client, demo):
    response = client.get(f"{demo.base}/page/1")
    assert "Page 1 of 4" in main_text(response)  # "The plan" is not shown until the answer says so
    assert page(response).select_one(".govuk-exit-this-page") is not None
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    client.post(f"{demo.base}/page/2", data=demo.page2(plan="Yes"))
    response = client.get(f"{demo.base}/page/3")
    assert heading(response) == "The plan"
    assert "Page 3 of 5" in main_text(response)
    back = page(response).select_one(".govuk-back-link")
    assert back["href"] == f"{demo.base}/page/2"


# Conditions -----------------------------------------------------------------------------------


def test_a_section_is_skipped_when_its_answer_is_not_given(client, demo):
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    response = client.post(f"{demo.base}/page/2", data=demo.page2(plan="We are still waiting"))
    assert response.location == f"{demo.base}/page/4"
    response = client.get(response.location)
    assert "Page 3 of 4" in main_text(response)
    assert client.get(f"{demo.base}/page/3").status_code == 302  # hidden: sent where they should be


def test_answers_to_a_section_hidden_later_are_not_stored(client, demo):
    answer_to_check(client, demo, plan="Yes")
    # Change "Is there an EHC plan now?" so "The plan" no longer applies.
    client.post(f"{demo.base}/page/2?change=1", data=demo.page2(plan="We are still waiting"))
    check = main_text(client.get(f"{demo.base}/check-answers"))
    assert "How well does the plan describe" not in check
    send(client, demo)
    stored = only_response()
    assert demo.q("How well does the plan").id not in {a.question_id for a in stored.answers}
    assert demo.q("What would have").id not in {a.question_id for a in stored.answers}


def test_a_question_nested_under_an_answer_counts_only_with_that_answer(client, demo):
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    client.post(
        f"{demo.base}/page/2", data=demo.page2(plan="No, the council decided not to issue one")
    )
    response = client.get(f"{demo.base}/page/4")
    soup = page(response)
    # "What help did IASK give you?" follows "Yes" (shown anyway without JavaScript).
    reveal = soup.select_one(".app-conditional")
    assert reveal["data-app-show-when"] == demo.name("Did you get help")
    assert reveal["data-app-show-value"] == demo.option("Did you get help", "Yes")
    assert "If you answered “Yes”" in reveal.get_text()
    assert reveal.find("input", attrs={"name": demo.name("What help did")}) is not None
    client.post(
        f"{demo.base}/page/4",
        data=demo.page4(**{demo.name("Did you get help"): demo.option("Did you get help", "No")}),
    )
    client.post(f"{demo.base}/about-you", data={})
    assert "What help did IASK" not in main_text(client.get(f"{demo.base}/check-answers"))
    send(client, demo)
    assert demo.q("What help did").id not in {a.question_id for a in only_response().answers}


# Check answers and changing an answer ---------------------------------------------------------


def test_check_answers_lists_every_answer_with_a_change_link(client, demo):
    answer_to_check(client, demo)
    response = client.get(f"{demo.base}/check-answers")
    soup = page(response)
    assert heading(response) == "Check your answers before sending them"
    rows = {
        row.select_one(".govuk-summary-list__key").get_text(strip=True): row.select_one(
            ".govuk-summary-list__value"
        ).get_text(" ", strip=True)
        for row in soup.select(".govuk-summary-list__row")
    }
    assert rows["Who asked for the EHC needs assessment?"] == "I did (parent or carer)"
    assert rows["When was the assessment asked for?"] == "3 April 2025"
    assert (
        rows["How did the special educational needs and disabilities (SEND) team contact you?"]
        == "Email Other: Text messages"
    )
    assert rows["How many times did you have to chase for an update?"] == "4"
    assert rows["Which district do you live in?"] == "Not answered"
    assert rows["Can we quote your answers, without your name or details?"] == "Yes"
    change = soup.find("a", href=re.compile(r"/page/2\?change=1#q\d+$"))
    assert change is not None and "Change" in change.get_text()


def test_change_returns_to_check_answers_after_saving(client, demo):
    answer_to_check(client, demo)
    response = client.get(f"{demo.base}/page/2?change=1")
    assert page(response).select_one(".govuk-back-link")["href"] == f"{demo.base}/check-answers"
    assert field_value(response, demo.name("How many times")) == "4"
    response = client.post(
        f"{demo.base}/page/2?change=1", data=demo.page2(**{demo.name("How many times"): "7"})
    )
    assert response.location == f"{demo.base}/check-answers"
    assert "7" in main_text(client.get(response.location))


def test_a_change_that_shows_a_new_section_asks_it_then_returns_to_check_answers(client, demo):
    answer_to_check(client, demo, plan="We are still waiting")
    response = client.post(f"{demo.base}/page/2?change=1", data=demo.page2(plan="Yes"))
    assert response.location == f"{demo.base}/check-answers"
    response = client.get(response.location)
    assert response.location == f"{demo.base}/page/3?change=1"  # "The plan" has required questions
    response = client.post(f"{demo.base}/page/3?change=1", data=demo.page3())
    assert response.location == f"{demo.base}/check-answers"
    assert "How well does the plan describe" in main_text(client.get(response.location))


def test_sending_twice_stores_one_response_and_shows_the_same_reference(client, demo):
    answer_to_check(client, demo)
    first = send(client, demo)
    second = send(client, demo)
    assert response_count() == 1
    reference = only_response().reference
    for response in (first, second):
        assert reference in page(response).select_one(".govuk-panel__body").get_text()


def test_confirmation_without_sending_goes_to_the_start_page(client, demo):
    response = client.get(f"{demo.base}/confirmation")
    assert response.status_code == 302 and response.location == demo.base


# Drafts: nothing typed is lost ----------------------------------------------------------------


def test_the_session_holds_only_a_token_and_the_answers_are_on_the_server(client, demo):
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    with client.session_transaction() as session:
        tokens = session["survey_drafts"]
        assert set(tokens) == {str(demo.survey.id)}
        assert "2025" not in str(dict(session))
    draft = draft_for(client, demo.survey)
    assert draft.answers[str(demo.q("When was").id)] == "2025-04-03"
    assert draft.last_page == "page/1"


def test_coming_back_offers_to_continue_where_you_left_off(client, demo):
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    client.post(
        f"{demo.base}/page/2", data=demo.page2(plan="No, the council decided not to issue one")
    )
    response = client.get(demo.base)
    resume = find_link(response, "Continue where you left off")
    assert resume["href"] == f"{demo.base}/page/4"
    # Going back keeps what was answered.
    response = client.get(f"{demo.base}/page/2")
    soup = page(response)
    assert checked(soup, demo.name("How well were you kept")) == [
        demo.option("How well were you kept", "Poor")
    ]
    assert field_value(soup, f"{demo.name('How did the SEND')}-other") == "Text messages"
    # Someone else (another browser) starts afresh.
    other = client.application.test_client()
    assert (
        page(other.get(demo.base)).find("a", string=re.compile("Continue where you left off"))
        is None
    )


def test_a_long_answer_with_a_problem_on_the_page_is_kept(client, demo):
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    client.post(f"{demo.base}/page/2", data=demo.page2(plan="Yes"))
    long_answer = "We waited 31 weeks.\n" * 40
    response = client.post(
        f"{demo.base}/page/3",
        data=demo.page3(
            **{demo.name("How well does the plan"): None, demo.name("What would have"): long_answer}
        ),
    )
    assert response.status_code == 200
    assert field_value(response, demo.name("What would have")) == long_answer
    # Leaving and coming back: still there.
    response = client.get(f"{demo.base}/page/3")
    assert field_value(response, demo.name("What would have")).strip() == long_answer.strip()


# Bad input ------------------------------------------------------------------------------------


def test_a_required_question_left_out_is_named_and_other_answers_are_kept(client, demo):
    data = {**demo.page1(**{demo.name("Who asked"): None}), "started": started(client.application)}
    response = client.post(f"{demo.base}/page/1", data=data)
    assert response.status_code == 200
    message = "Select an answer to “Who asked for the EHC needs assessment?”"
    assert error_summary(response) == [message]
    assert error_summary_links(response)[message] == f"#{demo.name('Who asked')}"
    assert field_error(response, demo.name("Who asked")) == message
    assert page(response).title.get_text().startswith("Error:")
    assert field_value(response, f"{demo.name('When was')}-year") == "2025"
    assert checked(page(response), demo.name("Were you told")) == [
        demo.option("Were you told", "No")
    ]
    # What was valid is kept in the draft.
    assert draft_for(client, demo.survey).answers[demo.name("When was")[1:]] == "2025-04-03"


@pytest.mark.parametrize(
    "typed,message",
    [
        (
            "201",
            "Your answer to “How many times did you have to chase for an update?” must be between "
            "0 and 200",
        ),
        (
            "-1",
            "Your answer to “How many times did you have to chase for an update?” must be between "
            "0 and 200",
        ),
        (
            "2.5",
            "Your answer to “How many times did you have to chase for an update?” must be a whole "
            "number, like 3",
        ),
        (
            "four",
            "Your answer to “How many times did you have to chase for an update?” must be a whole "
            "number, like 3",
        ),
        (
            "9" * 40,
            "Your answer to “How many times did you have to chase for an update?” must be between "
            "0 and 200",
        ),
    ],
)
def test_a_number_out_of_bounds_or_not_whole_is_refused(client, demo, typed, message):
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    response = client.post(
        f"{demo.base}/page/2", data=demo.page2(**{demo.name("How many times"): typed})
    )
    assert response.status_code == 200
    assert field_error(response, demo.name("How many times")) == message
    assert field_value(response, demo.name("How many times")) == typed[:100]
    assert checked(page(response), demo.name("Is there an EHC")) == [
        demo.option("Is there an EHC", "Yes")
    ]


@pytest.mark.parametrize(
    "day,month,year,message",
    [
        (
            "31",
            "2",
            "2025",
            "The date for “When was the assessment asked for?” must be a real date",
        ),
        ("", "2", "2025", "The date for “When was the assessment asked for?” must include a day"),
        ("1", "2", "25", "Year must include 4 numbers"),
        (
            "first",
            "may",
            "2025",
            "The date for “When was the assessment asked for?” must be a real date",
        ),
    ],
)
def test_a_date_that_does_not_exist_is_refused(client, demo, day, month, year, message):
    name = demo.name("When was")
    data = {
        **demo.page1(**{f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}),
        "started": started(client.application),
    }
    response = client.post(f"{demo.base}/page/1", data=data)
    assert field_error(response, name) == message
    assert error_summary_links(response)[message] == f"#{name}-day"
    assert (
        field_value(response, f"{name}-day") == day
        and field_value(response, f"{name}-year") == year
    )


def test_fifty_thousand_characters_in_a_short_answer_say_the_limit_and_the_length(client, demo):
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    client.post(f"{demo.base}/page/2", data=demo.page2(plan="We are still waiting"))
    typed = "x" * 50_000
    response = client.post(
        f"{demo.base}/page/4", data=demo.page4(**{demo.name("If we could"): typed})
    )
    assert response.status_code == 200
    assert field_error(response, demo.name("If we could")) == (
        "Your answer to “If we could change one thing first, what should it be?” must be 300 "
        "characters or fewer. "
        "You have entered 50,000 characters."
    )
    assert field_value(response, demo.name("If we could")) == typed  # not cut short
    assert field_value(response, demo.name("What help did")) == "They came to the meeting with me."
    # Kept, so it is still there after going back and forward, and still refused.
    response = client.get(f"{demo.base}/page/4")
    assert field_value(response, demo.name("If we could")) == typed
    assert "must be 300 characters or fewer" in field_error(response, demo.name("If we could"))
    assert client.get(f"{demo.base}/check-answers").location == f"{demo.base}/page/4?change=1"


def test_an_option_from_another_question_is_refused(client, demo):
    forged = demo.option("Were you told", "Yes")
    data = {
        **demo.page1(**{demo.name("Who asked"): forged}),
        "started": started(client.application),
    }
    response = client.post(f"{demo.base}/page/1", data=data)
    assert (
        field_error(response, demo.name("Who asked"))
        == "Select one of the options given for “Who asked for the EHC needs assessment?”"
    )
    client.post(f"{demo.base}/page/1", data=demo.page1())
    response = client.post(
        f"{demo.base}/page/2", data=demo.page2(**{demo.name("How did the SEND"): ["999999", "x"]})
    )
    assert (
        field_error(response, demo.name("How did the SEND"))
        == "Select one of the options given for “How did the SEND team contact you?”"
    )


def test_other_ticked_with_nothing_written_is_refused_at_the_text_box(client, demo):
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    name = demo.name("How did the SEND")
    response = client.post(f"{demo.base}/page/2", data=demo.page2(**{f"{name}-other": "  "}))
    message = "Enter your other answer to “How did the SEND team contact you?”"
    assert field_error(response, f"{name}-other") == message
    assert error_summary_links(response)[message] == f"#{name}-other"


def test_forged_or_hidden_page_numbers_go_where_the_person_should_be(client, demo):
    # No draft yet: only the first page opens.
    assert client.get(f"{demo.base}/page/2").location == demo.base
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    before = dict(draft_for(client, demo.survey).answers)
    assert (
        client.get(f"{demo.base}/page/4").location == f"{demo.base}/page/2"
    )  # page 2 not answered yet
    assert client.get(f"{demo.base}/page/99").location == f"{demo.base}/page/2"
    assert client.get(f"{demo.base}/page/0").location == f"{demo.base}/page/2"
    response = client.post(f"{demo.base}/page/4", data=demo.page4())
    assert response.location == f"{demo.base}/page/2"
    client.post(f"{demo.base}/page/2", data=demo.page2(plan="We are still waiting"))
    assert client.get(f"{demo.base}/page/3").location == f"{demo.base}/page/4"  # hidden section
    assert client.get(f"{demo.base}/page/-1").status_code == 404  # not a page number at all
    assert {
        k: v for k, v in draft_for(client, demo.survey).answers.items() if k in before
    } == before
    assert client.get(f"{demo.base}/about-you").location == f"{demo.base}/page/4"
    assert client.get(f"{demo.base}/check-answers").location == f"{demo.base}/page/4?change=1"


def test_about_you_refuses_values_not_in_the_list(client, demo):
    answer_to_check(client, demo)
    response = client.post(
        f"{demo.base}/about-you",
        data={
            "district": "Atlantis",
            "relationship_to_child": "alien",
            "consent_to_quote": "maybe",
        },
    )
    assert response.status_code == 200
    assert field_error(response, "district") == "Select a district from the list"
    assert field_error(response, "relationship_to_child") == "Select who you are from the list"
    assert (
        field_error(response, "consent_to_quote")
        == "Select yes if we can quote your answers, or no if we cannot"
    )


def test_about_you_can_be_skipped(client, demo):
    answer_to_check(client, demo, about_you={})
    response = client.get(f"{demo.base}/about-you")
    skip = find_link(response, "Skip these questions")
    assert skip["href"] == f"{demo.base}/check-answers"
    send(client, demo)
    stored = only_response()
    assert stored.relationship_to_child is None and stored.consent_to_quote is False


# Closed and forthcoming surveys ---------------------------------------------------------------


def test_a_closed_survey_says_so_on_every_page_and_stores_nothing(client, app_ctx):
    demo = Demo(create_short_breaks_survey())
    response = client.get(demo.base)
    assert "This survey closed on" in main_text(response)
    assert find_link(response, "Start now") is None
    for path in ("/page/1", "/about-you", "/check-answers"):
        response = client.get(demo.base + path)
        assert response.status_code == 200 and heading(response) == "This survey has closed"
    question = demo.survey.questions[0]
    response = client.post(
        f"{demo.base}/page/1",
        data={
            f"q{question.id}": str(question.options[0].id),
            "started": started(client.application),
        },
    )
    assert heading(response) == "This survey has closed"
    assert draft_for(client, demo.survey) is None
    assert db.session.scalar(select(func.count()).select_from(SurveyDraft)) == 0


def test_a_forthcoming_survey_takes_no_answers(client, app_ctx):
    demo = Demo.create(
        opens_at=utcnow() + timedelta(days=3), closes_at=utcnow() + timedelta(days=30)
    )
    assert "This survey opens at" in main_text(client.get(demo.base))
    response = client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    assert heading(response) == "This survey is not open yet"
    assert db.session.scalar(select(func.count()).select_from(SurveyDraft)) == 0


def test_a_survey_that_closes_while_someone_answers_stores_nothing(client, demo):
    answer_to_check(client, demo)
    demo.survey.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = send(client, demo)
    assert heading(response) == "This survey has closed"
    assert response_count() == 0


# The young person's version and languages ----------------------------------------------------


def test_young_person_version_uses_their_words_faces_and_bigger_targets(client, demo):
    response = client.get(f"{demo.base}?young_person=1")
    assert heading(response) == "What was getting your EHC plan like?"
    assert find_link(response, "Use the standard version") is not None
    start = find_link(response, "Start now")["href"]
    assert "young_person=1" in start
    client.post(start, data={**demo.page1(), "started": started(client.application)})
    assert draft_for(client, demo.survey).young_person is True
    response = client.get(f"{demo.base}/page/2")  # the mode is kept in the draft
    soup = page(response)
    assert soup.select_one(".app-young-person") is not None
    assert heading(response) == "Being kept up to date"
    assert "How well did people keep you up to date?" in main_text(response)
    scale = soup.select_one(".app-face-scale")
    faces = scale.select("svg.app-face")
    assert len(faces) == 5 and all(face["aria-hidden"] == "true" for face in faces)
    labels = [label.get_text(strip=True) for label in scale.select(".govuk-radios__label")]
    assert labels == ["Really bad", "Bad", "OK", "Good", "Really good"]
    radios = scale.select("input[type=radio]")
    assert len(radios) == 5 and all(
        r["name"] == demo.name("How well were you kept") for r in radios
    )
    # Text with no young-person wording falls back to the standard words.
    assert (
        "How did the special educational needs and disabilities (SEND) team contact you?"
        in main_text(response)
    )
    client.post(f"{demo.base}/page/2", data=demo.page2(plan="We are still waiting"))
    client.post(f"{demo.base}/page/4", data=demo.page4())
    client.post(f"{demo.base}/about-you", data={})
    send(client, demo)
    assert only_response().young_person is True


def test_the_standard_version_has_no_faces(client, demo):
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    soup = page(client.get(f"{demo.base}/page/2"))
    assert soup.select_one(".app-young-person") is None and not soup.select("svg.app-face")


def test_polish_wording_with_english_where_a_text_has_no_translation(client, demo):
    client.set_cookie("lang", "pl")
    response = client.get(f"{demo.base}/page/1")
    text = main_text(response)
    assert heading(response) == "Wniosek o ocenę potrzeb"
    assert "Kto złożył wniosek o ocenę potrzeb EHC?" in text
    assert "When was the assessment asked for?" in text  # not translated: English
    soup = page(response)
    assert (
        soup.find("span", attrs={"lang": "en"}, string="When was the assessment asked for?")
        is not None
    )
    assert (
        soup.find("span", attrs={"lang": "en"}, string="Kto złożył wniosek o ocenę potrzeb EHC?")
        is None
    )
    assert page(response).find("html")["lang"] == "pl"
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    client.post(f"{demo.base}/page/2", data=demo.page2(plan="We are still waiting"))
    client.post(f"{demo.base}/page/4", data=demo.page4())
    client.post(f"{demo.base}/about-you", data={})
    send(client, demo)
    assert only_response().language == "pl"


def test_urdu_is_right_to_left_with_the_urdu_title(client, demo):
    client.set_cookie("lang", "ur")
    response = client.get(demo.base)
    html = page(response).find("html")
    assert html["dir"] == "rtl" and html["lang"] == "ur"
    assert heading(response) == "ای ایچ سی پلان کے عمل کا آپ کا تجربہ"
    response = client.get(f"{demo.base}/page/1")
    assert "Who asked for the EHC needs assessment?" in main_text(response)
    # English shown in place of a missing translation is marked, so it reads left to right.
    fallback = page(response).find("span", string="Who asked for the EHC needs assessment?")
    assert (fallback["lang"], fallback["dir"]) == ("en", "ltr")
    labels = [
        label.get_text(strip=True)
        for label in page(response).select(f'label[for^="{demo.name("Were you told")}"]')
    ]
    assert labels == ["جی ہاں", "نہیں"]


# Robots and rate limits -----------------------------------------------------------------------


def test_the_honeypot_gets_a_normal_confirmation_and_nothing_is_stored(client, demo):
    response = client.post(
        f"{demo.base}/page/1",
        data={
            **demo.page1(),
            "started": started(client.application),
            "website": "http://spam.example",
        },
        follow_redirects=True,
    )
    assert "Your answers have been sent" in main_text(response)
    assert re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", main_text(response))
    assert db.session.scalar(select(func.count()).select_from(SurveyDraft)) == 0
    answer_to_check(client, demo)
    response = client.post(
        f"{demo.base}/check-answers", data={"website": "x"}, follow_redirects=True
    )
    assert "Your answers have been sent" in main_text(response)
    assert (
        response_count() == 0
        and db.session.scalar(select(func.count()).select_from(SurveyDraft)) == 0
    )


def test_answers_sent_too_soon_after_the_first_page_are_not_stored(client, demo):
    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application, 0.2)}
    )
    client.post(f"{demo.base}/page/2", data=demo.page2(plan="We are still waiting"))
    client.post(f"{demo.base}/page/4", data=demo.page4())
    client.post(f"{demo.base}/about-you", data={})
    response = send(client, demo)
    assert "Your answers have been sent" in main_text(response)
    assert response_count() == 0


def test_sending_is_rate_limited(client, demo, app):
    saved = app.config.get("SURVEY_SEND_RATE_LIMIT")
    app.config["SURVEY_SEND_RATE_LIMIT"] = "1 per hour"
    try:
        answer_to_check(client, demo)
        assert send(client, demo, follow=False).status_code == 302
        other = app.test_client()
        answer_to_check(other, demo)
        assert send(other, demo, follow=False).status_code == 429
        assert response_count() == 1
    finally:
        app.config.pop("SURVEY_SEND_RATE_LIMIT") if saved is None else app.config.update(
            SURVEY_SEND_RATE_LIMIT=saved
        )


def test_pages_are_rate_limited(client, demo, app):
    saved = app.config.get("SURVEY_PAGE_RATE_LIMIT")
    app.config["SURVEY_PAGE_RATE_LIMIT"] = "2 per hour"
    try:
        data = {**demo.page1(), "started": started(app)}
        assert client.post(f"{demo.base}/page/1", data=data).status_code == 302
        assert client.post(f"{demo.base}/page/1", data=data).status_code == 302
        assert client.post(f"{demo.base}/page/1", data=data).status_code == 429
    finally:
        app.config.pop("SURVEY_PAGE_RATE_LIMIT") if saved is None else app.config.update(
            SURVEY_PAGE_RATE_LIMIT=saved
        )


# Performance ----------------------------------------------------------------------------------


def test_a_section_page_runs_the_same_number_of_queries_as_responses_grow(
    client, demo, count_queries
):
    import random

    client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    client.get(f"{demo.base}/page/2")
    with count_queries() as before:
        assert client.get(f"{demo.base}/page/2").status_code == 200
    generate_responses(demo.survey, 30, random.Random(1))
    for _ in range(5):
        other = client.application.test_client()
        other.post(
            f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
        )
    with count_queries() as after:
        assert client.get(f"{demo.base}/page/2").status_code == 200
    assert after.count == before.count
    assert before.count <= 12, before.statements


# Preview --------------------------------------------------------------------------------------


def test_staff_preview_a_draft_survey_and_nothing_is_stored(client, demo, signed_in):
    demo.survey.status = SurveyStatus.DRAFT.value
    db.session.commit()
    signed_in("coordinator")
    response = client.get(f"{demo.base}?preview=1")
    assert response.status_code == 200
    assert "Preview — answers are not stored" in main_text(response)
    start = find_link(response, "Start now")["href"]
    assert "preview=1" in start
    answer_to_check(client, demo, query="?preview=1")
    assert "Preview — answers are not stored" in main_text(client.get(f"{demo.base}/check-answers"))
    response = send(client, demo)
    assert "Preview finished" in main_text(response) and "Nothing was stored" in main_text(response)
    assert response_count() == 0
    assert db.session.scalar(select(func.count()).select_from(SurveyDraft)) == 0


def test_preview_of_a_closed_survey(client, app_ctx, signed_in):
    demo = Demo(create_short_breaks_survey())
    signed_in("admin")
    response = client.get(f"{demo.base}/page/1?preview=1")
    assert response.status_code == 200 and "Preview — answers are not stored" in main_text(response)
    assert page(response).find("form") is not None


def test_only_coordinators_and_admins_can_preview(client, demo, signed_in):
    demo.survey.status = SurveyStatus.DRAFT.value
    db.session.commit()
    assert client.get(f"{demo.base}?preview=1").status_code == 404
    signed_in("officer")
    assert client.get(f"{demo.base}?preview=1").status_code == 404


def test_a_signed_in_coordinator_answering_without_preview_is_stored(client, demo, signed_in):
    signed_in("coordinator")
    answer_to_check(client, demo)
    assert "Preview" not in main_text(client.get(f"{demo.base}/check-answers"))
    send(client, demo)
    assert response_count() == 1
    assert only_response().entered_by_id is None


def test_the_survey_table_is_untouched_by_answering(client, demo):
    """Answering never changes the survey itself (its questions are read-only here)."""
    updated = demo.survey.updated_at
    answer_to_check(client, demo)
    send(client, demo)
    db.session.expire_all()
    assert db.session.get(Survey, demo.survey.id).updated_at == updated
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) > 0


def test_words_that_suggest_danger_show_who_to_contact_now(client, demo):
    from app.domain.thread.safeguarding import seed_default_phrases

    seed_default_phrases()
    db.session.commit()
    answer_to_check(client, demo)
    client.post(
        f"{demo.base}/page/4?change=1",
        data=demo.page4(
            **{demo.name("If we could"): "My son says he wants to die and nobody will see him."}
        ),
    )
    response = send(client, demo)
    text = main_text(response)
    assert "Your answers have been sent" in text
    assert "999" in text and "0800 1111" in text
    assert (
        db.session.scalar(
            select(Contribution.safeguarding).where(
                Contribution.reference == only_response().reference
            )
        )
        is True
    )


def test_ordinary_answers_do_not_show_who_to_contact_now(client, demo):
    answer_to_check(client, demo)
    assert "0800 1111" not in main_text(send(client, demo))


def test_the_privacy_notice_says_how_long_unsent_answers_are_kept(client, app_ctx):
    text = main_text(client.get("/privacy"))
    assert (
        "Survey answers you have not sent yet" in text
        and "delete them 7 days after you last changed them" in text
    )


def test_the_young_person_start_page_speaks_to_them(client, demo):
    young = main_text(client.get(f"{demo.base}?young_person=1"))
    assert "This is the version for young people." in young
    assert "anything else that could show who you are" in young
    assert "identify you or your child" not in young
    standard = main_text(client.get(demo.base))
    assert "This is the version for young people." not in standard
    assert "identify you or your child" in standard


def test_the_young_person_answers_are_worded_in_the_first_person(client, demo):
    client.get(f"{demo.base}?young_person=1")
    client.post(
        f"{demo.base}/page/1?young_person=1",
        data={**demo.page1(), "started": started(client.application)},
    )
    first = page(client.get(f"{demo.base}/page/1"))
    who = [label.get_text(strip=True) for label in first.select(".govuk-radios__label")]
    assert who[:3] == ["My parent or carer", "Me", "My school or college"]
    client.post(f"{demo.base}/page/2", data=demo.page2(plan="We are still waiting"))
    client.post(f"{demo.base}/page/4", data=demo.page4())
    about = page(client.get(f"{demo.base}/about-you"))
    legends = [legend.get_text(strip=True) for legend in about.select("legend")]
    assert "Who is answering?" in legends and "How old are you?" in legends
    labels = [label.get_text(strip=True) for label in about.select(".govuk-radios__label")]
    assert labels[:3] == [
        "Me",
        "My parent or carer, helping me",
        "Someone from my school, college or another service, helping me",
    ]
    assert "My school (a mainstream school)" in labels
    assert "SEND Code of Practice" not in main_text(about)
    # Nothing is chosen in advance, and the stored codes are the standard ones.
    assert not about.select("input[checked]")
    client.post(
        f"{demo.base}/about-you",
        data={"relationship_to_child": "young_person", "setting": "mainstream_school"},
    )
    check = main_text(client.get(f"{demo.base}/check-answers"))
    assert "Who is answering? Me" in check and "Where do you learn? My school" in check
    send(client, demo)
    stored = only_response()
    assert stored.young_person is True


def test_the_standard_about_you_keeps_the_standard_wording(client, demo):
    answer_to_check(client, demo)
    about = page(client.get(f"{demo.base}/about-you"))
    labels = [label.get_text(strip=True) for label in about.select(".govuk-radios__label")]
    assert labels[:3] == ["Parent or carer", "Young person", "Professional"]


def test_closing_times_read_in_govuk_style_on_every_page_that_shows_them(client, app_ctx):
    # 23:59 UTC in January is 11:59pm in the UK.
    closes = utcnow().replace(month=1, day=15, hour=23, minute=59, second=0, microsecond=0)
    closes = closes.replace(year=utcnow().year + 2)
    demo = Demo.create(closes_at=closes, slug="closing-time-survey")
    expected = f"11:59pm on 15 January {closes.year}"
    assert f"Open until {expected}" in main_text(client.get(demo.base))
    assert f"Open until {expected}" in main_text(client.get("/surveys"))
    assert f"Closes {expected}" in main_text(client.get("/"))
    for page_text in (main_text(client.get(demo.base)), main_text(client.get("/surveys"))):
        assert "23:59" not in page_text


# Each POST commits once; a send repeated after a lost answer stores nothing new ----------------


@pytest.fixture
def commits():
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    made = []

    def count(session):
        made.append(session)

    event.listen(Session, "after_commit", count)
    yield made
    event.remove(Session, "after_commit", count)


def draft_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyDraft))


def test_the_first_page_starts_the_draft_and_saves_its_answers_in_one_commit(client, demo, commits):
    response = client.post(
        f"{demo.base}/page/1", data={**demo.page1(), "started": started(client.application)}
    )
    assert response.status_code == 302 and response.location.endswith("/page/2")
    assert len(commits) == 1
    assert draft_for(client, demo.survey).answers[str(demo.q("When was").id)] == "2025-04-03"


def test_a_page_sent_again_updates_the_same_draft(client, demo):
    data = {**demo.page1(), "started": started(client.application)}
    client.post(f"{demo.base}/page/1", data=data)
    client.post(f"{demo.base}/page/1", data=data)
    assert draft_count() == 1


def test_sending_stores_the_response_and_deletes_the_draft_in_one_commit(client, demo, commits):
    answer_to_check(client, demo)
    commits.clear()
    response = send(client, demo, follow=False)
    assert response.location.endswith("/confirmation")
    assert len(commits) == 1
    assert response_count() == 1 and draft_count() == 0


def test_a_send_repeated_after_its_answer_was_lost_confirms_the_stored_response(client, demo):
    answer_to_check(client, demo)
    with client.session_transaction() as session:
        before = dict(session)  # the cookie the browser still has if the answer never came
    first = send(client, demo)
    reference = only_response().reference
    with client.session_transaction() as session:
        session.clear()
        session.update(before)
    second = send(client, demo)
    assert second.status_code == 200
    assert reference in page(second).select_one(".govuk-panel__body").get_text()
    assert "lost" not in main_text(second).lower()
    assert response_count() == 1
    assert reference in page(first).select_one(".govuk-panel__body").get_text()
