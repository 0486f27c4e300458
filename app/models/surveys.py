"""Surveys: the questions coordinators ask, and the responses people give.

Every text a respondent reads is a column in English plus `translations`, a JSON object of
variants: a language code ("pl", "ur"), "yp" for young-person wording, or "<code>-yp" for
young-person wording in a language, each mapping a field name to its text. See
`domain.survey_texts` for the order in which variants are tried.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import LabelledEnum, utcnow
from .contributions import Channel

if TYPE_CHECKING:
    from .plan import Action, Area


class SurveyStatus(LabelledEnum):
    """Draft surveys are seen only by staff; published ones follow their open and close dates."""

    DRAFT = "draft"
    PUBLISHED = "published"

    @classmethod
    def _labels(cls):
        return {cls.DRAFT: _l("Draft"), cls.PUBLISHED: _l("Published")}


class QuestionKind(LabelledEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    RATING = "rating"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"

    @classmethod
    def _labels(cls):
        return {
            cls.SHORT_TEXT: _l("Short text"),
            cls.LONG_TEXT: _l("Long text"),
            cls.SINGLE_CHOICE: _l("Single choice"),
            cls.MULTIPLE_CHOICE: _l("Multiple choice"),
            cls.RATING: _l("Rating scale"),
            cls.YES_NO: _l("Yes or no"),
            cls.NUMBER: _l("Number"),
            cls.DATE: _l("Date"),
        }

    @property
    def has_options(self) -> bool:
        """Answers are one or more of the question's options (yes/no has two fixed ones)."""
        return self in (
            QuestionKind.SINGLE_CHOICE,
            QuestionKind.MULTIPLE_CHOICE,
            QuestionKind.RATING,
            QuestionKind.YES_NO,
        )

    @property
    def is_free_text(self) -> bool:
        return self in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


