"""One helper that every staff action calls, so the audit log is complete by construction."""

from datetime import date, datetime, time, timedelta

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import client_address, db
from ..models import AuditEntry, User


def record(
    action: str,
    subject=None,
    *,
    summary: str = "",
    detail: dict | None = None,
    actor: User | None = None,
    actor_label: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction; it commits or rolls back with the change.

    `subject` is the record acted on (any model with an id); `actor` defaults to the
    signed-in user. `actor_label` names an actor who is not a user (e.g. a failed sign-in).
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor else None,
        actor_label=actor_label or (actor.email if actor else "system"),
        record_type=subject.__tablename__ if subject is not None else "",
        record_id=str(_identity(subject)) if subject is not None else "",
        summary=summary,
        detail=detail or {},
        ip_address=client_address() if has_request_context() else "",
    )
    db.session.add(entry)
    return entry


def _identity(subject):
    if subject.id is None:
        db.session.flush([subject])
    return subject.id


ACTION_LABELS = {
    "auth.sign_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Failed sign-in"),
    "auth.locked": _l("Account locked"),
    "auth.sign_out": _l("Signed out"),
    "auth.password_set": _l("Password set"),
    "user.created": _l("User created"),
    "user.invited": _l("User invited"),
    "user.invitation_resent": _l("Invitation sent again"),
    "user.role_changed": _l("Role changed"),
    "user.deactivated": _l("User deactivated"),
    "user.reactivated": _l("User reactivated"),
    "area.created": _l("Area created"),
    "area.updated": _l("Area changed"),
    "action.created": _l("Action created"),
    "action.updated": _l("Action changed"),
    "action.progress": _l("Progress update posted"),
    "plan.imported": _l("Actions imported"),
    "response.created": _l("Response drafted"),
    "response.updated": _l("Response changed"),
    "response.submitted": _l("Response sent for approval"),
    "response.approved": _l("Response approved"),
    "response.published": _l("Response published"),
    "response.withdrawn": _l("Response withdrawn"),
    "response.returned": _l("Response returned to draft"),
    "theme.created": _l("Theme created"),
    "theme.updated": _l("Theme changed"),
    "contribution.coded": _l("Contribution coded"),
    "contribution.quote_approved": _l("Quote approved"),
    "safeguarding.phrase_added": _l("Safeguarding phrase added"),
    "safeguarding.phrase_removed": _l("Safeguarding phrase removed"),
    "safeguarding.phrases_loaded": _l("Recommended safeguarding phrases loaded"),
}


def entries(*, actor_id: int | None = None, action: str | None = None,
            date_from: date | None = None, date_to: date | None = None,
            before_id: int | None = None, limit: int = 50) -> list[AuditEntry]:
    """Newest first, paged by id so the page stays fast as the log grows."""
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if date_from:
        query = query.where(AuditEntry.created_at >= datetime.combine(date_from, time.min))
    if date_to:
        query = query.where(AuditEntry.created_at < datetime.combine(date_to + timedelta(days=1), time.min))
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return list(db.session.scalars(query))
