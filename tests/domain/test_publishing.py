""" "You said, we did" rules: drafting, evidence, approval by someone else, publishing, edits,
withdrawal."""

from datetime import datetime, timedelta

import pytest

from app.domain.shared.errors import NotAllowed, Refused
from app.domain.thread import publishing, you_said_we_did
from app.domain.thread.publishing import EvidenceFilter, ResponseFields
from app.domain.thread.references import new_reference
from app.extensions import db
from app.models import (
    Action,
    Area,
    AuditEntry,
    Contact,
    Contribution,
    Organisation,
    OutboxMessage,
    Subscription,
    Theme,
    User,
    YouSaidWeDid,
    YouSaidWeDidRevision,
)
from app.models.base import utcnow

from ..conftest import user_for

# ------------------------------------------------------------ builders shared by the response tests


def organisation(short_name: str = "KCC") -> Organisation:
    return db.session.scalar(db.select(Organisation).where(Organisation.short_name == short_name))


def area(number: int) -> Area:
    return db.session.scalar(db.select(Area).where(Area.number == number))


def action(reference: str) -> Action:
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


def theme(name: str) -> Theme:
    found = db.session.scalar(db.select(Theme).where(Theme.name == name))
    if found is None:
        found = Theme(name=name)
        db.session.add(found)
        db.session.flush()
    return found


def contribution(
    text: str = "The wait for an assessment was far too long.",
    *,
    areas=(),
    actions=(),
    themes=(),
    state: str = "coded",
    safeguarding: bool = False,
    created_at: datetime | None = None,
    consent: bool = False,
    quote: str | None = None,
    contact_email: str | None = None,
    wants_updates: bool = False,
) -> Contribution:
    item = Contribution(
        reference=new_reference(),
        source_type="feedback",
        text=text,
        state=state,
        safeguarding=safeguarding,
        consent_to_quote=consent,
        created_at=created_at or utcnow(),
    )
    item.areas = list(areas)
    item.actions = list(actions)
    item.themes = list(themes)
    if quote is not None:
        item.quote_text = quote
        item.quote_approved_at = utcnow()
    if contact_email:
        item.contact = Contact(email=contact_email, wants_updates=wants_updates)
    db.session.add(item)
    db.session.flush()
    return item


def second_officer() -> User:
    user = User(
        email="second.officer@example.org",
        name="Sam Second",
        role="officer",
        organisation=organisation(),  # the same organisation as the demo officer
    )
    db.session.add(user)
    db.session.flush()
    return user


def fields(**overrides) -> ResponseFields:
    values = {
        "title": "Shorter waits for EHC needs assessments",
        "you_said": "Parents told us the wait for an assessment was too long.",
        "we_did": "We added two assessment teams; waits are now 14 weeks.",
        "status": "in_progress",
        "status_reason": "",
        "organisation_id": organisation().id,
        "area_ids": [area(6).id],
        "action_ids": [action("APP-6.1").id],
    }
    values.update(overrides)
    return ResponseFields(**values)


def draft(author: User, contribution_ids=(), **overrides) -> YouSaidWeDid:
    return publishing.create_draft(author, fields(**overrides), contribution_ids=contribution_ids)


def published(author: User, approver: User, contribution_ids=(), **overrides) -> YouSaidWeDid:
    response = draft(author, contribution_ids, **overrides)
    publishing.submit_for_approval(author, response)
    publishing.approve_and_publish(approver, response)
    return response


@pytest.fixture(autouse=True)
def req(app):
    """A request context: messages are in the reader's language and emails carry links."""
    with app.test_request_context():
        yield


# ------------------------------------------------------------ drafting


def test_create_draft_stores_everything_and_audits(app_ctx):
    officer = user_for("officer")
    response = draft(officer)
    assert response.state == "draft"
    assert response.author_id == officer.id
    assert [a.number for a in response.areas] == [6]
    assert [a.reference for a in response.actions] == ["APP-6.1"]
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "response.created"))
    assert entry.record_id == str(response.id) and entry.actor_id == officer.id


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title": "   "}, "title", "Enter a title"),
        ({"title": "x" * 10_000}, "title", "Title must be 300 characters or fewer"),
        ({"you_said": "x" * 10_001}, "you_said", "“You said” must be 10000 characters or fewer"),
        ({"we_did": "x" * 10_001}, "we_did", "“We did” must be 10000 characters or fewer"),
        ({"status": "finished"}, "status", "Select a status"),
        (
            {"status": "not_possible", "status_reason": "  "},
            "status_reason",
            "Enter why it is not possible",
        ),
        ({"organisation_id": None}, "organisation", "Select an organisation"),
        ({"organisation_id": 999_999}, "organisation", "Select an organisation"),
    ],
)
def test_create_draft_refuses_bad_fields(app_ctx, overrides, field, message):
    with pytest.raises(Refused) as error:
        draft(user_for("officer"), **overrides)
    assert error.value.field == field
    assert error.value.message == message
    assert db.session.scalar(db.select(db.func.count(YouSaidWeDid.id))) == 0


