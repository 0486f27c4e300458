"""A family's feedback is handed over and answered: a coordinator marks it an individual case
and hands it to a team, an officer acknowledges it and replies by email, and the family's
/track page says so in words, without the reply or anyone's name. Without JavaScript, as the
slowest phone would."""

import re

import pytest

from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import Team

from .conftest import assert_no_axe_violations

WORDS = "Journey case: my son has had no school transport for three weeks, please ring me."
REPLY = "Dear parent, transport starts again on Monday; Officer Omar will confirm by phone."


@pytest.fixture
def family_feedback(live_app):
    with live_app.app_context():
        contribution = record_contribution(
            "feedback",
            WORDS,
            contact_email="journey.family@example.org",
            wants_updates=True,
        )
        db.session.commit()
        team = db.session.scalar(db.select(Team).where(Team.retired_at.is_(None)).order_by(Team.id))
        return contribution.id, contribution.reference, team.name


@pytest.mark.parametrize("javascript", [True, False])
def test_a_case_is_handed_over_answered_and_tracked(open_page, family_feedback, javascript):
    contribution_id, reference, team_name = family_feedback

    coordinator = open_page("coordinator", javascript=javascript)
    coordinator.goto(f"/manage/inbox/{contribution_id}")
    coordinator.get_by_label("Individual case").check()
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Save coding").click()
    assert coordinator.url.endswith(f"/manage/inbox/{contribution_id}/hand-off")
    if javascript:
        assert_no_axe_violations(coordinator)
    coordinator.get_by_label(re.compile(re.escape(team_name))).check()
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Hand over").click()
    assert (
        f"has been passed to {team_name}"
        in coordinator.locator(".govuk-notification-banner").inner_text()
    )
    case_url = coordinator.url

    officer = open_page("officer", javascript=javascript)
    officer.goto("/manage/cases")
    with officer.expect_navigation():
        officer.get_by_role("link", name=reference).click()
    assert officer.url == case_url
    assert WORDS in officer.locator("main").inner_text()
    with officer.expect_navigation():
        officer.get_by_role("button", name="Acknowledge case").click()
    officer.get_by_label("Your reply").fill(REPLY)
    with officer.expect_navigation():
        officer.get_by_role("button", name="Send reply").click()
    assert "Your reply has been sent" in officer.locator(".govuk-notification-banner").inner_text()
    if javascript:
        assert_no_axe_violations(officer)

    family = open_page(javascript=javascript)
    family.goto("/track")
    family.get_by_label("Your reference").fill(reference)
    with family.expect_navigation():
        family.get_by_role("button", name="Track feedback").click()
    journey = family.locator("main").inner_text()
    assert re.search(r"Passed to .+ on \d{1,2} \w+ \d{4}", journey)
    assert re.search(r"Acknowledged on \d{1,2} \w+ \d{4}", journey)
    assert re.search(r"Replied on \d{1,2} \w+ \d{4}", journey)
    for private in ("transport starts again", "Officer Omar", "Omar", "journey.family", WORDS):
        assert private not in family.content()
    if javascript:
        assert_no_axe_violations(family)
