"""Comments on consultations, and their moderation.

- Anyone can comment while a consultation is open; no account and no email address. A
  display name is optional ("Anonymous" otherwise) and agreeing to the comment being shown
  publicly is required.
- Pre-moderation: nothing is public until a moderator approves it. Post-moderation: public at
  once, and anyone can report it with a reason.
- A comment whose text or name matches a safeguarding phrase is never public, whatever the
  setting: it stays pending and private, and is urgent in the inbox.
- Under post-moderation, a comment whose text or name seems to hold personal details (a phone
  number, email address or postcode, found by the same detection that masks proposed quotes)
  is held for a moderator too, so nobody's details are public even for a minute; the person is
  told it will be checked first.
- Moderators (coordinators and admins) approve, hide (with a reason that is shown in the
  comment's place) or restore. Nothing is ever deleted: a hidden comment keeps its text
  privately. Every moderation step is in the audit log.
- Every comment is also a contribution in the inbox, created in the same transaction.
- Flagging that contribution for safeguarding in the inbox hides the comment at once, in the
  coding's own transaction, with the coordinator's reason shown in its place (a comment that
  was never public just stays private for good). The thread cannot import this layer, so it
  sends `contributions.flagged_for_safeguarding` and `_take_down_flagged_comments` listens.
  While the contribution stays flagged, the comment cannot be restored.

Retention: comments hold no contact details (no email address is asked for), so the retention
job has nothing to delete here. A display name is the person's choice and is public by consent.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    AuditEntry,
    Channel,
    Comment,
    CommentReport,
    CommentState,
    Consultation,
    Contribution,
    ContributionSource,
    Moderation,
    User,
)
from ...models.base import utcnow
from ..people import audit
from ..shared.errors import Refused
from ..shared.text import checked_text
from ..thread import safeguarding
from ..thread.contributions import flagged_for_safeguarding, record_contribution
from ..thread.redaction import has_personal_details
from .consultations import is_open

MAX_COMMENT_LENGTH = 2000
MAX_NAME_LENGTH = 100
MAX_REASON_LENGTH = 1000
# Shown after "Hidden by a moderator:" when the coordinator who flagged it gave no reason. It
# says nothing about why: naming safeguarding next to a comment would itself say too much.
FLAGGED_REASON = _l("we are following it up privately")
QUEUE_LIMIT = 200  # per section of the moderation queue; the oldest first, so nothing waits forever


class CommentsClosed(Refused):
    """The consultation is not taking comments (not open yet, or closed)."""


# --- commenting -------------------------------------------------------------------------------


def record_comment(
    consultation: Consultation,
    *,
    text: str,
    display_name: str = "",
    proposal_id: int | None = None,
    consent_to_publish: bool = False,
    language: str = "en",
    check_open: bool = True,
    contact_email: str | None = None,
) -> Comment:
    """Store one comment and its inbox contribution, and commit.

    The comment is published at once only under post-moderation, when no safeguarding
    phrase matches and no personal details are found; otherwise it waits for a moderator.
    The contribution carries the consultation's areas and actions as a starting point for
    coding. Consent to show the comment publicly also lets it be quoted (anonymised) in a
    "You said, we did" response.
    The demo data passes `check_open=False` to add comments to a closed consultation.
    An email address left to hear what happened is never shown: it is kept apart from the
    comment (a `Contact` linked from its contribution) and deleted by the retention job.
    """
    if check_open and not is_open(consultation):
        raise CommentsClosed(_l("This consultation is not taking comments."))
    text = checked_text(
        text,
        MAX_COMMENT_LENGTH,
        field="text",
        missing=_l("Enter your comment"),
        too_long=_l("Your comment must be %(max)d characters or fewer", max=MAX_COMMENT_LENGTH),
    )
    display_name = checked_text(
        display_name,
        MAX_NAME_LENGTH,
        field="display_name",
        too_long=_l("Your name must be %(max)d characters or fewer", max=MAX_NAME_LENGTH),
    )
    if not consent_to_publish:
        raise Refused(
            _l("Tick the box to agree to your comment being shown publicly"), field="consent"
        )
    proposal = None
    if proposal_id is not None:
        proposal = next((p for p in consultation.proposals if p.id == proposal_id), None)
        if proposal is None:
            raise Refused(_l("Select what your comment is about"), field="about")
    flagged = bool(safeguarding.matches(f"{display_name}\n{text}"))
    held = (
        flagged
        or consultation.moderation == Moderation.PRE.value
        or holds_personal_details(display_name, text)
    )
    state = CommentState.PENDING.value if held else CommentState.PUBLISHED.value
    comment = Comment(
        consultation_id=consultation.id,
        proposal_id=proposal.id if proposal else None,
        display_name=display_name,
        text=text,
        language=language,
        consent_to_publish=True,
        state=state,
        safeguarding=flagged,
    )
    db.session.add(comment)
    db.session.flush()
    contribution = record_contribution(
        ContributionSource.COMMENT.value,
        text,
        source_id=comment.id,
        channel=Channel.ONLINE.value,
        language=language,
        topic=consultation.title[:60],
        consent_to_quote=True,
        area_ids=[a.id for a in consultation.areas],
        action_ids=[a.id for a in consultation.actions],
        contact_email=(contact_email or "").strip() or None,
        wants_updates=True,
    )
    if flagged and not contribution.safeguarding:  # the name matched, not the text
        contribution.safeguarding = True
        contribution.note = "Safeguarding phrases found in the commenter's name on arrival"
    db.session.flush()
    comment.contribution_id = contribution.id
    db.session.commit()
    return comment


def holds_personal_details(display_name: str, text: str) -> bool:
    """A phone number, email address or postcode in the comment or the name given with it."""
    return has_personal_details(f"{display_name}\n{text}")


def held_for_personal_details(comment: Comment) -> bool:
    """Waiting for a moderator only because it seems to hold personal details: a comment on a
    post-moderated consultation that no safeguarding phrase matched."""
    return (
        comment.state == CommentState.PENDING.value
        and not comment.safeguarding
        and comment.consultation.moderation == Moderation.POST.value
        and holds_personal_details(comment.display_name, comment.text)
    )


def contribution_reference(comment: Comment) -> str | None:
    from ...models import Contribution

    if comment.contribution_id is None:
        return None
    return db.session.scalar(
        select(Contribution.reference).where(Contribution.id == comment.contribution_id)
    )


def report_comment(comment: Comment, reason: str) -> CommentReport:
    """Anyone can report a published comment with a reason; a moderator then looks at it."""
    reason = _clean_reason(reason, _l("Enter why you are reporting this comment"))
    if comment.state != CommentState.PUBLISHED.value or comment.safeguarding:
        raise Refused(_l("This comment is no longer shown, so it cannot be reported."))
    report = CommentReport(comment_id=comment.id, reason=reason)
    db.session.add(report)
    db.session.commit()
    return report


# --- moderating -------------------------------------------------------------------------------


def _clean_reason(reason: str, missing) -> str:
    """A reason is required and at most MAX_REASON_LENGTH characters."""
    return checked_text(
        reason,
        MAX_REASON_LENGTH,
        field="reason",
        missing=missing,
        too_long=_l("The reason must be %(max)d characters or fewer", max=MAX_REASON_LENGTH),
    )


def _open_reports(comment: Comment) -> list[CommentReport]:
    return [report for report in comment.reports if report.resolved_at is None]


def _resolve_reports(actor: User, comment: Comment, now) -> int:
    reports = _open_reports(comment)
    for report in reports:
        report.resolved_at = now
        report.resolved_by_id = actor.id
    return len(reports)


def _moderated(actor: User, comment: Comment, state: str, reason: str, now) -> str:
    previous = comment.state
    comment.state = state
    comment.moderation_reason = reason
    comment.moderated_by_id = actor.id
    comment.moderated_at = now
    return previous


def _summary(comment: Comment) -> str:
    return f"Comment {comment.id} on {comment.consultation.title}"[:500]


def approve(actor: User, comment: Comment) -> None:
    """Publish a comment that was waiting. A safeguarding-flagged comment is never published."""
    if comment.safeguarding:
        raise Refused(_l("This comment is flagged for safeguarding, so it is never published."))
    if comment.state != CommentState.PENDING.value:
        raise Refused(_l("Only a comment waiting for moderation can be approved."))
    now = utcnow()
    _moderated(actor, comment, CommentState.PUBLISHED.value, "", now)
    audit.record(
        "comment.approved",
        comment,
        actor=actor,
        summary=_summary(comment),
        detail={"consultation": comment.consultation_id},
    )
    db.session.commit()


def hide(actor: User, comment: Comment, reason: str) -> int:
    """Hide a comment (waiting or published) with a reason shown publicly in its place; its
    text is kept privately. Open reports on it are resolved. Returns how many were resolved."""
    reason = _clean_reason(reason, _l("Enter why you are hiding this comment"))
    if comment.state == CommentState.HIDDEN.value:
        raise Refused(_l("This comment is already hidden."))
    now = utcnow()
    previous = _moderated(actor, comment, CommentState.HIDDEN.value, reason, now)
    resolved = _resolve_reports(actor, comment, now)
    audit.record(
        "comment.hidden",
        comment,
        actor=actor,
        summary=f"{_summary(comment)}: {reason}"[:500],
        detail={
            "consultation": comment.consultation_id,
            "reason": reason,
            "previous_state": previous,
            "reports_resolved": resolved,
        },
    )
    db.session.commit()
    return resolved


def restore(actor: User, comment: Comment, reason: str) -> None:
    """Show a hidden comment again, with the reason in the audit log."""
    reason = _clean_reason(reason, _l("Enter why you are restoring this comment"))
    if comment.state != CommentState.HIDDEN.value:
        raise Refused(_l("Only a hidden comment can be restored."))
    if comment.safeguarding or _flagged_in_the_inbox(comment):
        raise Refused(_l("This comment is flagged for safeguarding, so it is never published."))
    now = utcnow()
    _moderated(actor, comment, CommentState.PUBLISHED.value, "", now)
    audit.record(
        "comment.restored",
        comment,
        actor=actor,
        summary=f"{_summary(comment)}: {reason}"[:500],
        detail={"consultation": comment.consultation_id, "reason": reason},
    )
    db.session.commit()


def _flagged_in_the_inbox(comment: Comment) -> bool:
    if comment.contribution_id is None:
        return False
    return bool(
        db.session.scalar(
            select(Contribution.safeguarding).where(Contribution.id == comment.contribution_id)
        )
    )


@flagged_for_safeguarding.connect
def _take_down_flagged_comments(actor: User, *, contributions, public_reason=None, **_) -> None:
    """A coordinator flagged contributions for safeguarding: hide the comments they came from,
    in the same transaction (the coding commits). Published comments are hidden with the reason
    in their place and their reports resolved; waiting ones are kept private for good."""
    ids = [c.id for c in contributions if c.source_type == ContributionSource.COMMENT.value]
    if not ids:
        return
    reason = (public_reason or "").strip()[:MAX_REASON_LENGTH] or str(FLAGGED_REASON)
    now = utcnow()
    for comment in db.session.scalars(
        select(Comment).where(Comment.contribution_id.in_(ids)).options(*_with_reports())
    ):
        if comment.state == CommentState.PUBLISHED.value:
            previous = _moderated(actor, comment, CommentState.HIDDEN.value, reason, now)
            resolved = _resolve_reports(actor, comment, now)
            audit.record(
                "comment.hidden",
                comment,
                actor=actor,
                summary=f"{_summary(comment)}: {reason}"[:500],
                detail={
                    "consultation": comment.consultation_id,
                    "reason": reason,
                    "previous_state": previous,
                    "reports_resolved": resolved,
                    "flagged_for_safeguarding": True,
                },
            )
        elif comment.state == CommentState.PENDING.value and not comment.safeguarding:
            comment.safeguarding = True
            audit.record(
                "comment.kept_private",
                comment,
                actor=actor,
                summary=f"{_summary(comment)}: flagged for safeguarding in the inbox"[:500],
                detail={"consultation": comment.consultation_id, "flagged_for_safeguarding": True},
            )


def keep(actor: User, comment: Comment) -> int:
    """Resolve the open reports on a published comment and keep it published."""
    if comment.state != CommentState.PUBLISHED.value:
        raise Refused(_l("Only a published comment can be kept."))
    now = utcnow()
    resolved = _resolve_reports(actor, comment, now)
    if not resolved:
        raise Refused(_l("This comment has no open reports."))
    audit.record(
        "comment.kept",
        comment,
        actor=actor,
        summary=_summary(comment),
        detail={"consultation": comment.consultation_id, "reports_resolved": resolved},
    )
    db.session.commit()
    return resolved


# --- what moderators see ----------------------------------------------------------------------


@dataclass
class ModerationQueue:
    pending: list[Comment]  # oldest first
    reported: list[Comment]  # published, with open reports
    hidden: list[Comment]  # most recently hidden first
    counts: dict[str, int]  # pending, reported, hidden: the full numbers, even past QUEUE_LIMIT


def _with_reports():
    return (selectinload(Comment.reports), selectinload(Comment.proposal))


def _open_report_exists():
    return exists().where(
        CommentReport.comment_id == Comment.id, CommentReport.resolved_at.is_(None)
    )


def queue(consultation: Consultation) -> ModerationQueue:
    """The consultation's moderation queue, in a fixed number of queries."""

    def comments(*conditions, order=(Comment.created_at, Comment.id)) -> list[Comment]:
        return list(
            db.session.scalars(
                select(Comment)
                .where(Comment.consultation_id == consultation.id, *conditions)
                .options(*_with_reports())
                .order_by(*order)
                .limit(QUEUE_LIMIT)
            )
        )

    pending = comments(Comment.state == CommentState.PENDING.value)
    reported = comments(Comment.state == CommentState.PUBLISHED.value, _open_report_exists())
    hidden = comments(
        Comment.state == CommentState.HIDDEN.value,
        order=(Comment.moderated_at.desc(), Comment.id.desc()),
    )
    return ModerationQueue(
        pending=pending,
        reported=reported,
        hidden=hidden,
        counts=queue_counts([consultation.id]).get(consultation.id, _zero()),
    )


