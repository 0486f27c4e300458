"""Reading and checking answers (app/domain/survey_answering.py): every question type into the
stored shape, problems with their messages, the journey through visible pages, drafts,
sending once, and deleting drafts nobody sent."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.demo.surveys import create_short_breaks_survey
from app.domain.people.retention import run_retention
from app.domain.shared.wording import Wording
from app.domain.surveys import answering
from app.domain.surveys.recording import SurveyNotOpen
from app.domain.surveys.structure import Structure, load_survey
from app.extensions import db
from app.models import SurveyDraft, SurveyResponse, SurveyStatus
from app.models.base import utcnow
from tests.survey_helpers import Demo

EN = Wording("en")


@pytest.fixture
def demo(app):
    with app.test_request_context():
        yield Demo.create()


@pytest.fixture
def structure(demo) -> Structure:
    return Structure.of(load_survey(demo.survey.id))


def read(demo, starts, **form):
    question = demo.q(starts)
    data = MultiDict()
    for key, value in form.items():
        name = answering.field_name(question) + ("" if key == "value" else f"-{key}")
        for item in value if isinstance(value, list) else [value]:
            data.add(name, item)
    return answering.read_answer(question, data, EN)


# One question --------------------------------------------------------------------------------


def test_each_kind_is_read_into_the_stored_shape(demo):
    assert read(demo, "If we could", value="  Tell us more \r\n").value == "Tell us more"
    assert read(demo, "What would have", value="Line one\r\nLine two").value == "Line one\nLine two"
    who = int(demo.option("Who asked", "The young person"))
    assert read(demo, "Who asked", value=str(who)).value == who
    rating = int(demo.option("How well were you kept", "Good"))
    assert read(demo, "How well were you kept", value=str(rating)).value == rating
    email, phone = (
        int(demo.option("How did the SEND", "Email")),
        int(demo.option("How did the SEND", "Phone")),
    )
    reading = read(
        demo, "How did the SEND", value=[str(phone), str(email), "other"], other=" Texts "
    )
    assert reading.value == {"options": [email, phone], "other": "Texts"}  # in the question's order
    assert read(demo, "How many times", value=" 1,000 ").value == 1000
    assert read(demo, "When was", day="9", month="1", year="2025").value == "2025-01-09"


def test_nothing_given_is_not_answered(demo):
    for starts in ("If we could", "Who asked", "How did the SEND", "How many times"):
        reading = read(demo, starts)
        assert reading.value is None and reading.problem is None
    assert read(demo, "When was", day="", month="", year="").value is None


@pytest.mark.parametrize(
    "starts,form,message",
    [
        (
            "Who asked",
            {"value": "abc"},
            "Select one of the options given for “Who asked for the EHC needs assessment?”",
        ),
        (
            "Who asked",
            {"value": "999999"},
            "Select one of the options given for “Who asked for the EHC needs assessment?”",
        ),
        (
            "How did the SEND",
            {"value": ["1x"]},
            "Select one of the options given for “How did the SEND team contact you?”",
        ),
        (
            "How did the SEND",
            {"value": ["other"]},
            "Enter your other answer to “How did the SEND team contact you?”",
        ),
        (
            "How many times",
            {"value": "3.5"},
            "Your answer to “How many times did you have to chase for an update?” must "
            "be a whole number, like 3",
        ),
        (
            "When was",
            {"day": "30", "month": "2", "year": "2024"},
            "The date for “When was the assessment asked for?” must be a real date",
        ),
        (
            "When was",
            {"day": "3", "month": "", "year": "2024"},
            "The date for “When was the assessment asked for?” must include a month",
        ),
    ],
)
def test_answers_that_cannot_be_read_say_what_is_wrong(demo, starts, form, message):
    reading = read(demo, starts, **form)
    assert reading.value is None
    assert reading.problem.message == message


def test_other_is_refused_where_the_question_does_not_offer_it(demo):
    question = demo.q("How did the SEND")
    question.allow_other = False
    reading = answering.read_answer(
        question, MultiDict([(answering.field_name(question), "other")]), EN
    )
    assert reading.value is None
    assert (
        reading.problem.message
        == "Select one of the options given for “How did the SEND team contact you?”"
    )


def test_problems_with_kept_answers(demo):
    short = demo.q("If we could")
    assert (
        answering.answer_problem(short, None, EN).message
        == "Enter an answer to “If we could change one thing first, what should it be?”"
    )
    assert answering.answer_problem(short, "x" * 300, EN) is None
    assert answering.answer_problem(short, "x" * 301, EN).message.endswith(
        "must be 300 characters or fewer. You have entered 301 characters."
    )
    number = demo.q("How many times")
    assert answering.answer_problem(number, 200, EN) is None
    assert "between 0 and 200" in answering.answer_problem(number, 201, EN).message
    assert answering.answer_problem(number, None, EN) is None  # optional
    number.min_value, number.max_value = 1, None
    assert answering.answer_problem(number, 0, EN).message.endswith("must be 1 or more")
    number.min_value, number.max_value = None, 9
    assert answering.answer_problem(number, 10, EN).message.endswith("must be 9 or less")
    assert (
        answering.answer_problem(demo.q("Who asked"), None, EN).message
        == "Select an answer to “Who asked for the EHC needs assessment?”"
    )
    multiple = demo.q("How did the SEND")
    multiple.required = True
    assert answering.answer_problem(multiple, None, EN).message.startswith(
        "Select at least one answer"
    )
    assert answering.answer_problem(
        multiple, {"options": [], "other": "y" * 501}, EN
    ).anchor == answering.other_name(multiple)


def test_messages_use_the_readers_wording(demo):
    young = Wording("en", young_person=True)
    assert (
        answering.answer_problem(demo.q("Who asked"), None, young).message
        == "Select an answer to “Who asked for you to be assessed?”"
    )


def test_a_stored_answer_shows_again_as_typed(demo):
    assert answering.typed_from_answer(demo.q("When was"), "2025-04-03") == {
        "day": "3",
        "month": "4",
        "year": "2025",
    }
    assert answering.typed_from_answer(
        demo.q("How did the SEND"), {"options": [5], "other": "Texts"}
    ) == {"options": ["5", "other"], "other": "Texts"}
    assert answering.typed_from_answer(demo.q("How many times"), 0) == "0"


def test_answers_described_for_check_answers(app, demo):
    with app.test_request_context():
        email = int(demo.option("How did the SEND", "Email"))
        assert answering.describe_answer(
            demo.q("How did the SEND"), {"options": [email], "other": "Texts"}, EN
        ) == ["Email", "Other: Texts"]
        assert answering.describe_answer(demo.q("When was"), "2025-04-03", EN) == ["3 April 2025"]
        assert answering.describe_answer(demo.q("How many times"), 1200, EN) == ["1,200"]
        assert answering.describe_answer(demo.q("If we could"), None, EN) == []


# A page ---------------------------------------------------------------------------------------


def test_a_page_keeps_earlier_answers_and_drops_a_question_no_longer_shown(demo, structure):
    help_key = str(demo.q("What help did").id)
    earlier = {str(demo.q("Who asked").id): int(demo.option("Who asked", "Someone else"))}
    form = MultiDict(
        demo.page4(**{demo.name("Did you get help"): demo.option("Did you get help", "No")})
    )
    section = structure.sections[3]
    reading = answering.read_page(structure, list(section.questions), form, earlier, EN)
    assert reading.ok
    assert help_key not in reading.answers
    assert reading.answers[str(demo.q("Who asked").id)] == int(
        demo.option("Who asked", "Someone else")
    )
    assert reading.typed[demo.q("What help did").id] == "They came to the meeting with me."


def test_a_hidden_required_question_is_not_asked(demo, structure):
    help_question = demo.q("What help did")
    help_question.required = True
    form = MultiDict(
        demo.page4(
            **{
                demo.name("Did you get help"): demo.option("Did you get help", "No"),
                demo.name("What help did"): None,
            }
        )
    )
    assert answering.read_page(structure, list(structure.sections[3].questions), form, {}, EN).ok
    form = MultiDict(demo.page4(**{demo.name("What help did"): None}))
    reading = answering.read_page(structure, list(structure.sections[3].questions), form, {}, EN)
    assert list(reading.problems) == [help_question.id]


# The journey ----------------------------------------------------------------------------------


def test_the_journey_counts_only_pages_shown_and_keeps_page_numbers(demo, structure):
    plan = str(demo.q("Is there an EHC").id)
    waiting = answering.Journey(
        structure, {plan: int(demo.option("Is there an EHC", "We are still waiting"))}, EN
    )
    assert [waiting.number(s) for s in waiting.sections] == [1, 2, 4]
    assert waiting.page_count == 4  # three sections and "About you"
    assert waiting.section(3) is None
    with_plan = answering.Journey(structure, {plan: int(demo.option("Is there an EHC", "Yes"))}, EN)
    assert [with_plan.number(s) for s in with_plan.sections] == [1, 2, 3, 4]
    assert with_plan.position(with_plan.section(4)) == 4 and with_plan.page_count == 5
    assert with_plan.next_section(with_plan.section(2)) is with_plan.section(3)
    assert with_plan.previous_section(with_plan.section(1)) is None


def test_a_page_opens_only_when_the_pages_before_it_are_answered(demo, structure):
    journey = answering.Journey(structure, {}, EN)
    assert journey.may_open(journey.section(1))
    assert not journey.may_open(journey.section(2))
    assert journey.first_incomplete() is journey.section(1)
    answers = {
        k[1:]: v
        for k, v in {
            demo.name("Who asked"): int(demo.option("Who asked", "The young person")),
            demo.name("Were you told"): int(demo.option("Were you told", "Yes")),
        }.items()
    }
    journey = answering.Journey(structure, answers, EN)
    assert journey.may_open(journey.section(2)) and not journey.may_open(journey.section(4))


# Drafts and sending ---------------------------------------------------------------------------


def _complete_answers(demo) -> dict:
    return {
        str(demo.q("Who asked").id): int(demo.option("Who asked", "The young person")),
        str(demo.q("Were you told").id): int(demo.option("Were you told", "Yes")),
        str(demo.q("How well were you kept").id): int(
            demo.option("How well were you kept", "Good")
        ),
        str(demo.q("Is there an EHC").id): int(
            demo.option("Is there an EHC", "We are still waiting")
        ),
        str(demo.q("If we could").id): "Answer the phone.",
    }


def test_sending_a_draft_twice_stores_one_response_and_deletes_the_draft(app, demo, structure):
    with app.test_request_context():
        draft = answering.start_draft(demo.survey, language="en")
        answering.save_draft(draft, _complete_answers(demo), last_page="check-answers")
        token = draft.token
        first = answering.send(structure, draft, language="en", wording=EN)
        assert db.session.scalar(select(func.count()).select_from(SurveyDraft)) == 0
        assert answering.response_for_token(token).id == first.id
        assert first.submission_key == answering.submission_key(token)
        again = SurveyDraft(token=token, survey_id=demo.survey.id, answers=_complete_answers(demo))
        db.session.add(again)
        db.session.commit()
        assert answering.send(structure, again, language="en", wording=EN).id == first.id
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_an_unfinished_draft_is_not_sent(app, demo, structure):
    with app.test_request_context():
        draft = answering.start_draft(demo.survey)
        answers = _complete_answers(demo)
        del answers[str(demo.q("If we could").id)]
        answering.save_draft(draft, answers)
        with pytest.raises(answering.NotReady) as refused:
            answering.send(structure, draft, language="en", wording=EN)
        assert refused.value.section.title == "Anything else"
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_a_closed_survey_refuses_a_draft(app, demo, structure):
    with app.test_request_context():
        draft = answering.start_draft(demo.survey)
        answering.save_draft(draft, _complete_answers(demo))
        demo.survey.closes_at = utcnow() - timedelta(seconds=1)
        with pytest.raises(SurveyNotOpen):
            answering.send(structure, draft, language="en", wording=EN)


def test_a_draft_counts_its_time_from_the_first_page(demo):
    shown = utcnow() - timedelta(seconds=30)
    draft = answering.start_draft(demo.survey, started_at=shown)
    assert draft.created_at == shown
    assert not answering.answered_too_quickly(draft, 5)
    assert answering.answered_too_quickly(answering.start_draft(demo.survey), 5)
    # A start time from the future or long ago is not believed.
    assert (
        answering.start_draft(demo.survey, started_at=utcnow() + timedelta(hours=1)).created_at
        <= utcnow()
    )


def test_young_person_mode_only_when_the_survey_has_it(demo):
    assert answering.start_draft(demo.survey, young_person=True).young_person is True
    closed = create_short_breaks_survey()
    assert answering.start_draft(closed, young_person=True).young_person is False


def test_find_draft_needs_the_right_survey_and_a_sane_token(demo):
    draft = answering.start_draft(demo.survey)
    assert answering.find_draft(demo.survey.id, draft.token).id == draft.id
    assert answering.find_draft(demo.survey.id + 1, draft.token) is None
    assert answering.find_draft(demo.survey.id, "x" * 500) is None
    assert answering.find_draft(demo.survey.id, None) is None


def test_retention_deletes_drafts_nobody_touched_for_a_week(app, demo):
    old = answering.start_draft(demo.survey)
    recent = answering.start_draft(demo.survey)
    days = app.config["SURVEY_DRAFT_RETENTION_DAYS"]
    assert days == 7
    old.updated_at = utcnow() - timedelta(days=days, minutes=1)
    recent.updated_at = utcnow() - timedelta(days=days - 1)
    db.session.commit()
    result = run_retention()
    assert result.survey_drafts == 1
    assert [d.id for d in db.session.scalars(select(SurveyDraft))] == [recent.id]


# The public list ------------------------------------------------------------------------------


def test_public_list_by_phase_never_drafts(demo):
    closed = create_short_breaks_survey()
    soon = Demo.create(
        slug="soon", opens_at=utcnow() + timedelta(days=2), closes_at=utcnow() + timedelta(days=9)
    )
    hidden = Demo.create(slug="hidden").survey
    hidden.status = SurveyStatus.DRAFT.value
    db.session.commit()
    listing = answering.public_surveys()
    assert [s.id for s in listing.open] == [demo.survey.id]
    assert [s.id for s in listing.forthcoming] == [soon.survey.id]
    assert [s.id for s in listing.closed] == [closed.id]
