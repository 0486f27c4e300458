"""Every source creates its contributions through `record_contribution`, in the caller's
transaction, so the inbox, coding, metrics and evidence links work the same for all of them."""

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from blinker import Namespace
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    AboutYou,
    Action,
    Area,
    Case,
    Channel,
    Contact,
    Contribution,
    ContributionSource,
    ContributionState,
    Sentiment,
    Theme,
    User,
    contribution_actions,
    contribution_areas,
    contribution_themes,
)
from ...models.base import utcnow
from ..mail import notifications
from ..people import audit
from ..shared.errors import Refused
from ..shared.records import by_ids, linked, linked_ids
from . import about_you as about_you_answers
from . import safeguarding
from .redaction import has_personal_details, propose_quote
from .references import new_reference

ABOUT_YOU_FIELDS = about_you_answers.FIELDS


# Contributions in these states may be linked as evidence: every state but hidden.
EVIDENCE_STATES = tuple(s.value for s in ContributionState if s is not ContributionState.HIDDEN)


def _links(area_id, action_id, theme_id) -> tuple:
    return (
        (contribution_areas.c.contribution_id, contribution_areas.c.area_id, area_id),
        (contribution_actions.c.contribution_id, contribution_actions.c.action_id, action_id),
        (contribution_themes.c.contribution_id, contribution_themes.c.theme_id, theme_id),
    )


def linked_to(area_id=None, action_id=None, theme_id=None) -> list:
    """Conditions on contributions: linked to this area, action and theme (each one given)."""
    return linked(Contribution.id, *_links(area_id, action_id, theme_id))


def ids_linked_to(area_id=None, action_id=None, theme_id=None):
    """SELECT the ids of the contributions `linked_to` finds; None when none is given."""
    return linked_ids(*_links(area_id, action_id, theme_id))


def usable_as_evidence():
    """Which contributions may be linked to a response as evidence and counted in public: never
    one flagged for safeguarding, never one a moderator hid. A contribution flagged or hidden
    after it was linked drops out of every public count and list."""
    return and_(Contribution.safeguarding.is_(False), Contribution.state.in_(EVIDENCE_STATES))


def quotable():
    """Which contributions may be quoted in public: usable as evidence, the person agreed to be
    quoted, and a coordinator approved a redacted quote (saved trimmed) that is not empty."""
    return and_(
        usable_as_evidence(),
        Contribution.consent_to_quote.is_(True),
        Contribution.quote_approved_at.is_not(None),
        Contribution.quote_text.is_not(None),
        Contribution.quote_text != "",
    )


def received(contribution: Contribution) -> datetime | date:
    """When it reached us: for feedback staff typed in, the day they were told (the family's wait
    counts from then); otherwise the moment it was stored."""
    entry = contribution.entry
    return entry.received_on if entry is not None else contribution.created_at


T = TypeVar("T")

# How often what one form sent is built again when its commit is refused: a reference drawn at
# random clashing with one already given (29**12 of them: never seen in practice) costs a retry.
STORE_ATTEMPTS = 3


def store_once(build: Callable[[], T], already_stored: Callable[[], T | None]) -> T:
    """Commit what `build` adds to the session, once.

    References are drawn at random and never looked up first: the unique constraints refuse a
    clash, the work is rolled back and built again with new ones. When the same form was
    already stored (its submission key is taken: sent twice, or sent again after an answer was
    lost), `already_stored` finds it and nothing new is kept.
    """
    for _attempt in range(STORE_ATTEMPTS):
        try:
            built = build()
            _commit_keeping_what_was_written()
        except IntegrityError:
            db.session.rollback()
            stored = already_stored()
            if stored is not None:
                return stored
            continue
        return built
    raise RuntimeError(f"Nothing stored after {STORE_ATTEMPTS} attempts")


