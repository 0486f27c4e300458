"""The staff improvement-plan pages: list and filters, areas, actions, progress updates, CSV
import."""

import io
import os
from datetime import date

import pytest
from sqlalchemy import func

from app.extensions import db
from app.models import Action, ActionStatus, Area, AuditEntry, Organisation

from ..helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    heading,
    main_text,
    notification,
    page,
)

PLAN_URLS = [
    ("GET", "/manage/plan"),
    ("GET", "/manage/plan/areas/new"),
    ("POST", "/manage/plan/areas/new"),
    ("GET", "/manage/plan/areas/1/edit"),
    ("POST", "/manage/plan/areas/1/edit"),
    ("GET", "/manage/plan/actions/new"),
    ("POST", "/manage/plan/actions/new"),
    ("GET", "/manage/plan/actions/1/edit"),
    ("POST", "/manage/plan/actions/1/edit"),
    ("GET", "/manage/plan/actions/1/update"),
    ("POST", "/manage/plan/actions/1/update"),
    ("GET", "/manage/plan/import"),
    ("POST", "/manage/plan/import"),
    ("GET", "/manage/plan/import/example.csv"),
]


def _request(client, method, url, **kwargs):
    return client.get(url, **kwargs) if method == "GET" else client.post(url, **kwargs)


def _area(number: int) -> Area:
    return db.session.scalar(db.select(Area).where(Area.number == number))


def _action(reference: str) -> Action:
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


def _organisation(short_name: str) -> Organisation:
    return db.session.scalar(db.select(Organisation).where(Organisation.short_name == short_name))


def _action_count() -> int:
    return db.session.scalar(db.select(func.count()).select_from(Action))


def _audit(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def _table_rows(response, table_id: str) -> list[list[str]]:
    table = page(response).find(id=table_id)
    assert table is not None, f"no table #{table_id}"
    return [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["td", "th"])]
        for row in table.select("tbody tr")
    ]


# Who can reach the pages ----------------------------------------------------------------------


@pytest.mark.parametrize("method,url", PLAN_URLS)
def test_anonymous_people_are_sent_to_sign_in(client, method, url):
    response = _request(client, method, url)
    assert response.status_code == 302
    assert "/auth/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("method,url", PLAN_URLS)
def test_coordinators_are_refused(client, signed_in, method, url):
    signed_in("coordinator")
    response = _request(client, method, url)
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_admins_can_use_the_plan_pages(client, signed_in, role):
    signed_in(role)
    for method, url in PLAN_URLS:
        if method == "GET":
            assert client.get(url).status_code == 200, url


def test_staff_home_links_to_the_plan(client, signed_in):
    signed_in("officer")
    links = [a.get("href") for a in page(client.get("/manage/")).select("main a")]
    assert "/manage/plan" in links


# The list and its filters ---------------------------------------------------------------------


def test_plan_lists_areas_with_action_counts_and_every_action(client, signed_in, app_ctx):
    signed_in("officer")
    response = client.get("/manage/plan")
    assert response.status_code == 200
    assert heading(response) == "Improvement plan"

    areas = _table_rows(response, "areas-table")
    assert len(areas) == 9
    area6 = _area(6)
    assert areas[5][0] == "6"
    assert areas[5][1] == area6.title
    assert areas[5][2] == str(len(area6.actions))

    actions = _table_rows(response, "actions-table")
    assert len(actions) == _action_count() == 24
    first = _action("APP-1.1")
    row = next(r for r in actions if r[0] == "APP-1.1")
    assert row[1] == first.title
    assert row[2] == "KCC"
    assert row[3] == "31 Mar 2026"
    assert row[4] == first.status_enum.label
    assert f"{first.progress}% complete" in row[5]
    assert "24 actions" in main_text(response)

    soup = page(response)
    hrefs = [a.get("href") for a in soup.select("main a")]
    assert "/manage/plan/actions/new" in hrefs
    assert "/manage/plan/areas/new" in hrefs
    assert "/manage/plan/import" in hrefs
    assert f"/manage/plan/actions/{first.id}/edit" in hrefs
    assert f"/manage/plan/actions/{first.id}/update" in hrefs
    assert f"/manage/plan/areas/{area6.id}/edit" in hrefs


