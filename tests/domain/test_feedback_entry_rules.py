"""Feedback staff typed in: the day it reached us is the day the family's wait counts from (loop
metrics, the reply date), and the rules a day received must meet."""

from datetime import date, datetime, timedelta

import pytest

from app.domain.shared.dates import local_today, past_date_problem
from app.domain.shared.errors import Refused
from app.domain.thread import feedback, metrics
from app.extensions import db
from app.models import AuditEntry, FeedbackEntry

from ..conftest import user_for
from .test_publishing import area, contribution, published


@pytest.fixture(autouse=True)
def req(app):
    with app.test_request_context():
        yield


BASE = datetime(2027, 1, 1, 9, 0)


def test_loop_metrics_count_from_the_day_typed_in_feedback_reached_us(app_ctx):
    officer, admin = user_for("officer"), user_for("admin")
    six = area(6)
    online = contribution(areas=[six], state="coded", created_at=BASE)
    # A letter that arrived on 1 January but was typed in ten days later.
    letter = contribution(areas=[six], state="coded", created_at=BASE + timedelta(days=10))
    letter.channel = "letter"
    db.session.add(
        FeedbackEntry(
            contribution_id=letter.id,
            received_on=date(2027, 1, 1),
            entered_by_id=officer.id,
            agreed_to_record=True,
        )
    )
    db.session.commit()
    response = published(officer, admin, [online.id, letter.id], area_ids=[six.id])
    response.published_at = BASE + timedelta(days=20)
    db.session.commit()
    result = metrics.loop_metrics(area_id=six.id)
    # The online one waited 20 days; the letter 20 days and 9 hours (from the start of 1 January
    # in London): the median is between. Counted from when it was typed in, the letter would
    # have waited 10 days.
    assert result.used == 2
    assert result.median_days == pytest.approx(20 + 9 / 48, abs=0.01)


def test_a_day_received_is_not_in_the_future_nor_over_a_year_old(app_ctx):
    today = local_today()
    assert past_date_problem(today, "Date received", 365) is None
    assert past_date_problem(today - timedelta(days=365), "Date received", 365) is None
    assert past_date_problem(today + timedelta(days=1), "Date received", 365) == (
        "Date received must be today or in the past"
    )
    assert past_date_problem(today - timedelta(days=366), "Date received", 365).startswith(
        "Date received must be the same as or after "
    )


def entry(**changes) -> feedback.StaffEntry:
    values = {
        "entered_by": user_for("coordinator"),
        "channel": "letter",
        "received_on": local_today(),
        "agreed_to_record": True,
    }
    values.update(changes)
    return feedback.StaffEntry(**values)


def test_the_domain_refuses_every_problem_at_once_and_stores_nothing(app_ctx):
    before = db.session.scalar(db.select(db.func.count()).select_from(FeedbackEntry))
    with pytest.raises(Refused) as refused:
        feedback.submit_feedback(
            topic="nonsense",
            text="",
            language="en",
            entry=entry(channel="online", received_on=None, agreed_to_record=False),
        )
    assert [field for field, _message in refused.value.problems] == [
        "channel",
        "received_on",
        "agreed_to_record",
        "text",
        "topic",
    ]
    after = db.session.scalar(db.select(db.func.count()).select_from(FeedbackEntry))
    assert after == before


def test_the_domain_stores_the_entry_and_audits_it(app_ctx):
    coordinator = user_for("coordinator")
    stored = feedback.submit_feedback(
        topic="school",
        text="A letter about a school place.",
        language="pl",
        entry=entry(entered_by=coordinator),
        submission_key="k" * 64,
    )
    assert (stored.channel, stored.language, stored.entry.entered_by_id) == (
        "letter",
        "pl",
        coordinator.id,
    )
    again = feedback.submit_feedback(
        topic="school",
        text="A letter about a school place.",
        language="pl",
        entry=entry(entered_by=coordinator),
        submission_key="k" * 64,
    )
    assert again.id == stored.id
    audits = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "feedback.entered")
    ).all()
    assert len(audits) == 1 and audits[0].actor_id == coordinator.id


def test_online_feedback_has_no_entry_and_counts_from_when_it_was_sent(app_ctx):
    stored = feedback.submit_feedback(topic="health", text="Waiting two years.", language="en")
    assert stored.entry is None and stored.channel == "online"


def test_the_events_to_name_are_past_ones_within_the_year(app_ctx):
    from app.models.base import utcnow
    from tests.domain.test_event_registration import make_event

    now = utcnow()
    recent = make_event(title="Recent", starts_at=now - timedelta(days=3), ends_at=now)
    make_event(title="Next week")
    make_event(
        title="Long ago",
        starts_at=now - timedelta(days=400),
        ends_at=now - timedelta(days=400) + timedelta(hours=1),
    )
    titles = [event.title for event in feedback.events_to_name()]
    assert "Recent" in titles and "Next week" not in titles and "Long ago" not in titles
    assert recent in feedback.events_to_name()
