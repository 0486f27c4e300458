"""Staff "You said, we did" pages: who may do what, every bad input, and the workflow end to end."""

import pytest

from app.domain.thread import publishing
from app.extensions import db
from app.models import AuditEntry, Contribution, OutboxMessage, YouSaidWeDid, YouSaidWeDidRevision

from ..conftest import user_for
from ..domain.test_publishing import (
    action,
    area,
    contribution,
    draft,
    organisation,
    second_officer,
    theme,
)
from ..helpers import (
    error_summary,
    error_summary_links,
    field_error,
    field_value,
    heading,
    main_text,
    notification,
    page,
)


@pytest.fixture(autouse=True)
def req(app):
    """Domain calls made by the test itself run as they would in a request (links in emails)."""
    with app.test_request_context():
        yield


@pytest.fixture
def officer_in(signed_in, app_ctx):
    return signed_in("officer")


def form_data(**overrides):
    data = {
        "title": "Shorter waits for assessments",
        "you_said": "Parents told us the wait was too long.",
        "we_did": "We added two assessment teams.",
        "status": "in_progress",
        "status_reason": "",
        "organisation": str(organisation().id),
        "areas": [str(area(6).id)],
        "actions": [str(action("APP-6.1").id)],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submitted(author):
    response = draft(author)
    publishing.submit_for_approval(author, response)
    return response


# ------------------------------------------------------------ access


def test_anonymous_people_are_sent_to_sign_in(client, app_ctx):
    response = draft(user_for("officer"))
    for url in (
        "/manage/responses",
        "/manage/responses/new",
        f"/manage/responses/{response.id}",
        f"/manage/responses/{response.id}/evidence",
        f"/manage/responses/{response.id}/approve",
    ):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert "/auth/sign-in" in answer.headers["Location"]


def test_coordinators_draft_but_cannot_approve_update_or_withdraw(client, signed_in, app_ctx):
    signed_in("coordinator")
    assert client.get("/manage/responses").status_code == 200
    assert client.get("/manage/responses/new").status_code == 200
    response = submitted(user_for("officer"))
    for verb in ("approve", "return", "update", "withdraw"):
        assert client.get(f"/manage/responses/{response.id}/{verb}").status_code == 403, verb
        assert (
            client.post(f"/manage/responses/{response.id}/{verb}", data={"reason": "x"}).status_code
            == 403
        ), verb
    page_text = main_text(client.get(f"/manage/responses/{response.id}"))
    assert "Forum coordinators cannot approve or publish responses" in page_text
    assert "Approve and publish" not in page_text
    db.session.refresh(response)
    assert response.state == "awaiting_approval"


def test_coordinator_writes_a_draft_and_sends_it_for_approval(client, signed_in, app_ctx):
    coordinator = signed_in("coordinator")
    answer = client.get("/manage/responses/new")
    # The organisation defaults to the author's own.
    assert field_value(answer, "organisation") == str(coordinator.organisation_id)
    answer = client.post("/manage/responses/new", data=form_data())
    assert answer.status_code == 302
    response = db.session.scalar(db.select(YouSaidWeDid))
    assert response.author_id == coordinator.id and response.state == "draft"
    assert client.post(f"/manage/responses/{response.id}/submit").status_code == 302
    db.session.refresh(response)
    assert response.state == "awaiting_approval"


def test_unknown_response_is_404(client, officer_in):
    for url in (
        "/manage/responses/999999",
        "/manage/responses/999999/edit",
        "/manage/responses/999999/evidence",
        "/manage/responses/999999/approve",
        "/manage/responses/999999/withdraw",
    ):
        assert client.get(url).status_code == 404, url


# ------------------------------------------------------------ the form: every bad input


def test_empty_form_lists_every_problem(client, officer_in):
    answer = client.post("/manage/responses/new", data={"status_reason": ""})
    assert answer.status_code == 200
    assert heading(answer) == "Write a response"
    # A draft needs only a title (and the status and organisation the form starts with).
    assert error_summary(answer) == [
        "Enter a title",
        "Select a status",
        "Select an organisation",
    ]
    assert error_summary_links(answer)["Enter a title"] == "#title"
    assert field_error(answer, "title") == "Enter a title"
    assert page(answer).title.get_text().startswith("Error:")
    assert db.session.scalar(db.select(db.func.count(YouSaidWeDid.id))) == 0


def test_very_long_title_is_refused_and_kept(client, officer_in):
    long_title = "x" * 10_000
    answer = client.post("/manage/responses/new", data=form_data(title=long_title))
    assert answer.status_code == 200
    assert field_error(answer, "title") == "Title must be 300 characters or fewer"
    assert field_value(answer, "title") == long_title
    assert field_value(answer, "you_said") == "Parents told us the wait was too long."


def test_not_possible_needs_a_reason(client, officer_in):
    answer = client.post(
        "/manage/responses/new", data=form_data(status="not_possible", status_reason="  ")
    )
    assert answer.status_code == 200
    assert error_summary(answer) == ["Enter why it is not possible"]
    assert field_error(answer, "status_reason") == "Enter why it is not possible"
    answer = client.post(
        "/manage/responses/new",
        data=form_data(status="not_possible", status_reason="The law does not allow it."),
    )
    assert answer.status_code == 302
    assert db.session.scalar(db.select(YouSaidWeDid.status_reason)) == "The law does not allow it."


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"status": "finished"}, "status", "Select a status"),
        ({"organisation": "abc"}, "organisation", "Select an organisation"),
        ({"organisation": "999999"}, "organisation", "Select an organisation"),
        ({"areas": ["999999"]}, "areas", "Select areas of weakness from the list"),
        ({"actions": ["not-a-number"]}, "actions", "Select plan actions from the list"),
        ({"you_said": "y" * 10_001}, "you_said", "“You said” must be 10000 characters or fewer"),
        (
            {"status": "not_possible", "status_reason": "r" * 2_001},
            "status_reason",
            "The reason must be 2000 characters or fewer",
        ),
    ],
)
def test_tampered_or_oversized_values_get_a_clear_message(
    client, officer_in, overrides, field, message
):
    answer = client.post("/manage/responses/new", data=form_data(**overrides))
    assert answer.status_code == 200
    assert field_error(answer, field) == message
    assert db.session.scalar(db.select(db.func.count(YouSaidWeDid.id))) == 0


