"""Survey results: counts and percentages for every kind of question, filters, suppression of
small numbers (including secondary suppression), the quotes rule, and publishing."""

import random
import statistics
from datetime import date, datetime, timedelta

import pytest

from app.demo.surveys import create_ehc_survey, create_short_breaks_survey
from app.domain.shared import suppression
from app.domain.shared.errors import Refused
from app.domain.surveys import results as survey_results
from app.domain.surveys.results import SECONDARY, SMALL, ResultFilters, bands, suppress
from app.extensions import db
from app.models import AuditEntry, Contribution, SurveyAnswer
from app.models.base import utcnow

from ..conftest import user_for
from ..survey_results_data import loaded, option, question, respond

pytestmark = pytest.mark.usefixtures("app_ctx")


def result_for(results, q):
    return next(r for r in results.questions if r.question.id == q.id)


def cells(result) -> dict[str, int]:
    return {cell.label: cell.count for cell in result.cells}


def percents(result) -> dict[str, float]:
    return {cell.label: cell.percent for cell in result.cells}


@pytest.fixture
def ehc():
    return loaded(create_ehc_survey())


@pytest.fixture
def short_breaks():
    return loaded(create_short_breaks_survey())


# --- Suppression rules ---------------------------------------------------------------------------


def test_counts_of_five_or_more_are_shown():
    assert suppress([5, 10, 20], 35, additive=True, below=5) == (False, [None, None, None])


def test_zero_is_shown_and_never_chosen_to_hide_another():
    hidden, marks = suppress([0, 3, 10, 20], 33, additive=True, below=5)
    assert not hidden
    assert marks[0] is None
    assert marks[1] == SMALL
    assert marks[2] == SECONDARY  # the next smallest, not the zero
    assert marks[3] is None


def test_one_small_count_hides_the_next_smallest_so_it_cannot_be_worked_out_from_the_total():
    hidden, marks = suppress([3, 10, 20], 33, additive=True, below=5)
    assert (hidden, marks) == (False, [SMALL, SECONDARY, None])


def test_more_counts_are_hidden_while_the_small_one_could_still_be_pinned_down():
    # 3 hidden with 5: the two add up to 8 and the second is at most 5 (the smallest shown),
    # so the small one would have to be 3. Hiding the other 5 as well leaves it open.
    hidden, marks = suppress([3, 5, 5], 13, additive=True, below=5)
    assert marks == [SMALL, SECONDARY, SECONDARY]
    assert not suppression._worked_out([3, 5, 5], marks, 13, 5)


def test_two_small_counts_of_one_are_not_left_to_be_worked_out():
    hidden, marks = suppress([1, 1, 10], 12, additive=True, below=5)
    assert marks == [SMALL, SMALL, SECONDARY]


def test_two_small_counts_that_cannot_be_told_apart_need_nothing_more():
    assert suppress([2, 3, 10], 15, additive=True, below=5) == (False, [SMALL, SMALL, None])


def test_small_counts_that_add_up_to_five_or_more_show_the_total_only():
    # 3 and 2 of 5: each could be 1 to 4 as far as anyone can tell from the total.
    assert suppress([3, 2], 5, additive=True, below=5) == (False, [SMALL, SMALL])


def test_fewer_than_five_answers_in_all_hides_the_whole_question():
    hidden, marks = suppress([2, 2], 4, additive=True, below=5)
    assert hidden and marks == [SMALL, SMALL]


def test_multiple_choice_counts_follow_the_simple_rule():
    # Options do not add up to the number of people, so only "exactly one small" applies.
    assert suppress([3, 10, 20, 7], 30, additive=False, below=5) == (
        False,
        [SMALL, None, None, SECONDARY],
    )
    assert suppress([3, 2, 20], 25, additive=False, below=5) == (False, [SMALL, SMALL, None])


def test_the_threshold_comes_from_configuration(app):
    assert suppress([3, 10, 20], 33, additive=True) == (False, [SMALL, SECONDARY, None])
    app.config["SUPPRESS_BELOW"] = 3
    try:
        assert suppress([3, 10, 20], 33, additive=True) == (False, [None, None, None])
    finally:
        app.config["SUPPRESS_BELOW"] = 5


