"""Announcing openings to subscribers of the areas and actions they are about: a survey or
consultation opening, an event taking bookings. Each thing is announced once ever (the
`announcements` table's unique key): when it is published already open, or — for things
scheduled to open later — by `flask notifications send`, run every few minutes, which notices
what has opened since it last ran.

An event is about the areas and actions of the consultation it belongs to.
"""

from datetime import datetime

from sqlalchemy import exists, or_, select

from ...extensions import db
from ...models import Announcement, Consultation, Event, Survey
from ...models.base import utcnow
from ..mail import updates
from ..surveys.announcing import announce_if_open as announce_survey_if_open
from ..surveys.structure import is_open_clause as survey_open_clause
from .consultations import is_open, is_open_clause
from .events import is_registration_open


def announce_consultation_if_open(consultation: Consultation, now: datetime | None = None) -> bool:
    """In the caller's transaction; True when announced now."""
    if not is_open(consultation, now):
        return False
    return updates.announce_opening(
        "consultation",
        consultation.id,
        area_ids=[area.id for area in consultation.areas],
        action_ids=[action.id for action in consultation.actions],
    )


def announce_event_if_open(event: Event, now: datetime | None = None) -> bool:
    """In the caller's transaction; True when announced now. An event with no consultation is
    about no area or action, so nobody is told, but it counts as announced."""
    if not is_registration_open(event, now):
        return False
    consultation = (
        db.session.get(Consultation, event.consultation_id) if event.consultation_id else None
    )
    if consultation is not None and not consultation.published:
        consultation = None  # never say what a draft consultation is about
    return updates.announce_opening(
        "event",
        event.id,
        area_ids=[area.id for area in consultation.areas] if consultation else [],
        action_ids=[action.id for action in consultation.actions] if consultation else [],
    )


def _not_announced(item_type: str, column):
    return ~exists().where(Announcement.item_type == item_type, Announcement.item_id == column)


def announce_openings(now: datetime | None = None) -> int:
    """Announce every open survey and consultation, and every event taking bookings, that has
    not been announced yet; commit. Returns how many were announced."""
    now = now or utcnow()
    announced = 0
    for survey in db.session.scalars(
        select(Survey)
        .where(survey_open_clause(now), _not_announced("survey", Survey.id))
        .order_by(Survey.id)
    ):
        announced += announce_survey_if_open(survey, now)
    for consultation in db.session.scalars(
        select(Consultation)
        .where(is_open_clause(now), _not_announced("consultation", Consultation.id))
        .order_by(Consultation.id)
    ):
        announced += announce_consultation_if_open(consultation, now)
    for event in db.session.scalars(
        select(Event)
        .where(
            Event.published.is_(True),
            Event.cancelled_at.is_(None),
            Event.starts_at > now,
            or_(Event.registration_closes_at.is_(None), Event.registration_closes_at > now),
            _not_announced("event", Event.id),
        )
        .order_by(Event.id)
    ):
        announced += announce_event_if_open(event, now)
    db.session.commit()
    return announced
