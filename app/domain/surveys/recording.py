"""Recording a survey response: one transaction, once, and into the coding inbox.

The response's reference is the reference of its whole-response contribution, so `/track`
follows a survey response like any other input.
"""

from sqlalchemy import delete, select

from ...extensions import db
from ...models import (
    Channel,
    ContributionSource,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyDraft,
    SurveyResponse,
    User,
)
from ..people import audit
from ..shared.errors import Refused
from ..thread import about_you as about_you_choices
from ..thread.contributions import new_contact, record_contribution, store_once
from .structure import ABOUT_YOU_KEY, CONSENT_KEY, Structure, parse_date
from .tallies import count_response

SURVEY_CHANNELS = (Channel.ONLINE.value, Channel.PAPER.value, Channel.EVENT.value)


class SurveyNotOpen(Refused):
    """The survey is not taking answers (closed, or not open yet)."""


def existing_response(submission_key: str | None) -> SurveyResponse | None:
    if not submission_key:
        return None
    return db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.submission_key == submission_key)
    ).first()


def _about_you(answers: dict) -> dict:
    """Only known fields with one of their listed values; anything else is dropped."""
    given = answers.get(ABOUT_YOU_KEY) or {}
    if not isinstance(given, dict):
        return {}
    return about_you_choices.clean(given)


def _answer_rows(structure: Structure, answers: dict) -> list[SurveyAnswer]:
    """Answer rows for the questions still shown; values are assumed already validated."""
    rows = []
    for key, value in structure.shown_answers(answers).items():
        if not key.isdigit() or int(key) not in structure.questions:
            continue
        question = structure.questions[int(key)]
        kind = question.kind_enum
        if kind.is_free_text:
            if isinstance(value, str) and value.strip():
                rows.append(SurveyAnswer(question_id=question.id, text=value))
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            value = value if isinstance(value, dict) else {}
            for option_id in value.get("options") or []:
                if (
                    option_id in structure.options
                    and structure.options[option_id].question_id == question.id
                ):
                    rows.append(SurveyAnswer(question_id=question.id, option_id=option_id))
            other = value.get("other")
            if question.allow_other and isinstance(other, str) and other.strip():
                rows.append(SurveyAnswer(question_id=question.id, text=other))
        elif kind.has_options:
            if value in structure.options and structure.options[value].question_id == question.id:
                rows.append(SurveyAnswer(question_id=question.id, option_id=value))
        elif kind == QuestionKind.NUMBER:
            if isinstance(value, int) and not isinstance(value, bool):
                rows.append(SurveyAnswer(question_id=question.id, number=value))
        elif kind == QuestionKind.DATE:
            parsed = parse_date(value)
            if parsed is not None:
                rows.append(SurveyAnswer(question_id=question.id, date_value=parsed))
    return rows


def _link_ids(survey: Survey, question=None) -> tuple[list[int], list[int]]:
    """A question's own links plus the survey's: the starting point for coding."""
    area_ids = {a.id for a in survey.areas}
    action_ids = {a.id for a in survey.actions}
    if question is not None:
        area_ids |= {a.id for a in question.areas}
        action_ids |= {a.id for a in question.actions}
    return sorted(area_ids), sorted(action_ids)


def _summary(structure: Structure, rows: list[SurveyAnswer]) -> str:
    """The whole response as text for coders, question by question, in English."""
    by_question: dict[int, list[str]] = {}
    for row in rows:
        if row.option_id is not None:
            text = structure.options[row.option_id].label
        elif row.number is not None:
            text = str(row.number)
        elif row.date_value is not None:
            text = row.date_value.isoformat()
        else:
            text = row.text or ""
        by_question.setdefault(row.question_id, []).append(text)
    lines = []
    for question_id, texts in by_question.items():
        lines.append(f"{structure.questions[question_id].text}\n{'; '.join(texts)}")
    return "\n\n".join(lines)