def test_edit_draft_and_draft_you_said_from_the_evidence(client, officer_in):
    waits = theme("Waiting times")
    items = [
        contribution(themes=[waits], consent=True, quote=f"Approved quote {n}") for n in range(5)
    ]
    response = draft(user_for("officer"), [c.id for c in items])
    answer = client.post(
        f"/manage/responses/{response.id}/edit",
        data=form_data(title="Typed but not saved", draft_from_evidence="y"),
    )
    assert answer.status_code == 200
    drafted = field_value(answer, "you_said")
    assert drafted.startswith("5 people told us about this.")
    assert "Waiting times" in drafted and "Approved quote" in drafted
    assert field_value(answer, "title") == "Typed but not saved"  # what was typed is kept
    db.session.refresh(response)
    assert response.title == "Shorter waits for EHC needs assessments"  # nothing saved yet

    answer = client.post(
        f"/manage/responses/{response.id}/edit",
        data=form_data(title="Saved title", you_said=drafted),
    )
    assert answer.status_code == 302
    db.session.refresh(response)
    assert response.title == "Saved title" and response.you_said == drafted.strip()

    # The evidence page's link drafts it too.
    answer = client.get(f"/manage/responses/{response.id}/edit?from_evidence=1")
    assert field_value(answer, "you_said").startswith("5 people told us about this.")


def test_edit_form_errors_keep_the_page(client, officer_in):
    response = draft(user_for("officer"))
    answer = client.post(f"/manage/responses/{response.id}/edit", data=form_data(title=""))
    assert answer.status_code == 200
    assert field_error(answer, "title") == "Enter a title"


# ------------------------------------------------------------ evidence


def test_evidence_page_never_offers_safeguarding_contributions(client, officer_in):
    waits = theme("Waiting times")
    ok = contribution("The wait was eleven months", areas=[area(6)], themes=[waits])
    urgent = contribution(
        "My child is not safe at home", areas=[area(6)], themes=[waits], safeguarding=True
    )
    hidden = contribution("Spam spam spam", areas=[area(6)], state="hidden")
    response = draft(user_for("officer"))
    answer = client.get(
        f"/manage/responses/{response.id}/evidence?area={area(6).id}&theme={waits.id}"
    )
    assert answer.status_code == 200
    text = main_text(answer)
    assert ok.reference in text and "The wait was eleven months" in text and "Waiting times" in text
    assert urgent.reference not in text and "not safe" not in text
    assert hidden.reference not in text
    # Posting a safeguarding id by hand attaches nothing.
    answer = client.post(
        f"/manage/responses/{response.id}/evidence",
        data={"contribution_ids": [str(urgent.id), str(hidden.id)], "add": "y"},
        follow_redirects=True,
    )
    assert "0 contributions added." in notification(answer)
    assert publishing.evidence_ids(response) == []
    answer = client.post(
        f"/manage/responses/{response.id}/evidence",
        data={"contribution_ids": [str(ok.id), "junk"], "add": "y"},
        follow_redirects=True,
    )
    assert "1 contribution added." in notification(answer)
    assert publishing.evidence_ids(response) == [ok.id]


