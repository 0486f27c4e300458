"""An officer writes a "You said, we did" response the way the issue walked it — start from an
area, evidence, "You said" drafted, preview, send for approval — and a second person (the
administrator) approves it and sees the public page. The test counts every click.

Clicks, counted the same way on both (a mouse user; typing is not a click; choosing from a
drop-down list is two clicks, open and choose; signing in is not counted):
- before this change (measured on the code before it, from the responses list): 15 —
  "Write a response", tick the area, "Save draft", the evidence filter's area (2), "Apply
  filters", "Add all N matching", "Draft ‘You said’", "Save changes", "Send for approval";
  the approver: the dashboard's "awaiting approval", the response, "Approve and publish",
  "Approve and publish" again on its own page, "See it on the public site".
- now: 7 — "Write a response" on the area's row of the plan, "Save draft with all N linked
  contributions as evidence", "Save and preview", "Send for approval"; the approver: the
  dashboard's "awaiting approval", the response, "Approve and publish" (which shows the public
  page).
"""

import re

import pytest

from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import Area, Theme, User, YouSaidWeDid
from app.models.base import utcnow

from .conftest import assert_no_axe_violations, sign_in

CLICKS_BEFORE = 15
WE_DID = "From March every family gets a named caseworker and a reply within five working days."


class Clicks:
    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, locator):
        """One click that loads the next page."""
        self.count += 1
        with self.page.expect_navigation():
            locator.click()


@pytest.fixture
def new_area(live_app):
    """An area of its own with six coded contributions (three with approved quotes)."""
    with live_app.app_context():
        number = (db.session.scalar(db.select(db.func.max(Area.number))) or 0) + 1
        area = Area(
            number=number,
            title="Families are not told who is dealing with their case",
            finding="Families did not know who was dealing with their case.",
        )
        db.session.add(area)
        theme = db.session.scalar(db.select(Theme).where(Theme.name == "Officer journey theme"))
        if theme is None:
            theme = Theme(name="Officer journey theme")
            db.session.add(theme)
        db.session.flush()
        admin = db.session.scalar(db.select(User).where(User.email == "admin@example.org"))
        for i in range(6):
            contribution = record_contribution(
                "feedback",
                f"Nobody told us who our caseworker was (family {i}).",
                area_ids=[area.id],
                consent_to_quote=True,
            )
            contribution.themes = [theme]
            contribution.state = "coded"
            if i < 3:
                contribution.quote_text = f"We never knew who to call, {i + 1} months on."
                contribution.quote_approved_at = utcnow()
                contribution.quote_approved_by_id = admin.id
        db.session.commit()
        return {"id": area.id, "number": number}


