"""Answering a survey: reading each page's answers, knowing where a person is, and keeping
their answers in a draft until they send them.

Answers are read and checked here, never in a view, so the public journey and staff paper
entry refuse the same things with the same messages, and both end with answers in the one
shape documented at the top of `domain.surveys`. Posted fields are named after the question:
`q<id>` (for a date `q<id>-day`, `-month`, `-year`; for "Other, please say" `q<id>-other`).

Answers in progress live in a `SurveyDraft` on the server; the browser keeps only its random
token. Nothing a person typed is lost: a page is saved whenever it is sent, even with problems,
and only answers that cannot be read at all (a number that is not a number, a date that does
not exist, an option the question does not have) are left out and shown again as typed.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import format_date, format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy import delete, select

from ...extensions import db
from ...models import (
    Channel,
    Contribution,
    QuestionKind,
    Survey,
    SurveyDraft,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    SurveyStatus,
    User,
)
from ...models.base import utcnow
from ..shared.dates import date_from_parts, date_parts
from ..shared.text import clean_text
from ..shared.wording import Wording
from .recording import existing_response, record_response
from .structure import (
    DEFAULT_SHORT_TEXT_LENGTH,
    Structure,
    SurveyPhase,
    max_length,
    parse_date,
    phase,
)

OTHER = "other"  # the value of the "Other, please say" checkbox
# The largest whole number every database stores in an integer column.
LARGEST_NUMBER = 2_147_483_647
_WHOLE_NUMBER = re.compile(r"^[+-]?\d{1,12}$")
_RADIO_KINDS = (
    QuestionKind.SINGLE_CHOICE.value,
    QuestionKind.RATING.value,
    QuestionKind.YES_NO.value,
)

# Pages of the journey other than sections, as kept in `SurveyDraft.last_page`.
ABOUT_YOU_PAGE = "about-you"
CHECK_PAGE = "check-answers"


# Reading one question's answer ---------------------------------------------------------------


def field_name(question: SurveyQuestion) -> str:
    return f"q{question.id}"


def other_name(question: SurveyQuestion) -> str:
    return f"q{question.id}-other"


def field_anchor(question: SurveyQuestion) -> str:
    """The element an error summary link moves to: the question's first input."""
    if question.kind == QuestionKind.DATE.value:
        return f"{field_name(question)}-day"
    return field_name(question)


@dataclass
class Problem:
    message: str
    anchor: str  # id of the input the error summary links to


@dataclass
class Reading:
    """One question's answer as sent: the answer (None when not answered or unreadable), what
    to show in the form again, and what is wrong with it when it cannot be read at all."""

    value: object = None
    typed: object = None
    problem: Problem | None = None


def _quoted(question: SurveyQuestion, wording: Wording) -> str:
    return wording(question, "text")


def _option_ids(question: SurveyQuestion) -> list[int]:
    return [option.id for option in question.options]


def _unknown_option(question: SurveyQuestion, wording: Wording) -> Problem:
    return Problem(
        _(
            "Select one of the options given for “%(question)s”",
            question=_quoted(question, wording),
        ),
        field_anchor(question),
    )


def read_answer(question: SurveyQuestion, form, wording: Wording) -> Reading:
    """Read one question's answer from posted form data (anything with get and getlist)."""
    kind = question.kind
    name = field_name(question)
    if kind in (QuestionKind.SHORT_TEXT.value, QuestionKind.LONG_TEXT.value):
        typed = clean_text(form.get(name) or "")
        text = typed.strip()
        return Reading(value=text or None, typed=typed)
    if kind in _RADIO_KINDS:
        raw = (form.get(name) or "").strip()
        if not raw:
            return Reading(typed="")
        if raw.isdigit() and int(raw) in _option_ids(question):
            return Reading(value=int(raw), typed=raw)
        return Reading(typed="", problem=_unknown_option(question, wording))
    if kind == QuestionKind.MULTIPLE_CHOICE.value:
        return _read_multiple_choice(question, form, wording)
    if kind == QuestionKind.NUMBER.value:
        return _read_number(question, form, wording)
    if kind == QuestionKind.DATE.value:
        parts = date_parts(form, name)
        label = _("The date for “%(question)s”", question=_quoted(question, wording))
        value, error = date_from_parts(parts, label)
        if error:
            return Reading(typed=parts, problem=Problem(error, field_anchor(question)))
        return Reading(value=value.isoformat() if value else None, typed=parts)
    return Reading()