def test_plan_filters_by_status(client, signed_in, app_ctx):
    signed_in("officer")
    expected = sorted(
        a.reference
        for a in db.session.scalars(db.select(Action).where(Action.status == "complete"))
    )
    assert expected, "the demo data has complete actions"
    response = client.get("/manage/plan?status=complete")
    assert response.status_code == 200
    shown = [row[0] for row in _table_rows(response, "actions-table")]
    assert shown == expected
    assert all(row[4] == "Complete" for row in _table_rows(response, "actions-table"))
    assert f"Showing {len(expected)} of 24 actions" in main_text(response)
    # The filter keeps what was chosen, so the form shows the current filter.
    assert field_value(response, "status") == "complete"


def test_plan_filters_by_area_and_by_both(client, signed_in, app_ctx):
    signed_in("officer")
    area6 = _area(6)
    response = client.get(f"/manage/plan?area={area6.id}")
    shown = [row[0] for row in _table_rows(response, "actions-table")]
    assert shown == sorted(a.reference for a in area6.actions)
    assert "APP-6.1" in shown and "APP-1.1" not in shown
    assert field_value(response, "area") == str(area6.id)

    area1 = _area(1)
    status = area1.actions[0].status
    response = client.get(f"/manage/plan?area={area1.id}&status={status}")
    shown = [row[0] for row in _table_rows(response, "actions-table")]
    assert shown == sorted(a.reference for a in area1.actions if a.status == status)


def test_plan_filter_with_no_matches_says_so(client, signed_in, app_ctx):
    signed_in("officer")
    area = db.session.scalar(db.select(Area).where(~Area.actions.any(Action.status == "off_track")))
    response = client.get(f"/manage/plan?area={area.id}&status=off_track")
    assert response.status_code == 200
    assert "No actions match these filters." in main_text(response)


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "area=abc",
        "area=99999999999999999999",
        "area=-1",
        "status=&area=",
        "status=%00&area=%00",
    ],
)
def test_nonsense_filters_show_everything_not_an_error(client, signed_in, query):
    signed_in("officer")
    response = client.get(f"/manage/plan?{query}")
    assert response.status_code == 200
    assert len(_table_rows(response, "actions-table")) == 24


# Areas ----------------------------------------------------------------------------------------

AREA_FORM = {
    "number": "10",
    "title": "Transitions to adulthood",
    "finding": "Young people do not get timely help to prepare for adult life.",
    "plain_summary": "Moving to adult services is hard.",
    "young_person_summary": "Getting ready for being an adult is hard.",
}


def test_create_area_stores_it_and_writes_audit(client, signed_in, app_ctx):
    officer = signed_in("officer")
    response = client.post("/manage/plan/areas/new", data=AREA_FORM)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/manage/plan")
    assert "Area 10 added" in notification(client.get("/manage/plan"))

    area = _area(10)
    assert (area.title, area.finding, area.plain_summary, area.young_person_summary) == (
        AREA_FORM["title"],
        AREA_FORM["finding"],
        AREA_FORM["plain_summary"],
        AREA_FORM["young_person_summary"],
    )
    entry = _audit("area.created")[-1]
    assert entry.actor_id == officer.id
    assert entry.record_type == "areas" and entry.record_id == str(area.id)
    assert "Transitions to adulthood" in entry.summary
    # The public site shows it straight away.
    assert client.get("/areas/10").status_code == 200


def test_area_form_with_nothing_filled_in(client, signed_in, app_ctx):
    signed_in("officer")
    response = client.post("/manage/plan/areas/new", data={"plain_summary": "Kept as typed"})
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter the area number",
        "Enter a title",
        "Enter the inspection's finding",
    ]
    assert error_summary_links(response)["Enter a title"] == "#title"
    assert field_error(response, "number") == "Enter the area number"
    assert field_error(response, "title") == "Enter a title"
    assert field_error(response, "finding") == "Enter the inspection's finding"
    assert field_value(response, "plain_summary") == "Kept as typed"
    assert page(response).title.get_text().startswith("Error:")
    assert db.session.scalar(db.select(func.count()).select_from(Area)) == 9


