"""A forum coordinator working through new contributions in a real browser (issue 14).

Clicks to code ten contributions whose starting codes (from their "Tell us" topic, survey or
consultation) are right:
- before: 32. The inbox opened on "Any state", so choosing "New" and "Apply filters" (2), then
  for each contribution: open it from the list, "Save coding", "Back to the inbox" (3 x 10).
- now: 11. The inbox opens on new contributions, newest first: open the first (1), then "Save and
  go to the next uncoded" on each (1 x 10), with the starting codes already ticked.
"""

from datetime import timedelta

import pytest

from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import Area, Contribution
from app.models.base import utcnow

from .conftest import assert_no_axe_violations


class Clicks:
    """Counts every click the person makes."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        with locator.page.expect_navigation():
            locator.click()


@pytest.fixture
def ten_new(live_app):
    """Ten new contributions, received just now (so the newest), each linked on arrival to the
    area its "Tell us" topic points at."""
    with live_app.app_context():
        areas = list(db.session.scalars(db.select(Area).order_by(Area.number)))
        now = utcnow()
        made = []
        for n in range(10):
            area = areas[n % len(areas)]
            contribution = record_contribution(
                "feedback",
                f"Inbox journey {n}: the letter about the plan came months late.",
                topic=f"area-{area.number}",
                area_ids=[area.id],
            )
            db.session.flush()
            contribution.created_at = now - timedelta(milliseconds=n)
            made.append((contribution.id, contribution.reference, area.id))
        db.session.commit()
    return made


def test_coding_ten_new_contributions_takes_two_clicks_or_fewer_each(open_page, live_app, ten_new):
    page = open_page(role="coordinator")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/manage/inbox")
    assert "Showing contributions in the state “New”" in page.locator("main").inner_text()
    references = page.locator("main table tbody tr td a.govuk-link").all_inner_texts()
    # Newest first: ours are the newest non-urgent ones, in the order received.
    ours = [reference for _id, reference, _area in ten_new]
    assert [r for r in references if r in ours] == ours
    assert_no_axe_violations(page)

    clicks = Clicks()
    clicks.click(page.get_by_role("link", name=ours[0], exact=True))
    for reference in ours:
        assert reference in page.locator("h1").inner_text()
        # The starting code is ticked, by name.
        checked = page.locator("input[name=areas]:checked")
        assert checked.count() == 1
        label = page.locator(f"label[for='{checked.get_attribute('id')}']").inner_text()
        assert label.startswith("Area ") and ":" in label
        if reference == ours[0]:
            assert_no_axe_violations(page)
        clicks.click(page.get_by_role("button", name="Save and go to the next uncoded"))
        assert (
            "Coding saved for " + reference
            in page.locator(".govuk-notification-banner").inner_text()
        )

    assert clicks.count <= 2 * len(ours)  # 11: open the first, then one per contribution
    with live_app.app_context():
        for contribution_id, _reference, area_id in ten_new:
            coded = db.session.get(Contribution, contribution_id)
            assert coded.state == "coded"
            assert [a.id for a in coded.areas] == [area_id]
            db.session.expire_all()


def test_the_bar_for_ticked_rows_stays_in_reach(open_page, ten_new):
    page = open_page(role="coordinator")
    # A laptop (on a phone the bar follows the list rather than cover half the screen).
    page.set_viewport_size({"width": 1024, "height": 700})
    page.goto("/manage/inbox")
    rows = page.locator("main table tbody tr input[name=contribution_ids]")
    rows.first.check()
    rows.nth(5).scroll_into_view_if_needed()
    rows.nth(5).check()
    bar = page.locator("#bulk-bar")
    box = bar.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 700 + 1 and box["y"] < 700
    assert bar.get_by_role("button", name="Code selected contributions").is_visible()
    assert bar.get_by_role("button", name="Start a response from the selected").is_visible()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_inbox_and_contribution_pages_in_each_language(open_page, ten_new, language):
    page = open_page(role="coordinator", language=language)
    page.goto("/manage/inbox")
    page.locator("main table tbody tr input[name=contribution_ids]").first.check()
    page.locator("#bulk-bar > details > summary").click()
    assert_no_axe_violations(page)
    page.goto(f"/manage/inbox/{ten_new[0][0]}")
    assert_no_axe_violations(page)


def test_the_inbox_works_without_javascript(open_page, ten_new):
    page = open_page(role="coordinator", javascript=False)
    page.goto("/manage/inbox")
    page.locator(f"#select-{ten_new[0][0]}").check()
    page.locator(f"#select-{ten_new[1][0]}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Start a response from the selected").click()
    assert "/manage/responses/new" in page.url
    assert (
        f"contribution={ten_new[0][0]}" in page.url and f"contribution={ten_new[1][0]}" in page.url
    )


@pytest.mark.parametrize("width", [320, 375])
def test_inbox_pages_fit_a_phone(open_page, ten_new, width):
    page = open_page(role="coordinator")
    page.set_viewport_size({"width": width, "height": 800})
    for url in ("/manage/inbox", f"/manage/inbox/{ten_new[0][0]}"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
