"""Staff pages for individual cases: teams (administrators), the hand-off from the inbox, the
Cases list and the case page, and the staff home's open cases."""

import pytest

from app.domain.thread import cases
from app.extensions import db
from app.models import AuditEntry, Case, OutboxMessage, Team
from tests.case_helpers import FAMILY_EMAIL, family_feedback, handed_over, organisation, team
from tests.conftest import user_for

from ..helpers import error_summary, field_error, main_text, notification, page


@pytest.fixture
def in_request(app, app_ctx):
    with app.test_request_context("/"):
        yield


def test_an_administrator_adds_changes_and_retires_a_team(client, signed_in, app_ctx):
    admin = signed_in("admin")
    response = client.post(
        "/manage/teams",
        data={
            "name": "Portage (Kent)",
            "organisation": str(organisation().id),
            "email": "Portage@Kent.example.gov.uk",
            "reply_days": "",
        },
    )
    assert response.status_code == 400
    assert field_error(response, "reply_days") == "Enter the target reply time in working days"
    for days, message in (("0", "between 1 and 60"), ("61", "between 1 and 60"), ("ten", "whole")):
        response = client.post(
            "/manage/teams",
            data={
                "name": "Portage",
                "organisation": str(organisation().id),
                "email": "portage@example.org",
                "reply_days": days,
            },
        )
        assert response.status_code == 400
        assert any(message in item for item in error_summary(response))
    response = client.post(
        "/manage/teams",
        data={
            "name": "Portage (Kent)",
            "organisation": str(organisation().id),
            "email": "Portage@Kent.example.gov.uk",
            "reply_days": "10",
        },
    )
    assert response.status_code == 302
    made = db.session.scalar(db.select(Team).where(Team.name == "Portage (Kent)"))
    assert (made.email, made.reply_days) == ("portage@kent.example.gov.uk", 10)
    assert "Portage (Kent)" in main_text(client.get("/manage/teams"))

    response = client.post(
        f"/manage/teams/{made.id}",
        data={
            "name": "Portage (Kent)",
            "organisation": str(made.organisation_id),
            "email": "portage@kent.example.gov.uk",
            "reply_days": "5",
        },
    )
    assert response.status_code == 302
    assert client.post(f"/manage/teams/{made.id}/status").status_code == 302
    db.session.expire_all()
    made = db.session.get(Team, made.id)
    assert made.reply_days == 5 and made.retired_at is not None
    actions = [
        (e.action, e.actor_id)
        for e in db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.record_type == "teams", AuditEntry.record_id == str(made.id))
            .order_by(AuditEntry.id)
        )
    ]
    assert actions == [
        ("team.created", admin.id),
        ("team.changed", admin.id),
        ("team.retired", admin.id),
    ]


@pytest.mark.parametrize("role", ["coordinator", "officer"])
def test_only_administrators_keep_the_teams(client, signed_in, role):
    signed_in(role)
    assert client.get("/manage/teams").status_code == 403
    assert client.post("/manage/teams", data={"name": "X"}).status_code == 403


