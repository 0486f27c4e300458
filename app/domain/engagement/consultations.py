"""Service-design consultations as the public sees them: which stage each one is at, the list,
and everything one consultation's page shows, loaded in a fixed number of queries.

Stages follow the dates — upcoming before `opens_at`, open until `closes_at`, then reviewing,
and outcome once "What we heard" is published — unless a coordinator moved the stage by hand
(`stage_override`), which wins until it is cleared. People can comment only while a
consultation is at its open stage.

Staff editing is in consultation_staff.py; comments and moderation in moderation.py.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    Comment,
    CommentState,
    Consultation,
    Contribution,
    ContributionSource,
    Event,
    Proposal,
    Registration,
    Stage,
    SurveyAnswer,
    SurveyResponse,
    YouSaidWeDid,
    response_contributions,
)
from ...models.base import utcnow
from ..shared import suppression
from ..shared.paging import page_of
from ..shared.wording import VARIANT_YOUNG_PERSON
from ..surveys import structure as surveys_domain
from ..thread.contributions import usable_as_evidence
from ..thread.you_said_we_did import PublicList, published_newest_first
from . import events as events_domain

STAGES = (Stage.UPCOMING, Stage.OPEN, Stage.REVIEWING, Stage.OUTCOME)
COMMENTS_SHOWN = 5  # per proposal on the consultation's page; the rest are one link away
COMMENTS_PAGE_SIZE = 20
CLOSED_SHOWN = 50
GENERAL = "general"  # the comments page's value for comments on the consultation as a whole
PUBLIC_COMMENT_STATES = (CommentState.PUBLISHED.value, CommentState.HIDDEN.value)


# --- stages -----------------------------------------------------------------------------------


def stage_by_dates(consultation: Consultation, now: datetime | None = None) -> Stage:
    """The stage the dates (and a published outcome) give, ignoring any override."""
    if consultation.outcome_published_at is not None:
        return Stage.OUTCOME
    now = now or utcnow()
    if now < consultation.opens_at:
        return Stage.UPCOMING
    if now < consultation.closes_at:
        return Stage.OPEN
    return Stage.REVIEWING


def current_stage(consultation: Consultation, now: datetime | None = None) -> Stage:
    """A coordinator's override wins; otherwise the dates decide."""
    if consultation.stage_override:
        try:
            return Stage(consultation.stage_override)
        except ValueError:
            pass
    return stage_by_dates(consultation, now)


def is_open(consultation: Consultation, now: datetime | None = None) -> bool:
    """A consultation is open, and takes comments, while it is published and at its open stage.
    `is_open_clause` is the same rule for the database; a test runs both over the same cases."""
    return consultation.published and current_stage(consultation, now) == Stage.OPEN


def is_open_clause(now: datetime):
    """`is_open` as a WHERE clause, to count and list open consultations in the database."""
    return and_(
        Consultation.published.is_(True),
        or_(
            Consultation.stage_override == Stage.OPEN.value,
            and_(
                Consultation.stage_override.is_(None),
                Consultation.outcome_published_at.is_(None),
                Consultation.opens_at <= now,
                Consultation.closes_at > now,
            ),
        ),
    )


@dataclass
class StageStep:
    """One step of the stage indicator; the template words the dates for each stage."""

    stage: Stage
    current: bool
    done: bool


def stage_steps(consultation: Consultation, now: datetime | None = None) -> list[StageStep]:
    stage = current_stage(consultation, now)
    position = STAGES.index(stage)
    return [
        StageStep(stage=s, current=s == stage, done=index < position)
        for index, s in enumerate(STAGES)
    ]


# --- wording ----------------------------------------------------------------------------------


def has_young_person_wording(consultation: Consultation) -> bool:
    """Whether any text of the consultation or its proposals has young-person wording."""
    for obj in [consultation, *consultation.proposals]:
        for key, texts in (obj.translations or {}).items():
            if (key == VARIANT_YOUNG_PERSON or key.endswith("-" + VARIANT_YOUNG_PERSON)) and any(
                isinstance(text, str) and text.strip() for text in (texts or {}).values()
            ):
                return True
    return False


