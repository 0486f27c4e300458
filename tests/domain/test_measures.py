"""Outcome measures: the on-track rule, recording and correcting values, the CSV import of
values, and the summaries the board report and public pages read."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func

from app.domain.plan import measures
from app.domain.plan.measures import Line, MeasureState, judge
from app.domain.shared.errors import Refused
from app.extensions import db
from app.models import Action, Area, AuditEntry, Measure, MeasureCorrection, MeasureValue

from ..conftest import user_for

TODAY = date(2026, 12, 6)
LINE = Line(date(2026, 1, 1), 50.0, date(2027, 1, 1), 80.0)  # +30 over 365 days


# The rule ---------------------------------------------------------------------------------------


def test_no_values_is_no_recent_data():
    assert judge(LINE, "higher", None, TODAY) is MeasureState.NO_RECENT_DATA


def test_a_value_exactly_90_days_old_is_recent_and_91_days_is_not():
    ninety = TODAY - timedelta(days=90)
    assert judge(LINE, "higher", (ninety, 100.0), TODAY) is MeasureState.ON_TRACK
    ninety_one = TODAY - timedelta(days=91)
    assert judge(LINE, "higher", (ninety_one, 100.0), TODAY) is MeasureState.NO_RECENT_DATA


def test_a_value_dated_after_the_day_asked_about_is_not_used():
    assert judge(LINE, "higher", (TODAY + timedelta(days=1), 99.0), TODAY) is (
        MeasureState.NO_RECENT_DATA
    )
    values = [(TODAY - timedelta(days=10), 60.0), (TODAY + timedelta(days=5), 99.0)]
    assert measures.latest_on_or_before(values, TODAY) == (TODAY - timedelta(days=10), 60.0)


def test_the_line_is_the_baseline_before_it_and_the_target_after_it():
    assert LINE.at(date(2025, 6, 1)) == 50.0
    assert LINE.at(date(2026, 1, 1)) == 50.0
    assert LINE.at(date(2027, 1, 1)) == 80.0
    assert LINE.at(date(2028, 3, 1)) == 80.0
    assert LINE.at(date(2026, 1, 1) + timedelta(days=73)) == pytest.approx(56.0)


def test_a_value_exactly_on_the_line_is_on_track_and_just_below_is_off_track():
    day = date(2026, 1, 1) + timedelta(days=73)  # the line is at 56
    assert judge(LINE, "higher", (day, 56.0), day) is MeasureState.ON_TRACK
    assert judge(LINE, "higher", (day, 55.9), day) is MeasureState.OFF_TRACK


def test_lower_is_better_turns_the_judgement_round():
    falling = Line(date(2026, 1, 1), 40.0, date(2027, 1, 1), 20.0)  # weeks waited
    day = date(2026, 7, 2)  # half way: 30
    assert judge(falling, "lower", (day, 29.0), day) is MeasureState.ON_TRACK
    assert judge(falling, "lower", (day, 30.0), day) is MeasureState.ON_TRACK
    assert judge(falling, "lower", (day, 31.0), day) is MeasureState.OFF_TRACK


def test_baseline_date_equal_to_target_date_judges_against_the_target_from_that_day():
    same = Line(date(2026, 6, 1), 10.0, date(2026, 6, 1), 20.0)
    assert same.at(date(2026, 5, 31)) == 10.0
    assert same.at(date(2026, 6, 1)) == 20.0
    assert judge(same, "higher", (date(2026, 6, 1), 15.0), date(2026, 6, 2)) is (
        MeasureState.OFF_TRACK
    )
    assert judge(same, "higher", (date(2026, 5, 31), 15.0), date(2026, 6, 2)) is (
        MeasureState.ON_TRACK
    )


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(values, values, days, st.integers(min_value=0, max_value=2000), days)
def test_a_value_on_the_line_is_always_on_track(start, end, baseline_day, span, on):
    line = Line(baseline_day, start, baseline_day + timedelta(days=span), end)
    for better in ("higher", "lower"):
        assert judge(line, better, (on, line.at(on)), on) is MeasureState.ON_TRACK


@given(values, values, days, st.integers(min_value=1, max_value=2000), days, values)
def test_better_values_are_never_judged_worse(start, end, baseline_day, span, on, value):
    """If a value is on track, any value at least as good on the same day is on track too; and
    the line always lies between the baseline and the target."""
    line = Line(baseline_day, start, baseline_day + timedelta(days=span), end)
    assert min(start, end) - 1e-6 <= line.at(on) <= max(start, end) + 1e-6
    if judge(line, "higher", (on, value), on) is MeasureState.ON_TRACK:
        assert judge(line, "higher", (on, value + 1), on) is MeasureState.ON_TRACK
    if judge(line, "lower", (on, value), on) is MeasureState.ON_TRACK:
        assert judge(line, "lower", (on, value - 1), on) is MeasureState.ON_TRACK


@pytest.mark.parametrize(
    ("text", "number"),
    [("62", 62.0), ("62.5", 62.5), ("1,250", 1250.0), (" 62% ", 62.0), ("-3", -3.0)],
)
def test_numbers_as_people_type_them(text, number):
    assert measures.parse_number(text) == number


@pytest.mark.parametrize("text", ["", "sixty", "1,25", "1e9", "nan", "inf", "62..5", "=1+1"])
def test_things_that_are_not_numbers(text):
    assert measures.parse_number(text) is None


# Staff changes ----------------------------------------------------------------------------------


@pytest.fixture
def officer(app):
    with app.test_request_context("/manage/plan"):
        yield user_for("officer")


def _action(reference="APP-1.1") -> Action:
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


def _fields(**changes) -> dict:
    fields = {
        "name": "Test measure: enquiries answered within 5 working days",
        "description": "The share of enquiries to the SEND hub answered within 5 working days.",
        "unit": "percentage",
        "better": "higher",
        "baseline_value": 40.0,
        "baseline_date": date(2026, 1, 1),
        "target_value": 90.0,
        "target_date": date(2027, 1, 1),
        "source": "KCC SEND hub records",
        "public": True,
    }
    fields.update(changes)
    return fields


def _new_measure(officer, action=None, **changes) -> Measure:
    return measures.save_measure(officer, action or _action(), None, **_fields(**changes))


def _audit(action_name: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action_name)))


def test_adding_a_measure_is_audited(officer):
    measure = _new_measure(officer)
    assert measure.id and measure.action.reference == "APP-1.1"
    entry = _audit("measure.created")[-1]
    assert entry.record_id == str(measure.id)
    assert entry.detail["changed"]["target_value"] == {"from": None, "to": 90.0}


def test_editing_a_measure_records_before_and_after(officer):
    measure = _new_measure(officer)
    measures.save_measure(officer, measure.action, measure, **_fields(target_value=95.0))
    entry = _audit("measure.updated")[-1]
    assert entry.detail["changed"] == {"target_value": {"from": 90.0, "to": 95.0}}


def test_a_measure_that_breaks_the_rules_is_refused_field_by_field(officer):
    _new_measure(officer)
    with pytest.raises(Refused) as refused:
        _new_measure(
            officer,
            name="test measure: ENQUIRIES answered within 5 working days",
            unit="percentage",
            baseline_value=120.0,
            target_date=date(2025, 1, 1),
            source="",
        )
    fields = [field for field, _message in refused.value.problems]
    assert fields == ["name", "baseline_value", "target_date", "source"]


def test_a_target_worse_than_the_baseline_is_refused(officer):
    with pytest.raises(Refused) as refused:
        _new_measure(officer, better="lower", baseline_value=20.0, target_value=30.0)
    assert refused.value.field == "target_value"


def test_recording_a_value_and_one_per_date(officer):
    measure = _new_measure(officer)
    day = date(2026, 11, 30)
    measures.record_value(officer, measure, measured_on=day, value=62.0, note="Provisional")
    assert _audit("measure_value.recorded")[-1].detail["value"] == 62.0
    with pytest.raises(Refused) as refused:
        measures.record_value(officer, measure, measured_on=day, value=63.0, note="")
    assert refused.value.field == "measured_on"
    assert "correct that value" in refused.value.message


def test_a_value_dated_in_the_future_is_refused(officer):
    measure = _new_measure(officer)
    with pytest.raises(Refused) as refused:
        measures.record_value(
            officer, measure, measured_on=measures.today() + timedelta(days=1), value=1.0, note=""
        )
    assert refused.value.field == "measured_on"


def test_a_percentage_over_100_is_refused(officer):
    measure = _new_measure(officer)
    with pytest.raises(Refused) as refused:
        measures.record_value(officer, measure, measured_on=date(2026, 6, 1), value=101, note="")
    assert refused.value.field == "value"


def test_a_correction_keeps_the_earlier_value_and_is_audited(officer):
    measure = _new_measure(officer)
    measured = measures.record_value(
        officer, measure, measured_on=date(2026, 10, 31), value=62.0, note=""
    )
    measures.correct_value(officer, measured, value=58.0, reason="Late returns from two teams")
    correction = db.session.scalar(
        db.select(MeasureCorrection).where(MeasureCorrection.measure_value_id == measured.id)
    )
    assert (correction.previous_value, correction.new_value) == (62.0, 58.0)
    assert correction.corrected_by_id == officer.id
    assert measured.value == 58.0
    entry = _audit("measure_value.corrected")[-1]
    assert entry.detail["from"] == 62.0 and entry.detail["to"] == 58.0
    assert entry.detail["reason"] == "Late returns from two teams"
    with pytest.raises(Refused):
        measures.correct_value(officer, measured, value=58.0, reason="Again")
    with pytest.raises(Refused) as refused:
        measures.correct_value(officer, measured, value=57.0, reason=" ")
    assert refused.value.field == "reason"


# The import -------------------------------------------------------------------------------------


def _import(officer, text: str, action=None):
    return measures.import_values(officer, action or _action(), text.encode(), filename="v.csv")


def _values_count() -> int:
    return db.session.scalar(db.select(func.count()).select_from(MeasureValue))


def test_an_import_with_a_wrong_row_stores_nothing_and_names_line_and_column(officer):
    measure = _new_measure(officer)
    before = _values_count()
    result = _import(
        officer,
        "measure,date,value,note\n"
        f"{measure.id},2026-09-30,55,\n"
        f"{measure.name},2026-10-31,lots,\n"
        "No such measure,31/11/2026,50,\n"
        f"{measure.id},2026-09-30,56,\n",
    )
    assert not result.ok
    assert [(p.line, p.column) for p in result.problems] == [
        (3, "value"),
        (4, "measure"),
        (4, "date"),
        (5, "date"),
    ]
    assert str(result.problems[0]).startswith("Line 3, column value: ")
    assert "line 2" in str(result.problems[3])
    assert _values_count() == before


def test_an_import_refuses_a_date_that_already_has_a_value(officer):
    measure = _new_measure(officer)
    measures.record_value(officer, measure, measured_on=date(2026, 9, 30), value=50, note="")
    result = _import(officer, f"measure,date,value\n{measure.id},2026-09-30,55\n")
    assert [(p.line, p.column) for p in result.problems] == [(2, "date")]


def test_a_good_import_records_every_value_by_id_or_name(officer):
    measure = _new_measure(officer)
    result = _import(
        officer,
        "measure,date,value,note\n"
        f"{measure.id},2026-09-30,55,\n"
        f'"{measure.name.upper()}",31/10/2026,"60%",Provisional\n',
    )
    assert result.ok, [str(p) for p in result.problems]
    assert sorted((v.measured_on, v.value) for v in measure.values) == [
        (date(2026, 9, 30), 55.0),
        (date(2026, 10, 31), 60.0),
    ]
    assert _audit("measure_values.imported")[-1].detail["count"] == 2


def test_an_unreadable_file_is_one_message(officer):
    result = _import(officer, "measure;date;value\n1;2026-01-01;3\n")
    assert result.file_error and "separated by commas" in result.file_error


# Reading ----------------------------------------------------------------------------------------


def test_summaries_take_the_latest_value_on_or_before_the_day(officer):
    measure = _new_measure(officer)
    for day, value in [(date(2026, 6, 30), 60.0), (date(2026, 9, 30), 70.0)]:
        measures.record_value(officer, measure, measured_on=day, value=value, note="")
    found = {s.measure_id: s for s in measures.measure_summaries(date(2026, 8, 1))}[measure.id]
    assert (found.latest_date, found.latest_value) == (date(2026, 6, 30), 60.0)
    assert found.state is MeasureState.OFF_TRACK  # the line is near 64.7 on 30 June
    found = {s.measure_id: s for s in measures.measure_summaries(date(2026, 10, 1))}[measure.id]
    assert found.latest_value == 70.0
    area_ids = [a.id for a in measure.action.areas]
    assert found.area_ids == sorted(area_ids)
    assert found.action_reference == "APP-1.1"
    early = {s.measure_id: s for s in measures.measure_summaries(date(2026, 5, 1))}[measure.id]
    assert early.latest_value is None and early.state is MeasureState.NO_RECENT_DATA


def test_private_measures_are_left_out_when_asked(officer):
    private = _new_measure(officer, name="Test private measure", public=False)
    ids = {s.measure_id for s in measures.measure_summaries(TODAY, public_only=True)}
    assert private.id not in ids
    assert private.id in {s.measure_id for s in measures.measure_summaries(TODAY)}


def test_summaries_for_an_area_only_hold_its_actions_measures(officer):
    area = db.session.scalar(db.select(Area).where(Area.number == 6))
    for summary in measures.measure_summaries(TODAY, area_ids=[area.id]):
        assert area.id in summary.area_ids


def test_summaries_take_three_queries_however_many_measures(officer, count_queries):
    action = _action()
    for index in range(3):
        measure = _new_measure(officer, action, name=f"Test measure {index}")
        for month in range(1, 7):
            measures.record_value(
                officer, measure, measured_on=date(2026, month, 1), value=50 + month, note=""
            )
    with count_queries() as few:
        measures.measure_summaries(TODAY)
    for index in range(3, 8):
        measure = _new_measure(officer, action, name=f"Test measure {index}")
        for month in range(1, 7):
            measures.record_value(
                officer, measure, measured_on=date(2026, month, 1), value=50 + month, note=""
            )
    with count_queries() as many:
        measures.measure_summaries(TODAY)
    assert few.count == many.count == 3


def test_state_counts_add_up(officer):
    counts = measures.state_counts(TODAY)
    assert set(counts) == set(MeasureState)
    assert sum(counts.values()) == len(measures.measure_summaries(TODAY, public_only=True))
