"""Every public page fits a 320-pixel-wide screen: nothing scrolls sideways.

320 CSS pixels is the narrowest phone WCAG 2.2 asks for (1.4.10 Reflow). Tables either fit or
become stacked lists there. The pages come from the catalogue (tests/browser/pages.py), so a new
public page is checked as soon as its route exists; each is opened in English and in Urdu (right
to left), with one browser context per language so the run stays quick.
"""

import pytest

from . import pages

NARROW = {"width": 320, "height": 640}

# What makes a page wider than the screen: the widest elements that stick out past its right edge
# (or its left edge, right to left), so a failure says where to look.
WIDEST_ELEMENTS = """() => {
  const limit = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    if (box.right > limit + 1 || box.left < -1) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className && typeof el.className === 'string'
           ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      out.push(`${name} (${Math.round(box.left)} to ${Math.round(box.right)})`);
    }
  }
  return out.slice(-5);
}"""


def _public_pages(app):
    found = pages.catalogue(app)
    return found.section("public")


def _overflowing(page, path: str) -> str | None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} did not answer 200"
    return _too_wide(page, path)


def _too_wide(page, path: str) -> str | None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width <= NARROW["width"]:
        return None
    culprits = page.evaluate(WIDEST_ELEMENTS)
    return f"{path} is {width}px wide: {', '.join(culprits)}"


@pytest.mark.parametrize("language", ["en", "ur"])
def test_no_public_page_scrolls_sideways_at_320_pixels(browser, live_server, live_app, language):
    context = browser.new_context(
        base_url=live_server, viewport=NARROW, locale="en-GB", bypass_csp=True
    )
    context.set_default_timeout(15_000)
    if language != "en":
        context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    try:
        page = context.new_page()
        problems, ticked = [], []
        for entry in _public_pages(live_app):
            path = pages.url_for_page(live_app, entry)
            problem = _overflowing(page, path)
            if problem:
                problems.append(problem)
            # Nothing is ticked in advance on a public form: every choice is the person's own.
            checked = page.eval_on_selector_all(
                "main input:checked", "inputs => inputs.map(i => i.name + '=' + i.value)"
            )
            if checked:
                ticked.append(f"{path}: {', '.join(checked)}")
    finally:
        context.close()
    assert not problems, "Pages that scroll sideways on a 320px screen:\n" + "\n".join(problems)
    assert not ticked, "Public forms with answers ticked in advance:\n" + "\n".join(ticked)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_navigation_fits_one_line_on_a_laptop(open_page, language):
    page = open_page(language=language)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    tops = page.eval_on_selector_all(
        ".govuk-service-navigation__item", "items => items.map(i => i.getBoundingClientRect().top)"
    )
    assert tops, "no navigation items"
    assert max(tops) - min(tops) < 5, f"the navigation wraps onto more than one line: {tops}"
    first = page.locator(".govuk-service-navigation__item").first.inner_text().strip()
    assert first == ("Tell us" if language == "en" else first)


def test_phone_home_page_shows_the_main_action_on_the_first_screen(open_page):
    page = open_page()
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto("/")
    start = page.locator("main a.govuk-button--start")
    box = start.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 667 * 1.5, (
        f"the start button is {box and box['y']}px down the page"
    )
    page.locator("button.govuk-service-navigation__toggle").click()
    assert page.locator(".govuk-service-navigation__item").first.inner_text().strip() == "Tell us"