def test_add_all_matching_and_remove(client, officer_in):
    waits = theme("Waiting times")
    items = [contribution(areas=[area(6)], themes=[waits]) for _ in range(7)]
    contribution(areas=[area(2)], themes=[waits])
    response = draft(user_for("officer"))
    answer = client.get(
        f"/manage/responses/{response.id}/evidence?area={area(6).id}&theme={waits.id}"
    )
    assert "Add all 7 matching" in main_text(answer)
    answer = client.post(
        f"/manage/responses/{response.id}/evidence?area={area(6).id}&theme={waits.id}",
        data={"add_all": "y"},
        follow_redirects=True,
    )
    assert "7 contributions added." in notification(answer)
    assert sorted(publishing.evidence_ids(response)) == sorted(c.id for c in items)
    answer = client.post(
        f"/manage/responses/{response.id}/evidence",
        data={"contribution_ids": [str(items[0].id)], "remove": "y"},
        follow_redirects=True,
    )
    assert "1 contribution removed." in notification(answer)
    answer = client.post(
        f"/manage/responses/{response.id}/evidence", data={"remove": "y"}, follow_redirects=True
    )
    assert "Select at least one contribution." in notification(answer)
    assert len(publishing.evidence_ids(response)) == 6


def test_evidence_filters_with_nonsense_values_do_not_break(client, officer_in):
    response = draft(user_for("officer"))
    answer = client.get(
        f"/manage/responses/{response.id}/evidence?area=abc&action=-1&theme=99999999999&state=zzz"
        f"&q={'q' * 500}"
    )
    assert answer.status_code == 200


# ------------------------------------------------------------ approval


def test_author_sees_why_they_cannot_approve(client, officer_in):
    response = submitted(user_for("officer"))
    text = main_text(client.get(f"/manage/responses/{response.id}"))
    assert "A response must be approved by someone other than its author" in text
    answer = client.post(f"/manage/responses/{response.id}/approve")
    assert answer.status_code == 200
    assert "A response must be approved by someone other than its author" in main_text(answer)
    db.session.refresh(response)
    assert response.state == "awaiting_approval"


def test_another_officer_approves_and_publishes(client, signed_in, app_ctx):
    author = second_officer()
    item = contribution(state="coded", contact_email="parent@example.com", wants_updates=True)
    response = draft(author, [item.id])
    publishing.submit_for_approval(author, response)
    signed_in("officer")
    answer = client.get(f"/manage/responses/{response.id}")
    assert "Approve and publish" in main_text(answer)
    # The button on the response's page publishes it (the page shows the text in full).
    button = page(answer).select_one(f"main form[action='/manage/responses/{response.id}/approve']")
    assert button is not None and "Approve and publish" in button.get_text()
    evidence_link = page(answer).select_one(
        f"main dd a[href='/manage/responses/{response.id}/evidence']"
    )
    assert evidence_link.get_text(strip=True) == "1 contribution"
    assert "<a" not in main_text(answer)
    answer = client.get(f"/manage/responses/{response.id}/approve")
    assert heading(answer) == "Approve and publish"
    answer = client.post(
        f"/manage/responses/{response.id}/approve", data={"version": response.version}
    )
    # The approver sees straight away what the public now sees.
    assert answer.headers["Location"] == f"/you-said-we-did/{response.id}"
    answer = client.get(answer.headers["Location"])
    assert "Published. 1 email about it has been queued." in notification(answer)
    db.session.refresh(response)
    assert response.state == "published" and response.approved_by_id == user_for("officer").id
    assert db.session.get(Contribution, item.id).state == "used"
    assert db.session.scalar(db.select(OutboxMessage.to_address)) == "parent@example.com"
    answer = client.get(f"/manage/responses/{response.id}")
    assert "Response published" in main_text(answer)  # in the history


def test_return_to_draft_needs_a_reason(client, signed_in, app_ctx):
    response = submitted(user_for("coordinator"))
    signed_in("officer")
    answer = client.post(f"/manage/responses/{response.id}/return", data={"reason": " "})
    assert answer.status_code == 200
    assert field_error(answer, "reason") == "Enter why the response is being returned"
    answer = client.post(f"/manage/responses/{response.id}/return", data={"reason": "r" * 2_001})
    assert field_error(answer, "reason") == "The reason must be 2000 characters or fewer"
    answer = client.post(
        f"/manage/responses/{response.id}/return",
        data={"reason": "Add the numbers, please."},
        follow_redirects=True,
    )
    assert "Returned to draft." in notification(answer)
    assert "Add the numbers, please." in main_text(answer)
    db.session.refresh(response)
    assert response.state == "draft"


