"""The reach page and its baselines, as staff use them."""

from datetime import date

import pytest

from app.domain.evidence.reach import Activity
from app.extensions import db
from app.models import AuditEntry, ReachBaseline

from .. import reach_data as data
from ..helpers import QueryCounter, error_summary, field_error, main_text, page, squash

PERIOD_ARGS = {
    "date_from-day": "1",
    "date_from-month": "1",
    "date_from-year": "2031",
    "date_to-day": "31",
    "date_to-month": "3",
    "date_to-year": "2031",
}


def _table(soup, dimension: str) -> dict[str, list[str]]:
    rows = {}
    for label in soup.select(".app-table__label"):  # the column names a phone shows
        label.decompose()
    for row in soup.select(f"#table-{dimension} tbody tr"):
        header = row.find("th")
        tag = header.find("strong")
        label = squash(header.get_text(" ").replace(tag.get_text(), "") if tag else header.text)
        rows[label] = [squash(td.get_text(" ")) for td in row.find_all("td")] + (
            [squash(tag.get_text())] if tag else []
        )
    return rows


@pytest.mark.parametrize("role", ["coordinator", "officer", "admin"])
def test_coordinators_officers_and_admins_see_reach(client, signed_in, role):
    signed_in(role)
    response = client.get("/manage/reach")
    assert response.status_code == 200
    assert "Reach: who has been heard" in main_text(response)


def test_reach_needs_signing_in_and_baselines_need_an_admin(client, signed_in):
    response = client.get("/manage/reach")
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    for role in ("coordinator", "officer"):
        with client.session_transaction() as session:
            session.clear()
        signed_in(role)
        assert client.get("/manage/reach/baselines").status_code == 403
        assert client.get("/manage/reach/baselines/district").status_code == 403
        assert client.post("/manage/reach/baselines/district").status_code == 403
        assert client.post("/manage/reach/baselines/import").status_code == 403
        assert client.get("/manage/reach/baselines.csv").status_code == 403
        assert "Change the baselines" not in main_text(client.get("/manage/reach"))
    with client.session_transaction() as session:
        session.clear()
    signed_in("admin")
    assert client.get("/manage/reach/baselines").status_code == 200
    assert "Change the baselines" in main_text(client.get("/manage/reach"))


def test_the_page_shows_counts_shares_ratios_and_withholds_small_groups(client, signed_in):
    data.clear_baselines()
    data.baseline("district", "Dover", 10)
    data.baseline("district", "Ashford", 50)
    data.baseline("district", "Thanet", 40)
    survey = data.survey()
    for district, count in (("Dover", 4), ("Canterbury", 5), ("Ashford", 7), ("Swale", 24)):
        for _ in range(count):
            data.response(survey, district=district)
    db.session.commit()
    signed_in("coordinator")
    soup = page(client.get("/manage/reach", query_string=PERIOD_ARGS))
    assert "40 participants" in squash(soup.select_one("#reach-total").get_text(" "))
    table = _table(soup, "district")
    assert table["Dover"] == ["fewer than 5", "not shown", "10.0%", "not shown"]
    # Canterbury is withheld with it, or 40 - 7 - 24 - 5 would give Dover's 4 back.
    assert table["Canterbury"] == ["not shown", "not shown", "no baseline", "not shown"]
    # 7 of 40 is 17.5%, against 50%: a ratio of 0.35, under-represented in words
    assert table["Ashford"] == ["7", "17.5%", "50.0%", "0.35", "Under-represented"]
    assert table["Swale"] == ["24", "60.0%", "no baseline", "–"]
    # Nobody from Thanet: a zero identifies nobody, so it is shown, and marked.
    assert table["Thanet"] == ["0", "0.0%", "40.0%", "0.0", "Under-represented"]
    assert table["Not given"] == ["0", "0.0%", "no baseline", "–"]
    assert "area of need" in main_text(soup) and "more than 100%" in main_text(soup)
    assert soup.select_one("#dimension-district ~ .govuk-grid-row svg[role=img]") is not None


def test_the_activity_filter_and_the_default_period(client, signed_in):
    survey = data.survey()
    other = data.survey()
    for _ in range(6):
        data.response(survey)
    data.response(other)
    db.session.commit()
    signed_in("officer")
    soup = page(
        client.get("/manage/reach", query_string={**PERIOD_ARGS, "activity": f"survey:{survey.id}"})
    )
    assert "6 participants" in main_text(soup)
    assert f"Counting: {survey.title}" in main_text(soup)
    assert soup.select_one(f'optgroup option[value="survey:{survey.id}"][selected]') is not None
    # No dates given: the last complete quarter, with its dates in the boxes.
    soup = page(client.get("/manage/reach"))
    assert soup.find(id="date_from-year").get("value")
    assert "From " in main_text(soup)


def test_bad_filters_are_shown_next_to_fields_never_a_500(client, signed_in):
    signed_in("coordinator")
    response = client.get(
        "/manage/reach",
        query_string={**PERIOD_ARGS, "date_to-year": "2030", "activity": "survey:999999999"},
    )
    assert response.status_code == 200
    assert "Date to must be the same as or after date from" in error_summary(response)
    assert field_error(response, "activity") == (
        "Select everything, or a survey, consultation or event"
    )
    assert client.get("/manage/reach", query_string={"date_from-day": "x"}).status_code == 200


def test_the_query_count_does_not_grow_with_the_data(client, signed_in, app):
    signed_in("coordinator")
    survey = data.survey()
    data.response(survey)
    db.session.commit()
    with QueryCounter(db.engine) as few:
        client.get("/manage/reach", query_string=PERIOD_ARGS)
    for _ in range(30):
        data.response(survey, district="Dover")
        data.feedback(district="Swale")
    db.session.commit()
    with QueryCounter(db.engine) as many:
        client.get("/manage/reach", query_string=PERIOD_ARGS)
    assert many.count == few.count


