"""Staff consultation pages: creating and editing, proposals, the stage, moderating comments and
publishing "What we heard". Coordinators and admins only; every step is audited."""

import secrets
from datetime import datetime, timedelta

import pytest

from app.domain.engagement import moderation
from app.extensions import db
from app.models import (
    AuditEntry,
    Comment,
    CommentReport,
    CommentState,
    Consultation,
    Event,
    Moderation,
    OutboxMessage,
    Stage,
    Subscription,
)
from app.models.base import utcnow
from tests.domain.test_consultations import coordinator, make_consultation
from tests.helpers import error_summary, field_error, field_value, main_text, notification, page

GOOD_FORM = {
    "title": "Short breaks booking",
    "slug": "",
    "summary": "How should booking short breaks work?",
    "background": "<p>Families told us booking is hard.</p><script>alert(1)</script>",
    "opens_day-day": "1",
    "opens_day-month": "7",
    "opens_day-year": "2031",
    "opens_time": "09:00",
    "closes_day-day": "31",
    "closes_day-month": "7",
    "closes_day-year": "2031",
    "closes_time": "23:59",
    "outcome_due_day-day": "",
    "outcome_due_day-month": "",
    "outcome_due_day-year": "",
    "moderation": "post",
    "survey": "",
    "published": "yes",
}


def form_with(**changes) -> dict:
    data = dict(GOOD_FORM)
    for key, value in changes.items():
        data[key.replace("__", "-")] = value
    return data