survey_areas = Table(
    "survey_areas",
    db.metadata,
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_survey_areas_area_id", "area_id"),
)
survey_actions = Table(
    "survey_actions",
    db.metadata,
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_survey_actions_action_id", "action_id"),
)
question_areas = Table(
    "survey_question_areas",
    db.metadata,
    Column("question_id", ForeignKey("survey_questions.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_survey_question_areas_area_id", "area_id"),
)
question_actions = Table(
    "survey_question_actions",
    db.metadata,
    Column("question_id", ForeignKey("survey_questions.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_survey_question_actions_action_id", "action_id"),
)


class Survey(db.Model):
    __tablename__ = "surveys"
    __table_args__ = (
        CheckConstraint(f"status IN ({SurveyStatus.sql_list()})", name="status"),
        CheckConstraint(
            "closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at",
            name="closes_after_opening",
        ),
        CheckConstraint("estimated_minutes >= 1", name="estimated_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")  # who it is for
    use_of_answers: Mapped[str] = mapped_column(Text, default="")  # what happens with the answers
    estimated_minutes: Mapped[int] = mapped_column(default=10)
    status: Mapped[str] = mapped_column(String(20), default=SurveyStatus.DRAFT.value)
    opens_at: Mapped[datetime | None]  # UTC; published and before this: forthcoming
    closes_at: Mapped[datetime | None]  # UTC; from this moment no answers are taken
    young_person_version: Mapped[bool] = mapped_column(default=False)
    about_you: Mapped[bool] = mapped_column(default=True)  # offer the optional "About you" section
    ask_consent_to_quote: Mapped[bool] = mapped_column(default=True)
    results_published_at: Mapped[datetime | None]
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)
    duplicated_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("surveys.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    sections: Mapped[list["SurveySection"]] = relationship(
        back_populates="survey", order_by="SurveySection.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list["SurveyQuestion"]] = relationship(
        order_by="SurveyQuestion.position", viewonly=True
    )
    conditions: Mapped[list["SurveyCondition"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan"
    )
    areas: Mapped[list["Area"]] = relationship(secondary=survey_areas, order_by="Area.number")
    actions: Mapped[list["Action"]] = relationship(
        secondary=survey_actions, order_by="Action.reference"
    )

    @property
    def status_enum(self) -> SurveyStatus:
        return SurveyStatus(self.status)

    def __repr__(self) -> str:
        return f"<Survey {self.slug}>"


class SurveySection(db.Model):
    """One page of the survey."""

    __tablename__ = "survey_sections"
    __table_args__ = (Index("ix_survey_sections_survey_position", "survey_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list["SurveyQuestion"]] = relationship(
        back_populates="section", order_by="SurveyQuestion.position", cascade="all, delete-orphan"
    )


class SurveyQuestion(db.Model):
    __tablename__ = "survey_questions"
    __table_args__ = (
        CheckConstraint(f"kind IN ({QuestionKind.sql_list()})", name="kind"),
        CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value", name="bounds"
        ),
        CheckConstraint("max_length IS NULL OR max_length >= 1", name="max_length"),
        Index("ix_survey_questions_section_position", "section_id", "position"),
        Index("ix_survey_questions_survey_id", "survey_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The survey is also reachable through the section; kept here so results and exports can
    # select a survey's questions in one query.
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("survey_sections.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)  # order within the whole survey
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    hint: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    min_value: Mapped[int | None]  # number questions
    max_value: Mapped[int | None]
    max_length: Mapped[int | None]  # text questions; the domain has a default
    allow_other: Mapped[bool] = mapped_column(default=False)  # multiple choice: "Other, please say"
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)

    survey: Mapped[Survey] = relationship()
    section: Mapped[SurveySection] = relationship(back_populates="questions")
    options: Mapped[list["QuestionOption"]] = relationship(
        back_populates="question", order_by="QuestionOption.position", cascade="all, delete-orphan"
    )
    areas: Mapped[list["Area"]] = relationship(secondary=question_areas, order_by="Area.number")
    actions: Mapped[list["Action"]] = relationship(
        secondary=question_actions, order_by="Action.reference"
    )

    @property
    def kind_enum(self) -> QuestionKind:
        return QuestionKind(self.kind)


class QuestionOption(db.Model):
    """A choice, a labelled point on a rating scale (position 1 is the lowest), or yes/no."""

    __tablename__ = "survey_question_options"
    __table_args__ = (
        Index("ix_survey_question_options_question_position", "question_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(300))
    translations: Mapped[dict] = mapped_column(db.JSON, default=dict)

    question: Mapped[SurveyQuestion] = relationship(back_populates="options")


class SurveyCondition(db.Model):
    """Show a section or a question only when an earlier single-choice answer is this option."""

    __tablename__ = "survey_conditions"
    __table_args__ = (
        CheckConstraint("(section_id IS NULL) <> (question_id IS NULL)", name="one_target"),
        UniqueConstraint("section_id", name="uq_survey_conditions_section_id"),
        UniqueConstraint("question_id", name="uq_survey_conditions_question_id"),
        Index("ix_survey_conditions_survey_id", "survey_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_sections.id", ondelete="CASCADE")
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE")
    )
    # RESTRICT: an option a condition depends on cannot be deleted from under it.
    option_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question_options.id", ondelete="RESTRICT"), index=True
    )

    survey: Mapped[Survey] = relationship(back_populates="conditions")
    option: Mapped[QuestionOption] = relationship()


class SurveyResponse(db.Model):
    """One person's submitted answers. "About you" is kept here, in aggregate-only fields."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        CheckConstraint(f"channel IN ({Channel.sql_list()})", name="channel"),
        Index("ix_survey_responses_survey_submitted", "survey_id", "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # RESTRICT: a survey with responses is never deleted (closed instead).
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="RESTRICT"))
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # Makes submitting the same "Check your answers" form twice store one response.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(10), default=Channel.ONLINE.value)
    language: Mapped[str] = mapped_column(String(10), default="en")
    young_person: Mapped[bool] = mapped_column(default=False)
    consent_to_quote: Mapped[bool] = mapped_column(default=False)
    relationship_to_child: Mapped[str | None] = mapped_column("relationship", String(30))
    district: Mapped[str | None] = mapped_column(String(60))
    age_group: Mapped[str | None] = mapped_column(String(30))
    need: Mapped[str | None] = mapped_column(String(200))  # codes joined by commas
    setting: Mapped[str | None] = mapped_column(String(40))
    ehc_plan: Mapped[str | None] = mapped_column(String(10))
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id")
    )  # paper and event responses
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship()
    answers: Mapped[list["SurveyAnswer"]] = relationship(
        back_populates="response", order_by="SurveyAnswer.id", cascade="all, delete-orphan"
    )


class SurveyAnswer(db.Model):
    """One answer. A multiple-choice answer is one row per chosen option; "Other, please say"
    is a row with no option and the person's text."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        Index("ix_survey_answers_response_id", "response_id"),
        Index("ix_survey_answers_question_option", "question_id", "option_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"))
    # RESTRICT: questions and options that have answers cannot be deleted.
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="RESTRICT"))
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_question_options.id", ondelete="RESTRICT"), index=True
    )
    text: Mapped[str | None] = mapped_column(Text)
    number: Mapped[int | None]
    date_value: Mapped[date | None]

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
    question: Mapped[SurveyQuestion] = relationship()
    option: Mapped[QuestionOption | None] = relationship()


class SurveyResultCount(db.Model):
    """How many responses fall in one bucket of a survey's results, kept up to date as each
    response is recorded, so the unfiltered results never count a survey's answers again.

    Each response is counted once for all responses (`filter_key` "") and once for each of its
    About-you answers and its channel ("district=Maidstone", "need=autism", "channel=paper"), so
    results filtered by one of them are read here too.
    `question_id` 0 holds response-level counts ("channel:online"); a question's buckets are
    "option:<id>", "other" (free text, or the "Other" text of a multiple-choice question),
    "people" (multiple choice: responses choosing anything), "number:<value>" and
    "month:<yyyy-mm>". No foreign key on the question: 0 is not one, and a question with
    answers cannot be deleted.
    """

    __tablename__ = "survey_result_counts"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    filter_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    question_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    bucket: Mapped[str] = mapped_column(String(30), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class PublishedSurveyResults(db.Model):
    """The published results of a survey, worked out once when they are published (and again if
    something they show changes): counts by bucket and the approved quotes, in no language, so
    the public page reads one row and labels it in the reader's language."""

    __tablename__ = "published_survey_results"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict] = mapped_column(db.JSON)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SurveyDraft(db.Model):
    """Answers in progress, kept on the server between pages so nothing typed is lost.

    The browser holds only the random token (in the signed session). Deleted on submit and by
    the retention job after a few days.
    """

    __tablename__ = "survey_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict] = mapped_column(db.JSON, default=dict)
    young_person: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(10), default="en")
    channel: Mapped[str] = mapped_column(String(10), default=Channel.ONLINE.value)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    last_page: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