# --- the list ---------------------------------------------------------------------------------


@dataclass
class ListedConsultation:
    consultation: Consultation
    stage: Stage


@dataclass
class ConsultationList:
    open: list[ListedConsultation]
    upcoming: list[ListedConsultation]
    closed: list[ListedConsultation]  # reviewing or at their outcome, most recently closed first


def public_list(now: datetime | None = None) -> ConsultationList:
    """Published consultations by stage, in one query."""
    now = now or utcnow()
    found = db.session.scalars(
        select(Consultation)
        .where(Consultation.published.is_(True))
        .order_by(Consultation.closes_at.desc(), Consultation.id.desc())
    ).all()
    listing = ConsultationList(open=[], upcoming=[], closed=[])
    for consultation in found:
        item = ListedConsultation(consultation, current_stage(consultation, now))
        if item.stage == Stage.OPEN:
            listing.open.append(item)
        elif item.stage == Stage.UPCOMING:
            listing.upcoming.append(item)
        elif len(listing.closed) < CLOSED_SHOWN:
            listing.closed.append(item)
    listing.open.sort(
        key=lambda item: (item.consultation.closes_at, item.consultation.id)
    )  # closing soonest first
    listing.upcoming.sort(key=lambda item: (item.consultation.opens_at, item.consultation.id))
    return listing


def open_consultations(now: datetime | None = None) -> list[Consultation]:
    """Open consultations, closing soonest first (for the home page and subscriptions)."""
    return [item.consultation for item in public_list(now).open]


# --- one consultation's page ------------------------------------------------------------------


@dataclass
class CommentGroup:
    """The public comments on one proposal, or on the consultation as a whole (proposal None)."""

    proposal: Proposal | None
    comments: list[Comment]  # newest first, at most COMMENTS_SHOWN on the consultation's page
    total: int

    @property
    def key(self) -> str:
        return str(self.proposal.id) if self.proposal else GENERAL

    @property
    def more(self) -> bool:
        return self.total > len(self.comments)


@dataclass
class EmbeddedSurvey:
    survey: object
    phase: surveys_domain.SurveyPhase

    @property
    def taking_answers(self) -> bool:
        """People can start the survey from the consultation's page only while it is open."""
        return self.phase == surveys_domain.SurveyPhase.OPEN


@dataclass
class OutcomeCounts:
    comments: int  # every comment received, whatever happened to it
    general: int  # on the consultation as a whole
    per_proposal: list[tuple[Proposal, int]]
    survey_responses: int | None  # None: no survey embedded
    event_attendees: int | None  # None: no events linked

    # Numbers of people are published as "fewer than 5" below the threshold; comments are
    # public anyway, so they are counted exactly.
    @property
    def survey_responses_display(self) -> str:
        return suppression.published_count(self.survey_responses or 0)

    @property
    def event_attendees_display(self) -> str:
        return suppression.published_count(self.event_attendees or 0)


@dataclass
class ConsultationPage:
    consultation: Consultation
    stage: Stage
    steps: list[StageStep]
    groups: list[CommentGroup]
    accepting_comments: bool
    survey: EmbeddedSurvey | None
    events: list[events_domain.EventSummary]
    responses: PublicList
    counts: OutcomeCounts | None  # only once the outcome is published
    young_person_wording: bool = False
    proposals_by_id: dict[int, Proposal] = field(default_factory=dict)


def _load(query) -> Consultation | None:
    return db.session.scalar(
        query.options(
            selectinload(Consultation.proposals),
            selectinload(Consultation.areas),
            selectinload(Consultation.actions),
            selectinload(Consultation.survey),
        )
    )