def test_number_bands():
    assert bands(0, 4) == [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]
    assert bands(0, 12) == [(0, 4), (5, 9), (10, 14)]
    assert bands(3, 200) == [(0, 49), (50, 99), (100, 149), (150, 199), (200, 249)]
    assert bands(7, 7) == [(7, 7)]


# --- Counts and percentages by question kind ------------------------------------------------------


def test_single_choice_rating_and_yes_no_count_each_option(ehc):
    who = question(ehc, "Who asked")
    told = question(ehc, "Were you told")
    informed = question(ehc, "How well were you kept informed")
    for choice, yes, rating in [("I did (parent or carer)", "Yes", "Poor")] * 3 + [
        ("The school or college", "No", "Good")
    ]:
        respond(
            ehc,
            {who: option(who, choice), told: option(told, yes), informed: option(informed, rating)},
        )

    found = survey_results.staff_results(loaded(ehc))
    who_result = result_for(found, who)
    assert who_result.answered == 4
    assert cells(who_result) == {
        "I did (parent or carer)": 3,
        "The young person": 0,
        "The school or college": 1,
        "A health professional": 0,
        "Someone else": 0,
        "I do not know": 0,
    }
    assert percents(who_result)["I did (parent or carer)"] == 75
    assert cells(result_for(found, told)) == {"Yes": 3, "No": 1}
    assert list(cells(result_for(found, informed))) == [
        "Very poor",
        "Poor",
        "Neither good nor poor",
        "Good",
        "Very good",
    ]
    assert cells(result_for(found, informed))["Poor"] == 3
    assert found.headline.responses == 4
    assert who_result.chart is not None and len(who_result.chart.rows) == 6


def test_multiple_choice_percentages_are_of_people_and_can_add_up_to_more_than_100(ehc):
    contact = question(ehc, "How did the SEND team contact you")
    respond(
        ehc,
        {contact: {"options": [option(contact, "Email"), option(contact, "Phone")], "other": ""}},
    )
    respond(ehc, {contact: {"options": [option(contact, "Email")], "other": "Text messages"}})
    respond(ehc, {contact: {"options": [], "other": "Through our social worker"}})
    respond(ehc, {contact: {"options": [option(contact, "Letter")], "other": ""}})

    result = result_for(survey_results.staff_results(loaded(ehc)), contact)
    assert result.multiple
    assert result.answered == 4  # people, not ticks
    assert cells(result)["Email"] == 2
    assert cells(result)["Other"] == 2
    assert percents(result)["Email"] == 50
    assert sum(p for p in percents(result).values()) > 100
    assert result.text_count == 2
    assert sorted(answer.text for answer in result.texts) == [
        "Text messages",
        "Through our social worker",
    ]
    assert all(answer.is_other for answer in result.texts)


def test_number_questions_have_count_lowest_median_highest_and_ranges(ehc):
    chased = question(ehc, "How many times")
    for value in (0, 2, 3, 12):
        respond(ehc, {chased: value})
    result = result_for(survey_results.staff_results(loaded(ehc)), chased)
    assert (result.stats.count, result.stats.minimum, result.stats.maximum) == (4, 0, 12)
    assert result.stats.median == 2.5 and result.stats.median_text == "2.5"
    assert cells(result) == {"0 to 4": 3, "5 to 9": 0, "10 to 14": 1}

    respond(ehc, {chased: 7})
    result = result_for(survey_results.staff_results(loaded(ehc)), chased)
    assert result.stats.median == 3 and result.stats.median_text == "3"


def test_the_median_worked_out_by_the_database_matches_python(ehc):
    chased = question(ehc, "How many times")
    rng = random.Random(5)
    values = [rng.randint(0, 200) for _ in range(37)]
    for value in values:
        respond(ehc, {chased: value})
    stats = result_for(survey_results.staff_results(loaded(ehc)), chased).stats
    assert stats.median == statistics.median(values)
    assert (stats.minimum, stats.maximum, stats.count) == (min(values), max(values), 37)


def test_date_questions_are_counted_by_month_with_empty_months_shown(ehc):
    asked = question(ehc, "When was the assessment")
    for day in ("2025-01-10", "2025-01-30", "2025-03-02"):
        respond(ehc, {asked: day})
    result = result_for(survey_results.staff_results(loaded(ehc)), asked)
    assert [(cell.key, cell.count) for cell in result.cells] == [
        ("2025-01", 2),
        ("2025-02", 0),
        ("2025-03", 1),
    ]
    assert [cell.label for cell in result.cells] == ["January 2025", "February 2025", "March 2025"]


