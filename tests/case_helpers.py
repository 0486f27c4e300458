"""Teams and cases for tests: each test builds its own."""

import itertools

from app.domain.thread import cases
from app.domain.thread.contributions import record_contribution
from app.extensions import db
from app.models import Area, Organisation
from tests.conftest import user_for

PRIVATE_TEXT = "My son Jamie at Oakfield has had no school place since March, ring 07700 900123"
FAMILY_EMAIL = "jamie.parent@example.org"
_numbers = itertools.count(1)


def organisation() -> Organisation:
    return db.session.scalar(db.select(Organisation).order_by(Organisation.id))


def team(name: str | None = None, reply_days: int = 10, email: str | None = None):
    number = next(_numbers)
    return cases.add_team(
        user_for("admin"),
        cases.TeamDetails(
            name or f"Casework team {number}",
            organisation().id,
            email or f"team{number}@council.example.gov.uk",
            reply_days,
        ),
    )


def family_feedback(
    text: str = PRIVATE_TEXT, email: str | None = FAMILY_EMAIL, wants_updates: bool = True, area=6
):
    area_row = db.session.scalar(db.select(Area).where(Area.number == area)) if area else None
    contribution = record_contribution(
        "feedback",
        text,
        topic="area-6",
        contact_email=email,
        contact_name="Sam Parent" if email else "",
        wants_updates=wants_updates,
        area_ids=[area_row.id] if area_row else [],
    )
    db.session.commit()
    return contribution


def handed_over(contribution=None, to_team=None, **kwargs):
    contribution = contribution or family_feedback(**kwargs)
    return cases.hand_off(user_for("coordinator"), contribution, (to_team or team()).id)
