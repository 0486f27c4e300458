"""Email updates about an area, an action or a consultation: double opt-in, one-click
unsubscribe."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

SUBSCRIPTION_TARGETS = ("area", "action", "consultation")


class Subscription(db.Model):
    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint("target_type IN ('area', 'action', 'consultation')", name="target_type"),
        UniqueConstraint("email", "target_type", "target_id", name="uq_subscriptions_email_target"),
        Index("ix_subscriptions_target", "target_type", "target_id"),
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

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
