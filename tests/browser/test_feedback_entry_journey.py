"""A phone call typed in by a member of staff, in a real browser: the form with its errors, the
confirmation with the reference to read back (which the page catalogue cannot reach without an
entry), both free of accessibility problems in English and Urdu; the young person's version of
"Tell us" and of events checked the same way, on a phone too; and the staff form without
JavaScript."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Contribution, Event, FeedbackEntry

from .conftest import assert_no_axe_violations
from .test_young_person import PHONE, scrolls_sideways, too_small

URL = "/manage/feedback/new"


def _latest_entry(live_app):
    with live_app.app_context():
        return db.session.execute(
            select(Contribution.reference, Contribution.channel, FeedbackEntry.agreed_to_record)
            .join(FeedbackEntry, FeedbackEntry.contribution_id == Contribution.id)
            .order_by(Contribution.id.desc())
            .limit(1)
        ).one()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_entering_a_phone_call(open_page, live_app, language):
    page = open_page(role="officer", language=language)
    page.goto(URL)
    assert_no_axe_violations(page)
    # Sent empty: every problem at once, each linked to its field.
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert summary.locator("a").count() >= 4
    assert_no_axe_violations(page)
    if language == "en":
        assert "Select how the feedback reached you" in summary.inner_text()
        assert "Confirm that they agreed to their feedback being recorded" in summary.inner_text()
        summary.locator("a", has_text="Select how the feedback reached you").click()
        assert page.evaluate("() => document.activeElement.name") == "channel"

    page.locator("input[name=channel][value=phone]").check()
    page.locator("input[name=topic][value=health]").check()
    page.locator("textarea[name=text]").fill(
        "Dad phoned: his daughter has waited 18 months for speech and language therapy."
    )
    page.locator("input[name=wants_contact][value=yes]").check()
    page.locator("input[name=email]").fill("dad@example.org")
    page.locator("input[name=agreed_to_record]").check()
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert page.url.endswith("/manage/feedback/entered"), page.locator("main").inner_text()[:500]
    reference, channel, agreed = _latest_entry(live_app)
    assert (channel, agreed) == ("phone", True)
    assert page.locator(".govuk-panel strong").inner_text() == reference
    assert reference in page.locator("#reply-wording").inner_text()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator("main a.govuk-button").click()
    assert page.url.endswith(URL)


def test_the_staff_form_works_without_javascript(open_page, live_app):
    page = open_page(role="coordinator", javascript=False)
    page.goto(URL)
    # The event list and the contact details are shown, not hidden behind a reveal.
    assert page.locator("select[name=event]").is_visible()
    assert page.locator("input[name=email]").is_visible()
    with live_app.app_context():
        event = db.session.scalar(select(Event).order_by(Event.starts_at).limit(1))
        event_id = event.id if event is not None else None
    page.locator("input[name=channel][value=letter]").check()
    page.locator("input[name=topic][value=school]").check()
    page.locator("textarea[name=text]").fill("A letter about a school place for September.")
    page.locator("input[name=wants_contact][value=no]").check()
    page.locator("input[name=agreed_to_record]").check()
    assert event_id is None or page.locator("select[name=event]").count() == 1
    with page.expect_navigation():
        page.locator("main form button.govuk-button").click()
    assert page.url.endswith("/manage/feedback/entered"), page.locator("main").inner_text()[:500]
    reference, channel, _agreed = _latest_entry(live_app)
    assert channel == "letter" and reference in page.locator("main").inner_text()


def _event_path(live_app) -> str:
    from . import pages

    with live_app.app_context():
        return f"/events/{pages.RESOLVERS['event_id']()}"


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("path", ["/feedback", "/events", "event"])
def test_the_young_persons_version_is_accessible(open_page, live_app, language, path):
    if path == "event":
        path = _event_path(live_app)
    page = open_page(language=language)
    page.goto(f"{path}?young_person=1")
    assert page.locator(".app-young-person").count() == 1
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", ["/feedback", "event"])
def test_the_young_persons_targets_are_big_enough_and_fit_a_phone(open_page, live_app, path):
    if path == "event":
        path = _event_path(live_app)
    page = open_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{path}?young_person=1")
    small = too_small(page)
    assert not small, small
    page.set_viewport_size({"width": 320, "height": 640})
    assert not scrolls_sideways(page)
