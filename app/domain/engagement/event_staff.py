"""Co-production events, for coordinators and admins: creating and cancelling events, the
registrations (personal data: read only for the staff event page and the CSV export, deleted by
the retention job), attendance, and notes of what was said, which become contributions."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Channel, Contribution, Event, Registration, User
from ...models.base import utcnow
from ..mail import outbox
from ..people import audit
from ..shared import dates
from ..shared.errors import Refused
from ..shared.text import clean_text
from ..thread.contributions import record_contribution
from ..thread.open_data import csv_cell
from .announcements import announce_event_if_open
from .events import fill_places_from_waiting_list, lock_event

EVENT_NOTE_SOURCE = "event_note"
# The fields a coordinator sets on the create and edit pages, in the order they are audited.
STAFF_EVENT_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "online_link",
    "step_free",
    "hearing_loop",
    "quiet_room",
    "parking",
    "access_notes",
    "capacity",
    "registration_closes_at",
    "consultation_id",
    "published",
)


@dataclass
class StaffEventRow:
    """One line of the staff events list."""

    event: Event
    registered: int
    waiting: int

    @property
    def places_left(self) -> int:
        return max(self.event.capacity - self.registered, 0)


@dataclass
class StaffEventList:
    upcoming: list[StaffEventRow]
    past: list[StaffEventRow]


def staff_registration_counts(event_ids) -> dict[int, tuple[int, int]]:
    """{event id: (registered, waiting)} in one grouped query; events with nobody are left out."""
    event_ids = list(event_ids)
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(
            Registration.event_id,
            func.sum(case((Registration.state == "registered", 1), else_=0)),
            func.sum(case((Registration.state == "waiting", 1), else_=0)),
        )
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id)
    ).all()
    return {
        event_id: (int(registered or 0), int(waiting or 0))
        for event_id, registered, waiting in rows
    }


def staff_event_list(now: datetime | None = None) -> StaffEventList:
    """Upcoming events (soonest first) and past ones (most recent first), with their counts.

    Two queries whatever the number of events: the events, then the counts grouped by event.
    """
    now = now or utcnow()
    events = list(db.session.scalars(select(Event).order_by(Event.starts_at, Event.id)))
    counts = staff_registration_counts(event.id for event in events)
    rows = [StaffEventRow(event, *counts.get(event.id, (0, 0))) for event in events]
    upcoming = [row for row in rows if row.event.ends_at >= now]
    past = [row for row in rows if row.event.ends_at < now]
    past.reverse()
    return StaffEventList(upcoming=upcoming, past=past)


def staff_event(event_id: int) -> Event | None:
    return db.session.get(Event, event_id)


def staff_registrations(event: Event) -> list[Registration]:
    """Registered people first, then the waiting list in its order, then those who cancelled."""
    order = case(
        (Registration.state == "registered", 0), (Registration.state == "waiting", 1), else_=2
    )
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id)
            .order_by(order, Registration.created_at, Registration.id)
        )
    )


def _staff_registered_count(event: Event) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.event_id == event.id, Registration.state == "registered")
        )
        or 0
    )


def _cleaned(values: dict) -> dict:
    """Typed text as it may be stored (no NUL characters, which PostgreSQL refuses)."""
    return {name: clean_text(value) for name, value in values.items()}


def create_event(actor: User, values: dict) -> Event:
    """Add an event from the staff form's values (times already in UTC) and commit."""
    values = _cleaned(values)
    event = Event(created_by_id=actor.id, **{name: values[name] for name in STAFF_EVENT_FIELDS})
    db.session.add(event)
    audit.record(
        "event.created",
        event,
        actor=actor,
        summary=event.title,
        detail={name: audit.audit_value(values[name]) for name in STAFF_EVENT_FIELDS},
    )
    db.session.flush()
    announce_event_if_open(event)
    db.session.commit()
    return event


def update_event(actor: User, event: Event, values: dict) -> list[str]:
    """Save changes to an event; returns the names of the fields that changed. Commits.

    Runs in its own transaction holding the event's lock, so a registration arriving at the
    same moment is counted. Raises Refused (nothing saved) when the new capacity is below
    the number of people already registered: they have places, so some must cancel first. More
    places go at once to the waiting list, in order (each person is emailed).
    """
    db.session.rollback()  # the lock must be the transaction's first statement
    event = lock_event(event.id)
    registered = _staff_registered_count(event)
    if values["capacity"] < registered:
        db.session.rollback()
        raise Refused(
            ngettext(
                "%(num)d person is already registered, so the number of places cannot be fewer "
                "than %(num)d",
                "%(num)d people are already registered, so the number of places cannot be fewer "
                "than %(num)d",
                registered,
            ),
            field="capacity",
        )
    values = _cleaned(values)
    changed = audit.apply_changes(event, {name: values[name] for name in STAFF_EVENT_FIELDS})
    if changed:
        offered = fill_places_from_waiting_list(event)
        detail = dict(changed)
        if offered:
            detail["places_offered"] = len(offered)
        audit.record(
            "event.updated",
            event,
            actor=actor,
            summary=f"{event.title}: {', '.join(changed)}",
            detail=detail,
        )
        announce_event_if_open(event)
    db.session.commit()
    return list(changed)