def test_dates_spread_over_many_years_are_counted_by_year(ehc):
    asked = question(ehc, "When was the assessment")
    for day in ("2015-05-01", "2019-02-01", "2019-08-01", "2025-01-01"):
        respond(ehc, {asked: day})
    result = result_for(survey_results.staff_results(loaded(ehc)), asked)
    assert result.by_year
    assert cells(result)["2019"] == 2 and cells(result)["2016"] == 0 and len(result.cells) == 11


def test_free_text_answers_newest_first_with_their_contributions(ehc):
    change = question(ehc, "If we could change one thing")
    now = utcnow()
    for days, text in [(3, "Older answer"), (1, "Newest answer"), (2, "Middle answer")]:
        respond(ehc, {change: text}, submitted_at=now - timedelta(days=days))
    result = result_for(survey_results.staff_results(loaded(ehc)), change)
    assert result.answered == result.text_count == 3
    assert [answer.text for answer in result.texts] == [
        "Newest answer",
        "Middle answer",
        "Older answer",
    ]
    newest = result.texts[0]
    contribution = db.session.get(Contribution, newest.contribution_id)
    assert contribution.source_type == "survey_answer"
    assert db.session.get(SurveyAnswer, contribution.source_id).text == "Newest answer"
    assert newest.contribution_reference == contribution.reference
    assert not newest.safeguarding


def test_the_results_page_lists_at_most_ten_answers_and_pages_the_rest(ehc):
    change = question(ehc, "If we could change one thing")
    start = utcnow() - timedelta(days=30)
    for n in range(13):
        respond(ehc, {change: f"Answer {n}"}, submitted_at=start + timedelta(hours=n))
    result = result_for(survey_results.staff_results(loaded(ehc)), change)
    assert len(result.texts) == 10 and result.text_count == 13

    first = survey_results.text_answers_page(ehc, change, per_page=5)
    assert [a.text for a in first.answers] == [f"Answer {n}" for n in (12, 11, 10, 9, 8)]
    assert first.total == 13 and first.next_cursor
    second = survey_results.text_answers_page(ehc, change, after=first.next_cursor, per_page=5)
    third = survey_results.text_answers_page(ehc, change, after=second.next_cursor, per_page=5)
    assert [a.text for a in third.answers] == ["Answer 2", "Answer 1", "Answer 0"]
    assert third.next_cursor is None
    assert (
        survey_results.text_answers_page(ehc, change, after="nonsense", per_page=5).answers
        == first.answers
    )


# --- Filters --------------------------------------------------------------------------------------


def test_filters_by_about_you_and_channel(ehc):
    told = question(ehc, "Were you told")
    yes, no = option(told, "Yes"), option(told, "No")
    respond(ehc, {told: yes}, about={"district": "Ashford", "ehc_plan": "yes"})
    respond(ehc, {told: yes}, about={"district": "Ashford", "ehc_plan": "no"}, channel="paper")
    respond(ehc, {told: no}, about={"district": "Dover", "ehc_plan": "yes"})
    respond(ehc, {told: no})

    survey = loaded(ehc)
    assert cells(result_for(survey_results.staff_results(survey), told)) == {"Yes": 2, "No": 2}
    ashford = survey_results.staff_results(survey, ResultFilters(district="Ashford"))
    assert cells(result_for(ashford, told)) == {"Yes": 2, "No": 0}
    assert ashford.headline.responses == 2
    both = survey_results.staff_results(survey, ResultFilters(district="Ashford", channel="paper"))
    assert cells(result_for(both, told)) == {"Yes": 1, "No": 0}
    assert {cell.key: cell.count for cell in both.headline.channels} == {
        "online": 0,
        "paper": 1,
        "event": 0,
    }
    plan = survey_results.staff_results(survey, ResultFilters(ehc_plan="yes"))
    assert cells(result_for(plan, told)) == {"Yes": 1, "No": 1}
    assert ResultFilters(district="Ashford", channel="paper").labels() == [
        ("District", "Ashford"),
        ("Channel", "Paper"),
    ]


