"""An officer adds an outcome measure to an action, records two values and corrects one; a
parent then reads the action's page on a 320px phone without JavaScript: the state in words, the
chart, the table and the correction in its history. The forms are checked with axe while they
show errors."""

import uuid

from app.extensions import db
from app.models import Action

from .conftest import assert_no_axe_violations, sign_in


def _fill_date(page, name: str, day: str, month: str, year: str) -> None:
    page.fill(f"#{name}-day", day)
    page.fill(f"#{name}-month", month)
    page.fill(f"#{name}-year", year)


def _send(page, label: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()


def test_an_officer_keeps_a_measure_and_a_parent_reads_it_on_a_phone(
    page, live_app, live_server, browser
):
    name = f"Schools with an inclusion lead {uuid.uuid4().hex[:6]}"
    with live_app.app_context():
        action_id = db.session.scalar(db.select(Action.id).where(Action.reference == "APP-2.2"))
    sign_in(page, "officer")
    page.goto(f"/manage/plan/actions/{action_id}/edit")
    with page.expect_navigation():
        page.get_by_role("link", name="Add a measure").click()

    _send(page, "Save measure")  # nothing filled in: every problem at once
    assert page.locator(".govuk-error-summary").is_visible()
    assert_no_axe_violations(page)

    page.fill("#name", name)
    page.fill("#description", "The share of Kent schools with a named inclusion lead.")
    page.get_by_label("Percentage").check()
    page.get_by_label("Higher is better").check()
    page.fill("#baseline_value", "30")
    _fill_date(page, "baseline_date", "31", "1", "2026")
    page.fill("#target_value", "90")
    _fill_date(page, "target_date", "31", "1", "2028")
    page.fill("#source", "Demo figures from the browser test")
    page.get_by_label("Show this measure on the public pages and in open data").check()
    _send(page, "Save measure")
    assert page.locator("h1").inner_text() == name

    for day, month, value in (("31", "10", "44"), ("30", "11", "48")):
        with page.expect_navigation():
            page.get_by_role("link", name="Record a value").click()
        _fill_date(page, "measured_on", day, month, "2026")
        page.fill("#value", value)
        _send(page, "Record value")
    with page.expect_navigation():
        page.get_by_role("link", name="Correct the value for 31 October 2026").click()
    page.fill("#value", "46")
    _send(page, "Correct value")
    assert page.locator("#reason-error").is_visible()
    assert page.input_value("#value") == "46"
    assert_no_axe_violations(page)
    page.fill("#reason", "One school's return arrived late.")
    _send(page, "Correct value")

    phone = browser.new_context(
        base_url=live_server, java_script_enabled=False, viewport={"width": 320, "height": 800}
    )
    try:
        parent = phone.new_page()
        parent.goto("/actions/APP-2.2")
        section = parent.locator("section.app-measure", has_text=name)
        assert section.locator(".govuk-tag").inner_text() in {"On track", "Off track"}
        assert section.locator("svg[role=img] circle[r='4']").count() == 2
        assert "46%" in section.locator("table").inner_text()
        assert "changed from 44% to 46%" in section.inner_text()
        assert "One school's return arrived late." in section.inner_text()
        assert parent.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        phone.close()
