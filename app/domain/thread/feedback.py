""" "Tell us" feedback: one form, one contribution, one transaction."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import Area, Channel, Contribution, ContributionSource
from ..shared.errors import Refused
from . import about_you as about_you_answers
from .contributions import record_contribution

MAX_TEXT_LENGTH = 5000
OTHER_TOPIC = "other"
RATINGS = [
    (1, _l("Very poor")),
    (2, _l("Poor")),
    (3, _l("Neither good nor poor")),
    (4, _l("Good")),
    (5, _l("Very good")),
]


@dataclass(frozen=True)
class Topic:
    """A plain-language choice for what feedback is about. Parents choose what happened to them,
    not an inspection heading; the configured areas are linked as the starting point for coding."""

    value: str
    label: str
    hint: str


# Written once, here; the areas each starts from are configuration (FEEDBACK_TOPIC_AREAS, by area
# number), so another local area maps them to its own areas of weakness.
TOPICS = (
    Topic(
        "ehc_plan",
        _l("Getting an EHC plan"),
        _l("Asking for an assessment, the plan itself, annual reviews"),
    ),
    Topic(
        "health",
        _l("Health services and waiting times"),
        _l("For example therapy, mental health or autism and ADHD assessments"),
    ),
    Topic(
        "school",
        _l("School and support"),
        _l("Getting the right support at nursery, school or college, or finding a place"),
    ),
    Topic(
        "moving_on",
        _l("Moving on after school"),
        _l("College, training, work and moving to adult services"),
    ),
    Topic(OTHER_TOPIC, _l("Something else"), ""),
)


def topics() -> tuple[Topic, ...]:
    """The choices people see, in order; "Something else" last."""
    return TOPICS


def topic_label(value: str) -> str:
    """What a stored topic means in words, for staff reading the inbox ("" when not a topic)."""
    for topic in TOPICS:
        if topic.value == value:
            return str(topic.label)
    return value or ""


def areas_for_topic(value: str) -> list[Area]:
    """The areas a topic starts coding from. Refused when the value is not one of the topics (a
    changed page, or a hand-made request)."""
    if value not in {topic.value for topic in TOPICS}:
        raise Refused(_l("Select what your feedback is about"), field="topic")
    numbers = current_app.config.get("FEEDBACK_TOPIC_AREAS", {}).get(value, ())
    if not numbers:
        return []
    return list(
        db.session.scalars(select(Area).where(Area.number.in_(numbers)).order_by(Area.number))
    )


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

    The areas the topic maps to are linked as a starting point for coding. An email address is
    given only to hear back, so giving one is the consent to be contacted about this feedback; it
    is kept apart from the text and deleted after the retention period.
    """
    text = (text or "").strip()
    if not text:
        raise Refused(_l("Enter what happened"), field="text")
    if len(text) > MAX_TEXT_LENGTH:
        raise Refused("Feedback is too long", field="text")  # the form says so first
    if rating is not None and rating not in dict(RATINGS):
        raise Refused(_l("Select a rating from the list, or Prefer not to say"), field="rating")
    areas = areas_for_topic(topic)
    answers = about_you_answers.clean(about_you)
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
        area_ids=[area.id for area in areas],
    )
    db.session.commit()
    return contribution