def test_headline_counts_channels_and_the_dates_of_the_first_and_last_response(ehc):
    told = question(ehc, "Were you told")
    first, last = datetime(2026, 1, 5, 9, 0), datetime(2026, 2, 1, 17, 30)
    respond(ehc, {told: option(told, "Yes")}, submitted_at=first)
    respond(ehc, {told: option(told, "Yes")}, channel="event", submitted_at=last)
    headline = survey_results.staff_results(loaded(ehc)).headline
    assert headline.responses == 2
    assert (headline.first_at, headline.last_at) == (first, last)
    assert {cell.key: cell.count for cell in headline.channels} == {
        "online": 1,
        "paper": 0,
        "event": 1,
    }


# --- Published results ----------------------------------------------------------------------------


def _short_breaks_answers(short_breaks, rating_counts: dict[str, int], yes_no: tuple[int, int]):
    rating = question(short_breaks, "Overall")
    could = question(short_breaks, "Could you find")
    labels = [label for label, n in rating_counts.items() for _ in range(n)]
    answers = ["Yes"] * yes_no[0] + ["No"] * yes_no[1]
    for n in range(max(len(labels), len(answers))):
        given = {}
        if n < len(labels):
            given[rating] = option(rating, labels[n])
        if n < len(answers):
            given[could] = option(could, answers[n])
        respond(short_breaks, given)
    return rating, could


def test_published_results_hide_small_counts_and_the_next_smallest(short_breaks):
    rating, could = _short_breaks_answers(
        short_breaks,
        {"Very poor": 2, "Poor": 12, "Neither good nor poor": 9, "Good": 20, "Very good": 30},
        (2, 2),
    )
    found = survey_results.published_results(loaded(short_breaks))
    result = result_for(found, rating)
    shown = {cell.label: (cell.count_text, cell.percent_text) for cell in result.cells}
    assert shown["Very poor"] == ("fewer than 5", "")
    assert shown["Neither good nor poor"] == ("not shown", "")
    assert shown["Poor"] == ("12", "16%")
    assert shown["Very good"] == ("30", "41%")
    bars = {row.label: row for row in result.chart.rows}
    assert bars["Very poor"].bar_percent == 0 and bars["Very poor"].value_text == "fewer than 5"
    assert "Very poor: fewer than 5;" in result.chart.description
    assert "Neither good nor poor: not shown;" in result.chart.description

    # Four people answered yes/no: nothing but that is shown.
    yes_no = result_for(found, could)
    assert yes_no.hidden and yes_no.chart is None
    assert yes_no.answered_text == "Fewer than 5 people answered this question."
    assert all(cell.hidden for cell in yes_no.cells)


def test_staff_results_are_never_suppressed(short_breaks):
    rating, _could = _short_breaks_answers(short_breaks, {"Very poor": 2, "Good": 20}, (0, 0))
    result = result_for(survey_results.staff_results(loaded(short_breaks)), rating)
    assert cells(result)["Very poor"] == 2
    assert not result.has_hidden_cells


def test_published_number_results_leave_out_the_lowest_and_highest(ehc):
    chased = question(ehc, "How many times")
    for value in (1, 2, 3, 4, 5, 150):
        respond(ehc, {chased: value})
    result = result_for(survey_results.published_results(loaded(ehc)), chased)
    assert result.stats.minimum is None and result.stats.maximum is None
    assert result.stats.median == 3.5
    assert all(cell.hidden == SMALL for cell in result.cells if 0 < cell.count < 5)


def test_published_headline_suppresses_a_small_survey(short_breaks):
    _short_breaks_answers(short_breaks, {"Good": 3}, (0, 0))
    headline = survey_results.published_results(loaded(short_breaks)).headline
    assert headline.hidden and headline.responses_text == "fewer than 5"


def test_published_results_use_the_readers_language(ehc):
    told = question(ehc, "Were you told")
    for _ in range(6):
        respond(ehc, {told: option(told, "Yes")})
    result = result_for(survey_results.published_results(loaded(ehc), language="pl"), told)
    assert [cell.label for cell in result.cells] == ["Tak", "Nie"]
    urdu = result_for(survey_results.published_results(loaded(ehc), language="ur", rtl=True), told)
    assert urdu.chart.rtl and urdu.chart.label_x == "100%"


