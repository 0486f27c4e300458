"""Outcome measures on plan actions: what an action should change, its values over time, and
every correction of a value (the earlier value is kept, so the public history can say so)."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import LabelledEnum, utcnow

if TYPE_CHECKING:
    from .people import User
    from .plan import Action


class MeasureUnit(LabelledEnum):
    PERCENTAGE = "percentage"
    NUMBER = "number"
    DAYS = "days"
    WEEKS = "weeks"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PERCENTAGE: _l("Percentage"),
            cls.NUMBER: _l("Number"),
            cls.DAYS: _l("Days"),
            cls.WEEKS: _l("Weeks"),
        }


class BetterDirection(LabelledEnum):
    HIGHER = "higher"
    LOWER = "lower"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.HIGHER: _l("Higher is better"), cls.LOWER: _l("Lower is better")}


class Measure(db.Model):
    """An outcome measure of an action, judged against the straight line from its baseline to
    its target (the rule is in app/domain/plan/measures.py)."""

    __tablename__ = "measures"
    __table_args__ = (
        CheckConstraint(f"unit IN ({MeasureUnit.sql_list()})", name="unit"),
        CheckConstraint(f"better IN ({BetterDirection.sql_list()})", name="better"),
        UniqueConstraint("action_id", "name", name="uq_measures_action_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20))
    better: Mapped[str] = mapped_column(String(10))
    baseline_value: Mapped[float] = mapped_column(Float)
    baseline_date: Mapped[date] = mapped_column(Date)
    target_value: Mapped[float] = mapped_column(Float)
    target_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300), default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    action: Mapped["Action"] = relationship()
    values: Mapped[list["MeasureValue"]] = relationship(
        back_populates="measure",
        order_by="MeasureValue.measured_on",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def unit_enum(self) -> MeasureUnit:
        return MeasureUnit(self.unit)

    @property
    def better_enum(self) -> BetterDirection:
        return BetterDirection(self.better)

    def __repr__(self) -> str:
        return f"<Measure {self.id} {self.name!r}>"


class MeasureValue(db.Model):
    """One value of a measure: at most one for each date."""

    __tablename__ = "measure_values"
    __table_args__ = (
        UniqueConstraint("measure_id", "measured_on", name="uq_measure_values_measure_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    measure: Mapped[Measure] = relationship(back_populates="values")
    recorded_by: Mapped["User | None"] = relationship()
    corrections: Mapped[list["MeasureCorrection"]] = relationship(
        back_populates="measure_value",
        order_by="MeasureCorrection.corrected_at, MeasureCorrection.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class MeasureCorrection(db.Model):
    """A value changed after it was recorded: what it was, what it became, why, who and when."""

    __tablename__ = "measure_corrections"
    __table_args__ = (Index("ix_measure_corrections_value_id", "measure_value_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_value_id: Mapped[int] = mapped_column(
        ForeignKey("measure_values.id", ondelete="CASCADE")
    )
    previous_value: Mapped[float] = mapped_column(Float)
    new_value: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)

    measure_value: Mapped[MeasureValue] = relationship(back_populates="corrections")
    corrected_by: Mapped["User | None"] = relationship()