def _read_multiple_choice(question: SurveyQuestion, form, wording: Wording) -> Reading:
    sent = [value.strip() for value in form.getlist(field_name(question))]
    known = _option_ids(question)
    chosen_ids = {int(value) for value in sent if value.isdigit() and int(value) in known}
    options = [
        option_id for option_id in known if option_id in chosen_ids
    ]  # in the question's order
    other_ticked = question.allow_other and OTHER in sent
    other_typed = clean_text(form.get(other_name(question)) or "") if question.allow_other else ""
    typed = {
        "options": [str(option_id) for option_id in options] + ([OTHER] if other_ticked else []),
        "other": other_typed,
    }
    unknown = [
        value
        for value in sent
        if value and value != OTHER and not (value.isdigit() and int(value) in known)
    ]
    if unknown or (OTHER in sent and not question.allow_other):
        return Reading(typed=typed, problem=_unknown_option(question, wording))
    other = other_typed.strip() if other_ticked else ""
    if other_ticked and not other:
        return Reading(
            typed=typed,
            problem=Problem(
                _("Enter your other answer to “%(question)s”", question=_quoted(question, wording)),
                other_name(question),
            ),
        )
    if not options and not other:
        return Reading(typed=typed)
    return Reading(value={"options": options, "other": other}, typed=typed)


def _read_number(question: SurveyQuestion, form, wording: Wording) -> Reading:
    typed = (form.get(field_name(question)) or "").strip()[:100]
    if not typed:
        return Reading(typed="")
    digits = typed.replace(",", "").replace(" ", "")
    if not _WHOLE_NUMBER.match(digits):
        too_long = re.fullmatch(r"[+-]?\d+", digits) is not None
        problem = (
            _number_bounds_problem(question, wording)
            if too_long
            else Problem(
                _(
                    "Your answer to “%(question)s” must be a whole number, like 3",
                    question=_quoted(question, wording),
                ),
                field_anchor(question),
            )
        )
        return Reading(typed=typed, problem=problem)
    return Reading(value=int(digits), typed=typed)


def _bounds(question: SurveyQuestion) -> tuple[int, int]:
    low = question.min_value if question.min_value is not None else -LARGEST_NUMBER
    high = question.max_value if question.max_value is not None else LARGEST_NUMBER
    return low, high


def _number_bounds_problem(question: SurveyQuestion, wording: Wording) -> Problem:
    low, high = _bounds(question)
    text = _quoted(question, wording)
    if question.min_value is not None and question.max_value is None:
        message = _(
            "Your answer to “%(question)s” must be %(min)s or more",
            question=text,
            min=format_number(low),
        )
    elif question.max_value is not None and question.min_value is None:
        message = _(
            "Your answer to “%(question)s” must be %(max)s or less",
            question=text,
            max=format_number(high),
        )
    else:
        message = _(
            "Your answer to “%(question)s” must be between %(min)s and %(max)s",
            question=text,
            min=format_number(low),
            max=format_number(high),
        )
    return Problem(message, field_anchor(question))


def _too_long(
    question: SurveyQuestion, wording: Wording, text: str, limit: int, anchor: str
) -> Problem:
    """Say the limit and how long the answer is; it is never cut short."""
    return Problem(
        ngettext(
            "Your answer to “%(question)s” must be %(max)s characters or fewer. You have entered "
            "%(count)s character.",
            "Your answer to “%(question)s” must be %(max)s characters or fewer. You have entered "
            "%(count)s characters.",
            len(text),
            question=_quoted(question, wording),
            max=format_number(limit),
            count=format_number(len(text)),
        ),
        anchor,
    )


def _missing(question: SurveyQuestion, wording: Wording) -> Problem:
    text = _quoted(question, wording)
    kind = question.kind
    if kind in _RADIO_KINDS:
        message = _("Select an answer to “%(question)s”", question=text)
    elif kind == QuestionKind.MULTIPLE_CHOICE.value:
        message = _("Select at least one answer to “%(question)s”", question=text)
    elif kind == QuestionKind.NUMBER.value:
        message = _("Enter a number for “%(question)s”", question=text)
    elif kind == QuestionKind.DATE.value:
        message = _("Enter a date for “%(question)s”", question=text)
    else:
        message = _("Enter an answer to “%(question)s”", question=text)
    return Problem(message, field_anchor(question))


