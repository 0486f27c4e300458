"""Co-production events: when and where, who is coming, and what was said there."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

ATTENDEE_TYPES = ("parent_carer", "young_person", "professional")
REGISTRATION_STATES = ("registered", "waiting", "cancelled")


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]  # UTC
    ends_at: Mapped[datetime]
    # In person: venue and address; online: a link released only to registered people.
    venue: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    step_free: Mapped[bool] = mapped_column(default=False)
    hearing_loop: Mapped[bool] = mapped_column(default=False)
    quiet_room: Mapped[bool] = mapped_column(default=False)
    parking: Mapped[bool] = mapped_column(default=False)
    access_notes: Mapped[str] = mapped_column(Text, default="")
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)  # as in models.surveys
    capacity: Mapped[int]
    # A co-production event can belong to a consultation; it is listed on the consultation's page.
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL"), index=True
    )
    registration_closes_at: Mapped[datetime | None]
    published: Mapped[bool] = mapped_column(default=True)
    cancelled_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="event", order_by="Registration.created_at, Registration.id"
    )

    @property
    def is_online(self) -> bool:
        return bool(self.online_link) and not self.venue


class Registration(db.Model):
    """Personal data: visible only to coordinators and admins, deleted after the event."""

    __tablename__ = "event_registrations"
    __table_args__ = (
        CheckConstraint("state IN ('registered', 'waiting', 'cancelled')", name="state"),
        CheckConstraint(
            "attendee_type IN ('parent_carer', 'young_person', 'professional')",
            name="attendee_type",
        ),
        UniqueConstraint("event_id", "email", name="uq_event_registrations_event_email"),
        Index("ix_event_registrations_event_state", "event_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    attendee_type: Mapped[str] = mapped_column(String(20))
    access_needs: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="registered")
    cancel_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    attended: Mapped[bool | None]
    offered_at: Mapped[datetime | None]  # when a waiting-list place became a place
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="registrations")
