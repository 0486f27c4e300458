"""Outcome measures on the public pages and in open data, as a parent on the board reads them:
each public measure with its state in words, a chart whose figures match the table beside it,
corrections in its history; private measures nowhere; pages that cost the same queries however
many measures there are."""

import csv
import io
from datetime import date, timedelta

import pytest

from app.domain.plan import measures
from app.extensions import db
from app.models import Action, Area, Measure, MeasureValue

from ..conftest import user_for
from ..helpers import main_text, page


@pytest.fixture
def officer(app):
    with app.test_request_context("/"):
        yield user_for("officer")


def _action(reference="APP-2.2") -> Action:  # an action without demo measures
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


def _measure(officer, name, *, public=True, action=None, values=(), better="higher") -> Measure:
    measure = measures.save_measure(
        officer,
        action or _action(),
        None,
        name=name,
        description=f"What {name} means.",
        unit="percentage",
        better=better,
        baseline_value=20.0,
        baseline_date=date(2026, 1, 1),
        target_value=80.0,
        target_date=date(2027, 1, 1),
        source="Test source",
        public=public,
    )
    for day, value in values:
        measures.record_value(officer, measure, measured_on=day, value=value, note="")
    return measure


def _recent(months: int, start: float, step: float) -> list[tuple[date, float]]:
    today = measures.today()
    return [(today - timedelta(days=30 * (months - i)), start + step * i) for i in range(months)]


def test_the_action_page_shows_each_public_measure_with_its_state_in_words(client, officer):
    ahead = _measure(officer, "Test measure ahead", values=_recent(3, 79.0, 0.5))
    behind = _measure(officer, "Test measure behind", values=_recent(3, 20.0, 0.1))
    old = _measure(officer, "Test measure stale", values=[(date(2026, 1, 31), 30.0)])
    soup = page(client.get("/actions/APP-2.2"))
    states = {
        section.find("h3").get_text(strip=True): section.select_one(".govuk-tag").get_text(
            strip=True
        )
        for section in soup.select("section.app-measure")
    }
    assert states == {
        ahead.name: "On track",
        behind.name: "Off track",
        old.name: "No recent data",
    }
    text = main_text(soup)
    assert "20% on 1 January 2026" in text and "80% by 1 January 2027" in text
    assert "Test source" in text


def test_chart_and_table_agree(client, officer):
    values = _recent(4, 30.0, 5.0)
    measure = _measure(officer, "Test measure charted", values=values)
    soup = page(client.get("/actions/APP-2.2"))
    section = soup.find(id=f"measure-{measure.id}")
    svg = section.find("svg", attrs={"role": "img"})
    assert svg.find("title").get_text() == measure.name
    description = svg.find("desc").get_text()
    assert "4 values recorded" in description and "the latest is 45%" in description
    points = svg.find_all("circle", attrs={"r": "4"})
    rows = section.select(f"#measure-{measure.id}-values tbody tr")
    assert len(points) == len(rows) == 4
    table = [row.find("td").get_text(" ", strip=True).split()[-1] for row in rows]
    assert table == ["45%", "40%", "35%", "30%"]  # newest first
    # Higher values are drawn higher: y falls as the values rise, in date order.
    ys = [float(point["cy"]) for point in points]
    assert ys == sorted(ys, reverse=True)
    xs = [float(point["cx"].rstrip("%")) for point in points]
    assert xs == sorted(xs)


def test_right_to_left_pages_run_time_from_the_right(client, officer):
    measure = _measure(officer, "Test measure in Urdu", values=_recent(3, 30.0, 5.0))
    client.get("/language/ur")
    soup = page(client.get("/actions/APP-2.2"))
    svg = soup.find(id=f"measure-{measure.id}").find("svg", attrs={"role": "img"})
    assert svg["direction"] == "rtl"
    xs = [float(point["cx"].rstrip("%")) for point in svg.find_all("circle", attrs={"r": "4"})]
    assert xs == sorted(xs, reverse=True)


def test_a_private_measure_never_appears_publicly(client, officer):
    private = _measure(officer, "Test private measure", public=False, values=_recent(2, 50, 1))
    area = db.session.scalar(db.select(Area).where(Area.number == 2))
    for url in ["/actions/APP-2.2", f"/areas/{area.number}", "/"]:
        assert private.name not in client.get(url).get_data(as_text=True), url
    for name in ("measures", "measure_values"):
        for fmt in ("csv", "json"):
            body = client.get(f"/open-data/{name}.{fmt}").get_data(as_text=True)
            assert private.name not in body, (name, fmt)


def test_the_area_page_lists_its_public_measures_with_states(client, officer):
    measure = _measure(officer, "Test measure for the area", values=_recent(3, 79.0, 0.5))
    text = main_text(client.get("/areas/2"))
    assert "Test measure for the area" in text
    soup = page(client.get("/areas/2"))
    row = next(r for r in soup.select("tbody tr") if measure.name in r.get_text())
    assert "On track" in row.get_text()
    assert row.find("a")["href"] == f"/actions/APP-2.2#measure-{measure.id}"


def test_the_home_page_counts_measures_on_track(client, officer):
    counts = measures.state_counts(measures.today())
    total = sum(counts.values())
    on_track = counts[measures.MeasureState.ON_TRACK]
    text = main_text(client.get("/"))
    assert f"{on_track} of {total} outcome measures are on track." in text
    _measure(officer, "Test measure on track", values=_recent(3, 79.0, 0.5))
    text = main_text(client.get("/"))
    assert f"{on_track + 1} of {total + 1} outcome measures are on track." in text


def test_open_data_has_measures_with_their_state_and_values(client, officer):
    measure = _measure(officer, "=Test measure, for open data", values=_recent(2, 50.0, 1.0))
    measured = measure.values[0]
    measures.correct_value(officer, measured, value=48.0, reason="Recounted")
    rows = list(csv.DictReader(io.StringIO(client.get("/open-data/measures.csv").text)))
    row = next(r for r in rows if r["id"] == str(measure.id))
    assert row["name"] == "'=Test measure, for open data"  # never a formula in a spreadsheet
    assert row["state"] == "off_track" and row["action"] == "APP-2.2"
    assert row["areas"] == "2; 9"
    data = client.get("/open-data/measure_values.json").get_json()["data"]
    mine = [r for r in data if r["measure_id"] == measure.id]
    assert [r["value"] for r in mine] == [48.0, 51.0]
    assert mine[0]["corrected"] is True and mine[0]["original_value"] == 50.0
    assert mine[0]["correction_reason"] == "Recounted"
    assert "corrected_by" not in mine[0]


def _add_measures(officer, count: int, offset: int):
    """Measures with four values each, the first of them corrected."""
    for index in range(offset, offset + count):
        measure = _measure(officer, f"Test measure {index}", values=_recent(4, 30.0 + index, 1.0))
        first = measure.values[0]
        measures.correct_value(officer, first, value=first.value + 1, reason="Recounted")


@pytest.mark.parametrize("url", ["/actions/APP-2.2", "/areas/2", "/", "/open-data/measures.json"])
def test_queries_do_not_grow_with_measures_and_values(
    client, officer, count_queries, url, rendered_every_time
):
    _add_measures(officer, 2, 0)
    client.get(url)
    with count_queries() as few:
        client.get(url)
    _add_measures(officer, 4, 2)
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count, url
    assert db.session.scalar(db.select(db.func.count()).select_from(MeasureValue)) > 24
