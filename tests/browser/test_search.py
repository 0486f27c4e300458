"""Searching from the header of any public page, with JavaScript off, on a phone, in English and
in Urdu (right to left)."""

import pytest


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_header_search_works_without_javascript_on_a_phone(browser, live_server, language):
    context = browser.new_context(
        base_url=live_server,
        java_script_enabled=False,
        viewport={"width": 320, "height": 640},
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    try:
        page.goto("/areas")
        box = page.locator("header input[name=q]")
        button = page.locator("header form[role=search] button")
        # The box and its button sit inside the 320px screen.
        for element in (box, button):
            found = element.bounding_box()
            assert found is not None and found["x"] >= 0 and found["x"] + found["width"] <= 320
        box.fill("EHC")
        with page.expect_navigation():
            box.press("Enter")
        assert "/search?q=EHC" in page.url
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ur" else "ltr")
        assert page.locator(".app-search-results__item").count() > 0
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"the results page scrolls sideways ({width}px)"
        # From the results, the first title leads to its page.
        with page.expect_navigation():
            page.locator(".app-search-results__item h3 a").first.click()
        assert page.url != live_server + "/search?q=EHC"
    finally:
        context.close()