def cancel_event(actor: User, event: Event, reason: str) -> int:
    """Cancel the event and email everyone registered or waiting, in one transaction.

    Holds the event's lock, so nobody registers unseen while it is cancelled. Returns how many
    emails were queued. Raises Refused if it was cancelled before.
    """
    db.session.rollback()  # the lock must be the transaction's first statement
    event = lock_event(event.id)
    if event.cancelled_at is not None:
        db.session.rollback()
        raise Refused(_l("This event was already cancelled."))
    reason = reason.strip()
    event.cancelled_at = utcnow()
    people = [r for r in staff_registrations(event) if r.state in ("registered", "waiting")]
    service = current_app.config["SERVICE_NAME"]
    when = _event_when_text(event)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Cancelled: %(title)s", title=event.title)
        for registration in people:
            body = _(
                "Dear %(name)s,\n\nWe are sorry: %(title)s on %(when)s has been cancelled.\n\n"
                "Why: %(reason)s\n\nYou do not need to do anything. Your registration has been "
                "removed.\n\n"
                "%(service)s\n",
                name=registration.name,
                title=event.title,
                when=when,
                reason=reason,
                service=service,
            )
            outbox.enqueue("event_cancelled", registration.email, subject, body)
    audit.record(
        "event.cancelled",
        event,
        actor=actor,
        summary=f"{event.title}: {reason}",
        detail={"reason": reason, "emailed": len(people)},
    )
    db.session.commit()
    return len(people)


def _event_when_text(event: Event) -> str:
    """The day of the event, as in "... on Saturday 14 June 2025 has been cancelled"."""
    return dates.day(event.starts_at, weekday=True)


def record_attendance(actor: User, event: Event, attended_ids) -> int:
    """Mark who came: registered people whose ids are given attended, the others did not.

    Returns how many attended. Ids that are not registered people of this event are ignored.
    """
    chosen = {int(i) for i in attended_ids}
    registered = [r for r in staff_registrations(event) if r.state == "registered"]
    for registration in registered:
        registration.attended = registration.id in chosen
    attended = sum(1 for r in registered if r.attended)
    audit.record(
        "event.attendance",
        event,
        actor=actor,
        summary=f"{event.title}: {attended} of {len(registered)} attended",
        detail={"attended": attended, "registered": len(registered)},
    )
    db.session.commit()
    return attended


REGISTRATION_CSV_COLUMNS = (
    "name",
    "email",
    "attendee_type",
    "access_needs",
    "state",
    "waiting_list_position",
    "registered_at",
    "attended",
)


def export_registrations_csv(actor: User, event: Event) -> str:
    """The event's registrations as spreadsheet-safe CSV; the export itself is audited."""
    registrations = staff_registrations(event)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REGISTRATION_CSV_COLUMNS)
    position = 0
    for registration in registrations:
        if registration.state == "waiting":
            position += 1
        attended = "" if registration.attended is None else registration.attended
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    registration.name,
                    registration.email,
                    registration.attendee_type,
                    registration.access_needs,
                    registration.state,
                    position if registration.state == "waiting" else "",
                    registration.created_at.isoformat(timespec="minutes") + "Z",
                    attended,
                )
            ]
        )
    audit.record(
        "event.exported",
        event,
        actor=actor,
        summary=f"{event.title}: {len(registrations)} registration(s) exported",
        detail={"rows": len(registrations)},
    )
    db.session.commit()
    return buffer.getvalue()


def add_event_note(actor: User, event: Event, text: str, area_ids=()) -> Contribution:
    """What was said at the event becomes a contribution in the inbox, in one transaction."""
    contribution = record_contribution(
        EVENT_NOTE_SOURCE,
        text.strip(),
        source_id=event.id,
        channel=Channel.EVENT.value,
        area_ids=list(area_ids),
    )
    audit.record(
        "event.note_added",
        event,
        actor=actor,
        summary=f"{event.title}: note added",
        detail={"contribution": contribution.reference},
    )
    db.session.commit()
    return contribution


def event_notes(event: Event) -> list[Contribution]:
    """The notes recorded for this event, newest first, with their areas loaded."""
    return list(
        db.session.scalars(
            select(Contribution)
            .where(
                Contribution.source_type == EVENT_NOTE_SOURCE, Contribution.source_id == event.id
            )
            .order_by(Contribution.created_at.desc(), Contribution.id.desc())
            .options(selectinload(Contribution.areas))
        )
    )
