"""Updates that reach subscribers: which change tells whom, now or in the weekly summary, once."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.domain.engagement.announcements import announce_openings
from app.domain.mail import notifications, updates
from app.domain.plan.areas_and_actions import post_progress_update
from app.domain.surveys import builder
from app.extensions import db
from app.models import (
    Action,
    Announcement,
    ApprovalState,
    Area,
    Consultation,
    Digest,
    Event,
    Organisation,
    OutboxMessage,
    PendingUpdate,
    Subscription,
    Survey,
    SurveyQuestion,
    SurveySection,
    WeDidStatus,
    YouSaidWeDid,
)
from app.models.base import utcnow

from ..conftest import user_for

# A Tuesday in December (GMT) and the same hour a week later.
TUESDAY = datetime(2026, 12, 8, 10, 0)


@pytest.fixture
def request_ctx(app, app_ctx):
    with app.test_request_context("/"):
        yield


def area(number: int) -> Area:
    return db.session.scalar(db.select(Area).where(Area.number == number))


def action(reference: str) -> Action:
    return db.session.scalar(db.select(Action).where(Action.reference == reference))


def subscribe(
    email: str, target, *, frequency="immediate", confirmed=True, language=None
) -> Subscription:
    kind = "area" if isinstance(target, Area) else "action"
    subscription = Subscription(
        email=email,
        target_type=kind,
        target_id=target.id,
        unsubscribe_token=f"tok-{email}-{kind}-{target.id}",
        confirmed_at=utcnow() if confirmed else None,
        frequency=frequency,
        language=language,
    )
    db.session.add(subscription)
    db.session.flush()
    return subscription


def emails_to(address: str, kind: str | None = None) -> list[OutboxMessage]:
    query = db.select(OutboxMessage).where(OutboxMessage.to_address == address)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def pending_for(subscription: Subscription) -> list[PendingUpdate]:
    return list(
        db.session.scalars(
            db.select(PendingUpdate).where(
                PendingUpdate.subscription_id == subscription.id,
                PendingUpdate.digest_id.is_(None),
            )
        )
    )


def progress(reference: str, status: str = "at_risk", note: str = "The hub opens late."):
    return post_progress_update(
        user_for("officer"), action(reference), status=status, progress=40, note=note
    )


def response(*, state=ApprovalState.PUBLISHED.value, areas=(), actions=()) -> YouSaidWeDid:
    found = YouSaidWeDid(
        title="Letters in plain English",
        you_said="Letters were hard to read.",
        we_did="We rewrote them.",
        status=WeDidStatus.DONE.value,
        organisation=db.session.scalar(db.select(Organisation).order_by(Organisation.id)),
        author=user_for("officer"),
        state=state,
        published_at=utcnow() if state == ApprovalState.PUBLISHED.value else None,
        areas=list(areas),
        actions=list(actions),
    )
    db.session.add(found)
    db.session.flush()
    return found


# --- an action's progress ---------------------------------------------------------------------


def test_a_progress_update_emails_as_it_happens_and_keeps_weekly_ones_for_the_summary(
    request_ctx,
):
    hub = action("APP-1.1")
    its_area = hub.areas[0]
    now = subscribe("now@example.org", its_area)  # an area's subscribers hear about its actions
    weekly = subscribe("weekly@example.org", hub, frequency="weekly")
    unconfirmed = subscribe("unconfirmed@example.org", hub, confirmed=False)
    elsewhere = subscribe("elsewhere@example.org", action("APP-6.1"))

    update = progress("APP-1.1")

    [email] = emails_to("now@example.org")
    assert email.kind == "subscriber_update"
    assert "APP-1.1" in email.body_text and "At risk" in email.body_text
    assert "The hub opens late." in email.body_text
    assert "http://localhost/actions/APP-1.1" in email.body_text
    assert f"http://localhost/subscribe/settings/{now.unsubscribe_token}" in email.body_text
    assert email.headers["List-Unsubscribe"] == (
        f"<http://localhost/subscribe/unsubscribe/{now.unsubscribe_token}>"
    )
    assert emails_to("weekly@example.org") == []
    assert [(p.kind, p.item_id) for p in pending_for(weekly)] == [("action_update", update.id)]
    for nobody in (unconfirmed, elsewhere):
        assert emails_to(nobody.email) == [] and pending_for(nobody) == []


def test_someone_following_an_action_and_its_area_gets_one_email(request_ctx):
    hub = action("APP-1.1")
    subscribe("both@example.org", hub)
    subscribe("both@example.org", hub.areas[0])
    progress("APP-1.1")
    assert len(emails_to("both@example.org")) == 1


def test_the_email_is_in_the_language_the_person_subscribed_in(request_ctx, app):
    subscribe("polski@example.org", action("APP-1.1"), language="pl")
    progress("APP-1.1")
    [email] = emails_to("polski@example.org")
    from flask_babel import force_locale
    from flask_babel import gettext as _

    with force_locale("pl"):
        expected = _("%(service)s: an update you asked for", service=app.config["SERVICE_NAME"])
    assert email.subject == expected


# --- responses --------------------------------------------------------------------------------


def test_a_published_response_tells_subscribers_of_its_actions_areas(request_ctx):
    hub = action("APP-1.1")
    subscribe("area@example.org", hub.areas[0])
    weekly = subscribe("weekly@example.org", hub, frequency="weekly")
    published = response(actions=[hub])
    notifications.response_published(published)
    [email] = emails_to("area@example.org", "subscriber_update")
    assert published.title in email.body_text
    assert [(p.kind, p.item_id) for p in pending_for(weekly)] == [
        ("response_published", published.id)
    ]


def test_drafts_and_withdrawn_things_never_tell_anyone(request_ctx):
    hub = action("APP-1.1")
    subscribe("now@example.org", hub)
    weekly = subscribe("weekly@example.org", hub, frequency="weekly")
    draft = response(state=ApprovalState.DRAFT.value, actions=[hub])
    assert updates.tell_subscribers("response_published", draft.id, action_ids=[hub.id]) == 0
    assert emails_to("now@example.org") == [] and pending_for(weekly) == []

    # Published, kept for the weekly summary, then withdrawn before the summary is written.
    published = response(actions=[hub])
    updates.tell_subscribers("response_published", published.id, action_ids=[hub.id])
    assert len(pending_for(weekly)) == 1
    published.state = ApprovalState.WITHDRAWN.value
    db.session.flush()
    assert updates.send_digests(TUESDAY) == 0
    assert emails_to("weekly@example.org") == []
    assert pending_for(weekly) == []  # dropped, never to be sent


# --- the weekly summary -----------------------------------------------------------------------


def test_the_summary_is_sent_once_a_week_however_often_the_command_runs(request_ctx):
    hub = action("APP-1.1")
    weekly = subscribe("weekly@example.org", hub, frequency="weekly")
    first = progress("APP-1.1", note="First news.")
    second = progress("APP-1.1", status="on_track", note="Second news.")
    assert len(pending_for(weekly)) == 2

    assert [updates.send_digests(TUESDAY + timedelta(hours=h)) for h in (0, 1, 30)] == [1, 0, 0]
    [summary] = emails_to("weekly@example.org")
    assert summary.kind == "subscriber_digest"
    assert "First news." in summary.body_text and "Second news." in summary.body_text
    assert f"/subscribe/settings/{weekly.unsubscribe_token}" in summary.body_text
    assert summary.headers["List-Unsubscribe"].endswith(f"/{weekly.unsubscribe_token}>")
    assert pending_for(weekly) == []
    assert first.id != second.id

    # Something new the same week waits for the next week.
    progress("APP-1.1", note="Third news.")
    assert updates.send_digests(TUESDAY + timedelta(days=4)) == 0  # Saturday, same ISO week
    next_week = TUESDAY + timedelta(days=7)
    assert [updates.send_digests(next_week) for _ in range(3)] == [1, 0, 0]
    latest = emails_to("weekly@example.org")[-1]
    assert "Third news." in latest.body_text and "First news." not in latest.body_text

    # An empty week sends nothing.
    assert updates.send_digests(TUESDAY + timedelta(days=14)) == 0
    assert len(emails_to("weekly@example.org")) == 2


def test_the_week_is_the_iso_week_in_london():
    # Sunday 23:30 UTC in summer is already Monday in London: the next week.
    assert updates.iso_week(datetime(2026, 6, 7, 23, 30)) == "2026-W24"
    assert updates.iso_week(datetime(2026, 6, 7, 22, 30)) == "2026-W23"


def test_the_database_refuses_a_second_summary_in_a_week(request_ctx):
    weekly = subscribe("weekly@example.org", action("APP-1.1"), frequency="weekly")
    db.session.add(Digest(subscription_id=weekly.id, week="2026-W50"))
    db.session.flush()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Digest(subscription_id=weekly.id, week="2026-W50"))
        db.session.flush()


def test_nobody_with_nothing_pending_gets_a_summary(request_ctx):
    subscribe("weekly@example.org", action("APP-1.1"), frequency="weekly")
    assert updates.send_digests(TUESDAY) == 0
    assert emails_to("weekly@example.org") == []


# --- openings ---------------------------------------------------------------------------------


def survey(*, status="published", opens_at=None, areas=()) -> Survey:
    found = Survey(
        slug=f"updates-survey-{len(areas)}-{status}",
        title="Short breaks: what works",
        summary="",
        status=status,
        opens_at=opens_at,
        areas=list(areas),
    )
    db.session.add(found)
    db.session.flush()
    return found


def test_a_scheduled_survey_is_announced_once_when_it_opens(request_ctx):
    six = area(6)
    subscribe("now@example.org", six)
    weekly = subscribe("weekly@example.org", six, frequency="weekly")
    later = utcnow() + timedelta(days=2)
    scheduled = survey(opens_at=later, areas=[six])
    hidden = survey(status="draft", opens_at=utcnow() - timedelta(days=1), areas=[six])

    announce_openings(utcnow())
    assert emails_to("now@example.org") == []

    for _ in range(3):
        announce_openings(later + timedelta(minutes=5))
    [email] = emails_to("now@example.org")
    assert scheduled.title in email.body_text
    assert f"http://localhost/surveys/{scheduled.slug}" in email.body_text
    assert [(p.kind, p.item_id) for p in pending_for(weekly)] == [("survey_opened", scheduled.id)]
    assert not db.session.scalar(
        db.select(Announcement.id).where(
            Announcement.item_type == "survey", Announcement.item_id == hidden.id
        )
    )


def test_publishing_a_survey_that_is_open_at_once_announces_it_then(request_ctx):
    six = area(6)
    subscribe("now@example.org", six)
    draft = survey(status="draft", areas=[six])
    section = SurveySection(survey=draft, title="Questions", position=1)
    db.session.add(SurveyQuestion(section=section, survey=draft, kind="short_text", text="Why?"))
    db.session.flush()
    builder.publish(user_for("coordinator"), draft, None, None)
    assert len(emails_to("now@example.org")) == 1
    announce_openings(utcnow() + timedelta(minutes=1))
    assert len(emails_to("now@example.org")) == 1


def test_a_consultation_and_its_event_are_announced_to_its_areas_subscribers(request_ctx):
    six = area(6)
    subscribe("now@example.org", six)
    now = utcnow()
    consultation = Consultation(
        slug="updates-consultation",
        title="Transport to school",
        summary="",
        published=True,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=30),
        areas=[six],
    )
    db.session.add(consultation)
    db.session.flush()
    event = Event(
        title="Transport drop-in",
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=10, hours=2),
        capacity=20,
        venue="Library",
        consultation_id=consultation.id,
    )
    cancelled = Event(
        title="Cancelled drop-in",
        starts_at=now + timedelta(days=11),
        ends_at=now + timedelta(days=11, hours=2),
        capacity=20,
        venue="Library",
        consultation_id=consultation.id,
        cancelled_at=now,
    )
    db.session.add_all([event, cancelled])
    db.session.flush()

    announce_openings(now)
    announce_openings(now)
    bodies = [m.body_text for m in emails_to("now@example.org")]
    assert len(bodies) == 2
    assert any(
        "Transport to school" in b and "/consultations/updates-consultation" in b for b in bodies
    )
    assert any("Transport drop-in" in b and f"/events/{event.id}" in b for b in bodies)
    assert not any("Cancelled drop-in" in b for b in bodies)


def test_the_commands_run(app, app_ctx):
    runner = app.test_cli_runner()
    sent = runner.invoke(args=["notifications", "send"])
    assert sent.exit_code == 0, sent.output
    assert "Announced" in sent.output
    digest = runner.invoke(args=["notifications", "digest"])
    assert digest.exit_code == 0, digest.output
    assert "weekly summar" in digest.output


def test_retention_forgets_sent_updates_and_old_summaries_but_not_what_waits(request_ctx):
    from app.domain.people.retention import run_retention

    weekly = subscribe("weekly@example.org", action("APP-1.1"), frequency="weekly")
    progress("APP-1.1", note="Sent.")
    updates.send_digests(TUESDAY)
    progress("APP-1.1", note="Waiting.")
    run_retention(TUESDAY + timedelta(days=100))
    assert db.session.scalar(db.select(db.func.count()).select_from(Digest)) == 0
    [waiting] = db.session.scalars(
        db.select(PendingUpdate).where(PendingUpdate.subscription_id == weekly.id)
    )
    assert waiting.digest_id is None


def test_a_refused_progress_update_tells_nobody(request_ctx):
    from app.domain.shared.errors import Refused

    subscribe("now@example.org", action("APP-1.1"))
    with pytest.raises(Refused):
        post_progress_update(
            user_for("officer"), action("APP-1.1"), status="nonsense", progress=10, note=""
        )
    db.session.rollback()
    assert emails_to("now@example.org") == []


def test_changing_to_weekly_on_the_subscription_page_holds_the_next_update(request_ctx):
    from app.domain.mail import subscriptions

    found = subscribe("switch@example.org", action("APP-1.1"))
    subscriptions.change_frequency(found.unsubscribe_token, "weekly")
    update = progress("APP-1.1")
    assert emails_to("switch@example.org") == []
    assert [(p.kind, p.item_id) for p in pending_for(found)] == [("action_update", update.id)]
    # Back to "as it happens": what is waiting still goes in the next summary.
    subscriptions.change_frequency(found.unsubscribe_token, "immediate")
    assert updates.send_digests(TUESDAY) == 1
    assert [m.kind for m in emails_to("switch@example.org")] == ["subscriber_digest"]
