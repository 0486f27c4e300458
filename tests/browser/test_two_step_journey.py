"""Two-step sign-in, the timeout warning and kept work, as a person meets them in a browser:
axe-clean in English and Urdu, usable at 320px, and without JavaScript where it matters."""

import time

import pyotp
import pytest

from app.domain.people import accounts
from app.extensions import db
from app.models import User

from .conftest import assert_no_axe_violations

PASSWORD = "marble orchard teapot violin"


@pytest.fixture
def person(live_app):
    """A fresh officer for each test, so the demo accounts other tests reuse are untouched."""
    email = f"two.step.{time.time_ns()}@example.org"
    with live_app.app_context():
        accounts.create_user(email, "Tess Twostep", "officer", PASSWORD, "KCC")
    return email


def sign_in(page, email, password=PASSWORD):
    page.goto("/auth/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.locator("main form button:not([type=button])").first.click()


def fits_320(page):
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 320, f"{page.url} is {overflow}px wide at 320px"
    page.set_viewport_size({"width": 1024, "height": 800})


def set_up_two_step(page) -> tuple[str, list[str]]:
    page.goto("/auth/two-step/set-up")
    secret = page.locator(".app-secret code").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.locator("main form button:not([type=button])").first.click()
    page.locator(".app-recovery-codes li").first.wait_for()
    codes = page.locator(".app-recovery-codes li").all_inner_texts()
    return secret, codes


@pytest.mark.parametrize("language", ["en", "ur"])
def test_setting_up_and_signing_in_with_two_steps(browser, live_server, person, language):
    context = browser.new_context(base_url=live_server, bypass_csp=True, locale="en-GB")
    context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    page = context.new_page()
    try:
        sign_in(page, person)
        page.goto("/auth/two-step/set-up")
        assert page.locator(".app-qr svg").is_visible()
        assert_no_axe_violations(page)
        fits_320(page)
        # A wrong code: the error is next to the field.
        page.fill("#code", "000000")
        page.locator("main form button:not([type=button])").first.click()
        page.locator(".govuk-error-summary").wait_for()
        assert_no_axe_violations(page)

        secret, codes = set_up_two_step(page)
        assert len(codes) == 10
        assert_no_axe_violations(page)
        fits_320(page)

        page.goto("/manage/account")
        assert_no_axe_violations(page)
        with page.expect_navigation():
            page.locator("form[action='/auth/sign-out'] button").first.click()

        sign_in(page, person)
        assert page.url.endswith("/auth/two-step")
        assert_no_axe_violations(page)
        fits_320(page)
        page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))
        with page.expect_navigation():
            page.locator("main form button:not([type=button])").first.click()
        assert "/manage" in page.url
    finally:
        context.close()


def test_the_timeout_warning_offers_to_stay_signed_in(browser, live_server, live_app, person):
    # A 30-minute session that warns 1795 seconds before its end: after about 5 seconds.
    live_app.config["SESSION_WARNING_SECONDS"] = 1795
    live_app.config["SESSION_IDLE_MINUTES"] = 30
    context = browser.new_context(base_url=live_server, bypass_csp=True, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, person)
        page.goto("/manage/")
        dialog = page.locator("dialog#session-timeout")
        dialog.wait_for(state="visible")
        assert "You are about to be signed out" in dialog.inner_text()
        assert_no_axe_violations(page)
        fits_320(page)
        dialog.get_by_role("button", name="Stay signed in").click()
        page.wait_for_function("() => !document.getElementById('session-timeout').open")
        assert "/manage" in page.url
        # The session is still there, and the warning comes back as the time runs down again.
        assert page.evaluate("() => !document.getElementById('session-timeout').open")
        dialog.wait_for(state="visible")
    finally:
        live_app.config["SESSION_WARNING_SECONDS"] = 120
        live_app.config["SESSION_IDLE_MINUTES"] = 24 * 60
        context.close()


def test_the_warning_in_urdu(browser, live_server, live_app, person):
    live_app.config["SESSION_WARNING_SECONDS"] = 24 * 3600
    live_app.config["SESSION_IDLE_MINUTES"] = 30
    context = browser.new_context(base_url=live_server, bypass_csp=True, locale="en-GB")
    context.add_cookies([{"name": "lang", "value": "ur", "url": live_server}])
    page = context.new_page()
    try:
        sign_in(page, person)
        page.goto("/manage/")
        page.locator("dialog#session-timeout").wait_for(state="visible")
        assert_no_axe_violations(page)
    finally:
        live_app.config["SESSION_WARNING_SECONDS"] = 120
        live_app.config["SESSION_IDLE_MINUTES"] = 24 * 60
        context.close()


def test_without_javascript_a_late_form_is_kept_to_send_again(
    browser, live_server, live_app, person
):
    context = browser.new_context(
        base_url=live_server, bypass_csp=True, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    try:
        sign_in(page, person)
        page.goto("/manage/account/password")
        page.fill("#current", PASSWORD)
        live_app.config["SESSION_IDLE_MINUTES"] = 0  # the session ends before the form is sent
        try:
            time.sleep(1.1)
            page.get_by_role("button", name="Change password").click()
        finally:
            live_app.config["SESSION_IDLE_MINUTES"] = 24 * 60
        assert "/auth/sign-in?next=/manage/account/password" in page.url
        assert "signed out because you had not done anything" in page.inner_text("main")
        sign_in_form_next = page.url
        page.fill("#email", person)
        page.fill("#password", PASSWORD)
        page.locator("main form button:not([type=button])").first.click()
        # Nothing but a password was typed, and passwords are never kept: back to the page.
        assert page.url.endswith("/manage/account/password"), sign_in_form_next
    finally:
        context.close()


def test_resume_and_reset_pages(browser, live_server, live_app, person, storage_state_for):
    # The person sets up two-step; an administrator opens the reset page.
    context = browser.new_context(base_url=live_server, bypass_csp=True, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, person)
        set_up_two_step(page)
    finally:
        context.close()
    with live_app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.email == person))
    for language in ("en", "ur"):
        admin = browser.new_context(
            base_url=live_server,
            bypass_csp=True,
            locale="en-GB",
            storage_state=storage_state_for("admin"),
        )
        admin.add_cookies([{"name": "lang", "value": language, "url": live_server}])
        try:
            admin_page = admin.new_page()
            admin_page.goto(f"/manage/users/{user_id}/reset-two-step")
            assert admin_page.locator("h1").count() == 1
            assert_no_axe_violations(admin_page)
            fits_320(admin_page)
        finally:
            admin.close()

    # The page that offers kept work again.
    for language in ("en", "ur"):
        context = browser.new_context(base_url=live_server, bypass_csp=True, locale="en-GB")
        context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
        page = context.new_page()
        try:
            other = f"kept.{language}.{time.time_ns()}@example.org"
            with live_app.app_context():
                accounts.create_user(other, "Kit Kept", "coordinator", PASSWORD, "PACT")
            sign_in(page, other)
            page.goto("/manage/themes")
            page.fill("#name", "Kept theme")
            live_app.config["SESSION_IDLE_MINUTES"] = 0
            try:
                time.sleep(1.1)
                page.locator("main form").filter(has=page.locator("#name")).locator(
                    "button"
                ).first.click()
            finally:
                live_app.config["SESSION_IDLE_MINUTES"] = 24 * 60
            page.fill("#email", other)
            page.fill("#password", PASSWORD)
            page.locator("main form button:not([type=button])").first.click()
            assert page.url.endswith("/auth/continue")
            assert_no_axe_violations(page)
            fits_320(page)
        finally:
            context.close()
