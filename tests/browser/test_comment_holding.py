"""A comment with a phone number is held and the person is told, and the 429 page says when to
try again: both read well, in English and Urdu, with and without JavaScript, and are axe clean."""

import pytest

from .conftest import assert_no_axe_violations

CONSULTATION = "/consultations/keeping-families-informed"  # post-moderated and open in the demo


@pytest.fixture
def no_time_trap(live_app):
    """The form refuses anything sent faster than a person could type; a test types instantly."""
    before = live_app.config.get("FEEDBACK_MIN_SECONDS")
    live_app.config["FEEDBACK_MIN_SECONDS"] = 0
    yield
    live_app.config["FEEDBACK_MIN_SECONDS"] = before


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("javascript", [True, False])
def test_a_comment_with_a_phone_number_is_held_and_the_person_told(
    open_page, no_time_trap, language, javascript
):
    page = open_page(language=language, javascript=javascript)
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(CONSULTATION)
    if javascript:  # axe itself runs as JavaScript
        assert_no_axe_violations(page)
    page.locator("textarea[name=text]").fill("Please ring me on 07700 900123 about the letters.")
    page.locator("input[name=consent]").check()
    page.locator(
        "form[action$='/comments'] button[type=submit], form[action$='/comments'] "
        "input[type=submit]"
    ).first.click()
    page.wait_for_url("**/commented")
    main = page.locator("main")
    if language == "en":
        assert "seems to include personal details" in main.inner_text()
    assert page.locator("main a[href='/feedback']").count() == 1
    if javascript:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_no_axe_violations(page)
    page.goto(CONSULTATION)
    assert "07700 900123" not in page.locator("main").inner_text()


@pytest.fixture
def tight_track_limit(live_app):
    before = live_app.config.get("TRACK_RATE_LIMIT")
    live_app.config["TRACK_RATE_LIMIT"] = "1 per hour"
    yield
    live_app.config["TRACK_RATE_LIMIT"] = before or "30 per hour"


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_429_page_says_when_and_is_accessible(open_page, tight_track_limit, language):
    page = open_page(language=language)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/track?reference=2222-3333-4444")
    response = page.goto("/track?reference=2222-3333-4444")
    assert response.status == 429
    assert int(response.headers["retry-after"]) > 3000
    told = page.locator("[data-testid=retry-after]").inner_text()
    assert "60" in told or "٦٠" in told
    if language == "en":
        assert told.startswith("You can try again in 60 minutes, at ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)
    page.screenshot(path=f"/tmp/comments-429-{language}.png", full_page=True)


@pytest.mark.parametrize(("role", "language"), [("coordinator", "en"), ("admin", "ur")])
def test_flagging_a_comment_in_the_inbox_hides_it_with_the_reason(
    open_page, live_app, role, language
):
    from app.domain.engagement import moderation
    from app.extensions import db
    from app.models import Comment, Consultation

    with live_app.app_context():
        consultation = db.session.scalar(
            db.select(Consultation).where(Consultation.slug == CONSULTATION.rsplit("/", 1)[1])
        )
        comment = moderation.record_comment(
            consultation,
            text=f"A comment that worries us ({language})",
            consent_to_publish=True,
            check_open=False,
        )
        comment_id, contribution_id = comment.id, comment.contribution_id

    page = open_page(role=role, language=language, javascript=False)
    page.goto(f"/manage/inbox/{contribution_id}")
    reason = page.locator("input[name=comment_reason]")
    assert reason.count() == 1
    page.locator("input[name=safeguarding]").check()
    reason.fill("passed to the right team")
    page.locator("button[name=submit], input[name=submit]").first.click()
    page.wait_for_url(f"**/manage/inbox/{contribution_id}")

    with live_app.app_context():
        hidden = db.session.get(Comment, comment_id)
        assert hidden.state == "hidden" and hidden.moderation_reason == "passed to the right team"

    public = open_page(language=language)
    public.goto(CONSULTATION + "/comments")
    assert "worries us" not in public.locator("main").inner_text()
    assert "passed to the right team" in public.locator("main").inner_text()


@pytest.mark.parametrize(("role", "language"), [("coordinator", "en"), ("admin", "ur")])
def test_the_coding_form_with_the_comment_reason_is_accessible(open_page, live_app, role, language):
    from app.domain.engagement import moderation
    from app.extensions import db
    from app.models import Consultation

    with live_app.app_context():
        consultation = db.session.scalar(
            db.select(Consultation).where(Consultation.slug == CONSULTATION.rsplit("/", 1)[1])
        )
        comment = moderation.record_comment(
            consultation, text="Letters arrive late", consent_to_publish=True, check_open=False
        )
        contribution_id = comment.contribution_id
    page = open_page(role=role, language=language)
    page.goto(f"/manage/inbox/{contribution_id}")
    assert page.locator("input[name=comment_reason]").count() == 1
    assert_no_axe_violations(page)