def test_reason_is_kept_only_for_not_possible(app_ctx):
    officer = user_for("officer")
    impossible = draft(officer, status="not_possible", status_reason="The law does not allow it.")
    assert impossible.status_reason == "The law does not allow it."
    planned = draft(officer, status="planned", status_reason="left over from an earlier choice")
    assert planned.status_reason == ""


def test_coordinator_drafts_and_submits_but_never_approves(app_ctx, req):
    coordinator = user_for("coordinator")
    response = draft(coordinator)
    publishing.submit_for_approval(coordinator, response)
    assert response.state == "awaiting_approval" and response.submitted_at is not None
    with pytest.raises(NotAllowed):
        publishing.approve_and_publish(coordinator, response)
    assert publishing.approval_refusal(coordinator, response).startswith(
        "Forum coordinators cannot approve"
    )
    # The officer is not the author, so the officer can.
    publishing.approve_and_publish(user_for("officer"), response)
    assert response.state == "published"


# ------------------------------------------------------------ the approval rule


def test_author_cannot_approve_their_own_response(app_ctx, req):
    officer = user_for("officer")
    response = draft(officer)
    publishing.submit_for_approval(officer, response)
    with pytest.raises(Refused) as error:
        publishing.approve_and_publish(officer, response)
    assert error.value.message == "A response must be approved by someone other than its author"
    db.session.refresh(response)
    assert response.state == "awaiting_approval" and response.published_at is None


def test_a_second_officer_approves_and_it_is_published(app_ctx, req):
    officer = user_for("officer")
    other = second_officer()
    response = draft(officer)
    publishing.submit_for_approval(officer, response)
    assert publishing.approval_refusal(other, response) is None
    publishing.approve_and_publish(other, response)
    db.session.refresh(response)
    assert response.state == "published"
    assert response.approved_by_id == other.id
    assert response.published_at is not None
    actions = set(
        db.session.scalars(
            db.select(AuditEntry.action).where(
                AuditEntry.record_id == str(response.id), AuditEntry.record_type == "responses"
            )
        )
    )
    assert {
        "response.created",
        "response.submitted",
        "response.approved",
        "response.published",
    } <= actions


def test_a_draft_must_be_submitted_before_approval(app_ctx, req):
    response = draft(user_for("officer"))
    with pytest.raises(Refused) as error:
        publishing.approve_and_publish(user_for("admin"), response)
    assert error.value.message == "Only a response awaiting approval can be approved."


def test_return_to_draft_needs_a_reason(app_ctx):
    officer = user_for("officer")
    response = draft(officer)
    publishing.submit_for_approval(officer, response)
    with pytest.raises(Refused) as error:
        publishing.return_to_draft(user_for("admin"), response, "  ")
    assert error.value.field == "reason"
    with pytest.raises(NotAllowed):
        publishing.return_to_draft(user_for("coordinator"), response, "Needs numbers")
    publishing.return_to_draft(user_for("admin"), response, "Say how many weeks the wait is now.")
    assert response.state == "draft" and response.submitted_at is None
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "response.returned"))
    assert entry.detail["reason"] == "Say how many weeks the wait is now."


# --------------------------------------------------------- publishing: evidence used, emails queued


def test_publishing_marks_evidence_used_and_queues_emails(app_ctx, req):
    officer, admin = user_for("officer"), user_for("admin")
    new = contribution(state="new", contact_email="parent@example.com", wants_updates=True)
    coded = contribution(state="coded", contact_email="no-updates@example.com", wants_updates=False)
    case = contribution(state="individual_case")
    other = contribution(state="coded")  # not evidence
    db.session.add_all(
        [
            Subscription(
                email="subscriber@example.com",
                target_type="area",
                target_id=area(6).id,
                unsubscribe_token="tok-confirmed",
                confirmed_at=utcnow(),
            ),
            Subscription(
                email="unconfirmed@example.com",
                target_type="area",
                target_id=area(6).id,
                unsubscribe_token="tok-unconfirmed",
            ),
            Subscription(
                email="left@example.com",
                target_type="action",
                target_id=action("APP-6.1").id,
                unsubscribe_token="tok-left",
                confirmed_at=utcnow(),
                unsubscribed_at=utcnow(),
            ),
            Subscription(
                email="elsewhere@example.com",
                target_type="area",
                target_id=area(2).id,
                unsubscribe_token="tok-elsewhere",
                confirmed_at=utcnow(),
            ),
        ]
    )
    db.session.flush()
    response = draft(officer, [new.id, coded.id, case.id])
    publishing.submit_for_approval(officer, response)
    queued = publishing.approve_and_publish(admin, response)

    states = {c.id: c.state for c in db.session.scalars(db.select(Contribution))}
    assert states[new.id] == "used"
    assert states[coded.id] == "used"
    assert states[case.id] == "individual_case"  # individual cases stay with casework
    assert states[other.id] == "coded"

    messages = {m.to_address: m for m in db.session.scalars(db.select(OutboxMessage))}
    assert set(messages) == {"parent@example.com", "subscriber@example.com"}
    assert queued == 2
    link = f"/you-said-we-did/{response.id}"
    assert link in messages["parent@example.com"].body_text
    assert new.reference in messages["parent@example.com"].body_text
    assert link in messages["subscriber@example.com"].body_text
    assert "tok-confirmed" in messages["subscriber@example.com"].body_text