def test_area_title_of_ten_thousand_characters(client, signed_in, app_ctx):
    signed_in("officer")
    long_title = "x" * 10_000
    response = client.post("/manage/plan/areas/new", data={**AREA_FORM, "title": long_title})
    assert response.status_code == 200
    assert field_error(response, "title") == "Title must be 300 characters or fewer"
    assert field_value(response, "title") == long_title
    assert field_value(response, "finding") == AREA_FORM["finding"]
    assert _area(10) is None


@pytest.mark.parametrize(
    "number,message",
    [
        ("three", "Area number must be a whole number, like 3"),
        ("2.5", "Area number must be a whole number, like 3"),
        ("0", "Area number must be between 1 and 99"),
        ("100", "Area number must be between 1 and 99"),
        ("-4", "Area number must be between 1 and 99"),
        ("99999999999999999999999", "Area number must be between 1 and 99"),
        ("3", "Area 3 already exists"),
    ],
)
def test_area_number_must_be_a_free_whole_number_from_1_to_99(
    client, signed_in, app_ctx, number, message
):
    signed_in("officer")
    response = client.post("/manage/plan/areas/new", data={**AREA_FORM, "number": number})
    assert response.status_code == 200
    assert field_error(response, "number") == message
    assert error_summary(response) == [message]
    assert field_value(response, "number") == number
    assert db.session.scalar(db.select(func.count()).select_from(Area)) == 9


def test_area_long_texts_are_limited(client, signed_in, app_ctx):
    signed_in("officer")
    response = client.post(
        "/manage/plan/areas/new",
        data={
            **AREA_FORM,
            "finding": "f" * 5001,
            "plain_summary": "p" * 5001,
            "young_person_summary": "y" * 5001,
        },
    )
    assert response.status_code == 200
    assert field_error(response, "finding") == "The finding must be 5,000 characters or fewer"
    assert (
        field_error(response, "plain_summary")
        == "The plain-English summary must be 5,000 characters or fewer"
    )
    assert (
        field_error(response, "young_person_summary")
        == "The young-person summary must be 5,000 characters or fewer"
    )


def test_edit_area_shows_current_values_and_saves_changes(client, signed_in, app_ctx):
    admin = signed_in("admin")
    area = _area(4)
    response = client.get(f"/manage/plan/areas/{area.id}/edit")
    assert response.status_code == 200
    assert heading(response) == "Edit area 4"
    assert field_value(response, "number") == "4"
    assert field_value(response, "title") == area.title
    assert field_value(response, "finding") == area.finding
    back = page(response).select_one(".govuk-back-link")
    assert back is not None and back.get("href") == "/manage/plan"

    response = client.post(
        f"/manage/plan/areas/{area.id}/edit",
        data={
            "number": "4",
            "title": "Joint commissioning",
            "finding": area.finding,
            "plain_summary": "New plain summary",
            "young_person_summary": area.young_person_summary,
        },
    )
    assert response.status_code == 302
    db.session.refresh(area)
    assert area.title == "Joint commissioning"
    assert area.plain_summary == "New plain summary"
    entry = _audit("area.updated")[-1]
    assert entry.actor_id == admin.id and entry.record_id == str(area.id)
    assert set(entry.detail["changed"]) == {"title", "plain_summary"}
    assert "Changes to area 4 saved" in notification(client.get("/manage/plan"))


def test_edit_area_cannot_take_another_areas_number(client, signed_in, app_ctx):
    signed_in("officer")
    area = _area(4)
    response = client.post(f"/manage/plan/areas/{area.id}/edit", data={**AREA_FORM, "number": "5"})
    assert response.status_code == 200
    assert field_error(response, "number") == "Area 5 already exists"
    db.session.refresh(area)
    assert area.number == 4


@pytest.mark.parametrize(
    "url",
    [
        "/manage/plan/areas/9999/edit",
        "/manage/plan/areas/0/edit",
        "/manage/plan/areas/99999999999999999999/edit",
        "/manage/plan/areas/abc/edit",
    ],
)
def test_unknown_area_is_404(client, signed_in, url):
    signed_in("officer")
    assert client.get(url).status_code == 404
    assert client.post(url, data=AREA_FORM).status_code == 404


# Actions --------------------------------------------------------------------------------------


