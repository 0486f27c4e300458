"""The young person's version on a phone: every radio, checkbox and button is at least 44 by 44
CSS pixels, its text is bigger than the standard version's, it speaks in the first person, and
nothing scrolls sideways. Measured in a real browser at 375 pixels wide (and 320 for scrolling)."""

import pytest

from tests.browser.pages import SURVEY_SLUG

from .conftest import assert_no_axe_violations
from .test_survey_journey import _answer_by_pointer, no_minimum_time  # noqa: F401

BASE = f"/surveys/{SURVEY_SLUG}"
PHONE = {"width": 375, "height": 812}
SMALLEST = 44  # WCAG 2.2 target size (enhanced), and GOV.UK's own minimum for touch

# Each target's box: for a radio or checkbox both the input (what is tapped) and its label.
MEASURE = """() => {
  const seen = [];
  const box = (el, what) => {
    const r = el.getBoundingClientRect();
    return {what, text: (el.innerText || el.value || el.name || '').trim().slice(0, 40),
            width: r.width, height: r.height};
  };
  for (const input of document.querySelectorAll(
      'main input[type=radio], main input[type=checkbox]')) {
    seen.push(box(input, input.type));
    if (input.labels && input.labels[0]) seen.push(box(input.labels[0], input.type + ' label'));
  }
  for (const button of document.querySelectorAll('main button, main .govuk-button')) {
    seen.push(box(button, 'button'));
  }
  return seen;
}"""


def too_small(page) -> list[dict]:
    return [
        target
        for target in page.evaluate(MEASURE)
        if target["width"] < SMALLEST - 0.5 or target["height"] < SMALLEST - 0.5
    ]


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def body_font_size(page) -> float:
    return page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('main .govuk-body')).fontSize)"
    )


@pytest.mark.usefixtures("no_minimum_time")
@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_target_is_at_least_44_pixels_square_on_a_phone(open_page, language):
    page = open_page(language=language)
    page.set_viewport_size(PHONE)
    page.goto(f"{BASE}?young_person=1")
    assert page.locator(".app-young-person").count() == 1
    measured = 0
    assert too_small(page) == []  # the start page's button
    with page.expect_navigation():
        page.locator("a.govuk-button--start").click()
    while "/page/" in page.url or page.url.split("?")[0].endswith("/about-you"):
        targets = page.evaluate(MEASURE)
        measured += len(targets)
        assert too_small(page) == [], f"targets under {SMALLEST}px on {page.url}"
        assert not scrolls_sideways(page), page.url
        if page.url.split("?")[0].endswith("/about-you"):
            assert_no_axe_violations(page)
            break
        _answer_by_pointer(page, errors_first=False)
    assert measured > 40  # radios, checkboxes, their labels and the buttons were all measured


def test_the_young_persons_text_is_bigger_than_the_standard_on_a_phone(open_page):
    standard = open_page()
    standard.set_viewport_size(PHONE)
    standard.goto(BASE)
    young = open_page()
    young.set_viewport_size(PHONE)
    young.goto(f"{BASE}?young_person=1")
    assert body_font_size(young) >= body_font_size(standard) + 3


@pytest.mark.usefixtures("no_minimum_time")
def test_the_young_persons_about_you_speaks_to_them_and_fits_320_pixels(open_page):
    page = open_page()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{BASE}?young_person=1")
    with page.expect_navigation():
        page.locator("a.govuk-button--start").click()
    while "/page/" in page.url:
        assert not scrolls_sideways(page), page.url
        _answer_by_pointer(page, errors_first=False)
    assert page.url.split("?")[0].endswith("/about-you")
    assert not scrolls_sideways(page)
    main = page.locator("main").inner_text()
    assert "Who is answering?" in main and "How old are you?" in main
    assert page.get_by_label("Me", exact=True).count() == 1
    assert page.locator("main input:checked").count() == 0  # nothing chosen in advance
