"""Individual cases: handing over to a team, the states with who and when, target reply times
in working days, replies only with consent, the figures, retention and erasure."""

from datetime import date, datetime, timedelta

import pytest

from app.domain.mail import outbox
from app.domain.people import data_rights
from app.domain.people.retention import run_retention
from app.domain.shared.dates import add_working_days, working_days_between
from app.domain.shared.errors import NotAllowed, Refused
from app.domain.thread import cases
from app.extensions import db
from app.models import (
    Area,
    AuditEntry,
    Case,
    CaseReply,
    Contribution,
    OutboxMessage,
    User,
)
from app.models.base import utcnow
from tests.case_helpers import (
    FAMILY_EMAIL,
    PRIVATE_TEXT,
    family_feedback,
    handed_over,
    organisation,
    team,
)
from tests.conftest import user_for


@pytest.fixture(autouse=True)
def _request(app, app_ctx):
    """Emails link to pages, so the domain runs as it does in a request."""
    with app.test_request_context("/"):
        yield


def audit_actions(case: Case) -> list[tuple[str, int]]:
    return [
        (entry.action, entry.actor_id)
        for entry in db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.record_type == "cases", AuditEntry.record_id == str(case.id))
            .order_by(AuditEntry.id)
        )
    ]


def emails_to(address: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        )
    )


# --- Working days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Christmas Day (Friday), the weekend and Boxing Day's substitute (Monday 28th) skipped
        (date(2026, 12, 24), 3, date(2026, 12, 31)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2027, 1, 8), 1, date(2027, 1, 11)),  # Friday to Monday
        (date(2027, 3, 25), 2, date(2027, 3, 31)),  # Good Friday and Easter Monday 2027
        (date(2026, 12, 1), 10, date(2026, 12, 15)),
    ],
)
def test_target_reply_days_skip_weekends_and_bank_holidays(app_ctx, start, days, due):
    assert add_working_days(start, days) == due
    assert working_days_between(start, due) == days
    assert working_days_between(due, start) == 0


def test_a_hand_off_is_due_the_teams_working_days_from_its_local_day(app_ctx):
    three_days = team(reply_days=3)
    # 23:30 UTC on 23 December is still the 23rd in London (winter time)
    assert cases._due_on(three_days, datetime(2026, 12, 23, 23, 30)) == date(2026, 12, 30)
    assert cases._due_on(three_days, datetime(2026, 12, 24, 9, 0)) == date(2026, 12, 31)
    # summer time: 23:30 UTC on 30 June is already 1 July in London
    assert cases._due_on(three_days, datetime(2027, 6, 30, 23, 30)) == date(2027, 7, 6)


# --- Teams -----------------------------------------------------------------------------------


def test_teams_are_checked_and_default_to_ten_working_days(app_ctx):
    admin = user_for("admin")
    with pytest.raises(Refused) as refused:
        cases.add_team(admin, cases.TeamDetails("", None, "not an email", 0))
    assert {field for field, _message in refused.value.problems} == {
        "name",
        "organisation",
        "email",
        "reply_days",
    }
    with pytest.raises(Refused):
        cases.add_team(admin, cases.TeamDetails("T", organisation().id, "t@example.org", 61))
    made = cases.add_team(admin, cases.TeamDetails(" Early  Help ", organisation().id, "EH@x.org"))
    assert (made.name, made.email, made.reply_days) == ("Early Help", "eh@x.org", 10)
    with pytest.raises(Refused) as refused:
        cases.add_team(admin, cases.TeamDetails("early help", organisation().id, "b@x.org"))
    assert refused.value.field == "name"


# --- Handing over ----------------------------------------------------------------------------


def test_handing_over_creates_the_case_and_emails_the_team_a_link_never_the_words(app_ctx):
    coordinator, officer = user_for("coordinator"), user_for("officer")
    casework = team("SEND casework (West)", reply_days=5, email="west@council.example.gov.uk")
    contribution = family_feedback()
    case = cases.hand_off(coordinator, contribution, casework.id, assigned_to_id=officer.id)

    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.contribution.state == "individual_case"
    assert (case.team.name, case.assigned_to_id, case.state) == (
        "SEND casework (West)",
        officer.id,
        "passed_on",
    )
    assert case.due_on == add_working_days(cases.today(), 5)
    [event] = case.events
    assert (event.kind, event.by_id, event.team_id) == ("passed_on", coordinator.id, casework.id)
    assert event.at is not None

    [email] = emails_to("west@council.example.gov.uk")
    assert contribution.reference in email.subject and contribution.reference in email.body_text
    assert f"/manage/cases/{case.id}" in email.body_text
    for private in ("Jamie", "Oakfield", "07700", FAMILY_EMAIL, "Sam Parent"):
        assert private not in email.body_text and private not in email.subject
    assert audit_actions(case) == [("case.passed_on", coordinator.id)]


