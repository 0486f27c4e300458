"""Answering the demo survey in a real browser: the whole survey with the keyboard alone, again
with JavaScript switched off, and in Urdu and the young person's version, with axe checking
every page on the way (the catalogue cannot reach the pages that need answers in progress).
Staff paper entry's confirmation is checked here too."""

import re

import pytest

from tests.browser.pages import SURVEY_SLUG

from .conftest import assert_no_axe_violations

BASE = f"/surveys/{SURVEY_SLUG}"


@pytest.fixture
def no_minimum_time(live_app):
    saved = live_app.config.get("SURVEY_MIN_SECONDS")
    live_app.config["SURVEY_MIN_SECONDS"] = 0
    yield
    if saved is None:
        live_app.config.pop("SURVEY_MIN_SECONDS", None)
    else:
        live_app.config["SURVEY_MIN_SECONDS"] = saved


def active(page, script: str):
    return page.evaluate(f"() => {{ const el = document.activeElement; return {script}; }}")


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches the selector, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active(page, f"el && el.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def choose_radio(page, name: str, label: str) -> None:
    """Tab into a radio group, then move with the arrow keys to the option with this label."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    for _ in range(12):
        if active(page, "el.labels[0].innerText.trim()") == label:
            if not active(page, "el.checked"):
                page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {label!r} for {name}")


def tick(page, name: str, label: str) -> None:
    for _ in range(12):
        tab_to(page, f'input[type=checkbox][name="{name}"]')
        if active(page, "el.labels[0].innerText.trim()") == label:
            page.keyboard.press("Space")
            return
    raise AssertionError(f"no checkbox {label!r} for {name}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def press_button(page, words: str) -> None:
    tab_to(page, "button.govuk-button, a.govuk-button")
    while words not in active(page, "el.innerText"):
        tab_to(page, "button.govuk-button, a.govuk-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def name_of(page, question: str) -> str:
    """The form name of the question whose legend or label starts with these words."""
    found = page.evaluate(
        """(words) => {
        for (const legend of document.querySelectorAll('legend, label.govuk-label')) {
            if (legend.innerText.trim().startsWith(words)) {
                const group = legend.closest('.govuk-form-group');
                const input = group.querySelector('input, textarea');
                return input.name.replace(/-(day|month|year)$/, '');
            }
        }
        return null;
    }""",
        question,
    )
    assert found, f"no question starting {question!r} on {page.url}"
    return found


def test_answering_the_whole_survey_with_the_keyboard_only(page, no_minimum_time):
    page.goto(BASE)
    assert_no_axe_violations(page)
    press_button(page, "Start now")
    assert re.search(r"/page/1", page.url)
    assert "Page 1 of 4" in page.locator("main").inner_text()
    assert page.locator(".govuk-exit-this-page").count() == 1

    # Sending the first page empty: errors, and the summary links reach the fields.
    press_button(page, "Continue")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and page.title().startswith("Error:")
    assert_no_axe_violations(page)

    choose_radio(page, name_of(page, "Who asked"), "The school or college")
    date = name_of(page, "When was")
    type_into(page, f"#{date}-day", "14")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("2025")
    choose_radio(page, name_of(page, "Were you told"), "No")
    press_button(page, "Continue")

    assert "Page 2 of 4" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    choose_radio(page, name_of(page, "How well were you kept"), "Poor")
    contact = name_of(page, "How did the special educational needs and disabilities (SEND)")
    tick(page, contact, "Phone")
    tick(page, contact, "Other, please say")
    type_into(page, f"#{contact}-other", "Through our social worker")
    type_into(page, f"#{name_of(page, 'How many times')}", "6")
    choose_radio(page, name_of(page, "Is there an EHC"), "Yes")
    press_button(page, "Continue")

    assert "Page 3 of 5" in page.locator("main").inner_text()  # "The plan" is shown for "Yes"
    assert_no_axe_violations(page)
    choose_radio(page, name_of(page, "How well does the plan"), "Very poor")
    type_into(
        page,
        f"#{name_of(page, 'What would have')}",
        "It did not mention speech and language therapy.",
    )
    press_button(page, "Continue")

    assert "Page 4 of 5" in page.locator("main").inner_text()
    iask = name_of(page, "Did you get help")
    choose_radio(page, iask, "Yes")
    help_box = page.locator(f"#{name_of(page, 'What help did')}")
    assert help_box.is_visible()  # revealed by "Yes"
    assert_no_axe_violations(page)
    type_into(page, f"#{name_of(page, 'What help did')}", "They helped me write the request.")
    type_into(page, f"#{name_of(page, 'If we could')}", "Tell us what is happening.")
    press_button(page, "Continue")

    assert page.url.endswith("/about-you")
    assert_no_axe_violations(page)
    choose_radio(page, "relationship_to_child", "Parent or carer")
    tab_to(page, "select#district")
    page.keyboard.type("Thanet")
    choose_radio(page, "consent_to_quote", "Yes")
    press_button(page, "Continue")

    assert page.url.endswith("/check-answers")
    main = page.locator("main").inner_text()
    for shown in (
        "The school or college",
        "14 March 2025",
        "Through our social worker",
        "Thanet",
        "Very poor",
    ):
        assert shown in main
    assert_no_axe_violations(page)

    # Change an answer and come back to check answers.
    tab_to(page, f'a[href*="/page/2?change=1#{name_of_from_href(page, "How many times")}"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    field = page.locator(f"#{name_of(page, 'How many times')}")
    assert field.input_value() == "6"
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("9")
    press_button(page, "Save and go back to check your answers")
    assert page.url.endswith("/check-answers")
    assert "9" in page.locator(".govuk-summary-list").nth(1).inner_text()

    press_button(page, "Send your answers")
    assert page.url.endswith("/confirmation")
    panel = page.locator(".govuk-panel")
    assert "Your answers have been sent" in panel.inner_text()
    assert re.search(
        r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", page.locator(".govuk-panel strong").inner_text()
    )
    assert_no_axe_violations(page)


def name_of_from_href(page, question: str) -> str:
    """The anchor of a question's change link on "Check your answers"."""
    return page.evaluate(
        """(words) => {
        for (const row of document.querySelectorAll('.govuk-summary-list__row')) {
            if (row.querySelector('.govuk-summary-list__key').innerText.trim().startsWith(words)) {
                return row.querySelector('a').getAttribute('href').split('#')[1];
            }
        }
        return null;
    }""",
        question,
    )


def _answer_by_pointer(page, *, errors_first: bool = True) -> None:
    """Answer the survey by filling fields (for JavaScript off, other languages and modes)."""
    if errors_first:
        with page.expect_navigation():
            page.locator("main form button.govuk-button").click()
        assert page.locator(".govuk-error-summary").is_visible()
        assert_no_axe_violations(page)
    radios = page.locator("input[type=radio]")
    names = []
    for index in range(radios.count()):
        name = radios.nth(index).get_attribute("name")
        if name not in names:
            names.append(name)
    for name in names:
        page.locator(f'input[type=radio][name="{name}"]').first.check()
    for box in page.locator("input.govuk-input:not(.govuk-date-input__input), textarea").all():
        if box.is_visible() and box.get_attribute("name") not in ("website",):
            if box.get_attribute("inputmode") == "numeric":
                box.fill("2")
            else:
                box.fill("Answer written in the browser")
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()


def _walk_survey(page) -> None:
    """From the start page to the confirmation, checking every page with axe."""
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator("a.govuk-button--start").click()
    first = True
    while "/page/" in page.url:
        assert_no_axe_violations(page)
        _answer_by_pointer(page, errors_first=first)
        first = False
    assert page.url.split("?")[0].endswith("/about-you")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert page.url.split("?")[0].endswith("/check-answers")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert page.url.endswith("/confirmation")
    assert page.locator(".govuk-panel").is_visible()
    assert_no_axe_violations(page)


def test_the_survey_works_without_javascript(page_without_js, no_minimum_time):
    page = page_without_js
    page.goto(BASE)
    with page.expect_navigation():
        page.locator("a.govuk-button--start").click()
    # Everything that depends on an answer is shown, as JavaScript is off.
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert page.locator(".govuk-error-summary").is_visible()
    page.locator(f'input[name="{name_of(page, "Who asked")}"]').nth(1).check()
    page.locator(f'input[name="{name_of(page, "Were you told")}"]').first.check()
    date = name_of(page, "When was")
    page.locator(f"#{date}-day").fill("30")
    page.locator(f"#{date}-month").fill("2")
    page.locator(f"#{date}-year").fill("2025")
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert "must be a real date" in page.locator(f"#{date}-error").inner_text()
    assert page.locator(f'input[name="{name_of(page, "Who asked")}"]').nth(1).is_checked()  # kept
    page.locator(f"#{date}-day").fill("28")
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert "/page/2" in page.url
    _answer_by_pointer(page, errors_first=False)
    while "/page/" in page.url:
        if page.locator(".app-conditional").count():
            assert page.locator(".app-conditional input").first.is_visible()
        _answer_by_pointer(page, errors_first=False)
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert page.url.endswith("/confirmation")
    assert "Your answers have been sent" in page.locator(".govuk-panel").inner_text()


@pytest.mark.parametrize("language,young_person", [("ur", False), ("en", True), ("ur", True)])
def test_every_survey_page_is_accessible_in_urdu_and_the_young_persons_version(
    open_page, no_minimum_time, language, young_person
):
    page = open_page(language=language)
    page.goto(BASE + ("?young_person=1" if young_person else ""))
    if young_person:
        assert page.locator(".app-young-person").count() == 1
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ur" else "ltr")
    with page.expect_navigation():
        page.locator("a.govuk-button--start").click()
    if young_person:
        # The faces scale is on the second page.
        _answer_by_pointer(page, errors_first=True)
        assert page.locator("svg.app-face").count() == 5
    _walk_rest(page)


def _walk_rest(page) -> None:
    while "/page/" in page.url:
        assert_no_axe_violations(page)
        _answer_by_pointer(page, errors_first=False)
    assert_no_axe_violations(page)  # about you
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert_no_axe_violations(page)  # check answers
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert page.url.endswith("/confirmation")
    assert_no_axe_violations(page)


def test_staff_preview_and_paper_entry_pages(open_page, live_app, no_minimum_time):
    page = open_page(role="coordinator")
    page.goto(f"{BASE}?preview=1")
    assert "Preview — answers are not stored" in page.locator("main").inner_text()
    _walk_survey(page)
    assert "Preview finished" in page.locator(".govuk-panel").inner_text()

    from app.extensions import db
    from app.models import Survey

    with live_app.app_context():
        survey_id = db.session.scalar(db.select(Survey.id).where(Survey.slug == SURVEY_SLUG))
    page.goto(f"/manage/surveys/{survey_id}/responses/new")
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_no_axe_violations(page)
    page.locator("input[name=channel][value=paper]").check()
    for name in page.evaluate("""() => [...new Set([...document.querySelectorAll(
            '.govuk-form-group > .govuk-fieldset input[type=radio]')].map(r => r.name))]"""):
        if name.startswith("q"):
            page.locator(f'input[name="{name}"]').first.check()
    for box in page.locator("input.govuk-input:not(.govuk-date-input__input)").all():
        if (
            box.is_visible()
            and box.get_attribute("name", timeout=1000).startswith("q")
            and box.get_attribute("inputmode") != "numeric"
        ):
            box.fill("Written on the paper form")
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert page.url.endswith("/responses/entered"), page.locator("main").inner_text()[:500]
    assert "Response saved" in page.locator(".govuk-panel").inner_text()
    assert_no_axe_violations(page)
