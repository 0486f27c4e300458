"""One helper that every staff action calls, so the audit log is complete by construction."""

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import Action, AuditEntry, User
from ..shared.dates import local_day_bounds

# The address the current action came from. The web layer sets it for each request and resets it
# afterwards (app/web.py); outside a request (the command line, the retention job) it is empty.
client_address: ContextVar[str] = ContextVar("client_address", default="")


def record(
    action: str,
    subject=None,
    *,
    actor: User | None,
    actor_label: str | None = None,
    summary: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction; it commits or rolls back with the change.

    `subject` is the record acted on (any model with an id) and `actor` the user who acted.
    An actor who is not a user (a failed sign-in, the command line, the retention job) is
    `actor=None` with an `actor_label` naming them. The entry keeps the request's client address.
    """
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor else None,
        actor_label=actor_label or (actor.email if actor else "system"),
        record_type=subject.__tablename__ if subject is not None else "",
        record_id=str(_identity(subject)) if subject is not None else "",
        summary=summary,
        detail=detail or {},
        ip_address=client_address.get(),
    )
    db.session.add(entry)
    return entry


def audit_value(value):
    """A value as the audit log keeps it: times to the minute, everything else as it is."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value


def apply_changes(record, values: dict) -> dict[str, dict]:
    """Set each named field of `record` to its new value. What changed, for the audit entry:
    {field: {"from": old, "to": new}} in the order given; fields already equal are left out."""
    changed = {}
    for name, value in values.items():
        old = getattr(record, name)
        if old != value:
            changed[name] = {"from": audit_value(old), "to": audit_value(value)}
            setattr(record, name, value)
    return changed


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
    "data_request.searched": _l("Data request: looked up"),
    "data_request.exported": _l("Data request: copy downloaded"),
    "data_request.erased": _l("Data request: erased"),
    "organisation.created": _l("Organisation added"),
    "organisation.renamed": _l("Organisation renamed"),
    "organisation.retired": _l("Organisation retired"),
    "organisation.reinstated": _l("Organisation back in use"),
    "area.created": _l("Area created"),
    "area.updated": _l("Area changed"),
    "action.created": _l("Action created"),
    "action.updated": _l("Action changed"),
    "action.progress": _l("Progress update posted"),
    "plan.imported": _l("Actions imported"),
    "report.published": _l("Board report published"),
    "response.created": _l("Response drafted"),
    "response.updated": _l("Response changed"),
    "response.submitted": _l("Response sent for approval"),
    "response.approved": _l("Response approved"),
    "response.published": _l("Response published"),
    "response.withdrawn": _l("Response withdrawn"),
    "response.returned": _l("Response returned to draft"),
    "response.sent_back_to_draft": _l("Sent back to draft because it was edited"),
    "response.change_proposed": _l("Change proposed, awaiting approval"),
    "response.change_approved": _l("Change approved and published"),
    "response.change_turned_down": _l("Change turned down"),
    "settings.cross_organisation_approval": _l("Who may approve responses changed"),
    "theme.created": _l("Theme created"),
    "theme.updated": _l("Theme changed"),
    "contribution.coded": _l("Contribution coded"),
    "contribution.quote_approved": _l("Quote approved"),
    "safeguarding.phrase_added": _l("Safeguarding phrase added"),
    "safeguarding.phrase_removed": _l("Safeguarding phrase removed"),
    "safeguarding.phrases_loaded": _l("Recommended safeguarding phrases loaded"),
    "retention.run": _l("Retention job deleted personal data"),
    "event.created": _l("Event created"),
    "event.updated": _l("Event changed"),
    "event.cancelled": _l("Event cancelled"),
    "event.attendance": _l("Event attendance marked"),
    "event.exported": _l("Event registrations exported"),
    "event.note_added": _l("Event note added"),
    "survey.response_entered": _l("Survey response entered by staff"),
    "survey.created": _l("Survey created"),
    "survey.updated": _l("Survey details changed"),
    "survey.scheduled": _l("Survey scheduled to open"),
    "survey.opened": _l("Survey opened"),
    "survey.closed": _l("Survey closed"),
    "survey.reopened": _l("Survey reopened"),
    "survey.returned_to_draft": _l("Survey returned to draft"),
    "survey.duplicated": _l("Survey duplicated"),
    "survey.deleted": _l("Survey deleted"),
    "survey.section_added": _l("Survey section added"),
    "survey.section_changed": _l("Survey section changed"),
    "survey.section_moved": _l("Survey section moved"),
    "survey.section_deleted": _l("Survey section deleted"),
    "survey.question_added": _l("Survey question added"),
    "survey.question_changed": _l("Survey question changed"),
    "survey.question_type_changed": _l("Survey question type changed"),
    "survey.question_moved": _l("Survey question moved"),
    "survey.question_deleted": _l("Survey question deleted"),
    "consultation.created": _l("Consultation created"),
    "consultation.updated": _l("Consultation changed"),
    "consultation.stage_changed": _l("Consultation stage changed"),
    "consultation.proposal_added": _l("Consultation proposal added"),
    "consultation.proposal_updated": _l("Consultation proposal changed"),
    "consultation.proposals_reordered": _l("Consultation proposals reordered"),
    "consultation.outcome_saved": _l("What we heard saved"),
    "consultation.outcome_published": _l("What we heard published"),
    "consultation.outcome_updated": _l("What we heard changed after publishing"),
    "comment.approved": _l("Comment approved"),
    "comment.hidden": _l("Comment hidden"),
    "comment.restored": _l("Comment restored"),
    "comment.kept": _l("Reported comment kept"),
    "comment.kept_private": _l("Comment kept private (flagged for safeguarding)"),
    "survey.exported": _l("Survey responses exported"),
    "survey.results_published": _l("Survey results published"),
    "survey.results_unpublished": _l("Survey results taken down"),
    "survey.translated": _l("Survey translations saved"),
    "consultation.translated": _l("Consultation translations saved"),
    "area.translated": _l("Area translations saved"),
    "action.translated": _l("Action translations saved"),
    "response.translated": _l("Response translations saved"),
    "event.translated": _l("Event translations saved"),
    "reach.baselines_saved": _l("Reach baselines saved"),
    "reach.baselines_imported": _l("Reach baselines imported"),
}