def test_choosing_individual_case_in_the_inbox_goes_through_the_hand_off_page(
    client, signed_in, app_ctx
):
    coordinator = signed_in("coordinator")
    casework = team("Hand-off casework", email="handoff@council.example.gov.uk")
    contribution = family_feedback()
    assert "Next, choose the team who will answer it." in main_text(
        client.get(f"/manage/inbox/{contribution.id}")
    )
    response = client.post(
        f"/manage/inbox/{contribution.id}/code",
        data={"state": "individual_case", "sentiment": "", "note": ""},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/inbox/{contribution.id}/hand-off")
    db.session.expire_all()
    assert cases.case_for_contribution(contribution.id) is None

    form_page = client.get(f"/manage/inbox/{contribution.id}/hand-off")
    assert form_page.status_code == 200
    assert "Hand-off casework" in main_text(form_page)
    refused = client.post(f"/manage/inbox/{contribution.id}/hand-off", data={"team": ""})
    assert refused.status_code == 400
    assert error_summary(refused) == ["Select the team who will take this case"]
    assert cases.case_for_contribution(contribution.id) is None

    response = client.post(
        f"/manage/inbox/{contribution.id}/hand-off",
        data={"team": str(casework.id), "person": "", "note": "Mum asked for a call"},
    )
    assert response.status_code == 302
    case = cases.case_for_contribution(contribution.id)
    assert response.headers["Location"].endswith(f"/manage/cases/{case.id}")
    assert case.events[0].by_id == coordinator.id and case.events[0].note == "Mum asked for a call"
    assert db.session.get(type(contribution), contribution.id).state == "individual_case"
    email = db.session.scalar(
        db.select(OutboxMessage).where(OutboxMessage.to_address == "handoff@council.example.gov.uk")
    )
    assert f"/manage/cases/{case.id}" in email.body_text and "Mum asked" not in email.body_text
    assert "passed to Hand-off casework" in notification(client.get(f"/manage/cases/{case.id}"))
    # the contribution's page now points at its case
    assert (
        page(client.get(f"/manage/inbox/{contribution.id}")).select_one("#case-link a")["href"]
        == f"/manage/cases/{case.id}"
    )


def test_an_officer_acknowledges_and_replies_on_the_case_page(client, signed_in, in_request):
    case = handed_over()
    officer = signed_in("officer")
    shown = client.get(f"/manage/cases/{case.id}")
    assert shown.status_code == 200
    text = main_text(shown)
    assert "No school place since March" in text or "no school place since March" in text
    assert client.post(f"/manage/cases/{case.id}/acknowledge").status_code == 302
    response = client.post(f"/manage/cases/{case.id}/reply", data={"text": ""})
    assert response.status_code == 400
    assert field_error(response, "text") == "Enter your reply"
    assert (
        client.post(
            f"/manage/cases/{case.id}/reply", data={"text": "We have booked a review for you."}
        ).status_code
        == 302
    )
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.state == "replied"
    assert [(e.kind, e.by_id) for e in case.events][1:] == [
        ("acknowledged", officer.id),
        ("replied", officer.id),
    ]
    [reply] = case.replies
    assert reply.outbox_message.to_address == FAMILY_EMAIL
    timeline = main_text(client.get(f"/manage/cases/{case.id}"))
    assert "We have booked a review for you." in timeline and "email sent" in timeline
    assert client.post(f"/manage/cases/{case.id}/close", data={"note": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == "closed"
    assert "This case is closed" in main_text(client.get(f"/manage/cases/{case.id}"))


def test_without_consent_the_page_says_why_and_offers_recording_a_reply(
    client, signed_in, in_request
):
    case = handed_over(email="no.consent@example.org", wants_updates=False)
    signed_in("officer")
    shown = page(client.get(f"/manage/cases/{case.id}"))
    assert "did not agree to be contacted" in shown.select_one("#cannot-email").get_text()
    assert not shown.select(f'form[action="/manage/cases/{case.id}/reply"]')
    refused = client.post(f"/manage/cases/{case.id}/reply", data={"text": "Hello"})
    assert refused.status_code == 400
    assert (
        db.session.scalar(
            db.select(OutboxMessage).where(OutboxMessage.to_address == "no.consent@example.org")
        )
        is None
    )
    response = client.post(
        f"/manage/cases/{case.id}/record-reply", data={"method": "phone", "text": "Rang them"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == "replied"


def test_the_cases_page_groups_by_team_and_shows_overdue_working_days(
    client, signed_in, in_request
):
    late_team = team("Aardvark casework")
    late = handed_over(to_team=late_team)
    late.due_on = cases.today().replace(year=cases.today().year - 1)
    db.session.commit()
    signed_in("coordinator")
    listing = page(client.get(f"/manage/cases?team={late_team.id}&state=open"))
    assert listing.select_one("h2").get_text(strip=True) == "Aardvark casework"
    assert "working days overdue" in listing.get_text()
    assert late.contribution.reference in listing.get_text()
    bad = client.get("/manage/cases?team=999999&state=nonsense")
    assert bad.status_code == 200
    assert "Select a state from the list" in " ".join(error_summary(bad))

    home = page(client.get("/manage/"))
    link = home.select_one(f'#open-cases ~ ul a[href="/manage/cases?team={late_team.id}"]')
    assert link is not None and "Aardvark casework: 1 open case" in link.get_text()


@pytest.mark.parametrize("role", ["coordinator", "officer", "admin"])
def test_coordinators_officers_and_admins_see_cases(client, signed_in, role, in_request):
    case = handed_over()
    signed_in(role)
    assert client.get("/manage/cases").status_code == 200
    assert client.get(f"/manage/cases/{case.id}").status_code == 200


def test_an_officer_cannot_make_a_new_case_but_can_pass_one_on(client, signed_in, in_request):
    contribution = family_feedback()
    other = team()
    signed_in("officer")
    assert client.get(f"/manage/inbox/{contribution.id}/hand-off").status_code == 403
    case = handed_over()
    assert client.get(f"/manage/cases/{case.id}/pass-on").status_code == 200
    response = client.post(f"/manage/cases/{case.id}/pass-on", data={"team": str(other.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).team_id == other.id


def test_the_area_page_counts_cases_answered_in_time_and_suppresses_small_numbers(
    client, in_request
):
    officer = user_for("officer")
    made = [handed_over(area=2) for _ in range(6)]
    for case in made[:5]:
        cases.record_reply(officer, case, "phone", "Rang")
    made[5].due_on = made[5].due_on.replace(year=2020)
    db.session.commit()
    text = main_text(client.get("/areas/2"))
    assert "5 of 6 individual cases answered within the target reply time" in text
    cases.close(officer, made[0])
    for case in made[1:4]:
        db.session.delete(case)
    db.session.commit()
    text = main_text(client.get("/areas/2"))
    assert "Fewer than 5 individual cases about this area have reached" in text
    assert "of 3 individual cases" not in text


def test_the_cases_page_and_home_cost_the_same_however_many_cases(
    client, signed_in, in_request, count_queries
):
    handed_over()
    signed_in("officer")
    client.get("/manage/cases")
    with count_queries() as few:
        assert client.get("/manage/cases").status_code == 200
        assert client.get("/manage/").status_code == 200
    for _ in range(8):
        handed_over(to_team=team())
    with count_queries() as many:
        assert client.get("/manage/cases").status_code == 200
        assert client.get("/manage/").status_code == 200
    assert many.count == few.count
