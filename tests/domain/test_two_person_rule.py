"""The two-person rule for "You said, we did", tried each way round: nobody who wrote or edited a
version approves it, an edit while awaiting approval sends it back to draft, a change to a
published response waits for the same approval, an approval given on an out-of-date page is
refused, and officers approve for their own organisation unless an administrator allows it."""

import pytest

from app.domain.shared.errors import NotAllowed, Refused
from app.domain.thread import publishing, you_said_we_did
from app.extensions import db
from app.models import AuditEntry, User, YouSaidWeDidRevision

from ..conftest import user_for
from .test_publishing import contribution, draft, fields, organisation, second_officer

EDITED = (
    "You wrote or edited this version, so someone else must approve it. "
    "Nobody who wrote or edited a version may approve it."
)


@pytest.fixture(autouse=True)
def req(app):
    with app.test_request_context():
        yield


def officer_of(short_name: str, email: str) -> User:
    user = User(email=email, name=email.split("@")[0], role="officer")
    user.organisation = organisation(short_name)
    db.session.add(user)
    db.session.flush()
    return user


def awaiting(author):
    response = draft(author)
    publishing.submit_for_approval(author, response)
    return response


def actions_of(response) -> list[str]:
    return list(
        db.session.scalars(
            db.select(AuditEntry.action)
            .where(AuditEntry.record_type == "responses", AuditEntry.record_id == str(response.id))
            .order_by(AuditEntry.id)
        )
    )


# ------------------------------------------------------------ edit, then approve


def test_an_edit_while_awaiting_approval_sends_it_back_to_draft(app_ctx):
    author, editor = user_for("officer"), second_officer()
    response = awaiting(author)
    version = response.version
    changed = publishing.update_draft(editor, response, fields(we_did="Three teams, not two."))
    assert changed == ["we_did"]
    assert response.state == "draft" and response.submitted_at is None
    assert response.version > version
    assert "response.sent_back_to_draft" in actions_of(response)
    # The editor cannot approve the version they edited, even once it is sent again.
    publishing.submit_for_approval(author, response)
    assert publishing.approval_refusal(editor, response) == EDITED
    with pytest.raises(Refused) as error:
        publishing.approve_and_publish(editor, response, response.version)
    assert error.value.message == EDITED
    assert response.state == "awaiting_approval"
    # Nor can the author; someone who touched neither can.
    assert publishing.approval_refusal(author, response) == EDITED
    publishing.approve_and_publish(user_for("admin"), response, response.version)
    assert response.state == "published"
    assert response.editor_ids == []


def test_an_approver_who_fixes_a_typo_cannot_then_approve_it(app_ctx):
    author, approver = second_officer(), user_for("officer")
    response = awaiting(author)
    assert publishing.approval_refusal(approver, response) is None
    publishing.update_draft(approver, response, fields(title="Shorter waits (typo fixed)"))
    publishing.submit_for_approval(author, response)
    with pytest.raises(Refused):
        publishing.approve_and_publish(approver, response, response.version)
    assert response.published_at is None


def test_an_edit_that_changes_nothing_keeps_it_awaiting_approval(app_ctx):
    author = user_for("officer")
    response = awaiting(author)
    assert publishing.update_draft(second_officer(), response, fields()) == []
    assert response.state == "awaiting_approval"
    assert publishing.approval_refusal(user_for("admin"), response) is None


def test_changing_the_evidence_while_awaiting_approval_is_an_edit(app_ctx):
    author, editor = user_for("officer"), second_officer()
    item = contribution()
    response = awaiting(author)
    assert publishing.add_evidence(editor, response, [item.id]) == 1
    assert response.state == "draft"
    publishing.submit_for_approval(author, response)
    assert publishing.approval_refusal(editor, response) == EDITED
    assert publishing.remove_evidence(user_for("admin"), response, [item.id]) == 1
    assert response.state == "draft"  # the administrator edited it too: someone else approves
    publishing.submit_for_approval(author, response)
    assert publishing.approval_refusal(user_for("admin"), response) == EDITED


def test_a_coordinator_draft_edited_by_an_officer_needs_a_third_person(app_ctx):
    coordinator, officer = user_for("coordinator"), user_for("officer")
    response = draft(coordinator)
    publishing.update_draft(officer, response, fields(we_did="Clearer wording."))
    publishing.submit_for_approval(coordinator, response)
    assert publishing.approval_refusal(officer, response) == EDITED
    assert publishing.approval_refusal(second_officer(), response) is None


# ------------------------------------------------------------ approve, then edit


def test_a_change_to_a_published_response_waits_for_approval(app_ctx):
    author, approver = user_for("officer"), second_officer()
    response = awaiting(author)
    publishing.approve_and_publish(approver, response, response.version)
    # The approver changes what they approved: it is a new version, someone else approves it.
    publishing.edit_published(approver, response, fields(status="done"), "The teams are in place.")
    assert response.state == "published" and response.status == "in_progress"
    public = you_said_we_did.published_responses().responses[0]
    assert public.status == "in_progress" and public.revisions == []
    assert publishing.approval_refusal(approver, response) == EDITED
    with pytest.raises(Refused):
        publishing.approve_change(approver, response, response.version)
    # The original author did not write this change, so may approve it.
    assert publishing.approval_refusal(author, response) is None
    revision = publishing.approve_change(author, response, response.version)
    assert response.status == "done" and response.pending_change is None
    assert revision.approved_by_id == author.id and revision.author_id == approver.id
    assert revision.previous == {"status": "in_progress"}
    assert actions_of(response)[-3:] == [
        "response.change_proposed",
        "response.updated",
        "response.change_approved",
    ]


