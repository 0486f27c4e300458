"""Survey results counted once: the kept counts match counting the answers again, one filter is
read from them too, and published results are stored when published, removed when taken down,
and kept fresh when a response or a quote changes afterwards."""

import random

import pytest

from app.demo.surveys import create_ehc_survey, create_short_breaks_survey
from app.domain.surveys import results as survey_results
from app.domain.surveys import tallies
from app.domain.surveys.results import ResultFilters
from app.domain.thread import contributions
from app.extensions import db
from app.models import Contribution, PublishedSurveyResults, QuestionKind, SurveyResultCount
from app.models.base import utcnow

from ..conftest import user_for
from ..helpers import QueryCounter
from ..survey_results_data import bulk_responses, loaded, option, question, respond

pytestmark = pytest.mark.usefixtures("app_ctx")


def counted(survey, filters=None):
    """Every number the staff results page shows."""
    found = survey_results.staff_results(loaded(survey), filters)
    shown = {("responses",): found.headline.responses}
    for result in found.questions:
        shown[("answered", result.number)] = result.answered
        for cell in result.cells:
            shown[(result.number, cell.label)] = cell.count
    return shown


def stored(survey):
    return db.session.get(PublishedSurveyResults, survey.id)


def quotes(survey, q):
    found = survey_results.published_results(loaded(survey))
    return next(r for r in found.questions if r.question.id == q.id).quotes


def test_each_response_recorded_adds_to_the_kept_counts_exactly_as_counting_again():
    ehc = loaded(create_ehc_survey())
    told = question(ehc, "Were you told")
    yes, no = option(told, "Yes"), option(told, "No")
    respond(
        ehc,
        {told: yes},
        about={"district": "Ashford", "need": ["cognition_learning", "sensory_physical"]},
    )
    respond(ehc, {told: yes}, about={"district": "Ashford", "ehc_plan": "no"}, channel="paper")
    respond(ehc, {told: no}, about={"district": "Dover", "need": ["cognition_learning"]})
    respond(ehc, {told: no})
    kept = {
        (row.filter_key, row.question_id, row.bucket): row.count
        for row in db.session.scalars(
            db.select(SurveyResultCount).where(SurveyResultCount.survey_id == ehc.id)
        )
    }
    assert kept[("", told.id, f"option:{yes}")] == 2
    assert kept[("district=Ashford", told.id, f"option:{yes}")] == 2
    assert kept[("need=cognition_learning", told.id, f"option:{no}")] == 1
    assert kept[("channel=paper", 0, "channel:paper")] == 1

    tallies.recount(ehc.id)  # counting every answer again gives the same rows
    again = {
        (row.filter_key, row.question_id, row.bucket): row.count
        for row in db.session.scalars(
            db.select(SurveyResultCount).where(SurveyResultCount.survey_id == ehc.id)
        )
    }
    assert again == kept


def test_results_filtered_by_one_answer_or_several_match_hand_counts():
    ehc = loaded(create_ehc_survey())
    bulk_responses(ehc, 120, random.Random(5))
    told = question(ehc, "Were you told")
    hand = {}
    for name, value in (
        ("district", "Maidstone"),
        ("need", "cognition_learning"),
        ("channel", "paper"),
    ):
        filters = ResultFilters(**{name: value})
        # One filter reads the kept counts; counting the answers live must agree.
        assert counted(ehc, filters) == _live(ehc, filters)
        hand[name] = counted(ehc, filters)
    both = ResultFilters(district="Maidstone", channel="online")
    assert counted(ehc, both) == _live(ehc, both)
    assert hand["district"][("responses",)] > 0
    assert told  # the survey has the question the other tests count


def _live(survey, filters):
    survey = loaded(survey)
    questions = survey_results.survey_questions(survey)
    tally = tallies.live_tally(
        survey.id,
        filters.conditions(),
        [q.id for q in questions],
        [q.id for q in questions if q.kind_enum == QuestionKind.MULTIPLE_CHOICE],
    )
    original = tallies.kept_tally
    tallies.kept_tally = lambda *args, **kwargs: tally
    try:
        return counted(survey, ResultFilters())
    finally:
        tallies.kept_tally = original


def test_publishing_stores_the_results_and_taking_them_down_removes_them():
    survey = loaded(create_short_breaks_survey())
    rating = question(survey, "Overall")
    for _ in range(6):
        respond(survey, {rating: option(rating, "Good")})
    survey.results_published_at = None
    db.session.commit()
    assert stored(survey) is None

    coordinator = user_for("coordinator")
    assert survey_results.publish_results(coordinator, survey)
    row = stored(survey)
    assert row is not None
    assert [rating.id, f"option:{option(rating, 'Good')}", 6] in row.data["counts"]

    # The public page reads that one row.
    survey = loaded(survey)
    with QueryCounter(db.engine) as counter:
        found = survey_results.published_results(survey)
    assert counter.count == 1
    result = next(r for r in found.questions if r.question.id == rating.id)
    assert {cell.label: cell.count_text for cell in result.cells}["Good"] == "6"

    assert survey_results.unpublish_results(coordinator, survey)
    assert stored(survey) is None


def test_a_paper_response_entered_after_publishing_is_in_the_published_results():
    survey = loaded(create_short_breaks_survey())
    rating = question(survey, "Overall")
    for _ in range(5):
        respond(survey, {rating: option(rating, "Good")})
    respond(survey, {rating: option(rating, "Good")}, channel="paper")
    found = survey_results.published_results(loaded(survey))
    assert found.headline.responses == 6


def test_a_quote_approved_or_flagged_after_publishing_shows_or_goes_at_once():
    survey = loaded(create_short_breaks_survey())
    better = question(survey, "What would make short breaks better")
    response = respond(survey, {better: "More places in the holidays, please."}, consent=True)
    assert quotes(survey, better) == []

    answer = next(a for a in response.answers if a.question_id == better.id)
    contribution = db.session.scalar(
        db.select(Contribution).where(
            Contribution.source_type == "survey_answer", Contribution.source_id == answer.id
        )
    )
    contributions.approve_quote(user_for("coordinator"), contribution, "More holiday places.")
    assert quotes(survey, better) == ["More holiday places."]

    contribution.safeguarding = True
    db.session.commit()
    assert quotes(survey, better) == []


def test_the_stored_results_are_taken_out_when_published_results_change_in_bulk():
    survey = loaded(create_short_breaks_survey())
    better = question(survey, "What would make short breaks better")
    response = respond(survey, {better: "Longer sessions."}, consent=True)
    answer = next(a for a in response.answers if a.question_id == better.id)
    contribution = db.session.scalar(
        db.select(Contribution).where(
            Contribution.source_type == "survey_answer", Contribution.source_id == answer.id
        )
    )
    contribution.quote_text, contribution.quote_approved_at = "Longer sessions.", utcnow()
    db.session.commit()
    assert quotes(survey, better) == ["Longer sessions."]
    # A data rights erasure removes contributions with one bulk statement.
    db.session.execute(
        db.delete(Contribution)
        .where(Contribution.id == contribution.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    assert quotes(survey, better) == []
