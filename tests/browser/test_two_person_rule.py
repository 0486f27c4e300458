"""The two-person rule in the browser: a change to a published response waits for approval by
someone else, who approves it without JavaScript; the administrator's "Who may approve
responses" page. Each page: no axe violations in English and Urdu, and fits 320px."""

import re

import pytest

from app.domain.thread import publishing
from app.extensions import db
from app.models import User, YouSaidWeDid

from . import pages
from .conftest import assert_no_axe_violations


def fits(page, width: int = 320) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_change_and_the_settings_pages_are_accessible(live_app, open_page, language):
    with live_app.test_request_context():  # publishing queues emails with links
        response_id = pages._response_with_change()
    admin = open_page(role="admin", language=language)
    for path in (
        f"/manage/responses/{response_id}",
        f"/manage/responses/{response_id}/approve",
        f"/manage/responses/{response_id}/turn-down",
        "/manage/responses/approval-settings",
        "/manage/responses?state=awaiting_approval",
    ):
        answer = admin.goto(path)
        assert answer.status == 200, path
        assert_no_axe_violations(admin)
        fits(admin)
        admin.set_viewport_size({"width": 1024, "height": 800})


def test_an_administrator_approves_a_change_without_javascript(live_app, open_page, tmp_path):
    with live_app.test_request_context():  # publishing queues emails with links
        response_id = pages._response_with_change()
    officer = open_page(role="officer", javascript=False)
    officer.goto(f"/manage/responses/{response_id}")
    main = officer.locator("main")
    # The officer proposed the change, so cannot approve it.
    assert "so someone else must approve it" in main.inner_text()
    assert main.get_by_role("button", name="Approve and publish the change").count() == 0
    public = officer.context.new_page()
    public.goto(f"/you-said-we-did/{response_id}")
    assert "The letters are rewritten." not in public.locator("main").inner_text()

    admin = open_page(role="admin", javascript=False)
    admin.goto(f"/manage/responses/{response_id}")
    admin.set_viewport_size({"width": 375, "height": 800})
    admin.screenshot(path=str(tmp_path / "change-375.png"), full_page=True)
    with admin.expect_navigation():
        admin.locator("main").get_by_role("button", name="Approve and publish the change").click()
    assert re.search(rf"/you-said-we-did/{response_id}$", admin.url)
    text = admin.locator("main").inner_text()
    assert "The change is approved and published." in admin.inner_text("body")
    assert "The letters are rewritten." in text
    with live_app.app_context():
        response = db.session.get(YouSaidWeDid, response_id)
        assert response.pending_change is None and response.status == "done"


def test_an_administrator_lets_officers_approve_for_other_organisations(live_app, open_page):
    admin = open_page(role="admin", javascript=False)
    admin.goto("/manage/responses")
    with admin.expect_navigation():
        admin.locator("main").get_by_role("link", name="Choose who may approve responses").click()
    admin.get_by_label("Any officer or administrator, from any organisation").check()
    with admin.expect_navigation():
        admin.locator("main").get_by_role("button", name="Save").click()
    assert "Who may approve responses has been saved." in admin.inner_text("body")
    with live_app.app_context():
        assert publishing.cross_organisation_approval()
        publishing.set_cross_organisation_approval(
            db.session.scalar(db.select(User).where(User.email == "admin@example.org")), False
        )