# ------------------------------------------------------------ evidence


def test_safeguarding_and_hidden_contributions_are_never_evidence(app_ctx):
    officer = user_for("officer")
    waits = theme("Waiting times")
    ok = contribution(areas=[area(6)], themes=[waits])
    urgent = contribution(
        "I am scared for my child's safety", areas=[area(6)], themes=[waits], safeguarding=True
    )
    hidden = contribution(areas=[area(6)], themes=[waits], state="hidden")
    response = draft(officer, [ok.id, urgent.id, hidden.id])
    assert publishing.evidence_ids(response) == [ok.id]

    assert publishing.add_evidence(officer, response, [urgent.id, hidden.id]) == 0
    assert publishing.add_all_matching(officer, response, EvidenceFilter(area_id=area(6).id)) == 0
    assert publishing.evidence_ids(response) == [ok.id]
    candidates = publishing.evidence_candidates(response, EvidenceFilter())
    assert candidates.count == 0 and candidates.contributions == []


def test_evidence_candidates_by_theme_and_area_give_the_contributions_and_count(app_ctx):
    response = draft(user_for("officer"))
    waits, communication = theme("Waiting times"), theme("Communication")
    wanted = [contribution(areas=[area(6)], themes=[waits]) for _ in range(3)]
    wanted.append(
        contribution(areas=[area(6), area(2)], themes=[waits, communication], state="used")
    )
    contribution(areas=[area(2)], themes=[waits])  # another area
    contribution(areas=[area(6)], themes=[communication])  # another theme
    contribution(areas=[area(6)], themes=[waits], safeguarding=True)  # never evidence
    matches = publishing.evidence_candidates(
        response, EvidenceFilter(area_id=area(6).id, theme_id=waits.id)
    )
    assert matches.count == 4
    assert sorted(c.id for c in matches.contributions) == sorted(c.id for c in wanted)
    only_used = publishing.evidence_candidates(
        response, EvidenceFilter(area_id=area(6).id, theme_id=waits.id, state="used")
    )
    assert [c.id for c in only_used.contributions] == [wanted[-1].id]


def test_add_all_matching_then_remove(app_ctx):
    officer = user_for("officer")
    waits = theme("Waiting times")
    items = [contribution(areas=[area(6)], themes=[waits]) for _ in range(5)]
    response = draft(officer)
    assert publishing.add_all_matching(officer, response, EvidenceFilter(theme_id=waits.id)) == 5
    assert (
        publishing.add_all_matching(officer, response, EvidenceFilter(theme_id=waits.id)) == 0
    )  # no duplicates
    assert publishing.remove_evidence(officer, response, [items[0].id, items[1].id]) == 2
    assert sorted(publishing.evidence_ids(response)) == sorted(c.id for c in items[2:])


def test_evidence_cannot_change_after_publishing(app_ctx, req):
    officer = user_for("officer")
    item = contribution()
    response = published(officer, user_for("admin"))
    with pytest.raises(Refused):
        publishing.add_evidence(officer, response, [item.id])


# ------------------------------------------------------------ drafting "You said"


def test_draft_you_said_counts_themes_and_approved_quotes_only(app_ctx):
    waits, communication, schools = theme("Waiting times"), theme("Communication"), theme("Schools")
    items = [
        contribution(
            "raw words one", themes=[waits, communication], consent=True, quote="Quote one"
        ),
        contribution("raw words two", themes=[waits], consent=True, quote="Quote two"),
        contribution("raw words three", themes=[waits, schools], consent=True, quote="Quote three"),
        contribution("raw words four", themes=[communication], consent=True, quote="Quote four"),
        contribution("raw words five", themes=[waits], consent=False, quote="Not agreed"),
        contribution(
            "secret words", themes=[waits], consent=True, quote="Never quoted", safeguarding=True
        ),
    ]
    unapproved = contribution("proposed only", themes=[waits], consent=True)
    unapproved.quote_text = "Proposed but not approved"
    db.session.flush()
    text = publishing.draft_you_said([c.id for c in items] + [unapproved.id])
    assert text.startswith("6 people told us about this.")  # the safeguarding one is not counted
    # The top themes with how many raised each; small counts are never written as numbers.
    assert (
        "What they raised most: Waiting times (5), Communication (fewer than 5) "
        "and Schools (fewer than 5)." in text
    )
    assert text.count("\u201c") == 3  # up to three quotes
    assert (
        "Not agreed" not in text
        and "Never quoted" not in text
        and "Proposed but not approved" not in text
    )
    assert "raw words" not in text and "secret words" not in text