# --- Quotes ---------------------------------------------------------------------------------------


def _answer_contribution(response, q) -> Contribution:
    answer = next(a for a in response.answers if a.question_id == q.id)
    return db.session.scalar(
        db.select(Contribution).where(
            Contribution.source_type == "survey_answer", Contribution.source_id == answer.id
        )
    )


def test_only_consented_approved_unflagged_quotes_are_published_in_their_approved_wording(
    short_breaks,
):
    better = question(short_breaks, "What would make short breaks better")
    coordinator = user_for("coordinator")
    approved = respond(
        short_breaks, {better: "Call Jo on 07700 900123 about more holiday places."}, consent=True
    )
    not_approved = respond(
        short_breaks, {better: "Consented but nobody approved this."}, consent=True
    )
    no_consent = respond(short_breaks, {better: "I did not agree to be quoted."}, consent=False)
    flagged = respond(short_breaks, {better: "Flagged for safeguarding."}, consent=True)
    hidden = respond(short_breaks, {better: "Hidden by a moderator."}, consent=True)

    from app.domain.thread import contributions

    contributions.approve_quote(
        coordinator, _answer_contribution(approved, better), "More holiday places."
    )
    # Approved before anyone noticed: the rule still keeps them off the page.
    for response, change in (
        (no_consent, {}),
        (flagged, {"safeguarding": True}),
        (hidden, {"state": "hidden"}),
    ):
        contribution = _answer_contribution(response, better)
        contribution.quote_text, contribution.quote_approved_at = "Should never appear", utcnow()
        for name, value in change.items():
            setattr(contribution, name, value)
    db.session.commit()
    assert not_approved.consent_to_quote

    result = result_for(survey_results.published_results(loaded(short_breaks)), better)
    assert result.quotes == ["More holiday places."]
    assert result.texts == []
    staff = result_for(survey_results.staff_results(loaded(short_breaks)), better)
    assert len(staff.texts) == 5
    assert next(a for a in staff.texts if a.text == "Flagged for safeguarding.").safeguarding


# --- Publishing -----------------------------------------------------------------------------------


def test_results_are_published_only_once_the_survey_has_closed(ehc, short_breaks):
    coordinator = user_for("coordinator")
    with pytest.raises(Refused):
        survey_results.publish_results(coordinator, ehc)
    assert ehc.results_published_at is None

    short_breaks.results_published_at = None
    db.session.commit()
    assert survey_results.publish_results(coordinator, short_breaks)
    assert short_breaks.results_published_at is not None
    assert not survey_results.publish_results(coordinator, short_breaks)  # already published
    assert survey_results.unpublish_results(coordinator, short_breaks)
    assert short_breaks.results_published_at is None
    actions = list(
        db.session.scalars(
            db.select(AuditEntry.action)
            .where(
                AuditEntry.record_type == "surveys", AuditEntry.record_id == str(short_breaks.id)
            )
            .order_by(AuditEntry.id)
        )
    )
    assert actions == ["survey.results_published", "survey.results_unpublished"]


def test_a_survey_with_no_responses_has_empty_results(ehc):
    found = survey_results.staff_results(loaded(ehc))
    assert found.headline.responses == 0 and found.headline.first_at is None
    assert all(r.answered == 0 and r.chart is None for r in found.questions)
    assert date.today()  # nothing else to check: no errors on an empty survey


def test_several_areas_of_need_are_kept_and_each_one_filters(ehc):
    told = question(ehc, "Were you told")
    yes, no = option(told, "Yes"), option(told, "No")
    both = respond(
        ehc, {told: yes}, about={"need": ["sensory_physical", "communication_interaction"]}
    )
    respond(ehc, {told: no}, about={"need": "cognition_learning"})  # one, as stored before
    respond(ehc, {told: no}, about={"need": ["made_up"]})  # unknown: dropped
    assert both.need == "communication_interaction,sensory_physical"

    survey = loaded(ehc)
    for need, expected in [
        ("communication_interaction", {"Yes": 1, "No": 0}),
        ("sensory_physical", {"Yes": 1, "No": 0}),
        ("cognition_learning", {"Yes": 0, "No": 1}),
    ]:
        filtered = survey_results.staff_results(survey, ResultFilters(need=need))
        assert cells(result_for(filtered, told)) == expected, need
