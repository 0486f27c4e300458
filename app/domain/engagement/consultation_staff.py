"""Consultations for coordinators and admins: creating and editing them, their proposals,
moving the stage by hand, and writing and publishing "What we heard".

Each change is one transaction with its audit entry. Publishing the outcome also queues the
subscribers' emails in that transaction, and only the first time: the outcome stays published,
and later edits email nobody.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    Action,
    Area,
    Consultation,
    Moderation,
    Proposal,
    Stage,
    Subscription,
    Survey,
    User,
)
from ...models.base import utcnow
from ..mail import notifications
from ..people import audit
from ..shared import rich_text
from ..shared.errors import Refused
from ..shared.records import by_ids
from .announcements import announce_consultation_if_open
from .consultations import current_stage, outcome_counts
from .moderation import queue_counts

TITLE_MAX = 200
SLUG_MAX = 120
SUMMARY_MAX = 1000
BACKGROUND_MAX = 20_000
WHAT_WE_HEARD_MAX = 20_000
PROPOSAL_DESCRIPTION_MAX = 5000
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The fields the create and edit pages set, in the order they are audited.
FIELDS = (
    "title",
    "slug",
    "summary",
    "background_html",
    "opens_at",
    "closes_at",
    "outcome_due_at",
    "moderation",
    "survey_id",
    "published",
)


class OutcomeAlreadyPublished(Refused):
    """Publishing twice (e.g. a double click) sends nothing again."""


@dataclass
class ConsultationFields:
    title: str
    summary: str
    background: str  # as typed; sanitised here
    opens_at: datetime  # naive UTC
    closes_at: datetime
    moderation: str
    published: bool
    slug: str = ""  # empty: made from the title
    outcome_due_at: datetime | None = None
    survey_id: int | None = None
    area_ids: list[int] | None = None
    action_ids: list[int] | None = None


# --- reading ----------------------------------------------------------------------------------


@dataclass
class StaffRow:
    consultation: Consultation
    stage: Stage
    counts: dict[str, int]


def staff_list() -> list[StaffRow]:
    """Every consultation, newest opening first, with its comment counts (two queries)."""
    found = list(
        db.session.scalars(
            select(Consultation).order_by(Consultation.opens_at.desc(), Consultation.id.desc())
        )
    )
    counts = queue_counts([c.id for c in found])
    empty = {"pending": 0, "reported": 0, "hidden": 0, "published": 0, "total": 0}
    return [StaffRow(c, current_stage(c), counts.get(c.id, empty)) for c in found]


def staff_consultation(consultation_id: int) -> Consultation | None:
    return db.session.scalar(
        select(Consultation)
        .where(Consultation.id == consultation_id)
        .options(
            selectinload(Consultation.proposals),
            selectinload(Consultation.areas),
            selectinload(Consultation.actions),
            selectinload(Consultation.survey),
        )
    )


def proposal_of(consultation: Consultation, proposal_id: int) -> Proposal | None:
    return next((p for p in consultation.proposals if p.id == proposal_id), None)


def survey_choices() -> list[tuple[int, str]]:
    """Surveys a consultation can embed (drafts too: a survey is often built alongside)."""
    return [
        (row.id, row.title)
        for row in db.session.execute(
            select(Survey.id, Survey.title).order_by(Survey.created_at.desc(), Survey.id.desc())
        )
    ]


def subscriber_count(consultation: Consultation) -> int:
    return (
        db.session.scalar(
            select(func.count(func.distinct(Subscription.email))).where(
                Subscription.target_type == "consultation",
                Subscription.target_id == consultation.id,
                Subscription.confirmed_at.is_not(None),
                Subscription.unsubscribed_at.is_(None),
            )
        )
        or 0
    )


@dataclass
class StaffView:
    consultation: Consultation
    stage: Stage
    stage_by_dates: Stage
    counts: dict[str, int]
    subscribers: int
    outcome: object  # OutcomeCounts

    @property
    def moderation(self) -> Moderation:
        return Moderation(self.consultation.moderation)


def staff_view(consultation: Consultation) -> StaffView:
    from .consultations import stage_by_dates

    return StaffView(
        consultation=consultation,
        stage=current_stage(consultation),
        stage_by_dates=stage_by_dates(consultation),
        counts=queue_counts([consultation.id]).get(
            consultation.id, {"pending": 0, "reported": 0, "hidden": 0, "published": 0, "total": 0}
        ),
        subscribers=subscriber_count(consultation),
        outcome=outcome_counts(consultation),
    )


# --- creating and editing ---------------------------------------------------------------------


def slugify(text: str) -> str:
    """ "Designing the SEND hub!" -> "designing-the-send-hub"."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "consultation"


