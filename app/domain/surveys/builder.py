"""Building surveys, for coordinators: a survey's details, its link (slug) and its life from
draft to closed.

Sections, questions, options and conditions are in `survey_structure`; duplicating is in
`survey_copy`. Every change is one transaction with its audit row. A change that breaks a rule
raises `Refused` before anything is changed, naming the detail it is about, so the page can
show the message next to the field.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...extensions import db
from ...models import Action, Area, Survey, SurveyResponse, SurveyStatus, User
from ...models.base import utcnow
from ..people import audit
from ..people.audit import audit_value
from ..shared.errors import Problems, Refused
from ..shared.records import by_ids
from .announcing import announce_if_open
from .structure import SurveyPhase, load_survey, phase

TITLE_MAX = 200
SLUG_MAX = 120
TEXT_MAX = 5000
MAX_ESTIMATED_MINUTES = 120
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MAX_ID = 2**31 - 1

# The details a coordinator sets, in the order they are audited.
DETAIL_FIELDS = (
    "title",
    "slug",
    "summary",
    "audience",
    "use_of_answers",
    "estimated_minutes",
    "opens_at",
    "closes_at",
    "young_person_version",
    "about_you",
    "ask_consent_to_quote",
)


@dataclass
class SurveyDetails:
    """What a coordinator sets about a survey itself. Times are naive UTC."""

    title: str
    summary: str = ""
    audience: str = ""
    use_of_answers: str = ""
    estimated_minutes: int = 10
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    young_person_version: bool = False
    about_you: bool = True
    ask_consent_to_quote: bool = True
    area_ids: list[int] = field(default_factory=list)
    action_ids: list[int] = field(default_factory=list)
    slug: str = ""  # empty: made from the title

    @classmethod
    def of(cls, survey: Survey) -> "SurveyDetails":
        return cls(
            title=survey.title,
            summary=survey.summary,
            audience=survey.audience,
            use_of_answers=survey.use_of_answers,
            estimated_minutes=survey.estimated_minutes,
            opens_at=survey.opens_at,
            closes_at=survey.closes_at,
            young_person_version=survey.young_person_version,
            about_you=survey.about_you,
            ask_consent_to_quote=survey.ask_consent_to_quote,
            area_ids=[a.id for a in survey.areas],
            action_ids=[a.id for a in survey.actions],
            slug=survey.slug,
        )


# Finding surveys ---------------------------------------------------------------------------


def staff_survey(survey_id: int) -> Survey | None:
    """A survey with its whole structure loaded in a fixed number of queries."""
    if not 0 < survey_id <= _MAX_ID:
        return None
    return load_survey(survey_id)


def response_counts(survey_ids) -> dict[int, int]:
    """{survey id: number of responses} in one grouped query; surveys with none are left out."""
    survey_ids = list(survey_ids)
    if not survey_ids:
        return {}
    rows = db.session.execute(
        select(SurveyResponse.survey_id, func.count(SurveyResponse.id))
        .where(SurveyResponse.survey_id.in_(survey_ids))
        .group_by(SurveyResponse.survey_id)
    ).all()
    return {survey_id: int(count) for survey_id, count in rows}


def response_count(survey: Survey) -> int:
    return response_counts([survey.id]).get(survey.id, 0)


@dataclass
class SurveyRow:
    """One line of the staff survey list."""

    survey: Survey
    phase: SurveyPhase
    responses: int


# Open surveys first (people are answering them now), then those coming, drafts, and closed.
_PHASE_ORDER = {
    SurveyPhase.OPEN: 0,
    SurveyPhase.FORTHCOMING: 1,
    SurveyPhase.DRAFT: 2,
    SurveyPhase.CLOSED: 3,
}


def survey_list(now: datetime | None = None) -> list[SurveyRow]:
    """Every survey with its phase and response count: two queries whatever the number."""
    now = now or utcnow()
    surveys = list(
        db.session.scalars(select(Survey).order_by(Survey.created_at.desc(), Survey.id.desc()))
    )
    counts = response_counts(s.id for s in surveys)
    rows = [SurveyRow(s, phase(s, now), counts.get(s.id, 0)) for s in surveys]
    rows.sort(key=lambda row: _PHASE_ORDER[row.phase])
    return rows


# Slugs -------------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Lower-case letters, numbers and hyphens, from a title; "" when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:100].strip("-")


def slug_taken(slug: str, except_id: int | None = None) -> bool:
    query = select(Survey.id).where(Survey.slug == slug)
    if except_id is not None:
        query = query.where(Survey.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def unique_slug(text: str, except_id: int | None = None) -> str:
    """A free slug made from the text: "short-breaks", then "short-breaks-2", and so on."""
    base = slugify(text) or "survey"
    query = select(Survey.slug).where(Survey.slug.like(f"{base}%"))
    if except_id is not None:
        query = query.where(Survey.id != except_id)
    taken = set(db.session.scalars(query))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# Details -----------------------------------------------------------------------------------


def _check_details(details: SurveyDetails, survey: Survey | None) -> None:
    problems = Problems()
    if not details.title.strip():
        problems.add("title", _("Enter a title"))
    elif len(details.title) > TITLE_MAX:
        problems.add("title", _("Title must be %(max)d characters or fewer", max=TITLE_MAX))
    for name in ("summary", "audience", "use_of_answers"):
        if len(getattr(details, name) or "") > TEXT_MAX:
            problems.add(name, _("This must be %(max)d characters or fewer", max=TEXT_MAX))
    if not 1 <= (details.estimated_minutes or 0) <= MAX_ESTIMATED_MINUTES:
        problems.add(
            "estimated_minutes",
            _("Estimated time must be between 1 and %(max)d minutes", max=MAX_ESTIMATED_MINUTES),
        )
    slug = (details.slug or "").strip()
    published = survey is not None and survey.status != SurveyStatus.DRAFT.value
    if published and slug and slug != survey.slug:
        problems.add(
            "slug",
            _("The link cannot change once the survey is published: people may already have it"),
        )
    elif slug:
        if len(slug) > SLUG_MAX:
            problems.add("slug", _("The link must be %(max)d characters or fewer", max=SLUG_MAX))
        elif not _SLUG.fullmatch(slug):
            problems.add(
                "slug",
                _(
                    "The link must use only lower-case letters, numbers and hyphens, like "
                    "short-breaks-2026"
                ),
            )
        elif slug_taken(slug, except_id=survey.id if survey else None):
            problems.add("slug", _("Another survey already uses the link “%(slug)s”", slug=slug))
    if details.opens_at and details.closes_at and details.closes_at <= details.opens_at:
        problems.add(
            "closes_at", _("The closing date and time must be after the opening date and time")
        )
    if published and details.opens_at is None:
        problems.add("opens_at", _("Enter the date the survey opens: it is already published"))
    problems.raise_if_any()


def _areas(ids) -> list[Area]:
    return by_ids(Area, ids, order_by=Area.number)


def _actions(ids) -> list[Action]:
    return by_ids(Action, ids, order_by=Action.reference)


def _relink(record, area_ids, action_ids, changed: dict) -> None:
    """Link a survey or question to the chosen areas and actions; a change is added to `changed`
    as the area numbers and action references before and after."""
    areas, actions = _areas(area_ids), _actions(action_ids)
    if {a.id for a in areas} != {a.id for a in record.areas}:
        changed["areas"] = {
            "from": [a.number for a in record.areas],
            "to": [a.number for a in areas],
        }
        record.areas = areas
    if {a.id for a in actions} != {a.id for a in record.actions}:
        changed["actions"] = {
            "from": [a.reference for a in record.actions],
            "to": [a.reference for a in actions],
        }
        record.actions = actions


def create_survey(actor: User, details: SurveyDetails) -> Survey:
    """A new draft survey with a unique link made from its title (or the one given). Commits."""
    _check_details(details, None)
    slug = details.slug.strip() or unique_slug(details.title)
    survey = Survey(
        slug=slug,
        title=details.title.strip(),
        summary=details.summary,
        audience=details.audience,
        use_of_answers=details.use_of_answers,
        estimated_minutes=details.estimated_minutes,
        opens_at=details.opens_at,
        closes_at=details.closes_at,
        young_person_version=details.young_person_version,
        about_you=details.about_you,
        ask_consent_to_quote=details.ask_consent_to_quote,
        status=SurveyStatus.DRAFT.value,
        created_by_id=actor.id,
        translations={},
    )
    survey.areas = _areas(details.area_ids)
    survey.actions = _actions(details.action_ids)
    db.session.add(survey)
    audit.record(
        "survey.created",
        survey,
        actor=actor,
        summary=survey.title,
        detail={name: audit_value(getattr(survey, name)) for name in DETAIL_FIELDS},
    )
    db.session.commit()
    return survey


def update_survey(actor: User, survey: Survey, details: SurveyDetails) -> list[str]:
    """Save a survey's details; returns what changed. The link changes only while a draft."""
    _check_details(details, survey)
    values = {
        "title": details.title.strip(),
        "summary": details.summary,
        "audience": details.audience,
        "use_of_answers": details.use_of_answers,
        "estimated_minutes": details.estimated_minutes,
        "opens_at": details.opens_at,
        "closes_at": details.closes_at,
        "young_person_version": details.young_person_version,
        "about_you": details.about_you,
        "ask_consent_to_quote": details.ask_consent_to_quote,
    }
    if details.slug.strip():
        values["slug"] = details.slug.strip()
    changed = audit.apply_changes(survey, values)
    _relink(survey, details.area_ids, details.action_ids, changed)
    if changed:
        audit.record(
            "survey.updated",
            survey,
            actor=actor,
            summary=f"{survey.title}: {', '.join(changed)}",
            detail=changed,
        )
    db.session.commit()
    return list(changed)


