"""Data requests and organisations as an administrator meets them in a browser: axe-clean in
English and Urdu (right to left), fitting 320px, and usable without JavaScript."""

import time

import pytest

from app.domain.thread.contributions import record_contribution
from app.extensions import db

from .conftest import assert_no_axe_violations


def fits_320(page):
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at 320px"
    page.set_viewport_size({"width": 1024, "height": 800})


@pytest.fixture
def asked(live_app):
    email = f"asked.{time.time_ns()}@example.org"
    with live_app.app_context():
        record_contribution(
            "feedback",
            "The annual review letter never came.",
            contact_email=email,
            contact_name="Robin Asked",
            wants_updates=True,
        )
        db.session.commit()
    return email


@pytest.mark.parametrize("language", ["en", "ur"])
def test_find_copy_and_erase_are_accessible(open_page, asked, language):
    page = open_page(role="admin", language=language)
    page.goto("/manage/data-requests")
    assert_no_axe_violations(page)
    fits_320(page)
    page.fill("#email", asked)
    page.locator("main form button").first.click()
    page.locator("form[action$='/erase']").wait_for()
    assert "The annual review letter never came." in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    fits_320(page)
    # Erasing without a reason: the error is next to the field.
    page.locator("#what_they_said").check()
    page.locator("form[action$='/erase'] button").click()
    page.locator("#reason-error").wait_for()
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=f"/tmp/dr-{language}.png", full_page=True)
    page.set_viewport_size({"width": 1024, "height": 800})
    assert_no_axe_violations(page)
    fits_320(page)


def test_erasing_works_without_javascript(open_page, asked):
    page = open_page(role="admin", javascript=False)
    page.goto("/manage/data-requests")
    page.fill("#email", asked)
    page.locator("main form button").first.click()
    page.locator("#what_they_said").check()
    page.fill("#reason", "Request by email, identity checked")
    page.locator("form[action$='/erase'] button").click()
    page.locator(".govuk-notification-banner").wait_for()
    assert "has been erased" in page.locator(".govuk-notification-banner").inner_text()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_organisations_page_is_accessible(open_page, language):
    page = open_page(role="admin", language=language)
    page.goto("/manage/organisations")
    page.locator("form[action$='/manage/organisations'] button").click()  # empty: an error
    page.locator("#name-error").wait_for()
    assert_no_axe_violations(page)
    fits_320(page)