def audit_entries(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def staff_urls(consultation, comment) -> list[str]:
    base = f"/manage/consultations/{consultation.id}"
    return [
        "/manage/consultations",
        "/manage/consultations/new",
        base,
        f"{base}/edit",
        f"{base}/stage",
        f"{base}/proposals/new",
        f"{base}/proposals/{consultation.proposals[0].id}/edit",
        f"{base}/outcome",
        f"{base}/outcome/publish",
        f"{base}/moderation",
        f"{base}/comments/{comment.id}",
    ]


def add_comment(consultation, text="A comment", **kwargs) -> Comment:
    return moderation.record_comment(
        consultation, text=text, consent_to_publish=True, check_open=False, **kwargs
    )


# --- who may see what -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_see_every_page(client, signed_in, app_ctx, role):
    consultation = make_consultation(proposals=["One"])
    comment = add_comment(consultation)
    signed_in(role)
    for url in staff_urls(consultation, comment):
        response = client.get(url)
        assert response.status_code in (200, 302), url


def test_officers_are_refused_everywhere(client, signed_in, app_ctx):
    consultation = make_consultation(proposals=["One"])
    comment = add_comment(consultation)
    signed_in("officer")
    base = f"/manage/consultations/{consultation.id}"
    for url in staff_urls(consultation, comment):
        assert client.get(url).status_code == 403, url
    for url in (
        f"{base}/comments/{comment.id}/approve",
        f"{base}/comments/{comment.id}/hide",
        f"{base}/outcome/publish",
        f"{base}/proposals/{consultation.proposals[0].id}/move",
    ):
        assert client.post(url, data={"reason": "x", "direction": "up"}).status_code == 403, url
    assert db.session.get(Comment, comment.id).state == CommentState.PENDING.value


def test_there_is_no_way_to_delete_a_comment(app):
    rules = [rule.rule for rule in app.url_map.iter_rules() if "comment" in rule.rule]
    assert not [rule for rule in rules if "delete" in rule or "remove" in rule]
    assert not [r for r in app.url_map.iter_rules() if "DELETE" in (r.methods or ())]


# --- creating and editing ---------------------------------------------------------------------


def test_a_coordinator_adds_a_consultation_in_uk_time(client, signed_in, app_ctx):
    signed_in("coordinator")
    response = client.post("/manage/consultations/new", data=form_with(areas=["1"]))
    assert response.status_code == 302
    consultation = db.session.scalar(
        db.select(Consultation).where(Consultation.title == "Short breaks booking")
    )
    assert response.headers["Location"].endswith(f"/manage/consultations/{consultation.id}")
    assert consultation.slug == "short-breaks-booking"
    assert consultation.opens_at == datetime(2031, 7, 1, 8, 0)  # 09:00 BST
    assert consultation.closes_at == datetime(2031, 7, 31, 22, 59)
    assert consultation.background_html == "<p>Families told us booking is hard.</p>"
    assert consultation.moderation == Moderation.POST.value and consultation.published
    assert [a.id for a in consultation.areas] == [1]
    [entry] = audit_entries("consultation.created")
    assert entry.record_id == str(consultation.id)
    shown = client.get(response.headers["Location"])
    assert "Short breaks booking" in main_text(shown)


def test_editing_keeps_what_was_not_changed_and_is_audited(client, signed_in, app_ctx):
    consultation = make_consultation(proposals=["One"])
    signed_in("coordinator")
    form = page(client.get(f"/manage/consultations/{consultation.id}/edit"))
    data = {}
    for element in form.select("main form input, main form textarea, main form select"):
        name = element.get("name")
        if not name or element.get("type") in ("submit",):
            continue
        if element.name == "textarea":
            data[name] = element.get_text()
        elif element.name == "select":
            chosen = element.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif element.get("type") in ("radio", "checkbox"):
            if element.has_attr("checked"):
                data.setdefault(name, []).append(element["value"])
        else:
            data[name] = element.get("value", "")
    data["title"] = "A better title"
    response = client.post(f"/manage/consultations/{consultation.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation.id)
    assert consultation.title == "A better title"
    assert consultation.background_html == "<p>Why we are asking.</p>"
    [entry] = audit_entries("consultation.updated")
    assert list(entry.detail) == ["title"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": ""}, "title", "Enter a title"),
        (
            {"slug": "Not A Slug!"},
            "slug",
            "Web address must use only lower-case letters, numbers and hyphens, "
            "like send-enquiries-hub",
        ),
        (
            {"opens_day__day": "", "opens_day__month": "", "opens_day__year": ""},
            "opens_day",
            "Enter the date it opens",
        ),
        (
            {"opens_day__day": "31", "opens_day__month": "2"},
            "opens_day",
            "Date it opens must be a real date",
        ),
        (
            {"opens_time": "25:00"},
            "opens_time",
            "Enter the time it opens as hours and minutes on the 24-hour clock, like 09:00",
        ),
        (
            {"closes_day__day": "30", "closes_day__month": "6"},
            "closes_time",
            "The consultation must close after it opens",
        ),
        (
            {
                "outcome_due_day__day": "1",
                "outcome_due_day__month": "7",
                "outcome_due_day__year": "2031",
            },
            "outcome_due_day",
            "The outcome cannot be due before the consultation closes",
        ),
        ({"moderation": "none"}, "moderation", "Select how comments are moderated"),
        ({"survey": "999999"}, "survey", "Select a survey from the list"),
        ({"survey": "abc"}, "survey", "Select a survey from the list"),
        ({"areas": ["999"]}, "areas", "Select areas of weakness from the list"),
        (
            {"published": "maybe"},
            "published",
            "Select yes if the consultation should be shown on the public site",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    client, signed_in, app_ctx, changes, field, message
):
    signed_in("coordinator")
    response = client.post("/manage/consultations/new", data=form_with(**changes))
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert message in error_summary(response)
    assert field_value(response, "summary") == GOOD_FORM["summary"]
    assert (
        db.session.scalar(
            db.select(Consultation).where(Consultation.summary == GOOD_FORM["summary"])
        )
        is None
    )


def test_a_web_address_already_used_is_refused(client, signed_in, app_ctx):
    make_consultation(slug="taken-address")
    signed_in("coordinator")
    response = client.post("/manage/consultations/new", data=form_with(slug="taken-address"))
    assert field_error(response, "slug") == "Another consultation already uses this web address"


def test_unknown_consultations_and_proposals_are_not_found(client, signed_in, app_ctx):
    consultation = make_consultation(proposals=["One"])
    other = make_consultation(proposals=["Elsewhere"])
    signed_in("coordinator")
    assert client.get("/manage/consultations/999999").status_code == 404
    assert (
        client.get(
            f"/manage/consultations/{consultation.id}/proposals/{other.proposals[0].id}/edit"
        ).status_code
        == 404
    )
    assert client.get(f"/manage/consultations/{consultation.id}/comments/999999").status_code == 404


# --- proposals --------------------------------------------------------------------------------


def test_proposals_are_added_edited_and_reordered(client, signed_in, app_ctx):
    consultation = make_consultation(proposals=["First", "Second"])
    signed_in("coordinator")
    base = f"/manage/consultations/{consultation.id}"
    assert (
        client.post(
            f"{base}/proposals/new", data={"title": "Third", "description": "Texts"}
        ).status_code
        == 302
    )
    missing = client.post(f"{base}/proposals/new", data={"title": "", "description": "x"})
    assert field_error(missing, "title") == "Enter a title"
    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation.id)
    assert [p.title for p in consultation.proposals] == ["First", "Second", "Third"]
    third = consultation.proposals[2]
    assert (
        client.post(
            f"{base}/proposals/{third.id}/edit",
            data={"title": "Third, renamed", "description": "Texts"},
        ).status_code
        == 302
    )
    assert (
        client.post(f"{base}/proposals/{third.id}/move", data={"direction": "up"}).status_code
        == 302
    )
    assert (
        client.post(f"{base}/proposals/{third.id}/move", data={"direction": "up"}).status_code
        == 302
    )
    assert (
        client.post(f"{base}/proposals/{third.id}/move", data={"direction": "up"}).status_code
        == 302
    )  # at the top
    assert (
        client.post(f"{base}/proposals/{third.id}/move", data={"direction": "sideways"}).status_code
        == 302
    )
    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation.id)
    assert [p.title for p in consultation.proposals] == ["Third, renamed", "First", "Second"]
    assert len(audit_entries("consultation.proposal_added")) == 1
    assert len(audit_entries("consultation.proposal_updated")) == 1
    assert len(audit_entries("consultation.proposals_reordered")) == 2
    # The public page shows them in that order.
    public = page(client.get(f"/consultations/{consultation.slug}"))
    assert [h.get_text(strip=True) for h in public.select(".app-proposal h3")] == [
        "Third, renamed",
        "First",
        "Second",
    ]


# --- the stage --------------------------------------------------------------------------------


def test_the_stage_is_moved_by_hand_and_cleared(client, signed_in, app_ctx):
    consultation = make_consultation()
    signed_in("coordinator")
    url = f"/manage/consultations/{consultation.id}/stage"
    assert client.post(url, data={"stage": "closed"}).status_code == 200
    response = client.post(url, data={"stage": "reviewing", "reason": "Enough heard"})
    assert response.status_code == 302
    assert "Reviewing" in notification(client.get(response.headers["Location"]))
    assert db.session.get(Consultation, consultation.id).stage_override == Stage.REVIEWING.value
    assert client.post(url, data={"stage": "dates"}).status_code == 302
    assert db.session.get(Consultation, consultation.id).stage_override is None
    assert [e.detail["override_to"] for e in audit_entries("consultation.stage_changed")] == [
        "reviewing",
        None,
    ]


# --- moderation -------------------------------------------------------------------------------


def test_the_queue_shows_waiting_reported_and_hidden_comments(client, signed_in, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    reported = add_comment(consultation, "Reported words")
    moderation.report_comment(reported, "Rude about staff")
    hidden = add_comment(consultation, "Hidden words")
    moderation.hide(coordinator(), hidden, "contains personal details")
    add_comment(consultation, "Fine words")
    consultation.moderation = Moderation.PRE.value
    db.session.commit()
    add_comment(consultation, "Waiting words")
    signed_in("coordinator")
    soup = page(client.get(f"/manage/consultations/{consultation.id}/moderation"))
    sections = {
        h2.get_text(" ", strip=True): h2.find_next(["table", "p"]).get_text(" ", strip=True)
        for h2 in soup.select("main h2")
    }
    assert "Waiting words" in sections["Waiting for moderation (1)"]
    assert (
        "Reported words" in sections["Reported (1)"]
        and "Rude about staff" in sections["Reported (1)"]
    )
    assert (
        "Hidden words" in sections["Hidden (1)"]
        and "contains personal details" in sections["Hidden (1)"]
    )
    assert "Fine words" not in main_text(soup)


def test_approving_hiding_and_restoring_are_audited_and_shown_publicly(client, signed_in, app_ctx):
    consultation = make_consultation(moderation=Moderation.PRE.value)
    comment = add_comment(consultation, "Please answer the phone")
    signed_in("coordinator")
    base = f"/manage/consultations/{consultation.id}/comments/{comment.id}"
    assert client.post(f"{base}/approve").status_code == 302
    assert db.session.get(Comment, comment.id).state == CommentState.PUBLISHED.value
    assert "Please answer the phone" in main_text(client.get(f"/consultations/{consultation.slug}"))

    missing = client.post(f"{base}/hide", data={"reason": ""})
    assert missing.status_code == 200
    assert field_error(missing, "reason") == "Enter a reason"
    assert (
        client.post(f"{base}/hide", data={"reason": "contains personal details"}).status_code == 302
    )
    db.session.expire_all()
    stored = db.session.get(Comment, comment.id)
    assert stored.state == CommentState.HIDDEN.value and stored.text == "Please answer the phone"
    assert "Hidden by a moderator: contains personal details" in main_text(
        client.get(f"/consultations/{consultation.slug}")
    )

    assert (
        client.post(
            f"{base}/restore", data={"reason": "Checked again: no personal details"}
        ).status_code
        == 302
    )
    assert db.session.get(Comment, comment.id).state == CommentState.PUBLISHED.value
    assert [
        len(audit_entries(a)) for a in ("comment.approved", "comment.hidden", "comment.restored")
    ] == [1, 1, 1]
    history = main_text(client.get(base))
    assert "Comment restored" in history and "Checked again: no personal details" in history


def test_a_reported_comment_is_kept_or_hidden_and_its_reports_resolved(client, signed_in, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    kept = add_comment(consultation, "Strong but fair")
    moderation.report_comment(kept, "I disagree")
    moderation.report_comment(kept, "Rude")
    hidden = add_comment(consultation, "Name and address here")
    moderation.report_comment(hidden, "Personal details")
    signed_in("coordinator")
    base = f"/manage/consultations/{consultation.id}/comments"
    response = client.post(f"{base}/{kept.id}/keep")
    assert "2 reports resolved" in notification(client.get(response.headers["Location"]))
    assert (
        client.post(
            f"{base}/{hidden.id}/hide", data={"reason": "contains personal details"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Comment, kept.id).state == CommentState.PUBLISHED.value
    reports = db.session.scalars(db.select(CommentReport)).all()
    assert all(r.resolved_at is not None and r.resolved_by_id == coordinator().id for r in reports)
    assert audit_entries("comment.kept")[0].detail["reports_resolved"] == 2
    assert audit_entries("comment.hidden")[0].detail["reports_resolved"] == 1
    # Keeping again, with nothing open, changes nothing and says why.
    again = client.post(f"{base}/{kept.id}/keep", follow_redirects=True)
    assert "no open reports" in main_text(again)


def test_a_safeguarding_comment_cannot_be_approved_or_restored(client, signed_in, app_ctx):
    from app.domain.thread.safeguarding import seed_default_phrases

    seed_default_phrases()
    consultation = make_consultation(moderation=Moderation.POST.value)
    comment = add_comment(consultation, "He was hurting himself at school")
    assert comment.safeguarding and comment.state == CommentState.PENDING.value
    signed_in("coordinator")
    page_text = main_text(
        client.get(f"/manage/consultations/{consultation.id}/comments/{comment.id}")
    )
    assert "never published" in page_text and "Approve and publish" not in page_text
    response = client.post(
        f"/manage/consultations/{consultation.id}/comments/{comment.id}/approve",
        follow_redirects=True,
    )
    assert "flagged for safeguarding" in main_text(response)
    assert db.session.get(Comment, comment.id).state == CommentState.PENDING.value
    assert audit_entries("comment.approved") == []


# --- "What we heard" --------------------------------------------------------------------------


def subscribe(
    consultation, email: str, confirmed: bool = True, unsubscribed: bool = False
) -> Subscription:
    subscription = Subscription(
        email=email,
        target_type="consultation",
        target_id=consultation.id,
        unsubscribe_token=secrets.token_urlsafe(32),
        confirmed_at=utcnow() if confirmed else None,
        unsubscribed_at=utcnow() if unsubscribed else None,
    )
    db.session.add(subscription)
    db.session.commit()
    return subscription


def outcome_emails() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.kind == "consultation_outcome")
            .order_by(OutboxMessage.id)
        )
    )


def closed_consultation():
    now = utcnow()
    return make_consultation(opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=2))


def test_publishing_the_outcome_emails_each_confirmed_subscriber_once_and_not_again_on_edit(
    client, signed_in, app_ctx
):
    consultation = closed_consultation()
    other = closed_consultation()
    subscribe(consultation, "one@example.org")
    subscribe(consultation, "two@example.org")
    subscribe(consultation, "unconfirmed@example.org", confirmed=False)
    subscribe(consultation, "gone@example.org", unsubscribed=True)
    subscribe(other, "other@example.org")
    signed_in("coordinator")
    base = f"/manage/consultations/{consultation.id}"

    response = client.post(
        f"{base}/outcome", data={"text": "<p>We heard <em>a lot</em>.</p><iframe>x</iframe>"}
    )
    assert response.headers["Location"].endswith(f"{base}/outcome/publish")
    confirm = main_text(client.get(f"{base}/outcome/publish"))
    assert "2 subscribers will be emailed once" in confirm
    assert outcome_emails() == []

    published = client.post(f"{base}/outcome/publish")
    assert "2 subscribers have been emailed" in notification(
        client.get(published.headers["Location"])
    )
    emails = outcome_emails()
    assert sorted(m.to_address for m in emails) == ["one@example.org", "two@example.org"]
    assert all(f"/consultations/{consultation.slug}#outcome" in m.body_text for m in emails)
    assert all(m.headers.get("List-Unsubscribe") for m in emails)
    db.session.expire_all()
    stored = db.session.get(Consultation, consultation.id)
    assert stored.outcome_published_at is not None
    assert stored.what_we_heard_html == "<p>We heard <em>a lot</em>.</p>"
    [entry] = audit_entries("consultation.outcome_published")
    assert entry.detail["emails_queued"] == 2

    # Publishing again (a double click) and editing afterwards email nobody.
    again = client.post(f"{base}/outcome/publish", follow_redirects=True)
    assert "already published" in notification(again)
    edited = client.post(f"{base}/outcome", data={"text": "<p>We heard even more.</p>"})
    assert "not emailed again" in notification(client.get(edited.headers["Location"]))
    assert len(outcome_emails()) == 2
    assert (
        db.session.get(Consultation, consultation.id).what_we_heard_html
        == "<p>We heard even more.</p>"
    )
    assert len(audit_entries("consultation.outcome_updated")) == 1
    public = client.get(f"/consultations/{consultation.slug}")
    assert "We heard even more." in main_text(public)
    assert "Outcome" in page(public).select_one("li[aria-current=step]").get_text()


def test_the_outcome_cannot_be_published_while_open_or_blank(client, signed_in, app_ctx):
    consultation = make_consultation()
    subscribe(consultation, "early@example.org")
    signed_in("coordinator")
    base = f"/manage/consultations/{consultation.id}"
    blank = client.post(f"{base}/outcome", data={"text": "<script>only code</script>"})
    assert blank.status_code == 200 and field_error(blank, "text") == "Enter what we heard"
    client.post(f"{base}/outcome", data={"text": "Early thoughts"})
    refused = client.get(f"{base}/outcome/publish")
    assert "once the consultation has closed" in main_text(refused)
    client.post(f"{base}/outcome/publish")
    assert db.session.get(Consultation, consultation.id).outcome_published_at is None
    assert outcome_emails() == []


def test_people_can_subscribe_to_a_consultation_from_its_page(client, app_ctx):
    consultation = make_consultation()
    link = page(client.get(f"/consultations/{consultation.slug}")).find(
        "a", href=f"/subscribe?consultation={consultation.slug}"
    )
    assert link is not None
    form = page(client.get(link["href"]))
    assert (
        form.find("input", attrs={"name": "target_type", "value": "consultation", "checked": True})
        is not None
    )
    response = client.post(
        "/subscribe",
        data={
            "target_type": "consultation",
            "consultation": str(consultation.id),
            "email": "follow@example.org",
            "frequency": "immediate",
        },
    )
    assert response.status_code == 302
    [subscription] = db.session.scalars(
        db.select(Subscription).where(Subscription.email == "follow@example.org")
    )
    assert subscription.target_type == "consultation" and subscription.target_id == consultation.id
    [email] = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.to_address == "follow@example.org")
    )
    assert "Consultation: Designing the SEND enquiries hub" in email.body_text


# --- events -----------------------------------------------------------------------------------


def test_an_event_can_belong_to_a_consultation(client, signed_in, app_ctx):
    from tests.manage.test_events import form_with as event_form

    consultation = make_consultation(title="Hub design")
    signed_in("coordinator")
    form = page(client.get("/manage/events/new"))
    assert "Hub design" in [
        o.get_text(strip=True) for o in form.select("select[name=consultation] option")
    ]
    response = client.post(
        "/manage/events/new",
        data=event_form(title="Hub workshop", consultation=str(consultation.id)),
    )
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event).where(Event.title == "Hub workshop"))
    assert event.consultation_id == consultation.id
    bad = client.post("/manage/events/new", data=event_form(title="Other", consultation="999999"))
    assert field_error(bad, "consultation") == "Select a consultation from the list"
    assert "Hub workshop" in main_text(client.get(f"/consultations/{consultation.slug}"))