def test_a_hand_off_needs_a_team_in_use_an_active_person_and_a_coder(app_ctx):
    coordinator = user_for("coordinator")
    contribution = family_feedback()
    with pytest.raises(Refused) as refused:
        cases.hand_off(coordinator, contribution, None)
    assert refused.value.field == "team"
    retired = team()
    cases.set_team_retired(user_for("admin"), retired, True)
    with pytest.raises(Refused):
        cases.hand_off(coordinator, contribution, retired.id)
    gone = User(email="gone@example.org", name="Gone", role="officer", is_active_account=False)
    db.session.add(gone)
    db.session.commit()
    with pytest.raises(Refused) as refused:
        cases.hand_off(coordinator, contribution, team().id, assigned_to_id=gone.id)
    assert refused.value.field == "person"
    with pytest.raises(NotAllowed):  # officers work cases; coders make them
        cases.hand_off(user_for("officer"), contribution, team().id)
    assert cases.case_for_contribution(contribution.id) is None
    assert db.session.get(Contribution, contribution.id).state == "new"


def test_marking_individual_case_without_a_team_is_refused(app_ctx):
    from app.domain.thread.contributions import Coding, code_contributions

    contribution = family_feedback()
    with pytest.raises(Refused):
        code_contributions(
            user_for("coordinator"), [contribution.id], Coding(state="individual_case")
        )


def test_passing_to_another_team_starts_a_new_due_day_and_emails_that_team(app_ctx):
    first, second = team(), team(email="second@council.example.gov.uk")
    case = handed_over(to_team=first)
    officer = user_for("officer")
    with pytest.raises(Refused):  # already with this team
        cases.hand_off(officer, case.contribution, first.id)
    cases.hand_off(officer, case.contribution, second.id)
    assert case.team_id == second.id and case.state == "passed_on"
    assert [(e.kind, e.team_id) for e in case.events] == [
        ("passed_on", first.id),
        ("passed_on", second.id),
    ]
    [email] = emails_to("second@council.example.gov.uk")
    assert "from another team" in email.body_text
    assert cases.case_for_contribution(case.contribution_id).id == case.id
    # the family's page says "passed to" again, with the new team
    assert [(step.kind, step.team) for step in cases.tracked_steps(case.contribution_id)] == [
        ("passed_on", first.name),
        ("passed_on", second.name),
    ]


# --- States ----------------------------------------------------------------------------------


def test_each_state_keeps_who_and_when_and_is_audited(app_ctx):
    officer, admin = user_for("officer"), user_for("admin")
    case = handed_over()
    cases.acknowledge(officer, case)
    with pytest.raises(Refused):
        cases.acknowledge(officer, case)
    cases.record_reply(officer, case, "phone", "Rang and agreed a meeting")
    cases.close(admin, case, "Meeting held")
    with pytest.raises(Refused):
        cases.close(admin, case)
    with pytest.raises(Refused):
        cases.record_reply(officer, case, "phone", "Again")
    assert [step.kind for step in cases.tracked_steps(case.contribution_id)][-1] == "closed"
    cases.reopen(officer, case)
    assert case.state == "replied"
    # reopened: the family's page no longer says closed
    assert [step.kind for step in cases.tracked_steps(case.contribution_id)] == [
        "passed_on",
        "acknowledged",
        "replied",
    ]

    assert [(e.kind, e.by_id) for e in case.events] == [
        ("passed_on", user_for("coordinator").id),
        ("acknowledged", officer.id),
        ("replied", officer.id),
        ("closed", admin.id),
        ("reopened", officer.id),
    ]
    assert all(e.at is not None for e in case.events)
    assert case.events[3].note == "Meeting held"
    assert [action for action, _actor in audit_actions(case)] == [
        "case.passed_on",
        "case.acknowledged",
        "case.replied",
        "case.closed",
        "case.reopened",
    ]
    assert case.answered_on == cases.today()


