"""Reach baselines: the share of the population each group makes up (the share of Kent's children
with EHC plans who live in Dover, say), against which the share of participants is compared."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

if TYPE_CHECKING:
    from .people import User


class ReachBaseline(db.Model):
    """One group's share of the population, in per cent, for one reach dimension.

    `group_code` is the code the "about you" questions store (a district's name, "5-10",
    "special_school"), a channel or a language code.
    """

    __tablename__ = "reach_baselines"
    __table_args__ = (
        UniqueConstraint("dimension", "group_code", name="uq_reach_baselines_dimension_group"),
        CheckConstraint("share >= 0 AND share <= 100", name="share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dimension: Mapped[str] = mapped_column(String(30))
    group_code: Mapped[str] = mapped_column(String(60))
    share: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300), default="")
    as_of: Mapped[date | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    updated_by: Mapped["User | None"] = relationship()
