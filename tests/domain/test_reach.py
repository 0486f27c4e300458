"""Reach: each participation counted once, in its period and activity, by the database, with
small groups withheld and gaps against the baselines."""

from datetime import date, datetime

import pytest

from app.domain.evidence import reach as reach_domain
from app.domain.evidence.reach import Activity, last_complete_quarter, reach
from app.extensions import db

from .. import reach_data as data
from ..helpers import QueryCounter

START, END = data.PERIOD


@pytest.fixture
def ctx(app):
    with app.test_request_context("/manage/reach"):
        yield


def _row(found, dimension: str, code: str):
    return next(row for row in found.dimension(dimension).rows if row.code == code)


def test_each_kind_of_participation_counts_once(ctx):
    survey = data.survey()
    response = data.response(survey, district="Dover", need="cognition_learning,sensory_physical")
    # The contributions a response's answers become are not counted again.
    for _ in range(3):
        data.feedback(at=data.IN_PERIOD).source_type = "survey_answer"
    data.feedback(district="Dover", relationship_to_child="parent_carer")
    consultation = data.consultation()
    data.comment(consultation, language="pl")
    event = data.event()
    data.place(event)
    data.place(event, state="waiting")  # the waiting list is not a place
    data.place(event, state="cancelled")
    data.place(event, attended=False)  # marked as not coming
    data.place(data.event(cancelled_at=datetime(2031, 2, 1)))  # a cancelled event

    found = reach(START, END)
    assert found.total == 4
    assert _row(found, "district", "Dover").count == 2
    assert _row(found, "channel", "online").count == 3
    assert _row(found, "channel", "event").count == 1
    assert _row(found, "language", "pl").count == 1
    assert _row(found, "relationship", "parent_carer").count == 2  # feedback and the place
    # Several needs: the response counts once in each, and once in the total.
    assert _row(found, "need", "cognition_learning").count == 1
    assert _row(found, "need", "sensory_physical").count == 1
    assert _row(found, "need", "").count == 3  # "Not given"
    assert response.id


def test_the_period_is_whole_london_days(ctx):
    survey = data.survey()
    data.response(survey, at=data.BEFORE)  # 31 December 2030
    data.response(survey, at=datetime(2031, 3, 31, 22, 59))  # 31 March, 11:59pm (BST from 30th)
    data.response(survey, at=datetime(2031, 3, 31, 23, 0))  # 1 April, midnight in London
    assert reach(START, END).total == 1
    assert reach(date(2030, 12, 31), END).total == 2


def test_the_activity_filter(ctx):
    survey = data.survey()
    other = data.survey()
    consultation = data.consultation(survey_id=survey.id)
    event = data.event(consultation_id=consultation.id)
    lone_event = data.event()
    data.response(survey)
    data.response(other)
    data.comment(consultation)
    data.place(event)
    data.place(lone_event)
    data.feedback()

    assert reach(START, END, Activity("survey", survey.id)).total == 1
    assert reach(START, END, Activity("survey", other.id)).total == 1
    # A consultation: its comments, its survey's responses and the places at its events.
    assert reach(START, END, Activity("consultation", consultation.id)).total == 3
    assert reach(START, END, Activity("event", lone_event.id)).total == 1
    assert reach(START, END).total == 6
    assert reach_domain.activity_from_value(f"survey:{survey.id}").title == survey.title
    assert reach_domain.activity_from_value("survey:999999999") is None
    assert reach_domain.activity_from_value("nonsense") is None


def test_a_group_of_four_is_withheld_with_its_share_and_ratio(ctx):
    data.clear_baselines()
    data.baseline("district", "Dover", 10)
    data.baseline("district", "Thanet", 40)
    survey = data.survey()
    for _ in range(4):
        data.response(survey, district="Dover")
    for _ in range(16):
        data.response(survey, district="Ashford")
    for _ in range(30):
        data.response(survey, district="Canterbury")

    found = reach(START, END)
    dover = _row(found, "district", "Dover")
    assert dover.suppressed
    assert (dover.share, dover.ratio) == (None, None)
    assert dover.count_text == "fewer than 5"
    frozen = next(d for d in found.as_dict()["dimensions"] if d["key"] == "district")
    dover_frozen = next(row for row in frozen["rows"] if row["code"] == "Dover")
    assert dover_frozen["count"] is None and dover_frozen["share"] is None
    assert dover_frozen["ratio"] is None and dover_frozen["count_text"] == "fewer than 5"
    assert "4" not in str(dover_frozen)
    # the next smallest is withheld with it, or 50 - 30 - 16 would give Dover's 4 back
    ashford = _row(found, "district", "Ashford")
    assert (ashford.share, ashford.ratio, ashford.suppressed) == (None, None, True)
    assert ashford.count_text == "not shown"
    canterbury = _row(found, "district", "Canterbury")
    assert (canterbury.count, canterbury.share, canterbury.suppressed) == (30, 60.0, False)