def test_a_case_can_be_closed_from_any_open_state(app_ctx):
    officer = user_for("officer")
    for steps in ([], [cases.acknowledge]):
        case = handed_over()
        for step in steps:
            step(officer, case)
        cases.close(officer, case)
        assert case.state == "closed" and case.closed_at is not None


# --- Replies ---------------------------------------------------------------------------------


def test_staff_email_the_family_only_when_they_left_an_email_and_agreed(app_ctx):
    officer = user_for("officer")
    no_contact = handed_over(email=None)
    assert "did not leave an email address" in str(cases.email_refusal(no_contact))
    with pytest.raises(Refused):
        cases.reply_by_email(officer, no_contact, "Hello")
    not_agreed = handed_over(email="quiet@example.org", wants_updates=False)
    assert "did not agree to be contacted" in str(cases.email_refusal(not_agreed))
    with pytest.raises(Refused):
        cases.reply_by_email(officer, not_agreed, "Hello")
    assert emails_to("quiet@example.org") == []
    # a reply made another way can still be recorded, so the case is answered
    cases.record_reply(officer, no_contact, "letter", "Wrote to the family")
    assert no_contact.state == "replied" and no_contact.answered_at is not None
    with pytest.raises(Refused) as refused:
        cases.record_reply(officer, no_contact, "email", "Not this way")
    assert refused.value.field == "method"


def test_a_reply_is_kept_with_the_case_and_sent_once_through_the_outbox(app_ctx):
    officer = user_for("officer")
    case = handed_over()
    reply = cases.reply_by_email(officer, case, "  Dear Sam,\r\nWe will call you on Monday.  ")
    assert reply.text == "Dear Sam,\nWe will call you on Monday."
    assert (reply.method, reply.by_id) == ("email", officer.id)
    [message] = emails_to(FAMILY_EMAIL)
    assert reply.outbox_message_id == message.id and message.status == "pending"
    assert "We will call you on Monday." in message.body_text
    assert case.contribution.reference in message.subject
    assert reply.delete_after == case.contribution.contact.delete_after

    sent = []

    class Recorder:
        def send(self, claimed, email):
            sent.append(claimed.to_address)

    outbox.deliver_due(sender=Recorder())
    outbox.deliver_due(sender=Recorder())
    assert sent.count(FAMILY_EMAIL) == 1
    db.session.expire_all()
    reply = db.session.get(CaseReply, reply.id)
    assert reply.outbox_message.status == "sent" and reply.outbox_message.sent_at is not None
    with pytest.raises(Refused) as refused:
        cases.reply_by_email(officer, case, "   ")
    assert refused.value.field == "text"


# --- Lists and figures -----------------------------------------------------------------------


def test_the_cases_list_puts_overdue_first_in_each_team_and_counts_working_days(app_ctx):
    alpha, beta = team("Alpha casework"), team("Beta casework")
    on_time = handed_over(to_team=alpha)
    late = handed_over(to_team=alpha)
    later = handed_over(to_team=alpha)
    answered_late = handed_over(to_team=alpha)
    other = handed_over(to_team=beta)
    closed = handed_over(to_team=alpha)
    as_of = date(2027, 1, 15)  # a Friday
    on_time.due_on = date(2027, 1, 20)
    late.due_on = date(2027, 1, 13)  # Wednesday: Thursday and Friday since
    later.due_on = date(2027, 1, 8)  # Friday before: five working days since
    answered_late.due_on = date(2027, 1, 1)
    other.due_on = date(2027, 1, 1)
    closed.due_on = date(2027, 1, 1)
    db.session.commit()
    cases.record_reply(user_for("officer"), answered_late, "phone", "Rang")
    cases.close(user_for("officer"), closed)

    listing = cases.cases_page(cases.CaseFilters(), as_of=as_of)
    mine = [row for row in listing.items if row.case.team_id in (alpha.id, beta.id)]
    assert [row.case.id for row in mine] == [
        later.id,
        late.id,
        answered_late.id,
        on_time.id,
        other.id,
    ]
    assert [row.overdue_days for row in mine] == [5, 2, 0, 0, 10]
    only_beta = cases.cases_page(cases.CaseFilters(team_id=beta.id), as_of=as_of)
    assert [row.case.id for row in only_beta.items] == [other.id]
    closed_ones = cases.cases_page(cases.CaseFilters(team_id=alpha.id, state="closed"))
    assert [row.case.id for row in closed_ones.items] == [closed.id]

    by_team = {t.team_id: t for t in cases.open_by_team(as_of)}
    assert (by_team[alpha.id].open, by_team[alpha.id].overdue) == (4, 2)
    assert (by_team[beta.id].open, by_team[beta.id].overdue) == (1, 1)