# ------------------------------------------------------------ after publishing


def published_by_admin():
    response = submitted(user_for("officer"))
    publishing.approve_and_publish(user_for("admin"), response)
    return response


def test_update_after_publishing_needs_what_changed(client, officer_in):
    response = published_by_admin()
    assert client.get(f"/manage/responses/{response.id}/edit").status_code == 302
    answer = client.post(
        f"/manage/responses/{response.id}/update", data=form_data(status="done", what_changed="")
    )
    assert answer.status_code == 200
    assert field_error(answer, "what_changed") == "Enter what changed"
    answer = client.post(
        f"/manage/responses/{response.id}/update",
        data=form_data(status="done", what_changed="w" * 501),
    )
    assert field_error(answer, "what_changed") == "What changed must be 500 characters or fewer"
    answer = client.post(
        f"/manage/responses/{response.id}/update",
        data=form_data(
            title="Shorter waits for EHC needs assessments",
            status="done",
            we_did="We added two assessment teams; waits are now 14 weeks.",
            you_said="Parents told us the wait for an assessment was too long.",
            what_changed="The teams are in place.",
        ),
        follow_redirects=True,
    )
    assert "Change sent for approval." in notification(answer)
    assert "The teams are in place." in main_text(answer)
    # Nothing public changes until someone who did not edit the change approves it.
    assert db.session.scalar(db.select(YouSaidWeDidRevision)) is None
    db.session.refresh(response)
    assert response.status == "in_progress"
    publishing.approve_change(user_for("admin"), response)
    revision = db.session.scalar(db.select(YouSaidWeDidRevision))
    assert revision.summary == "The teams are in place."
    assert revision.previous == {"status": "in_progress"}


def test_update_with_no_change_is_refused(client, officer_in):
    response = published_by_admin()
    answer = client.post(
        f"/manage/responses/{response.id}/update",
        data=form_data(
            title=response.title,
            you_said=response.you_said,
            we_did=response.we_did,
            status=response.status,
            what_changed="Nothing",
        ),
    )
    assert answer.status_code == 200
    assert field_error(answer, "title") == "Nothing has changed. Change the response or cancel."
    assert db.session.scalar(db.select(db.func.count(YouSaidWeDidRevision.id))) == 0


def test_withdraw_needs_a_reason(client, officer_in):
    response = published_by_admin()
    answer = client.post(f"/manage/responses/{response.id}/withdraw", data={"reason": ""})
    assert answer.status_code == 200
    assert error_summary(answer) == ["Enter why the response is being withdrawn"]
    answer = client.post(
        f"/manage/responses/{response.id}/withdraw",
        data={"reason": "Duplicate of another."},
        follow_redirects=True,
    )
    assert "has been withdrawn" in notification(answer)
    db.session.refresh(response)
    assert response.state == "withdrawn" and response.withdrawn_reason == "Duplicate of another."
    assert db.session.scalar(
        db.select(AuditEntry.action).where(AuditEntry.action == "response.withdrawn")
    )


# ------------------------------------------------------------ the list


def test_list_filters_by_state(client, officer_in):
    officer = user_for("officer")
    draft(officer, title="Draft one")
    submitted(officer).title = "Waiting one"
    db.session.commit()
    answer = client.get("/manage/responses")
    text = main_text(answer)
    assert "Draft one" in text and "Waiting one" in text
    text = main_text(client.get("/manage/responses?state=awaiting_approval"))
    assert "Waiting one" in text and "Draft one" not in text
    assert client.get("/manage/responses?state=nonsense&page=abc").status_code == 200
    assert client.get("/manage/responses?page=99999999999999999999").status_code == 200


def test_approving_needs_the_csrf_token(client, signed_in, app):
    author = second_officer()
    response = submitted(author)
    signed_in("officer")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        answer = client.post(f"/manage/responses/{response.id}/approve")
        assert answer.status_code == 400
        form = page(client.get(f"/manage/responses/{response.id}/approve"))
        answer = client.post(
            f"/manage/responses/{response.id}/approve",
            data={
                "csrf_token": form.find("input", {"name": "csrf_token"})["value"],
                "version": form.find("input", {"name": "version"})["value"],
            },
        )
        assert answer.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.refresh(response)
    assert response.state == "published"
