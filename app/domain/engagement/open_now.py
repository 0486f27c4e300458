"""Open engagement: the surveys and consultations taking part right now, for the home page and
for the area and action pages they are linked to."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    Consultation,
    Survey,
    consultation_actions,
    consultation_areas,
    survey_actions,
    survey_areas,
)
from ...models.base import utcnow
from ..shared.records import linked
from ..shared.wording import worded
from ..surveys.structure import is_open_clause as survey_is_open
from .consultations import is_open_clause as consultation_is_open


@dataclass
class OpenActivity:
    kind: str  # "survey" or "consultation"
    slug: str
    title: str
    summary: str
    closes_at: datetime | None


def open_counts() -> tuple[int, int]:
    """(open surveys, open consultations), counted by the database."""
    now = utcnow()
    return (
        db.session.scalar(select(func.count()).select_from(Survey).where(survey_is_open(now))) or 0,
        db.session.scalar(
            select(func.count()).select_from(Consultation).where(consultation_is_open(now))
        )
        or 0,
    )


def open_activities(
    language: str = "en",
    *,
    area_id: int | None = None,
    action_id: int | None = None,
    limit: int = 6,
) -> list[OpenActivity]:
    """Open surveys and consultations, closing soonest first; two queries whatever the data."""
    now = utcnow()
    surveys = db.select(Survey).where(
        survey_is_open(now),
        *linked(
            Survey.id,
            (survey_areas.c.survey_id, survey_areas.c.area_id, area_id),
            (survey_actions.c.survey_id, survey_actions.c.action_id, action_id),
        ),
    )
    consultations = db.select(Consultation).where(
        consultation_is_open(now),
        *linked(
            Consultation.id,
            (consultation_areas.c.consultation_id, consultation_areas.c.area_id, area_id),
            (consultation_actions.c.consultation_id, consultation_actions.c.action_id, action_id),
        ),
    )
    found = [
        OpenActivity(
            "survey",
            s.slug,
            worded(s, "title", language),
            worded(s, "summary", language),
            s.closes_at,
        )
        for s in db.session.scalars(surveys.order_by(Survey.closes_at, Survey.id).limit(limit))
    ] + [
        OpenActivity(
            "consultation",
            c.slug,
            worded(c, "title", language),
            worded(c, "summary", language),
            c.closes_at,
        )
        for c in db.session.scalars(
            consultations.order_by(Consultation.closes_at, Consultation.id).limit(limit)
        )
    ]
    found.sort(key=lambda a: (a.closes_at is None, a.closes_at or now))
    return found[:limit]
