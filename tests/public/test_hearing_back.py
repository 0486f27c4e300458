"""Updates that reach people, as they meet them: how often on /subscribe and on a
subscription's own page; an email left with survey answers or a comment to hear what happened,
kept apart, used once per publication, deleted by retention and by erasure."""

from datetime import timedelta

import pytest

from app.domain.engagement import moderation
from app.domain.mail import notifications
from app.domain.people import data_rights
from app.domain.people.retention import run_retention
from app.extensions import db
from app.models import (
    ApprovalState,
    Area,
    Comment,
    Contact,
    Contribution,
    Moderation,
    Organisation,
    OutboxMessage,
    PendingUpdate,
    Subscription,
    SurveyResponse,
    WeDidStatus,
    YouSaidWeDid,
)
from app.models.base import utcnow
from tests.conftest import user_for
from tests.domain.test_consultations import make_consultation
from tests.helpers import error_summary, heading, main_text, page
from tests.public.test_consultations import comment_data
from tests.survey_helpers import Demo, answer_to_check


def area(number: int) -> Area:
    return db.session.scalar(db.select(Area).where(Area.number == number))


def contact_id(email: str) -> int | None:
    return db.session.scalar(db.select(Contact.id).where(Contact.email == email))


def emails_to(address: str, kind: str | None = None) -> list[OutboxMessage]:
    query = db.select(OutboxMessage).where(OutboxMessage.to_address == address)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def subscription(email: str, *, frequency="immediate", unsubscribed=False) -> Subscription:
    found = Subscription(
        email=email,
        target_type="area",
        target_id=area(2).id,
        unsubscribe_token=f"settings-{email}",
        confirmed_at=utcnow(),
        unsubscribed_at=utcnow() if unsubscribed else None,
        frequency=frequency,
    )
    db.session.add(found)
    db.session.commit()
    return found


def publish_response_citing(app, contributions) -> YouSaidWeDid:
    response = YouSaidWeDid(
        title="A named caseworker for every family",
        you_said="Families asked for one person to talk to.",
        we_did="Every family now has a named caseworker.",
        status=WeDidStatus.DONE.value,
        organisation=db.session.scalar(db.select(Organisation).order_by(Organisation.id)),
        author=user_for("officer"),
        state=ApprovalState.PUBLISHED.value,
        published_at=utcnow(),
        contributions=list(contributions),
    )
    db.session.add(response)
    db.session.flush()
    with app.test_request_context("/"):
        notifications.response_published(response)
    db.session.commit()
    return response


# --- how often ----------------------------------------------------------------------------------


def test_subscribe_asks_how_often_and_remembers_the_language(client, app_ctx):
    form = page(client.get("/subscribe"))
    radios = form.find_all("input", attrs={"name": "frequency"})
    assert [r["value"] for r in radios] == ["immediate", "weekly"]
    assert not any(r.has_attr("checked") for r in radios)  # nothing chosen in advance

    missing = client.post(
        "/subscribe",
        data={"target_type": "area", "area": str(area(2).id), "email": "often@example.org"},
    )
    assert error_summary(missing) == ["Choose how often you want emails"]

    sent = client.post(
        "/subscribe",
        data={
            "target_type": "area",
            "area": str(area(2).id),
            "email": "often@example.org",
            "frequency": "weekly",
        },
        headers={"Accept-Language": "pl-PL,pl;q=0.9"},
    )
    assert sent.status_code == 302
    stored = db.session.scalar(
        db.select(Subscription).where(Subscription.email == "often@example.org")
    )
    assert (stored.frequency, stored.language) == ("weekly", "pl")