# Baselines -------------------------------------------------------------------------------------


def _district_form(**shares) -> dict:
    from flask import current_app

    form = {"source": "KCC SEN2 2026", "as_of-day": "18", "as_of-month": "1", "as_of-year": "2026"}
    for index, name in enumerate(current_app.config["DISTRICTS"]):
        form[f"share_{index}"] = shares.get(name, "")
    return form


def test_an_admin_sets_a_dimension_by_form_and_it_is_audited(client, signed_in, app):
    data.clear_baselines()
    db.session.commit()
    signed_in("admin")
    with app.test_request_context():
        form = _district_form(Dover="12.5", Thanet="20")
    response = client.post("/manage/reach/baselines/district", data=form)
    assert response.status_code == 302
    kept = {
        b.group_code: (b.share, b.source, b.as_of)
        for b in db.session.scalars(
            db.select(ReachBaseline).where(ReachBaseline.dimension == "district")
        )
    }
    assert kept == {
        "Dover": (12.5, "KCC SEN2 2026", date(2026, 1, 18)),
        "Thanet": (20.0, "KCC SEN2 2026", date(2026, 1, 18)),
    }
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "reach.baselines_saved")
    )
    assert entry.detail["changes"] == {"Dover": [None, 12.5], "Thanet": [None, 20.0]}
    # Emptying a box removes that group's baseline.
    with app.test_request_context():
        form = _district_form(Dover="10")
    client.post("/manage/reach/baselines/district", data=form)
    assert (
        db.session.scalar(
            db.select(ReachBaseline.group_code).where(ReachBaseline.dimension == "district")
        )
        == "Dover"
    )


def test_the_baseline_form_says_what_is_wrong_next_to_each_field(client, signed_in, app):
    signed_in("admin")
    with app.test_request_context():
        form = _district_form(Dover="abc", Thanet="60", Swale="50", Ashford="101")
    form.update({"source": "", "as_of-day": ""})
    response = client.post("/manage/reach/baselines/district", data=form)
    assert response.status_code == 200
    not_a_number = "Enter the share as a number from 0 to 100, like 12.5"
    assert field_error(response, "share_3") == not_a_number
    assert field_error(response, "share_0") == "The share must be 100 or less"
    assert field_error(response, "source") == "Enter where the figures come from"
    assert "Date the figures describe must include a day" in error_summary(response)
    # What was typed is kept.
    assert page(response).find(id="share_3").get("value") == "abc"
    with app.test_request_context():
        form = _district_form(Thanet="60", Swale="50")
    response = client.post("/manage/reach/baselines/district", data=form)
    assert "The shares add up to 110%. They must add up to 100% or less" in error_summary(response)
    assert client.get("/manage/reach/baselines/nonsense").status_code == 404


def _upload(client, text: str):
    import io

    return client.post(
        "/manage/reach/baselines/import",
        data={"csv_file": (io.BytesIO(text.encode()), "baselines.csv")},
        content_type="multipart/form-data",
    )


def test_a_csv_sets_baselines_or_nothing(client, signed_in):
    data.clear_baselines()
    data.baseline("setting", "special_school", 10)
    db.session.commit()
    signed_in("admin")
    response = _upload(
        client,
        "dimension,group,share,source,as_of\n"
        "district,Dover,7.5,KCC,2026-01-18\n"
        "ehc_plan,banana,5,KCC,2026-01-18\n"
        "setting,mainstream_school,95,KCC,18/01/2026\n"
        "district,dover,3,,2026-13-01\n",
    )
    assert response.status_code == 200
    problems = error_summary(response)
    assert problems[0] == (
        "The file has 5 problems. Nothing was imported. Fix them and upload the file again."
    )
    assert any(p.startswith("Line 3: Group 'banana' is not a group of ehc_plan") for p in problems)
    assert (
        "Line 4: The shares for setting would add up to 105%. They must add up to 100% or less"
    ) in problems
    assert "Line 5: Enter where the figures come from" in problems
    assert "Line 5: district Dover is also on line 2" in problems
    assert any(p.startswith("Line 5: Enter the date the figures describe") for p in problems)
    assert db.session.scalar(db.select(db.func.count()).select_from(ReachBaseline)) == 1

    response = _upload(
        client,
        "dimension,group,share,source,as_of\n"
        "district,Dover,7.5,KCC,2026-01-18\n"
        "setting,Mainstream school,85%,KCC,18/01/2026\n",
    )
    assert response.status_code == 302
    kept = {
        (b.dimension, b.group_code): b.share for b in db.session.scalars(db.select(ReachBaseline))
    }
    assert kept == {
        ("district", "Dover"): 7.5,
        ("setting", "mainstream_school"): 85.0,
        ("setting", "special_school"): 10.0,
    }
    assert db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "reach.baselines_imported")
    ).detail["baselines"][0] == ["district", "Dover", 7.5, "KCC", "2026-01-18"]
    csv_text = client.get("/manage/reach/baselines.csv").get_data(as_text=True)
    assert "district,Dover,7.5,KCC,2026-01-18" in csv_text


def test_a_file_that_is_not_a_csv_is_refused(client, signed_in):
    signed_in("admin")
    response = _upload(client, "dimension,group,share,source,as_of\n")
    assert "The file has column headings but no baselines" in error_summary(response)[0]
    response = _upload(client, "dimension,group\ndistrict,Dover\n")
    assert "missing these columns: share, source, as_of" in error_summary(response)[0]


def test_activity_values_round_trip():
    assert Activity("event", 3).value == "event:3"
