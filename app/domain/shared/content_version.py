"""The version of the public content: bumped in the same transaction as any change that alters
what a public page shows, so a page rendered under one version is never served under the next,
by any instance (app/page_cache.py keys rendered pages by it).

The rule: every change bumps it, except
- changes to private or derived records, which no public page shows (PRIVATE), and
- new records of what the public sends in bulk (SENT_BY_THE_PUBLIC: feedback, survey answers,
  "About you"); staff changing or deleting them still bumps. So figures that count what people
  send ("12 contributions" on an area page, survey totals) may be up to PAGE_CACHE_SECONDS old.
  Event registrations (places left) and consultation comments do bump.

Session hooks apply it, so no code path can commit a change without its bump: `before_flush`
notes whether anything public is new, changed or deleted, and `after_flush` (same connection,
same transaction) bumps. A rollback undoes both. Bulk `update()`/`delete()`/`insert()`
statements skip the flush, so `do_orm_execute` bumps after those that touch a public model.
"""

import weakref
from datetime import datetime

from sqlalchemy import Connection, event, inspect, select, update
from sqlalchemy.orm import Session

from ...extensions import db
from ...models import (
    AboutYou,
    Announcement,
    AuditEntry,
    CaseReply,
    CommentReport,
    Contact,
    ContentVersion,
    Contribution,
    Digest,
    ExportJob,
    FeedbackEntry,
    OutboxMessage,
    PendingUpdate,
    ReachBaseline,
    RecoveryCode,
    SafeguardingPhrase,
    SearchEntry,
    Subscription,
    SurveyAnswer,
    SurveyDraft,
    SurveyResponse,
    SurveyResultCount,
    User,
)
from ...models.base import utcnow

# Records no public page shows: the audit log, email, the search index (derived, written with
# the change itself), staff accounts and sign-in, contact details and replies to families,
# subscriptions, answers in progress, the staff's running counts of survey answers (published
# results are kept apart, and do change pages), survey spreadsheets, reports of comments (a
# moderator's decision on the comment is what shows), reach baselines (staff only),
# safeguarding phrases, and the version itself.
PRIVATE = frozenset(
    {
        AuditEntry,
        OutboxMessage,
        SearchEntry,
        User,
        RecoveryCode,
        Contact,
        CaseReply,
        Subscription,
        PendingUpdate,
        Digest,
        Announcement,
        SurveyDraft,
        SurveyResultCount,
        ExportJob,
        CommentReport,
        ReachBaseline,
        SafeguardingPhrase,
        ContentVersion,
    }
)

# What the public sends in numbers: a new one only changes counts, which may lag.
SENT_BY_THE_PUBLIC = frozenset(
    {Contribution, FeedbackEntry, AboutYou, SurveyResponse, SurveyAnswer}
)

_NOTED = "content_version_noted"
_SENT = "content_version_sent_now"  # what the public sent, added in this transaction


def changes_public_pages(model: type, *, new: bool = False) -> bool:
    """Whether adding (`new=True`), changing or deleting a record of `model` can alter a public
    page. Only the service's own records do: the hooks below see every SQLAlchemy session in the
    process (a benchmark's bare app has its own models and no content version)."""
    if model in PRIVATE or not issubclass(model, db.Model):
        return False
    return not (new and model in SENT_BY_THE_PUBLIC)


def current(session: Session | Connection) -> tuple[int, datetime | None]:
    """The content's version and when it last changed, as `session` (or a connection) sees it."""
    row = session.execute(select(ContentVersion.version, ContentVersion.changed_at)).first()
    return (row.version, row.changed_at) if row is not None else (0, None)


def current_raw(connection: Connection) -> tuple:
    """The same as `current`, as the driver gives it (no statement to compile: the page cache
    reads it on every request); `changed_at` may be text."""
    row = connection.exec_driver_sql(
        f"SELECT version, changed_at FROM {ContentVersion.__tablename__}"
    ).first()
    return (row[0], row[1]) if row is not None else (0, None)


def bump(session: Session) -> None:
    """Count one more change to the public content, in the session's transaction."""
    session.connection().execute(
        update(ContentVersion).values(version=ContentVersion.version + 1, changed_at=utcnow())
    )


def _sent_now(session: Session, obj) -> bool:
    """A record the public sent, added in this transaction (filled in over several flushes)."""
    if changes_public_pages(type(obj), new=True):
        return False
    return obj in session.new or obj in session.info.get(_SENT, ())


def _changed(session: Session, obj) -> bool:
    """A value of its own changed, or a link to anything but a record the public just sent (a
    new contribution joins its area's list of contributions: only a count changes)."""
    if not changes_public_pages(type(obj)) or _sent_now(session, obj):
        return False
    state = inspect(obj)
    columns = {attribute.key for attribute in state.mapper.column_attrs}
    for attribute in state.attrs:
        history = attribute.history
        if not history.has_changes():
            continue
        if attribute.key in columns:
            return True
        linked = [*(history.added or ()), *(history.deleted or ())]
        if any(item is not None and not _sent_now(session, item) for item in linked):
            return True
    return False


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _flush_context, _instances) -> None:
    sent = [obj for obj in session.new if not changes_public_pages(type(obj), new=True)]
    if sent:
        session.info.setdefault(_SENT, weakref.WeakSet()).update(sent)
    if (
        any(changes_public_pages(type(obj), new=True) for obj in session.new)
        or any(changes_public_pages(type(obj)) for obj in session.deleted)
        or any(_changed(session, obj) for obj in session.dirty)
    ):
        session.info[_NOTED] = True


@event.listens_for(Session, "after_flush")
def _bump_noted(session: Session, _flush_context) -> None:
    if session.info.pop(_NOTED, False):
        bump(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous_transaction) -> None:
    session.info.pop(_NOTED, None)


@event.listens_for(Session, "after_transaction_end")
def _transaction_over(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction, not a flush's or a savepoint's
        session.info.pop(_SENT, None)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statements(state):
    """A bulk update, delete or insert of a public model bumps once it has run."""
    if not (state.is_delete or state.is_update or state.is_insert) or state.bind_mapper is None:
        return None
    if not changes_public_pages(state.bind_mapper.class_, new=state.is_insert):
        return None
    result = state.invoke_statement()
    bump(state.session)
    return result