def answer_problem(question: SurveyQuestion, value, wording: Wording) -> Problem | None:
    """What is wrong with an answer in the stored shape: a required question not answered, a
    text over its limit, a number out of bounds. None when it can be sent."""
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT.value, QuestionKind.LONG_TEXT.value):
        if not isinstance(value, str) or not value.strip():
            return _missing(question, wording) if question.required else None
        limit = max_length(question)
        return (
            _too_long(question, wording, value, limit, field_anchor(question))
            if len(value) > limit
            else None
        )
    if kind in _RADIO_KINDS:
        if value is None:
            return _missing(question, wording) if question.required else None
        return None if value in _option_ids(question) else _unknown_option(question, wording)
    if kind == QuestionKind.MULTIPLE_CHOICE.value:
        value = value if isinstance(value, dict) else {}
        options = value.get("options") or []
        other = value.get("other") or ""
        if not options and not other:
            return _missing(question, wording) if question.required else None
        if any(option_id not in _option_ids(question) for option_id in options):
            return _unknown_option(question, wording)
        if len(other) > DEFAULT_SHORT_TEXT_LENGTH:
            return _too_long(
                question, wording, other, DEFAULT_SHORT_TEXT_LENGTH, other_name(question)
            )
        return None
    if kind == QuestionKind.NUMBER.value:
        if not isinstance(value, int) or isinstance(value, bool):
            return _missing(question, wording) if question.required else None
        low, high = _bounds(question)
        return None if low <= value <= high else _number_bounds_problem(question, wording)
    if kind == QuestionKind.DATE.value:
        if parse_date(value) is None:
            return _missing(question, wording) if question.required else None
        return None
    return None


def typed_from_answer(question: SurveyQuestion, value) -> object:
    """A stored answer as the form shows it."""
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT.value, QuestionKind.LONG_TEXT.value):
        return value if isinstance(value, str) else ""
    if kind in _RADIO_KINDS:
        return str(value) if isinstance(value, int) else ""
    if kind == QuestionKind.MULTIPLE_CHOICE.value:
        value = value if isinstance(value, dict) else {}
        other = value.get("other") or ""
        return {
            "options": [str(option_id) for option_id in value.get("options") or []]
            + ([OTHER] if other else []),
            "other": other,
        }
    if kind == QuestionKind.NUMBER.value:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else ""
    if kind == QuestionKind.DATE.value:
        parsed = parse_date(value)
        if parsed is None:
            return dict.fromkeys(("day", "month", "year"), "")
        return {"day": str(parsed.day), "month": str(parsed.month), "year": str(parsed.year)}
    return None


# Reading a page of questions -----------------------------------------------------------------


@dataclass
class PageReading:
    answers: dict  # every answer so far, with this page's in place
    problems: dict[int, Problem] = field(default_factory=dict)  # question id -> problem
    typed: dict[int, object] = field(default_factory=dict)  # question id -> what to show again

    @property
    def ok(self) -> bool:
        return not self.problems


def read_page(
    structure: Structure, questions: list[SurveyQuestion], form, answers: dict, wording: Wording
) -> PageReading:
    """Read a page's answers into a copy of the answers so far.

    Whether a question is shown is decided with this page's answers in place, so a question
    that depends on an answer on the same page is checked only when that answer is chosen; the
    answer to a question that is not shown is dropped.
    """
    merged = dict(answers)
    readings = {}
    for question in questions:
        reading = read_answer(question, form, wording)
        readings[question.id] = reading
        if reading.value is None:
            merged.pop(str(question.id), None)
        else:
            merged[str(question.id)] = reading.value
    problems = {}
    for question in questions:
        if not structure.question_shown(question, merged):
            merged.pop(str(question.id), None)
            continue
        reading = readings[question.id]
        problem = reading.problem or answer_problem(question, reading.value, wording)
        if problem:
            problems[question.id] = problem
    return PageReading(
        answers=merged,
        problems=problems,
        typed={question_id: reading.typed for question_id, reading in readings.items()},
    )


def stored_problems(
    questions: list[SurveyQuestion], answers: dict, wording: Wording, include_missing: bool = True
) -> dict[int, Problem]:
    """Problems with answers already kept (a text over its limit kept in a draft)."""
    problems = {}
    for question in questions:
        value = answers.get(str(question.id))
        if value is None and not include_missing:
            continue
        problem = answer_problem(question, value, wording)
        if problem:
            problems[question.id] = problem
    return problems


# Where a person is ---------------------------------------------------------------------------


