"""Everything that matters works with JavaScript switched off, and with the keyboard alone."""

import re

from app.extensions import db
from app.models import Area
from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD


def test_home_page_shows_the_nine_areas(page_without_js, live_app):
    page = page_without_js
    page.goto("/")
    assert page.evaluate("() => document.body.classList.contains('js-enabled')") is False
    # Every area has its card: the demo's nine, and any that another browser test has added since.
    with live_app.app_context():
        areas = db.session.scalar(db.select(db.func.count(Area.id)))
    cards = page.locator(".app-card-list .app-card")
    assert areas >= 9 and cards.count() == areas
    titles = [text.strip() for text in page.locator(".app-card__title").all_inner_texts()]
    assert [title.split(":")[0] for title in titles[:9]] == [f"Area {n}" for n in range(1, 10)]


def test_language_switcher_works(page_without_js):
    page = page_without_js
    page.goto("/areas")
    assert page.locator("html").get_attribute("dir") == "ltr"
    with page.expect_navigation():
        page.get_by_role("link", name="اردو").click()
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ur"
    assert page.url.endswith("/areas"), "the switcher should come back to the same page"
    assert page.locator(".app-language-bar__current").inner_text() == "اردو"
    # Back to English the same way.
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("dir") == "ltr"


def test_signing_in_with_the_keyboard_only(page_without_js):
    page = page_without_js
    page.goto("/auth/sign-in")
    page.locator("#email").focus()
    page.keyboard.type(DEMO_EMAILS["officer"])
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "password"
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/manage/?$", page.url), page.url
    assert "Omar Officer" in page.locator(".app-staff-bar").inner_text()


def test_sign_in_error_summary_links_to_the_field(page_without_js):
    page = page_without_js
    page.goto("/auth/sign-in")
    page.locator("#email").focus()
    page.keyboard.press("Tab")
    page.keyboard.type("a password but no email")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error:")
    link = summary.get_by_role("link", name="Enter your email address")
    assert link.get_attribute("href") == "#email"
    assert page.locator("#email-error").inner_text().strip().endswith("Enter your email address")
    assert page.locator("#password").input_value() == "", (
        "a password is never sent back to the page"
    )
    # Following the link with the keyboard reaches the field.
    link.focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("#email")
    assert page.evaluate("() => document.querySelector(':target').id") == "email"
    assert page.evaluate("() => document.activeElement.id") == "email"


def test_choosing_a_weekly_summary_from_an_email_link(page_without_js, live_app):
    """From the link in every email: the subscription's own page, without JavaScript."""
    from app.models import Subscription
    from app.models.base import utcnow

    with live_app.app_context():
        area_id = db.session.scalar(db.select(Area.id).where(Area.number == 2))
        subscription = Subscription(
            email="weekly.browser@example.org",
            target_type="area",
            target_id=area_id,
            unsubscribe_token=f"browser-weekly-{utcnow().timestamp()}",
            confirmed_at=utcnow(),
        )
        db.session.add(subscription)
        db.session.commit()
        token = subscription.unsubscribe_token
    page = page_without_js
    page.goto(f"/subscribe/settings/{token}")
    page.get_by_label("A weekly summary").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "You will get a weekly summary." in page.locator("main").inner_text()
    assert "Now you get a weekly summary" in page.locator("#how-often-now").inner_text()
    with live_app.app_context():
        frequency = db.session.scalar(
            db.select(Subscription.frequency).where(Subscription.unsubscribe_token == token)
        )
    assert frequency == "weekly"


def test_the_board_report_chosen_by_dates_and_published_without_javascript(page_without_js):
    """An administrator picks a period by typing dates, downloads nothing, and publishes it:
    every step is a plain form, so it works with JavaScript switched off."""
    page = page_without_js
    page.goto("/auth/sign-in")
    page.locator("#email").fill(DEMO_EMAILS["admin"])
    page.locator("#password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")
    page.goto("/manage/report")
    for name, (day, month, year) in {
        "date_from": ("1", "1", "2025"),
        "date_to": ("15", "2", "2025"),
    }.items():
        page.locator(f"#{name}-day").fill(day)
        page.locator(f"#{name}-month").fill(month)
        page.locator(f"#{name}-year").fill(year)
    with page.expect_navigation():
        page.get_by_role("button", name="Show the report").click()
    assert page.locator("h1").inner_text() == "1 January 2025 to 15 February 2025"
    assert page.locator("section.app-report-area h2").first.inner_text() == "Across the plan"
    with page.expect_navigation():
        page.get_by_role("button", name="Publish this report").click()
    assert page.url.endswith("/reports/2025-01-01-to-2025-02-15")
    assert "Published on" in page.locator("main").inner_text()