def _action_form(**overrides):
    with_ids = {
        "reference": "app-10.1",
        "title": "Publish a transitions guide",
        "description": "A guide for families about moving to adult services.",
        "owner_organisation_id": str(_organisation("KCC").id),
        "lead": "Head of Preparing for Adulthood",
        "due_date": ["30", "9", "2026"],
        "areas": [str(_area(1).id), str(_area(3).id)],
        "status": "on_track",
        "progress": "15",
    }
    with_ids.update(overrides)
    return with_ids


def test_create_action_stores_it_with_first_history_and_audit(client, signed_in, app_ctx):
    officer = signed_in("officer")
    response = client.post("/manage/plan/actions/new", data=_action_form(reference="  app-10.1 "))
    assert response.status_code == 302
    assert "Action APP-10.1 added" in notification(client.get("/manage/plan"))

    action = _action("APP-10.1")
    assert action.title == "Publish a transitions guide"
    assert action.description.startswith("A guide for families")
    assert action.owner.short_name == "KCC"
    assert action.lead == "Head of Preparing for Adulthood"
    assert action.due_date == date(2026, 9, 30)
    assert [a.number for a in action.areas] == [1, 3]
    assert (action.status, action.progress) == ("on_track", 15)
    assert [(u.status, u.progress, u.author_id) for u in action.updates] == [
        ("on_track", 15, officer.id)
    ]
    entry = _audit("action.created")[-1]
    assert entry.actor_id == officer.id
    assert entry.record_type == "actions" and entry.record_id == str(action.id)
    assert entry.summary.startswith("APP-10.1")
    assert "Publish a transitions guide" in main_text(client.get("/actions/APP-10.1"))


def test_create_action_without_a_due_date(client, signed_in, app_ctx):
    signed_in("officer")
    response = client.post("/manage/plan/actions/new", data=_action_form(due_date=["", "", ""]))
    assert response.status_code == 302
    assert _action("APP-10.1").due_date is None


def test_action_form_with_nothing_filled_in(client, signed_in, app_ctx):
    signed_in("officer")
    response = client.post(
        "/manage/plan/actions/new",
        data={
            "description": "Typed description",
            "lead": "Typed lead",
            "progress": "",
            "status": "",
        },
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter a reference",
        "Enter a title",
        "Choose the organisation that owns this action",
        "Select at least one area of weakness",
        "Choose a status",
        "Enter progress as a whole number from 0 to 100",
    ]
    links = error_summary_links(response)
    assert links["Choose the organisation that owns this action"] == "#owner_organisation_id"
    assert links["Select at least one area of weakness"] == "#areas"
    assert links["Choose a status"] == "#status"
    assert (
        page(response).find(id="areas") is not None and page(response).find(id="status") is not None
    )
    assert field_error(response, "reference") == "Enter a reference"
    assert field_error(response, "areas") == "Select at least one area of weakness"
    assert field_value(response, "description") == "Typed description"
    assert field_value(response, "lead") == "Typed lead"
    assert _action_count() == 24


def test_action_title_of_ten_thousand_characters(client, signed_in, app_ctx):
    signed_in("officer")
    long_title = "t" * 10_000
    response = client.post("/manage/plan/actions/new", data=_action_form(title=long_title))
    assert response.status_code == 200
    assert field_error(response, "title") == "Title must be 300 characters or fewer"
    assert field_value(response, "title") == long_title
    assert field_value(response, "reference") == "app-10.1"
    assert _action_count() == 24


@pytest.mark.parametrize(
    "parts,message",
    [
        (["31", "2", "2026"], "Due date must be a real date"),
        (["aa", "bb", "cccc"], "Due date must be a real date"),
        (["0", "13", "2026"], "Due date must be a real date"),
        (["30", "9", ""], "Due date must include a year"),
        (["", "9", "2026"], "Due date must include a day"),
        (["30", "", ""], "Due date must include a month and year"),
        (["30", "9", "26"], "Year must include 4 numbers"),
    ],
)
def test_invalid_due_dates(client, signed_in, app_ctx, parts, message):
    signed_in("officer")
    response = client.post("/manage/plan/actions/new", data=_action_form(due_date=parts))
    assert response.status_code == 200
    assert field_error(response, "due_date") == message
    assert error_summary_links(response) == {message: "#due_date-day"}
    soup = page(response)
    assert [
        soup.find(id=f"due_date-{box}").get("value") for box in ("day", "month", "year")
    ] == parts
    assert _action("APP-10.1") is None


