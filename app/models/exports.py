"""Survey exports built in the background: a staff member asks for a spreadsheet, a worker
builds it, and the file waits in the database (so any web server can send it) until the
retention job deletes it."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db
from .base import LabelledEnum, utcnow
from .people import User
from .surveys import Survey


class ExportState(LabelledEnum):
    QUEUED = "queued"
    WORKING = "working"
    READY = "ready"
    FAILED = "failed"

    @classmethod
    def _labels(cls):
        return {
            cls.QUEUED: _l("Waiting to start"),
            cls.WORKING: _l("Being prepared"),
            cls.READY: _l("Ready"),
            cls.FAILED: _l("Failed"),
        }


class ExportJob(db.Model):
    __tablename__ = "export_jobs"
    __table_args__ = (
        CheckConstraint(f"state IN ({ExportState.sql_list()})", name="state"),
        CheckConstraint("format IN ('xlsx')", name="format"),
        Index("ix_export_jobs_state_created", "state", "created_at"),
        Index("ix_export_jobs_survey_id", "survey_id"),
        Index("ix_export_jobs_requested_by_id", "requested_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(10), default="xlsx")
    # The results filters in force when it was asked for (ResultFilters.active()).
    filters: Mapped[dict] = mapped_column(db.JSON, default=dict)
    # The language of the staff member who asked: headings and labels are written in it.
    language: Mapped[str] = mapped_column(String(10), default="en")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), default=ExportState.QUEUED.value)
    # Each claim by a worker adds one: a worker records its result only if its claim stands.
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # The finished file. Deferred: listing and showing jobs never reads it.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    size: Mapped[int | None]
    response_count: Mapped[int | None]
    error: Mapped[str] = mapped_column(Text, default="")

    survey: Mapped[Survey] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def state_enum(self) -> ExportState:
        return ExportState(self.state)
