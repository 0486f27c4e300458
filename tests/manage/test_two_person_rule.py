"""The two-person rule on the staff pages: the approve button carries the version shown, an edit
sends a response awaiting approval back to draft, a change to a published response waits for
approval, and an administrator chooses whether officers approve for other organisations."""

import pytest

from app.domain.thread import publishing
from app.extensions import db
from app.models import YouSaidWeDid

from ..conftest import user_for
from ..domain.test_publishing import draft, fields, second_officer
from ..helpers import field_error, heading, main_text, notification, page
from .test_responses import form_data


@pytest.fixture(autouse=True)
def req(app):
    with app.test_request_context():
        yield


def awaiting(author) -> YouSaidWeDid:
    response = draft(author)
    publishing.submit_for_approval(author, response)
    return response


def shown_version(answer) -> str:
    return page(answer).select_one("main form input[name='version']")["value"]


def test_an_edit_between_opening_the_page_and_pressing_approve_is_caught(client, signed_in):
    signed_in("officer")
    author = second_officer()
    response = awaiting(author)
    opened = client.get(f"/manage/responses/{response.id}/approve")
    seen = shown_version(opened)
    # Meanwhile the author changes what "We did" says and sends it again.
    publishing.update_draft(author, response, fields(we_did="We will add one team next year."))
    publishing.submit_for_approval(author, response)
    answer = client.post(f"/manage/responses/{response.id}/approve", data={"version": seen})
    assert answer.status_code == 409
    assert "has changed since you opened it" in notification(answer)
    assert "We will add one team next year." in main_text(answer)  # the latest version
    db.session.refresh(response)
    assert response.state == "awaiting_approval" and response.published_at is None
    # Having read it, the approver approves what they now see.
    answer = client.post(
        f"/manage/responses/{response.id}/approve", data={"version": shown_version(answer)}
    )
    assert answer.status_code == 302
    db.session.refresh(response)
    assert response.state == "published"


def test_an_approval_without_the_version_is_refused(client, signed_in):
    signed_in("officer")
    response = awaiting(second_officer())
    for data in ({}, {"version": "abc"}, {"version": "-1"}, {"version": "9" * 40}):
        answer = client.post(f"/manage/responses/{response.id}/approve", data=data)
        assert answer.status_code == 409, data
    db.session.refresh(response)
    assert response.state == "awaiting_approval"


def test_the_button_on_the_response_page_carries_the_version(client, signed_in):
    signed_in("officer")
    response = awaiting(second_officer())
    answer = client.get(f"/manage/responses/{response.id}")
    assert shown_version(answer) == str(response.version)


def test_editing_a_response_awaiting_approval_sends_it_back_to_draft(client, signed_in):
    officer = signed_in("officer")
    response = awaiting(second_officer())
    text = main_text(client.get(f"/manage/responses/{response.id}"))
    assert "Editing it sends it back to draft, and whoever edits it cannot approve it." in text
    answer = client.post(
        f"/manage/responses/{response.id}/edit",
        data=form_data(we_did="We added three assessment teams."),
        follow_redirects=True,
    )
    assert "The response has gone back to draft" in notification(answer)
    db.session.refresh(response)
    assert response.state == "draft" and officer.id in response.editor_ids
    assert "Sent back to draft because it was edited" in main_text(answer)  # the history


