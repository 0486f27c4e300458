"""The public pages of this change as a parent meets them on a phone: "You said, we did" puts
its results first with a visible filter button and keeps extra quotes behind "Show more" (which
opens without JavaScript); consultation stages stack down the page; number headings in results
tables never break inside a word; the event confirmation passes axe in English and Urdu."""

import pytest

from tests.browser.pages import CLOSED_SURVEY_SLUG

from .conftest import assert_no_axe_violations

PHONE = {"width": 375, "height": 812}
NARROWEST = {"width": 320, "height": 640}


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_you_said_we_did_shows_results_first_and_a_filter_button_on_a_phone(open_page):
    page = open_page()
    page.set_viewport_size(PHONE)
    page.goto("/you-said-we-did")
    first_result = page.locator("#results").bounding_box()
    filters = page.locator("#filters").bounding_box()
    button = page.get_by_role("link", name="Filter responses")
    assert button.is_visible()
    assert button.bounding_box()["y"] < first_result["y"] < filters["y"]
    assert first_result["y"] < PHONE["height"]  # a result heading is on the first screen
    apply = page.get_by_role("button", name="Apply filters")
    colours = apply.evaluate(
        "el => [getComputedStyle(el).backgroundColor,"
        " getComputedStyle(el.closest('.app-filter')).backgroundColor]"
    )
    assert colours[0] != colours[1]  # the button stands out from its panel
    button.click()
    assert page.url.endswith("#filters")
    assert not scrolls_sideways(page)
    # On a wide screen the filters sit beside the results and the button is not needed.
    page.set_viewport_size({"width": 1200, "height": 800})
    assert not button.is_visible()
    assert (
        abs(
            page.locator("#filters").bounding_box()["y"]
            - page.locator("#results").bounding_box()["y"]
        )
        < 60
    )  # noqa: E501
    assert_no_axe_violations(page)


def test_more_quotes_open_without_javascript(page_without_js, live_app):
    from app.extensions import db
    from app.models import YouSaidWeDid

    with live_app.app_context():
        ids = list(
            db.session.scalars(db.select(YouSaidWeDid.id).where(YouSaidWeDid.state == "published"))
        )
    page = page_without_js
    page.set_viewport_size(PHONE)
    for response_id in ids:
        page.goto(f"/you-said-we-did/{response_id}")
        if page.locator("main details").count():
            break
    else:
        pytest.skip("no demo response has more than three quotes")
    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("We did") < headings.index("You said")
    hidden = page.locator("main details blockquote").first
    assert not hidden.is_visible()
    page.locator("main details summary").click()
    assert hidden.is_visible()
    assert not scrolls_sideways(page)


def test_consultation_stages_stack_on_a_phone_and_say_finished(open_page):
    page = open_page()
    page.set_viewport_size(PHONE)
    page.goto("/consultations/preparing-for-adulthood-information")
    steps = page.locator("ol.app-stages > li")
    boxes = [steps.nth(i).bounding_box() for i in range(steps.count())]
    assert len(boxes) == 4
    assert all(later["y"] > earlier["y"] for earlier, later in zip(boxes, boxes[1:], strict=False))
    assert all(box["width"] > 250 for box in boxes)  # each step has the width of the screen
    statuses = page.locator(".app-stages__status").all_inner_texts()
    assert statuses[:3] == ["Finished", "Finished", "Finished"]
    assert "Done" not in page.locator("ol.app-stages").inner_text()
    assert not scrolls_sideways(page)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_number_headings_never_break_inside_a_word(open_page, language):
    page = open_page(language=language)
    page.set_viewport_size(NARROWEST)
    page.goto(f"/surveys/{CLOSED_SURVEY_SLUG}/results")
    broken = page.evaluate(
        """() => [...document.querySelectorAll('main th.govuk-table__header--numeric')]
          .filter(th => th.innerText.trim() && !th.innerText.trim().includes(' '))
          .filter(th => {
            const range = document.createRange();
            range.selectNodeContents(th);
            const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            return lines.size > 1;
          })
          .map(th => th.innerText)"""
    )
    assert broken == []
    assert page.locator("main th.govuk-table__header--numeric").count() > 0
    assert not scrolls_sideways(page)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_event_confirmation_repeats_the_address_and_access_needs(open_page, live_app, language):
    from app.extensions import db
    from app.models import Event

    with live_app.app_context():
        event_id = db.session.scalar(
            db.select(Event.id)
            .where(Event.venue != "", Event.cancelled_at.is_(None), Event.published.is_(True))
            .order_by(Event.starts_at.desc())
        )
    page = open_page(language=language)
    page.set_viewport_size(PHONE)
    page.goto(f"/events/{event_id}")
    page.fill("#name", "Sam Phone")
    page.fill("#email", f"sam.phone.{language}@example.org")
    page.locator("input[name=attendee_type]").first.check()
    page.fill("#access_needs", "A quiet room, please.")
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert page.url.endswith("/registered")
    main = page.locator("main").inner_text()
    assert "A quiet room, please." in main
    assert_no_axe_violations(page)
    assert not scrolls_sideways(page)