def record_response(
    structure: Structure,
    answers: dict,
    *,
    channel: str = Channel.ONLINE.value,
    language: str = "en",
    young_person: bool = False,
    submission_key: str | None = None,
    entered_by: User | None = None,
    check_open: bool = True,
    contact_email: str | None = None,
    draft: SurveyDraft | None = None,
) -> SurveyResponse:
    """Store one response with its answers and contributions, and commit.

    An email address, when the person left one to hear what happened, is kept apart from the
    answers (one `Contact` linked from every contribution of the response, so they hear once
    per publication, and deleted by the retention job).

    The same submission key always gives back the first response (a double click or a resend
    stores nothing new). Staff entering paper or event responses pass `check_open=False`: a
    paper form can arrive after the closing date. The `draft` the answers were kept in is
    deleted in the same commit, or once it is found they were stored already.
    """
    from .structure import is_open

    survey = structure.survey
    if check_open and not is_open(survey):
        raise SurveyNotOpen("This survey is not taking answers")
    if channel not in SURVEY_CHANNELS:
        raise ValueError(f"Unknown channel: {channel}")
    about_you = _about_you(answers)
    consent = answers.get(CONSENT_KEY) == "yes" and survey.ask_consent_to_quote
    # Read now: after a rollback the draft would be loaded again, and the same answers sent at
    # the same moment may have deleted it.
    draft_id = draft.id if draft is not None else None

    def build() -> SurveyResponse:
        if draft_id is not None:
            _delete_draft(draft_id)
        return _add_response(
            structure,
            answers,
            channel=channel,
            language=language,
            young_person=young_person,
            submission_key=submission_key,
            entered_by=entered_by,
            contact_email=contact_email,
            about_you=about_you,
            consent=consent,
        )

    def already_stored() -> SurveyResponse | None:
        stored = existing_response(submission_key)
        if stored is not None and draft_id is not None:
            _delete_draft(draft_id)
            db.session.commit()
        return stored

    return store_once(build, already_stored)


def _delete_draft(draft_id: int) -> None:
    """Gone already (the same answers sent twice at once) is not an error."""
    db.session.execute(delete(SurveyDraft).where(SurveyDraft.id == draft_id))


def _add_response(
    structure: Structure,
    answers: dict,
    *,
    channel: str,
    language: str,
    young_person: bool,
    submission_key: str | None,
    entered_by: User | None,
    contact_email: str | None,
    about_you: dict,
    consent: bool,
) -> SurveyResponse:
    """The response, its answer rows and its contributions, added to the session."""
    survey = structure.survey
    rows = _answer_rows(structure, answers)
    response = SurveyResponse(
        survey_id=survey.id,
        reference="",
        submission_key=submission_key,
        channel=channel,
        language=language,
        young_person=young_person and survey.young_person_version,
        consent_to_quote=consent,
        entered_by_id=entered_by.id if entered_by else None,
        **about_you,
    )
    response.answers = rows
    db.session.add(response)
    db.session.flush()  # answer ids, for the contributions that point at them
    count_response(
        response,
        {q.id for q in structure.questions.values() if q.kind_enum == QuestionKind.MULTIPLE_CHOICE},
    )

    def contribute(source: str, text: str, source_id: int, links: tuple[list, list]):
        """Each contribution from one response has its channel, language, topic, consent and
        "about you"."""
        area_ids, action_ids = links
        return record_contribution(
            source,
            text,
            source_id=source_id,
            channel=channel,
            language=language,
            topic=survey.title[:60],
            consent_to_quote=consent,
            about_you=dict(about_you),
            area_ids=area_ids,
            action_ids=action_ids,
        )

    whole = contribute(
        ContributionSource.SURVEY_RESPONSE.value,
        _summary(structure, rows),
        response.id,
        _link_ids(survey),
    )
    response.reference = whole.reference
    contributions = [whole]
    for row in rows:
        if row.text and row.text.strip():
            question = structure.questions[row.question_id]
            contributions.append(
                contribute(
                    ContributionSource.SURVEY_ANSWER.value,
                    row.text,
                    row.id,
                    _link_ids(survey, question),
                )
            )
    if contact_email and contact_email.strip():
        contact = new_contact(contact_email, wants_updates=True)
        for contribution in contributions:
            contribution.contact = contact
    if entered_by is not None:
        audit.record(
            "survey.response_entered",
            survey,
            actor=entered_by,
            summary=f"{channel} response {response.reference}",
            detail={"response": response.id, "channel": channel},
        )
    return response
