"""Zero axe-core violations (WCAG 2.0, 2.1 and 2.2, A and AA) on every page, in English and Urdu.

The pages come from the catalogue (tests/browser/pages.py), which walks the URL map: a new page
is checked as soon as its route exists. Staff pages are checked signed in as every role allowed
to see them, in English, and in Urdu as one role (the administrator when allowed).
"""

import pytest
from playwright.sync_api import Error as PlaywrightError

from app.extensions import db

from . import pages
from .conftest import ORIGINAL_DB_SESSION, assert_no_axe_violations, served_app


def open_and_check(page, live_app, entry, *, language="en"):
    path = pages.url_for_page(live_app, entry)
    try:
        response = page.goto(path)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            pytest.fail(
                f"{path} is a download, not a page: list it in SKIPPED in tests/browser/pages.py",
                pytrace=False,
            )
        raise
    assert response is not None, f"no response for {path}"
    assert response.status == 200, f"{path} answered {response.status}"
    assert page.url.endswith(path), (
        f"{path} redirected to {page.url}. If this route only redirects, list it in SKIPPED in "
        "tests/browser/pages.py with the reason."
    )
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ur" else "ltr")
    assert_no_axe_violations(page)


def test_harness_is_marked_and_not_wrapped_in_a_transaction(request, live_app):
    assert request.node.get_closest_marker("browser") is not None
    # The root conftest's autouse fixture swaps db.session for a rolled-back one except for
    # browser tests.
    assert db.session is ORIGINAL_DB_SESSION
    with live_app.app_context():
        assert db.engine.dialect.name == "sqlite"
        assert db.engine.url.database.endswith("browser.sqlite")


def test_catalogue_covers_every_page(live_app):
    found = pages.catalogue(live_app)
    assert not found.problems, "Pages the accessibility tests cannot check:\n" + "\n".join(
        found.problems
    )
    assert live_app is served_app()
    # Every GET rule is either a catalogued page or deliberately skipped, and every skip is real.
    rules = {rule.rule for rule in live_app.url_map.iter_rules() if "GET" in rule.methods}
    downloads = {rule for rule in rules if pages.DOWNLOAD.search(rule)}
    assert rules == {p.rule for p in found.pages} | (rules & set(pages.SKIPPED)) | downloads
    assert set(pages.SKIPPED) <= rules, (
        f"SKIPPED lists rules that no longer exist: {set(pages.SKIPPED) - rules}"
    )
    assert {
        "/",
        "/areas",
        "/areas/<int:number>",
        "/actions/<reference>",
        "/auth/sign-in",
        "/manage/",
    } <= rules


def test_public_page(open_page, live_app, public_case):
    entry, language = public_case
    open_and_check(open_page(language=language), live_app, entry, language=language)


def test_staff_page(open_page, live_app, staff_case):
    entry, role, language = staff_case
    open_and_check(open_page(role=role, language=language), live_app, entry, language=language)


def test_sign_in_page_with_an_error(page):
    page.goto("/auth/sign-in")
    page.locator("#email").fill("nobody@example.org")
    page.locator("#password").fill("not the password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct email address and password" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert_no_axe_violations(page)


def test_sign_in_page_with_empty_fields_in_urdu(open_page):
    page = open_page(language="ur")
    page.goto("/auth/sign-in")
    with page.expect_navigation():
        page.locator("button[type=submit], input[type=submit]").first.click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert (
        page.locator("#email-error").is_visible() and page.locator("#password-error").is_visible()
    )
    assert_no_axe_violations(page)


def test_page_not_found(open_page):
    for language in ("en", "ur"):
        page = open_page(language=language)
        response = page.goto("/no-such-page")
        assert response.status == 404
        if language == "en":
            assert page.locator("h1").inner_text() == "Page not found"
        else:
            assert page.locator("html").get_attribute("dir") == "rtl"
        assert_no_axe_violations(page)


def test_unknown_area_and_invalid_invitation_pages(page):
    response = page.goto("/areas/999")
    assert response.status == 404
    assert_no_axe_violations(page)
    response = page.goto("/auth/set-password/not-a-real-invitation")
    assert response.status == 404
    assert_no_axe_violations(page)


def test_page_refused_to_a_role(open_page, live_app, refused_case):
    entry, role = refused_case
    page = open_page(role=role)
    response = page.goto(pages.url_for_page(live_app, entry))
    assert response.status == 403
    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_board_report_printed(open_page, live_app, language):
    """The board report as printed (print media emulated): no navigation, filters or buttons,
    a heading per area, and no axe violations, in English and in Urdu (right to left)."""
    page = open_page(role="admin", language=language)
    page.emulate_media(media="print")
    response = page.goto("/manage/report")
    assert response.status == 200
    for hidden in (".govuk-service-navigation", ".govuk-footer", ".app-filter", ".govuk-button"):
        for found in page.locator(hidden).all():
            assert not found.is_visible(), f"{hidden} is printed"
    assert page.locator("section.app-report-area h2").count() >= 2
    assert_no_axe_violations(page)
    with live_app.app_context():
        slug = pages._published_report_slug()
    assert page.goto(f"/reports/{slug}").status == 200
    assert not page.locator(".govuk-breadcrumbs").first.is_visible()
    assert page.locator("section.app-report-area h2").count() >= 2
    assert_no_axe_violations(page)