def test_due_date_with_missing_boxes_is_not_a_500(client, signed_in, app_ctx):
    signed_in("officer")
    data = _action_form()
    data["due_date"] = "30"  # one box only, as a hand-made request might send
    response = client.post("/manage/plan/actions/new", data=data)
    assert response.status_code == 200
    assert field_error(response, "due_date") == "Due date must include a month and year"


@pytest.mark.parametrize(
    "progress,message",
    [
        ("abc", "Progress must be a whole number, like 40"),
        ("12.5", "Progress must be a whole number, like 40"),
        ("101", "Progress must be between 0 and 100"),
        ("-1", "Progress must be between 0 and 100"),
        ("1" * 40, "Progress must be between 0 and 100"),
    ],
)
def test_new_action_progress_must_be_0_to_100(client, signed_in, app_ctx, progress, message):
    signed_in("officer")
    response = client.post("/manage/plan/actions/new", data=_action_form(progress=progress))
    assert response.status_code == 200
    assert field_error(response, "progress") == message
    assert field_value(response, "progress") == progress
    assert _action("APP-10.1") is None


@pytest.mark.parametrize(
    "reference,message",
    [
        ("app-1.1", "Reference APP-1.1 is already used by another action"),
        ("APP 3/2", "Reference must contain only letters, numbers, dots and hyphens, like APP-3.2"),
        (
            "<script>",
            "Reference must contain only letters, numbers, dots and hyphens, like APP-3.2",
        ),
        ("A" * 31, "Reference must be 30 characters or fewer"),
    ],
)
def test_action_reference_must_be_valid_and_unique(client, signed_in, app_ctx, reference, message):
    signed_in("officer")
    response = client.post("/manage/plan/actions/new", data=_action_form(reference=reference))
    assert response.status_code == 200
    assert field_error(response, "reference") == message
    assert _action_count() == 24


def test_unknown_owner_areas_and_status_are_clear_errors(client, signed_in, app_ctx):
    signed_in("officer")
    response = client.post(
        "/manage/plan/actions/new",
        data=_action_form(owner_organisation_id="99999", areas=["abc", "99999"], status="finished"),
    )
    assert response.status_code == 200
    assert (
        field_error(response, "owner_organisation_id")
        == "Choose the organisation that owns this action"
    )
    assert field_error(response, "areas") == "Select areas of weakness from the list"
    assert field_error(response, "status") == "Choose a status"
    response = client.post(
        "/manage/plan/actions/new", data=_action_form(owner_organisation_id="abc")
    )
    assert (
        field_error(response, "owner_organisation_id")
        == "Choose the organisation that owns this action"
    )
    assert _action_count() == 24


def test_action_lead_and_description_limits(client, signed_in, app_ctx):
    signed_in("officer")
    response = client.post(
        "/manage/plan/actions/new", data=_action_form(lead="l" * 201, description="d" * 5001)
    )
    assert field_error(response, "lead") == "Lead must be 200 characters or fewer"
    assert field_error(response, "description") == "Description must be 5,000 characters or fewer"


def test_edit_action_shows_values_and_never_changes_status(client, signed_in, app_ctx):
    officer = signed_in("officer")
    action = _action("APP-6.1")
    status_before, progress_before = action.status, action.progress
    updates_before = len(action.updates)

    response = client.get(f"/manage/plan/actions/{action.id}/edit")
    assert response.status_code == 200
    assert heading(response) == "Edit action APP-6.1"
    assert field_value(response, "reference") == "APP-6.1"
    assert field_value(response, "title") == action.title
    assert field_value(response, "owner_organisation_id") == str(action.owner_organisation_id)
    soup = page(response)
    assert (
        soup.find(attrs={"name": "status"}) is None
        and soup.find(attrs={"name": "progress"}) is None
    )
    checked = {box.get("value") for box in soup.select("input[name=areas][checked]")}
    assert checked == {str(area.id) for area in action.areas}
    if action.due_date:
        assert soup.find(id="due_date-day").get("value") == str(action.due_date.day)

    nhs = _organisation("NHS Kent and Medway")
    response = client.post(
        f"/manage/plan/actions/{action.id}/edit",
        data={
            "reference": "APP-6.1",
            "title": "Improve EHC plan quality",
            "description": action.description,
            "owner_organisation_id": str(nhs.id),
            "lead": action.lead,
            "due_date": ["1", "4", "2027"],
            "areas": [str(_area(6).id), str(_area(9).id)],
            "status": "complete",
            "progress": "100",
        },
    )  # ignored: edits never change status
    assert response.status_code == 302
    db.session.expire_all()
    action = _action("APP-6.1")
    assert action.title == "Improve EHC plan quality"
    assert action.owner_organisation_id == nhs.id
    assert action.due_date == date(2027, 4, 1)
    assert [a.number for a in action.areas] == [6, 9]
    assert (action.status, action.progress) == (status_before, progress_before)
    assert len(action.updates) == updates_before
    entry = _audit("action.updated")[-1]
    assert entry.actor_id == officer.id and entry.record_id == str(action.id)
    assert {"title", "owner_organisation_id", "due_date", "areas"} <= set(entry.detail["changed"])