def slug_taken(slug: str, except_id: int | None = None) -> bool:
    query = select(Consultation.id).where(Consultation.slug == slug)
    if except_id is not None:
        query = query.where(Consultation.id != except_id)
    return db.session.scalar(query) is not None


def _free_slug(base: str, except_id: int | None) -> str:
    slug, number = base, 1
    while slug_taken(slug, except_id):
        number += 1
        suffix = f"-{number}"
        slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return slug


def _check(fields: ConsultationFields, consultation: Consultation | None) -> dict:
    """The values to store, or Refused naming the field."""
    title = (fields.title or "").strip()
    if not title:
        raise Refused(_l("Enter a title"), field="title")
    if len(title) > TITLE_MAX:
        raise Refused(_l("Title must be %(max)d characters or fewer", max=TITLE_MAX), field="title")
    summary = (fields.summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        raise Refused(
            _l("Summary must be %(max)d characters or fewer", max=SUMMARY_MAX), field="summary"
        )
    if len(fields.background or "") > BACKGROUND_MAX:
        raise Refused(
            _l("Background must be %(max)d characters or fewer", max=BACKGROUND_MAX),
            field="background",
        )
    except_id = consultation.id if consultation else None
    slug = (fields.slug or "").strip().lower()
    if slug:
        if len(slug) > SLUG_MAX or not SLUG_PATTERN.fullmatch(slug):
            raise Refused(
                _l(
                    "Web address must use only lower-case letters, numbers and hyphens, "
                    "like send-enquiries-hub"
                ),
                field="slug",
            )
        if slug_taken(slug, except_id):
            raise Refused(_l("Another consultation already uses this web address"), field="slug")
    elif consultation is not None:
        slug = consultation.slug
    else:
        slug = _free_slug(slugify(title), except_id)
    if fields.opens_at is None:
        raise Refused(_l("Enter when the consultation opens"), field="opens")
    if fields.closes_at is None:
        raise Refused(_l("Enter when the consultation closes"), field="closes")
    if fields.closes_at <= fields.opens_at:
        raise Refused(_l("The consultation must close after it opens"), field="closes")
    if fields.outcome_due_at is not None and fields.outcome_due_at < fields.closes_at:
        raise Refused(
            _l("The outcome cannot be due before the consultation closes"), field="outcome_due"
        )
    if fields.moderation not in {m.value for m in Moderation}:
        raise Refused(_l("Select how comments are moderated"), field="moderation")
    if fields.survey_id is not None and db.session.get(Survey, fields.survey_id) is None:
        raise Refused(_l("Select a survey from the list"), field="survey")
    return {
        "title": title,
        "slug": slug,
        "summary": summary,
        "background_html": rich_text.sanitise(fields.background),
        "opens_at": fields.opens_at,
        "closes_at": fields.closes_at,
        "outcome_due_at": fields.outcome_due_at,
        "moderation": fields.moderation,
        "survey_id": fields.survey_id,
        "published": bool(fields.published),
    }


def create(actor: User, fields: ConsultationFields) -> Consultation:
    values = _check(fields, None)
    consultation = Consultation(created_by_id=actor.id, **values)
    consultation.areas = by_ids(Area, fields.area_ids)
    consultation.actions = by_ids(Action, fields.action_ids)
    db.session.add(consultation)
    audit.record(
        "consultation.created",
        consultation,
        actor=actor,
        summary=consultation.title,
        detail={
            **{
                name: audit.audit_value(values[name])
                for name in FIELDS
                if name != "background_html"
            },
            "areas": sorted(a.id for a in consultation.areas),
            "actions": sorted(a.id for a in consultation.actions),
        },
    )
    db.session.flush()
    announce_consultation_if_open(consultation)
    db.session.commit()
    return consultation


def update_consultation(
    actor: User, consultation: Consultation, fields: ConsultationFields
) -> list[str]:
    """Save changes; returns the names of the fields that changed."""
    values = _check(fields, consultation)
    changed = audit.apply_changes(consultation, {name: values[name] for name in FIELDS})
    if "background_html" in changed:
        changed["background_html"] = {"changed": True}  # too long for the log; the page has it
    for name, model, ids in (
        ("areas", Area, fields.area_ids),
        ("actions", Action, fields.action_ids),
    ):
        if ids is None:
            continue
        chosen = by_ids(model, ids)
        before = sorted(o.id for o in getattr(consultation, name))
        if before != sorted(o.id for o in chosen):
            setattr(consultation, name, chosen)
            changed[name] = {"from": before, "to": sorted(o.id for o in chosen)}
    if changed:
        audit.record(
            "consultation.updated",
            consultation,
            actor=actor,
            summary=f"{consultation.title}: {', '.join(changed)}"[:500],
            detail=changed,
        )
    announce_consultation_if_open(consultation)
    db.session.commit()
    return list(changed)


# --- proposals --------------------------------------------------------------------------------


def _check_proposal(title: str, description: str) -> tuple[str, str]:
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise Refused(_l("Enter a title"), field="title")
    if len(title) > TITLE_MAX:
        raise Refused(_l("Title must be %(max)d characters or fewer", max=TITLE_MAX), field="title")
    if len(description) > PROPOSAL_DESCRIPTION_MAX:
        raise Refused(
            _l("Description must be %(max)d characters or fewer", max=PROPOSAL_DESCRIPTION_MAX),
            field="description",
        )
    return title, description


def add_proposal(actor: User, consultation: Consultation, title: str, description: str) -> Proposal:
    title, description = _check_proposal(title, description)
    position = max((p.position for p in consultation.proposals), default=-1) + 1
    proposal = Proposal(
        consultation=consultation, title=title, description=description, position=position
    )
    db.session.add(proposal)
    audit.record(
        "consultation.proposal_added",
        consultation,
        actor=actor,
        summary=f"{consultation.title}: {title}"[:500],
        detail={"title": title},
    )
    db.session.commit()
    return proposal


def update_proposal(actor: User, proposal: Proposal, title: str, description: str) -> list[str]:
    title, description = _check_proposal(title, description)
    changed = [
        name
        for name, value in (("title", title), ("description", description))
        if getattr(proposal, name) != value
    ]
    if changed:
        previous = {name: getattr(proposal, name) for name in changed}
        proposal.title, proposal.description = title, description
        audit.record(
            "consultation.proposal_updated",
            proposal.consultation,
            actor=actor,
            summary=f"{proposal.consultation.title}: {title}"[:500],
            detail={"proposal": proposal.id, "changed": changed, "previous": previous},
        )
    db.session.commit()
    return changed


def move_proposal(
    actor: User, consultation: Consultation, proposal: Proposal, direction: str
) -> bool:
    """Move a proposal one place up or down; returns False when it is already at that end."""
    if direction not in ("up", "down"):
        raise Refused(_l("Choose to move the proposal up or down"))
    ordered = sorted(consultation.proposals, key=lambda p: (p.position, p.id))
    index = ordered.index(proposal)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    audit.record(
        "consultation.proposals_reordered",
        consultation,
        actor=actor,
        summary=f"{consultation.title}: {proposal.title} moved {direction}"[:500],
        detail={"order": [p.id for p in ordered]},
    )
    db.session.commit()
    db.session.expire(consultation, ["proposals"])
    return True


# --- the stage --------------------------------------------------------------------------------


def set_stage(actor: User, consultation: Consultation, stage: str | None, reason: str = "") -> bool:
    """Move the stage by hand (`stage` a Stage value), or follow the dates again (None).
    Returns False when nothing changed."""
    if stage is not None and stage not in {s.value for s in Stage}:
        raise Refused(_l("Select a stage"), field="stage")
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise Refused(_l("The reason must be 1,000 characters or fewer"), field="reason")
    if consultation.stage_override == stage:
        return False
    before = current_stage(consultation)
    previous = consultation.stage_override
    consultation.stage_override = stage
    after = current_stage(consultation)
    audit.record(
        "consultation.stage_changed",
        consultation,
        actor=actor,
        summary=f"{consultation.title}: {before.value} to {after.value}"
        + (" (following the dates)" if stage is None else " (set by hand)"),
        detail={
            "from": before.value,
            "to": after.value,
            "override_from": previous,
            "override_to": stage,
            "reason": reason,
        },
    )
    announce_consultation_if_open(consultation)
    db.session.commit()
    return True


# --- "What we heard" --------------------------------------------------------------------------


def _check_what_we_heard(html: str) -> str:
    if len(html or "") > WHAT_WE_HEARD_MAX:
        raise Refused(
            _l("What we heard must be %(max)d characters or fewer", max=WHAT_WE_HEARD_MAX),
            field="what_we_heard",
        )
    cleaned = rich_text.sanitise(html)
    if rich_text.is_blank(cleaned):
        raise Refused(_l("Enter what we heard"), field="what_we_heard")
    return cleaned


def publish_refusal(consultation: Consultation):
    """Why the outcome cannot be published yet, or None."""
    if not consultation.published:
        return _l("Show the consultation on the public site before publishing its outcome.")
    if current_stage(consultation) in (Stage.UPCOMING, Stage.OPEN):
        return _l(
            "You can publish what we heard once the consultation has closed. To close it early, "
            "move its stage to Reviewing."
        )
    if rich_text.is_blank(consultation.what_we_heard_html):
        return _l("Write what we heard before publishing it.")
    return None


def save_what_we_heard(actor: User, consultation: Consultation, html: str) -> bool:
    """Save the text (sanitised). Once the outcome is published the change shows at once and
    nobody is emailed again. Returns False when nothing changed."""
    cleaned = _check_what_we_heard(html)
    if cleaned == consultation.what_we_heard_html:
        return False
    consultation.what_we_heard_html = cleaned
    action = (
        "consultation.outcome_updated"
        if consultation.outcome_published_at
        else "consultation.outcome_saved"
    )
    audit.record(action, consultation, actor=actor, summary=consultation.title)
    db.session.commit()
    return True


def publish_outcome(actor: User, consultation: Consultation) -> int:
    """Publish "What we heard" and queue one email to each confirmed subscriber, in one
    transaction; returns how many were queued. A stage set by hand is cleared so the
    consultation shows its outcome. Raises OutcomeAlreadyPublished the second time (the
    conditional UPDATE makes two requests at once publish, and email, only once)."""
    refusal = publish_refusal(consultation)
    if consultation.outcome_published_at is not None:
        raise OutcomeAlreadyPublished(_l("What we heard is already published."))
    if refusal:
        raise Refused(refusal)
    now = utcnow()
    published = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.outcome_published_at.is_(None))
        .values(outcome_published_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if published != 1:
        db.session.rollback()
        raise OutcomeAlreadyPublished(_l("What we heard is already published."))
    consultation.outcome_published_at = now
    override = consultation.stage_override
    consultation.stage_override = None
    queued = notifications.consultation_outcome_published(consultation)
    audit.record(
        "consultation.outcome_published",
        consultation,
        actor=actor,
        summary=consultation.title,
        detail={"emails_queued": queued, "stage_override_cleared": override},
    )
    db.session.commit()
    return queued
