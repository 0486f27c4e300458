"""The staff pages for outcome measures, as an officer uses them: add a measure, record values,
correct one, import a file of values; refusals next to the fields with what was typed kept."""

import io
from datetime import date

import pytest
from sqlalchemy import func

from app.extensions import db
from app.models import Action, AuditEntry, Measure, MeasureValue

from ..helpers import error_summary, field_error, field_value, heading, main_text, page


def _action(reference="APP-2.2") -> Action:  # no demo measures
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


def _date(name: str, day: date) -> dict:
    return {name: [str(day.day), str(day.month), str(day.year)]}


def _measure_form(**changes) -> dict:
    data = {
        "name": "SENCOs trained in inclusive leadership",
        "description": "How many school SENCOs have finished the inclusive leadership course.",
        "unit": "number",
        "better": "higher",
        "baseline_value": "40",
        **_date("baseline_date", date(2026, 1, 31)),
        "target_value": "400",
        **_date("target_date", date(2027, 7, 31)),
        "source": "Inclusive Leadership Programme register",
        "public": "y",
    }
    data.update(changes)
    return data


def _add(client, action=None, **changes) -> Measure:
    action = action or _action()
    response = client.post(
        f"/manage/plan/actions/{action.id}/measures/new", data=_measure_form(**changes)
    )
    assert response.status_code == 302, error_summary(response)
    return db.session.scalar(db.select(Measure).order_by(Measure.id.desc()).limit(1))


@pytest.mark.parametrize(
    ("role", "allowed"), [("officer", True), ("admin", True), ("coordinator", False)]
)
def test_officers_and_admins_keep_measures(client, signed_in, app_ctx, role, allowed):
    signed_in(role)
    response = client.get(f"/manage/plan/actions/{_action().id}/measures/new")
    assert response.status_code == (200 if allowed else 403)


def test_adding_a_measure_shows_it_on_the_action_page(client, signed_in, app_ctx):
    signed_in("officer")
    measure = _add(client)
    assert measure.name == "SENCOs trained in inclusive leadership"
    assert (measure.baseline_value, measure.target_date) == (40.0, date(2027, 7, 31))
    response = client.get(f"/manage/plan/measures/{measure.id}")
    assert heading(response) == measure.name
    assert "No values have been recorded yet." in main_text(response)
    edit = main_text(client.get(f"/manage/plan/actions/{measure.action_id}/edit"))
    assert "Outcome measures" in edit and measure.name in edit


def test_a_wrong_measure_is_refused_next_to_the_fields_keeping_what_was_typed(
    client, signed_in, app_ctx
):
    signed_in("officer")
    response = client.post(
        f"/manage/plan/actions/{_action().id}/measures/new",
        data=_measure_form(
            name="", baseline_value="forty", unit="percentage", target_value="400", source=""
        ),
    )
    assert response.status_code == 200
    assert field_error(response, "name") == "Enter the name of the measure"
    assert field_error(response, "baseline_value").startswith("The baseline value must be a number")
    assert field_error(response, "target_value") == "A percentage must be between 0 and 100"
    assert field_error(response, "source").startswith("Enter where the figures come from")
    assert field_value(response, "baseline_value") == "forty"
    assert field_value(response, "description").strip().startswith("How many school SENCOs")


def test_recording_a_value_then_the_same_date_points_at_correcting_it(client, signed_in, app_ctx):
    signed_in("officer")
    measure = _add(client)
    url = f"/manage/plan/measures/{measure.id}/values/new"
    form = {**_date("measured_on", date(2026, 10, 31)), "value": "1,20", "note": ""}
    response = client.post(url, data=form)
    assert field_error(response, "value").startswith("Enter a number")
    assert field_value(response, "value") == "1,20"
    response = client.post(url, data={**form, "value": "120", "note": "Provisional"})
    assert response.status_code == 302
    response = client.post(url, data={**form, "value": "125"})
    assert "There is already a value for 31 October 2026" in " ".join(error_summary(response))
    assert "correct that value" in " ".join(error_summary(response))
    assert [v.value for v in measure.values] == [120.0]
    soup = page(client.get(f"/manage/plan/measures/{measure.id}"))
    row = soup.select_one(f"#measure-{measure.id}-values tbody tr")
    assert row.get_text(" ", strip=True).startswith("31 October 2026 Value 120 Note Provisional")


def test_a_future_date_is_refused(client, signed_in, app_ctx):
    signed_in("officer")
    measure = _add(client)
    response = client.post(
        f"/manage/plan/measures/{measure.id}/values/new",
        data={**_date("measured_on", date(2099, 1, 31)), "value": "5"},
    )
    assert "The date must be today or in the past" in error_summary(response)