def test_edit_action_cannot_take_another_reference(client, signed_in, app_ctx):
    signed_in("officer")
    action = _action("APP-6.1")
    data = _action_form(reference="app-6.2")
    response = client.post(f"/manage/plan/actions/{action.id}/edit", data=data)
    assert response.status_code == 200
    assert (
        field_error(response, "reference") == "Reference APP-6.2 is already used by another action"
    )


@pytest.mark.parametrize("suffix", ["edit", "update"])
@pytest.mark.parametrize("action_id", ["9999", "0", "99999999999999999999", "APP-1.1"])
def test_unknown_action_is_404(client, signed_in, suffix, action_id):
    signed_in("officer")
    url = f"/manage/plan/actions/{action_id}/{suffix}"
    assert client.get(url).status_code == 404
    assert (
        client.post(url, data={"note": "x", "status": "on_track", "progress": "1"}).status_code
        == 404
    )


# Progress updates -----------------------------------------------------------------------------


def test_progress_update_changes_status_and_adds_history(client, signed_in, app_ctx):
    officer = signed_in("officer")
    action = _action("APP-6.1")
    before = action.status
    after = "off_track" if before != "off_track" else "at_risk"
    updates_before = len(action.updates)

    response = client.get(f"/manage/plan/actions/{action.id}/update")
    assert response.status_code == 200
    assert field_value(response, "progress") == str(action.progress)
    assert (
        page(response).find("input", attrs={"name": "status", "value": before}).has_attr("checked")
    )

    response = client.post(
        f"/manage/plan/actions/{action.id}/update",
        data={"status": after, "progress": "35", "note": "Recruitment of EHC writers is behind."},
    )
    assert response.status_code == 302
    assert "Progress update posted for APP-6.1" in notification(client.get("/manage/plan"))

    db.session.expire_all()
    action = _action("APP-6.1")
    assert (action.status, action.progress) == (after, 35)
    assert len(action.updates) == updates_before + 1
    latest = action.updates[0]
    assert (latest.previous_status, latest.status, latest.author_id) == (before, after, officer.id)
    assert latest.note == "Recruitment of EHC writers is behind."
    entry = _audit("action.progress")[-1]
    assert entry.actor_id == officer.id and entry.record_id == str(action.id)
    assert entry.detail == {"from": before, "to": after, "progress": 35}

    label_before, label_after = ActionStatus(before).label, ActionStatus(after).label
    public = main_text(client.get("/actions/APP-6.1"))
    assert f"Status changed from {label_before} to {label_after}" in public
    assert "Recruitment of EHC writers is behind." in public

    staff = main_text(client.get(f"/manage/plan/actions/{action.id}/update"))
    assert f"Status changed from {label_before} to {label_after}" in staff
    assert f"by {officer.name}" in staff


