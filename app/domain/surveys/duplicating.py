"""Duplicating a survey: a deep copy as a new draft, to run the same questions again.

Everything a coordinator built is copied — sections, questions, options, links to areas and
actions, translations, conditions (pointed at the copies) — and nothing people gave: no
responses, no dates, no published results.
"""

import copy

from ...extensions import db
from ...models import (
    QuestionOption,
    Survey,
    SurveyCondition,
    SurveyQuestion,
    SurveySection,
    SurveyStatus,
    User,
)
from ..people import audit
from .builder import TITLE_MAX, unique_slug


def _translations(value) -> dict:
    return copy.deepcopy(value or {})


def copy_title(title: str) -> str:
    """ "Copy of …", kept within the title's length (stored wording is in English)."""
    title = f"Copy of {title}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


def duplicate_survey(actor: User, survey: Survey) -> Survey:
    """A new draft copy of a loaded survey with a unique link. Commits."""
    title = copy_title(survey.title)
    twin = Survey(
        slug=unique_slug(title),
        title=title,
        summary=survey.summary,
        audience=survey.audience,
        use_of_answers=survey.use_of_answers,
        estimated_minutes=survey.estimated_minutes,
        status=SurveyStatus.DRAFT.value,
        opens_at=None,
        closes_at=None,
        young_person_version=survey.young_person_version,
        about_you=survey.about_you,
        ask_consent_to_quote=survey.ask_consent_to_quote,
        translations=_translations(survey.translations),
        duplicated_from_id=survey.id,
        created_by_id=actor.id,
    )
    twin.areas = list(survey.areas)
    twin.actions = list(survey.actions)
    db.session.add(twin)
    sections: dict[int, SurveySection] = {}
    questions: dict[int, SurveyQuestion] = {}
    options: dict[int, QuestionOption] = {}
    for section in survey.sections:
        section_copy = SurveySection(
            position=section.position,
            title=section.title,
            description=section.description,
            translations=_translations(section.translations),
        )
        twin.sections.append(section_copy)
        sections[section.id] = section_copy
        for question in section.questions:
            question_copy = SurveyQuestion(
                survey=twin,
                position=question.position,
                kind=question.kind,
                text=question.text,
                hint=question.hint,
                required=question.required,
                min_value=question.min_value,
                max_value=question.max_value,
                max_length=question.max_length,
                allow_other=question.allow_other,
                translations=_translations(question.translations),
            )
            question_copy.areas = list(question.areas)
            question_copy.actions = list(question.actions)
            for option in question.options:
                option_copy = QuestionOption(
                    position=option.position,
                    label=option.label,
                    translations=_translations(option.translations),
                )
                question_copy.options.append(option_copy)
                options[option.id] = option_copy
            section_copy.questions.append(question_copy)
            questions[question.id] = question_copy
    db.session.flush()  # ids for the copies, for the conditions that point at them
    for condition in survey.conditions:
        if condition.option_id not in options:
            continue
        target_section = sections.get(condition.section_id) if condition.section_id else None
        target_question = questions.get(condition.question_id) if condition.question_id else None
        if target_section is None and target_question is None:
            continue
        twin.conditions.append(
            SurveyCondition(
                survey_id=twin.id,
                option_id=options[condition.option_id].id,
                section_id=target_section.id if target_section else None,
                question_id=target_question.id if target_question else None,
            )
        )
    audit.record(
        "survey.duplicated",
        twin,
        actor=actor,
        summary=f"{twin.title} (from {survey.slug})",
        detail={
            "from": survey.id,
            "from_slug": survey.slug,
            "slug": twin.slug,
            "sections": len(sections),
            "questions": len(questions),
        },
    )
    db.session.commit()
    return twin
