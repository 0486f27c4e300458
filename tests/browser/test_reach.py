"""Reach as staff meet it in a browser: filtered without JavaScript, fitting a 320px screen in
English and Urdu, and the baselines form with its errors next to the fields."""

import pytest

from .conftest import assert_no_axe_violations


def fits_320(page):
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at 320px"
    page.set_viewport_size({"width": 1024, "height": 800})


def test_filtering_reach_works_without_javascript(open_page):
    page = open_page(role="coordinator", javascript=False)
    page.goto("/manage/reach")
    assert page.evaluate("() => document.body.classList.contains('js-enabled')") is False
    for name, value in (("date_from", ("1", "1", "2020")), ("date_to", ("31", "12", "2030"))):
        for part, typed in zip(("day", "month", "year"), value, strict=True):
            page.fill(f"#{name}-{part}", typed)
    option = page.locator("#activity optgroup option").first
    title = option.inner_text().strip()
    page.select_option("#activity", option.get_attribute("value"))
    with page.expect_navigation():
        page.get_by_role("button", name="Show reach").click()
    assert f"Counting: {title}" in page.locator("#reach-total").inner_text()
    assert page.locator("#table-district tbody tr").count() == 13  # 12 districts, "Not given"
    # Quick periods are plain links.
    with page.expect_navigation():
        page.get_by_role("link", name="The last 12 months").click()
    assert (
        "Participants" in page.locator("#reach-total").inner_text()
        or page.locator("#reach-total").inner_text().strip()
    )


@pytest.mark.parametrize("language", ["en", "ur"])
def test_reach_and_the_baselines_fit_a_phone(open_page, language):
    page = open_page(role="admin", language=language)
    for path in (
        "/manage/reach",
        "/manage/reach/baselines",
        "/manage/reach/baselines/district",
        "/manage/reach/baselines/import",
        "/manage/",
    ):
        page.goto(path)
        fits_320(page)


def test_baseline_errors_are_next_to_the_fields(open_page):
    page = open_page(role="admin")
    page.goto("/manage/reach/baselines/age_group")
    page.fill("#share_0", "seventy")
    page.fill("#share_1", "101")
    with page.expect_navigation():
        page.get_by_role("button", name="Save baselines").click()
    assert (
        page.locator("#share_0-error")
        .inner_text()
        .endswith("Enter the share as a number from 0 to 100, like 12.5")
    )
    assert page.locator("#share_1-error").inner_text().endswith("The share must be 100 or less")
    assert page.locator("#share_0").input_value() == "seventy"
    assert_no_axe_violations(page)
