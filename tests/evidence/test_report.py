"""The board report: periods, figures computed by the database for every area at once, the same
figures as the public area pages and open data, suppression, the CSV, and publishing frozen."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from app.domain.evidence import report
from app.domain.shared.errors import NotAllowed, Refused
from app.domain.thread import metrics
from app.extensions import db
from app.models import (
    Action,
    ActionUpdate,
    Area,
    AuditEntry,
    Measure,
    MeasureValue,
    Organisation,
    PublishedReport,
    YouSaidWeDid,
)

from ..conftest import user_for
from ..domain.test_publishing import area, contribution, published, theme
from ..helpers import main_text, page
from ..reach_data import feedback, survey
from ..reach_data import response as survey_response

Q2 = report.period_from_slug("2026-Q2")  # April to June 2026
IN_Q2 = datetime(2026, 5, 12, 11, 0)
IN_Q1 = datetime(2026, 2, 10, 11, 0)
AFTER = datetime(2026, 8, 1, 11, 0)


@pytest.fixture(autouse=True)
def req(app):
    with app.test_request_context():
        yield


def set_published_at(response: YouSaidWeDid, when: datetime) -> None:
    response.published_at = when
    db.session.commit()


def build(count: int, *, areas, when: datetime, themes=(), state: str = "coded") -> list:
    return [
        contribution(areas=areas, themes=themes, state=state, created_at=when + timedelta(hours=n))
        for n in range(count)
    ]


def area_figures(data: dict, number: int) -> dict:
    return next(found for found in data["areas"] if found["number"] == number)


# Periods -----------------------------------------------------------------------------------------


def test_quarters_and_periods_of_any_dates():
    assert (Q2.start, Q2.end, Q2.slug) == (date(2026, 4, 1), date(2026, 6, 30), "2026-Q2")
    assert Q2.previous().slug == "2026-Q1"
    assert report.period_from_slug("2026-Q1").previous().slug == "2025-Q4"
    assert report.last_complete_quarter(date(2026, 12, 6)).slug == "2026-Q3"
    assert report.last_complete_quarter(date(2027, 1, 1)).slug == "2026-Q4"
    assert str(Q2.label) == "April to June 2026"

    custom = report.period_from_slug("2026-07-01-to-2026-08-15")
    assert (custom.start, custom.end, custom.days) == (date(2026, 7, 1), date(2026, 8, 15), 46)
    # The period before is the same length and ends the day before.
    before = custom.previous()
    assert (before.start, before.end) == (date(2026, 5, 16), date(2026, 6, 30))
    # A whole quarter given as dates is that quarter.
    assert report.period_between(date(2026, 7, 1), date(2026, 9, 30)).slug == "2026-Q3"
    for bad in (
        "2026-Q5",
        "2026-02-30-to-2026-03-01",
        "2026-05-01-to-2026-04-01",
        "9999-12-01-to-9999-12-31",
        "9999-Q4",
        "",
        "Q3",
        "x",
    ):
        assert report.period_from_slug(bad) is None
    with pytest.raises(Refused) as refused:
        report.period_between(date(2026, 5, 1), date(2026, 4, 1))
    assert refused.value.field == "date_to"


# Figures -----------------------------------------------------------------------------------------


def test_figures_for_each_area_and_the_plan_with_changes_and_suppression(app_ctx):
    officer, admin = user_for("officer"), user_for("admin")
    one, two = area(1), area(2)
    waits, communication = theme("Waiting times"), theme("Communication")
    now_items = build(12, areas=[one], when=IN_Q2, themes=[waits])
    build(3, areas=[one], when=IN_Q2, state="new", themes=[communication])
    build(6, areas=[one], when=IN_Q1)
    build(3, areas=[two], when=IN_Q2)  # fewer than 5: suppressed, and its shares withheld
    build(2, areas=[one], when=AFTER)  # after the period: not counted
    response = published(officer, admin, [c.id for c in now_items[:6]], area_ids=[one.id])
    set_published_at(response, IN_Q2 + timedelta(days=20))

    data = report.figures(Q2)
    first = area_figures(data, 1)
    loop = first["loop"]
    assert (loop["received"]["now"], loop["received"]["before"]) == (15, 6)
    assert report.change_text(loop["received"]) == "up 9"
    assert loop["coded"]["now"] == 12
    assert loop["coded_percent"]["now"] == 80 and loop["coded_percent"]["before"] == 100
    assert report.change_text(loop["coded_percent"]) == "down 20 percentage points"
    assert loop["used_percent"]["now"] == 40  # 6 of 15
    assert loop["used_percent"]["before"] is None  # none used: no share to publish
    assert report.change_text(loop["used_percent"]) == "not comparable"
    assert loop["median_days"]["now"] == 20
    assert loop["responses_published"]["now"] == 1
    # The themes most heard, most first; a small one reads "fewer than 5".
    assert [(t["name"], t["now"]) for t in first["themes"]] == [
        ("Waiting times", 12),
        ("Communication", None),
    ]
    assert report.value_text(first["themes"][1]) == "fewer than 5"
    data_two = area_figures(data, 2)
    assert data_two["loop"]["received"]["now"] is None
    assert data_two["loop"]["received"]["suppressed"] is True
    assert report.value_text(data_two["loop"]["received"]) == "fewer than 5"
    assert data_two["loop"]["coded_percent"]["now"] is None  # 3 of 3 would read 100%
    # Whole plan: each contribution once.
    assert data["plan"]["loop"]["received"]["now"] == 18
    assert data["plan"]["loop"]["responses_published"]["now"] == 1
    assert report.change_text(data["plan"]["loop"]["responses_published"]) == "up 1"
    assert report.change_text({"kind": "count", "change": 0}) == "no change"


def test_actions_by_status_at_the_end_of_each_period_and_overdue(app_ctx):
    q3 = report.period_from_slug("2026-Q3")

    def six(period):
        return area_figures(report.figures(period), 6)["actions"]

    before_q2, before_q3 = six(Q2), six(q3)
    owner = db.session.scalar(db.select(Organisation))
    target = Action(
        reference="TEST-6.9",
        title="Test action",
        owner_organisation_id=owner.id,
        status="complete",
        progress=100,
        due_date=date(2026, 5, 31),
        areas=[area(6)],
    )
    db.session.add(target)
    db.session.flush()
    db.session.add_all(
        [
            ActionUpdate(
                action_id=target.id,
                previous_status="not_started",
                status="on_track",
                progress=20,
                created_at=datetime(2026, 3, 1, 12, 0),
            ),
            ActionUpdate(
                action_id=target.id,
                previous_status="on_track",
                status="complete",
                progress=100,
                created_at=datetime(2026, 7, 5, 12, 0),
            ),
        ]
    )
    db.session.commit()
    q2_now, q3_now = six(Q2), six(q3)
    # At the end of June it was on track (completed in July) and past its due date; at the end
    # of March, on track and not yet due; by the end of September, complete and not overdue.
    assert q2_now["by_status"]["on_track"]["now"] == before_q2["by_status"]["on_track"]["now"] + 1
    assert q2_now["overdue"]["now"] == before_q2["overdue"]["now"] + 1
    assert q2_now["by_status"]["on_track"]["before"] == (
        before_q2["by_status"]["on_track"]["before"] + 1
    )
    assert q2_now["overdue"]["before"] == before_q2["overdue"]["before"]
    assert q3_now["by_status"]["complete"]["now"] == before_q3["by_status"]["complete"]["now"] + 1
    assert q3_now["overdue"]["now"] == before_q3["overdue"]["now"]
    assert q3_now["total"]["now"] == before_q3["total"]["now"] + 1


def test_the_report_agrees_with_the_public_area_page_and_open_data(app, client, app_ctx):
    officer, admin = user_for("officer"), user_for("admin")
    four = area(4)
    items = build(9, areas=[four], when=IN_Q2)
    build(4, areas=[four], when=IN_Q2, state="new")
    response = published(officer, admin, [c.id for c in items[:5]], area_ids=[four.id])
    set_published_at(response, IN_Q2 + timedelta(days=10))
    db.session.commit()

    figures = area_figures(report.figures(Q2), 4)["loop"]
    own = metrics.loop_metrics(area_id=four.id)
    assert figures["received"]["now"] == own.contributions == 13
    assert figures["coded_percent"]["now"] == own.coded_percent == 69
    assert figures["used_percent"]["now"] == own.used_percent == 38
    assert figures["median_days"]["now"] == own.median_days_display == 10

    text = main_text(client.get("/areas/4"))
    assert "13" in text and "69%" in text and "38%" in text and "10 days (median)" in text
    rows = {row["number"]: row for row in client.get("/open-data/areas.json").json["data"]}
    assert rows[4]["contributions"] == figures["received"]["now"]
    assert rows[4]["share_coded_percent"] == figures["coded_percent"]["now"]
    assert rows[4]["share_used_percent"] == figures["used_percent"]["now"]
    assert rows[4]["median_days_to_response"] == figures["median_days"]["now"]


def test_the_report_query_count_does_not_grow_with_the_data(app_ctx, count_queries):
    officer, admin = user_for("officer"), user_for("admin")

    def measure() -> int:
        with count_queries() as counter:
            report.figures(Q2)
        return counter.count

    before = measure()
    for number in range(1, 10):
        items = build(8, areas=[area(number)], when=IN_Q2, themes=[theme(f"Theme {number}")])
        build(3, areas=[area(number)], when=IN_Q1)
        response = published(officer, admin, [c.id for c in items[:4]], area_ids=[area(number).id])
        set_published_at(response, IN_Q2 + timedelta(days=number))
    for number in (10, 11):  # more areas, each with contributions of its own
        extra = Area(number=number, title=f"Area {number}", finding="Found.")
        db.session.add(extra)
        db.session.flush()
        build(6, areas=[extra], when=IN_Q2, themes=[theme("Theme extra")])
    db.session.commit()
    assert measure() == before
    assert len(report.figures(Q2)["areas"]) == 11


def test_small_numbers_never_show_through_a_percentage_on_the_area_page(client, app_ctx):
    three = area(3)
    build(4, areas=[three], when=IN_Q2)  # four contributions, all coded
    db.session.commit()
    text = main_text(client.get("/areas/3"))
    assert "Contributions received fewer than 5" in text
    assert "Linked to the plan" not in text  # 4 of 4 would read 100%
    assert "is about fewer than 5 people" in text


# The staff page and its CSV ----------------------------------------------------------------------


def test_staff_see_the_report_and_download_it_as_csv(client, signed_in, app_ctx):
    formula = theme("=HYPERLINK(1)")
    build(6, areas=[area(5)], when=IN_Q2, themes=[formula])
    db.session.commit()
    signed_in("coordinator")
    response = client.get("/manage/report?period=2026-Q2")
    assert response.status_code == 200
    soup = page(response)
    assert soup.find("h1").get_text(strip=True) == "April to June 2026"
    headings = [h.get_text(" ", strip=True) for h in soup.select("section h2")]
    assert headings[:2] == ["Across the plan", "Who took part"]
    assert [h for h in headings if h.startswith("Area ")][4].startswith("Area 5:")
    assert "Publish this report" not in main_text(soup)  # coordinators do not publish

    download = client.get("/manage/report.csv?period=2026-Q2")
    assert download.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0][:3] == ["area", "area_title", "figure"]
    received = [r for r in rows if r[0] == "5" and r[2] == "Contributions received"]
    assert received[0][4:] == ["6", "2026-Q1", "fewer than 5", "not comparable"]
    assert any(r[2] == "'Theme: =HYPERLINK(1)" or r[2].startswith("Theme: =") for r in rows)
    assert not any(cell.startswith("=") for r in rows for cell in r)


def test_the_report_defaults_to_the_last_complete_quarter_and_takes_dates(client, signed_in):
    signed_in("officer")
    soup = page(client.get("/manage/report"))
    assert soup.select_one("select#period option[selected]") is not None
    response = client.get(  # dates typed win over the quarter in the list
        "/manage/report?period=2026-Q2&date_from-day=1&date_from-month=7&date_from-year=2026"
        "&date_to-day=15&date_to-month=8&date_to-year=2026"
    )
    assert page(response).find("h1").get_text(strip=True) == "1 July 2026 to 15 August 2026"
    wrong = client.get(
        "/manage/report?period=&date_from-day=1&date_from-month=9&date_from-year=2026"
        "&date_to-day=1&date_to-month=8&date_to-year=2026"
    )
    assert "The end date must be the same as or after the start date" in main_text(wrong)
    assert client.get("/manage/report?period=2099-Q9").status_code == 200
    assert "Select a quarter from the list" in main_text(client.get("/manage/report?period=zz"))


# Publishing --------------------------------------------------------------------------------------


def test_an_admin_publishes_a_report_frozen_and_it_is_public(client, signed_in, app_ctx):
    build(7, areas=[area(2)], when=IN_Q2)
    build(2, areas=[area(7)], when=IN_Q2)
    db.session.commit()
    admin = signed_in("admin")
    response = client.post("/manage/report/publish", data={"period": "2026-Q2"})
    assert response.status_code == 302 and response.location.endswith("/reports/2026-Q2")
    stored = db.session.scalar(db.select(PublishedReport))
    assert stored.published_by_id == admin.id and stored.slug == "2026-Q2"
    assert area_figures(stored.figures, 7)["loop"]["received"]["now"] is None  # frozen suppressed
    assert db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "report.published")
    ).record_id == str(stored.id)

    public = client.get("/reports/2026-Q2")
    text = main_text(public)
    assert "Published on" in text and admin.name not in text and admin.email not in text
    area_two = page(public).find(id="area-2-loop")
    assert "7" in area_two.get_text(" ")
    assert "fewer than 5" in page(public).find(id="area-7-loop").get_text(" ")
    assert "April to June 2026" in main_text(client.get("/reports"))

    # Later data never changes it.
    build(20, areas=[area(2)], when=IN_Q2)
    db.session.commit()
    again = page(client.get("/reports/2026-Q2")).find(id="area-2-loop").get_text(" ")
    assert again == area_two.get_text(" ")

    # Publishing the same period again is refused, and says why.
    twice = client.post("/manage/report/publish", data={"period": "2026-Q2"})
    assert twice.status_code == 400
    assert "has already been published" in main_text(twice)
    assert db.session.scalar(db.select(db.func.count()).select_from(PublishedReport)) == 1


def test_only_admins_publish_and_only_periods_that_have_ended(client, signed_in, app_ctx):
    signed_in("officer")
    assert client.post("/manage/report/publish", data={"period": "2026-Q2"}).status_code == 403
    with pytest.raises(NotAllowed):
        report.publish(user_for("officer"), Q2, date(2026, 12, 6))
    with pytest.raises(Refused) as refused:
        report.publish(user_for("admin"), report.quarter_of(date(2026, 12, 6)), date(2026, 12, 6))
    assert "period that has ended" in refused.value.message
    assert client.get("/reports/2026-Q4").status_code == 404
    assert client.get("/reports/" + "x" * 300).status_code == 404


# Measures and reach ------------------------------------------------------------------------------


def measured(name: str, *, public: bool, values: dict) -> Measure:
    owner = db.session.scalar(db.select(Organisation))
    target = Action(
        reference=f"TEST-{name[:8]}",
        title="Test action with measures",
        owner_organisation_id=owner.id,
        areas=[area(8)],
    )
    db.session.add(target)
    db.session.flush()
    measure = Measure(
        action_id=target.id,
        name=name,
        unit="percentage",
        better="higher",
        baseline_value=30.0,
        baseline_date=date(2026, 1, 1),
        target_value=80.0,
        target_date=date(2027, 1, 1),
        source="Test figures",
        public=public,
    )
    db.session.add(measure)
    db.session.flush()
    for day, value in values.items():
        db.session.add(MeasureValue(measure_id=measure.id, measured_on=day, value=value))
    db.session.commit()
    return measure


def test_measures_against_their_targets_and_who_took_part_in_the_report(client, signed_in, app_ctx):
    measured(
        "Plans on time",
        public=True,
        values={date(2026, 3, 31): 40.0, date(2026, 6, 15): 55.0, date(2026, 9, 1): 90.0},
    )
    measured("Staff-only figure", public=False, values={date(2026, 6, 1): 10.0})
    people_before = report.figures(Q2)["reach"]["participants"]["now"] or 0
    for n in range(6):
        feedback(at=IN_Q2 + timedelta(hours=n), district="Dover")

    data = report.figures(Q2)
    eight = {m["name"]: m for m in area_figures(data, 8)["measures"]}
    plans = eight["Plans on time"]
    # The latest value on or before the end of June (not September's), against the line.
    assert (plans["now"], plans["before"]) == (55.0, 40.0)
    assert report.change_text(plans) == "up 15 percentage points"
    assert report.value_text(plans) == "55%"
    assert plans["state"] == "on_track"  # the line is at about 54.7 on 15 June
    assert "Staff-only figure" in eight  # the board sees every measure
    assert data["reach"]["participants"]["now"] == people_before + 6
    district = next(d for d in data["reach"]["dimensions"] if d["key"] == "district")
    assert next(r for r in district["rows"] if r["code"] == "Dover")["count"] >= 6

    signed_in("admin")
    text = main_text(client.get("/manage/report?period=2026-Q2"))
    assert "Plans on time" in text and "up 15 percentage points" in text
    assert "Who took part" in text
    client.post("/manage/report/publish", data={"period": "2026-Q2"})
    public = main_text(client.get("/reports/2026-Q2"))
    assert "Plans on time" in public and "55%" in public
    assert "Staff-only figure" not in public  # measures that are not public stay unpublished


def test_open_data_gives_who_took_part_in_each_published_report_and_survey_totals(client, app_ctx):
    for n in range(7):
        feedback(at=IN_Q2 + timedelta(hours=n), district="Dover")
    for n in range(5):  # withheld with Thanet, so that Thanet's 2 cannot be worked out
        feedback(at=IN_Q2 + timedelta(hours=n), district="Ashford")
    for n in range(2):
        feedback(at=IN_Q2 + timedelta(hours=n), district="Thanet")
    db.session.commit()
    assert client.get("/open-data/reach.json").json["data"] == []  # nothing published yet
    report.publish(user_for("admin"), Q2, date(2026, 12, 6))
    for n in range(10):
        feedback(at=IN_Q2 + timedelta(hours=n), district="Thanet")  # later: never counted
    db.session.commit()

    records = client.get("/open-data/reach.json").json["data"]
    district = {r["group"]: r for r in records if r["dimension"] == "district"}
    assert district["Dover"]["report"] == "2026-Q2"
    assert district["Dover"]["participants"] >= 7
    assert district["Thanet"]["participants"] is None
    assert district["Thanet"]["participants_suppressed"] is True
    assert district["Thanet"]["share_percent"] is None
    rows = list(csv.DictReader(io.StringIO(client.get("/open-data/reach.csv").text)))
    thanet = next(r for r in rows if r["dimension"] == "district" and r["group"] == "Thanet")
    assert thanet["participants"] == "fewer than 5"
    assert thanet["share_percent"] == "suppressed"
    assert "/open-data/reach.csv" in client.get("/open-data").text


def test_open_data_survey_totals_withhold_small_counts_and_leave_drafts_out(client, app_ctx):
    busy, quiet = survey(status="published"), survey(status="published")
    hidden = survey(status="draft")
    for _ in range(6):
        survey_response(busy)
    for _ in range(2):
        survey_response(quiet)
    survey_response(hidden)
    db.session.commit()
    found = {r["slug"]: r for r in client.get("/open-data/surveys.json").json["data"]}
    assert found[busy.slug]["responses"] == 6 and not found[busy.slug]["responses_suppressed"]
    assert found[quiet.slug]["responses"] is None and found[quiet.slug]["responses_suppressed"]
    assert hidden.slug not in found
    rows = {
        r["slug"]: r for r in csv.DictReader(io.StringIO(client.get("/open-data/surveys.csv").text))
    }
    assert rows[quiet.slug]["responses"] == "fewer than 5"


def test_the_publish_button_is_for_admins_and_ended_periods(client, signed_in):
    signed_in("admin")
    current = report.quarter_of(report.local_day(report.utcnow()))
    text = main_text(client.get(f"/manage/report?period={current.slug}"))
    assert "A report can be published once its period has ended." in text
    assert "Publish this report" not in text
    assert "Publish this report" in main_text(client.get("/manage/report?period=2026-Q2"))


# Individual cases --------------------------------------------------------------------------------


def cases_in_q2(answered_days: list[int | None], area_number: int = 6) -> None:
    """One case per entry, handed over on 12 May 2026 with 26 May as its due day, answered that
    many days after hand-over (None: not answered)."""
    from ..case_helpers import handed_over, team

    casework = team()
    for days in answered_days:
        case = handed_over(to_team=casework, area=area_number)
        case.created_at = IN_Q2
        case.due_on = date(2026, 5, 26)
        case.answered_on = None if days is None else date(2026, 5, 12) + timedelta(days=days)
    db.session.commit()


def test_cases_answered_within_target_by_area_and_across_the_plan(app_ctx):
    cases_in_q2([1, 3, 5, 8, 14, 20, None])  # five by 26 May, one late, one not answered
    data = report.figures(Q2)
    for section in (area_figures(data, 6), data["plan"]):
        loop = section["loop"]
        assert loop["cases_passed_on"]["now"] == 7
        assert loop["cases_answered_within_target"]["now"] == 5
        assert loop["cases_within_target_percent"]["now"] == 83  # 5 of the 6 answered
    assert area_figures(data, 2)["loop"]["cases_passed_on"]["suppressed"] is True
    labels = report.figure_labels()
    rows = report.csv_rows(data)
    assert any(labels["cases_answered_within_target"] in row and "5" in row for row in rows)


def test_a_few_cases_show_as_fewer_than_5_and_no_share(app_ctx):
    cases_in_q2([1, 2, 3, 30])
    loop = area_figures(report.figures(Q2), 6)["loop"]
    assert loop["cases_passed_on"]["now"] is None
    assert loop["cases_passed_on"]["suppressed"] is True
    assert loop["cases_within_target_percent"]["now"] is None