def test_progress_update_bad_input(client, signed_in, app_ctx):
    signed_in("officer")
    action = _action("APP-2.1")
    url = f"/manage/plan/actions/{action.id}/update"
    response = client.post(url, data={"status": "on_track", "progress": "150", "note": ""})
    assert response.status_code == 200
    assert error_summary(response) == [
        "Progress must be between 0 and 100",
        "Enter what has changed",
    ]
    assert field_error(response, "note") == "Enter what has changed"
    assert field_value(response, "progress") == "150"

    response = client.post(
        url, data={"status": "nonsense", "progress": "forty", "note": "n" * 2001}
    )
    assert field_error(response, "status") == "Choose a status"
    assert field_error(response, "progress") == "Progress must be a whole number, like 40"
    assert field_error(response, "note") == "What has changed must be 2,000 characters or fewer"
    assert field_value(response, "note") == "n" * 2001

    response = client.post(url, data={"progress": "", "note": "   "})
    assert field_error(response, "status") == "Choose a status"
    assert field_error(response, "progress") == "Enter progress as a whole number from 0 to 100"
    assert field_error(response, "note") == "Enter what has changed"

    db.session.expire_all()
    assert len(_action("APP-2.1").updates) == len(action.updates)
    assert not [e for e in _audit("action.progress") if e.record_id == str(action.id)]


def test_forms_check_the_csrf_token(client, signed_in, app):
    signed_in("officer")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/manage/plan/areas/new", data=AREA_FORM)
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# CSV import -----------------------------------------------------------------------------------

HEADER = "reference,title,description,owner,lead,due_date,status,progress,areas\n"