class Journey:
    """The pages a person sees for their answers so far, and which of them they may open.

    A section's page number is its place in the whole survey, so a page's address always means
    the same section; the progress shown ("Page 2 of 5") counts only the pages this person sees.
    """

    def __init__(self, structure: Structure, answers: dict, wording: Wording):
        self.structure = structure
        self.answers = answers
        self.wording = wording
        self.sections = structure.visible_sections(answers)

    @property
    def survey(self) -> Survey:
        return self.structure.survey

    @property
    def has_about_you_page(self) -> bool:
        return bool(self.survey.about_you or self.survey.ask_consent_to_quote)

    @property
    def page_count(self) -> int:
        return len(self.sections) + (1 if self.has_about_you_page else 0)

    def number(self, section: SurveySection) -> int:
        return self.structure.sections.index(section) + 1

    def section(self, number: int) -> SurveySection | None:
        """The section with that page number, when this person sees it."""
        return next((s for s in self.sections if self.number(s) == number), None)

    def position(self, section: SurveySection) -> int:
        return self.sections.index(section) + 1

    def questions(self, section: SurveySection) -> list[SurveyQuestion]:
        return self.structure.visible_questions(section, self.answers)

    def problems(self, section: SurveySection) -> dict[int, Problem]:
        return stored_problems(self.questions(section), self.answers, self.wording)

    def complete(self, section: SurveySection) -> bool:
        return not self.problems(section)

    def first_incomplete(self) -> SurveySection | None:
        return next((s for s in self.sections if not self.complete(s)), None)

    def may_open(self, section: SurveySection) -> bool:
        """Shown, and every page before it answered: nobody skips a required question by
        typing an address."""
        if section not in self.sections:
            return False
        return all(
            self.complete(earlier) for earlier in self.sections[: self.sections.index(section)]
        )

    def next_section(self, section: SurveySection) -> SurveySection | None:
        later = [s for s in self.sections if self.number(s) > self.number(section)]
        return later[0] if later else None

    def previous_section(self, section: SurveySection) -> SurveySection | None:
        earlier = [s for s in self.sections if self.number(s) < self.number(section)]
        return earlier[-1] if earlier else None


# Showing answers -----------------------------------------------------------------------------


def describe_answer(question: SurveyQuestion, value, wording: Wording) -> list[str]:
    """An answer as lines of plain text for "Check your answers" (empty when not answered)."""
    kind = question.kind
    options = {option.id: option for option in question.options}
    if value is None:
        return []
    if kind in (QuestionKind.SHORT_TEXT.value, QuestionKind.LONG_TEXT.value):
        return [value] if isinstance(value, str) and value.strip() else []
    if kind in _RADIO_KINDS:
        return [wording(options[value], "label")] if value in options else []
    if kind == QuestionKind.MULTIPLE_CHOICE.value:
        value = value if isinstance(value, dict) else {}
        lines = [
            wording(options[option_id], "label")
            for option_id in value.get("options") or []
            if option_id in options
        ]
        if value.get("other"):
            lines.append(_("Other: %(answer)s", answer=value["other"]))
        return lines
    if kind == QuestionKind.NUMBER.value:
        return (
            [format_number(value)] if isinstance(value, int) and not isinstance(value, bool) else []
        )
    if kind == QuestionKind.DATE.value:
        parsed = parse_date(value)
        return [format_date(parsed, "d MMMM yyyy")] if parsed else []
    return []


# Drafts --------------------------------------------------------------------------------------


def find_draft(survey_id: int, token: str | None) -> SurveyDraft | None:
    if not isinstance(token, str) or not token or len(token) > 64:
        return None
    return db.session.scalars(
        select(SurveyDraft).where(SurveyDraft.token == token, SurveyDraft.survey_id == survey_id)
    ).first()


def is_preview(draft: SurveyDraft | None) -> bool:
    """A draft started by a coordinator or administrator previewing the survey: it is never
    sent. (Staff entering paper responses do not use drafts, so `entered_by_id` marks these.)"""
    return draft is not None and draft.entered_by_id is not None


