"""The audit log: read by admins at /manage/audit, filtered, paged, and impossible to change."""

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models import Action, AuditEntry
from app.models.audit import AuditLogIsAppendOnly

from ..conftest import sign_in_as, user_for
from ..helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    heading,
    main_text,
    page,
)


@pytest.fixture
def admin_client(client):
    sign_in_as(client, "admin")
    return client


def add_entry(
    action="plan.imported",
    *,
    at=None,
    actor=None,
    actor_label=None,
    record_type="",
    record_id="",
    summary="",
    ip="192.0.2.1",
):
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor else None,
        actor_label=actor_label or (actor.email if actor else "system"),
        record_type=record_type,
        record_id=str(record_id),
        summary=summary,
        ip_address=ip,
    )
    if at is not None:
        entry.created_at = at
    db.session.add(entry)
    db.session.commit()
    return entry


def table_rows(response):
    return [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all("td")]
        for row in page(response).select("main table tbody tr")
    ]


def link_to(response, text):
    for link in page(response).select("main a"):
        if link.get_text(strip=True) == text:
            return link
    return None


def date_args(prefix, day, month, year):
    return {f"{prefix}-day": day, f"{prefix}-month": month, f"{prefix}-year": year}


def test_audit_log_is_for_admins_only(app):
    assert (
        app.test_client().get("/manage/audit").headers["Location"].startswith("/auth/sign-in?next=")
    )
    for role in ("officer", "coordinator"):
        other = app.test_client()
        sign_in_as(other, role)
        assert other.get("/manage/audit").status_code == 403
        assert other.get("/manage/audit?action=auth.sign_in").status_code == 403


def test_entries_show_when_who_what_which_record_summary_and_address(admin_client, app_ctx):
    admin, officer = user_for("admin"), user_for("officer")
    action = db.session.scalar(db.select(Action).where(Action.reference == "APP-1.1"))
    # 22:30 UTC on 1 July is 23:30 in London (summer time).
    add_entry(
        "user.role_changed",
        at=datetime(2025, 7, 1, 22, 30, 5),
        actor=admin,
        record_type="users",
        record_id=officer.id,
        summary="officer to coordinator",
        ip="203.0.113.50",
    )
    add_entry(
        "action.updated",
        at=datetime(2025, 1, 15, 9, 0, 0),
        actor=officer,
        record_type="actions",
        record_id=action.id,
        summary="Changed the due date",
    )

    response = admin_client.get("/manage/audit")
    assert response.status_code == 200
    assert heading(response) == "Audit log"
    rows = table_rows(response)
    # Newest first (by when they were written): the two added above, then the admin's sign-in.
    assert [row[2] for row in rows] == ["Action changed", "Role changed", "Signed in"]
    by_action = {row[2]: row for row in rows}
    assert by_action["Role changed"] == [
        "1 Jul 2025, 23:30:05",
        "admin@example.org",
        "Role changed",
        "User: Omar Officer",
        "officer to coordinator",
        "203.0.113.50",
    ]
    assert by_action["Action changed"][:4] == [
        "15 Jan 2025, 09:00:00",
        "officer@example.org",
        "Action changed",
        "Action: APP-1.1",
    ]
    links = {a.get_text(strip=True): a["href"] for a in page(response).select("main table a")}
    assert links["User: Omar Officer"] == f"/manage/users/{officer.id}"
    assert links["Action: APP-1.1"] == "/actions/APP-1.1"