def entries(
    *,
    actor_id: int | None = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """Newest first, paged by id so the page stays fast as the log grows.

    `date_from` and `date_to` are whole days (both included) in the service's time zone.
    """
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action == action)
    start, end = local_day_bounds(date_from, date_to)
    if start:
        query = query.where(AuditEntry.created_at >= start)
    if end:
        query = query.where(AuditEntry.created_at < end)
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return list(db.session.scalars(query))


@dataclass
class LogPage:
    entries: list[AuditEntry]
    older_before_id: (
        int | None
    )  # pass as before_id for the next (older) page; None on the last page
    action_references: dict[str, str] = field(default_factory=dict)  # record_id -> "APP-1.1"
    user_names: dict[str, str] = field(default_factory=dict)  # record_id -> the user's name now


def log_page(
    *,
    actor_id: int | None = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    before_id: int | None = None,
    per_page: int = 50,
) -> LogPage:
    """One page of the log for /manage/audit, in a fixed number of queries however long it is."""
    found = entries(
        actor_id=actor_id,
        action=action,
        date_from=date_from,
        date_to=date_to,
        before_id=before_id,
        limit=per_page + 1,
    )
    shown = found[:per_page]
    older = shown[-1].id if len(found) > per_page else None
    return LogPage(
        entries=shown,
        older_before_id=older,
        action_references=_labels_for(shown, "actions", Action.id, Action.reference),
        user_names=_labels_for(shown, "users", User.id, User.name),
    )


def _labels_for(
    shown: list[AuditEntry], record_type: str, id_column, label_column
) -> dict[str, str]:
    """{record_id: label} for the records of one type on a page, in one query."""
    ids = {
        int(e.record_id) for e in shown if e.record_type == record_type and e.record_id.isdigit()
    }
    if not ids:
        return {}
    rows = db.session.execute(db.select(id_column, label_column).where(id_column.in_(ids)))
    return {str(record_id): label for record_id, label in rows}