def test_someone_else_editing_a_waiting_change_cannot_approve_it_either(app_ctx):
    author, admin = user_for("officer"), user_for("admin")
    other = second_officer()
    response = awaiting(author)
    publishing.approve_and_publish(admin, response, response.version)
    publishing.edit_published(author, response, fields(status="done"), "Done.")
    publishing.edit_published(other, response, fields(status="done", we_did="Now done."), "Done.")
    assert set(response.editor_ids) == {author.id, other.id}
    assert publishing.approval_refusal(author, response) == EDITED
    assert publishing.approval_refusal(other, response) == EDITED
    publishing.approve_change(admin, response, response.version)
    assert response.we_did == "Now done."


def test_a_change_can_be_turned_down_and_the_published_version_stays(app_ctx):
    author, admin = user_for("officer"), user_for("admin")
    response = awaiting(author)
    publishing.approve_and_publish(admin, response, response.version)
    publishing.edit_published(author, response, fields(status="done"), "Done.")
    with pytest.raises(Refused):
        publishing.discard_change(admin, response, "")
    with pytest.raises(NotAllowed):
        publishing.discard_change(user_for("coordinator"), response, "No")
    publishing.discard_change(admin, response, "It is not done yet.")
    assert response.pending_change is None and response.status == "in_progress"
    assert "response.change_turned_down" in actions_of(response)
    with pytest.raises(Refused):
        publishing.approve_change(admin, response)


def test_each_approved_version_is_kept_for_the_public_history(app_ctx):
    author, admin = user_for("officer"), user_for("admin")
    response = awaiting(author)
    publishing.approve_and_publish(admin, response, response.version)
    publishing.edit_published(author, response, fields(status="done"), "Teams in place.")
    publishing.approve_change(admin, response, response.version)
    publishing.edit_published(author, response, fields(status="done", we_did="More."), "More.")
    assert len(response.revisions) == 1  # the waiting change is not public
    publishing.approve_change(admin, response, response.version)
    db.session.expire_all()
    summaries = [
        r.summary
        for r in db.session.scalars(
            db.select(YouSaidWeDidRevision).order_by(YouSaidWeDidRevision.id)
        )
    ]
    assert summaries == ["Teams in place.", "More."]


# ------------------------------------------------------------ out-of-date approval


def test_an_approval_given_on_a_page_opened_before_an_edit_is_refused(app_ctx):
    author, approver = second_officer(), user_for("officer")
    response = awaiting(author)
    seen = response.version  # the approver opens the page
    publishing.update_draft(author, response, fields(we_did="Something else entirely."))
    publishing.submit_for_approval(author, response)
    with pytest.raises(Refused) as error:
        publishing.approve_and_publish(approver, response, seen)
    assert error.value.message == publishing.STALE
    assert response.state == "awaiting_approval"
    publishing.approve_and_publish(approver, response, response.version)
    assert response.state == "published"


def test_an_approval_of_a_change_given_before_it_was_edited_again_is_refused(app_ctx):
    author, admin = user_for("officer"), user_for("admin")
    response = awaiting(author)
    publishing.approve_and_publish(admin, response, response.version)
    publishing.edit_published(author, response, fields(status="done"), "Done.")
    seen = response.version
    publishing.edit_published(author, response, fields(status="planned"), "Not yet.")
    with pytest.raises(Refused) as error:
        publishing.approve_change(admin, response, seen)
    assert error.value.message == publishing.STALE
    assert response.status == "in_progress"


# ------------------------------------------------------------ organisations


def test_officers_approve_for_their_own_organisation_unless_an_admin_allows(app_ctx):
    author, admin = user_for("officer"), user_for("admin")
    nhs = officer_of("NHS Kent and Medway", "nhs.officer@example.org")
    response = awaiting(author)  # for Kent County Council
    refusal = publishing.approval_refusal(nhs, response)
    assert refusal.startswith("Officers approve responses for their own organisation.")
    assert "Kent County Council" in refusal
    with pytest.raises(Refused):
        publishing.approve_and_publish(nhs, response, response.version)
    with pytest.raises(NotAllowed):
        publishing.set_cross_organisation_approval(author, True)
    publishing.set_cross_organisation_approval(admin, True)
    assert publishing.cross_organisation_approval()
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "settings.cross_organisation_approval")
    )
    assert entry.actor_id == admin.id and entry.detail == {"from": False, "to": True}
    publishing.approve_and_publish(nhs, response, response.version)
    assert response.state == "published"


def test_a_change_of_organisation_is_approved_by_the_new_organisation(app_ctx):
    author, admin = user_for("officer"), user_for("admin")
    nhs = officer_of("NHS Kent and Medway", "nhs.officer@example.org")
    response = awaiting(author)
    publishing.approve_and_publish(admin, response, response.version)
    moved = fields(organisation_id=organisation("NHS Kent and Medway").id)
    publishing.edit_published(author, response, moved, "NHS Kent and Medway leads this now.")
    assert publishing.approval_refusal(second_officer(), response).startswith("Officers approve")
    assert publishing.approval_refusal(nhs, response) is None


def test_withdrawing_drops_a_change_waiting_for_approval(app_ctx):
    author, admin = user_for("officer"), user_for("admin")
    response = awaiting(author)
    publishing.approve_and_publish(admin, response, response.version)
    publishing.edit_published(author, response, fields(status="done"), "Done.")
    publishing.withdraw(admin, response, "It repeated another response.")
    assert response.state == "withdrawn" and response.pending_change is None
    with pytest.raises(Refused):
        publishing.approve_change(second_officer(), response)