def test_nothing_on_the_page_can_change_an_entry(admin_client, app_ctx):
    response = admin_client.get("/manage/audit")
    main = page(response).find("main")
    forms = main.find_all("form")
    assert forms and all(form.get("method", "get").lower() == "get" for form in forms)
    assert not main.find_all("button", attrs={"formmethod": "post"})
    assert admin_client.post("/manage/audit").status_code == 405
    for rule in admin_client.application.url_map.iter_rules():
        if rule.rule.startswith("/manage/audit"):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_filter_by_person(admin_client, app_ctx):
    admin, officer = user_for("admin"), user_for("officer")
    add_entry("area.updated", actor=officer, summary="by the officer")
    add_entry("area.updated", actor=admin, summary="by the admin")
    response = admin_client.get(f"/manage/audit?person={officer.id}")
    assert response.status_code == 200
    rows = table_rows(response)
    assert rows and {row[1] for row in rows} == {"officer@example.org"}
    assert "by the officer" in main_text(response) and "by the admin" not in main_text(response)
    assert field_value(response, "person") == str(officer.id)


def test_filter_by_action(admin_client, app_ctx):
    add_entry("plan.imported", summary="24 actions imported")
    add_entry("area.created", summary="a new area")
    response = admin_client.get("/manage/audit?action=plan.imported")
    rows = table_rows(response)
    assert rows and {row[2] for row in rows} == {"Actions imported"}
    assert field_value(response, "action") == "plan.imported"
    options = [o.get_text(strip=True) for o in page(response).select("select[name=action] option")]
    assert options[:3] == ["All actions", "Signed in", "Failed sign-in"]


def test_filter_by_dates_uses_uk_days(admin_client, app_ctx):
    # 23:30 UTC on 1 July is 00:30 on 2 July in London; 23:30 UTC on 15 January is still 15 January.
    add_entry(at=datetime(2025, 7, 1, 23, 30), summary="early on 2 July")
    add_entry(at=datetime(2025, 7, 1, 12, 0), summary="midday on 1 July")
    add_entry(at=datetime(2025, 1, 15, 23, 30), summary="late on 15 January")

    def summaries(**args):
        response = admin_client.get(
            "/manage/audit", query_string={"action": "plan.imported", **args}
        )
        assert response.status_code == 200
        return [row[4] for row in table_rows(response)]

    assert summaries(
        **date_args("date_from", "1", "7", "2025"), **date_args("date_to", "1", "7", "2025")
    ) == ["midday on 1 July"]
    assert summaries(**date_args("date_from", "2", "7", "2025")) == ["early on 2 July"]
    assert summaries(**date_args("date_to", "15", "01", "2025")) == ["late on 15 January"]
    assert (
        summaries(
            **date_args("date_from", "16", "1", "2025"), **date_args("date_to", "30", "6", "2025")
        )
        == []
    )
    response = admin_client.get(
        "/manage/audit", query_string=date_args("date_from", "16", "1", "2025")
    )
    assert field_value(response, "date_from-day") == "16"
    assert field_value(response, "date_from-year") == "2025"


@pytest.mark.parametrize(
    "typed, message",
    [
        (("31", "2", "2025"), "Date from must be a real date"),
        (("1", "13", "2025"), "Date from must be a real date"),
        (("x", "1", "2025"), "Date from must be a real date"),
        (("1", "1", "25"), "Year must include 4 numbers"),
        (("1", "1", "99999"), "Year must include 4 numbers"),
        (("1", "1", "9999"), "Date from must be a real date"),
        (("", "1", "2025"), "Date from must include a day"),
        (("1", "", ""), "Date from must include a month and year"),
    ],
)
def test_bad_dates_are_explained_next_to_the_field(admin_client, app_ctx, typed, message):
    response = admin_client.get("/manage/audit", query_string=date_args("date_from", *typed))
    assert response.status_code == 200
    assert field_error(response, "date_from") == message
    assert error_summary_links(response) == {message: "#date_from-day"}
    assert page(response).title.get_text().startswith("Error:")
    assert [
        field_value(response, f"date_from-{part}") for part in ("day", "month", "year")
    ] == list(typed)
    assert table_rows(response) == []


def test_date_to_far_in_the_future_and_junk_paging_do_not_break_the_page(admin_client, app_ctx):
    response = admin_client.get(
        "/manage/audit",
        query_string={**date_args("date_to", "31", "12", "2999"), "before": "not-a-number"},
    )
    assert response.status_code == 200
    assert error_summary(response) == []
    assert admin_client.get("/manage/audit?person=abc&action=drop.table").status_code == 200
    response = admin_client.get("/manage/audit?person=99999")
    assert field_error(response, "person") == "Select a person from the list"


