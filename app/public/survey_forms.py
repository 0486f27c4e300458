"""Forms for answering a survey, and the questions of a page made ready to show.

The questions themselves are read and checked by `domain.survey_answering`; a page's form here
carries only what every public form has (the CSRF token and the bot trap). `question_fields`
turns questions into plain data the shared template macro (macros/survey_questions.html)
shows, for the public journey and for staff paper entry alike.
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from markupsafe import Markup, escape

from ..domain.shared.wording import Wording, marked
from ..domain.surveys.answering import (
    Problem,
    field_anchor,
    field_name,
    other_name,
    typed_from_answer,
)
from ..domain.surveys.structure import Structure, max_length
from ..domain.thread import about_you
from ..forms import (
    AboutYouAnswers,
    BotTrap,
    ChoiceRadioField,
    about_you_fields,
    hear_back_email,
)
from ..models import QuestionKind, SurveyQuestion

CONSENT_CHOICES = [("yes", _l("Yes")), ("no", _l("No"))]
FACES = 5  # faces on the young person's rating scale, from very unhappy (0) to very happy (4)


class PageWording(Wording):
    """Wording for a page: `w(obj, "field")` as plain text, `w.html(obj, "field")` as HTML that
    marks a text shown in another language than the page's (one not translated yet falls back
    to English), so screen readers pronounce it and right-to-left pages lay it out properly."""

    def html(self, obj, field_name: str) -> Markup:
        return marked(self(obj, field_name), self.language, current_app.config["RTL_LANGUAGES"])


class PageForm(BotTrap, FlaskForm):
    """A page of questions, check answers: the questions are read by the domain."""


class CheckAnswersForm(PageForm):
    """Check your answers, with the optional address to hear what happened."""

    email = hear_back_email()


class SurveyAboutYouForm(BotTrap, AboutYouAnswers, FlaskForm):
    (relationship_to_child, district, age_group, need, setting, ehc_plan) = about_you_fields()
    consent_to_quote = ChoiceRadioField(
        _l("Can we quote your answers, without your name or details?"),
        widget=GovRadioInput(),
        choices=CONSENT_CHOICES,
        invalid_message=_l("Select yes if we can quote your answers, or no if we cannot"),
    )

    def __init__(self, *args, ask_consent: bool = True, young_person: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.young_person = young_person
        if not ask_consent:
            del self.consent_to_quote
        if young_person:
            self._use_young_person_wording()

    def _use_young_person_wording(self) -> None:
        """The questions and answers in the first person, for a young person answering."""
        for name, question in about_you.YOUNG_PERSON_QUESTIONS.items():
            field = getattr(self, name)
            field.label.text = question
            if name != "district":
                field.choices = about_you.young_person_choices(name)
        if hasattr(self, "consent_to_quote"):
            self.consent_to_quote.label.text = _l(
                "Can we use your words, without your name or anything about you?"
            )


@dataclass
class OptionField:
    value: str
    label: Markup
    face: int | None = None  # which face to draw (young person's rating scale)
    dependents: list["QuestionField"] = field(
        default_factory=list
    )  # shown when this option is chosen


@dataclass
class QuestionField:
    """One question as the template shows it."""

    question: SurveyQuestion
    kind: str
    name: str
    anchor: str
    label: Markup
    hint: Markup
    required: bool
    typed: object
    error: str | None = None
    other_error: str | None = None  # a problem with "Other, please say" itself
    other_name: str = ""
    allow_other: bool = False
    max_length: int | None = None
    options: list[OptionField] = field(default_factory=list)
    faces: bool = False


def _label(question: SurveyQuestion, wording: PageWording) -> Markup:
    text = wording.html(question, "text")
    if question.required:
        return text
    return Markup(escape(_("%(question)s (optional)"))) % {"question": text}


def face_for(position: int, points: int) -> int:
    """Spread any number of points over the five faces, lowest point the unhappiest."""
    if points <= 1:
        return FACES // 2
    return round((position - 1) * (FACES - 1) / (points - 1))


def question_fields(
    structure: Structure,
    questions: list[SurveyQuestion],
    wording: PageWording,
    *,
    typed: dict[int, object] | None = None,
    answers: dict | None = None,
    problems: dict[int, Problem] | None = None,
    young_person: bool = False,
) -> list[QuestionField]:
    """The questions of one page, each to show with what was typed (or what is kept) and its
    problem. A question that depends on an answer on the same page is nested under that answer,
    GOV.UK's conditional reveal: without JavaScript it is simply shown, and the server decides
    whether it counts."""
    typed = typed or {}
    answers = answers or {}
    problems = problems or {}
    on_page = {question.id for question in questions}

    def nested_under(question: SurveyQuestion) -> int | None:
        option_id = structure.question_conditions.get(question.id)
        option = structure.options.get(option_id) if option_id else None
        if option is None or option.question_id not in on_page:
            return None
        source = structure.questions[option.question_id]
        return (
            option_id
            if source.kind_enum.has_options and source.kind != QuestionKind.MULTIPLE_CHOICE.value
            else None
        )

    built: dict[int, QuestionField] = {}
    for question in questions:
        problem = problems.get(question.id)
        shown = (
            typed[question.id]
            if question.id in typed
            else typed_from_answer(question, answers.get(str(question.id)))
        )
        faces = young_person and question.kind == QuestionKind.RATING.value
        built[question.id] = QuestionField(
            question=question,
            kind=question.kind,
            name=field_name(question),
            anchor=field_anchor(question),
            label=_label(question, wording),
            hint=wording.html(question, "hint"),
            required=question.required,
            typed=shown,
            error=problem.message if problem and problem.anchor != other_name(question) else None,
            other_error=problem.message
            if problem and problem.anchor == other_name(question)
            else None,
            other_name=other_name(question),
            allow_other=question.allow_other,
            max_length=max_length(question) if question.kind_enum.is_free_text else None,
            options=[
                OptionField(
                    str(option.id),
                    wording.html(option, "label"),
                    face_for(index, len(question.options)) if faces else None,
                )
                for index, option in enumerate(question.options, start=1)
            ],
            faces=faces,
        )
    top_level = []
    for question in questions:
        option_id = nested_under(question)
        if option_id is None:
            top_level.append(built[question.id])
            continue
        source = built[structure.options[option_id].question_id]
        next(o for o in source.options if o.value == str(option_id)).dependents.append(
            built[question.id]
        )
    return top_level


def condition_text(structure: Structure, option_id: int | None, wording: Wording) -> str:
    """ "Only if the answer to … is …", for staff typing in a paper form."""
    option = structure.options.get(option_id) if option_id else None
    if option is None:
        return ""
    source = structure.questions.get(option.question_id)
    if source is None:
        return ""
    return str(
        _l(
            "Only if the answer to “%(question)s” is “%(option)s”",
            question=wording(source, "text"),
            option=wording(option, "label"),
        )
    )
