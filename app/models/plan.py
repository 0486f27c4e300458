"""The improvement plan: areas of weakness, the actions meant to fix them, and progress."""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

if TYPE_CHECKING:
    from .people import Organisation, User


class ActionStatus(str, enum.Enum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def tag_colour(self) -> str:
        return STATUS_TAG_COLOURS[self]


STATUS_LABELS = {
    ActionStatus.NOT_STARTED: _l("Not started"),
    ActionStatus.ON_TRACK: _l("On track"),
    ActionStatus.AT_RISK: _l("At risk"),
    ActionStatus.OFF_TRACK: _l("Off track"),
    ActionStatus.COMPLETE: _l("Complete"),
}
STATUS_TAG_COLOURS = {
    ActionStatus.NOT_STARTED: "grey",
    ActionStatus.ON_TRACK: "blue",
    ActionStatus.AT_RISK: "yellow",
    ActionStatus.OFF_TRACK: "red",
    ActionStatus.COMPLETE: "green",
}
STATUS_VALUES = tuple(s.value for s in ActionStatus)
_STATUS_SQL = ", ".join(f"'{v}'" for v in STATUS_VALUES)

action_areas = Table(
    "action_areas",
    db.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_action_areas_area_id", "area_id"),
)


class Area(db.Model):
    """An area of significant weakness found by the inspection."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(300))
    finding: Mapped[str] = mapped_column(Text)
    plain_summary: Mapped[str] = mapped_column(Text, default="")
    young_person_summary: Mapped[str] = mapped_column(Text, default="")
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)  # as in models.surveys
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    actions: Mapped[list["Action"]] = relationship(
        secondary=action_areas, back_populates="areas", order_by="Action.reference"
    )

    def __repr__(self) -> str:
        return f"<Area {self.number}>"


class Action(db.Model):
    """An improvement plan action, e.g. APP-3.2."""

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_SQL})", name="status"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    lead: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(
        String(20), default=ActionStatus.NOT_STARTED.value, index=True
    )
    progress: Mapped[int] = mapped_column(default=0)  # per cent complete
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)  # as in models.surveys
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped["Organisation"] = relationship()
    areas: Mapped[list[Area]] = relationship(
        secondary=action_areas, back_populates="actions", order_by=Area.number
    )
    updates: Mapped[list["ActionUpdate"]] = relationship(
        back_populates="action", order_by="ActionUpdate.created_at.desc(), ActionUpdate.id.desc()"
    )

    @property
    def status_enum(self) -> ActionStatus:
        return ActionStatus(self.status)

    def __repr__(self) -> str:
        return f"<Action {self.reference}>"


class ActionUpdate(db.Model):
    """A progress update; the sequence of these is the action's status history."""

    __tablename__ = "action_updates"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_SQL})", name="status"),
        CheckConstraint(
            f"previous_status IS NULL OR previous_status IN ({_STATUS_SQL})", name="previous_status"
        ),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    previous_status: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)  # as in models.surveys
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped["User | None"] = relationship()

    @property
    def status_enum(self) -> ActionStatus:
        return ActionStatus(self.status)

    @property
    def status_changed(self) -> bool:
        return self.previous_status is not None and self.previous_status != self.status
