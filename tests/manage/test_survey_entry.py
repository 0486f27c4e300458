"""Staff typing in paper and event survey responses (/manage/surveys/<id>/responses/new): the
same questions and checks as online, the channel, "About you", once per form, audited."""

import re

import pytest
from sqlalchemy import func, select

from app.demo.surveys import create_short_breaks_survey
from app.extensions import db
from app.models import AuditEntry, Contribution, ContributionSource, SurveyResponse, SurveyStatus
from tests.helpers import error_summary, field_error, field_value, heading, main_text, page
from tests.survey_helpers import Demo


@pytest.fixture
def demo(app_ctx) -> Demo:
    return Demo.create()


def url(demo: Demo) -> str:
    return f"/manage/surveys/{demo.survey.id}/responses/new"


def token_from(response) -> str:
    return page(response).find("input", attrs={"name": "token"})["value"]


def entry_data(demo: Demo, token: str, **changes) -> dict:
    data = {
        **demo.page1(),
        **demo.page2(plan="We are still waiting"),
        **demo.page4(),
        "channel": "paper",
        "language": "en",
        "token": token,
        "district": "Thanet",
        "consent_to_quote": "no",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def responses() -> list[SurveyResponse]:
    return list(db.session.scalars(select(SurveyResponse).order_by(SurveyResponse.id)))


def test_the_page_shows_every_question_of_every_section(client, demo, signed_in):
    signed_in("coordinator")
    response = client.get(url(demo))
    assert response.status_code == 200
    assert heading(response) == "Enter a paper or event response"
    text = main_text(response)
    for question in demo.survey.questions:
        assert question.text in text
    assert "Only if the answer to “Is there an EHC plan now?” is “Yes”" in text
    assert len(token_from(response)) >= 16


def test_a_paper_response_is_stored_with_its_channel_and_who_entered_it(client, demo, signed_in):
    user = signed_in("coordinator")
    token = token_from(client.get(url(demo)))
    response = client.post(url(demo), data=entry_data(demo, token))
    assert response.status_code == 302
    assert response.location == f"/manage/surveys/{demo.survey.id}/responses/entered"
    stored = responses()
    assert len(stored) == 1
    entered = stored[0]
    assert (entered.channel, entered.entered_by_id, entered.district) == (
        "paper",
        user.id,
        "Thanet",
    )
    assert entered.consent_to_quote is False
    done = client.get(response.location)
    assert entered.reference in page(done).select_one(".govuk-panel__body").get_text()
    another = next(a for a in page(done).find_all("a") if "Enter another response" in a.get_text())
    assert another["href"] == url(demo)
    audit = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "survey.response_entered")
    )
    assert audit.actor_id == user.id and entered.reference in audit.summary
    texts = db.session.scalars(
        select(Contribution.channel).where(
            Contribution.source_type == ContributionSource.SURVEY_ANSWER.value
        )
    ).all()
    assert texts and set(texts) == {"paper"}


def test_posting_the_same_form_twice_stores_one_response(client, demo, signed_in):
    signed_in("admin")
    token = token_from(client.get(url(demo)))
    first = client.post(url(demo), data=entry_data(demo, token, channel="event"))
    second = client.post(url(demo), data=entry_data(demo, token, channel="event"))
    assert first.status_code == second.status_code == 302
    assert len(responses()) == 1 and responses()[0].channel == "event"
    # A new form is a new response.
    client.post(url(demo), data=entry_data(demo, token_from(client.get(url(demo)))))
    assert len(responses()) == 2


def test_the_channel_is_required_and_bad_answers_are_refused_keeping_the_rest(
    client, demo, signed_in
):
    signed_in("coordinator")
    token = token_from(client.get(url(demo)))
    data = entry_data(
        demo,
        token,
        channel=None,
        **{demo.name("How many times"): "500", demo.name("Who asked"): None},
    )
    response = client.post(url(demo), data=data)
    assert response.status_code == 200
    assert error_summary(response) == [
        "Select how this response reached you",
        "Select an answer to “Who asked for the EHC needs assessment?”",
        "Your answer to “How many times did you have to chase for an update?” must be between 0 "
        "and 200",
    ]
    assert field_error(response, "channel") == "Select how this response reached you"
    assert (
        field_value(response, demo.name("If we could"))
        == "Tell families what is happening without them chasing."
    )
    assert field_value(response, demo.name("How many times")) == "500"
    assert field_value(response, "district") == "Thanet"
    assert token_from(response) == token
    assert responses() == []


def test_answers_the_person_should_have_skipped_are_left_out(client, demo, signed_in):
    signed_in("coordinator")
    token = token_from(client.get(url(demo)))
    # "The plan" is only for those with a plan; the paper says "still waiting" but has it filled in.
    data = {**entry_data(demo, token), **demo.page3()}
    assert client.post(url(demo), data=data).status_code == 302
    stored = {a.question_id for a in responses()[0].answers}
    assert demo.q("How well does the plan").id not in stored
    assert demo.q("If we could").id in stored


def test_a_closed_survey_still_takes_paper_responses(client, app_ctx, signed_in):
    signed_in("coordinator")
    survey = create_short_breaks_survey()
    first = survey.questions[0]
    data = {"channel": "paper", "language": "pl"}
    response = client.get(f"/manage/surveys/{survey.id}/responses/new")
    data["token"] = token_from(response)
    for question in survey.questions:
        if question.required:
            data[f"q{question.id}"] = str(question.options[0].id)
    assert client.post(f"/manage/surveys/{survey.id}/responses/new", data=data).status_code == 302
    stored = responses()[0]
    assert stored.language == "pl" and first.id in {a.question_id for a in stored.answers}


def test_a_draft_survey_takes_no_responses(client, demo, signed_in):
    signed_in("coordinator")
    demo.survey.status = SurveyStatus.DRAFT.value
    db.session.commit()
    response = client.get(url(demo))
    assert "Publish it before you enter responses" in main_text(response)
    assert page(response).find("form", attrs={"method": "post", "novalidate": True}) is None
    client.post(url(demo), data=entry_data(demo, "a" * 24))
    assert responses() == []


def test_only_coordinators_and_admins(client, demo, signed_in):
    assert client.get(url(demo)).status_code == 302  # to sign in
    signed_in("officer")
    assert client.get(url(demo)).status_code == 403
    assert client.post(url(demo), data=entry_data(demo, "a" * 24)).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_unknown_survey_is_not_found(client, app_ctx, signed_in):
    signed_in("coordinator")
    assert client.get("/manage/surveys/999999/responses/new").status_code == 404


def test_the_done_page_without_an_entry_goes_back_to_the_form(client, demo, signed_in):
    signed_in("coordinator")
    response = client.get(f"/manage/surveys/{demo.survey.id}/responses/entered")
    assert response.status_code == 302 and response.location == url(demo)


def test_young_person_paper_version(client, demo, signed_in):
    signed_in("coordinator")
    token = token_from(client.get(url(demo)))
    assert client.post(url(demo), data=entry_data(demo, token, young_person="y")).status_code == 302
    assert responses()[0].young_person is True
    assert re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", responses()[0].reference)