def test_the_subscription_page_changes_how_often(client, app_ctx):
    found = subscription("change@example.org")
    url = f"/subscribe/settings/{found.unsubscribe_token}"
    shown = client.get(url)
    assert shown.status_code == 200
    assert shown.headers["Cache-Control"] == "no-store"
    assert heading(shown) == "Your email updates"
    soup = page(shown)
    assert soup.find("input", attrs={"name": "frequency", "checked": True}) is None
    assert "Now you get an email each time something changes." in main_text(shown)
    assert soup.find("form", action=f"/subscribe/unsubscribe/{found.unsubscribe_token}")

    changed = client.post(url, data={"frequency": "weekly"}, follow_redirects=True)
    assert "You will get a weekly summary." in main_text(changed)
    assert "Now you get a weekly summary" in main_text(changed)
    db.session.refresh(found)
    assert found.frequency == "weekly"

    forged = client.post(url, data={"frequency": "hourly"})
    assert forged.status_code == 200
    assert error_summary(forged) == ["Choose how often you want emails"]
    db.session.refresh(found)
    assert found.frequency == "weekly"


def test_an_unknown_or_stopped_subscription(client, app_ctx):
    assert client.get("/subscribe/settings/no-such-token").status_code == 404
    assert (
        client.post("/subscribe/settings/no-such-token", data={"frequency": "weekly"}).status_code
        == 404
    )
    stopped = subscription("stopped@example.org", unsubscribed=True)
    url = f"/subscribe/settings/{stopped.unsubscribe_token}"
    assert "You have unsubscribed" in main_text(client.get(url))
    refused = client.post(url, data={"frequency": "weekly"})
    assert refused.status_code == 200
    db.session.refresh(stopped)
    assert stopped.frequency == "immediate"


# --- survey answers -----------------------------------------------------------------------------


@pytest.fixture
def demo(app_ctx) -> Demo:
    return Demo.create()


def test_check_answers_offers_an_optional_email_to_hear_what_happened(client, demo):
    answer_to_check(client, demo)
    shown = page(client.get(f"{demo.base}/check-answers"))
    field = shown.find("input", attrs={"name": "email"})
    assert field is not None and not field.has_attr("required")
    hint = main_text(shown)
    assert "You can leave this empty" in hint and "delete it after 365 days" in hint

    wrong = client.post(f"{demo.base}/check-answers", data={"email": "not an address"})
    assert wrong.status_code == 200
    assert error_summary(wrong) == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert db.session.scalar(db.select(db.func.count()).select_from(SurveyResponse)) == 0

    sent = client.post(f"{demo.base}/check-answers", data={"email": " Parent@Example.org "})
    assert sent.status_code == 302
    [response] = db.session.scalars(db.select(SurveyResponse))
    contributions = list(
        db.session.scalars(
            db.select(Contribution)
            .where(Contribution.contact_id.is_not(None))
            .where(Contribution.source_type.in_(("survey_response", "survey_answer")))
        )
    )
    assert len(contributions) >= 2  # the whole response and its written answers
    [contact] = {c.contact for c in contributions}
    assert contact.email == "parent@example.org" and contact.wants_updates
    assert contact.delete_after > utcnow() + timedelta(days=364)
    assert "parent@example.org" not in " ".join(c.text for c in contributions)

    # A response that cites two of their answers: one email.
    publish_response_citing(client.application, contributions[:2])
    [email] = emails_to("parent@example.org")
    assert email.kind == "contributor_update"
    assert "A named caseworker for every family" in email.body_text


def test_leaving_the_email_empty_stores_no_contact(client, demo):
    answer_to_check(client, demo)
    assert client.post(f"{demo.base}/check-answers", data={"email": ""}).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(SurveyResponse)) == 1
    assert not db.session.scalars(
        db.select(Contribution).where(
            Contribution.source_type.in_(("survey_response", "survey_answer")),
            Contribution.contact_id.is_not(None),
        )
    ).all()


# --- comments -----------------------------------------------------------------------------------


