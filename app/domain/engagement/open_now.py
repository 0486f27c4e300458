"""Open engagement: the surveys and consultations taking part right now, for the home page and
for the area and action pages they are linked to."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from ...extensions import db
from ...models import (
    Consultation,
    Stage,
    Survey,
    SurveyStatus,
    consultation_actions,
    consultation_areas,
    survey_actions,
    survey_areas,
)
from ...models.base import utcnow
from ..shared.wording import localised


@dataclass
class OpenActivity:
    kind: str  # "survey" or "consultation"
    slug: str
    title: str
    summary: str
    closes_at: datetime | None


def _linked(query, model, areas_table, actions_table, key: str, area_id, action_id):
    if area_id is not None:
        query = query.where(
            model.id.in_(select(areas_table.c[key]).where(areas_table.c.area_id == area_id))
        )
    if action_id is not None:
        query = query.where(
            model.id.in_(select(actions_table.c[key]).where(actions_table.c.action_id == action_id))
        )
    return query


def _open_surveys(now: datetime):
    """`surveys.phase(...) == OPEN`, written in SQL."""
    return (
        Survey.status == SurveyStatus.PUBLISHED.value,
        Survey.opens_at <= now,
        or_(Survey.closes_at.is_(None), Survey.closes_at > now),
    )


def _open_consultations(now: datetime):
    """`consultations.current_stage(...) == OPEN` for a published consultation, written in SQL."""
    return (
        Consultation.published.is_(True),
        or_(
            Consultation.stage_override == Stage.OPEN.value,
            (Consultation.stage_override.is_(None))
            & (Consultation.opens_at <= now)
            & (Consultation.closes_at > now)
            & Consultation.outcome_published_at.is_(None),
        ),
    )


def open_counts() -> tuple[int, int]:
    """(open surveys, open consultations), counted by the database."""
    now = utcnow()
    return (
        db.session.scalar(select(func.count()).select_from(Survey).where(*_open_surveys(now))) or 0,
        db.session.scalar(
            select(func.count()).select_from(Consultation).where(*_open_consultations(now))
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
    surveys = _linked(
        db.select(Survey).where(*_open_surveys(now)),
        Survey,
        survey_areas,
        survey_actions,
        "survey_id",
        area_id,
        action_id,
    )
    consultations = _linked(
        db.select(Consultation).where(*_open_consultations(now)),
        Consultation,
        consultation_areas,
        consultation_actions,
        "consultation_id",
        area_id,
        action_id,
    )
    found = [
        OpenActivity(
            "survey",
            s.slug,
            localised(s, "title", language),
            localised(s, "summary", language),
            s.closes_at,
        )
        for s in db.session.scalars(surveys.order_by(Survey.closes_at, Survey.id).limit(limit))
    ] + [
        OpenActivity(
            "consultation",
            c.slug,
            localised(c, "title", language),
            localised(c, "summary", language),
            c.closes_at,
        )
        for c in db.session.scalars(
            consultations.order_by(Consultation.closes_at, Consultation.id).limit(limit)
        )
    ]
    found.sort(key=lambda a: (a.closes_at is None, a.closes_at or now))
    return found[:limit]