def _commit_keeping_what_was_written() -> None:
    """Commit without expiring what the session holds: the page that follows reads what was
    just written (a reference, when it was stored) from memory, not again from the database."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def stored_contribution(submission_key: str | None) -> Contribution | None:
    """The contribution already stored from the form with this submission key, if any."""
    if not submission_key:
        return None
    return db.session.scalar(
        select(Contribution).where(Contribution.submission_key == submission_key)
    )


def new_contact(email: str, name: str = "", wants_updates: bool = True) -> Contact:
    """Contact details, kept apart from what the person said, deleted by the retention job
    after CONTACT_RETENTION_DAYS. One person's details can be linked from every contribution
    that came from them (a survey response and its answers), so they hear back once."""
    retention_days = current_app.config.get("CONTACT_RETENTION_DAYS", 365)
    return Contact(
        email=email.strip().lower(),
        name=(name or "").strip(),
        wants_updates=wants_updates,
        delete_after=utcnow() + timedelta(days=retention_days),
    )


def record_contribution(
    source_type: str,
    text: str,
    *,
    source_id: int | None = None,
    channel: str = Channel.ONLINE.value,
    language: str = "en",
    topic: str = "",
    rating: int | None = None,
    consent_to_quote: bool = False,
    about_you: AboutYou | dict | None = None,
    contact_email: str | None = None,
    contact_name: str = "",
    wants_updates: bool = False,
    area_ids: list[int] | tuple = (),
    action_ids: list[int] | tuple = (),
    submission_key: str | None = None,
) -> Contribution:
    """Add one contribution to the session (the caller commits with its source, through
    `store_once` when it is sent by a form).

    Area and action links are a starting point for coding; safeguarding phrases flag it urgent.
    """
    contribution = Contribution(
        reference=new_reference(),
        submission_key=submission_key,
        source_type=source_type,
        source_id=source_id,
        text=text or "",
        channel=channel,
        language=language,
        topic=topic,
        rating=rating,
        consent_to_quote=consent_to_quote,
        state=ContributionState.NEW.value,
    )
    found = safeguarding.matches(text or "")
    if found:
        contribution.safeguarding = True
        contribution.note = "Safeguarding phrases found on arrival: " + ", ".join(found)
    if text and has_personal_details(text):
        contribution.personal_details = True
    if isinstance(about_you, dict):
        values = {k: v for k, v in about_you.items() if k in ABOUT_YOU_FIELDS and v}
        if "need" in values:
            values["need"] = about_you_answers.stored_needs(values["need"])
        about_you = AboutYou(**values) if values else None
    contribution.about_you = about_you
    if contact_email:
        contribution.contact = new_contact(contact_email, contact_name, wants_updates)
    if area_ids:
        contribution.areas = by_ids(Area, area_ids)
    if action_ids:
        contribution.actions = by_ids(Action, action_ids)
    db.session.add(contribution)
    return contribution


_signals = Namespace()

#: Sent inside `code_contributions`' transaction, before it commits, with the contributions a
#: coordinator has just flagged for safeguarding and the reason to show publicly where their words
#: were public. The thread sits below engagement and never imports it: the part that published
#: the words (consultation comments, in engagement/moderation.py) listens and takes them down in
#: the same commit, so a flagged comment is never public for a moment longer.
flagged_for_safeguarding = _signals.signal("contributions-flagged-for-safeguarding")


@dataclass
class Coding:
    """What a coordinator decided about one or more contributions. None means "leave as it is"."""

    area_ids: list[int] | None = None
    action_ids: list[int] | None = None
    theme_ids: list[int] | None = None
    sentiment: str | None = None
    safeguarding: bool | None = None
    personal_details: bool | None = None
    note: str | None = None
    state: str | None = None  # e.g. individual_case or hidden
    add_only: bool = True  # in bulk, add links rather than replace them
    # Shown publicly in place of the consultation comment a newly flagged contribution came from.
    public_reason: str | None = None


def code_contributions(actor: User, contribution_ids: list[int], coding: Coding) -> int:
    """Code many contributions in one transaction; one audit entry per contribution."""
    if not contribution_ids:
        return 0
    if coding.state is not None and coding.state not in {s.value for s in ContributionState}:
        raise ValueError(f"Unknown contribution state: {coding.state}")
    if coding.sentiment is not None and coding.sentiment not in {s.value for s in Sentiment}:
        raise ValueError(f"Unknown sentiment: {coding.sentiment}")
    if coding.state == ContributionState.INDIVIDUAL_CASE.value:
        # An individual case is handed to a team (cases.hand_off), never just marked.
        handed_over = set(
            db.session.scalars(
                select(Case.contribution_id).where(Case.contribution_id.in_(contribution_ids))
            )
        )
        if set(contribution_ids) - handed_over:
            raise Refused(
                _l("Hand the contribution to a team to make it an individual case"), field="state"
            )
    contributions = by_ids(
        Contribution,
        contribution_ids,
        order_by=Contribution.id,
        options=(
            selectinload(Contribution.areas),
            selectinload(Contribution.actions),
            selectinload(Contribution.themes),
        ),
    )
    areas = None if coding.area_ids is None else by_ids(Area, coding.area_ids)
    actions = None if coding.action_ids is None else by_ids(Action, coding.action_ids)
    themes = None if coding.theme_ids is None else by_ids(Theme, coding.theme_ids)
    now = utcnow()
    newly_flagged = []
    for contribution in contributions:
        changed = []
        was_flagged = contribution.safeguarding
        for name, chosen in (("areas", areas), ("actions", actions), ("themes", themes)):
            if chosen is None:
                continue
            current = getattr(contribution, name)
            new = (current + [c for c in chosen if c not in current]) if coding.add_only else chosen
            if {c.id for c in new} != {c.id for c in current}:
                setattr(contribution, name, new)
                changed.append(name)
        chosen_values = {
            name: getattr(coding, name)
            for name in ("sentiment", "safeguarding", "personal_details", "note")
            if getattr(coding, name) is not None
        }
        changed += audit.apply_changes(contribution, chosen_values)
        if contribution.safeguarding and not was_flagged:
            newly_flagged.append(contribution)
        if coding.state and coding.state != contribution.state:
            contribution.state = coding.state
            changed.append("state")
        elif contribution.state == ContributionState.NEW.value and (
            areas or actions or themes or coding.sentiment
        ):
            contribution.state = ContributionState.CODED.value
            changed.append("state")
            # The reply the confirmation page promised, to whoever left an email for one.
            notifications.feedback_read(contribution)
        if changed:
            contribution.coded_at = now
            contribution.coded_by_id = actor.id
            audit.record(
                "contribution.coded",
                contribution,
                actor=actor,
                summary=f"{contribution.reference}: {', '.join(changed)}",
                detail={"changed": changed},
            )
    if newly_flagged:
        flagged_for_safeguarding.send(
            actor, contributions=newly_flagged, public_reason=coding.public_reason
        )
    db.session.commit()
    return len(contributions)


def proposed_quote(contribution: Contribution) -> str:
    """The starting point a coordinator edits: personal details masked automatically."""
    return contribution.quote_text or propose_quote(contribution.text)


def quote_refusal(contribution: Contribution):
    """Why this contribution may not be quoted publicly, or None when it may."""
    if contribution.safeguarding:
        return _l("This contribution is flagged for safeguarding, so it is never quoted.")
    if not contribution.consent_to_quote:
        return _l("The person did not agree to be quoted, so this contribution cannot be quoted.")
    return None


def approve_quote(actor: User, contribution: Contribution, text: str) -> None:
    refusal = quote_refusal(contribution)
    if refusal is not None:
        raise Refused(refusal, field="quote")
    contribution.quote_text = propose_quote(text)  # mask anything the editor left in
    contribution.quote_approved_at = utcnow()
    contribution.quote_approved_by_id = actor.id
    audit.record(
        "contribution.quote_approved", contribution, actor=actor, summary=contribution.reference
    )
    db.session.commit()


# A whole survey response is kept as text for coders: one block per question, the question on
# its first line and the answers (joined by "; ") below it, dates written as 2026-03-14.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class AnswerInWords:
    question: str
    answer: str | date  # a date is shown in words by the page


def answers_in_words(contribution: Contribution) -> list[AnswerInWords]:
    """A whole survey response as question and answer pairs, dates as dates; [] for anything
    that is not a whole survey response."""
    if contribution.source_type != ContributionSource.SURVEY_RESPONSE.value:
        return []
    pairs = []
    for block in (contribution.text or "").split("\n\n"):
        question, _newline, answer = block.strip().partition("\n")
        if not question:
            continue
        if not answer and pairs:  # a blank line inside a long answer
            pairs[-1].answer = f"{pairs[-1].answer}\n\n{question}"
            continue
        answer = answer.strip()
        if _ISO_DATE.fullmatch(answer):
            with contextlib.suppress(ValueError):
                answer = date.fromisoformat(answer)
        pairs.append(AnswerInWords(question=question.strip(), answer=answer))
    return pairs
