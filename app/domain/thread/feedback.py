""" "Tell us" feedback: one form, one contribution, one transaction."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import Area, Channel, Contribution, ContributionSource
from ..shared.errors import Refused
from .contributions import ABOUT_YOU_FIELDS, record_contribution

MAX_TEXT_LENGTH = 5000
OTHER_TOPIC = "other"
RATINGS = [
    (1, _l("Very poor")),
    (2, _l("Poor")),
    (3, _l("Neither good nor poor")),
    (4, _l("Good")),
    (5, _l("Very good")),
]


def topics() -> list[Area]:
    """The areas of weakness people choose from, in plan order."""
    return list(db.session.scalars(select(Area).order_by(Area.number)))


def topic_value(area: Area) -> str:
    return f"area-{area.number}"


def area_for_topic(topic: str) -> Area | None:
    """The area a topic value points at; None for "something else"; Refused if unknown (the list
    changed since the page was shown, e.g. an area was removed)."""
    if topic == OTHER_TOPIC:
        return None
    prefix, _, number = (topic or "").partition("-")
    if prefix != "area" or not number.isdigit() or len(number) > 6:
        raise Refused(_l("Select what your feedback is about"), field="topic")
    area = db.session.scalar(select(Area).where(Area.number == int(number)))
    if area is None:
        raise Refused(_l("Select what your feedback is about"), field="topic")
    return area


def submit_feedback(
    *,
    topic: str,
    text: str,
    language: str,
    rating: int | None = None,
    about_you: dict | None = None,
    contact_email: str | None = None,
    consent_to_quote: bool = False,
) -> Contribution:
    """Store one piece of feedback and commit.

    The chosen area is linked as a starting point for coding; an email is kept only with
    consent, apart from the text, and deleted after the retention period.
    """
    text = (text or "").strip()
    if not text:
        raise Refused(_l("Enter what happened"), field="text")
    if len(text) > MAX_TEXT_LENGTH:
        raise Refused("Feedback is too long", field="text")  # the form says so first
    if rating is not None and rating not in dict(RATINGS):
        raise Refused(_l("Select a rating from the list, or Prefer not to say"), field="rating")
    area = area_for_topic(topic)
    answers = {k: v for k, v in (about_you or {}).items() if k in ABOUT_YOU_FIELDS and v}
    contribution = record_contribution(
        ContributionSource.FEEDBACK.value,
        text,
        channel=Channel.ONLINE.value,
        language=language,
        topic=topic,
        rating=rating,
        consent_to_quote=consent_to_quote,
        about_you=answers or None,
        contact_email=contact_email or None,
        wants_updates=bool(contact_email),
        area_ids=[area.id] if area else [],
    )
    db.session.commit()
    return contribution