def test_draft_you_said_never_writes_a_small_number(app_ctx):
    items = [contribution(themes=[theme("Waiting times")]) for _ in range(3)]
    text = publishing.draft_you_said([c.id for c in items])
    assert text.startswith("Fewer than 5 people told us about this.")
    assert "3" not in text
    assert publishing.draft_you_said([]) == ""


# ------------------------------------------------------------ after publishing


def test_edit_published_keeps_a_revision_with_previous_values(app_ctx, req):
    officer, admin = user_for("officer"), user_for("admin")
    response = published(officer, admin)
    with pytest.raises(Refused) as error:
        publishing.edit_published(officer, response, fields(status="done"), "  ")
    assert error.value.field == "what_changed"
    with pytest.raises(Refused) as error:
        publishing.edit_published(officer, response, fields(status="done"), "x" * 501)
    assert error.value.message == "What changed must be 500 characters or fewer"
    with pytest.raises(Refused) as error:
        publishing.edit_published(officer, response, fields(), "Nothing really")
    assert error.value.message.startswith("Nothing has changed")
    with pytest.raises(NotAllowed):
        publishing.edit_published(user_for("coordinator"), response, fields(status="done"), "Done")

    publishing.edit_published(
        officer,
        response,
        fields(status="done", area_ids=[area(6).id, area(2).id]),
        "The new teams are in place.",
    )
    # The change waits for approval; the published version stays until then.
    assert response.status == "in_progress" and response.pending_change
    revision = publishing.approve_change(second_officer(), response)
    assert response.status == "done" and response.state == "published"
    assert revision.summary == "The new teams are in place."
    assert revision.previous == {"status": "in_progress", "area_ids": [area(6).id]}
    assert db.session.scalar(db.select(db.func.count(YouSaidWeDidRevision.id))) == 1


def test_withdraw_needs_a_reason_and_keeps_the_response(app_ctx, req):
    officer = user_for("officer")
    response = published(officer, user_for("admin"))
    with pytest.raises(Refused) as error:
        publishing.withdraw(officer, response, "")
    assert error.value.message == "Enter why the response is being withdrawn"
    with pytest.raises(NotAllowed):
        publishing.withdraw(user_for("coordinator"), response, "Wrong")
    publishing.withdraw(officer, response, "It repeated another response.")
    db.session.refresh(response)
    assert response.state == "withdrawn"
    assert response.withdrawn_reason == "It repeated another response."
    assert db.session.get(YouSaidWeDid, response.id) is not None  # nothing is deleted
    assert you_said_we_did.published_responses().total == 0
    with pytest.raises(Refused):
        publishing.withdraw(officer, response, "Again")


def test_public_reads_never_show_drafts(app_ctx, req):
    officer = user_for("officer")
    waiting = draft(officer)
    publishing.submit_for_approval(officer, waiting)
    assert you_said_we_did.public_response(waiting.id) is None
    assert you_said_we_did.public_response(draft(officer).id) is None
    assert you_said_we_did.public_response(999_999) is None
    shown = published(officer, user_for("admin"))
    assert you_said_we_did.public_response(shown.id).response.id == shown.id
    assert [r.id for r in you_said_we_did.published_responses().responses] == [shown.id]


def test_published_list_is_newest_first_with_evidence_counts(app_ctx, req):
    officer, admin = user_for("officer"), user_for("admin")
    items = [contribution() for _ in range(6)]
    urgent = contribution(safeguarding=True)
    older = published(officer, admin, [c.id for c in items], title="Older")
    newer = published(officer, admin, [items[0].id], title="Newer")
    older.published_at = utcnow() - timedelta(days=3)
    db.session.flush()
    # A contribution flagged after it was attached no longer counts publicly.
    db.session.execute(
        db.insert(publishing.response_contributions).values(
            response_id=older.id, contribution_id=urgent.id
        )
    )
    listing = you_said_we_did.published_responses()
    assert [r.title for r in listing.responses] == ["Newer", "Older"]
    assert listing.evidence == {older.id: 6, newer.id: 1}
