"""Email updates about an area, an action or a consultation: double opt-in, one-click
unsubscribe, "as it happens" or "a weekly summary"."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

SUBSCRIPTION_TARGETS = ("area", "action", "consultation")
# How often a subscriber hears: each update as it happens, or one summary a week.
FREQUENCIES = ("immediate", "weekly")
# What an update is about (see domain/mail/updates.py).
UPDATE_KINDS = (
    "action_update",
    "response_published",
    "survey_opened",
    "consultation_opened",
    "event_opened",
)
ANNOUNCED_TYPES = ("survey", "consultation", "event")


class Subscription(db.Model):
    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint("target_type IN ('area', 'action', 'consultation')", name="target_type"),
        UniqueConstraint("email", "target_type", "target_id", name="uq_subscriptions_email_target"),
        Index("ix_subscriptions_target", "target_type", "target_id"),
        CheckConstraint("frequency IN ('immediate', 'weekly')", name="frequency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    # The confirmation token is stored hashed (it proves the address); the unsubscribe token
    # only ever stops emails, and every email must carry it, so it is kept as issued.
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    frequency: Mapped[str] = mapped_column(String(10), default="immediate")
    # The language of the page the person subscribed on; their emails are written in it.
    language: Mapped[str | None] = mapped_column(String(10))

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class PendingUpdate(db.Model):
    """An update waiting for a weekly subscriber's next summary (`digest_id` is set once sent)."""

    __tablename__ = "subscription_updates"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('action_update', 'response_published', 'survey_opened', "
            "'consultation_opened', 'event_opened')",
            name="kind",
        ),
        Index("ix_subscription_updates_waiting", "subscription_id", "digest_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    item_id: Mapped[int]  # the action update, response, survey, consultation or event
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscription_digests.id", ondelete="SET NULL"), index=True
    )


class Digest(db.Model):
    """One weekly summary sent to one subscriber: at most one per ISO week (Europe/London)."""

    __tablename__ = "subscription_digests"
    __table_args__ = (
        UniqueConstraint("subscription_id", "week", name="uq_subscription_digests_week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(8))  # e.g. "2026-W49"
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class Announcement(db.Model):
    """A survey, consultation or event whose opening has been announced to subscribers, so it
    is announced once whoever notices first (publishing, or the scheduled command)."""

    __tablename__ = "announcements"
    __table_args__ = (
        CheckConstraint("item_type IN ('survey', 'consultation', 'event')", name="item_type"),
        UniqueConstraint("item_type", "item_id", name="uq_announcements_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_type: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int]
    announced_at: Mapped[datetime] = mapped_column(default=utcnow)
