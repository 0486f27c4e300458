"""The staff home's reach gaps: for each open survey and consultation, its three largest gaps,
linking to the reach page filtered to it."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

from app.extensions import db
from app.models import SurveyStatus
from app.models.base import utcnow

from .. import reach_data as data
from ..helpers import QueryCounter, page, squash


def _open_survey():
    now = utcnow()
    return data.survey(
        status=SurveyStatus.PUBLISHED.value,
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=30),
    )


def _section(response):
    soup = page(response)
    heading = soup.find(id="reach-gaps")
    return soup, heading


def _gaps_for(soup, title: str) -> tuple[str, list[str]]:
    link = next(a for a in soup.select("main h3 a") if title in a.get_text())
    items = link.find_parent("h3").find_next("ul").find_all("li")
    return link["href"], [squash(li.get_text(" ")) for li in items]


def test_each_open_survey_shows_its_three_largest_gaps_with_a_link(client, signed_in):
    data.clear_baselines()
    for district, share in (("Dover", 10), ("Thanet", 20), ("Swale", 10), ("Ashford", 10)):
        data.baseline("district", district, share)
    data.baseline("setting", "special_school", 40)
    survey = _open_survey()
    now = utcnow() - timedelta(hours=1)
    for _ in range(30):
        data.response(survey, at=now, district="Ashford", setting="mainstream_school")
    for _ in range(10):
        data.response(survey, at=now, district="Swale", setting="special_school")
    db.session.commit()
    signed_in("coordinator")
    soup, heading = _section(client.get("/manage/"))
    assert heading is not None
    href, gaps = _gaps_for(soup, survey.title)
    # Thanet and Dover: nobody (a zero is shown), the larger baseline first; then special
    # schools: 25% against 40% (0.62).
    assert gaps == [
        "District: Thanet – 0.0% of participants against a baseline of 20.0% (ratio 0.0) "
        "Under-represented",
        "District: Dover – 0.0% of participants against a baseline of 10.0% (ratio 0.0) "
        "Under-represented",
        "Setting: Special school – 25.0% of participants against a baseline of 40.0% (ratio 0.62)",
    ]
    query = parse_qs(urlparse(href).query)
    assert urlparse(href).path == "/manage/reach"
    assert query["activity"] == [f"survey:{survey.id}"]
    # The link opens the page filtered to the survey, counting the same people.
    assert "40 participants" in squash(page(client.get(href)).get_text(" "))


def test_under_represented_gaps_say_so_in_words(client, signed_in):
    data.clear_baselines()
    data.baseline("district", "Dover", 60)
    survey = _open_survey()
    now = utcnow() - timedelta(hours=1)
    for _ in range(5):
        data.response(survey, at=now, district="Dover")
    for _ in range(45):
        data.response(survey, at=now, district="Swale")
    db.session.commit()
    signed_in("officer")
    soup, _heading = _section(client.get("/manage/"))
    _href, gaps = _gaps_for(soup, survey.title)
    assert gaps == [
        "District: Dover – 10.0% of participants against a baseline of 60.0% (ratio 0.17) "
        "Under-represented"
    ]


def test_the_home_page_query_count_stays_flat_as_activities_and_data_grow(client, signed_in):
    data.baseline("district", "Dover", 30)
    _open_survey()
    data.consultation(
        published=True, opens_at=datetime(2026, 1, 1), closes_at=utcnow() + timedelta(days=10)
    )
    db.session.commit()
    signed_in("admin")
    with QueryCounter(db.engine) as few:
        client.get("/manage/")
    for _ in range(3):
        survey = _open_survey()
        for _ in range(10):
            data.response(survey, at=utcnow() - timedelta(minutes=5), district="Dover")
        consultation = data.consultation(
            published=True,
            opens_at=datetime(2026, 1, 1),
            closes_at=utcnow() + timedelta(days=10),
            survey_id=survey.id,
        )
        data.comment(consultation, at=utcnow() - timedelta(minutes=5))
    db.session.commit()
    with QueryCounter(db.engine) as many:
        response = client.get("/manage/")
    assert response.status_code == 200
    assert many.count == few.count