def test_from_after_to_is_refused_clearly(admin_client, app_ctx):
    response = admin_client.get(
        "/manage/audit",
        query_string={
            **date_args("date_from", "2", "7", "2025"),
            **date_args("date_to", "1", "7", "2025"),
        },
    )
    assert response.status_code == 200
    assert field_error(response, "date_to") == "Date to must be the same as or after date from"
    assert error_summary(response) == ["Date to must be the same as or after date from"]


def test_paged_by_id_with_older_entries_link_keeping_filters(admin_client, app_ctx):
    entries = [add_entry("plan.imported", summary=f"import {n}") for n in range(60)]
    response = admin_client.get("/manage/audit?action=plan.imported")
    rows = table_rows(response)
    assert len(rows) == 50
    assert rows[0][4] == "import 59" and rows[-1][4] == "import 10"
    older = link_to(response, "Older entries")
    query = parse_qs(urlsplit(older["href"]).query)
    assert query == {"action": ["plan.imported"], "before": [str(entries[10].id)]}

    second = admin_client.get(older["href"])
    assert [row[4] for row in table_rows(second)] == [f"import {n}" for n in range(9, -1, -1)]
    assert link_to(second, "Older entries") is None
    assert parse_qs(urlsplit(link_to(second, "Newest entries")["href"]).query) == {
        "action": ["plan.imported"]
    }


def test_query_count_does_not_grow_with_entries(admin_client, app_ctx, count_queries):
    def measure():
        with count_queries() as counter:
            assert admin_client.get("/manage/audit").status_code == 200
        return counter.count

    officer = user_for("officer")
    action = db.session.scalar(db.select(Action).where(Action.reference == "APP-2.1"))
    add_entry("action.updated", actor=officer, record_type="actions", record_id=action.id)
    add_entry(
        "user.role_changed", actor=user_for("admin"), record_type="users", record_id=officer.id
    )
    measure()
    before = measure()
    for n in range(40):
        actor = user_for(("officer", "admin", "coordinator")[n % 3])
        add_entry(
            "action.updated" if n % 2 else "user.invited",
            actor=actor,
            record_type="actions" if n % 2 else "users",
            record_id=action.id if n % 2 else actor.id,
        )
    assert len(table_rows(admin_client.get("/manage/audit"))) == 43  # with the admin's sign-in
    assert measure() == before


def test_orm_cannot_update_or_delete_an_entry(app_ctx):
    entry = add_entry(summary="original")
    entry.summary = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    entry = db.session.get(AuditEntry, entry.id)
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).summary == "original"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET summary = 'rewritten' WHERE id = :id",
        "DELETE FROM audit_entries WHERE id = :id",
    ],
)
def test_database_refuses_raw_update_or_delete(app_ctx, statement):
    entry_id = add_entry(summary="original").id
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(statement), {"id": entry_id})
    db.session.rollback()
    assert (
        db.session.scalar(
            text("SELECT summary FROM audit_entries WHERE id = :id"), {"id": entry_id}
        )
        == "original"
    )


def test_an_entry_keeps_the_address_of_its_own_request_and_none_outside_one(client, app_ctx):
    from app.domain.people import audit
    from app.domain.people.accounts import record_sign_out

    client.post(
        "/auth/sign-in",
        data={"email": user_for("admin").email, "password": "wrong-password-here"},
        environ_base={"REMOTE_ADDR": "203.0.113.44"},
    )
    in_request = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert in_request.ip_address == "203.0.113.44"

    assert audit.client_address.get() == ""  # the request's address does not outlive it
    record_sign_out(user_for("admin"))
    outside = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert (outside.action, outside.ip_address) == ("auth.sign_out", "")
