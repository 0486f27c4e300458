""" "Tell us" feedback: one form, one contribution, one transaction."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import (
    Area,
    Channel,
    Contribution,
    ContributionSource,
    Event,
    FeedbackEntry,
    User,
)
from ...models.base import utcnow
from ..people import audit
from ..shared.dates import past_date_problem
from ..shared.errors import Problems, Refused
from . import about_you as about_you_answers
from .contributions import record_contribution, store_once, stored_contribution

MAX_TEXT_LENGTH = 5000
OTHER_TOPIC = "other"
RATINGS = [
    (1, _l("Very poor")),
    (2, _l("Poor")),
    (3, _l("Neither good nor poor")),
    (4, _l("Good")),
    (5, _l("Very good")),
]
# The same points in a young person's words, shown with the faces scale.
YOUNG_PERSON_RATINGS = [
    (1, _l("Really bad")),
    (2, _l("Bad")),
    (3, _l("OK")),
    (4, _l("Good")),
    (5, _l("Really good")),
]


@dataclass(frozen=True)
class Topic:
    """A plain-language choice for what feedback is about. Parents choose what happened to them,
    not an inspection heading; the configured areas are linked as the starting point for coding."""

    value: str
    label: str
    hint: str
    young_person_label: str = ""  # spoken to a young person; the label when empty
    young_person_hint: str | None = None  # the hint when None

    def label_for(self, young_person: bool = False) -> str:
        return (young_person and self.young_person_label) or self.label

    def hint_for(self, young_person: bool = False) -> str:
        if young_person and self.young_person_hint is not None:
            return self.young_person_hint
        return self.hint


# Written once, here; the areas each starts from are configuration (FEEDBACK_TOPIC_AREAS, by area
# number), so another local area maps them to its own areas of weakness.
TOPICS = (
    Topic(
        "ehc_plan",
        _l("Getting an EHC plan"),
        _l("Asking for an assessment, the plan itself, annual reviews"),
        _l("My EHC plan"),
        _l("Getting one, what it says, and its reviews"),
    ),
    Topic(
        "health",
        _l("Health services and waiting times"),
        _l("For example therapy, mental health or autism and ADHD assessments"),
        _l("Health services and waiting"),
        _l("For example therapy, help with your mental health, or autism and ADHD assessments"),
    ),
    Topic(
        "school",
        _l("School and support"),
        _l("Getting the right support at nursery, school or college, or finding a place"),
        _l("School, college and support"),
        _l("Getting the right help where you learn, or finding a place"),
    ),
    Topic(
        "moving_on",
        _l("Moving on after school"),
        _l("College, training, work and moving to adult services"),
        _l("What happens after school"),
        _l("College, training, work, and moving to services for adults"),
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


# How feedback reaches staff, in the order they are offered; online feedback is typed by the
# person themselves.
STAFF_ENTRY_CHANNELS = (
    Channel.PHONE.value,
    Channel.EMAIL.value,
    Channel.LETTER.value,
    Channel.IN_PERSON.value,
    Channel.EVENT.value,
)
# Feedback older than this is refused: a reply could no longer be timely, and the wait it adds
# to the loop metrics would mislead. Contact details are kept for as long (CONTACT_RETENTION_DAYS).
OLDEST_RECEIVED_DAYS = 365


@dataclass(frozen=True)
class StaffEntry:
    """What staff add when they type in feedback someone gave them: who is typing, how and when
    it reached us, the event it was given at (if any), and that the person agreed to it being
    recorded."""

    entered_by: User
    channel: str
    received_on: date | None
    agreed_to_record: bool
    event_id: int | None = None


def entry_problems(entry: StaffEntry) -> Problems:
    """Every problem with how and when the feedback reached us, found at once."""
    problems = Problems()
    if entry.channel not in STAFF_ENTRY_CHANNELS:
        problems.add("channel", _l("Select how the feedback reached you"))
    if entry.received_on is None:
        problems.add("received_on", _l("Enter the date it was received"))
    else:
        problem = past_date_problem(
            entry.received_on, str(_l("Date received")), OLDEST_RECEIVED_DAYS
        )
        if problem:
            problems.add("received_on", problem)
    if (
        entry.channel == Channel.EVENT.value
        and entry.event_id is not None
        and db.session.get(Event, entry.event_id) is None
    ):
        problems.add("event", _l("Select the event from the list"))
    if not entry.agreed_to_record:
        problems.add(
            "agreed_to_record", _l("Confirm that they agreed to their feedback being recorded")
        )
    return problems


def events_to_name() -> list[Event]:
    """Events feedback may have been given at: those that started within the oldest day feedback
    may have been received, newest first (a cancelled one included: people may still have said
    something about it)."""
    now = utcnow()
    since = now - timedelta(days=OLDEST_RECEIVED_DAYS + 1)
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.starts_at >= since, Event.starts_at <= now)
            .order_by(Event.starts_at.desc(), Event.id.desc())
        )
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
    contact_name: str = "",
    entry: StaffEntry | None = None,
    submission_key: str | None = None,
) -> Contribution:
    """Store one piece of feedback and commit.

    The areas the topic maps to are linked as a starting point for coding. An email address is
    given only to hear back, so giving one is the consent to be contacted about this feedback; it
    is kept apart from the text and deleted after the retention period.

    Feedback that reached staff another way (`entry`) follows the same rules, and the same
    safeguarding check flags it urgent; it also needs the channel, the day it reached us and the
    person's agreement to it being recorded, and who typed it in is audited.

    The same `submission_key` (one per form shown) gives back the contribution already stored:
    a form sent twice is stored, emailed about and audited once.
    """
    problems = entry_problems(entry) if entry is not None else Problems()
    text = (text or "").strip()
    if not text:
        problems.add("text", _l("Enter what happened"))
    elif len(text) > MAX_TEXT_LENGTH:
        problems.add("text", "Feedback is too long")  # the form says so first
    if rating is not None and rating not in dict(RATINGS):
        problems.add("rating", _l("Select a rating from the list, or Prefer not to say"))
    try:
        areas = areas_for_topic(topic)
    except Refused as refused:
        problems.items.extend(refused.problems)
    problems.raise_if_any()
    answers = about_you_answers.clean(about_you)

    def build() -> Contribution:
        contribution = record_contribution(
            ContributionSource.FEEDBACK.value,
            text,
            channel=entry.channel if entry is not None else Channel.ONLINE.value,
            language=language,
            topic=topic,
            rating=rating,
            consent_to_quote=consent_to_quote,
            about_you=answers or None,
            contact_email=contact_email or None,
            contact_name=contact_name or "",
            wants_updates=bool(contact_email),
            area_ids=[area.id for area in areas],
            submission_key=submission_key,
        )
        if entry is not None:
            _record_entry(contribution, entry)
        return contribution

    return store_once(build, lambda: stored_contribution(submission_key))


def _record_entry(contribution: Contribution, entry: StaffEntry) -> None:
    event_id = entry.event_id if entry.channel == Channel.EVENT.value else None
    contribution.entry = FeedbackEntry(
        received_on=entry.received_on,
        event_id=event_id,
        entered_by_id=entry.entered_by.id,
        agreed_to_record=True,
    )
    db.session.flush()
    audit.record(
        "feedback.entered",
        contribution,
        actor=entry.entered_by,
        summary=f"{entry.channel} feedback {contribution.reference}",
        detail={
            "channel": entry.channel,
            "received_on": entry.received_on.isoformat(),
            "event": event_id,
            "agreed_to_record": True,
        },
    )