def test_officer_writes_and_a_second_person_publishes_in_half_the_clicks(
    browser, live_server, new_area, tmp_path
):
    title = f"Knowing who is dealing with your case ({new_area['number']})"
    officer_context = browser.new_context(base_url=live_server, bypass_csp=True)
    officer = officer_context.new_page()
    sign_in(officer, "officer")
    clicks = Clicks(officer)

    # Start: from the area's row in the improvement plan.
    officer.goto("/manage/plan")
    clicks.click(
        officer.get_by_role("link", name=f"Write a response about area {new_area['number']}")
    )
    assert officer.locator(f"input[name=areas][value='{new_area['id']}']").is_checked()
    officer.locator("#title").focus()
    officer.keyboard.type(title)
    # Evidence: the six contributions linked to the area, in one go.
    clicks.click(
        officer.get_by_role("button", name="Save draft with all 6 linked contributions as evidence")
    )
    assert "Draft saved with 6 contributions as its evidence." in officer.inner_text("main")

    # Draft: "You said" is drafted from the evidence: count, themes with counts, quotes.
    you_said = officer.locator("#you_said").input_value()
    assert you_said.startswith("6 people told us about this.")
    assert "Officer journey theme (6)" in you_said
    assert you_said.count("\u201c") == 3
    officer.locator("#we_did").focus()
    officer.keyboard.type(WE_DID)
    clicks.click(officer.get_by_role("button", name="Save and preview"))

    # Preview: the public page as it will look, with what to do next.
    assert "/preview" in officer.url
    main = officer.inner_text("main")
    assert "This is a preview. It is not published." in officer.inner_text("body")
    assert title in main and WE_DID in main and "We never knew who to call" in main
    assert_no_axe_violations(officer)
    officer.set_viewport_size({"width": 320, "height": 800})
    assert officer.evaluate("document.documentElement.scrollWidth") <= 320
    officer.screenshot(path=str(tmp_path / "preview-320.png"), full_page=True)
    officer.set_viewport_size({"width": 1280, "height": 800})
    clicks.click(officer.get_by_role("button", name="Send for approval"))
    assert "Sent for approval." in officer.inner_text("main")
    officer_context.close()

    # Approval by a second person.
    admin_context = browser.new_context(base_url=live_server, bypass_csp=True)
    admin = admin_context.new_page()
    sign_in(admin, "admin")
    clicks.page = admin
    clicks.click(admin.get_by_role("link", name=re.compile(r"awaiting approval")))
    clicks.click(admin.get_by_role("link", name=title))
    assert_no_axe_violations(admin)
    clicks.click(admin.get_by_role("button", name="Approve and publish"))

    # The public page.
    assert re.search(r"/you-said-we-did/\d+$", admin.url)
    main = admin.inner_text("main")
    assert "Published." in main and title in main and WE_DID in main
    assert_no_axe_violations(admin)
    admin_context.close()

    assert clicks.count == 7
    assert clicks.count * 2 <= CLICKS_BEFORE


def test_evidence_step_starts_from_the_response_links_and_confirms_large_additions(
    open_page, live_app, new_area
):
    """The evidence page lists only what is linked to the response's area until the officer
    widens the search, and "add all" above 50 asks first."""
    with live_app.app_context():
        officer = db.session.scalar(db.select(User).where(User.email == "officer@example.org"))
        from app.domain.thread import publishing

        response = publishing.create_draft(
            officer,
            publishing.ResponseFields(
                title="Evidence step",
                organisation_id=officer.organisation_id,
                area_ids=[new_area["id"]],
            ),
        )
        response_id = response.id
    for language in ("en", "ur"):
        page = open_page(role="officer", language=language)
        page.goto(f"/manage/responses/{response_id}/evidence")
        assert_no_axe_violations(page)
    page = open_page(role="officer")
    page.goto(f"/manage/responses/{response_id}/evidence")
    assert "6 matching contributions" in page.inner_text("main")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    with page.expect_navigation():
        page.get_by_role("link", name="Search all contributions instead").click()
    button = page.get_by_role("button", name=re.compile(r"Add all [\d,]+ matching…"))
    with page.expect_navigation():
        button.click()
    assert re.search(r"Add [\d,]+ contributions as evidence\?", page.inner_text("h1"))
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="No, go back to the filters").click()
    with live_app.app_context():
        assert db.session.get(YouSaidWeDid, response_id).contributions == []


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_officer_pages_fit_a_320_pixel_screen(open_page, live_app, new_area, language):
    """Nothing on the pages of this journey makes a 320-pixel screen scroll sideways; wide staff
    tables scroll inside their own box."""
    from app.domain.thread import publishing

    with live_app.app_context():
        officer = db.session.scalar(db.select(User).where(User.email == "officer@example.org"))
        response = publishing.create_draft(
            officer,
            publishing.ResponseFields(
                title="Fits a small screen",
                organisation_id=officer.organisation_id,
                area_ids=[new_area["id"]],
            ),
        )
        response_id = response.id
    page = open_page(role="admin", language=language)
    page.set_viewport_size({"width": 320, "height": 800})
    for url in (
        "/manage/plan",
        "/manage/themes",
        "/manage/responses",
        f"/manage/responses/new?area={new_area['id']}",
        f"/manage/responses/{response_id}",
        f"/manage/responses/{response_id}/edit",
        f"/manage/responses/{response_id}/evidence",
        f"/manage/responses/{response_id}/evidence?scope=all&confirm_all=1",
        f"/manage/responses/{response_id}/preview",
    ):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