def _upload(client, content: bytes, filename: str = "actions.csv"):
    return client.post(
        "/manage/plan/import",
        data={"csv_file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_import_page_explains_the_columns(client, signed_in):
    signed_in("officer")
    response = client.get("/manage/plan/import")
    assert heading(response) == "Import actions from a CSV file"
    soup = page(response)
    assert soup.select_one("main form").get("enctype") == "multipart/form-data"
    assert soup.find("input", attrs={"type": "file", "name": "csv_file"}) is not None
    columns = [row[0] for row in _table_rows(response, "columns")]
    assert columns == [
        "reference",
        "title",
        "description",
        "owner",
        "lead",
        "due_date",
        "status",
        "progress",
        "areas",
    ]
    assert soup.select_one(".govuk-back-link").get("href") == "/manage/plan"


def test_example_file_downloads_and_imports_cleanly(client, signed_in, app_ctx):
    signed_in("officer")
    response = client.get("/manage/plan/import/example.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).startswith(HEADER.strip())
    imported = _upload(client, response.get_data())
    assert imported.status_code == 302
    assert _action("EXAMPLE-1.1") is not None


def test_import_creates_every_action_with_history_and_audit(client, signed_in, app_ctx):
    officer = signed_in("officer")
    content = (
        HEADER + 'NEW-1,"Publish a guide, in plain English",Desc,KCC,Head of SEND,2026-09-30,On '
        "track,20,1;3\n"
        + "NEW-2,Train SENCOs,,NHS Kent and Medway,,31/03/2027,at_risk,,2\n"
        + 'new-3,Review pathway,,pact,,,,,"4,5"\n'
    ).encode()
    response = _upload(client, content)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/manage/plan")
    assert "3 actions imported" in notification(client.get("/manage/plan"))

    first, second, third = _action("NEW-1"), _action("NEW-2"), _action("NEW-3")
    assert first.title == "Publish a guide, in plain English"
    assert (first.status, first.progress, first.due_date) == ("on_track", 20, date(2026, 9, 30))
    assert [a.number for a in first.areas] == [1, 3]
    assert (second.owner.name, second.due_date, second.status, second.progress) == (
        "NHS Kent and Medway",
        date(2027, 3, 31),
        "at_risk",
        0,
    )
    assert (third.owner.short_name, third.status, [a.number for a in third.areas]) == (
        "PACT",
        "not_started",
        [4, 5],
    )
    for action in (first, second, third):
        assert [(u.previous_status, u.status, u.author_id) for u in action.updates] == [
            (None, action.status, officer.id)
        ]

    imported = _audit("plan.imported")
    assert len(imported) == 1
    assert imported[0].actor_id == officer.id
    assert imported[0].detail["count"] == 3
    assert "3 actions imported" in imported[0].summary
    created = {e.record_id for e in _audit("action.created")}
    assert {str(first.id), str(second.id), str(third.id)} <= created


def test_import_with_bad_rows_imports_nothing_and_lists_every_line(client, signed_in, app_ctx):
    signed_in("officer")
    audit_before = db.session.scalar(db.select(func.count()).select_from(AuditEntry))
    content = (
        HEADER
        + "NEW-1,Good row,,KCC,,,,,1\n"
        + "NEW-2,Bad status,,KCC,,,finished,,1\n"
        + "NEW-3,Bad date,,KCC,,31/02/2026,,,1\n"
        + "NEW-4,,,Nobody,,,,150,99\n"
        + "APP-1.1,Existing reference,,KCC,,,,,1\n"
        + "NEW-1,Repeated reference,,KCC,,,,,1\n"
    ).encode()
    response = _upload(client, content)
    assert response.status_code == 200
    messages = error_summary(response)
    assert (
        messages[0]
        == "The file has 8 problems. Nothing was imported. Fix them and upload the file again."
    )
    assert messages[1:] == [
        "Line 3: Status must be one of: not_started, on_track, at_risk, off_track, complete",
        "Line 4: Due date must be a real date, written as YYYY-MM-DD or DD/MM/YYYY",
        "Line 5: Enter a title",
        "Line 5: Owner 'Nobody' is not an organisation. Use the name or short name of one of: Kent "
        "County Council, "
        "Kent schools, NHS Kent and Medway, Parents and Carers Together (PACT)",
        "Line 5: Progress must be between 0 and 100",
        "Line 5: There is no area 99",
        "Line 6: Reference APP-1.1 is already in the plan",
        "Line 7: Reference NEW-1 is also on line 2",
    ]
    assert set(error_summary_links(response).values()) == {"#csv_file"}
    assert field_error(response, "csv_file") == messages[0]
    assert _action("NEW-1") is None
    assert _action_count() == 24
    assert db.session.scalar(db.select(func.count()).select_from(AuditEntry)) == audit_before


@pytest.mark.parametrize(
    "content,filename,message",
    [
        (
            os.urandom(2048).replace(b"\x00", b"\x01") + b"\x00",
            "actions.csv",
            "The selected file must be a CSV file. In Excel, choose 'Save as' and then 'CSV UTF-8 "
            "(comma delimited)'.",
        ),
        (
            b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
            "picture.png",
            "The selected file must be a CSV file. In Excel, choose 'Save as' and then 'CSV UTF-8 "
            "(comma delimited)'.",
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00" + b"[Content_Types].xml" + bytes(200),
            "plan.xlsx",
            "The selected file must be a CSV file. In Excel, choose 'Save as' and then 'CSV UTF-8 "
            "(comma delimited)'.",
        ),
        (
            HEADER.encode() + "NEW-1,Caf\u00e9,,KCC,,,,,1\n".encode("latin-1"),
            "latin1.csv",
            "The selected file must be saved as UTF-8 text. In Excel, choose 'Save as' and then "
            "'CSV UTF-8 (comma delimited)'.",
        ),
        (b"", "empty.csv", "The selected file is empty"),
        (b"\xef\xbb\xbf\r\n \r\n", "blank.csv", "The selected file is empty"),
        (
            HEADER.encode(),
            "headings.csv",
            "The file has column headings but no actions. Add one action on each line below the "
            "headings.",
        ),
        (
            b"reference,title,description\nNEW-1,A title,\n",
            "columns.csv",
            "The file is missing these columns: owner, areas. The first line must be the column "
            "headings.",
        ),
    ],
)
def test_import_refuses_files_it_cannot_use(client, signed_in, app_ctx, content, filename, message):
    signed_in("officer")
    response = _upload(client, content, filename)
    assert response.status_code == 200
    assert field_error(response, "csv_file") == message
    assert error_summary_links(response) == {message: "#csv_file"}
    assert _action_count() == 24


def test_import_without_choosing_a_file(client, signed_in):
    signed_in("officer")
    response = client.post("/manage/plan/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert field_error(response, "csv_file") == "Choose a CSV file to import"


def test_import_accepts_a_byte_order_mark_from_excel(client, signed_in, app_ctx):
    signed_in("officer")
    content = (
        b"\xef\xbb\xbf" + (HEADER + "NEW-1,From Excel,,KCC,,,,,1\n").replace("\n", "\r\n").encode()
    )
    response = _upload(client, content)
    assert response.status_code == 302
    assert _action("NEW-1").title == "From Excel"
