"""The contributions inbox: every piece of input, whatever its source, is one contribution."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import LabelledEnum, utcnow

if TYPE_CHECKING:
    from .events import Event
    from .people import User
    from .plan import Action, Area


class ContributionState(LabelledEnum):
    NEW = "new"
    CODED = "coded"
    USED = "used"
    INDIVIDUAL_CASE = "individual_case"
    HIDDEN = "hidden"

    @classmethod
    def _labels(cls):
        return {
            cls.NEW: _l("New"),
            cls.CODED: _l("Coded"),
            cls.USED: _l("Used in a response"),
            cls.INDIVIDUAL_CASE: _l("Individual case"),
            cls.HIDDEN: _l("Hidden"),
        }


class ContributionSource(LabelledEnum):
    FEEDBACK = "feedback"
    SURVEY_ANSWER = "survey_answer"
    SURVEY_RESPONSE = "survey_response"
    COMMENT = "comment"
    EVENT_NOTE = "event_note"
    PAPER = "paper"

    @classmethod
    def _labels(cls):
        return {
            cls.FEEDBACK: _l("Tell us feedback"),
            cls.SURVEY_ANSWER: _l("Survey answer"),
            cls.SURVEY_RESPONSE: _l("Survey response"),
            cls.COMMENT: _l("Consultation comment"),
            cls.EVENT_NOTE: _l("Event note"),
            cls.PAPER: _l("Paper response"),
        }


class Channel(LabelledEnum):
    ONLINE = "online"
    PAPER = "paper"
    EVENT = "event"
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"

    @classmethod
    def _labels(cls):
        return {
            cls.ONLINE: _l("Online"),
            cls.PAPER: _l("Paper"),
            cls.EVENT: _l("At an event"),
            cls.PHONE: _l("Phone"),
            cls.EMAIL: _l("Email"),
            cls.LETTER: _l("Letter"),
            cls.IN_PERSON: _l("In person"),
        }


class Sentiment(LabelledEnum):
    POSITIVE = "positive"
    MIXED = "mixed"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"

    @classmethod
    def _labels(cls):
        return {
            cls.POSITIVE: _l("Positive"),
            cls.MIXED: _l("Mixed"),
            cls.NEGATIVE: _l("Negative"),
            cls.NEUTRAL: _l("Neutral"),
        }


contribution_areas = Table(
    "contribution_areas",
    db.metadata,
    Column("contribution_id", ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_contribution_areas_area_id", "area_id"),
)
contribution_actions = Table(
    "contribution_actions",
    db.metadata,
    Column("contribution_id", ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_contribution_actions_action_id", "action_id"),
)
contribution_themes = Table(
    "contribution_themes",
    db.metadata,
    Column("contribution_id", ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_contribution_themes_theme_id", "theme_id"),
)


class Theme(db.Model):
    """A theme coordinators code contributions to, e.g. "Communication" or "Waiting times"."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SafeguardingPhrase(db.Model):
    """Words that suggest a child may be at risk; a match flags a contribution urgent."""

    __tablename__ = "safeguarding_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AboutYou(db.Model):
    """The optional "About you" answers, used only in aggregate for reach."""

    __tablename__ = "about_you"

    id: Mapped[int] = mapped_column(primary_key=True)
    relationship_to_child: Mapped[str | None] = mapped_column("relationship", String(30))
    district: Mapped[str | None] = mapped_column(String(60), index=True)
    age_group: Mapped[str | None] = mapped_column(String(30))
    need: Mapped[str | None] = mapped_column(String(200))  # codes joined by commas
    setting: Mapped[str | None] = mapped_column(String(40))
    ehc_plan: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Contact(db.Model):
    """Contact details, kept apart from what the person said and deleted after retention."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120), default="")
    wants_updates: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delete_after: Mapped[datetime | None] = mapped_column(index=True)


class Contribution(db.Model):
    __tablename__ = "contributions"
    __table_args__ = (
        CheckConstraint(f"state IN ({ContributionState.sql_list()})", name="state"),
        CheckConstraint(f"source_type IN ({ContributionSource.sql_list()})", name="source_type"),
        CheckConstraint(f"channel IN ({Channel.sql_list()})", name="channel"),
        CheckConstraint(
            f"sentiment IS NULL OR sentiment IN ({Sentiment.sql_list()})", name="sentiment"
        ),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating"),
        Index("ix_contributions_inbox", "safeguarding", "created_at", "id"),
        Index("ix_contributions_state_inbox", "state", "safeguarding", "created_at", "id"),
        Index("ix_contributions_state_id", "state", "id"),
        Index("ix_contributions_source", "source_type", "source_id"),
        Index("ix_contributions_created_at", "created_at"),
        # One contribution per form shown, however often it is sent (see `submission_key`).
        Index("uq_contributions_submission_key", "submission_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    source_type: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int | None]
    topic: Mapped[str] = mapped_column(String(60), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    channel: Mapped[str] = mapped_column(String(10), default=Channel.ONLINE.value)
    state: Mapped[str] = mapped_column(String(20), default=ContributionState.NEW.value)
    rating: Mapped[int | None]
    sentiment: Mapped[str | None] = mapped_column(String(10))
    safeguarding: Mapped[bool] = mapped_column(default=False)
    personal_details: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    consent_to_quote: Mapped[bool] = mapped_column(default=False)
    # The redacted version a coordinator approved for public quoting; the original stays private.
    quote_text: Mapped[str | None] = mapped_column(Text)
    quote_approved_at: Mapped[datetime | None]
    quote_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    about_you_id: Mapped[int | None] = mapped_column(
        ForeignKey("about_you.id", ondelete="SET NULL")
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    coded_at: Mapped[datetime | None]
    coded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Made from the random token of the form it was sent with ("Tell us", staff typing feedback
    # in): the same form sent again finds this contribution rather than storing a second one.
    submission_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    areas: Mapped[list["Area"]] = relationship(secondary=contribution_areas, order_by="Area.number")
    actions: Mapped[list["Action"]] = relationship(
        secondary=contribution_actions, order_by="Action.reference"
    )
    themes: Mapped[list[Theme]] = relationship(secondary=contribution_themes, order_by=Theme.name)
    about_you: Mapped[AboutYou | None] = relationship()
    contact: Mapped[Contact | None] = relationship()
    entry: Mapped["FeedbackEntry | None"] = relationship(
        back_populates="contribution", uselist=False, passive_deletes=True
    )

    @property
    def state_enum(self) -> ContributionState:
        return ContributionState(self.state)

    @property
    def source_enum(self) -> ContributionSource:
        return ContributionSource(self.source_type)

    @property
    def channel_enum(self) -> Channel:
        return Channel(self.channel)


class FeedbackEntry(db.Model):
    """ "Tell us" feedback that reached staff by phone, email, letter, in person or at an event and
    that they typed in: the day it reached us (the family's wait counts from then), who typed it
    in, the event it was given at, and that the person agreed to it being recorded. What they
    said, and any contact details, are on the contribution like any other feedback."""

    __tablename__ = "feedback_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), unique=True
    )
    received_on: Mapped[date]
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    agreed_to_record: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contribution: Mapped[Contribution] = relationship(back_populates="entry")
    entered_by: Mapped["User | None"] = relationship()
    event: Mapped["Event | None"] = relationship()
