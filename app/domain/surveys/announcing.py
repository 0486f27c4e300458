"""Telling subscribers that a survey about their area or action has opened: once, when it is
published already open or opened now by hand; a survey scheduled to open later is announced by
the scheduled `flask notifications send` (engagement/announcements.py) when its time comes."""

from datetime import datetime

from ...models import Survey
from ..mail import updates
from .structure import is_open


def announce_if_open(survey: Survey, now: datetime | None = None) -> bool:
    """In the caller's transaction: announce the survey if it is open now and was never
    announced. True when announced now."""
    if not is_open(survey, now):
        return False
    return updates.announce_opening(
        "survey",
        survey.id,
        area_ids=[area.id for area in survey.areas],
        action_ids=[action.id for action in survey.actions],
    )
