""" "You said, we did": what was done with what people said, and its public history."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import LabelledEnum, utcnow

if TYPE_CHECKING:
    from .contributions import Contribution
    from .people import Organisation, User
    from .plan import Action, Area


class WeDidStatus(LabelledEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_POSSIBLE = "not_possible"

    @classmethod
    def _labels(cls):
        return {
            cls.PLANNED: _l("Planned"),
            cls.IN_PROGRESS: _l("In progress"),
            cls.DONE: _l("Done"),
            cls.NOT_POSSIBLE: _l("Not possible"),
        }

    @property
    def tag_colour(self) -> str:
        return {
            "planned": "grey",
            "in_progress": "blue",
            "done": "green",
            "not_possible": "orange",
        }[self.value]


class ApprovalState(LabelledEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.AWAITING_APPROVAL: _l("Awaiting approval"),
            cls.PUBLISHED: _l("Published"),
            cls.WITHDRAWN: _l("Withdrawn"),
        }


response_areas = Table(
    "response_areas",
    db.metadata,
    Column("response_id", ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_response_areas_area_id", "area_id"),
)
response_actions = Table(
    "response_actions",
    db.metadata,
    Column("response_id", ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_response_actions_action_id", "action_id"),
)
response_contributions = Table(
    "response_contributions",
    db.metadata,
    Column("response_id", ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True),
    Column("contribution_id", ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_response_contributions_contribution_id", "contribution_id"),
)


class YouSaidWeDid(db.Model):
    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint(f"status IN ({WeDidStatus.sql_list()})", name="status"),
        CheckConstraint(f"state IN ({ApprovalState.sql_list()})", name="state"),
        Index("ix_responses_state_published_at", "state", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=WeDidStatus.PLANNED.value)
    status_reason: Mapped[str] = mapped_column(Text, default="")  # why, when "not possible"
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=ApprovalState.DRAFT.value)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    # Its texts in other languages, as in models.surveys (see domain.engagement.translations
    # for how a change to them meets the two-person rule).
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)
    withdrawn_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The two-person rule. Every change adds one to `version`, so an approval given on a page
    # opened before the change is refused. `editor_ids` holds everyone who wrote or edited the
    # version not yet approved (none of them may approve it); it empties on approval.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    editor_ids: Mapped[list] = mapped_column(db.JSON, default=list)
    # A change to a published response, waiting for approval: the proposed field values and
    # "what_changed". The published version stays public until the change is approved.
    pending_change: Mapped[dict | None] = mapped_column(db.JSON(none_as_null=True))

    organisation: Mapped["Organisation"] = relationship()
    author: Mapped["User"] = relationship(foreign_keys=[author_id])
    approved_by: Mapped["User | None"] = relationship(foreign_keys=[approved_by_id])
    areas: Mapped[list["Area"]] = relationship(secondary=response_areas, order_by="Area.number")
    actions: Mapped[list["Action"]] = relationship(
        secondary=response_actions, order_by="Action.reference"
    )
    contributions: Mapped[list["Contribution"]] = relationship(secondary=response_contributions)
    revisions: Mapped[list["YouSaidWeDidRevision"]] = relationship(
        back_populates="response",
        order_by="YouSaidWeDidRevision.created_at.desc(), YouSaidWeDidRevision.id.desc()",
    )

    @property
    def status_enum(self) -> WeDidStatus:
        return WeDidStatus(self.status)

    @property
    def state_enum(self) -> ApprovalState:
        return ApprovalState(self.state)


class YouSaidWeDidRevision(db.Model):
    """An edit after publishing: shown publicly as "Updated on …: what changed"."""

    __tablename__ = "response_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(Text)
    previous: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # when it was approved
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    response: Mapped[YouSaidWeDid] = relationship(back_populates="revisions")
    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])
    approved_by: Mapped["User | None"] = relationship(foreign_keys=[approved_by_id])
