"""Telling us something in a real browser: the confirmation page (which the page catalogue
cannot reach without a submission) has no accessibility problems, shows who to contact now when
what was written suggests danger, and the whole form works with JavaScript switched off."""

import pytest

from .conftest import assert_no_axe_violations


@pytest.fixture
def no_minimum_fill_time(live_app):
    saved = live_app.config.get("FEEDBACK_MIN_SECONDS")
    live_app.config["FEEDBACK_MIN_SECONDS"] = 0
    yield
    if saved is None:
        live_app.config.pop("FEEDBACK_MIN_SECONDS", None)
    else:
        live_app.config["FEEDBACK_MIN_SECONDS"] = saved


@pytest.mark.parametrize("language", ["en", "ur"])
def test_sending_feedback(page, no_minimum_fill_time, language):
    page.goto(f"/language/{language}?next=/feedback")
    page.locator("input[name=topic][value=health]").check()
    page.locator("textarea[name=text]").fill("We have waited two years for an ADHD assessment.")
    with page.expect_navigation():
        page.locator("form button[type=submit], form input[type=submit]").last.click()
    assert "/feedback/confirmation" in page.url
    panel = page.locator(".govuk-panel")
    assert panel.is_visible()
    assert page.locator(".govuk-panel strong").inner_text().count("-") == 2  # XXXX-XXXX-XXXX
    if language == "en":
        assert "(within 10 working days)" in page.locator("main").inner_text()
    assert (
        "0800 1111" not in page.locator("main").inner_text()
    )  # no "contact now" for ordinary feedback
    assert_no_axe_violations(page)


def test_words_that_suggest_danger_show_who_to_contact_now(page, no_minimum_fill_time):
    page.goto("/feedback")
    page.locator("input[name=topic][value=other]").check()
    page.locator("textarea[name=text]").fill(
        "My son told me he wants to die and CAMHS will not see him."
    )
    with page.expect_navigation():
        page.locator("form button[type=submit], form input[type=submit]").last.click()
    main = page.locator("main").inner_text()
    assert "999" in main and "0800 1111" in main
    assert_no_axe_violations(page)


def test_feedback_works_without_javascript(page_without_js, no_minimum_fill_time):
    page = page_without_js
    page.goto("/feedback")
    page.locator("input[name=topic][value=ehc_plan]").check()
    with page.expect_navigation():
        page.locator("form button[type=submit], form input[type=submit]").last.click()
    assert page.locator(".govuk-error-summary").is_visible()  # "Enter what happened"
    assert page.locator("input[name=topic][value=ehc_plan]").is_checked()  # what was chosen is kept
    page.locator("textarea[name=text]").fill("The annual review has not happened for two years.")
    page.locator("details summary", has_text="About you").click()
    page.locator("input[name=need][value=communication_interaction]").check()
    page.locator("input[name=need][value=sensory_physical]").check()
    page.locator("input[name=email]").fill("parent@example.org")
    with page.expect_navigation():
        page.locator("form button[type=submit], form input[type=submit]").last.click()
    assert "/feedback/confirmation" in page.url
    assert page.locator(".govuk-panel").is_visible()
    assert "We will email you by" in page.locator("main").inner_text()
