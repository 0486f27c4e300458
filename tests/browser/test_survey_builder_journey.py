"""Building a survey with JavaScript switched off: every step is a link or a form that posts."""

import itertools

_numbers = itertools.count(1)


def test_build_and_reorder_a_survey_without_javascript(open_page):
    page = open_page(role="coordinator", javascript=False)
    title = f"Browser-built survey {next(_numbers)}"
    page.goto("/manage/surveys")
    with page.expect_navigation():
        page.get_by_role("button", name="Create a survey").click()
    page.get_by_label("Title").fill(title)
    with page.expect_navigation():
        page.get_by_role("button", name="Save survey").click()
    assert "created as a draft" in page.locator(".govuk-notification-banner").inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Add a section").click()
    page.get_by_label("Section title").fill("Getting help")
    with page.expect_navigation():
        page.get_by_role("button", name="Save section").click()

    for kind, text in (("Yes or no", "Did you get help?"), ("Short text", "Who helped you?")):
        with page.expect_navigation():
            page.get_by_role("link", name="Add a question to section 1").click()
        page.get_by_label(kind, exact=True).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
        page.get_by_label("Question", exact=True).fill(text)
        with page.expect_navigation():
            page.get_by_role("button", name="Save question").click()

    keys = page.locator(".govuk-summary-card .govuk-summary-list__key")
    assert keys.all_inner_texts() == ["1. Did you get help?", "2. Who helped you?"]
    with page.expect_navigation():
        page.get_by_role("button", name="Move up question 2").click()
    assert keys.all_inner_texts() == ["1. Who helped you?", "2. Did you get help?"]
    assert "moved" in page.locator(".govuk-notification-banner").inner_text()
