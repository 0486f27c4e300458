"""What a survey is at a moment: its phase, and which sections and questions a person sees.

Answers travel in one shape everywhere (drafts, validation, recording, paper entry), keyed by
the question id as a string:

    short_text, long_text      "the text"
    single_choice, rating,
    yes_no                     option id (int)
    multiple_choice            {"options": [option ids], "other": "text or empty"}
    number                     int
    date                       "YYYY-MM-DD"

plus ABOUT_YOU_KEY -> {field: code} and CONSENT_KEY -> "yes" | "no". A missing key is "not
answered".
"""

import enum
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    QuestionKind,
    QuestionOption,
    Survey,
    SurveyQuestion,
    SurveySection,
    SurveyStatus,
)
from ...models.base import utcnow

ABOUT_YOU_KEY = "about_you"
CONSENT_KEY = "consent_to_quote"
DEFAULT_SHORT_TEXT_LENGTH = 500
DEFAULT_LONG_TEXT_LENGTH = 5000


class SurveyPhase(str, enum.Enum):
    DRAFT = "draft"
    FORTHCOMING = "forthcoming"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(
            {
                SurveyPhase.DRAFT: _l("Draft"),
                SurveyPhase.FORTHCOMING: _l("Forthcoming"),
                SurveyPhase.OPEN: _l("Open"),
                SurveyPhase.CLOSED: _l("Closed"),
            }[self]
        )


def phase(survey: Survey, now: datetime | None = None) -> SurveyPhase:
    """Published surveys follow their dates; a survey with no opening date is not open yet."""
    if survey.status != SurveyStatus.PUBLISHED.value:
        return SurveyPhase.DRAFT
    now = now or utcnow()
    if survey.closes_at is not None and now >= survey.closes_at:
        return SurveyPhase.CLOSED
    if survey.opens_at is None or now < survey.opens_at:
        return SurveyPhase.FORTHCOMING
    return SurveyPhase.OPEN


def is_open(survey: Survey, now: datetime | None = None) -> bool:
    """A survey takes answers while it is published, its opening time has come and its closing
    time (if any) has not. `is_open_clause` is the same rule for the database; a test runs both
    over the same surveys."""
    return phase(survey, now) == SurveyPhase.OPEN


def is_open_clause(now: datetime):
    """`is_open` as a WHERE clause, to count and list open surveys in the database."""
    return and_(
        Survey.status == SurveyStatus.PUBLISHED.value,
        Survey.opens_at <= now,
        or_(Survey.closes_at.is_(None), Survey.closes_at > now),
    )


def max_length(question: SurveyQuestion) -> int:
    if question.max_length:
        return question.max_length
    if question.kind == QuestionKind.LONG_TEXT.value:
        return DEFAULT_LONG_TEXT_LENGTH
    return DEFAULT_SHORT_TEXT_LENGTH


def load_survey(
    survey_id: int | None = None, slug: str | None = None, *, links: bool = True
) -> Survey | None:
    """A survey with its sections, questions, options, conditions and (unless `links` is False:
    pages that only show and save answers) its areas and actions, in a fixed number of queries,
    so pages never lazy-load."""
    questions = selectinload(Survey.sections).selectinload(SurveySection.questions)
    if links:
        loading = (
            questions.options(
                selectinload(SurveyQuestion.options),
                selectinload(SurveyQuestion.areas),
                selectinload(SurveyQuestion.actions),
            ),
            selectinload(Survey.conditions),
            selectinload(Survey.areas),
            selectinload(Survey.actions),
        )
    else:
        loading = (
            questions.selectinload(SurveyQuestion.options),
            selectinload(Survey.conditions),
        )
    query = select(Survey).options(*loading)
    if survey_id is not None:
        query = query.where(Survey.id == survey_id)
    elif slug is not None:
        query = query.where(Survey.slug == slug)
    else:
        return None
    return db.session.scalars(query).first()


@dataclass
class Structure:
    """A loaded survey's parts, indexed for the answering journey."""

    survey: Survey
    sections: list[SurveySection]
    questions: dict[int, SurveyQuestion]
    options: dict[int, QuestionOption]
    section_conditions: dict[int, int]  # section id -> option id that must be chosen
    question_conditions: dict[int, int]  # question id -> option id

    @classmethod
    def of(cls, survey: Survey) -> "Structure":
        questions = {q.id: q for section in survey.sections for q in section.questions}
        options = {o.id: o for q in questions.values() for o in q.options}
        return cls(
            survey=survey,
            sections=list(survey.sections),
            questions=questions,
            options=options,
            section_conditions={
                c.section_id: c.option_id for c in survey.conditions if c.section_id
            },
            question_conditions={
                c.question_id: c.option_id for c in survey.conditions if c.question_id
            },
        )

    def _condition_met(self, option_id: int | None, answers: dict, depth: int) -> bool:
        """The option was chosen, and the question it belongs to is itself shown (an answer
        left behind on a question that is now hidden does not count)."""
        if option_id is None:
            return True
        option = self.options.get(option_id)
        source = self.questions.get(option.question_id) if option else None
        if source is None or depth > len(
            self.questions
        ):  # unknown, or a loop the builder let through
            return False
        return answers.get(str(source.id)) == option_id and self.question_shown(
            source, answers, depth + 1
        )

    def section_shown(self, section: SurveySection, answers: dict, depth: int = 0) -> bool:
        return self._condition_met(self.section_conditions.get(section.id), answers, depth)

    def question_shown(self, question: SurveyQuestion, answers: dict, depth: int = 0) -> bool:
        return self.section_shown(question.section, answers, depth) and self._condition_met(
            self.question_conditions.get(question.id), answers, depth
        )

    def visible_sections(self, answers: dict) -> list[SurveySection]:
        """Sections shown for these answers, leaving out any with no question shown."""
        return [
            s
            for s in self.sections
            if self.section_shown(s, answers)
            and any(self.question_shown(q, answers) for q in s.questions)
        ]

    def visible_questions(self, section: SurveySection, answers: dict) -> list[SurveyQuestion]:
        return [q for q in section.questions if self.question_shown(q, answers)]

    def shown_answers(self, answers: dict) -> dict:
        """Only the answers to questions still shown: changing an earlier answer can hide a
        later question, and its answer must not be stored."""
        kept = {key: value for key, value in answers.items() if key in (ABOUT_YOU_KEY, CONSENT_KEY)}
        for question in self.questions.values():
            key = str(question.id)
            if key in answers and self.question_shown(question, answers):
                kept[key] = answers[key]
        return kept


def parse_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