def _zero() -> dict[str, int]:
    return {"pending": 0, "reported": 0, "hidden": 0, "published": 0, "total": 0}


def queue_counts(consultation_ids) -> dict[int, dict[str, int]]:
    """{consultation id: {pending, reported, hidden, published, total}} in one grouped query."""
    consultation_ids = list(consultation_ids)
    if not consultation_ids:
        return {}
    state = Comment.state
    reported = case(
        (state == CommentState.PUBLISHED.value, case((_open_report_exists(), 1), else_=0)), else_=0
    )
    rows = db.session.execute(
        select(
            Comment.consultation_id,
            func.sum(case((state == CommentState.PENDING.value, 1), else_=0)),
            func.sum(reported),
            func.sum(case((state == CommentState.HIDDEN.value, 1), else_=0)),
            func.sum(case((state == CommentState.PUBLISHED.value, 1), else_=0)),
            func.count(),
        )
        .where(Comment.consultation_id.in_(consultation_ids))
        .group_by(Comment.consultation_id)
    ).all()
    return {
        row[0]: {
            "pending": int(row[1] or 0),
            "reported": int(row[2] or 0),
            "hidden": int(row[3] or 0),
            "published": int(row[4] or 0),
            "total": int(row[5] or 0),
        }
        for row in rows
    }


def staff_comment(consultation: Consultation, comment_id: int) -> Comment | None:
    """One comment of this consultation with its reports, for the moderation page."""
    return db.session.scalar(
        select(Comment)
        .where(Comment.id == comment_id, Comment.consultation_id == consultation.id)
        .options(*_with_reports())
    )


def history(comment: Comment) -> list[AuditEntry]:
    """What moderators did to this comment, newest first (from the audit log)."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.record_type == Comment.__tablename__,
                AuditEntry.record_id == str(comment.id),
            )
            .order_by(AuditEntry.id.desc())
        )
    )
