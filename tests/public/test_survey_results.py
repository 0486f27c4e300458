"""The public results page: only once published, small numbers hidden, no filters, free text
only as approved quotes, what happens next, in every language."""

import random
import re

import pytest

from app.demo.surveys import create_ehc_survey, create_short_breaks_survey
from app.domain.thread import contributions
from app.extensions import db
from app.models import Contribution, SurveyStatus
from app.models.base import utcnow

from ..conftest import user_for
from ..helpers import heading, main_text, page
from ..survey_results_data import bulk_responses, loaded, option, question, respond

pytestmark = pytest.mark.usefixtures("app_ctx")
URL = "/surveys/short-breaks-2026/results"


@pytest.fixture
def short_breaks():
    return loaded(create_short_breaks_survey())


def section_text(soup, q) -> str:
    return re.sub(
        r"\s+", " ", soup.find(id=f"question-{q.id}").find_parent("section").get_text(" ")
    ).strip()


def answer_ratings(survey, counts: dict[str, int], **extra):
    rating = question(survey, "Overall")
    for label, n in counts.items():
        for _ in range(n):
            respond(survey, {rating: option(rating, label), **extra})
    return rating


def test_results_are_not_found_until_they_are_published(client, short_breaks):
    assert client.get(URL).status_code == 200
    short_breaks.results_published_at = None
    db.session.commit()
    assert client.get(URL).status_code == 404
    assert client.get("/surveys/no-such-survey/results").status_code == 404
    ehc = create_ehc_survey()
    assert client.get(f"/surveys/{ehc.slug}/results").status_code == 404
    ehc.results_published_at = utcnow()
    ehc.status = SurveyStatus.DRAFT.value
    db.session.commit()
    assert client.get(f"/surveys/{ehc.slug}/results").status_code == 404


def test_small_numbers_are_shown_as_fewer_than_5_with_the_next_smallest_hidden(
    client, short_breaks
):
    rating = answer_ratings(
        short_breaks,
        {"Very poor": 2, "Poor": 12, "Neither good nor poor": 9, "Good": 20, "Very good": 30},
    )
    soup = page(client.get(URL))
    assert heading(soup) == "Short breaks and holiday activities 2026"
    text = section_text(soup, rating)
    assert "73 people answered this question." in text
    assert "Very poor fewer than 5" in text
    assert "Neither good nor poor not shown" in text
    assert "Poor 12 16%" in text
    assert "Very good 30 41%" in text
    assert " 9 " not in text and "(12%)" not in text  # the hidden count and its percentage
    assert "Numbers below 5 are shown as “fewer than 5”" in text
    svg = soup.find(id=f"question-{rating.id}").find_parent("section").find("svg")
    assert "Very poor: fewer than 5" in svg.find("desc").get_text()
    assert "People who answered 73" in main_text(soup)


def test_a_question_fewer_than_5_people_answered_shows_nothing_else(client, short_breaks):
    could = question(short_breaks, "Could you find")
    answer_ratings(short_breaks, {"Good": 10})
    for label in ("Yes", "Yes", "No"):
        respond(short_breaks, {could: option(could, label)})
    soup = page(client.get(URL))
    text = section_text(soup, could)
    assert "Fewer than 5 people answered this question." in text
    assert soup.find(id=f"question-{could.id}").find_parent("section").find("svg") is None
    assert "Yes" not in text


def test_a_survey_with_fewer_than_5_responses_publishes_no_answers(client, short_breaks):
    answer_ratings(short_breaks, {"Good": 3})
    text = main_text(client.get(URL))
    assert "People who answered fewer than 5" in text
    assert "Fewer than 5 people answered this survey" in text
    assert "Overall, how good were they?" not in text


def test_no_free_text_unless_consented_and_approved(client, short_breaks):
    better = question(short_breaks, "What would make short breaks better")
    answer_ratings(short_breaks, {"Good": 6})
    approved = respond(
        short_breaks, {better: "Ring Sam Smith on 07700 900123 for more places."}, consent=True
    )
    respond(short_breaks, {better: "Not approved: should stay private."}, consent=True)
    refused = respond(short_breaks, {better: "I said no to quotes."}, consent=False)
    contribution = db.session.scalar(
        db.select(Contribution).where(
            Contribution.source_type == "survey_answer",
            Contribution.source_id == approved.answers[0].id,
        )
    )
    contributions.approve_quote(
        user_for("coordinator"), contribution, "More places in the holidays, please."
    )
    sneaky = db.session.scalar(
        db.select(Contribution).where(
            Contribution.source_type == "survey_answer",
            Contribution.source_id == refused.answers[0].id,
        )
    )
    sneaky.quote_text, sneaky.quote_approved_at = "I said no to quotes.", utcnow()
    db.session.commit()

    soup = page(client.get(URL))
    text = section_text(soup, better)
    assert "More places in the holidays, please." in text
    assert "Quoted with permission" in text
    body = main_text(soup)
    for private in ("Sam Smith", "07700", "Not approved", "I said no to quotes"):
        assert private not in body


def test_filters_in_the_address_are_ignored(client, short_breaks):
    rating = question(short_breaks, "Overall")
    respond(short_breaks, {rating: option(rating, "Good")}, about={"district": "Ashford"})
    for _ in range(9):
        respond(short_breaks, {rating: option(rating, "Poor")}, about={"district": "Dover"})
    plain = section_text(page(client.get(URL)), rating)
    filtered = section_text(page(client.get(URL + "?district=Ashford&channel=online")), rating)
    assert plain == filtered
    assert "10 people answered this question." in filtered


def test_what_happens_next_and_linked_areas(client, short_breaks):
    answer_ratings(short_breaks, {"Good": 5})
    soup = page(client.get(URL))
    text = main_text(soup)
    assert "What happens next" in text
    assert "The results shape next year's short breaks offer." in text
    area = short_breaks.areas[0]
    assert soup.find("a", href=f"/areas/{area.number}") is not None


def test_the_page_in_urdu_reads_right_to_left(client, short_breaks):
    could = question(short_breaks, "Could you find")
    for label in ("Yes",) * 6 + ("No",) * 6:
        respond(short_breaks, {could: option(could, label)})
    client.get("/language/ur?next=/")
    soup = page(client.get(URL))
    assert soup.find("html")["dir"] == "rtl"
    svg = soup.find(id=f"question-{could.id}").find_parent("section").find("svg")
    assert svg["direction"] == "rtl"
    assert "جی ہاں" in svg.get_text() and "نہیں" in svg.get_text()


def test_the_public_page_runs_the_same_queries_whatever_the_number_of_responses(
    client, count_queries, short_breaks, rendered_every_time
):
    bulk_responses(short_breaks, 30, random.Random(1))
    client.get(URL)
    with count_queries() as small:
        assert client.get(URL).status_code == 200
    bulk_responses(short_breaks, 500, random.Random(2))
    with count_queries() as large:
        assert client.get(URL).status_code == 200
    assert small.count == large.count
    assert small.count <= 15