def test_a_small_group_cannot_be_worked_out_from_the_total(ctx):
    """With only one other group shown, the total less that group would give the small count
    back: the other group is withheld too, as survey results do."""
    data.clear_baselines()
    survey = data.survey()
    for _ in range(3):
        data.response(survey, district="Dover")
    for _ in range(12):
        data.response(survey, district="Ashford")

    found = reach(START, END)
    shown = [row for row in found.dimension("district").rows if not row.suppressed]
    assert found.total == 15
    assert all(row.count == 0 for row in shown)
    assert _row(found, "district", "Ashford").count_text == "not shown"


def test_under_represented_below_half_the_baseline(ctx):
    data.clear_baselines()
    data.baseline("setting", "special_school", 30)
    data.baseline("setting", "mainstream_school", 50)
    data.baseline("district", "Thanet", 25)
    survey = data.survey()
    for _ in range(5):
        data.response(survey, setting="special_school")
    for _ in range(45):
        data.response(survey, setting="mainstream_school")

    found = reach(START, END)
    special = _row(found, "setting", "special_school")
    assert (special.share, special.baseline_share, special.ratio) == (10.0, 30.0, 0.33)
    assert special.under_represented
    mainstream = _row(found, "setting", "mainstream_school")
    assert mainstream.ratio == 1.8 and not mainstream.under_represented
    # Nobody from Thanet: a zero identifies nobody, so it is shown (as survey results show it),
    # and the words say it is under half of its 25%.
    thanet = _row(found, "district", "Thanet")
    assert not thanet.suppressed and thanet.count_text == "0"
    assert thanet.ratio == 0.0 and thanet.under_represented
    # No baseline: no ratio, never under-represented.
    college = _row(found, "setting", "college")
    assert college.baseline_share is None and not college.under_represented


def test_counted_by_the_database_in_a_flat_number_of_queries(app, ctx):
    survey = data.survey()
    data.response(survey)
    with QueryCounter(db.engine) as few:
        reach(START, END)
    for _ in range(40):
        data.response(survey, district="Dover", need="cognition_learning")
        data.feedback(district="Swale")
        data.comment(data.consultation())
    with QueryCounter(db.engine) as many:
        found = reach(START, END)
    assert found.total == 121
    assert many.count == few.count <= 2


def test_gaps_for_open_activities_in_few_queries(app, ctx):
    data.clear_baselines()
    data.baseline("district", "Dover", 40)
    data.baseline("district", "Ashford", 20)
    data.baseline("setting", "special_school", 30)
    survey = data.survey()
    for _ in range(10):
        data.response(survey, district="Ashford", setting="special_school")
    for _ in range(10):
        data.response(survey, district="Ashford")
    consultation = data.consultation()
    for _ in range(30):
        data.comment(consultation)
    activities = [Activity("survey", survey.id), Activity("consultation", consultation.id)]
    with QueryCounter(db.engine) as counter:
        found = reach_domain.gaps_by_activity(activities)
    assert counter.count <= 3
    total, gaps = found[activities[0]]
    assert total == 20
    # Dover: nobody (a zero is shown); the others are at or above their baseline share.
    assert [(gap.dimension, gap.group.code) for gap in gaps] == [("district", "Dover")]
    assert gaps[0].group.ratio == 0.0 and gaps[0].group.under_represented
    total, gaps = found[activities[1]]
    assert total == 30
    # Comments give no "about you": every group with a baseline is at zero, the largest first.
    assert [gap.group.code for gap in gaps] == ["Dover", "special_school", "Ashford"]


def test_the_last_complete_quarter():
    assert last_complete_quarter(date(2026, 12, 6)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert last_complete_quarter(date(2027, 1, 1)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert reach_domain.last_twelve_months(date(2027, 2, 28)) == (
        date(2026, 3, 1),
        date(2027, 2, 28),
    )


def test_the_frozen_copy_is_plain_json_with_suppression_applied(ctx):
    import json

    data.clear_baselines()
    data.baseline("district", "Dover", 10)
    survey = data.survey()
    for _ in range(3):
        data.response(survey, district="Dover", language="ur")
    frozen = reach(START, END, Activity("survey", survey.id, survey.title)).as_dict()
    assert json.loads(json.dumps(frozen)) == frozen
    assert frozen["total"] is None and frozen["total_text"] == "fewer than 5"
    assert frozen["start"] == "2031-01-01" and frozen["activity"]["kind"] == "survey"
    rows = [row for dimension in frozen["dimensions"] for row in dimension["rows"]]
    assert all(row["count"] is None and row["share"] is None for row in rows)
    assert [d["key"] for d in frozen["dimensions"]] == [
        "relationship",
        "district",
        "age_group",
        "need",
        "setting",
        "ehc_plan",
        "channel",
        "language",
    ]