def test_a_commenter_hears_once_when_what_we_heard_is_published(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    db.session.commit()
    url = f"/consultations/{consultation.slug}/comments"
    form = page(client.get(f"/consultations/{consultation.slug}"))
    assert form.find("input", attrs={"name": "email"}) is not None
    for text in ("The bus is always late.", "And nobody answers the phone."):
        sent = client.post(
            url, data=comment_data(client.application, text=text, email="carer@example.org")
        )
        assert sent.status_code == 302
    client.post(url, data=comment_data(client.application, text="No email from me."))
    comments = list(
        db.session.scalars(db.select(Comment).where(Comment.consultation_id == consultation.id))
    )
    assert len(comments) == 3
    public = main_text(client.get(f"/consultations/{consultation.slug}/comments"))
    assert "The bus is always late." in public and "carer@example.org" not in public

    subscriber = Subscription(
        email="follower@example.org",
        target_type="consultation",
        target_id=consultation.id,
        unsubscribe_token="follow-consultation",
        confirmed_at=utcnow(),
    )
    db.session.add(subscriber)
    db.session.flush()
    with client.application.test_request_context("/"):
        queued = notifications.consultation_outcome_published(consultation)
    db.session.commit()
    assert queued == 2
    [to_commenter] = emails_to("carer@example.org")
    assert to_commenter.kind == "commenter_update"
    assert consultation.title in to_commenter.body_text
    assert f"/consultations/{consultation.slug}#outcome" in to_commenter.body_text
    [to_follower] = emails_to("follower@example.org")
    assert to_follower.kind == "consultation_outcome"
    assert "/subscribe/settings/follow-consultation" in to_follower.body_text


def test_a_response_citing_a_comment_tells_the_commenter(client, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    with client.application.test_request_context("/"):
        comment = moderation.record_comment(
            consultation,
            text="Please tell us who to ring.",
            consent_to_publish=True,
            contact_email="ring@example.org",
        )
    contribution = db.session.get(Contribution, comment.contribution_id)
    assert contribution.contact.email == "ring@example.org"
    publish_response_citing(client.application, [contribution])
    assert len(emails_to("ring@example.org", "contributor_update")) == 1


# --- keeping and erasing ------------------------------------------------------------------------


def test_retention_deletes_the_emails_and_keeps_the_words(client, app, app_ctx):
    consultation = make_consultation(moderation=Moderation.POST.value)
    comment = moderation.record_comment(
        consultation,
        text="Keep my words.",
        consent_to_publish=True,
        contact_email="old@example.org",
    )
    days = app.config["CONTACT_RETENTION_DAYS"]
    run_retention(utcnow() + timedelta(days=days - 1))
    assert contact_id("old@example.org") is not None
    run_retention(utcnow() + timedelta(days=days + 1))
    assert (
        db.session.scalar(db.select(Contact.id).where(Contact.email == "old@example.org")) is None
    )
    contribution = db.session.get(Contribution, comment.contribution_id)
    assert contribution.contact_id is None and contribution.text == "Keep my words."


def test_erasure_removes_the_email_and_the_subscription_with_what_it_was_waiting_for(
    client, app, app_ctx
):
    consultation = make_consultation(moderation=Moderation.POST.value)
    moderation.record_comment(
        consultation, text="Erase me.", consent_to_publish=True, contact_email="erase@example.org"
    )
    weekly = subscription("erase@example.org", frequency="weekly")
    db.session.add(PendingUpdate(subscription_id=weekly.id, kind="action_update", item_id=1))
    db.session.commit()
    held = data_rights.find("erase@example.org", actor=user_for("admin"))
    assert len(held.contacts) == 1 and len(held.subscriptions) == 1
    data_rights.erase(
        "erase@example.org",
        what_they_said=data_rights.KEEP_ANONYMOUSLY,
        reason="The person asked",
        actor=user_for("admin"),
    )
    assert (
        db.session.scalar(db.select(Contact.id).where(Contact.email == "erase@example.org")) is None
    )
    assert (
        db.session.scalar(
            db.select(Subscription.id).where(Subscription.email == "erase@example.org")
        )
        is None
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(PendingUpdate)) == 0