def start_draft(
    survey: Survey,
    *,
    young_person: bool = False,
    language: str = "en",
    previewed_by: User | None = None,
    started_at: datetime | None = None,
) -> SurveyDraft:
    """A new draft with a fresh random token, added to the session: saving the first page's
    answers (`save_draft`) commits it with them. `started_at` is when the first page was shown,
    so the minimum time to answer counts from then."""
    now = utcnow()
    started = (
        started_at
        if started_at is not None and now - timedelta(days=1) < started_at <= now
        else now
    )
    draft = SurveyDraft(
        token=secrets.token_urlsafe(32),
        survey_id=survey.id,
        answers={},
        young_person=bool(young_person and survey.young_person_version),
        language=language,
        channel=Channel.ONLINE.value,
        entered_by_id=previewed_by.id if previewed_by is not None else None,
        created_at=started,
        updated_at=now,
    )
    db.session.add(draft)
    return draft


def save_draft(
    draft: SurveyDraft,
    answers: dict,
    *,
    last_page: str | None = None,
    language: str | None = None,
    young_person: bool | None = None,
) -> None:
    draft.answers = dict(answers)  # a new object, so the JSON column is written
    if last_page is not None:
        draft.last_page = last_page[:40]
    if language is not None:
        draft.language = language
    if young_person is not None:
        draft.young_person = young_person
    draft.updated_at = utcnow()
    db.session.commit()


def discard_draft(draft_id: int) -> None:
    """Delete a draft; deleting one that is already gone (a double click) is not an error."""
    db.session.execute(delete(SurveyDraft).where(SurveyDraft.id == draft_id))
    db.session.commit()


def submission_key(token: str) -> str:
    """Sending the same draft twice gives the same key, so one response is stored."""
    return hashlib.sha256(f"survey-draft:{token}".encode()).hexdigest()


def response_for_token(token: str | None):
    """The response already sent from this draft token, if any (a resend after the draft went)."""
    if not isinstance(token, str) or not token or len(token) > 64:
        return None
    return existing_response(submission_key(token))


def answered_too_quickly(
    draft: SurveyDraft, min_seconds: float, now: datetime | None = None
) -> bool:
    """People take longer than this from the first page to sending; form-filling robots do not."""
    now = now or utcnow()
    return (now - draft.created_at).total_seconds() < min_seconds


class NotReady(Exception):
    """A page still has a required question to answer, or an answer to put right."""

    def __init__(self, section: SurveySection):
        super().__init__(f"section {section.id} is not complete")
        self.section = section


def send(
    structure: Structure,
    draft: SurveyDraft,
    *,
    language: str,
    wording: Wording,
    contact_email: str | None = None,
):
    """Record the draft's answers as a response and delete the draft, in one commit (once,
    whatever is sent twice); `contact_email` is an address left to hear what happened.

    Raises NotReady when a page is not finished and survey_responses.ResponseError when the
    survey is not taking answers.
    """
    answers = structure.shown_answers(draft.answers)
    incomplete = Journey(structure, answers, wording).first_incomplete()
    if incomplete is not None:
        raise NotReady(incomplete)
    response = record_response(
        structure,
        answers,
        channel=Channel.ONLINE.value,
        language=language,
        young_person=draft.young_person,
        submission_key=submission_key(draft.token),
        contact_email=contact_email,
        draft=draft,
    )
    return response


def needs_help_now(response: SurveyResponse) -> bool:
    """Whether what was written suggests a child may be at risk, so the confirmation says who
    to contact now. The whole-response contribution holds every answer's text."""
    return bool(
        db.session.scalar(
            select(Contribution.safeguarding).where(Contribution.reference == response.reference)
        )
    )


# The public list -----------------------------------------------------------------------------


@dataclass
class SurveyListing:
    open: list[Survey]
    forthcoming: list[Survey]
    closed: list[Survey]


def public_surveys(now: datetime | None = None) -> SurveyListing:
    """Published surveys by phase: open ones closing soonest first, forthcoming ones opening
    soonest first, closed ones most recent first. Drafts are never listed."""
    now = now or utcnow()
    surveys = db.session.scalars(
        select(Survey).where(Survey.status == SurveyStatus.PUBLISHED.value).order_by(Survey.id)
    ).all()
    by_phase: dict[SurveyPhase, list[Survey]] = {p: [] for p in SurveyPhase}
    for survey in surveys:
        by_phase[phase(survey, now)].append(survey)
    far = datetime.max
    return SurveyListing(
        open=sorted(by_phase[SurveyPhase.OPEN], key=lambda s: s.closes_at or far),
        forthcoming=sorted(by_phase[SurveyPhase.FORTHCOMING], key=lambda s: s.opens_at or far),
        closed=sorted(by_phase[SurveyPhase.CLOSED], key=lambda s: s.closes_at or far, reverse=True),
    )