def test_a_correction_shows_in_the_public_history_and_the_audit_log(client, signed_in, app_ctx):
    officer = signed_in("officer")
    measure = _add(client)
    client.post(
        f"/manage/plan/measures/{measure.id}/values/new",
        data={**_date("measured_on", date(2026, 10, 31)), "value": "120"},
    )
    value = measure.values[0]
    url = f"/manage/plan/measures/{measure.id}/values/{value.id}/correct"
    response = client.post(url, data={"value": "118", "reason": ""})
    assert field_error(response, "reason") == "Enter the reason for the correction"
    assert field_value(response, "value") == "118"
    response = client.post(url, data={"value": "118", "reason": "Two schools counted twice"})
    assert response.status_code == 302
    staff = main_text(client.get(f"/manage/plan/measures/{measure.id}"))
    assert "changed from 120 to 118. Reason: Two schools counted twice" in staff
    assert f"by {officer.name}" in staff
    entry = db.session.scalar(
        db.select(AuditEntry)
        .where(AuditEntry.action == "measure_value.corrected")
        .order_by(AuditEntry.id.desc())
    )
    assert entry.actor_id == officer.id
    assert (entry.detail["from"], entry.detail["to"]) == (120.0, 118.0)
    public = main_text(client.get(f"/actions/{measure.action.reference}"))
    assert "changed from 120 to 118. Reason: Two schools counted twice" in public
    assert officer.name not in public


def test_the_import_reports_rows_and_columns_and_stores_nothing(client, signed_in, app_ctx):
    signed_in("officer")
    measure = _add(client)
    before = db.session.scalar(db.select(func.count()).select_from(MeasureValue))
    content = (
        "measure,date,value,note\n"
        f"{measure.id},2026-08-31,100,\n"
        "Not a measure,2026-09-30,110,\n"
        f"{measure.name},2026-09-31,abc,\n"
    ).encode()
    response = client.post(
        f"/manage/plan/actions/{measure.action_id}/measures/import",
        data={"csv_file": (io.BytesIO(content), "values.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    summary = error_summary(response)[1:]  # the first says how many problems there are
    assert summary[0].startswith("Line 3, column measure: 'Not a measure' is not a measure")
    assert summary[1].startswith("Line 4, column date: The date must be a real date")
    assert summary[2] == "Line 4, column value: The value must be a number, like 62 or 62.5"
    assert "Nothing was imported" in field_error(response, "csv_file")
    assert db.session.scalar(db.select(func.count()).select_from(MeasureValue)) == before


def test_the_example_file_imports_cleanly(client, signed_in, app_ctx):
    signed_in("officer")
    measure = _add(client)
    example = client.get(f"/manage/plan/actions/{measure.action_id}/measures/example.csv")
    assert example.status_code == 200 and example.mimetype == "text/csv"
    response = client.post(
        f"/manage/plan/actions/{measure.action_id}/measures/import",
        data={"csv_file": (io.BytesIO(example.data), "example.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, error_summary(response)
    assert len(measure.values) == 2
    soup = page(client.get(f"/manage/plan/actions/{measure.action_id}/measures/import"))
    assert [th.get_text(strip=True) for th in soup.select("#columns tbody th")] == [
        "measure",
        "date",
        "value",
        "note",
    ]


def test_editing_a_measure_is_audited_with_before_and_after(client, signed_in, app_ctx):
    signed_in("admin")
    measure = _add(client)
    response = client.post(
        f"/manage/plan/measures/{measure.id}/edit", data=_measure_form(target_value="450")
    )
    assert response.status_code == 302
    entry = db.session.scalar(
        db.select(AuditEntry)
        .where(AuditEntry.action == "measure.updated")
        .order_by(AuditEntry.id.desc())
    )
    assert entry.detail["changed"] == {"target_value": {"from": 400.0, "to": 450.0}}


def test_a_value_of_another_measure_is_not_found(client, signed_in, app_ctx):
    signed_in("officer")
    first = _add(client)
    second = _add(client, name="Another measure")
    client.post(
        f"/manage/plan/measures/{first.id}/values/new",
        data={**_date("measured_on", date(2026, 10, 31)), "value": "120"},
    )
    value_id = first.values[0].id
    response = client.get(f"/manage/plan/measures/{second.id}/values/{value_id}/correct")
    assert response.status_code == 404
    assert client.get("/manage/plan/measures/99999999999/edit").status_code == 404
