"""Individual cases: a contribution about one family's own situation, handed to a team who
acknowledge it, reply and close it. Every step is kept (who, when) as the case's timeline."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import LabelledEnum, utcnow

if TYPE_CHECKING:
    from .contributions import Contribution
    from .outbox import OutboxMessage
    from .people import Organisation, User


class CaseState(LabelledEnum):
    PASSED_ON = "passed_on"
    ACKNOWLEDGED = "acknowledged"
    REPLIED = "replied"
    CLOSED = "closed"

    @classmethod
    def _labels(cls):
        return {
            cls.PASSED_ON: _l("Passed on"),
            cls.ACKNOWLEDGED: _l("Acknowledged"),
            cls.REPLIED: _l("Replied"),
            cls.CLOSED: _l("Closed"),
        }


class CaseStep(LabelledEnum):
    """One entry of a case's timeline."""

    PASSED_ON = "passed_on"
    ACKNOWLEDGED = "acknowledged"
    REPLIED = "replied"
    CLOSED = "closed"
    REOPENED = "reopened"

    @classmethod
    def _labels(cls):
        return {
            cls.PASSED_ON: _l("Passed on"),
            cls.ACKNOWLEDGED: _l("Acknowledged"),
            cls.REPLIED: _l("Replied"),
            cls.CLOSED: _l("Closed"),
            cls.REOPENED: _l("Reopened"),
        }


class ReplyMethod(LabelledEnum):
    EMAIL = "email"
    PHONE = "phone"
    LETTER = "letter"
    IN_PERSON = "in_person"

    @classmethod
    def _labels(cls):
        return {
            cls.EMAIL: _l("Email from this service"),
            cls.PHONE: _l("Phone call"),
            cls.LETTER: _l("Letter"),
            cls.IN_PERSON: _l("In person"),
        }


class Team(db.Model):
    """A team that takes individual cases, with the shared address it is emailed at."""

    __tablename__ = "teams"
    __table_args__ = (CheckConstraint("reply_days >= 1 AND reply_days <= 60", name="reply_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    email: Mapped[str] = mapped_column(String(254))
    reply_days: Mapped[int] = mapped_column(default=10)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    organisation: Mapped["Organisation"] = relationship()


class Case(db.Model):
    """One per contribution. `due_on` is the target reply day (working days from the latest
    hand-off); `answered_on` the local day of the first reply, so "answered within target" is a
    comparison the database makes."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(f"state IN ({CaseState.sql_list()})", name="state"),
        Index("ix_cases_open", "state", "team_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(20), default=CaseState.PASSED_ON.value)
    passed_on_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_on: Mapped[date]
    answered_at: Mapped[datetime | None]
    answered_on: Mapped[date | None]
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contribution: Mapped["Contribution"] = relationship()
    team: Mapped[Team] = relationship()
    assigned_to: Mapped["User | None"] = relationship()
    events: Mapped[list["CaseEvent"]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    replies: Mapped[list["CaseReply"]] = relationship(
        back_populates="case", order_by="CaseReply.id", cascade="all, delete-orphan"
    )

    @property
    def state_enum(self) -> CaseState:
        return CaseState(self.state)

    @property
    def is_open(self) -> bool:
        return self.state != CaseState.CLOSED.value


class CaseEvent(db.Model):
    """A step in a case's timeline: who did what, when (and to which team, for a hand-off)."""

    __tablename__ = "case_events"
    __table_args__ = (CheckConstraint(f"kind IN ({CaseStep.sql_list()})", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    team: Mapped[Team | None] = relationship()
    by: Mapped["User | None"] = relationship()

    @property
    def kind_enum(self) -> CaseStep:
        return CaseStep(self.kind)


class CaseReply(db.Model):
    """A reply to the family: sent by email through the outbox, or made another way and
    recorded. The text may hold personal details, so it is blanked at `delete_after` (the
    contact details' retention) by the retention job; who and when stay."""

    __tablename__ = "case_replies"
    __table_args__ = (CheckConstraint(f"method IN ({ReplyMethod.sql_list()})", name="method"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    delete_after: Mapped[datetime | None] = mapped_column(index=True)
    text_removed_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(back_populates="replies")
    by: Mapped["User | None"] = relationship()
    outbox_message: Mapped["OutboxMessage | None"] = relationship()

    @property
    def method_enum(self) -> ReplyMethod:
        return ReplyMethod(self.method)