# From draft to closed ----------------------------------------------------------------------


def publish_blockers(survey: Survey) -> list[str]:
    """Why a draft cannot be published yet (empty when it can)."""
    if survey.status != SurveyStatus.DRAFT.value:
        return [_("This survey is already published.")]
    if not any(section.questions for section in survey.sections):
        return [_("Add at least one question before you publish the survey.")]
    return []


def publish(
    actor: User,
    survey: Survey,
    opens_at: datetime | None,
    closes_at: datetime | None,
    now: datetime | None = None,
) -> SurveyPhase:
    """Publish a draft: open now (no opening time, or one already past) or schedule it for a
    later opening time, when it becomes "forthcoming" until then. Commits."""
    now = now or utcnow()
    blockers = publish_blockers(survey)
    if blockers:
        raise Refused(*(("", message) for message in blockers))
    opens_at = opens_at if opens_at and opens_at > now else now
    problems = Problems()
    if closes_at is not None and closes_at <= now:
        problems.add("closes_at", _("The closing date and time must be in the future"))
    elif closes_at is not None and closes_at <= opens_at:
        problems.add(
            "closes_at", _("The closing date and time must be after the opening date and time")
        )
    problems.raise_if_any()
    survey.status = SurveyStatus.PUBLISHED.value
    survey.opens_at, survey.closes_at = opens_at, closes_at
    result = phase(survey, now)
    action = "survey.opened" if result == SurveyPhase.OPEN else "survey.scheduled"
    audit.record(
        action,
        survey,
        actor=actor,
        summary=survey.title,
        detail={"opens_at": audit_value(opens_at), "closes_at": audit_value(closes_at)},
    )
    announce_if_open(survey, now)
    db.session.commit()
    return result