def test_a_change_to_a_published_response_is_approved_by_someone_else(client, signed_in):
    officer = signed_in("officer")
    response = awaiting(officer)
    publishing.approve_and_publish(user_for("admin"), response, response.version)
    answer = client.post(
        f"/manage/responses/{response.id}/update",
        data=form_data(
            title="Shorter waits for EHC needs assessments",
            you_said="Parents told us the wait for an assessment was too long.",
            we_did="We added two assessment teams; waits are now 14 weeks.",
            status="done",
            what_changed="The teams are in place.",
        ),
        follow_redirects=True,
    )
    assert "Change sent for approval." in notification(answer)
    text = main_text(answer)
    assert "The change waiting for approval" in text
    assert "Published now: In progress" in text and "Proposed: Done" in text
    assert "You wrote or edited this version, so someone else must approve it." in text
    # The public still sees the approved version.
    public = main_text(client.get(f"/you-said-we-did/{response.id}"))
    assert "The teams are in place." not in public
    # Editing again starts from the waiting change.
    form = page(client.get(f"/manage/responses/{response.id}/update"))
    assert form.select_one("textarea[name='what_changed']").get_text() == "The teams are in place."
    # An administrator approves it from the response's page.
    client.post("/auth/sign-out")
    signed_in("admin")
    answer = client.get(f"/manage/responses/{response.id}")
    assert "Approve and publish the change" in main_text(answer)
    answer = client.get(f"/manage/responses/{response.id}/approve")
    assert heading(answer) == "Approve the change"
    answer = client.post(
        f"/manage/responses/{response.id}/approve",
        data={"version": shown_version(answer)},
        follow_redirects=True,
    )
    assert "The change is approved and published." in notification(answer)
    assert "The teams are in place." in main_text(answer)  # "Updated on …" on the public page
    db.session.refresh(response)
    assert response.status == "done" and response.pending_change is None


def test_a_change_can_be_turned_down(client, signed_in):
    officer = signed_in("officer")
    response = awaiting(second_officer())
    publishing.approve_and_publish(user_for("admin"), response, response.version)
    publishing.edit_published(second_officer_again(), response, fields(status="done"), "Done.")
    answer = client.post(f"/manage/responses/{response.id}/turn-down", data={"reason": ""})
    assert field_error(answer, "reason") == "Enter why the response is being returned"
    answer = client.post(
        f"/manage/responses/{response.id}/turn-down",
        data={"reason": "It is not finished."},
        follow_redirects=True,
    )
    assert "The change has been turned down." in notification(answer)
    db.session.refresh(response)
    assert response.pending_change is None and response.status == "in_progress"
    assert officer.id not in (response.editor_ids or [])


def second_officer_again():
    return db.session.scalar(
        db.select(publishing.User).where(publishing.User.email == "second.officer@example.org")
    )


def test_only_an_administrator_chooses_who_approves_for_other_organisations(client, signed_in):
    signed_in("officer")
    assert client.get("/manage/responses/approval-settings").status_code == 403
    client.post("/auth/sign-out")
    signed_in("admin")
    answer = client.get("/manage/responses/approval-settings")
    assert heading(answer) == "Who may approve responses"
    assert "Who may approve a response?" in main_text(answer)  # the question's legend
    checked = page(answer).select_one("input[name='allowed'][checked]")
    assert checked["value"] == "no"
    answer = client.post("/manage/responses/approval-settings", data={})
    assert field_error(answer, "allowed") == "Select who may approve a response"
    answer = client.post(
        "/manage/responses/approval-settings", data={"allowed": "yes"}, follow_redirects=True
    )
    assert "Who may approve responses has been saved." in notification(answer)
    assert publishing.cross_organisation_approval()
    checked = page(answer).select_one("input[name='allowed'][checked]")
    assert checked["value"] == "yes"


def test_a_change_awaiting_approval_is_listed_with_those_awaiting_approval(client, signed_in):
    signed_in("admin")
    response = awaiting(user_for("officer"))
    publishing.approve_and_publish(user_for("admin"), response, response.version)
    publishing.edit_published(user_for("officer"), response, fields(status="done"), "Done.")
    listed = main_text(client.get("/manage/responses?state=awaiting_approval"))
    assert response.title in listed and "Change awaiting approval" in listed
    home = main_text(client.get("/manage/responses"))
    assert "Choose who may approve responses" in home
    publishing.approve_change(second_officer(), response, response.version)
    listed = main_text(client.get("/manage/responses?state=awaiting_approval"))
    assert response.title not in listed