def published_by_slug(slug: str) -> Consultation | None:
    if not slug or len(slug) > 120:
        return None
    return _load(
        select(Consultation).where(Consultation.slug == slug, Consultation.published.is_(True))
    )


def _public_comments():
    """Comments anyone may see: published, or hidden (shown as the moderator's reason in their
    place). Never pending ones, and never one flagged for safeguarding."""
    return (Comment.state.in_(PUBLIC_COMMENT_STATES), Comment.safeguarding.is_(False))


def _public_counts(consultation_id: int) -> dict[int | None, int]:
    rows = db.session.execute(
        select(Comment.proposal_id, func.count())
        .where(Comment.consultation_id == consultation_id, *_public_comments())
        .group_by(Comment.proposal_id)
    )
    return dict(rows.all())


def _newest_public_comments(consultation_id: int, per_group: int) -> list[Comment]:
    """Up to `per_group` newest public comments for each proposal (and the general ones), in one
    query, however many comments there are."""
    rank = (
        func.row_number()
        .over(
            partition_by=Comment.proposal_id,
            order_by=(Comment.created_at.desc(), Comment.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(Comment.id.label("id"), rank)
        .where(Comment.consultation_id == consultation_id, *_public_comments())
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Comment)
            .join(ranked, ranked.c.id == Comment.id)
            .where(ranked.c.rank <= per_group)
            .order_by(Comment.created_at.desc(), Comment.id.desc())
        )
    )


def comment_groups(
    consultation: Consultation, per_group: int = COMMENTS_SHOWN
) -> list[CommentGroup]:
    """One group per proposal in order, then the consultation as a whole. Two queries."""
    counts = _public_counts(consultation.id)
    by_group: dict[int | None, list[Comment]] = {}
    for comment in _newest_public_comments(consultation.id, per_group):
        by_group.setdefault(comment.proposal_id, []).append(comment)
    groups = [
        CommentGroup(p, by_group.get(p.id, []), counts.get(p.id, 0)) for p in consultation.proposals
    ]
    groups.append(CommentGroup(None, by_group.get(None, []), counts.get(None, 0)))
    return groups


@dataclass
class CommentsPage:
    group: CommentGroup
    page: int
    pages: int


def comments_page(
    consultation: Consultation, about: str, page: int = 1, per_page: int = COMMENTS_PAGE_SIZE
) -> CommentsPage | None:
    """Every public comment on one proposal (or on the consultation as a whole), paged.
    None when `about` is not one of this consultation's proposals."""
    if about == GENERAL:
        proposal = None
    else:
        proposal = next(
            (p for p in consultation.proposals if about.isdigit() and p.id == int(about)), None
        )
        if proposal is None:
            return None
    where = [
        Comment.consultation_id == consultation.id,
        *_public_comments(),
        Comment.proposal_id == proposal.id if proposal else Comment.proposal_id.is_(None),
    ]
    found = page_of(
        select(Comment).where(*where).order_by(Comment.created_at.desc(), Comment.id.desc()),
        page,
        per_page,
    )
    return CommentsPage(CommentGroup(proposal, found.items, found.total), found.page, found.pages)


def public_comment(consultation: Consultation, comment_id: int) -> Comment | None:
    """A published comment of this consultation (the only kind anyone can report)."""
    return db.session.scalar(
        select(Comment).where(
            Comment.id == comment_id,
            Comment.consultation_id == consultation.id,
            Comment.state == CommentState.PUBLISHED.value,
            Comment.safeguarding.is_(False),
        )
    )


def embedded_survey(
    consultation: Consultation, now: datetime | None = None
) -> EmbeddedSurvey | None:
    """The consultation's survey, if it is published (a draft survey is never shown)."""
    survey = consultation.survey
    if survey is None:
        return None
    phase = surveys_domain.phase(survey, now)
    if phase == surveys_domain.SurveyPhase.DRAFT:
        return None
    return EmbeddedSurvey(survey=survey, phase=phase)