def test_the_cases_list_and_home_counts_cost_the_same_however_many_cases(app_ctx, count_queries):
    casework = team()
    handed_over(to_team=casework)
    with count_queries() as few:
        cases.cases_page(cases.CaseFilters())
        cases.open_by_team()
    for _ in range(6):
        handed_over(to_team=team())
    with count_queries() as many:
        cases.cases_page(cases.CaseFilters())
        cases.open_by_team()
    assert many.count == few.count <= 4


def test_answer_figures_per_area_are_counted_by_the_database(app_ctx):
    six = db.session.scalar(db.select(Area).where(Area.number == 6))
    officer = user_for("officer")
    in_time = handed_over()
    late = handed_over()
    waiting = handed_over()
    overdue = handed_over()
    nowhere = handed_over(area=None)
    late.due_on = date(2020, 1, 1)
    overdue.due_on = date(2020, 1, 1)
    db.session.commit()
    cases.record_reply(officer, in_time, "phone", "Rang")
    cases.record_reply(officer, late, "phone", "Rang")
    cases.close(officer, late)
    del waiting, nowhere

    today = cases.today()
    figures = cases.answer_figures(today - timedelta(days=1), today)
    assert figures[six.id] == cases.CaseFigures(
        passed_on=4, answered=2, answered_within_target=1, open=3, overdue=1
    )
    assert figures[None].passed_on == 1
    assert cases.answer_figures(today + timedelta(days=1), today + timedelta(days=2)) == {}
    # on the area's page: of the cases answered or past their due day, how many in time
    answers = cases.area_answers(six.id)
    assert (answers.within_target, answers.counted) == (1, 3)


# --- Retention and data rights ---------------------------------------------------------------


def test_reply_texts_are_blanked_with_the_contact_details_and_the_reply_stays(app_ctx):
    officer = user_for("officer")
    case = handed_over()
    reply = cases.reply_by_email(officer, case, "Sam, I have booked Jamie's review.")
    recorded = cases.record_reply(officer, case, "phone", "Rang Sam about Jamie")
    later = reply.delete_after + timedelta(minutes=1)
    result = run_retention(now=later)
    assert result.case_replies >= 2 and result.contacts >= 1
    db.session.expire_all()
    for kept in (db.session.get(CaseReply, reply.id), db.session.get(CaseReply, recorded.id)):
        assert kept.text == "" and kept.text_removed_at == later
        assert kept.by_id == officer.id and kept.at is not None
    assert db.session.get(Case, case.id).answered_at is not None


def test_the_data_rights_copy_has_the_replies_and_erasure_blanks_or_removes_them(app_ctx):
    admin, officer = user_for("admin"), user_for("officer")
    kept = handed_over(email="erase.me@example.org")
    cases.reply_by_email(officer, kept, "Private reply for the family")
    held = data_rights.find("erase.me@example.org", actor=admin)
    assert held.counts["case_replies"] == 1
    copy = held.as_dict(utcnow())
    assert copy["replies_to_your_feedback"][0]["text"] == "Private reply for the family"
    assert copy["replies_to_your_feedback"][0]["reference"] == kept.contribution.reference

    data_rights.erase(
        "erase.me@example.org",
        what_they_said=data_rights.KEEP_ANONYMOUSLY,
        reason="Asked",
        actor=admin,
    )
    [reply] = db.session.scalars(db.select(CaseReply).where(CaseReply.case_id == kept.id)).all()
    assert (
        reply.text == "" and reply.text_removed_at is not None and reply.outbox_message_id is None
    )

    removed = handed_over(email="remove.me@example.org")
    cases.reply_by_email(officer, removed, "Another private reply")
    contribution_id, case_id = removed.contribution_id, removed.id
    data_rights.erase(
        "remove.me@example.org", what_they_said=data_rights.REMOVE, reason="Asked", actor=admin
    )
    assert db.session.get(Contribution, contribution_id) is None
    assert db.session.get(Case, case_id) is None
    assert db.session.scalars(db.select(CaseReply).where(CaseReply.case_id == case_id)).all() == []


def test_handing_over_text_is_never_in_any_team_email(app_ctx):
    case = handed_over(text=PRIVATE_TEXT)
    for message in emails_to(case.team.email):
        assert PRIVATE_TEXT not in message.body_text
