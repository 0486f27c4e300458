"""Service-design consultations: background, dated stages, proposals and people's comments."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import LabelledEnum, utcnow

if TYPE_CHECKING:
    from .plan import Action, Area
    from .surveys import Survey


class Stage(LabelledEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    REVIEWING = "reviewing"
    OUTCOME = "outcome"

    @classmethod
    def _labels(cls):
        return {
            cls.UPCOMING: _l("Upcoming"),
            cls.OPEN: _l("Open"),
            cls.REVIEWING: _l("Reviewing"),
            cls.OUTCOME: _l("Outcome"),
        }


class Moderation(LabelledEnum):
    PRE = "pre"  # nothing public until a moderator approves it
    POST = "post"  # public at once, reportable by anyone

    @classmethod
    def _labels(cls):
        return {
            cls.PRE: _l("Pre-moderation: comments are public only after approval"),
            cls.POST: _l("Post-moderation: comments are public at once and can be reported"),
        }


class CommentState(LabelledEnum):
    PENDING = "pending"  # waiting for a moderator (pre-moderation, or held for safeguarding)
    PUBLISHED = "published"
    HIDDEN = "hidden"  # shown as "Hidden by a moderator: <reason>"

    @classmethod
    def _labels(cls):
        return {
            cls.PENDING: _l("Waiting for moderation"),
            cls.PUBLISHED: _l("Published"),
            cls.HIDDEN: _l("Hidden"),
        }


consultation_areas = Table(
    "consultation_areas",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_consultation_areas_area_id", "area_id"),
)
consultation_actions = Table(
    "consultation_actions",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_consultation_actions_action_id", "action_id"),
)


class Consultation(db.Model):
    """Stages follow the dates (upcoming before opens_at, open until closes_at, then reviewing,
    outcome once "What we heard" is published) unless a coordinator set `stage_override`."""

    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint(f"moderation IN ({Moderation.sql_list()})", name="moderation"),
        CheckConstraint(
            f"stage_override IS NULL OR stage_override IN ({Stage.sql_list()})",
            name="stage_override",
        ),
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    background_html: Mapped[str] = mapped_column(Text, default="")  # sanitised with bleach on save
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)  # as in models.surveys
    survey_id: Mapped[int | None] = mapped_column(
        ForeignKey("surveys.id", ondelete="SET NULL"), index=True
    )
    moderation: Mapped[str] = mapped_column(String(10), default=Moderation.PRE.value)
    published: Mapped[bool] = mapped_column(default=False)
    opens_at: Mapped[datetime]  # UTC
    closes_at: Mapped[datetime]
    outcome_due_at: Mapped[datetime | None]  # when people can expect the outcome
    stage_override: Mapped[str | None] = mapped_column(String(20))
    what_we_heard_html: Mapped[str] = mapped_column(Text, default="")  # sanitised
    outcome_published_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    survey: Mapped["Survey | None"] = relationship()
    proposals: Mapped[list["Proposal"]] = relationship(
        back_populates="consultation", order_by="Proposal.position", cascade="all, delete-orphan"
    )
    areas: Mapped[list["Area"]] = relationship(secondary=consultation_areas, order_by="Area.number")
    actions: Mapped[list["Action"]] = relationship(
        secondary=consultation_actions, order_by="Action.reference"
    )


class Proposal(db.Model):
    """A proposal or option people comment on."""

    __tablename__ = "consultation_proposals"
    __table_args__ = (
        Index("ix_consultation_proposals_consultation_position", "consultation_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)

    consultation: Mapped[Consultation] = relationship(back_populates="proposals")


class Comment(db.Model):
    """Never deleted: a hidden comment keeps its text privately and shows the reason publicly."""

    __tablename__ = "consultation_comments"
    __table_args__ = (
        CheckConstraint(f"state IN ({CommentState.sql_list()})", name="state"),
        Index("ix_consultation_comments_public", "consultation_id", "state", "created_at", "id"),
        Index("ix_consultation_comments_proposal", "proposal_id", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="RESTRICT")
    )
    # RESTRICT: a proposal people commented on is not deleted from under their comments.
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_proposals.id", ondelete="RESTRICT")
    )
    display_name: Mapped[str] = mapped_column(
        String(100), default=""
    )  # empty: shown as "Anonymous"
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10), default="en")
    consent_to_publish: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(20), default=CommentState.PENDING.value)
    safeguarding: Mapped[bool] = mapped_column(default=False)  # never public
    moderation_reason: Mapped[str] = mapped_column(Text, default="")
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderated_at: Mapped[datetime | None]
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship()
    proposal: Mapped[Proposal | None] = relationship()
    reports: Mapped[list["CommentReport"]] = relationship(
        back_populates="comment", order_by="CommentReport.created_at", cascade="all, delete-orphan"
    )


class CommentReport(db.Model):
    """Anyone can report a published comment with a reason; moderators resolve reports."""

    __tablename__ = "consultation_comment_reports"
    __table_args__ = (Index("ix_consultation_comment_reports_open", "resolved_at", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_comments.id", ondelete="CASCADE")
    )
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    comment: Mapped[Comment] = relationship(back_populates="reports")
