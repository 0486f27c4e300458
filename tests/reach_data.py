"""Participations built for reach tests, dated in 2031 so the demo data never falls in the
period a test counts."""

import itertools
import secrets
from datetime import date, datetime, timedelta

from app.extensions import db
from app.models import (
    AboutYou,
    Channel,
    Comment,
    Consultation,
    Contribution,
    ContributionSource,
    Event,
    ReachBaseline,
    Registration,
    Survey,
    SurveyResponse,
)

PERIOD = (date(2031, 1, 1), date(2031, 3, 31))
IN_PERIOD = datetime(2031, 2, 10, 12, 0)
BEFORE = datetime(2030, 12, 31, 23, 30)  # 31 December 2030, 11:30pm in London
_numbers = itertools.count(1)


def _ref() -> str:
    return secrets.token_hex(6).upper()


def survey(title: str = "Reach test survey", **values) -> Survey:
    n = next(_numbers)
    found = Survey(slug=f"reach-test-{n}-{secrets.token_hex(3)}", title=f"{title} {n}", **values)
    db.session.add(found)
    db.session.flush()
    return found


def consultation(title: str = "Reach test consultation", **values) -> Consultation:
    n = next(_numbers)
    values.setdefault("opens_at", datetime(2031, 1, 1))
    values.setdefault("closes_at", datetime(2031, 6, 1))
    found = Consultation(
        slug=f"reach-consultation-{n}-{secrets.token_hex(3)}", title=f"{title} {n}", **values
    )
    db.session.add(found)
    db.session.flush()
    return found


def event(title: str = "Reach test event", starts_at: datetime = IN_PERIOD, **values) -> Event:
    found = Event(
        title=f"{title} {next(_numbers)}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=100,
        venue="Hall",
        **values,
    )
    db.session.add(found)
    db.session.flush()
    return found


def response(of: Survey, at: datetime = IN_PERIOD, **about) -> SurveyResponse:
    found = SurveyResponse(survey_id=of.id, reference=_ref(), submitted_at=at, **about)
    db.session.add(found)
    db.session.flush()
    return found


def feedback(at: datetime = IN_PERIOD, channel: str = Channel.ONLINE.value, language="en", **about):
    answers = AboutYou(**about) if about else None
    if answers:
        db.session.add(answers)
        db.session.flush()
    found = Contribution(
        reference=_ref(),
        source_type=ContributionSource.FEEDBACK.value,
        text="Feedback",
        channel=channel,
        language=language,
        about_you_id=answers.id if answers else None,
        created_at=at,
    )
    db.session.add(found)
    db.session.flush()
    return found


def comment(on: Consultation, at: datetime = IN_PERIOD, language: str = "en") -> Comment:
    found = Comment(consultation_id=on.id, text="A comment", language=language, created_at=at)
    db.session.add(found)
    db.session.flush()
    return found


def place(at: Event, state: str = "registered", attendee_type="parent_carer", attended=None):
    found = Registration(
        event_id=at.id,
        name="Someone",
        email=f"{secrets.token_hex(4)}@example.com",
        attendee_type=attendee_type,
        state=state,
        cancel_token_hash=secrets.token_hex(32),
        attended=attended,
    )
    db.session.add(found)
    db.session.flush()
    return found


def baseline(dimension: str, code: str, share: float, source: str = "Test source"):
    found = db.session.scalar(
        db.select(ReachBaseline).where(
            ReachBaseline.dimension == dimension, ReachBaseline.group_code == code
        )
    )
    if found is None:
        found = ReachBaseline(dimension=dimension, group_code=code)
        db.session.add(found)
    found.share = share
    found.source = source
    found.as_of = date(2030, 1, 1)
    db.session.flush()
    return found


def clear_baselines() -> None:
    db.session.execute(db.delete(ReachBaseline))
    db.session.flush()