def _evidence_from(consultation: Consultation):
    """Contributions that came from this consultation: its comments, and the responses and
    answers to its survey."""
    comment_ids = select(Comment.id).where(Comment.consultation_id == consultation.id)
    sources = [
        and_(
            Contribution.source_type == ContributionSource.COMMENT.value,
            Contribution.source_id.in_(comment_ids),
        )
    ]
    if consultation.survey_id is not None:
        response_ids = select(SurveyResponse.id).where(
            SurveyResponse.survey_id == consultation.survey_id
        )
        answer_ids = (
            select(SurveyAnswer.id)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == consultation.survey_id)
        )
        sources += [
            and_(
                Contribution.source_type == ContributionSource.SURVEY_RESPONSE.value,
                Contribution.source_id.in_(response_ids),
            ),
            and_(
                Contribution.source_type == ContributionSource.SURVEY_ANSWER.value,
                Contribution.source_id.in_(answer_ids),
            ),
        ]
    return or_(*sources)


def linked_responses(consultation: Consultation) -> PublicList:
    """Published "You said, we did" responses with evidence from this consultation, newest
    first. Safeguarding-flagged and hidden contributions never count as evidence."""
    evidence = exists().where(
        response_contributions.c.response_id == YouSaidWeDid.id,
        response_contributions.c.contribution_id == Contribution.id,
        usable_as_evidence(),
        _evidence_from(consultation),
    )
    return published_newest_first(evidence)


def outcome_counts(consultation: Consultation) -> OutcomeCounts:
    """What "What we heard" counts: comments (in all, and per proposal), survey responses when
    a survey is embedded, and people who came to its events when events are linked."""
    per = dict(
        db.session.execute(
            select(Comment.proposal_id, func.count())
            .where(Comment.consultation_id == consultation.id)
            .group_by(Comment.proposal_id)
        ).all()
    )
    survey_responses = None
    if consultation.survey_id is not None:
        survey_responses = (
            db.session.scalar(
                select(func.count())
                .select_from(SurveyResponse)
                .where(SurveyResponse.survey_id == consultation.survey_id)
            )
            or 0
        )
    event_attendees = None
    if db.session.scalar(
        select(exists().where(Event.consultation_id == consultation.id, Event.published.is_(True)))
    ):
        event_attendees = (
            db.session.scalar(
                select(func.count())
                .select_from(Registration)
                .join(Event, Event.id == Registration.event_id)
                .where(
                    Event.consultation_id == consultation.id,
                    Event.published.is_(True),
                    Registration.attended.is_(True),
                )
            )
            or 0
        )
    return OutcomeCounts(
        comments=sum(per.values()),
        general=per.get(None, 0),
        per_proposal=[(p, per.get(p.id, 0)) for p in consultation.proposals],
        survey_responses=survey_responses,
        event_attendees=event_attendees,
    )


def public_page(consultation: Consultation, now: datetime | None = None) -> ConsultationPage:
    """Everything the consultation's page shows, in a fixed number of queries."""
    now = now or utcnow()
    stage = current_stage(consultation, now)
    return ConsultationPage(
        consultation=consultation,
        stage=stage,
        steps=stage_steps(consultation, now),
        groups=comment_groups(consultation),
        accepting_comments=is_open(consultation, now),
        survey=embedded_survey(consultation, now),
        events=events_domain.upcoming_events(now, consultation_id=consultation.id),
        responses=linked_responses(consultation),
        counts=outcome_counts(consultation) if consultation.outcome_published_at else None,
        young_person_wording=has_young_person_wording(consultation),
        proposals_by_id={p.id: p for p in consultation.proposals},
    )


def choices() -> list[tuple[int, str]]:
    """Every consultation (drafts too) for staff selects, newest first: (id, title)."""
    return [
        (row.id, row.title)
        for row in db.session.execute(
            select(Consultation.id, Consultation.title).order_by(
                Consultation.opens_at.desc(), Consultation.id.desc()
            )
        )
    ]
