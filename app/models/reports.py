"""The assurance board's report for a period, published and frozen."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class PublishedReport(db.Model):
    """A board report as it was published: its period and its figures with suppression already
    applied (JSON), so later data never changes it. Who published it is kept for the audit and
    staff; the public page says only when."""

    __tablename__ = "published_reports"
    __table_args__ = (CheckConstraint("period_end >= period_start", name="period_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)  # "2026-Q3", or dates
    period_start: Mapped[date]
    period_end: Mapped[date]  # included
    figures: Mapped[dict] = mapped_column(db.JSON)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