def _change_time(actor: User, survey: Survey, action: str, name: str, when: datetime) -> None:
    """Set when the survey opens or closes, and audit what it was before. Commits; a survey
    opened by this is announced to subscribers (once ever) in the same commit."""
    previous = getattr(survey, name)
    setattr(survey, name, when)
    announce_if_open(survey, when if name == "opens_at" else None)
    audit.record(
        action,
        survey,
        actor=actor,
        summary=survey.title,
        detail={name: {"from": audit_value(previous), "to": audit_value(when)}},
    )
    db.session.commit()


def open_now(actor: User, survey: Survey, now: datetime | None = None) -> None:
    """Open a forthcoming survey straight away instead of at its opening time."""
    now = now or utcnow()
    if phase(survey, now) != SurveyPhase.FORTHCOMING:
        raise Refused(
            ("", _("Only a survey that is published and not open yet can be opened now."))
        )
    if survey.closes_at is not None and survey.closes_at <= now:
        raise Refused(("closes_at", _("Change the closing date first: it has already passed.")))
    _change_time(actor, survey, "survey.opened", "opens_at", now)


def close_now(actor: User, survey: Survey, now: datetime | None = None) -> None:
    """Stop taking answers now. It can be reopened with a new closing date."""
    now = now or utcnow()
    if phase(survey, now) != SurveyPhase.OPEN:
        raise Refused(("", _("Only an open survey can be closed.")))
    _change_time(actor, survey, "survey.closed", "closes_at", now)


def reopen(actor: User, survey: Survey, closes_at: datetime, now: datetime | None = None) -> None:
    """Take answers again, until a new closing time in the future."""
    now = now or utcnow()
    if phase(survey, now) != SurveyPhase.CLOSED:
        raise Refused(("", _("Only a closed survey can be reopened.")))
    if closes_at is None or closes_at <= now:
        raise Refused(("closes_at", _("The new closing date and time must be in the future")))
    if survey.opens_at is None or survey.opens_at > now:
        survey.opens_at = now
    _change_time(actor, survey, "survey.reopened", "closes_at", closes_at)


def return_to_draft(actor: User, survey: Survey, now: datetime | None = None) -> None:
    """Unpublish a survey that has not opened yet, to keep changing it out of sight."""
    now = now or utcnow()
    if phase(survey, now) != SurveyPhase.FORTHCOMING:
        raise Refused(("", _("Only a survey that has not opened yet can go back to draft.")))
    if response_count(survey):
        raise Refused(("", _("This survey already has responses, so it cannot go back to draft.")))
    survey.status = SurveyStatus.DRAFT.value
    audit.record("survey.returned_to_draft", survey, actor=actor, summary=survey.title)
    db.session.commit()


def deletion_blockers(survey: Survey, responses: int | None = None) -> list[str]:
    """Why a survey cannot be deleted (empty when it can): only drafts nobody has answered."""
    responses = response_count(survey) if responses is None else responses
    reasons = []
    if survey.status != SurveyStatus.DRAFT.value:
        reasons.append(
            _(
                "It is published. Close it instead: people may have the link, and its answers are "
                "kept."
            )
        )
    if responses:
        reasons.append(_("It has responses. What people told us is never deleted this way."))
    return reasons


def delete_survey(actor: User, survey: Survey) -> None:
    """Delete a draft nobody has answered, with its sections, questions and options. Commits."""
    blockers = deletion_blockers(survey)
    if blockers:
        raise Refused(*(("", message) for message in blockers))
    audit.record(
        "survey.deleted",
        survey,
        actor=actor,
        summary=f"{survey.title} ({survey.slug})",
        detail={
            "slug": survey.slug,
            "sections": len(survey.sections),
            "questions": sum(len(s.questions) for s in survey.sections),
        },
    )
    db.session.delete(survey)
    db.session.commit()
